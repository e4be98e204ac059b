"""The copy job: product descriptions, segment blurbs and personalised reasons from the chat LLM, each fact-checked.

    ray job submit -- python -m training.generate_copy [--products N] [--segments ...] [--shoppers N]
                                                       [--model smollm2-135m] [--use-gpu] [--actors 1]
                                                       [--backend padded|engine] [--registry PATH]

What it writes (``retail.insights.copywriting`` does the work):
- a description for each of the first ``--products`` products of the stable index (0: all), and a blurb for
  each of them and each ``--segments`` segment that fits it (a runner's blurb for running gear only);
- a reason for each of the products the recommender puts first (``--per-shopper``) for the ``--shoppers``
  most active shoppers, anchored on what each shopper did with the product most like it. The page is the
  deployment's: the stable recommender (or its no-model fallback) over the stable index, the shopper's
  latest events, popularity over the last week; the deployment looks the reasons up by (user_id, product_id).

Generation is batched inference on a Ray Data actor pool (``--actors``, one GPU each with ``--use-gpu``):
each actor loads the LLM once and gets batches of requests of one kind. Every text is checked against the
catalog (``FactValidator``); rejected ones are generated again, the rest of the unsupported sentences
dropped, and a template from the fields takes the place of what is left empty. The driver checks every
final text again and refuses to publish if any claim is unsupported.

``--backend``: ``padded`` runs transformers' ``generate`` on a left-padded batch, ``engine`` the project's
continuous-batching engine with the whole batch in flight. Measured on the 2-core CPU (SmolLM2-135M, 16
reason prompts, 32 greedy tokens each, three interleaved rounds on a busy machine): padded 13.6 / 16.6 /
22.7 tokens/s, engine 11.8 / 19.4 / 20.2 - no clear winner at one batch of short outputs, where the
engine's advantage (joining requests mid-flight) has nothing to work on. ``padded`` is the default: no
warm-up (12 s to load vs 17-45 s), and each attempt's sampling seed is honoured.

The version (model ``copy``) holds descriptions.jsonl, blurbs.jsonl, reasons.jsonl and a manifest (counts,
the share of first tries the validator rejected, unsupported claims left (0), timings); it is made stable
at once: it is data, and the recommender deployment follows its stable version.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import ray

from retail.insights.copywriting import (
    KINDS, SEGMENTS, CopyRequest, FactValidator, generate_copy, load_generator, plain, segment_applies, timed,
    unsupported,
)
from retail.paths import DEMO_EVENTS, events_url
from retail.registry import ModelRegistry

COPY_MODEL = "copy"
FILES = {"description": "descriptions.jsonl", "blurb": "blurbs.jsonl", "reason": "reasons.jsonl"}


class CopyWriter:
    """One Ray Data actor: the chat LLM loaded once, and the catalog's validator; a batch of requests in, records out."""

    def __init__(self, model: str, backend: str, device: str, cpu_threads: int, max_attempts: int,
                 validator: FactValidator, seed: int = 0):
        from retail.llm_engine import EngineConfig

        started = time.perf_counter()
        self.model, self.max_attempts, self.validator, self.seed = model, max_attempts, validator, seed
        config = EngineConfig(model=model, device=device, cpu_threads=cpu_threads or None,
                              kind="continuous", max_batch_size=32, max_queue=256)
        self.generate, self.stats = timed(load_generator(backend, config))
        self.load_s = time.perf_counter() - started

    def __call__(self, batch: pd.DataFrame) -> pd.DataFrame:
        requests = [CopyRequest.from_json(r) for r in batch["request"]]
        before = dict(self.stats)
        records = generate_copy(requests, self.generate, self.validator, max_attempts=self.max_attempts,
                                model=self.model, seed=self.seed)
        # This batch's share of the LLM's time and tokens, so the driver can add them up.
        share = {k: (self.stats[k] - before[k]) / len(records) for k in ("seconds", "tokens", "prompts")}
        out = [json.dumps(r | {"_llm": share, "_load_s": self.load_s / len(records)}) for r in records]
        self.load_s = 0.0  # counted once
        return pd.DataFrame({"request": batch["request"].tolist(), "record": out})


# -- what to write about ------------------------------------------------------------------------------
def catalog_rows(products: pd.DataFrame) -> list[dict]:
    return [{k: plain(v) for k, v in row.items()} for row in products.to_dict(orient="records")]


