"""The search API: ``POST /v1/search``, and the search path the assistant also uses.

    admit -> embedder -> retriever (hybrid ScaNN + BM25, filters, phase 1 LTR)
          -> cross-encoder over the leaders (phase 2, optional) -> top-k

Every search runs under a latency budget (``search_slo_ms``). Admission
control refuses at once (503 + Retry-After) what the mandatory stages cannot
take within their share of it, and a client over its rate gets 429. Phase 2
is optional: when its predicted cost exceeds what is left of the budget it is
skipped before it queues, and the phase-1 order is served with ``degraded``
saying why.
"""

# No `from __future__ import annotations`: FastAPI reads the endpoint annotations.
import asyncio

from fastapi import APIRouter, Depends, Request
from ray.serve.handle import DeploymentHandle

from deployments.routes import Services, services
from deployments.errors import RequestRefused, StageUnavailable, call_stage
from retail.admission import AdaptiveConcurrencyLimit, ClientRateLimit, Deadline, StageLatency
from retail.ranking import blend_second_phase
from retail.schemas import ProductHit, SearchRequest, SearchResponse, StageTimings
from retail.settings import IngressSettings

router = APIRouter()
PHASE2_RESERVE = 0.1  # share of the budget kept back from phase 2


@router.post("/v1/search", response_model=SearchResponse)
async def search(request: SearchRequest, http_request: Request, svc: Services = Depends(services)) -> SearchResponse:
    client = http_request.client.host if http_request.client else "?"
    return await svc.search.search(request, client)


class SearchService:
    """The search path over the embedder, retriever and reranker handles, under a latency budget."""

    def __init__(self, embedder: DeploymentHandle, retriever: DeploymentHandle, reranker: DeploymentHandle,
                 settings: IngressSettings):
        self.embedder, self.retriever, self.reranker = embedder, retriever, reranker
        self.settings = s = settings
        self.slo_s = s.search_slo_ms / 1000
        self.admission = AdaptiveConcurrencyLimit(target_latency_s=s.admission_latency_share * self.slo_s)
        self.rerank_latency = StageLatency()
        self.client_limit = ClientRateLimit(s.per_client_rps, s.per_client_burst) if s.per_client_rps else None

    async def search(self, request: SearchRequest, client: str) -> SearchResponse:
        s = self.settings
        self._check_client_rate(request.user_id or client)
        deadline = Deadline(self.slo_s)
        if s.enforce_budget and not self.admission.try_acquire():
            raise RequestRefused(503, "search is at capacity: it cannot answer within its latency budget now; retry shortly")

        # Mandatory stages: embed, then hybrid retrieval + phase 1. With the budget on
        # they may run to twice the SLO before the request is given up as a 503.
        sample = True
        try:
            embedded = await call_stage("embedder", self.embedder.embed.remote(request.query), self._mandatory_timeout(deadline))
            embedded_at = deadline.elapsed()
            filters = request.filters.model_dump(exclude_none=True) if request.filters else None
            k = max(request.top_k, s.rerank_depth)
            retrieved = await call_stage(
                "retriever", self.retriever.retrieve.remote(embedded["vector"], request.query, k, s.retrieval_depth, filters),
                self._mandatory_timeout(deadline),
            )
            retrieved_at = deadline.elapsed()
        except asyncio.CancelledError:  # the client went away: no latency sample
            sample = False
            raise
        finally:  # a stage that failed slowly is a sign of overload too: its time counts
            if s.enforce_budget:
                self.admission.release(deadline.elapsed() if sample else None)

        hits, degraded = retrieved["hits"], []
        for hit in hits:
            hit["score"] = hit["first_phase_score"]
        versions = {"embedder": embedded["version"], "index": retrieved["index_version"]}
        if retrieved["ltr_version"]:
            versions["ltr"] = retrieved["ltr_version"]
        reranker_backend = await self._second_phase(request.query, hits, deadline, versions, degraded)
        finished = deadline.elapsed()

        return SearchResponse(
            query=request.query,
            user_id=request.user_id,
            results=[ProductHit(**hit) for hit in hits[: request.top_k]],
            model_versions=versions,
            reranker_backend=reranker_backend,
            retrieval_backend=retrieved["backend"],
            timings_ms=StageTimings(
                embed_ms=1000 * embedded_at, retrieve_ms=1000 * (retrieved_at - embedded_at),
                rerank_ms=1000 * (finished - retrieved_at), total_ms=1000 * finished,
            ),
            budget_ms=s.search_slo_ms if s.enforce_budget else None,
            degraded=degraded,
        )

    async def _second_phase(self, query: str, hits: list[dict], deadline: Deadline, versions: dict, degraded: list) -> str:
        """Re-score the phase-1 leaders with the cross-encoder, if it fits the budget. Returns the backend used."""
        leaders = hits[: self.settings.rerank_depth]
        if not leaders:
            return "none"
        timeout = self.settings.stage_timeout_s
        if self.settings.enforce_budget:
            # Leave a tenth of the budget for the answer's way back (serialisation, proxy).
            timeout = deadline.remaining() - PHASE2_RESERVE * self.slo_s
            predicted = self.rerank_latency.predicted_s(len(leaders))
            if not self.rerank_latency.admits(len(leaders), timeout):
                degraded.append(f"reranker: skipped, predicted {1000 * predicted:.0f} ms > {1000 * max(timeout, 0):.0f} ms left")
                return "skipped"
        self.rerank_latency.items_inflight += len(leaders)
        try:
            reranked = await call_stage("reranker", self.reranker.rerank.remote((query, [h["text"] for h in leaders])), timeout)
        except StageUnavailable as exc:
            self.rerank_latency.missed_deadline()  # later requests skip it before queueing
            degraded.append(f"reranker: {exc.reason}")  # still useful: serve the phase-1 order
            return "skipped"
        finally:
            self.rerank_latency.items_inflight -= len(leaders)
        if reranked["version"] is None:
            return "none"
        self.rerank_latency.observe(reranked["service_ms"] / 1000, reranked["batch_pairs"])
        first = [h["first_phase_score"] for h in leaders]
        blended = blend_second_phase(first, reranked["scores"], reranked["blend_weight"])
        # Phase 2 reorders the leaders; `score` stays on the phase-1 scale (the i-th leader gets the
        # i-th best phase-1 score), so scores fall monotonically down the whole list.
        reordered = [leaders[i] for i in sorted(range(len(leaders)), key=lambda i: -blended[i])]
        for hit, score in zip(reordered, sorted(first, reverse=True)):
            hit["score"] = score
        hits[: len(leaders)] = reordered
        versions["reranker"] = reranked["version"]
        return reranked["backend"]

    def _mandatory_timeout(self, deadline: Deadline) -> float:
        if self.settings.enforce_budget:
            return deadline.remaining() + self.slo_s
        return self.settings.stage_timeout_s

    def _check_client_rate(self, client: str) -> None:
        if self.client_limit and not self.client_limit.allow(client):
            raise RequestRefused(
                429, f"too many requests from this client (limit {self.settings.per_client_rps:g}/s)",
                self.client_limit.retry_after_s(),
            )
