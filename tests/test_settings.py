"""The Serve application's typed settings: ray_config.yaml is valid, typos are refused, one key moves to GPU."""

import pytest
import yaml
from pydantic import ValidationError

from deployments.app import build_app
from retail.paths import REPO_ROOT
from retail.settings import AppSettings


def test_the_shipped_config_validates_and_runs_on_cpu():
    args = yaml.safe_load((REPO_ROOT / "ray_config.yaml").read_text())["applications"][0]["args"]
    settings = AppSettings.model_validate(args)
    assert settings.embedder.device == settings.reranker.device == "cpu"
    assert settings.reranker.backend == "auto" and settings.ingress.rerank_depth >= 10
    assert settings.ingress.enforce_budget and settings.ingress.search_slo_ms == 500


def test_num_gpus_moves_a_deployment_to_cuda():
    settings = AppSettings.model_validate({"reranker": {"num_gpus": 1}})
    assert settings.reranker.device == "cuda" and settings.embedder.device == "cpu"
    assert settings.reranker.serve_options()["ray_actor_options"]["num_gpus"] == 1


@pytest.mark.parametrize(
    "args, field",
    [
        ({"reranker": {"backnd": "onnxruntime"}}, "backnd"),
        ({"reranker": {"backend": "tensorflow"}}, "backend"),
        ({"ingress": {"rerank_depth": -1}}, "rerank_depth"),
        ({"ingress": {"search_slo_ms": 0}}, "search_slo_ms"),
        ({"retriever": {"ltr": "stable"}}, "ltr"),
        ({"indexer": {}}, "indexer"),
    ],
)
def test_a_bad_config_key_fails_the_deploy_naming_it(args, field):
    with pytest.raises(ValidationError, match=field):
        build_app(args)


def test_every_deployment_refuses_with_retry_after():
    settings = AppSettings()
    for deployment in (settings.embedder, settings.retriever, settings.reranker, settings.ingress):
        assert deployment.serve_options()["backpressure_config"]["retry_after_s"] >= 1


def test_the_offline_check_serves_the_shipped_config_moved_to_the_gpu_by_its_one_key(tmp_path):
    """cluster.offline_check (run on a GPU node after the offline install) deploys the README's app, its
    LLM left out, over the registry it is given: the settings it builds must stay valid as the config grows."""
    from cluster.offline_check import app_args

    _, args = app_args(tmp_path / "registry", tmp_path / "events.db", gpu=True)
    settings = AppSettings.model_validate({k: v for k, v in args.items() if v is not None})
    assert settings.embedder.device == settings.reranker.device == "cuda" and settings.reranker.backend == "torch"
    assert settings.registry_root == str(tmp_path / "registry") and args["llm"] is None
    assert settings.recommender.events == str(tmp_path / "events.db")
    build_app(args)  # the Application graph builds (nothing is deployed)
    _, cpu = app_args(tmp_path / "registry", tmp_path / "events.db", gpu=False)
    assert AppSettings.model_validate({k: v for k, v in cpu.items() if v is not None}).reranker.device == "cpu"
