"""Rollout without a cluster: assignment, the judge's statistics, the controller's state machine, resident versions."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from retail.registry import ModelRegistry, UnknownVersion
from retail.rollout.assignment import BUCKETS, CANARY, CONTROL, STABLE, Split, bucket
from retail.rollout.controller import LOADING, PROMOTED, ROLLED_BACK, RUNNING, RolloutController, RolloutPlan
from retail.rollout.judge import FAIL, INCONCLUSIVE, PASS, ArmWindow, JudgePolicy, judge, top_k_agreement
from retail.rollout.resident import ResidentVersions

SHOPPERS = [f"shopper-{i}" for i in range(20_000)]


def test_canary_and_control_buckets_only_grow():
    arms = {}
    for percent in (5, 25, 50):
        split = Split("v1", "v2", percent)
        now = {s: split.arm(s, "reranker")[0] for s in SHOPPERS}
        share = {arm: sum(a == arm for a in now.values()) / len(SHOPPERS) for arm in (CANARY, CONTROL)}
        assert abs(share[CANARY] - percent / 100) < 0.01 and abs(share[CONTROL] - percent / 100) < 0.01
        for shopper, arm in arms.items():  # nobody leaves the canary or the control arm as the canary widens
            if arm == CANARY:
                assert now[shopper] == CANARY
            if arm == CONTROL and percent <= 50:
                assert now[shopper] == CONTROL
        arms = now
    assert Split("v1", "v2", 25).arm("shopper-1", "reranker") == Split("v1", "v2", 25).arm("shopper-1", "reranker")
    assert Split("v1", None, 0).arm("shopper-1", "reranker") == (STABLE, "v1")


def test_arms_are_independent_per_model():
    both = sum(bucket(s, "index") < 1000 and bucket(s, "reranker") < 1000 for s in SHOPPERS)
    assert both / len(SHOPPERS) < 0.02  # ~1 % (10 % x 10 %), not 10 %
    assert all(0 <= bucket(s) < BUCKETS for s in SHOPPERS[:100])


def window(n: int, errors: int = 0, latency: float = 20.0, spread: float = 5.0, agreement=None, seed: int = 0) -> ArmWindow:
    rng = np.random.default_rng(seed)
    w = ArmWindow()
    for i in range(n):
        w.add({"error": i < errors, "latency_ms": float(latency + spread * rng.standard_normal())})
    for a in agreement if agreement is not None else []:
        w.add({"agreement": a})
    return w


POLICY = JudgePolicy(min_requests=50, min_agreement_samples=20)


def test_clicks_give_an_arm_its_click_through_without_counting_as_requests():
    w = window(40)
    for _ in range(6):
        w.add({"click": True})
    summary = w.summary()
    assert (summary["requests"], summary["clicks"], summary["click_through"]) == (40, 6, 0.15)
    assert ArmWindow().summary()["click_through"] is None


def verdicts(decision) -> dict:
    return {m.name: m.verdict for m in decision.metrics}


def test_a_canary_that_errors_fails_at_once_even_before_min_requests():
    decision = judge(window(15, errors=15, agreement=[1.0] * 5), window(15), POLICY)
    assert verdicts(decision)["errors"] == FAIL and decision.verdict == FAIL
    assert "errors" in decision.reasons[0]


def test_more_errors_on_the_canary_never_pass_on_traffic_alone():
    # 6 vs 2 errors in 500 requests each: not enough to fail, not a pass either: wait for more requests.
    decision = judge(window(500, errors=6, agreement=[1.0] * 30), window(500, errors=2), POLICY)
    assert verdicts(decision)["errors"] == INCONCLUSIVE and decision.verdict == INCONCLUSIVE


def test_rare_errors_are_caught_by_counting_not_ranking():
    # 2 % vs 0.1 % errors: a rank test over per-request outcomes barely moves; the count test fails it.
    decision = judge(window(1000, errors=20, agreement=[1.0] * 30), window(1000, errors=1), POLICY)
    assert verdicts(decision)["errors"] == FAIL


def test_equal_arms_pass_and_small_arms_are_inconclusive():
    same = judge(window(200, errors=1, agreement=[0.9] * 30, seed=1), window(200, errors=1, seed=2), POLICY)
    assert same.verdict == PASS, same.to_dict()
    early = judge(window(10, agreement=[0.9] * 30), window(10), POLICY)
    assert early.verdict == INCONCLUSIVE and verdicts(early)["latency"] == INCONCLUSIVE


def test_a_canary_too_slow_to_finish_fails_on_degraded_even_when_control_degrades_often():
    canary, control = ArmWindow(), ArmWindow()
    for i in range(60):
        canary.add({"degraded": True})
        control.add({"degraded": i % 3 != 0, "latency_ms": 300.0})  # an overloaded machine: 2 in 3 degraded
    decision = judge(canary, control, POLICY)
    assert verdicts(decision)["degraded"] == FAIL and decision.verdict == FAIL
    near = judge(window(200, agreement=[1.0] * 30), window(200, seed=9), POLICY)
    assert verdicts(near)["degraded"] == PASS


def test_latency_fails_only_when_slower_by_the_minimum_effect():
    ten_x = judge(window(100, latency=200, spread=20, agreement=[1.0] * 30), window(100, seed=3), POLICY)
    assert verdicts(ten_x)["latency"] == FAIL and ten_x.verdict == FAIL
    # 5 % slower and significant with this much data: below the minimum effect, so not a regression.
    slightly = judge(window(3000, latency=21, spread=1, agreement=[1.0] * 30), window(3000, latency=20, spread=1, seed=4),
                     POLICY)
    assert verdicts(slightly)["latency"] == PASS


def test_random_ranking_fails_on_shadow_agreement_and_missing_quality_waits():
    rng = np.random.default_rng(0)
    ids = [f"p{i}" for i in range(20)]
    random_agreement = [top_k_agreement(ids, list(rng.permutation(ids)), 20) for _ in range(30)]
    assert abs(np.mean(random_agreement)) < 0.15  # chance-corrected: random orders score ~0
    assert top_k_agreement(ids, ids, 20) == 1.0
    # Two retrievals from a catalog of 2,400: disjoint top 10s score ~0, not below it; half shared ~0.5.
    assert abs(top_k_agreement(ids[:10], ids[10:], 2400)) < 0.01
    assert 0.49 < top_k_agreement(ids[:10], ids[5:15], 2400) < 0.51
    # A short list (rerank_depth 10) compares its top 5, where random orders do not agree by construction.
    short = [top_k_agreement(ids[:10], list(rng.permutation(ids[:10])), 10) for _ in range(200)]
    assert abs(np.mean(short)) < 0.1
    noisy = judge(window(100, agreement=random_agreement), window(100, seed=5), POLICY)
    assert verdicts(noisy)["agreement"] == FAIL
    no_quality = judge(window(100), window(100, seed=6), POLICY)
    assert verdicts(no_quality)["agreement"] == INCONCLUSIVE and no_quality.verdict == INCONCLUSIVE
    optional = JudgePolicy(min_requests=50, quality_optional=True)
    assert judge(window(100), window(100, seed=6), optional).verdict == PASS


def test_false_alarms_stay_bounded_over_repeated_looks():
    # A/A: the same distribution in both arms, judged after every 5 requests per arm, 40 times.
    rng = np.random.default_rng(7)
    policy = JudgePolicy(min_requests=20, quality_optional=True)
    alarms = 0
    for trial in range(150):
        canary, control = ArmWindow(), ArmWindow()
        for look in range(40):
            for w in (canary, control):
                for _ in range(5):
                    w.add({"error": rng.random() < 0.02, "degraded": rng.random() < 0.3,
                           "latency_ms": float(rng.lognormal(3, 0.5))})
            if judge(canary, control, policy).verdict == FAIL:
                alarms += 1
                break
    assert alarms / 150 <= 0.08  # alpha 0.05 per step, with Monte Carlo slack


@pytest.fixture
def registry(tmp_path) -> ModelRegistry:
    registry = ModelRegistry(tmp_path)
    for _ in range(3):
        version, _ = registry.new_version("reranker")
        registry.publish("reranker", version, {"note": "test"}, make_stable=registry.stable("reranker") is None)
        time.sleep(0.002)
    return registry


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def feed(controller: RolloutController, version: str, stable: str, n: int, canary_errors: int = 0, agreement: float = 0.95):
    rng = np.random.default_rng(n)
    records = []
    for i in range(n):
        records.append({"model": "reranker", "version": version, "arm": CANARY, "error": i < canary_errors,
                        "latency_ms": float(20 + rng.standard_normal())})
        records.append({"model": "reranker", "version": stable, "arm": CONTROL, "latency_ms": float(20 + rng.standard_normal())})
        records.append({"model": "reranker", "version": version, "arm": "shadow", "agreement": agreement})
    controller.record(records)


def test_a_healthy_canary_steps_up_and_is_promoted(registry):
    stable, _, new = registry.versions("reranker")
    clock = Clock()
    plan = RolloutPlan(steps=(10, 50, 100), min_step_s=5, judge=JudgePolicy(min_requests=20))
    controller = RolloutController(registry, plan, models=("reranker",), clock=clock)
    assert controller.start_canary("reranker", new, "ops", "new model")["status"] == LOADING
    assert registry.routing("reranker") | {} == {"stable": stable, "canary": new, "canary_percent": 0, "shadow": None}
    controller.tick("reranker", {"resident": False})
    assert controller.state("reranker")["status"] == LOADING  # no traffic before it is loaded
    controller.tick("reranker", {"resident": True})
    assert registry.routing("reranker")["canary_percent"] == 10
    for percent in (50, None):
        feed(controller, new, stable, 40)
        clock.now += 1
        assert controller.tick("reranker")["action"] == "wait"  # passes, but the step is too young
        clock.now += 5
        entry = controller.tick("reranker")
        assert entry["verdict"] == PASS and entry["action"] in ("advance", "promote")
        if percent:
            assert registry.routing("reranker")["canary_percent"] == percent
    assert registry.routing("reranker") == {"stable": new, "canary": None, "canary_percent": 0, "shadow": None}
    assert controller.state("reranker")["status"] == PROMOTED
    history = registry.routing_history("reranker")
    assert [h["actor"] for h in history[-4:]] == ["ops", "controller", "controller", "controller"]
    assert controller.promote("reranker", "ops", "again")["status"] == PROMOTED  # idempotent
    assert len(registry.routing_history("reranker")) == len(history)


def test_a_failing_canary_is_rolled_back_at_once_with_its_reason(registry):
    stable, _, new = registry.versions("reranker")
    clock = Clock()
    controller = RolloutController(registry, RolloutPlan(steps=(10, 100), min_step_s=60), models=("reranker",), clock=clock)
    controller.start_canary("reranker", new, "ops", "try")
    controller.tick("reranker", {"resident": True})
    feed(controller, new, stable, 15, canary_errors=15)
    entry = controller.tick("reranker")
    assert entry["verdict"] == FAIL and entry["action"] == "rollback"
    errors = next(m for m in entry["metrics"] if m["name"] == "errors")
    assert errors["canary"] == 1.0 and errors["control"] == 0.0 and errors["statistic"] > 0
    assert registry.routing("reranker")["canary"] is None and registry.routing("reranker")["stable"] == stable
    state = controller.state("reranker")
    assert state["status"] == ROLLED_BACK and "errors" in state["rollback_reason"]
    assert controller.rollback("reranker", "ops", "again")["status"] == ROLLED_BACK  # idempotent, no new history
    assert registry.routing_history("reranker")[-1]["actor"] == "controller"
    assert controller.decisions("reranker")[-1]["action"] == "rollback"


def test_a_canary_that_fails_to_load_is_rolled_back(registry):
    _, _, new = registry.versions("reranker")
    controller = RolloutController(registry, RolloutPlan(), models=("reranker",))
    controller.start_canary("reranker", new, "ops", "try")
    controller.tick("reranker", {"resident": False, "error": "reranker: RuntimeError: no weights"})
    assert controller.state("reranker")["status"] == ROLLED_BACK
    assert "failed to load" in controller.state("reranker")["rollback_reason"]


def test_controller_state_survives_a_restart_and_bad_requests_change_nothing(registry):
    stable, _, new = registry.versions("reranker")
    clock = Clock()
    first = RolloutController(registry, RolloutPlan(steps=(10, 100)), models=("reranker",), clock=clock)
    first.start_canary("reranker", new, "ops", "try")
    first.tick("reranker", {"resident": True})
    restarted = RolloutController(registry, RolloutPlan(steps=(10, 100)), models=("reranker",), clock=clock)
    assert restarted.state("reranker")["status"] == RUNNING and registry.routing("reranker")["canary_percent"] == 10
    assert restarted.start_canary("reranker", new, "ops", "again")["status"] == RUNNING  # idempotent
    before = registry.routing("reranker")
    with pytest.raises(UnknownVersion):
        restarted.start_canary("reranker", "v-nope", "ops", "typo")
    with pytest.raises(UnknownVersion):
        restarted.start_canary("ltr-typo", new, "ops", "typo")
    with pytest.raises(ValueError):
        restarted.start_canary("reranker", new, "ops", "bad steps", steps=[50, 10])
    assert registry.routing("reranker") == before


def test_registry_routing_writes_are_serialised_and_recorded(registry):
    versions = registry.versions("reranker")

    def flip(i: int) -> None:
        registry.update_routing("reranker", actor=f"writer-{i}", reason="race", shadow=versions[i % 3])

    threads = [threading.Thread(target=flip, args=(i,)) for i in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    history = registry.routing_history("reranker")
    changes = [h for h in history if h["reason"] == "race"]
    assert all(h["before"]["shadow"] != h["after"]["shadow"] for h in changes)  # each saw the state the last one left
    for earlier, later in zip(changes, changes[1:]):
        assert later["before"] == earlier["after"]
    with pytest.raises(UnknownVersion):
        registry.update_routing("reranker", actor="ops", reason="typo", canary="v-nope")


def test_resident_versions_load_beside_the_serving_one(registry):
    stable, slow, broken = registry.versions("reranker")
    loads = []

    def load(version: str) -> str:
        loads.append(version)
        if version == broken:
            raise RuntimeError("corrupt weights")
        if version == slow:
            time.sleep(0.5)
        return f"model-{version}"

    resident = ResidentVersions(registry, "reranker", load)
    assert resident.get() == (stable, f"model-{stable}") and resident.info()["resident"] == [stable]
    registry.update_routing("reranker", actor="t", reason="t", canary=slow, canary_percent=5)
    thread = threading.Thread(target=resident.sync)
    thread.start()
    time.sleep(0.1)
    assert resident.loading == slow and resident.get(slow) == (stable, f"model-{stable}")  # still serving while loading
    thread.join()
    assert resident.get(slow) == (slow, f"model-{slow}")
    registry.update_routing("reranker", actor="t", reason="t", canary=broken)
    resident.sync()
    assert broken in resident.info()["load_errors"] and resident.get(broken)[0] == stable
    assert slow not in resident.info()["resident"]  # no longer routed: unloaded
    registry.update_routing("reranker", actor="t", reason="t", stable=broken, canary=None)
    resident.sync()
    assert resident.stable == stable  # a new stable that cannot load leaves the old one serving


def test_promote_never_revives_a_rolled_back_canary_and_stale_answers_are_ignored(registry):
    stable, other, new = registry.versions("reranker")
    controller = RolloutController(registry, RolloutPlan(steps=(10, 100)), models=("reranker",))
    controller.start_canary("reranker", new, "ops", "try")
    with pytest.raises(ValueError, match="still loading"):
        controller.promote("reranker", "ops", "too early")
    controller.rollback("reranker", "ops", "changed my mind")
    with pytest.raises(ValueError, match="no canary"):
        controller.promote("reranker", "ops", "oops")  # not the rolled-back version by default
    controller.start_canary("reranker", other, "ops", "another")
    controller.tick("reranker", {"version": new, "resident": True})  # an answer about the earlier canary
    assert controller.state("reranker")["status"] == LOADING and registry.routing("reranker")["canary_percent"] == 0
    # Routing changed behind the controller's back (a crash between writes, a hand edit): routing wins.
    registry.update_routing("reranker", actor="hand", reason="edit", stable=other, canary=None)
    controller.tick("reranker")
    assert controller.state("reranker")["status"] == PROMOTED and registry.stable("reranker") == other


def test_steps_that_stop_short_of_100_are_an_ab_test_held_for_the_operator(registry):
    stable, _, new = registry.versions("reranker")
    clock = Clock()
    controller = RolloutController(registry, RolloutPlan(min_step_s=1, judge=JudgePolicy(min_requests=20)),
                                   models=("reranker",), clock=clock)
    controller.start_canary("reranker", new, "ops", "A/B: new ranker vs old", steps=[50])
    controller.tick("reranker", {"resident": True})
    for _ in range(3):
        feed(controller, new, stable, 40)
        clock.now += 2
        entry = controller.tick("reranker")
        assert entry["verdict"] == PASS and entry["action"] == "wait"
    assert registry.routing("reranker") | {} == {"stable": stable, "canary": new, "canary_percent": 50, "shadow": None}
    controller.promote("reranker", "ops", "B won")
    assert registry.stable("reranker") == new
