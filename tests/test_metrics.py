import math

from retail.metrics import distance_recall_at_k, ndcg_at_k, overlap_at_k, recall_at_k


def test_ndcg_is_one_for_the_ideal_order_and_lower_otherwise():
    relevance = {"a": 3, "b": 2, "c": 1}
    assert ndcg_at_k(["a", "b", "c"], relevance) == 1.0
    swapped = ndcg_at_k(["c", "b", "a"], relevance)
    assert 0 < swapped < 1
    expected = (1 / 1 + 3 / math.log2(3) + 7 / 2) / (7 / 1 + 3 / math.log2(3) + 1 / 2)
    assert math.isclose(swapped, expected)


def test_ndcg_without_relevant_products_is_zero():
    assert ndcg_at_k(["x"], {}) == 0.0
    assert ndcg_at_k(["x", "y"], {"a": 2}) == 0.0


def test_recall_counts_graded_products():
    relevance = {"a": 3, "b": 1, "c": 2}
    assert recall_at_k(["a", "x", "b"], relevance, k=3) == 2 / 3
    assert recall_at_k(["a", "x", "b"], relevance, k=3, min_grade=2) == 1 / 2


def test_overlap_against_exact_search():
    assert overlap_at_k([[1, 2, 3]], [[3, 2, 1]], k=3) == 1.0
    assert overlap_at_k([[1, 2, 9]], [[1, 2, 3]], k=3) == 2 / 3


def test_distance_recall_counts_an_equally_close_twin():
    import numpy as np

    exact_kth = np.array([0.5, 0.9])
    # query 0: all three returned neighbours are as close as the 3rd exact one (a twin among them)
    # query 1: one of three falls short
    approx = np.array([[0.8, 0.6, 0.5], [0.95, 0.9, 0.7]])
    assert distance_recall_at_k(approx, exact_kth) == 5 / 6
