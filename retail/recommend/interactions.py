"""From raw events to what recommenders learn from: per-shopper item sequences over a fixed item vocabulary.

An item is a row of the catalog (``ItemTable``), so a product with no events
is still an item: it has its text embedding, and that is all the sequential
model and the profile need to recommend it. Consecutive events on the same
product fold into one step that keeps its strongest type (view < click <
add_to_cart < purchase), so "viewed, clicked, bought" is one step, not three.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

# How much an event says about taste; also the type id the sequential model reads (0 is padding).
EVENT_WEIGHT = {"view": 1.0, "click": 2.0, "chat_mention": 2.0, "add_to_cart": 4.0, "purchase": 6.0, "review": 3.0}
TYPE_ID = {"view": 1, "click": 2, "chat_mention": 3, "add_to_cart": 4, "purchase": 5, "review": 5}
N_TYPES = 6
PURCHASE_ID = TYPE_ID["purchase"]


@dataclass
class ItemTable:
    """The items a recommender ranks: ids, unit text vectors, and the facts reasons and filters use."""

    ids: np.ndarray  # [N] str
    vectors: np.ndarray  # [N, D] float32, L2-normalised
    frame: pd.DataFrame  # title, category, brand, price, in_stock (one row per item, same order)
    row_of: dict[str, int] = field(init=False)

    def __post_init__(self):
        self.row_of = {pid: i for i, pid in enumerate(self.ids)}

    def __len__(self) -> int:
        return len(self.ids)

    def rows(self, product_ids) -> np.ndarray:
        return np.array([self.row_of[p] for p in product_ids if p in self.row_of], dtype=np.int64)

    def column(self, name: str) -> np.ndarray:
        return self.frame[name].to_numpy() if name in self.frame else np.full(len(self), None, dtype=object)


@dataclass
class Step:
    item: int  # row in the ItemTable
    type_id: int
    timestamp: float
    session: str | None


def shopper_steps(events: list[dict], items: ItemTable) -> list[Step]:
    """A shopper's product events (time order) as steps; repeats of the same product in a row fold together."""
    steps: list[Step] = []
    for e in sorted(events, key=lambda e: e["timestamp"]):
        row = items.row_of.get(e.get("product_id")) if e.get("product_id") else None
        if row is None or e["type"] not in TYPE_ID:
            continue
        type_id = TYPE_ID[e["type"]]
        # A purchase stays a step of its own after a cart or a view of the same product, so a session's
        # steps before its first purchase show how it got there (the propensity head learns from that).
        if steps and steps[-1].item == row and (type_id != PURCHASE_ID or steps[-1].type_id == PURCHASE_ID):
            steps[-1].type_id = max(steps[-1].type_id, type_id)
            continue
        steps.append(Step(row, type_id, float(e["timestamp"]), e.get("session_id")))
    return steps


def sequences_by_shopper(events: list[dict], items: ItemTable) -> dict[str, list[Step]]:
    by_user: dict[str, list[dict]] = {}
    for e in events:
        by_user.setdefault(e["user_id"], []).append(e)
    return {user: steps for user, evs in by_user.items() if (steps := shopper_steps(evs, items))}


@dataclass
class Split:
    """Leave-last-out by time: per shopper, the last new item is the test target, the one before it validation."""

    train: dict[str, list[Step]]  # history up to (excluding) the validation target
    valid: dict[str, tuple[list[Step], Step]]  # history, target step
    test: dict[str, tuple[list[Step], Step]]


def leave_last_out(sequences: dict[str, list[Step]], min_steps: int = 3) -> Split:
    """Targets are items the shopper had not touched before (a recommender is not asked to re-find history)."""
    train, valid, test = {}, {}, {}
    for user, steps in sequences.items():
        firsts = [i for i, s in enumerate(steps) if s.item not in {p.item for p in steps[:i]}]
        if len(firsts) < min_steps:
            train[user] = steps
            continue
        t, v = firsts[-1], firsts[-2]
        test[user] = (steps[:t], steps[t])
        valid[user] = (steps[:v], steps[v])
        train[user] = steps[:v]
    return Split(train, valid, test)
