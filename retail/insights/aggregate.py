"""From analysed reviews to what a merchandiser reads: product summaries, topic trends, alerts.

The same code runs in the insight job (which writes the results into its
registry version) and in the insights deployment (which adds reviews that
arrived since, as they arrive), so a number in the API and in the artifact
are computed one way.

Alerts. For each product and aspect, the share of the product's reviews that
complain about the aspect in the last ``window_days`` is compared with the
share over the ``baseline_days`` before it. An alert needs all of: at least
``min_negative`` complaints in the window, a share at least ``min_ratio``
times the baseline's (a baseline with no complaints counts as one
complaint's worth, so a first complaint is not an infinite jump), and a
one-sided Fisher exact test under ``alpha`` (a few reviews do not make a
trend). "Now" is the newest review's time, as "this week" is for trending.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from retail.insights.aspects import ASPECTS, POLARITIES

DAY_S = 86400
COLUMNS = ["review_id", "user_id", "product_id", "rating", "timestamp", "text", "sentiment", "aspects", "topic"]


@dataclass
class AlertPolicy:
    window_days: float = 7.0
    baseline_days: float = 28.0
    min_negative: int = 3
    min_ratio: float = 2.0
    alpha: float = 0.05


class InsightTable:
    """Analysed reviews, one row each, indexed by product and by shopper."""

    def __init__(self, rows: pd.DataFrame | None = None):
        self.frame = pd.DataFrame(columns=COLUMNS) if rows is None else rows.reindex(columns=COLUMNS)
        self._index()

    def _index(self) -> None:
        self.frame = self.frame.drop_duplicates("review_id", keep="last").reset_index(drop=True)
        self.by_product = self.frame.groupby("product_id").indices if len(self.frame) else {}
        self.by_user = self.frame.groupby("user_id").indices if len(self.frame) else {}
        self.ids = set(self.frame["review_id"])

    def __len__(self) -> int:
        return len(self.frame)

    def merge(self, rows: pd.DataFrame) -> int:
        """Add analysed reviews (a review id already present is replaced); returns how many were new."""
        rows = rows.reindex(columns=COLUMNS)
        new = int((~rows["review_id"].isin(self.ids)).sum())
        self.frame = pd.concat([self.frame, rows], ignore_index=True) if len(self.frame) else rows.copy()
        self._index()
        return new

    # -- storage -------------------------------------------------------------------------------------------
    def save(self, path: Path) -> None:
        frame = self.frame.copy()
        frame["aspects"] = [json.dumps(a) for a in frame["aspects"]]
        frame.to_parquet(path, index=False)

    @classmethod
    def load(cls, path: Path) -> "InsightTable":
        frame = pd.read_parquet(path)
        frame["aspects"] = [json.loads(a) for a in frame["aspects"]]
        return cls(frame)

    # -- per product ---------------------------------------------------------------------------------------
    def product(self, product_id: str, quotes: int = 2) -> dict:
        rows = self.frame.iloc[self.by_product.get(product_id, [])]
        sentiment = Counter(rows["sentiment"])
        aspects = {}
        for analysed in rows.itertuples():
            for a in analysed.aspects:
                entry = aspects.setdefault(a["aspect"], {p: 0 for p in POLARITIES} | {"quotes": {p: [] for p in POLARITIES}})
                entry[a["polarity"]] += 1
                if len(entry["quotes"][a["polarity"]]) < quotes:
                    entry["quotes"][a["polarity"]].append({"review_id": analysed.review_id, "text": a["span"]})
        for entry in aspects.values():
            mentions = sum(entry[p] for p in POLARITIES)
            entry["mentions"] = mentions
            entry["negative_share"] = round(entry["negative"] / mentions, 3)
        ranked = sorted(aspects.items(), key=lambda kv: -kv[1]["mentions"])
        praised = sorted((a for a in ranked if a[1]["positive"] > 0), key=lambda kv: -kv[1]["positive"])
        complained = sorted((a for a in ranked if a[1]["negative"] > 0), key=lambda kv: -kv[1]["negative"])
        topics = Counter(int(t) for t in rows["topic"] if t is not None and not pd.isna(t) and int(t) >= 0)
        return {
            "product_id": product_id, "reviews": int(len(rows)),
            "average_rating": None if rows.empty else round(float(rows["rating"].mean()), 2),
            "sentiment": {p: int(sentiment.get(p, 0)) for p in POLARITIES},
            "aspects": [{"aspect": name, **entry} for name, entry in ranked],
            "most_praised": [{"aspect": n, "positive": e["positive"], "quote": (e["quotes"]["positive"] or [None])[0]}
                             for n, e in praised[:3]],
            "most_complained_about": [{"aspect": n, "negative": e["negative"],
                                       "quote": (e["quotes"]["negative"] or [None])[0]} for n, e in complained[:3]],
            "topics": [{"topic": t, "reviews": n} for t, n in topics.most_common(5)],
            "latest_review": None if rows.empty else float(rows["timestamp"].max()),
        }

    # -- catalog-wide --------------------------------------------------------------------------------------
    def now(self) -> float | None:
        return None if self.frame.empty else float(self.frame["timestamp"].max())

    def topics(self, labels: list[str], words: list[list[str]], weeks: int = 8) -> dict:
        frame = self.frame
        now = self.now()
        if now is None:
            return {"topics": [], "weeks": [], "outlier_share": None}
        week = np.floor((now - frame["timestamp"].to_numpy(float)) / (7 * DAY_S)).astype(int)
        topic = frame["topic"].fillna(-1).astype(int).to_numpy()
        negative = (frame["sentiment"] == "negative").to_numpy()
        week_starts = [now - (w + 1) * 7 * DAY_S for w in reversed(range(weeks))]
        out = []
        for t, label in enumerate(labels):
            mine = topic == t
            counts = [int(np.sum(mine & (week == w))) for w in reversed(range(weeks))]
            out.append({"topic": t, "label": label, "words": words[t], "reviews": int(mine.sum()),
                        "share": round(float(mine.mean()), 4),
                        "negative_share": round(float(negative[mine].mean()), 3) if mine.any() else None,
                        "weekly_reviews": counts})
        out.sort(key=lambda t: -t["reviews"])
        return {"topics": out, "week_starts": [round(w, 3) for w in week_starts],
                "outlier_share": round(float(np.mean(topic < 0)), 4), "reviews": int(len(frame))}

    def aspects(self, top_products: int = 3, titles: dict[str, str] | None = None) -> list[dict]:
        """Catalog-wide: each aspect's mentions by polarity, most complained-about first, with the products
        drawing the most complaints about it."""
        counts: dict[str, Counter] = {}
        complaints: dict[str, Counter] = {}
        for product_id, mentions in zip(self.frame["product_id"], self.frame["aspects"]):
            for a in mentions:
                counts.setdefault(a["aspect"], Counter())[a["polarity"]] += 1
                if a["polarity"] == "negative":
                    complaints.setdefault(a["aspect"], Counter())[product_id] += 1
        out = []
        for aspect, by_polarity in counts.items():
            mentions = sum(by_polarity.values())
            out.append({"aspect": aspect, "mentions": mentions, **{p: by_polarity.get(p, 0) for p in POLARITIES},
                        "negative_share": round(by_polarity.get("negative", 0) / mentions, 3),
                        "top_products": [{"product_id": pid, "title": (titles or {}).get(pid), "negative": n}
                                         for pid, n in complaints.get(aspect, Counter()).most_common(top_products)]})
        out.sort(key=lambda a: (-a["negative"], a["aspect"]))
        return out

    def alerts(self, policy: AlertPolicy = AlertPolicy(), titles: dict[str, str] | None = None) -> list[dict]:
        from scipy.stats import fisher_exact

        now = self.now()
        if now is None:
            return []
        frame = self.frame
        age = now - frame["timestamp"].to_numpy(float)
        in_window = age <= policy.window_days * DAY_S
        in_baseline = ~in_window & (age <= (policy.window_days + policy.baseline_days) * DAY_S)
        alerts = []
        for product_id in frame.loc[in_window, "product_id"].unique():
            rows = self.by_product[product_id]
            recent, before = rows[in_window[rows]], rows[in_baseline[rows]]
            for aspect in ASPECTS:
                hits_recent = _complaints(frame, recent, aspect)
                if hits_recent < policy.min_negative:
                    continue
                hits_before = _complaints(frame, before, aspect)
                share_recent = hits_recent / len(recent)
                share_before = max(hits_before, 1) / max(len(before), 1)
                if share_recent < policy.min_ratio * share_before:
                    continue
                table = [[hits_recent, len(recent) - hits_recent], [hits_before, len(before) - hits_before]]
                p_value = float(fisher_exact(table, alternative="greater")[1])
                if p_value >= policy.alpha:
                    continue
                quotes = [a["span"] for i in recent for a in frame.at[i, "aspects"]
                          if a["aspect"] == aspect and a["polarity"] == "negative"][:3]
                alerts.append({
                    "product_id": product_id, "title": (titles or {}).get(product_id), "aspect": aspect,
                    "complaints_recent": hits_recent, "reviews_recent": int(len(recent)),
                    "complaints_before": hits_before, "reviews_before": int(len(before)),
                    "negative_share_recent": round(share_recent, 3),
                    "negative_share_before": round(hits_before / len(before), 3) if len(before) else None,
                    "p_value": round(p_value, 5), "quotes": quotes})
        alerts.sort(key=lambda a: a["p_value"])
        return alerts

    def shopper_reviews(self, user_id: str) -> pd.DataFrame:
        return self.frame.iloc[self.by_user.get(user_id, [])]


def _complaints(frame: pd.DataFrame, rows: np.ndarray, aspect: str) -> int:
    """Reviews among ``rows`` with a negative mention of the aspect."""
    return sum(any(a["aspect"] == aspect and a["polarity"] == "negative" for a in frame.at[i, "aspects"]) for i in rows)
