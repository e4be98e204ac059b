"""End to end over real HTTP: the local cluster, `serve deploy ray_config.yaml`, the real models.

Slow by nature (one app deploy per module); everything else in the suite runs
without Serve.
"""

from __future__ import annotations

import asyncio
import copy
import subprocess
import time
from pathlib import Path

import httpx
import pytest
import yaml

from cluster import local
from cluster.up import serve_address, wait_healthy
from retail.catalog import load_queries
from retail.paths import REPO_ROOT

pytestmark = pytest.mark.integration
CONFIG = REPO_ROOT / "ray_config.yaml"


@pytest.fixture(scope="module")
def base_url(registry):
    subprocess.run([local.ray_bin("serve"), "deploy", str(CONFIG), f"--address={local.DASHBOARD_URL}"], check=True)
    url = serve_address(CONFIG)
    wait_healthy(url, timeout_s=300)
    return url


@pytest.fixture(scope="module")
def http(base_url):
    with httpx.Client(base_url=base_url, timeout=30) as client:
        yield client


def search(http, **body) -> dict:
    response = http.post("/v1/search", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_health_and_models(http):
    assert http.get("/livez").json() == {"status": "alive"}
    assert http.get("/healthz").json()["status"] == "ok"
    models = http.get("/v1/models").json()["models"]
    assert models["embedder"]["version"] == "all-minilm-l6-v2@0.1.0"
    assert models["retriever"]["backend"] == "scann" and models["retriever"]["products"] >= 2000
    assert models["reranker"]["backend"] == "onnxruntime"


def test_search_answers_demo_queries_with_relevant_products(http):
    queries = load_queries(split="test")[:20]
    right_type_first = good_in_top3 = 0
    for query in queries:
        body = search(http, query=query["query"], top_k=5)
        assert len(body["results"]) == 5
        grades = [query["relevance"].get(r["product_id"], 0) for r in body["results"]]
        right_type_first += grades[0] >= 1  # the kind of product asked for
        good_in_top3 += max(grades[:3]) >= 2  # ... with the attributes asked for
    assert right_type_first >= 0.85 * len(queries)
    assert good_in_top3 >= 0.75 * len(queries)


def test_response_carries_versions_backends_and_timings(http):
    body = search(http, query="noise cancelling headphones", top_k=3, user_id="shopper-42")
    assert body["user_id"] == "shopper-42"
    assert set(body["model_versions"]) == {"embedder", "index", "reranker"}
    assert body["reranker_backend"] == "onnxruntime" and body["retrieval_backend"] == "scann"
    timings = body["timings_ms"]
    assert all(timings[k] > 0 for k in ("embed_ms", "retrieve_ms", "rerank_ms"))
    assert timings["total_ms"] >= timings["embed_ms"] + timings["retrieve_ms"]
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True) and body["degraded"] == []
    assert {"product_id", "title", "price", "category", "score"} <= set(body["results"][0])


def test_filters_are_honoured(http):
    body = search(http, query="comfortable shoes", top_k=20, filters={"category": "Footwear", "price_max": 60, "in_stock": True})
    assert body["results"]
    assert all(r["category"] == "Footwear" and r["price"] <= 60 and r["in_stock"] for r in body["results"])
    # A filter that leaves a handful of products still returns all of them.
    narrow = search(http, query="chair", top_k=50, filters={"category": "Furniture", "brand": "Sitwell", "price_min": 1500})
    assert 0 < len(narrow["results"]) < 50
    assert all(r["brand"] == "Sitwell" and r["price"] >= 1500 for r in narrow["results"])
    assert search(http, query="chair", filters={"brand": "No Such Brand"})["results"] == []


