"""Validate the hand-written dialogue and intent evaluation sets against the demo data.

Run from anywhere:  python data/dialogues/check.py
Exits non-zero and lists every problem when something is wrong.

Checks
- dialogues.jsonl: schema, unique ids, allowed categories/intents/roles, history ends with a
  user turn, minimum count per category.
- context_product_id / product_ids / policy_ids exist in the demo catalog / policies.
- every [Pxxxxx] cited in a prior assistant turn exists, and the turn states that product's
  real title and price (as $12.34 or $12.3 / $12).
- every "products" constraint matches at least 3 catalog products (in stock or not).
- every "facts" value appears literally (case-insensitive) in the description/attributes of at
  least one referenced product (context_product_id or product_ids), or in the text of at least
  one referenced policy.
- "compare the first two" style turns: product_ids of length 2 equal the first two products
  cited in the last assistant turn (checked when the last user turn mentions "first two").
- intents_heldout.jsonl: schema, allowed intents, >= 25 per intent, no duplicate texts, no text
  equal to a dialogue user message.
"""
from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEMO = HERE.parent / "demo"

CATEGORIES = {
    "product_need": 14, "spec_question": 12, "policy_question": 14, "multi_turn": 12,
    "small_talk": 6, "human": 6, "order_help": 6, "out_of_scope": 6, "injection": 8,
}
INTENTS = {"product_search", "product_question", "policy_question", "order_help",
           "small_talk", "human_agent", "out_of_scope"}
EXPECT_KEYS = {"intent", "products", "product_ids", "facts", "policy_ids", "handoff",
               "no_products", "must_not_contain"}
PRODUCT_KEYS = {"type", "max_price", "color", "category", "in_stock"}
CITE = re.compile(r"\[(P\d{5})\]")


