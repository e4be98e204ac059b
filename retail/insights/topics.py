"""Topic discovery over reviews: BERTopic's method (embeddings -> cluster -> c-TF-IDF) on scikit-learn.

BERTopic itself needs umap-learn, numba and hdbscan builds; the same pipeline
is a page of scikit-learn (PCA for the reduction, ``sklearn.cluster.HDBSCAN``,
``CountVectorizer`` for c-TF-IDF), with the two fixes its users ask for
(BERTopic issues #990, #1249, #1286):

* **Outliers.** HDBSCAN leaves many documents unassigned; like BERTopic's
  ``reduce_outliers(strategy="embeddings")``, an outlier joins the nearest
  topic centroid when it is close enough. Both shares are reported.
* **Online updates.** New reviews are assigned to the fitted topics by their
  nearest centroid (``assign``), which keeps topic ids and words stable
  between runs; a full refit (``fit``) happens only when asked, so the topic
  list does not churn with every batch. Memory is the centroids and the word
  lists, not the documents.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

OUTLIER = -1


@dataclass
class TopicModel:
    centroids: np.ndarray  # (topics, dims), unit vectors in the embedder's space
    words: list[list[str]]  # per topic, its c-TF-IDF words, best first
    sizes: list[int]  # documents per topic at fit time
    min_similarity: float  # below it, a document stays an outlier
    fit_stats: dict = field(default_factory=dict)

    @property
    def labels(self) -> list[str]:
        return [" / ".join(w[:3]) for w in self.words]

    @classmethod
    def fit(cls, vectors: np.ndarray, texts: list[str], seed: int = 0, min_cluster_size: int | None = None,
            reduce_to: int = 10, outlier_similarity: float = 0.4, method: str = "kmeans") -> tuple["TopicModel", np.ndarray]:
        """Fit topics; returns the model and each document's topic (OUTLIER where none is close).

        ``method``: "kmeans" (the default; BERTopic's documented alternative clustering model) or "hdbscan".
        On the demo reviews' vectors HDBSCAN over a PCA reduction found 2-6 clusters and left 63-98 % of the
        reviews as outliers (reviews form a continuum, not dense islands), so k-means with one topic per ~150
        reviews partitions them, and a review far from its centroid is still reported as an outlier."""
        from sklearn.cluster import HDBSCAN, KMeans
        from sklearn.decomposition import PCA

        vectors = _unit(vectors)
        n = len(vectors)
        if n < 10:
            raise ValueError(f"topic discovery needs at least 10 documents, got {n}")
        size = min_cluster_size or max(10, n // 150)
        if method == "kmeans":
            k = int(np.clip(n // size, 2, 40))
            clusters = KMeans(n_clusters=k, n_init=3, random_state=seed).fit_predict(vectors)
        else:
            reduced = PCA(n_components=min(reduce_to, n - 1, vectors.shape[1]), random_state=seed).fit_transform(vectors)
            clusters = HDBSCAN(min_cluster_size=size, min_samples=max(2, size // 2), copy=True).fit_predict(reduced)
        ids = sorted(set(clusters) - {OUTLIER})
        if not ids:  # everything is noise: one topic of everything, so the API still says something
            clusters, ids = np.zeros(n, dtype=int), [0]
        raw_outliers = float(np.mean(clusters == OUTLIER))
        centroids = _unit(np.stack([vectors[clusters == t].mean(0) for t in ids]))
        remap = {t: i for i, t in enumerate(ids)}
        assigned = np.array([remap.get(c, OUTLIER) for c in clusters])
        model = cls(centroids, [], [], outlier_similarity)
        # Outlier reduction for HDBSCAN's noise: the nearest centroid, when close enough. K-means puts every
        # document somewhere; one far from every centroid is an outlier all the same.
        assigned = model.assign(vectors) if method == "kmeans" else assigned
        outliers = np.flatnonzero(assigned == OUTLIER)
        if len(outliers) and method != "kmeans":
            assigned[outliers] = model.assign(vectors[outliers])
        model.words = c_tf_idf_words([t for t in texts], assigned, len(ids))
        model.sizes = [int(np.sum(assigned == t)) for t in range(len(ids))]
        model.fit_stats = {"documents": n, "topics": len(ids), "method": method, "min_cluster_size": size,
                           "outlier_share_clustering": round(raw_outliers, 4),
                           "outlier_share": round(float(np.mean(assigned == OUTLIER)), 4)}
        return model, assigned

    def assign(self, vectors: np.ndarray) -> np.ndarray:
        """Each vector's nearest topic, or OUTLIER when no centroid is within ``min_similarity``."""
        if len(vectors) == 0:
            return np.zeros(0, dtype=int)
        similarity = _unit(vectors) @ self.centroids.T
        best = similarity.argmax(1)
        return np.where(similarity[np.arange(len(best)), best] >= self.min_similarity, best, OUTLIER)

    def save(self, directory: Path) -> None:
        np.save(directory / "topic_centroids.npy", self.centroids.astype(np.float32))
        (directory / "topics.json").write_text(json.dumps(
            {"words": self.words, "sizes": self.sizes, "min_similarity": self.min_similarity,
             "fit_stats": self.fit_stats}, indent=1))

    @classmethod
    def load(cls, directory: Path) -> "TopicModel":
        meta = json.loads((directory / "topics.json").read_text())
        return cls(np.load(directory / "topic_centroids.npy"), meta["words"], meta["sizes"], meta["min_similarity"],
                   meta.get("fit_stats", {}))


def c_tf_idf_words(texts: list[str], topics: np.ndarray, n_topics: int, top: int = 8) -> list[list[str]]:
    """BERTopic's class-based TF-IDF: a topic's documents as one document; words frequent in it, rare elsewhere."""
    from sklearn.feature_extraction.text import CountVectorizer

    joined = [" ".join(t for t, c in zip(texts, topics) if c == k) for k in range(n_topics)]
    vectorizer = CountVectorizer(stop_words="english", ngram_range=(1, 2), token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z]+\b")
    try:
        counts = vectorizer.fit_transform(joined).toarray().astype(np.float64)
    except ValueError:  # an empty vocabulary (tiny inputs)
        return [[] for _ in range(n_topics)]
    terms = vectorizer.get_feature_names_out()
    tf = counts / np.maximum(counts.sum(1, keepdims=True), 1)
    average_words = counts.sum() / max(n_topics, 1)
    idf = np.log(1 + average_words / np.maximum(counts.sum(0), 1))
    scores = tf * idf
    return [[str(terms[j]) for j in np.argsort(-scores[k])[:top] if scores[k, j] > 0] for k in range(n_topics)]


def _unit(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, np.float32)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
