#!/usr/bin/env python3
"""Check data/dialogues_dev/dialogues.jsonl against the demo catalog and policies.

The development set follows data/dialogues_v2's rules, so its checker runs v2's with this set's file, counts
and ids (D2001-D2060, in category blocks). Run from the repository root:  python data/dialogues_dev/check.py
Prints OK and exits 0 when every check passes; otherwise prints the problems and exits 1. Standard library only.
"""
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("dialogues_v2_check", os.path.join(HERE, "..", "dialogues_v2", "check.py"))
v2 = importlib.util.module_from_spec(spec)
spec.loader.exec_module(v2)

FIRST_ID = 2001
v2.DIALOGUES = os.path.join(HERE, "dialogues.jsonl")
v2.CATEGORY_COUNTS = {
    "product_need": 20,
    "multi_turn": 20,
    "spec_question": 6,
    "policy_question": 8,
    "order_help": 2,
    "out_of_scope": 2,
    "small_talk": 1,
    "human": 1,
}
v2.ID_PATTERN, v2.ID_EXAMPLE = r"D\d{4}", "D2001"
v2.expected_ids = lambda total: [f"D{FIRST_ID + i}" for i in range(total)]


def category_blocks(dialogues):
    """Ids run in category blocks, in the order of CATEGORY_COUNTS."""
    start, by_id = FIRST_ID, {d.get("id"): d.get("category") for d in dialogues}
    for cat, n in v2.CATEGORY_COUNTS.items():
        for i in range(start, start + n):
            if f"D{i}" in by_id and by_id[f"D{i}"] != cat:
                v2.problems.append(f"D{i}: ids D{start}-D{start + n - 1} are reserved for {cat}")
        start += n


if __name__ == "__main__":
    sys.exit(v2.main(category_blocks))
