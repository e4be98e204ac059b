"""The insight job: analyse every review with Ray Data, find topics, summarise products, and register the result.

    ray job submit -- python -m training.insights [--reviews PATH ...] [--events auto|none] [--full]
                                                  [--refit-topics] [--use-gpu] [--actors 1]

Sources: review files (default: the shipped demo reviews) and the event
store's ``review`` events with text. Each review is analysed once: a run
starts from the stable ``insights`` version and sends only the reviews it has
not seen through the model (``--full`` re-analyses everything; so does a new
stable review model). The analysis is batched inference on a Ray Data actor
pool (``--actors``, one GPU each with ``--use-gpu``): sentiment, aspects with
their clause and polarity, and the embedder's vector for topics. Topics are
fitted on the first run (or ``--refit-topics``) and new reviews join them by
nearest centroid afterwards, so topic ids stay stable between runs.

The version holds the per-review analyses, the topic model, a summary
(alerts, topics) and per-reviewer tags; it is made stable at once (it is data, not a
model: the insights deployment follows it and keeps adding reviews that
arrive after it).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
import ray

from retail.insights.aggregate import InsightTable
from retail.insights.model import REVIEW_MODEL
from retail.insights.reviews import read_review_file, reviews_from_events
from retail.insights.topics import TopicModel
from retail.paths import DEMO_REVIEWS, events_url
from retail.registry import ModelRegistry

INSIGHTS_MODEL = "insights"


class AnalyzeBatch:
    """One Ray Data actor: the review model and the embedder, loaded once, applied batch after batch."""

    def __init__(self, model_dir: str, version: str, device: str, cpu_threads: int):
        from retail.embedder import Embedder
        from retail.insights.model import ReviewAnalyzer

        self.analyzer = ReviewAnalyzer(model_dir, version, device=device, cpu_threads=cpu_threads)
        self.embedder = Embedder(device=device)

    def __call__(self, batch: pd.DataFrame) -> pd.DataFrame:
        texts = batch["text"].astype(str).tolist()
        analyses = self.analyzer.analyze(texts, batch["rating"].tolist())
        out = batch.copy()
        out["sentiment"] = [a.sentiment for a in analyses]
        out["aspects"] = [json.dumps(a.aspects) for a in analyses]  # Arrow-friendly; decoded by the driver
        out["vector"] = list(self.embedder.encode(texts).astype(np.float32))
        return out


def collect_reviews(paths: list[Path], events: str) -> tuple[pd.DataFrame, list[str]]:
    frames, sources = [], []
    for path in paths:
        frames.append(read_review_file(path))
        sources.append(str(path))
    if events != "none":
        from retail.recommend.store import open_store

        store = open_store(events_url() if events == "auto" else events)
        try:
            frames.append(reviews_from_events(list(store.scan())))
            sources.append(store.url)
        finally:
            store.close()
    reviews = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return reviews.drop_duplicates("review_id", keep="last").reset_index(drop=True), sources


def analyse(reviews: pd.DataFrame, model_dir: Path, version: str, actors: int, use_gpu: bool,
            batch_size: int) -> pd.DataFrame:
    """Batched inference over a Ray Data actor pool."""
    if reviews.empty:
        return reviews.assign(sentiment=[], aspects=[], vector=[])
    # Blocks made on the driver, not by a repartition task: a task needs a whole free CPU, which a node
    # that also serves the app may not have while the actor pool holds its share.
    blocks = max(1, min(len(reviews) // (batch_size * 4), 64))
    bounds = np.linspace(0, len(reviews), blocks + 1).astype(int)
    dataset = ray.data.from_pandas([reviews.iloc[a:b] for a, b in zip(bounds[:-1], bounds[1:]) if b > a])
    analysed = dataset.map_batches(
        AnalyzeBatch, batch_format="pandas", batch_size=batch_size, concurrency=actors,
        fn_constructor_kwargs={"model_dir": str(model_dir), "version": version,
                               "device": "cuda" if use_gpu else "cpu", "cpu_threads": 0 if use_gpu else 2},
        num_gpus=1 if use_gpu else 0, num_cpus=0 if use_gpu else 0.5,
    ).to_pandas()
    analysed["aspects"] = [json.loads(a) for a in analysed["aspects"]]
    return analysed


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=Path, nargs="*", default=[DEMO_REVIEWS],
                        help="review files (JSONL/CSV/Parquet: review_id, product_id, text; user_id, rating, timestamp)")
    parser.add_argument("--events", default="auto", help="the event store to read review events from; none: skip")
    parser.add_argument("--full", action="store_true", help="re-analyse every review, not only new ones")
    parser.add_argument("--refit-topics", action="store_true", help="fit topics anew on all reviews")
    parser.add_argument("--actors", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--use-gpu", action="store_true")
    parser.add_argument("--registry", type=Path, default=None)
    args = parser.parse_args(argv)

    ray.init(ignore_reinit_error=True)
    registry = ModelRegistry(args.registry)
    model_version, model_dir = registry.require_stable(REVIEW_MODEL, "python -m training.train_review_model")
    from retail.embedder import embedder_version

    reviews, sources = collect_reviews(args.reviews, args.events)
    parent = registry.stable(INSIGHTS_MODEL)
    table, vectors, topics = InsightTable(), {}, None
    if parent and not args.full:
        previous = registry.path(INSIGHTS_MODEL, parent)
        if registry.manifest(INSIGHTS_MODEL, parent).get("review_model_version") == model_version:
            table = InsightTable.load(previous / "analyses.parquet")
            ids = json.loads((previous / "vector_ids.json").read_text())
            vectors = dict(zip(ids, np.load(previous / "vectors.npy").astype(np.float32)))
            topics = None if args.refit_topics else TopicModel.load(previous)
        else:
            print(f"the stable review model ({model_version}) is not the one {parent} used: analysing everything")
    new = reviews[~reviews["review_id"].isin(table.ids)]
    print(f"{len(reviews)} reviews from {sources}; {len(new)} not analysed yet (parent {parent})")
    if new.empty and parent and not args.refit_topics:
        summary = {"insights_version": parent, "new_reviews": 0, "reviews": len(table)}
        print("nothing new: the stable version stands\n" + json.dumps(summary))
        return summary

    started = time.perf_counter()
    analysed = analyse(new, model_dir / "model", model_version, args.actors, args.use_gpu, args.batch_size)
    analyse_s = time.perf_counter() - started
    vectors |= dict(zip(analysed["review_id"], analysed["vector"]))
    analysed = analysed.drop(columns=["vector"])
    analysed["topic"] = -1
    table.merge(analysed)
    ids = list(table.frame["review_id"])
    matrix = np.stack([vectors[i] for i in ids]) if ids else np.zeros((0, 384), np.float32)
    if topics is None:
        topics, assigned = TopicModel.fit(matrix, list(table.frame["text"]))
        table.frame["topic"] = assigned
    else:
        fresh = table.frame["review_id"].isin(set(analysed["review_id"])).to_numpy()
        table.frame.loc[fresh, "topic"] = topics.assign(matrix[fresh])
    print(f"analysed {len(analysed)} reviews in {analyse_s:.1f}s ({len(analysed) / max(analyse_s, 1e-9):.0f}/s); "
          f"{len(topics.words)} topics, outlier share {float(np.mean(table.frame['topic'] < 0)):.3f}")

    version, directory = registry.new_version(INSIGHTS_MODEL)
    table.save(directory / "analyses.parquet")
    np.save(directory / "vectors.npy", matrix.astype(np.float16))
    (directory / "vector_ids.json").write_text(json.dumps(ids))
    topics.save(directory)
    alerts = table.alerts()
    # Tags from what each reviewer wrote and reviewed (the deployment adds their live behaviour on request).
    from retail.index import ProductIndex
    from retail.insights.tags import ItemFacts, shopper_tags

    facts = ItemFacts.from_catalog(ProductIndex.load(registry.require_stable("index", "python -m training.build_index")[1]).products)
    with (directory / "shopper_tags.jsonl").open("w") as f:
        for user_id, rows in table.frame.groupby("user_id"):
            tags = shopper_tags(rows, None, facts)
            if tags:
                f.write(json.dumps({"user_id": user_id, "tags": tags}) + "\n")
    sentiment = table.frame["sentiment"].value_counts().to_dict()
    (directory / "summary.json").write_text(json.dumps(
        {"alerts": alerts, "topics": table.topics(topics.labels, topics.words)["topics"]}, indent=1, default=float))
    manifest = {"review_model_version": model_version, "embedder_version": embedder_version(), "parent": parent,
                "sources": sources, "reviews": len(table), "new_reviews": int(len(analysed)),
                "analyse_s": round(analyse_s, 1), "actors": args.actors, "use_gpu": args.use_gpu,
                "sentiment": {k: int(v) for k, v in sentiment.items()}, "alerts": len(alerts),
                "topics": {**topics.fit_stats, "outlier_share_now": round(float(np.mean(table.frame["topic"] < 0)), 4)}}
    registry.publish(INSIGHTS_MODEL, version, manifest, make_stable=True)
    summary = {"insights_version": version, "new_reviews": int(len(analysed)), "reviews": len(table),
               "alerts": len(alerts)}
    print(json.dumps(summary))
    return summary


if __name__ == "__main__":
    main()
