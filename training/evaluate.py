"""Offline evaluation: search (every stage, demo test split and OOD set), then the assistant (dialogues).

    python -m training.evaluate [--ltr-version V] [--reranker-version V] [--json]

Prints nDCG@10 and recall@100 (products graded >= 1) for BM25, dense,
hybrid (reciprocal-rank fused), hybrid + LTR (phase 1) and + cross-encoder
(phase 2 over the served rerank depth, blended as served), in one run, with
the stable versions of the registry unless told otherwise. The
out-of-distribution set (data/ood/) was written independently of the demo
generator: it is the one that says whether a trained stage generalises.
The recommender is then evaluated on MovieLens-100k and the demo shop
(``training.evaluate_recommender``), review analysis on hand-written held-out
reviews (``training.evaluate_insights``), and the assistant on the hand-written
dialogues for each chat model and a no-LLM baseline (``training.evaluate_chat``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from retail.catalog import load_queries
from retail.embedder import Embedder
from retail.evaluation import evaluate, ood_set, print_table, search_set
from retail.index import HybridIndex
from retail.paths import DEMO_QUERIES
from retail.ranking import FirstPhaseRanker
from retail.registry import ModelRegistry
from retail.reranker import load_reranker
from retail.settings import IngressSettings


def load_models(registry: ModelRegistry, ltr_version: str | None, reranker_version: str | None, backend: str) -> dict:
    ltr_version = ltr_version or registry.stable("ltr")
    reranker_version = reranker_version or registry.stable("reranker")
    ranker = FirstPhaseRanker.load(registry.path("ltr", ltr_version)) if ltr_version else None
    reranker, blend_weight = None, 1.0
    if reranker_version:
        reranker = load_reranker(registry.path("reranker", reranker_version), backend)
        blend_weight = float(registry.manifest("reranker", reranker_version).get("blend_weight", 1.0))
    return {"ranker": ranker, "reranker": reranker, "blend_weight": blend_weight}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=Path, default=DEMO_QUERIES)
    parser.add_argument("--split", default="test", choices=["train", "dev", "test"])
    parser.add_argument("--registry", type=Path, default=None)
    parser.add_argument("--ltr-version", default=None)
    parser.add_argument("--reranker-version", default=None)
    parser.add_argument("--backend", default="auto")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    parser.add_argument("--search-only", action="store_true",
                        help="skip the recommender's and the assistant's evaluations")
    parser.add_argument("--chat-models", nargs="+", default=["smollm2-135m"])
    args = parser.parse_args(argv)

    registry = ModelRegistry(args.registry)
    index_version, index_dir = registry.require_stable("index", "python -m training.build_index")
    models = load_models(registry, args.ltr_version, args.reranker_version, args.backend)
    serving = IngressSettings()
    models |= {"depth": serving.retrieval_depth, "rerank_depth": serving.rerank_depth}
    embedder = Embedder(device="cpu")
    demo = search_set("demo", HybridIndex.load(index_dir), load_queries(args.queries, args.split), embedder)
    ood = ood_set(embedder)
    report = {"demo": evaluate(demo, **models), "ood": evaluate(ood, **models)}
    described = {
        "index": index_version,
        "ltr": models["ranker"].version if models["ranker"] else None,
        "reranker": models["reranker"].version if models["reranker"] else None,
        "blend_weight": models["blend_weight"],
        "retrieval_depth": serving.retrieval_depth,
        "rerank_depth": serving.rerank_depth,
    }
    if args.json:
        print(json.dumps({"models": described, **report}, indent=2))
        return report
    print("models: " + ", ".join(f"{k} {v}" for k, v in described.items()))
    print_table(f"demo {args.split} split ({len(demo.queries)} queries, {len(demo.ids)} products)", report["demo"])
    print_table(f"out-of-distribution set ({len(ood.queries)} queries, {len(ood.ids)} products, data/ood/)", report["ood"])
    if not args.search_only:
        from training import evaluate_chat, evaluate_insights, evaluate_recommender

        report["recommend"] = evaluate_recommender.main([])
        report["insights"] = evaluate_insights.main([])
        report["chat"] = evaluate_chat.main(["--models", *args.chat_models])
    return report


if __name__ == "__main__":
    main()
