"""Product retrieval: a ScaNN index over catalog embeddings, a BM25 index over
the catalog text, filters, and their fusion (the hybrid first stage).

The index is a versioned artifact (``<registry>/index/<version>/``) holding
the serialized ScaNN searcher, the raw embeddings (for exact search and for
recall checks), the BM25 index, a catalog snapshot and a manifest that names
the embedder version it was built with: the embedder and the index it built
move together.

Filters are applied on the catalog snapshot, not inside ScaNN. When a filter
keeps a small share of the catalog, ScaNN's top-N would hold few or no
matching products, so the index switches to exact search over just the
matching rows: correct results whatever the selectivity, at a cost bounded
by the size of the filtered subset.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

# Below this share of the catalog, exact search over the filtered rows beats
# over-fetching from ScaNN (and is exact).
EXACT_SEARCH_SELECTIVITY = 0.1
# ScaNN's tree/AH quantisation needs enough points to train; smaller catalogs
# are searched exactly.
MIN_ROWS_FOR_SCANN = 1000


@dataclass(frozen=True)
class Filters:
    category: str | None = None
    brand: str | None = None
    price_min: float | None = None
    price_max: float | None = None
    in_stock: bool | None = None

    def is_empty(self) -> bool:
        return all(v is None for v in vars(self).values())

    def mask(self, products: pd.DataFrame) -> np.ndarray:
        """Rows that pass every filter. A product missing the filtered field never passes."""
        keep = np.ones(len(products), dtype=bool)
        if self.category is not None:
            keep &= _equals_casefold(products["category"], self.category)
        if self.brand is not None:
            keep &= _equals_casefold(products["brand"], self.brand)
        price = products["price"].to_numpy(dtype=float, na_value=np.nan)
        if self.price_min is not None:
            keep &= price >= self.price_min  # NaN compares False: no price, no match
        if self.price_max is not None:
            keep &= price <= self.price_max
        if self.in_stock is not None:
            keep &= products["in_stock"].map(lambda v: bool(pd.notna(v) and bool(v) == self.in_stock)).to_numpy(bool)
        return keep


def _equals_casefold(column: pd.Series, value: str) -> np.ndarray:
    folded = column.astype("string").str.casefold()
    return (folded == value.casefold()).fillna(False).to_numpy(dtype=bool)


@dataclass(frozen=True)
class ScannParams:
    num_leaves: int
    leaves_to_search: int
    reorder: int
    dims_per_block: int = 2
    aq_threshold: float = 0.2


def default_scann_params(n_rows: int) -> ScannParams:
    num_leaves = max(8, int(math.sqrt(n_rows)))
    return ScannParams(num_leaves=num_leaves, leaves_to_search=max(4, num_leaves // 10), reorder=200)


def build_scann(embeddings: np.ndarray, params: ScannParams):
    import scann

    builder = scann.scann_ops_pybind.builder(embeddings, 10, "dot_product")
    return (
        builder.tree(
            num_leaves=params.num_leaves,
            num_leaves_to_search=params.leaves_to_search,
            training_sample_size=min(len(embeddings), 250_000),
        )
        .score_ah(params.dims_per_block, anisotropic_quantization_threshold=params.aq_threshold)
        .reorder(params.reorder)
        .build()
    )


def exact_top_k(embeddings: np.ndarray, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Brute-force dot-product top-k: (indices, scores), each (n_queries, k)."""
    scores = queries @ embeddings.T
    k = min(k, embeddings.shape[0])
    top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    top_scores = np.take_along_axis(scores, top, axis=1)
    order = np.argsort(-top_scores, axis=1)
    return np.take_along_axis(top, order, axis=1), np.take_along_axis(top_scores, order, axis=1)


def tune_leaves_to_search(
    searcher, num_leaves: int, embeddings: np.ndarray, queries: np.ndarray, target_recall: float = 0.95, k: int = 10
) -> tuple[int, float, list[dict]]:
    """Smallest leaves_to_search whose recall@k against exact search meets the target."""
    from retail.metrics import overlap_at_k

    exact, _ = exact_top_k(embeddings, queries, k)
    trials = []
    ladder = sorted({min(num_leaves, x) for x in (2, 4, 8, 16, 32, 64, 128, 256, num_leaves)})
    for leaves in ladder:
        ids, _ = searcher.search_batched(queries, final_num_neighbors=k, leaves_to_search=leaves)
        recall = overlap_at_k(ids.tolist(), exact.tolist(), k)
        trials.append({"leaves_to_search": leaves, "recall_at_10": round(recall, 4)})
        if recall >= target_recall:
            return leaves, recall, trials
    return trials[-1]["leaves_to_search"], trials[-1]["recall_at_10"], trials


