"""Rollout: which version serves each request, what the arms did, and the operator's actions.

    GET  /v1/rollout                               the split per model and the judge's last decisions
    GET  /admin/rollout/{model}/history            routing changes (who, when, why) and decisions
    POST /admin/rollout/{model}/canary   {version, steps?, reason}
    POST /admin/rollout/{model}/shadow   {version | null, reason}
    POST /admin/rollout/{model}/promote  {version?, reason}
    POST /admin/rollout/{model}/rollback {reason}

``/admin`` needs ``Authorization: Bearer <token>``; the token is configured
(env ``RETAIL_ADMIN_TOKEN`` or the ingress's ``admin_token_file``), never
defaulted, never logged. With none configured the admin API is off (503).

``RolloutService`` is the ingress's side of rollout: it reads routing from
the registry (a cached read, twice a second at most), assigns each request's
arm, exports per-arm Serve metrics (Prometheus through Ray's metrics
endpoint), and sends the canary and control arms' outcomes to the rollout
controller once a second.
"""

# No `from __future__ import annotations`: FastAPI reads the endpoint annotations.
import asyncio
import logging
import random
import secrets
import time
from collections import deque

from fastapi import APIRouter, Depends, Header
from pydantic import BaseModel, ConfigDict, Field
from ray.serve.handle import DeploymentHandle

from deployments.errors import RequestRefused, call_stage
from deployments.routes import Services, services
from retail.registry import ModelRegistry
from retail.rollout.assignment import CANARY, CONTROL, SHADOW, Split
from retail.rollout.controller import ROLLOUT_MODELS

router = APIRouter()
logger = logging.getLogger("ray.serve")
ROUTING_TTL_S = 0.5
MAX_SHADOW_INFLIGHT = 4  # shadow scoring is best effort: it never queues behind itself
LATENCY_BOUNDARIES_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000]


