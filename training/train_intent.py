"""Train the assistant's intent classifier over the embedder and report it on held-out utterances.

    ray job submit -- python -m training.train_intent

Embeds the generated training utterances (``data/demo/intents.jsonl``) with
the same embedder the Serve app uses, fits a logistic-regression head, and
reports accuracy, per intent, on the hand-written held-out utterances
(``data/dialogues/intents_heldout.jsonl``), which training never sees. The
version is made stable unless it is worse than the stable one on them.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from retail.assistant.intent import IntentClassifier, read_utterances
from retail.embedder import Embedder
from retail.paths import DEMO_INTENTS, HELDOUT_INTENTS
from retail.registry import ModelRegistry

INTENT_MODEL = "intent"


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=Path, default=DEMO_INTENTS)
    parser.add_argument("--heldout", type=Path, default=HELDOUT_INTENTS)
    parser.add_argument("--registry", type=Path, default=None)
    parser.add_argument("--promote", action="store_true",
                        help="make it stable if it does not lose to stable on the held-out set "
                             "(default: only when there is no stable version yet)")
    args = parser.parse_args(argv)

    embedder = Embedder(device="cpu")
    texts, labels = read_utterances(args.train)
    classifier = IntentClassifier.fit(embedder.encode(texts), labels)
    report = {"train_utterances": len(texts), "embedder_version": embedder.version}
    if args.heldout.exists():
        held_texts, held_labels = read_utterances(args.heldout)
        report["heldout"] = classifier.accuracy(embedder.encode(held_texts), held_labels)
        print(f"intent accuracy on {len(held_texts)} held-out utterances: {report['heldout']['accuracy']:.3f}")
        for intent, accuracy in report["heldout"]["per_intent"].items():
            print(f"  {intent:<18} {accuracy:.3f}")

    registry = ModelRegistry(args.registry)
    version, directory = registry.new_version(INTENT_MODEL)
    classifier.save(directory)
    stable = registry.stable(INTENT_MODEL)
    previous = registry.manifest(INTENT_MODEL, stable).get("heldout", {}).get("accuracy", 0.0) if stable else 0.0
    # A job never moves traffic unless asked (or there is nothing serving yet); past the held-out gate only.
    promote = (args.promote or stable is None) and report.get("heldout", {}).get("accuracy", 1.0) >= previous - 1e-9
    registry.publish(INTENT_MODEL, version, {**report, "parent": stable}, make_stable=promote)
    print(json.dumps({"intent_version": version, "stable": promote}))
    return version


if __name__ == "__main__":
    main()
