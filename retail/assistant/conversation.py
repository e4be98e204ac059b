"""What earlier turns mean for this one: cited products, refinements, references.

The assistant cites products as ``[id]``, so a conversation carries its own
state: the ids in earlier assistant turns are what "the first two", "cheaper
ones" and "this one" refer to. Nothing is kept on the server between turns;
a client replays the history, as with any OpenAI-compatible API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

CITED = re.compile(r"\[([A-Za-z0-9][A-Za-z0-9_\-.:/]{1,63})\]")
COLORS = (
    "black", "white", "grey", "gray", "silver", "gold", "red", "blue", "navy", "green", "olive", "sage", "yellow",
    "orange", "pink", "purple", "brown", "beige", "tan", "coral", "teal", "cream", "khaki", "burgundy", "charcoal",
)
ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3, "last": -1}
CHEAPER = re.compile(r"\b(cheaper|less expensive|lower[- ]priced|more affordable|budget|lower price|on a budget)\b", re.I)
COMPARE = re.compile(r"\b(compare|comparison|difference|differ|versus|vs\.?|which (one )?is better)\b", re.I)
GENDER = re.compile(r"\b(women|woman|ladies|men|man|kids|children|boys|girls|unisex)(?:'s)?\b", re.I)
QUESTION_START = re.compile(r"(what|how|is|are|can|could|does|do|will|would|which|where|when|why|should)\b", re.I)
PRONOUN_REF = re.compile(r"\b(this|that|it|its|these|those|one|ones|them)\b", re.I)


def cited_ids(text: str) -> list[str]:
    seen: list[str] = []
    for token in CITED.findall(text or ""):
        if token not in seen:
            seen.append(token)
    return seen


@dataclass
class Conversation:
    """The parts of a chat history that the current turn depends on."""

    current: str
    earlier_user: list[str] = field(default_factory=list)
    last_cited: list[str] = field(default_factory=list)  # ids in the latest assistant turn that cited any
    context_product_id: str | None = None

    @classmethod
    def from_messages(cls, messages: list[dict], context_product_id: str | None = None) -> "Conversation":
        users = [m["content"] for m in messages if m["role"] == "user"]
        last_cited: list[str] = []
        for message in reversed(messages[:-1]):
            if message["role"] == "assistant" and (ids := cited_ids(message["content"])):
                last_cited = ids
                break
        return cls(users[-1], users[:-1], last_cited, context_product_id)

    # -- references --------------------------------------------------------------------------------
    def referenced_positions(self) -> list[int]:
        """Positions in ``last_cited`` the current message points at ("the first two", "the 2nd")."""
        text = self.current.lower()
        if re.search(r"\b(first|top) (two|2)\b|\bboth\b", text):
            return [0, 1]
        if re.search(r"\b(first|top) (three|3)\b", text):
            return [0, 1, 2]
        return [pos for word, pos in ORDINALS.items() if re.search(rf"\b{word}\b", text)]

    def referenced_products(self) -> list[str]:
        """Ids the current message refers to: named ids, ordinals over the last answer, or the product in view."""
        named = cited_ids(self.current) or re.findall(r"\b[A-Z]{1,4}\d{3,}\b", self.current)
        if named:
            return named
        picked = [self.last_cited[p] for p in self.referenced_positions() if -len(self.last_cited) <= p < len(self.last_cited)]
        if picked:
            return list(dict.fromkeys(picked))
        if self.context_product_id:
            return [self.context_product_id]
        if self.last_cited and PRONOUN_REF.search(self.current):
            return self.last_cited[:1]
        return []

    # -- refinements -----------------------------------------------------------------------------
    def wants_comparison(self) -> bool:
        return bool(COMPARE.search(self.current))

    def wants_cheaper(self) -> bool:
        return bool(CHEAPER.search(self.current))

    def color(self) -> str | None:
        words = set(re.findall(r"[a-z]+", self.current.lower()))
        return next((c for c in COLORS if c in words), None)

    def is_question(self) -> bool:
        return "?" in self.current or bool(QUESTION_START.match(self.current.strip()))

    def mentions_audience(self) -> bool:
        return bool(GENDER.search(self.current))

    def refers_back(self) -> bool:
        return bool(PRONOUN_REF.search(self.current))

    def is_refinement(self) -> bool:
        """A follow-up that only makes sense with the earlier request ("in blue", "cheaper ones")."""
        if not self.earlier_user:
            return False
        if self.wants_cheaper() or self.color() is not None or self.mentions_audience():
            return True
        content_words = [w for w in re.findall(r"[a-z]+", self.current.lower()) if len(w) > 3]
        return self.refers_back() and len(content_words) <= 6

    def search_query(self) -> str:
        """The retrieval query: the current message, plus the request it refines."""
        if self.is_refinement():
            return " ".join(self.earlier_user[-2:] + [self.current])
        return self.current
