"""Search quality evaluation and the promotion gate, shared by `make eval` and the training jobs.

Every system is scored on the same labelled queries in one run:

    bm25               lexical retrieval alone
    dense              embedding retrieval alone
    hybrid             both, reciprocal-rank fused
    hybrid+ltr         + the LambdaMART first phase over the hybrid candidates
    hybrid+ltr+ce      + the cross-encoder over the top few, blended

on two sets: the demo test split (the catalog the models were trained on) and
the out-of-distribution set in ``data/ood/`` (marketplace-style listings and
shopper queries written independently of the demo generator). A trained stage
is promoted only when it does not lose to the stage before it on the
out-of-distribution set (``gate``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retail.catalog import load_catalog, load_queries, product_text
from retail.index import Filters, HybridIndex, build_hybrid_index
from retail.metrics import ndcg_at_k, recall_at_k
from retail.paths import OOD_CATALOG, OOD_QUERIES
from retail.ranking import FirstPhaseRanker, ProductFeatures, blend_second_phase, rank_first_phase

STAGES = ["bm25", "dense", "hybrid", "hybrid+ltr", "hybrid+ce", "hybrid+ltr+ce"]
# The stage each trained one must not lose to.
PREVIOUS_STAGE = {"hybrid+ltr": "hybrid", "hybrid+ltr+ce": "hybrid+ltr", "hybrid+ce": "hybrid"}


@dataclass
class SearchSet:
    """A catalog's hybrid index plus labelled queries and their embeddings."""

    name: str
    index: HybridIndex
    features: ProductFeatures
    queries: list[dict]
    vectors: np.ndarray

    @functools.cached_property
    def ids(self) -> list[str]:
        return self.index.products["product_id"].tolist()

    @functools.cached_property
    def texts(self) -> list[str]:
        return [product_text(r) for r in self.index.products.to_dict(orient="records")]


def search_set(name: str, index: HybridIndex, queries: list[dict], embedder) -> SearchSet:
    return SearchSet(name, index, ProductFeatures(index.products), queries, embedder.encode([q["query"] for q in queries]))


def ood_set(embedder, catalog: Path = OOD_CATALOG, queries: Path = OOD_QUERIES) -> SearchSet:
    """The out-of-distribution set, indexed on the spot (a few hundred products: seconds)."""
    products = load_catalog(catalog, use_ray=False)
    labelled = load_queries(queries)
    embeddings = embedder.encode([product_text(r) for r in products.to_dict(orient="records")])
    index, _ = build_hybrid_index(embeddings, products, embedder.encode([q["query"] for q in labelled[:50]]))
    return search_set("ood", index, labelled, embedder)


def first_phase(search: SearchSet, i: int, depth: int, ranker: FirstPhaseRanker | None, mode: str = "hybrid",
                filters: Filters | None = None):
    """Query i's candidates sorted by the first phase, with their phase-1 scores, exactly as served."""
    return rank_first_phase(search.index, search.features, ranker, search.vectors[i], search.queries[i]["query"],
                            depth, filters, mode)


def rankings(search: SearchSet, ranker: FirstPhaseRanker | None = None, reranker=None, blend_weight: float = 0.5,
             depth: int = 200, rerank_depth: int = 20) -> dict[str, list[list[str]]]:
    """Ranked product ids per query for every stage that can run with the given models."""
    out: dict[str, list[list[str]]] = {s: [] for s in STAGES[:3]}
    phase1 = "hybrid+ltr" if ranker is not None else "hybrid"
    out[phase1] = []
    if reranker is not None:
        out[phase1 + "+ce"] = []
    for i in range(len(search.queries)):
        for mode, stage in (("lexical", "bm25"), ("dense", "dense"), ("hybrid", "hybrid")):
            candidates = search.index.candidates(search.vectors[i], search.queries[i]["query"], depth, None, mode)
            if mode == "lexical":  # BM25 alone ranks by its own score, not by fusion
                candidates = candidates.take(np.argsort(-candidates.bm25, kind="stable"))
            elif mode == "dense":
                candidates = candidates.take(np.argsort(-candidates.dense, kind="stable"))
            out[stage].append([search.ids[r] for r in candidates.rows])
        candidates, scores = first_phase(search, i, depth, ranker)
        ids = [search.ids[r] for r in candidates.rows]
        if ranker is not None:
            out[phase1].append(ids)
        if reranker is not None:
            top = candidates.rows[:rerank_depth]
            ce = reranker.score([search.queries[i]["query"]] * len(top), [search.texts[r] for r in top])
            order = np.argsort(-blend_second_phase(scores[: len(top)], ce, blend_weight), kind="stable")
            out[phase1 + "+ce"].append([ids[j] for j in order] + ids[len(top):])
    return out


def metrics(search: SearchSet, ranked: dict[str, list[list[str]]]) -> dict[str, dict[str, float]]:
    return {
        stage: {
            "ndcg@10": float(np.mean([ndcg_at_k(r, q["relevance"], 10) for r, q in zip(lists, search.queries)])),
            "recall@100": float(np.mean([recall_at_k(r, q["relevance"], 100) for r, q in zip(lists, search.queries)])),
        }
        for stage, lists in ranked.items()
    }


def evaluate(search: SearchSet, **models) -> dict[str, dict[str, float]]:
    return metrics(search, rankings(search, **models))


def gate(stage: str, ood_metrics: dict[str, dict[str, float]]) -> tuple[bool, str]:
    """Whether a trained stage may become stable: it must not lose to the stage before it out of distribution."""
    before = PREVIOUS_STAGE[stage]
    new, old = ood_metrics[stage]["ndcg@10"], ood_metrics[before]["ndcg@10"]
    verdict = "passes" if new >= old else "fails"
    return new >= old, (f"{verdict} the gate: out-of-distribution nDCG@10 {new:.4f} for {stage} "
                        f"vs {old:.4f} for {before}, the stage before it")


def publish_gated(registry, model: str, version: str, manifest: dict, stage: str, results: dict,
                  force: bool = False, no_promote: bool = False, promote: bool = False) -> bool:
    """Publish a trained version with both evaluations; change routing only when asked, and past the gate.

    A job never moves traffic on its own: it becomes stable at once only when
    asked (``promote``) or when there is no stable version yet (a fresh
    registry), and only past the gate (or ``force``). Otherwise it waits for a
    canary: ``python -m training.rollout canary <model> <version>``. Returns
    whether it became stable; the manifest records the decision and why."""
    passed, reason = gate(stage, results["ood"])
    first = registry.stable(model) is None
    make_stable = (passed or force) and (promote or force or first) and not no_promote
    decision = {"stage": stage, "passed": passed, "reason": reason, "forced": force and not passed, "promoted": make_stable}
    registry.publish(model, version, manifest | {"evaluation": results, "gate": decision}, make_stable=make_stable)
    if make_stable:
        outcome = "now stable" + (" (forced past the gate)" if force and not passed else "")
    elif passed and not no_promote:
        outcome = f"registered; routing unchanged (roll it out: python -m training.rollout canary {model} {version})"
    else:
        outcome = "NOT made stable" + ("" if no_promote else "; --force-promote overrides")
    print(f"\n{model} {version} {reason}; {outcome}")
    return make_stable


def print_table(title: str, results: dict[str, dict[str, float]]) -> None:
    print(f"\n{title}")
    print(f"{'system':<18}{'nDCG@10':>10}{'recall@100':>12}")
    for stage in STAGES:
        if stage in results:
            print(f"{stage:<18}{results[stage]['ndcg@10']:>10.4f}{results[stage]['recall@100']:>12.4f}")

