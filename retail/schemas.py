"""HTTP request and response models. Validation lives here, at the edge.

Strict types: a string where a number belongs is a 422 naming the field, not
a silent coercion; unknown fields are refused, never dropped.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr, StringConstraints, model_validator

MAX_QUERY_CHARS = 512
MAX_TOP_K = 100

Query = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=MAX_QUERY_CHARS)]
Price = Annotated[StrictFloat | StrictInt, Field(ge=0)]


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
    top_k: StrictInt = Field(10, ge=1, le=MAX_TOP_K)
    filters: SearchFilters | None = None
    user_id: Annotated[str, StringConstraints(strict=True, min_length=1, max_length=128)] | None = None


class ProductHit(BaseModel):
    product_id: str
    title: str
    price: float
    category: str
    brand: str
    in_stock: bool
    score: float = Field(description="reranker logit, or retrieval cosine when the reranker was unavailable")
    retrieval_score: float


class StageTimings(BaseModel):
    embed_ms: float
    retrieve_ms: float
    rerank_ms: float
    total_ms: float


class SearchResponse(BaseModel):
    query: str
    user_id: str | None = Field(
        None, description="echoed; not used for ranking yet (personalisation builds on this search path)"
    )
    results: list[ProductHit]
    model_versions: dict[str, str]
    reranker_backend: str
    retrieval_backend: str
    timings_ms: StageTimings
    degraded: list[str] = Field(default_factory=list, description="stages that failed and were skipped")
