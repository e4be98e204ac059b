"""Real feeds (titles only, missing fields) and the hybrid first stage: BM25 + dense, every filter honoured."""

import json
import re

import numpy as np
import pytest

from retail.catalog import load_catalog, product_text, search_text
from retail.index import Filters, HybridIndex, ProductIndex, build_hybrid_index
from retail.lexical import LexicalIndex

FEED = [
    {"product_id": "A1", "title": "Anker USB C Charger 40W, 521 Charger (Nano Pro), Fast Charger for iPhone 15"},
    {"product_id": "A2", "title": "USB C to USB C Cable 6ft, 2-Pack, Braided Fast Charging Cord", "price": 9.99},
    {"product_id": "A3", "title": "Stainless Steel Mixing Bowls, Set of 5", "category": "Kitchen", "brand": "Cookwell"},
    {"product_id": "A4", "title": "Hydro Flask 32 oz Wide Mouth Water Bottle", "brand": "Hydro Flask", "price": 44.95,
     "in_stock": True, "description": "Keeps drinks cold 24 hours, hot 12 hours."},
    {"product_id": "A5", "title": "HDMI Cable 6 ft 4K", "price": 7.5, "in_stock": False, "category": "Electronics"},
]


@pytest.fixture(scope="module")
def feed_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("feed") / "feed.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in FEED))
    return path


def test_a_titles_only_feed_loads_and_leaves_missing_fields_out(feed_path):
    catalog = load_catalog(feed_path, use_ray=False)
    assert catalog["product_id"].tolist() == ["A1", "A2", "A3", "A4", "A5"]
    text = product_text(catalog.iloc[0].to_dict())
    assert text == FEED[0]["title"]  # nothing invented: no category, brand, price or stock placeholder
    texts = [product_text(r) for r in catalog.to_dict(orient="records")]
    assert not any(re.search(r"\b(None|nan|NaN)\b", t) for t in texts), texts
    assert "$9.99" in product_text(catalog.iloc[1].to_dict())
    assert "cold 24 hours" in search_text(catalog.iloc[3].to_dict())  # descriptions feed the lexical index


def test_a_titles_only_feed_also_loads_through_ray_data(ray_client, feed_path):
    assert load_catalog(feed_path)["title"].tolist() == [row["title"] for row in FEED]


def test_empty_csv_cells_are_missing_values(tmp_path):
    path = tmp_path / "feed.csv"
    path.write_text("product_id,title,price,in_stock,rating,review_count,brand\nA,Red mug,,,,,\nB,Blue mug,4.5,true,4.2,10,Acme\n")
    catalog = load_catalog(path, use_ray=False)
    assert np.isnan(catalog["price"][0]) and catalog["in_stock"][0] is None and catalog["brand"].isna()[0]
    assert catalog["price"][1] == 4.5 and catalog["in_stock"][1] is True


def test_a_filter_never_matches_a_missing_value(feed_path):
    catalog = load_catalog(feed_path, use_ray=False)
    ids = catalog["product_id"].to_numpy()
    assert ids[Filters(price_max=100).mask(catalog)].tolist() == ["A2", "A4", "A5"]
    assert ids[Filters(price_min=0).mask(catalog)].tolist() == ["A2", "A4", "A5"]
    assert ids[Filters(in_stock=True).mask(catalog)].tolist() == ["A4"]
    assert ids[Filters(in_stock=False).mask(catalog)].tolist() == ["A5"]
    assert ids[Filters(category="kitchen").mask(catalog)].tolist() == ["A3"]
    assert ids[Filters(brand="hydro flask").mask(catalog)].tolist() == ["A4"]


@pytest.fixture(scope="module")
def feed_index(feed_path, embedder):
    catalog = load_catalog(feed_path, use_ray=False)
    vectors = embedder.encode([product_text(r) for r in catalog.to_dict(orient="records")])
    index, _ = build_hybrid_index(vectors, catalog, vectors[:1])
    return index


