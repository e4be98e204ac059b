"""Serve deployment: ScaNN retrieval over the stable (or configured) index version."""

from __future__ import annotations

import asyncio

import numpy as np
from ray import serve

from retail.catalog import product_text
from retail.embedder import embedder_version
from retail.index import Filters, ProductIndex
from retail.registry import ModelRegistry

RESULT_FIELDS = ["product_id", "title", "price", "category", "brand", "in_stock", "rating"]


class LoadedIndex:
    """An index version with everything a request needs precomputed."""

    def __init__(self, registry: ModelRegistry, version: str):
        if version == "stable":
            version, directory = registry.require_stable("index", "python -m training.build_index")
        else:
            directory = registry.path("index", version)
        manifest = registry.manifest("index", version)
        if manifest["embedder_version"] != embedder_version():
            raise RuntimeError(
                f"index {version} was built with {manifest['embedder_version']} but this replica embeds with "
                f"{embedder_version()}; rebuild it: python -m training.build_index"
            )
        self.version = version
        self.index = ProductIndex.load(directory)
        records = self.index.products.to_dict(orient="records")
        self.rows = [{k: r[k] for k in RESULT_FIELDS} for r in records]
        self.texts = [product_text(r) for r in records]


@serve.deployment(name="retriever")
class RetrieverDeployment:
    def __init__(self, registry_root: str | None = None):
        self.registry = ModelRegistry(registry_root)
        self.loaded: LoadedIndex | None = None

    def reconfigure(self, user_config: dict) -> None:
        # Build the new version completely, then swap one reference: requests in
        # flight keep the LoadedIndex they started with.
        self.loaded = LoadedIndex(self.registry, user_config.get("index_version", "stable"))

    async def retrieve(self, vector: np.ndarray, k: int, filters: dict | None = None) -> dict:
        loaded = self.loaded
        hits = await asyncio.to_thread(loaded.index.search, vector[None, :], k, Filters(**(filters or {})))
        return {
            "index_version": loaded.version,
            "backend": loaded.index.backend,
            "hits": [{**loaded.rows[row], "text": loaded.texts[row], "retrieval_score": score} for row, score in hits[0]],
        }

    def info(self) -> dict:
        return {"version": self.loaded.version, "backend": self.loaded.index.backend, "products": len(self.loaded.rows)}
