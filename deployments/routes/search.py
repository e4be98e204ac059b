"""The search API: ``POST /v1/search``, and the search path the assistant also uses.

    admit -> embedder -> retriever (hybrid ScaNN + BM25, filters, phase 1 LTR)
          -> cross-encoder over the leaders (phase 2, optional) -> top-k

Every search runs under a latency budget (``search_slo_ms``). Admission
control refuses at once (503 + Retry-After) what the mandatory stages cannot
take within their share of it, and a client over its rate gets 429. Phase 2
is optional: when its predicted cost exceeds what is left of the budget it is
skipped before it queues, and the phase-1 order is served with ``degraded``
saying why.

Each request is assigned an arm per model under rollout (``routes/rollout.py``):
the index (with the embedder that built it: one unit, never mixed) and the
cross-encoder. The response names the versions and arms that served it, and a
sample of stable's requests is also scored by the candidate version in the
background (shadow scoring) to measure how far its ranking departs from stable's.
"""

# No `from __future__ import annotations`: FastAPI reads the endpoint annotations.
import asyncio
import time
import uuid

from fastapi import APIRouter, Depends, Request
from ray.serve.handle import DeploymentHandle

from deployments.routes import Services, services
from deployments.errors import RequestRefused, StageUnavailable, call_stage
from retail.admission import AdaptiveConcurrencyLimit, ClientRateLimit, Deadline, StageLatency
from retail.ranking import blend_second_phase
from retail.rollout.assignment import CANARY
from retail.rollout.judge import top_k_agreement
from retail.schemas import ProductHit, RolloutArm, SearchRequest, SearchResponse, StageTimings
from retail.settings import IngressSettings

router = APIRouter()
PHASE2_RESERVE = 0.1  # share of the budget kept back from phase 2
SHADOW_TIMEOUT_S = 2.0


@router.post("/v1/search", response_model=SearchResponse)
async def search(request: SearchRequest, http_request: Request, svc: Services = Depends(services)) -> SearchResponse:
    client = http_request.client.host if http_request.client else "?"
    return await svc.search.search(request, client)


