import numpy as np

from retail.embedder import EMBEDDING_DIM, embedder_version


def test_embeddings_are_unit_vectors_of_the_model_dimension(embedder):
    vectors = embedder.encode(["waterproof hiking boots", "dark chocolate bar", ""])
    assert vectors.shape == (3, EMBEDDING_DIM) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors[:2], axis=1), 1.0, atol=1e-4)


def test_similar_texts_embed_close_together(embedder):
    query, boots, chocolate = embedder.encode(
        ["boots for walking in the rain", "Northpeak women's waterproof leather hiking boots", "Cocoa & Co. sea salt dark chocolate"]
    )
    assert query @ boots > query @ chocolate + 0.2


def test_version_names_the_package(embedder):
    assert embedder.version == embedder_version() == "all-minilm-l6-v2@0.1.0"
