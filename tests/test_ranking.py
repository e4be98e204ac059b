"""Phase-1 features and the LambdaMART ranker, the phase-2 blend, the promotion gate; no Ray needed."""

import numpy as np
import pandas as pd
import pytest

from retail.evaluation import gate, publish_gated
from retail.index import Candidates
from retail.ranking import (
    FEATURE_NAMES,
    FirstPhaseRanker,
    ProductFeatures,
    blend_second_phase,
    ranking_features,
    train_lambdamart,
)
from retail.registry import ModelRegistry
from retail.text import parse_price_limit, strip_price_limit, tokenize

PRODUCTS = pd.DataFrame({
    "product_id": ["p0", "p1", "p2", "p3"],
    "title": ["Voltra X5 Pro Wireless Earbuds", "Running Socks 3 Pack", "Trail Running Shoes Waterproof", "Yoga Mat"],
    "description": [None, "Cushioned socks for runners.", "Grippy outsole.", None],
    "brand": ["Voltra", None, "Trailborn", None],
    "category": ["Electronics", "Apparel", None, None],
    "price": [79.0, 12.0, np.nan, 25.0],
    "attributes": [{}, {}, {"color": "blue"}, {}],
    "in_stock": [True, None, False, True],
    "rating": [4.5, np.nan, 4.0, np.nan],
    "review_count": [120.0, np.nan, 3.0, np.nan],
})


def candidates(rows, dense, bm25) -> Candidates:
    rows = np.array(rows)
    return Candidates(rows, np.array(dense, dtype=np.float32), np.array(bm25, dtype=np.float32),
                      np.arange(1, len(rows) + 1), np.arange(1, len(rows) + 1), np.zeros(len(rows)))


def test_shopper_text_is_tokenized_and_budgets_are_parsed():
    assert tokenize("Running Shoes, 32oz!") == ["run", "shoe", "32oz", "32", "oz"]
    assert parse_price_limit("trail shoes under $80") == 80.0
    assert parse_price_limit("kettle below 30 for mom") == 30.0
    assert parse_price_limit("battery up to 24 hours") is None  # a duration, not a budget
    assert parse_price_limit("backpack under 2 lbs") is None
    assert parse_price_limit("laptop under 1,000") == 1000.0 and strip_price_limit("laptop under 1,000") == "laptop"


def test_features_are_named_relative_and_nan_where_the_feed_is_silent():
    features = ranking_features("voltra x5 earbuds under $100", candidates([0, 1, 2], [0.6, 0.3, 0.2], [9.0, 0.0, 1.0]),
                                ProductFeatures(PRODUCTS), depth=200)
    col = {name: i for i, name in enumerate(FEATURE_NAMES)}
    assert features.shape == (3, len(FEATURE_NAMES))
    assert features[0, col["title_coverage"]] == 1.0 and features[1, col["title_coverage"]] == 0.0
    assert features[0, col["bm25_norm"]] == 1.0 and features[0, col["dense_gap"]] == 0.0
    assert features[0, col["brand_match"]] == 1.0 and np.isnan(features[1, col["brand_match"]])  # no brand
    assert features[0, col["number_match"]] == 1.0  # "x5" is in the title
    assert features[0, col["price_within"]] == 1.0 and np.isnan(features[2, col["price_within"]])  # no price
    assert np.isnan(features[1, col["rating"]]) and np.isnan(features[1, col["in_stock"]])


def test_lambdamart_learns_that_matching_the_query_matters(tmp_path):
    rng = np.random.default_rng(0)
    n_queries, per_query = 60, 20
    features = rng.normal(size=(n_queries * per_query, len(FEATURE_NAMES))).astype(np.float32)
    coverage = FEATURE_NAMES.index("title_coverage")
    features[:, coverage] = rng.uniform(size=len(features))
    labels = np.clip(np.round(3 * features[:, coverage] + rng.normal(0, 0.3, len(features))), 0, 3)
    booster = train_lambdamart(features, labels, [per_query] * n_queries, rounds=60)
    version_dir = tmp_path / "v1"
    version_dir.mkdir()
    booster.save_model(str(version_dir / "model.txt"))
    (version_dir / "manifest.json").write_text(f'{{"version": "v1", "features": {FEATURE_NAMES!r}}}'.replace("'", '"'))
    ranker = FirstPhaseRanker.load(version_dir)
    probe = np.zeros((2, len(FEATURE_NAMES)), dtype=np.float32)
    probe[0, coverage], probe[1, coverage] = 0.9, 0.1
    scores = ranker.score(probe)
    assert scores[0] > scores[1]


def test_a_ranker_trained_on_other_features_is_refused(tmp_path):
    (tmp_path / "manifest.json").write_text('{"version": "old", "features": ["dense_score"]}')
    with pytest.raises(RuntimeError, match="python -m training.train_ranker"):
        FirstPhaseRanker.load(tmp_path)


def test_the_second_phase_blend_keeps_phase_one_in_the_final_order():
    first = np.array([3.0, 2.0, 1.0])
    cross = np.array([0.0, 0.1, 5.0])
    assert np.argmax(blend_second_phase(first, cross, 1.0)) == 2
    assert np.argmax(blend_second_phase(first, cross, 0.0)) == 0
    assert blend_second_phase(first, np.zeros(3), 0.5).tolist() == pytest.approx((0.5 * (first - 2) / first.std()).tolist())


def _results(ltr: float, hybrid: float) -> dict:
    stage = {"hybrid": {"ndcg@10": hybrid, "recall@100": 0.9}, "hybrid+ltr": {"ndcg@10": ltr, "recall@100": 0.9}}
    return {"demo_test": stage, "ood": stage}


def test_the_gate_refuses_a_stage_that_loses_out_of_distribution():
    assert gate("hybrid+ltr", _results(0.61, 0.60)["ood"])[0]
    passed, reason = gate("hybrid+ltr", _results(0.55, 0.60)["ood"])
    assert not passed and "0.5500" in reason and "0.6000" in reason and "hybrid" in reason


def test_a_losing_version_is_published_but_not_stable_and_the_override_promotes_it(tmp_path):
    registry = ModelRegistry(tmp_path)
    good, _ = registry.new_version("ltr")
    assert publish_gated(registry, "ltr", good, {}, "hybrid+ltr", _results(0.65, 0.60))
    assert registry.stable("ltr") == good

    bad, _ = registry.new_version("ltr")
    assert not publish_gated(registry, "ltr", bad, {}, "hybrid+ltr", _results(0.50, 0.60))
    assert registry.stable("ltr") == good  # the loser is kept for inspection, not served
    manifest = registry.manifest("ltr", bad)
    assert manifest["gate"]["passed"] is False and manifest["gate"]["promoted"] is False
    assert manifest["evaluation"]["ood"]["hybrid+ltr"]["ndcg@10"] == 0.50

    forced, _ = registry.new_version("ltr")
    assert publish_gated(registry, "ltr", forced, {}, "hybrid+ltr", _results(0.50, 0.60), force=True)
    assert registry.stable("ltr") == forced
    assert registry.manifest("ltr", forced)["gate"]["forced"] is True
