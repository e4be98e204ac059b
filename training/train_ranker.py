"""Train the first-phase ranker (LightGBM LambdaMART over generic features) and gate it.

    ray job submit -- python -m training.train_ranker [--depth 200] [--force-promote]

1. For every train- and dev-split demo query, takes the hybrid candidates
   from the stable index (hard negatives come with them: whatever BM25 and the
   embedder confuse with the right products) and computes the named features
   of ``retail.ranking``.
2. Fits LambdaMART (monotone in every match feature; early stopping on dev).
3. Evaluates every stage on the demo test split and on the out-of-distribution
   set, records both in the version's manifest, and makes the version stable
   only when it does not lose to hybrid retrieval out of distribution
   (``--force-promote`` overrides, and the manifest says so).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from retail.catalog import load_queries
from retail.embedder import Embedder
from retail.evaluation import SearchSet, evaluate, first_phase, ood_set, print_table, publish_gated, search_set
from retail.index import HybridIndex
from retail.paths import DEMO_QUERIES
from retail.ranking import FEATURE_NAMES, FirstPhaseRanker, ranking_features, train_lambdamart
from retail.registry import ModelRegistry

LTR_MODEL = "ltr"


def learning_to_rank_data(search: SearchSet, depth: int) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Features, graded labels and group sizes over each query's hybrid candidates."""
    features, labels, groups = [], [], []
    for i, query in enumerate(search.queries):
        candidates, _ = first_phase(search, i, depth, ranker=None)
        if len(candidates) == 0:
            continue
        features.append(ranking_features(query["query"], candidates, search.features, depth))
        labels.append([query["relevance"].get(search.ids[r], 0) for r in candidates.rows])
        groups.append(len(candidates))
    return np.concatenate(features), np.concatenate(labels).astype(np.float32), groups


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=Path, default=DEMO_QUERIES)
    parser.add_argument("--registry", type=Path, default=None)
    parser.add_argument("--depth", type=int, default=200, help="hybrid candidates per query the ranker sees")
    parser.add_argument("--force-promote", action="store_true", help="make it stable even if it fails the gate")
    parser.add_argument("--promote", action="store_true",
                        help="make it stable at once if it passes the gate (default: register it; roll it out by canary)")
    parser.add_argument("--no-promote", action="store_true", help="publish without making it stable")
    args = parser.parse_args(argv)

    registry = ModelRegistry(args.registry)
    index_version, index_dir = registry.require_stable("index", "python -m training.build_index")
    index = HybridIndex.load(index_dir)
    embedder = Embedder(device="cpu")
    train = search_set("train", index, load_queries(args.queries, "train"), embedder)
    dev = search_set("dev", index, load_queries(args.queries, "dev"), embedder)

    started = time.perf_counter()
    booster = train_lambdamart(*learning_to_rank_data(train, args.depth), dev=learning_to_rank_data(dev, args.depth))
    train_s = time.perf_counter() - started
    version, version_dir = registry.new_version(LTR_MODEL)
    booster.save_model(str(version_dir / "model.txt"))
    ranker = FirstPhaseRanker(booster, version)

    test = search_set("test", index, load_queries(args.queries, "test"), embedder)
    results = {
        "demo_test": evaluate(test, ranker=ranker, depth=args.depth),
        "ood": evaluate(ood_set(embedder), ranker=ranker, depth=args.depth),
    }
    print_table(f"demo test split ({len(test.queries)} queries)", results["demo_test"])
    print_table("out-of-distribution set", results["ood"])
    importance = dict(zip(FEATURE_NAMES, booster.feature_importance("gain").round(1).tolist()))
    manifest = {
        "features": FEATURE_NAMES,
        "index_version": index_version,
        "depth": args.depth,
        "rounds": booster.best_iteration or booster.current_iteration(),
        "train_s": round(train_s, 1),
        "feature_gain": importance,
        "parent": registry.stable(LTR_MODEL),
    }
    print(json.dumps({"ltr_version": version, "feature_gain": importance}))
    publish_gated(registry, LTR_MODEL, version, manifest, "hybrid+ltr", results, args.force_promote, args.no_promote, args.promote)
    return version


if __name__ == "__main__":
    main()