def product_requests(rows: list[dict], products: pd.DataFrame, segments: list[str]) -> tuple[list[CopyRequest], int]:
    from retail.insights.tags import ItemFacts

    ranks = ItemFacts.from_catalog(products).price_rank
    requests, skipped = [], 0
    for row in rows:
        requests.append(CopyRequest("description", row))
        for segment in segments:
            if segment_applies(segment, row, ranks.get(str(row["product_id"]))):
                requests.append(CopyRequest("blurb", row, segment=segment))
            else:
                skipped += 1
    return requests, skipped


def read_events(source: str) -> tuple[list[dict], str]:
    """``demo``: the shipped log; ``store``: the event store; ``auto``: the store when it has events, else the log."""
    from retail.recommend.store import open_store, read_event_log

    if source in ("auto", "store") or source.startswith(("redis://", "/")):
        url = events_url() if source in ("auto", "store") else source
        if source != "auto" or Path(url).exists() or url.startswith("redis://"):
            store = open_store(url)
            try:
                events = list(store.scan()) if store.count() else []
            finally:
                store.close()
            if events or source != "auto":
                return events, url
    return read_event_log(DEMO_EVENTS), str(DEMO_EVENTS)


def shopper_requests(registry: ModelRegistry, items, rows_by_id: dict[str, dict], shoppers: int, per_shopper: int,
                     events_source: str) -> tuple[list[CopyRequest], dict]:
    """Reasons for the products the recommender shows the most active shoppers first, as the deployment ranks them."""
    from scipy import sparse

    from retail.recommend.baselines import ItemKNN
    from retail.recommend.interactions import EVENT_WEIGHT
    from retail.recommend.profile import build_profile
    from retail.recommend.recommender import Recommender, RecommenderArtifact
    from retail.settings import RecommenderSettings

    if shoppers <= 0:
        return [], {"shoppers": 0}
    events, source = read_events(events_source)
    events = [e for e in events if not e.get("product_id") or e["product_id"] in items.row_of]
    by_user: dict[str, list[dict]] = {}
    for e in events:
        if e.get("user_id"):
            by_user.setdefault(e["user_id"], []).append(e)
    active = Counter({u: sum(1 for e in evs if e.get("product_id")) for u, evs in by_user.items()})
    settings = RecommenderSettings()
    n = len(items)
    counts = np.zeros(n, np.float32)
    latest = max((e["timestamp"] for e in events), default=time.time())
    trending = np.zeros(n, np.float32)
    for e in events:
        row = items.row_of.get(e.get("product_id"))
        if row is not None:
            counts[row] += 1
            if e["timestamp"] >= latest - settings.trending_days * 86400:
                trending[row] += EVENT_WEIGHT.get(e["type"], 1.0)
    version = registry.stable("recommender")
    if version:
        artifact = RecommenderArtifact.load(registry.path("recommender", version))
    else:  # the deployment's no-model fallback: popularity from the events
        artifact = RecommenderArtifact(list(items.ids), counts, ItemKNN(sparse.csr_matrix((n, n), dtype=np.float32)),
                                       None, {}, {})
    recommender = Recommender(artifact, items, version, diversity=settings.diversity,
                              duplicate_similarity=settings.duplicate_similarity, long_tail_share=settings.long_tail_share,
                              new_item_share=settings.new_item_share)
    requests = []
    for user, _ in active.most_common(shoppers):
        user_events = sorted(by_user[user], key=lambda e: e["timestamp"])[-200:]  # what the deployment reads
        profile = build_profile(user, user_events, items, {}, settings.half_life_days)
        page = recommender.recommend(profile, 10, None, None, trending)[:per_shopper]
        strongest: dict[str, str] = {}  # product -> the most telling thing the shopper did with it
        rank = ["view", "click", "chat_mention", "review", "add_to_cart", "purchase"]
        for e in user_events:
            if e.get("product_id") and e["type"] in rank:
                best = strongest.get(e["product_id"])
                if best is None or rank.index(e["type"]) > rank.index(best):
                    strongest[e["product_id"]] = e["type"]
        touched = [items.row_of[p] for p in strongest]
        for r in page:
            product_id = str(items.ids[r.row])
            extra = {"recommender_source": r.source, "template_reason": r.reason}
            if touched:
                anchor_row = max(touched, key=lambda t: float(items.vectors[t] @ items.vectors[r.row]))
                anchor_id = str(items.ids[anchor_row])
                requests.append(CopyRequest("reason", rows_by_id[product_id], anchor=rows_by_id[anchor_id],
                                            anchor_event=strongest[anchor_id], user_id=user, extra=extra))
    return requests, {"shoppers": min(shoppers, len(active)), "events_source": source, "recommender_version": version}


