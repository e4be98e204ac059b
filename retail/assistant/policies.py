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


def index_texts(policies: list[dict]) -> tuple[list[str], list[int]]:
    """What to embed: each whole passage, then each of its sentences (with the owning passage's row)."""
    from retail.assistant.grounding import split_sentences

    texts, owners = [passage_text(p) for p in policies], list(range(len(policies)))
    for row, policy in enumerate(policies):
        for sentence in split_sentences(policy["text"]):
            texts.append(f"{policy.get('title') or ''}: {sentence}")
            owners.append(row)
    return texts, owners


class PolicyIndex:
    """Dense score of a passage: the mean of its whole-passage cosine and its best sentence's cosine
    (a question usually matches one sentence of a long passage), fused with BM25 by rank."""

    def __init__(self, policies: list[dict], vectors: np.ndarray, owners: list[int] | None = None):
        self.policies = policies
        self.vectors = vectors.astype(np.float32)
        self.owners = np.asarray(owners if owners is not None else range(len(policies)))
        self.lexical = LexicalIndex.build([passage_text(p) for p in policies])
        self.by_id = {p["policy_id"]: p for p in policies}

    def search(self, vector: np.ndarray, question: str, k: int = 2, rrf_k: float = 10.0) -> list[PolicyMatch]:
        scores = self.vectors @ np.asarray(vector, dtype=np.float32)
        passage = scores[: len(self.policies)]
        best_sentence = passage.copy()
        np.maximum.at(best_sentence, self.owners[len(self.policies):], scores[len(self.policies):])
        cosine = (passage + best_sentence) / 2
        bm25 = self.lexical.scores(question)
        fused = np.zeros(len(self.policies))
        for scores in (cosine, bm25):
            order = np.argsort(-scores)
            fused[order] += 1.0 / (rrf_k + np.arange(1, len(order) + 1))
        best = np.argsort(-fused)[:k]
        return [PolicyMatch(self.policies[i], float(cosine[i]), float(fused[i])) for i in best]