def test_bm25_finds_model_numbers_and_sizes_the_embedder_may_miss(feed_index, embedder):
    query = "anker 521"
    found = feed_index.candidates(embedder.encode([query])[0], query, 5, mode="lexical")
    assert feed_index.products["product_id"][found.rows[0]] == "A1"
    query = "32oz hydroflask"  # "32oz" meets "32 oz"
    found = feed_index.candidates(embedder.encode([query])[0], query, 5, mode="lexical")
    assert feed_index.products["product_id"][found.rows[0]] == "A4"


def test_hybrid_candidates_carry_both_scores_and_are_fused(feed_index, embedder):
    query = "usb c charging cable"
    found = feed_index.candidates(embedder.encode([query])[0], query, 5)
    assert len(found) == 5 and np.all(np.diff(found.fused) <= 0)
    assert np.all(found.dense_rank > 0)  # 5 products, depth 5: dense returns all of them
    assert np.all((found.bm25_rank > 0) == (found.bm25 > 0))
    assert feed_index.products["product_id"][found.rows[0]] == "A2"


def test_the_hybrid_index_round_trips(feed_index, tmp_path, embedder):
    feed_index.save(tmp_path, {"embedder_version": "test"})
    loaded = HybridIndex.load(tmp_path)
    query = "water bottle"
    vector = embedder.encode([query])[0]
    assert loaded.candidates(vector, query, 3).rows.tolist() == feed_index.candidates(vector, query, 3).rows.tolist()


FILTERS = [
    Filters(category="Footwear"),
    Filters(in_stock=True, price_max=50),
    Filters(price_min=100, price_max=300),
    Filters(in_stock=False),
    Filters(category="Electronics", in_stock=True, price_max=80),
    Filters(category="Furniture", price_min=1000),  # keeps a handful
    Filters(category="Footwear", price_min=10_000),  # keeps nothing
]


@pytest.fixture(scope="module")
def demo_hybrid(registry):
    _, directory = registry.require_stable("index", "python -m training.build_index")
    return HybridIndex.load(directory)


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: json.dumps({k: v for k, v in vars(f).items() if v is not None}))
@pytest.mark.parametrize("mode", ["hybrid", "dense", "lexical"])
def test_every_retriever_honours_every_filter_at_any_selectivity(demo_hybrid, embedder, filters, mode):
    keep = filters.mask(demo_hybrid.products)
    depth = 50
    for query in ["running shoes", "wireless earbuds with long battery", "sofa", "gift for a 6 year old"]:
        found = demo_hybrid.candidates(embedder.encode([query])[0], query, depth, filters, mode)
        assert keep[found.rows].all(), f"{mode} returned a filtered-out product for {query!r}"
        if mode in ("hybrid", "dense"):  # dense never comes up short: all matches when fewer than depth
            assert len(found) >= min(depth, int(keep.sum()))


def test_bm25_scores_every_product_so_filters_are_exact(demo_hybrid):
    scores = demo_hybrid.lexical.scores("waterproof hiking boots")
    assert scores.shape == (len(demo_hybrid.products),) and scores.max() > 0
    assert np.all(demo_hybrid.lexical.scores("zzqx unknownword") == 0)


def test_lexical_index_of_an_empty_text_still_aligns(tmp_path):
    index = LexicalIndex.build(["red shoe", "", "blue shoe"])
    assert index.scores("shoe").shape == (3,) and index.scores("shoe")[1] == 0
    index.save(tmp_path)
    assert np.allclose(LexicalIndex.load(tmp_path).scores("red shoe"), index.scores("red shoe"))


def test_dense_scores_of_any_rows_match_search(demo_hybrid, embedder):
    dense: ProductIndex = demo_hybrid.dense
    vector = embedder.encode(["rain jacket"])[0]
    hits = dense.search(vector, 5)[0]
    rows = np.array([row for row, _ in hits])
    assert np.allclose(dense.dense_scores(vector, rows), [score for _, score in hits], atol=1e-3)
