"""Serve deployment: the cross-encoder (phase 2), one engine call per batch of searches.

The replica holds every version routing names (stable, and a canary or
shadow beside it), loaded in the background (``retail.rollout.resident``), and
each request names the version assigned to it. With no stable version (none
trained, or none passed the promotion gate) or ``version: none`` the replica
has no engine and says so; the ingress then serves the phase-1 order.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from ray import serve

from retail.registry import ModelRegistry
from retail.reranker import Reranker, load_reranker
from retail.rollout.drills import DrilledScorer, load_drill
from retail.rollout.resident import ResidentVersions

RERANKER_MODEL = "reranker"


@dataclass(frozen=True)
class LoadedReranker:
    engine: Reranker
    blend_weight: float


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
        self.versions: ResidentVersions[LoadedReranker] | None = None
        self.fault_delay_s = fault_delay_ms / 1000
        self.rerank.set_max_batch_size(max_batch_size)
        self.rerank.set_batch_wait_timeout_s(batch_wait_timeout_s)

    def _load(self, version: str) -> LoadedReranker:
        engine = load_reranker(self.registry.path(RERANKER_MODEL, version), self.backend, self.device, self.cpu_threads)
        drill = load_drill(self.registry, RERANKER_MODEL, version)
        if drill:
            engine = DrilledScorer(engine, drill)
        if not drill.get("error"):
            engine.score(["warm up"], ["warm up"])  # the first call pays kernel set-up: before traffic, not during
        blend_weight = float(self.registry.manifest(RERANKER_MODEL, version).get("blend_weight", 1.0))
        if drill.get("random"):
            blend_weight = 1.0  # the drill's version orders the leaders alone: its ranking is noise
        return LoadedReranker(engine, blend_weight)

    def reconfigure(self, user_config: dict) -> None:
        # Only a config change comes here (routing changes are watched): build the new set, then swap.
        version = user_config.get("version", "stable")
        previous = self.versions
        self.versions = None if version == "none" else ResidentVersions(
            self.registry, RERANKER_MODEL, self._load, pinned=None if version == "stable" else version).start()
        if previous is not None:
            previous.stop()

    # Two batches in flight: while a canary or shadow version scores one batch, stable's next batch is not
    # held behind it (a slow candidate must not slow the shoppers on stable; the judge sees it on its own arm).
    @serve.batch(max_batch_size=4, batch_wait_timeout_s=0.005, max_concurrent_batches=2)
    async def rerank(self, requests: list[tuple]) -> list[dict]:
        """Each request: (query, documents, version or None for stable). One engine call per version in the
        batch, the versions' calls side by side, each timed on its own (a slow canary's time is its own)."""
        if self.fault_delay_s:
            await asyncio.sleep(self.fault_delay_s)
        groups: dict[str | None, list[int]] = defaultdict(list)
        for i, request in enumerate(requests):
            groups[request[2] if len(request) > 2 else None].append(i)
        out: list[dict | None] = [None] * len(requests)
        await asyncio.gather(*(self._score_group(requests, members, asked, out) for asked, members in groups.items()))
        return out

    async def _score_group(self, requests: list[tuple], members: list[int], asked: str | None, out: list) -> None:
        version, loaded = self.versions.get(asked) if self.versions else (None, None)
        if loaded is None:  # phase 2 is off: the ingress serves the phase-1 order
            for i in members:
                out[i] = {"scores": None, "version": None, "backend": "none"}
            return
        queries = [requests[i][0] for i in members for _ in requests[i][1]]
        documents = [doc for i in members for doc in requests[i][1]]
        started = time.perf_counter()
        try:
            scores = await asyncio.to_thread(loaded.engine.score, queries, documents) if documents else np.zeros(0)
        except Exception as exc:  # one version failing fails its own requests only (the ingress degrades them)
            for i in members:
                out[i] = {"error": f"{type(exc).__name__}: {exc}", "version": version}
            return
        service_ms = 1000 * (time.perf_counter() - started)
        start = 0
        for i in members:
            n = len(requests[i][1])
            out[i] = {
                "scores": scores[start : start + n].tolist(), "version": version, "backend": loaded.engine.backend,
                "blend_weight": loaded.blend_weight, "service_ms": service_ms, "batch_pairs": len(documents),
            }
            start += n

    def info(self) -> dict:
        if self.versions is None or self.versions.stable is None:
            return {"version": None, "backend": "none", "device": self.device,
                    "note": "no stable cross-encoder (none trained or none passed the gate): phase 1 order is served"}
        _, loaded = self.versions.get()
        return {"version": self.versions.stable, "backend": loaded.engine.backend, "device": self.device,
                "blend_weight": loaded.blend_weight, **self.versions.info()}
