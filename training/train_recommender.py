"""Train the recommender (sequential model with Ray Train, item-kNN, popularity, fusion weights) and register it.

    ray job submit -- python -m training.train_recommender [--events store|demo|PATH] [--epochs 20] [--promote]

Reads the shopper events (by default the event store the app writes, or the
shipped demo log while the store is empty), splits them leave-last-out by
time, trains the SASRec-style model with Ray Train (``--use-gpu``,
``--num-workers``), fits item-kNN and popularity on the same training part,
fits the fusion weights on the validation targets, and reports every system
on the test targets. The version is registered with that evaluation; it
becomes stable only past the gate (it must beat popularity and item-kNN) and
when asked (``--promote``) or when nothing serves yet. Roll it out with
``python -m training.rollout canary recommender <version>``.
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

from retail.embedder import load_embedder
from retail.paths import DEMO_EVENTS, events_url
from retail.recommend.datasets import index_items, text_vectors
from retail.recommend.evaluation import fit_and_evaluate, gate, print_evaluation
from retail.recommend.sequential import SASRec, SASRecConfig
from retail.recommend.store import open_store, read_event_log
from retail.registry import ModelRegistry
from training.fit import fit_into_registry

RECOMMENDER_MODEL = "recommender"


def train_loop_per_worker(config: dict) -> None:
    import torch

    import ray.train

    from retail.recommend.sequential import train_epochs

    torch.manual_seed(config["seed"])
    if config["cpu_threads"]:
        torch.set_num_threads(config["cpu_threads"])
    rows = [{k: list(v) for k, v in row.items()} for row in ray.train.get_dataset_shard("train").iter_rows()]
    model = SASRec(SASRecConfig(**config["model"]))
    vectors = torch.from_numpy(np.asarray(config["item_vectors"], np.float32))
    losses = []
    train_epochs(model, rows, vectors, config["epochs"], seed=config["seed"],
                 report=lambda epoch, loss: (losses.append(loss), print(f"epoch {epoch} loss {loss:.4f}", flush=True)))
    checkpoint = None
    if ray.train.get_context().get_world_rank() == 0:
        tmp = Path(tempfile.mkdtemp())
        model.save(tmp, {})
        checkpoint = ray.train.Checkpoint.from_directory(str(tmp))
    ray.train.report({"train_loss": losses[-1] if losses else float("nan")}, checkpoint=checkpoint)


def load_events(source: str) -> tuple[list[dict], str]:
    if source in ("store", "auto"):
        store = open_store(events_url())
        try:
            if store.count() > 0:
                return list(store.scan()), store.url
        finally:
            store.close()
        if source == "store":
            raise SystemExit(f"the event store {events_url()} is empty: send events, or use --events demo")
        source = "demo"
    path = DEMO_EVENTS if source == "demo" else Path(source)
    return read_event_log(path), str(path)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", default="auto",
                        help="store | demo | a JSONL(.gz) log; auto: the store, or the demo log while it is empty")
    parser.add_argument("--registry", type=Path, default=None)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--num-workers", type=int, default=1)
    parser.add_argument("--use-gpu", action="store_true")
    parser.add_argument("--cpu-threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--promote", action="store_true",
                        help="make it stable if it passes the gate (default: only when nothing is stable yet)")
    args = parser.parse_args(argv)

    ray.init(ignore_reinit_error=True)
    registry = ModelRegistry(args.registry)
    items, index_version, embedder_version = index_items(registry)
    embedder = load_embedder(registry, embedder_version, device="cpu")
    events, source = load_events(args.events)
    print(f"{len(events)} events from {source}; {len(items)} items of index {index_version}")
    version, version_dir = registry.new_version(RECOMMENDER_MODEL)

    def train_with_ray(rows: list[dict], item_vectors: np.ndarray, config: SASRecConfig, epochs: int) -> SASRec:
        from dataclasses import asdict

        fit_into_registry(
            train_loop_per_worker,
            {"model": asdict(config), "item_vectors": item_vectors.tolist(), "epochs": epochs, "seed": args.seed,
             "cpu_threads": 0 if args.use_gpu else args.cpu_threads},
            rows, registry, f"recommender-{version}", version_dir / "sasrec", args.num_workers, args.use_gpu)
        return SASRec.load(version_dir / "sasrec")[0]

    started = time.perf_counter()
    result, artifact = fit_and_evaluate("events", items, events, text_vectors(events, embedder),
                                        epochs=args.epochs, train=train_with_ray, seed=args.seed)
    print_evaluation(result)
    artifact.meta |= {"index_version": index_version, "embedder_version": embedder_version}
    artifact.save(version_dir)
    passed, reason = gate(result)
    first = registry.stable(RECOMMENDER_MODEL) is None
    make_stable = passed and (args.promote or first)
    manifest = {
        "index_version": index_version, "embedder_version": embedder_version, "events": source,
        "n_events": len(events), "epochs": args.epochs, "train_s": round(time.perf_counter() - started, 1),
        "parent": registry.stable(RECOMMENDER_MODEL), "weights": result.weights,
        "evaluation": {"table": result.table, **{k: v for k, v in result.extras.items()}},
        "gate": {"passed": passed, "reason": reason, "promoted": make_stable},
    }
    registry.publish(RECOMMENDER_MODEL, version, manifest, make_stable=make_stable)
    outcome = ("now stable" if make_stable else
               f"registered; roll it out: python -m training.rollout canary {RECOMMENDER_MODEL} {version}"
               if passed else "NOT made stable")
    print(f"\nrecommender {version} {reason}; {outcome}")
    summary = {"recommender_version": version, "stable": make_stable, "gate": reason}
    print(json.dumps(summary))
    return summary


if __name__ == "__main__":
    main()
