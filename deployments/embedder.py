"""Serve deployment: the text embedder, batching concurrent requests into one forward pass.

An index and the embedder that built it move as one unit: the replica holds
the embedder of every index version routing names (stable, canary, shadow),
each request names the embedder version of the index it will search, and the
packaged base model is always held (the assistant's intent head and policy
index were built on it).
"""

from __future__ import annotations

import asyncio
from collections import defaultdict

import numpy as np
from ray import serve

from retail.embedder import Embedder, embedder_version, load_embedder
from retail.registry import ModelRegistry
from retail.rollout.resident import ResidentVersions


@serve.deployment(name="embedder")
class EmbedderDeployment:
    def __init__(self, registry_root: str | None = None, device: str = "cpu", cpu_threads: int = 1,
                 max_batch_size: int = 32, batch_wait_timeout_s: float = 0.005):
        import torch

        torch.set_num_threads(cpu_threads)
        self.registry, self.device = ModelRegistry(registry_root), device
        self.base_version = embedder_version()
        self.versions: ResidentVersions[Embedder] = ResidentVersions(
            self.registry, "index", self._load, follow=self._embedder_of_index, held_model="embedder",
            always=(self.base_version,),
        ).start()
        self.embed.set_max_batch_size(max_batch_size)
        self.embed.set_batch_wait_timeout_s(batch_wait_timeout_s)

    def _embedder_of_index(self, index_version: str) -> str:
        return self.registry.manifest("index", index_version)["embedder_version"]

    def _load(self, version: str) -> Embedder:
        embedder = load_embedder(self.registry, version, device=self.device)
        embedder.encode(["warm up"])  # first call pays tokenizer and kernel set-up, before traffic
        return embedder

    def _embedder(self, version: str | None) -> Embedder:
        served, embedder = self.versions.get(version or self.base_version)
        return embedder

    @serve.batch(max_batch_size=32, batch_wait_timeout_s=0.005)
    async def embed(self, texts: list[str], versions: list[str | None]) -> list[dict]:
        """Each request: (text, embedder version; None = the base model). One forward pass per version in the batch."""
        groups: dict[str | None, list[int]] = defaultdict(list)
        for i, version in enumerate(versions):
            groups[version].append(i)
        out: list[dict | None] = [None] * len(texts)
        for version, members in groups.items():
            embedder = self._embedder(version)
            # Off the event loop, so health checks and queueing go on during the forward pass.
            vectors: np.ndarray = await asyncio.to_thread(embedder.encode, [texts[i] for i in members])
            for i, vector in zip(members, vectors):
                out[i] = {"vector": vector, "version": embedder.version, "batch_size": len(texts)}
        return out

    async def embed_unbatched(self, text: str) -> dict:
        """One request, one forward pass: the baseline bench/embedder_batching.py compares against."""
        embedder = self._embedder(None)
        vector = (await asyncio.to_thread(embedder.encode, [text]))[0]
        return {"vector": vector, "version": embedder.version, "batch_size": 1}

    async def embed_many(self, texts: list[str], version: str | None = None) -> np.ndarray:
        """Several texts of one caller (policy sentences, a product's spec lines): one forward pass."""
        return await asyncio.to_thread(self._embedder(version).encode, texts)

    def info(self) -> dict:
        embedder = self._embedder(self.versions.stable)
        return {"version": embedder.version, "device": embedder.device, "fp16": embedder.fp16, **self.versions.info()}
