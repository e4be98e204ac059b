"""How every failure of a stage becomes HTTP, in one place, for every router.

A stage (a DeploymentHandle call) can be overloaded, slow, down or broken;
``call_stage`` turns each into ``StageUnavailable`` (503 + Retry-After), and
``RequestRefused`` covers refusals decided at the ingress (429, 503).
"""

from __future__ import annotations

import asyncio
import logging

from fastapi import FastAPI
from fastapi.responses import JSONResponse

logger = logging.getLogger("ray.serve")


class RequestRefused(Exception):
    """Answered at once with `status` and Retry-After: overload (503), a client over its rate (429), a stage down."""

    def __init__(self, status: int, detail: str, retry_after_s: int = 1, stage: str | None = None):
        super().__init__(detail)
        self.status, self.detail, self.retry_after_s, self.stage = status, detail, retry_after_s, stage


class StageUnavailable(RequestRefused):
    """``kind``: "failed" (the stage raised: a bug or a bad model), "down", or "late" (a timeout, a full queue,
    no time left: overload). A canary is judged on the first two as errors and on "late" as degraded."""

    def __init__(self, stage: str, reason: str, retry_after_s: int = 1, kind: str = "failed"):
        super().__init__(503, f"the {stage} stage is unavailable: {reason}; retry shortly", retry_after_s, stage)
        self.reason, self.kind = reason, kind


async def _refused(_request, exc: RequestRefused) -> JSONResponse:
    body = {"detail": exc.detail} | ({"stage": exc.stage} if exc.stage else {})
    return JSONResponse(status_code=exc.status, content=body, headers={"Retry-After": str(exc.retry_after_s)})


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestRefused, _refused)


async def call_stage(stage: str, response, timeout_s: float):
    """Await a DeploymentResponse; translate every way it can fail into StageUnavailable."""
    from ray.exceptions import RayActorError
    from ray.serve.exceptions import BackPressureError, DeploymentUnavailableError, ReplicaUnavailableError

    if timeout_s <= 0:
        response.cancel()
        raise StageUnavailable(stage, "had no time left in the request's budget", kind="late")
    try:
        return await asyncio.wait_for(response, timeout=timeout_s)
    except BackPressureError:
        raise StageUnavailable(stage, "is overloaded (its request queue is full)", kind="late") from None
    except asyncio.TimeoutError:
        response.cancel()
        raise StageUnavailable(stage, f"did not answer within {timeout_s:.3g}s", kind="late") from None
    except (RayActorError, DeploymentUnavailableError, ReplicaUnavailableError) as exc:
        raise StageUnavailable(stage, f"is down ({type(exc).__name__})", retry_after_s=5, kind="down") from None
    except Exception as exc:  # a model error inside the stage
        logger.exception("%s stage failed", stage)
        raise StageUnavailable(stage, f"failed ({type(exc).__name__})") from None
