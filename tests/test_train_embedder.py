"""The embedder job end to end through `ray job submit`: a fine-tune and the index built with it, one unit.

A short run (128 pairs) is enough to move the weights; whether it beats the
base is the job's gate, not this test's. The loss and the version lookup are
checked on their own first, without a cluster.
"""

from __future__ import annotations

import shutil
import sys

import numpy as np
import pytest

from cluster import local
from retail.embedder import EMBEDDER_MODEL, Embedder, embedder_version, load_embedder
from retail.registry import ArtifactMissing, ModelRegistry
from training.train_embedder import in_batch_loss


def test_labelled_products_are_never_negatives():
    import torch

    vectors = torch.nn.functional.normalize(torch.tensor([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0]]), dim=1)
    none = torch.zeros(3, 3, dtype=torch.bool)
    shared = none.clone()
    shared[0, 1] = shared[1, 0] = True  # queries 0 and 1 both label each other's product relevant
    assert in_batch_loss(vectors, vectors, shared) < in_batch_loss(vectors, vectors, none)


def test_load_embedder_resolves_versions(tmp_path):
    registry = ModelRegistry(tmp_path)
    assert load_embedder(registry, None, device="cpu").version == embedder_version()
    assert load_embedder(registry, embedder_version(), device="cpu").version == embedder_version()
    with pytest.raises(ArtifactMissing, match="v-never-published"):
        load_embedder(registry, "v-never-published", device="cpu")


@pytest.fixture(scope="module")
def job_run(registry):
    """Routing and versions before, then one run of the job; its versions (~90 MB, never routed) removed after."""
    models = ("index", EMBEDDER_MODEL)
    before = {m: (registry.stable(m), set(registry.versions(m))) for m in models}
    local.submit_job([sys.executable, "-m", "training.train_embedder", "--max-pairs", "128"])
    new = {m: sorted(set(registry.versions(m)) - before[m][1]) for m in models}
    yield {"stable_before": {m: before[m][0] for m in models}, "new": new}
    for model, versions in new.items():
        for version in versions:
            if version != registry.stable(model):
                shutil.rmtree(registry.path(model, version), ignore_errors=True)


@pytest.mark.integration
def test_a_new_embedder_is_registered_with_its_evaluation(registry, job_run):
    assert len(job_run["new"][EMBEDDER_MODEL]) == 1
    manifest = registry.manifest(EMBEDDER_MODEL, job_run["new"][EMBEDDER_MODEL][0])
    assert manifest["train_pairs"] == 128 and manifest["train_s"] > 0
    for set_name in ("demo dev split", "out-of-distribution"):
        for embedder in ("base", "fine-tuned"):
            assert 0 < manifest["evaluation"][set_name][embedder]["ndcg@10"] <= 1
    assert (registry.path(EMBEDDER_MODEL, manifest["version"]) / "model" / "modules.json").exists()


@pytest.mark.integration
def test_its_index_records_that_embedder(registry, job_run):
    embedder_version = job_run["new"][EMBEDDER_MODEL][0]
    assert len(job_run["new"]["index"]) == 1
    index_manifest = registry.manifest("index", job_run["new"]["index"][0])
    assert index_manifest["embedder_version"] == embedder_version
    assert index_manifest["embedder_model"] == EMBEDDER_MODEL
    assert registry.manifest(EMBEDDER_MODEL, embedder_version)["index_version"] == index_manifest["version"]


@pytest.mark.integration
def test_routing_is_unchanged_without_promote(registry, job_run):
    assert {m: registry.stable(m) for m in job_run["stable_before"]} == job_run["stable_before"]


@pytest.mark.integration
def test_the_registered_embedder_loads_and_was_trained(registry, job_run):
    version = job_run["new"][EMBEDDER_MODEL][0]
    tuned = load_embedder(registry, version, device="cpu")
    assert tuned.version == version
    query = ["waterproof hiking boots"]
    tuned_vector, base_vector = tuned.encode(query)[0], Embedder(device="cpu").encode(query)[0]
    assert np.isclose(np.linalg.norm(tuned_vector), 1.0, atol=1e-4)
    assert np.abs(tuned_vector - base_vector).max() > 1e-4
