"""Shared fixtures: one real local Ray cluster and one prepared registry per session.

The cluster is started the way `python -m cluster.up` starts it (127.0.0.1,
HAProxy ingress where it works). The tests keep their own registry and event
store, under ``artifacts-test/`` (``$RETAIL_TEST_ARTIFACTS``), apart from the
demo's ``artifacts/``: what they train, post and force to serve never reaches
the app `make up` serves. Its models are built once by the real jobs through
`ray job submit`, as the README command builds them, but small: on samples,
with fewer epochs, the cross-encoder forced past its gate so the served path
always has its second phase. Tests check that the parts work and fit
together; model quality is `make eval`'s job, on the fully trained models.

Each integration module deploys the app it needs and leaves its main app
serving (side apps go: their CPUs are needed by later modules' Ray jobs): the
next module's `serve deploy` replaces it, restarting only what changed (a
redeploy of the README's app in between cost ~40 s a module). A cluster that
was already running gets the README's app back at the end.
"""

from __future__ import annotations

import os
import sys

import pytest

from retail.paths import REPO_ROOT

os.environ["RETAIL_ARTIFACTS"] = os.environ.get("RETAIL_TEST_ARTIFACTS", str(REPO_ROOT / "artifacts-test"))
os.environ.pop("RETAIL_EVENTS", None)  # the test registry's own event store (retail.paths.events_url)

from cluster import local  # noqa: E402  (after the environment it reads)
from retail.registry import ModelRegistry  # noqa: E402

os.environ.update({k: v for k, v in local.ray_env(False).items() if not k.startswith("RAY_SERVE_")})


@pytest.fixture(scope="session")
def ray_cluster():
    was_running = local.is_running()
    env = local.start()
    os.environ["RAY_ADDRESS"] = f"{local.HOST}:{local.GCS_PORT}"
    yield env
    import ray

    ray.shutdown()
    if was_running:
        local.deploy(REPO_ROOT / "ray_config.yaml")
    else:
        local.stop()


@pytest.fixture(scope="session")
def registry(ray_cluster) -> ModelRegistry:
    """The tests' registry with an index, a first-phase ranker, a cross-encoder, the intent head, the recommender
    and the review model, each trained once by its real job, small (see the module's docstring)."""
    registry = ModelRegistry()
    python = [sys.executable, "-m"]
    if registry.stable("index") is None:
        local.submit_job(python + ["training.build_index"])
    if registry.latest("ltr") is None:
        local.submit_job(python + ["training.train_ranker"])
    if registry.latest("reranker") is None:
        local.submit_job(python + ["training.train_reranker", "--max-train-queries", "50", "--force-promote"])
    if registry.latest("intent") is None:
        local.submit_job(python + ["training.train_intent"])
    if registry.latest("recommender") is None:
        local.submit_job(python + ["training.train_recommender", "--epochs", "3"])
    if registry.latest("review_model") is None:
        # Two epochs: after one, the aspect head missed "battery" in the tests' reviews (CI, stop 17). No rated
        # public sentences (they teach shoppers' wording to the sentiment head: make eval's concern, not the tests').
        local.submit_job(python + ["training.train_review_model", "--max-reviews", "1500", "--epochs", "2",
                                   "--public-sentiment", "none"])
    return registry


@pytest.fixture(scope="session")
def ray_client(ray_cluster):
    """This test process, connected as a driver to the session's cluster."""
    import ray

    local.connect()
    return ray


@pytest.fixture(scope="session")
def refinable() -> tuple[str, str, str, float]:
    """For refinement tests: a (type, gender, colour) of the demo catalog with at least three products, and a
    price cap above all of them (the first such group by name, so the tests do not depend on one product)."""
    import json

    from retail.paths import DEMO_CATALOG

    groups: dict[tuple, list[float]] = {}
    for line in DEMO_CATALOG.read_text().splitlines():
        p = json.loads(line)
        a = p.get("attributes") or {}
        if a.get("gender") in ("men", "women") and a.get("color") == "black" and p.get("price"):
            groups.setdefault((a["type"], a["gender"], "black"), []).append(p["price"])
    (kind, gender, color), prices = min(((k, v) for k, v in groups.items() if len(v) >= 3), key=lambda kv: kv[0])
    return kind, gender, color, float(int(max(prices)) + 10)


@pytest.fixture(scope="session")
def embedder():
    from retail.embedder import Embedder

    return Embedder(device="cpu")


@pytest.fixture(scope="session")
def stable_index(registry):
    from retail.index import ProductIndex

    _, directory = registry.require_stable("index", "python -m training.build_index")
    return ProductIndex.load(directory)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A real redis-server for this session, durable (append-only file, fsync at every write), on a free port."""
    import shutil
    import socket
    import subprocess
    import time

    import redis

    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed: run ./cluster/setup.sh (it installs the redis-server package)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    directory = tmp_path_factory.mktemp("redis")
    log_path = directory / "redis-server.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes",
             "--appendfsync", "always", "--dir", str(directory)],
            stdout=log, stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        client = redis.Redis.from_url(url, socket_timeout=1)
        deadline = time.monotonic() + 10
        try:
            while True:
                if server.poll() is not None:
                    pytest.fail(f"redis-server exited with {server.returncode}: {log_path.read_text()[-2000:]}")
                try:
                    if client.ping():
                        break
                except (redis.ConnectionError, redis.TimeoutError):
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"redis-server on port {port} did not answer PING within 10 s")
                time.sleep(0.05)
        finally:
            client.close()
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
