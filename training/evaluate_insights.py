"""Review analysis on the hand-written held-out reviews: the review model next to two baselines, in one run.

    python -m training.evaluate_insights [--version V] [--llm smollm2-135m] [--no-llm] [--json]

Rows: the stable review model (``retail.insights.model``) reading the text
and the star rating, as it serves, and the text alone; the star rating alone
(1-2 negative, 3 neutral, 4-5 positive); a lexicon baseline
(VADER, with aspect keywords for extraction) and zero-shot classification with
the chat LLM (sentiment and the polarity of each gold aspect; it extracts no
aspects). The set (``data/reviews_heldout/``) was written by hand,
independently of the demo review generator the model is trained on; see
``retail.insights.evaluation`` for the metrics.

A second table scores sentence sentiment on real shoppers' sentences: the
fifth of the people-rated Amazon review sentences that training never sees
(``retail.insights.public_sentiment``), the review model next to VADER.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from retail.insights import public_sentiment
from retail.insights.evaluation import (LexiconBaseline, ZeroShotLLM, evaluate_review_model, evaluate_sentences,
                                        evaluate_system, format_by_class, format_sentence_table, format_table,
                                        model_sentence_polarities, read_labelled, stars_alone)
from retail.insights.model import REVIEW_MODEL, ReviewAnalyzer
from retail.paths import HELDOUT_REVIEWS
from retail.registry import ModelRegistry


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heldout", type=Path, default=HELDOUT_REVIEWS)
    parser.add_argument("--version", default=None, help="review model version (default: stable)")
    parser.add_argument("--llm", default="smollm2-135m", help="the chat LLM of the zero-shot row")
    parser.add_argument("--no-llm", action="store_true")
    parser.add_argument("--registry", type=Path, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    registry = ModelRegistry(args.registry)
    version = args.version or registry.require_stable(REVIEW_MODEL, "python -m training.train_review_model")[0]
    reviews = read_labelled(args.heldout)
    rows, seconds = [], {}
    started = time.perf_counter()
    analyzer = ReviewAnalyzer(registry.path(REVIEW_MODEL, version) / "model", version)
    rows.append(evaluate_review_model(analyzer, reviews))
    rows.append(evaluate_review_model(analyzer, reviews, with_stars=False))
    seconds["review model (both rows)"] = time.perf_counter() - started
    rows.append(stars_alone(reviews))
    started = time.perf_counter()
    lexicon = LexiconBaseline()
    rows.append(evaluate_system("lexicon (VADER + keywords)", reviews, lexicon.polarity, lexicon.aspect_polarity,
                                lexicon.extract))
    seconds["lexicon"] = time.perf_counter() - started
    if not args.no_llm:
        started = time.perf_counter()
        llm = ZeroShotLLM(args.llm)
        rows.append(evaluate_system(f"zero-shot LLM ({args.llm})", reviews, llm.polarity, llm.aspect_polarity))
        seconds["zero-shot LLM"] = time.perf_counter() - started
    sentence_rows = []
    if public_sentiment.available():
        _, dev = public_sentiment.dev_split(public_sentiment.load(["amazon"]))
        texts = [r["text"] for r in dev]
        sentence_rows = [evaluate_sentences("review model", dev, model_sentence_polarities(analyzer, texts)),
                         evaluate_sentences("lexicon (VADER)", dev, [lexicon.polarity(t) for t in texts])]
    if args.json:
        print(json.dumps({"heldout_reviews": rows, "rated_amazon_sentences": sentence_rows}, indent=2))
        return rows
    aspects = sum(len(r["aspects"]) for r in reviews)
    print(f"\nreview analysis: {len(reviews)} hand-written held-out reviews, {aspects} labelled aspects "
          f"({args.heldout.relative_to(args.heldout.parents[2]) if len(args.heldout.parents) > 2 else args.heldout})")
    print(f"review model {version}")
    print(format_table(rows))
    print(f"\n{format_by_class(rows)}")
    if sentence_rows:
        print(f"\nsentence sentiment: {sentence_rows[0]['n']} people-rated Amazon review sentences never trained on "
              f"({public_sentiment.PACKAGE}, ICWSM-14 data)")
        print(format_sentence_table(sentence_rows))
    print("seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in seconds.items()))
    return rows


if __name__ == "__main__":
    main()
