"""Review insight end to end: the insight job through `ray job submit`, then the real app over HTTP.

The module runs the job on a sample of the demo reviews into the session's
registry (then once more, incrementally, after new review events), deploys the
app once with its own SQLite event store, and posts reviews as shopper events:
they must reach their product's insight, the alerts and the shopper's tags
while the app runs. Product and shopper ids posted here are chosen so nothing
depends on other tests.
"""

from __future__ import annotations

import gzip
import json
import sys
import time
import uuid

import httpx
import pytest
import yaml

from cluster import local
from cluster.up import serve_address, wait_healthy
from retail.paths import DEMO_REVIEWS, REPO_ROOT
from retail.recommend.store import SQLiteEventStore

pytestmark = pytest.mark.integration
CONFIG = REPO_ROOT / "ray_config.yaml"
SAMPLE = 300


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    return tmp_path_factory.mktemp("events") / "events.db"


@pytest.fixture(scope="module")
def sample_reviews(tmp_path_factory) -> list[dict]:
    with gzip.open(DEMO_REVIEWS, "rt") as f:
        return [json.loads(line) for _, line in zip(range(SAMPLE), f)]


@pytest.fixture(scope="module")
def jobs(registry, store_path, sample_reviews, tmp_path_factory):
    """Two runs of the insight job: everything in the sample, then only the review events stored since."""
    path = tmp_path_factory.mktemp("reviews") / "reviews.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in sample_reviews))
    job = [sys.executable, "-m", "training.insights", "--reviews", str(path), "--events", str(store_path)]
    local.submit_job(job + ["--full"])
    first = registry.stable("insights")
    store = SQLiteEventStore(store_path)
    now = time.time()
    posted = [{"event_id": f"job-{uuid.uuid4().hex[:8]}", "user_id": "S00007", "type": "review",
               "product_id": sample_reviews[0]["product_id"], "rating": 1, "text": text, "timestamp": now - 60,
               "session_id": None}
              for text in ("Stopped working after a week. Waste of money.", "Arrived with a cracked case.")]
    store.append(posted + [{"event_id": f"job-{uuid.uuid4().hex[:8]}", "user_id": "S00007", "type": "view",
                            "product_id": sample_reviews[0]["product_id"], "rating": None, "text": None,
                            "timestamp": now, "session_id": None}])
    store.close()
    local.submit_job(job)
    return first, registry.stable("insights"), posted


def test_the_job_registers_a_version_and_a_second_run_analyses_only_new_reviews(registry, jobs):
    first, second, posted = jobs
    manifest = registry.manifest("insights", first)
    assert manifest["reviews"] == SAMPLE and manifest["new_reviews"] == SAMPLE
    assert manifest["review_model_version"] == registry.stable("review_model")
    assert manifest["topics"]["topics"] >= 1 and 0 <= manifest["topics"]["outlier_share"] <= 1
    assert second != first
    incremental = registry.manifest("insights", second)
    assert incremental["parent"] == first
    assert incremental["new_reviews"] == len(posted) and incremental["reviews"] == SAMPLE + len(posted)


@pytest.fixture(scope="module")
def http(jobs, store_path, tmp_path_factory):
    config = yaml.safe_load(CONFIG.read_text())
    args = config["applications"][0]["args"]
    args["recommender"]["events"] = str(store_path)
    args["insights"]["refresh_s"] = 1
    path = tmp_path_factory.mktemp("config") / "insights.yaml"
    path.write_text(yaml.safe_dump(config))
    local.deploy(path)
    url = serve_address(CONFIG)
    wait_healthy(url, timeout_s=300)
    with httpx.Client(base_url=url, timeout=30) as client:
        yield client


def wait_for(check, timeout_s: float = 90.0, every_s: float = 1.0):
    deadline = time.monotonic() + timeout_s
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(every_s)


def post_events(http, events: list[dict]) -> None:
    response = http.post("/v1/events", json={"events": events})
    assert response.status_code == 200, response.text


