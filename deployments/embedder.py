"""Serve deployment: the text embedder, batching concurrent requests into one forward pass."""

from __future__ import annotations

import asyncio

import numpy as np
from ray import serve

from retail.embedder import Embedder


@serve.deployment(name="embedder")
class EmbedderDeployment:
    def __init__(self, device: str = "cpu", cpu_threads: int = 1, max_batch_size: int = 32, batch_wait_timeout_s: float = 0.005):
        import torch

        torch.set_num_threads(cpu_threads)
        self.embedder = Embedder(device=device)
        self.embed.set_max_batch_size(max_batch_size)
        self.embed.set_batch_wait_timeout_s(batch_wait_timeout_s)
        self.embedder.encode(["warm up"])  # first call pays tokenizer and kernel set-up

    @serve.batch(max_batch_size=32, batch_wait_timeout_s=0.005)
    async def embed(self, texts: list[str]) -> list[dict]:
        # Off the event loop, so health checks and queueing go on during the forward pass.
        vectors: np.ndarray = await asyncio.to_thread(self.embedder.encode, texts)
        return [{"vector": v, "version": self.embedder.version, "batch_size": len(texts)} for v in vectors]

    async def embed_unbatched(self, text: str) -> dict:
        """One request, one forward pass: the baseline bench/embedder_batching.py compares against."""
        vector = (await asyncio.to_thread(self.embedder.encode, [text]))[0]
        return {"vector": vector, "version": self.embedder.version, "batch_size": 1}

    async def embed_many(self, texts: list[str]) -> np.ndarray:
        """Several texts of one caller (policy sentences, a product's spec lines): one forward pass."""
        return await asyncio.to_thread(self.embedder.encode, texts)

    def info(self) -> dict:
        return {"version": self.embedder.version, "device": self.embedder.device, "fp16": self.embedder.fp16}
