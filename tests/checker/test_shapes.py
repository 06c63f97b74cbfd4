"""Honest shapes for vectors and transposes, and numeric mode on vectors and matrices.

A declared vector is a column: ``u^T v`` is a number (the dot product), ``u v^T`` an n×n matrix
(the outer product), ``(u u^T) v`` a column again. A matrix where a number is expected is
``incorrect``, never ``correct``; a row vector added to a column vector cannot be read.
"""

from __future__ import annotations

import pytest

from tutor.check import CheckSpec, judge


def _judge(expect: str, answer: str, **keys: str) -> tuple[str, str]:
    verdict = judge(CheckSpec.from_json({"expect": expect, **keys}), answer)
    return verdict.verdict, verdict.feedback


VECTORS = {"vectors": "u v w"}


@pytest.mark.parametrize(
    ("expect", "answer"),
    [
        ("dot(u,v) / (norm(u) * norm(v))", "u v^T/(norm(u) norm(v))"),
        ("dot(u,v)", "u v^T"),
        ("dot(u,v)", r"u v^\top"),
        ("norm(u)^2", "u u^T"),
    ],
)
def test_outer_product_is_not_the_dot_product(expect: str, answer: str) -> None:
    verdict, feedback = _judge(expect, answer, **VECTORS)
    assert verdict == "incorrect"
    assert "outer product" in feedback
    assert "a matrix, but a number is expected" in feedback


def test_outer_product_feedback_names_the_dot_product() -> None:
    _, feedback = _judge("dot(u,v)", "u v^T", **VECTORS)
    assert "u vᵀ is a matrix (an outer product); the dot product is uᵀv" in feedback


@pytest.mark.parametrize(
    ("expect", "answer"),
    [
        ("dot(u,v)", "u^T v"),
        ("dot(u,v)", "v^T u"),
        ("dot(u,v)", "(u^T v)^T"),
        ("dot(u,v)", "u·v"),
        ("dot(u,v) / (norm(u) * norm(v))", "u^T v/(norm(u) norm(v))"),
        ("norm(u)^2", "u^T u"),
        ("(dot(u,v)/dot(u,u))*u", "u u^T v / (u^T u)"),
        ("(dot(u,v)/dot(u,u))*u", "(u u^T) v / (u^T u)"),
        ("(dot(u,v)/dot(u,u))*u", "u (u^T v) / (u^T u)"),
        ("v - (dot(u,v)/dot(u,u))*u", "(I - u u^T/(u^T u)) v"),
        ("u dot(v,w)", "u v^T w"),
        ("w + 2v", "(w^T + 2v^T)^T"),
        ("u × v", "(u^T × v^T)^T"),
    ],
)
def test_honest_shapes_accept(expect: str, answer: str) -> None:
    assert _judge(expect, answer, **VECTORS) == ("correct", "Correct.")


@pytest.mark.parametrize(
    ("expect", "answer"),
    [
        ("(dot(u,v)/dot(u,u))*u", "u u^T / (u^T u)"),
        ("(dot(u,v)/dot(u,u))*u", "u^T u v / (u^T u)"),
        ("u dot(v,w)", "u^T v w"),
    ],
)
def test_honest_shapes_reject(expect: str, answer: str) -> None:
    assert _judge(expect, answer, **VECTORS)[0] == "incorrect"


def test_matrix_where_a_vector_is_expected_says_so() -> None:
    verdict, feedback = _judge("(dot(u,v)/dot(u,u))*u", "u u^T / (u^T u)", **VECTORS)
    assert verdict == "incorrect"
    assert "a matrix, but a column vector is expected" in feedback
    assert "outer product" in feedback
    assert "dot product" not in feedback


def test_row_vector_where_a_column_is_expected() -> None:
    verdict, feedback = _judge("A u", "(A u)^T", vectors="u", matrices="A")
    assert verdict == "incorrect"
    assert "row vector" in feedback and "transpose" in feedback
    assert _judge("A u", "u^T A^T", vectors="u", matrices="A")[0] == "incorrect"
    assert _judge("(A u)^T", "u^T A^T", vectors="u", matrices="A")[0] == "correct"


def test_vector_where_a_number_is_expected() -> None:
    verdict, feedback = _judge("dot(u,v)", "u", **VECTORS)
    assert verdict == "incorrect"
    assert "a column vector, but a number is expected" in feedback