class ProductIndex:
    """Top-k products for query vectors, honouring filters."""

    def __init__(self, embeddings: np.ndarray, products: pd.DataFrame, searcher=None, leaves_to_search: int | None = None):
        self.embeddings = np.ascontiguousarray(embeddings, dtype=np.float32)
        self.products = products.reset_index(drop=True)
        self.searcher = searcher
        self.leaves_to_search = leaves_to_search

    @property
    def backend(self) -> str:
        return "scann" if self.searcher is not None else "exact"

    def search(self, queries: np.ndarray, k: int, filters: Filters | None = None) -> list[list[tuple[int, float]]]:
        """For each query, up to k (row, score) pairs, best first, all passing the filters."""
        queries = np.atleast_2d(np.asarray(queries, dtype=np.float32))
        k = min(k, len(self.products))
        if filters is None or filters.is_empty():
            return self._search_all(queries, k)
        keep = filters.mask(self.products)
        allowed = np.flatnonzero(keep)
        if allowed.size == 0:
            return [[] for _ in queries]
        selectivity = allowed.size / len(keep)
        if self.searcher is None or selectivity < EXACT_SEARCH_SELECTIVITY:
            return self._exact_subset(queries, k, allowed)
        # Over-fetch in proportion to the filter's selectivity, then filter.
        fetch = min(len(keep), int(math.ceil(k / selectivity * 2)))
        results = []
        for query, hits in zip(queries, self._search_all(queries, fetch)):
            kept = [(row, score) for row, score in hits if keep[row]][:k]
            if len(kept) < min(k, allowed.size):  # unlucky draw: be exact rather than short
                kept = self._exact_subset(query[None], k, allowed)[0]
            results.append(kept)
        return results

    def _search_all(self, queries: np.ndarray, k: int) -> list[list[tuple[int, float]]]:
        if self.searcher is None:
            ids, scores = exact_top_k(self.embeddings, queries, k)
        else:
            ids, scores = self.searcher.search_batched(
                queries, final_num_neighbors=k, pre_reorder_num_neighbors=max(k, 200),
                leaves_to_search=self.leaves_to_search,
            )
        return [[(int(i), float(s)) for i, s in zip(row_ids, row_scores) if i >= 0] for row_ids, row_scores in zip(ids, scores)]

    def _exact_subset(self, queries: np.ndarray, k: int, allowed: np.ndarray) -> list[list[tuple[int, float]]]:
        ids, scores = exact_top_k(self.embeddings[allowed], queries, min(k, allowed.size))
        return [[(int(allowed[i]), float(s)) for i, s in zip(row_ids, row_scores)] for row_ids, row_scores in zip(ids, scores)]

    def dense_scores(self, query: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Exact cosine of the query with the given rows (features for candidates found by BM25 alone)."""
        return self.embeddings[rows] @ np.asarray(query, dtype=np.float32)

    # ---- artifact I/O -------------------------------------------------------
    def save(self, directory: Path, manifest: dict) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        np.save(directory / "embeddings.npy", self.embeddings)
        snapshot = self.products.copy()
        snapshot["attributes"] = snapshot["attributes"].map(json.dumps)
        snapshot.to_parquet(directory / "products.parquet", index=False)
        if self.searcher is not None:
            (directory / "scann").mkdir(exist_ok=True)
            self.searcher.serialize(str(directory / "scann"))
        (directory / "index.json").write_text(json.dumps({"leaves_to_search": self.leaves_to_search, **manifest}, indent=2))

    @classmethod
    def load(cls, directory: Path) -> "ProductIndex":
        meta = json.loads((directory / "index.json").read_text())
        products = pd.read_parquet(directory / "products.parquet")
        products["attributes"] = products["attributes"].map(json.loads)
        searcher = None
        if (directory / "scann").exists():
            import scann

            searcher = scann.scann_ops_pybind.load_searcher(str(directory / "scann"))
        return cls(np.load(directory / "embeddings.npy"), products, searcher, meta.get("leaves_to_search"))


@dataclass(frozen=True)
class Fusion:
    """Weighted reciprocal-rank fusion: score = sum of weight / (k + rank), rank from 1.

    RRF needs no score calibration between BM25 and cosine, which differ from
    catalog to catalog; the learned first phase (``retail.ranking``) blends the
    raw scores on top of it."""

    k: float = 60.0
    dense_weight: float = 1.0
    lexical_weight: float = 1.0


@dataclass
class Candidates:
    """First-stage candidates of one query, as parallel arrays sorted by fused score."""

    rows: np.ndarray
    dense: np.ndarray  # cosine with the query (exact, for every candidate)
    bm25: np.ndarray  # BM25 score (0 where no query term matches)
    dense_rank: np.ndarray  # 1-based rank in the dense list; 0 when dense did not return it
    bm25_rank: np.ndarray  # same for BM25
    fused: np.ndarray

    def __len__(self) -> int:
        return len(self.rows)

    def take(self, order: np.ndarray) -> "Candidates":
        return Candidates(*(getattr(self, f)[order] for f in ("rows", "dense", "bm25", "dense_rank", "bm25_rank", "fused")))


class HybridIndex:
    """Dense (ScaNN) and lexical (BM25) retrieval over one catalog, fused; every filter honoured by both."""

    def __init__(self, dense: ProductIndex, lexical, fusion: Fusion = Fusion()):
        self.dense, self.lexical, self.fusion = dense, lexical, fusion

    @property
    def products(self) -> pd.DataFrame:
        return self.dense.products

    def candidates(self, query_vector: np.ndarray, query_text: str, depth: int, filters: Filters | None = None,
                   mode: str = "hybrid") -> Candidates:
        """Up to `depth` products from each retriever (`mode`: hybrid, dense or lexical), fused."""
        keep = None if filters is None or filters.is_empty() else filters.mask(self.products)
        dense_rows = np.zeros(0, dtype=np.int64)
        if mode in ("hybrid", "dense"):
            dense_rows = np.array([row for row, _ in self.dense.search(query_vector, depth, filters)[0]], dtype=np.int64)
        lexical_all = self.lexical.scores(query_text)
        lexical_rows = np.zeros(0, dtype=np.int64)
        if mode in ("hybrid", "lexical"):
            masked = lexical_all if keep is None else np.where(keep, lexical_all, 0.0)
            positive = np.flatnonzero(masked > 0)
            if positive.size > depth:
                positive = positive[np.argpartition(-masked[positive], depth - 1)[:depth]]
            lexical_rows = positive[np.argsort(-masked[positive], kind="stable")]
        rows = np.array(list(dict.fromkeys([*dense_rows.tolist(), *lexical_rows.tolist()])), dtype=np.int64)
        dense_rank = _rank_of(rows, dense_rows)
        bm25_rank = _rank_of(rows, lexical_rows)
        f = self.fusion
        fused = (f.dense_weight * np.where(dense_rank > 0, 1.0 / (f.k + dense_rank), 0.0)
                 + f.lexical_weight * np.where(bm25_rank > 0, 1.0 / (f.k + bm25_rank), 0.0))
        found = Candidates(rows, self.dense.dense_scores(np.ravel(query_vector), rows) if len(rows) else np.zeros(0),
                           lexical_all[rows], dense_rank, bm25_rank, fused)
        return found.take(np.argsort(-found.fused, kind="stable"))

    def save(self, directory: Path, manifest: dict) -> None:
        self.dense.save(directory, manifest)
        self.lexical.save(directory / "bm25")

    @classmethod
    def load(cls, directory: Path, fusion: Fusion = Fusion()) -> "HybridIndex":
        from retail.lexical import LexicalIndex

        dense = ProductIndex.load(directory)
        if (directory / "bm25").exists():
            lexical = LexicalIndex.load(directory / "bm25")
        else:  # an index built before BM25 joined: index the snapshot now
            lexical = LexicalIndex.build(_search_texts(dense.products))
        return cls(dense, lexical, fusion)


def _rank_of(rows: np.ndarray, ranked: np.ndarray) -> np.ndarray:
    position = {row: i + 1 for i, row in enumerate(ranked.tolist())}
    return np.array([position.get(row, 0) for row in rows.tolist()], dtype=np.int64)


def _search_texts(products: pd.DataFrame) -> list[str]:
    from retail.catalog import search_text

    return [search_text(r) for r in products.to_dict(orient="records")]


def build_hybrid_index(embeddings: np.ndarray, products: pd.DataFrame, tuning_queries: np.ndarray, target_recall: float = 0.95):
    """A HybridIndex (ScaNN + BM25) plus the build report."""
    from retail.lexical import LexicalIndex

    dense, report = build_index(embeddings, products, tuning_queries, target_recall)
    started = time.perf_counter()
    lexical = LexicalIndex.build(_search_texts(dense.products))
    return HybridIndex(dense, lexical), report | {"bm25_build_s": round(time.perf_counter() - started, 2)}


def build_index(embeddings: np.ndarray, products: pd.DataFrame, tuning_queries: np.ndarray, target_recall: float = 0.95):
    """A ProductIndex plus the build report (params, build time, recall@10 vs exact)."""
    started = time.perf_counter()
    if len(products) < MIN_ROWS_FOR_SCANN:
        return ProductIndex(embeddings, products), {"backend": "exact", "recall_at_10": 1.0, "build_s": 0.0}
    params = default_scann_params(len(products))
    searcher = build_scann(embeddings, params)
    build_s = time.perf_counter() - started
    leaves, recall, trials = tune_leaves_to_search(searcher, params.num_leaves, embeddings, tuning_queries, target_recall)
    report = {
        "backend": "scann",
        "scann_params": vars(params) | {"leaves_to_search": leaves},
        "recall_at_10": round(recall, 4),
        "tuning": trials,
        "build_s": round(build_s, 2),
    }
    return ProductIndex(embeddings, products, searcher, leaves), report
