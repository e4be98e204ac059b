"""The demo shopper event log: generated once, deterministic, shipped as ``data/demo/events.jsonl.gz``.

    python -m retail.recommend.demo_events          # rewrites the file (same seed, same bytes)

Shoppers have latent preferences that no event states outright: one to three
favourite categories, favourite brands, a price level (budget, mid, premium
within each product type), colours, and a gender for apparel. Each visit is a
session with a mission (a product type in a favourite category, now and then
another one, or a product type next to the last purchase): maybe a search,
views drawn by how well products suit the shopper and how popular they are,
clicks, add-to-carts, sometimes a purchase and a rated review. Product
popularity is heavy-tailed, so most products are long tail. That gives a
recommender a signal to find (taste that spans many products) and a trap to
avoid (popularity alone).
"""

from __future__ import annotations

import gzip
import json
import math
from collections import defaultdict
from datetime import datetime, timezone

import numpy as np
import pandas as pd

from retail.catalog import load_catalog
from retail.paths import DEMO_CATALOG, DEMO_EVENTS

SEED = 20261125
SHOPPERS = 1500
START = datetime(2026, 9, 28, tzinfo=timezone.utc).timestamp()
WEEKS = 8


def _price_level(products: pd.DataFrame) -> np.ndarray:
    """Each product's price as a quantile within its product type (0 cheapest, 1 dearest)."""
    return products.groupby("type")["price"].rank(pct=True).fillna(0.5).to_numpy()


def generate(products: pd.DataFrame, shoppers: int = SHOPPERS, seed: int = SEED) -> list[dict]:
    rng = np.random.default_rng(seed)
    products = products.reset_index(drop=True).copy()
    products["type"] = [a.get("type", "") if isinstance(a, dict) else "" for a in products["attributes"]]
    products["color"] = [(a.get("color") or "") if isinstance(a, dict) else "" for a in products["attributes"]]
    products["gender"] = [(a.get("gender") or "") if isinstance(a, dict) else "" for a in products["attributes"]]
    ids = products["product_id"].to_numpy()
    categories = sorted(products["category"].unique())
    brands = sorted(products["brand"].unique())
    colours = sorted(c for c in products["color"].unique() if c)
    level = _price_level(products)
    # Heavy-tailed appeal: a few products everyone looks at, most rarely seen.
    appeal = rng.lognormal(0.0, 1.1, len(products))
    types_of = {c: sorted(products.loc[products["category"] == c, "type"].unique()) for c in categories}
    rows_of_type = {t: np.flatnonzero(products["type"].to_numpy() == t) for t in products["type"].unique()}
    brand_index = {b: i for i, b in enumerate(brands)}
    brand_col = np.array([brand_index[b] for b in products["brand"]])
    colour_col = products["color"].to_numpy()
    gender_col = products["gender"].to_numpy()

    events: list[dict] = []
    for s in range(shoppers):
        user = f"S{s + 1:05d}"
        taste = rng.dirichlet(np.full(len(categories), 0.15))
        favourite_cats = [categories[i] for i in np.argsort(-taste)[: rng.integers(1, 4)]]
        brand_love = np.zeros(len(brands))
        brand_love[rng.choice(len(brands), size=6, replace=False)] = rng.uniform(1.0, 2.5, 6)
        price_pref = rng.choice([0.15, 0.5, 0.85], p=[0.4, 0.4, 0.2])
        price_care = rng.uniform(2.0, 6.0)
        liked_colours = set(rng.choice(colours, size=2, replace=False))
        gender = rng.choice(["men", "women"])
        n_sessions = 1 + rng.poisson(3.0)
        session_starts = np.sort(rng.uniform(START, START + WEEKS * 7 * 86400, n_sessions))
        last_bought_type = None
        for n, t0 in enumerate(session_starts):
            if last_bought_type and rng.random() < 0.35:  # the next thing for what was just bought
                category = products.loc[rows_of_type[last_bought_type][0], "category"]
                mission = rng.choice(types_of[category])
            else:
                category = favourite_cats[0] if rng.random() < 0.5 else rng.choice(
                    favourite_cats if rng.random() < 0.85 else categories)
                mission = rng.choice(types_of[category])
            rows = rows_of_type[mission]
            utility = (0.6 * np.log(appeal[rows]) + brand_love[brand_col[rows]]
                       - price_care * np.abs(level[rows] - price_pref)
                       + 1.2 * np.array([c in liked_colours for c in colour_col[rows]])
                       - 2.0 * np.array([g not in ("", "unisex", gender, "kids") for g in gender_col[rows]]))
            p = np.exp(utility - utility.max())
            p /= p.sum()
            session = f"{user}-{n + 1}"
            t = float(t0)

            def emit(kind: str, **fields) -> None:
                nonlocal t
                t += float(rng.uniform(5, 90))
                events.append({"event_id": f"demo-{len(events):07d}", "user_id": user, "type": kind,
                               "session_id": session, "timestamp": round(t, 3), **fields})

            if rng.random() < 0.4:
                words = [mission]
                if rng.random() < 0.4 and liked_colours:
                    words.insert(0, sorted(liked_colours)[0])
                if rng.random() < 0.3:
                    words.insert(0, brands[int(np.argmax(brand_love))].lower())
                emit("search", text=" ".join(words))
            n_views = min(len(rows), 1 + rng.poisson(3.0))
            viewed = rng.choice(rows, size=n_views, replace=False, p=p)
            for row in viewed:
                emit("view", product_id=str(ids[row]))
                fit = utility[np.flatnonzero(rows == row)[0]] - utility.max()
                if rng.random() < 0.5:
                    emit("click", product_id=str(ids[row]))
                    if rng.random() < 0.35 * math.exp(fit / 3):
                        emit("add_to_cart", product_id=str(ids[row]))
                        if rng.random() < 0.55:
                            emit("purchase", product_id=str(ids[row]))
                            last_bought_type = mission
                            if rng.random() < 0.3:
                                rating = int(np.clip(round(4.2 + fit / 2 + rng.normal(0, 0.8)), 1, 5))
                                emit("review", product_id=str(ids[row]), rating=rating)
    events.sort(key=lambda e: e["timestamp"])
    return events


def main() -> None:
    events = generate(load_catalog(DEMO_CATALOG, use_ray=False))
    DEMO_EVENTS.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same events give the same bytes, so the shipped file only changes when the generator does.
    with open(DEMO_EVENTS, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        for event in events:
            f.write((json.dumps(event, separators=(",", ":")) + "\n").encode())
    counts = defaultdict(int)
    for e in events:
        counts[e["type"]] += 1
    print(f"{len(events)} events by {len({e['user_id'] for e in events})} shoppers -> {DEMO_EVENTS}: {dict(counts)}")


if __name__ == "__main__":
    main()
