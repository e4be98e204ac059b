"""The shopper event store, on both backends (SQLite file, a real redis-server), and the event schema."""

from __future__ import annotations

import math
import sqlite3
import time
import uuid

import pytest
from pydantic import ValidationError

from retail.recommend.events import InvalidEvents, ShopperEvent, check_products
from retail.recommend.redis_store import RedisEventStore
from retail.recommend.store import RECORD_FIELDS, USER_EVENTS_KEPT, SQLiteEventStore, open_store

DAY = 86400.0
T0 = 1_750_000_000.0 - (1_750_000_000.0 % DAY)  # midnight UTC, so day boundaries are easy to place


def record(event_id: str, user_id: str = "u1", type: str = "view", product_id: str | None = "p1",
           timestamp: float = T0, **fields) -> dict:
    r = {"event_id": event_id, "user_id": user_id, "type": type, "product_id": product_id, "text": None,
         "rating": None, "session_id": None, "timestamp": timestamp}
    r.update(fields)
    return r


@pytest.fixture(params=["sqlite", "redis"])
def opener(request, tmp_path):
    """Opens a store on one backing (a file, or a key prefix on the session's redis-server); every call opens a
    new instance on the same data, as another process or replica would."""
    opened = []
    if request.param == "sqlite":
        path = tmp_path / "events.db"

        def make():
            opened.append(SQLiteEventStore(path))
            return opened[-1]
    else:
        url, prefix = request.getfixturevalue("redis_url"), f"test-{uuid.uuid4().hex}:"

        def make():
            opened.append(RedisEventStore(url, prefix=prefix))
            return opened[-1]
    make.backend = request.param
    yield make
    for store in opened:
        store.close()


def test_append_reports_new_and_duplicate_ids(opener):
    store = opener()
    assert store.append([record("a"), record("b")]) == [True, True]
    assert store.append([record("b"), record("c"), record("c")]) == [False, True, False]
    assert store.count() == 3
    assert store.append([]) == []


def test_a_retried_batch_is_not_counted_twice(opener):
    store = opener()
    batch = [record(f"e{i}", product_id="p1", timestamp=T0 + i) for i in range(5)]
    assert store.append(batch) == [True] * 5
    assert store.append(batch) == [False] * 5
    assert store.count() == 5
    assert store.popularity(T0) == {"p1": {"view": 5}}
    assert len(store.user_events("u1")) == 5


def test_records_round_trip_with_every_field(opener):
    store = opener()
    full = record("r1", type="review", product_id="p9", text="great boots", rating=5, session_id="s1",
                  timestamp=T0 + 0.125)
    bare = record("s1", type="search", product_id=None, text="red shoes", timestamp=T0 + 1)
    store.append([full, bare])
    assert list(store.scan()) == [full, bare]
    assert store.user_events("u1") == [full, bare]
    assert set(next(store.scan())) == set(RECORD_FIELDS)


def test_user_events_are_oldest_first_and_limited(opener):
    store = opener()
    # arrival order differs from time order: the result is sorted by time
    store.append([record("late", timestamp=T0 + 30), record("early", timestamp=T0 + 10)])
    store.append([record("mid", timestamp=T0 + 20), record("other", user_id="u2", timestamp=T0 + 5)])
    assert [r["event_id"] for r in store.user_events("u1")] == ["early", "mid", "late"]
    # the limit keeps the latest arrivals
    assert [r["event_id"] for r in store.user_events("u1", limit=2)] == ["early", "mid"]
    assert [r["event_id"] for r in store.user_events("u2")] == ["other"]
    assert store.user_events("nobody") == []


def test_user_events_keep_at_most_the_kept_number(opener):
    store = opener()
    store.append([record(f"e{i}", timestamp=T0 + i) for i in range(USER_EVENTS_KEPT + 10)])
    events = store.user_events("u1", limit=USER_EVENTS_KEPT + 100)
    assert len(events) == USER_EVENTS_KEPT
    assert events[0]["event_id"] == "e10" and events[-1]["event_id"] == f"e{USER_EVENTS_KEPT + 9}"