@pytest.mark.parametrize(
    "body, field",
    [
        ({"query": ""}, "query"),
        ({"query": "x" * 600}, "query"),
        ({"query": "boots", "top_k": 0}, "top_k"),
        ({"query": "boots", "top_k": 1000}, "top_k"),
        ({"query": "boots", "top_k": "ten"}, "top_k"),
        ({"query": "boots", "filters": {"colour": "red"}}, "colour"),
        ({"query": "boots", "filters": {"price_max": "cheap"}}, "price_max"),
        ({"top_k": 3}, "query"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(http, body, field):
    response = http.post("/v1/search", json=body)
    assert response.status_code == 422
    assert any(field in err["loc"] for err in response.json()["detail"]), response.text


def test_malformed_json_and_unknown_routes(http):
    assert http.post("/v1/search", content=b"{not json", headers={"content-type": "application/json"}).status_code == 422
    assert http.get("/v1/nothing-here").status_code == 404
    assert http.get("/v1/search").status_code == 405


def test_concurrent_searches_all_succeed(base_url):
    async def burst() -> list[int]:
        async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
            responses = await asyncio.gather(
                *(client.post("/v1/search", json={"query": f"gift idea {i}", "top_k": 3}) for i in range(24))
            )
        return [r.status_code for r in responses]

    assert set(asyncio.run(burst())) == {200}


def test_the_embedder_batches_concurrent_requests(base_url, ray_client, embedder):
    """Concurrent searches share forward passes, and batching does not change a vector."""
    import numpy as np

    texts = [f"gift for a keen cyclist, idea {i}" for i in range(24)]

    # The handle lives in a Ray task, not in this test process: a driver that
    # holds Serve handles can deadlock in ray.shutdown() at session end.
    @ray_client.remote(num_cpus=0)
    def embed_together(texts: list[str]) -> list[dict]:
        from ray import serve

        handle = serve.get_deployment_handle("embedder", app_name="retail")

        async def together() -> list[dict]:
            return await asyncio.gather(*(handle.embed.remote(t) for t in texts))

        return asyncio.run(together())

    results = ray_client.get(embed_together.remote(texts), timeout=120)
    assert max(r["batch_size"] for r in results) > 1
    expected = embedder.encode(texts)
    assert np.allclose(np.stack([r["vector"] for r in results]), expected, atol=1e-4)


@pytest.fixture(scope="module")
def side_apps(base_url, tmp_path_factory):
    """Two extra apps beside the main one, deployed with the same `serve deploy`:
    /broken, whose retriever can never start (its index version does not exist),
    and /tiny, whose embedder queue holds one request. The main app is untouched."""
    config = yaml.safe_load(CONFIG.read_text())
    main_app = config["applications"][0]
    small = {"num_cpus": 0.05}
    broken = copy.deepcopy(main_app) | {"name": "broken", "route_prefix": "/broken"}
    broken["args"] = {
        "embedder": small, "reranker": small, "ingress": small | {"stage_timeout_s": 2},
        "retriever": small | {"index_version": "v-does-not-exist"},
    }
    tiny = copy.deepcopy(main_app) | {"name": "tiny", "route_prefix": "/tiny"}
    tiny["args"] = {
        "embedder": small | {"max_ongoing_requests": 1, "max_queued_requests": 1, "max_batch_size": 1},
        "retriever": small, "reranker": small, "ingress": small,
    }
    config["applications"] += [broken, tiny]
    path = tmp_path_factory.mktemp("config") / "with_side_apps.yaml"
    path.write_text(yaml.safe_dump(config))
    _serve_deploy(path)
    wait_healthy(f"{base_url}/tiny", timeout_s=300)
    yield base_url
    _serve_deploy(CONFIG)  # back to the main app alone


def _serve_deploy(path: Path) -> None:
    subprocess.run([local.ray_bin("serve"), "deploy", str(path), f"--address={local.DASHBOARD_URL}"], check=True)


def _wait_routed(url: str, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while httpx.get(url, timeout=30).status_code == 404 and time.monotonic() < deadline:
        time.sleep(1)


def test_a_stage_that_is_down_answers_503_not_a_hang(side_apps):
    _wait_routed(f"{side_apps}/broken/healthz")
    # A hang would surface as httpx.ReadTimeout: the client waits far longer
    # than the app's 2 s stage deadline, but not forever.
    with httpx.Client(base_url=f"{side_apps}/broken", timeout=60) as client:
        health = client.get("/healthz")
        assert health.status_code == 503 and health.json()["stages"]["retriever"] == "down"
        response = client.post("/v1/search", json={"query": "red sneakers"})
        assert response.status_code == 503
        assert "retriever" in response.json()["detail"] and response.headers["retry-after"]


def test_overload_is_refused_with_retry_after(side_apps):
    async def burst() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=f"{side_apps}/tiny", timeout=60) as client:
            return await asyncio.gather(
                *(client.post("/v1/search", json={"query": f"warm winter coat {i}", "top_k": 3}) for i in range(32))
            )

    responses = asyncio.run(burst())
    codes = [r.status_code for r in responses]
    assert set(codes) <= {200, 503} and 200 in codes and 503 in codes, codes
    refused = next(r for r in responses if r.status_code == 503)
    assert int(refused.headers["retry-after"]) >= 1
    assert "overloaded" in refused.json()["detail"]
