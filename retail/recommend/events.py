"""Shopper events: the request schema of ``POST /v1/events`` and the checks that need the catalog.

Event types and what they need:
    view, click, add_to_cart, purchase   product_id
    search                               text (the query)
    review                               product_id, rating 1-5, text optional
    chat_mention                         product_id and/or text (what the shopper asked the assistant about)

A batch is all or nothing: if any item is bad, nothing is written and the 422
lists every bad item by index and field (a client fixes and resends the whole
batch; with ids that is safe). ``event_id`` makes a retry idempotent; without
one, the id is a hash of the event as sent, so an identical resend is still
not counted twice (send an id or a timestamp to count real repeats).
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from datetime import datetime, timezone
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

EventType = Literal["view", "click", "add_to_cart", "purchase", "search", "review", "chat_mention"]
EVENT_TYPES: tuple[str, ...] = EventType.__args__
PRODUCT_EVENTS = {"view", "click", "add_to_cart", "purchase", "review"}
MAX_BATCH = 1000
EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.utc).timestamp()
MAX_FUTURE_S = 300  # client clocks drift; an event from further ahead is a bug, not a shopper

Id = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=128, pattern=r"^[\w.:@-]+$")]


class ShopperEvent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    event_id: Id | None = Field(None, description="makes a retry idempotent; default: a hash of the event's content")
    user_id: Id
    type: EventType
    product_id: Id | None = None
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)] | None = None
    rating: int | None = Field(None, ge=1, le=5, strict=True)
    session_id: Id | None = None
    timestamp: float | datetime | None = Field(
        None, description="epoch seconds or ISO 8601 with a zone; default: when the server received it")

    @field_validator("timestamp")
    @classmethod
    def _epoch_seconds(cls, value):
        if value is None:
            return None
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise ValueError("an ISO 8601 timestamp needs a time zone (for example 2026-11-25T10:00:00Z)")
            value = value.timestamp()
        if not math.isfinite(value) or value < EARLIEST or value > time.time() + MAX_FUTURE_S:
            raise ValueError("timestamp is before 2000 or in the future")
        return float(value)

    @model_validator(mode="after")
    def _fields_for_type(self) -> "ShopperEvent":
        if self.type in PRODUCT_EVENTS and self.product_id is None:
            raise ValueError(f"product_id is required for a {self.type} event")
        if self.type == "search" and self.text is None:
            raise ValueError("text (the query) is required for a search event")
        if self.type == "review" and self.rating is None:
            raise ValueError("rating (1-5) is required for a review event")
        if self.type == "chat_mention" and self.product_id is None and self.text is None:
            raise ValueError("a chat_mention event needs product_id or text")
        if self.rating is not None and self.type != "review":
            raise ValueError("rating is only for review events")
        return self

    def stored(self, received_at: float) -> dict:
        """The record the store keeps: every field set, the id and the time filled in."""
        record = self.model_dump()
        if record["event_id"] is None:
            # Hashed as sent (before the server fills in the time), so a resend hashes the same.
            content = {k: v for k, v in record.items() if k != "event_id"}
            digest = hashlib.blake2b(json.dumps(content, sort_keys=True).encode(), digest_size=12).hexdigest()
            record["event_id"] = f"h-{digest}"
        record["timestamp"] = self.timestamp if self.timestamp is not None else received_at
        return record


class EventBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    events: list[ShopperEvent] = Field(min_length=1, max_length=MAX_BATCH)


class EventsAccepted(BaseModel):
    accepted: int = Field(description="events written now (durably, before this response)")
    duplicates: int = Field(description="events whose id was already stored: not counted again")
    event_ids: list[str]


class InvalidEvents(ValueError):
    """Items of a batch the catalog refuses; nothing of the batch was written."""

    def __init__(self, problems: list[dict]):
        super().__init__("; ".join(f"events[{p['index']}].{p['field']}: {p['message']}" for p in problems))
        self.problems = problems


def check_products(records: list[dict], known: set[str] | frozenset[str]) -> None:
    """Raise InvalidEvents naming every item whose product is not in the catalog."""
    problems = [{"index": i, "field": "product_id", "message": f"unknown product {r['product_id']!r}"}
                for i, r in enumerate(records) if r.get("product_id") is not None and r["product_id"] not in known]
    if problems:
        raise InvalidEvents(problems)
