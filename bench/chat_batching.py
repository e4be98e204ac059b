"""The chat LLM on the assistant's real prompts: time to first token and tokens/s, before and after, one run.

    python -m bench.chat_batching [--model smollm2-135m] [--streams 1 4 16] [--max-tokens 48]
    python -m bench.chat_batching --model qwen2.5-0.5b --device cuda --random-weights --streams 1 32 128

The prompts are the ones the assistant really sends: shopper messages (the demo
intent utterances for product searches and policy questions) go through the
same ``Assistant`` the app runs, with in-process backends, and the messages it
hands the LLM are recorded. Two variants run on the same engine code, one after
the other, in this process:

* ``before``: the prompt as it was built before the query planner (whole
  catalog titles, two attributes per product, whole policy passages), on
  64-token KV pages (no prefix shared between chats);
* ``after``: the planned prompt (short titles, only the attributes the shopper
  asked about, the two policy sentences that answer), on 16-token pages, so
  the system rules' KV cache is computed once and reused by every chat.

For each number of concurrent streams, every stream sends its turns one after
another (all streams start together: a burst, the worst case for TTFT).
Greedy decoding. The host's CPU flags are printed with the table: model costs
differ several-fold between AVX2 and AVX-512 hosts. Needs the demo registry
(``make up`` builds it: index and intent head).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

import numpy as np

from bench.reporting import print_table
from retail.assistant.grounding import SYSTEM_RULES, build_messages, policy_line, product_line
from retail.llm_engine import EngineConfig, GenerationParams, load_engine
from retail.paths import DEMO_INTENTS, REPO_ROOT

LEGACY_PRODUCT_TASK = ("Recommend the products in CONTEXT that fit the shopper's request, citing each as [id], "
                       "in 2 short sentences.")


class _Recorder:
    """Backends that record what the assistant asks the LLM, and answer nothing (the turn then falls back)."""

    def __init__(self, backends):
        self.backends, self.prompts = backends, []

    def __getattr__(self, name):
        return getattr(self.backends, name)

    async def generate(self, messages: list[dict], params: dict):
        self.prompts.append(messages)
        raise RuntimeError("recorded")
        yield  # an async generator, as the protocol wants


async def assistant_prompts(n_per_intent: int = 8) -> list[tuple[list[dict], list[dict]]]:
    """(the prompt the assistant sends now, the prompt it sent before the planner) for demo shopper messages."""
    from retail.assistant.local import load_local, run_turn
    from retail.assistant.service import Assistant

    rows = [json.loads(line) for line in DEMO_INTENTS.read_text().splitlines()]
    messages = ([r["text"] for r in rows if r["intent"] == "product_search"][:n_per_intent]
                + [r["text"] for r in rows if r["intent"] == "policy_question"][:n_per_intent])
    backends, intents, policies = load_local()
    recorder = _Recorder(backends)
    assistant = Assistant(recorder, intents, policies)
    assistant.breaker.failure_threshold = 10**9
    pairs = []
    for text in messages:
        before = len(recorder.prompts)
        _, result = await run_turn(assistant, [{"role": "user", "content": text}])
        if len(recorder.prompts) == before:
            continue  # answered without the LLM (unsure, out of scope)
        now = recorder.prompts[-1]
        products = [p for p in await backends.details([c["product_id"] for c in result.products]) if p]
        if products:
            context = [product_line(p, [f"{k}: {v}" for k, v in list((p.get("attributes") or {}).items())
                                        if k not in ("type", "model")][:2]) for p in products]
            task = LEGACY_PRODUCT_TASK
        else:
            by_id = {p["policy_id"]: p for p in policies.policies}
            context = [policy_line(by_id[p["policy_id"]]) for p in result.policies]
            task = now[-1]["content"].rsplit("Task: ", 1)[-1]
        pairs.append((now, build_messages(context, [{"role": "user", "content": text}], task)))
    return pairs


async def run_streams(engine, prompts: list[list[dict]], streams: int, per_stream: int, max_tokens: int) -> dict:
    ttfts, tokens, prompt_tokens = [], 0, []

    async def stream(s: int):
        nonlocal tokens
        for r in range(per_stream):
            messages = prompts[(s * per_stream + r) % len(prompts)]
            sent, first = time.perf_counter(), None
            async for chunk in engine.stream(messages, GenerationParams(max_tokens=max_tokens)):
                if first is None:
                    first = time.perf_counter() - sent
                if chunk.finish_reason:
                    tokens += chunk.completion_tokens
                    prompt_tokens.append(chunk.prompt_tokens)
            ttfts.append(first)

    started = time.perf_counter()
    await asyncio.gather(*(stream(s) for s in range(streams)))
    wall = time.perf_counter() - started
    ms = np.asarray(ttfts) * 1000
    return {"requests": len(ttfts), "prompt_tokens": float(np.mean(prompt_tokens)), "tokens": tokens,
            "tokens_per_s": tokens / wall, "ttft_p50_ms": float(np.percentile(ms, 50)),
            "ttft_p95_ms": float(np.percentile(ms, 95)), "ttft_max_ms": float(ms.max()), "wall_s": wall}


async def main_async(args) -> list[dict]:
    pairs = await assistant_prompts()
    variants = [("before", [b for _, b in pairs], 64), ("after", [a for a, _ in pairs], 16)]
    rows = []
    for name, prompts, page_size in variants:
        for streams in args.streams:
            # A fresh engine per run: a prompt's KV pages stay cached after it finishes, and a later run over
            # the same prompts would measure the cache, not the prefill. Only the shared system prefix may be
            # warm (the warm-up's own prompt has the same rules), as on a serving replica.
            engine = load_engine(EngineConfig(model=args.model, device=args.device, cpu_threads=args.cpu_threads,
                                              max_batch_size=args.max_batch_size, max_queue=max(args.streams),
                                              random_weights=args.random_weights, page_size=page_size,
                                              warm_up_system=SYSTEM_RULES))
            await engine.start()
            per_stream = max(1, args.turns // streams)
            result = await run_streams(engine, prompts, streams, per_stream, args.max_tokens)
            engine.stop()
            rows.append({"prompts": name, "page": page_size, "streams": streams, **result})
            print(json.dumps(rows[-1]), flush=True)
    return rows


def main(argv: list[str] | None = None) -> list[dict]:
    from training.evaluate_chat import cpu_flags

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="smollm2-135m")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--cpu-threads", type=int, default=None)
    parser.add_argument("--random-weights", action="store_true")
    parser.add_argument("--streams", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--turns", type=int, default=16, help="turns per streams setting (at least one per stream)")
    parser.add_argument("--max-tokens", type=int, default=48)
    parser.add_argument("--max-batch-size", type=int, default=16, help="as served (ray_config.yaml: llm.max_batch_size)")
    args = parser.parse_args(argv)
    rows = asyncio.run(main_async(args))
    weights = "RANDOM weights (speed only)" if args.random_weights else "real weights"
    title = (f"chat LLM {args.model} on {args.device} ({cpu_flags()}), {weights}, the assistant's real prompts, "
             f"{args.max_tokens} new tokens max, greedy; before = pre-planner prompts on 64-token pages")
    print_table(title, sorted(rows, key=lambda r: (r["streams"], r["prompts"] != "before")),
                ["streams", "prompts", "page", "requests", "prompt_tokens", "ttft_p50_ms", "ttft_p95_ms", "ttft_max_ms",
                 "tokens_per_s"])
    out = REPO_ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"chat-batching-{args.model}-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(rows, indent=1))
    return rows


if __name__ == "__main__":
    main()
