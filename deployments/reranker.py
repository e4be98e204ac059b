"""Serve deployment: the cross-encoder (phase 2), one engine call per batch of searches.

With no stable version (none trained, or none passed the promotion gate) or
``version: none`` the replica starts without an engine and says so; the
ingress then serves the phase-1 order.
"""

from __future__ import annotations

import asyncio
import time

import numpy as np
from ray import serve

from retail.registry import ModelRegistry
from retail.reranker import Reranker, load_reranker


@serve.deployment(name="reranker")
class RerankerDeployment:
    def __init__(
        self, registry_root: str | None = None, backend: str = "auto", device: str = "cpu", cpu_threads: int = 1,
        max_batch_size: int = 4, batch_wait_timeout_s: float = 0.005, fault_delay_ms: float = 0.0,
    ):
        if device == "cpu":
            import torch

            torch.set_num_threads(cpu_threads)
        self.registry = ModelRegistry(registry_root)
        self.backend, self.device, self.cpu_threads = backend, device, cpu_threads
        self.engine: Reranker | None = None
        self.blend_weight = 1.0
        self.fault_delay_s = fault_delay_ms / 1000
        self.rerank.set_max_batch_size(max_batch_size)
        self.rerank.set_batch_wait_timeout_s(batch_wait_timeout_s)

    def reconfigure(self, user_config: dict) -> None:
        version = user_config.get("version", "stable")
        if version == "stable":
            version = self.registry.stable("reranker")
        if version in (None, "none"):
            self.engine = None
            return
        directory = self.registry.path("reranker", version)
        engine = load_reranker(directory, self.backend, self.device, self.cpu_threads)
        engine.score(["warm up"], ["warm up"])
        blend_weight = float(self.registry.manifest("reranker", version).get("blend_weight", 1.0))
        self.engine, self.blend_weight = engine, blend_weight  # swap; in-flight batches keep the engine they hold

    @serve.batch(max_batch_size=4, batch_wait_timeout_s=0.005)
    async def rerank(self, requests: list[tuple[str, list[str]]]) -> list[dict]:
        engine, blend_weight = self.engine, self.blend_weight
        if engine is None:  # phase 2 is off: the ingress serves the phase-1 order
            return [{"scores": None, "version": None, "backend": "none"} for _ in requests]
        started = time.perf_counter()
        if self.fault_delay_s:
            await asyncio.sleep(self.fault_delay_s)
        queries = [query for query, docs in requests for _ in docs]
        documents = [doc for _, docs in requests for doc in docs]
        scores: np.ndarray = await asyncio.to_thread(engine.score, queries, documents) if documents else np.zeros(0)
        service_ms = 1000 * (time.perf_counter() - started)
        out, start = [], 0
        for _, docs in requests:
            out.append({
                "scores": scores[start : start + len(docs)].tolist(), "version": engine.version, "backend": engine.backend,
                "blend_weight": blend_weight, "service_ms": service_ms, "batch_pairs": len(documents),
            })
            start += len(docs)
        return out

    def info(self) -> dict:
        if self.engine is None:
            return {"version": None, "backend": "none", "device": self.device,
                    "note": "no stable cross-encoder (none trained or none passed the gate): phase 1 order is served"}
        return {"version": self.engine.version, "backend": self.engine.backend, "device": self.device,
                "blend_weight": self.blend_weight}
