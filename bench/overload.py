"""Overload: what POST /v1/search does from below capacity to 10x past it, per app config.

    python -m bench.overload                                   # budget ON (ray_config.yaml) vs OFF
    python -m bench.overload --rates 2 4 8 --duration 20 --poisson
    python -m bench.overload --compare ingress.stage_timeout_s=9 [KEY=VALUE ...]
    python -m bench.overload --compare                         # the file as is, nothing to compare

For the issue "overload turns into 10-30 s waits": past capacity a healthy
service refuses fast (503/429 with Retry-After) or degrades, and keeps the
answers it does give near the SLO. Capacity is measured first with a short
closed-loop probe (answered/s at --probe-concurrency clients); the sweep offers
0.5x..10x of it, open loop (bench.loadgen: latency from the scheduled send, so
queueing is not hidden), to each config in turn: the file as is, then a temp
copy with the --compare overrides set in the app's args, each deployed with
cluster.local.deploy. The same rates go to every config so the tables line up.
The file is deployed again at the end. Results: bench/results/overload-<time>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
import yaml

from bench import loadgen
from bench.reporting import print_table
from cluster import local, up
from retail.catalog import load_queries
from retail.paths import REPO_ROOT

PATH = "/v1/search"
REFUSED = (503, 429)
MULTIPLES = (0.5, 1, 2, 5, 10)
RESULTS = Path(__file__).parent / "results"


def with_overrides(config: dict, overrides: list[str], app: int = 0) -> dict:
    """A copy of a Serve config with dotted KEY=VALUE set in one app's args (VALUE parsed as YAML).

    Parents must exist, the last key may be new (a setting left at its default),
    so a typo fails here rather than as a silently ignored key."""
    config = copy.deepcopy(config)
    for override in overrides:
        key, _, value = override.partition("=")
        *parents, leaf = key.split(".")
        node = config["applications"][app]["args"]
        for part in parents:
            if not isinstance(node.get(part), dict):
                raise SystemExit(f"--compare {override}: args has no section {part!r}")
            node = node[part]
        node[leaf] = yaml.safe_load(value)
    return config


def deploy_with(config_path: Path, overrides: list[str]) -> dict:
    """Deploy the file itself, or a temp copy of it with `overrides` set; returns the config now running."""
    config = with_overrides(yaml.safe_load(config_path.read_text()), overrides)
    if not overrides:
        local.deploy(config_path)
        return config
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", prefix="overload-") as tmp:
        yaml.safe_dump(config, tmp, sort_keys=False)
        tmp.flush()
        local.deploy(Path(tmp.name))
    return config


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values) * 1000, q)) if values else float("nan")


def summarize_step(rate: float, outcomes: list[loadgen.Outcome], wall_s: float) -> dict:
    """One table row. Shares (refused, degraded) are of all requests sent; retry_after is of the refused;
    latencies (answered and time-to-refuse) count from the scheduled send."""
    answered = [o for o in outcomes if o.status == 200]
    refused = [o for o in outcomes if o.status in REFUSED]
    others = Counter(o.status for o in outcomes if o.status is not None and o.status != 200 and o.status not in REFUSED)
    n = len(outcomes)
    return {
        "offered_per_s": rate,
        "sent": n,
        "answered_per_s": len(answered) / wall_s,
        "p50_ms": percentile([o.latency_s for o in answered], 50),
        "p99_ms": percentile([o.latency_s for o in answered], 99),
        "refused": len(refused) / n,
        "retry_after": sum(o.retry_after is not None for o in refused) / len(refused) if refused else float("nan"),
        "degraded": sum(bool(o.body.get("degraded")) for o in answered) / n,
        "refuse_p50_ms": percentile([o.latency_s for o in refused], 50),
        "refuse_p99_ms": percentile([o.latency_s for o in refused], 99),
        "other_errors": " ".join(f"{code}:{count}" for code, count in sorted(others.items())),
        "errors_by_status": dict(others),
        "client_timeouts": sum(o.error == "timeout" for o in outcomes),
        "conn_errors": sum(o.error not in (None, "timeout") for o in outcomes),
        "late_10ms": sum(o.late_s > loadgen.LATE_S for o in outcomes),
        "max_late_ms": max((o.late_s for o in outcomes), default=0.0) * 1000,
    }


async def probe_capacity(url: str, body, concurrency: int, duration_s: float) -> float:
    """Answered/s with `concurrency` clients back to back: what the app sustains without a queue."""
    async with loadgen.client(url, timeout_s=60) as http:
        await loadgen.closed_loop(http, PATH, body, concurrency, 2)  # warm replicas and connections
        answered, failed, wall = await loadgen.closed_loop(http, PATH, body, concurrency, duration_s)
    print(f"capacity probe: {answered} answered, {failed} not, in {wall:.1f}s at {concurrency} concurrent "
          f"= {answered / wall:.2f}/s")
    return answered / wall


async def sweep(url: str, body, rates: list[float], args) -> list[dict]:
    rows = []
    async with loadgen.client(url, timeout_s=args.timeout) as http:
        await loadgen.closed_loop(http, PATH, body, 2, 3)  # a fresh deploy's first requests are slow
        for rate in rates:
            offsets = loadgen.schedule(rate, args.duration, args.poisson, args.seed)
            outcomes, wall = await loadgen.open_loop(http, PATH, body, offsets, args.timeout)
            # Answered/s over the offered window, or longer when answers trail past it (a queue).
            rows.append(row := summarize_step(rate, outcomes, max(wall, args.duration)))
            print(f"  {rate:g}/s: {row['answered_per_s']:.2f} answered/s, P99 {row['p99_ms']:.0f} ms, "
                  f"refused {row['refused']:.0%}, other {row['other_errors'] or 0}, "
                  f"client timeouts {row['client_timeouts']}, late {row['late_10ms']}", flush=True)
            await asyncio.sleep(args.pause)  # let queues the step left behind drain before the next one
    return rows


def verdict(label: str, row: dict, slo_ms: float, multiple: str) -> str:
    """One line per config at the highest rate: the issue's acceptance bars, each marked ok or FAIL."""
    def vs(ms: float, bar: float) -> str:
        return "none" if np.isnan(ms) else f"{ms:.0f} ms vs {bar:.0f} ms [{'ok' if ms <= bar else 'FAIL'}]"

    return (f"{label} at {row['offered_per_s']:g}/s{f' ({multiple} capacity)' if multiple else ''}: "
            f"P99 answered {vs(row['p99_ms'], 2 * slo_ms)} (2x SLO); refused {row['refused']:.0%}; "
            f"P99 time-to-refuse {vs(row['refuse_p99_ms'], 100)}; "
            f"408s {row['errors_by_status'].get(408, 0)}; client timeouts {row['client_timeouts']}")


