"""Offline evaluation of recommenders: leave-last-out by time, full-catalogue ranking, baselines in the same run.

Protocol (as RecBole's and Microsoft Recommenders'): per shopper, the last new
item is the test target and the one before it the validation target; models
fit on what came before the validation target; every item the shopper already
touched is excluded from the ranking. Metrics: hit rate and nDCG at 10 over
the whole catalogue; the sampled protocol (the target among 100 random
unseen items) is printed too, only to compare with published tables.

``fit_and_evaluate`` is the whole pipeline; the training job and ``make eval``
both run it, with the sequential model trained by Ray Train or in process.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from retail.recommend.baselines import ItemKNN, Popularity
from retail.recommend.interactions import (TYPE_ID, ItemTable, Split, Step, leave_last_out,
                                           sequences_by_shopper)
from retail.recommend.profile import ShopperProfile, build_profile, session_propensity
from retail.recommend.recommender import DEFAULT_WEIGHTS, SOURCES, Recommender, RecommenderArtifact
from retail.recommend.sequential import SASRec, SASRecConfig, training_rows

K = 10
TYPE_NAME = {v: k for k, v in TYPE_ID.items() if k != "review"}
WEIGHT_GRID = (0.0, 0.25, 0.5, 1.0, 2.0, 4.0)


@dataclass
class Case:
    user: str
    history: list[Step]
    target: int
    target_time: float
    profile: ShopperProfile


@dataclass
class Evaluation:
    dataset: str
    table: dict[str, dict[str, float]] = field(default_factory=dict)
    extras: dict[str, float | int | str] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)


def cases_for(users: dict[str, tuple[list[Step], Step]], texts_by_user: dict[str, list[dict]], items: ItemTable,
              text_vectors: dict[str, np.ndarray], limit: int | None = None, seed: int = 0) -> list[Case]:
    """A profile per shopper from exactly the history before the target (its steps, and texts sent before it)."""
    names = sorted(users)
    if limit and len(names) > limit:
        names = sorted(np.random.default_rng(seed).choice(names, size=limit, replace=False))
    cases = []
    for user in names:
        history, target = users[user]
        cut = history[-1].timestamp if history else -np.inf  # what was known at the last step, no more
        events = [{"type": TYPE_NAME[s.type_id], "product_id": items.ids[s.item], "timestamp": s.timestamp,
                   "session_id": s.session} for s in history]
        events += [e for e in texts_by_user.get(user, []) if e["timestamp"] <= cut]
        cases.append(Case(user, history, target.item, target.timestamp,
                          build_profile(user, events, items, text_vectors)))
    return cases


def rank_of(scores: np.ndarray, target: int, excluded: np.ndarray) -> int:
    """0-based rank of the target among the items not excluded (ties count against the target)."""
    s = np.where(excluded, -np.inf, scores)
    return int((s > s[target]).sum() + ((s == s[target]).sum() - 1))


def sampled_rank(scores: np.ndarray, target: int, excluded: np.ndarray, rng: np.random.Generator,
                 negatives: int = 100) -> int:
    pool = np.flatnonzero(~excluded)
    pool = pool[pool != target]
    sample = rng.choice(pool, size=min(negatives, len(pool)), replace=False)
    return int((scores[sample] >= scores[target]).sum())


def hit_ndcg(ranks: list[int], k: int = K) -> dict[str, float]:
    r = np.asarray(ranks)
    return {"hr@10": float((r < k).mean()) if len(r) else 0.0,
            "ndcg@10": float(np.where(r < k, 1 / np.log2(r + 2), 0).mean()) if len(r) else 0.0}


def sequential_scores(recommender: Recommender, profiles: list[ShopperProfile],
                      batch: int = 256) -> list[np.ndarray | None]:
    """Next-item scores per profile, a batch at a time (one at a time is most of an evaluation's time)."""
    if recommender.sequential is None:
        return [None] * len(profiles)
    out: list[np.ndarray | None] = []
    for start in range(0, len(profiles), batch):
        chunk = [p.steps for p in profiles[start: start + batch]]
        scores = recommender.sequential.scores(chunk)
        out.extend(s if steps else None for s, steps in zip(scores, chunk))
    return out


class Fusion:
    """Per case, every source's RRF contribution [S+1, N] (the last row: affinity), for fast weight fitting."""

    def __init__(self, recommender: Recommender, cases: list[Case]):
        self.recommender, self.cases = recommender, cases
        n = len(recommender.items)
        self.rows = []
        self.excluded = []
        self.sequential = sequential_scores(recommender, [c.profile for c in cases])
        for case, sequential in zip(cases, self.sequential):
            scores = recommender.source_scores(case.profile, sequential=sequential)
            unit = {name: 1.0 for name in SOURCES}
            contributions = np.zeros((len(SOURCES) + 1, n), np.float32)
            for s, name in enumerate(SOURCES):
                if name in scores:
                    contributions[s] = recommender.fuse({name: scores[name]}, None, unit)[0]
            affinity_only = {name: 0.0 for name in SOURCES} | {"affinity": 1.0}
            contributions[-1] = recommender.fuse({}, case.profile, affinity_only)[0]
            self.rows.append(contributions)
            excluded = np.zeros(n, bool)
            excluded[[s.item for s in case.history]] = True
            self.excluded.append(excluded)

    def vector(self, weights: dict[str, float]) -> np.ndarray:
        return np.array([weights.get(name, 0.0) for name in SOURCES] + [weights.get("affinity", 0.0)], np.float32)

    def ranks(self, weights: dict[str, float]) -> list[int]:
        w = self.vector(weights)
        return [rank_of(w @ rows, case.target, excluded)
                for rows, case, excluded in zip(self.rows, self.cases, self.excluded)]

    def fit(self, rounds: int = 2) -> dict[str, float]:
        """Coordinate ascent over a small grid, on validation nDCG@10 (fit here, never on the test targets)."""
        weights = dict(DEFAULT_WEIGHTS)
        best = hit_ndcg(self.ranks(weights))["ndcg@10"]
        for _ in range(rounds):
            for name in (*SOURCES, "affinity"):
                for value in WEIGHT_GRID:
                    trial = weights | {name: value}
                    score = hit_ndcg(self.ranks(trial))["ndcg@10"]
                    if score > best + 1e-6:
                        best, weights = score, trial
        return weights


def train_sasrec_locally(rows: list[dict], text_vectors: np.ndarray, config: SASRecConfig, epochs: int,
                         seed: int = 0) -> SASRec:
    import torch

    from retail.recommend.sequential import train_epochs

    torch.manual_seed(seed)
    model = SASRec(config)
    train_epochs(model, rows, torch.from_numpy(text_vectors).float(), epochs, seed=seed)
    return model.eval()


@dataclass
class Fitted:
    """Every model fitted on a split's training part, fusion weights fitted on its validation targets."""

    popularity: Popularity
    knn: ItemKNN
    artifact: RecommenderArtifact
    train_windows: int


def texts_by_shopper(events: list[dict]) -> dict[str, list[dict]]:
    texts: dict[str, list[dict]] = {}
    for e in events:
        if e.get("text") and e["type"] in ("search", "chat_mention"):
            texts.setdefault(e["user_id"], []).append(e)
    return texts


def fit_models(dataset: str, items: ItemTable, split: Split, texts: dict[str, list[dict]],
               text_vectors: dict[str, np.ndarray], epochs: int, train: Callable | None = None,
               max_cases: int | None = 2000, seed: int = 0) -> Fitted:
    n = len(items)
    popularity = Popularity.fit(split.train, n)
    knn = ItemKNN.fit(split.train, n)
    config = SASRecConfig(n_items=n, text_dim=items.vectors.shape[1])
    rows = training_rows(split.train, config.max_len)
    sasrec = (train or train_sasrec_locally)(rows, items.vectors, config, epochs)
    base = RecommenderArtifact(list(items.ids), popularity.counts, knn, sasrec, dict(DEFAULT_WEIGHTS),
                               {"dataset": dataset})
    # Weights are fitted on a sample of the validation shoppers (a thousand pin them down; it is 72 rankings each).
    valid = Fusion(Recommender(base, items),
                   cases_for(split.valid, texts, items, text_vectors, min(max_cases or 1000, 1000), seed))
    artifact = RecommenderArtifact(base.item_ids, base.popularity, knn, sasrec, valid.fit(), base.meta)
    return Fitted(popularity, knn, artifact, len(rows))


def fit_and_evaluate(dataset: str, items: ItemTable, events: list[dict], text_vectors: dict[str, np.ndarray],
                     epochs: int = 30, train: Callable | None = None, max_cases: int | None = 2000,
                     seed: int = 0) -> tuple[Evaluation, RecommenderArtifact]:
    """Split, fit every model on the training part, fit fusion weights on validation, report on test.

    ``train(rows, item_vectors, config, epochs)`` trains the sequential model (default: in this process)."""
    sequences = sequences_by_shopper(events, items)
    split = leave_last_out(sequences)
    texts = texts_by_shopper(events)
    fitted = fit_models(dataset, items, split, texts, text_vectors, epochs, train, max_cases, seed)
    popularity, knn, artifact = fitted.popularity, fitted.knn, fitted.artifact
    recommender = Recommender(artifact, items)
    test_cases = cases_for(split.test, texts, items, text_vectors, max_cases, seed)
    result = Evaluation(dataset, weights=artifact.weights)
    fusion = Fusion(recommender, test_cases)
    result.table = _compare(fusion, popularity, knn, seed)
    result.extras = {"shoppers": len(sequences), "items": len(items), "test_cases": len(test_cases),
                     "train_windows": fitted.train_windows} | _beyond_accuracy(fusion)
    result.extras |= _cold_items(fusion, popularity, knn)
    for prior in (0, 1):
        cold = cold_start_shoppers(recommender, test_cases, texts, items, text_vectors, prior, popularity)
        result.extras |= {f"cold-start {prior}-event {k}": v for k, v in cold.items()}
    result.extras |= {f"propensity {k}": v for k, v in propensity_auc(recommender, sequences, split, seed).items()}
    return result, artifact


def new_products_split(split: Split, n_items: int, share: float, seed: int = 0) -> tuple[Split, np.ndarray]:
    """Launch a seeded random ``share`` of the test targets' items as new products: every event on them leaves
    the training part and the histories, validation targets on them go, and the test keeps both kinds of
    target (so the cost on the others is measured too). Returns that split and the new items' mask."""
    targets = sorted({target.item for _, target in split.test.values()})
    rng = np.random.default_rng(seed)
    new = np.zeros(n_items, bool)
    new[rng.choice(targets, size=max(1, round(share * len(targets))), replace=False)] = True

    def strip(steps: list[Step]) -> list[Step]:
        return [s for s in steps if not new[s.item]]

    return Split({u: strip(steps) for u, steps in split.train.items()},
                 {u: (strip(h), t) for u, (h, t) in split.valid.items() if not new[t.item]},
                 {u: (strip(h), t) for u, (h, t) in split.test.items()}), new


def evaluate_new_products(dataset: str, items: ItemTable, events: list[dict], text_vectors: dict[str, np.ndarray],
                          share: float = 0.1, epochs: int = 30, train: Callable | None = None,
                          max_cases: int | None = 2000, seed: int = 0) -> Evaluation:
    """Strict item cold start: products launched after training (see ``new_products_split``), ranked over the
    whole catalogue for the shoppers whose next new item was one of them. Every model is refitted without them.

    Rows: popularity and item-kNN (blind to them by construction), the sequential model (their text half
    only), the shopper's interest vector alone (content-based), the full recommender's ranking without and
    with bridging, and the page it serves (bridged, with its share kept for new products, undiversified);
    the full rows are also scored on the other targets, for what each costs there."""
    split, new = new_products_split(leave_last_out(sequences_by_shopper(events, items)), len(items), share, seed)
    texts = texts_by_shopper(events)
    fitted = fit_models(dataset, items, split, texts, text_vectors, epochs, train, max_cases, seed)
    cases = cases_for(split.test, texts, items, text_vectors, max_cases, seed)
    bridged = Fusion(Recommender(fitted.artifact, items), cases)
    plain = Fusion(Recommender(fitted.artifact, items, bridge_neighbours=0), cases)
    zeros = np.zeros(len(items), np.float32)
    systems: dict[str, Callable[[int, Case], np.ndarray]] = {
        "popularity": lambda i, c: fitted.popularity.scores(),
        "item-kNN": lambda i, c: fitted.knn.scores([s.item for s in c.history]),
        "sequential": lambda i, c: zeros if bridged.sequential[i] is None else bridged.sequential[i],
        "profile (content)": lambda i, c: zeros if c.profile.interest is None else items.vectors @ c.profile.interest,
        "full, no bridging": lambda i, c: plain.vector(fitted.artifact.weights) @ plain.rows[i],
        "full": lambda i, c: bridged.vector(fitted.artifact.weights) @ bridged.rows[i],
    }
    result = Evaluation(f"{dataset}, new products", weights=fitted.artifact.weights)
    served = bridged.recommender
    share = served.new_item_share
    for group, wanted in (("new", True), ("other", False)):
        chosen = [i for i, c in enumerate(cases) if new[c.target] == wanted]
        for name, score in systems.items():
            if group == "other" and not name.startswith("full"):
                continue
            ranks = [rank_of(score(i, cases[i]).astype(np.float64), cases[i].target, bridged.excluded[i])
                     for i in chosen]
            result.table[f"{name} [{group} targets]"] = hit_ndcg(ranks)
        for label, recommender in ((f"full page, no bridging, {share:.0%} kept for new", plain.recommender),
                                   (f"full page, {share:.0%} kept for new", served)):
            pages = [[r.row for r in recommender.recommend(cases[i].profile, top_k=K, diversify=False,
                                                           sequential=bridged.sequential[i])] for i in chosen]
            ranks = [page.index(cases[i].target) if cases[i].target in page else K for i, page in zip(chosen, pages)]
            result.table[f"{label} [{group} targets]"] = hit_ndcg(ranks)
    result.extras = {"new products": int(new.sum()), "items": len(items), "new-product test cases":
                     sum(bool(new[c.target]) for c in cases), "other test cases": sum(not new[c.target] for c in cases)}
    return result


def print_new_products(result: Evaluation) -> None:
    print(f"\n{result.dataset}: {result.extras['new products']} of {result.extras['items']} items launched after "
          f"training ({result.extras['new-product test cases']} test shoppers' next item is one of them, "
          f"{result.extras['other test cases']} others)")
    print(f"{'system':<58}{'HR@10':>9}{'nDCG@10':>10}")
    for name, m in result.table.items():
        print(f"{name:<58}{m['hr@10']:>9.4f}{m['ndcg@10']:>10.4f}")


def print_evaluation(result: Evaluation) -> None:
    print(f"\n{result.dataset}: leave-last-out, full-catalogue ranking "
          f"({result.extras.get('test_cases')} test shoppers, {result.extras.get('items')} items)")
    print(f"{'system':<14}{'HR@10':>9}{'nDCG@10':>10}   {'sampled-100 HR@10':>18}{'nDCG@10':>10}")
    for name, m in result.table.items():
        print(f"{name:<14}{m['hr@10']:>9.4f}{m['ndcg@10']:>10.4f}   {m['sampled hr@10']:>18.4f}{m['sampled ndcg@10']:>10.4f}")
    knn, full = result.table["item-kNN"]["ndcg@10"], result.table["full"]["ndcg@10"]
    print(f"full vs item-kNN nDCG@10: {100 * (full / knn - 1):+.1f}%" if knn else "item-kNN nDCG@10 is 0")
    for key, value in result.extras.items():
        if key not in ("test_cases", "items"):
            print(f"  {key:<44}{value:.4f}" if isinstance(value, float) else f"  {key:<44}{value}")
    print("  fusion weights (fitted on validation): " + ", ".join(f"{k} {v:g}" for k, v in result.weights.items()))


def gate(result: Evaluation) -> tuple[bool, str]:
    """A version may serve only if it beats both baselines on its own held-out targets."""
    full = result.table["full"]["ndcg@10"]
    best_name = max(("popularity", "item-kNN"), key=lambda n: result.table[n]["ndcg@10"])
    best = result.table[best_name]["ndcg@10"]
    verdict = "passes" if full > best else "fails"
    return full > best, f"{verdict} the gate: test nDCG@10 {full:.4f} vs {best:.4f} for {best_name}"


def _compare(fusion: Fusion, popularity: Popularity, knn: ItemKNN, seed: int) -> dict[str, dict[str, float]]:
    rng = np.random.default_rng(seed)
    recommender, cases = fusion.recommender, fusion.cases
    zeros = np.zeros(len(recommender.items), np.float32)
    systems: dict[str, Callable[[int, Case], np.ndarray]] = {
        "popularity": lambda i, c: popularity.scores(),
        "item-kNN": lambda i, c: knn.scores([s.item for s in c.history]),
        "sequential": lambda i, c: zeros if fusion.sequential[i] is None else fusion.sequential[i],
        "full": lambda i, c: fusion.vector(recommender.weights) @ fusion.rows[i],
    }
    table = {}
    for name, score in systems.items():
        full, sampled = [], []
        for i, case in enumerate(cases):
            s = score(i, case).astype(np.float64)
            full.append(rank_of(s, case.target, fusion.excluded[i]))
            sampled.append(sampled_rank(s, case.target, fusion.excluded[i], rng))
        metrics = hit_ndcg(full)
        sampled_metrics = hit_ndcg(sampled)
        table[name] = metrics | {"sampled hr@10": sampled_metrics["hr@10"], "sampled ndcg@10": sampled_metrics["ndcg@10"]}
    return table


def _beyond_accuracy(fusion: Fusion) -> dict[str, float]:
    """The served page (fused, then diversified): catalogue coverage and long-tail share."""
    recommender, cases = fusion.recommender, fusion.cases
    shown, tail, hits = set(), [], []
    for case, sequential in zip(cases, fusion.sequential):
        page = recommender.recommend(case.profile, top_k=K, sequential=sequential)
        shown.update(r.row for r in page)
        tail.extend(r.long_tail for r in page)
        hits.append(case.target in {r.row for r in page})
    plain_shown, plain_tail = set(), []
    for case, sequential in zip(cases, fusion.sequential):
        page = recommender.recommend(case.profile, top_k=K, diversify=False, sequential=sequential)
        plain_shown.update(r.row for r in page)
        plain_tail.extend(r.long_tail for r in page)
    return {"coverage (served page)": len(shown) / len(recommender.items),
            "long-tail share (served page)": float(np.mean(tail)) if tail else 0.0,
            "hr@10 (served page)": float(np.mean(hits)) if hits else 0.0,
            "coverage (fused, undiversified)": len(plain_shown) / len(recommender.items),
            "long-tail share (fused, undiversified)": float(np.mean(plain_tail)) if plain_tail else 0.0}


def _cold_items(fusion: Fusion, popularity: Popularity, knn: ItemKNN) -> dict:
    """Test targets that never occurred in training: only text can find them."""
    cold = [i for i, c in enumerate(fusion.cases) if popularity.counts[c.target] == 0]
    if not cold:
        return {"cold-item cases": 0}
    weights = fusion.vector(fusion.recommender.weights)
    full = [rank_of(weights @ fusion.rows[i], fusion.cases[i].target, fusion.excluded[i]) for i in cold]
    knn_ranks = [rank_of(knn.scores([s.item for s in fusion.cases[i].history]), fusion.cases[i].target,
                         fusion.excluded[i]) for i in cold]
    return {"cold-item cases": len(cold), "cold-item hr@10 full": hit_ndcg(full)["hr@10"],
            "cold-item hr@10 item-kNN": hit_ndcg(knn_ranks)["hr@10"]}


def cold_start_shoppers(recommender: Recommender, cases: list[Case], texts_by_user: dict[str, list[dict]],
                        items: ItemTable, text_vectors: dict[str, np.ndarray], prior: int,
                        popularity: Popularity) -> dict[str, float]:
    """Shoppers cut to their last ``prior`` steps before the target, and the searches they made since.

    A new shopper usually arrives with a search: that text is the only other thing the recommender gets
    (and popularity, by definition, ignores it)."""
    kept = []
    for case in cases:
        history = case.history[-prior:] if prior else []
        # Texts since the kept steps (or, with none kept, since the last step the shopper "never made").
        start = history[0].timestamp if history else (case.history[-1].timestamp if case.history else -np.inf)
        texts = [e for e in texts_by_user.get(case.user, []) if start <= e["timestamp"] < case.target_time]
        if not history and not texts:
            continue
        events = [{"type": TYPE_NAME[s.type_id], "product_id": items.ids[s.item], "timestamp": s.timestamp,
                   "session_id": s.session} for s in history] + texts
        kept.append((case, history, build_profile(case.user, events, items, text_vectors)))
    full, pop = [], []
    scores = sequential_scores(recommender, [profile for _, _, profile in kept])
    for (case, history, profile), sequential in zip(kept, scores):
        excluded = np.zeros(len(items), bool)
        excluded[[s.item for s in history]] = True
        page = recommender.recommend(profile, top_k=K, diversify=False, sequential=sequential)
        full.append(next((i for i, r in enumerate(page) if r.row == case.target), K))
        pop.append(rank_of(popularity.scores().astype(np.float64), case.target, excluded))
    if not full:
        return {"cases": 0}
    return {"cases": len(full), "hr@10 full": hit_ndcg(full)["hr@10"], "hr@10 popularity": hit_ndcg(pop)["hr@10"]}


def propensity_auc(recommender: Recommender, sequences: dict[str, list[Step]], split: Split,
                   seed: int = 0) -> dict[str, float]:
    """Sessions that start after the training cut (never seen in training, their labels from the whole log):
    from a random prefix before any purchase, does the session buy?"""
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(seed)
    model, baseline, labels = [], [], []
    for user in split.test:
        steps, trained = sequences[user], len(split.train[user])
        held_out = [i for i, s in enumerate(steps) if i >= trained and s.session is not None
                    and (i == 0 or steps[i - 1].session != s.session) and s.session not in
                    {t.session for t in steps[:trained]}]
        if not held_out:
            continue
        start = held_out[-1]
        session = steps[start].session
        in_session = [s for s in steps[start:] if s.session == session]
        first_buy = next((i for i, s in enumerate(in_session) if s.type_id == TYPE_ID["purchase"]), None)
        limit = first_buy if first_buy is not None else len(in_session)
        if limit < 1:
            continue
        cut = int(rng.integers(1, limit + 1))
        prefix = steps[: start + cut]
        labels.append(int(any(s.type_id == TYPE_ID["purchase"] for s in in_session[cut:])))
        model.append(recommender.propensity(ShopperProfile(user, len(prefix), prefix)))
        baseline.append(session_propensity(prefix))
    if len(set(labels)) < 2:
        return {"sessions": len(labels)}
    return {"sessions": len(labels), "buyers": int(sum(labels)), "auc sequential": roc_auc_score(labels, model),
            "auc cart-share baseline": roc_auc_score(labels, baseline)}

