"""Phased ranking, the way Vespa ranks products.

Phase 1 (``FirstPhaseRanker``): a LightGBM LambdaMART model over a few
hundred hybrid candidates, from cheap, named, generic features: the dense and
BM25 scores and ranks, how much of the query the title and the full text
cover, brand and number (model, size) matches, a parsed price ceiling, and
popularity, rating and stock where the feed has them (NaN where it does not:
LightGBM routes missing values itself).

The features are relative to the query's candidate list where that makes them
portable (a cosine of 0.5 means different things in different catalogs), and
the model is constrained to be monotone in every "more of the query matches"
feature, so it learns how much each signal counts, not the quirks of the
catalog it was trained on.

Phase 2 (``blend_second_phase``): the cross-encoder over the top few,
blended with the phase-1 score. The blend keeps the backbone's general
matching in the final order; its weight is part of the cross-encoder version.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from retail.catalog import present
from retail.index import Candidates, Filters, HybridIndex
from retail.text import parse_price_limit, strip_price_limit, tokenize

# (name, monotone direction: +1 more is better, -1 less is better, 0 free)
FEATURES: list[tuple[str, int]] = [
    ("dense_score", +1),
    ("dense_gap", +1),  # cosine minus the best cosine among the candidates
    ("dense_rank_log", -1),  # log1p(rank) in the dense list; log1p(depth + 1) when absent
    ("bm25_norm", +1),  # BM25 / best BM25 among the candidates
    ("bm25_rank_log", -1),
    ("title_coverage", +1),  # share of the query's tokens found in the title
    ("text_coverage", +1),  # ... in the title, brand, category, attributes and description
    ("title_bigrams", +1),  # share of the query's adjacent token pairs found adjacent in the title
    ("brand_match", +1),  # the product's brand is named in the query (NaN without a brand)
    ("number_match", +1),  # share of the query's numbers / model tokens in the product text (NaN when none)
    ("price_within", +1),  # 1 within the stated budget, 0 over it (NaN without budget or price)
    ("rating", 0),
    ("log_reviews", 0),
    ("in_stock", 0),
    ("title_len_log", 0),
    ("query_len", 0),
]
FEATURE_NAMES = [name for name, _ in FEATURES]


class ProductFeatures:
    """Per-product token sets and numbers, computed once per index version."""

    def __init__(self, products: pd.DataFrame):
        from retail.catalog import search_text

        records = products.to_dict(orient="records")
        self.title_tokens = [set(tokenize(str(r["title"]))) for r in records]
        self.title_bigrams = [_bigrams(tokenize(str(r["title"]))) for r in records]
        self.text_tokens = [set(tokenize(search_text(r))) for r in records]
        self.brand_tokens = [set(tokenize(str(r["brand"]))) if present(r.get("brand")) else None for r in records]
        self.title_len = np.array([len(t) for t in self.title_tokens], dtype=np.float32)
        self.price = _numeric(products, "price")
        self.rating = _numeric(products, "rating")
        self.reviews = _numeric(products, "review_count")
        self.in_stock = np.array(
            [float(bool(v)) if present(v) else np.nan for v in products.get("in_stock", [None] * len(products))],
            dtype=np.float32,
        )


def _numeric(products: pd.DataFrame, column: str) -> np.ndarray:
    if column not in products:
        return np.full(len(products), np.nan, dtype=np.float32)
    return pd.to_numeric(products[column], errors="coerce").to_numpy(dtype=np.float32, na_value=np.nan)


def _bigrams(tokens: list[str]) -> set[tuple[str, str]]:
    return set(zip(tokens, tokens[1:]))


def ranking_features(query: str, candidates: Candidates, products: ProductFeatures, depth: int) -> np.ndarray:
    """(n_candidates, len(FEATURES)) float32 matrix, columns in FEATURES order."""
    n = len(candidates)
    out = np.full((n, len(FEATURES)), np.nan, dtype=np.float32)
    if n == 0:
        return out
    limit = parse_price_limit(query)
    tokens = tokenize(strip_price_limit(query) if limit is not None else query)
    query_set = set(tokens)
    bigrams = _bigrams(tokens)
    numbers = {t for t in query_set if any(c.isdigit() for c in t)}
    rows = candidates.rows
    col = {name: i for i, name in enumerate(FEATURE_NAMES)}

    out[:, col["dense_score"]] = candidates.dense
    out[:, col["dense_gap"]] = candidates.dense - candidates.dense.max()
    absent = np.log1p(depth + 1)
    out[:, col["dense_rank_log"]] = np.where(candidates.dense_rank > 0, np.log1p(candidates.dense_rank), absent)
    top_bm25 = candidates.bm25.max()
    out[:, col["bm25_norm"]] = candidates.bm25 / top_bm25 if top_bm25 > 0 else 0.0
    out[:, col["bm25_rank_log"]] = np.where(candidates.bm25_rank > 0, np.log1p(candidates.bm25_rank), absent)
    for i, row in enumerate(rows.tolist()):
        title = products.title_tokens[row]
        if query_set:
            out[i, col["title_coverage"]] = len(query_set & title) / len(query_set)
            out[i, col["text_coverage"]] = len(query_set & products.text_tokens[row]) / len(query_set)
        if bigrams:
            out[i, col["title_bigrams"]] = len(bigrams & products.title_bigrams[row]) / len(bigrams)
        brand = products.brand_tokens[row]
        if brand:
            out[i, col["brand_match"]] = float(brand <= query_set)
        if numbers:
            out[i, col["number_match"]] = len(numbers & products.text_tokens[row]) / len(numbers)
    price = products.price[rows]
    if limit is not None:
        out[:, col["price_within"]] = np.where(np.isnan(price), np.nan, (price <= limit).astype(np.float32))
    out[:, col["rating"]] = products.rating[rows]
    out[:, col["log_reviews"]] = np.log1p(products.reviews[rows])
    out[:, col["in_stock"]] = products.in_stock[rows]
    out[:, col["title_len_log"]] = np.log1p(products.title_len[rows])
    out[:, col["query_len"]] = len(tokens)
    return out


class FirstPhaseRanker:
    """A trained LightGBM LambdaMART model over FEATURES (a registry version of model "ltr")."""

    backend = "lightgbm"

    def __init__(self, booster, version: str):
        self.booster, self.version = booster, version

    def score(self, features: np.ndarray) -> np.ndarray:
        if len(features) == 0:
            return np.zeros(0, dtype=np.float32)
        return self.booster.predict(features, num_threads=1).astype(np.float32)

    @classmethod
    def load(cls, version_dir: Path) -> "FirstPhaseRanker":
        import lightgbm

        manifest = json.loads((version_dir / "manifest.json").read_text())
        if manifest.get("features") != FEATURE_NAMES:
            raise RuntimeError(
                f"ltr version {version_dir.name} was trained on features {manifest.get('features')}, this code computes "
                f"{FEATURE_NAMES}; retrain it: python -m training.train_ranker"
            )
        return cls(lightgbm.Booster(model_file=str(version_dir / "model.txt")), manifest["version"])


def train_lambdamart(features: np.ndarray, labels: np.ndarray, groups: list[int], dev: tuple | None = None,
                     seed: int = 0, rounds: int = 300):
    """Fit LambdaMART with the monotone constraints of FEATURES; early stopping on dev nDCG@10."""
    import lightgbm

    params = {
        "objective": "lambdarank",
        "metric": "ndcg",
        "eval_at": [10],
        "learning_rate": 0.05,
        "num_leaves": 15,
        "min_data_in_leaf": 40,
        "feature_fraction": 0.8,
        "bagging_fraction": 0.8,
        "bagging_freq": 1,
        "lambda_l2": 1.0,
        "monotone_constraints": [direction for _, direction in FEATURES],
        "monotone_constraints_method": "advanced",
        "num_threads": 2,
        "seed": seed,
        "verbosity": -1,
    }
    train = lightgbm.Dataset(features, labels, group=groups, feature_name=FEATURE_NAMES, free_raw_data=False)
    valid, callbacks = [], []
    if dev is not None:
        valid = [lightgbm.Dataset(dev[0], dev[1], group=dev[2], reference=train)]
        callbacks = [lightgbm.early_stopping(40, verbose=False)]
    return lightgbm.train(params, train, num_boost_round=rounds, valid_sets=valid, callbacks=callbacks)


def rank_first_phase(index: HybridIndex, features: ProductFeatures, ranker: FirstPhaseRanker | None,
                     vector: np.ndarray, query: str, depth: int, filters: Filters | None = None,
                     mode: str = "hybrid") -> tuple[Candidates, np.ndarray]:
    """Hybrid candidates sorted by phase 1, with their phase-1 scores (the fused score without a ranker).

    The one implementation serving, training and evaluation share."""
    candidates = index.candidates(vector, query, depth, filters, mode)
    if ranker is None or len(candidates) == 0:
        return candidates, candidates.fused
    scores = ranker.score(ranking_features(query, candidates, features, depth))
    order = np.argsort(-scores, kind="stable")
    return candidates.take(order), scores[order]


def zscore(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    std = values.std()
    return (values - values.mean()) / std if std > 1e-9 else np.zeros_like(values)


def blend_second_phase(first_phase: np.ndarray, cross_encoder: np.ndarray, weight: float) -> np.ndarray:
    """Final score of the top-N: weight x standardised cross-encoder + (1 - weight) x standardised phase 1."""
    return weight * zscore(cross_encoder) + (1.0 - weight) * zscore(first_phase)