def test_product_insight_topics_and_404s(http, jobs, sample_reviews):
    _, second, _ = jobs
    product = sample_reviews[0]["product_id"]
    insight = http.get(f"/v1/insights/products/{product}").json()
    assert insight["insights_version"] == second and insight["reviews"] >= 3
    assert sum(insight["sentiment"].values()) == insight["reviews"]
    for aspect in insight["aspects"]:
        assert aspect["mentions"] == aspect["negative"] + aspect["neutral"] + aspect["positive"]
        quote = (aspect["quotes"]["negative"] + aspect["quotes"]["positive"] + aspect["quotes"]["neutral"])[0]
        review = http.get(f"/v1/insights/products/{product}/reviews", params={"aspect": aspect["aspect"]}).json()
        assert any(quote["text"] in r["text"] for r in review["reviews"])  # every quote traces to a review
    topics = http.get("/v1/insights/topics").json()
    assert topics["topics"] and topics["reviews"] >= SAMPLE
    assert all(len(t["weekly_reviews"]) == len(topics["week_starts"]) for t in topics["topics"])
    assert sum(t["reviews"] for t in topics["topics"]) + round(topics["outlier_share"] * topics["reviews"]) \
        == pytest.approx(topics["reviews"], abs=1)
    for path in ("/v1/insights/products/NOPE-42", "/v1/insights/products/NOPE-42/reviews"):
        response = http.get(path)
        assert response.status_code == 404 and "NOPE-42" in response.json()["detail"]
    assert http.get("/v1/insights/products/P00001/reviews", params={"aspect": "smell"}).status_code == 422
    assert http.get("/v1/shoppers/NOPE-7").status_code == 404


def _electronics_without_reviews(http, reviewed: set[str]) -> str:
    hits = http.post("/v1/search", json={"query": "wireless bluetooth speaker", "top_k": 20}).json()["results"]
    return next(h["product_id"] for h in hits if h["product_id"] not in reviewed)


def test_a_review_sent_as_an_event_changes_its_products_insight(http, sample_reviews):
    product = _electronics_without_reviews(http, {r["product_id"] for r in sample_reviews})
    before = http.get(f"/v1/insights/products/{product}").json()
    assert before["reviews"] == 0
    user = f"it-{uuid.uuid4().hex[:8]}"
    post_events(http, [{"user_id": user, "type": "review", "product_id": product, "rating": 1,
                        "text": "The battery is terrible, it dies after an hour. Got it as a gift for my son."}])
    after = wait_for(lambda: (lambda r: r if r["reviews"] == 1 else None)(
        http.get(f"/v1/insights/products/{product}").json()))
    assert after, "the review did not reach its product's insight"
    assert after["sentiment"]["negative"] == 1
    battery = [a for a in after["aspects"] if a["aspect"] == "battery"]
    assert battery and battery[0]["negative"] == 1 and "battery" in battery[0]["quotes"]["negative"][0]["text"]
    tags = {t["tag"] for t in http.get(f"/v1/shoppers/{user}").json()["tags"]}
    assert "gift buyer" in tags and "parent" in tags


def test_alerts_flag_a_product_whose_complaints_jumped(http, sample_reviews):
    reviewed = {r["product_id"] for r in sample_reviews}
    hits = http.post("/v1/search", json={"query": "wireless headphones", "top_k": 30}).json()["results"]
    product = next(h["product_id"] for h in hits if h["product_id"] not in reviewed)
    now = time.time()
    praise = ["Sounds lovely and looks great on my desk.", "Really nice design, I like the colour.",
              "Great sound for the price.", "Looks smart and works well.", "Very happy, nice looking and clear audio.",
              "Good looking, good sound."]
    complaints = ["Battery life is awful, it dies within an hour.", "The battery drains overnight even when off.",
                  "Terrible battery, barely lasts a morning.", "Battery will not hold a charge any more.",
                  "Worst battery I have had, dead after two hours."]
    events = [{"user_id": f"it-a{i}", "type": "review", "product_id": product, "rating": 5, "text": t,
               "timestamp": now - (10 + 3 * i) * 86400} for i, t in enumerate(praise)]
    events += [{"user_id": f"it-b{i}", "type": "review", "product_id": product, "rating": 1, "text": t,
                "timestamp": now - (1 + i) * 3600} for i, t in enumerate(complaints)]
    quiet = next(h["product_id"] for h in hits if h["product_id"] not in reviewed | {product})
    events += [{"user_id": f"it-c{i}", "type": "review", "product_id": quiet, "rating": 5,
                "text": "Lovely sound and the battery lasts all week.", "timestamp": now - i * 3600} for i in range(3)]
    post_events(http, events)

    def flagged():
        alerts = http.get("/v1/insights/alerts").json()["alerts"]
        return [a for a in alerts if a["product_id"] == product and a["aspect"] == "battery"] or None

    # The battery alert, wherever it ranks: a model may also read "dies within an hour" as performance, and
    # the two alerts then tie on their p-value (seen in CI).
    battery = wait_for(flagged)
    assert battery, f"the jump in battery complaints was not flagged: {http.get('/v1/insights/alerts').json()}"
    assert battery[0]["complaints_recent"] >= 3 and battery[0]["complaints_before"] == 0
    assert battery[0]["p_value"] < 0.05 and battery[0]["quotes"]
    assert not [a for a in http.get("/v1/insights/alerts").json()["alerts"] if a["product_id"] == quiet]
