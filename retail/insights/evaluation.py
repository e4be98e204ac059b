"""Evaluation of review analysis on a labelled set, next to two baselines computed in the same run.

Metrics (``data/reviews_heldout/``, written by hand, independently of the demo generator):
    sentiment            accuracy and macro-F1 over negative / neutral / positive
    aspect extraction    micro F1 over (review, aspect) pairs: which aspects a review talks about
    aspect sentiment     macro-F1 of the polarity given each gold aspect (the SemEval-14 protocol PyABSA reports)
    aspect + polarity    micro F1 over (review, aspect, polarity) triples: extraction and polarity together

Systems:
    review model   the fine-tuned MiniLM (``retail.insights.model``)
    lexicon        VADER (``vaderSentiment``) for polarity, and aspect keywords for extraction: a clause that
                   names an aspect's word gets that aspect, with VADER's polarity of the clause
    zero-shot LLM  the chat LLM asked for the sentiment (of the review, or of one aspect) and read from the
                   probabilities of the three answer words; it extracts no aspects
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from retail.insights.aspects import ASPECT_LABELS, ASPECTS, POLARITIES, split_clauses


def read_labelled(path: str | Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]


def sentiment_scores(gold: list[str], predicted: list[str]) -> dict:
    from sklearn.metrics import accuracy_score, f1_score

    return {"accuracy": float(accuracy_score(gold, predicted)),
            "macro_f1": float(f1_score(gold, predicted, labels=list(POLARITIES), average="macro", zero_division=0))}


def _f1(gold: set, predicted: set) -> float:
    hits = len(gold & predicted)
    if not gold and not predicted:
        return 1.0
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(gold) if gold else 0.0
    return 0.0 if hits == 0 else 2 * precision * recall / (precision + recall)


def aspect_scores(reviews: list[dict], extracted: list[list[dict]] | None, polarity_given_gold: list[list[str]]) -> dict:
    """``extracted``: per review, the predicted {"aspect", "polarity"} (None: the system extracts nothing);
    ``polarity_given_gold``: per review, the predicted polarity of each gold aspect, in order."""
    from sklearn.metrics import f1_score

    gold_polarity = [a["polarity"] for r in reviews for a in r["aspects"]]
    predicted_polarity = [p for ps in polarity_given_gold for p in ps]
    per_class = f1_score(gold_polarity, predicted_polarity, labels=list(POLARITIES), average=None, zero_division=0)
    scores = {"aspect_sentiment_macro_f1": float(np.mean(per_class)),
              "aspect_sentiment_f1_by_class": {p: float(f) for p, f in zip(POLARITIES, per_class)},
              "aspect_sentiment_accuracy": float(np.mean([g == p for g, p in zip(gold_polarity, predicted_polarity)]))}
    if extracted is not None:
        gold_pairs = {(i, a["aspect"]) for i, r in enumerate(reviews) for a in r["aspects"]}
        gold_triples = {(i, a["aspect"], a["polarity"]) for i, r in enumerate(reviews) for a in r["aspects"]}
        pairs = {(i, a["aspect"]) for i, found in enumerate(extracted) for a in found}
        triples = {(i, a["aspect"], a["polarity"]) for i, found in enumerate(extracted) for a in found}
        scores |= {"aspect_extraction_f1": _f1(gold_pairs, pairs), "aspect_polarity_f1": _f1(gold_triples, triples)}
    return scores


# -- the lexicon baseline ------------------------------------------------------------------------------------------
# The words a keyword approach would look for; written from the aspect definitions, not from any review set.
ASPECT_KEYWORDS = {
    "comfort": ["comfort", "comfy", "soft", "cushion", "itch", "scratchy", "cozy", "cosy", "pinch", "ergonomic"],
    "fit": ["fit", "size", "small", "large", "tight", "loose", "snug", "length", "long", "short", "wide", "narrow"],
    "durability": ["durab", "broke", "break", "tear", "torn", "last", "sturdy", "flimsy", "fell apart", "wear",
                   "stitch", "crack", "quality"],
    "battery": ["battery", "charge", "charging", "charger", "recharge"],
    "performance": ["work", "perform", "sound", "picture", "suction", "warm", "waterproof", "grip", "fast",
                    "slow", "effective", "signal", "connect", "cook", "clean"],
    "appearance": ["look", "color", "colour", "design", "style", "pretty", "beautiful", "ugly", "photo", "cute"],
    "value": ["price", "value", "worth", "cheap", "expensive", "money", "overpriced", "deal", "cost", "bargain"],
    "delivery": ["deliver", "shipping", "shipped", "arrived", "package", "packaging", "box", "courier", "late"],
    "customer_service": ["service", "support", "seller", "refund", "return", "replacement", "warranty", "customer"],
    "ease_of_use": ["easy", "setup", "set up", "assembl", "instruction", "install", "use", "manual", "app"],
    "taste_scent": ["taste", "flavor", "flavour", "smell", "scent", "fragrance", "delicious", "stink", "odor"],
}


class LexiconBaseline:
    def __init__(self):
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self.vader = SentimentIntensityAnalyzer()
        self.patterns = {a: re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + ")", re.IGNORECASE)
                         for a, words in ASPECT_KEYWORDS.items()}

    def polarity(self, text: str) -> str:
        compound = self.vader.polarity_scores(text)["compound"]
        return "positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral"

    def extract(self, text: str) -> list[dict]:
        found = {}
        for start, end in split_clauses(text):
            clause = text[start:end]
            for aspect, pattern in self.patterns.items():
                if aspect not in found and pattern.search(clause):
                    found[aspect] = {"aspect": aspect, "polarity": self.polarity(clause)}
        return list(found.values())

    def aspect_polarity(self, text: str, aspect: str) -> str:
        for start, end in split_clauses(text):
            if self.patterns[aspect].search(text[start:end]):
                return self.polarity(text[start:end])
        return self.polarity(text)


# -- the zero-shot LLM baseline ------------------------------------------------------------------------------------
class ZeroShotLLM:
    """The chat LLM as a classifier: the probability of each answer word after the question (one forward pass)."""

    def __init__(self, model: str = "smollm2-135m", device: str = "cpu"):
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        from retail.llm_weights import resolve_model

        folder = resolve_model(model)
        self.name, self.device, self.torch = model, device, torch
        self.tokenizer = AutoTokenizer.from_pretrained(str(folder))
        self.model = AutoModelForCausalLM.from_pretrained(str(folder)).to(device).eval()
        # The first token of each answer word (with and without a leading space): its probability is the answer's.
        self.answer_ids = {p: sorted({self.tokenizer.encode(w, add_special_tokens=False)[0] for w in (p, " " + p)})
                           for p in POLARITIES}

    def _ask(self, question: str) -> str:
        messages = [{"role": "user", "content": question}]
        ids = self.tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=True)
        if not isinstance(ids, list):
            ids = ids["input_ids"]
        with self.torch.inference_mode():
            logits = self.model(self.torch.tensor([ids], device=self.device)).logits[0, -1].float()
        probabilities = self.torch.softmax(logits, -1)
        return max(POLARITIES, key=lambda p: float(probabilities[self.answer_ids[p]].sum()))

    def polarity(self, text: str) -> str:
        return self._ask(f"Product review: \"{text}\"\nIs the sentiment of this review positive, neutral or "
                         "negative? Answer with one word.")

    def aspect_polarity(self, text: str, aspect: str) -> str:
        return self._ask(f"Product review: \"{text}\"\nWhat does the reviewer think of the product's "
                         f"{ASPECT_LABELS[aspect]}: positive, neutral or negative? Answer with one word.")


def evaluate_system(name: str, reviews: list[dict], polarity, aspect_polarity, extract=None) -> dict:
    """One row of the table: any system given as functions of the review text."""
    sentiment = sentiment_scores([r["sentiment"] for r in reviews], [polarity(r["text"]) for r in reviews])
    given_gold = [[aspect_polarity(r["text"], a["aspect"]) for a in r["aspects"]] for r in reviews]
    extracted = [extract(r["text"]) for r in reviews] if extract else None
    return {"system": name, **sentiment, **aspect_scores(reviews, extracted, given_gold)}


def evaluate_review_model(analyzer, reviews: list[dict], with_stars: bool = True) -> dict:
    """The review model reading the text and, ``with_stars``, the review's star rating as served."""
    ratings = [r.get("rating") if with_stars else None for r in reviews]
    analyses = analyzer.analyze([r["text"] for r in reviews], ratings)
    sentiment = sentiment_scores([r["sentiment"] for r in reviews], [a.sentiment for a in analyses])
    given_gold = [[analyzer.aspect_polarity(r["text"], a["aspect"], rating) for a in r["aspects"]]
                  for r, rating in zip(reviews, ratings)]
    return {"system": f"review model, text{' + stars' if with_stars else ' only'}", **sentiment,
            **aspect_scores(reviews, [a.aspects for a in analyses], given_gold)}


