"""Latency summaries and tables shared by the benchmarks."""

from __future__ import annotations

import numpy as np


def summarize(latencies_s: list[float], wall_s: float, errors: int = 0) -> dict:
    ms = np.asarray(latencies_s) * 1000
    return {
        "n": len(latencies_s),
        "errors": errors,
        "p50_ms": float(np.percentile(ms, 50)) if len(ms) else float("nan"),
        "p95_ms": float(np.percentile(ms, 95)) if len(ms) else float("nan"),
        "p99_ms": float(np.percentile(ms, 99)) if len(ms) else float("nan"),
        "throughput_per_s": len(latencies_s) / wall_s if wall_s > 0 else float("nan"),
    }


def print_table(title: str, rows: list[dict], columns: list[str]) -> None:
    print(f"\n## {title}")
    widths = {c: max(len(c), *(len(_fmt(r.get(c))) for r in rows)) for c in columns}
    print("  ".join(c.ljust(widths[c]) for c in columns))
    for row in rows:
        print("  ".join(_fmt(row.get(c)).ljust(widths[c]) for c in columns))


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.4f}" if abs(value) < 1 else f"{value:.1f}"
    return "" if value is None else str(value)
