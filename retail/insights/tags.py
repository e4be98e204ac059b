"""Per-shopper tags from what they wrote (analysed reviews) and what they did (their profile), each with evidence.

Rules, not a model: a merchandiser must be able to read why a shopper is a
"gift buyer" (the evidence says which reviews) and to change the rule. The
thresholds below are deliberately plain; every tag needs more than one
signal or a clear single statement ("a gift for my son").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

from retail.insights.aspects import ASPECT_LABELS

GIFT = re.compile(r"\b(gift|present|birthday|christmas|xmas|stocking|for my (son|daughter|wife|husband|mum|mom|dad|"
                  r"father|mother|nephew|niece|grand\w+|kids?|boyfriend|girlfriend|partner|friend|brother|sister))\b",
                  re.IGNORECASE)
CHILDREN = re.compile(r"\b(my (son|daughter|kids?|baby|toddler|little one|boy|girl)|our (baby|son|daughter|kids?))\b",
                      re.IGNORECASE)
# Product-type words -> the shopper they make: matched against the types a shopper keeps coming back to.
PERSONAS = {"trail running": "trail runner", "running": "runner", "hiking": "hiker", "yoga": "yoga practitioner",
            "camping": "camper", "cycling": "cyclist", "bike": "cyclist", "gaming": "gamer", "coffee": "coffee lover",
            "skincare": "skincare fan", "dog": "dog owner", "cat": "cat owner", "baby": "parent", "toddler": "parent"}


@dataclass
class ItemFacts:
    """What tagging needs about the catalog: each product's category, type and price rank within its type."""

    category: dict[str, str]
    product_type: dict[str, str]
    price_rank: dict[str, float]  # 0 = cheapest of its type, 1 = dearest

    @classmethod
    def from_catalog(cls, products: pd.DataFrame) -> "ItemFacts":
        types = [str((a or {}).get("type") or "") if isinstance(a, dict) else "" for a in
                 products.get("attributes", pd.Series([None] * len(products)))]
        frame = pd.DataFrame({"product_id": products["product_id"].astype(str), "category": products.get("category"),
                              "type": types, "price": pd.to_numeric(products.get("price"), errors="coerce")})
        frame["rank"] = frame.groupby("type")["price"].rank(pct=True)
        return cls(dict(zip(frame["product_id"], frame["category"].astype(str))),
                   dict(zip(frame["product_id"], frame["type"])),
                   {p: float(r) for p, r in zip(frame["product_id"], frame["rank"]) if not np.isnan(r)})


def shopper_tags(reviews: pd.DataFrame, profile: dict | None, facts: ItemFacts) -> list[dict]:
    """``reviews``: the shopper's analysed reviews (InsightTable rows); ``profile``: ``/v1/shoppers`` without tags."""
    tags: list[dict] = []

    def tag(name: str, evidence: str) -> None:
        tags.append({"tag": name, "evidence": evidence})

    texts = list(reviews["text"]) if len(reviews) else []
    aspect_mentions = Counter(a["aspect"] for aspects in (reviews["aspects"] if len(reviews) else []) for a in aspects)
    n_reviews = len(texts)

    # Price: what they touch (its rank within its product type) and what they write about.
    items = [i["product_id"] for i in (profile or {}).get("recent_items", [])] + list(
        reviews["product_id"] if len(reviews) else [])
    ranks = [facts.price_rank[p] for p in dict.fromkeys(items) if p in facts.price_rank]
    value_talk = aspect_mentions.get("value", 0)
    if (len(ranks) >= 3 and np.median(ranks) <= 0.3) or (value_talk >= 2 and value_talk >= 0.5 * n_reviews):
        parts = []
        if len(ranks) >= 3:
            parts.append(f"the products they looked at sit at the {np.median(ranks):.0%} price rank of their type")
        if value_talk:
            parts.append(f"{value_talk} of {n_reviews} reviews talk about price or value")
        tag("price-sensitive", "; ".join(parts))
    elif len(ranks) >= 3 and np.median(ranks) >= 0.75:
        tag("premium shopper", f"the products they looked at sit at the {np.median(ranks):.0%} price rank of their type")

    gifts = [t for t in texts if GIFT.search(t)]
    if gifts:
        tag("gift buyer", f"{len(gifts)} review(s) mention a gift: \"{_quote(gifts[0], GIFT)}\"")
    children = [t for t in texts if CHILDREN.search(t)]
    categories = Counter(facts.category.get(p) for p in items)
    if len(children) >= 1 or categories.get("Baby", 0) >= 2:
        tag("parent", f"{len(children)} review(s) mention their children; {categories.get('Baby', 0)} baby products")

    # Personas from the product types they keep coming back to.
    types = Counter(facts.product_type.get(p, "") for p in items)
    for words, persona in PERSONAS.items():
        n = sum(count for kind, count in types.items() if words in kind)
        if n >= 2 and persona not in {t["tag"] for t in tags}:
            tag(persona, f"{n} interactions with {words} products")
            break
    affinity = (profile or {}).get("category_affinity") or {}
    if affinity:
        category, share = max(affinity.items(), key=lambda kv: kv[1])
        if share >= 0.5 and (profile or {}).get("events", 0) >= 5:
            tag(f"{category} enthusiast", f"{share:.0%} of their recent activity is in {category}")
    brands = (profile or {}).get("brand_affinity") or {}
    if brands:
        brand, share = max(brands.items(), key=lambda kv: kv[1])
        if share >= 0.5 and (profile or {}).get("events", 0) >= 5:
            tag(f"loyal to {brand}", f"{share:.0%} of their recent activity is {brand}")

    if n_reviews >= 3:
        for aspect, n in aspect_mentions.most_common(2):
            if n / n_reviews >= 0.5:
                tag(f"cares about {ASPECT_LABELS[aspect]}", f"{n} of {n_reviews} reviews talk about it")
        negative = float(np.mean(reviews["sentiment"] == "negative"))
        if negative >= 0.6:
            tag("critical reviewer", f"{negative:.0%} of {n_reviews} reviews are negative")
        elif float(np.mean(reviews["sentiment"] == "positive")) >= 0.8:
            tag("enthusiastic reviewer", f"{n_reviews} reviews, nearly all positive")
    propensity = (profile or {}).get("purchase_propensity")
    if propensity is not None and propensity >= 0.5:
        tag("likely to buy now", f"purchase propensity {propensity:.2f} in the current session")
    return tags


def _quote(text: str, pattern: re.Pattern, width: int = 60) -> str:
    match = pattern.search(text)
    start = max(0, match.start() - width // 2) if match else 0
    return text[start:start + width].strip()