class _Admin(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field("", max_length=500, description="why: recorded in the routing history")
    actor: str = Field("admin-api", max_length=100, description="who: recorded in the routing history")


class CanaryRequest(_Admin):
    version: str = Field(min_length=1, max_length=100)
    steps: list[float] | None = Field(None, min_length=1, description="canary percent per step, ending at 100")


class ShadowRequest(_Admin):
    version: str | None = Field(description="the version to shadow; null stops shadowing")


class PromoteRequest(_Admin):
    version: str | None = Field(None, description="default: the canary")


def require_admin(authorization: str | None = Header(None), svc: Services = Depends(services)) -> None:
    expected = svc.rollout.admin_token if svc.rollout else None
    if not expected:
        raise RequestRefused(503, "the admin API is off: no admin token is configured "
                                  "(set RETAIL_ADMIN_TOKEN or ingress.admin_token_file)", retry_after_s=60)
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(given.strip().encode(), expected.encode()):
        raise RequestRefused(401, "admin token missing or wrong: send Authorization: Bearer <token>")


async def _controller(svc: Services, method: str, *args, **kwargs) -> dict:
    result = await call_stage("rollout", getattr(svc.rollout.controller, method).remote(*args, **kwargs), 10.0)
    if "error" in result:
        raise RequestRefused(result["status"], result["error"])
    return result


@router.get("/v1/rollout")
async def rollout_status(svc: Services = Depends(services)) -> dict:
    return await _controller(svc, "status")


@router.get("/admin/rollout/{model}/history", dependencies=[Depends(require_admin)])
async def history(model: str, limit: int = 50, svc: Services = Depends(services)) -> dict:
    return await _controller(svc, "history", model, limit)


@router.post("/admin/rollout/{model}/canary", dependencies=[Depends(require_admin)])
async def canary(model: str, body: CanaryRequest, svc: Services = Depends(services)) -> dict:
    return await _controller(svc, "canary", model, body.version, body.actor, body.reason, body.steps)


@router.post("/admin/rollout/{model}/shadow", dependencies=[Depends(require_admin)])
async def shadow(model: str, body: ShadowRequest, svc: Services = Depends(services)) -> dict:
    return await _controller(svc, "shadow", model, body.version, body.actor, body.reason)


@router.post("/admin/rollout/{model}/promote", dependencies=[Depends(require_admin)])
async def promote(model: str, body: PromoteRequest, svc: Services = Depends(services)) -> dict:
    return await _controller(svc, "promote", model, body.actor, body.reason, body.version)


@router.post("/admin/rollout/{model}/rollback", dependencies=[Depends(require_admin)])
async def rollback(model: str, body: _Admin, svc: Services = Depends(services)) -> dict:
    return await _controller(svc, "rollback", model, body.actor, body.reason)


class RolloutService:
    """Arm assignment and outcome reporting for the routers."""

    def __init__(self, registry: ModelRegistry, controller: DeploymentHandle, shadow_sample: float,
                 admin_token: str | None):
        from ray.serve.metrics import Counter, Histogram

        self.registry, self.controller, self.shadow_sample = registry, controller, shadow_sample
        self.admin_token = admin_token
        self._splits: dict[str, Split] = {}
        self._read_at = 0.0
        self._embedder_of: dict[str, str] = {}
        self._outbox: deque[dict] = deque(maxlen=20_000)  # bounded: a controller that is down costs samples, not memory
        self.shadow_inflight = 0
        tags = ("model", "version", "arm")
        self.requests = Counter("retail_model_requests", "requests per model, version and arm, by outcome",
                                tag_keys=(*tags, "outcome"))
        self.latency = Histogram("retail_model_latency_ms", "time in the model's stages, per version and arm",
                                 boundaries=LATENCY_BOUNDARIES_MS, tag_keys=tags)
        self.agreement = Histogram("retail_shadow_agreement", "candidate vs stable top-10 agreement (shadow scoring)",
                                   boundaries=[0.1, 0.25, 0.5, 0.75, 0.9, 0.99], tag_keys=("model", "version"))
        self._flusher = asyncio.get_running_loop().create_task(self._flush_forever())

    def split(self, model: str) -> Split:
        now = time.monotonic()
        if now - self._read_at > ROUTING_TTL_S or model not in self._splits:
            self._read_at = now
            try:
                self._splits = {m: Split.from_routing(self.registry.routing(m)) for m in ROLLOUT_MODELS}
            except (OSError, ValueError):  # a registry hiccup: keep serving the last split read
                logger.exception("reading routing; serving the last split read")
                if model not in self._splits:
                    return Split(None)  # nothing read yet: every replica serves its stable
        return self._splits[model]

    def assign(self, key: str, model: str) -> tuple[str, str | None, float]:
        split = self.split(model)
        arm, version = split.arm(key, model)
        return arm, version, split.canary_percent if split.canary else 0.0

    def embedder_of(self, index_version: str | None) -> str | None:
        """The embedder an index was built with: the two are one unit."""
        if index_version is None:
            return None
        if index_version not in self._embedder_of:
            self._embedder_of[index_version] = self.registry.manifest("index", index_version)["embedder_version"]
        return self._embedder_of[index_version]

    def observe(self, model: str, version: str | None, arm: str, *, error: bool = False, degraded: bool = False,
                latency_ms: float | None = None) -> None:
        tags = {"model": model, "version": version or "none", "arm": arm}
        outcome = "error" if error else "degraded" if degraded else "ok"
        self.requests.inc(tags=tags | {"outcome": outcome})
        if latency_ms is not None and not error:
            self.latency.observe(latency_ms, tags=tags)
        if arm in (CANARY, CONTROL):
            self._outbox.append({"model": model, "version": version, "arm": arm, "error": error,
                                 "degraded": degraded, "latency_ms": latency_ms})

    def observe_clicks(self, user_ids: list[str]) -> None:
        """Clicks count for the arm each shopper is assigned to (search's key), so arms show a click-through."""
        for user_id in user_ids:
            for model in ("index", "reranker"):
                arm, version, _ = self.assign(user_id, model)
                if arm in (CANARY, CONTROL):
                    self._outbox.append({"model": model, "version": version, "arm": arm, "click": True})

    def observe_shadow(self, model: str, version: str, agreement: float | None, error: bool = False) -> None:
        if agreement is not None:
            self.agreement.observe(agreement, tags={"model": model, "version": version})
        self._outbox.append({"model": model, "version": version, "arm": SHADOW, "error": error}
                            | ({"agreement": agreement} if agreement is not None else {}))

    def take_shadow_slot(self) -> bool:
        if self.shadow_inflight >= MAX_SHADOW_INFLIGHT or random.random() >= self.shadow_sample:
            return False
        self.shadow_inflight += 1
        return True

    async def _flush_forever(self) -> None:
        while True:
            await asyncio.sleep(1.0)
            if not self._outbox:
                continue
            batch = [self._outbox.popleft() for _ in range(len(self._outbox))]
            try:
                await call_stage("rollout", self.controller.record.remote(batch), 5.0)
            except Exception:  # the controller restarting: these samples are lost, the judge waits for more
                logger.warning("rollout controller unreachable; %d outcomes not judged", len(batch))
