"""In-process backends for the assistant: the same engines the Serve app runs, without Ray.

The chat evaluation and the chat benchmark use these; the Serve ingress uses
DeploymentHandles to the same code (``deployments/chat.py``). Search here
is the hybrid first stage and phase 1 (LTR); the cross-encoder (phase 2) is
left out to keep evaluation runs short on a CPU.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from retail.assistant.intent import IntentClassifier
from retail.assistant.policies import PolicyIndex, index_texts, load_policies
from retail.embedder import Embedder
from retail.index import Filters, Fusion
from retail.llm_engine import ChatEngine, GenerationParams
from retail.paths import DEMO_POLICIES
from retail.registry import ModelRegistry
from retail.retrieval import LoadedIndex


class LocalBackends:
    def __init__(self, embedder: Embedder, index: LoadedIndex, engine: ChatEngine | None):
        self.embedder, self.index, self.engine = embedder, index, engine
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="retrieval")

    # Off the event loop, as the Serve app runs them in other processes (a chat waiting for its LLM's first token
    # is not held up by another chat's embedding), on one thread of their own, like one embedder replica: the
    # shared default pool is where the LLM engine hands over its requests.
    async def embed(self, texts: list[str]) -> np.ndarray:
        return await asyncio.get_running_loop().run_in_executor(self.pool, self.embedder.encode, texts)

    async def search(self, query: str, filters: dict | None, top_k: int) -> dict:
        vector = (await self.embed([query]))[0]
        hits = await asyncio.get_running_loop().run_in_executor(
            self.pool, self.index.retrieve, vector, query, top_k, 200, Filters(**(filters or {})))
        versions = {"index": self.index.version} | ({"ltr": self.index.ranker.version} if self.index.ranker else {})
        return {"hits": hits, "versions": versions}

    async def details(self, ids: list[str]) -> list[dict | None]:
        return self.index.details(ids)

    async def vocabulary(self):
        return self.index.vocabulary()

    async def generate(self, messages: list[dict], params: dict) -> AsyncIterator[dict]:
        if self.engine is None:
            raise RuntimeError("no LLM engine")
        async for chunk in self.engine.stream(messages, GenerationParams(**params)):
            yield {"text": chunk.text, "finish_reason": chunk.finish_reason,
                   "usage": {"prompt_tokens": chunk.prompt_tokens, "completion_tokens": chunk.completion_tokens}}


def load_local(registry_root: Path | None = None, policies_path: Path = DEMO_POLICIES,
               engine: ChatEngine | None = None) -> tuple[LocalBackends, IntentClassifier, PolicyIndex]:
    registry = ModelRegistry(registry_root)
    embedder = Embedder(device="cpu")
    index = LoadedIndex(registry, "stable", "stable", Fusion())
    version, directory = registry.require_stable("intent", "python -m training.train_intent")
    intents = IntentClassifier.load(directory, version)
    policies = load_policies(policies_path)
    texts, owners = index_texts(policies)
    policy_index = PolicyIndex(policies, embedder.encode(texts), owners)
    return LocalBackends(embedder, index, engine), intents, policy_index


async def run_turn(assistant, messages: list[dict], context_product_id: str | None = None) -> tuple[str, object]:
    """One turn as a non-streaming client sees it: the whole answer text and the TurnResult."""
    parts, result = [], None
    async for kind, payload in assistant.turn(messages, context_product_id):
        if kind == "delta":
            parts.append(payload)
        else:
            result = payload
    return "".join(parts), result
