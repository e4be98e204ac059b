"""Fault injection for rollback drills: a version whose manifest carries ``drill`` misbehaves on purpose.

An operator rehearses a rollback (and the tests prove one) by publishing a
copy of a good version with, in its manifest::

    "drill": {"error": true}          every call raises
    "drill": {"slowdown": 10}         every call takes 10x as long
    "drill": {"random": true}         scores are random and not blended with phase 1: the ranking is noise
    "drill": {"load_delay_s": 8}      loading takes 8 s longer (a big model)
    "drill": {"load_error": true}     loading fails

A version without ``drill`` is untouched.
"""

from __future__ import annotations

import time

import numpy as np

from retail.registry import ModelRegistry


def load_drill(registry: ModelRegistry, model: str, version: str) -> dict:
    path = registry.path(model, version) / "manifest.json"  # a packaged model (the base embedder) has none
    return dict(registry.manifest(model, version).get("drill") or {}) if path.exists() else {}


class DrilledScorer:
    """Wraps a scorer (``score(queries, documents) -> np.ndarray``) with the drill's faults."""

    def __init__(self, scorer, drill: dict):
        self.scorer, self.drill = scorer, drill
        self.rng = np.random.default_rng(0)

    def __getattr__(self, name):
        return getattr(self.scorer, name)

    def score(self, queries: list[str], documents: list[str]) -> np.ndarray:
        if self.drill.get("error"):
            raise RuntimeError("drill: this version fails every call")
        started = time.perf_counter()
        scores = self.scorer.score(queries, documents)
        slowdown = float(self.drill.get("slowdown", 1))
        if slowdown > 1:
            time.sleep((slowdown - 1) * (time.perf_counter() - started))
        if self.drill.get("random"):
            scores = self.rng.standard_normal(len(documents)).astype(np.float32) * float(np.std(scores) or 1)
        return scores