def test_popularity_since_a_time_counts_by_type(opener):
    store = opener()
    old = T0 - 10 * DAY
    store.append([
        record("old1", product_id="p1", type="purchase", timestamp=old),
        record("old2", product_id="p2", type="view", timestamp=old + 60),
        record("v1", product_id="p1", type="view", timestamp=T0 + 100),
        record("v2", product_id="p1", type="view", user_id="u2", timestamp=T0 + DAY + 5),
        record("c1", product_id="p1", type="add_to_cart", timestamp=T0 + 2 * DAY),
        record("b1", product_id="p2", type="purchase", timestamp=T0 + 3 * DAY),
        record("q1", product_id=None, type="search", text="boots", timestamp=T0 + 200),
        record("r1", product_id="p3", type="review", rating=4, timestamp=T0 + 300),
    ])
    assert store.popularity(T0) == {"p1": {"view": 2, "add_to_cart": 1}, "p2": {"purchase": 1},
                                    "p3": {"review": 1}}
    assert store.popularity(old) == {"p1": {"purchase": 1, "view": 2, "add_to_cart": 1},
                                     "p2": {"view": 1, "purchase": 1}, "p3": {"review": 1}}
    assert store.popularity(T0 + 3 * DAY) == {"p2": {"purchase": 1}}
    assert store.popularity(T0 + 30 * DAY) == {}


def test_latest_timestamp(opener):
    store = opener()
    assert store.latest_timestamp() is None
    store.append([record("a", timestamp=T0 + 5.5), record("b", timestamp=T0 + 2)])
    assert store.latest_timestamp() == T0 + 5.5
    store.append([record("c", timestamp=T0 + 1)])  # an older event arriving late does not move it back
    assert store.latest_timestamp() == T0 + 5.5
    store.append([record("d", user_id="u2", timestamp=T0 + 9.25)])
    assert store.latest_timestamp() == T0 + 9.25


def test_scan_returns_everything_in_arrival_order(opener):
    store = opener()
    batches = [[record(f"b{b}-{i}", user_id=f"u{i % 3}", timestamp=T0 + 100 - b * 10 - i) for i in range(7)]
               for b in range(3)]
    for batch in batches:
        store.append(batch)
    expected = [r["event_id"] for batch in batches for r in batch]
    assert [r["event_id"] for r in store.scan(batch=4)] == expected
    assert [r["event_id"] for r in store.scan()] == expected
    assert store.count() == 21


def test_many_records_in_one_batch(opener):
    store = opener()
    batch = [record(f"m{i}", user_id=f"u{i % 50}", product_id=f"p{i % 20}", timestamp=T0 + i) for i in range(2000)]
    started = time.monotonic()
    assert store.append(batch) == [True] * 2000
    assert time.monotonic() - started < 10
    assert store.count() == 2000
    assert store.append(batch[1990:] + [record("m-new", product_id="p0", timestamp=T0 + 5000)]) == [False] * 10 + [True]
    assert store.count() == 2001
    popularity = store.popularity(T0)
    assert sum(n for by_type in popularity.values() for n in by_type.values()) == 2001
    assert popularity["p0"] == {"view": 101}  # m0, m20, ... m1980 and m-new
    assert len(store.user_events("u7")) == 40
    assert store.latest_timestamp() == T0 + 5000


