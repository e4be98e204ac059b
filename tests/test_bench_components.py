"""bench.components on a CPU, small sizes: every row is there with sane latencies, and exact search is exact.

No Ray: none of the fixtures in conftest.py are used.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from bench import components


def test_quick_run_has_rows_with_finite_latencies(tmp_path):
    out = tmp_path / "rows.json"
    rows = components.main(["--quick", "--random-weights", "--device", "cpu", "--sections", "embed,rerank,exact",
                            "--json", str(out)])

    by_section = {s: [r for r in rows if r["section"] == s] for s in ("embed", "rerank", "exact", "chat")}
    assert [r["batch"] for r in by_section["embed"]] == [1, 8]
    assert [(r["backend"], r["pairs"]) for r in by_section["rerank"]] == [("eager", 10)]
    assert [r["batch"] for r in by_section["exact"]] == [1, 32]
    assert by_section["chat"] == []
    for row in rows:
        assert row.get("status", "ok") == "ok", row
        assert "RANDOM" in row.get("weights", "RANDOM")
        for key in ("p50_ms", "p99_ms"):
            assert math.isfinite(row[key]) and row[key] > 0, row
        assert row["p99_ms"] >= row["p50_ms"]
    for row in by_section["exact"]:
        assert row["recall_at_10_vs_numpy"] == 1.0
    assert by_section["embed"][0]["x_vs_batch1"] == 1.0
    assert out.exists() and '"rows"' in out.read_text()


def test_exact_topk_is_the_true_top10():
    vectors = components.unit_vectors(3_000, torch.device("cpu"), torch.float32, seed=7)
    queries = components.unit_vectors(5, torch.device("cpu"), torch.float32, seed=8)
    scores, ids = components.exact_topk(vectors, queries)

    full = queries.numpy() @ vectors.numpy().T
    expected = np.argsort(-full, axis=1)[:, :10]
    np.testing.assert_array_equal(ids.numpy(), expected)
    np.testing.assert_allclose(scores.numpy(), np.take_along_axis(full, expected, axis=1), rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(components.numpy_topk(vectors.numpy(), queries.numpy()), expected)
