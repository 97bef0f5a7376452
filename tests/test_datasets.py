"""Tests of dnnref.datasets: properties of the data, not hard-coded values.

Oracles: the documented geometry (radii, moon centres, the sine boundary),
the documented order of the random draws (checked by replaying the same
seed by hand), exact label counts, and a 1-nearest-neighbour memorizer for
"a model that fits the training set overfits this data".
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from dnnref.datasets import (
    make_circles,
    make_moons,
    make_noisy_two_class,
    train_test_split,
)

GENERATORS = [make_circles, make_moons, make_noisy_two_class]


def _seeds(seed: int):
    return [np.random.default_rng(seed), np.random.RandomState(seed)]


# ------------------------------------------------------------ all of them


@pytest.mark.parametrize("make", GENERATORS)
@pytest.mark.parametrize("legacy", [False, True])
@given(m=st.integers(2, 400), seed=st.integers(0, 2**32 - 1))
def test_shapes_dtypes_and_labels(make, legacy, m, seed) -> None:
    rng = (
        np.random.RandomState(seed) if legacy else np.random.default_rng(seed)
    )
    X, Y = make(m=m, rng=rng)
    assert X.shape == (2, m)
    assert Y.shape == (1, m)
    assert X.dtype == Y.dtype == np.float64
    assert set(np.unique(Y)) <= {0.0, 1.0}
    assert np.all(np.isfinite(X))


@pytest.mark.parametrize("make", GENERATORS)
@pytest.mark.parametrize("seed", [0, 1, 3])
def test_same_seed_same_data(make, seed) -> None:
    for first, second in zip(_seeds(seed), _seeds(seed), strict=True):
        X1, Y1 = make(rng=first)
        X2, Y2 = make(rng=second)
        np.testing.assert_array_equal(X1, X2)
        np.testing.assert_array_equal(Y1, Y2)
    X1, _ = make(rng=np.random.default_rng(seed))
    X2, _ = make(rng=np.random.default_rng(seed + 1))
    assert not np.array_equal(X1, X2)


@pytest.mark.parametrize("make", GENERATORS)
def test_rng_none_draws_fresh_data(make) -> None:
    X1, Y1 = make(m=50)
    X2, _ = make(m=50)
    assert X1.shape == (2, 50)
    assert Y1.shape == (1, 50)
    assert not np.array_equal(X1, X2)


@pytest.mark.parametrize("make", GENERATORS)
def test_accepts_numpy_and_integral_float_m(make) -> None:
    X, Y = make(m=np.int64(10), rng=np.random.default_rng(0))
    assert X.shape == (2, 10)
    X, Y = make(m=10.0, rng=np.random.default_rng(0))
    assert Y.shape == (1, 10)


# ------------------------------------------------------------- circles


@given(m=st.integers(2, 300), factor=st.floats(0.05, 0.95))
def test_circles_without_noise_lie_on_the_two_circles(m, factor) -> None:
    X, Y = make_circles(
        m=m, noise=0.0, factor=factor, rng=np.random.default_rng(0)
    )
    radius = np.hypot(X[0], X[1])
    expected = np.where(Y[0] == 1, factor, 1.0)
    np.testing.assert_allclose(radius, expected, rtol=1e-12)
    assert np.sum(Y == 0) == m // 2
    assert np.sum(Y == 1) == m - m // 2


def test_circles_points_are_evenly_spaced() -> None:
    X, Y = make_circles(m=40, noise=0.0, rng=np.random.default_rng(0))
    for label, count in ((0, 20), (1, 20)):
        angles = np.sort(np.arctan2(X[1, Y[0] == label], X[0, Y[0] == label]))
        np.testing.assert_allclose(
            np.diff(angles), 2 * np.pi / count, rtol=1e-9
        )


@pytest.mark.parametrize("make", [make_circles, make_moons])
@pytest.mark.parametrize("legacy", [False, True])
def test_documented_draw_order_permutation_then_noise(make, legacy) -> None:
    # shuffled columns = the clean points permuted by rng.permutation(m);
    # then noise * rng.standard_normal((2, m)) is added.
    def new():
        return np.random.RandomState(5) if legacy else np.random.default_rng(5)

    m, noise = 31, 0.3
    X0, Y0 = make(m=m, noise=0.0, rng=new())
    X, Y = make(m=m, noise=noise, rng=new())
    replay = new()
    order = replay.permutation(m)
    E = replay.standard_normal((2, m))
    np.testing.assert_array_equal(Y, Y0)
    np.testing.assert_allclose(X, X0 + noise * E, rtol=1e-14, atol=1e-15)
    # the clean points before shuffling: label 0 first, then label 1
    unshuffled = np.empty_like(Y0)
    unshuffled[:, order] = Y0
    np.testing.assert_array_equal(
        unshuffled[0], [0] * (m // 2) + [1] * (m - m // 2)
    )


def test_circles_noise_is_the_stated_standard_deviation() -> None:
    m, noise = 20000, 0.05
    X0, _ = make_circles(m=m, noise=0.0, rng=np.random.default_rng(2))
    X, _ = make_circles(m=m, noise=noise, rng=np.random.default_rng(2))
    residual = (X - X0).ravel()
    # the sample std of 40000 normal draws is within 2% of noise (> 5 sigma)
    assert abs(residual.std() / noise - 1) < 0.02
    assert abs(residual.mean()) < 5 * noise / np.sqrt(residual.size)


# --------------------------------------------------------------- moons


@given(m=st.integers(2, 300))
def test_moons_without_noise_lie_on_the_two_half_circles(m) -> None:
    X, Y = make_moons(m=m, noise=0.0, rng=np.random.default_rng(1))
    upper = Y[0] == 0
    # label 0: upper half of the unit circle centred at (0, 0)
    np.testing.assert_allclose(
        np.hypot(X[0, upper], X[1, upper]), 1, rtol=1e-12
    )
    assert np.all(X[1, upper] >= -1e-12)
    # label 1: lower half of the unit circle centred at (1, 0.5)
    lower = ~upper
    r = np.hypot(X[0, lower] - 1, X[1, lower] - 0.5)
    np.testing.assert_allclose(r, 1, rtol=1e-12)
    assert np.all(X[1, lower] <= 0.5 + 1e-12)
    assert np.sum(upper) == m // 2
    assert np.sum(lower) == m - m // 2


def test_moons_interleave() -> None:
    # Not linearly separable along either axis: the ranges overlap.
    X, Y = make_moons(m=200, noise=0.0, rng=np.random.default_rng(0))
    a, b = X[:, Y[0] == 0], X[:, Y[0] == 1]
    assert a[0].max() > b[0].min()
    assert a[1].min() < b[1].max()


# ------------------------------------------------------- noisy two-class


def _clean_labels(X: np.ndarray) -> np.ndarray:
    """The documented boundary: 1 above x2 = 0.5 sin(pi x1)."""
    return (X[1] > 0.5 * np.sin(np.pi * X[0])).astype(float)


@pytest.mark.parametrize("legacy", [False, True])
@given(
    m=st.integers(2, 500),
    noise=st.floats(0, 0.49),
    seed=st.integers(0, 2**32 - 1),
)
def test_exactly_the_stated_fraction_of_labels_is_flipped(
    legacy, m, noise, seed
) -> None:
    rng = (
        np.random.RandomState(seed) if legacy else np.random.default_rng(seed)
    )
    X, Y = make_noisy_two_class(m=m, noise=noise, rng=rng)
    assert np.sum(_clean_labels(X) != Y[0]) == round(noise * m)
    assert np.all((X >= -1) & (X <= 1))


def test_noise_zero_gives_the_clean_boundary() -> None:
    X, Y = make_noisy_two_class(m=500, noise=0.0, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(Y[0], _clean_labels(X))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_noisy_two_class_is_roughly_balanced_and_uniform(seed) -> None:
    # By the symmetry (x1, x2) -> (-x1, -x2) each class has probability 1/2;
    # with m = 4000 the fraction is within 0.05 of it (more than 6 sigma).
    X, Y = make_noisy_two_class(
        m=4000, noise=0.1, rng=np.random.default_rng(seed)
    )
    assert abs(Y.mean() - 0.5) < 0.05
    np.testing.assert_allclose(X.mean(axis=1), 0, atol=0.05)
    np.testing.assert_allclose(X.var(axis=1), 1 / 3, atol=0.03)


def _one_nn_accuracy(X_train, Y_train, X, Y) -> float:
    d2 = ((X[:, :, np.newaxis] - X_train[:, np.newaxis, :]) ** 2).sum(axis=0)
    prediction = Y_train[0, np.argmin(d2, axis=1)]
    return float(np.mean(prediction == Y[0]))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_memorizing_model_overfits_the_noisy_data(seed) -> None:
    # 1-nearest-neighbour memorizes the training set (accuracy 1) but, with
    # 10% of the labels flipped, does clearly worse on the test set; the
    # clean boundary scores about 1 - noise on both.
    rng = np.random.default_rng(seed)
    X, Y = make_noisy_two_class(m=300, noise=0.1, rng=rng)
    X_train, Y_train, X_test, Y_test = train_test_split(X, Y, rng=rng)
    train_accuracy = _one_nn_accuracy(X_train, Y_train, X_train, Y_train)
    test_accuracy = _one_nn_accuracy(X_train, Y_train, X_test, Y_test)
    clean_test = float(np.mean(_clean_labels(X_test) == Y_test[0]))
    assert train_accuracy == 1.0
    assert test_accuracy < 0.9
    assert clean_test > test_accuracy
    assert float(np.mean(_clean_labels(X) == Y[0])) == pytest.approx(0.9)


# ---------------------------------------------------------- train/test split


@pytest.mark.parametrize("legacy", [False, True])
@given(
    m=st.integers(2, 200),
    test_fraction=st.floats(0.01, 0.99),
    seed=st.integers(0, 2**32 - 1),
)
def test_split_is_a_partition_that_keeps_columns_together(
    legacy, m, test_fraction, seed
) -> None:
    m_test = round(test_fraction * m)
    assume(0 < m_test < m)  # else rejected: test_split_rejects_an_empty_set
    X = np.stack([np.arange(m, dtype=float), -np.arange(m, dtype=float)])
    Y = np.arange(m, dtype=float)[np.newaxis] * 10

    def new():
        return (
            np.random.RandomState(seed)
            if legacy
            else np.random.default_rng(seed)
        )

    X_train, Y_train, X_test, Y_test = train_test_split(
        X, Y, test_fraction, rng=new()
    )
    assert X_test.shape == (2, m_test)
    assert Y_test.shape == (1, m_test)
    assert X_train.shape == (2, m - m_test)
    assert Y_train.shape == (1, m - m_test)
    index = np.concatenate([X_test[0], X_train[0]]).astype(int)
    # the documented draw: test = first m_test entries of rng.permutation(m)
    np.testing.assert_array_equal(index, new().permutation(m))
    np.testing.assert_array_equal(
        np.concatenate([Y_test, Y_train], 1)[0], index * 10
    )
    np.testing.assert_array_equal(
        np.concatenate([X_test, X_train], 1)[1], -index
    )


def test_split_default_fraction_and_rng_none() -> None:
    X, Y = np.ones((3, 10)), np.zeros((1, 10))
    X_train, Y_train, X_test, Y_test = train_test_split(X, Y)
    assert X_train.shape == (3, 7)
    assert X_test.shape == (3, 3)
    assert Y_train.shape == (1, 7)
    assert Y_test.shape == (1, 3)


def test_split_is_reproducible() -> None:
    X, Y = make_moons(m=50, rng=np.random.default_rng(0))
    a = train_test_split(X, Y, rng=np.random.default_rng(7))
    b = train_test_split(X, Y, rng=np.random.default_rng(7))
    for u, v in zip(a, b, strict=True):
        np.testing.assert_array_equal(u, v)


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize("make", GENERATORS)
@pytest.mark.parametrize("m", [1, 0, -5, 2.5])
def test_generators_reject_bad_m(make, m) -> None:
    with pytest.raises(ValueError, match=r"m must be an integer >= 2"):
        make(m=m, rng=np.random.default_rng(0))


@pytest.mark.parametrize("make", [make_circles, make_moons])
@pytest.mark.parametrize("noise", [-0.1, float("nan"), float("inf")])
def test_gaussian_noise_must_be_finite_and_non_negative(make, noise) -> None:
    with pytest.raises(ValueError, match=r"noise must be finite and >= 0"):
        make(noise=noise, rng=np.random.default_rng(0))


@pytest.mark.parametrize("factor", [0.0, 1.0, -0.5, 2.0, float("nan")])
def test_circles_reject_bad_factor(factor) -> None:
    with pytest.raises(ValueError, match=r"factor must be in \(0, 1\)"):
        make_circles(factor=factor, rng=np.random.default_rng(0))


@pytest.mark.parametrize("noise", [-0.01, 0.5, 0.9, float("nan")])
def test_flip_fraction_must_be_below_one_half(noise) -> None:
    with pytest.raises(ValueError, match=r"noise must be in \[0, 0.5\)"):
        make_noisy_two_class(noise=noise, rng=np.random.default_rng(0))


@pytest.mark.parametrize(
    ("X", "Y", "match"),
    [
        (np.ones(5), np.ones((1, 5)), "X and Y must be 2-D"),
        (np.ones((2, 5)), np.ones(5), "X and Y must be 2-D"),
        (
            np.ones((2, 5)),
            np.ones((1, 4)),
            "X has m = 5 examples but Y has m = 4",
        ),
    ],
)
def test_split_rejects_bad_arrays(X, Y, match) -> None:
    with pytest.raises(ValueError, match=match):
        train_test_split(X, Y, rng=np.random.default_rng(0))


@pytest.mark.parametrize("test_fraction", [0.0, 1.0, -0.2, 1.5, float("nan")])
def test_split_rejects_bad_fraction(test_fraction) -> None:
    with pytest.raises(ValueError, match=r"test_fraction must be in \(0, 1\)"):
        train_test_split(np.ones((2, 10)), np.ones((1, 10)), test_fraction)


@pytest.mark.parametrize(
    ("m", "test_fraction"), [(2, 0.1), (2, 0.9), (10, 0.99)]
)
def test_split_rejects_an_empty_set(m, test_fraction) -> None:
    with pytest.raises(ValueError, match=r"test_fraction .* both sets"):
        train_test_split(np.ones((2, m)), np.ones((1, m)), test_fraction)


# ------------------------------------------------------------------- purity


def test_split_is_pure_and_returns_copies() -> None:
    X, Y = make_circles(m=20, rng=np.random.default_rng(0))
    X_copy, Y_copy = X.copy(), Y.copy()
    parts = train_test_split(X, Y, rng=np.random.default_rng(1))
    np.testing.assert_array_equal(X, X_copy)
    np.testing.assert_array_equal(Y, Y_copy)
    for part in parts:
        assert not np.shares_memory(part, X)
        assert not np.shares_memory(part, Y)


@pytest.mark.parametrize("make", GENERATORS)
def test_generators_draw_from_the_given_rng(make) -> None:
    # the randomness comes from rng (it advances), so two calls differ
    rng = np.random.default_rng(0)
    X1, _ = make(m=20, rng=rng)
    X2, _ = make(m=20, rng=rng)
    assert not np.array_equal(X1, X2)
