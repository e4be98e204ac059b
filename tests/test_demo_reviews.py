"""The demo reviews (``retail.insights.demo_reviews``): deterministic, labelled consistently, varied in wording,
written by the demo shoppers about catalog products, with the planted complaint trends. No Ray."""

from __future__ import annotations

import gzip
import json
from collections import Counter, defaultdict

import pytest

from retail.insights import demo_reviews as dr
from retail.insights.aspects import ASPECTS, POLARITIES
from retail.paths import DEMO_REVIEWS

WEEK = 7 * dr.DAY


@pytest.fixture(scope="module")
def catalog() -> list[dict]:
    return dr.read_catalog()


@pytest.fixture(scope="module")
def events() -> list[dict]:
    return dr.read_events()


@pytest.fixture(scope="module")
def shipped() -> list[dict]:
    with gzip.open(DEMO_REVIEWS, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def test_generation_is_deterministic(catalog, events):
    first = dr.generate(catalog, events, n=300, seed=7)
    assert len(first) == 300
    assert first == dr.generate(catalog, events, n=300, seed=7)
    assert first != dr.generate(catalog, events, n=300, seed=8)
    assert [r["review_id"] for r in first] == [f"R{i:06d}" for i in range(1, 301)]


def test_small_runs_are_labelled_like_the_shipped_file(catalog, events):
    for review in dr.generate(catalog, events, n=200, seed=3):
        for aspect in review["aspects"]:
            assert aspect["span"] and aspect["span"] in review["text"]
            assert aspect["aspect"] in ASPECTS and aspect["polarity"] in POLARITIES


def test_shipped_reviews_are_well_formed(shipped, catalog, events):
    assert len(shipped) >= 5000
    assert [r["review_id"] for r in shipped] == [f"R{i:06d}" for i in range(1, len(shipped) + 1)]
    assert [r["timestamp"] for r in shipped] == sorted(r["timestamp"] for r in shipped)
    products = {p["product_id"]: p["attributes"]["type"] for p in catalog}
    users = {e["user_id"] for e in events}
    for r in shipped:
        assert set(r) == {"review_id", "user_id", "product_id", "rating", "timestamp", "text", "sentiment", "aspects"}
        assert r["user_id"] in users and r["product_id"] in products
        assert r["rating"] in (1, 2, 3, 4, 5) and r["sentiment"] in POLARITIES
        assert isinstance(r["timestamp"], float) and dr.START <= r["timestamp"] < dr.END
        assert r["text"].strip()
        names = [a["aspect"] for a in r["aspects"]]
        assert len(names) == len(set(names)), r  # an aspect at most once per review
        applicable = dr.applicable_aspects(products[r["product_id"]])
        for a in r["aspects"]:
            assert a["aspect"] in ASPECTS and a["polarity"] in POLARITIES
            assert a["aspect"] in applicable, (r["product_id"], a)  # no battery for a sofa
            assert a["span"].strip() and a["span"] in r["text"], (a, r["text"])
    assert len({(r["user_id"], r["product_id"]) for r in shipped}) == len(shipped)


def test_reviews_follow_the_shoppers(shipped, events):
    """The log's review events are reviews (rating and time kept); a review comes after the shopper saw the
    product; most reviews are of products the shopper interacted with."""
    first_look: dict = {}
    for e in events:
        if e.get("product_id"):
            key = (e["user_id"], e["product_id"])
            first_look[key] = min(first_look.get(key, e["timestamp"]), e["timestamp"])
    by_pair = {(r["user_id"], r["product_id"]): r for r in shipped}
    for e in events:
        if e["type"] == "review":
            r = by_pair[(e["user_id"], e["product_id"])]
            assert (r["rating"], r["timestamp"]) == (e["rating"], float(int(e["timestamp"])))
    looked = 0
    for r in shipped:
        key = (r["user_id"], r["product_id"])
        if key in first_look:
            looked += 1
            assert r["timestamp"] >= int(first_look[key]), r
    assert 0.6 <= looked / len(shipped) <= 0.85


def test_label_distributions(shipped):
    n = len(shipped)
    ratings = Counter(r["rating"] for r in shipped)
    for rating, share in dr.RATING_SHARES.items():
        assert abs(ratings[rating] / n - share) < 0.03, ratings
    sentiments = Counter(r["sentiment"] for r in shipped)
    assert all(sentiments[s] / n > 0.1 for s in POLARITIES), sentiments
    neutral = Counter(r["rating"] for r in shipped if r["sentiment"] == "neutral")
    assert neutral[3] > neutral[2] + neutral[4]  # neutral is mostly three stars
    assert sum(r["sentiment"] == "positive" for r in shipped if r["rating"] <= 2) == 0
    assert sum(r["sentiment"] == "negative" for r in shipped if r["rating"] >= 4) == 0
    pairs = Counter((a["aspect"], a["polarity"]) for r in shipped for a in r["aspects"])
    for aspect in ASPECTS:
        for polarity in ("positive", "negative"):
            assert pairs[(aspect, polarity)] >= 20, (aspect, polarity)
    assert 0.06 <= sum(not r["aspects"] for r in shipped) / n <= 0.12
    mixed = sum({"positive", "negative"} <= {a["polarity"] for a in r["aspects"]} for r in shipped)
    assert mixed / n >= 0.08


def test_planted_trends(shipped, catalog, events):
    assert dr.planted_trends(catalog, events) == dr.TRENDS
    assert [aspect for _, aspect in dr.TRENDS] == ["battery", "durability", "fit"]
    last_week = int((dr.END - dr.START) // WEEK) - 1
    for pid, aspect in dr.TRENDS:
        weeks: Counter = Counter()
        reviews = [r for r in shipped if r["product_id"] == pid]
        assert len(reviews) >= 30  # a popular product, not one that only has the complaints
        for r in reviews:
            if any(a["aspect"] == aspect and a["polarity"] == "negative" for a in r["aspects"]):
                weeks[int((r["timestamp"] - dr.START) // WEEK)] += 1
        earlier = max(weeks[w] for w in range(last_week))
        assert weeks[last_week] >= 10 and weeks[last_week] > 3 * max(earlier, 1), (pid, aspect, weeks)


def test_text_variety(shipped):
    texts = [r["text"] for r in shipped]
    assert len(set(texts)) / len(texts) > 0.95
    in_reviews = Counter(s for t in texts for s in set(dr.sentences_of(t)))
    sentence, count = in_reviews.most_common(1)[0]
    assert count <= 0.01 * len(texts), (sentence, count)
    spans = defaultdict(set)
    for r in shipped:
        for a in r["aspects"]:
            spans[(a["aspect"], a["polarity"])].add(a["span"].lower().strip(" .!?"))
    for aspect in ASPECTS:
        for polarity in ("positive", "negative"):
            assert len(spans[(aspect, polarity)]) >= 20, (aspect, polarity, len(spans[(aspect, polarity)]))
