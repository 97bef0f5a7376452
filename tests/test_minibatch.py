"""Tests of dnnref.minibatch.random_mini_batches.

Oracles: the course's published sanity check (legacy ``RandomState``
seeds), the permutation drawn by an independent generator with the same
seed, and hypothesis properties of the partition.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dnnref.minibatch import random_mini_batches


class _Spy:
    """Wraps a generator and records the methods called on it."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.calls: list[tuple[str, tuple[object, ...]]] = []

    def __getattr__(self, name: str):
        method = getattr(self.rng, name)

        def record(*args: object):
            self.calls.append((name, args))
            return method(*args)

        return record


def _labelled(n_x: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """X whose column j holds j + 1000 i in row i, and Y = j: ids."""
    X = np.arange(m, dtype=np.float64) + 1000.0 * np.arange(n_x)[:, None]
    Y = np.arange(m).reshape(1, m)
    return X, Y


def test_course_sanity_check_with_randomstate() -> None:
    # Course "Optimization methods", random_mini_batches test: data from
    # np.random.seed(1), shuffle from seed 0, mini_batch_size = 64.
    rng = np.random.RandomState(1)
    X = rng.randn(12288, 148)
    Y = rng.randn(1, 148) < 0.5
    mini_batches = random_mini_batches(X, Y, 64, np.random.RandomState(0))
    assert [X_t.shape for X_t, _ in mini_batches] == [
        (12288, 64),
        (12288, 64),
        (12288, 20),
    ]
    assert [Y_t.shape for _, Y_t in mini_batches] == [
        (1, 64),
        (1, 64),
        (1, 20),
    ]
    np.testing.assert_allclose(
        mini_batches[0][0][0][0:3],
        [0.90085595, -0.7612069, 0.2344157],
        rtol=1e-7,
    )


@pytest.mark.parametrize(
    "make_rng",
    [np.random.RandomState, np.random.default_rng],
    ids=["RandomState", "Generator"],
)
@pytest.mark.parametrize("seed", [0, 3, 2024])
def test_shuffle_is_the_generators_permutation(make_rng, seed: int) -> None:
    X, Y = _labelled(3, 23)
    mini_batches = random_mini_batches(X, Y, 5, make_rng(seed))
    permutation = make_rng(seed).permutation(23)  # independent oracle
    np.testing.assert_array_equal(
        np.concatenate([X_t for X_t, _ in mini_batches], axis=1),
        X[:, permutation],
    )
    np.testing.assert_array_equal(
        np.concatenate([Y_t for _, Y_t in mini_batches], axis=1),
        Y[:, permutation],
    )


def test_draws_exactly_one_permutation_of_m() -> None:
    spy = _Spy(np.random.default_rng(0))
    X, Y = _labelled(2, 10)
    random_mini_batches(X, Y, 4, spy)
    assert spy.calls == [("permutation", (10,))]


@given(
    n_x=st.integers(1, 4),
    m=st.integers(1, 150),
    mini_batch_size=st.integers(1, 70),
    seed=st.integers(0, 2**32 - 1),
)
def test_mini_batches_partition_the_columns(
    n_x: int, m: int, mini_batch_size: int, seed: int
) -> None:
    X, Y = _labelled(n_x, m)
    mini_batches = random_mini_batches(
        X, Y, mini_batch_size, np.random.default_rng(seed)
    )
    full, rest = divmod(m, mini_batch_size)
    expected_sizes = [mini_batch_size] * full + ([rest] if rest else [])
    assert [X_t.shape for X_t, _ in mini_batches] == [
        (n_x, size) for size in expected_sizes
    ]
    assert [Y_t.shape for _, Y_t in mini_batches] == [
        (1, size) for size in expected_sizes
    ]
    ids = np.concatenate([Y_t[0] for _, Y_t in mini_batches])
    np.testing.assert_array_equal(np.sort(ids), np.arange(m))  # each once
    for X_t, Y_t in mini_batches:  # X and Y columns stay paired
        np.testing.assert_array_equal(X_t, X[:, Y_t[0]])


def test_size_m_or_more_gives_one_batch() -> None:
    X, Y = _labelled(2, 7)
    for size in (7, 8, 1000):
        mini_batches = random_mini_batches(X, Y, size, np.random.default_rng())
        assert len(mini_batches) == 1
        assert mini_batches[0][0].shape == (2, 7)


def test_size_one_is_stochastic_gradient_descent() -> None:
    X, Y = _labelled(2, 6)
    mini_batches = random_mini_batches(X, Y, 1, np.random.default_rng(5))
    assert [X_t.shape for X_t, _ in mini_batches] == [(2, 1)] * 6


def test_accepts_numpy_int_size_lists_and_no_rng() -> None:
    mini_batches = random_mini_batches(
        [[1.0, 2.0, 3.0]], [[0, 1, 1]], np.int64(2)
    )
    assert [X_t.shape for X_t, _ in mini_batches] == [(1, 2), (1, 1)]
    values = np.concatenate([X_t[0] for X_t, _ in mini_batches])
    np.testing.assert_array_equal(np.sort(values), [1.0, 2.0, 3.0])


def test_dtypes_are_kept_and_batches_are_contiguous_copies() -> None:
    X = np.ones((3, 8))
    Y = np.array([[True, False] * 4])
    for X_t, Y_t in random_mini_batches(X, Y, 3, np.random.default_rng(0)):
        assert X_t.dtype == np.float64
        assert Y_t.dtype == np.bool_
        assert X_t.flags.c_contiguous
        assert not np.shares_memory(X_t, X)
        assert not np.shares_memory(Y_t, Y)


def test_is_pure() -> None:
    X, Y = _labelled(2, 9)
    X_copy, Y_copy = X.copy(), Y.copy()
    X.flags.writeable = False  # an in-place shuffle would raise
    Y.flags.writeable = False
    mini_batches = random_mini_batches(X, Y, 4, np.random.default_rng(1))
    mini_batches[0][0][...] = -1.0  # writing to a batch leaves X alone
    np.testing.assert_array_equal(X, X_copy)
    np.testing.assert_array_equal(Y, Y_copy)


@pytest.mark.parametrize(
    ("X", "Y", "size", "error", "match"),
    [
        (
            np.ones(10),
            np.ones((1, 10)),
            4,
            ValueError,
            r"X and Y must be 2-D, got shapes \(10,\) and \(1, 10\)",
        ),
        (
            np.ones((2, 10)),
            np.ones(10),
            4,
            ValueError,
            r"X and Y must be 2-D, got shapes \(2, 10\) and \(10,\)",
        ),
        (
            np.ones((2, 10)),
            np.ones((1, 9)),
            4,
            ValueError,
            "X has m=10 columns but Y has m=9",
        ),
        (
            np.ones((2, 0)),
            np.ones((1, 0)),
            4,
            ValueError,
            r"X and Y have no examples \(m=0\)",
        ),
        (
            np.ones((2, 10)),
            np.ones((1, 10)),
            0,
            ValueError,
            "mini_batch_size must be >= 1, got 0",
        ),
        (
            np.ones((2, 10)),
            np.ones((1, 10)),
            -64,
            ValueError,
            "mini_batch_size must be >= 1, got -64",
        ),
        (
            np.ones((2, 10)),
            np.ones((1, 10)),
            2.5,
            TypeError,
            "mini_batch_size must be an int, got 2.5",
        ),
        (
            np.ones((2, 10)),
            np.ones((1, 10)),
            True,
            TypeError,
            "mini_batch_size must be an int, got True",
        ),
    ],
    ids=[
        "X-1d",
        "Y-1d",
        "m-differs",
        "m-zero",
        "size-zero",
        "size-negative",
        "size-float",
        "size-bool",
    ],
)
def test_rejects_bad_input(X, Y, size, error, match) -> None:
    with pytest.raises(error, match=match):
        random_mini_batches(X, Y, size, np.random.default_rng(0))
