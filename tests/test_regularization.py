"""Tests of dnnref.regularization against independent oracles.

Oracles: hand-computed penalties; the course's mask convention
(``rng.random(A.shape) < keep_prob``) replayed from the same seed; the
masks ``forward_propagation`` draws; the exact expectation over all masks
(hypothesis) and a 5-sigma Monte Carlo check of it; central differences
for ``dropout_backward``.  PyTorch's dropout is the oracle in
tests/crosscheck/test_torch_init_dropout.py.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from dnnref.network import forward_propagation
from dnnref.regularization import dropout_backward, dropout_forward, l2_penalty


class FixedUniforms:
    """A stand-in rng whose ``random`` returns given uniforms."""

    def __init__(self, U: np.ndarray) -> None:
        self.U = U

    def random(self, shape: tuple[int, ...]) -> np.ndarray:
        assert shape == self.U.shape
        return self.U.copy()


# -------------------------------------------------------------- l2_penalty


def test_l2_penalty_by_hand() -> None:
    parameters = {
        "W1": np.array([[1.0, -2.0], [0.5, 0.0]]),
        "b1": np.array([[10.0], [10.0]]),
        "W2": np.array([[3.0, 1.0]]),
        "b2": np.array([[-7.0]]),
    }
    # squares: 1 + 4 + 0.25 + 0 + 9 + 1 = 15.25
    expected = 0.3 / (2 * 5) * 15.25
    assert l2_penalty(parameters, 0.3, 5) == pytest.approx(expected, rel=1e-15)
    assert type(l2_penalty(parameters, 0.3, 5)) is float


def test_l2_penalty_only_counts_W_keys() -> None:
    parameters = {
        "W1": np.array([[2.0]]),
        "dW1": np.array([[100.0]]),
        "Wx": np.array([[100.0]]),
        "gamma1": np.array([[100.0]]),
    }
    assert l2_penalty(parameters, 1.0, 2) == pytest.approx(1.0, rel=1e-15)


def test_l2_penalty_zero_lambd_and_numpy_m() -> None:
    parameters = {"W1": np.ones((3, 3))}
    assert l2_penalty(parameters, 0.0, 4) == 0.0
    assert l2_penalty(parameters, 2.0, np.int64(3)) == pytest.approx(3.0)


@pytest.mark.parametrize("lambd", [-0.5, float("nan"), float("inf")])
def test_l2_penalty_rejects_lambd(lambd: float) -> None:
    with pytest.raises(ValueError, match="lambd"):
        l2_penalty({"W1": np.ones((1, 1))}, lambd, 1)


@pytest.mark.parametrize("m", [0, -3, 2.5])
def test_l2_penalty_rejects_m(m: float) -> None:
    with pytest.raises(ValueError, match="m must be"):
        l2_penalty({"W1": np.ones((1, 1))}, 0.1, m)  # type: ignore[arg-type]


def test_l2_penalty_is_pure() -> None:
    parameters = {"W1": np.array([[1.0, 2.0]])}
    l2_penalty(parameters, 0.1, 1)
    np.testing.assert_array_equal(parameters["W1"], [[1.0, 2.0]])


# --------------------------------------------------------- dropout_forward


@pytest.mark.parametrize(
    "rng_factory", [np.random.default_rng, np.random.RandomState]
)
@pytest.mark.parametrize("keep_prob", [0.2, 0.5, 0.8])
def test_dropout_forward_course_convention(
    rng_factory: type, keep_prob: float
) -> None:
    A = np.random.default_rng(99).standard_normal((4, 6))
    A_dropped, D = dropout_forward(A, keep_prob, rng_factory(3))
    D_expected = rng_factory(3).random((4, 6)) < keep_prob
    np.testing.assert_array_equal(D, D_expected)
    np.testing.assert_allclose(
        A_dropped, np.where(D_expected, A / keep_prob, 0.0), rtol=1e-15
    )
    assert D.dtype == bool
    assert A_dropped.dtype == np.float64


def test_dropout_forward_by_hand() -> None:
    U = np.array([[0.1, 0.9], [0.6, 0.59]])
    A_dropped, D = dropout_forward(
        [[1.0, 2.0], [3.0, 4.0]], 0.6, FixedUniforms(U)
    )
    np.testing.assert_array_equal(D, [[True, False], [False, True]])
    np.testing.assert_allclose(A_dropped, [[1 / 0.6, 0.0], [0.0, 4 / 0.6]])


def test_keep_prob_one_keeps_everything_and_draws_nothing() -> None:
    A = np.array([[1.0, -2.0]])
    rng = np.random.default_rng(5)
    A_dropped, D = dropout_forward(A, 1.0, rng)
    np.testing.assert_array_equal(A_dropped, A)
    assert A_dropped is not A
    np.testing.assert_array_equal(D, True)
    assert rng.random() == np.random.default_rng(5).random()


def test_rng_none_draws_a_mask() -> None:
    A_dropped, D = dropout_forward(np.ones((50, 50)), 0.5)
    assert 0 < D.mean() < 1
    np.testing.assert_array_equal(A_dropped, 2.0 * D)


def test_masks_match_forward_propagation() -> None:
    """Same seed: dropout_forward replays forward_propagation's D1, D2."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((3, 7))
    parameters = {
        "W1": rng.standard_normal((5, 3)),
        "b1": rng.standard_normal((5, 1)),
        "W2": rng.standard_normal((4, 5)),
        "b2": rng.standard_normal((4, 1)),
        "W3": rng.standard_normal((1, 4)),
        "b3": rng.standard_normal((1, 1)),
    }
    keep_prob = 0.6
    _, caches = forward_propagation(
        X, parameters, keep_prob, np.random.default_rng(21)
    )
    replay = np.random.default_rng(21)
    A1 = np.maximum(parameters["W1"] @ X + parameters["b1"], 0)
    A1_dropped, D1 = dropout_forward(A1, keep_prob, replay)
    A2 = np.maximum(parameters["W2"] @ A1_dropped + parameters["b2"], 0)
    A2_dropped, D2 = dropout_forward(A2, keep_prob, replay)
    np.testing.assert_array_equal(caches[1][2], D1)
    np.testing.assert_array_equal(caches[2][2], D2)
    np.testing.assert_allclose(caches[1][0], A1_dropped, rtol=1e-14)
    np.testing.assert_allclose(caches[2][0], A2_dropped, rtol=1e-14)


