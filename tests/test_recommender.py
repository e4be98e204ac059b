"""The recommender's parts without Ray: demo log, sequences, baselines, SASRec, profile, fusion, page, evaluation.

A small synthetic shop (made here, not by the demo generator): items in a few
categories with text-like vectors, shoppers who each stick to one category
and walk its items in order, so there is a sequence to learn.
"""

from __future__ import annotations

import gzip
import json

import numpy as np
import pandas as pd
import pytest

from retail.paths import DEMO_EVENTS
from retail.recommend import demo_events
from retail.recommend.baselines import ItemKNN, Popularity
from retail.recommend.datasets import item_table, movielens_dir
from retail.recommend.evaluation import (evaluate_new_products, fit_and_evaluate, gate, hit_ndcg,
                                        new_products_split, rank_of)
from retail.recommend.interactions import leave_last_out, sequences_by_shopper, shopper_steps
from retail.recommend.profile import build_profile
from retail.recommend.recommender import Recommender, RecommenderArtifact
from retail.recommend.sequential import training_rows

CATEGORIES = ["Footwear", "Kitchen", "Toys"]
PER_CATEGORY = 12


@pytest.fixture(scope="module")
def shop():
    rng = np.random.default_rng(7)
    centres = rng.normal(size=(len(CATEGORIES), 32))
    rows, vectors = [], []
    for c, category in enumerate(CATEGORIES):
        for i in range(PER_CATEGORY):
            rows.append({"product_id": f"{category[0]}{i:02d}", "title": f"{category} item {i}", "category": category,
                         "brand": f"B{i % 3}", "price": 10.0 + i, "in_stock": True, "rating": 4.0})
            vectors.append(centres[c] + 0.3 * rng.normal(size=32))
    # Two colourways of one product: near-identical vectors.
    rows.append(dict(rows[0], product_id="F00-blue", title="Footwear item 0 blue"))
    vectors.append(vectors[0] + 0.01 * rng.normal(size=32))
    items = item_table(pd.DataFrame(rows), np.array(vectors))
    events, t = [], 1.7e9
    for u in range(150):
        category = CATEGORIES[u % len(CATEGORIES)]
        start = int(rng.integers(0, PER_CATEGORY - 6))
        for i in range(start, start + 6):  # walks the category's items in order, two a visit
            t += 86400 if (i - start) % 2 == 0 else 60
            session = f"u{u}-{(i - start) // 2}"
            events.append({"event_id": f"e{len(events)}", "user_id": f"u{u}", "type": "view",
                           "product_id": f"{category[0]}{i:02d}", "timestamp": t, "session_id": session})
            if i % 4 == 3:
                t += 30
                events.append({"event_id": f"e{len(events)}", "user_id": f"u{u}", "type": "purchase",
                               "product_id": f"{category[0]}{i:02d}", "timestamp": t, "session_id": session})
    return items, events


@pytest.fixture(scope="module")
def trained(shop):
    items, events = shop
    return fit_and_evaluate("synthetic", items, events, {}, epochs=15)


