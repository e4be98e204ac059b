"""Operations: which models serve, readiness and liveness.

    GET /v1/models   the versions and backends serving now
    GET /healthz     200 when every stage answers, 503 naming the ones that do not (readiness)
    GET /livez       200 when this ingress replica answers; touches no model (liveness)
"""

# No `from __future__ import annotations`: FastAPI reads the endpoint annotations.
import asyncio

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from deployments.routes import Services, services
from deployments.errors import StageUnavailable, call_stage

router = APIRouter()


@router.get("/v1/models")
async def models(svc: Services = Depends(services)) -> dict:
    stages = await stage_infos(svc.stages, svc.stage_timeout_s)
    missing = [name for name, info in stages.items() if info is None]
    if missing:
        raise StageUnavailable(", ".join(missing), "did not report its model")
    chat = svc.chat
    return {"models": stages | ({"assistant": chat.info()} if chat else {})}


@router.get("/livez")
async def livez() -> dict:
    return {"status": "alive"}


@router.get("/healthz")
async def healthz(svc: Services = Depends(services)):
    stages = await stage_infos(svc.stages, min(svc.stage_timeout_s, 5.0))
    down = [name for name, info in stages.items() if info is None]
    body = {"status": "ok" if not down else "degraded", "stages": {n: ("ok" if i else "down") for n, i in stages.items()}}
    if down:
        return JSONResponse(status_code=503, content=body, headers={"Retry-After": "5"})
    return body


async def stage_infos(stages: dict, timeout_s: float) -> dict[str, dict | None]:
    names = list(stages)
    results = await asyncio.gather(
        *(call_stage(n, stages[n].info.remote(), timeout_s) for n in names), return_exceptions=True,
    )
    return {n: (r if not isinstance(r, Exception) else None) for n, r in zip(names, results)}
