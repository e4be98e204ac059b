"""The query planner: what a shopper wants, as a structured plan, before retrieval.

A need is rarely phrased with the catalog's words ("my feet are freezing on
the tile floors, womens, under $40"). The planner turns the conversation into

* ``types``: the product types wanted, always values of the catalog's own
  ``attributes.type`` (or its categories when a catalog has no types);
* ``constraints``: hard limits the shopper stated (price cap and floor,
  audience, colour, size, a load such as "fits a 110 lb dog"); a product that
  breaks one is never shown as a match;
* ``soft``: the rest of the need, the text retrieval ranks by.

What it knows comes from the catalog, not from phrase lists tuned to one
catalog: the type names and, for each type, the centroid of its products'
embeddings (``CatalogVocabulary``, built from the served index); colours,
audiences and sizes are read as general English and checked against the
attribute values the catalog actually has. A type the shopper names is taken
as named; a need without product words goes to the types whose products sit
closest to it in the embedder's space.

Conversations carry state (``plan_conversation``): each earlier user turn's
constraints hold until the shopper changes them ("in black?" keeps the $80
cap; "for my son instead" replaces the audience), and a message that states a
new need with its own product type starts afresh.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import numpy as np

from retail.text import parse_budget, tokenize

# -- the catalog's vocabulary --------------------------------------------------------------------------

UNISEX = "unisex"
HEAD_NOUN_BONUS = 0.1  # a type's last word in the need ("earbuds" for "wireless earbuds")
RETRIEVAL_VOTE_WEIGHT = 0.5  # times the rank-weighted share of retrieved products of the type


@dataclass
class CatalogVocabulary:
    """Product types (with their categories and embedding centroids) and the audiences a catalog uses."""

    types: list[str]
    categories: list[str]  # the category of each type (its most common one)
    centroids: np.ndarray  # (len(types), dim), unit norm: the mean embedding of each type's products
    genders: set[str] = field(default_factory=set)
    type_tokens: list[tuple[str, ...]] = field(default_factory=list)  # stemmed tokens of each type name

    def __post_init__(self):
        if not self.type_tokens:
            self.type_tokens = [tuple(tokenize(t)) for t in self.types]

    @classmethod
    def from_products(cls, attributes: list[dict], categories: list[str | None], embeddings: np.ndarray) -> "CatalogVocabulary":
        """From the served index: per-product attributes, categories and embeddings, in row order."""
        groups: dict[str, list[int]] = {}
        category_votes: dict[str, dict[str, int]] = {}
        genders = set()
        for row, (attrs, category) in enumerate(zip(attributes, categories)):
            kind = str(attrs.get("type") or category or "").strip().lower()
            if not kind:
                continue
            groups.setdefault(kind, []).append(row)
            votes = category_votes.setdefault(kind, {})
            votes[category or ""] = votes.get(category or "", 0) + 1
            if attrs.get("gender"):
                genders.add(str(attrs["gender"]).strip().lower())
        types = sorted(groups)
        if not types:
            return cls([], [], np.zeros((0, embeddings.shape[1] if embeddings.ndim == 2 else 0), np.float32), genders)
        centroids = np.stack([embeddings[groups[t]].mean(axis=0) for t in types]).astype(np.float32)
        centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-9)
        best_category = [max(category_votes[t].items(), key=lambda kv: kv[1])[0] for t in types]
        return cls(types, best_category, centroids, genders)

    def named_types(self, text: str) -> list[str]:
        """Types the text names with every word of the type's name ("running shoes"), most specific first."""
        words = set(tokenize(text))
        full = [t for t, tokens in zip(self.types, self.type_tokens) if tokens and set(tokens) <= words]
        return sorted(full, key=lambda t: -len(self.type_tokens[self.types.index(t)]))

    def type_scores(self, vector: np.ndarray, text: str = "", votes: dict[str, float] | None = None) -> np.ndarray:
        """How well each type fits a need: cosine to the type's centroid, plus evidence that is not a name.

        A head noun alone ("shoes", "earbuds") is evidence, not a decision: "he chews every shoe in the house"
        mentions shoes without wanting any. ``votes`` are the types of the products retrieval found for the need
        (rank-weighted shares), a second opinion from the hybrid index's words and vectors."""
        scores = self.centroids @ np.asarray(vector, dtype=np.float32)
        if text:
            words = set(tokenize(text))
            scores = scores + HEAD_NOUN_BONUS * np.array([bool(t) and t[-1] in words for t in self.type_tokens])
        if votes:
            scores = scores + RETRIEVAL_VOTE_WEIGHT * np.array([votes.get(t, 0.0) for t in self.types])
        return scores

    def nearest_types(self, vector: np.ndarray, text: str = "", votes: dict[str, float] | None = None,
                      n: int = 3, margin: float = 0.1) -> list[tuple[str, float]]:
        """The two types that fit a need best (``type_scores``), and a third within ``margin`` of the best."""
        if not self.types:
            return []
        scores = self.type_scores(vector, text, votes)
        order = np.argsort(-scores)
        best = float(scores[order[0]])
        # The best two always (a need without product words is a guess: show two kinds, as a shop assistant would
        # offer), a third within ``margin`` of the best.
        return [(self.types[i], float(scores[i])) for rank, i in enumerate(order[:n])
                if rank < 2 or scores[i] >= best - margin]


