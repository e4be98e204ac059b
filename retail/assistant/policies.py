"""The retailer's policies as a searchable passage index (dense + BM25, fused).

Policies are short passages (``policy_id``, ``topic``, ``title``, ``text``).
A question is matched by the embedder's cosine similarity and by BM25 and
the two rankings are fused, like the product search's first stage. The best
passage's cosine is the retrieval confidence the assistant's fallback
threshold reads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retail.lexical import LexicalIndex


@dataclass
class PolicyMatch:
    policy: dict
    similarity: float  # cosine of question and passage
    score: float  # fused rank score


def load_policies(path: Path) -> list[dict]:
    policies = [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
    for i, p in enumerate(policies):
        missing = [k for k in ("policy_id", "text") if not p.get(k)]
        if missing:
            raise ValueError(f"{path}: policy row {i} lacks {', '.join(missing)}")
    return policies


def passage_text(policy: dict) -> str:
    return " ".join(str(policy.get(k) or "") for k in ("topic", "title", "text")).strip()


class PolicyIndex:
    def __init__(self, policies: list[dict], vectors: np.ndarray):
        self.policies = policies
        self.vectors = vectors.astype(np.float32)
        self.lexical = LexicalIndex.build([passage_text(p) for p in policies])
        self.by_id = {p["policy_id"]: p for p in policies}

    def search(self, vector: np.ndarray, question: str, k: int = 2, rrf_k: float = 10.0) -> list[PolicyMatch]:
        cosine = self.vectors @ np.asarray(vector, dtype=np.float32)
        bm25 = self.lexical.scores(question)
        fused = np.zeros(len(self.policies))
        for scores in (cosine, bm25):
            order = np.argsort(-scores)
            fused[order] += 1.0 / (rrf_k + np.arange(1, len(order) + 1))
        best = np.argsort(-fused)[:k]
        return [PolicyMatch(self.policies[i], float(cosine[i]), float(fused[i])) for i in best]
