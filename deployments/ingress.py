"""Serve deployment: the HTTP front door (FastAPI). Read top to bottom for the search path.

    POST /v1/search   query -> embedder -> retriever (ScaNN top-N, filters) -> reranker -> top-k
    GET  /v1/models   the versions and backends serving now
    GET  /healthz     200 when every stage answers, 503 naming the ones that do not (readiness)
    GET  /livez       200 when this ingress replica answers; touches no model (liveness)

Every hop is a DeploymentHandle call with a deadline. Failures map to HTTP in
one place (``_call_stage``): an overloaded stage is 503 with Retry-After, a
stage that is down or too slow is 503 naming it. A failed reranker is not
fatal: results come back in retrieval order and the response says so.
"""

# No `from __future__ import annotations` here: FastAPI reads the endpoint
# annotations to tell the request body from query parameters.
import asyncio
import logging
import time

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from ray import serve
from ray.serve.handle import DeploymentHandle

from retail.schemas import ProductHit, SearchRequest, SearchResponse, StageTimings

logger = logging.getLogger("ray.serve")

app = FastAPI(title="Retail search", version="0.1.0")


class StageUnavailable(Exception):
    def __init__(self, stage: str, reason: str, retry_after_s: int = 1):
        super().__init__(f"{stage} {reason}")
        self.stage, self.reason, self.retry_after_s = stage, reason, retry_after_s


@app.exception_handler(StageUnavailable)
async def _stage_unavailable(_request, exc: StageUnavailable) -> JSONResponse:
    return JSONResponse(
        status_code=503,
        content={"detail": f"the {exc.stage} stage is unavailable: {exc.reason}; retry shortly", "stage": exc.stage},
        headers={"Retry-After": str(exc.retry_after_s)},
    )


async def _call_stage(stage: str, response, timeout_s: float):
    """Await a DeploymentResponse; translate every way it can fail into StageUnavailable."""
    from ray.exceptions import RayActorError
    from ray.serve.exceptions import BackPressureError, DeploymentUnavailableError, ReplicaUnavailableError

    try:
        return await asyncio.wait_for(response, timeout=timeout_s)
    except BackPressureError:
        raise StageUnavailable(stage, "is overloaded (its request queue is full)") from None
    except asyncio.TimeoutError:
        response.cancel()
        raise StageUnavailable(stage, f"did not answer within {timeout_s:g}s") from None
    except (RayActorError, DeploymentUnavailableError, ReplicaUnavailableError) as exc:
        raise StageUnavailable(stage, f"is down ({type(exc).__name__})", retry_after_s=5) from None
    except Exception as exc:  # a model error inside the stage
        logger.exception("%s stage failed", stage)
        raise StageUnavailable(stage, f"failed ({type(exc).__name__})") from None


@serve.deployment(name="ingress")
@serve.ingress(app)
class SearchIngress:
    def __init__(
        self, embedder: DeploymentHandle, retriever: DeploymentHandle, reranker: DeploymentHandle,
        rerank_candidates: int = 50, stage_timeout_s: float = 10.0,
    ):
        self.embedder, self.retriever, self.reranker = embedder, retriever, reranker
        self.rerank_candidates = rerank_candidates
        self.stage_timeout_s = stage_timeout_s

    @app.post("/v1/search", response_model=SearchResponse)
    async def search(self, request: SearchRequest) -> SearchResponse:
        started = time.perf_counter()
        embedded = await _call_stage("embedder", self.embedder.embed.remote(request.query), self.stage_timeout_s)
        embedded_at = time.perf_counter()

        filters = request.filters.model_dump(exclude_none=True) if request.filters else None
        depth = max(request.top_k, self.rerank_candidates)
        retrieved = await _call_stage(
            "retriever", self.retriever.retrieve.remote(embedded["vector"], depth, filters), self.stage_timeout_s
        )
        retrieved_at = time.perf_counter()

        hits, degraded = retrieved["hits"], []
        versions = {"embedder": embedded["version"], "index": retrieved["index_version"]}
        reranker_backend = "none"
        if hits:
            try:
                reranked = await _call_stage(
                    "reranker", self.reranker.rerank.remote((request.query, [h["text"] for h in hits])), self.stage_timeout_s
                )
                for hit, score in zip(hits, reranked["scores"]):
                    hit["score"] = score
                hits.sort(key=lambda h: h["score"], reverse=True)
                versions["reranker"] = reranked["version"]
                reranker_backend = reranked["backend"]
            except StageUnavailable as exc:  # still useful: serve retrieval order
                degraded.append(f"reranker: {exc.reason}")
                for hit in hits:
                    hit["score"] = hit["retrieval_score"]
                reranker_backend = "unavailable"
        finished = time.perf_counter()

        return SearchResponse(
            query=request.query,
            user_id=request.user_id,
            results=[ProductHit(**hit) for hit in hits[: request.top_k]],
            model_versions=versions,
            reranker_backend=reranker_backend,
            retrieval_backend=retrieved["backend"],
            timings_ms=StageTimings(
                embed_ms=1000 * (embedded_at - started),
                retrieve_ms=1000 * (retrieved_at - embedded_at),
                rerank_ms=1000 * (finished - retrieved_at),
                total_ms=1000 * (finished - started),
            ),
            degraded=degraded,
        )

    @app.get("/v1/models")
    async def models(self) -> dict:
        stages = await self._stage_infos()
        missing = [name for name, info in stages.items() if info is None]
        if missing:
            raise StageUnavailable(", ".join(missing), "did not report its model")
        return {"models": stages}

    @app.get("/livez")
    async def livez(self) -> dict:
        return {"status": "alive"}

    @app.get("/healthz")
    async def healthz(self):
        stages = await self._stage_infos(timeout_s=min(self.stage_timeout_s, 5.0))
        down = [name for name, info in stages.items() if info is None]
        body = {"status": "ok" if not down else "degraded", "stages": {n: ("ok" if i else "down") for n, i in stages.items()}}
        if down:
            return JSONResponse(status_code=503, content=body, headers={"Retry-After": "5"})
        return body

    async def _stage_infos(self, timeout_s: float | None = None) -> dict[str, dict | None]:
        names = ("embedder", "retriever", "reranker")
        calls = [getattr(self, name).info.remote() for name in names]
        results = await asyncio.gather(
            *(_call_stage(n, c, timeout_s or self.stage_timeout_s) for n, c in zip(names, calls)), return_exceptions=True
        )
        return {n: (r if not isinstance(r, Exception) else None) for n, r in zip(names, results)}

