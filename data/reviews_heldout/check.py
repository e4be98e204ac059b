#!/usr/bin/env python3
"""Validate the hand-written held-out review set (reviews.jsonl) and print counts.

Usage:
    python3 data/reviews_heldout/check.py [path/to/reviews.jsonl]

Exit status is 0 when no errors were found, 1 otherwise. Warnings (e.g. long
word sequences shared between two reviews, or coverage targets not yet met)
are printed but do not fail the check.
"""
import json
import os
import sys
from collections import Counter, defaultdict

CATEGORIES = [
    "Apparel", "Home & Kitchen", "Electronics", "Footwear", "Sports & Outdoors",
    "Furniture", "Computers", "Grocery", "Outerwear", "Beauty", "Toys & Games",
    "Pet Supplies", "Baby",
]
SENTIMENTS = ["positive", "neutral", "negative"]
ASPECTS = [
    "comfort", "fit", "durability", "battery", "performance", "appearance",
    "value", "delivery", "customer_service", "ease_of_use", "taste_scent",
]
POLARITIES = ["positive", "negative", "neutral"]
FIELDS = ["review_id", "category", "product", "rating", "text", "sentiment", "aspects"]

# Coverage targets (reported as warnings when not met).
MIN_REVIEWS = 330
MIN_PER_CATEGORY = 18
MIN_PER_ASPECT = 15
MIN_NEUTRAL_POLARITY = 40
MAX_ASPECTS = 4
SHARED_NGRAM = 8  # warn when two reviews share this many words in a row


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "reviews.jsonl")
    errors, warnings = [], []
    rows = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                errors.append(f"line {lineno}: empty line")
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                errors.append(f"line {lineno}: invalid JSON: {exc}")
                continue
            rows.append((lineno, obj))

    seen_ids = set()
    cat_c, sent_c, rating_c = Counter(), Counter(), Counter()
    asp_c, pol_c = Counter(), Counter()
    asp_pol = defaultdict(Counter)
    sent_rating = defaultdict(Counter)
    n_aspects = Counter()
    for lineno, r in rows:
        where = f"line {lineno} ({r.get('review_id', '?')})"
        if not isinstance(r, dict):
            errors.append(f"{where}: not an object")
            continue
        missing = [f for f in FIELDS if f not in r]
        extra = [f for f in r if f not in FIELDS]
        if missing:
            errors.append(f"{where}: missing fields {missing}")
            continue
        if extra:
            errors.append(f"{where}: unexpected fields {extra}")
        rid = r["review_id"]
        if not isinstance(rid, str) or not rid:
            errors.append(f"{where}: bad review_id")
        elif rid in seen_ids:
            errors.append(f"{where}: duplicate review_id {rid}")
        seen_ids.add(rid)
        if r["category"] not in CATEGORIES:
            errors.append(f"{where}: bad category {r['category']!r}")
        if not isinstance(r["product"], str) or not r["product"].strip():
            errors.append(f"{where}: empty product")
        rating = r["rating"]
        if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
            errors.append(f"{where}: bad rating {rating!r}")
        text = r["text"]
        if not isinstance(text, str) or not text.strip():
            errors.append(f"{where}: empty text")
            text = ""
        if r["sentiment"] not in SENTIMENTS:
            errors.append(f"{where}: bad sentiment {r['sentiment']!r}")
        aspects = r["aspects"]
        if not isinstance(aspects, list):
            errors.append(f"{where}: aspects is not a list")
            aspects = []
        if len(aspects) > MAX_ASPECTS:
            errors.append(f"{where}: {len(aspects)} aspects (max {MAX_ASPECTS})")
        names = []
        for a in aspects:
            if not isinstance(a, dict) or set(a) != {"aspect", "polarity", "span"}:
                errors.append(f"{where}: aspect entry must have exactly aspect/polarity/span: {a!r}")
                continue
            if a["aspect"] not in ASPECTS:
                errors.append(f"{where}: bad aspect {a['aspect']!r}")
            if a["polarity"] not in POLARITIES:
                errors.append(f"{where}: bad polarity {a['polarity']!r}")
            span = a["span"]
            if not isinstance(span, str) or not span.strip():
                errors.append(f"{where}: empty span for {a['aspect']}")
            elif span not in text:
                errors.append(f"{where}: span not in text: {span!r}")
            elif span.strip() != span:
                errors.append(f"{where}: span has leading/trailing whitespace: {span!r}")
            names.append(a["aspect"])
            asp_c[a["aspect"]] += 1
            pol_c[a["polarity"]] += 1
            asp_pol[a["aspect"]][a["polarity"]] += 1
        dup = [n for n, c in Counter(names).items() if c > 1]
        if dup:
            errors.append(f"{where}: duplicate aspects {dup}")
        cat_c[r["category"]] += 1
        sent_c[r["sentiment"]] += 1
        rating_c[rating] += 1
        sent_rating[r["sentiment"]][rating] += 1
        n_aspects[len(aspects)] += 1

    # Shared long word sequences between different reviews (template reuse check).
    owner = {}
    shared = set()
    for _, r in rows:
        words = "".join(ch.lower() if ch.isalnum() or ch == "'" else " "
                        for ch in str(r.get("text", ""))).split()
        for i in range(len(words) - SHARED_NGRAM + 1):
            g = " ".join(words[i:i + SHARED_NGRAM])
            other = owner.setdefault(g, r.get("review_id"))
            if other != r.get("review_id"):
                shared.add((other, r.get("review_id"), g))
    for a, b, g in sorted(shared):
        warnings.append(f"{a} and {b} share {SHARED_NGRAM} words in a row: {g!r}")

    total = len(rows)
    if total < MIN_REVIEWS:
        warnings.append(f"only {total} reviews (target >= {MIN_REVIEWS})")
    for c in CATEGORIES:
        if cat_c[c] < MIN_PER_CATEGORY:
            warnings.append(f"category {c}: {cat_c[c]} reviews (target >= {MIN_PER_CATEGORY})")
    for a in ASPECTS:
        if asp_c[a] < MIN_PER_ASPECT:
            warnings.append(f"aspect {a}: {asp_c[a]} mentions (target >= {MIN_PER_ASPECT})")
        for p in ("positive", "negative"):
            if asp_pol[a][p] == 0:
                warnings.append(f"aspect {a}: no {p} mention")
    if pol_c["neutral"] < MIN_NEUTRAL_POLARITY:
        warnings.append(f"neutral aspect polarity: {pol_c['neutral']} (target >= {MIN_NEUTRAL_POLARITY})")

    def pct(n):
        return f"{100.0 * n / total:5.1f}%" if total else "  n/a"

    print(f"reviews: {total}")
    print("\nper category:")
    for c in CATEGORIES:
        print(f"  {c:<18} {cat_c[c]:4d}")
    print("\nper sentiment:")
    for s in SENTIMENTS:
        dist = " ".join(f"{k}*:{sent_rating[s][k]}" for k in range(1, 6))
        print(f"  {s:<9} {sent_c[s]:4d} {pct(sent_c[s])}   ratings {dist}")
    print("\nper rating:")
    for k in range(1, 6):
        print(f"  {k} stars {rating_c[k]:4d}")
    print("\naspects per review:")
    for k in sorted(n_aspects):
        print(f"  {k}: {n_aspects[k]:4d}")
    print("\nper aspect (total  positive/negative/neutral):")
    for a in ASPECTS:
        d = asp_pol[a]
        print(f"  {a:<17} {asp_c[a]:4d}   {d['positive']:3d}/{d['negative']:3d}/{d['neutral']:3d}")
    print(f"\naspect mentions: {sum(asp_c.values())}")
    print("per polarity:")
    for p in POLARITIES:
        print(f"  {p:<9} {pol_c[p]:4d}")

    if warnings:
        print(f"\nWARNINGS ({len(warnings)}):")
        for w in warnings:
            print("  " + w)
    if errors:
        print(f"\nERRORS ({len(errors)}):")
        for e in errors:
            print("  " + e)
        return 1
    print("\nOK: no errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
