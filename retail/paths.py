"""Where the project's data and artifacts live on local disk."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEMO_DATA_DIR = REPO_ROOT / "data" / "demo"
DEMO_CATALOG = DEMO_DATA_DIR / "catalog.jsonl"
DEMO_QUERIES = DEMO_DATA_DIR / "queries.jsonl"
DEMO_POLICIES = DEMO_DATA_DIR / "policies.jsonl"
# Written independently of the demo generator: evaluation only, never training.
OOD_DATA_DIR = REPO_ROOT / "data" / "ood"
OOD_CATALOG = OOD_DATA_DIR / "catalog.jsonl"
OOD_QUERIES = OOD_DATA_DIR / "queries.jsonl"


def artifacts_root() -> Path:
    """The model registry root: ``$RETAIL_ARTIFACTS`` or ``<repo>/artifacts``."""
    return Path(os.environ.get("RETAIL_ARTIFACTS", REPO_ROOT / "artifacts")).resolve()
DEMO_INTENTS = DEMO_DATA_DIR / "intents.jsonl"
# Hand-written, independently of every generator: chat evaluation only.
DIALOGUE_DIR = REPO_ROOT / "data" / "dialogues"
DIALOGUES = DIALOGUE_DIR / "dialogues.jsonl"
HELDOUT_INTENTS = DIALOGUE_DIR / "intents_heldout.jsonl"
# A second set by another independent author, weighted to needs without product words and multi-turn refinements,
# with hard constraints every product shown must meet.
DIALOGUES_V2 = REPO_ROOT / "data" / "dialogues_v2" / "dialogues.jsonl"
# A third author's set, for debugging the assistant (looked at freely; never the acceptance number).
DIALOGUES_DEV = REPO_ROOT / "data" / "dialogues_dev" / "dialogues.jsonl"
# Shopper behaviour (generated once by retail.recommend.demo_events) and where accepted events are kept.
DEMO_EVENTS = DEMO_DATA_DIR / "events.jsonl.gz"
MOVIELENS_100K = "recbole/dataset_example/ml-100k"  # inside the recbole wheel's files (read, never imported)


def events_url() -> str:
    """The event store: ``$RETAIL_EVENTS`` (sqlite path or redis:// URL), else ``<artifacts>/events/events.db``."""
    return os.environ.get("RETAIL_EVENTS") or str(artifacts_root() / "events" / "events.db")
# Reviews: generated demo reviews (training and the demo's insight), and the hand-written held-out set (evaluation).
DEMO_REVIEWS = DEMO_DATA_DIR / "reviews.jsonl.gz"
HELDOUT_REVIEWS = REPO_ROOT / "data" / "reviews_heldout" / "reviews.jsonl"
