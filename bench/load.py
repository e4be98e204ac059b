"""Open-loop HTTP load on a running app: one endpoint or a weighted mix, one rate or a sweep, one app or two.

    python -m bench.load --target search --rate 10 --duration 30
    python -m bench.load --mix search=6,recommend=2,events=1,chat=1 --sweep 2,4,8,16 --slo-ms 500 --out load.json
    python -m bench.load --target chat --sweep 0.5:2:4 --slo-ms chat=20000        # START:FACTOR:STEPS
    python -m bench.load --mix search=3,recommend=1 --sweep 2,4,8 --slo-ms search=500,recommend=300
    python -m bench.load --compare http://127.0.0.1:8000 http://127.0.0.1:8001 --sweep 2,4,8
    python -m bench.load --self-test                                              # the generator's own ceiling

Arrivals are evenly spaced at the rate, or Poisson (--poisson). Each latency
counts from the request's scheduled send, not from when it actually left, so
a stalled server cannot hide its queue (bench.loadgen: open loop, no
coordinated omission); every row also gives the share of requests the
generator itself sent more than 10 ms late (high: the client, not the app,
was the bottleneck; try --workers). Outcomes are counted apart: ok (2xx),
refused (503/429), errors (other non-2xx, connection errors, broken streams)
and timeouts (no answer --timeout seconds after the scheduled send).
Percentiles are of the ok answers only. Chat is streamed (server-sent
events): its latency is the whole stream, and TTFT (first content token) is
reported beside it.

Requests are drawn from the demo data (data/demo): searches are queries of the
test split, half of them for a demo shopper (S00042...; their affinities
re-order the page); recommendations are bench.recommend_load's mix (demo and
new shoppers, no / text / product context); events are batches of
--events-batch view/click/add_to_cart events on catalog products, each batch a
fresh ``bench-<run>-...`` shopper with unique event ids (the demo shoppers stay
as shipped); chat turns are the demo intents' texts, a third of them about a
catalog product, max --chat-max-tokens tokens.

A sweep runs its rates in order (stopping after the first that fails, unless
--keep-going) and names the highest whose P99 stays under --slo-ms with
refused and failed shares under --max-refused / --max-failed. --compare sends
the same schedule (same send times, same body shapes, ids apart) to two apps,
A then B at each rate, and prints B/A of throughput and of P99. --self-test
drives a no-op HTTP server that this module starts in a subprocess on
127.0.0.1 at increasing rates and prints the highest rate the generator
sustains with its own overhead. --out writes JSON and a latency-vs-load PNG
beside it (--plot to name it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import random
import secrets
import shlex
import sys
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Callable

from bench import loadgen
from bench.loadgen import Call
from bench.recommend_load import catalog_products, demo_shoppers, event_batches, recommend_mix
from bench.reporting import account, percentiles, plot_latency_vs_load, print_table
from retail.catalog import load_queries
from retail.paths import DEMO_INTENTS

LATE_WARN_SHARE = 0.01  # more requests than this sent >10 ms late: the row measures the generator too
SUSTAINED_SHARE = 0.95  # self-test: answered/s at least this share of offered


# -- what requests are drawn from -----------------------------------------------------------------
class DemoData:
    """The demo data the request bodies are drawn from; each part is read on first use."""

    @cached_property
    def search_queries(self) -> list[str]:
        return [q["query"] for q in load_queries(split="test")]

    @cached_property
    def texts(self) -> list[str]:
        return [q["query"] for q in load_queries()]

    @cached_property
    def shoppers(self) -> list[str]:
        return demo_shoppers()

    @cached_property
    def products(self) -> list[str]:
        return catalog_products()

    @cached_property
    def chat_messages(self) -> list[str]:
        return [json.loads(line)["text"] for line in DEMO_INTENTS.read_text().splitlines() if line.strip()]


DEMO = DemoData()  # read lazily, once per process


def search_bodies(n: int, data: DemoData, tag: str, seed: int, options) -> list[dict]:
    rng, bodies = random.Random(seed), []
    for _ in range(n):
        body = {"query": rng.choice(data.search_queries), "top_k": 10}
        if rng.random() < 0.5:
            body["user_id"] = rng.choice(data.shoppers)
        bodies.append(body)
    return bodies


def recommend_bodies(n: int, data: DemoData, tag: str, seed: int, options) -> list[dict]:
    return [body for _, body in recommend_mix(n, data.shoppers, data.products, data.texts, tag, seed)]


def event_bodies(n: int, data: DemoData, tag: str, seed: int, options) -> list[dict]:
    return event_batches(n, options.events_batch, data.products, tag, "ev", seed)


def chat_bodies(n: int, data: DemoData, tag: str, seed: int, options) -> list[dict]:
    rng, bodies = random.Random(seed), []
    for i in range(n):
        body = {"messages": [{"role": "user", "content": rng.choice(data.chat_messages)}], "stream": True,
                "max_tokens": options.chat_max_tokens, "user": f"bench-{tag}-chat-{i}"}
        if rng.random() < 1 / 3:
            body["context"] = {"product_id": rng.choice(data.products)}
        bodies.append(body)
    return bodies


@dataclass(frozen=True)
class Target:
    path: str
    bodies: Callable[..., list[dict]]  # (n, data, tag, seed, options) -> n request bodies
    stream: bool = False


TARGETS = {
    "search": Target("/v1/search", search_bodies),
    "recommend": Target("/v1/recommend", recommend_bodies),
    "events": Target("/v1/events", event_bodies),
    "chat": Target("/v1/chat/completions", chat_bodies, stream=True),
}


def build_calls(mix: dict[str, float], n: int, data: DemoData, tag: str, seed: int, options) -> list[Call]:
    """n calls, each target drawn by its weight (seeded: the same seed gives the same sequence)."""
    rng = random.Random(seed)
    names = rng.choices(list(mix), weights=list(mix.values()), k=n)
    per_target = {}
    for k, name in enumerate(mix):
        target = TARGETS[name]
        bodies = target.bodies(names.count(name), data, tag, seed + k, options)
        per_target[name] = iter([Call(target.path, body, name, target.stream) for body in bodies])
    return [next(per_target[name]) for name in names]


# -- flags ------------------------------------------------------------------------------------------
def parse_weights(text: str, known: set[str] | None, what: str) -> dict[str, float]:
    """'search=6,chat=1' (or 'search': weight 1) -> {'search': 6.0, 'chat': 1.0}; names must be known."""
    weights = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, value = part.partition("=")
        name = name.strip()
        if known is not None and name not in known:
            raise argparse.ArgumentTypeError(f"{what}: unknown target {name!r} (known: {', '.join(sorted(known))})")
        try:
            weights[name] = float(value) if value else 1.0
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what}: {part!r} is not NAME=NUMBER") from None
        if not weights[name] > 0:
            raise argparse.ArgumentTypeError(f"{what}: {name} must be > 0")
    if not weights:
        raise argparse.ArgumentTypeError(f"{what}: empty")
    return weights


def parse_mix(text: str) -> dict[str, float]:
    return parse_weights(text, set(TARGETS), "--mix")


def parse_rates(text: str) -> list[float]:
    """'2,4,8,16' or START:FACTOR:STEPS ('2:2:4' = 2,4,8,16)."""
    try:
        if ":" in text:
            start, factor, steps = text.split(":")
            rates = [float(start) * float(factor) ** k for k in range(int(steps))]
        else:
            rates = [float(r) for r in text.split(",") if r.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"rates {text!r}: want 2,4,8 or START:FACTOR:STEPS") from None
    if not rates or any(not r > 0 for r in rates):
        raise argparse.ArgumentTypeError(f"rates {text!r}: need at least one, each > 0")
    return [round(r, 6) for r in rates]


def parse_slo(text: str) -> dict[str, float]:
    """'500': P99 of all requests together; 'search=500,chat=20000': P99 of each named target."""
    try:
        return {"all": float(text)}
    except ValueError:
        return parse_weights(text, set(TARGETS), "--slo-ms")


# -- one rate, a sweep ------------------------------------------------------------------------------
def run_rate(url: str, mix: dict[str, float], rate: float, data: DemoData, tag: str, options) -> dict:
    """One open-loop run at `rate` for options.duration: the whole row, and one per target when mixed."""
    offsets = loadgen.schedule(rate, options.duration, options.poisson, options.seed)
    calls = build_calls(mix, len(offsets), data, tag, options.seed, options)
    outcomes, wall = loadgen.send_parallel(url, calls, offsets, options.timeout, options.workers)
    wall = max(wall, options.duration)  # the offered window, or longer when answers trail past it
    row = {"offered_per_s": rate, "sent_per_s": len(offsets) / options.duration, **account(outcomes, wall)}
    if len(mix) > 1:
        total = sum(mix.values())
        row["targets"] = {name: {"offered_per_s": rate * weight / total,
                                 **account([o for o in outcomes if o.target == name], wall)}
                          for name, weight in mix.items()}
    return row


def judge(row: dict, slo: dict[str, float], max_refused: float, max_failed: float) -> str:
    """'ok', or every bar this row misses: a P99 over its SLO (NaN: nothing answered), too many refused or failed."""
    problems = []
    for name, bar in slo.items():
        part = row["targets"][name] if name != "all" and "targets" in row else row
        if part["sent"] == 0:  # the mix drew none of this target at this rate: nothing to judge
            continue
        if not part["p99_ms"] <= bar:
            p99 = part["p99_ms"]
            problems.append(f"{name} P99 {'none ok' if math.isnan(p99) else f'{p99:.0f}'}>{bar:g}ms")
    if row["refused_share"] > max_refused:
        problems.append(f"refused {row['refused_share']:.1%}")
    if row["failed_share"] > max_failed:
        problems.append(f"failed {row['failed_share']:.1%}")
    return "; ".join(problems) or "ok"


def warm_up(url: str, mix: dict[str, float], data: DemoData, tag: str, options) -> None:
    """options.warmup requests per target, one at a time: connections open, replicas past their first call.
    Stops the run when nothing answers at all (a wrong URL, the app not up)."""
    if options.warmup <= 0:
        return
    calls = [call for name in mix for call in build_calls({name: 1}, options.warmup, data, f"{tag}-warm",
                                                          options.seed + 7, options)]

    async def run() -> list[loadgen.Outcome]:
        async with loadgen.client(url, options.timeout) as http:
            return [(await loadgen.send(http, [call], [0.0], options.timeout))[0][0] for call in calls]

    outcomes = asyncio.run(run())
    kinds = {name: [o.kind for o in outcomes if o.target == name] for name in mix}
    print(f"warm-up {url}: " + ", ".join(f"{name} {k.count('ok')}/{len(k)} ok" for name, k in kinds.items()),
          flush=True)
    if all(o.status is None for o in outcomes):
        raise SystemExit(f"no HTTP answer from {url} ({outcomes[0].error}): is the app running?")


def run_rates(sides: dict[str, str], mix: dict[str, float], rates: list[float], data: DemoData, run_id: str,
              options, slo: dict[str, float]) -> dict[str, list[dict]]:
    """Every rate against every side (A then B at each rate), in order; stops after a rate that every side fails."""
    for side, url in sides.items():
        warm_up(url, mix, data, f"{run_id}-{side}", options)
    rows: dict[str, list[dict]] = {side: [] for side in sides}
    for k, rate in enumerate(rates):
        for side, url in sides.items():
            row = {"label": side, **run_rate(url, mix, rate, data, f"{run_id}-{side}-r{k}", options)}
            row["verdict"] = judge(row, slo, options.max_refused, options.max_failed)
            rows[side].append(row)
            print(f"  {side} {rate:g}/s: {row['ok']}/{row['sent']} ok, P99 {row['p99_ms']:.0f} ms, "
                  f"refused {row['refused']}, errors {row['errors']}, timeouts {row['timeouts']}, "
                  f"late {row['late_share']:.1%} -> {row['verdict']}", flush=True)
            time.sleep(options.pause)  # let the queue a step left drain before the next one
        if k < len(rates) - 1 and not options.keep_going and all(r[-1]["verdict"] != "ok" for r in rows.values()):
            print(f"  stopping the sweep: {rate:g}/s misses the bars (--keep-going runs every rate)")
            break
    return rows


def best_rate(rows: list[dict]) -> float | None:
    return max((r["offered_per_s"] for r in rows if r["verdict"] == "ok"), default=None)


def ratios(rows_a: list[dict], rows_b: list[dict]) -> list[dict]:
    """B/A at each rate both ran: throughput and P99 (>1: B answers more / B's tail is slower)."""
    def ratio(b: float, a: float) -> float:
        return b / a if a and not math.isnan(a) else float("nan")

    return [{"offered_per_s": a["offered_per_s"],
             "A_throughput": a["throughput_per_s"], "B_throughput": b["throughput_per_s"],
             "throughput_B/A": ratio(b["throughput_per_s"], a["throughput_per_s"]),
             "A_p99_ms": a["p99_ms"], "B_p99_ms": b["p99_ms"], "p99_B/A": ratio(b["p99_ms"], a["p99_ms"])}
            for a, b in zip(rows_a, rows_b)]


# -- the generator's own ceiling -------------------------------------------------------------------
def sustained(row: dict, p99_bar_ms: float) -> str:
    """'ok' when the generator kept up: everything answered, >= 95 % of offered/s, P99 from schedule under the bar."""
    problems = []
    if row["ok"] != row["sent"]:
        problems.append(f"{row['sent'] - row['ok']} not ok")
    if row["throughput_per_s"] < SUSTAINED_SHARE * row["offered_per_s"]:
        problems.append(f"{row['throughput_per_s']:.0f}/s answered")
    if not row["p99_ms"] <= p99_bar_ms:
        problems.append(f"P99 {row['p99_ms']:.0f}>{p99_bar_ms:g}ms")
    return "; ".join(problems) or "ok"


async def timer_noise_ms(duration_s: float = 1.0) -> float:
    """P99 of how late a 1 ms asyncio sleep wakes: the floor under any schedule this machine can keep now."""
    overshoots, end = [], time.perf_counter() + duration_s
    while time.perf_counter() < end:
        started = time.perf_counter()
        await asyncio.sleep(0.001)
        overshoots.append((time.perf_counter() - started - 0.001) * 1000)
    return percentiles(overshoots, (99,))["p99_ms"]


def self_test(options) -> dict:
    """The highest rate this generator sustains against a server that does nothing: its own ceiling.

    Rates go up from --self-test-rates until one fails (twice), then two
    geometric midpoints between the last sustained and the first failed narrow it.
    Evenly spaced arrivals, a search-sized body, --workers processes."""
    rates, duration = list(options.self_test_rates), options.self_test_duration
    call = Call("/v1/search", {"query": "waterproof hiking boots for women", "top_k": 10}, "noop")
    rows, noise_ms = [], asyncio.run(timer_noise_ms())
    print(f"  timer noise: a 1 ms asyncio sleep overshoots by {noise_ms:.1f} ms at P99 on this machine now",
          flush=True)
    with loadgen.noop_server() as url:
        def attempt(rate: float) -> dict:
            offsets = loadgen.schedule(rate, duration)
            outcomes, wall = loadgen.send_parallel(url, [call] * len(offsets), offsets, options.timeout,
                                                   options.workers)
            row = {"label": "no-op", "offered_per_s": rate, "sent_per_s": len(offsets) / duration,
                   **account(outcomes, max(wall, duration))}
            row["verdict"] = sustained(row, options.self_test_p99_ms)
            print(f"  self-test {rate:g}/s: {row['throughput_per_s']:.0f}/s answered, P99 {row['p99_ms']:.1f} ms, "
                  f"late {row['late_share']:.1%} -> {row['verdict']}", flush=True)
            return row

        def step(rate: float) -> dict:
            """A rate is sustained when one of two tries meets the bars: a stall of a shared machine can spoil
            one, while a rate past the generator's capacity fails both."""
            row = attempt(rate)
            if row["verdict"] != "ok":
                time.sleep(1)  # let the no-op server's queue drain
                again = attempt(rate)
                row = again if again["verdict"] == "ok" or again["p99_ms"] < row["p99_ms"] else row
                row["tries"] = 2
            rows.append(row)
            return row

        attempt(rates[0] / 2)  # warm: connections, code paths; not counted
        for rate in rates:
            if step(rate)["verdict"] != "ok":
                break
        low, high = best_rate(rows), next((r["offered_per_s"] for r in rows if r["verdict"] != "ok"), None)
        for _ in range(2 if low and high else 0):
            mid = round(math.sqrt(low * high))
            if step(mid)["verdict"] == "ok":
                low = mid
            else:
                high = mid
    rows.sort(key=lambda r: r["offered_per_s"])
    return {"workers": options.workers, "duration_s": duration, "p99_bar_ms": options.self_test_p99_ms,
            "timer_noise_p99_ms": noise_ms,
            "ceiling_per_s": best_rate(rows), "first_failed_per_s": high, "rows": rows}


# -- output -----------------------------------------------------------------------------------------
COLUMNS = ["label", "offered_per_s", "sent", "ok", "refused", "errors", "timeouts", "p50_ms", "p95_ms", "p99_ms",
           "p99.9_ms", "throughput_per_s", "late_share", "verdict"]
TTFT = ["ttft_p50_ms", "ttft_p99_ms"]
NOTE = ("latency from each request's scheduled send (open loop); percentiles over ok (2xx) answers only; "
        "refused = 503/429; errors = other non-2xx, connection errors, broken streams; timeouts = no answer "
        "within --timeout of the scheduled send; late_share = sent >10 ms after schedule")


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.exists() else []
    model = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")),
                 platform.processor())
    return {"nproc": len(os.sched_getaffinity(0)), "cpu_model": model, "python": platform.python_version(),
            "platform": platform.platform(), "loadavg": " ".join(f"{x:.2f}" for x in os.getloadavg())}


