"""ScaNN retrieval against exact search, and filters at every selectivity."""

import numpy as np
import pandas as pd
import pytest

from retail.index import EXACT_SEARCH_SELECTIVITY, Filters, ProductIndex, exact_top_k
from retail.metrics import overlap_at_k


@pytest.fixture(scope="module")
def query_vectors(embedder):
    from retail.catalog import load_queries

    return embedder.encode([q["query"] for q in load_queries(split="test")])


def test_the_demo_index_is_scann_with_high_recall(stable_index, query_vectors):
    assert stable_index.backend == "scann"
    approx = [[row for row, _ in hits] for hits in stable_index.search(query_vectors, 10)]
    exact, _ = exact_top_k(stable_index.embeddings, query_vectors, 10)
    assert overlap_at_k(approx, exact.tolist(), 10) >= 0.9


def test_results_are_ranked_by_score(stable_index, query_vectors):
    for hits in stable_index.search(query_vectors[:5], 20):
        scores = [s for _, s in hits]
        assert len(hits) == 20 and scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    "filters",
    [
        Filters(category="Footwear"),
        Filters(in_stock=True, price_max=50),
        Filters(category="electronics", brand="SONIQUE"),  # case-insensitive
        Filters(category="Furniture", brand="Nordvik", price_min=500, in_stock=True),  # keeps a handful
    ],
)
def test_filters_match_exact_search_over_the_matching_rows(stable_index, query_vectors, filters):
    keep = filters.mask(stable_index.products)
    allowed = np.flatnonzero(keep)
    assert 0 < allowed.size < len(keep)
    k = min(10, allowed.size)
    found = [[row for row, _ in hits] for hits in stable_index.search(query_vectors, 10, filters)]
    assert all(len(rows) == k and keep[rows].all() for rows in found)  # never short, never a filtered-out product
    exact, _ = exact_top_k(stable_index.embeddings[allowed], query_vectors, k)
    exact_rows = allowed[exact].tolist()
    if allowed.size / len(keep) < EXACT_SEARCH_SELECTIVITY:  # narrow filters are searched exactly
        assert [set(rows) for rows in found] == [set(rows) for rows in exact_rows]
    else:  # wide ones through ScaNN: the same recall bar as unfiltered search
        assert overlap_at_k(found, exact_rows, k) >= 0.9


def test_a_filter_that_matches_nothing_returns_nothing(stable_index, query_vectors):
    assert stable_index.search(query_vectors[:2], 10, Filters(category="Footwear", price_min=10_000)) == [[], []]


def test_save_and_load_round_trip(tmp_path):
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(50, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    products = pd.DataFrame({
        "product_id": [f"P{i}" for i in range(50)], "title": ["t"] * 50, "description": [""] * 50,
        "category": ["A", "B"] * 25, "brand": ["x"] * 50, "price": np.arange(50.0),
        "attributes": [{"type": "t"}] * 50, "in_stock": [True] * 50, "rating": [4.0] * 50, "review_count": [1] * 50,
    })
    ProductIndex(vectors, products).save(tmp_path, {"embedder_version": "test"})
    loaded = ProductIndex.load(tmp_path)
    assert loaded.backend == "exact"
    assert loaded.search(vectors[:1], 1)[0][0][0] == 0
    assert loaded.products["attributes"][0] == {"type": "t"}
    assert sorted(r for r, _ in loaded.search(vectors[:1], 5, Filters(category="B", price_max=9))[0]) == [1, 3, 5, 7, 9]


def test_an_index_names_its_embedder_and_an_unknown_one_fails_clearly(tmp_path):
    """An index and its embedder are one unit: serving embeds queries with the embedder the index names."""
    from retail.embedder import load_embedder
    from retail.registry import ArtifactMissing, ModelRegistry

    registry = ModelRegistry(tmp_path)
    version, _ = registry.new_version("index")
    registry.publish("index", version, {"embedder_version": "v-some-fine-tune"})
    with pytest.raises(ArtifactMissing, match="v-some-fine-tune"):
        load_embedder(registry, registry.manifest("index", version)["embedder_version"])