# -- hard constraints --------------------------------------------------------------------------------

COLOR_WORDS = (
    "black", "white", "grey", "gray", "silver", "gold", "red", "blue", "navy", "green", "olive", "yellow",
    "orange", "pink", "purple", "brown", "beige", "tan", "teal", "cream", "khaki", "burgundy", "charcoal",
)
# A colour asked for is met by its shades ("blue" by navy and teal).
COLOR_SHADES = {
    "blue": ("navy", "teal", "cobalt", "denim", "sky blue", "indigo", "ocean blue"),
    "green": ("olive", "sage", "khaki", "forest", "mint", "emerald"),
    "red": ("burgundy", "crimson", "maroon", "wine"), "grey": ("gray", "charcoal", "slate", "graphite", "heather"),
    "gray": ("grey", "charcoal", "slate", "graphite", "heather"), "brown": ("tan", "chocolate", "camel", "cognac", "espresso"),
    "white": ("cream", "ivory", "off-white"), "pink": ("rose", "blush"), "purple": ("lavender", "violet", "plum"),
}
# Who a product is for, as shoppers say it. Each maps onto the catalog's own gender values when it has them.
_AUDIENCE = {
    "women": r"wom[ae]n'?s?|ladies|lady|female|girlfriend|wife|mom|mum|mother|sister|aunt|grandma|for her\b",
    "men": r"m[ae]n'?s?|gents?|male|boyfriend|husband|dad|father|brother|uncle|grandpa|for him\b",
    "kids": r"kids?'?s?|child(?:ren)?'?s?|son|daughter|toddler|boys?|girls?|nephew|niece|"
            r"\d{1,2}[- ]?(?:yo|y/o|years?[- ]old|yr[- ]old)",
}
_AUDIENCE_RE = {k: re.compile(rf"\b(?:{v})\b", re.I) for k, v in _AUDIENCE.items()}
# Who the product is FOR, not who is mentioned ("my kids will knock it into the pool" wants no kids' speaker):
# an audience word after "for (my|our|a)", a possessive or plural form ("womens", "boys'"), "for him/her",
# or an age ("my 7 year old"). A bare mention only steers (``QueryPlan.prefer_audience``).
_NOT_MINE = r"(?<!my )(?<!our )(?<!the )(?<!his )(?<!her )(?<!your )(?<!a )(?<!two )(?<!three )(?<!both )"  # "womens boots", not "my kids will"
_FOR_AUDIENCE = {
    k: re.compile(rf"\bfor (?:my|our|a|an|the|his|her|your)?\s*(?:(?:little|young|teenage|older|younger|big|\d{{1,2}}[- ]?"
                  rf"(?:yo|y/o|years?[- ]old|yr[- ]old))\s+)?(?:{v})\b|\b(?:{forms})\b", re.I)
    for k, v, forms in (
        ("women", _AUDIENCE["women"], rf"{_NOT_MINE}(?:wom[ae]ns?|wom[ae]n's|ladies'?|female)|for her"),
        ("men", _AUDIENCE["men"], rf"{_NOT_MINE}(?:m[ae]ns?|men's|male)|for him|(?:i'?m|i am) a (?:guy|man|dude)"),
        ("kids", _AUDIENCE["kids"], rf"{_NOT_MINE}(?:kids'?|kid's|children'?s?|boys'?|girls'?|toddlers?)|"
                                    r"\d{1,2}[- ]?(?:yo|y/o|years?[- ]old|yr[- ]old)"),
    )
}
_LETTER_SIZES = ["xxs", "xs", "s", "m", "l", "xl", "xxl", "3xl", "4xl"]
_LETTER_NAMES = {"extra small": "xs", "small": "s", "medium": "m", "large": "l", "extra large": "xl", "2xl": "xxl"}
_SIZE_RE = re.compile(r"\b(?:[Ss]ize|[Ss]z|US)\s*(\d{1,2}(?:\.5)?|(?i:xxs|xs|s|m|l|xl|xxl|2xl|3xl|4xl|small|medium|large))\b")
# Amounts a shopper asks for at least of ("at least 20,000mAh", "14+ hours", "1 litre or more"), by unit, with
# the factor to the unit's base. A product meets one when the largest amount it states in that unit reaches it;
# a product that states none is not ruled out (the catalog may just not say).
_UNITS = {
    "mah": (r"mah", 1.0), "hour": (r"h(?:ours?|rs?)?", 1.0), "l": (r"l|liters?|litres?", 1.0), "ml": (r"ml", 0.001),
    "oz": (r"(?:fl\.? )?oz|ounces?", 1.0), "gb": (r"gb", 1.0), "tb": (r"tb", 1000.0), "w": (r"w|watts?", 1.0),
    "lb": (r"lbs?|pounds?", 1.0), "kg": (r"kgs?", 2.20462),
}
_BASE = {"ml": "l", "tb": "gb", "kg": "lb"}
_AMOUNT = r"(\d+(?:\.\d+)?)\s*(" + "|".join(f"(?:{rx})" for rx, _ in _UNITS.values()) + r")\b"
_AT_LEAST = re.compile(
    rf"(?:at least|min(?:imum)?|no less than|more than|over|upwards of)\s*{_AMOUNT}|{_AMOUNT}\s*(?:\+|or more|minimum|min\b)"
    + "|" + _AMOUNT.replace(r"\s*(", r"\s*\+\s*(", 1), re.I)