@given(
    hnp.arrays(np.float64, (1, 4), elements=st.floats(-1e3, 1e3)),
    st.floats(0.05, 0.99),
)
def test_inverted_dropout_keeps_the_mean_exactly(
    A: np.ndarray, keep_prob: float
) -> None:
    """Sum over all 2^4 masks of P(D) * A_dropped(D) equals A."""
    expectation = np.zeros_like(A)
    for kept in itertools.product([True, False], repeat=A.size):
        D = np.array(kept).reshape(A.shape)
        U = np.where(D, 0.0, 0.995)  # U < keep_prob exactly where D
        A_dropped, D_drawn = dropout_forward(A, keep_prob, FixedUniforms(U))
        np.testing.assert_array_equal(D_drawn, D)
        k = int(D.sum())
        expectation += (
            keep_prob**k * (1 - keep_prob) ** (A.size - k) * A_dropped
        )
    np.testing.assert_allclose(expectation, A, rtol=1e-12, atol=1e-12)


@given(
    hnp.arrays(np.float64, (2, 3), elements=st.floats(-10, 10)),
    st.floats(0.2, 0.95),
    st.integers(0, 2**32 - 1),
)
def test_inverted_dropout_keeps_the_mean_monte_carlo(
    A: np.ndarray, keep_prob: float, seed: int
) -> None:
    """Average of N draws is within 5 standard errors of A, entry by entry.

    A_dropped = A * Bernoulli(p) / p has mean A and variance
    A^2 (1 - p) / p, so the average of N draws has standard error
    |A| sqrt((1 - p) / (p N)).
    """
    N = 4000
    A_tiled = np.tile(A, (1, N))  # (2, 3 N): N copies of A side by side
    A_dropped, _ = dropout_forward(
        A_tiled, keep_prob, np.random.default_rng(seed)
    )
    average = A_dropped.reshape(2, N, 3).mean(axis=1)
    standard_error = np.abs(A) * math.sqrt((1 - keep_prob) / (keep_prob * N))
    assert np.all(np.abs(average - A) <= 5 * standard_error + 1e-12)


@pytest.mark.parametrize("keep_prob", [0.0, -0.2, 1.2, float("nan")])
def test_dropout_forward_rejects_keep_prob(keep_prob: float) -> None:
    with pytest.raises(ValueError, match="keep_prob"):
        dropout_forward(np.ones((2, 2)), keep_prob)


def test_dropout_forward_is_pure() -> None:
    A = np.array([[1.0, 2.0], [3.0, 4.0]])
    dropout_forward(A, 0.5, np.random.default_rng(0))
    np.testing.assert_array_equal(A, [[1.0, 2.0], [3.0, 4.0]])


# -------------------------------------------------------- dropout_backward


def test_dropout_backward_by_hand() -> None:
    dA = np.array([[1.0, 2.0], [3.0, 4.0]])
    D = np.array([[True, False], [False, True]])
    np.testing.assert_allclose(
        dropout_backward(dA, D, 0.8), [[1.25, 0.0], [0.0, 5.0]], rtol=1e-15
    )
    np.testing.assert_allclose(
        dropout_backward(dA, D.astype(int), 0.8), [[1.25, 0.0], [0.0, 5.0]]
    )


@pytest.mark.parametrize("keep_prob", [0.3, 0.75, 1.0])
def test_dropout_backward_matches_central_differences(
    keep_prob: float,
) -> None:
    """d/dA of sum(G * dropout_forward(A)) under a fixed mask."""
    rng = np.random.default_rng(1)
    A, G = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    U = rng.random((3, 4))

    def J(A: np.ndarray) -> float:
        return float(
            np.sum(G * dropout_forward(A, keep_prob, FixedUniforms(U))[0])
        )

    _, D = dropout_forward(A, keep_prob, FixedUniforms(U))
    numerical = np.zeros_like(A)
    h = 1e-6
    for index in np.ndindex(A.shape):
        plus, minus = A.copy(), A.copy()
        plus[index] += h
        minus[index] -= h
        numerical[index] = (J(plus) - J(minus)) / (2 * h)
    analytic = dropout_backward(G, D, keep_prob)
    np.testing.assert_allclose(analytic, numerical, rtol=1e-7, atol=1e-9)


def test_dropout_backward_rejects_bad_input() -> None:
    D = np.ones((2, 2), dtype=bool)
    with pytest.raises(ValueError, match="D shape"):
        dropout_backward(np.ones((2, 3)), D, 0.5)
    with pytest.raises(ValueError, match="D must be"):
        dropout_backward(np.ones((2, 2)), np.full((2, 2), 0.5), 0.5)
    for keep_prob in (0.0, 1.5):
        with pytest.raises(ValueError, match="keep_prob"):
            dropout_backward(np.ones((2, 2)), D, keep_prob)


def test_dropout_backward_is_pure() -> None:
    dA, D = np.array([[1.0, 2.0]]), np.array([[True, False]])
    dropout_backward(dA, D, 0.5)
    np.testing.assert_array_equal(dA, [[1.0, 2.0]])
    np.testing.assert_array_equal(D, [[True, False]])
