"""A served index version: hybrid retrieval + phase-1 ranking + product lookup, precomputed. No Ray needed.

The retriever deployment holds one ``LoadedIndex`` per version and swaps the
reference on reconfigure; the chat evaluation and benchmarks use the same
class in-process.
"""

from __future__ import annotations

import numpy as np

from retail.assistant.planner import CatalogVocabulary
from retail.catalog import present, product_attributes, product_text
from retail.index import Filters, Fusion, HybridIndex
from retail.ranking import FirstPhaseRanker, ProductFeatures, rank_first_phase
from retail.registry import ModelRegistry


RESULT_FIELDS = ["product_id", "title", "price", "category", "brand", "in_stock", "rating"]


class LoadedIndex:
    """An index version and a ranker version with everything a request needs precomputed."""

    def __init__(self, registry: ModelRegistry, index_version: str, ltr_version: str, fusion: Fusion):
        if index_version == "stable":
            index_version, directory = registry.require_stable("index", "python -m training.build_index")
        else:
            directory = registry.path("index", index_version)
        # The embedder that built an index is part of it: queries must be embedded by the same one (the
        # ingress asks the embedder deployment for exactly this version).
        self.embedder_version = registry.manifest("index", index_version)["embedder_version"]
        self.version = index_version
        self.index = HybridIndex.load(directory, fusion)
        self.features = ProductFeatures(self.index.products)
        self.ranker = _load_ranker(registry, ltr_version)
        records = self.index.products.to_dict(orient="records")
        self.rows = [{k: (r.get(k) if present(r.get(k)) else None) for k in RESULT_FIELDS} for r in records]
        self.texts = [product_text(r) for r in records]
        self.row_of = {row["product_id"]: i for i, row in enumerate(self.rows)}
        self.descriptions = [r.get("description") if present(r.get("description")) else None for r in records]
        self.attributes = [{k: v for k, v in product_attributes(r).items() if present(v)} for r in records]
        self._vocabulary: CatalogVocabulary | None = None

    def vocabulary(self) -> CatalogVocabulary:
        """The catalog's product types (with embedding centroids) and audiences, for the assistant's planner."""
        if self._vocabulary is None:
            self._vocabulary = CatalogVocabulary.from_products(
                self.attributes, [row.get("category") for row in self.rows], self.index.dense.embeddings)
        return self._vocabulary

    def details(self, product_ids: list[str]) -> list[dict | None]:
        """Full records (description, attributes) for product ids; None for an id not in this version."""
        out = []
        for product_id in product_ids:
            row = self.row_of.get(product_id)
            out.append(None if row is None else
                       {**self.rows[row], "description": self.descriptions[row], "attributes": self.attributes[row]})
        return out

    def retrieve(self, vector: np.ndarray, query: str, k: int, depth: int, filters: Filters) -> list[dict]:
        candidates, scores = rank_first_phase(self.index, self.features, self.ranker, vector, query, max(k, depth), filters)
        return [
            {**self.rows[row], "text": self.texts[row], "retrieval_score": float(dense), "bm25_score": float(bm25),
             "first_phase_score": float(score)}
            for row, dense, bm25, score in zip(candidates.rows[:k], candidates.dense, candidates.bm25, scores)
        ]


def _load_ranker(registry: ModelRegistry, version: str) -> FirstPhaseRanker | None:
    if version == "none":
        return None
    if version == "stable":
        version = registry.stable("ltr")
        if version is None:  # none trained, or none passed the gate: serve the fused order
            return None
    return FirstPhaseRanker.load(registry.path("ltr", version))
