"""The embedder job's parts without a cluster: the in-batch loss and the version lookup.

The job itself runs end to end through `ray job submit` in test_rollout_integration.py, which then rolls
its embedder and index out together (one run of the job serves both tests).
"""

from __future__ import annotations

import pytest

from retail.embedder import embedder_version, load_embedder
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
