"""Catalog loading through Ray Data (CSV / JSONL / Parquet) and the demo data set."""

import json
from collections import Counter

import pandas as pd
import pytest

from retail.catalog import CatalogError, load_catalog, load_policies, load_queries
from retail.paths import DEMO_CATALOG


@pytest.fixture(scope="module")
def demo_rows() -> list[dict]:
    return [json.loads(line) for line in DEMO_CATALOG.read_text().splitlines()]


def test_demo_catalog_is_realistic_enough_to_serve(ray_client):
    catalog = load_catalog(DEMO_CATALOG)
    assert len(catalog) >= 2000
    assert catalog["category"].nunique() >= 10
    assert catalog["product_id"].is_unique
    assert catalog["price"].gt(0).all() and catalog["rating"].between(0, 5).all()
    assert catalog["in_stock"].dtype == bool and 0.5 < catalog["in_stock"].mean() < 1.0
    assert all(isinstance(a, dict) and "type" in a for a in catalog["attributes"])


def test_demo_queries_and_policies():
    queries = load_queries()
    assert len(queries) >= 300
    splits = Counter(q["split"] for q in queries)
    assert set(splits) == {"train", "dev", "test"} and min(splits.values()) >= 60
    assert all(max(q["relevance"].values()) == 3 for q in queries)
    topics = {p["topic"] for p in load_policies()}
    assert {"returns", "shipping", "warranty", "payment"} <= topics


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["attributes"] = frame["attributes"].map(json.dumps)
    return frame


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_every_format_loads_to_the_same_catalog(ray_client, tmp_path, demo_rows, suffix):
    rows = demo_rows[:300]
    path = tmp_path / f"catalog{suffix}"
    if suffix == ".csv":
        _frame(rows).to_csv(path, index=False)
    elif suffix == ".parquet":
        pd.DataFrame(rows).to_parquet(path, index=False)  # attributes as a struct column
    else:
        path.write_text("\n".join(json.dumps(r) for r in rows))
    catalog = load_catalog(path)
    assert catalog["product_id"].tolist() == [r["product_id"] for r in rows]
    assert catalog["attributes"].tolist() == [r["attributes"] for r in rows]
    assert catalog["price"].tolist() == [r["price"] for r in rows]
    assert catalog["in_stock"].tolist() == [r["in_stock"] for r in rows]


def test_a_bad_csv_value_names_row_and_column(ray_client, tmp_path, demo_rows):
    frame = _frame(demo_rows[:10])
    frame["price"] = frame["price"].astype(object)
    frame.loc[6, "price"] = "twelve dollars"
    path = tmp_path / "bad.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(CatalogError, match=r"row 7, column 'price'"):
        load_catalog(path)


def test_broken_json_line_names_the_row(ray_client, tmp_path, demo_rows):
    lines = [json.dumps(r) for r in demo_rows[:10]]
    lines[4] = lines[4][:-10]  # truncated record
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines))
    with pytest.raises(CatalogError, match=r"row 5"):
        load_catalog(path)


def test_invalid_values_and_duplicates_are_refused(ray_client, tmp_path, demo_rows):
    rows = [dict(r) for r in demo_rows[:5]]
    rows[2]["rating"] = 7.5
    path = tmp_path / "rating.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows))
    with pytest.raises(CatalogError, match=r"row 3, column 'rating'"):
        load_catalog(path)

    rows = [dict(r) for r in demo_rows[:5]]
    rows[4]["product_id"] = rows[1]["product_id"]
    path.write_text("\n".join(json.dumps(r) for r in rows))
    with pytest.raises(CatalogError, match=r"row 5, column 'product_id': duplicate"):
        load_catalog(path)


def test_missing_columns_and_unknown_formats_are_refused(ray_client, tmp_path, demo_rows):
    frame = _frame(demo_rows[:5]).drop(columns=["title"])
    path = tmp_path / "no_title.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(CatalogError, match=r"missing required column\(s\) \['title'\]"):
        load_catalog(path)
    frame = _frame(demo_rows[:5]).drop(columns=["price", "brand", "category", "in_stock"])  # optional columns
    frame.to_csv(tmp_path / "no_price.csv", index=False)
    catalog = load_catalog(tmp_path / "no_price.csv")
    assert catalog["price"].isna().all() and catalog["brand"].isna().all() and len(catalog) == 5
    with pytest.raises(CatalogError, match="unsupported catalog format"):
        load_catalog(tmp_path / "catalog.xlsx")
