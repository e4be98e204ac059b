"""Embedder on Serve under concurrency: @serve.batch on vs one forward pass per request.

    python -m bench.embedder_batching [--concurrency 32] [--requests 512]

Deploys the embedder deployment as its own app on the local cluster (starting
one if needed) and drives it through a DeploymentHandle with N requests in
flight, first through `embed` (batched), then `embed_unbatched`.
"""

from __future__ import annotations

import argparse
import asyncio
import time

from bench.reporting import print_table, summarize
from cluster import local

APP = "bench-embedder"


async def drive(handle, method: str, requests: int, concurrency: int) -> dict:
    semaphore = asyncio.Semaphore(concurrency)
    latencies, batch_sizes = [], []

    async def one(i: int) -> None:
        async with semaphore:
            t0 = time.perf_counter()
            text = f"shopper query number {i}: waterproof trail running shoes"
            call = handle.embed.remote(text, None) if method == "embed" else handle.embed_unbatched.remote(text)
            result = await call
            latencies.append(time.perf_counter() - t0)
            batch_sizes.append(result["batch_size"])

    await one(-1)  # warm the path
    latencies.clear(), batch_sizes.clear()
    started = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(requests)))
    return summarize(latencies, time.perf_counter() - started) | {"mean_batch": sum(batch_sizes) / len(batch_sizes)}


async def run(concurrency: int, requests: int, cpu_threads: int) -> list[dict]:
    from ray import serve

    from deployments.embedder import EmbedderDeployment

    app = EmbedderDeployment.options(max_ongoing_requests=max(64, concurrency), ray_actor_options={"num_cpus": 1}).bind(
        device="cpu", cpu_threads=cpu_threads, max_batch_size=32, batch_wait_timeout_s=0.005
    )
    handle = serve.run(app, name=APP, route_prefix=None)
    try:
        rows = []
        for method, label in (("embed_unbatched", "one request per forward pass"), ("embed", "@serve.batch (max 32, 5 ms)")):
            rows.append({"mode": label, **await drive(handle, method, requests, concurrency)})
        return rows
    finally:
        serve.delete(APP)


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--requests", type=int, default=512)
    parser.add_argument("--cpu-threads", type=int, default=2)
    args = parser.parse_args(argv)

    local.connect()
    rows = asyncio.run(run(args.concurrency, args.requests, args.cpu_threads))
    print_table(f"Embedder on Serve, {args.concurrency} requests in flight, {args.requests} requests", rows,
                ["mode", "p50_ms", "p95_ms", "p99_ms", "throughput_per_s", "mean_batch"])
    return rows


if __name__ == "__main__":
    main()
