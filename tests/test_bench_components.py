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


def test_the_scann_corpus_embeds_each_distinct_title_once_and_resumes_from_saved_chunks(tmp_path, monkeypatch):
    from bench import scann_vs_exact
    from retail.demo_data import generate_catalog
    from retail.embedder import Embedder

    monkeypatch.setattr(scann_vs_exact, "artifacts_root", lambda: tmp_path)
    n, chunk = 300, 40
    titles = [row["title"] for row in generate_catalog(n, seed=7)]
    distinct = sorted(set(titles))
    assert len(distinct) < n  # generated titles repeat: what embedding each once saves
    # A run that stopped after its first chunk left that chunk on disk: the next one must use it, not redo it.
    (tmp_path / "bench").mkdir()
    np.save(tmp_path / "bench" / f"titles-{n}.part000-of-{len(distinct)}.npy", np.zeros((chunk, 384), np.float32))
    embedder = Embedder(device="cpu")
    vectors = scann_vs_exact.corpus_embeddings(n, embedder, chunk=chunk)
    assert vectors.shape == (n, 384)
    expected = embedder.encode(titles)
    from_saved = np.array([distinct.index(t) < chunk for t in titles])
    assert from_saved.any() and (~from_saved).any()
    assert np.all(vectors[from_saved] == 0)  # read back from the saved chunk
    assert np.allclose(vectors[~from_saved], expected[~from_saved], atol=1e-5)
    assert not list((tmp_path / "bench").glob("*.part*"))  # the chunks go once the whole cache is written
    assert np.array_equal(scann_vs_exact.corpus_embeddings(n, embedder, chunk=chunk), vectors)  # the cache
