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
    for _ in range(200):
        assert limit.try_acquire()
        limit.release(0.05)
    assert limit.limit > shrunk + 5


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


def test_the_stage_prediction_counts_the_batches_queued_ahead():
    stage = StageLatency(batch_size=4, initial_s=0.1)
    assert stage.predicted_s() == 0.1
    stage.inflight = 9
    assert abs(stage.predicted_s() - 0.3) < 1e-9
    stage.observe(0.2)
    assert 0.1 < stage.service_s < 0.2


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
