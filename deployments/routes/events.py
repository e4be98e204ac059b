"""The events API: ``POST /v1/events`` (shopper behaviour in, durably, before the 2xx).

A batch is all or nothing (``retail/recommend/events.py``): a bad item gets a
422 naming its index and field, and nothing of the batch is written. Each
event's id makes a resend idempotent.
"""

# No `from __future__ import annotations`: FastAPI reads the endpoint annotations.
import time

from fastapi import APIRouter, Depends, HTTPException

from deployments.routes import Services, services
from deployments.routes.recommend import deployed
from retail.recommend.events import EventBatch, EventsAccepted

router = APIRouter()


@router.post("/v1/events", response_model=EventsAccepted, tags=["events"])
async def ingest(batch: EventBatch, svc: Services = Depends(services)) -> EventsAccepted:
    received = time.time()
    answer = await deployed(svc).call("ingest", [event.stored(received) for event in batch.events])
    if "problems" in answer:
        raise HTTPException(422, detail=[
            {"loc": ["body", "events", p["index"], p["field"]], "msg": p["message"], "type": "value_error"}
            for p in answer["problems"]])
    svc.rollout.observe_clicks([e.user_id for e in batch.events if e.type == "click"])
    return EventsAccepted(**answer)
