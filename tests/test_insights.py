"""Review insight's domain code without a cluster: clauses, alerts, topics, tags, metrics, the store's tail."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from retail.insights.aggregate import DAY_S, AlertPolicy, InsightTable
from retail.insights.aspects import split_clauses
from retail.insights.evaluation import LexiconBaseline, aspect_scores, format_by_class, sentiment_scores
from retail.insights import public_sentiment
from retail.insights.model import (IGNORE, aspect_query, batch_loss, model_input, sentiment_only_examples,
                                   training_examples)
from retail.insights.reviews import BadReviews, read_review_file, reviews_from_events
from retail.insights.tags import ItemFacts, shopper_tags
from retail.insights.topics import OUTLIER, TopicModel

NOW = 1_795_000_000.0


def clauses(text):
    return [text[s:e] for s, e in split_clauses(text)]


def test_clauses_split_at_sentences_and_contrast():
    assert clauses("Love the colour. Sadly it runs small.") == ["Love the colour.", "Sadly it runs small."]
    assert clauses("Grippy on rock, but the toe box is narrow") == ["Grippy on rock", "but the toe box is narrow"]
    assert clauses("great!!!") == ["great!!!"]
    assert clauses("") == []


def test_training_examples_label_clauses_by_their_span():
    review = {"text": "Love the colour. Sadly it runs small.", "sentiment": "neutral",
              "aspects": [{"aspect": "appearance", "polarity": "positive", "span": "Love the colour."},
                          {"aspect": "fit", "polarity": "negative", "span": "Sadly it runs small."}]}
    whole, first, second = training_examples([review])
    assert whole.text == review["text"] and len(whole.aspects) == 2
    assert first.text == "Love the colour." and first.sentiment == 2  # positive
    assert second.text == "Sadly it runs small." and second.sentiment == 0  # negative
    filler = training_examples([{"text": "Bought two. Love the colour.", "sentiment": "positive",
                                 "aspects": [{"aspect": "appearance", "polarity": "positive",
                                              "span": "Love the colour."}]}])
    assert filler[1].sentiment == IGNORE and filler[1].aspects == []


def test_aspect_queries_ask_the_whole_review_about_each_labelled_aspect():
    review = {"text": "Lasted three washes, then the seams went. Still looks nice.", "sentiment": "negative",
              "rating": 2, "aspects": [{"aspect": "durability", "polarity": "negative", "span": "Lasted three washes"},
                                       {"aspect": "appearance", "polarity": "positive", "span": "Still looks nice."}]}
    plain = training_examples([review])
    asked = training_examples([review], aspect_queries=True)
    queries = [e for e in asked if e.aspect]
    assert len(asked) == len(plain) + 2 and not any(e.aspect for e in plain)
    assert [(q.aspect, q.sentiment) for q in queries] == [("durability", 0), ("appearance", 2)]
    assert all(q.text == review["text"] and q.rating == 2 and not q.aspect_labelled for q in queries)
    assert aspect_query("fit", model_input("Runs small.", 4), "[SEP]") == "fit and size [SEP] [4 stars] Runs small."


def test_rated_sentences_train_sentiment_and_leave_the_aspect_head_alone():
    import torch

    rated = sentiment_only_examples([{"text": "nice paperweight.", "sentiment": "negative"}])
    review = training_examples([{"text": "Battery died.", "sentiment": "negative",
                                 "aspects": [{"aspect": "battery", "polarity": "negative", "span": "Battery died."}]}])
    for batch, aspects_learn in ((rated, False), (review + rated, True)):
        sentiment_logits = torch.zeros(len(batch), 3, requires_grad=True)
        aspect_logits = torch.zeros(len(batch), 11, requires_grad=True)
        batch_loss(sentiment_logits, aspect_logits, batch).backward()
        assert sentiment_logits.grad[-1].abs().sum() > 0  # the rated sentence's sentiment is learnt
        assert aspect_logits.grad[-1].abs().sum() == 0  # but its aspects are unknown, not "none"
        assert (aspect_logits.grad[0].abs().sum() > 0) == aspects_learn


def test_public_sentiment_files_parse_into_three_classes(tmp_path):
    (tmp_path / public_sentiment.CORPORA["amazon"]).write_text(
        "1_1\t2.05\tthe player looked good right out of the box.\r\n"
        "1_2\t-2\tnice paperweight.\r\n1_3\t0.2\ti bought it in may.\r\n1_4\t-0.5\tminor gripe.\r\n")
    rows = public_sentiment.load(["amazon"], tmp_path)
    assert [r["sentiment"] for r in rows] == ["positive", "negative", "neutral", "negative"]
    assert rows[1]["text"] == "nice paperweight." and rows[0]["source"] == "amazon"
    with pytest.raises(ValueError, match="reddit"):
        public_sentiment.load(["reddit"], tmp_path)
    with pytest.raises(FileNotFoundError, match="retail.insights.public_sentiment"):
        public_sentiment.load(["movies"], tmp_path)


def test_the_setup_fetched_the_rated_review_sentences():
    rows = public_sentiment.load()  # cluster/setup.sh fetches them from the vaderSentiment sdist
    assert len(rows) > 14000
    counts = {p: sum(r["sentiment"] == p for r in rows) for p in ("negative", "neutral", "positive")}
    assert min(counts.values()) > 1000, counts


def _row(review_id, product, days_ago, aspects, sentiment="negative", user="U1", text="text"):
    return {"review_id": review_id, "user_id": user, "product_id": product, "rating": 2.0,
            "timestamp": NOW - days_ago * DAY_S, "text": text, "sentiment": sentiment, "aspects": aspects, "topic": 0}


BATTERY_BAD = [{"aspect": "battery", "polarity": "negative", "span": "battery died"}]
LOOKS_GOOD = [{"aspect": "appearance", "polarity": "positive", "span": "looks nice"}]


def test_alert_flags_a_jump_in_complaints_and_not_a_steady_rate():
    rows = [_row(f"old{i}", "P1", 9 + i, BATTERY_BAD if i < 1 else LOOKS_GOOD, "positive") for i in range(12)]
    rows += [_row(f"new{i}", "P1", 1 + i * 0.5, BATTERY_BAD) for i in range(5)]
    # P2 complains at the same rate before and now: no alert.
    rows += [_row(f"p2old{i}", "P2", 8 + i, BATTERY_BAD if i % 2 else LOOKS_GOOD) for i in range(12)]
    rows += [_row(f"p2new{i}", "P2", 1 + i, BATTERY_BAD if i % 2 else LOOKS_GOOD) for i in range(6)]
    table = InsightTable(pd.DataFrame(rows))
    alerts = table.alerts(AlertPolicy())
    assert [(a["product_id"], a["aspect"]) for a in alerts] == [("P1", "battery")]
    alert = alerts[0]
    assert alert["complaints_recent"] == 5 and alert["reviews_recent"] == 5 and alert["complaints_before"] == 1
    assert alert["p_value"] < 0.05 and alert["quotes"] == ["battery died"] * 3


def test_too_few_complaints_are_not_a_trend():
    rows = [_row(f"old{i}", "P1", 8 + i, LOOKS_GOOD, "positive") for i in range(10)]
    rows += [_row(f"new{i}", "P1", 1, BATTERY_BAD) for i in range(2)]
    assert InsightTable(pd.DataFrame(rows)).alerts(AlertPolicy(min_negative=3)) == []


def test_product_summary_counts_aspects_and_quotes():
    rows = [_row("a", "P1", 1, BATTERY_BAD), _row("b", "P1", 2, BATTERY_BAD + LOOKS_GOOD, "neutral"),
            _row("c", "P2", 1, LOOKS_GOOD, "positive")]
    summary = InsightTable(pd.DataFrame(rows)).product("P1")
    assert summary["reviews"] == 2 and summary["sentiment"] == {"negative": 1, "neutral": 1, "positive": 0}
    battery = next(a for a in summary["aspects"] if a["aspect"] == "battery")
    assert battery["negative"] == 2 and battery["negative_share"] == 1.0
    assert summary["most_complained_about"][0]["aspect"] == "battery"
    assert summary["most_praised"][0]["aspect"] == "appearance"
    assert InsightTable(pd.DataFrame(rows)).product("P9")["reviews"] == 0


def test_catalog_aspects_rank_complaints_first_with_their_worst_products():
    rows = [_row("a", "P1", 1, BATTERY_BAD), _row("b", "P1", 2, BATTERY_BAD + LOOKS_GOOD, "neutral"),
            _row("c", "P2", 1, BATTERY_BAD + LOOKS_GOOD), _row("d", "P3", 1, LOOKS_GOOD, "positive")]
    ranked = InsightTable(pd.DataFrame(rows)).aspects(titles={"P1": "Torch"})
    assert [a["aspect"] for a in ranked] == ["battery", "appearance"]
    battery = ranked[0]
    assert (battery["negative"], battery["mentions"], battery["negative_share"]) == (3, 3, 1.0)
    assert battery["top_products"][0] == {"product_id": "P1", "title": "Torch", "negative": 2}
    assert ranked[1]["positive"] == 3 and ranked[1]["top_products"] == []
    assert InsightTable().aspects() == []


def test_merge_replaces_by_review_id_and_counts_new():
    table = InsightTable(pd.DataFrame([_row("a", "P1", 1, [])]))
    assert table.merge(pd.DataFrame([_row("a", "P1", 1, BATTERY_BAD), _row("b", "P1", 1, [])])) == 1
    assert len(table) == 2 and table.product("P1")["aspects"][0]["negative"] == 1


@pytest.mark.parametrize("method", ["kmeans", "hdbscan"])
def test_topics_find_clusters_keep_ids_and_name_them(method):
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(3, 32))
    vectors = np.concatenate([c + 0.05 * rng.normal(size=(40, 32)) for c in centres])
    words = ["battery charge", "zipper jacket", "coffee taste"]
    texts = [f"{words[i // 40]} review {i}" for i in range(120)]
    model, assigned = TopicModel.fit(vectors, texts, min_cluster_size=40 if method == "kmeans" else 10, method=method)
    assert len(model.words) == 3 and model.fit_stats["outlier_share"] == 0.0
    for k in range(3):
        topic = assigned[k * 40]
        assert (assigned[k * 40:(k + 1) * 40] == topic).all()
        assert set(words[k].split()) <= set(model.words[topic][:4])
    again = model.assign(centres + 0.05 * rng.normal(size=(3, 32)))
    assert list(again) == [assigned[0], assigned[40], assigned[80]]
    assert model.assign(-centres.sum(0, keepdims=True))[0] == OUTLIER


def test_tags_come_with_evidence():
    products = pd.DataFrame({"product_id": ["P1", "P2", "P3", "P4"], "category": ["Footwear"] * 4,
                             "price": [20.0, 200.0, 25.0, 30.0],
                             "attributes": [{"type": "trail running shoes"}] * 2 + [{"type": "socks"}] * 2})
    facts = ItemFacts.from_catalog(products)
    reviews = pd.DataFrame([_row("a", "P1", 1, [{"aspect": "value", "polarity": "positive", "span": "cheap"}],
                                 "positive", text="Great price, a gift for my son"),
                            _row("b", "P1", 2, [{"aspect": "value", "polarity": "negative", "span": "pricey"}],
                                 "negative", text="pricey"),
                            _row("c", "P3", 2, [], "positive", text="ok")])
    profile = {"events": 12, "recent_items": [{"product_id": "P1"}, {"product_id": "P3"}, {"product_id": "P2"}],
               "category_affinity": {"Footwear": 0.9}, "brand_affinity": {}, "purchase_propensity": 0.1}
    tags = {t["tag"]: t["evidence"] for t in shopper_tags(reviews, profile, facts)}
    assert "price-sensitive" in tags and "2 of 3 reviews" in tags["price-sensitive"]
    assert "gift buyer" in tags and "gift for my son" in tags["gift buyer"]
    assert "parent" in tags and "trail runner" in tags and "Footwear enthusiast" in tags
    assert shopper_tags(reviews.iloc[0:0], None, facts) == []


def test_metrics_and_lexicon_baseline():
    assert sentiment_scores(["positive", "negative"], ["positive", "positive"])["accuracy"] == 0.5
    reviews = [{"text": "t", "aspects": [{"aspect": "fit", "polarity": "negative"}]},
               {"text": "u", "aspects": []}]
    scores = aspect_scores(reviews, [[{"aspect": "fit", "polarity": "negative"}, {"aspect": "value", "polarity": "positive"}],
                                     []], [["negative"], []])
    assert scores["aspect_extraction_f1"] == pytest.approx(2 / 3) and scores["aspect_sentiment_accuracy"] == 1.0
    # Per class: the neutral aspect read as positive costs neutral all its F1 and positive half its precision.
    three = [{"text": "t", "aspects": [{"aspect": a, "polarity": p} for a, p in
                                       (("fit", "negative"), ("value", "neutral"), ("comfort", "positive"))]}]
    scores = aspect_scores(three, None, [["negative", "positive", "positive"]])
    assert scores["aspect_sentiment_f1_by_class"] == pytest.approx({"negative": 1.0, "neutral": 0.0, "positive": 2 / 3})
    assert scores["aspect_sentiment_macro_f1"] == pytest.approx(5 / 9)
    table = format_by_class([{"system": "model", **scores}, {"system": "no aspects"}])
    assert "model" in table and "0.667" in table and "no aspects" not in table
    lexicon = LexiconBaseline()
    assert lexicon.polarity("I love it, wonderful") == "positive" and lexicon.polarity("awful, hate it") == "negative"
    found = {a["aspect"]: a["polarity"] for a in lexicon.extract("The battery is terrible. Looks lovely.")}
    assert found == {"battery": "negative", "appearance": "positive"}


def test_review_files_and_events(tmp_path):
    path = tmp_path / "reviews.csv"
    pd.DataFrame({"review_id": ["r1"], "product_id": ["P1"], "text": ["ok"], "rating": [4]}).to_csv(path, index=False)
    frame = read_review_file(path)
    assert frame.loc[0, "user_id"] == "anonymous" and frame.loc[0, "rating"] == 4
    pd.DataFrame({"review_id": ["r1", "r2"], "product_id": ["P1", "P1"], "text": ["ok", " "]}).to_csv(path, index=False)
    with pytest.raises(BadReviews, match="row 1 has no 'text'"):
        read_review_file(path)
    events = [{"event_id": "e1", "user_id": "U", "type": "review", "product_id": "P1", "rating": 5, "text": "nice",
               "timestamp": NOW},
              {"event_id": "e2", "user_id": "U", "type": "review", "product_id": "P1", "rating": 5, "text": None,
               "timestamp": NOW},
              {"event_id": "e3", "user_id": "U", "type": "view", "product_id": "P1", "timestamp": NOW}]
    assert list(reviews_from_events(events)["review_id"]) == ["e1"]


def test_sqlite_store_tail(tmp_path):
    from retail.recommend.store import SQLiteEventStore

    store = SQLiteEventStore(tmp_path / "e.db")
    records, cursor = store.read_after(None)
    assert records == [] and cursor is None
    store.append([{"event_id": f"e{i}", "user_id": "U", "type": "view", "product_id": "P1", "timestamp": NOW}
                  for i in range(3)])
    records, cursor = store.read_after(None, limit=2)
    assert [r["event_id"] for r in records] == ["e0", "e1"]
    records, cursor = store.read_after(cursor)
    assert [r["event_id"] for r in records] == ["e2"]
    assert store.read_after(cursor) == ([], cursor)
