"""Cross-encoder reranker: one interface, three interchangeable backends.

``load_reranker(version_dir, backend="auto")`` picks, in order:

1. ``tensorrt``  - an FP16 TensorRT engine built from the version's ONNX file,
   cached per GPU model / compute capability / TensorRT version, with dynamic
   batch and sequence shapes; needs ``tensorrt`` and a CUDA GPU;
2. ``onnxruntime`` - the exported ONNX graph (CUDA provider on a GPU);
3. ``torch``     - the fine-tuned Hugging Face checkpoint.

A version directory (written by ``training.train_reranker``) holds ``model/``
(weights + tokenizer), ``model.onnx`` and ``manifest.json``. Every backend
tokenises the same way (``encode_pairs``), so scores agree across backends.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Protocol

import numpy as np

logger = logging.getLogger(__name__)

MAX_LENGTH = 128
ONNX_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
BACKENDS = ("tensorrt", "onnxruntime", "torch")
# Dynamic-shape profile of the TensorRT engine: (min, opt, max).
TRT_BATCH = (1, 32, 128)
TRT_SEQ = (8, 96, MAX_LENGTH)


class Reranker(Protocol):
    backend: str
    version: str

    def score(self, queries: list[str], documents: list[str]) -> np.ndarray:
        """One relevance logit per (query, document) pair; higher is better."""


def load_tokenizer(model_dir: Path):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(model_dir))


def encode_pairs(tokenizer, queries: list[str], documents: list[str], return_tensors: str = "np"):
    return tokenizer(
        queries, documents, padding=True, truncation="longest_first", max_length=MAX_LENGTH, return_tensors=return_tensors
    )


def _version_of(version_dir: Path) -> str:
    manifest = version_dir / "manifest.json"
    return json.loads(manifest.read_text())["version"] if manifest.exists() else version_dir.name


class TorchReranker:
    backend = "torch"

    def __init__(self, version_dir: Path, device: str = "cpu", fp16: bool = True):
        import torch
        from transformers import AutoModelForSequenceClassification

        self.version = _version_of(version_dir)
        self.device = device
        self.tokenizer = load_tokenizer(version_dir / "model")
        self.model = AutoModelForSequenceClassification.from_pretrained(str(version_dir / "model")).eval().to(device)
        if fp16 and device.startswith("cuda"):
            self.model.half()
        self._torch = torch

    def score(self, queries: list[str], documents: list[str]) -> np.ndarray:
        batch = encode_pairs(self.tokenizer, queries, documents, return_tensors="pt").to(self.device)
        with self._torch.inference_mode():
            logits = self.model(**batch).logits
        return logits.float().reshape(-1).cpu().numpy()


class OnnxReranker:
    backend = "onnxruntime"

    def __init__(self, version_dir: Path, device: str = "cpu", intra_op_threads: int = 0):
        import onnxruntime as ort

        self.version = _version_of(version_dir)
        self.tokenizer = load_tokenizer(version_dir / "model")
        options = ort.SessionOptions()
        options.intra_op_num_threads = intra_op_threads
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        providers = ["CPUExecutionProvider"]
        if device.startswith("cuda") and "CUDAExecutionProvider" in ort.get_available_providers():
            providers.insert(0, "CUDAExecutionProvider")
        self.session = ort.InferenceSession(str(version_dir / "model.onnx"), options, providers=providers)
        self.input_names = {i.name for i in self.session.get_inputs()}

    def score(self, queries: list[str], documents: list[str]) -> np.ndarray:
        batch = encode_pairs(self.tokenizer, queries, documents)
        feed = {name: batch[name].astype(np.int64) for name in ONNX_INPUTS if name in self.input_names}
        return self.session.run(None, feed)[0].reshape(-1).astype(np.float32)


def tensorrt_available() -> bool:
    try:
        import tensorrt  # noqa: F401
        import torch
    except ImportError:
        return False
    return torch.cuda.is_available()


def trt_engine_path(version_dir: Path) -> Path:
    """Engines are specific to the GPU model and TensorRT version: cache one per pair."""
    import tensorrt as trt
    import torch

    props = torch.cuda.get_device_properties(0)
    gpu = f"{props.name.replace(' ', '_')}-sm{props.major}{props.minor}"
    return version_dir / "engines" / f"{gpu}-trt{trt.__version__}-fp16.engine"


def build_trt_engine(onnx_path: Path, engine_path: Path, workspace_gb: int = 4) -> Path:
    """Compile the ONNX graph to an FP16 engine with dynamic batch and sequence length."""
    import tensorrt as trt

    trt_logger = trt.Logger(trt.Logger.WARNING)
    builder = trt.Builder(trt_logger)
    network = builder.create_network(0)  # explicit batch is the only mode in TensorRT >= 10
    parser = trt.OnnxParser(network, trt_logger)
    if not parser.parse(onnx_path.read_bytes()):
        errors = "; ".join(str(parser.get_error(i)) for i in range(parser.num_errors))
        raise RuntimeError(f"TensorRT cannot parse {onnx_path}: {errors}")
    config = builder.create_builder_config()
    config.set_memory_pool_limit(trt.MemoryPoolType.WORKSPACE, workspace_gb << 30)
    config.set_flag(trt.BuilderFlag.FP16)
    profile = builder.create_optimization_profile()
    for i in range(network.num_inputs):
        name = network.get_input(i).name
        profile.set_shape(name, *[(b, s) for b, s in zip(TRT_BATCH, TRT_SEQ)])
    config.add_optimization_profile(profile)
    serialized = builder.build_serialized_network(network, config)
    if serialized is None:
        raise RuntimeError(f"TensorRT failed to build an engine from {onnx_path}")
    engine_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = engine_path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_bytes(serialized)
    os.replace(tmp, engine_path)  # replicas building at once: last writer wins, never half a file
    return engine_path


class TensorRTReranker:
    backend = "tensorrt"

    def __init__(self, version_dir: Path):
        import tensorrt as trt
        import torch

        self.version = _version_of(version_dir)
        self.tokenizer = load_tokenizer(version_dir / "model")
        engine_path = trt_engine_path(version_dir)
        if not engine_path.exists():
            logger.info("building TensorRT engine %s", engine_path)
            build_trt_engine(version_dir / "model.onnx", engine_path)
        runtime = trt.Runtime(trt.Logger(trt.Logger.WARNING))
        self.engine = runtime.deserialize_cuda_engine(engine_path.read_bytes())
        self.context = self.engine.create_execution_context()
        names = [self.engine.get_tensor_name(i) for i in range(self.engine.num_io_tensors)]
        self.input_names = [n for n in names if self.engine.get_tensor_mode(n) == trt.TensorIOMode.INPUT]
        self.output_name = next(n for n in names if self.engine.get_tensor_mode(n) == trt.TensorIOMode.OUTPUT)
        self.stream = torch.cuda.Stream()
        self._torch = torch

    def score(self, queries: list[str], documents: list[str]) -> np.ndarray:
        torch = self._torch
        scores = []
        for start in range(0, len(queries), TRT_BATCH[2]):  # the engine's max batch
            batch = encode_pairs(self.tokenizer, queries[start : start + TRT_BATCH[2]], documents[start : start + TRT_BATCH[2]], "pt")
            inputs = {name: batch[name].to("cuda", dtype=torch.int64).contiguous() for name in self.input_names}
            rows = inputs[self.input_names[0]].shape[0]
            output = torch.empty((rows, 1), dtype=torch.float32, device="cuda")
            for name, tensor in inputs.items():
                self.context.set_input_shape(name, tuple(tensor.shape))
                self.context.set_tensor_address(name, tensor.data_ptr())
            self.context.set_tensor_address(self.output_name, output.data_ptr())
            if not self.context.execute_async_v3(self.stream.cuda_stream):
                raise RuntimeError("TensorRT execution failed")
            self.stream.synchronize()
            scores.append(output.reshape(-1).cpu().numpy())
        return np.concatenate(scores)


def choose_backend(requested: str, device: str, version_dir: Path) -> str:
    if requested != "auto":
        if requested not in BACKENDS:
            raise ValueError(f"reranker backend must be one of {('auto',) + BACKENDS}, got {requested!r}")
        return requested
    if device.startswith("cuda") and tensorrt_available() and (version_dir / "model.onnx").exists():
        return "tensorrt"
    if (version_dir / "model.onnx").exists():
        try:
            import onnxruntime
        except ImportError:
            return "torch"
        # On a GPU, ONNX Runtime only with its CUDA provider: the CPU build would quietly score on the CPU,
        # where PyTorch on the GPU is far faster.
        if not device.startswith("cuda") or "CUDAExecutionProvider" in onnxruntime.get_available_providers():
            return "onnxruntime"
    return "torch"


def load_reranker(version_dir: str | Path, backend: str = "auto", device: str = "cpu", cpu_threads: int = 0) -> Reranker:
    version_dir = Path(version_dir)
    chosen = choose_backend(backend, device, version_dir)
    if chosen == "tensorrt":
        try:
            return TensorRTReranker(version_dir)
        except Exception:
            if backend == "tensorrt":  # forced: fail loudly
                raise
            logger.exception("TensorRT backend failed; falling back to ONNX Runtime")
            chosen = "onnxruntime"
    if chosen == "onnxruntime":
        return OnnxReranker(version_dir, device, cpu_threads)
    return TorchReranker(version_dir, device)


def export_onnx(model_dir: Path, onnx_path: Path, opset: int = 17) -> Path:
    """Export a fine-tuned sequence-classification checkpoint with dynamic batch/sequence axes."""
    import torch
    from transformers import AutoModelForSequenceClassification

    model = AutoModelForSequenceClassification.from_pretrained(str(model_dir)).eval()
    tokenizer = load_tokenizer(model_dir)
    sample = encode_pairs(tokenizer, ["example query"] * 2, ["an example product document"] * 2, "pt")
    names = [n for n in ONNX_INPUTS if n in sample]
    axes = {n: {0: "batch", 1: "sequence"} for n in names} | {"logits": {0: "batch"}}
    with torch.no_grad():
        # The TorchScript exporter handles BERT's dynamic shapes without extra packages.
        torch.onnx.export(
            model, tuple(sample[n] for n in names), str(onnx_path), input_names=names, output_names=["logits"],
            dynamic_axes=axes, opset_version=opset, dynamo=False,
        )
    return onnx_path