def load_jsonl(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:  # pragma: no cover - reported below
                raise SystemExit(f"{path.name}:{n}: invalid JSON: {e}")
    return rows


def product_text(p: dict) -> str:
    parts = [p.get("description", "")]
    for k, v in p.get("attributes", {}).items():
        parts.append(f"{k}: {v}")
    return "\n".join(parts).lower()


def price_forms(price: float) -> list[str]:
    forms = {f"${price:.2f}"}
    if float(price).is_integer():
        forms.add(f"${int(price)}")
    return sorted(forms)


def matches(p: dict, c: dict) -> bool:
    a = p.get("attributes", {})
    if "type" in c and a.get("type") not in c["type"]:
        return False
    if "max_price" in c and p["price"] > c["max_price"]:
        return False
    if "color" in c and (a.get("color") or "").lower() != c["color"].lower():
        return False
    if "category" in c and p.get("category") != c["category"]:
        return False
    if "in_stock" in c and p.get("in_stock") != c["in_stock"]:
        return False
    return True


def check_dialogues(catalog: dict, policies: dict, errors: list[str]) -> list[dict]:
    rows = load_jsonl(HERE / "dialogues.jsonl")
    ids = Counter(r.get("id") for r in rows)
    for i, n in ids.items():
        if n > 1:
            errors.append(f"duplicate dialogue id {i}")
    cats = Counter()
    for d in rows:
        did = d.get("id", "?")
        err = lambda m: errors.append(f"{did}: {m}")
        if not re.fullmatch(r"D\d{3}", str(d.get("id"))):
            err("bad id")
        cat = d.get("category")
        if cat not in CATEGORIES:
            err(f"bad category {cat!r}")
        cats[cat] += 1
        extra = set(d) - {"id", "category", "context_product_id", "messages", "expect"}
        if extra:
            err(f"unknown top-level keys {sorted(extra)}")
        ctx = d.get("context_product_id")
        if ctx is not None and ctx not in catalog:
            err(f"context_product_id {ctx} not in catalog")

        msgs = d.get("messages") or []
        if not msgs or msgs[-1].get("role") != "user":
            err("messages must be non-empty and end with a user message")
        for m in msgs:
            if m.get("role") not in ("user", "assistant") or not isinstance(m.get("content"), str) \
                    or not m["content"].strip():
                err(f"bad message {m!r}")
            if m.get("role") == "assistant":
                for pid in CITE.findall(m["content"]):
                    p = catalog.get(pid)
                    if p is None:
                        err(f"assistant cites unknown product {pid}")
                        continue
                    if p["title"] not in m["content"]:
                        err(f"assistant turn cites {pid} without its real title {p['title']!r}")
                    if not any(f in m["content"] for f in price_forms(p["price"])):
                        err(f"assistant turn cites {pid} without its real price {p['price']}")

        e = d.get("expect") or {}
        extra = set(e) - EXPECT_KEYS
        if extra:
            err(f"unknown expect keys {sorted(extra)}")
        if e.get("intent") not in INTENTS:
            err(f"bad intent {e.get('intent')!r}")

        prods = e.get("products")
        if prods is not None:
            if set(prods) - PRODUCT_KEYS:
                err(f"unknown products keys {sorted(set(prods) - PRODUCT_KEYS)}")
            if not isinstance(prods.get("type"), list) or not prods["type"]:
                err("products.type must be a non-empty list")
            else:
                known_types = {p["attributes"]["type"] for p in catalog.values()}
                for t in prods["type"]:
                    if t not in known_types:
                        err(f"products.type {t!r} not a catalog type")
                n = sum(matches(p, prods) for p in catalog.values())
                if n < 3:
                    err(f"products constraint {prods} matches only {n} catalog products")

        pids = e.get("product_ids") or []
        for pid in pids:
            if pid not in catalog:
                err(f"product_ids {pid} not in catalog")
        for pol in e.get("policy_ids") or []:
            if pol not in policies:
                err(f"policy_ids {pol} not in policies")

        facts = e.get("facts")
        if facts is not None:
            if not facts or not all(isinstance(f, str) and f.strip() for f in facts):
                err("facts must be a non-empty list of strings")
            sources = []
            for pid in ([ctx] if ctx else []) + pids:
                if pid in catalog:
                    sources.append(product_text(catalog[pid]))
            for pol in e.get("policy_ids") or []:
                if pol in policies:
                    sources.append(policies[pol]["text"].lower())
            if not sources:
                err("facts given but no product or policy to check them against")
            for f in facts:
                if not any(f.lower() in s for s in sources):
                    # every listed alternative must be attested somewhere
                    err(f"fact {f!r} not found in referenced product/policy text")
            if pids and ctx is None and e.get("intent") == "product_question":
                # by-name spec question: the fact should hold for every acceptable product
                for pid in pids:
                    if pid in catalog and not any(f.lower() in product_text(catalog[pid]) for f in facts):
                        err(f"no fact holds for acceptable product {pid}")
            if ctx is not None and e.get("intent") == "product_question":
                if not any(f.lower() in product_text(catalog[ctx]) for f in facts if ctx in catalog):
                    err(f"no fact holds for the viewed product {ctx}")

        if e.get("no_products") and (prods or pids):
            err("no_products together with products/product_ids")
        if e.get("intent") in ("small_talk", "out_of_scope") and cat != "injection" and not e.get("no_products"):
            err("small_talk / out_of_scope dialogues should set no_products")
        if e.get("intent") == "human_agent" and not e.get("handoff"):
            err("human_agent dialogues should set handoff")
        if cat == "order_help" and not (e.get("policy_ids") and e.get("handoff")):
            err("order_help dialogues need both policy_ids and handoff")
        if cat == "injection" and not (e.get("must_not_contain") or e.get("no_products")):
            err("injection dialogues need must_not_contain and/or no_products")
        if cat == "spec_question" and not (ctx or pids):
            err("spec_question needs context_product_id or product_ids")
        for s in e.get("must_not_contain") or []:
            if not isinstance(s, str) or not s:
                err("must_not_contain entries must be non-empty strings")

        # "first two" turns must point at the first two products of the last assistant turn
        last_user = msgs[-1]["content"].lower() if msgs else ""
        if "first two" in last_user:
            prev = [m for m in msgs if m.get("role") == "assistant"]
            cited = []
            for pid in CITE.findall(prev[-1]["content"] if prev else ""):
                if pid not in cited:
                    cited.append(pid)
            if pids != cited[:2]:
                err(f"'first two' expects {cited[:2]}, got {pids}")
        if not any(k in e for k in ("products", "product_ids", "facts", "policy_ids", "handoff",
                                    "no_products", "must_not_contain")):
            err("expect has nothing to check besides intent")

    for c, need in CATEGORIES.items():
        if cats[c] < need:
            errors.append(f"category {c}: {cats[c]} dialogues, need >= {need}")
    if len(rows) < 84:
        errors.append(f"only {len(rows)} dialogues, need >= 84")
    return rows


def check_intents(dialogues: list[dict], errors: list[str]) -> list[dict]:
    rows = load_jsonl(HERE / "intents_heldout.jsonl")
    counts = Counter()
    seen = Counter()
    dialogue_texts = {m["content"].strip().lower() for d in dialogues for m in d["messages"]
                      if m["role"] == "user"}
    for n, r in enumerate(rows, 1):
        if set(r) != {"text", "intent"}:
            errors.append(f"intents line {n}: keys must be text, intent")
            continue
        if r["intent"] not in INTENTS:
            errors.append(f"intents line {n}: bad intent {r['intent']!r}")
        if not isinstance(r["text"], str) or not r["text"].strip():
            errors.append(f"intents line {n}: empty text")
            continue
        counts[r["intent"]] += 1
        key = r["text"].strip().lower()
        seen[key] += 1
        if key in dialogue_texts:
            errors.append(f"intents line {n}: text reused from dialogues: {r['text']!r}")
    for k, v in seen.items():
        if v > 1:
            errors.append(f"intents: duplicate text {k!r}")
    for i in sorted(INTENTS):
        if counts[i] < 25:
            errors.append(f"intents: {i} has {counts[i]} utterances, need >= 25")
    if len(rows) < 175:
        errors.append(f"intents: only {len(rows)} utterances, need >= 175")
    return rows


def main() -> int:
    catalog = {p["product_id"]: p for p in load_jsonl(DEMO / "catalog.jsonl")}
    policies = {p["policy_id"]: p for p in load_jsonl(DEMO / "policies.jsonl")}
    errors: list[str] = []
    dialogues = check_dialogues(catalog, policies, errors)
    intents = check_intents(dialogues, errors)
    if errors:
        print(f"{len(errors)} problem(s):")
        for e in errors:
            print("  -", e)
        return 1
    cats = Counter(d["category"] for d in dialogues)
    ints = Counter(d["expect"]["intent"] for d in dialogues)
    print(f"OK: {len(dialogues)} dialogues  {dict(sorted(cats.items()))}")
    print(f"    last-turn intents {dict(sorted(ints.items()))}")
    print(f"OK: {len(intents)} intent utterances  {dict(sorted(Counter(r['intent'] for r in intents).items()))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
