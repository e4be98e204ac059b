"""ScaNN vs exact search on >= 100,000 real embeddings: QPS and recall@10.

    python -m bench.scann_vs_exact [--n 100000]
    python -m bench.scann_vs_exact --n 1000000    (660k distinct titles to embed first: ~48 min on 2 cores,
                                                   saved as it goes, so an interrupted run resumes)

The corpus is the demo generator's catalog scaled to --n products, embedded
by the serving embedder (titles, to keep a CPU run short; cached under
artifacts/bench/); queries are the demo shopper queries. Generated titles
repeat, so recall is printed two ways: id overlap with exact search, and the
tie-fair ann-benchmarks form (a neighbour as close as the 10th exact one counts).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from bench.reporting import print_table
from retail.catalog import load_queries
from retail.demo_data import generate_catalog
from retail.embedder import Embedder
from retail.index import build_scann, default_scann_params, exact_top_k
from retail.metrics import distance_recall_at_k, overlap_at_k
from retail.paths import artifacts_root


def corpus_embeddings(n: int, embedder: Embedder, chunk: int = 50_000) -> np.ndarray:
    """The titles of a generated catalog of ``n`` products, embedded, cached under artifacts/bench/.

    Generated titles repeat (41,623 distinct at 100k, 659,609 at 1M), so each distinct title is embedded
    once. That is still long on 2 CPU cores (~230 titles/s seen: about 48 min at 1M), so the distinct titles
    are embedded in chunks, each saved as it is done: an interrupted run resumes where it stopped."""
    folder = artifacts_root() / "bench"
    cache = folder / f"titles-{n}.npy"
    if cache.exists():
        return np.load(cache)
    titles = [row["title"] for row in generate_catalog(n, seed=7)]
    distinct, position = np.unique(np.array(titles, dtype=object), return_inverse=True)
    folder.mkdir(parents=True, exist_ok=True)
    started, parts = time.perf_counter(), []
    for i, first in enumerate(range(0, len(distinct), chunk)):
        part = folder / f"titles-{n}.part{i:03d}-of-{len(distinct)}.npy"
        if not part.exists():
            np.save(part, embedder.encode(distinct[first: first + chunk].tolist(), batch_size=256))
            print(f"  {min(first + chunk, len(distinct)):,}/{len(distinct):,} distinct titles embedded "
                  f"({time.perf_counter() - started:.0f}s)", flush=True)
        parts.append(part)
    vectors = np.concatenate([np.load(part) for part in parts])[position.reshape(-1)]
    print(f"embedded {n:,} titles ({len(distinct):,} distinct) in {time.perf_counter() - started:.0f}s "
          f"(cached at {cache})")
    np.save(cache, vectors)
    for part in parts:
        part.unlink()
    return vectors


def timed_qps(search, queries: np.ndarray, repeats: int = 3) -> tuple[float, np.ndarray]:
    best, ids = float("inf"), None
    for _ in range(repeats):
        started = time.perf_counter()
        ids = search(queries)
        best = min(best, time.perf_counter() - started)
    return len(queries) / best, ids


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args(argv)

    import torch

    torch.set_num_threads(torch.get_num_threads())
    embedder = Embedder(device="cpu")
    corpus = corpus_embeddings(args.n, embedder)
    queries = embedder.encode([q["query"] for q in load_queries()])
    exact_qps, exact_ids = timed_qps(lambda q: exact_top_k(corpus, q, 10)[0], queries)
    single_exact_qps, _ = timed_qps(lambda q: [exact_top_k(corpus, v[None], 10)[0] for v in q[:100]], queries[:100], 1)
    exact_kth = np.einsum("qd,qd->q", queries, corpus[exact_ids[:, -1]])

    def recalls(ids: np.ndarray) -> dict:
        true_scores = np.einsum("qd,qkd->qk", queries, corpus[ids])
        return {"recall@10": overlap_at_k(ids.tolist(), exact_ids.tolist(), 10),
                "recall@10_ties": distance_recall_at_k(true_scores, exact_kth)}

    rows = [{"method": "exact (numpy, batched)", "qps": exact_qps, "recall@10": 1.0, "recall@10_ties": 1.0},
            {"method": "exact (numpy, one query at a time)", "qps": single_exact_qps, "recall@10": 1.0, "recall@10_ties": 1.0}]

    params = default_scann_params(len(corpus))
    started = time.perf_counter()
    searcher = build_scann(corpus, params)
    build_s = time.perf_counter() - started
    for leaves in (params.num_leaves // 40, params.num_leaves // 20, params.num_leaves // 10, params.num_leaves // 5):
        leaves = max(1, leaves)
        qps, ids = timed_qps(lambda q: searcher.search_batched(q, final_num_neighbors=10, leaves_to_search=leaves)[0], queries)
        rows.append({"method": f"scann batched, {leaves}/{params.num_leaves} leaves", "qps": qps, **recalls(ids)})
    leaves = max(1, params.num_leaves // 10)
    qps, ids = timed_qps(
        lambda q: np.stack([searcher.search(v, final_num_neighbors=10, leaves_to_search=leaves)[0] for v in q]), queries, 1
    )
    rows.append({"method": f"scann one query at a time, {leaves} leaves", "qps": qps, **recalls(ids)})
    print_table(f"ScaNN vs exact: {len(corpus):,} x {corpus.shape[1]} title embeddings, {len(queries)} queries "
                f"(ScaNN build {build_s:.1f}s: tree {params.num_leaves} leaves, AH 2-dim blocks, reorder {params.reorder})",
                rows, ["method", "qps", "recall@10", "recall@10_ties"])
    print(f"recall@10: id overlap with exact search; recall@10_ties: a neighbour as close as the 10th exact one "
          f"counts (the corpus repeats titles: {len(np.unique(corpus, axis=0)):,} distinct vectors)")
    return rows


if __name__ == "__main__":
    main()
