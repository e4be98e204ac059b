"""Latency summaries, run accounting, tables and plots shared by the benchmarks.

Percentiles are numpy's default (linear interpolation between the closest
ranks). `account` turns one open-loop run (bench.loadgen outcomes) into a row:
what was sent, how it ended (ok / refused / error / timeout, each counted
apart), percentiles of the successful answers only, achieved throughput, and
how far the generator itself fell behind its schedule.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from pathlib import Path
from typing import Iterable

import numpy as np

from bench.loadgen import LATE_S

PERCENTILES = (50, 95, 99, 99.9)


def percentile_key(q: float) -> str:
    return f"p{q:g}_ms"  # p50_ms, p99_ms, p99.9_ms


def percentiles(values_ms: Iterable[float], qs: Iterable[float] = PERCENTILES) -> dict[str, float]:
    """{'p50_ms': ..., 'p99.9_ms': ...} of values already in ms; NaN for each when there are none."""
    values = np.asarray(list(values_ms), dtype=float)
    return {percentile_key(q): float(np.percentile(values, q)) if values.size else float("nan") for q in qs}


def summarize(latencies_s: list[float], wall_s: float, errors: int = 0) -> dict:
    return {
        "n": len(latencies_s),
        "errors": errors,
        **percentiles(np.asarray(latencies_s) * 1000, (50, 95, 99)),
        "throughput_per_s": len(latencies_s) / wall_s if wall_s > 0 else float("nan"),
    }


def account(outcomes: list, wall_s: float) -> dict:
    """One run's row from bench.loadgen outcomes over wall_s seconds.

    sent = ok + refused + errors + timeouts. Percentiles (latency from the
    scheduled send) and throughput_per_s are of the ok answers only; chat
    streams add ttft percentiles. Shares are of everything sent."""
    kinds = Counter(o.kind for o in outcomes)
    ok = [o for o in outcomes if o.kind == "ok"]
    n = len(outcomes)
    row = {
        "sent": n, "ok": kinds["ok"], "refused": kinds["refused"], "errors": kinds["error"],
        "timeouts": kinds["timeout"],
        **percentiles(o.latency_s * 1000 for o in ok),
        "throughput_per_s": len(ok) / wall_s if wall_s > 0 else float("nan"),
        "refused_share": kinds["refused"] / n if n else float("nan"),
        "failed_share": (kinds["error"] + kinds["timeout"]) / n if n else float("nan"),
        "errors_by_cause": dict(Counter(o.error_label for o in outcomes if o.kind == "error")),
        "retry_after_share": (sum(o.retry_after is not None for o in outcomes if o.kind == "refused") / kinds["refused"]
                              if kinds["refused"] else float("nan")),
        "late_share": sum(o.late_s > LATE_S for o in outcomes) / n if n else float("nan"),
        "max_late_ms": max((o.late_s for o in outcomes), default=0.0) * 1000,
        "wall_s": wall_s,
    }
    ttfts = [o.ttft_s * 1000 for o in ok if o.ttft_s is not None]
    if ttfts:
        row |= {f"ttft_{k}": v for k, v in percentiles(ttfts, (50, 95, 99)).items()}
        row["chunks_per_answer"] = sum(o.chunks for o in ok) / len(ok)
    return row


def print_table(title: str, rows: list[dict], columns: list[str]) -> None:
    print(f"\n## {title}")
    widths = {c: max(len(c), *(len(_fmt(r.get(c))) for r in rows)) for c in columns}
    print("  ".join(c.ljust(widths[c]) for c in columns))
    for row in rows:
        print("  ".join(_fmt(row.get(c)).ljust(widths[c]) for c in columns))


def plot_latency_vs_load(series: dict[str, list[dict]], path: str | Path, slo_ms: float | None = None,
                         title: str = "") -> Path:
    """A PNG: left, P50/P99/P99.9 of the ok answers against offered req/s (and the P99 bar, slo_ms); right,
    answered and sent per second against offered.

    `series` maps a label (an app, a config) to its rows (offered_per_s and the
    keys of `account`), one line per label and percentile."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    fig, (latency, throughput) = plt.subplots(1, 2, figsize=(12, 4.8))
    for i, (label, rows) in enumerate(series.items()):
        color = f"C{i}"
        x = [r["offered_per_s"] for r in rows]
        for key, style in (("p50_ms", ":"), ("p99_ms", "-"), ("p99.9_ms", "--")):
            latency.plot(x, [r[key] for r in rows], style, color=color, marker="o", markersize=3,
                         label=f"{label} {key[:-3].upper()}")
        throughput.plot(x, [r["throughput_per_s"] for r in rows], "-", color=color, marker="o", markersize=3,
                        label=f"{label} ok answers/s")
        throughput.plot(x, [r.get("sent_per_s", r["offered_per_s"]) for r in rows], ":", color=color,
                        linewidth=0.8, label=f"{label} sent/s")
    if slo_ms:
        latency.axhline(slo_ms, color="red", linewidth=0.8, label=f"P99 bar {slo_ms:g} ms")
    rates = [r["offered_per_s"] for rows in series.values() for r in rows]
    if rates and max(rates) >= 4 * min(rates):  # a geometric sweep: even steps on a log axis, ticks at the rates
        for ax in (latency, throughput):
            ax.set_xscale("log")
            ax.set_xticks(sorted(set(rates)), [f"{r:g}" for r in sorted(set(rates))])
            ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        throughput.set_yscale("log")
        throughput.set_yticks(sorted(set(rates)), [f"{r:g}" for r in sorted(set(rates))])
        throughput.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    latency.set(xlabel="offered load (req/s)", ylabel="latency from scheduled send (ms), ok answers",
                yscale="log", title="latency vs load")
    throughput.set(xlabel="offered load (req/s)", ylabel="ok answers / s", title="achieved throughput")
    for ax in (latency, throughput):
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=7)
    if title:
        fig.suptitle("\n".join(textwrap.wrap(title, 140)), fontsize=8)
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.4f}" if abs(value) < 1 else f"{value:.1f}"
    return "" if value is None else str(value)
