"""Rollout end to end over real HTTP: canary, promotion, automatic rollback, hot loading, the admin API and CLI.

One deploy for the module, over a registry of its own (the session's
versions, linked, plus the versions each test makes), with a judge tuned to
decide in seconds. An open-loop stream of searches from a pool of shoppers
runs through every rollout; the assertions are on what those shoppers saw.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import subprocess
import sys
import threading
import time
from collections import defaultdict

import httpx
import numpy as np
import pytest
import yaml

from cluster import local
from cluster.up import serve_address, wait_healthy
from retail.catalog import load_queries
from retail.embedder import EMBEDDER_MODEL, Embedder, load_embedder
from retail.paths import REPO_ROOT
from retail.registry import ModelRegistry
from retail.rollout.assignment import Split
from registry_links import link_version, linked_registry, new_reranker

pytestmark = pytest.mark.integration
CONFIG = REPO_ROOT / "ray_config.yaml"
SHOPPERS = [f"shopper-{i}" for i in range(60)]
ROLLBACK_WINDOW_S = 90  # a broken canary must be gone this soon after it takes traffic (on a shared 2-core CI box)


@pytest.fixture(scope="module")
def own_registry(registry, tmp_path_factory) -> ModelRegistry:
    return linked_registry(registry, tmp_path_factory.mktemp("rollout_registry"))


@pytest.fixture(scope="module")
def app(own_registry, tmp_path_factory):
    token = secrets.token_urlsafe(24)
    token_file = tmp_path_factory.mktemp("secrets") / "admin_token"
    token_file.write_text(token)
    config = yaml.safe_load(CONFIG.read_text())
    args = config["applications"][0]["args"]
    args["registry_root"] = str(own_registry.root)
    args["llm"] = None
    args["ingress"]["admin_token_file"] = str(token_file)
    # The judge needs phase 2 to run: a budget a shared 2-core box can meet with the cross-encoder on
    # (the budget's own skipping is tested in test_admission / test_integration).
    args["ingress"]["search_slo_ms"] = 5000
    # A quarter of the cross-encoder's work: the mechanics, not the ranking, are tested. On a 2-core AVX2-only
    # host (2026-12-07) one MiniLM pair cost ~45 ms, so 10 pairs (plus shadow scoring) at 2 searches/s
    # saturated the replica and starved the judge of in-time shadow samples.
    args["ingress"]["rerank_depth"] = 5
    # Decisions in seconds at the 2 searches/s a shared 2-core machine serves with phase 2 on.
    args["rollout"] = {"interval_s": 1, "steps": [30, 60, 100], "min_step_s": 4, "max_step_s": 120,
                       "min_requests": 10, "min_agreement_samples": 8, "shadow_sample": 0.5, "load_timeout_s": 60}
    path = tmp_path_factory.mktemp("config") / "rollout.yaml"
    path.write_text(yaml.safe_dump(config))
    local.deploy(path)
    url = serve_address(CONFIG)
    wait_healthy(url, timeout_s=300)
    return {"url": url, "token": token, "token_file": token_file}


@pytest.fixture(scope="module")
def admin(app):
    with httpx.Client(base_url=app["url"], timeout=30, headers={"Authorization": f"Bearer {app['token']}"}) as client:
        yield client


class SearchStream:
    """Open-loop searches (a fixed send schedule, whatever the answers) from a pool of shoppers, on a thread."""

    def __init__(self, url: str, rate: float = 2.0):
        self.url, self.rate = url, rate
        self.records: list[dict] = []
        self.queries = [q["query"] for q in load_queries(split="test")]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)

    async def _run(self) -> None:
        async with httpx.AsyncClient(base_url=self.url, timeout=30) as client:
            tasks, i, started = [], 0, time.monotonic()
            while not self._stop.is_set():
                tasks.append(asyncio.create_task(self._one(client, i)))
                i += 1
                await asyncio.sleep(max(0.0, started + i / self.rate - time.monotonic()))
            await asyncio.gather(*tasks)

    async def _one(self, client: httpx.AsyncClient, i: int) -> None:
        shopper = SHOPPERS[(i * 7) % len(SHOPPERS)]
        sent = time.time()
        try:
            response = await client.post("/v1/search", json={"query": self.queries[i % len(self.queries)],
                                                             "user_id": shopper, "top_k": 5})
            status, body = response.status_code, (response.json() if response.status_code == 200 else response.text)
        except httpx.HTTPError as exc:
            status, body = -1, repr(exc)
        self.records.append({"shopper": shopper, "sent": sent, "done": time.time(), "status": status, "body": body})

    def __enter__(self) -> "SearchStream":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=60)


def wait_for_status(admin: httpx.Client, model: str, wanted: set[str], timeout_s: float) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        state = admin.get("/v1/rollout").json()["models"][model]["rollout"]
        if state.get("status") in wanted:
            return state
        time.sleep(0.5)
    raise AssertionError(f"{model} rollout not {wanted} within {timeout_s}s: {admin.get('/v1/rollout').json()}")


def history_since(admin: httpx.Client, model: str, since: float) -> list[dict]:
    entries = admin.get(f"/admin/rollout/{model}/history").json()["routing_history"]
    return [h for h in entries if h["at"] >= since]


def test_admin_api_requires_the_token_and_refuses_unknown_names(app, admin, own_registry):
    with httpx.Client(base_url=app["url"], timeout=30) as anonymous:
        assert anonymous.get("/v1/rollout").status_code == 200  # reading the split is public
        refused = anonymous.post("/admin/rollout/reranker/rollback", json={"reason": "no token"})
        assert refused.status_code == 401 and "admin token" in refused.json()["detail"]
        wrong = anonymous.post("/admin/rollout/reranker/rollback", json={}, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
    before = own_registry.routing("reranker")
    unknown_version = admin.post("/admin/rollout/reranker/canary", json={"version": "v-does-not-exist"})
    assert unknown_version.status_code == 404 and "v-does-not-exist" in unknown_version.json()["detail"]
    unknown_model = admin.post("/admin/rollout/ltr-typo/canary", json={"version": before["stable"]})
    assert unknown_model.status_code == 404 and "ltr-typo" in unknown_model.json()["detail"]
    bad_field = admin.post("/admin/rollout/reranker/canary", json={"versoin": "x"})
    assert bad_field.status_code == 422 and "version" in bad_field.text
    assert own_registry.routing("reranker") == before
    for _ in range(2):  # idempotent: nothing to roll back, nothing recorded
        assert admin.post("/admin/rollout/reranker/rollback", json={"reason": "drill"}).status_code == 200
    assert own_registry.routing("reranker") == before


def test_a_replica_stays_ready_while_a_new_version_loads(app, admin, own_registry):
    slow = new_reranker(own_registry, {"load_delay_s": 8})
    assert admin.post("/admin/rollout/reranker/shadow", json={"version": slow, "reason": "load test"}).status_code == 200
    with httpx.Client(base_url=app["url"], timeout=30) as client:
        deadline, seen_loading, statuses = time.monotonic() + 120, False, []  # 8 s of drill + the load itself
        while time.monotonic() < deadline:
            statuses.append(client.post("/v1/search", json={"query": "running shoes", "top_k": 3}).status_code)
            statuses.append(client.get("/healthz").status_code)
            reranker = client.get("/v1/models").json()["models"]["reranker"]
            seen_loading |= reranker["loading"] == slow
            if slow in reranker["resident"]:
                break
            time.sleep(0.3)
    assert seen_loading, "the version never showed as loading"
    assert slow in reranker["resident"], reranker
    assert set(statuses) == {200}, statuses  # searches and readiness answered throughout the load
    assert admin.post("/admin/rollout/reranker/shadow", json={"version": None, "reason": "done"}).status_code == 200


def test_a_canary_that_cannot_load_is_rolled_back(admin, own_registry):
    broken = new_reranker(own_registry, {"load_error": True})
    assert admin.post("/admin/rollout/reranker/canary", json={"version": broken, "reason": "drill"}).status_code == 200
    state = wait_for_status(admin, "reranker", {"rolled_back"}, 90)
    assert "failed to load" in state["rollback_reason"]
    assert own_registry.routing("reranker")["canary"] is None


def test_a_new_reranker_goes_through_canary_to_100_percent_with_no_failed_request(app, admin, own_registry):
    old = own_registry.stable("reranker")
    new = new_reranker(own_registry)
    started = time.time()
    with SearchStream(app["url"]) as stream:
        time.sleep(3)
        response = admin.post("/admin/rollout/reranker/canary", json={"version": new, "reason": "retrained"})
        assert response.status_code == 200, response.text
        state = wait_for_status(admin, "reranker", {"promoted", "rolled_back", "paused"}, 150)
        time.sleep(3)
    assert state["status"] == "promoted", admin.get("/v1/rollout").json()
    assert own_registry.routing("reranker")["stable"] == new

    records = stream.records
    failed = [r for r in records if r["status"] != 200]
    print(f"\nfull promotion: {len(records)} searches served, {len(failed)} failed, "
          f"{(records[-1]['done'] - records[0]['sent']):.0f}s")
    assert records and not failed, failed[:3]
    served = [r["body"]["rollout"]["reranker"]["version"] for r in records]
    assert served[0] == old and served[-1] == new and set(served) == {old, new}

    # Each shopper sees one version throughout each step (a step: between two routing changes,
    # less the ingress's routing refresh at its start).
    changes = [h["at"] for h in history_since(admin, "reranker", started)]
    assert len(changes) >= 4  # canary at 0 %, 30 %, 60 %, promoted
    seen: dict[tuple[int, str], set] = defaultdict(set)
    for r in records:
        step = sum(at <= r["sent"] for at in changes)
        if any(at - 0.1 <= r["done"] and r["sent"] <= at + 1.0 for at in changes):
            continue  # in flight across a change
        seen[(step, r["shopper"])].add(r["body"]["rollout"]["reranker"]["version"])
    assert seen and all(len(v) == 1 for v in seen.values()), {k: v for k, v in seen.items() if len(v) > 1}
    decisions = admin.get("/admin/rollout/reranker/history", params={"limit": 1000}).json()["decisions"]  # one a second
    passed = [d for d in decisions if d["version"] == new and d["action"] in ("advance", "promote")]
    assert len(passed) == 2 and all(d["verdict"] == "pass" for d in passed)
    assert {m["name"] for m in passed[-1]["metrics"]} == {"errors", "degraded", "latency", "agreement"}


@pytest.mark.parametrize("drill", [{"error": True}, {"slowdown": 10}, {"random": True}], ids=["raises", "10x-slower", "random"])
def test_a_broken_canary_is_rolled_back_automatically(app, admin, own_registry, drill):
    stable = own_registry.stable("reranker")
    broken = new_reranker(own_registry, drill)
    with SearchStream(app["url"]) as stream:
        time.sleep(2)
        response = admin.post("/admin/rollout/reranker/canary",
                              json={"version": broken, "steps": [50, 100], "reason": f"drill {drill}"})
        assert response.status_code == 200, response.text
        state = wait_for_status(admin, "reranker", {"rolled_back", "promoted", "paused"}, ROLLBACK_WINDOW_S + 30)
        time.sleep(2)
    assert state["status"] == "rolled_back", state
    history = admin.get("/admin/rollout/reranker/history").json()["routing_history"]
    took_traffic = next(h["at"] for h in history if h["after"]["canary"] == broken and h["after"]["canary_percent"] > 0)
    breach_to_rollback = state["rolled_back_at"] - took_traffic
    print(f"\n{drill}: rolled back {breach_to_rollback:.1f}s after taking traffic: {state['rollback_reason']}")
    assert breach_to_rollback <= ROLLBACK_WINDOW_S
    assert own_registry.routing("reranker") | {} == own_registry.routing("reranker") | {"stable": stable, "canary": None}

    stable_share = [r for r in stream.records if r["status"] != 200 or r["body"]["rollout"]["reranker"]["arm"] != "canary"]
    assert all(r["status"] == 200 for r in stable_share), [r for r in stable_share if r["status"] != 200][:3]
    assert not any("failed" in d for r in stable_share for d in r["body"]["degraded"])
    canary_share = [r for r in stream.records if r["status"] == 200 and r["body"]["rollout"]["reranker"]["arm"] == "canary"]
    assert canary_share and all(r["body"]["rollout"]["reranker"]["version"] == broken for r in canary_share)
    assert all(r["status"] == 200 for r in stream.records)  # canary shoppers got the phase-1 order, not an error


def test_the_operator_cli_and_the_metrics_endpoint(app, own_registry):
    cli = [sys.executable, "-m", "training.rollout", "--url", app["url"], "--token-file", str(app["token_file"])]
    status = json.loads(subprocess.run(cli + ["status"], check=True, capture_output=True, text=True).stdout)
    assert status["models"]["reranker"]["routing"]["stable"] == own_registry.stable("reranker")
    history = json.loads(subprocess.run(cli + ["history", "reranker"], check=True, capture_output=True, text=True).stdout)
    assert any(h["actor"] == "controller" for h in history["routing_history"])
    refused = subprocess.run(cli + ["canary", "reranker", "v-nope"], capture_output=True, text=True)
    assert refused.returncode == 1 and "v-nope" in refused.stdout

    deadline, text = time.monotonic() + 60, ""
    while time.monotonic() < deadline and "retail_model_requests" not in text:
        text = httpx.get(local.METRICS_URL, timeout=10).text
        time.sleep(2)
    lines = [line for line in text.splitlines() if line.startswith("ray_retail_model_requests")]
    assert any('arm="canary"' in line for line in lines) and any('arm="control"' in line for line in lines), lines[:5]
    assert any(line.startswith("ray_retail_model_latency_ms_bucket") for line in text.splitlines())


def test_the_embedder_job_yields_an_embedder_and_index_routed_together(app, admin, own_registry):
    local.submit_job([sys.executable, "-m", "training.train_embedder", "--registry", str(own_registry.root),
                      "--max-pairs", "64"], timeout_s=900)
    embedder_version, index_version = own_registry.latest("embedder"), own_registry.latest("index")
    # Registered with its evaluation, its weights, and the index built with it (one unit) ...
    embedder_manifest = own_registry.manifest("embedder", embedder_version)
    assert embedder_manifest["train_pairs"] == 64 and embedder_manifest["train_s"] > 0
    for set_name in ("demo dev split", "out-of-distribution"):
        for embedder in ("base", "fine-tuned"):
            assert 0 < embedder_manifest["evaluation"][set_name][embedder]["ndcg@10"] <= 1
    index_manifest = own_registry.manifest("index", index_version)
    assert index_manifest["embedder_version"] == embedder_version and index_manifest["embedder_model"] == EMBEDDER_MODEL
    assert embedder_manifest["index_version"] == index_version
    # ... whose weights load and moved (a short run; whether it beats the base is the job's gate) ...
    tuned, query = load_embedder(own_registry, embedder_version, device="cpu"), ["waterproof hiking boots"]
    assert tuned.version == embedder_version
    tuned_vector, base_vector = tuned.encode(query)[0], Embedder(device="cpu").encode(query)[0]
    assert np.isclose(np.linalg.norm(tuned_vector), 1.0, atol=1e-4) and np.abs(tuned_vector - base_vector).max() > 1e-4
    # ... and routing unchanged: the job publishes, an operator rolls out.
    base_index = own_registry.stable("index")
    assert base_index != index_version and own_registry.stable("embedder") != embedder_version

    response = admin.post("/admin/rollout/index/canary", json={"version": index_version, "steps": [50, 100],
                                                                "reason": "fine-tuned embedder"})
    assert response.status_code == 200, response.text
    wait_for_status(admin, "index", {"running"}, 120)
    # Five shoppers the hash puts in the canary at 50 % and five outside it: too few requests for the
    # judge to decide anything, so the split stays put while we look.
    split = Split("stable", "canary", 50)
    canary_shoppers = [s for s in SHOPPERS if split.arm(s, "index")[0] == "canary"][:5]
    other_shoppers = [s for s in SHOPPERS if split.arm(s, "index")[0] != "canary"][:5]
    with httpx.Client(base_url=app["url"], timeout=30) as client:
        bodies = {s: client.post("/v1/search", json={"query": "trail running shoes", "user_id": s, "top_k": 3}).json()
                  for s in canary_shoppers + other_shoppers}
    base_embedder = own_registry.manifest("index", base_index)["embedder_version"]
    for shopper, body in bodies.items():
        expected = (index_version, embedder_version) if shopper in canary_shoppers else (base_index, base_embedder)
        assert (body["model_versions"]["index"], body["model_versions"]["embedder"]) == expected, body["model_versions"]
        assert body["rollout"]["index"]["arm"] == ("canary" if shopper in canary_shoppers else split.arm(shopper, "index")[0])
    assert admin.post("/admin/rollout/index/rollback", json={"reason": "test over"}).status_code == 200
    assert own_registry.routing("index")["stable"] == base_index and own_registry.routing("index")["canary"] is None


def test_a_broken_recommender_canary_is_rolled_back_and_stable_keeps_serving(app, admin, own_registry):
    """The recommender goes through the same rollout as the search models: a canary beside stable, judged per arm."""
    stable = own_registry.stable("recommender")
    broken = link_version(own_registry, own_registry, "recommender", stable, {"drill": {"error": True}}, new_version=True)
    records: list[tuple[int, str | None]] = []
    stop = threading.Event()

    def stream():  # closed loop, one shopper after another: enough for the judge's minimum per arm
        with httpx.Client(base_url=app["url"], timeout=30) as client:
            i = 0
            while not stop.is_set():
                try:
                    response = client.post("/v1/recommend", json={"user_id": SHOPPERS[i % len(SHOPPERS)], "top_k": 5})
                    version = response.json()["recommender_version"] if response.status_code == 200 else None
                    records.append((response.status_code, version))
                except httpx.HTTPError as exc:  # recorded, so the assertions below say what happened
                    records.append((type(exc).__name__, None))
                i += 1

    thread = threading.Thread(target=stream, daemon=True)
    thread.start()
    try:
        response = admin.post("/admin/rollout/recommender/canary", json={"version": broken, "reason": "drill"})
        assert response.status_code == 200, response.text
        state = wait_for_status(admin, "recommender", {"rolled_back", "promoted"}, ROLLBACK_WINDOW_S + 60)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert state["status"] == "rolled_back", state
    assert own_registry.routing("recommender")["stable"] == stable and not own_registry.routing("recommender")["canary"]
    refused = [status for status, _ in records if status != 200]
    assert refused and set(refused) == {503}  # the canary's shoppers got a fast 503, never a hang
    assert {version for status, version in records if status == 200} == {stable}
    decisions = admin.get("/admin/rollout/recommender/history").json()["decisions"]
    assert any(d["action"] == "rollback" and d["version"] == broken for d in decisions)
