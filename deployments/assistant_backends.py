"""The assistant's backends over DeploymentHandles: embed, search, product details, the LLM stream.

The same shape as ``retail.assistant.local.LocalBackends``; here every call is
a hop to a deployment, with its failures mapped by ``call_stage``.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import numpy as np
from ray.serve.handle import DeploymentHandle

from deployments.errors import call_stage
from retail.schemas import SearchRequest

STAGE_TIMEOUT_S = 5.0
VOCABULARY_REFRESH_S = 60.0  # a new stable index brings new types; the planner picks them up within this


class ServeBackends:
    def __init__(self, search_service, embedder: DeploymentHandle, retriever: DeploymentHandle, llm: DeploymentHandle):
        self.search_service, self.embedder, self.retriever = search_service, embedder, retriever
        self.llm = llm.options(stream=True)
        self._vocabulary, self._vocabulary_at = None, 0.0

    async def embed(self, texts: list[str], timeout_s: float = STAGE_TIMEOUT_S) -> np.ndarray:
        if len(texts) == 1:  # a shopper's message: @serve.batch gathers it with other requests' texts
            return (await call_stage("embedder", self.embedder.embed.remote(texts[0], None), timeout_s))["vector"][None, :]
        return await call_stage("embedder", self.embedder.embed_many.remote(texts), timeout_s)

    async def search(self, query: str, filters: dict | None, top_k: int) -> dict:
        if filters and filters.get("price_max") is not None:
            filters = {**filters, "price_max": max(0.0, filters["price_max"])}
        request = SearchRequest(query=query.strip()[:512] or "products", top_k=top_k, filters=filters)
        response = await self.search_service.search(request, client="assistant")
        return {"hits": [hit.model_dump() for hit in response.results], "versions": response.model_versions}

    async def details(self, ids: list[str]) -> list[dict | None]:
        return await call_stage("retriever", self.retriever.details.remote(ids), STAGE_TIMEOUT_S)

    async def vocabulary(self):
        """The stable index's catalog vocabulary, fetched again each minute so a new stable index's types arrive."""
        now = time.monotonic()
        if self._vocabulary is None or now - self._vocabulary_at > VOCABULARY_REFRESH_S:
            reply = await call_stage("retriever", self.retriever.vocabulary.remote(), 60)
            self._vocabulary, self._vocabulary_at = reply["vocabulary"], now
        return self._vocabulary

    def generate(self, messages: list[dict], params: dict) -> AsyncIterator[dict]:
        return self.llm.generate.remote(messages, params)
