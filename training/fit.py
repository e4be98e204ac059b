"""One Ray Train fit whose checkpoint becomes a registry version's ``model/`` folder (shared by the fine-tuning jobs)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import ray

from retail.registry import ModelRegistry


def fit_into_registry(train_loop: Callable[[dict], None], config: dict, rows: list[dict], registry: ModelRegistry,
                      run_name: str, model_dir: Path, num_workers: int, use_gpu: bool):
    """TorchTrainer over ``rows`` (the "train" dataset), one CPU or one GPU per worker; the last checkpoint
    is copied to ``model_dir`` and Ray Train's scratch under the registry is removed. Returns the Result."""
    from ray.train import CheckpointConfig, RunConfig, ScalingConfig
    from ray.train.torch import TorchTrainer

    scratch = registry.root / "_ray_train"
    trainer = TorchTrainer(
        train_loop,
        train_loop_config=config,
        scaling_config=ScalingConfig(num_workers=num_workers, use_gpu=use_gpu,
                                     resources_per_worker={"CPU": 1, "GPU": 1} if use_gpu else {"CPU": 1}),
        run_config=RunConfig(name=run_name, storage_path=str(scratch), checkpoint_config=CheckpointConfig(num_to_keep=1)),
        datasets={"train": ray.data.from_items(rows)},
    )
    result = trainer.fit()
    with result.checkpoint.as_directory() as checkpoint_dir:
        shutil.copytree(checkpoint_dir, model_dir)
    shutil.rmtree(scratch / run_name, ignore_errors=True)
    return result
