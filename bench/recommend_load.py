"""Open-loop load on the recommendation endpoints, each next to its baseline, against the running app.

    python -m bench.recommend_load [--url http://127.0.0.1:8000] [--rate 20] [--duration 20] [--events-batch 10]

1. POST /v1/recommend at --rate: a realistic mix drawn from the demo data, known
   demo shoppers (the ids in data/demo/events.jsonl.gz) and brand-new ones (cold
   start), each with no context, a text context (a demo query) or a product-id
   context (a catalog product). Baseline, same rate, same run: cold-start
   shoppers with no context (popularity only: no profile to read, nothing to
   embed), so the gap between the two rows is the cost of personalisation.
   The mix is also broken down by segment.
2. POST /v1/events at --rate: batches of --events-batch view/click/add_to_cart
   events for random catalog products, each batch one fresh shopper
   ``bench-<runid>-<n>`` (the demo shoppers stay as shipped), every event with
   an explicit event_id. Events/s ingested durably = events the 2xx answers
   report accepted / wall time. Baseline: batches of 1 at the same request rate.
3. Event to profile: for --fresh new shoppers, one at a time after the load
   phases (no other bench traffic), POST one view, then poll
   GET /v1/shoppers/{id} every --poll-ms until recent_items[0] is that product;
   and, for as many other new shoppers, poll POST /v1/recommend until
   shopper.events counts it. Times run from sending the event.

Latencies count from the scheduled send (bench.loadgen: no coordinated
omission); percentiles are of 2xx answers. Every row also counts refusals
(503/429), other non-2xx, client timeouts and transport errors, and the share of
requests the generator itself sent more than 10 ms late (high: the client, not
the app, was the bottleneck). Results: bench/results/recommend_load.json.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import random
import time
from pathlib import Path

import httpx
import numpy as np

from bench import loadgen
from bench.reporting import account, print_table
from retail.catalog import load_queries
from retail.paths import DEMO_CATALOG, DEMO_EVENTS

RESULTS = Path(__file__).parent / "results"
EVENT_TYPES = ("view", "view", "view", "click", "add_to_cart")  # browsing: mostly views
PAUSE_S = 3.0  # between phases, so a queue one phase leaves does not land on the next


# -- demo data ------------------------------------------------------------------------------------
def demo_shoppers() -> list[str]:
    with gzip.open(DEMO_EVENTS, "rt") as f:
        return sorted({json.loads(line)["user_id"] for line in f if line.strip()})


def catalog_products() -> list[str]:
    return [json.loads(line)["product_id"] for line in DEMO_CATALOG.read_text().splitlines() if line.strip()]


# -- request bodies (built before a run, so the sender only looks them up) ------------------------
def recommend_mix(n: int, shoppers: list[str], products: list[str], texts: list[str], run_id: str,
                  seed: int) -> list[tuple[str, dict]]:
    """(segment, body) per request: 60 % known demo shoppers, 40 % new; contexts none / text / product, a third each."""
    rng, requests = random.Random(seed), []
    for i in range(n):
        known = rng.random() < 0.6
        user = rng.choice(shoppers) if known else f"bench-{run_id}-cold-{i}"
        kind = rng.choice(("none", "text", "product"))
        body = {"user_id": user, "top_k": 10}
        if kind == "text":
            body["context"] = {"text": rng.choice(texts)}
        elif kind == "product":
            body["context"] = {"product_id": rng.choice(products)}
        requests.append((f"{'known' if known else 'cold'}+{kind}", body))
    return requests


def popularity_only(n: int, run_id: str) -> list[dict]:
    return [{"user_id": f"bench-{run_id}-pop-{i}", "top_k": 10} for i in range(n)]


def event_batches(n: int, size: int, products: list[str], run_id: str, tag: str, seed: int) -> list[dict]:
    """One fresh shopper per batch, one session, every event with its own id."""
    rng, batches = random.Random(seed), []
    for i in range(n):
        user = f"bench-{run_id}-{tag}-{i}"
        batches.append({"events": [
            {"event_id": f"{user}-e{j}", "user_id": user, "session_id": f"{user}-s1",
             "type": rng.choice(EVENT_TYPES), "product_id": rng.choice(products)} for j in range(size)]})
    return batches


# -- one open-loop phase and its table row --------------------------------------------------------
async def phase(http: httpx.AsyncClient, path: str, bodies: list[dict], rate: float, duration_s: float,
                timeout_s: float) -> tuple[list[loadgen.Outcome], float]:
    offsets = loadgen.schedule(rate, duration_s)
    outcomes, wall = await loadgen.open_loop(http, path, lambda i: bodies[i], offsets, timeout_s)
    await asyncio.sleep(PAUSE_S)
    return outcomes, max(wall, duration_s)  # the offered window, or longer when answers trail past it


def row(label: str, rate: float, outcomes: list[loadgen.Outcome], wall_s: float) -> dict:
    """Percentiles of 2xx answers; refusals, errors and timeouts counted apart; generator lateness (bench.reporting)."""
    return {"label": label, "offered_per_s": rate, "n": sum(o.kind == "ok" for o in outcomes),
            **account(outcomes, wall_s)}


def stage_p50(outcomes: list[loadgen.Outcome]) -> dict:
    """Median of the recommender's own timings (profile read + context, ranking) over the answers."""
    answered = [o.body["timings_ms"] for o in outcomes if o.body]
    return {f"{k}_p50": float(np.median([t[k] for t in answered])) if answered else float("nan")
            for k in ("profile_ms", "rank_ms")}


