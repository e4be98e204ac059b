"""The insights API: what shoppers say about products, catalog-wide topics, and complaints that jumped.

    GET /v1/insights/products/{product_id}           sentiment, aspects with polarity, counts and quotes, topics
    GET /v1/insights/products/{product_id}/reviews   the analysed reviews behind it (filter by aspect, polarity)
    GET /v1/insights/topics                          topics with their words and weekly trend
    GET /v1/insights/aspects                         catalog-wide aspects, most complained-about first
    GET /v1/insights/alerts                          products whose complaints about an aspect jumped

The insights deployment does the work (``deployments/insights.py``); an
unknown product is a 404 naming it.
"""

# No `from __future__ import annotations`: FastAPI reads the endpoint annotations.
from typing import Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from ray.serve.handle import DeploymentHandle

from deployments.errors import StageUnavailable, call_stage
from deployments.routes import Services, services
from retail.insights.aspects import ASPECTS, POLARITIES
from retail.recommend.events import Id

router = APIRouter(tags=["insights"])
Aspect = Literal[ASPECTS]  # type: ignore[valid-type]
Polarity = Literal[POLARITIES]  # type: ignore[valid-type]


class InsightsService:
    def __init__(self, handle: DeploymentHandle, timeout_s: float):
        self.handle, self.timeout_s = handle, timeout_s

    async def call(self, method: str, *args):
        return await call_stage("insights", getattr(self.handle, method).remote(*args), self.timeout_s)


def deployed(svc: Services) -> InsightsService:
    if svc.insights is None:
        raise StageUnavailable("insights", "no insights deployment is in this application", retry_after_s=60)
    return svc.insights


def _unknown(product_id: str) -> HTTPException:
    return HTTPException(404, detail=f"no product {product_id!r} in the catalog")


@router.get("/v1/insights/products/{product_id}")
async def product(product_id: Id = Path(description="a catalog product id"), svc: Services = Depends(services)) -> dict:
    summary = await deployed(svc).call("product", product_id)
    if summary is None:
        raise _unknown(product_id)
    return summary


@router.get("/v1/insights/products/{product_id}/reviews")
async def product_reviews(product_id: Id = Path(description="a catalog product id"),
                          aspect: Aspect | None = Query(None), polarity: Polarity | None = Query(None),
                          limit: int = Query(20, ge=1, le=200), svc: Services = Depends(services)) -> dict:
    reviews = await deployed(svc).call("product_reviews", product_id, aspect, polarity, limit)
    if reviews is None:
        raise _unknown(product_id)
    return {"product_id": product_id, "aspect": aspect, "polarity": polarity, "reviews": reviews}


@router.get("/v1/insights/topics")
async def topics(svc: Services = Depends(services)) -> dict:
    return await deployed(svc).call("topic_trends")


@router.get("/v1/insights/aspects")
async def aspects(svc: Services = Depends(services)) -> dict:
    """Catalog-wide: every aspect's mentions by polarity, most complained-about first, with its worst products."""
    return await deployed(svc).call("aspects")


@router.get("/v1/insights/alerts")
async def alerts(limit: int = Query(50, ge=1, le=500), svc: Services = Depends(services)) -> dict:
    return await deployed(svc).call("alerts", limit)
