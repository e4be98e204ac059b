"""Latency budgets and admission control, without a cluster (the app-level behaviour is in test_integration)."""

import time

from retail.admission import AdaptiveConcurrencyLimit, ClientRateLimit, Deadline, StageLatency


def test_the_concurrency_limit_refuses_past_it_and_frees_on_release():
    limit = AdaptiveConcurrencyLimit(target_latency_s=0.25, initial=2)
    assert limit.try_acquire() and limit.try_acquire()
    assert not limit.try_acquire()
    limit.release(0.01)
    assert limit.try_acquire()


def test_slow_answers_shrink_the_limit_and_fast_ones_grow_it():
    limit = AdaptiveConcurrencyLimit(target_latency_s=0.25, initial=20, decrease_interval_s=0.0)
    for _ in range(5):
        assert limit.try_acquire()
        limit.release(1.0)
    shrunk = limit.limit
    assert shrunk < 20 * 0.8**4
    for _ in range(200):  # busy: the limit is in use while answers come fast
        while limit.try_acquire():
            pass
        limit.release(0.05)
    assert limit.limit > shrunk + 5


def test_an_idle_service_does_not_open_the_limit_wide():
    limit = AdaptiveConcurrencyLimit(target_latency_s=0.25, initial=8)
    for _ in range(1000):  # one request at a time, all fast
        assert limit.try_acquire()
        limit.release(0.01)
    assert limit.limit == 8


def test_the_limit_never_falls_below_its_floor():
    limit = AdaptiveConcurrencyLimit(target_latency_s=0.1, initial=4, min_limit=2, decrease_interval_s=0.0)
    for _ in range(50):
        limit.try_acquire()
        limit.release(5.0)
    assert limit.limit == 2


def test_one_burst_of_slow_answers_shrinks_the_limit_once_per_interval():
    limit = AdaptiveConcurrencyLimit(target_latency_s=0.1, initial=100, decrease_interval_s=60)
    for _ in range(30):
        limit.try_acquire()
    for _ in range(30):
        limit.release(1.0)
    assert limit.limit == 80


def test_the_stage_prediction_counts_the_items_queued_ahead_and_learns():
    stage = StageLatency(initial_per_item_s=0.005)
    assert abs(stage.predicted_s(20) - 0.1) < 1e-9
    stage.items_inflight = 40
    assert abs(stage.predicted_s(20) - 0.3) < 1e-9
    stage.observe(service_s=0.4, items=40)  # 10 ms a pair: the estimate moves towards it
    assert 0.005 < stage.per_item_s < 0.01
    before = stage.per_item_s
    stage.missed_deadline()
    assert stage.per_item_s == 1.5 * before
    for _ in range(100):
        stage.missed_deadline()
    assert stage.per_item_s == 1.0  # capped
    stage.observe(service_s=0.1, items=20)  # one good answer after the slow spell resets it
    assert stage.per_item_s == 0.005


def test_a_stage_estimated_too_slow_is_skipped_but_probed_now_and_then():
    stage = StageLatency(initial_per_item_s=0.1, probe_interval_s=1.0)
    assert stage.admits(20, remaining_s=0.4, now=10.0)  # idle and never tried: a probe
    stage.items_inflight = 20
    assert not stage.admits(20, remaining_s=0.4, now=10.5)  # 4 s predicted, 0.4 s left
    stage.items_inflight = 0
    assert not stage.admits(20, remaining_s=0.4, now=10.5)  # idle, but probed 0.5 s ago
    assert stage.admits(20, remaining_s=0.4, now=11.2)
    assert stage.admits(2, remaining_s=0.4, now=11.3)  # small enough to fit


def test_the_token_bucket_limits_each_client_separately():
    bucket = ClientRateLimit(rate_per_s=2, burst=3)
    now = 100.0
    assert [bucket.allow("a", now) for _ in range(4)] == [True, True, True, False]
    assert bucket.allow("b", now)
    assert bucket.allow("a", now + 0.5)  # one token back after 1/rate
    assert bucket.retry_after_s() == 1


def test_a_deadline_counts_down():
    deadline = Deadline(0.5)
    time.sleep(0.01)
    assert 0 < deadline.remaining() < 0.5 and deadline.elapsed() >= 0.01