def test_the_demo_log_ships_and_the_generator_is_deterministic():
    from retail.catalog import load_catalog
    from retail.paths import DEMO_CATALOG

    with gzip.open(DEMO_EVENTS, "rt") as f:
        shipped = [json.loads(line) for line in f]
    assert len(shipped) > 30_000 and len({e["user_id"] for e in shipped}) >= 1000
    assert {e["type"] for e in shipped} >= {"view", "click", "add_to_cart", "purchase", "search", "review"}
    catalog = load_catalog(DEMO_CATALOG, use_ray=False)
    again = demo_events.generate(catalog, shoppers=40)
    assert again == demo_events.generate(catalog, shoppers=40)
    assert again == [e for e in shipped if int(e["user_id"][1:]) <= 40]  # the shipped file is this generator's
    counts = pd.Series([e["product_id"] for e in shipped if e.get("product_id")]).value_counts()
    head = counts.iloc[: len(catalog) // 5].sum() / counts.sum()
    assert head > 0.4  # heavy-tailed: a fifth of the catalogue gets twice its share, the rest is long tail
    assert len(counts) < len(catalog)  # and some products have no events at all (new products)


def test_steps_fold_repeats_but_keep_a_purchase_as_its_own_step(shop):
    items, _ = shop
    events = [{"type": t, "product_id": "F01", "timestamp": i, "session_id": "s"}
              for i, t in enumerate(["view", "click", "add_to_cart", "purchase", "review"])]
    events.append({"type": "view", "product_id": "F02", "timestamp": 9, "session_id": "s"})
    steps = shopper_steps(events, items)
    assert [(items.ids[s.item], s.type_id) for s in steps] == [("F01", 4), ("F01", 5), ("F02", 1)]


def test_leave_last_out_targets_new_items_in_time_order(shop):
    items, events = shop
    split = leave_last_out(sequences_by_shopper(events, items))
    history, target = split.test["u0"]
    assert target.item not in {s.item for s in history}
    assert all(s.timestamp <= target.timestamp for s in history)
    assert split.valid["u0"][1].item in {s.item for s in history}  # validation target is test history
    assert split.valid["u0"][1].item not in {s.item for s in split.train["u0"]}


def test_training_rows_mark_later_purchases_in_the_session(shop):
    items, events = shop
    rows = training_rows(sequences_by_shopper(events, items), max_len=50)
    assert all(len(r["items"]) == len(r["targets"]) == len(r["buys"]) for r in rows)
    assert any(1 in r["buys"] for r in rows) and any(0 in r["buys"] for r in rows)


def test_item_knn_finds_what_is_bought_together(shop):
    items, events = shop
    sequences = sequences_by_shopper(events, items)
    knn = ItemKNN.fit(sequences, len(items))
    neighbours = np.argsort(-knn.scores([items.row_of["F03"]]))[:5]
    assert {items.frame.loc[n, "category"] for n in neighbours} == {"Footwear"}
    popularity = Popularity.fit(sequences, len(items))
    assert popularity.long_tail().sum() == len(items) - round(0.2 * len(items))


def test_the_trained_recommender_beats_both_baselines_on_held_out_targets(trained):
    result, _ = trained
    full, knn, pop = (result.table[n]["ndcg@10"] for n in ("full", "item-kNN", "popularity"))
    assert full > knn and full > pop
    assert gate(result)[0]
    assert 0 < result.extras["coverage (served page)"] <= 1
    assert result.extras["propensity sessions"] > 0


def test_a_stranger_gets_popular_items_spread_over_categories(trained, shop):
    items, _ = shop
    recommender = Recommender(trained[1], items)
    page = recommender.recommend(None, top_k=6)
    assert len(page) == 6
    assert len({items.frame.loc[r.row, "category"] for r in page}) == len(CATEGORIES)
    assert all(r.reason.startswith(("popular in", "new in")) for r in page)


def test_events_steer_the_page_and_each_result_says_why(trained, shop):
    items, _ = shop
    recommender = Recommender(trained[1], items)
    events = [{"type": "view", "product_id": f"T{i:02d}", "timestamp": 1.7e9 + i, "session_id": "s"} for i in range(3)]
    profile = build_profile("new", events, items, {})
    page = recommender.recommend(profile, top_k=5)
    categories = [items.frame.loc[r.row, "category"] for r in page]
    assert categories[0] == "Toys" and categories.count("Toys") >= 3, categories  # diversity may spread the rest
    assert not {items.ids[r.row] for r in page} & {"T00", "T01", "T02"}  # already seen: not recommended
    assert any(r.reason.startswith(("because you viewed", "often bought or viewed with", "matches your interest"))
               for r in page)
    assert profile.category_affinity == {"Toys": 1.0}


def test_context_alone_finds_a_product_no_one_has_touched(trained, shop):
    """F00-blue has no events anywhere: only its text vector can bring it up."""
    items, _ = shop
    recommender = Recommender(trained[1], items)
    assert recommender.no_events[items.row_of["F00-blue"]]
    context = items.vectors[items.row_of["F00-blue"]]
    page = recommender.recommend(None, top_k=3, context=context, context_label="blue shoes")
    top = page[0]
    assert items.ids[top.row] in {"F00-blue", "F00"} and top.reason == "related to blue shoes"
    assert any(r.new_item for r in recommender.recommend(None, top_k=5, context=context, diversify=False))


def test_a_new_colourway_borrows_what_its_twin_goes_with(trained, shop):
    """F00-blue has no events; its twin F00 is walked before F01 by the Footwear shoppers. A shopper who just
    viewed F01 is offered F00-blue by "together" only through bridging, and the reason says it is new."""
    items, _ = shop
    blue, twin, viewed = (items.row_of[p] for p in ("F00-blue", "F00", "F01"))
    bridged = Recommender(trained[1], items)
    plain = Recommender(trained[1], items, bridge_neighbours=0)
    assert plain.knn.similarity[viewed, blue] == 0 and plain.knn.similarity[viewed, twin] > 0
    assert 0 < bridged.knn.similarity[viewed, blue] <= plain.knn.similarity[viewed, twin]
    assert bridged.knn.similarity[blue].nnz > 0  # a shopper who views the new product gets its twin's company
    # Items with events keep their own rows and columns, untouched, among themselves.
    warm = np.flatnonzero(~bridged.no_events)
    assert (bridged.knn.similarity[warm][:, warm] != plain.knn.similarity[warm][:, warm]).nnz == 0
    profile = build_profile("x", [{"type": "view", "product_id": "F01", "timestamp": 1.7e9, "session_id": "s"}],
                            items, {})
    assert bridged.reason(blue, "together", profile, None) == "new, and like what goes with Footwear item 1"


def test_a_page_keeps_room_for_products_no_one_has_touched(trained, shop):
    """A Toys shopper's plain page holds 3 items with no training events (T09-T11: only ever test targets);
    with half of the page kept for them, two more take the places of the two lowest-ranked others and come
    last, and the rest keep their order. A colourway of an item on the page is never the one added."""
    items, _ = shop
    events = [{"type": "view", "product_id": f"T{i:02d}", "timestamp": 1.7e9 + i, "session_id": "s"} for i in range(3)]
    profile = build_profile("x", events, items, {})
    plain = Recommender(trained[1], items, new_item_share=0).recommend(profile, top_k=10, diversify=False)
    page = Recommender(trained[1], items, new_item_share=0.5).recommend(profile, top_k=10, diversify=False)
    assert len(page) == len(plain) == 10 and sum(r.new_item for r in plain) == 3
    assert sum(r.new_item for r in page) == 5 and page[-1].new_item and page[-2].new_item
    assert [r.row for r in page[:8]] == [r.row for r in plain[:8]]
    assert not {r.row for r in page[-2:]} & {r.row for r in plain}
    context = items.vectors[items.row_of["F00"]]
    near = Recommender(trained[1], items, new_item_share=0.5).recommend(None, top_k=4, context=context)
    ids = [items.ids[r.row] for r in near]
    assert not {"F00", "F00-blue"} <= set(ids) and sum(r.new_item for r in near) >= 2, ids


def test_new_products_leave_training_entirely_and_are_found_by_text(shop):
    items, events = shop
    split = leave_last_out(sequences_by_shopper(events, items))
    cold_split, new = new_products_split(split, len(items), share=0.3, seed=1)
    assert new.any()
    assert not any(new[s.item] for steps in cold_split.train.values() for s in steps)
    assert not any(new[t.item] or any(new[s.item] for s in h) for h, t in cold_split.valid.values())
    assert cold_split.test.keys() == split.test.keys()  # both kinds of target stay in the test
    assert not any(new[s.item] for h, _ in cold_split.test.values() for s in h)
    result = evaluate_new_products("synthetic", items, events, {}, share=0.3, epochs=5, seed=1)
    assert result.extras["new-product test cases"] > 0 and result.extras["other test cases"] > 0
    # The baselines that read only events cannot find a product with none: no leak from the test.
    assert result.table["item-kNN [new targets]"]["hr@10"] == 0
    assert result.table["full [new targets]"]["hr@10"] > 0  # text finds them


def test_a_page_has_no_near_duplicates_and_keeps_long_tail_room(trained, shop):
    items, _ = shop
    recommender = Recommender(trained[1], items, long_tail_share=0.4)
    context = items.vectors[items.row_of["F00"]]
    page = recommender.recommend(None, top_k=5, context=context, context_label="x")
    ids = {items.ids[r.row] for r in page}
    assert not {"F00", "F00-blue"} <= ids
    assert sum(r.long_tail for r in page) >= 2
    plain = {items.ids[r.row] for r in recommender.recommend(None, top_k=5, context=context, diversify=False)}
    assert {"F00", "F00-blue"} <= plain  # what diversification removed was really there


def test_filters_and_exclusions_are_honoured(trained, shop):
    items, _ = shop
    recommender = Recommender(trained[1], items)
    allowed = (items.frame["category"] == "Kitchen").to_numpy() & (items.frame["price"] <= 15).to_numpy()
    page = recommender.recommend(None, top_k=10, allowed=allowed)
    assert page and all(allowed[r.row] for r in page)


def test_an_artifact_round_trips_and_binds_to_a_changed_catalog(trained, shop, tmp_path):
    items, _ = shop
    trained[1].save(tmp_path / "v1")
    loaded = RecommenderArtifact.load(tmp_path / "v1")
    assert loaded.weights == trained[1].weights
    # The catalog lost a product and gained one since training: both are handled.
    frame = items.frame[items.frame["product_id"] != "K05"]
    new_row = dict(frame.iloc[0], product_id="NEW1", title="brand new")
    smaller = item_table(pd.concat([frame, pd.DataFrame([new_row])], ignore_index=True),
                         np.vstack([items.vectors[frame.index], items.vectors[:1]]))
    recommender = Recommender(loaded, smaller)
    assert recommender.no_events[smaller.row_of["NEW1"]]
    events = [{"type": "view", "product_id": "F01", "timestamp": 1.7e9, "session_id": "s"}]
    assert recommender.recommend(build_profile("x", events, smaller, {}), top_k=5)


def test_rank_and_metrics():
    scores = np.array([0.9, 0.5, 0.7, 0.1])
    excluded = np.array([True, False, False, False])
    assert rank_of(scores, 1, excluded) == 1  # item 0 is excluded, item 2 beats it
    assert hit_ndcg([0, 1, 20]) == {"hr@10": pytest.approx(2 / 3), "ndcg@10": pytest.approx((1 + 1 / np.log2(3)) / 3)}


def test_movielens_ships_in_the_recbole_wheel_files():
    root = movielens_dir()
    header = (root / "ml-100k.inter").read_text().splitlines()[0]
    assert header.startswith("user_id:token\titem_id:token\trating:float\ttimestamp:float")
    assert sum(1 for _ in open(root / "ml-100k.inter")) == 100_001