class SearchService:
    """The search path over the embedder, retriever and reranker handles, under a latency budget."""

    def __init__(self, embedder: DeploymentHandle, retriever: DeploymentHandle, reranker: DeploymentHandle,
                 settings: IngressSettings, rollout, recommend=None):
        self.embedder, self.retriever, self.reranker = embedder, retriever, reranker
        self.rollout = rollout  # routes.rollout.RolloutService
        self.recommend = recommend  # routes.recommend.RecommendService: a shopper's affinities, for user_id
        self.settings = s = settings
        self.slo_s = s.search_slo_ms / 1000
        self.admission = AdaptiveConcurrencyLimit(target_latency_s=s.admission_latency_share * self.slo_s)
        self.rerank_latency: dict[str | None, StageLatency] = {}  # per version: a slow canary must not skip stable
        self._shadow_tasks: set[asyncio.Task] = set()
        self.client_limit = ClientRateLimit(s.per_client_rps, s.per_client_burst) if s.per_client_rps else None

    async def search(self, request: SearchRequest, client: str) -> SearchResponse:
        s = self.settings
        self._check_client_rate(request.user_id or client)
        deadline = Deadline(self.slo_s)
        if s.enforce_budget and not self.admission.try_acquire():
            raise RequestRefused(503, "search is at capacity: it cannot answer within its latency budget now; retry shortly")

        # A shopper's affinities are read while the stages run; they re-order the page at the end.
        affinities = self._start_affinities(request.user_id)
        # One shopper, one arm per model, for the whole step (a stable hash); without a shopper, per request.
        key = request.user_id or uuid.uuid4().hex
        index_arm, index_version, index_percent = self.rollout.assign(key, "index")
        rerank_arm, rerank_version, rerank_percent = self.rollout.assign(key, "reranker")
        embedder_version = self.rollout.embedder_of(index_version)

        # Mandatory stages: embed, then hybrid retrieval + phase 1. With the budget on
        # they may run to twice the SLO before the request is given up as a 503.
        sample = True
        filters = request.filters.model_dump(exclude_none=True) if request.filters else None
        try:
            embedded = await call_stage(
                "embedder", self.embedder.embed.remote(request.query, embedder_version), self._mandatory_timeout(deadline))
            embedded_at = deadline.elapsed()
            k = max(request.top_k, s.rerank_depth)
            retrieved = await call_stage(
                "retriever",
                self.retriever.retrieve.remote(embedded["vector"], request.query, k, s.retrieval_depth, filters, index_version),
                self._mandatory_timeout(deadline),
            )
            if retrieved["embedder_version"] != embedded["version"]:
                # One side of the unit served another version than assigned (a replica still loading it):
                # embed again with the index's own embedder, so a query never meets another model's vectors.
                embedded = await call_stage("embedder", self.embedder.embed.remote(
                    request.query, retrieved["embedder_version"]), self._mandatory_timeout(deadline))
                if embedded["version"] != retrieved["embedder_version"]:
                    raise StageUnavailable("embedder", "is still loading the index's embedder", kind="late")
                retrieved = await call_stage("retriever", self.retriever.retrieve.remote(
                    embedded["vector"], request.query, k, s.retrieval_depth, filters, retrieved["index_version"]),
                    self._mandatory_timeout(deadline))
            retrieved_at = deadline.elapsed()
        except asyncio.CancelledError:  # the client went away: no latency sample
            sample = False
            if affinities:
                affinities.cancel()
            raise
        except StageUnavailable as exc:
            if affinities:
                affinities.cancel()
            late = exc.kind == "late"
            self.rollout.observe("index", index_version, index_arm, error=not late, degraded=late)
            raise
        finally:  # a stage that failed slowly is a sign of overload too: its time counts
            if s.enforce_budget:
                self.admission.release(deadline.elapsed() if sample else None)

        served_index = retrieved["index_version"]
        if served_index != index_version:  # the replica has not loaded the assigned version yet: it served stable
            index_arm = "stable"
        self.rollout.observe("index", served_index, index_arm, latency_ms=1000 * retrieved_at)
        hits, degraded = retrieved["hits"], []
        for hit in hits:
            hit["score"] = hit["first_phase_score"]
        first_phase_ids = [h["product_id"] for h in hits[: s.rerank_depth or 10]]
        versions = {"embedder": embedded["version"], "index": served_index}
        if retrieved["ltr_version"]:
            versions["ltr"] = retrieved["ltr_version"]
        leaders = list(hits[: s.rerank_depth])
        reranker_backend, served_reranker = await self._second_phase(
            request.query, hits, deadline, versions, degraded, rerank_version, rerank_arm)
        if served_reranker != rerank_version:
            rerank_arm = "stable"
        reranked_by_stable = reranker_backend not in ("skipped", "none") and rerank_arm != CANARY
        # Shadow scoring compares models, so it sees the order before any shopper's taste re-orders it.
        self._maybe_shadow(request.query, filters, k, index_arm, first_phase_ids, leaders if reranked_by_stable else [], hits)
        # Only the leaders are re-ordered: past them scores come from another phase, on another scale.
        leaders_now = hits[: s.rerank_depth or request.top_k]
        personalization = await self._personalize(leaders_now, affinities, deadline, degraded)
        hits[: len(leaders_now)] = leaders_now
        finished = deadline.elapsed()

        return SearchResponse(
            query=request.query,
            user_id=request.user_id,
            results=[ProductHit(**hit) for hit in hits[: request.top_k]],
            model_versions=versions,
            rollout={
                "index": RolloutArm(arm=index_arm, version=served_index, canary_percent=index_percent),
                "reranker": RolloutArm(arm=rerank_arm, version=served_reranker, canary_percent=rerank_percent),
            },
            reranker_backend=reranker_backend,
            retrieval_backend=retrieved["backend"],
            timings_ms=StageTimings(
                embed_ms=1000 * embedded_at, retrieve_ms=1000 * (retrieved_at - embedded_at),
                rerank_ms=1000 * (finished - retrieved_at), total_ms=1000 * finished,
            ),
            budget_ms=s.search_slo_ms if s.enforce_budget else None,
            degraded=degraded,
            personalization=personalization,
        )

    def _start_affinities(self, user_id: str | None) -> asyncio.Task | None:
        if not user_id or self.recommend is None or self.recommend.settings.search_weight <= 0:
            return None
        return asyncio.get_running_loop().create_task(self.recommend.call("affinities", user_id))

    async def _personalize(self, hits: list[dict], affinities: asyncio.Task | None, deadline: Deadline,
                           degraded: list) -> float | None:
        """Blend the shopper's category and brand affinities into the order (``search_weight``): the page's
        scores rescaled to [0, 1], plus the weight times the shopper's share for the hit's category and brand.
        Optional: when the profile is not there in time the page is served unpersonalised and says so."""
        if affinities is None:
            return None
        try:
            found = await asyncio.wait_for(affinities, timeout=max(0.0, self.slo_s - deadline.elapsed()) or 0.001)
        except (asyncio.TimeoutError, StageUnavailable) as exc:
            affinities.cancel()
            degraded.append(f"personalization: the shopper's profile was not ready ({type(exc).__name__})")
            return None
        if not found["events"] or not hits:
            return 0.0
        weight = self.recommend.settings.search_weight
        scores = [h["score"] for h in hits]
        low, spread = min(scores), (max(scores) - min(scores)) or 1.0
        for h in hits:
            taste = found["category"].get(h.get("category"), 0.0) + found["brand"].get(h.get("brand"), 0.0)
            h["score"] = (1 - weight) * (h["score"] - low) / spread + weight * taste
        hits.sort(key=lambda h: -h["score"])
        return weight

    async def _second_phase(self, query: str, hits: list[dict], deadline: Deadline, versions: dict, degraded: list,
                            version: str | None, arm: str) -> tuple[str, str | None]:
        """Re-score the phase-1 leaders with the cross-encoder version assigned, if it fits the budget.

        Returns (backend used, version that served). A failure of the version is recorded against its arm
        and the shopper gets the phase-1 order."""
        leaders = hits[: self.settings.rerank_depth]
        if not leaders:
            return "none", None
        latency = self._rerank_latency(version)
        timeout = self.settings.stage_timeout_s
        if self.settings.enforce_budget:
            # Leave a tenth of the budget for the answer's way back (serialisation, proxy).
            timeout = deadline.remaining() - PHASE2_RESERVE * self.slo_s
            predicted = latency.predicted_s(len(leaders))
            if not latency.admits(len(leaders), timeout):
                degraded.append(f"reranker: skipped, predicted {1000 * predicted:.0f} ms > {1000 * max(timeout, 0):.0f} ms left")
                self.rollout.observe("reranker", version, arm, degraded=True)
                return "skipped", version
        latency.items_inflight += len(leaders)
        started = time.perf_counter()
        try:
            reranked = await call_stage(
                "reranker", self.reranker.rerank.remote((query, [h["text"] for h in leaders], version)), timeout)
            if "error" in reranked:
                raise StageUnavailable("reranker", f"failed ({reranked['error']})")
        except StageUnavailable as exc:
            late = exc.kind == "late"
            if late:
                latency.missed_deadline()  # later requests skip it before queueing
            degraded.append(f"reranker: {exc.reason}")  # still useful: serve the phase-1 order
            self.rollout.observe("reranker", version, arm, error=not late, degraded=late)
            return "skipped", version
        finally:
            latency.items_inflight -= len(leaders)
        if reranked["version"] is None:
            return "none", None
        latency.observe(reranked["service_ms"] / 1000, reranked["batch_pairs"])
        self.rollout.observe("reranker", reranked["version"], arm if reranked["version"] == version else "stable",
                             latency_ms=1000 * (time.perf_counter() - started))
        reordered = _reorder(leaders, reranked)
        for hit, score in zip(reordered, sorted((h["first_phase_score"] for h in leaders), reverse=True)):
            hit["score"] = score
        hits[: len(leaders)] = reordered
        versions["reranker"] = reranked["version"]
        return reranked["backend"], reranked["version"]

    def _rerank_latency(self, version: str | None) -> StageLatency:
        """The cost model of one version; a new one starts from stable's estimate, not an optimistic default."""
        if version not in self.rerank_latency:
            stable = self.rerank_latency.get(self.rollout.split("reranker").stable)
            self.rerank_latency[version] = StageLatency(stable.per_item_s) if stable else StageLatency()
        return self.rerank_latency[version]

    def _maybe_shadow(self, query: str, filters: dict | None, k: int, index_arm: str, first_phase_ids: list[str],
                      leaders: list[dict], hits: list[dict]) -> None:
        """Score a sample of stable-served requests with the candidate version too, off the response path.

        ``leaders``: phase 1's leaders when stable's cross-encoder ordered them (else empty: nothing to compare)."""
        candidate = self.rollout.split("reranker").candidate
        # A candidate too slow for shadow scoring is not sent more: its calls would hold the replica's
        # batch slots that stable's shoppers need (it still gets a probe a second, as any slow stage).
        if leaders and candidate and self._rerank_latency(candidate).admits(len(leaders), SHADOW_TIMEOUT_S) \
                and self.rollout.take_shadow_slot():
            served = [h["product_id"] for h in hits[: len(leaders)]]
            self._spawn(self._shadow_rerank(query, leaders, served, candidate))
        if index_arm != CANARY and (candidate := self.rollout.split("index").candidate) and self.rollout.take_shadow_slot():
            self._spawn(self._shadow_index(query, filters, k, first_phase_ids, candidate))

    def _spawn(self, coroutine) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._shadow_tasks.add(task)  # the loop keeps only weak references to tasks

        def done(finished: asyncio.Task) -> None:
            self._shadow_tasks.discard(finished)
            self.rollout.shadow_inflight -= 1

        task.add_done_callback(done)

    async def _shadow_rerank(self, query: str, leaders: list[dict], served: list[str], candidate: str) -> None:
        latency = self._rerank_latency(candidate)
        latency.items_inflight += len(leaders)
        try:
            reranked = await call_stage(
                "reranker", self.reranker.rerank.remote((query, [h["text"] for h in leaders], candidate)), SHADOW_TIMEOUT_S)
        except StageUnavailable as exc:
            if exc.kind == "late":
                latency.missed_deadline()
            self.rollout.observe_shadow("reranker", candidate, None, error=exc.kind != "late")
            return
        finally:
            latency.items_inflight -= len(leaders)
        if reranked.get("version") != candidate:  # not loaded yet
            return
        if "error" in reranked:
            self.rollout.observe_shadow("reranker", candidate, None, error=True)
            return
        latency.observe(reranked["service_ms"] / 1000, reranked["batch_pairs"])
        ordered = [h["product_id"] for h in _reorder(leaders, reranked)]
        self.rollout.observe_shadow("reranker", candidate, top_k_agreement(served, ordered, len(leaders)))

    async def _shadow_index(self, query: str, filters: dict | None, k: int, served: list[str], candidate: str) -> None:
        try:
            embedded = await call_stage(
                "embedder", self.embedder.embed.remote(query, self.rollout.embedder_of(candidate)), SHADOW_TIMEOUT_S)
            retrieved = await call_stage(
                "retriever", self.retriever.retrieve.remote(
                    embedded["vector"], query, k, self.settings.retrieval_depth, filters, candidate), SHADOW_TIMEOUT_S)
        except StageUnavailable:
            self.rollout.observe_shadow("index", candidate, None, error=True)
            return
        if retrieved["index_version"] != candidate or retrieved["embedder_version"] != embedded["version"]:
            return  # not loaded everywhere yet
        ordered = [h["product_id"] for h in retrieved["hits"][: len(served)]]
        self.rollout.observe_shadow("index", candidate, top_k_agreement(served, ordered, retrieved["products"]))

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


def _reorder(leaders: list[dict], reranked: dict) -> list[dict]:
    """The leaders in phase 2's order: the cross-encoder's scores blended with phase 1's."""
    first = [h["first_phase_score"] for h in leaders]
    blended = blend_second_phase(first, reranked["scores"], reranked["blend_weight"])
    return [leaders[i] for i in sorted(range(len(leaders)), key=lambda i: -blended[i])]