# -- the job ------------------------------------------------------------------------------------------
def generate(requests: list[CopyRequest], args, validator: FactValidator) -> tuple[list[dict], dict]:
    """Batched inference over a Ray Data actor pool. Requests go in sorted by kind, so a batch holds one or two
    kinds, and the loop generates each kind's together (a padded batch shares one length)."""
    ordered = sorted(requests, key=lambda r: KINDS.index(r.kind))
    dataset = ray.data.from_items([{"request": r.to_json()} for r in ordered])
    written = dataset.map_batches(
        CopyWriter, batch_format="pandas", batch_size=args.batch_size, concurrency=args.actors,
        fn_constructor_kwargs={"model": args.model, "backend": args.backend, "device": "cuda" if args.use_gpu else "cpu",
                               "cpu_threads": 0 if args.use_gpu else args.cpu_threads,
                               "max_attempts": args.max_attempts, "validator": validator},
        num_gpus=1 if args.use_gpu else 0, num_cpus=0 if args.use_gpu else args.cpu_per_actor,
    ).take_all()
    records, llm = [], {"seconds": 0.0, "tokens": 0.0, "prompts": 0.0, "load_s": 0.0}
    for row in written:
        record = json.loads(row["record"])
        for k, v in record.pop("_llm").items():
            llm[k] += v
        llm["load_s"] += record.pop("_load_s")
        record["_request"] = row["request"]
        records.append(record)
    return records, llm


def summarise(records: list[dict]) -> dict:
    out = {}
    for kind in KINDS:
        mine = [r for r in records if r["kind"] == kind]
        if not mine:
            continue
        out[kind] = {"outputs": len(mine), "llm": sum(r["source"] == "llm" for r in mine),
                     "template": sum(r["source"] == "template" for r in mine),
                     "first_try_rejected": round(sum(r["first_try_rejected"] for r in mine) / len(mine), 4),
                     "mean_attempts": round(sum(r["attempts"] for r in mine) / len(mine), 3),
                     "sentences_dropped": sum(len(r["dropped"]) for r in mine)}
    return out


