"""Shared fixtures: one real local Ray cluster and one prepared registry per session.

The cluster is started the way `python -m cluster.up` starts it (127.0.0.1,
HAProxy ingress where it works). Models come from the registry under
``artifacts/``; when it has none (a fresh clone, CI) they are built by the
real jobs through `ray job submit`, exactly as the README command does.
"""

from __future__ import annotations

import os
import sys

import pytest

from cluster import local
from retail.registry import ModelRegistry

os.environ.update({k: v for k, v in local.ray_env(False).items() if not k.startswith("RAY_SERVE_")})


@pytest.fixture(scope="session")
def ray_cluster():
    was_running = local.is_running()
    env = local.start()
    os.environ["RAY_ADDRESS"] = f"{local.HOST}:{local.GCS_PORT}"
    yield env
    import ray

    ray.shutdown()
    if not was_running:
        local.stop()


@pytest.fixture(scope="session")
def registry(ray_cluster) -> ModelRegistry:
    """The registry with an index, a first-phase ranker, a cross-encoder and the intent head, trained by the real jobs.

    A trained model may fail its promotion gate and not be stable; it is still
    trained once, and the tests that need it ask for `registry.latest(...)`."""
    registry = ModelRegistry()
    if registry.stable("index") is None:
        local.submit_job([sys.executable, "-m", "training.build_index"])
    if registry.latest("ltr") is None:
        local.submit_job([sys.executable, "-m", "training.train_ranker"])
    if registry.latest("reranker") is None:
        local.submit_job([sys.executable, "-m", "training.train_reranker"])
    if registry.latest("intent") is None:
        local.submit_job([sys.executable, "-m", "training.train_intent"])
    return registry


@pytest.fixture(scope="session")
def ray_client(ray_cluster):
    """This test process, connected as a driver to the session's cluster."""
    import ray

    local.connect()
    return ray


@pytest.fixture(scope="session")
def embedder():
    from retail.embedder import Embedder

    return Embedder(device="cpu")


@pytest.fixture(scope="session")
def stable_index(registry):
    from retail.index import ProductIndex

    _, directory = registry.require_stable("index", "python -m training.build_index")
    return ProductIndex.load(directory)
