"""In-process backends for the assistant: the same engines the Serve app runs, without Ray.

The chat evaluation and the chat benchmark use these; the Serve ingress uses
DeploymentHandles to the same code (``deployments/chat.py``). Search here
is the hybrid first stage and phase 1 (LTR); the cross-encoder (phase 2) is
left out to keep evaluation runs short on a CPU.
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
import uuid
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from retail.assistant.intent import IntentClassifier
from retail.assistant.policies import PolicyIndex, index_texts, load_policies
from retail.embedder import Embedder
from retail.index import Filters, Fusion
from retail.llm_engine import Chunk, ChatEngine, EngineConfig, EngineUnavailable, GenerationParams, load_engine
from retail.paths import DEMO_POLICIES
from retail.registry import ModelRegistry
from retail.retrieval import LoadedIndex


class LocalBackends:
    def __init__(self, embedder: Embedder, index: LoadedIndex, engine: ChatEngine | None):
        self.embedder, self.index, self.engine = embedder, index, engine
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="retrieval")

    # Off the event loop, as the Serve app runs them in other processes (a chat waiting for its LLM's first token
    # is not held up by another chat's embedding), on one thread of their own, like one embedder replica: the
    # shared default pool is where the LLM engine hands over its requests.
    async def embed(self, texts: list[str]) -> np.ndarray:
        return await asyncio.get_running_loop().run_in_executor(self.pool, self.embedder.encode, texts)

    async def search(self, query: str, filters: dict | None, top_k: int) -> dict:
        vector = (await self.embed([query]))[0]
        hits = await asyncio.get_running_loop().run_in_executor(
            self.pool, self.index.retrieve, vector, query, top_k, 200, Filters(**(filters or {})))
        versions = {"index": self.index.version} | ({"ltr": self.index.ranker.version} if self.index.ranker else {})
        return {"hits": hits, "versions": versions}

    async def details(self, ids: list[str]) -> list[dict | None]:
        return self.index.details(ids)

    async def vocabulary(self):
        return self.index.vocabulary()

    async def generate(self, messages: list[dict], params: dict) -> AsyncIterator[dict]:
        if self.engine is None:
            raise RuntimeError("no LLM engine")
        async for chunk in self.engine.stream(messages, GenerationParams(**params)):
            yield {"text": chunk.text, "finish_reason": chunk.finish_reason,
                   "usage": {"prompt_tokens": chunk.prompt_tokens, "completion_tokens": chunk.completion_tokens}}


class EngineProcess:
    """A chat engine in a process of its own, as the Serve app runs its LLM in a replica of its own.

    In one process the LLM's batching thread and the other chats' retrieval share one interpreter lock, and
    every first token waits on them: four chats at once measured far worse than the served topology. Same
    protocol as the engines (``start``, ``stream``, ``stop``, ``health``); a consumer that stops reading
    cancels its sequence in the child.
    """

    def __init__(self, config: EngineConfig):
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        self.requests, self.replies = context.Queue(), context.Queue()
        self.process = context.Process(target=_serve_engine, args=(config, self.requests, self.replies), daemon=True,
                                       name=f"llm-{config.model}")
        self.model_name = config.model
        self.streams: dict[str, asyncio.Queue] = {}
        self.loop: asyncio.AbstractEventLoop | None = None

    async def start(self) -> None:
        self.process.start()
        kind, detail = await asyncio.to_thread(self.replies.get)
        if kind != "ready":
            raise EngineUnavailable(f"the LLM process failed to start: {detail}")
        self.loop = asyncio.get_running_loop()
        threading.Thread(target=self._dispatch, daemon=True, name="llm-replies").start()

    def _dispatch(self) -> None:
        while True:
            request_id, payload = self.replies.get()
            if request_id == "stopped":
                return
            if (queue := self.streams.get(request_id)) is not None:
                self.loop.call_soon_threadsafe(queue.put_nowait, payload)

    async def stream(self, messages: list[dict], params: GenerationParams) -> AsyncIterator[Chunk]:
        request_id, queue = uuid.uuid4().hex, asyncio.Queue()
        self.streams[request_id] = queue
        self.requests.put(("generate", request_id, messages, params))
        finished = False
        try:
            while (payload := await queue.get()) is not None:
                if "error" in payload:
                    raise EngineUnavailable(payload["error"])
                yield Chunk(**payload)
            finished = True
        finally:
            self.streams.pop(request_id, None)
            if not finished:
                self.requests.put(("cancel", request_id, None, None))

    def health(self) -> dict:
        return {"model": self.model_name, "process_alive": self.process.is_alive()}

    def stop(self) -> None:
        if self.process.is_alive():
            self.requests.put(("stop", None, None, None))
            self.process.join(timeout=30)


def _serve_engine(config: EngineConfig, requests, replies) -> None:
    """The child process: one engine, requests in, chunks out (``None`` ends a stream)."""

    async def main() -> None:
        try:
            engine = load_engine(config)
            await engine.start()
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises it
            replies.put(("failed", f"{type(exc).__name__}: {exc}"))
            return
        replies.put(("ready", None))
        loop, running = asyncio.get_running_loop(), {}

        async def generate(request_id: str, messages: list[dict], params: GenerationParams) -> None:
            try:
                async for chunk in engine.stream(messages, params):
                    replies.put((request_id, dataclasses.asdict(chunk)))
                replies.put((request_id, None))
            except asyncio.CancelledError:
                replies.put((request_id, None))
            except Exception as exc:  # noqa: BLE001 - the parent's stream raises it
                replies.put((request_id, {"error": f"{type(exc).__name__}: {exc}"}))
            finally:
                running.pop(request_id, None)

        while True:
            kind, request_id, messages, params = await loop.run_in_executor(None, requests.get)
            if kind == "stop":
                break
            if kind == "cancel":
                if (task := running.get(request_id)) is not None:
                    task.cancel()
                continue
            running[request_id] = asyncio.ensure_future(generate(request_id, messages, params))
        if hasattr(engine, "stop"):
            engine.stop()
        replies.put(("stopped", None))

    asyncio.run(main())


def load_local(registry_root: Path | None = None, policies_path: Path = DEMO_POLICIES,
               engine: ChatEngine | None = None) -> tuple[LocalBackends, IntentClassifier, PolicyIndex]:
    registry = ModelRegistry(registry_root)
    embedder = Embedder(device="cpu")
    index = LoadedIndex(registry, "stable", "stable", Fusion())
    version, directory = registry.require_stable("intent", "python -m training.train_intent")
    intents = IntentClassifier.load(directory, version)
    policies = load_policies(policies_path)
    texts, owners = index_texts(policies)
    policy_index = PolicyIndex(policies, embedder.encode(texts), owners)
    return LocalBackends(embedder, index, engine), intents, policy_index


async def run_turn(assistant, messages: list[dict], context_product_id: str | None = None) -> tuple[str, object]:
    """One turn as a non-streaming client sees it: the whole answer text and the TurnResult."""
    parts, result = [], None
    async for kind, payload in assistant.turn(messages, context_product_id):
        if kind == "delta":
            parts.append(payload)
        else:
            result = payload
    return "".join(parts), result
