"""Evaluate the assistant on the hand-written dialogue set, for each chat model and a no-LLM baseline.

    python -m training.evaluate_chat [--models smollm2-135m qwen2.5-0.5b] [--concurrency 8]

Runs every dialogue through the same ``Assistant`` the Serve app runs, with
in-process backends (hybrid retrieval + LTR; the cross-encoder is left out
to keep the run short on a CPU) and each model's continuous-batching engine.
The baseline row answers every turn with the grounded fallback alone (no
LLM), so the table shows what the LLM adds. The time-to-first-token budget
is lifted here (quality, not speed: ``bench/chat_load.py`` measures speed),
so a slow model is judged on what it writes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

from retail.assistant.evaluation import load_dialogues, score, summarise
from retail.assistant.intent import read_utterances
from retail.assistant.local import load_local, run_turn
from retail.assistant.service import Assistant, AssistantConfig
from retail.llm_engine import EngineConfig, load_engine
from retail.paths import DEMO_CATALOG, DIALOGUES, HELDOUT_INTENTS


async def run_dialogues(assistant: Assistant, dialogues: list[dict], catalog: dict, concurrency: int) -> list:
    gate = asyncio.Semaphore(concurrency)

    async def one(dialogue: dict):
        async with gate:
            answer, result = await run_turn(assistant, dialogue["messages"], dialogue.get("context_product_id"))
            return score(dialogue, answer, result, catalog)

    return await asyncio.gather(*(one(d) for d in dialogues))


async def evaluate_models(models: list[str], concurrency: int, limit: int | None) -> dict:
    dialogues = load_dialogues(DIALOGUES)[:limit]
    catalog = {p["product_id"]: p for p in map(json.loads, DEMO_CATALOG.read_text().splitlines())}
    backends, intents, policies = load_local()
    held_texts, held_labels = read_utterances(HELDOUT_INTENTS)
    heldout = intents.accuracy(backends.embedder.encode(held_texts), held_labels)
    config = AssistantConfig(ttft_timeout_s=120, total_timeout_s=120)
    rows = {}
    for name in ["none"] + models:
        engine = None
        if name != "none":
            engine = load_engine(EngineConfig(model=name, max_batch_size=concurrency))
            await engine.start()
        backends.engine = engine
        started = time.perf_counter()
        assistant = Assistant(backends, intents, policies, config=config, llm_name=name)
        if engine is None:
            assistant.breaker.failure_threshold = 10**9  # the baseline: always the grounded answer
        scored = await run_dialogues(assistant, dialogues, catalog, concurrency)
        rows[name] = summarise(scored) | {"seconds": time.perf_counter() - started,
                                          "unresolved": [(s.dialogue_id, s.failed) for s in scored if not s.resolved]}
        if engine is not None:
            engine.stop()
    return {"heldout_intent": heldout, "rows": rows}


def print_report(report: dict) -> None:
    heldout = report["heldout_intent"]
    print(f"\nAssistant on {next(iter(report['rows'].values()))['dialogues']} hand-written dialogues "
          f"(data/dialogues); intent head on {heldout['n']} held-out utterances: {heldout['accuracy']:.3f}")
    print(f"{'model':<28}{'resolution':>11}{'grounded':>10}{'intent':>8}{'fallback':>10}{'seconds':>9}")
    for name, row in report["rows"].items():
        label = "grounded fallback (no LLM)" if name == "none" else name
        print(f"{label:<28}{row['resolution']:>11.3f}{row['groundedness']:>10.3f}{row['intent_accuracy']:>8.3f}"
              f"{row['fallback_rate']:>10.3f}{row['seconds']:>9.0f}")
    categories = sorted({c for row in report["rows"].values() for c in row["by_category"]})
    print("resolution by category: " + "  ".join(f"{c}" for c in categories))
    for name, row in report["rows"].items():
        print(f"  {name:<26}" + "  ".join(f"{row['by_category'][c]:.2f}" for c in categories))


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["smollm2-135m", "qwen2.5-0.5b"])
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--limit", type=int, default=None, help="first N dialogues only")
    parser.add_argument("--show-failures", action="store_true")
    args = parser.parse_args(argv)
    report = asyncio.run(evaluate_models(args.models, args.concurrency, args.limit))
    print_report(report)
    if args.show_failures:
        for name, row in report["rows"].items():
            print(name, row["unresolved"])
    return report


if __name__ == "__main__":
    main()
