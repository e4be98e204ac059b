"""Request and response shapes of ``/v1/recommend`` and ``/v1/shoppers/{id}`` (the events' are in events.py)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from retail.recommend.events import Id
from retail.schemas import ProductCard, RolloutArm, SearchFilters


class RecommendContext(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)] | None = None
    product_id: Id | None = None

    @model_validator(mode="after")
    def _one_of(self) -> "RecommendContext":
        if (self.text is None) == (self.product_id is None):
            raise ValueError("context needs exactly one of text or product_id")
        return self


class RecommendRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    user_id: Id | None = Field(None, description="the shopper; unknown or absent: a cold start")
    context: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)] | RecommendContext \
        | None = Field(None, description="what the shopper is looking at: a product id (a page) or a text (a search, "
                       "a question); a string that is a catalog product id is taken as the product")
    top_k: int = Field(10, ge=1, le=50, strict=True)
    filters: SearchFilters | None = None


class RecommendedProduct(ProductCard):
    score: float
    reason: str = Field(description="why it is on the page, from the source that ranked it highest")
    reason_source: Literal["llm", "template"] = Field(
        "template", description="llm: a personalised reason written offline by the copy job and checked against the "
        "catalog; template: the recommender's own")
    source: str = Field(description="sequential | together | profile | context | popular")
    long_tail: bool = Field(description="outside the most popular 20 % of the catalogue")
    new_item: bool = Field(description="no events in the recommender's training data")


class RecommendResponse(BaseModel):
    user_id: str | None
    results: list[RecommendedProduct]
    shopper: dict = Field(description="known: has events; events: how many the profile read")
    recommender_version: str | None = Field(description="null: no trained version (profile, context, popularity)")
    rollout: dict[str, RolloutArm] = Field(default_factory=dict)
    timings_ms: dict[str, float]
