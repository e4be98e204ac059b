import pytest

from retail.registry import ArtifactMissing, ModelRegistry


def test_publish_makes_a_version_stable_and_keeps_its_manifest(tmp_path):
    registry = ModelRegistry(tmp_path)
    assert registry.stable("reranker") is None
    v1, d1 = registry.new_version("reranker")
    registry.publish("reranker", v1, {"dev_ndcg@10": 0.8})
    v2, _ = registry.new_version("reranker")
    registry.publish("reranker", v2, {"dev_ndcg@10": 0.9}, make_stable=False)
    assert d1.is_dir()
    assert registry.stable("reranker") == v1
    assert registry.versions("reranker") == sorted([v1, v2])
    assert registry.manifest("reranker", v2)["dev_ndcg@10"] == 0.9
    registry.set_stable("reranker", v2)
    assert registry.routing("reranker")["stable"] == v2


def test_missing_artifacts_name_the_command_that_makes_them(tmp_path):
    registry = ModelRegistry(tmp_path)
    with pytest.raises(ArtifactMissing, match="python -m training.build_index"):
        registry.require_stable("index", "python -m training.build_index")
    with pytest.raises(ArtifactMissing):
        registry.set_stable("index", "v-never-published")
