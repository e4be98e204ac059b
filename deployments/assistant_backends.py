"""The assistant's backends over DeploymentHandles: embed, search, product details, the LLM stream.

The same shape as ``retail.assistant.local.LocalBackends``; here every call is
a hop to a deployment, with its failures mapped by ``call_stage``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import numpy as np
from ray.serve.handle import DeploymentHandle

from deployments.errors import call_stage
from retail.schemas import SearchRequest

STAGE_TIMEOUT_S = 5.0


class ServeBackends:
    def __init__(self, search_service, embedder: DeploymentHandle, retriever: DeploymentHandle, llm: DeploymentHandle):
        self.search_service, self.embedder, self.retriever = search_service, embedder, retriever
        self.llm = llm.options(stream=True)

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

    def generate(self, messages: list[dict], params: dict) -> AsyncIterator[dict]:
        return self.llm.generate.remote(messages, params)
