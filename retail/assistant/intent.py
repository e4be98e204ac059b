"""Intent of a shopper's turn: a logistic-regression head over the embedder's vectors.

Trained on ``data/demo/intents.jsonl`` (generated, ``retail.demo_intents``)
and reported on ``data/dialogues/intents_heldout.jsonl``, written by hand and
independently. The head is a (7 x 384) matrix: it runs in the caller's
process on the vector the embedder deployment already computes for search,
so classifying costs no extra model call.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

INTENTS = (
    "product_search", "product_question", "policy_question", "order_help",
    "small_talk", "human_agent", "out_of_scope",
)


@dataclass
class IntentPrediction:
    intent: str
    confidence: float
    scores: dict[str, float]


class IntentClassifier:
    def __init__(self, labels: list[str], weights: np.ndarray, bias: np.ndarray, version: str = "untrained"):
        self.labels, self.weights, self.bias, self.version = list(labels), weights.astype(np.float32), bias.astype(np.float32), version

    @classmethod
    def fit(cls, vectors: np.ndarray, labels: list[str], c: float = 10.0) -> "IntentClassifier":
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
        model.fit(vectors, labels)
        return cls(list(model.classes_), model.coef_, model.intercept_)

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        logits = np.atleast_2d(vectors) @ self.weights.T + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, vector: np.ndarray) -> IntentPrediction:
        p = self.probabilities(vector)[0]
        best = int(p.argmax())
        return IntentPrediction(self.labels[best], float(p[best]), {l: float(s) for l, s in zip(self.labels, p)})

    def accuracy(self, vectors: np.ndarray, labels: list[str]) -> dict:
        predicted = [self.labels[i] for i in self.probabilities(vectors).argmax(axis=1)]
        per_intent = {}
        for intent in sorted(set(labels)):
            rows = [i for i, l in enumerate(labels) if l == intent]
            per_intent[intent] = sum(predicted[i] == intent for i in rows) / len(rows)
        overall = sum(p == l for p, l in zip(predicted, labels)) / max(len(labels), 1)
        return {"accuracy": overall, "per_intent": per_intent, "n": len(labels)}

    def save(self, directory: Path) -> None:
        np.savez(directory / "intent_head.npz", weights=self.weights, bias=self.bias)
        (directory / "labels.json").write_text(json.dumps(self.labels))

    @classmethod
    def load(cls, directory: Path, version: str | None = None) -> "IntentClassifier":
        arrays = np.load(directory / "intent_head.npz")
        labels = json.loads((directory / "labels.json").read_text())
        return cls(labels, arrays["weights"], arrays["bias"], version or directory.name)


def read_utterances(path: Path) -> tuple[list[str], list[str]]:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [r["text"] for r in rows], [r["intent"] for r in rows]
