"""Serve deployment: review insight for products, topics, alerts and shopper tags, kept current as reviews arrive.

It serves the stable ``insights`` version (the job's analyses, topics and
summaries) and follows the event store: every ``refresh_s`` it reads the
events stored since its cursor, analyses the new ``review`` events with the
stable review model (off the event loop, in small batches), assigns them to
the job's topics through the embedder deployment, and merges them in. A
review posted to ``/v1/events`` shows in its product's insight within
seconds, without waiting for the next job; when the job publishes a new
version, the replica loads it beside the old one and keeps the reviews it
added since. With no job run yet it serves what it analyses live (no topics).
"""

from __future__ import annotations

import asyncio
import logging
import time

import numpy as np
from ray import serve
from ray.serve.handle import DeploymentHandle

from retail.insights.aggregate import AlertPolicy, InsightTable
from retail.insights.model import REVIEW_MODEL, ReviewAnalyzer
from retail.insights.reviews import reviews_from_events
from retail.insights.tags import ItemFacts, shopper_tags
from retail.insights.topics import TopicModel
from retail.paths import events_url
from retail.recommend.store import open_store
from retail.registry import ModelRegistry
from retail.settings import InsightsSettings

logger = logging.getLogger("ray.serve")
INSIGHTS_MODEL = "insights"