def test_another_instance_sees_everything(opener):
    """SQLite: a second store on the same file, as after a restart. Redis: a second replica's store."""
    first = opener()
    first.append([record("a", timestamp=T0 + 1), record("q", type="search", product_id=None, text="hat",
                                                         timestamp=T0 + 2)])
    if opener.backend == "sqlite":
        first.close()
    second = opener()
    assert second.count() == 2
    assert [r["event_id"] for r in second.scan()] == ["a", "q"]
    assert second.append([record("a"), record("b", user_id="u2", timestamp=T0 + 3)]) == [False, True]
    assert second.popularity(T0) == {"p1": {"view": 2}}
    assert second.latest_timestamp() == T0 + 3
    if opener.backend == "redis":  # writes of either replica are seen by the other
        assert first.count() == 3
        assert first.append([record("b")]) == [False]
        assert [r["event_id"] for r in first.user_events("u2")] == ["b"]
    third = opener()
    assert [r["event_id"] for r in third.user_events("u1")] == ["a", "q"]


def test_info_reports_backend_and_durability(opener):
    store = opener()
    store.append([record("a")])
    info = store.info()
    assert info["durable"] is True  # SQLite: synchronous=FULL; the fixture's redis: appendfsync always
    assert info["events"] == 1
    assert info["backend"] == opener.backend
    if opener.backend == "redis":
        assert store.durable is True


def test_redis_store_reports_when_not_durable(redis_url, caplog):
    import redis

    admin = redis.Redis.from_url(redis_url, decode_responses=True)
    admin.config_set("appendfsync", "everysec")
    try:
        with caplog.at_level("WARNING", logger="retail.recommend.redis_store"):
            store = RedisEventStore(redis_url, prefix=f"test-{uuid.uuid4().hex}:")
        assert store.durable is False and store.info()["durable"] is False
        assert "appendfsync always" in caplog.text
        store.close()
    finally:
        admin.config_set("appendfsync", "always")
        admin.close()


def test_redis_info_hides_the_password(redis_url):
    store = RedisEventStore(redis_url, prefix=f"test-{uuid.uuid4().hex}:")
    store.url = "redis://shop:s3cret@10.0.0.5:6379/2?password=also-secret&db=2"
    info = store.info()
    assert "s3cret" not in info["url"] and "also-secret" not in info["url"]
    assert info["url"].startswith("redis://shop@10.0.0.5:6379/2")
    store.close()


def test_redis_refuses_a_bad_batch_before_writing(redis_url):
    store = RedisEventStore(redis_url, prefix=f"test-{uuid.uuid4().hex}:")
    with pytest.raises(ValueError, match=r"records\[1\]\.timestamp"):
        store.append([record("ok"), record("bad", timestamp="yesterday")])
    with pytest.raises(ValueError, match=r"records\[0\]\.type"):
        store.append([record("bad", type="like")])
    assert store.count() == 0
    assert store.append([record("ok")]) == [True]  # the refused batch left no id behind
    store.close()


def test_open_store_picks_the_backend(tmp_path, redis_url):
    sqlite = open_store(tmp_path / "x.db")
    assert isinstance(sqlite, SQLiteEventStore)
    assert open_store(f"sqlite://{tmp_path / 'y.db'}").info()["path"] == str(tmp_path / "y.db")
    assert isinstance(open_store(redis_url), RedisEventStore)


# --- the event schema ---------------------------------------------------------------------------------------


def errors(**fields) -> str:
    with pytest.raises(ValidationError) as caught:
        ShopperEvent(**fields)
    return str(caught.value)


def test_a_view_needs_a_product():
    assert "product_id is required for a view event" in errors(user_id="u1", type="view")


def test_unknown_event_type():
    with pytest.raises(ValidationError) as caught:
        ShopperEvent(user_id="u1", type="like", product_id="p1")
    assert [e["loc"] for e in caught.value.errors()] == [("type",)]


def test_timestamp_in_the_future_or_before_2000():
    message = errors(user_id="u1", type="view", product_id="p1", timestamp=time.time() + 3600)
    assert "timestamp" in message and "future" in message
    assert "timestamp" in errors(user_id="u1", type="view", product_id="p1", timestamp=100.0)
    assert "time zone" in errors(user_id="u1", type="view", product_id="p1", timestamp="2025-01-01T10:00:00")
    event = ShopperEvent(user_id="u1", type="view", product_id="p1", timestamp="2025-01-01T10:00:00Z")
    assert event.timestamp == 1735725600.0