def _json_safe(value):
    """NaN and infinities as null, so the file is standard JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return value


def describe(mix: dict[str, float], options) -> str:
    return (f"{' + '.join(f'{n}={w:g}' for n, w in mix.items())}, open loop, "
            f"{'Poisson' if options.poisson else 'evenly spaced'}, {options.duration:g}s per rate, "
            f"timeout {options.timeout:g}s")


def report(results: dict, options, mix: dict[str, float]) -> None:
    if results.get("self_test"):
        st = results["self_test"]
        print_table(f"Generator self-test: no-op server, {st['duration_s']:g}s per rate, {options.workers} worker(s); "
                    f"sustained = all answered, >= {SUSTAINED_SHARE:.0%} of offered/s, P99 <= {st['p99_bar_ms']:g} ms",
                    st["rows"], COLUMNS)
        ceiling, failed = st["ceiling_per_s"], st["first_failed_per_s"]
        print(f"generator ceiling: {f'{ceiling:g} req/s' if ceiling else 'below the lowest rate tried'}"
              f"{f' (failed at {failed:g})' if failed else ''}"
              f" with {options.workers} worker(s) on {results['machine']['nproc']} CPUs; timer noise "
              f"P99 {st['timer_noise_p99_ms']:.1f} ms, load average {results['machine']['loadavg']}")
    runs = results.get("runs") or {}
    if not runs:
        return
    mixed = len(mix) > 1
    columns = COLUMNS + (TTFT if "chat" in mix else [])
    rows = [row for side_rows in runs.values() for row in side_rows]
    print_table(f"{describe(mix, options)}, SLO P99 {options.slo_ms} ms", rows, columns)
    print(f"({NOTE})")
    if mixed:
        per_target = [{"label": f"{row['label']} {name}", "mix_per_s": row["offered_per_s"], **part}
                      for row in rows for name, part in row["targets"].items()]
        print_table("By target (offered_per_s: the target's share of the mix's rate)", per_target,
                    ["label", "mix_per_s", *(c for c in columns[1:] if c != "verdict")])
    for side, side_rows in runs.items():
        best = results["max_rate_within_slo"][side]
        print(f"{side} ({results['urls'][side]}): highest rate within the bars: "
              f"{f'{best:g} req/s' if best else 'none of the rates tried'}")
    if results.get("compare"):
        print_table("B / A at the same schedule (throughput >1: B answers more; P99 >1: B's tail is slower)",
                    results["compare"], list(results["compare"][0]))
    late = [r for r in rows if r["late_share"] > LATE_WARN_SHARE]
    if late:
        rates = ", ".join(f"{r['offered_per_s']:g}/s" for r in late)
        print(f"generator fell behind at {rates} "
              f"(>{LATE_WARN_SHARE:.0%} sent >10 ms late): those rows measure the client too; "
              "try --workers N, and see --self-test")
    ceiling = (results.get("self_test") or {}).get("ceiling_per_s")
    if ceiling and max(r["offered_per_s"] for r in rows) > ceiling:
        print(f"note: rates above the generator's measured ceiling ({ceiling:g} req/s) were offered")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[2:8]))
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the app (ignored with --compare)")
    parser.add_argument("--mix", "--target", type=parse_mix, default=parse_mix("search"),
                        help=f"NAME or NAME=WEIGHT,... of {', '.join(TARGETS)} (default search)")
    parser.add_argument("--rate", type=float, help="offered requests per second (default 10 without --sweep)")
    parser.add_argument("--sweep", type=parse_rates, help="rates in order: 2,4,8,16 or START:FACTOR:STEPS")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per rate")
    parser.add_argument("--poisson", action="store_true", help="Poisson arrivals instead of evenly spaced")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=30.0, help="client gives up, seconds from the scheduled send")
    parser.add_argument("--slo-ms", default="500", help="P99 bar: MS for all requests, or NAME=MS,... per target")
    parser.add_argument("--max-refused", type=float, default=0.01, help="bar: share refused (503/429)")
    parser.add_argument("--max-failed", type=float, default=0.01, help="bar: share of errors + timeouts")
    parser.add_argument("--keep-going", action="store_true", help="run every rate of the sweep")
    parser.add_argument("--pause", type=float, default=3.0, help="seconds between rates")
    parser.add_argument("--warmup", type=int, default=2, help="requests per target, one at a time, before the run")
    parser.add_argument("--events-batch", type=int, default=10, help="events per POST /v1/events")
    parser.add_argument("--chat-max-tokens", type=int, default=48)
    parser.add_argument("--workers", type=int, default=1, help="sender processes, each a share of the schedule")
    parser.add_argument("--compare", nargs=2, metavar=("URL_A", "URL_B"), help="the same schedule against two apps")
    parser.add_argument("--self-test", action="store_true", help="measure the generator's ceiling on a no-op server")
    parser.add_argument("--self-test-rates", type=parse_rates, default=parse_rates("100:2:8"),
                        help="rates to climb until one is not sustained (default 100:2:8 = 100..12800)")
    parser.add_argument("--self-test-duration", type=float, default=5.0, help="seconds per self-test rate")
    parser.add_argument("--self-test-p99-ms", type=float, default=50.0,
                        help="self-test bar: P99 from the scheduled send against the no-op server")
    parser.add_argument("--out", type=Path, help="results JSON; the PNG goes beside it")
    parser.add_argument("--plot", type=Path, help="latency-vs-load PNG (default: --out with .png)")
    args = parser.parse_args(argv)
    try:
        args.slo = parse_slo(args.slo_ms)
    except argparse.ArgumentTypeError as exc:
        parser.error(str(exc))
    if missing := [name for name in args.slo if name != "all" and name not in args.mix]:
        parser.error(f"--slo-ms names {', '.join(missing)}, not in --mix")
    if args.rate is not None and args.sweep is not None:
        parser.error("--rate or --sweep, not both")
    args.rates = args.sweep or ([args.rate] if args.rate else [] if args.self_test else [10.0])
    return args


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    sides = {"A": args.compare[0], "B": args.compare[1]} if args.compare else {"app": args.url}
    results = {"command": shlex.join([Path(sys.executable).name, "-m", "bench.load", *(argv or sys.argv[1:])]),
               "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "machine": machine(), "note": NOTE,
               "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}, "urls": sides}
    if args.self_test:
        print("# generator self-test", flush=True)
        results["self_test"] = self_test(args)
    if args.rates:
        run_id = f"{time.strftime('%Y%m%d%H%M%S')}-{secrets.token_hex(2)}"
        print(f"# load: {', '.join(f'{s} {u}' for s, u in sides.items())}; rates {args.rates}", flush=True)
        runs = run_rates(sides, args.mix, args.rates, DEMO, run_id, args, args.slo)
        results |= {"run_id": run_id, "runs": runs,
                    "max_rate_within_slo": {side: best_rate(rows) for side, rows in runs.items()}}
        if args.compare:
            results["compare"] = ratios(runs["A"], runs["B"])
    report(results, args, args.mix)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(_json_safe(results), indent=2))
        print(f"\nresults: {args.out}")
    plot = args.plot or (args.out.with_suffix(".png") if args.out else None)
    if plot:
        series = results.get("runs") or {"generator on no-op": results["self_test"]["rows"]}
        slo = args.slo.get("all") if results.get("runs") else args.self_test_p99_ms
        title = describe(args.mix, args) if results.get("runs") else "generator self-test against a no-op server"
        plot_latency_vs_load(series, plot, slo, title=f"bench.load: {title} ({results['machine']['nproc']} CPUs)")
        print(f"plot: {plot}")
    return results


if __name__ == "__main__":
    main()
