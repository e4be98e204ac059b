"""Ray Data pipeline: catalog -> embeddings -> ScaNN + BM25 (hybrid) index, as a registry version.

    ray job submit -- python -m training.build_index [--catalog FILE] [--num-gpus 1]

Reads the catalog (CSV / JSONL / Parquet) through Ray Data, validates every
row, embeds products with an actor pool (one GPU each with --num-gpus 1),
builds and tunes ScaNN against exact search, builds the BM25 index over the
same rows (title, attributes and description), and publishes
``<registry>/index/<version>/`` with a manifest naming the embedder version.

The command builds with the packaged embedder; ``build_and_publish`` is the
same pipeline for a job that brings its own (training.train_embedder), so an
embedder and the index built with it are published as one unit.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import time
from pathlib import Path

import numpy as np
import ray

from retail.catalog import load_catalog, load_queries, product_text
from retail.embedder import EMBEDDER_MODEL, Embedder, embedder_model_path
from retail.index import build_hybrid_index
from retail.paths import DEMO_CATALOG, DEMO_QUERIES
from retail.registry import ModelRegistry

INDEX_MODEL = "index"


class EmbedBatch:
    """Ray Data actor: loads the embedder once, embeds a batch of product texts."""

    def __init__(self, device: str, cpu_threads: int, model_path: str | None = None, version: str | None = None):
        if device == "cpu":
            import torch

            torch.set_num_threads(cpu_threads)  # Ray pins actors to 1 thread per reserved CPU
        self.embedder = Embedder(device=device, model_path=model_path, version=version)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        return {"row": batch["row"], "embedding": self.embedder.encode(list(batch["text"]))}


def embed_catalog(products, num_gpus: float = 0.0, batch_size: int = 256, model_path: str | None = None,
                  version: str | None = None) -> np.ndarray:
    """Every product's embedding, in catalog order. ``model_path`` must be readable by the Ray workers."""
    texts = [product_text(row) for row in products.to_dict(orient="records")]
    dataset = ray.data.from_items([{"row": i, "text": t} for i, t in enumerate(texts)], override_num_blocks=8)
    embedded = dataset.map_batches(
        EmbedBatch,
        fn_constructor_kwargs={"device": "cuda" if num_gpus else "cpu", "cpu_threads": os.cpu_count() or 1,
                               "model_path": model_path, "version": version},
        batch_size=batch_size,
        compute=ray.data.ActorPoolStrategy(size=1),
        num_cpus=0 if num_gpus else 1,
        num_gpus=num_gpus,
    )
    frame = embedded.to_pandas().sort_values("row")  # blocks may finish out of order
    return np.stack(frame["embedding"].to_numpy()).astype(np.float32)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def build_and_publish(registry: ModelRegistry, catalog: Path, queries: Path, embedder_version: str | None = None,
                      model_path: str | None = None, num_gpus: float = 0.0, target_recall: float = 0.95,
                      make_stable: bool = True) -> tuple[str, dict]:
    """Embed `catalog` with the given embedder, build the hybrid index, publish it; returns (version, manifest).

    `embedder_version` None is the packaged model; a registered fine-tune is
    found in the registry unless `model_path` points at its folder. The
    manifest records exactly that version, which ``load_embedder`` accepts,
    and the ScaNN tuning queries are embedded by the same model."""
    if model_path is not None and embedder_version is None:
        raise ValueError(f"an index embedded by {model_path} must record that embedder's version")
    model_path = model_path or embedder_model_path(registry, embedder_version)
    started = time.perf_counter()
    products = load_catalog(catalog)
    embeddings = embed_catalog(products, num_gpus, model_path=model_path, version=embedder_version)
    embed_s = time.perf_counter() - started

    query_embedder = Embedder(device="cpu", model_path=model_path, version=embedder_version)
    tuning_queries = query_embedder.encode([q["query"] for q in load_queries(queries)])
    index, report = build_hybrid_index(embeddings, products, tuning_queries, target_recall)
    version, directory = registry.new_version(INDEX_MODEL)
    manifest = {
        "embedder_version": query_embedder.version,
        **({"embedder_model": EMBEDDER_MODEL} if model_path else {}),
        "catalog": str(catalog),
        "catalog_sha256": file_sha256(catalog),
        "n_products": len(products),
        "embed_s": round(embed_s, 2),
        **report,
    }
    index.save(directory, manifest)
    registry.publish(INDEX_MODEL, version, manifest, make_stable=make_stable)
    return version, manifest


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, default=DEMO_CATALOG)
    parser.add_argument("--queries", type=Path, default=DEMO_QUERIES, help="queries used to tune ScaNN recall")
    parser.add_argument("--registry", type=Path, default=None)
    parser.add_argument("--target-recall", type=float, default=0.95)
    parser.add_argument("--num-gpus", type=float, default=0.0)
    parser.add_argument("--promote", action="store_true",
                        help="make it stable at once (default: only when there is no stable index yet; "
                             "otherwise roll it out with python -m training.rollout canary index <version>)")
    args = parser.parse_args(argv)

    ray.init(ignore_reinit_error=True)  # joins the job's cluster under `ray job submit`
    registry = ModelRegistry(args.registry)
    version, manifest = build_and_publish(registry, args.catalog, args.queries,
                                          num_gpus=args.num_gpus, target_recall=args.target_recall,
                                          make_stable=args.promote or registry.stable(INDEX_MODEL) is None)
    print(json.dumps({"index_version": version, **{k: v for k, v in manifest.items() if k != "tuning"}}, indent=2))
    return version


if __name__ == "__main__":
    main()
