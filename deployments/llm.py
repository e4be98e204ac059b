"""Serve deployment: the chat LLM. A thin wrapper around one engine (``retail.llm_engine``).

The engine does the work (continuous batching, stop sequences, cancellation);
this module adds Serve's concerns: it starts and warms the engine in the
replica's constructor (so no shopper pays the warm-up), streams chunks back
through a streaming DeploymentHandle, reports health, and takes fault
injection from ``user_config`` for drills and tests (``fault: error | hang``),
which a redeploy changes without restarting the replica.

    handle.options(stream=True).generate.remote(messages, params) -> async iterator of chunk dicts
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from ray import serve

from retail.assistant.grounding import SYSTEM_RULES
from retail.llm_engine import EngineConfig, GenerationParams, load_engine


@serve.deployment(name="llm")
class LLMDeployment:
    async def __init__(self, model: str, engine: str = "continuous", device: str = "cpu", cpu_threads: int | None = None,
                       max_batch_size: int = 16, max_queue: int = 64, max_prompt_tokens: int = 2048):
        self.engine = load_engine(EngineConfig(
            model=model, kind=engine, device=device, cpu_threads=cpu_threads,
            max_batch_size=max_batch_size, max_queue=max_queue, max_prompt_tokens=max_prompt_tokens,
            warm_up_system=SYSTEM_RULES,  # the assistant's rules start every prompt: their KV cache is shared
        ))
        await self.engine.start()
        self.fault = "none"

    def reconfigure(self, user_config: dict) -> None:
        self.fault = user_config.get("fault", "none")

    async def generate(self, messages: list[dict], params: dict) -> AsyncIterator[dict]:
        if self.fault == "error":
            raise RuntimeError("injected fault: the LLM fails")
        if self.fault == "hang":
            await asyncio.sleep(3600)
        params = {**params, "stop": tuple(params.get("stop") or ())}
        async for chunk in self.engine.stream(messages, GenerationParams(**params)):
            yield {"text": chunk.text, "finish_reason": chunk.finish_reason,
                   "usage": {"prompt_tokens": chunk.prompt_tokens, "completion_tokens": chunk.completion_tokens}}

    def check_health(self) -> None:
        self.engine.health()  # raises when the batching thread died: Serve replaces the replica

    def info(self) -> dict:
        return self.engine.health() | {"fault": self.fault}
