"""The OpenAI-compatible chat API's request and response bodies.

The request is OpenAI's ``chat.completions`` body (so the ``openai`` client
works unchanged) plus one optional extension, ``context`` (the product the
shopper is viewing). Types are strict and unknown fields are refused: a
malformed request gets a 422 naming the field, never a silent default.
Responses carry, next to OpenAI's fields, a ``retail`` object: the product
cards used, the intent, the policies quoted, fallback and hand-off, the
model versions and per-stage timings.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, StringConstraints, model_validator

MAX_MESSAGE_CHARS = 2000
MAX_MESSAGES = 40
MAX_COMPLETION_TOKENS = 512


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Literal["system", "user", "assistant"]
    content: Annotated[str, StringConstraints(strict=True, max_length=MAX_MESSAGE_CHARS)]
    name: StrictStr | None = None


class ChatContext(BaseModel):
    model_config = ConfigDict(extra="forbid")
    product_id: Annotated[str, StringConstraints(strict=True, min_length=1, max_length=64)] | None = None


class ChatCompletionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    model: StrictStr | None = Field(None, description="ignored: the served model answers (named in the response)")
    messages: list[ChatMessage] = Field(min_length=1, max_length=MAX_MESSAGES)
    max_tokens: StrictInt | None = Field(None, ge=1, le=MAX_COMPLETION_TOKENS)
    temperature: float | None = Field(None, ge=0, le=2, strict=True)
    top_p: float | None = Field(None, gt=0, le=1, strict=True)
    stop: StrictStr | Annotated[list[StrictStr], Field(max_length=4)] | None = None
    stream: StrictBool = False
    user: Annotated[str, StringConstraints(strict=True, min_length=1, max_length=128)] | None = None
    context: ChatContext | None = None

    @model_validator(mode="after")
    def _ends_with_user(self) -> "ChatCompletionRequest":
        if self.messages[-1].role != "user":
            raise ValueError("messages: the last message must have role 'user'")
        if not self.messages[-1].content.strip():
            raise ValueError("messages: the last user message is empty")
        return self

    def stop_sequences(self) -> list[str]:
        return [self.stop] if isinstance(self.stop, str) else list(self.stop or [])


class RetailExtras(BaseModel):
    intent: str
    intent_confidence: float
    products: list[dict]
    policies: list[dict]
    follow_up: str | None
    fallback: str | None = Field(description="why the LLM did not write the answer; null when it did")
    handoff: bool = Field(description="a human agent is offered")
    model_versions: dict[str, str]
    timings_ms: dict[str, float]
    dropped: list[str] = Field(description="answer sentences removed by validation, and why")
    repaired: list[str] = Field(description="grounded parts added because the LLM left them out")
    handled_as: str | None = Field(None, description="the path taken, when the conversation overrode the intent")
    plan: dict | None = Field(None, description="the query planner's reading of a product need: catalog types, "
                              "hard constraints (every product shown meets them), whether earlier turns carried over")
    notes: list[str] = Field(default_factory=list, description="safety decisions taken on this turn")
    ignored_system_messages: int = Field(0, description="client 'system' messages: never allowed to override the rules")


class ChatChoice(BaseModel):
    index: int = 0
    message: dict
    finish_reason: str


class ChatCompletionResponse(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[ChatChoice]
    usage: dict
    retail: RetailExtras
