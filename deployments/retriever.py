"""Serve deployment: the hybrid first stage (ScaNN + BM25, filters) and the phase-1 ranker (LTR).

Phase 1 runs here, next to the catalog and the BM25 index, so a few hundred
candidates and their features never cross a hop: only the leaders travel on
to the cross-encoder. The replica holds every index version routing names
(``retail.rollout.resident``), loaded in the background beside the serving one.
"""

from __future__ import annotations

import asyncio

import numpy as np
from ray import serve

from retail.index import Filters, Fusion
from retail.registry import ModelRegistry
from retail.retrieval import LoadedIndex
from retail.rollout.resident import ResidentVersions

INDEX_MODEL = "index"


@serve.deployment(name="retriever")
class RetrieverDeployment:
    def __init__(self, registry_root: str | None = None):
        self.registry = ModelRegistry(registry_root)
        self.versions: ResidentVersions[LoadedIndex] | None = None

    def reconfigure(self, user_config: dict) -> None:
        # A config change (fusion weights, a pinned version) rebuilds the set; routing changes never come here.
        fusion = Fusion(**{k: user_config[k] for k in ("k", "dense_weight", "lexical_weight") if k in user_config})
        ltr_version = user_config.get("ltr_version", "stable")
        pinned = user_config.get("index_version", "stable")
        if pinned == "stable" and self.registry.stable(INDEX_MODEL) is None:
            self.registry.require_stable(INDEX_MODEL, "python -m training.build_index")  # names the command
        versions = ResidentVersions(
            self.registry, INDEX_MODEL, lambda v: LoadedIndex(self.registry, v, ltr_version, fusion),
            pinned=None if pinned == "stable" else pinned,
        )
        if self.versions is not None:
            self.versions.stop()
        self.versions = versions.start()

    async def retrieve(self, vector: np.ndarray, query: str, k: int, depth: int, filters: dict | None = None,
                       index_version: str | None = None) -> dict:
        version, loaded = self.versions.get(index_version)
        hits = await asyncio.to_thread(loaded.retrieve, vector, query, k, depth, Filters(**(filters or {})))
        return {
            "index_version": version,
            "embedder_version": loaded.embedder_version,
            "ltr_version": loaded.ranker.version if loaded.ranker else None,
            "backend": loaded.index.dense.backend + "+bm25",
            "products": len(loaded.rows),
            "hits": hits,
        }

    async def details(self, product_ids: list[str]) -> list[dict | None]:
        return self.versions.get()[1].details(product_ids)

    async def vocabulary(self) -> dict:
        """The served catalog's types and audiences, in the embedding space of ``embedder_version``."""
        version, loaded = self.versions.get()
        return {"index_version": version, "embedder_version": loaded.embedder_version,
                "vocabulary": await asyncio.to_thread(loaded.vocabulary)}

    def categories(self) -> list[str]:
        """The served catalog's categories (the shopper page's filter)."""
        return sorted({row["category"] for row in self.versions.get()[1].rows if row.get("category")})

    def info(self) -> dict:
        version, loaded = self.versions.get()
        return {
            "version": version, "backend": loaded.index.dense.backend + "+bm25", "products": len(loaded.rows),
            "ltr_version": loaded.ranker.version if loaded.ranker else None,
            "embedder_version": loaded.embedder_version, **self.versions.info(),
        }
