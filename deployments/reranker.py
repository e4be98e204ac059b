"""Serve deployment: the cross-encoder reranker, one engine call per batch of searches."""

from __future__ import annotations

import asyncio

import numpy as np
from ray import serve

from retail.registry import ModelRegistry
from retail.reranker import Reranker, load_reranker


@serve.deployment(name="reranker")
class RerankerDeployment:
    def __init__(
        self, registry_root: str | None = None, backend: str = "auto", device: str = "cpu", cpu_threads: int = 1,
        max_batch_size: int = 4, batch_wait_timeout_s: float = 0.005,
    ):
        if device == "cpu":
            import torch

            torch.set_num_threads(cpu_threads)
        self.registry = ModelRegistry(registry_root)
        self.backend, self.device, self.cpu_threads = backend, device, cpu_threads
        self.engine: Reranker | None = None
        self.rerank.set_max_batch_size(max_batch_size)
        self.rerank.set_batch_wait_timeout_s(batch_wait_timeout_s)

    def reconfigure(self, user_config: dict) -> None:
        version = user_config.get("version", "stable")
        if version == "stable":
            version, directory = self.registry.require_stable("reranker", "python -m training.train_reranker")
        else:
            directory = self.registry.path("reranker", version)
        engine = load_reranker(directory, self.backend, self.device, self.cpu_threads)
        engine.score(["warm up"], ["warm up"])
        self.engine = engine  # atomic swap; in-flight batches keep the engine they hold

    @serve.batch(max_batch_size=4, batch_wait_timeout_s=0.005)
    async def rerank(self, requests: list[tuple[str, list[str]]]) -> list[dict]:
        engine = self.engine
        queries = [query for query, docs in requests for _ in docs]
        documents = [doc for _, docs in requests for doc in docs]
        scores: np.ndarray = await asyncio.to_thread(engine.score, queries, documents) if documents else np.zeros(0)
        out, start = [], 0
        for _, docs in requests:
            out.append({"scores": scores[start : start + len(docs)].tolist(), "version": engine.version, "backend": engine.backend})
            start += len(docs)
        return out

    def info(self) -> dict:
        return {"version": self.engine.version, "backend": self.engine.backend, "device": self.device}
