"""Lexical retrieval: a BM25 index over the catalog's search text (bm25s).

Dense embeddings miss what shoppers type literally: model numbers ("x5"),
brand names, sizes ("32 oz"). BM25 catches those; the hybrid first stage
(``retail.index.HybridIndex``) fuses both. Scores come for the whole catalog
from bm25s's sparse matrix, so a filter is applied exactly, at any
selectivity, by masking before the top-k.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from retail.text import tokenize


class LexicalIndex:
    def __init__(self, bm25):
        self.bm25 = bm25

    @classmethod
    def build(cls, texts: list[str]) -> "LexicalIndex":
        import bm25s

        bm25 = bm25s.BM25(method="lucene", k1=1.2, b=0.75)
        # An empty document still needs a row: the index is aligned with the catalog.
        bm25.index([tokenize(t) or ["\x00empty"] for t in texts], show_progress=False)
        return cls(bm25)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every product for the query (0 where no term matches)."""
        ids = self.bm25.get_tokens_ids(tokenize(query))
        if not ids:
            return np.zeros(self.bm25.scores["num_docs"], dtype=np.float32)
        return self.bm25.get_scores(ids).astype(np.float32, copy=False)

    def save(self, directory: Path) -> None:
        self.bm25.save(str(directory), show_progress=False)

    @classmethod
    def load(cls, directory: Path) -> "LexicalIndex":
        import bm25s

        return cls(bm25s.BM25.load(str(directory)))
