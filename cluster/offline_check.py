"""Check an installed offline bundle end to end on the node's Python: a Ray cluster from the slimmed tree,
Ray Data, Ray Train, and the search app served by Serve over a model registry, answering over HTTP.

    PYTHONPATH=/tmp/site python -m cluster.offline_check --registry artifacts [--gpu] [--json out.json]

Run it from a checkout of this repository after ``install.sh`` (docs/OFFLINE_GPU.md). It starts its own
local Ray head (127.0.0.1) and stops it at the end. The registry needs an index (``training.build_index``);
the LTR ranker, cross-encoder, recommender and review model are served when it has them. The chat LLM is
left out (its weights do not travel in the bundle). ``--gpu`` moves the embedder and the cross-encoder to
the GPU with the one config key, ``num_gpus``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import yaml

from cluster.local import ray_env
from retail.paths import REPO_ROOT

QUERIES = ("waterproof hiking boots", "wireless earbuds with long battery", "cast iron skillet", "gift for a runner")


def check_ray_data_and_train() -> dict:
    import numpy as np
    import ray
    from ray.train import ScalingConfig
    from ray.train.torch import TorchTrainer

    squares = ray.data.range(1000).map_batches(lambda b: {"id": b["id"] ** 2}).sum("id")
    assert squares == sum(i * i for i in range(1000)), squares

    def loop(config):
        import torch

        import ray.train

        model = torch.nn.Linear(4, 1)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        x, y = torch.randn(64, 4), torch.randn(64, 1)
        for _ in range(config["steps"]):
            loss = torch.nn.functional.mse_loss(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        ray.train.report({"loss": loss.item()})

    result = TorchTrainer(loop, train_loop_config={"steps": 20},
                          scaling_config=ScalingConfig(num_workers=1, resources_per_worker={"CPU": 1})).fit()
    assert result.error is None, result.error
    return {"ray_data_sum_of_squares": int(squares), "ray_train_fit": "ok", "numpy": np.__version__}


def app_args(registry: Path, events: Path, gpu: bool) -> tuple[dict, dict]:
    config = yaml.safe_load((REPO_ROOT / "ray_config.yaml").read_text())
    args = config["applications"][0]["args"]
    args["registry_root"] = str(registry)
    args["llm"] = None
    args["recommender"]["events"] = str(events)
    if gpu:
        for name in ("embedder", "reranker"):
            args[name]["num_gpus"] = 0.25
        args["reranker"]["backend"] = "torch"  # the image's onnxruntime is the CPU build
    return config, args


def serve_and_search(registry: Path, gpu: bool) -> dict:
    import httpx
    from ray import serve

    from deployments.app import build_app

    config, args = app_args(registry, Path(tempfile.mkdtemp()) / "events.db", gpu)
    started = time.perf_counter()
    serve.start(http_options=config["http_options"], proxy_location=config["proxy_location"])
    serve.run(build_app(args), name="retail", route_prefix="/")
    deploy_s = time.perf_counter() - started
    base = f"http://{config['http_options']['host']}:{config['http_options']['port']}"
    answers, latencies = [], []
    with httpx.Client(base_url=base, timeout=60) as client:
        models = client.get("/v1/models").json()["models"]
        for query in QUERIES * 3:
            sent = time.perf_counter()
            response = client.post("/v1/search", json={"query": query, "top_k": 3})
            latencies.append((time.perf_counter() - sent) * 1000)
            response.raise_for_status()
            answers.append({"query": query, "titles": [r["title"] for r in response.json()["results"]]})
        bad = client.post("/v1/search", json={"query": "", "top_k": 3})
    serve.shutdown()
    return {"deploy_s": round(deploy_s, 1), "models": {k: v.get("version") for k, v in models.items()
                                                       if isinstance(v, dict)},
            "search_ms_p50": round(sorted(latencies)[len(latencies) // 2], 1),
            "empty_query_status": bad.status_code, "answers": answers[: len(QUERIES)]}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registry", type=Path, required=True, help="a model registry with at least an index")
    parser.add_argument("--gpu", action="store_true")
    parser.add_argument("--num-cpus", type=int, default=max(4, os.cpu_count() or 1))
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)

    os.environ.update(ray_env(high_throughput=False))
    import ray

    report = {"python": platform.python_version(), "ray": ray.__version__, "ray_from": str(Path(ray.__file__).parent)}
    ray.init(num_cpus=args.num_cpus)
    try:
        report |= check_ray_data_and_train()
        report |= serve_and_search(args.registry.resolve(), args.gpu)
    finally:
        ray.shutdown()
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    ok = report["empty_query_status"] == 422 and all(a["titles"] for a in report["answers"])
    if not ok:
        sys.exit("offline check: the app did not answer as expected")
    return report


if __name__ == "__main__":
    main()
