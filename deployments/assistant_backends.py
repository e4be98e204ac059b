"""The assistant's backends over DeploymentHandles: embed, search, product details, the LLM stream.

The same shape as ``retail.assistant.local.LocalBackends``; here every call is
a hop to a deployment, with its failures mapped by ``call_stage``.
"""

from __future__ import annotations

import asyncio
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

    async def embed(self, texts: list[str]) -> np.ndarray:
        # One call per text: the embedder's @serve.batch gathers them into one forward pass.
        results = await asyncio.gather(*(call_stage("embedder", self.embedder.embed.remote(t), STAGE_TIMEOUT_S) for t in texts))
        return np.stack([r["vector"] for r in results])

    async def search(self, query: str, filters: dict | None, top_k: int) -> dict:
        request = SearchRequest(query=query[:512], top_k=top_k, filters=filters)
        response = await self.search_service.search(request, client="assistant")
        return {"hits": [hit.model_dump() for hit in response.results], "versions": response.model_versions}

    async def details(self, ids: list[str]) -> list[dict | None]:
        return await call_stage("retriever", self.retriever.details.remote(ids), STAGE_TIMEOUT_S)

    def generate(self, messages: list[dict], params: dict) -> AsyncIterator[dict]:
        return self.llm.generate.remote(messages, params)
