"""Where reviews come from: a review export (JSONL, CSV or Parquet) and the event store's ``review`` events.

A retailer's historical reviews arrive as a file; new ones arrive as
``review`` events through ``POST /v1/events`` (the event id is the review
id). Both become rows of one shape. A file row without its required fields
is refused naming the row and the column, as catalog rows are.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pandas as pd

REVIEW_FIELDS = ["review_id", "user_id", "product_id", "rating", "timestamp", "text"]
REQUIRED = ("review_id", "product_id", "text")


class BadReviews(ValueError):
    pass


def read_review_file(path: str | Path) -> pd.DataFrame:
    path = Path(path)
    name = path.name.removesuffix(".gz")
    if name.endswith(".jsonl") or name.endswith(".json"):
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as f:
            frame = pd.DataFrame([json.loads(line) for line in f if line.strip()])
    elif name.endswith(".csv"):
        frame = pd.read_csv(path, dtype={"review_id": str, "user_id": str, "product_id": str})
    elif name.endswith(".parquet"):
        frame = pd.read_parquet(path)
    else:
        raise BadReviews(f"{path}: reviews must be JSONL, CSV or Parquet")
    for column in REQUIRED:
        if column not in frame:
            raise BadReviews(f"{path}: the column {column!r} is missing")
        blank = frame[column].isna() | (frame[column].astype(str).str.strip() == "")
        if blank.any():
            raise BadReviews(f"{path}: row {int(blank.idxmax())} has no {column!r}")
    frame = frame.reindex(columns=REVIEW_FIELDS)
    frame["user_id"] = frame["user_id"].astype(object).where(frame["user_id"].notna(), "anonymous").astype(str)
    frame["timestamp"] = pd.to_numeric(frame["timestamp"], errors="coerce").fillna(0.0).astype(float)
    frame["rating"] = pd.to_numeric(frame["rating"], errors="coerce")
    return frame


def reviews_from_events(records: list[dict]) -> pd.DataFrame:
    """The ``review`` events that carry text (a rating alone has nothing to analyse)."""
    rows = [{"review_id": r["event_id"], "user_id": r["user_id"], "product_id": r["product_id"],
             "rating": r.get("rating"), "timestamp": float(r["timestamp"]), "text": r["text"]}
            for r in records if r.get("type") == "review" and r.get("text")]
    return pd.DataFrame(rows, columns=REVIEW_FIELDS)
