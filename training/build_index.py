"""Ray Data pipeline: catalog -> embeddings -> ScaNN + BM25 (hybrid) index, as a registry version.

    ray job submit -- python -m training.build_index [--catalog FILE] [--num-gpus 1]

Reads the catalog (CSV / JSONL / Parquet) through Ray Data, validates every
row, embeds products with an actor pool (one GPU each with --num-gpus 1),
builds and tunes ScaNN against exact search, builds the BM25 index over the
same rows (title, attributes and description), and publishes
``<registry>/index/<version>/`` with a manifest naming the embedder version.
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
from retail.embedder import Embedder, embedder_version
from retail.index import build_hybrid_index
from retail.paths import DEMO_CATALOG, DEMO_QUERIES
from retail.registry import ModelRegistry

INDEX_MODEL = "index"


class EmbedBatch:
    """Ray Data actor: loads the embedder once, embeds a batch of product texts."""

    def __init__(self, device: str, cpu_threads: int):
        if device == "cpu":
            import torch

            torch.set_num_threads(cpu_threads)  # Ray pins actors to 1 thread per reserved CPU
        self.embedder = Embedder(device=device)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        return {"row": batch["row"], "embedding": self.embedder.encode(list(batch["text"]))}


def embed_catalog(products, num_gpus: float = 0.0, batch_size: int = 256) -> np.ndarray:
    texts = [product_text(row) for row in products.to_dict(orient="records")]
    dataset = ray.data.from_items([{"row": i, "text": t} for i, t in enumerate(texts)], override_num_blocks=8)
    embedded = dataset.map_batches(
        EmbedBatch,
        fn_constructor_kwargs={"device": "cuda" if num_gpus else "cpu", "cpu_threads": os.cpu_count() or 1},
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


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, default=DEMO_CATALOG)
    parser.add_argument("--queries", type=Path, default=DEMO_QUERIES, help="queries used to tune ScaNN recall")
    parser.add_argument("--registry", type=Path, default=None)
    parser.add_argument("--target-recall", type=float, default=0.95)
    parser.add_argument("--num-gpus", type=float, default=0.0)
    parser.add_argument("--no-promote", action="store_true", help="publish without making it the stable version")
    args = parser.parse_args(argv)

    ray.init(ignore_reinit_error=True)  # joins the job's cluster under `ray job submit`
    registry = ModelRegistry(args.registry)
    started = time.perf_counter()
    products = load_catalog(args.catalog)
    embeddings = embed_catalog(products, args.num_gpus)
    embed_s = time.perf_counter() - started

    tuning_queries = Embedder(device="cpu").encode([q["query"] for q in load_queries(args.queries)])
    index, report = build_hybrid_index(embeddings, products, tuning_queries, args.target_recall)
    version, directory = registry.new_version(INDEX_MODEL)
    manifest = {
        "embedder_version": embedder_version(),
        "catalog": str(args.catalog),
        "catalog_sha256": file_sha256(args.catalog),
        "n_products": len(products),
        "embed_s": round(embed_s, 2),
        **report,
    }
    index.save(directory, manifest)
    registry.publish(INDEX_MODEL, version, manifest, make_stable=not args.no_promote)
    print(json.dumps({"index_version": version, **{k: v for k, v in manifest.items() if k != "tuning"}}, indent=2))
    return version


if __name__ == "__main__":
    main()