_ANY_AMOUNT = re.compile(_AMOUNT, re.I)
_LOAD_RE = re.compile(r"\b(\d{1,4}(?:\.\d+)?)\s*(lbs?|pounds?|kg)\b", re.I)
_LOAD_CUES = re.compile(r"\b(fits?|for|holds?|weighs|weighing|supports?|carry|carries)\b", re.I)
_PRICE_RANGE = re.compile(
    r"\$\s*(\d+(?:\.\d+)?)\s*(?:-|–|to)\s*\$?\s*(\d+(?:\.\d+)?)"
    r"|between\s*\$?\s*(\d+(?:\.\d+)?)\s*(?:and|-|to)\s*\$?\s*(\d+(?:\.\d+)?)")
_PRICE_FLOOR = re.compile(
    r"\b(?:over|above|more than|at least|min(?:imum)?|starting at)\s*"
    r"\$\s*(\d+(?:\.\d+)?)", re.I)
_NEGATION = re.compile(r"\b(?:no|not|never|nothing|without|don'?t|won'?t|wouldn'?t|can'?t|do not)\b|n't\b")
_PRICE_TOPS = re.compile(r"\$?\s*(\d+(?:\.\d+)?)\s*(?:tops|max|at most|or less|or under)\b|\btops\s*\$?\s*(\d+(?:\.\d+)?)", re.I)


