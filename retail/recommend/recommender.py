"""The recommender: candidate sources, fused, filtered, diversified, each result with its reason. No Ray needed.

Sources (each scores every item, or has nothing to say):
    sequential   the SASRec model's next item after the shopper's recent steps
    together     item-kNN from the shopper's recent items ("bought or viewed together")
    profile      the shopper's interest vector against item text vectors (covers searches, chat mentions,
                 and products that no one has touched yet)
    context      the request's context (text, or a product) against item text vectors
    popular      what is popular now (live counts from the event store), or in training

A product with no events is not in item-kNN's table, so "together" could never
name it. It borrows the rows and columns of its nearest products by text that
have events ("bridging"): a new colourway or next year's model goes with what
its predecessors went with, scaled by how alike the texts are.

They are fused by weighted reciprocal rank (scale-free, so no source's score
range dominates), plus the shopper's category and brand affinities. The
weights are fitted on a validation split by the training job. A shopper with
no events falls back to context and popularity; one with no context either
gets trending items spread over categories.

A registry version (``RecommenderArtifact``) holds the sequential model, the
item-kNN table, training popularity and fusion weights, keyed by product id;
``Recommender`` binds it to the catalog being served, so products added since
training are still ranked (by text), and reported as having no events.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse

from retail.recommend.baselines import ItemKNN, Popularity, top_per_row
from retail.recommend.interactions import EVENT_WEIGHT, ItemTable
from retail.recommend.profile import ShopperProfile, session_propensity
from retail.recommend.sequential import SASRec, SequentialScorer

SOURCES = ("sequential", "together", "profile", "context", "popular")
DEFAULT_WEIGHTS = {"sequential": 1.0, "together": 1.0, "profile": 1.0, "context": 2.0, "popular": 0.5,
                   "affinity": 0.5}
RRF_K = 60
COUNT_SOURCES = {"together", "popular"}  # sources whose score is a count: 0 is no evidence at all
POOL = 300  # each source's leaders that enter the fusion
RECENT_STEPS = 20  # what "together" and reasons look back over; the sequential model reads its own max_len
BRIDGE_NEIGHBOURS = 5  # text neighbours a product with no events borrows its item-kNN row and column from


@dataclass
class RecommenderArtifact:
    item_ids: list[str]
    popularity: np.ndarray
    knn: ItemKNN
    sasrec: SASRec | None
    weights: dict[str, float]
    meta: dict = field(default_factory=dict)

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        np.save(directory / "popularity.npy", self.popularity)
        self.knn.save(directory / "knn.npz")
        if self.sasrec is not None:
            self.sasrec.save(directory / "sasrec", {})
        (directory / "recommender.json").write_text(json.dumps(
            {"item_ids": self.item_ids, "weights": self.weights, "meta": self.meta}))

    @classmethod
    def load(cls, directory: Path) -> "RecommenderArtifact":
        info = json.loads((directory / "recommender.json").read_text())
        sasrec = SASRec.load(directory / "sasrec")[0] if (directory / "sasrec").exists() else None
        return cls(info["item_ids"], np.load(directory / "popularity.npy"), ItemKNN.load(directory / "knn.npz"),
                   sasrec, info["weights"], info.get("meta", {}))


@dataclass
class Recommendation:
    row: int
    score: float
    source: str
    reason: str
    long_tail: bool
    new_item: bool


class Recommender:
    def __init__(self, artifact: RecommenderArtifact, items: ItemTable, version: str | None = None,
                 diversity: float = 0.3, duplicate_similarity: float = 0.92, long_tail_share: float = 0.2,
                 bridge_neighbours: int = BRIDGE_NEIGHBOURS, new_item_share: float = 0.1):
        self.items, self.version, self.artifact = items, version, artifact
        self.weights = {**DEFAULT_WEIGHTS, **artifact.weights}
        self.diversity, self.duplicate_similarity, self.long_tail_share = diversity, duplicate_similarity, long_tail_share
        self.new_item_share = new_item_share
        n = len(items)
        model_rows = np.array([items.row_of.get(pid, -1) for pid in artifact.item_ids])
        known = model_rows >= 0
        self.popularity = np.zeros(n, np.float32)
        self.popularity[model_rows[known]] = artifact.popularity[known]
        self.no_events = self.popularity == 0
        self.knn = ItemKNN(bridge_new_items(_remap(artifact.knn.similarity, model_rows, n), items.vectors,
                                            self.no_events, bridge_neighbours))
        self.sequential = None
        if artifact.sasrec is not None:
            id_rows = np.zeros(n, np.int64)
            id_rows[model_rows[known]] = np.flatnonzero(known) + 1
            self.sequential = SequentialScorer(artifact.sasrec, items.vectors, id_rows)
        self.long_tail = Popularity(self.popularity).long_tail()
        self.category = items.column("category")
        self.brand = items.column("brand")
        self.titles = items.column("title")

    # -- sources -------------------------------------------------------------------------------
    def source_scores(self, profile: ShopperProfile | None, context: np.ndarray | None = None,
                      trending: np.ndarray | None = None, sequential: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """``sequential``: this shopper's next-item scores when already computed (evaluations batch them)."""
        steps = profile.steps[-RECENT_STEPS:] if profile else []
        scores: dict[str, np.ndarray] = {}
        if sequential is not None:
            scores["sequential"] = sequential
        elif steps and self.sequential is not None:
            scores["sequential"] = self.sequential.scores([profile.steps])[0]
        if steps:
            weights = [EVENT_WEIGHT_BY_TYPE_ID.get(s.type_id, 1.0) * 0.8 ** (len(steps) - 1 - i) for i, s in enumerate(steps)]
            together = self.knn.scores([s.item for s in steps], weights)
            if together.any():
                scores["together"] = together
        if profile is not None and profile.interest is not None:
            scores["profile"] = self.items.vectors @ profile.interest
        if context is not None:
            scores["context"] = self.items.vectors @ context
        popular = trending if trending is not None and trending.any() else self.popularity
        scores["popular"] = np.log1p(popular)
        return scores

    def fuse(self, scores: dict[str, np.ndarray], profile: ShopperProfile | None,
             weights: dict[str, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Fused score per item, and the index (into SOURCES) of the source that contributed most."""
        w = dict(weights or self.weights)
        if not any(name in scores for name in SOURCES if name != "popular"):
            w["popular"] = max(w.get("popular", 0.0), 1.0)  # nothing else to go on: popularity is the answer
        if "profile" in scores and not any(name in scores for name in ("sequential", "together")):
            # Weights are fitted on shoppers with a history; with none, what they searched or asked is the taste.
            w["profile"] = max(w.get("profile", 0.0), 1.0)
        n = len(self.items)
        contributions = np.zeros((len(SOURCES), n), np.float32)
        for s, name in enumerate(SOURCES):
            if name not in scores or w.get(name, 0) <= 0:
                continue
            values = scores[name]
            leaders = np.argpartition(-values, min(POOL, n - 1))[:POOL]
            leaders = leaders[np.argsort(-values[leaders], kind="stable")]
            if name in COUNT_SOURCES:  # zero means "never seen together" / "never bought": no rank to give
                leaders = leaders[values[leaders] > 0]
            contributions[s, leaders] = w[name] / (RRF_K + 1 + np.arange(len(leaders)))
            if name == "popular" and len(leaders):
                # A product no one has had the chance to see is not a poor seller: it ranks as a median one.
                unseen = self.no_events & (contributions[s] == 0)
                contributions[s, unseen] = w[name] / (RRF_K + 1 + len(leaders) / 2)
        fused = contributions.sum(axis=0)
        if profile is not None and w.get("affinity", 0) > 0 and profile.category_affinity:
            affinity = np.array([profile.category_affinity.get(c, 0.0) for c in self.category], np.float32)
            affinity += np.array([profile.brand_affinity.get(b, 0.0) for b in self.brand], np.float32)
            fused += w["affinity"] * affinity / (RRF_K + 1)
        main = contributions.argmax(axis=0)
        main[contributions.max(axis=0) <= 0] = SOURCES.index("popular")  # no source ranked it: a filler
        return fused, main

    # -- the page -------------------------------------------------------------------------------
    def recommend(self, profile: ShopperProfile | None, top_k: int = 10, context: np.ndarray | None = None,
                  context_label: str | None = None, trending: np.ndarray | None = None,
                  allowed: np.ndarray | None = None, exclude: set[int] | None = None,
                  diversify: bool = True, sequential: np.ndarray | None = None) -> list[Recommendation]:
        scores = self.source_scores(profile, context, trending, sequential)
        fused, main_source = self.fuse(scores, profile)
        if not (profile and profile.steps) and context is None and "profile" not in scores:
            diversify = True  # a stranger with no context: spread trending items over categories
        mask = np.ones(len(self.items), bool) if allowed is None else allowed.copy()
        for row in (exclude or set()) | {s.item for s in (profile.steps if profile else [])}:
            mask[row] = False
        fused = np.where(mask, fused, -np.inf)
        pool = np.argsort(-fused, kind="stable")[: max(5 * top_k, 50)]
        pool = pool[np.isfinite(fused[pool])]
        chosen = self._diversify(pool, fused, top_k) if diversify else list(pool[:top_k])
        chosen = self._make_room_for_new_items(chosen, fused, top_k)
        return [Recommendation(int(r), float(fused[r]), SOURCES[main_source[r]],
                               self.reason(int(r), SOURCES[main_source[r]], profile, context_label),
                               bool(self.long_tail[r]), bool(self.no_events[r])) for r in chosen]

    def _diversify(self, pool: np.ndarray, fused: np.ndarray, top_k: int) -> list[int]:
        """Greedy MMR over the pool: near-duplicates (another colour of the same product) never share a page,
        and at least ``long_tail_share`` of the page is long tail when the pool has enough of it."""
        if len(pool) == 0:
            return []
        vectors = self.items.vectors[pool]
        relevance = fused[pool]
        spread = relevance.max() - relevance.min()
        relevance = (relevance - relevance.min()) / spread if spread > 0 else np.ones_like(relevance)
        nearest = np.full(len(pool), -1.0, np.float32)
        tail_quota = int(np.ceil(self.long_tail_share * top_k))
        chosen: list[int] = []
        available = np.ones(len(pool), bool)
        while len(chosen) < top_k and available.any():
            need_tail = tail_quota - sum(self.long_tail[pool[c]] for c in chosen)
            slots_left = top_k - len(chosen)
            candidates = available & (self.long_tail[pool] if need_tail >= slots_left else True)
            if not candidates.any():
                candidates = available
            value = np.where(candidates, relevance - self.diversity * np.maximum(nearest, 0), -np.inf)
            pick = int(np.argmax(value))
            chosen.append(pick)
            available[pick] = False
            similarity = vectors @ vectors[pick]
            nearest = np.maximum(nearest, similarity)
            available &= similarity < self.duplicate_similarity
        return [int(pool[c]) for c in chosen]

    def _make_room_for_new_items(self, chosen: list[int], fused: np.ndarray, top_k: int) -> list[int]:
        """At least ``new_item_share`` of the page (rounded up) for products with no events, when any may be shown.

        Every source but text ranks a product no one has touched below those with a history, so without room
        kept for it a new product is never shown and never gets the events that would rank it (the
        evaluation's new-products table measures this). The best new items by fused score take the places
        of the lowest-ranked others, and come last on the page."""
        quota = int(np.ceil(self.new_item_share * top_k)) if self.new_item_share > 0 else 0
        missing = quota - sum(bool(self.no_events[r]) for r in chosen)
        if missing <= 0 or not chosen:
            return chosen
        candidates = np.flatnonzero(self.no_events & np.isfinite(fused))
        candidates = candidates[np.argsort(-fused[candidates], kind="stable")]
        taken = set(chosen)
        kept_vectors = self.items.vectors[chosen]
        picks = []
        for row in candidates:
            if len(picks) == missing:
                break
            if row in taken or (kept_vectors @ self.items.vectors[row]).max() >= self.duplicate_similarity:
                continue  # a colourway of something already on the page is no new choice
            picks.append(int(row))
        if not picks:
            return chosen
        others = [i for i, r in enumerate(chosen) if not self.no_events[r]]
        dropped = set(others[len(others) - len(picks):]) if len(picks) <= len(others) else set(others)
        kept = [r for i, r in enumerate(chosen) if i not in dropped]
        return (kept + picks)[:top_k]

    def reason(self, row: int, source: str, profile: ShopperProfile | None, context_label: str | None) -> str:
        category = self.category[row]
        steps = profile.steps[-RECENT_STEPS:] if profile else []
        if source == "sequential" and steps:
            last = steps[-1]
            verb = {5: "bought", 4: "added to your cart", 3: "asked about"}.get(last.type_id, "viewed")
            return f"because you {verb} {self.titles[last.item]}"
        if source == "together" and steps:
            anchor = max(steps, key=lambda s: self.knn.similarity[s.item, row])
            if self.no_events[row] or self.no_events[anchor.item]:  # a bridged pair: no one has had both yet
                return f"new, and like what goes with {self.titles[anchor.item]}"
            return f"often bought or viewed with {self.titles[anchor.item]}"
        if source == "context" and context_label:
            return f"related to {context_label}"
        if source == "profile" and profile is not None:
            if profile.recent_texts:
                return f"for your search \"{profile.recent_texts[0]}\""
            if profile.category_affinity:
                return f"matches your interest in {max(profile.category_affinity, key=profile.category_affinity.get)}"
        if self.no_events[row]:
            return f"new in {category}"
        return f"popular in {category} this week"

    def propensity(self, profile: ShopperProfile) -> float | None:
        if not profile.steps:
            return None
        if self.sequential is not None:
            return float(self.sequential.propensity([profile.steps])[0])
        return session_propensity(profile.steps)


EVENT_WEIGHT_BY_TYPE_ID = {1: EVENT_WEIGHT["view"], 2: EVENT_WEIGHT["click"], 3: EVENT_WEIGHT["chat_mention"],
                           4: EVENT_WEIGHT["add_to_cart"], 5: EVENT_WEIGHT["purchase"]}


def bridge_new_items(similarity: sparse.csr_matrix, vectors: np.ndarray, new: np.ndarray,
                     neighbours: int = BRIDGE_NEIGHBOURS, keep: int = 100, chunk: int = 1024) -> sparse.csr_matrix:
    """Item-kNN rows and columns for the ``new`` items (no events), borrowed from their text neighbours.

    A new item's row is the mean, over its ``neighbours`` most similar items (by text) that have a row, of
    their rows, each scaled by its text similarity; its column likewise. So a product with one close twin
    (similarity 0.95) and no other look-alikes gets a fifth of its twin's strength: a near relative counts,
    a distant one hardly. Nothing changes for items with events."""
    warm = np.flatnonzero(~new & (np.diff(similarity.indptr) > 0))
    cold = np.flatnonzero(new)
    m = min(neighbours, len(warm))
    if m <= 0 or not len(cold):
        return similarity
    rows, cols, values = [], [], []
    for start in range(0, len(cold), chunk):  # chunks: a large new range against a large catalog fits in memory
        part = cold[start: start + chunk]
        text_similarity = vectors[part] @ vectors[warm].T
        nearest = np.argpartition(-text_similarity, m - 1, axis=1)[:, :m]
        weight = np.take_along_axis(text_similarity, nearest, axis=1).clip(min=0) / m
        rows.append(np.repeat(part, m))
        cols.append(warm[nearest].ravel())
        values.append(weight.ravel())
    bridge = sparse.csr_matrix((np.concatenate(values).astype(np.float32),
                                (np.concatenate(rows), np.concatenate(cols))), shape=similarity.shape)
    borrowed_rows = top_per_row((bridge @ similarity).tocsr(), keep)  # what the new item's look-alikes go with
    borrowed_columns = (similarity @ bridge.T).tocsr()  # and, for each item, its look-alikes' new relatives
    return (similarity + borrowed_rows + borrowed_columns).tocsr()


def _remap(similarity: sparse.csr_matrix, model_rows: np.ndarray, n: int) -> sparse.csr_matrix:
    """The artifact's item-item table in the served catalog's rows (items no longer sold drop out)."""
    coo = similarity.tocoo()
    rows, cols = model_rows[coo.row], model_rows[coo.col]
    keep = (rows >= 0) & (cols >= 0)
    return sparse.csr_matrix((coo.data[keep], (rows[keep], cols[keep])), shape=(n, n))

