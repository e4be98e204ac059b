"""Offline evaluation on the labelled queries: BM25 vs embeddings vs embeddings + reranker.

    python -m training.evaluate [--split test] [--reranker-version V] [--backend onnxruntime]

Prints nDCG@10 and recall@50 (products graded >= 1) for
* BM25 over the same product text the models see (rank-bm25, Okapi);
* embedding retrieval alone (the stable ScaNN index, as served);
* embedding retrieval + the cross-encoder reranking the top N candidates,
  for each N of --depths (the serving default, ingress.rerank_candidates, is 30).
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import numpy as np

from retail.catalog import load_queries, product_text
from retail.embedder import Embedder
from retail.index import ProductIndex
from retail.metrics import ndcg_at_k, recall_at_k
from retail.paths import DEMO_QUERIES
from retail.registry import ModelRegistry
from retail.reranker import load_reranker

_TOKEN = re.compile(r"[a-z0-9$]+")


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def evaluate(
    registry: ModelRegistry, queries: list[dict], reranker_version: str | None, backend: str, depths: tuple[int, ...] = (30,)
) -> dict[str, dict]:
    from rank_bm25 import BM25Okapi

    _, index_dir = registry.require_stable("index", "python -m training.build_index")
    index = ProductIndex.load(index_dir)
    if reranker_version is None:
        reranker_version, reranker_dir = registry.require_stable("reranker", "python -m training.train_reranker")
    else:
        reranker_dir = registry.path("reranker", reranker_version)
    reranker = load_reranker(reranker_dir, backend)
    ids = index.products["product_id"].tolist()
    texts = [product_text(r) for r in index.products.to_dict(orient="records")]
    bm25 = BM25Okapi([tokenize(t) for t in texts])
    vectors = Embedder(device="cpu").encode([q["query"] for q in queries])
    dense = index.search(vectors, max(100, *depths))

    rankings: dict[str, list[list[str]]] = {"bm25": [], "embedding": []} | {f"embedding+reranker@{d}": [] for d in depths}
    for query, hits in zip(queries, dense):
        scores = bm25.get_scores(tokenize(query["query"]))
        rankings["bm25"].append([ids[i] for i in np.argsort(-scores)[:100]])
        rows = [row for row, _ in hits]
        rankings["embedding"].append([ids[r] for r in rows])
        logits = reranker.score([query["query"]] * max(depths), [texts[r] for r in rows[: max(depths)]])
        for depth in depths:
            order = np.argsort(-logits[:depth])
            rankings[f"embedding+reranker@{depth}"].append([ids[rows[i]] for i in order] + [ids[r] for r in rows[depth:]])

    return {
        name: {
            "ndcg@10": float(np.mean([ndcg_at_k(r, q["relevance"], 10) for r, q in zip(ranked, queries)])),
            "recall@50": float(np.mean([recall_at_k(r, q["relevance"], 50) for r, q in zip(ranked, queries)])),
        }
        for name, ranked in rankings.items()
    } | {"_reranker": {"version": reranker_version, "backend": reranker.backend}}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=Path, default=DEMO_QUERIES)
    parser.add_argument("--split", default="test", choices=["train", "dev", "test"])
    parser.add_argument("--registry", type=Path, default=None)
    parser.add_argument("--reranker-version", default=None)
    parser.add_argument("--backend", default="auto")
    parser.add_argument("--depths", type=int, nargs="+", default=[30, 50, 100], help="candidates reranked")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)

    queries = load_queries(args.queries, args.split)
    report = evaluate(ModelRegistry(args.registry), queries, args.reranker_version, args.backend, tuple(args.depths))
    if args.json:
        print(json.dumps(report, indent=2))
        return report
    meta = report["_reranker"]
    print(f"{args.split} split: {len(queries)} queries; reranker {meta['version']} ({meta['backend']})")
    print(f"{'system':<26}{'nDCG@10':>10}{'recall@50':>12}")
    for name, values in report.items():
        if not name.startswith("_"):
            print(f"{name:<26}{values['ndcg@10']:>10.4f}{values['recall@50']:>12.4f}")
    return report


if __name__ == "__main__":
    main()
