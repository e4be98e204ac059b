"""Chat LLM engines: one protocol, two interchangeable implementations. No Ray needed.

    engine = load_engine(EngineConfig(model="smollm2-135m"))
    await engine.start()                       # load, then warm up: never on a shopper's request
    async for chunk in engine.stream(messages, GenerationParams(max_tokens=64)):
        print(chunk.text, end="")

- ``ContinuousBatchingEngine`` (default): transformers' ContinuousBatchingManager.
  A background thread runs one decode step at a time over every active
  request (paged KV cache); a request that arrives mid-flight joins at the
  next step. Capped at ``max_batch_size`` concurrent sequences and
  ``max_queue`` waiting ones: past that ``stream`` raises ``EngineOverloaded``
  at once instead of queueing without bound.
- ``SequentialEngine``: ``model.generate`` one request at a time. The
  baseline the benchmark compares against, and a fallback for models the
  continuous-batching path does not support.

Both apply the model's chat template, stop at EOS, ``max_tokens`` or a stop
sequence, stream text deltas (a multi-byte character is never split), and
cancel the sequence when the consumer stops iterating (a client that went
away frees its batch slot at the next step).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Protocol

logger = logging.getLogger(__name__)

# Sampling at this temperature is argmax in practice; the batched sampler cannot divide by zero.
GREEDY_TEMPERATURE = 1e-3
# Tokens per KV-cache page. The manager reuses whole pages of a prompt prefix it has already computed (block
# sharing), so a small page lets the fixed system rules (~60 tokens with the chat template) be computed once and
# shared by every chat: 16 shares 48 of them, 64 shares none.
PAGE_SIZE = 16


class EngineOverloaded(RuntimeError):
    """Every batch slot and queue place is taken: refuse now rather than wait."""


class EngineUnavailable(RuntimeError):
    """The engine is not started, failed, or its generation thread died."""


@dataclass(frozen=True)
class GenerationParams:
    max_tokens: int = 128
    temperature: float = 0.0
    top_p: float = 1.0
    stop: tuple[str, ...] = ()


@dataclass
class Chunk:
    """One streamed piece of a completion; the last one has ``finish_reason`` set."""

    text: str
    finish_reason: str | None = None  # "stop" (EOS or a stop sequence) | "length"
    prompt_tokens: int = 0
    completion_tokens: int = 0


@dataclass(frozen=True)
class EngineConfig:
    model: str = "smollm2-135m"  # a name in retail.llm_weights.MODELS or a local HF folder
    kind: str = "continuous"  # continuous | sequential
    device: str = "cpu"
    cpu_threads: int | None = None
    max_batch_size: int = 16
    max_queue: int = 64
    max_prompt_tokens: int = 2048
    # KV cache size, per batch slot (the pages are shared: one long prompt may use more). Without a
    # bound the manager sizes the cache from free memory, most of RAM on a CPU; and on a CPU every
    # step's attention mask spans the whole cache, so a tight cache is also a fast one
    # (16 streams: 51 tokens/s with 512 per slot vs 35 with 1,024, same batch size).
    kv_tokens_per_sequence: int = 512
    # Tokens one engine step may process (prefill chunks + decodes). On a CPU a smaller step keeps
    # the attention mask small: 1024 measured 62 tokens/s at 16 streams vs 43 at the default 8192.
    max_batch_tokens: int | None = None  # None: 1024 on a CPU, the library's choice on a GPU
    page_size: int = PAGE_SIZE
    # The system message most prompts start with (the assistant's rules): the warm-up sends it, so its KV pages
    # are computed at start and every chat's prefill begins after them (block sharing, see PAGE_SIZE).
    warm_up_system: str | None = None
    random_weights: bool = False  # benchmark-only: the architecture with random weights (GPU speed tests)
    extra: dict = field(default_factory=dict)


class ChatEngine(Protocol):
    model_name: str

    async def start(self) -> None: ...

    def stream(self, messages: list[dict], params: GenerationParams) -> AsyncIterator[Chunk]: ...

    def health(self) -> dict: ...


class _TextStream:
    """Incremental detokenisation: decode all tokens so far, emit what is new and complete."""

    def __init__(self, tokenizer, stop: tuple[str, ...]):
        self.tokenizer, self.stop = tokenizer, stop
        self.text = ""  # emitted so far
        self.stopped = False

    def update(self, token_ids: list[int], final: bool) -> str:
        decoded = self.tokenizer.decode(token_ids, skip_special_tokens=True)
        if not final and decoded.endswith("\ufffd"):  # half of a multi-byte character: wait for the rest
            return ""
        for stop in self.stop:
            at = decoded.find(stop)
            if at >= 0:
                decoded, self.stopped = decoded[:at], True
        if not self.stopped and not final and self.stop:
            # Hold back a tail that could be the start of a stop sequence.
            hold = max((len(s) - 1 for s in self.stop), default=0)
            safe = len(decoded) - hold
            for cut in range(max(safe, len(self.text)), len(decoded)):
                if any(s.startswith(decoded[cut:]) for s in self.stop):
                    decoded = decoded[:cut]
                    break
        delta = decoded[len(self.text):] if decoded.startswith(self.text) else ""
        self.text += delta
        return delta


def _load_model(config: EngineConfig):
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

    from retail.llm_weights import resolve_model

    if config.device == "cpu" and config.cpu_threads:
        torch.set_num_threads(config.cpu_threads)
    folder = resolve_model(config.model)
    dtype = torch.bfloat16 if config.device.startswith("cuda") else torch.float32
    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    if config.random_weights:
        model = AutoModelForCausalLM.from_config(AutoConfig.from_pretrained(str(folder)), dtype=dtype)
    else:
        model = AutoModelForCausalLM.from_pretrained(str(folder), dtype=dtype)
    model.to(config.device).eval()
    return model, tokenizer, folder


class _EngineBase:
    def __init__(self, config: EngineConfig):
        self.config = config
        self.model = self.tokenizer = None
        self.model_name = config.model
        self.started = False
        self.active = 0  # requests admitted and not finished

    def _prompt_ids(self, messages: list[dict]) -> list[int]:
        ids = self.tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=True)
        if not isinstance(ids, list):  # a BatchEncoding in some tokenizers
            ids = ids["input_ids"]
        if len(ids) > self.config.max_prompt_tokens:
            raise ValueError(f"prompt is {len(ids)} tokens, over the engine's limit of {self.config.max_prompt_tokens}")
        return list(ids)

    def _eos_ids(self) -> list[int]:
        if self.config.random_weights:  # speed runs: every turn generates exactly max_tokens (-1 never occurs)
            return [-1]
        ids = self.model.generation_config.eos_token_id
        ids = list(ids) if isinstance(ids, (list, tuple)) else [ids]  # a copy: never grow the config's list
        if self.tokenizer.eos_token_id is not None:
            ids.append(self.tokenizer.eos_token_id)
        return sorted({i for i in ids if i is not None})

    def _admit(self) -> None:
        if not self.started:
            raise EngineUnavailable("the engine has not started")
        if self.active >= self.config.max_batch_size + self.config.max_queue:
            raise EngineOverloaded(
                f"{self.active} requests in flight (batch {self.config.max_batch_size} + queue {self.config.max_queue})"
            )
        self.active += 1

    def health(self) -> dict:
        return {"model": self.model_name, "started": self.started, "active": self.active,
                "max_batch_size": self.config.max_batch_size, "max_queue": self.config.max_queue}

    async def _warm_up(self) -> None:
        messages = [{"role": "user", "content": "Hello"}]
        if self.config.warm_up_system:
            messages.insert(0, {"role": "system", "content": self.config.warm_up_system})
        async for _ in self.stream(messages, GenerationParams(max_tokens=4)):
            pass


class ContinuousBatchingEngine(_EngineBase):
    def __init__(self, config: EngineConfig):
        super().__init__(config)
        self.manager = None

    async def start(self) -> None:
        await asyncio.to_thread(self._start_blocking)
        self.started = True
        # The manager's first steps are slow (allocation, kernel selection): pay that here.
        await asyncio.gather(*(self._warm_up() for _ in range(min(4, self.config.max_batch_size))))

    def _start_blocking(self) -> None:
        from transformers import GenerationConfig
        from transformers.generation.configuration_utils import ContinuousBatchingConfig

        self.model, self.tokenizer, _ = _load_model(self.config)
        generation = GenerationConfig(
            do_sample=True, temperature=0.7, top_p=0.9, max_new_tokens=128,
            eos_token_id=self._eos_ids(), pad_token_id=self.tokenizer.pad_token_id or 0,
        )
        cb = ContinuousBatchingConfig(
            max_requests_per_batch=self.config.max_batch_size,
            per_request_processors=True,  # temperature / top_p per request
            page_size=self.config.page_size,
            num_blocks=self.config.max_batch_size * -(-self.config.kv_tokens_per_sequence // self.config.page_size),
            max_batch_tokens=self.config.max_batch_tokens or (1024 if self.config.device == "cpu" else None),
            **self.config.extra,
        )
        self._eos_set = set(self._eos_ids())
        self.manager = self.model.init_continuous_batching(generation_config=generation, continuous_batching_config=cb)
        self.manager.start()

    async def stream(self, messages: list[dict], params: GenerationParams) -> AsyncIterator[Chunk]:
        self._admit()
        try:
            async for chunk in self._stream(messages, params):
                yield chunk
        finally:
            self.active -= 1

    async def _stream(self, messages: list[dict], params: GenerationParams) -> AsyncIterator[Chunk]:
        if not self.manager.is_running():
            raise EngineUnavailable("the continuous-batching thread is not running")
        prompt = self._prompt_ids(messages)
        request_id = uuid.uuid4().hex
        outputs: asyncio.Queue = asyncio.Queue()
        self.manager.register_result_handler(request_id, outputs.put_nowait)
        sampling = {"temperature": max(params.temperature, GREEDY_TEMPERATURE), "top_p": params.top_p}
        text = _TextStream(self.tokenizer, params.stop)
        finished = False
        try:
            added = await asyncio.to_thread(
                self.manager.add_request, prompt, request_id=request_id, max_new_tokens=params.max_tokens,
                streaming=True, **sampling,
            )
            if added is None:
                raise EngineUnavailable("the continuous-batching manager refused the request (stopping)")
            while True:
                output = await self._next_output(outputs)
                if output.error:
                    raise EngineUnavailable(f"generation failed: {output.error}")
                tokens = [t for t in output.generated_tokens if t not in self._eos_set]
                done = output.is_finished()
                delta = text.update(tokens, final=done)
                if text.stopped or done:
                    finished = True
                    reason = "stop" if text.stopped or len(output.generated_tokens) < params.max_tokens else "length"
                    yield Chunk(delta, reason, len(prompt), len(output.generated_tokens))
                    return
                if delta:
                    yield Chunk(delta, None, len(prompt), len(output.generated_tokens))
        finally:
            if not finished or text.stopped:  # a stop sequence, a client that went away, an error: free the slot
                self.manager.cancel_request(request_id)
                # A cancelled request never finishes, so the manager keeps its handler: drop it here.
                with self.manager.output_router._lock:
                    self.manager.output_router.result_handlers.pop(request_id, None)

    async def _next_output(self, outputs: asyncio.Queue):
        while True:
            try:
                return await asyncio.wait_for(outputs.get(), timeout=1.0)
            except asyncio.TimeoutError:
                if not self.manager.is_running():
                    raise EngineUnavailable("the continuous-batching thread stopped") from None

    def health(self) -> dict:
        info = super().health()
        if self.started and not self.manager.is_running():
            raise EngineUnavailable("the continuous-batching thread is not running")
        return info | {"engine": "continuous"}

    def stop(self) -> None:
        if self.manager is not None and self.manager.is_running():
            self.manager.stop(block=True, timeout=10)


class SequentialEngine(_EngineBase):
    """``model.generate`` for one request at a time, streamed through a TextIteratorStreamer."""

    def __init__(self, config: EngineConfig):
        super().__init__(config)
        self.lock = asyncio.Lock()

    async def start(self) -> None:
        self.model, self.tokenizer, _ = await asyncio.to_thread(_load_model, self.config)
        self.started = True
        await self._warm_up()

    async def stream(self, messages: list[dict], params: GenerationParams) -> AsyncIterator[Chunk]:
        self._admit()
        try:
            async with self.lock:  # one sequence at a time: the others wait here
                async for chunk in self._stream(messages, params):
                    yield chunk
        finally:
            self.active -= 1

    async def _stream(self, messages: list[dict], params: GenerationParams) -> AsyncIterator[Chunk]:
        import torch
        from transformers import StoppingCriteria, StoppingCriteriaList

        prompt = self._prompt_ids(messages)
        cancelled = threading.Event()
        tokens: list[int] = []
        loop = asyncio.get_running_loop()
        outputs: asyncio.Queue = asyncio.Queue()

        class _Tap(StoppingCriteria):  # sees every new token; stops on cancel
            def __call__(self, input_ids, scores, **kwargs):
                tokens.append(int(input_ids[0, -1]))
                loop.call_soon_threadsafe(outputs.put_nowait, list(tokens))
                return torch.tensor([cancelled.is_set()])

        def run():
            try:
                sampling = {"do_sample": True, "temperature": params.temperature, "top_p": params.top_p} \
                    if params.temperature > GREEDY_TEMPERATURE else {"do_sample": False}
                with torch.no_grad():
                    self.model.generate(
                        torch.tensor([prompt], device=self.model.device), max_new_tokens=params.max_tokens,
                        eos_token_id=self._eos_ids(), pad_token_id=self.tokenizer.pad_token_id or 0,
                        stopping_criteria=StoppingCriteriaList([_Tap()]), **sampling,
                    )
            finally:
                loop.call_soon_threadsafe(outputs.put_nowait, None)

        worker = asyncio.ensure_future(asyncio.to_thread(run))
        text = _TextStream(self.tokenizer, params.stop)
        eos = set(self._eos_ids())
        latest: list[int] = []
        try:
            while (update := await outputs.get()) is not None:
                latest = update
                delta = text.update([t for t in latest if t not in eos], final=False)
                if text.stopped:
                    if delta:
                        yield Chunk(delta, None, len(prompt), len(latest))
                    break
                if delta:
                    yield Chunk(delta, None, len(prompt), len(latest))
            delta = "" if text.stopped else text.update([t for t in latest if t not in eos], final=True)
            ended_on_eos = bool(latest) and latest[-1] in eos
            reason = "stop" if text.stopped or ended_on_eos or len(latest) < params.max_tokens else "length"
            yield Chunk(delta, reason, len(prompt), len(latest))
        finally:
            cancelled.set()
            await worker


ENGINES = {"continuous": ContinuousBatchingEngine, "sequential": SequentialEngine}


def load_engine(config: EngineConfig) -> ChatEngine:
    if config.kind not in ENGINES:
        raise ValueError(f"unknown engine kind {config.kind!r}; choose one of {sorted(ENGINES)}")
    return ENGINES[config.kind](config)


async def collect(engine: ChatEngine, messages: list[dict], params: GenerationParams) -> tuple[str, Chunk, float]:
    """The whole completion, its last chunk and the time to its first token (seconds)."""
    started, first, parts, last = time.perf_counter(), None, [], None
    async for chunk in engine.stream(messages, params):
        if first is None:
            first = time.perf_counter() - started
        parts.append(chunk.text)
        last = chunk
    return "".join(parts), last, first or 0.0
