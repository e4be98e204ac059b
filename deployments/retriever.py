"""Serve deployment: the hybrid first stage (ScaNN + BM25, filters) and the phase-1 ranker (LTR).

Phase 1 runs here, next to the catalog and the BM25 index, so a few hundred
candidates and their features never cross a hop: only the leaders travel on
to the cross-encoder.
"""

from __future__ import annotations

import asyncio

import numpy as np
from ray import serve

from retail.index import Filters, Fusion
from retail.registry import ModelRegistry
from retail.retrieval import LoadedIndex


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

    async def details(self, product_ids: list[str]) -> list[dict | None]:
        return self.loaded.details(product_ids)

    def info(self) -> dict:
        loaded = self.loaded
        return {
            "version": loaded.version, "backend": loaded.index.dense.backend + "+bm25", "products": len(loaded.rows),
            "ltr_version": loaded.ranker.version if loaded.ranker else None,
        }