# -- 1. /v1/recommend ------------------------------------------------------------------------------
async def recommend_phase(http, data: dict, args, run_id: str) -> tuple[list[dict], list[dict]]:
    n = len(loadgen.schedule(args.rate, args.duration))
    mix = recommend_mix(n, data["shoppers"], data["products"], data["texts"], run_id, args.seed)
    baseline, wall = await phase(http, "/v1/recommend", popularity_only(n, run_id), args.rate, args.duration,
                                 args.timeout)
    rows = [row("baseline: cold, no context (popularity)", args.rate, baseline, wall) | stage_p50(baseline)]
    outcomes, wall = await phase(http, "/v1/recommend", [body for _, body in mix], args.rate, args.duration,
                                 args.timeout)
    rows.append(row("full mix (known/cold x none/text/product)", args.rate, outcomes, wall) | stage_p50(outcomes))
    segments = []
    for segment in sorted({s for s, _ in mix}):
        picked = [o for (s, _), o in zip(mix, outcomes) if s == segment]
        segments.append(row(segment, args.rate, picked, wall) | stage_p50(picked) | {"throughput_per_s": None})
    return rows, segments


# -- 2. /v1/events ---------------------------------------------------------------------------------
def events_row(label: str, rate: float, outcomes: list[loadgen.Outcome], wall_s: float) -> dict:
    accepted = sum(o.body["accepted"] for o in outcomes if o.body)
    duplicates = sum(o.body["duplicates"] for o in outcomes if o.body)
    return row(label, rate, outcomes, wall_s) | {"events_accepted": accepted, "duplicates": duplicates,
                                                 "events_per_s": accepted / wall_s}


async def events_phase(http, products: list[str], args, run_id: str) -> list[dict]:
    n = len(loadgen.schedule(args.rate, args.duration))
    rows = []
    for size, label in ((1, "baseline: batches of 1"), (args.events_batch, f"batches of {args.events_batch}")):
        bodies = event_batches(n, size, products, run_id, f"ev{size}", args.seed + size)
        outcomes, wall = await phase(http, "/v1/events", bodies, args.rate, args.duration, args.timeout)
        rows.append(events_row(label, args.rate, outcomes, wall))
    return rows


# -- 3. event -> profile / recommendations ---------------------------------------------------------
async def poll_until(check, poll_s: float, give_up_s: float) -> tuple[bool, int]:
    """Call `check` (async, returns bool) until true or give_up_s passes; returns (seen, polls)."""
    deadline, polls = time.perf_counter() + give_up_s, 0
    while time.perf_counter() < deadline:
        polls += 1
        if await check():
            return True, polls
        await asyncio.sleep(poll_s)
    return False, polls


async def one_propagation(http, user: str, product: str, via: str, poll_s: float, give_up_s: float) -> dict:
    """Send one view for a new shopper, then poll `via` (profile | recommend); seconds from the send."""
    async def profile_shows() -> bool:
        r = await http.get(f"/v1/shoppers/{user}")
        items = r.json().get("recent_items") if r.status_code == 200 else None
        return bool(items) and items[0]["product_id"] == product

    async def recommend_counts() -> bool:
        r = await http.post("/v1/recommend", json={"user_id": user, "top_k": 5})
        return r.status_code == 200 and r.json()["shopper"]["events"] >= 1

    event = {"event_id": f"{user}-e0", "user_id": user, "type": "view", "product_id": product}
    sent = time.perf_counter()
    ack = await http.post("/v1/events", json={"events": [event]})
    acked = time.perf_counter()
    seen, polls = False, 0
    if ack.status_code == 200:
        seen, polls = await poll_until(profile_shows if via == "profile" else recommend_counts, poll_s, give_up_s)
    return {"ack_s": acked - sent, "ack_status": ack.status_code, "seen": seen,
            "visible_s": time.perf_counter() - sent, "polls": polls}