@serve.deployment(name="insights")
class InsightsDeployment:
    async def __init__(self, embedder: DeploymentHandle, registry_root: str | None = None,
                       settings: dict | None = None, events: str | None = None):
        from retail.index import ProductIndex

        self.settings = s = InsightsSettings.model_validate(settings or {})
        self.embedder = embedder
        self.registry = ModelRegistry(registry_root)
        _, index_dir = self.registry.require_stable("index", "python -m training.build_index")
        products = ProductIndex.load(index_dir).products
        self.facts = ItemFacts.from_catalog(products)
        self.titles = dict(zip(products["product_id"].astype(str), products["title"].astype(str)))
        self.store = open_store(events or events_url())
        self.cursor: str | None = None
        self.live = InsightTable()  # reviews analysed here, since the loaded version
        self.version: str | None = None
        self.table, self.topics = InsightTable(), None
        self.analyzer: ReviewAnalyzer | None = None
        self.model_version: str | None = None
        self.last_refresh: float | None = None
        self.refresh_error: str | None = None
        self._alerts: tuple | None = None
        await asyncio.to_thread(self._load_stable)
        self._task = asyncio.get_running_loop().create_task(self._follow())

    # -- the stable version and the live tail ----------------------------------------------------------------
    def _load_stable(self) -> bool:
        stable = self.registry.stable(INSIGHTS_MODEL)
        model_version = self.registry.stable(REVIEW_MODEL)
        if stable and stable != self.version:
            directory = self.registry.path(INSIGHTS_MODEL, stable)
            model_version = self.registry.manifest(INSIGHTS_MODEL, stable)["review_model_version"]
            table = InsightTable.load(directory / "analyses.parquet")
            table.merge(self.live.frame[~self.live.frame["review_id"].isin(table.ids)])
            self.table, self.topics, self.version = table, TopicModel.load(directory), stable
            logger.info("insights %s loaded: %d reviews", stable, len(table))
        self.model_version = model_version  # loaded when a review arrives: an idle replica costs no model
        return True

    def _review_analyzer(self) -> ReviewAnalyzer:
        if self.model_version is None:
            raise RuntimeError("no stable review model: run python -m training.train_review_model")
        if self.analyzer is None or self.analyzer.version != self.model_version:
            self.analyzer = ReviewAnalyzer(self.registry.path(REVIEW_MODEL, self.model_version) / "model",
                                           self.model_version, device=self.settings.device,
                                           cpu_threads=self.settings.cpu_threads)
        return self.analyzer

    async def _follow(self) -> None:
        while True:
            try:
                await self.refresh()
                self.refresh_error = None
            except Exception as exc:  # keep following; the error shows in info()
                logger.exception("insights refresh failed")
                self.refresh_error = f"{type(exc).__name__}: {exc}"
            await asyncio.sleep(self.settings.refresh_s)

    async def refresh(self) -> int:
        """Load a new stable version if there is one, then analyse review events stored since the cursor."""
        await asyncio.to_thread(self._load_stable)
        added = 0
        while True:
            records, cursor = await asyncio.to_thread(self.store.read_after, self.cursor, 5000)
            if not records:
                break
            reviews = reviews_from_events(records)
            reviews = reviews[~reviews["review_id"].isin(self.table.ids) & reviews["product_id"].isin(self.titles)]
            if not reviews.empty:  # without a model this raises and the cursor stays: analysed once one exists
                analyzer = await asyncio.to_thread(self._review_analyzer)
                added += await self._analyse(reviews, analyzer)
            self.cursor = cursor
        self.last_refresh = time.time()
        return added

    async def _analyse(self, reviews, analyzer: ReviewAnalyzer) -> int:
        for start in range(0, len(reviews), 64):
            chunk = reviews.iloc[start: start + 64].copy()
            texts = chunk["text"].astype(str).tolist()
            analyses = await asyncio.to_thread(analyzer.analyze, texts, chunk["rating"].tolist())
            chunk["sentiment"] = [a.sentiment for a in analyses]
            chunk["aspects"] = [a.aspects for a in analyses]
            chunk["topic"] = -1
            if self.topics is not None:
                vectors = await self.embedder.embed_many.remote(texts)
                chunk["topic"] = self.topics.assign(np.asarray(vectors))
            self.live.merge(chunk)
            self.table.merge(chunk)
        return len(reviews)

    # -- what the API reads ----------------------------------------------------------------------------------
    async def product(self, product_id: str) -> dict | None:
        if product_id not in self.titles:
            return None
        summary = await asyncio.to_thread(self.table.product, product_id, self.settings.quotes)
        labels = self.topics.labels if self.topics else []
        for topic in summary["topics"]:
            topic["label"] = labels[topic["topic"]] if topic["topic"] < len(labels) else None
        return {**summary, "title": self.titles[product_id], "insights_version": self.version}

    async def product_reviews(self, product_id: str, aspect: str | None, polarity: str | None,
                              limit: int) -> list[dict] | None:
        if product_id not in self.titles:
            return None
        rows = self.table.frame.iloc[self.table.by_product.get(product_id, [])].sort_values("timestamp", ascending=False)
        out = []
        for r in rows.itertuples():
            mentions = [a for a in r.aspects if (aspect is None or a["aspect"] == aspect)
                        and (polarity is None or a["polarity"] == polarity)]
            if (aspect or polarity) and not mentions:
                continue
            out.append({"review_id": r.review_id, "user_id": r.user_id, "rating": None if r.rating != r.rating
                        else r.rating, "timestamp": r.timestamp, "text": r.text, "sentiment": r.sentiment,
                        "aspects": r.aspects})
            if len(out) >= limit:
                break
        return out

    async def topic_trends(self) -> dict:
        if self.topics is None:
            return {"topics": [], "week_starts": [], "outlier_share": None, "reviews": len(self.table),
                    "insights_version": None}
        trends = await asyncio.to_thread(self.table.topics, self.topics.labels, self.topics.words)
        return {**trends, "insights_version": self.version, "fit": self.topics.fit_stats}

    async def aspects(self) -> dict:
        ranked = await asyncio.to_thread(self.table.aspects, 3, self.titles)
        return {"aspects": ranked, "reviews": len(self.table), "insights_version": self.version}

    async def alerts(self, limit: int) -> dict:
        s = self.settings
        policy = AlertPolicy(s.alert_window_days, s.alert_baseline_days, s.alert_min_negative, s.alert_min_ratio,
                             s.alert_alpha)
        key = (self.version, len(self.table), len(self.live))
        if self._alerts is None or self._alerts[0] != key:  # catalog-wide: computed once per change of the data
            self._alerts = (key, await asyncio.to_thread(self.table.alerts, policy, self.titles))
        alerts = self._alerts[1]
        return {"alerts": alerts[:limit], "total": len(alerts), "as_of": self.table.now(),
                "policy": policy.__dict__, "insights_version": self.version}

    async def tags(self, user_id: str, profile: dict | None) -> list[dict]:
        return await asyncio.to_thread(shopper_tags, self.table.shopper_reviews(user_id), profile, self.facts)

    def info(self) -> dict:
        return {"insights_version": self.version, "reviews": len(self.table), "live_reviews": len(self.live),
                "review_model": self.model_version, "review_model_loaded": self.analyzer is not None,
                "last_refresh": self.last_refresh, "refresh_error": self.refresh_error, "events": self.store.url}

    def check_health(self) -> None:
        # A failing refresh (no review model yet, a store hiccup) is reported in info() and retried; the replica
        # still serves what it has. Only a dead follower needs a new replica.
        if self._task.done():
            raise RuntimeError("the insights follower stopped")
