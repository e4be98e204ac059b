"""The product catalog: its schema, loading through Ray Data, and validation.

A catalog is CSV, JSONL or Parquet with the columns of ``Product``. Only
``product_id`` and ``title`` are required: real feeds often carry nothing else,
and inventing a category, price or stock for them would mislead filters and
rankers. A missing value stays missing (None / NaN): the product text leaves
it out and no filter matches it. Loading rejects a malformed file with a
``CatalogError`` that names the file, the 1-based data row and the column, so a
retailer can fix the feed.
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
    (CSV carries attributes as a JSON string, booleans as true/false/1/0).
    Everything but the id and the title is optional."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    product_id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    description: str | None = None
    category: str | None = Field(None, min_length=1)
    brand: str | None = Field(None, min_length=1)
    price: float | None = Field(None, ge=0)
    attributes: dict[str, Any] = Field(default_factory=dict)
    in_stock: bool | None = None
    rating: float | None = Field(None, ge=0, le=5)
    review_count: int | None = Field(None, ge=0)

    @field_validator("category", "brand", "description", "price", "in_stock", "rating", "review_count", mode="before")
    @classmethod
    def _blank_is_missing(cls, value: Any) -> Any:  # an empty CSV cell is a missing value
        return None if isinstance(value, str) and not value.strip() else value

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


def present(value: Any) -> bool:
    """False for the ways a feed says "missing": None, NaN, an empty string."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return False
    return not _is_missing(value)


def product_attributes(row: Any) -> dict[str, Any]:
    attributes = row.get("attributes") if hasattr(row, "get") else row["attributes"]
    if isinstance(attributes, str):
        attributes = json.loads(attributes or "{}")
    return attributes if isinstance(attributes, dict) else {}


def product_text(row: Any) -> str:
    """The text a model sees for a product (embedder passage, reranker document).

    Title first (it carries most of the meaning and survives truncation), then
    whatever the feed has of category, brand, attributes and price, because
    shoppers search by them ("waterproof", "under $80"). A field the feed lacks
    is left out rather than written as a placeholder. The description is left
    to the lexical index (``search_text``): it is long, and every token costs
    cross-encoder latency on a CPU."""
    get = row.get if hasattr(row, "get") else row.__getitem__
    parts = [str(get("title")).strip()]
    category, brand = get("category"), get("brand")
    if present(category) and present(brand):
        parts.append(f"{category} by {brand}")
    elif present(category) or present(brand):
        parts.append(str(category if present(category) else brand))
    attrs = ", ".join(f"{k}: {v}" for k, v in product_attributes(row).items() if present(v))
    if attrs:
        parts.append(attrs)
    if present(get("price")):
        parts.append(f"${float(get('price')):.2f}")
    return ". ".join(parts)


def search_text(row: Any) -> str:
    """What the lexical (BM25) index matches against: the product text plus the description."""
    description = row.get("description") if hasattr(row, "get") else row["description"]
    text = product_text(row)
    return f"{text}. {description}" if present(description) else text


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
    frame = pd.DataFrame(products, columns=list(Product.model_fields))
    # Numbers stay numeric with NaN for missing (filters compare NaN as false);
    # stock stays bool where every row has it, object with None otherwise.
    for column in ("price", "rating", "review_count"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    if frame["in_stock"].notna().all():
        frame["in_stock"] = frame["in_stock"].astype(bool)
    return frame


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


def load_catalog(path: str | Path, use_ray: bool = True) -> pd.DataFrame:
    """Read a CSV / JSONL / Parquet catalog through Ray Data and validate every row.

    Returns a DataFrame with the ``Product`` columns, attributes as dicts.
    ``use_ray=False`` reads with pandas instead: for small evaluation catalogs
    in processes that have no Ray cluster to join."""
    path = Path(path)
    fmt = CATALOG_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise CatalogError(f"{path}: unsupported catalog format {path.suffix!r}; use one of {sorted(CATALOG_FORMATS)}")
    if not path.exists():
        raise CatalogError(f"{path}: no such file")
    if not use_ray:
        return _load_with_pandas(path, fmt)
    import ray.data  # deferred: serving code imports this module without Ray Data

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


def _load_with_pandas(path: Path, fmt: str) -> pd.DataFrame:
    try:
        if fmt == "csv":
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        elif fmt == "json":
            frame = pd.DataFrame([json.loads(line) for line in path.read_text().splitlines() if line.strip()])
        else:
            frame = pd.read_parquet(path)
    except (ValueError, OSError) as exc:
        detail = _locate_bad_json_line(path) if fmt == "json" else str(exc).splitlines()[0]
        raise CatalogError(f"{path}: cannot parse {fmt.upper()}: {detail}") from exc
    return _rows_to_frame(frame.to_dict(orient="records"), str(path))


def load_queries(path: str | Path = DEMO_QUERIES, split: str | None = None) -> list[dict]:
    """Labelled shopper queries: {query_id, split, query, relevance: {product_id: grade}}."""
    rows = [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
    return [r for r in rows if split is None or r["split"] == split]


def load_policies(path: str | Path = DEMO_POLICIES) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
