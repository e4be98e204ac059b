"""Reranker latency for one search (50 query-product pairs): PyTorch vs ONNX Runtime (vs TensorRT on a GPU).

    python -m bench.reranker_backends [--pairs 50] [--iters 30] [--threads 1 2]
"""

from __future__ import annotations

import argparse
import time

import torch

from bench.reporting import print_table, summarize
from retail.catalog import load_queries, product_text
from retail.embedder import Embedder
from retail.index import ProductIndex
from retail.registry import ModelRegistry
from retail.reranker import OnnxReranker, TensorRTReranker, TorchReranker, tensorrt_available


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=50)
    parser.add_argument("--iters", type=int, default=30)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args(argv)

    registry = ModelRegistry()
    version, reranker_dir = registry.require_stable("reranker", "python -m training.train_reranker")
    _, index_dir = registry.require_stable("index", "python -m training.build_index")
    index = ProductIndex.load(index_dir)
    queries = [q["query"] for q in load_queries(split="test")[: args.iters]]
    vectors = Embedder(device="cpu").encode(queries)
    workloads = []
    for query, hits in zip(queries, index.search(vectors, args.pairs)):
        docs = [product_text(index.products.iloc[row]) for row, _ in hits]
        workloads.append(([query] * len(docs), docs))

    engines = []
    for threads in args.threads:
        torch.set_num_threads(threads)
        engines.append((f"torch fp32, {threads} thread(s)", threads, TorchReranker(reranker_dir)))
        engines.append((f"onnxruntime, {threads} thread(s)", threads, OnnxReranker(reranker_dir, intra_op_threads=threads)))
    if tensorrt_available():
        engines.append(("tensorrt fp16", 0, TensorRTReranker(reranker_dir)))
        engines.append(("torch fp16 cuda", 0, TorchReranker(reranker_dir, device="cuda")))

    rows = []
    for name, threads, engine in engines:
        if threads:
            torch.set_num_threads(threads)
        engine.score(*workloads[0])  # warm up
        latencies = []
        started = time.perf_counter()
        for pair_queries, docs in workloads:
            t0 = time.perf_counter()
            engine.score(pair_queries, docs)
            latencies.append(time.perf_counter() - t0)
        rows.append({"backend": name, **summarize(latencies, time.perf_counter() - started)})
    for row in rows:
        row["searches_per_s"] = row.pop("throughput_per_s")
    print_table(f"Reranker, {args.pairs} pairs per call, {len(workloads)} calls (version {version})", rows,
                ["backend", "p50_ms", "p95_ms", "p99_ms", "searches_per_s"])
    return rows


if __name__ == "__main__":
    main()
