"""The review vocabulary: aspects, polarities, and how a review is cut into the clauses an opinion lives in.

One taxonomy for every category (a retailer's merchandisers read the same
names everywhere); category-specific meaning lives in the training data
("grip" is performance for a shoe, "suction" for a vacuum). An aspect is
reported with the clause that expresses it, so every count in an insight can
be traced back to the words of a review.
"""

from __future__ import annotations

import re

ASPECTS: tuple[str, ...] = (
    "comfort", "fit", "durability", "battery", "performance", "appearance",
    "value", "delivery", "customer_service", "ease_of_use", "taste_scent",
)
ASPECT_LABELS = {
    "comfort": "comfort", "fit": "fit and size", "durability": "durability", "battery": "battery",
    "performance": "performance", "appearance": "look and colour", "value": "value for money",
    "delivery": "delivery", "customer_service": "customer service", "ease_of_use": "ease of use",
    "taste_scent": "taste and scent",
}
POLARITIES: tuple[str, ...] = ("negative", "neutral", "positive")  # also the review-level sentiment classes

# Where one opinion ends and the next begins: sentence ends, semicolons, line breaks, and the contrast words
# that join two opinions in one sentence ("love the colour but it runs small").
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+|(?<=[.!?])(?=[A-Z])")
_CONTRAST = re.compile(
    r",?\s+(?=(?:but|though|although|however|except|yet|whereas|while|that said|on the other hand|"
    r"only downside|only problem|only issue|unfortunately|sadly)\b)", re.IGNORECASE)
MIN_CLAUSE_CHARS = 3


def split_clauses(text: str) -> list[tuple[int, int]]:
    """Character spans (start, end) of the review's clauses, in order, covering its words."""
    spans: list[tuple[int, int]] = []
    for start, end in _split(text, _SENTENCE_END, 0, len(text)):
        spans.extend(_split(text, _CONTRAST, start, end))
    return [(s, e) for s, e in spans if len(text[s:e].strip(" ,.;!?-")) >= MIN_CLAUSE_CHARS] or (
        [(0, len(text))] if text.strip() else [])


def _split(text: str, pattern: re.Pattern, start: int, end: int) -> list[tuple[int, int]]:
    pieces, position = [], start
    for match in pattern.finditer(text, start, end):
        if match.start() > position:
            pieces.append((position, match.start()))
        position = max(position, match.end())
    if position < end:
        pieces.append((position, end))
    return [_strip(text, s, e) for s, e in pieces if text[s:e].strip()]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " ,\t":
        start += 1
    while end > start and text[end - 1] in " ,\t":
        end -= 1
    return start, end


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Characters two spans share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))
