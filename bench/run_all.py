"""Every benchmark in one run, each next to its baseline.

    python -m bench.run_all [--quick]

1. ScaNN vs exact search (>= 100k vectors, recall@10)
2. reranker: PyTorch vs ONNX Runtime, 50 pairs
3. embedder on Serve: batching off vs on under concurrency
4. /v1/search open-loop P50/P95/P99: Serve's default proxy vs the HAProxy ingress
"""

from __future__ import annotations

import argparse

from bench import embedder_batching, reranker_backends, scann_vs_exact, search_load


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller runs, for a smoke check")
    parser.add_argument("--rate", type=float, default=4.0, help="search requests per second (2 CPU cores sustain ~5)")
    args = parser.parse_args(argv)
    scann_vs_exact.main(["--n", "20000" if args.quick else "100000"])
    reranker_backends.main(["--iters", "10" if args.quick else "30"])
    embedder_batching.main(["--requests", "128" if args.quick else "512"])
    search_load.main(["--compare-proxy-modes", "--rate", str(args.rate), "--duration", "10" if args.quick else "30"])


if __name__ == "__main__":
    main()
