"""Continuous batching vs one request at a time: aggregate tokens/s and time to first token.

    python -m bench.chat_batching [--model smollm2-135m] [--streams 1 4 16 32] [--max-tokens 48]
    python -m bench.chat_batching --model qwen2.5-0.5b --device cuda --random-weights --streams 1 32 128

For each number of concurrent streams, every stream sends the same typical
assistant turns (a real prompt: rules, four catalog products as context, the
question) one after another, first to the continuous-batching engine, then to
the sequential engine (``model.generate``, one request at a time: the
baseline), in the same run. Greedy decoding, so both engines generate the
same tokens. ``--random-weights`` builds the architecture with random
weights (GPU speed tests where the weights cannot travel); the output says so.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import time

import numpy as np

from bench.reporting import print_table
from retail.assistant.grounding import build_messages, product_line
from retail.llm_engine import EngineConfig, GenerationParams, load_engine
from retail.paths import DEMO_CATALOG, REPO_ROOT

QUESTIONS = [
    "I need comfortable running shoes for a half marathon, what do you suggest?",
    "What would you recommend for hiking in the rain?",
    "Looking for a gift for a coffee lover under $50.",
    "Which of these is best for a small apartment?",
]


def typical_turns() -> list[list[dict]]:
    """Prompts shaped like the assistant's: four products of the demo catalog as context, one question."""
    products = [json.loads(line) for line in DEMO_CATALOG.read_text().splitlines()[:400]]
    turns = []
    for i, question in enumerate(QUESTIONS):
        context = [product_line(p, [f"{k}: {v}" for k, v in list(p.get("attributes", {}).items())[:2]])
                   for p in products[i * 4:(i + 1) * 4]]
        task = "Recommend the products in CONTEXT that fit the shopper's request, citing each as [id], in 2 short sentences."
        turns.append(build_messages(context, [{"role": "user", "content": question}], task))
    return turns


async def run_streams(engine, turns: list[list[dict]], streams: int, per_stream: int, max_tokens: int) -> dict:
    ttfts, tokens = [], 0

    async def stream(s: int):
        nonlocal tokens
        for r in range(per_stream):
            messages = turns[(s + r) % len(turns)]
            sent, first = time.perf_counter(), None
            async for chunk in engine.stream(messages, GenerationParams(max_tokens=max_tokens)):
                if first is None:
                    first = time.perf_counter() - sent
                if chunk.finish_reason:
                    tokens += chunk.completion_tokens
            ttfts.append(first)

    started = time.perf_counter()
    await asyncio.gather(*(stream(s) for s in range(streams)))
    wall = time.perf_counter() - started
    ms = np.asarray(ttfts) * 1000
    return {"requests": len(ttfts), "tokens": tokens, "tokens_per_s": tokens / wall,
            "ttft_p50_ms": float(np.percentile(ms, 50)), "ttft_p99_ms": float(np.percentile(ms, 99)), "wall_s": wall}


async def main_async(args) -> list[dict]:
    turns = typical_turns()
    rows = []
    engines = {}
    for kind in ("continuous", "sequential"):
        engine = load_engine(EngineConfig(model=args.model, kind=kind, device=args.device, cpu_threads=args.cpu_threads,
                                          max_batch_size=max(args.streams), max_queue=max(args.streams),
                                          random_weights=args.random_weights))
        await engine.start()
        engines[kind] = engine
        for streams in args.streams:
            result = await run_streams(engine, turns, streams, args.per_stream, args.max_tokens)
            rows.append({"streams": streams, "engine": kind, **result})
            print(json.dumps(rows[-1]), flush=True)
        if hasattr(engine, "stop"):
            engine.stop()
    baseline = {r["streams"]: r["tokens_per_s"] for r in rows if r["engine"] == "sequential"}
    for row in rows:
        row["speedup"] = row["tokens_per_s"] / baseline[row["streams"]]
    return rows


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="smollm2-135m")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--cpu-threads", type=int, default=None)
    parser.add_argument("--random-weights", action="store_true")
    parser.add_argument("--streams", type=int, nargs="+", default=[1, 4, 16, 32])
    parser.add_argument("--per-stream", type=int, default=1, help="turns each stream sends, one after another")
    parser.add_argument("--max-tokens", type=int, default=48)
    args = parser.parse_args(argv)
    rows = asyncio.run(main_async(args))
    weights = "RANDOM weights (speed only)" if args.random_weights else "real weights"
    title = (f"chat LLM {args.model} on {args.device} ({platform.processor() or platform.machine()}), {weights}, "
             f"{args.max_tokens} new tokens max per turn, greedy; baseline = sequential engine")
    print_table(title, sorted(rows, key=lambda r: (r["streams"], r["engine"])),
                ["streams", "engine", "requests", "tokens", "tokens_per_s", "speedup", "ttft_p50_ms", "ttft_p99_ms"])
    out = REPO_ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"chat-batching-{args.model}-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(rows, indent=1))
    return rows


if __name__ == "__main__":
    main()
