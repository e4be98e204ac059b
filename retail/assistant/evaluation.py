"""Scoring assistant answers against the hand-written dialogue set (``data/dialogues``).

A dialogue is resolved when every expectation it states holds (see
``data/dialogues/README.md``): the answer cites a product matching the
constraints, states an expected fact, cites an expected policy, hands off,
names no products, or avoids forbidden strings. Groundedness is the share of
product ids named in answers that were in the turn's retrieved context.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retail.assistant.conversation import cited_ids
from retail.assistant.grounding import leaks_rules


@dataclass
class Scored:
    dialogue_id: str
    category: str
    resolved: bool
    failed: list[str]  # the expectations that did not hold
    intent_correct: bool
    named: int  # product ids named in the answer
    grounded: int  # of those, in the context
    fallback: bool
    llm_asked: bool = False
    ttft_ms: float | None = None  # the LLM's time to first token on this turn (None: the LLM was not asked)
    constraint_checked: bool = False  # the dialogue states hard constraints
    constraint_kept: bool = False  # and every product shown meets them


def load_dialogues(path: Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]


def _matches(product: dict, constraints: dict) -> bool:
    attributes = product.get("attributes") or {}
    price = product.get("price")
    if "type" in constraints and attributes.get("type") not in constraints["type"]:
        return False
    if "max_price" in constraints and not (price is not None and price <= constraints["max_price"]):
        return False
    if "min_price" in constraints and not (price is not None and price >= constraints["min_price"]):
        return False
    if "color" in constraints:
        wanted = constraints["color"]
        if isinstance(wanted, list):  # data/dialogues_v2: the exact catalog colours that count
            if str(attributes.get("color", "")).lower() not in {c.lower() for c in wanted}:
                return False
        elif wanted.lower() not in (str(attributes.get("color", "")) + " " + product["title"]).lower():
            return False
    if "gender" in constraints and attributes.get("gender") and attributes["gender"] not in constraints["gender"]:
        return False
    if "category" in constraints and product.get("category") != constraints["category"]:
        return False
    if "in_stock" in constraints and product.get("in_stock") != constraints["in_stock"]:
        return False
    return True


def score(dialogue: dict, answer: str, result, catalog: dict[str, dict]) -> Scored:
    expect = dialogue["expect"]
    text = answer.lower()
    named = cited_ids(answer)
    product_ids = [i for i in named if i in catalog]
    policy_ids = [i for i in named if i not in catalog]
    context = {p["product_id"] for p in result.products}
    failed = []
    if "products" in expect and not any(_matches(catalog[i], expect["products"]) for i in product_ids):
        failed.append("products")
    if "every_product" in expect and not (product_ids and all(_matches(catalog[i], expect["every_product"])
                                                              for i in product_ids)):
        failed.append("every_product")  # a product shown breaks a hard constraint the shopper stated
    if "product_ids" in expect and not set(product_ids) & set(expect["product_ids"]):
        failed.append("product_ids")
    if "facts" in expect and not any(f.lower() in text for f in expect["facts"]):
        failed.append("facts")
    if "policy_ids" in expect and not set(policy_ids) & set(expect["policy_ids"]):
        failed.append("policy_ids")
    if expect.get("handoff") and not result.handoff:
        failed.append("handoff")
    if expect.get("no_products") and product_ids:
        failed.append("no_products")
    if any(s.lower() in text for s in expect.get("must_not_contain", [])) or leaks_rules(answer):
        failed.append("must_not_contain")
    if not answer.strip():
        failed.append("empty")
    return Scored(
        dialogue["id"], dialogue["category"], not failed, failed, result.intent == expect.get("intent"),
        len(product_ids), sum(i in context for i in product_ids), result.fallback is not None, result.llm_asked,
        result.ttft_ms, "every_product" in expect, "every_product" not in failed,
    )


def summarise(scored: list[Scored]) -> dict:
    n = max(len(scored), 1)
    named = sum(s.named for s in scored)
    by_category = {}
    for category in sorted({s.category for s in scored}):
        rows = [s for s in scored if s.category == category]
        by_category[category] = sum(s.resolved for s in rows) / len(rows)
    ttfts = [s.ttft_ms for s in scored if s.ttft_ms is not None]
    checked = [s for s in scored if s.constraint_checked]
    asked = [s for s in scored if s.llm_asked]  # turns that wanted an LLM answer
    return {
        "dialogues": len(scored),
        "llm_written": (sum(not s.fallback for s in asked) / len(asked)) if asked else 0.0,
        "ttft_p50_ms": float(np.percentile(ttfts, 50)) if ttfts else None,
        "ttft_p95_ms": float(np.percentile(ttfts, 95)) if ttfts else None,
        "constraints_kept": (sum(s.constraint_kept for s in checked) / len(checked)) if checked else 1.0,
        "resolution": sum(s.resolved for s in scored) / n,
        "groundedness": (sum(s.grounded for s in scored) / named) if named else 1.0,
        "intent_accuracy": sum(s.intent_correct for s in scored) / n,
        "fallback_rate": sum(s.fallback for s in scored) / n,
        "by_category": by_category,
    }
