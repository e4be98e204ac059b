"""The product catalog: its schema, loading through Ray Data, and validation.

A catalog is CSV, JSONL or Parquet with the columns of ``Product``. Loading
rejects a malformed file with a ``CatalogError`` that names the file, the
1-based data row and the column, so a retailer can fix the feed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from retail.paths import DEMO_QUERIES, DEMO_POLICIES

CATALOG_FORMATS = {".csv": "csv", ".jsonl": "json", ".json": "json", ".parquet": "parquet"}


class CatalogError(ValueError):
    """A catalog file that cannot be served; the message names row and column."""


class Product(BaseModel):
    """One catalog row. Strict enough to catch a broken feed, lenient on formats
    (CSV carries attributes as a JSON string, booleans as true/false/1/0)."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    product_id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    description: str = ""
    category: str = Field(min_length=1)
    brand: str = Field(min_length=1)
    price: float = Field(ge=0)
    attributes: dict[str, Any] = Field(default_factory=dict)
    in_stock: bool
    rating: float = Field(ge=0, le=5)
    review_count: int = Field(ge=0)

    @field_validator("product_id", mode="before")
    @classmethod
    def _id_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value

    @field_validator("attributes", mode="before")
    @classmethod
    def _attributes_from_json(cls, value: Any) -> Any:
        if value is None:
            return {}
        if isinstance(value, str):
            try:
                value = json.loads(value) if value.strip() else {}
            except json.JSONDecodeError as exc:
                raise ValueError(f"not a JSON object: {exc.msg}") from None
        if isinstance(value, dict):  # Parquet structs carry every key, None where absent
            return {k: v for k, v in value.items() if v is not None}
        return value


REQUIRED_COLUMNS = [name for name, field in Product.model_fields.items() if field.is_required()]


def product_text(row: Any) -> str:
    """The text a model sees for a product (embedder passage, reranker document).

    Attributes and price are spelled out because shoppers search by them
    ("waterproof", "under $80"). The description is left out: in the demo
    catalog it restates the attributes, and every token costs reranker latency
    on a CPU; a catalog whose descriptions say more can append them here."""
    attributes = row["attributes"]
    if isinstance(attributes, str):
        attributes = json.loads(attributes or "{}")
    attrs = ", ".join(f"{k}: {v}" for k, v in attributes.items())
    return f"{row['title']}. {row['category']} by {row['brand']}. {attrs}. ${row['price']:.2f}"


def _rows_to_frame(records: list[dict], source: str) -> pd.DataFrame:
    missing = [c for c in REQUIRED_COLUMNS if records and c not in records[0]]
    if missing:
        raise CatalogError(f"{source}: missing required column(s) {missing}; expected {list(Product.model_fields)}")
    products, seen = [], {}
    for row_number, record in enumerate(records, start=1):
        clean = {k: (None if _is_missing(v) else v) for k, v in record.items()}
        try:
            product = Product.model_validate(clean)
        except ValidationError as exc:
            err = exc.errors()[0]
            column = ".".join(str(p) for p in err["loc"]) or "?"
            raise CatalogError(
                f"{source}: row {row_number}, column '{column}': {err['msg']} (got {clean.get(str(err['loc'][0]))!r})"
            ) from None
        if product.product_id in seen:
            raise CatalogError(
                f"{source}: row {row_number}, column 'product_id': duplicate id {product.product_id!r} "
                f"(first seen in row {seen[product.product_id]})"
            )
        seen[product.product_id] = row_number
        products.append(product.model_dump())
    if not products:
        raise CatalogError(f"{source}: the catalog has no rows")
    return pd.DataFrame(products)


def _is_missing(value: Any) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):  # arrays and dicts are not "missing"
        return False


def _locate_bad_json_line(path: Path) -> str:
    for line_number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            json.loads(line)
        except json.JSONDecodeError as exc:
            return f"row {line_number}: not valid JSON ({exc.msg} at column {exc.colno})"
    return "unreadable JSON lines"


def load_catalog(path: str | Path) -> pd.DataFrame:
    """Read a CSV / JSONL / Parquet catalog through Ray Data and validate every row.

    Returns a DataFrame with the ``Product`` columns, attributes as dicts."""
    import ray.data  # deferred: serving code imports this module without Ray Data

    path = Path(path)
    fmt = CATALOG_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise CatalogError(f"{path}: unsupported catalog format {path.suffix!r}; use one of {sorted(CATALOG_FORMATS)}")
    if not path.exists():
        raise CatalogError(f"{path}: no such file")
    try:
        if fmt == "csv":
            # Read every column as text so a bad value reaches row validation
            # instead of failing inside Arrow's type inference.
            import csv

            import pyarrow as pa
            from pyarrow import csv as pacsv

            with path.open(newline="") as f:
                header = next(csv.reader(f), [])
            convert = pacsv.ConvertOptions(column_types={c: pa.string() for c in header})
            dataset = ray.data.read_csv(str(path), convert_options=convert)
        elif fmt == "json":
            dataset = ray.data.read_json(str(path), lines=True)
        else:
            dataset = ray.data.read_parquet(str(path))
        records = dataset.to_pandas().to_dict(orient="records")
    except CatalogError:
        raise
    except Exception as exc:  # Arrow's parse errors: find the row ourselves
        detail = _locate_bad_json_line(path) if fmt == "json" else str(exc).splitlines()[0]
        raise CatalogError(f"{path}: cannot parse {fmt.upper()}: {detail}") from exc
    return _rows_to_frame(records, str(path))


def load_queries(path: str | Path = DEMO_QUERIES, split: str | None = None) -> list[dict]:
    """Labelled shopper queries: {query_id, split, query, relevance: {product_id: grade}}."""
    rows = [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
    return [r for r in rows if split is None or r["split"] == split]


def load_policies(path: str | Path = DEMO_POLICIES) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
