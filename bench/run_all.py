"""Every benchmark in one run, each next to its baseline.

    python -m bench.run_all [--quick]

1. ScaNN vs exact search (>= 100k vectors, recall@10)
2. reranker: PyTorch vs ONNX Runtime, 50 pairs
3. embedder on Serve: batching off vs on under concurrency
4. /v1/search open-loop P50/P95/P99: Serve's default proxy vs the HAProxy ingress
5. overload: 0.5x..10x capacity, the latency budget on vs off (needs the app, which step 4 leaves up)
6. recommendations: /v1/recommend full mix vs popularity only, /v1/events batches of 10 vs 1, event-to-profile
   time (needs the app, which step 5 leaves up)
7. chat LLM: continuous batching vs one request at a time, 1/4/16/32 streams (no cluster needed)
8. Serve's overhead per hop: no-op deployment chains of 0-3 hops (needs the cluster, which step 6 leaves up)
9. /v1/search + /v1/recommend + /v1/events + /v1/chat mix: a rate sweep to the highest rate within the P99 bars
   (bench.load), and the load generator's own ceiling on a no-op server
10. the model stages alone (bench.components: embedding, cross-encoder, exact top-10, chat decode), random weights

Each runs in its own process: a Ray driver that outlives the cluster it was
attached to (step 4 restarts it) keeps retrying the dead GCS and skews what
follows, and Ray cannot reliably detach a driver that holds Serve handles.
"""

from __future__ import annotations

import argparse
import subprocess
import sys


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller runs, for a smoke check")
    parser.add_argument("--rate", type=float, default=4.0, help="search requests per second (2 CPU cores sustain ~5)")
    args = parser.parse_args(argv)
    runs = [
        ["bench.scann_vs_exact", "--n", "20000" if args.quick else "100000"],
        ["bench.reranker_backends", "--iters", "10" if args.quick else "30"],
        ["bench.embedder_batching", "--requests", "128" if args.quick else "512"],
        ["bench.search_load", "--compare-proxy-modes", "--rate", str(args.rate), "--duration", "10" if args.quick else "30"],
        ["bench.overload", "--duration", "8" if args.quick else "20", "--probe-duration", "5" if args.quick else "10"],
        ["bench.recommend_load", "--rate", "10", "--duration", "8" if args.quick else "20"],
        ["bench.chat_batching", "--streams", *(["1", "4"] if args.quick else ["1", "4", "16", "32"])],
        ["bench.serve_hops", "--requests", "200" if args.quick else "600"],
        ["bench.load", "--mix", "search=6,recommend=2,events=1,chat=1", "--sweep", "1,2,4" if args.quick else "1,2,4,8",
         "--duration", "10" if args.quick else "30", "--slo-ms", "search=500,recommend=500,events=500,chat=20000",
         "--out", "bench/results/load_mix.json"],
        ["bench.load", "--self-test"],
        ["bench.components", "--random-weights", *(["--quick"] if args.quick else [])],
    ]
    failed = []
    for module, *flags in runs:
        if subprocess.run([sys.executable, "-m", module, *flags]).returncode != 0:
            failed.append(module)
    if failed:
        sys.exit(f"benchmarks failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
