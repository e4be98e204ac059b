"""Bring the whole thing up on this machine, from nothing, and say where it listens.

    python -m cluster.up [--config ray_config.yaml] [--high-throughput auto|on|off] [--retrain]

1. starts a local Ray head on 127.0.0.1 (HAProxy ingress where it works);
2. builds the hybrid index (ScaNN + BM25), trains the phase-1 ranker (LTR),
   the phase-2 cross-encoder, the intent head, the recommender and the review
   model, and runs the review insight job, with `ray job submit` when the
   registry has none (or --retrain / --rebuild-index); each trained model passes
   its promotion gate or is kept but not served;
3. deploys ray_config.yaml with `serve deploy` and waits until Serve runs that config;
4. waits for /healthz and prints the URL and an example request.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import yaml

from cluster import local
from retail.admin_token import ensure_admin_token
from retail.paths import REPO_ROOT
from retail.registry import ModelRegistry


def serve_address(config_path: Path) -> str:
    options = yaml.safe_load(config_path.read_text()).get("http_options", {})
    return f"http://{options.get('host', local.HOST)}:{options.get('port', 8000)}"


def wait_healthy(url: str, timeout_s: float) -> dict:
    deadline, last = time.monotonic() + timeout_s, "no answer yet"
    while time.monotonic() < deadline:
        try:
            response = httpx.get(f"{url}/healthz", timeout=5)
            if response.status_code == 200:
                return response.json()
            last = f"{response.status_code} {response.text[:200]}"
        except httpx.HTTPError as exc:
            last = repr(exc)
        time.sleep(1)
    status = subprocess.run([local.ray_bin("serve"), "status", f"--address={local.DASHBOARD_URL}"],
                            capture_output=True, text=True).stdout
    raise RuntimeError(f"the app did not become healthy in {timeout_s:.0f}s (last: {last})\n{status}")


def prepare_models(registry: ModelRegistry, retrain: bool, rebuild_index: bool, use_gpu: bool) -> None:
    python = [sys.executable, "-m"]
    if rebuild_index or registry.stable("index") is None:
        local.submit_job(python + ["training.build_index", "--promote"] + (["--num-gpus", "1"] if use_gpu else []))
    # A trained version that failed its promotion gate is not retrained on every start:
    # `latest`, not `stable`. The app then serves the stage before it (see the job's log).
    # --retrain asks for the new versions to serve at once (past their gates); a job alone
    # only registers a version, for a canary (python -m training.rollout canary ...).
    promote = ["--promote"] if retrain else []
    if retrain or registry.latest("ltr") is None:
        local.submit_job(python + ["training.train_ranker"] + promote)
    if retrain or registry.latest("reranker") is None:
        local.submit_job(python + ["training.train_reranker"] + promote + (["--use-gpu"] if use_gpu else []))
    if retrain or registry.latest("intent") is None:
        local.submit_job(python + ["training.train_intent"] + promote)
    if retrain or registry.latest("recommender") is None:
        local.submit_job(python + ["training.train_recommender"] + promote + (["--use-gpu"] if use_gpu else []))
    review_model = registry.latest("review_model")
    # A model the tests trained on a sample is not what a shopper-facing app should serve: train the full one.
    new_review_model = retrain or review_model is None or registry.manifest("review_model", review_model).get("sample")
    if new_review_model:
        local.submit_job(python + ["training.train_review_model", "--promote"] + (["--use-gpu"] if use_gpu else []))
    # The insight job analyses only what it has not seen, with the stable review model (all of it when that changed).
    if registry.stable("review_model") is not None and (new_review_model or registry.stable("insights") is None):
        local.submit_job(python + ["training.insights"] + (["--use-gpu"] if use_gpu else []))


def prepare_chat_model(config_path: Path) -> None:
    """Convert the configured chat model's GGUF to safetensors once, before the deploy waits on it."""
    import yaml

    from retail.llm_weights import resolve_model
    from retail.settings import AppSettings

    args = yaml.safe_load(config_path.read_text())["applications"][0].get("args") or {}
    if args.get("llm", {}) is not None:
        model = AppSettings.model_validate(args).llm.model_name
        print(f"chat model {model}: {resolve_model(model)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=REPO_ROOT / "ray_config.yaml")
    parser.add_argument("--high-throughput", choices=["auto", "on", "off"], default=os.environ.get("RETAIL_HIGH_THROUGHPUT", "auto"),
                        help="Serve's HAProxy ingress (RAY_SERVE_ENABLE_HA_PROXY + THROUGHPUT_OPTIMIZED)")
    parser.add_argument("--retrain", action="store_true", help="train a new reranker version first")
    parser.add_argument("--rebuild-index", action="store_true", help="re-embed the catalog and rebuild the index")
    parser.add_argument("--use-gpu", action="store_true", help="run the preparation jobs on a GPU")
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args(argv)

    started = time.monotonic()
    mode = {"auto": None, "on": True, "off": False}[args.high_throughput]
    env = local.start(high_throughput=mode)
    ha = env["RAY_SERVE_ENABLE_HA_PROXY"] == "1"
    print(f"Ray is up: dashboard {local.DASHBOARD_URL}; Serve ingress: {'HAProxy (high-throughput)' if ha else 'default proxy'}")
    prepare_models(ModelRegistry(), args.retrain, args.rebuild_index, args.use_gpu)
    prepare_chat_model(args.config)

    token_file = ensure_admin_token()  # before the deploy: the ingress reads it at start
    local.deploy(args.config, args.timeout)
    url = serve_address(args.config)
    health = wait_healthy(url, args.timeout)
    models = httpx.get(f"{url}/v1/models", timeout=10).json()
    example = json.dumps({"query": "waterproof hiking boots for women", "top_k": 5, "filters": {"price_max": 200}})
    chat = json.dumps({"messages": [{"role": "user", "content": "Can I return shoes I have worn once?"}]})
    recommend = json.dumps({"user_id": "S00042", "context": "trail running shoes", "top_k": 5})
    print(f"""
Serving on {url}  (ready in {time.monotonic() - started:.0f}s; health: {health['status']})
models: {json.dumps(models['models'])}

Open in a browser: {url}/  (shopper page)   {url}/ops  (operator page; admin token in {token_file})   {url}/docs  (API)

Try:
  curl -s {url}/v1/search -H 'content-type: application/json' -d '{example}'
  curl -s {url}/v1/chat/completions -H 'content-type: application/json' -d '{chat}'
  curl -s {url}/v1/recommend -H 'content-type: application/json' -d '{recommend}'
  curl -s {url}/v1/shoppers/S00042   (a demo shopper's profile and tags; POST /v1/events to add behaviour)
  curl -s {url}/v1/insights/alerts  (products whose complaints jumped; /v1/insights/topics, /v1/insights/products/<id>)
  curl -s {url}/v1/models
  curl -s {url}/v1/rollout          (canary split and the judge's decisions)
  python -m training.rollout status (operator CLI; admin token in {token_file}, or RETAIL_ADMIN_TOKEN)
Stop with: python -m cluster.down
""")


if __name__ == "__main__":
    main()
