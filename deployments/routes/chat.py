"""The assistant API: ``POST /v1/chat/completions``, OpenAI-compatible, streaming or not.

    messages -> Assistant.turn (intent -> products / policies -> LLM -> validated answer | grounded fallback)
             -> one chat.completion, or server-sent chat.completion.chunk events ending with ``data: [DONE]``

LLM failures never reach the shopper as a 5xx: the assistant answers from
the retrieved context, marked ``fallback``. Client ``system`` messages are
kept out of the prompt (they cannot override the rules) and counted in the
response. A client that disconnects mid-stream cancels its LLM sequence.
"""

# No `from __future__ import annotations`: FastAPI reads the endpoint annotations.
import asyncio
import json
import logging
import time
import uuid

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse
from pydantic import ValidationError
from ray.serve.handle import DeploymentHandle

from deployments.assistant_backends import ServeBackends
from deployments.routes import Services, services
from deployments.errors import StageUnavailable
from retail.assistant.breaker import CircuitBreaker
from retail.assistant.grounding import redact
from retail.assistant.intent import IntentClassifier
from retail.assistant.policies import PolicyIndex, index_texts, load_policies
from retail.assistant.service import Assistant, AssistantConfig, TurnResult
from retail.chat_schemas import ChatCompletionRequest, ChatCompletionResponse, RetailExtras
from retail.paths import DEMO_POLICIES
from retail.recommend.events import ShopperEvent
from retail.registry import ModelRegistry
from retail.settings import ChatSettings

router = APIRouter()
logger = logging.getLogger("ray.serve")
MENTIONED_PRODUCTS = 3  # the answer's leading product cards become chat_mention events
MENTION_TIMEOUT_S = 10.0  # off the reply's path, so it may wait out a busy recommender


_turns = None  # a Serve Counter, made in the replica on first use


def _log_turn(message: str, result: TurnResult) -> None:
    global _turns
    if _turns is None:
        from ray.serve.metrics import Counter

        _turns = Counter("retail_chat_turns", "assistant turns by outcome", tag_keys=("outcome",))
    _turns.inc(tags={"outcome": "handoff" if result.handoff else "fallback" if result.fallback else "answered"})
    # What a shopper wrote is logged only redacted: no emails, phone or card numbers.
    logger.info("chat turn intent=%s handled_as=%s fallback=%s message=%r", result.intent, result.handled_as,
                result.fallback, redact(message)[:200])


@router.post("/v1/chat/completions", response_model=ChatCompletionResponse)
async def chat_completions(request: ChatCompletionRequest, svc: Services = Depends(services)):
    service: ChatService | None = svc.chat
    if service is None:
        raise StageUnavailable("llm", "no chat model is deployed in this application", retry_after_s=60)
    return await service.complete(request)