@dataclass(frozen=True)
class Constraints:
    """Hard limits a shopper stated. ``None`` means not stated."""

    price_min: float | None = None
    price_max: float | None = None
    audience: str | None = None  # women | men | kids, as the shopper meant it
    colors: tuple[str, ...] = ()
    size: str | None = None  # "9", "9.5", "m"
    load_lb: float | None = None  # "fits a 110 lb dog": the product must carry at least this
    minimums: tuple[tuple[str, float], ...] = ()  # ("mah", 20000.0): at least this much, in the unit's base

    def merged(self, newer: "Constraints") -> "Constraints":
        """These constraints, with whatever the newer message states instead."""
        return replace(self, **{k: v for k, v in vars(newer).items() if v not in (None, ())})

    def stated(self) -> dict:
        return {k: v for k, v in vars(self).items() if v not in (None, ())}

    def search_filters(self) -> dict:
        """The part the search path filters on itself."""
        return {k: v for k, v in (("price_min", self.price_min), ("price_max", self.price_max)) if v is not None}

    def violation(self, product: dict, genders: set[str] | None = None) -> str | None:
        """Why a product breaks a constraint, or None when it meets them all."""
        price, attrs = product.get("price"), product.get("attributes") or {}
        if self.price_max is not None and (price is None or price > self.price_max + 1e-9):
            return f"price {price} over {self.price_max}"
        if self.price_min is not None and (price is None or price < self.price_min - 1e-9):
            return f"price {price} under {self.price_min}"
        if self.audience and (gender := str(attrs.get("gender") or "").lower()):
            if gender not in accepted_genders(self.audience, genders):
                return f"for {gender}, not {self.audience}"
        if self.colors and not any(_has_color(product, c) for c in self.colors):
            return f"not in {'/'.join(self.colors)}"
        if self.size and (sizes := attrs.get("sizes") or attrs.get("size")) and not size_fits(self.size, str(sizes)):
            return f"size {self.size} not in {sizes}"
        if self.load_lb is not None and (limit := load_limit_lb(attrs)) is not None and limit < self.load_lb:
            return f"holds {limit:g} lb, under {self.load_lb:g}"
        for unit, wanted in self.minimums:
            stated = stated_amount(product, unit)
            if stated is not None and stated < wanted:
                return f"{stated:g} {unit}, under {wanted:g}"
        return None


def accepted_genders(audience: str, catalog_genders: set[str] | None = None) -> set[str]:
    """The catalog gender values that serve an audience: its own, and unisex for adults."""
    accepted = {audience}
    if audience in ("women", "men"):
        accepted.add(UNISEX)
    if audience == "kids":
        accepted |= {"boys", "girls", "kid", "children", "youth"}
    return accepted & catalog_genders if catalog_genders and accepted & catalog_genders else accepted


def _has_color(product: dict, color: str) -> bool:
    attrs = product.get("attributes") or {}
    text = f"{attrs.get('color') or ''} {product.get('title') or ''}".lower()
    return any(re.search(rf"\b{re.escape(shade)}\b", text) for shade in (color,) + COLOR_SHADES.get(color, ()))


def size_fits(size: str, sizes: str) -> bool:
    """Whether a size is inside a product's size range ("US 6-14", "S-XL", "S, M, L"); unknown forms pass."""
    text = sizes.lower()
    if re.fullmatch(r"\d+(\.5)?", size):
        bounds = re.findall(r"\d+(?:\.\d+)?", text)
        if len(bounds) >= 2 and "-" in text:
            return float(bounds[0]) <= float(size) <= float(bounds[1])
        return True if not bounds else size in bounds or not re.search(r"\bus\b|\beu\b|\buk\b", text)
    letters = [_LETTER_NAMES.get(s, s) for s in re.findall(r"\b(?:xxs|xs|s|m|l|xl|xxl|2xl|3xl|4xl)\b", text)]
    if not letters or size not in _LETTER_SIZES:
        return True
    if "-" in text and len(letters) == 2:
        lo, hi = _LETTER_SIZES.index(letters[0]), _LETTER_SIZES.index(letters[1])
        return lo <= _LETTER_SIZES.index(size) <= hi
    return size in letters


def _amount(number: str, unit_text: str) -> tuple[str, float] | None:
    """("20000", "mAh") -> ("mah", 20000.0), in the unit's base ("500 ml" -> ("l", 0.5))."""
    for unit, (rx, factor) in _UNITS.items():
        if re.fullmatch(rx, unit_text.strip(), re.I):
            return _BASE.get(unit, unit), float(number) * factor
    return None


def stated_amount(product: dict, unit: str) -> float | None:
    """The largest amount a product states in a unit (attributes and description), or None."""
    text = " ".join(f"{v}" for v in (product.get("attributes") or {}).values()) + " " + (product.get("description") or "")
    amounts = [a[1] for m in _ANY_AMOUNT.finditer(text.replace(",", "")) if (a := _amount(*m.groups())) and a[0] == unit]
    return max(amounts) if amounts else None


def load_limit_lb(attributes: dict) -> float | None:
    """The most a product carries or fits, in lb, from attributes such as "fits dogs up to: 90 lb"."""
    best = None
    for key, value in attributes.items():
        key_l, text = key.lower(), str(value).lower()
        if not re.search(r"up to|max|range|fits|capacity|load|holds", key_l + " " + text):
            continue
        for number, unit in re.findall(r"(\d+(?:\.\d+)?)\s*(lbs?|pounds?|kg)\b", text):
            pounds = float(number) * (2.20462 if unit == "kg" else 1.0)
            best = pounds if best is None else max(best, pounds)
    return best