def stars_alone(reviews: list[dict]) -> dict:
    """The star rating as the sentiment (1-2 negative, 3 neutral, 4-5 positive): what the text must add to."""
    def of(rating):
        return "negative" if rating <= 2 else "neutral" if rating == 3 else "positive"

    sentiment = sentiment_scores([r["sentiment"] for r in reviews], [of(r["rating"]) for r in reviews])
    given_gold = [[of(r["rating"]) for _ in r["aspects"]] for r in reviews]
    return {"system": "star rating alone", **sentiment, **aspect_scores(reviews, None, given_gold)}


def format_by_class(rows: list[dict]) -> str:
    """Aspect-sentiment F1 per polarity: where the macro average loses (the neutral class, usually)."""
    lines = [f"{'aspect-sentiment F1 by class':<34}" + "".join(f"{p:>12}" for p in POLARITIES)]
    for row in rows:
        by_class = row.get("aspect_sentiment_f1_by_class")
        if by_class:
            lines.append(f"{row['system'][:33]:<34}" + "".join(f"{by_class[p]:>12.3f}" for p in POLARITIES))
    return "\n".join(lines)


def evaluate_sentences(name: str, rows: list[dict], polarities: list[str]) -> dict:
    """Sentence sentiment against people's ratings (``retail.insights.public_sentiment``'s dev split)."""
    return {"system": name, "n": len(rows), **sentiment_scores([r["sentiment"] for r in rows], polarities)}


def model_sentence_polarities(analyzer, texts: list[str]) -> list[str]:
    sentiment, _ = analyzer.scores(texts)
    return [POLARITIES[int(row.argmax())] for row in sentiment]


def format_sentence_table(rows: list[dict]) -> str:
    lines = [f"{'system':<34}{'accuracy':>12}{'macro-F1':>12}"]
    lines += [f"{row['system'][:33]:<34}{row['accuracy']:>12.3f}{row['macro_f1']:>12.3f}" for row in rows]
    return "\n".join(lines)


COLUMNS = ("accuracy", "macro_f1", "aspect_extraction_f1", "aspect_sentiment_macro_f1", "aspect_polarity_f1")


def format_table(rows: list[dict]) -> str:
    header = f"{'system':<34}" + "".join(f"{c:>27}" for c in ("sentiment acc", "sentiment macro-F1",
                                                             "aspect extraction F1", "aspect-sentiment macro-F1",
                                                             "aspect+polarity F1"))
    lines = [header]
    for row in rows:
        cells = "".join(f"{row[c]:>27.3f}" if row.get(c) is not None else f"{'-':>27}" for c in COLUMNS)
        lines.append(f"{row['system'][:33]:<34}{cells}")
    return "\n".join(lines)