@pytest.mark.parametrize(
    ("expect", "answer", "keys", "words"),
    [
        ("w + 2x", "w^T + 2x", {"vectors": "w x"}, "row vector"),
        ("w - x", "w - x^T", {"vectors": "w x"}, "row vector"),
        ("A u", "A u^T", {"vectors": "u", "matrices": "A"}, "row vector"),
        ("A u", "u A", {"vectors": "u", "matrices": "A"}, "column vector"),
        ("u × v", "u^T × v", {"vectors": "u v"}, "column vectors"),
    ],
)
def test_shape_errors_are_invalid(
    expect: str, answer: str, keys: dict[str, str], words: str
) -> None:
    verdict = judge(CheckSpec.from_json({"expect": expect, **keys}), answer)
    assert verdict.verdict == "invalid", verdict
    assert words in verdict.feedback
    assert verdict.column is not None


def test_row_plus_column_names_both_sides() -> None:
    verdict = judge(CheckSpec.from_json({"expect": "w + 2x", "vectors": "w x"}), "w^T + 2x")
    assert verdict.feedback.startswith("wᵀ and 2x cannot be added")
    assert verdict.column == 5


@pytest.mark.parametrize(
    ("expect", "answer", "want"),
    [
        ("[[3, 4], [6, 8]]", "[[1], [2]] [[3, 4]]", "correct"),
        ("11", "[[1, 2]] [[3], [4]]", "correct"),
        ("[[7, 10]]", "[[1, 2]] [[1, 2], [3, 4]]", "correct"),
        ("[[1], [2]]", "[[1, 2]]^T", "correct"),
        ("[[1], [2]]", "[[1, 2]]", "incorrect"),
        ("[[1, 2], [3, 4]]", "[[1, 2], [3, 4]] [[1, 2, 3], [1, 2, 3], [1, 2, 3]]", "invalid"),
        ("[[1, 2], [3, 4]]", "[[1, 2], [3, 4]] [[1, 2]]", "invalid"),
    ],
)
def test_literal_shapes(expect: str, answer: str, want: str) -> None:
    # a declared vector makes ^T the transpose
    assert _judge(expect, answer, vectors="u")[0] == want


NUMERIC = {"mode": "numeric", "tolerance": "1%"}


@pytest.mark.parametrize(
    ("expect", "answer", "keys", "want", "words"),
    [
        ("[[7/9, 7/10]]", "[[7/9, 7/10]]", NUMERIC, "correct", "Correct."),
        ("[[7/9, 7/10]]", "[[0.78, 0.7]]", NUMERIC, "correct", "Correct."),
        ("[[7/9, 7/10]]", "[[0.78, 0.72]]", NUMERIC, "incorrect", "Entry 2 is too large."),
        ("[[7/9, 7/10]]", "[[0.7, 0.7]]", NUMERIC, "incorrect", "Entry 1 is too small."),
        ("[[7/9, 7/10]]", "[[0.78], [0.7]]", NUMERIC, "incorrect", "2×1 column vector"),
        ("[[7/9, 7/10]]", "0.78", NUMERIC, "incorrect", "a 1×2 row vector is expected"),
        ("[[1/3], [2/3]]", "[[0.333], [0.667]]", NUMERIC, "correct", "Correct."),
        ("[[1, 2], [3, 4]]", "[[1, 2], [3, 4.1]]", NUMERIC, "incorrect", "Entry (2, 2)"),
        ("[[1, 2], [3, 4]]", "[[1.001, 2], [3, 4]]", NUMERIC, "correct", "Correct."),
        ("[[1, 0], [0, 1]]", "[[1, 0], [0, 1]]", NUMERIC, "correct", "Correct."),
        (
            "[[10, 0], [100, 1000]]",
            "[[20, 0], [50, 2999]]",
            {"mode": "numeric", "factor": "3"},
            "correct",
            "within a factor of 3",
        ),
        (
            "[[10, 0], [100, 1000]]",
            "[[20, 0], [50, 3001]]",
            {"mode": "numeric", "factor": "3"},
            "incorrect",
            "Entry (2, 2) is too large",
        ),
        (
            "[[10, 0], [100, 1000]]",
            "[[20, 1], [50, 1000]]",
            {"mode": "numeric", "factor": "3"},
            "incorrect",
            "Entry (1, 2) is not within the accepted factor",
        ),
        ("sqrt(2)", "1.414", NUMERIC, "correct", "Correct."),
        ("sqrt(2)", "1.5", NUMERIC, "incorrect", "Too large. The tolerance is 1%."),
    ],
)
def test_numeric_mode_compares_entrywise(
    expect: str, answer: str, keys: dict[str, str], want: str, words: str
) -> None:
    verdict, feedback = _judge(expect, answer, **keys)
    assert verdict == want, feedback
    assert words in feedback