def parse_constraints(text: str) -> Constraints:
    """The hard limits one message states."""
    lowered = text.lower().replace(",", "")
    price_min = price_max = None
    if match := _PRICE_RANGE.search(lowered):
        low, high = (float(g) for g in match.groups() if g is not None)
        price_min, price_max = min(low, high), max(low, high)
    else:
        price_max = parse_budget(text)
        if price_max is None and (tops := _PRICE_TOPS.search(lowered)):
            price_max = float(tops.group(1) or tops.group(2))
        floor = _PRICE_FLOOR.search(lowered)
        if floor and not _NEGATION.search(lowered[max(0, floor.start() - 30):floor.start()]):
            price_min = float(floor.group(1))  # "over $50", but not "don't want to spend more than $50"
    if price_min is not None and price_max is not None and price_min >= price_max:
        price_min = None  # one phrase read both ways ("pay more than $20" is how budgets are stated too)
    audience = None
    hits = {name: m.start() for name, rx in _FOR_AUDIENCE.items() if (m := rx.search(text))}
    if hits:  # "a gift for my wife's son": the first one stated
        audience = min(hits, key=hits.get)
    # "in black? rose gold and sage green aren't my thing": a colour in a negated clause is not a wish.
    wished = set()
    for clause in re.split(r"[.?!;,]|\bbut\b", text.lower()):
        if not _NEGATION.search(clause):
            wished |= set(re.findall(r"[a-z]+", clause))
    colors = tuple(c for c in COLOR_WORDS if c in wished)
    size = None
    if match := _SIZE_RE.search(text):
        size = _LETTER_NAMES.get(match.group(1).lower(), match.group(1).lower())
    load = None
    if (match := _LOAD_RE.search(text)) and _LOAD_CUES.search(text):
        load = float(match.group(1)) * (2.20462 if match.group(2).lower() == "kg" else 1.0)
    minimums = []
    for match in _AT_LEAST.finditer(lowered):
        groups = [g for g in match.groups() if g is not None]
        if (amount := _amount(groups[0], groups[1])) is not None:
            minimums.append(amount)
    return Constraints(price_min, price_max, audience, colors, size, load, tuple(minimums))


# -- the plan ----------------------------------------------------------------------------------------

_CHEAPER = re.compile(r"\b(cheaper|less expensive|lower[- ]priced|more affordable|lower price|too (?:pricey|expensive))\b", re.I)
_SIMILAR = re.compile(r"\b(similar|same (?:kind|type|thing|one)|like (?:that|those|these|this)|those|these|them)\b", re.I)
# A message's best type score (planner.CatalogVocabulary.type_scores) from which it names a need of its own.
NEW_NEED_TYPE_SCORE = 0.55


@dataclass
class QueryPlan:
    types: list[str]
    constraints: Constraints
    soft: str  # the text retrieval ranks by
    named: bool = False  # the shopper named the type (or a refinement carried it)
    carried: bool = False  # earlier turns' needs still hold
    type_scores: dict[str, float] = field(default_factory=dict)
    prefer_audience: str | None = None  # mentioned, not required: products for them go first

    def query(self) -> str:
        kinds = " ".join(self.types[:3])
        return f"{kinds} {self.soft}".strip()

    def describe(self) -> dict:
        return {"types": self.types, "constraints": self.constraints.stated(), "soft": self.soft,
                "carried": self.carried, "prefer_audience": self.prefer_audience}


def mentioned_audience(text: str) -> str | None:
    """The first audience a message mentions at all ("my wife always loses her gloves"): a preference only."""
    hits = {name: m.start() for name, rx in _AUDIENCE_RE.items() if (m := rx.search(text))}
    return min(hits, key=hits.get) if hits else None


def plan_message(text: str, vector: np.ndarray | None, vocabulary: CatalogVocabulary | None) -> QueryPlan:
    """A plan for one message alone."""
    plan = _plan_message(text, vector, vocabulary)
    if plan.constraints.audience is None:
        plan.prefer_audience = mentioned_audience(text)
    return plan


