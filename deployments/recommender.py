"""Serve deployment: the event store's writer and reader, shopper profiles, and recommendations.

It owns the event store (``retail.recommend.store``): events are written here,
durably, before ``/v1/events`` answers, and profiles are computed from a
shopper's latest events on every read, so an event shows in the next profile
and the next recommendations at once. With the embedded SQLite store several
replicas on one node share the file; across nodes, use Redis.

The recommender versions follow routing like the other models
(``retail.rollout.resident``): stable, a canary beside it, hot-swapped. With no
trained version yet it still serves, from profiles, context and popularity.
The items are the stable index's products with the index's own vectors, and
texts (searches, chat mentions, a context) are embedded by the embedder that
built that index.

Personalised reasons: the copy job (``training.generate_copy``) writes LLM
reasons, checked against the catalog, for (shopper, product) pairs; the
stable ``copy`` version's are held here and followed like the models
(``generated_reasons`` turns them off). A result whose pair has one shows it
with ``reason_source: "llm"``, unless the request's context ranked it (then
"related to ..." is the reason). Lookups only: nothing is generated on a
request.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict

import numpy as np
from ray import serve
from ray.serve.handle import DeploymentHandle

from retail.index import Filters
from retail.insights.copywriting import load_reasons
from retail.paths import DEMO_EVENTS, events_url
from retail.recommend.baselines import ItemKNN
from retail.recommend.datasets import index_items
from retail.recommend.events import InvalidEvents, check_products
from retail.recommend.interactions import EVENT_WEIGHT
from retail.recommend.profile import build_profile
from retail.recommend.recommender import Recommender, RecommenderArtifact
from retail.recommend.store import open_store, read_event_log
from retail.registry import ModelRegistry
from retail.rollout.drills import load_drill
from retail.rollout.resident import ResidentVersions
from retail.settings import RecommenderSettings

logger = logging.getLogger("ray.serve")
RECOMMENDER_MODEL = "recommender"
COPY_MODEL = "copy"  # generated reasons (training.generate_copy)
COPY_POLL_S = 5.0
TEXT_CACHE = 20_000
TRENDING_TTL_S = 15.0
RESULT_FIELDS = ("product_id", "title", "price", "category", "brand", "in_stock", "rating")


@serve.deployment(name="recommender")
class RecommenderDeployment:
    async def __init__(self, embedder: DeploymentHandle, registry_root: str | None = None, settings: dict | None = None):
        self.settings = s = RecommenderSettings.model_validate(settings or {})
        self.embedder = embedder
        self.registry = ModelRegistry(registry_root)
        self.items, self.index_version, self.embedder_version = index_items(self.registry)
        self.known = frozenset(self.items.ids)
        self.store = open_store(s.events or events_url())
        if s.seed_demo_events and self.store.count() == 0 and DEMO_EVENTS.exists():
            await asyncio.to_thread(self._seed_demo)
        self._texts: OrderedDict[str, np.ndarray] = OrderedDict()
        self._trending: tuple[float, np.ndarray] | None = None
        self.fallback = Recommender(self._empty_artifact(), self.items, None, **self._page_options())
        self.versions: ResidentVersions[Recommender] | None = None
        if s.version != "none":
            pinned = None if s.version == "stable" else s.version
            self.versions = ResidentVersions(self.registry, RECOMMENDER_MODEL, self._load, pinned=pinned).start()
        self.reasons: ResidentVersions[dict] | None = None
        if s.generated_reasons:
            try:
                self.reasons = ResidentVersions(self.registry, COPY_MODEL, self._load_reasons).start(COPY_POLL_S)
            except Exception:  # optional: a broken copy version costs the generated reasons, never the replica
                logger.exception("the stable %s version failed to load: results keep their template reasons", COPY_MODEL)

    # -- set-up ----------------------------------------------------------------------------------
    def _page_options(self) -> dict:
        s = self.settings
        return {"diversity": s.diversity, "duplicate_similarity": s.duplicate_similarity,
                "long_tail_share": s.long_tail_share, "new_item_share": s.new_item_share}

    def _load(self, version: str) -> Recommender:
        artifact = RecommenderArtifact.load(self.registry.path(RECOMMENDER_MODEL, version))
        trained_with = artifact.meta.get("embedder_version")
        if trained_with and trained_with != self.embedder_version:
            logger.warning("recommender %s was trained on %s's vectors; this index uses %s: its text half is off",
                           version, trained_with, self.embedder_version)
        recommender = Recommender(artifact, self.items, version, **self._page_options())
        recommender.drill = load_drill(self.registry, RECOMMENDER_MODEL, version)  # rollback rehearsals
        return recommender

    def _load_reasons(self, version: str) -> dict[tuple[str, str], str]:
        return load_reasons(self.registry.path(COPY_MODEL, version) / "reasons.jsonl")

    def _empty_artifact(self) -> RecommenderArtifact:
        """No trained version: popularity (hence long tail and "new") from the events stored so far."""
        from scipy import sparse

        n = len(self.items)
        counts = np.zeros(n, np.float32)
        for product_id, by_type in self.store.popularity(0.0).items():
            row = self.items.row_of.get(product_id)
            if row is not None:
                counts[row] = sum(by_type.values())
        return RecommenderArtifact(list(self.items.ids), counts,
                                   ItemKNN(sparse.csr_matrix((n, n), dtype=np.float32)), None, {}, {})

    def _seed_demo(self) -> None:
        events = [e for e in read_event_log(DEMO_EVENTS) if e.get("product_id") in self.known or not e.get("product_id")]
        for start in range(0, len(events), 2000):
            self.store.append(events[start: start + 2000])
        logger.info("seeded the empty event store with %d demo events", len(events))

    def _recommender(self, version: str | None) -> Recommender:
        if self.versions is None:
            return self.fallback
        _, recommender = self.versions.get(version)
        return recommender or self.fallback

    # -- events -----------------------------------------------------------------------------------
    async def ingest(self, records: list[dict]) -> dict:
        """Write a validated batch (all or nothing). Returns counts, or the items the catalog refuses."""
        try:
            check_products(records, self.known)
        except InvalidEvents as exc:
            return {"problems": exc.problems}
        fresh = await asyncio.to_thread(self.store.append, records)
        return {"accepted": sum(fresh), "duplicates": len(fresh) - sum(fresh),
                "event_ids": [r["event_id"] for r in records]}

    # -- profiles ---------------------------------------------------------------------------------
    async def _vectors_of(self, texts: list[str]) -> dict[str, np.ndarray]:
        missing = [t for t in dict.fromkeys(texts) if t not in self._texts]
        if missing:
            vectors = await self.embedder.embed_many.remote(missing, self.embedder_version)
            for text, vector in zip(missing, np.asarray(vectors, np.float32)):
                self._texts[text] = vector
            while len(self._texts) > TEXT_CACHE:
                self._texts.popitem(last=False)
        return {t: self._texts[t] for t in texts if t in self._texts}

    async def _profile(self, user_id: str | None):
        events = await asyncio.to_thread(self.store.user_events, user_id, 200) if user_id else []
        texts = [e["text"] for e in events if e.get("text") and e["type"] in ("search", "chat_mention")]
        vectors = await self._vectors_of(texts) if texts else {}
        return build_profile(user_id or "", events, self.items, vectors, self.settings.half_life_days)

    async def profile(self, user_id: str, version: str | None = None) -> dict | None:
        profile = await self._profile(user_id)
        if profile.events == 0:
            return None
        recommender = self._recommender(version)
        profile.propensity = recommender.propensity(profile)
        # Which replica read it: with several, each reads the shared store (a trace, and what tests check).
        replica = serve.get_replica_context().replica_id.unique_id
        return profile.public() | {"recommender_version": recommender.version, "served_by": replica}

    async def affinities(self, user_id: str) -> dict:
        """What /v1/search blends in for a shopper: category and brand shares (empty for a stranger)."""
        profile = await self._profile(user_id)
        return {"events": profile.events, "category": profile.category_affinity, "brand": profile.brand_affinity}

    # -- recommendations ----------------------------------------------------------------------------
    def _trending_vector(self) -> np.ndarray:
        now = time.monotonic()
        if self._trending and now - self._trending[0] < TRENDING_TTL_S:
            return self._trending[1]
        latest = self.store.latest_timestamp() or time.time()
        counts = self.store.popularity(latest - self.settings.trending_days * 86400)
        vector = np.zeros(len(self.items), np.float32)
        for product_id, by_type in counts.items():
            row = self.items.row_of.get(product_id)
            if row is not None:
                vector[row] = sum(EVENT_WEIGHT.get(t, 1.0) * n for t, n in by_type.items())
        self._trending = (now, vector)
        return vector

    async def recommend(self, user_id: str | None, context_text: str | None, context_product: str | None,
                        top_k: int, filters: dict | None, version: str | None = None) -> dict:
        started = time.perf_counter()
        recommender = self._recommender(version)
        drill = getattr(recommender, "drill", None) or {}
        if drill.get("error"):
            raise RuntimeError("drill: this version fails every call")
        profile = await self._profile(user_id)
        context, label, exclude = None, None, set()
        if context_text is not None and context_product is None and context_text in self.items.row_of:
            context_product, context_text = context_text, None  # a bare string that is a product id: its page
        if context_product is not None:
            row = self.items.row_of.get(context_product)
            if row is None:
                return {"problem": {"field": "context.product_id", "message": f"unknown product {context_product!r}"}}
            context, label, exclude = self.items.vectors[row], self.items.column("title")[row], {row}
        elif context_text:
            context, label = (await self._vectors_of([context_text]))[context_text], f'"{context_text}"'
        profiled_at = time.perf_counter()
        trending = await asyncio.to_thread(self._trending_vector)
        allowed = Filters(**filters).mask(self.items.frame) if filters else None
        page = await asyncio.to_thread(recommender.recommend, profile, top_k, context, label, trending, allowed, exclude)
        frame = self.items.frame
        generated = (self.reasons.get()[1] or {}) if self.reasons is not None and user_id else {}
        results = []
        for r in page:
            row = frame.iloc[r.row]
            reason = generated.get((user_id, str(row["product_id"]))) if r.source != "context" else None
            results.append({k: _plain(row.get(k)) for k in RESULT_FIELDS} | {
                "score": round(r.score, 6), "reason": reason or r.reason, "reason_source": "llm" if reason else "template",
                "source": r.source, "long_tail": r.long_tail, "new_item": r.new_item})
        finished = time.perf_counter()
        if float(drill.get("slowdown", 1)) > 1:
            await asyncio.sleep((float(drill["slowdown"]) - 1) * (finished - started))
            finished = time.perf_counter()
        return {
            "results": results, "recommender_version": recommender.version,
            "shopper": {"known": profile.events > 0, "events": profile.events},
            "timings_ms": {"profile_ms": 1000 * (profiled_at - started), "rank_ms": 1000 * (finished - profiled_at)},
        }

    async def info(self) -> dict:
        store = await asyncio.to_thread(self.store.info)  # a count can wait on a writer: never on the loop
        base = {"items": len(self.items), "index_version": self.index_version, "event_store": store,
                "copy_version": self.reasons.stable if self.reasons is not None else None}
        if self.versions is None:
            return base | {"version": None, "resident": [], "load_errors": {}, "pinned": "none"}
        return base | {"version": self.versions.stable, **self.versions.info()}


def _plain(value):
    """numpy and pandas scalars to JSON-able Python (a missing value becomes None)."""
    if value is None:
        return None
    if isinstance(value, (np.floating, float)):
        return None if np.isnan(value) else float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    return value
