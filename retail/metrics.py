"""Ranking metrics on graded relevance labels."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np


def ndcg_at_k(ranked_ids: Sequence[str], relevance: Mapping[str, int], k: int = 10) -> float:
    """nDCG@k with exponential gain (2^grade - 1), the usual web-search form."""
    dcg = sum((2 ** relevance.get(pid, 0) - 1) / math.log2(i + 2) for i, pid in enumerate(ranked_ids[:k]))
    ideal = sorted(relevance.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def recall_at_k(ranked_ids: Sequence[str], relevance: Mapping[str, int], k: int, min_grade: int = 1) -> float:
    """Share of the products graded >= min_grade that appear in the top k."""
    relevant = {pid for pid, g in relevance.items() if g >= min_grade}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranked_ids[:k])) / len(relevant)


def overlap_at_k(approx_ids: Sequence[Sequence[int]], exact_ids: Sequence[Sequence[int]], k: int = 10) -> float:
    """Recall of an approximate search against exact search: mean |approx@k & exact@k| / k."""
    hits = [len(set(a[:k]).intersection(e[:k])) / min(k, len(e)) for a, e in zip(approx_ids, exact_ids) if len(e)]
    return sum(hits) / len(hits) if hits else 0.0


def distance_recall_at_k(approx_true_scores, exact_kth_scores, epsilon: float = 1e-4) -> float:
    """ANN recall that is fair to ties (the ann-benchmarks definition): a returned
    neighbour counts when its true similarity reaches the k-th exact one.

    Catalogs hold duplicate titles; id overlap would punish a search for
    returning an equally close twin. Arguments are (n_queries, k) and (n_queries,)."""
    approx = np.asarray(approx_true_scores)
    kth = np.asarray(exact_kth_scores)[:, None]
    return float((approx >= kth - epsilon).mean())