COLUMNS = ["offered_per_s", "sent", "answered_per_s", "p50_ms", "p99_ms", "refused", "retry_after", "degraded",
           "refuse_p50_ms", "refuse_p99_ms", "other_errors", "client_timeouts", "conn_errors", "late_10ms"]


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=REPO_ROOT / "ray_config.yaml")
    parser.add_argument("--compare", nargs="*", default=["ingress.enforce_budget=false"], metavar="KEY=VALUE",
                        help="args overrides (dotted, under the app's args) for the second config; "
                             "none: only the file")
    parser.add_argument("--rates", type=float, nargs="+",
                        help="offered req/s; default: multiples of the probed capacity")
    parser.add_argument("--duration", type=float, default=20, help="seconds per rate")
    parser.add_argument("--poisson", action="store_true", help="Poisson arrivals instead of evenly spaced")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=35, help="client timeout from the scheduled send, s")
    parser.add_argument("--pause", type=float, default=5, help="seconds between rates")
    parser.add_argument("--probe-concurrency", type=int, default=4)
    parser.add_argument("--probe-duration", type=float, default=10)
    args = parser.parse_args(argv)

    with_overrides(yaml.safe_load(args.config.read_text()), args.compare)  # a typo fails before any deploy
    variants = [(f"{args.config.name} as is", [])] + ([(" ".join(args.compare), args.compare)] if args.compare else [])
    url = up.serve_address(args.config)
    if not local.is_running():
        up.main(["--config", str(args.config)])
    queries = [q["query"] for q in load_queries(split="test")]

    def body(i: int) -> dict:
        return {"query": queries[i % len(queries)], "top_k": 10}

    results = {"args": vars(args), "configs": []}
    rates = sorted(args.rates) if args.rates else None
    multiples = [""] * len(rates or [])
    try:
        for label, overrides in variants:
            print(f"\n# config: {label}", flush=True)
            config = deploy_with(args.config, overrides)
            up.wait_healthy(url, timeout_s=300)
            if rates is None:
                capacity = asyncio.run(probe_capacity(url, body, args.probe_concurrency, args.probe_duration))
                if capacity <= 0:
                    raise SystemExit("the capacity probe got no answers: is the app healthy?")
                results["capacity_per_s"] = capacity
                rates, multiples = [round(m * capacity, 2) for m in MULTIPLES], [f"{m:g}x" for m in MULTIPLES]
            rows = asyncio.run(sweep(url, body, rates, args))
            slo_ms = float(config["applications"][0]["args"].get("ingress", {}).get("search_slo_ms", 500))
            results["configs"].append({"label": label, "slo_ms": slo_ms, "rows": rows})
    finally:
        if args.compare:
            print(f"\nrestoring {args.config}", flush=True)
            local.deploy(args.config)

    for result in results["configs"]:
        print_table(f"Overload, open loop{' (Poisson)' if args.poisson else ''}, {args.duration:g}s per rate: "
                    f"config {result['label']}", result["rows"], COLUMNS)
    print()
    for result in results["configs"]:
        print(verdict(result["label"], result["rows"][-1], result["slo_ms"], multiples[-1]))
    late = sum(r["late_10ms"] for c in results["configs"] for r in c["rows"])
    sent = sum(r["sent"] for c in results["configs"] for r in c["rows"])
    worst = max(r["max_late_ms"] for c in results["configs"] for r in c["rows"])
    print(f"generator: {late} of {sent} requests sent >10 ms late vs their schedule (worst {worst:.0f} ms)")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"overload-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(results, indent=2, default=str))
    print(f"results: {out}")
    return results


if __name__ == "__main__":
    main()
