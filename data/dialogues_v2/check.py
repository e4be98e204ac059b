#!/usr/bin/env python3
"""Check data/dialogues_v2/dialogues.jsonl against the demo catalog and policies.

Run from the repository root:  python data/dialogues_v2/check.py
Prints OK and exits 0 when every check passes; otherwise prints the problems and exits 1.
Standard library only.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CATALOG = os.path.join(ROOT, "data", "demo", "catalog.jsonl")
POLICIES = os.path.join(ROOT, "data", "demo", "policies.jsonl")
DIALOGUES = os.path.join(HERE, "dialogues.jsonl")

CATEGORY_COUNTS = {
    "product_need": 28,
    "multi_turn": 28,
    "spec_question": 8,
    "policy_question": 8,
    "order_help": 3,
    "out_of_scope": 3,
    "small_talk": 1,
    "human": 1,
}
INTENTS = {"product_search", "product_question", "policy_question", "order_help",
           "small_talk", "human_agent", "out_of_scope"}
# intent required for the last user turn of each single-purpose category
CATEGORY_INTENT = {
    "product_need": "product_search",
    "spec_question": "product_question",
    "policy_question": "policy_question",
    "order_help": "order_help",
    "out_of_scope": "out_of_scope",
    "small_talk": "small_talk",
    "human": "human_agent",
}
EXPECT_KEYS = {"intent", "products", "every_product", "product_ids", "facts",
               "policy_ids", "handoff", "no_products"}
PRODUCTS_KEYS = {"type", "max_price", "min_price", "color", "gender", "category"}
EVERY_KEYS = {"max_price", "min_price", "gender", "color"}
PID_RE = re.compile(r"^P\d{5}$")
CITE_RE = re.compile(r"\[(P\d{5})\]")

problems = []


def err(did, msg):
    problems.append(f"{did}: {msg}")


def load_jsonl(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as e:
                problems.append(f"{os.path.basename(path)} line {n}: bad JSON ({e})")
    return out


catalog = {p["product_id"]: p for p in load_jsonl(CATALOG)}
policies = {p["policy_id"]: p for p in load_jsonl(POLICIES)}
ALL_TYPES = {p["attributes"].get("type") for p in catalog.values()}
ALL_COLORS = {p["attributes"].get("color") for p in catalog.values()} - {None}
ALL_GENDERS = {p["attributes"].get("gender") for p in catalog.values()} - {None}
ALL_CATEGORIES = {p["category"] for p in catalog.values()}


def product_text(p):
    """Description plus every attribute value (and 'key: value'), as searched for facts."""
    parts = [p.get("description", "")]
    for k, v in p.get("attributes", {}).items():
        parts.append(str(v))
        parts.append(f"{k}: {v}")
    return "\n".join(parts)


def matches_products(p, c):
    """`products` rule: every given sub-key must hold for this product."""
    a = p["attributes"]
    if "type" in c and a.get("type") not in c["type"]:
        return False
    if "max_price" in c and p["price"] > c["max_price"]:
        return False
    if "min_price" in c and p["price"] < c["min_price"]:
        return False
    if "color" in c and (a.get("color") or "").lower() not in {x.lower() for x in c["color"]}:
        return False
    if "gender" in c and a.get("gender") not in c["gender"]:
        return False
    if "category" in c and p["category"] != c["category"]:
        return False
    return True


def meets_every(p, c):
    """`every_product` rule for one cited product.

    Price bounds are inclusive. `color`: the product's colour must be one of the listed
    values (a product with no colour attribute fails). `gender`: a product that has a
    gender attribute must have one of the listed values; a product with no gender
    attribute (a mug, a tent) passes.
    """
    a = p["attributes"]
    if "max_price" in c and p["price"] > c["max_price"]:
        return False
    if "min_price" in c and p["price"] < c["min_price"]:
        return False
    if "color" in c and (a.get("color") or "").lower() not in {x.lower() for x in c["color"]}:
        return False
    if "gender" in c and a.get("gender") is not None and a["gender"] not in c["gender"]:
        return False
    return True


def check_constraint_values(did, c, allowed, label):
    for k in c:
        if k not in allowed:
            err(did, f"{label}: unknown key {k!r}")
    for k in ("max_price", "min_price"):
        if k in c and not isinstance(c[k], (int, float)):
            err(did, f"{label}.{k} must be a number")
    if "max_price" in c and "min_price" in c and c["min_price"] > c["max_price"]:
        err(did, f"{label}: min_price > max_price")
    for k, universe in (("type", ALL_TYPES), ("color", ALL_COLORS), ("gender", ALL_GENDERS)):
        if k in c:
            if not isinstance(c[k], list) or not c[k]:
                err(did, f"{label}.{k} must be a non-empty list")
                continue
            for v in c[k]:
                if v not in universe:
                    err(did, f"{label}.{k}: {v!r} is not a catalog value")
    if "category" in c and c["category"] not in ALL_CATEGORIES:
        err(did, f"{label}.category {c['category']!r} is not a catalog category")


def check_citations(did, text):
    """Every [Pxxxxx] in an assistant turn must be followed by ' <exact title> - $<price>'."""
    for m in CITE_RE.finditer(text):
        pid = m.group(1)
        if pid not in catalog:
            err(did, f"assistant cites unknown product {pid}")
            continue
        p = catalog[pid]
        rest = text[m.end():]
        head = " " + p["title"] + " - $"
        if not rest.startswith(head):
            err(did, f"citation of {pid} does not carry the exact title {p['title']!r}")
            continue
        pm = re.match(r"(\d+(?:\.\d+)?)", rest[len(head):])
        if not pm or abs(float(pm.group(1)) - p["price"]) > 0.001:
            err(did, f"citation of {pid} does not carry the real price ${p['price']:.2f}")


def cited_ids(text):
    return [m.group(1) for m in CITE_RE.finditer(text)]


ID_PATTERN, ID_EXAMPLE = r"N\d{3}", "N001"


def expected_ids(total):
    return [f"N{i:03d}" for i in range(1, total + 1)]


def main(extra_checks=None):
    """``extra_checks(dialogues)`` may add a set's own checks (data/dialogues_dev/check.py reuses this one)."""
    dialogues = load_jsonl(DIALOGUES)
    seen = set()
    counts = {}
    n_every = 0
    for i, d in enumerate(dialogues, 1):
        did = d.get("id", f"line {i}")
        # ---- schema
        extra = set(d) - {"id", "category", "messages", "context_product_id", "expect"}
        if extra:
            err(did, f"unknown top-level keys {sorted(extra)}")
        if not re.fullmatch(ID_PATTERN, str(d.get("id", ""))):
            err(did, f"id must look like {ID_EXAMPLE}")
        if did in seen:
            err(did, "duplicate id")
        seen.add(did)
        cat = d.get("category")
        if cat not in CATEGORY_COUNTS:
            err(did, f"unknown category {cat!r}")
        counts[cat] = counts.get(cat, 0) + 1
        msgs = d.get("messages")
        if not isinstance(msgs, list) or not msgs:
            err(did, "messages must be a non-empty list")
            continue
        for j, m in enumerate(msgs):
            if set(m) != {"role", "content"} or m.get("role") not in ("user", "assistant") \
                    or not isinstance(m.get("content"), str) or not m["content"].strip():
                err(did, f"message {j} is malformed")
            want = "user" if j % 2 == 0 else "assistant"
            if m.get("role") != want:
                err(did, f"message {j} should be {want} (turns must alternate, starting with user)")
        if msgs[-1].get("role") != "user":
            err(did, "last message must be from the user")
        n_user = sum(1 for m in msgs if m.get("role") == "user")
        if cat == "multi_turn" and not 2 <= n_user <= 4:
            err(did, f"multi_turn needs 2-4 user turns, has {n_user}")
        if cat != "multi_turn" and len(msgs) != 1:
            err(did, "only multi_turn dialogues have history")
        for m in msgs:
            if m.get("role") == "assistant":
                check_citations(did, m["content"])
            elif CITE_RE.search(m.get("content", "")):
                err(did, "a user message contains a product citation")
        ctx = d.get("context_product_id")
        if ctx is not None and ctx not in catalog:
            err(did, f"context_product_id {ctx} is not in the catalog")

        # ---- expect
        e = d.get("expect")
        if not isinstance(e, dict) or not e:
            err(did, "expect must be a non-empty object")
            continue
        for k in e:
            if k not in EXPECT_KEYS:
                err(did, f"unknown expect key {k!r}")
        intent = e.get("intent")
        if intent not in INTENTS:
            err(did, f"expect.intent {intent!r} is missing or invalid")
        if cat in CATEGORY_INTENT and intent != CATEGORY_INTENT[cat]:
            err(did, f"category {cat} expects intent {CATEGORY_INTENT[cat]}, got {intent}")
        if cat in ("order_help", "human") and e.get("handoff") is not True:
            err(did, f"{cat} must carry handoff: true")
        if cat in ("small_talk", "out_of_scope") and e.get("no_products") is not True:
            err(did, f"{cat} must carry no_products: true")
        if cat == "product_need" and "products" not in e:
            err(did, "product_need must carry products")
        if cat == "spec_question" and not (ctx or e.get("product_ids")):
            err(did, "spec_question needs context_product_id or product_ids")
        if e.get("no_products") and ({"products", "product_ids", "every_product"} & set(e)):
            err(did, "no_products conflicts with product expectations")
        for k in ("handoff", "no_products"):
            if k in e and e[k] is not True:
                err(did, f"expect.{k} must be true when present")

        pids = e.get("product_ids", [])
        if "product_ids" in e:
            if not isinstance(pids, list) or not pids:
                err(did, "product_ids must be a non-empty list")
                pids = []
            for pid in pids:
                if not PID_RE.match(str(pid)) or pid not in catalog:
                    err(did, f"product_ids: {pid} is not in the catalog")
            pids = [p for p in pids if p in catalog]
        pols = e.get("policy_ids", [])
        if "policy_ids" in e:
            if not isinstance(pols, list) or not pols:
                err(did, "policy_ids must be a non-empty list")
                pols = []
            for pol in pols:
                if pol not in policies:
                    err(did, f"policy_ids: {pol} is not a policy")
            pols = [p for p in pols if p in policies]

        pc = e.get("products")
        pool = list(catalog.values())
        if pc is not None:
            if not isinstance(pc, dict) or not pc:
                err(did, "products must be a non-empty object")
                pc = None
            else:
                check_constraint_values(did, pc, PRODUCTS_KEYS, "products")
                hits = [p for p in catalog.values() if matches_products(p, pc)]
                if len(hits) < 3:
                    err(did, f"products constraint matches only {len(hits)} catalog products (need >= 3)")
                pool = hits
        ec = e.get("every_product")
        if ec is not None:
            n_every += 1
            if not isinstance(ec, dict) or not ec:
                err(did, "every_product must be a non-empty object")
                ec = None
            else:
                check_constraint_values(did, ec, EVERY_KEYS, "every_product")
                both = [p for p in pool if meets_every(p, ec)]
                if not both:
                    err(did, "no catalog product satisfies products and every_product together")
                # a product listed as acceptable must not break a hard constraint
                for pid in pids:
                    if not meets_every(catalog[pid], ec):
                        err(did, f"product_ids: {pid} breaks every_product")
        if pc or ec or pids:
            fits = [p for p in catalog.values()
                    if (pc is None or matches_products(p, pc))
                    and (ec is None or meets_every(p, ec))
                    and (not pids or p["product_id"] in pids)]
            if fits and not any(p["in_stock"] for p in fits):
                err(did, "every product that satisfies the expectations is out of stock")
        if pids and (pc or ec):
            ok = [pid for pid in pids
                  if (pc is None or matches_products(catalog[pid], pc))
                  and (ec is None or meets_every(catalog[pid], ec))]
            if not ok:
                err(did, "no id in product_ids satisfies products/every_product, so no single cited "
                         "product could pass every key")

        # "cheaper" convention: max_price = cheapest price shown in the previous turn - 0.01
        last = msgs[-1].get("content", "").lower()
        if "cheaper" in last and len(msgs) >= 3 and pc is not None:
            shown = [catalog[x]["price"] for x in cited_ids(msgs[-2].get("content", "")) if x in catalog]
            if shown:
                want = round(min(shown) - 0.01, 2)
                if abs(pc.get("max_price", -1) - want) > 0.001:
                    err(did, f"'cheaper' follow-up: products.max_price should be {want}")
                if ec is None or abs(ec.get("max_price", -1) - want) > 0.001:
                    err(did, f"'cheaper' follow-up: every_product.max_price should be {want}")

        # "the first two" / "the second one" conventions
        if len(msgs) >= 3:
            prev = [x for x in cited_ids(msgs[-2].get("content", "")) if x in catalog]
            if "first two" in last and prev[:2] and sorted(pids) != sorted(prev[:2]):
                err(did, f"'first two' follow-up: product_ids should be {prev[:2]}")
            if re.search(r"\bsecond (one|pair)\b", last) and len(prev) >= 2 and pids != [prev[1]]:
                err(did, f"'second one' follow-up: product_ids should be [{prev[1]}]")

        # facts must appear word for word in a referenced product or policy
        facts = e.get("facts")
        if facts is not None:
            if not isinstance(facts, list) or not facts:
                err(did, "facts must be a non-empty list")
                facts = []
            texts = []
            if ctx in catalog:
                texts.append(product_text(catalog[ctx]))
            texts += [product_text(catalog[p]) for p in pids]
            texts += [policies[p]["text"] for p in pols]
            if not texts:
                err(did, "facts given but no referenced product or policy")
            for f in facts:
                if not any(f.lower() in t.lower() for t in texts):
                    err(did, f"fact {f!r} is not in any referenced product or policy text")
                if ctx in catalog and not pols and f.lower() not in product_text(catalog[ctx]).lower():
                    err(did, f"fact {f!r} does not hold for the viewed product {ctx}")

    # ---- counts
    for cat, n in CATEGORY_COUNTS.items():
        if counts.get(cat, 0) != n:
            problems.append(f"category {cat}: {counts.get(cat, 0)} dialogues, expected {n}")
    total = sum(CATEGORY_COUNTS.values())
    if len(dialogues) != total:
        problems.append(f"{len(dialogues)} dialogues, expected {total}")
    ids = expected_ids(total)
    if seen != set(ids):
        problems.append(f"ids must be {ids[0]}..{ids[-1]}; missing {sorted(set(ids) - seen)[:5]}, "
                        f"extra {sorted(seen - set(ids))[:5]}")
    if extra_checks is not None:
        extra_checks(dialogues)

    if problems:
        for p in problems:
            print(p)
        print(f"{len(problems)} problem(s)")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
