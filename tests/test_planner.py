"""The assistant's query planner: hard constraints read from shoppers' words, types from the catalog, turn state.

The vocabulary is built the way the served index builds it: from the demo catalog's products, embedded by the
real MiniLM embedder (a sample per type, to keep the test short).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from retail.assistant.planner import (
    CatalogVocabulary, Constraints, filter_products, parse_constraints, plan_conversation, plan_message, size_fits,
)
from retail.paths import DEMO_CATALOG


@pytest.fixture(scope="module")
def catalog() -> list[dict]:
    return [json.loads(line) for line in DEMO_CATALOG.read_text().splitlines()]


@pytest.fixture(scope="module")
def vocabulary(catalog, embedder) -> CatalogVocabulary:
    from retail.catalog import product_text

    per_type: dict[str, list[dict]] = {}
    for product in catalog:
        per_type.setdefault(product["attributes"]["type"], []).append(product)
    sample = [p for products in per_type.values() for p in products[:6]]
    vectors = embedder.encode([product_text(p) for p in sample])
    return CatalogVocabulary.from_products([p["attributes"] for p in sample], [p["category"] for p in sample], vectors)


@pytest.mark.parametrize("text, stated", [
    ("warm slippers, womens, under $40", {"price_max": 40.0, "audience": "women"}),
    ("no more than 60 bucks for my husband", {"price_max": 60.0, "audience": "men"}),
    ("between $50 and $100", {"price_min": 50.0, "price_max": 100.0}),
    ("$20-$35 is my range", {"price_min": 20.0, "price_max": 35.0}),
    ("something over $30", {"price_min": 30.0}),
    ("tops 25", {"price_max": 25.0}),
    ("any for my son instead?", {"audience": "kids"}),
    ("a helmet for my 8 year old", {"audience": "kids"}),
    ("in black?", {"colors": ("black",)}),
    ("size 9 trail shoes", {"size": "9"}),
    ("a crate that fits a 110 lb dog", {"load_lb": 110.0}),
    ("a manual coffee grinder", {}),  # "man" inside a word is no audience
    ("up to 24 hours of battery", {}),  # a quantity, not a budget
])
def test_constraints_are_read_from_shoppers_words(text, stated):
    assert parse_constraints(text).stated() == stated


def test_a_product_that_breaks_a_hard_constraint_is_named():
    shoe = {"price": 80.0, "title": "Trail Shoe / Navy", "attributes": {"gender": "men", "color": "navy", "sizes": "US 6-12"}}
    assert Constraints(price_max=79.99).violation(shoe)
    assert Constraints(price_min=90).violation(shoe)
    assert Constraints(audience="women").violation(shoe)
    assert Constraints(audience="men", colors=("blue",), size="10", price_max=80).violation(shoe) is None  # navy is blue
    assert Constraints(colors=("black",)).violation(shoe)
    assert Constraints(size="13").violation(shoe)
    assert Constraints(audience="women").violation({**shoe, "attributes": {"gender": "unisex"}}) is None
    assert Constraints(audience="kids").violation({**shoe, "attributes": {"gender": "unisex"}})
    assert Constraints(audience="kids").violation({"price": 5, "title": "Mug", "attributes": {}}) is None  # no gender
    crate = {"price": 90, "title": "Crate", "attributes": {"fits dogs up to": "90 lb"}}
    assert Constraints(load_lb=110).violation(crate)
    assert Constraints(load_lb=80).violation(crate) is None


def test_size_ranges():
    assert size_fits("9.5", "US 6-14") and not size_fits("15", "US 6-14")
    assert size_fits("m", "S-XL") and not size_fits("xs", "S-XL") and not size_fits("xxl", "S-XL")
    assert size_fits("l", "L/XL") and size_fits("m", "one size")


def test_named_types_come_from_the_catalog(vocabulary, embedder):
    plan = plan_message("wireless earbuds that are good for the gym, under $100", None, vocabulary)
    assert plan.named and plan.types == ["wireless earbuds"] and plan.constraints.price_max == 100
    # A head noun alone is evidence, not a name: "earbuds" leads to the type, "shoes" in passing does not decide.
    text = "earbuds that are good for the gym, sweat proof"
    plan = plan_message(text, embedder.encode([text])[0], vocabulary)
    assert not plan.named and plan.types[0] == "wireless earbuds", plan.type_scores
    text = "our puppy chews every shoe in the house, what can I give him instead"
    plan = plan_message(text, embedder.encode([text])[0], vocabulary)
    assert not plan.named and "chew toy" in plan.types, plan.type_scores


def test_a_need_without_product_words_finds_its_types(vocabulary, embedder):
    text = "it keeps raining on my commute and I get soaked"
    plan = plan_message(text, embedder.encode([text])[0], vocabulary)
    assert not plan.named
    assert "rain jacket" in plan.types, plan.type_scores
    assert set(plan.types) <= set(vocabulary.types) and len(plan.types) <= 3


def test_refinements_keep_earlier_constraints_until_changed(vocabulary):
    first = plan_message("mens running shoes under $150", None, vocabulary)
    black = plan_conversation(plan_message("in black?", None, vocabulary), [first], "in black?", refinement=True)
    assert black.carried and black.types == first.types
    assert black.constraints.stated() == {"price_max": 150.0, "audience": "men", "colors": ("black",)}
    son = plan_conversation(plan_message("any for my son instead?", None, vocabulary), [first], "any for my son instead?",
                            refinement=True)
    assert son.constraints.audience == "kids" and son.constraints.price_max == 150
    cheaper = plan_conversation(plan_message("cheaper?", None, vocabulary), [first], "cheaper?", shown_prices=[120.0, 99.5],
                                refinement=True)
    assert cheaper.constraints.price_max == 99.49
    fresh = plan_conversation(plan_message("I also need a yoga mat", None, vocabulary), [first], "I also need a yoga mat")
    assert not fresh.carried and fresh.constraints.stated() == {}


def test_filter_keeps_order_and_separates_the_broken(catalog):
    products = catalog[:60]
    plan = plan_message("something under $30", None, None)
    kept, broken = filter_products(products, plan)
    assert kept and broken and all(p["price"] <= 30 for p in kept) and all(p["price"] > 30 for p in broken)
    assert [p["product_id"] for p in kept] == [p["product_id"] for p in products if p["price"] <= 30]


def test_vocabulary_centroids_are_unit_vectors(vocabulary):
    assert np.allclose(np.linalg.norm(vocabulary.centroids, axis=1), 1.0, atol=1e-4)
    assert {"women", "men", "unisex", "kids"} <= vocabulary.genders
