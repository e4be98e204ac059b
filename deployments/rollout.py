"""Serve deployment: the rollout controller. Judges canaries every interval, steps them up or rolls them back.

One replica. It keeps no state that matters in memory: routing, the rollout's
step and every decision are in the registry, so a restarted replica (Serve
restarts it if it dies) carries on where it was. The ingress replicas send
it per-request outcomes (``record``); the admin API and the operator CLI call
its actions, which are idempotent. Actions return ``{"error", "status"}``
instead of raising, so the ingress can answer 4xx with the message.
"""

from __future__ import annotations

import asyncio
import logging

from ray import serve
from ray.serve.handle import DeploymentHandle

from deployments.errors import call_stage
from retail.registry import ArtifactMissing, ModelRegistry
from retail.rollout.controller import ROLLOUT_MODELS, RolloutController
from retail.settings import RolloutSettings

logger = logging.getLogger("ray.serve")


# No CPU reserved: it wakes once an interval, and a reserved fraction would starve Ray Data jobs on a 4-CPU node.
@serve.deployment(name="rollout", num_replicas=1, ray_actor_options={"num_cpus": 0})
class RolloutDeployment:
    async def __init__(self, embedder: DeploymentHandle, retriever: DeploymentHandle, reranker: DeploymentHandle,
                       recommender: DeploymentHandle | None = None, settings: dict | None = None,
                       registry_root: str | None = None):
        self.settings = RolloutSettings.model_validate(settings or {})
        self.registry = ModelRegistry(registry_root)
        models = ROLLOUT_MODELS if recommender is not None else tuple(m for m in ROLLOUT_MODELS if m != "recommender")
        self.controller = RolloutController(self.registry, self.settings.plan(), models)
        # Which replicas must hold a model's candidate before it takes traffic.
        self.holders = {"reranker": [("reranker", reranker, lambda v: v)],
                        "index": [("retriever", retriever, lambda v: v), ("embedder", embedder, self._embedder_of)],
                        "recommender": [("recommender", recommender, lambda v: v)] if recommender else []}
        self._loop = asyncio.get_running_loop().create_task(self._run())

    def _embedder_of(self, index_version: str) -> str:
        return self.registry.manifest("index", index_version)["embedder_version"]

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.settings.interval_s)
            for model in self.controller.models:
                try:
                    state = self.controller.state(model)
                    residency = None
                    if state.get("status") == "loading":
                        try:
                            residency = await self._residency(model, state["version"])
                        except Exception as exc:  # a holder down or slow: not loaded yet (load_timeout_s still runs)
                            residency = {"version": state["version"], "resident": False}
                            logger.warning("asking %s's holders about %s: %r", model, state["version"], exc)
                    self.controller.tick(model, residency)
                except Exception:  # one bad interval must not stop the loop
                    logger.exception("rollout tick for %s", model)

    async def _residency(self, model: str, version: str) -> dict:
        """Whether every holder of the model reports the candidate loaded (or failed to load)."""
        resident = True
        for stage, handle, held_version in self.holders[model]:
            held = held_version(version)
            # Ask a few times: each call reaches one replica, and every replica must hold it.
            for _ in range(3):
                info = await call_stage(stage, handle.info.remote(), 5.0)
                if info.get("pinned"):
                    return {"version": version, "resident": False,
                            "error": f"{stage} is pinned to {info['pinned']} by its config; it follows no canary"}
                if held in info.get("load_errors", {}):
                    return {"version": version, "resident": False, "error": f"{stage}: {info['load_errors'][held]}"}
                resident &= held in info.get("resident", [])
        return {"version": version, "resident": resident}

    # -- the ingress's feed ------------------------------------------------------------------
    def record(self, records: list[dict]) -> None:
        self.controller.record(records)

    # -- reads and operator actions ----------------------------------------------------------------
    def status(self, model: str | None = None) -> dict:
        models = [model] if model else list(self.controller.models)
        if model and model not in self.controller.models:
            return self._unknown(model)
        return {"interval_s": self.settings.interval_s, "steps": self.settings.steps,
                "models": {m: self.controller.status(m) for m in models}}

    def history(self, model: str, limit: int = 50) -> dict:
        if model not in self.controller.models:
            return self._unknown(model)
        return {"routing_history": self.registry.routing_history(model, limit),
                "decisions": self.controller.decisions(model, limit)}

    def canary(self, model: str, version: str, actor: str, reason: str, steps: list[float] | None = None) -> dict:
        return self._act(lambda: self.controller.start_canary(model, version, actor, reason, steps), model)

    def shadow(self, model: str, version: str | None, actor: str, reason: str) -> dict:
        return self._act(lambda: self.controller.set_shadow(model, version, actor, reason), model)

    def promote(self, model: str, actor: str, reason: str, version: str | None = None) -> dict:
        return self._act(lambda: self.controller.promote(model, actor, reason, version), model)

    def rollback(self, model: str, actor: str, reason: str) -> dict:
        return self._act(lambda: self.controller.rollback(model, actor, reason), model)

    def _unknown(self, model: str) -> dict:
        return {"error": f"no model {model!r} under rollout (known: {list(self.controller.models)})", "status": 404}

    def _act(self, action, model: str) -> dict:
        if model not in self.controller.models:
            return self._unknown(model)
        try:
            return {"result": action(), "routing": self.registry.routing(model)}
        except ArtifactMissing as exc:
            return {"error": str(exc), "status": 404}
        except ValueError as exc:
            return {"error": str(exc), "status": 409}

    def info(self) -> dict:
        return {"models": list(self.controller.models), "interval_s": self.settings.interval_s}