def propagation_row(label: str, samples: list[dict]) -> dict:
    seen = [s["visible_s"] * 1000 for s in samples if s["seen"]]
    pct = (lambda q: float(np.percentile(seen, q))) if seen else (lambda q: float("nan"))
    return {"measure": label, "shoppers": len(samples), "seen": len(seen),
            "ack_p50_ms": float(np.median([s["ack_s"] * 1000 for s in samples])),
            "p50_ms": pct(50), "p95_ms": pct(95), "max_ms": max(seen) if seen else float("nan"),
            "polls_p50": float(np.median([s["polls"] for s in samples])), "polls_max": max(s["polls"] for s in samples)}


async def propagation_phase(http, products: list[str], args, run_id: str) -> list[dict]:
    rng, rows = random.Random(args.seed), []
    measures = (("profile", "GET /v1/shoppers recent_items[0]"), ("recommend", "POST /v1/recommend shopper.events"))
    for via, label in measures:
        samples = [await one_propagation(http, f"bench-{run_id}-fresh-{via}-{k}", rng.choice(products), via,
                                         args.poll_ms / 1000, args.timeout) for k in range(args.fresh)]
        rows.append(propagation_row(label, samples))
    return rows


# -- run -------------------------------------------------------------------------------------------
async def warm_up(http, data: dict, run_id: str) -> None:
    """A few requests of each kind first: connections open, replicas and caches past their first call."""
    for i in range(3):
        await http.post("/v1/recommend", json={"user_id": data["shoppers"][i], "context": {"text": data["texts"][i]}})
        await http.post("/v1/recommend", json={"context": {"product_id": data["products"][i]}})
        await http.post("/v1/events", json=event_batches(1, 2, data["products"], run_id, f"warm{i}", i)[0])


async def run(args) -> dict:
    run_id = time.strftime("%Y%m%d%H%M%S")
    data = {"shoppers": demo_shoppers(), "products": catalog_products(),
            "texts": [q["query"] for q in load_queries()]}
    async with loadgen.client(args.url, timeout_s=args.timeout) as http:
        await warm_up(http, data, run_id)
        recommend, segments = await recommend_phase(http, data, args, run_id)
        events = await events_phase(http, data["products"], args, run_id)
        propagation = await propagation_phase(http, data["products"], args, run_id)
    return {"args": vars(args), "run_id": run_id, "recommend": recommend, "recommend_segments": segments,
            "events": events, "propagation": propagation}


BASE = ["label", "offered_per_s", "sent", "n", "p50_ms", "p95_ms", "p99_ms", "throughput_per_s", "refused", "errors",
        "errors_by_cause", "timeouts", "late_share"]


def report(results: dict, args) -> None:
    load = f"open loop at {args.rate:g} req/s for {args.duration:g}s"
    print_table(f"POST /v1/recommend, {load} (cost of personalisation = full mix - baseline)",
                results["recommend"], BASE + ["profile_ms_p50", "rank_ms_p50"])
    print_table("POST /v1/recommend, the full mix by segment (same run; throughput n/a)",
                results["recommend_segments"], ["label", "n", "p50_ms", "p95_ms", "p99_ms", "refused",
                                                 "errors", "timeouts", "profile_ms_p50", "rank_ms_p50"])
    print_table(f"POST /v1/events, {load} (events_per_s = accepted by 2xx answers / wall time)",
                results["events"], BASE + ["events_accepted", "duplicates", "events_per_s"])
    print_table(f"Event -> visible, {args.fresh} new shoppers each, sequential, no bench load, poll every "
                f"{args.poll_ms:g} ms (times from sending the event)", results["propagation"],
                ["measure", "shoppers", "seen", "ack_p50_ms", "p50_ms", "p95_ms", "max_ms", "polls_p50", "polls_max"])


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--rate", type=float, default=20.0, help="requests per second, fixed, every load phase")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per load phase (4 phases)")
    parser.add_argument("--events-batch", type=int, default=10, help="events per POST /v1/events (1-1000)")
    parser.add_argument("--fresh", type=int, default=20, help="new shoppers per event-to-visible measure")
    parser.add_argument("--poll-ms", type=float, default=5.0, help="pause between polls (0: back to back)")
    parser.add_argument("--timeout", type=float, default=30.0, help="client gives up, seconds from the scheduled send")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    results = asyncio.run(run(args))
    report(results, args)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "recommend_load.json"
    out.write_text(json.dumps(results, indent=2, default=str))
    print(f"\nresults: {out}")
    return results


if __name__ == "__main__":
    main()