def _plan_message(text: str, vector: np.ndarray | None, vocabulary: CatalogVocabulary | None) -> QueryPlan:
    constraints = parse_constraints(text)
    if vocabulary is None:
        return QueryPlan([], constraints, text)
    named = vocabulary.named_types(text)
    if named:  # "green tea", "face cream": a colour word inside a type's name is not a colour wish
        colors = tuple(c for c in constraints.colors if not any(c in t.split() for t in named))
        return QueryPlan(named[:3], replace(constraints, colors=colors), text, named=True)
    nearest = vocabulary.nearest_types(vector, text) if vector is not None else []
    return QueryPlan([t for t, _ in nearest], constraints, text, type_scores=dict(nearest))


def plan_conversation(current: QueryPlan, earlier: list[QueryPlan], current_text: str,
                      shown_prices: list[float] | None = None, refinement: bool = False) -> QueryPlan:
    """The current message's plan with what still holds from earlier turns.

    A refinement ("in black?", "cheaper", "for my son instead", "under 50 though") keeps the earlier
    types, soft wishes and constraints, replacing only what it states. A message that names its own
    product type, or is a long new request, starts a new need."""
    if not earlier:
        plan = current
    elif current.named and not refinement:
        plan = current  # a new product type: a new need
    elif not refinement and _is_new_need(current, earlier):
        plan = current  # a need of its own, without a product word ("I also need something for my back")
    else:
        base = earlier[0]
        for step in earlier[1:]:
            base = QueryPlan(step.types if step.named else base.types, base.constraints.merged(step.constraints),
                             f"{base.soft} {step.soft}", base.named or step.named)
        types = current.types if current.named else base.types
        plan = QueryPlan(types, base.constraints.merged(current.constraints), f"{base.soft} {current_text}",
                         named=current.named or base.named, carried=True)
    if plan.constraints.audience is None and plan.prefer_audience is None:
        plan.prefer_audience = next((p.prefer_audience for p in [current, *reversed(earlier)] if p.prefer_audience), None)
    if shown_prices and _CHEAPER.search(current_text):
        cap = round(min(shown_prices) - 0.01, 2)
        plan = replace(plan, constraints=replace(plan.constraints, price_max=min(cap, plan.constraints.price_max or cap)))
    return plan


def retrieval_votes(products: list[dict], top: int = 20) -> dict[str, float]:
    """Rank-weighted shares of product types among the first ``top`` retrieved products."""
    weights = [1.0 / (rank + 3) for rank in range(min(top, len(products)))]
    total = sum(weights) or 1.0
    votes: dict[str, float] = {}
    for product, weight in zip(products, weights):
        if kind := product_type(product):
            votes[kind] = votes.get(kind, 0.0) + weight / total
    return votes


def _is_new_need(current: QueryPlan, earlier: list[QueryPlan]) -> bool:
    """Whether a message without a product word starts a new need rather than refining the last one.

    "got anything under 145?", "something similar for my son? he's 7" refine: they point at no kind of product
    of their own. A message whose words sit clearly closer to another kind of product than the one being
    discussed ("now I need something for my sore back") is a new need."""
    if _SIMILAR.search(current.soft):
        return False
    best = max(current.type_scores.values(), default=0.0)
    carried = {t for plan in earlier for t in plan.types}
    top = max(current.type_scores, key=current.type_scores.get) if current.type_scores else None
    return best >= NEW_NEED_TYPE_SCORE and top not in carried


def filter_products(products: list[dict], plan: QueryPlan, genders: set[str] | None = None) -> tuple[list[dict], list[dict]]:
    """(products that meet every hard constraint, the ones that break one), in the given order."""
    kept, broken = [], []
    for product in products:
        (broken if plan.constraints.violation(product, genders) else kept).append(product)
    return kept, broken


def product_type(product: dict) -> str:
    return str((product.get("attributes") or {}).get("type") or product.get("category") or "").strip().lower()


def steer_by_type(products: list[dict], types: list[str], prefer_audience: str | None = None,
                  genders: set[str] | None = None) -> list[dict]:
    """Products of the planned types first, by the types' order; within that, for the audience mentioned."""
    rank = {t: i for i, t in enumerate(types)}
    accepted = accepted_genders(prefer_audience, genders) if prefer_audience else set()

    def key(product: dict) -> tuple[int, bool]:
        gender = str((product.get("attributes") or {}).get("gender") or "").lower()
        return rank.get(product_type(product), len(types)), bool(accepted and gender and gender not in accepted)

    return sorted(products, key=key)