def test_rating_only_on_reviews():
    assert "rating is only for review events" in errors(user_id="u1", type="view", product_id="p1", rating=3)
    assert "rating" in errors(user_id="u1", type="review", product_id="p1")
    assert ShopperEvent(user_id="u1", type="review", product_id="p1", rating=3).rating == 3
    assert "search" in errors(user_id="u1", type="search")
    assert "extra" in errors(user_id="u1", type="view", product_id="p1", colour="red").lower()


def test_stored_fills_the_id_and_time():
    now = time.time()
    event = ShopperEvent(user_id="u1", type="view", product_id="p1", timestamp=now - 60)
    first = event.stored(received_at=now)
    assert set(first) == set(RECORD_FIELDS)
    assert first["timestamp"] == now - 60 and first["event_id"].startswith("h-")
    # the same content gives the same id, whenever it arrives: a resend is a duplicate
    again = ShopperEvent(user_id="u1", type="view", product_id="p1", timestamp=now - 60).stored(received_at=now + 5)
    assert again["event_id"] == first["event_id"]
    other = ShopperEvent(user_id="u1", type="view", product_id="p2", timestamp=now - 60).stored(received_at=now)
    assert other["event_id"] != first["event_id"]
    # without a timestamp, the time received is the event's time
    untimed = ShopperEvent(user_id="u1", type="view", product_id="p1").stored(received_at=now)
    assert untimed["timestamp"] == now
    # a client's id is kept
    assert ShopperEvent(event_id="c-1", user_id="u1", type="view", product_id="p1").stored(now)["event_id"] == "c-1"


def test_check_products_names_every_unknown_product():
    records = [record("a", product_id="p1"), record("b", product_id="nope"),
               record("c", type="search", product_id=None, text="x"), record("d", product_id="gone")]
    with pytest.raises(InvalidEvents) as caught:
        check_products(records, {"p1", "p2"})
    assert [(p["index"], p["field"]) for p in caught.value.problems] == [(1, "product_id"), (3, "product_id")]
    assert "events[1].product_id" in str(caught.value) and "'gone'" in str(caught.value)
    check_products(records[:1] + records[2:3], frozenset({"p1"}))  # all known: no error


def test_redis_keeps_each_shoppers_counters_in_a_hash(redis_url):
    import redis

    prefix = f"test-{uuid.uuid4().hex}:"
    store = RedisEventStore(redis_url, prefix=prefix)
    store.append([record("a", timestamp=T0 + 9), record("b", type="purchase", timestamp=T0 + 3),
                  record("q", type="search", product_id=None, text="hat", timestamp=T0 + 5)])
    store.append([record("a", timestamp=T0 + 9)])  # a duplicate changes no counter
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    assert client.hgetall(f"{prefix}shopper:u1") == {"n_view": "1", "n_purchase": "1", "n_search": "1",
                                                      "last_ts": repr(T0 + 9)}
    client.close()
    store.close()


def test_a_timestamp_that_is_not_a_number_is_refused():
    for value in (math.nan, math.inf):
        with pytest.raises(ValidationError, match="timestamp"):
            ShopperEvent(user_id="u", type="view", product_id="P1", timestamp=value)


def test_a_record_missing_a_required_field_fails_the_whole_sqlite_batch(tmp_path):
    store = SQLiteEventStore(tmp_path / "events.db")
    good = {"event_id": "a", "user_id": "u", "type": "view", "product_id": "P1", "text": None, "rating": None,
            "session_id": None, "timestamp": 1.7e9}
    with pytest.raises(sqlite3.IntegrityError):
        store.append([good, dict(good, event_id="b", user_id=None)])
    assert store.count() == 0  # not "duplicate": refused, and the good record went with it
