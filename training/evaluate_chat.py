"""Evaluate the assistant on the hand-written dialogue sets, for each chat model and a no-LLM baseline.

    python -m training.evaluate_chat [--models smollm2-135m] [--concurrency 1 4] [--sets v2 v1]

Runs every dialogue through the same ``Assistant`` the Serve app runs, with
in-process backends (hybrid retrieval + LTR; the cross-encoder is left out
to keep the run short on a CPU) and each model's continuous-batching engine,
under the served time-to-first-token limit (``ray_config.yaml``: chat.ttft_timeout_s),
``--concurrency`` chats at a time: what a shopper on this host would get. The
baseline row answers every turn with the grounded fallback alone (no LLM), so
the table shows what the LLM adds. Columns: resolution, groundedness (product
ids named that were in the turn's context), the share of answers the LLM wrote
among the turns that wanted it, the LLM's TTFT P50/P95, and the share of
constraint-bearing dialogues where every product shown met the shopper's hard
constraints. The host's CPU flags head the report: model costs differ
several-fold between AVX2 and AVX-512 hosts.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import time
from pathlib import Path

from retail.assistant.evaluation import load_dialogues, score, summarise
from retail.assistant.grounding import SYSTEM_RULES
from retail.assistant.intent import read_utterances
from retail.assistant.local import EngineProcess, load_local, run_turn
from retail.assistant.service import Assistant, AssistantConfig
from retail.llm_engine import EngineConfig
from retail.paths import DEMO_CATALOG, DIALOGUES, DIALOGUES_DEV, DIALOGUES_V2, HELDOUT_INTENTS
from retail.paths import REPO_ROOT
from retail.settings import AppSettings

SETS = {"v2": DIALOGUES_V2, "v1": DIALOGUES, "dev": DIALOGUES_DEV}


def served_settings() -> AppSettings:
    """The settings the app serves with (ray_config.yaml): the same limits and model here."""
    import yaml

    args = yaml.safe_load((REPO_ROOT / "ray_config.yaml").read_text())["applications"][0].get("args") or {}
    return AppSettings.model_validate(args)


def cpu_flags() -> str:
    """The vector extensions that set model costs on this host (from /proc/cpuinfo)."""
    try:
        flags = next(line for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("flags")).split()
    except (OSError, StopIteration):
        return platform.processor() or platform.machine()
    wanted = [f for f in ("avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_tile") if f in flags]
    return f"{platform.machine()}, {len(__import__('os').sched_getaffinity(0))} cores, " + (" ".join(wanted) or "no avx2")


async def run_dialogues(assistant: Assistant, dialogues: list[dict], catalog: dict, concurrency: int) -> list:
    gate = asyncio.Semaphore(concurrency)

    async def one(dialogue: dict):
        async with gate:
            answer, result = await run_turn(assistant, dialogue["messages"], dialogue.get("context_product_id"))
            return score(dialogue, answer, result, catalog)

    return await asyncio.gather(*(one(d) for d in dialogues))


async def evaluate_models(models: list[str], concurrencies: list[int], sets: list[str], limit: int | None) -> dict:
    catalog = {p["product_id"]: p for p in map(json.loads, DEMO_CATALOG.read_text().splitlines())}
    backends, intents, policies = load_local()
    held_texts, held_labels = read_utterances(HELDOUT_INTENTS)
    heldout = intents.accuracy(backends.embedder.encode(held_texts), held_labels)
    served = served_settings()
    chat = served.chat
    config = AssistantConfig(ttft_timeout_s=chat.ttft_timeout_s, total_timeout_s=chat.total_timeout_s,
                             max_tokens=chat.max_tokens)
    report = {"heldout_intent": heldout, "host": cpu_flags(), "ttft_limit_s": config.ttft_timeout_s, "sets": {}}
    runs = [("none", 1)] + [(m, c) for m in models for c in concurrencies]
    engines = {}
    for name in models:
        # In a process of its own, as the LLM deployment runs it (deployments/llm.py), with its settings.
        engines[name] = EngineProcess(EngineConfig(
            model=name, max_batch_size=max(served.llm.max_batch_size, max(concurrencies)), max_queue=served.llm.max_queue,
            cpu_threads=served.llm.cpu_threads, warm_up_system=SYSTEM_RULES))
        await engines[name].start()
    for set_name in sets:
        dialogues = load_dialogues(SETS[set_name])[:limit]
        rows = {}
        for name, concurrency in runs:
            backends.engine = engines.get(name)
            started = time.perf_counter()
            assistant = Assistant(backends, intents, policies, config=config, llm_name=name)
            if name == "none":
                assistant.breaker.failure_threshold = 10**9  # the baseline: always the grounded answer
            scored = await run_dialogues(assistant, dialogues, catalog, concurrency)
            rows[f"{name} x{concurrency}"] = summarise(scored) | {
                "model": name, "concurrency": concurrency, "seconds": time.perf_counter() - started,
                "unresolved": [(s.dialogue_id, s.failed) for s in scored if not s.resolved]}
        report["sets"][set_name] = rows
    for engine in engines.values():
        engine.stop()
    return report


def print_report(report: dict) -> None:
    heldout = report["heldout_intent"]
    print(f"\nhost: {report['host']}; LLM first-token limit {report['ttft_limit_s']:g}s (as served); "
          f"intent head on {heldout['n']} held-out utterances: {heldout['accuracy']:.3f}")
    for set_name, rows in report["sets"].items():
        first = next(iter(rows.values()))
        print(f"\nAssistant on {first['dialogues']} hand-written dialogues ({SETS[set_name].parent.name})")
        print(f"{'model x concurrent chats':<30}{'resolved':>9}{'grounded':>9}{'intent':>8}{'LLM wrote':>10}"
              f"{'TTFT p50':>9}{'p95 ms':>8}{'constraints kept':>17}{'seconds':>8}")
        for label, row in rows.items():
            name = "grounded fallback (no LLM)" if row["model"] == "none" else label
            ttft = (f"{row['ttft_p50_ms']:>9.0f}{row['ttft_p95_ms']:>8.0f}" if row["ttft_p50_ms"] is not None
                    else f"{'-':>9}{'-':>8}")
            llm = f"{row['llm_written']:>10.2f}" if row["model"] != "none" else f"{'-':>10}"
            print(f"{name:<30}{row['resolution']:>9.3f}{row['groundedness']:>9.3f}{row['intent_accuracy']:>8.3f}{llm}"
                  f"{ttft}{row['constraints_kept']:>17.3f}{row['seconds']:>8.0f}")
        categories = sorted({c for row in rows.values() for c in row["by_category"]})
        print("resolution by category:  " + "  ".join(categories))
        for label, row in rows.items():
            print(f"  {label:<28}" + "  ".join(f"{row['by_category'][c]:>{len(c)}.2f}" for c in categories))


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=None, help="default: the served model (ray_config.yaml)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4], help="chats at a time, one run each")
    parser.add_argument("--sets", nargs="+", choices=sorted(SETS), default=["v2", "v1"])
    parser.add_argument("--limit", type=int, default=None, help="first N dialogues of each set only")
    parser.add_argument("--show-failures", action="store_true")
    args = parser.parse_args(argv)
    models = args.models or [served_settings().llm.model_name]
    report = asyncio.run(evaluate_models(models, args.concurrency, args.sets, args.limit))
    print_report(report)
    if args.show_failures:
        for set_name, rows in report["sets"].items():
            for label, row in rows.items():
                print(set_name, label, row["unresolved"])
    return report


if __name__ == "__main__":
    main()
