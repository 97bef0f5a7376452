"""Tests of dnnref.normalization against independent oracles.

Oracles: hand-computed means and population standard deviations, the
closed-form properties of normalized data (mean 0, standard deviation 1 per
feature; hypothesis), and the notes' mistaken X / sigma^2, whose standard
deviation is 1 / sigma, not 1.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from dnnref.normalization import compute_normalization, normalize


def test_compute_normalization_by_hand() -> None:
    X = np.array([[1.0, 2.0, 3.0, 6.0], [-1.0, 1.0, -1.0, 1.0]])
    mu, sigma = compute_normalization(X)
    # row 0: mean 3, squared deviations 4 + 1 + 0 + 9 = 14, over m = 4
    np.testing.assert_allclose(mu, [[3.0], [0.0]], rtol=1e-15)
    np.testing.assert_allclose(sigma, [[math.sqrt(14 / 4)], [1.0]], rtol=1e-15)
    assert mu.shape == (2, 1)
    assert sigma.shape == (2, 1)


def test_sigma_is_the_population_std_not_the_sample_std() -> None:
    _, sigma = compute_normalization([[0.0, 2.0]])
    assert sigma[0, 0] == 1.0  # ddof 0: sqrt((1 + 1) / 2); ddof 1: sqrt(2)


@pytest.mark.parametrize("value", [0.0, 5.0, 0.1, -1e6, 1 / 3])
def test_zero_variance_feature_gets_sigma_one(value: float) -> None:
    X = np.array([[value] * 7, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]])
    mu, sigma = compute_normalization(X)
    assert sigma[0, 0] == 1.0
    assert sigma[1, 0] == 2.0  # sqrt(28 / 7)
    X_norm = normalize(X, mu, sigma)
    np.testing.assert_allclose(X_norm[0], 0.0, atol=1e-9 * max(1, abs(value)))
    assert np.all(np.isfinite(X_norm))


def test_single_example() -> None:
    mu, sigma = compute_normalization([[4.0], [-2.0]])
    np.testing.assert_array_equal(mu, [[4.0], [-2.0]])
    np.testing.assert_array_equal(sigma, [[1.0], [1.0]])


@given(
    hnp.arrays(
        np.int64,
        st.tuples(st.integers(1, 5), st.integers(2, 40)),
        elements=st.integers(-1000, 1000),
    ),
    st.floats(1e-3, 1e3),
    st.floats(-1e3, 1e3),
)
def test_normalized_training_data_has_mean_0_and_std_1(
    ints: np.ndarray, scale: float, offset: float
) -> None:
    X = offset + scale * ints.astype(np.float64)
    mu, sigma = compute_normalization(X)
    X_norm = normalize(X, mu, sigma)
    constant = np.ptp(ints, axis=1) == 0
    means = X_norm.mean(axis=1)
    stds = np.sqrt(np.mean((X_norm - means[:, None]) ** 2, axis=1))
    np.testing.assert_allclose(means, 0.0, atol=1e-9)
    np.testing.assert_allclose(stds[~constant], 1.0, rtol=1e-9)
    np.testing.assert_allclose(X_norm[constant], 0.0, atol=1e-9)


def test_dividing_by_the_variance_is_wrong() -> None:
    """The notes' X /= sigma**2 gives standard deviation 1 / sigma, not 1."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((3, 1000)) * np.array([[0.5], [2.0], [10.0]])
    mu, sigma = compute_normalization(X)
    right = normalize(X, mu, sigma)
    wrong = (X - mu) / sigma**2
    np.testing.assert_allclose(right.std(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(
        wrong.std(axis=1), 1 / sigma.ravel(), rtol=1e-12
    )
    assert np.all(np.abs(wrong.std(axis=1) - 1) > 0.4)


def test_test_set_uses_the_training_statistics() -> None:
    X_train = np.array([[0.0, 2.0, 4.0], [10.0, 10.0, 40.0]])
    X_test = np.array([[6.0], [0.0]])
    mu, sigma = compute_normalization(X_train)
    # mu = [2, 20], sigma = [sqrt(8/3), sqrt(200)]
    expected = [[(6 - 2) / math.sqrt(8 / 3)], [(0 - 20) / math.sqrt(200)]]
    np.testing.assert_allclose(normalize(X_test, mu, sigma), expected, 1e-14)


def test_normalize_by_hand_and_dtype() -> None:
    X_norm = normalize([[1, 2, 3]], [[2]], [[0.5]])
    np.testing.assert_array_equal(X_norm, [[-2.0, 0.0, 2.0]])
    assert X_norm.dtype == np.float64


def test_functions_are_pure() -> None:
    X = np.array([[1.0, 2.0, 4.0], [3.0, 3.0, 3.0]])
    X_before = X.copy()
    mu, sigma = compute_normalization(X)
    mu_before, sigma_before = mu.copy(), sigma.copy()
    normalize(X, mu, sigma)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(mu, mu_before)
    np.testing.assert_array_equal(sigma, sigma_before)


# --------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "X", [np.ones(3), np.ones((2, 2, 2)), np.ones((2, 0))]
)
def test_compute_normalization_rejects_shapes(X: np.ndarray) -> None:
    with pytest.raises(ValueError, match="X must be 2-D"):
        compute_normalization(X)


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_compute_normalization_rejects_non_finite(bad: float) -> None:
    with pytest.raises(ValueError, match="X contains NaN or inf"):
        compute_normalization([[1.0, bad]])


def test_normalize_rejects_1d_X() -> None:
    with pytest.raises(ValueError, match="X must be 2-D"):
        normalize(np.ones(3), np.zeros((3, 1)), np.ones((3, 1)))


@pytest.mark.parametrize("name", ["mu", "sigma"])
@pytest.mark.parametrize("shape", [(2, 1), (3,), (1, 3), (3, 2)])
def test_normalize_rejects_stat_shapes(
    name: str, shape: tuple[int, ...]
) -> None:
    stats = {"mu": np.zeros((3, 1)), "sigma": np.ones((3, 1))}
    stats[name] = np.ones(shape)
    with pytest.raises(ValueError, match=f"{name} shape"):
        normalize(np.ones((3, 4)), stats["mu"], stats["sigma"])


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan"), float("inf")])
def test_normalize_rejects_bad_sigma(bad: float) -> None:
    match = "sigma must be > 0" if np.isfinite(bad) else "sigma contains NaN"
    with pytest.raises(ValueError, match=match):
        normalize(np.ones((2, 3)), np.zeros((2, 1)), [[1.0], [bad]])


def test_normalize_rejects_non_finite_mu() -> None:
    with pytest.raises(ValueError, match="mu contains NaN or inf"):
        normalize(np.ones((2, 3)), [[0.0], [float("nan")]], np.ones((2, 1)))
