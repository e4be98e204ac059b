"""Serve deployment: the hybrid first stage (ScaNN + BM25, filters) and the phase-1 ranker (LTR).

Phase 1 runs here, next to the catalog and the BM25 index, so a few hundred
candidates and their features never cross a hop: only the leaders travel on
to the cross-encoder.
"""

from __future__ import annotations

import asyncio

import numpy as np
from ray import serve

from retail.catalog import present, product_text
from retail.embedder import embedder_version
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
        manifest = registry.manifest("index", index_version)
        if manifest["embedder_version"] != embedder_version():
            raise RuntimeError(
                f"index {index_version} was built with {manifest['embedder_version']} but this replica embeds with "
                f"{embedder_version()}; rebuild it: python -m training.build_index"
            )
        self.version = index_version
        self.index = HybridIndex.load(directory, fusion)
        self.features = ProductFeatures(self.index.products)
        self.ranker = _load_ranker(registry, ltr_version)
        records = self.index.products.to_dict(orient="records")
        self.rows = [{k: (r.get(k) if present(r.get(k)) else None) for k in RESULT_FIELDS} for r in records]
        self.texts = [product_text(r) for r in records]

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


@serve.deployment(name="retriever")
class RetrieverDeployment:
    def __init__(self, registry_root: str | None = None):
        self.registry = ModelRegistry(registry_root)
        self.loaded: LoadedIndex | None = None

    def reconfigure(self, user_config: dict) -> None:
        # Build the new version completely, then swap one reference: requests in
        # flight keep the LoadedIndex they started with.
        fusion = Fusion(**{k: user_config[k] for k in ("k", "dense_weight", "lexical_weight") if k in user_config})
        self.loaded = LoadedIndex(
            self.registry, user_config.get("index_version", "stable"), user_config.get("ltr_version", "stable"), fusion
        )

    async def retrieve(self, vector: np.ndarray, query: str, k: int, depth: int, filters: dict | None = None) -> dict:
        loaded = self.loaded
        hits = await asyncio.to_thread(loaded.retrieve, vector, query, k, depth, Filters(**(filters or {})))
        return {
            "index_version": loaded.version,
            "ltr_version": loaded.ranker.version if loaded.ranker else None,
            "backend": loaded.index.dense.backend + "+bm25",
            "hits": hits,
        }

    def info(self) -> dict:
        loaded = self.loaded
        return {
            "version": loaded.version, "backend": loaded.index.dense.backend + "+bm25", "products": len(loaded.rows),
            "ltr_version": loaded.ranker.version if loaded.ranker else None,
        }
