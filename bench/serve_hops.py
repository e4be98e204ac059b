"""Ray Serve's own cost: the HTTP proxy, and each hop between deployments, with no model in the way.

    python -m bench.serve_hops [--max-hops 3] [--requests 600] [--concurrency 1,16]
    python -m bench.serve_hops --compare-proxy-modes      # default Serve proxy vs the HAProxy ingress

Apps ``/hops0`` .. ``/hopsN``: an ingress deployment that answers at once (0 hops) or calls a chain of N no-op
deployments through DeploymentHandles. Each is measured closed loop over HTTP (each client sends its next
request when the last answers), at concurrency 1 (latency alone) and higher (throughput). The per-hop cost is
the slope of P50 over hops; the 0-hop row is the proxy plus one replica, the baseline every request pays.

The apps are added beside whatever the running config serves (the same config plus these apps is deployed,
so nothing running restarts) and removed at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np
import yaml
from ray import serve
from ray.serve.handle import DeploymentHandle

from bench.reporting import print_table, summarize

CONFIG = Path(__file__).resolve().parent.parent / "ray_config.yaml"


@serve.deployment(ray_actor_options={"num_cpus": 0}, max_ongoing_requests=256)
class Hop:
    """Answers, or passes the request down the chain and answers with what comes back."""

    def __init__(self, next_hop: DeploymentHandle | None = None):
        self.next_hop = next_hop

    async def __call__(self, _request=None) -> str:
        if self.next_hop is None:
            return "ok"
        return await self.next_hop.remote()


def build_app(args: dict) -> serve.Application:
    """`hops` no-op deployments behind the ingress one (import path bench.serve_hops:build_app)."""
    app = None
    for i in range(int(args.get("hops", 0)), -1, -1):
        app = Hop.options(name=f"hop{i}").bind(app)
    return app


def hops_config(max_hops: int, base: Path = CONFIG) -> dict:
    config = yaml.safe_load(base.read_text())
    config["applications"] += [{"name": f"hops{n}", "route_prefix": f"/hops{n}", "import_path": "bench.serve_hops:build_app",
                                "args": {"hops": n}} for n in range(max_hops + 1)]
    return config


async def closed_loop(url: str, path: str, requests: int, concurrency: int) -> dict:
    latencies, errors = [], 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:
        async def worker(count: int, record: bool) -> None:
            nonlocal errors
            for _ in range(count):
                started = time.perf_counter()
                response = await client.get(path)
                if response.status_code == 200:
                    if record:
                        latencies.append(time.perf_counter() - started)
                else:
                    errors += 1

        await asyncio.gather(*(worker(20, False) for _ in range(concurrency)))  # warm connections and replicas
        started = time.perf_counter()
        await asyncio.gather(*(worker(max(1, requests // concurrency), True) for _ in range(concurrency)))
        wall = time.perf_counter() - started
    return summarize(latencies, wall, errors)


def measure(url: str, max_hops: int, requests: int, concurrencies: list[int], mode: str) -> list[dict]:
    rows = []
    for concurrency in concurrencies:
        for hops in range(max_hops + 1):
            row = asyncio.run(closed_loop(url, f"/hops{hops}", requests, concurrency))
            rows.append({"ingress": mode, "concurrency": concurrency, "hops": hops, **row})
        base = next(r for r in rows if r["concurrency"] == concurrency and r["hops"] == 0)
        if max_hops:
            slope = np.polyfit([r["hops"] for r in rows[-max_hops - 1:]], [r["p50_ms"] for r in rows[-max_hops - 1:]], 1)[0]
            for r in rows[-max_hops - 1:]:
                r["per_hop_p50_ms"] = slope
                r["vs_0_hops_p50_ms"] = r["p50_ms"] - base["p50_ms"]
    return rows


def run(mode_label: str, max_hops: int, requests: int, concurrencies: list[int]) -> list[dict]:
    from cluster import local
    from cluster.up import serve_address

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "with_hops.yaml"
        path.write_text(yaml.safe_dump(hops_config(max_hops)))
        local.deploy(path)
    try:
        return measure(serve_address(CONFIG), max_hops, requests, concurrencies, mode_label)
    finally:
        local.deploy(CONFIG)  # the hop apps go; the main app was never touched


COLUMNS = ["ingress", "concurrency", "hops", "n", "errors", "p50_ms", "p95_ms", "p99_ms", "throughput_per_s",
           "vs_0_hops_p50_ms", "per_hop_p50_ms"]


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-hops", type=int, default=3)
    parser.add_argument("--requests", type=int, default=600, help="per row")
    parser.add_argument("--concurrency", default="1,16", help="comma-separated client concurrencies")
    parser.add_argument("--compare-proxy-modes", action="store_true",
                        help="restart the local cluster with the default proxy, then with HAProxy")
    args = parser.parse_args(argv)
    concurrencies = [int(c) for c in args.concurrency.split(",")]
    if args.compare_proxy_modes:
        from bench.search_load import each_proxy_mode

        rows = [row for mode, _ in each_proxy_mode() for row in run(mode, args.max_hops, args.requests, concurrencies)]
    else:
        rows = run("running cluster", args.max_hops, args.requests, concurrencies)
    print_table("Serve overhead: no-op deployment chains over HTTP, closed loop (client on the same machine)",
                rows, COLUMNS)
    return rows


if __name__ == "__main__":
    main()