class ChatService:
    """Builds the assistant over the handles once, at replica start, and turns its events into OpenAI shapes."""

    def __init__(self, assistant: Assistant, settings: ChatSettings, llm_name: str, recommend=None):
        self.assistant, self.settings, self.llm_name = assistant, settings, llm_name
        self.recommend = recommend  # routes.recommend.RecommendService: turns become chat_mention events
        self._writes: set[asyncio.Task] = set()

    @classmethod
    async def create(cls, search_service, embedder: DeploymentHandle, retriever: DeploymentHandle, llm: DeploymentHandle,
                     settings: ChatSettings, registry_root: str | None, llm_name: str,
                     recommend=None) -> "ChatService":
        backends = ServeBackends(search_service, embedder, retriever, llm)
        registry = ModelRegistry(registry_root)
        if settings.intent_version == "stable":
            version, directory = registry.require_stable("intent", "python -m training.train_intent")
        else:
            version, directory = settings.intent_version, registry.path("intent", settings.intent_version)
        intents = IntentClassifier.load(directory, version)
        policies = load_policies(settings.policies_path or DEMO_POLICIES)
        texts, owners = index_texts(policies)
        policy_index = PolicyIndex(policies, await backends.embed(texts, timeout_s=120), owners)
        config = AssistantConfig(
            ttft_timeout_s=settings.ttft_timeout_s, total_timeout_s=settings.total_timeout_s, max_tokens=settings.max_tokens,
            products_shown=settings.products_shown, min_product_similarity=settings.min_product_similarity,
            min_policy_similarity=settings.min_policy_similarity,
        )
        breaker = CircuitBreaker(settings.breaker_failures, settings.breaker_cooldown_s)
        return cls(Assistant(backends, intents, policy_index, breaker, config, llm_name), settings, llm_name, recommend)

    def info(self) -> dict:
        return {"intent_version": self.assistant.intents.version, "llm": self.llm_name,
                "breaker": self.assistant.breaker.snapshot()}

    async def complete(self, request: ChatCompletionRequest):
        messages = [{"role": m.role, "content": m.content} for m in request.messages if m.role != "system"]
        ignored = len(request.messages) - len(messages)
        generation = {"max_tokens": min(request.max_tokens or self.settings.max_tokens, self.settings.max_tokens),
                      "temperature": request.temperature or 0.0, "top_p": request.top_p or 1.0,
                      "stop": request.stop_sequences()}
        product_id = request.context.product_id if request.context else None
        events = self.assistant.turn(messages, product_id, generation)
        completion_id, created = f"chatcmpl-{uuid.uuid4().hex[:24]}", int(time.time())
        if request.stream:
            # Retrieval runs before the first event: its failures (503, 429) are still HTTP errors, not a broken stream.
            try:
                first = await events.__anext__()
            except BaseException:
                await events.aclose()
                raise
            return StreamingResponse(self._sse(first, events, completion_id, created, ignored, messages[-1]["content"],
                                               request.user),
                                     media_type="text/event-stream",
                                     headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
        result = None
        async for kind, payload in events:
            if kind == "done":
                result = payload
        _log_turn(messages[-1]["content"], result)
        await self._mention(request.user, completion_id, messages[-1]["content"], result)
        return ChatCompletionResponse(
            id=completion_id, created=created, model=self.llm_name,
            choices=[{"index": 0, "message": {"role": "assistant", "content": result.answer},
                      "finish_reason": result.finish_reason}],
            usage=_usage(result), retail=_extras(result, ignored),
        )

    async def _mention(self, user: str | None, completion_id: str, message: str, result: TurnResult) -> None:
        """What a shopper asked the assistant about becomes chat_mention events, so the next recommendations
        follow it: the question itself, and the products the answer showed (cited first). Written off the
        reply's path (the answer does not wait for the store); a failure is logged, never the shopper's."""
        if self.recommend is None or user is None or result is None:
            return
        now = time.time()
        try:
            question = ShopperEvent(event_id=f"{completion_id}-q", user_id=user, type="chat_mention",
                                    text=redact(message)[:2000])  # without card numbers, emails or phones
            shown = [ShopperEvent(event_id=f"{completion_id}-{i}", user_id=user, type="chat_mention",
                                  product_id=p["product_id"]) for i, p in enumerate(result.products[:MENTIONED_PRODUCTS])]
        except ValidationError:  # a `user` the events API would refuse (its id rules are stricter)
            logger.warning("chat mentions not recorded: the request's user is not a valid shopper id")
            return
        events = [e.stored(now) for e in (question, *shown)]

        async def write() -> None:
            try:
                answer = await self.recommend.call("ingest", events, timeout_s=MENTION_TIMEOUT_S)
                if "problems" in answer:
                    logger.warning("chat mentions refused: %s", answer["problems"])
            except Exception as exc:
                logger.warning("chat mentions not recorded (%s)", type(exc).__name__)

        task = asyncio.get_running_loop().create_task(write())
        self._writes.add(task)  # held until done: the loop keeps only weak references to tasks
        task.add_done_callback(self._writes.discard)

    async def _sse(self, first: tuple, events, completion_id: str, created: int, ignored: int, message: str,
                   user: str | None = None):
        def chunk(delta: dict, finish_reason=None, **extra) -> str:
            body = {"id": completion_id, "object": "chat.completion.chunk", "created": created, "model": self.llm_name,
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}], **extra}
            return f"data: {json.dumps(body)}\n\n"

        async def all_events():
            yield first
            async for event in events:
                yield event

        yield chunk({"role": "assistant", "content": ""})
        try:
            async for kind, payload in all_events():
                if kind == "delta" and payload:
                    yield chunk({"content": payload})
                elif kind == "done":
                    _log_turn(message, payload)
                    await self._mention(user, completion_id, message, payload)
                    yield chunk({}, payload.finish_reason, usage=_usage(payload),
                                retail=_extras(payload, ignored).model_dump())
        finally:
            await events.aclose()  # a client that went away cancels the LLM sequence
        yield "data: [DONE]\n\n"


def _usage(result: TurnResult) -> dict:
    prompt, completion = result.usage.get("prompt_tokens", 0), result.usage.get("completion_tokens", 0)
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def _extras(result: TurnResult, ignored: int) -> RetailExtras:
    return RetailExtras(
        intent=result.intent, intent_confidence=round(result.intent_confidence, 3), products=result.products,
        policies=result.policies, follow_up=result.follow_up, fallback=result.fallback, handoff=result.handoff,
        model_versions=result.model_versions, timings_ms=result.timings_ms, dropped=result.dropped,
        repaired=result.repaired, handled_as=result.handled_as, plan=result.plan, notes=result.notes,
        ignored_system_messages=ignored,
    )
