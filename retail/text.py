"""Shopper-text analysis shared by the lexical index and the ranking features.

One tokenizer for catalog text and queries, so BM25, field-match features and
their training all see the same tokens:

* lower case, split on anything that is not a letter or digit, English
  stopwords dropped, Snowball-stemmed (PyStemmer) so "shoes" finds "shoe";
* a token that mixes letters and digits ("32oz", "x5pro", "6ft") also yields
  its parts ("32", "oz"), so "32 oz" and "32oz" meet.

``parse_price_limit`` reads the budget a shopper types ("under $50",
"less than 30 dollars", "max 100"), a generic constraint a ranker can check
against the catalog price.
"""

from __future__ import annotations

import functools
import re

_WORD = re.compile(r"[a-z0-9]+")
_ALNUM_PARTS = re.compile(r"[a-z]+|[0-9]+")
STOPWORDS = frozenset(
    "a an and are as at be by for from has have i in is it its me my of on or our that the this to was we with "
    "you your want need looking look find some something any good best new".split()
)
# "under 50" is a budget; "up to 24 hours" and "under 10 lbs" are not.
_UNIT = (r"(?!\s*(?:hours?|hrs?|h\b|min|mins|minutes?|inch|inches|in\b|\"|cm|mm|m\b|ft|feet|foot|oz|ounces?|lbs?|"
         r"pounds?|kg|g\b|gb|tb|mb|mah|w\b|watts?|v\b|volts?|%|pack|count|ct\b|pcs|pieces?|people|persons?|years?|"
         r"yrs?|months?|days?|l\b|liters?|litres?|ml|qt|quarts?|gallons?|sq|square|degrees?|mph|k\b))")
_PRICE_LIMIT = re.compile(
    r"(?:under|below|less than|cheaper than|max|maximum|up to|within|<)\s*"
    r"(?:\$\s*(\d+(?:\.\d+)?)|(\d+(?:\.\d+)?)\s*(?:dollars?|usd|bucks)\b|(\d+(?:\.\d+)?)\b" + _UNIT + ")"
)
_PRICE_LIMIT_SUFFIX = re.compile(r"\$\s*(\d+(?:\.\d+)?)\s*(?:or less|max|and under)")


@functools.lru_cache(maxsize=1)
def _stemmer():
    import Stemmer  # PyStemmer: the Snowball stemmers in C

    return Stemmer.Stemmer("english")


@functools.lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)


def tokenize(text: str) -> list[str]:
    """Stemmed, stopword-free tokens; letter-digit mixes also give their parts."""
    tokens = []
    for word in _WORD.findall(text.lower()):
        if word in STOPWORDS:
            continue
        tokens.append(_stem(word))
        if not word.isalpha() and not word.isdigit():
            tokens.extend(_stem(part) for part in _ALNUM_PARTS.findall(word))
    return tokens


def parse_price_limit(query: str) -> float | None:
    """The price ceiling a query states, or None."""
    text = query.lower().replace(",", "")
    match = _PRICE_LIMIT.search(text) or _PRICE_LIMIT_SUFFIX.search(text)
    return float(next(g for g in match.groups() if g is not None)) if match else None


def strip_price_limit(query: str) -> str:
    """The query without its budget phrase: "under $50" is a constraint, not words to match."""
    text = _PRICE_LIMIT.sub(" ", query.lower().replace(",", ""))
    return _PRICE_LIMIT_SUFFIX.sub(" ", text).strip()


# How shoppers state a budget in conversation, beyond the search-box forms above.
_BUDGET_PHRASE = re.compile(
    r"(?:no more than|not more than|(?:spend|pay|spending|paying)(?: any)? (?:more than|over|above)|"
    r"nothing (?:over|above|more than)|not (?:over|above)|budget(?: of| is)?|at most)\s*"
    r"(?:\$\s*(\d+(?:\.\d+)?)|(\d+(?:\.\d+)?)" + _UNIT + ")"
)
_BUDGET_RANGE = re.compile(r"\$?\s*(\d+(?:\.\d+)?)\s*(?:-|to)\s*\$?\s*(\d+(?:\.\d+)?)\s*(?:dollars?|bucks|usd)\b")


def parse_budget(message: str) -> float | None:
    """A price ceiling stated anywhere in a chat message ("nothing over 25", "30-40 bucks"), or None."""
    limit = parse_price_limit(message)
    if limit is not None:
        return limit
    text = message.lower().replace(",", "")
    if (match := _BUDGET_PHRASE.search(text)) is not None:
        return float(next(g for g in match.groups() if g))
    if (match := _BUDGET_RANGE.search(text)) is not None:
        return float(match.group(2))
    return None
