"""Request validation at the edge: every refusal names the field."""

import pytest
from pydantic import ValidationError

from retail.schemas import MAX_QUERY_CHARS, SearchRequest


def _error_fields(payload: dict) -> list[str]:
    with pytest.raises(ValidationError) as info:
        SearchRequest.model_validate(payload)
    return [".".join(str(p) for p in err["loc"]) for err in info.value.errors()]


def test_a_valid_request_keeps_every_field():
    request = SearchRequest.model_validate(
        {"query": "  red sneakers ", "top_k": 5, "filters": {"category": "Footwear", "price_max": 80, "in_stock": True}, "user_id": "u1"}
    )
    assert request.query == "red sneakers"
    assert request.filters.price_max == 80 and request.filters.in_stock is True


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"query": ""}, "query"),
        ({"query": "   "}, "query"),
        ({"query": "x" * (MAX_QUERY_CHARS + 1)}, "query"),
        ({"query": " " + "x" * MAX_QUERY_CHARS}, "query"),  # the limit is on what was sent, as the schema says
        ({"query": 42}, "query"),
        ({"query": "boots", "top_k": 0}, "top_k"),
        ({"query": "boots", "top_k": 101}, "top_k"),
        ({"query": "boots", "top_k": "10"}, "top_k"),
        ({"query": "boots", "top_k": 9.5}, "top_k"),
        ({"query": "boots", "filters": {"colour": "red"}}, "filters.colour"),
        ({"query": "boots", "filters": {"price_max": "cheap"}}, "filters.price_max"),
        ({"query": "boots", "filters": {"in_stock": "yes"}}, "filters.in_stock"),
        ({"query": "boots", "filters": {"price_min": -1}}, "filters.price_min"),
        ({"query": "boots", "page": 2}, "page"),
    ],
)
def test_bad_requests_name_the_field(payload, field):
    assert any(f == field or f.startswith(field + ".") for f in _error_fields(payload)), _error_fields(payload)


def test_an_inverted_price_range_is_refused():
    fields = _error_fields({"query": "boots", "filters": {"price_min": 100, "price_max": 10}})
    assert fields == ["filters"]


def test_the_schema_states_the_limits_the_server_applies():
    schema = SearchRequest.model_json_schema()["properties"]["query"]
    assert schema["maxLength"] == MAX_QUERY_CHARS and schema["minLength"] == 1 and schema["pattern"] == r"\S"


def test_an_integral_float_is_an_integer_as_in_json_schema():
    assert SearchRequest.model_validate({"query": "boots", "top_k": 94.0}).top_k == 94
