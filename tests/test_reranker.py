"""The trained cross-encoder: backends agree, the choice order holds, and it beats embeddings alone."""

import numpy as np
import pytest
from scipy.stats import spearmanr

from retail.catalog import load_queries, product_text
from retail.evaluation import PREVIOUS_STAGE
from retail.reranker import (
    OnnxReranker,
    TorchReranker,
    choose_backend,
    export_onnx,
    load_reranker,
    tensorrt_available,
)


@pytest.fixture(scope="module")
def reranker_dir(registry):
    """The newest trained cross-encoder, stable or not (its promotion gate decides whether it serves)."""
    return registry.path("reranker", registry.latest("reranker"))


@pytest.fixture(scope="module")
def fifty_pairs(stable_index, embedder):
    query = load_queries(split="test")[0]["query"]
    hits = stable_index.search(embedder.encode([query]), 50)[0]
    docs = [product_text(stable_index.products.iloc[row]) for row, _ in hits]
    return [query] * len(docs), docs


def test_onnx_runtime_matches_pytorch_within_1e3(reranker_dir, fifty_pairs):
    queries, docs = fifty_pairs
    torch_scores = TorchReranker(reranker_dir).score(queries, docs)
    onnx_scores = OnnxReranker(reranker_dir).score(queries, docs)
    assert torch_scores.shape == onnx_scores.shape == (50,)
    assert np.max(np.abs(torch_scores - onnx_scores)) < 1e-3
    # The agreement means something only if the documents' scores differ by far more than the tolerance (how
    # far a small training run spreads them varies: std 0.08 in one fresh-clone run, over 0.1 in others), and
    # it must keep the ranking that serving acts on.
    assert np.ptp(torch_scores) > 0.05
    assert spearmanr(torch_scores, onnx_scores).statistic > 0.99


def test_a_fresh_export_has_dynamic_batch_and_sequence(reranker_dir, tmp_path, fifty_pairs):
    import onnx

    path = export_onnx(reranker_dir / "model", tmp_path / "model.onnx")
    graph = onnx.load(str(path)).graph
    dims = {i.name: [d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim] for i in graph.input}
    assert dims["input_ids"] == ["batch", "sequence"]
    # Scores for 1 pair and for 50 pairs of other lengths come from the same graph.
    queries, docs = fifty_pairs
    engine = OnnxReranker(reranker_dir)
    assert np.isclose(engine.score(queries[:1], docs[:1])[0], engine.score(queries, docs)[0], atol=1e-4)


def test_backend_choice_order_without_tensorrt(reranker_dir):
    if tensorrt_available():
        assert choose_backend("auto", "cuda", reranker_dir) == "tensorrt"
    else:
        # What every CPU machine (and CI) sees: TensorRT is absent; on a GPU, ONNX Runtime only with its CUDA
        # provider (the CPU build would score on the CPU), else PyTorch on the GPU.
        import onnxruntime

        cuda_ort = "CUDAExecutionProvider" in onnxruntime.get_available_providers()
        assert choose_backend("auto", "cuda", reranker_dir) == ("onnxruntime" if cuda_ort else "torch")
    assert choose_backend("auto", "cpu", reranker_dir) == "onnxruntime"
    assert choose_backend("torch", "cpu", reranker_dir) == "torch"
    assert load_reranker(reranker_dir, "auto").backend == "onnxruntime"
    assert load_reranker(reranker_dir, "torch").backend == "torch"
    with pytest.raises(ValueError, match="backend must be one of"):
        choose_backend("tvm", "cpu", reranker_dir)


def test_without_onnx_the_torch_backend_serves(reranker_dir, tmp_path):
    import shutil

    (tmp_path / "v").mkdir()
    shutil.copytree(reranker_dir / "model", tmp_path / "v" / "model")
    assert load_reranker(tmp_path / "v", "auto").backend == "torch"


@pytest.mark.skipif(not tensorrt_available(), reason="TensorRT and a CUDA GPU are required; neither installs on CPU machines")
def test_tensorrt_engine_matches_onnx(reranker_dir, fifty_pairs):  # pragma: no cover - GPU only
    from retail.reranker import TensorRTReranker, trt_engine_path

    queries, docs = fifty_pairs
    engine = TensorRTReranker(reranker_dir)
    assert trt_engine_path(reranker_dir).exists()
    assert np.max(np.abs(engine.score(queries, docs) - OnnxReranker(reranker_dir).score(queries, docs))) < 5e-2  # fp16


def test_trained_versions_record_both_evaluations_and_the_gate_decides_what_is_stable(registry):
    for model, stage in (("ltr", "hybrid+ltr"), ("reranker", "+ce")):
        version = registry.latest(model)
        manifest = registry.manifest(model, version)
        assert set(manifest["evaluation"]) == {"demo_test", "ood"}
        gate = manifest["gate"]
        assert gate["stage"].endswith(stage) and gate["reason"]
        ood = manifest["evaluation"]["ood"]
        assert gate["passed"] == (ood[gate["stage"]]["ndcg@10"] >= ood[PREVIOUS_STAGE[gate["stage"]]]["ndcg@10"])
        assert (registry.stable(model) == version) == gate["promoted"]


def test_the_learned_first_phase_beats_fusion_alone_on_the_demo_split(registry):
    manifest = registry.manifest("ltr", registry.latest("ltr"))
    demo = manifest["evaluation"]["demo_test"]
    assert demo["hybrid+ltr"]["ndcg@10"] > demo["hybrid"]["ndcg@10"]
