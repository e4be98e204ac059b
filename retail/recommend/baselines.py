"""The two classic recommenders: popularity and item-kNN (item-item cosine over who interacted with what).

They are the baselines every evaluation prints, and two of the serving
recommender's candidate sources (trending, and "bought or viewed together").
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from retail.recommend.interactions import Step


class Popularity:
    def __init__(self, counts: np.ndarray):
        self.counts = counts.astype(np.float32)

    @classmethod
    def fit(cls, sequences: dict[str, list[Step]], n_items: int) -> "Popularity":
        counts = np.zeros(n_items, dtype=np.float32)
        for steps in sequences.values():
            for s in steps:
                counts[s.item] += 1
        return cls(counts)

    def scores(self) -> np.ndarray:
        return np.log1p(self.counts)

    def long_tail(self, head_share: float = 0.2) -> np.ndarray:
        """Items outside the most popular ``head_share`` of the catalogue (ties broken by row)."""
        head = np.argsort(-self.counts, kind="stable")[: int(round(head_share * len(self.counts)))]
        mask = np.ones(len(self.counts), dtype=bool)
        mask[head] = False
        return mask


class ItemKNN:
    """Cosine similarity between items' shopper vectors, the ``neighbours`` nearest kept per item."""

    def __init__(self, similarity: sparse.csr_matrix):
        self.similarity = similarity

    @classmethod
    def fit(cls, sequences: dict[str, list[Step]], n_items: int, neighbours: int = 100,
            shrink: float = 10.0) -> "ItemKNN":
        users, items = [], []
        for u, steps in enumerate(sequences.values()):
            for item in {s.item for s in steps}:
                users.append(u)
                items.append(item)
        matrix = sparse.csr_matrix((np.ones(len(users), np.float32), (users, items)),
                                   shape=(len(sequences), n_items))
        co = (matrix.T @ matrix).tocsr().astype(np.float32)
        norms = np.sqrt(co.diagonal())
        co.setdiag(0)
        co.eliminate_zeros()
        co = co.tocoo()
        # Shrinkage keeps two items seen together once from looking like twins.
        values = co.data / (norms[co.row] * norms[co.col] + shrink)
        sim = sparse.csr_matrix((values, (co.row, co.col)), shape=(n_items, n_items))
        return cls(top_per_row(sim, neighbours))

    def scores(self, history: list[int], weights: list[float] | None = None) -> np.ndarray:
        if not history:
            return np.zeros(self.similarity.shape[0], dtype=np.float32)
        w = np.ones(len(history), np.float32) if weights is None else np.asarray(weights, np.float32)
        vector = sparse.csr_matrix((w, (np.zeros(len(history), int), history)), shape=(1, self.similarity.shape[0]))
        return np.asarray((vector @ self.similarity).todense()).ravel()

    def save(self, path) -> None:
        sparse.save_npz(path, self.similarity)

    @classmethod
    def load(cls, path) -> "ItemKNN":
        return cls(sparse.load_npz(path).tocsr())


def top_per_row(matrix: sparse.csr_matrix, k: int) -> sparse.csr_matrix:
    rows, cols, vals = [], [], []
    for i in range(matrix.shape[0]):
        start, end = matrix.indptr[i], matrix.indptr[i + 1]
        if end == start:
            continue
        data, idx = matrix.data[start:end], matrix.indices[start:end]
        keep = np.argsort(-data)[:k]
        rows.extend([i] * len(keep))
        cols.extend(idx[keep])
        vals.extend(data[keep])
    return sparse.csr_matrix((np.asarray(vals, np.float32), (rows, cols)), shape=matrix.shape)
