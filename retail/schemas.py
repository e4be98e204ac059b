"""HTTP request and response models. Validation lives here, at the edge.

Strict types: a string where a number belongs is a 422 naming the field, not
a silent coercion; unknown fields are refused, never dropped.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import (
    AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr, StringConstraints,
    model_validator,
)

MAX_QUERY_CHARS = 512
MAX_TOP_K = 100

# The length limit applies to what was sent, as the OpenAPI schema says;
# surrounding whitespace is stripped only after validation, and a query must
# hold something other than whitespace (pattern \S, also in the schema).
Query = Annotated[
    str, StringConstraints(strict=True, min_length=1, max_length=MAX_QUERY_CHARS, pattern=r"\S"), AfterValidator(str.strip)
]
Price = Annotated[StrictFloat | StrictInt, Field(ge=0)]


def _integral_number(value):
    """JSON Schema counts 10.0 as an integer; so do we (a schemathesis run found the mismatch). "10" stays refused."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


TopK = Annotated[StrictInt, BeforeValidator(_integral_number)]


class SearchFilters(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category: StrictStr | None = None
    brand: StrictStr | None = None
    price_min: Price | None = None
    price_max: Price | None = None
    in_stock: StrictBool | None = None

    @model_validator(mode="after")
    def _price_range(self) -> "SearchFilters":
        if self.price_min is not None and self.price_max is not None and self.price_min > self.price_max:
            raise ValueError("price_min must not exceed price_max")
        return self


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: Query
    top_k: TopK = Field(10, ge=1, le=MAX_TOP_K)
    filters: SearchFilters | None = None
    user_id: Annotated[str, StringConstraints(strict=True, min_length=1, max_length=128)] | None = None


class ProductCard(BaseModel):
    """A product as results show it; fields the catalog feed lacks are null."""

    product_id: str
    title: str
    price: float | None = None
    category: str | None = None
    brand: str | None = None
    in_stock: bool | None = None
    rating: float | None = None


class ProductHit(ProductCard):
    """A search result."""

    score: float = Field(description="the final ranking score (phase 2 blend, else phase 1)")
    first_phase_score: float = Field(description="the learning-to-rank score, or the fused hybrid score without one")
    retrieval_score: float = Field(description="cosine of query and product embeddings")
    bm25_score: float


class StageTimings(BaseModel):
    embed_ms: float
    retrieve_ms: float = Field(description="hybrid retrieval and phase 1 (learning to rank)")
    rerank_ms: float = Field(description="phase 2 (cross-encoder); 0 when skipped")
    total_ms: float


class RolloutArm(BaseModel):
    arm: str = Field(description="canary, control (stable, compared with the canary) or stable")
    version: str | None = Field(description="the version that served this request")
    canary_percent: float = Field(description="the canary's share when this request was assigned")


class SearchResponse(BaseModel):
    query: str
    user_id: str | None = Field(
        None, description="echoed; with a known shopper, their category and brand affinities re-order the page")
    results: list[ProductHit]
    model_versions: dict[str, str]
    rollout: dict[str, RolloutArm] = Field(
        default_factory=dict, description="per model under rollout (index with its embedder, reranker): arm and version")
    reranker_backend: str = Field(description="phase 2's backend; 'none' when no cross-encoder serves, 'skipped' when degraded")
    retrieval_backend: str
    timings_ms: StageTimings
    budget_ms: float | None = Field(None, description="the latency budget this request ran under (null: budget off)")
    degraded: list[str] = Field(default_factory=list, description="optional stages that were skipped, and why")
    personalization: float | None = Field(
        None, description="the weight the shopper's affinities had in this order (0: a shopper with no events; "
        "null: no user_id, personalisation off, or the profile was not ready)")
