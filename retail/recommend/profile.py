"""A shopper's profile, computed from their latest events (so it is as fresh as the last accepted event).

What it holds: recent items, category and brand affinities, a price band, an
interest vector (a time-decayed, event-weighted mix of the text vectors of the
items they touched and of what they searched for or asked the assistant
about), review sentiment, and a purchase propensity (from the sequential
model when one is serving, else from the session so far).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from retail.recommend.interactions import EVENT_WEIGHT, ItemTable, Step, shopper_steps

HALF_LIFE_DAYS = 14.0
TEXT_WEIGHT = {"search": 1.5, "chat_mention": 2.0, "review": 1.0}


@dataclass
class ShopperProfile:
    user_id: str
    events: int
    steps: list[Step]
    recent_items: list[dict] = field(default_factory=list)  # newest first: product_id, title, event
    category_affinity: dict[str, float] = field(default_factory=dict)  # shares, summing to 1
    brand_affinity: dict[str, float] = field(default_factory=dict)
    price_band: tuple[float, float] | None = None
    interest: np.ndarray | None = None  # unit vector, or None for a shopper with nothing to go on
    recent_texts: list[str] = field(default_factory=list)  # newest first
    sentiment: float | None = None  # mean review rating mapped to [-1, 1]
    propensity: float | None = None
    last_seen: float | None = None

    def public(self, top: int = 5) -> dict:
        def best(d: dict[str, float]) -> dict[str, float]:
            return {k: round(v, 4) for k, v in sorted(d.items(), key=lambda kv: -kv[1])[:top]}

        return {
            "user_id": self.user_id, "events": self.events, "known": self.events > 0,
            "recent_items": self.recent_items, "category_affinity": best(self.category_affinity),
            "brand_affinity": best(self.brand_affinity),
            "price_band": list(self.price_band) if self.price_band else None,
            "recent_searches": self.recent_texts[:5],
            "interest_vector_dims": None if self.interest is None else int(self.interest.shape[0]),
            "review_sentiment": None if self.sentiment is None else round(self.sentiment, 3),
            "purchase_propensity": None if self.propensity is None else round(self.propensity, 4),
            "last_seen": self.last_seen,
        }


def build_profile(user_id: str, events: list[dict], items: ItemTable, text_vectors: dict[str, np.ndarray],
                  half_life_days: float = HALF_LIFE_DAYS, recent: int = 10) -> ShopperProfile:
    """``text_vectors``: unit vectors of the texts in ``events`` (searches, mentions), keyed by text."""
    steps = shopper_steps(events, items)
    profile = ShopperProfile(user_id, len(events), steps)
    if not events:
        return profile
    now = max(e["timestamp"] for e in events)
    profile.last_seen = now
    decay = np.log(2) / (half_life_days * 86400)
    categories, brands = Counter(), Counter()
    prices, ratings = [], []
    vector = np.zeros(items.vectors.shape[1], dtype=np.float64)
    category, brand, price, title = (items.column(c) for c in ("category", "brand", "price", "title"))
    seen = set()
    for e in sorted(events, key=lambda e: -e["timestamp"]):
        w_time = float(np.exp(-decay * (now - e["timestamp"])))
        row = items.row_of.get(e.get("product_id")) if e.get("product_id") else None
        if row is not None:
            w = EVENT_WEIGHT.get(e["type"], 1.0) * w_time
            if e["type"] == "review" and e.get("rating"):
                w *= (e["rating"] - 2) / 3  # a 1-star review pushes away, a 5-star pulls
                ratings.append(e["rating"])
            vector += w * items.vectors[row]
            if w > 0:
                categories[category[row]] += w
                brands[brand[row]] += w
                if price[row] is not None and np.isfinite(price[row]):
                    prices.append(float(price[row]))
            if row not in seen and len(profile.recent_items) < recent:
                seen.add(row)
                profile.recent_items.append({"product_id": items.ids[row], "title": title[row], "event": e["type"]})
        text = e.get("text")
        if text and e["type"] in TEXT_WEIGHT and text in text_vectors:
            vector += TEXT_WEIGHT[e["type"]] * w_time * text_vectors[text]
            if e["type"] != "review" and text not in profile.recent_texts:
                profile.recent_texts.append(text)
    norm = np.linalg.norm(vector)
    profile.interest = (vector / norm).astype(np.float32) if norm > 0 else None
    profile.category_affinity = _shares(categories)
    profile.brand_affinity = _shares(brands)
    if prices:
        low, high = np.percentile(prices, [25, 75])
        profile.price_band = (round(float(low), 2), round(float(high), 2))
    if ratings:
        profile.sentiment = float(np.mean([(r - 3) / 2 for r in ratings]))
    return profile


def _shares(counter: Counter) -> dict[str, float]:
    total = sum(v for v in counter.values() if v > 0)
    return {str(k): v / total for k, v in counter.items() if v > 0 and k is not None} if total else {}


def session_propensity(steps: list[Step]) -> float:
    """Without a sequential model: the share of the current session's steps that reached the cart."""
    if not steps:
        return 0.0
    session = steps[-1].session
    current = [s for s in steps if s.session == session] if session else steps[-5:]
    return float(np.mean([s.type_id >= 4 for s in current]))
