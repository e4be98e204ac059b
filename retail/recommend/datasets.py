"""The datasets recommenders are evaluated on: the demo shop (catalog + event log) and MovieLens-100k.

MovieLens-100k is read from the files inside the ``recbole==1.2.1`` wheel
(``pip install --no-deps recbole==1.2.1``; recbole itself is never imported:
it pins an old Ray). Each rating is a "view" at its timestamp; a movie's text
is its title, year and genres, and its category its first genre.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd

from retail.paths import MOVIELENS_100K
from retail.recommend.interactions import ItemTable

ITEM_COLUMNS = ["title", "category", "brand", "price", "in_stock", "rating"]


def item_table(products: pd.DataFrame, vectors: np.ndarray) -> ItemTable:
    """Items from catalog rows and their text vectors (the index's own, so served and trained items agree)."""
    frame = products.reset_index(drop=True).reindex(columns=["product_id", *ITEM_COLUMNS])
    vectors = np.asarray(vectors, np.float32)
    vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    return ItemTable(frame["product_id"].astype(str).to_numpy(), vectors, frame)


def movielens_dir() -> Path:
    spec = importlib.util.find_spec("recbole")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("MovieLens-100k ships in the recbole wheel: pip install --no-deps recbole==1.2.1 "
                                "(./cluster/setup.sh does)")
    return Path(list(spec.submodule_search_locations)[0]).parent / MOVIELENS_100K


def movielens_100k(embed) -> tuple[ItemTable, list[dict]]:
    """``embed(texts) -> unit vectors``. Returns the items and one view event per rating."""
    root = movielens_dir()
    movies = pd.read_csv(root / "ml-100k.item", sep="\t", dtype=str).fillna("")
    movies.columns = [c.split(":")[0] for c in movies.columns]
    ratings = pd.read_csv(root / "ml-100k.inter", sep="\t")
    ratings.columns = [c.split(":")[0] for c in ratings.columns]
    texts = (movies["movie_title"] + " (" + movies["release_year"] + ") " + movies["class"].str.replace(" ", ", ")).tolist()
    products = pd.DataFrame({"product_id": "M" + movies["item_id"], "title": movies["movie_title"],
                             "category": movies["class"].str.split(" ").str[0].replace("", "Unknown"),
                             "brand": None, "price": np.nan, "in_stock": True, "rating": np.nan})
    items = item_table(products, embed(texts))
    events = [{"user_id": f"U{u}", "type": "view", "product_id": f"M{i}", "timestamp": float(t)}
              for u, i, t in zip(ratings["user_id"], ratings["item_id"], ratings["timestamp"])]
    return items, events


def index_items(registry, index_version: str | None = None) -> tuple[ItemTable, str, str]:
    """The items of an index version (stable by default): its products and the very vectors search uses.

    Returns the items, the index version and the embedder version (which must embed texts for them)."""
    from retail.index import ProductIndex

    if index_version is None:
        index_version, directory = registry.require_stable("index", "python -m training.build_index")
    else:
        directory = registry.path("index", index_version)
    dense = ProductIndex.load(directory)
    return (item_table(dense.products, dense.embeddings), index_version,
            registry.manifest("index", index_version)["embedder_version"])


def demo_shop(registry, embedder) -> tuple[ItemTable, list[dict], dict[str, np.ndarray]]:
    """The demo catalog (as the stable index serves it), its event log, and the vectors of its search texts."""
    from retail.paths import DEMO_EVENTS
    from retail.recommend.store import read_event_log

    items, _, _ = index_items(registry)
    events = read_event_log(DEMO_EVENTS)
    return items, events, text_vectors(events, embedder)


def text_vectors(events: list[dict], embedder) -> dict[str, np.ndarray]:
    texts = sorted({e["text"] for e in events if e.get("text") and e["type"] in ("search", "chat_mention")})
    if not texts:
        return {}
    return dict(zip(texts, np.asarray(embedder.encode(texts), np.float32)))
