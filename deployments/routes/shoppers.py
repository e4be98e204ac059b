"""The shoppers API: ``GET /v1/shoppers/{user_id}``, the profile built from the shopper's latest events,
with the tags review insight gives them (what they wrote and what they did; each tag with its evidence)."""

# No `from __future__ import annotations`: FastAPI reads the endpoint annotations.
from fastapi import APIRouter, Depends, HTTPException, Path

from deployments.errors import StageUnavailable
from deployments.routes import Services, services
from deployments.routes.recommend import deployed
from retail.recommend.events import Id

router = APIRouter()


@router.get("/v1/shoppers/{user_id}", tags=["recommend"])
async def shopper(user_id: Id = Path(description="the shopper's id, as sent with their events"),
                  svc: Services = Depends(services)) -> dict:
    _, version, _ = svc.rollout.assign(user_id, "recommender")
    profile = await deployed(svc).call("profile", user_id, version)
    if profile is None:
        raise HTTPException(404, detail=f"no shopper {user_id!r}: no events were received for this id")
    profile["tags"] = None  # null: no insights deployment (or it did not answer); [] : none apply
    if svc.insights is not None:
        try:
            profile["tags"] = await svc.insights.call("tags", user_id, profile)
        except StageUnavailable:  # the profile stands without its tags
            pass
    return profile