def print_sample(records: list[dict], rows_by_id: dict[str, dict], per_kind: int = 2) -> None:
    for kind in KINDS:
        mine = [r for r in records if r["kind"] == kind]
        mine = sorted(mine, key=lambda r: r["source"] != "llm")[:per_kind]  # an LLM one first, where there is one
        for r in mine:
            title = rows_by_id[r["product_id"]]["title"]
            who = f" for {r['segment']}" if kind == "blurb" else (
                f" for {r['user_id']} (anchor {r['anchor_id']}, {r['anchor_event']})" if kind == "reason" else "")
            print(f"[{kind}{who}] {r['product_id']} {title[:60]}\n  {r['source']}, {r['attempts']} attempt(s): {r['text']}")
            for d in r["dropped"][:2]:
                print(f"  dropped: {d['sentence'][:100]!r}: {'; '.join(d['problems'])[:160]}")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=20, help="the first N products of the stable index; 0: all")
    parser.add_argument("--segments", nargs="*", default=list(SEGMENTS), help="shopper segments for blurbs")
    parser.add_argument("--shoppers", type=int, default=5, help="reasons for the N most active shoppers")
    parser.add_argument("--per-shopper", type=int, default=3, help="reasons for each shopper's top products")
    parser.add_argument("--events", default="auto", help="auto | demo | store | a store URL (most active shoppers)")
    parser.add_argument("--model", default="smollm2-135m", help="a chat model in retail.llm_weights, or an HF folder")
    parser.add_argument("--backend", default="padded", choices=["padded", "engine"])
    parser.add_argument("--max-attempts", type=int, default=3, help="generations per text before its sentences are cut")
    parser.add_argument("--actors", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--cpu-threads", type=int, default=2, help="torch threads per actor on a CPU")
    parser.add_argument("--cpu-per-actor", type=float, default=0.5, help="CPUs each actor reserves on a CPU")
    parser.add_argument("--use-gpu", action="store_true")
    parser.add_argument("--registry", type=Path, default=None)
    parser.add_argument("--no-publish", action="store_true", help="write the version but leave routing alone")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    ray.init(ignore_reinit_error=True)
    registry = ModelRegistry(args.registry)
    index_version, index_dir = registry.require_stable("index", "python -m training.build_index")
    from retail.index import ProductIndex
    from retail.recommend.datasets import item_table

    dense = ProductIndex.load(index_dir)
    validator = FactValidator.from_catalog(dense.products)
    rows = catalog_rows(dense.products)
    rows_by_id = {str(r["product_id"]): r for r in rows}
    chosen = rows[: args.products] if args.products else rows
    requests, blurbs_skipped = product_requests(chosen, dense.products, args.segments)
    reasons, shopper_info = shopper_requests(registry, item_table(dense.products, dense.embeddings), rows_by_id,
                                             args.shoppers, args.per_shopper, args.events)
    requests += reasons
    if not requests:
        raise SystemExit("nothing to write: ask for --products or --shoppers")
    setup_s = time.perf_counter() - started
    print(f"{len(requests)} texts to write ({Counter(r.kind for r in requests)}); index {index_version}; "
          f"{blurbs_skipped} segment blurbs skipped as not fitting the product; shoppers: {shopper_info}", flush=True)

    generated_at = time.perf_counter()
    records, llm = generate(requests, args, validator)
    generate_s = time.perf_counter() - generated_at

    # Every final text, checked again from scratch: none may carry an unsupported claim.
    problems = []
    for record in records:
        request = CopyRequest.from_json(record.pop("_request"))
        for claim in unsupported(record, request, validator):
            problems.append({"kind": record["kind"], "product_id": record["product_id"], "claim": claim.describe(),
                             "sentence": claim.sentence})
    if problems:
        raise RuntimeError(f"{len(problems)} unsupported claims in final texts (a validator bug); first: {problems[:3]}")

    version, directory = registry.new_version(COPY_MODEL)
    for kind, name in FILES.items():
        with (directory / name).open("w") as f:
            for record in records:
                if record["kind"] == kind:
                    f.write(json.dumps(record, default=str) + "\n")
    llm_outputs = sum(r["attempts"] for r in records)
    by_kind = summarise(records)
    manifest = {
        "index_version": index_version, "llm": args.model, "backend": args.backend, "use_gpu": args.use_gpu,
        "actors": args.actors, "max_attempts": args.max_attempts, "segments": args.segments,
        "products": len(chosen), **shopper_info, "blurbs_skipped": blurbs_skipped,
        "counts": {kind: by_kind.get(kind, {}).get("outputs", 0) for kind in KINDS},
        "by_kind": by_kind,
        "source": dict(Counter(r["source"] for r in records)),
        "first_try_rejected_share": round(sum(r["first_try_rejected"] for r in records) / len(records), 4),
        "first_try_claims": dict(Counter(k for r in records for k in r["first_try_claims"])),
        "llm_generations": llm_outputs,
        "final_unsupported": len(problems),
        "validator_vocabulary": validator.vocabulary(),
        "timings": {"setup_s": round(setup_s, 1), "generate_s": round(generate_s, 1),
                    "llm_s": round(llm["seconds"], 1), "model_load_s": round(llm["load_s"], 1),
                    "completion_tokens": int(llm["tokens"]),
                    "tokens_per_s": round(llm["tokens"] / max(llm["seconds"], 1e-9), 1),
                    "total_s": round(time.perf_counter() - started, 1)},
    }
    registry.publish(COPY_MODEL, version, manifest, make_stable=not args.no_publish)
    print_sample(records, rows_by_id)
    summary = {"copy_version": version, "outputs": len(records), **manifest["counts"], "source": manifest["source"],
               "first_try_rejected_share": manifest["first_try_rejected_share"], "final_unsupported": len(problems),
               "generate_s": manifest["timings"]["generate_s"], "total_s": manifest["timings"]["total_s"],
               "tokens_per_s": manifest["timings"]["tokens_per_s"]}
    print(json.dumps(summary), flush=True)
    return summary


if __name__ == "__main__":
    main(sys.argv[1:])
