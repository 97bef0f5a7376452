"""Tests of dnnref.batchnorm against independent oracles.

Oracles: central differences in float64 for the backward pass, closed forms
(mean 0 and variance var / (var + epsilon), the effect of scaling Z, the
exponentially weighted average of a constant), small hand-derived cases and
hypothesis properties.
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from dnnref.batchnorm import (
    batchnorm_backward,
    batchnorm_forward,
    batchnorm_inference,
    update_running_averages,
)


def _rel(a: np.ndarray, b: np.ndarray) -> float:
    return float(
        np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))
    )


def _numeric_grad(f, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Central differences of the scalar function f at x (float64)."""
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[idx] += h
        minus[idx] -= h
        grad[idx] = (f(plus) - f(minus)) / (2 * h)
    return grad


def _centering_tol(Z: np.ndarray, epsilon: float) -> np.ndarray:
    """Rounding bound, per row, on the entries of (Z - mu) / sqrt(var+eps).

    Z - mu is exact up to ~m roundings of max|Z|; 1 / sqrt(var + eps)
    magnifies that error (a constant row of 186.7 gives ~1e-10, not 0).
    """
    m = Z.shape[1]
    var = np.var(Z, axis=1)
    tol = 4 * m * np.finfo(np.float64).eps * np.abs(Z).max(axis=1)
    return tol / np.sqrt(var + epsilon) + 1e-15


def _problem(n: int, m: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((n, m)) * 3 + rng.standard_normal((n, 1))
    gamma = rng.standard_normal((n, 1))
    beta = rng.standard_normal((n, 1))
    return Z, gamma, beta


# --------------------------------------------------------------- gradients


@pytest.mark.parametrize(
    ("n", "m", "epsilon"),
    [(1, 3, 1e-8), (3, 5, 1e-8), (4, 8, 1e-3), (2, 16, 0.5), (5, 2, 0.1)],
)
def test_backward_matches_central_differences(n, m, epsilon) -> None:
    Z, gamma, beta = _problem(n, m, seed=n * 100 + m)
    G = np.random.default_rng(1).standard_normal((n, m))

    def loss(Z_, gamma_, beta_):
        Z_tilde, _ = batchnorm_forward(Z_, gamma_, beta_, epsilon)
        return float(np.sum(G * Z_tilde))

    _, cache = batchnorm_forward(Z, gamma, beta, epsilon)
    dZ, dgamma, dbeta = batchnorm_backward(G, cache)
    num_dZ = _numeric_grad(lambda z: loss(z, gamma, beta), Z)
    num_dgamma = _numeric_grad(lambda g: loss(Z, g, beta), gamma)
    num_dbeta = _numeric_grad(lambda b: loss(Z, gamma, b), beta)
    assert _rel(dZ, num_dZ) < 1e-7
    assert _rel(dgamma, num_dgamma) < 1e-7
    assert _rel(dbeta, num_dbeta) < 1e-7
    assert dZ.shape == (n, m)
    assert dgamma.shape == dbeta.shape == (n, 1)


def test_backward_hand_derived_two_examples() -> None:
    # m = 2, epsilon -> 0: Z_tilde = gamma * (-1, 1) + beta whatever Z is,
    # so dZ = 0; with epsilon > 0 the closed form for dZ_1 of Z = (0, 2):
    # Z_norm = (-1, 1) / sqrt(1 + eps), and
    # dZ = gamma * eps / (1 + eps)^1.5 * (g1 - g2) / 2 * (1, -1).
    eps, gamma = 0.25, 3.0
    Z = np.array([[0.0, 2.0]])
    g = np.array([[2.0, -1.0]])
    _, cache = batchnorm_forward(Z, np.array([[gamma]]), np.zeros((1, 1)), eps)
    dZ, dgamma, dbeta = batchnorm_backward(g, cache)
    expected = (
        gamma
        * eps
        / (1 + eps) ** 1.5
        * (2.0 + 1.0)
        / 2
        * np.array([[1.0, -1.0]])
    )
    np.testing.assert_allclose(dZ, expected, rtol=1e-12)
    np.testing.assert_allclose(dgamma, [[(-2.0 - 1.0) / np.sqrt(1 + eps)]])
    np.testing.assert_allclose(dbeta, [[1.0]], rtol=1e-15)


@given(
    n=st.integers(1, 4),
    m=st.integers(2, 12),
    seed=st.integers(0, 2**32 - 1),
    epsilon=st.sampled_from([1e-8, 1e-5, 1e-2]),
)
def test_backward_closed_form_sums(n, m, seed, epsilon) -> None:
    # sum_i dZ_i = 0 (BN ignores a shift of Z) and
    # sum_i dZ_i Z_norm_i = gamma * std_inv * dgamma * eps / (var + eps).
    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((n, m)) + rng.standard_normal((n, 1))
    gamma = rng.standard_normal((n, 1))
    _, cache = batchnorm_forward(Z, gamma, np.zeros((n, 1)), epsilon)
    G = rng.standard_normal((n, m))
    dZ, dgamma, _ = batchnorm_backward(G, cache)
    var = np.var(Z, axis=1, keepdims=True)
    std_inv = 1 / np.sqrt(var + epsilon)
    Z_norm = (Z - Z.mean(axis=1, keepdims=True)) * std_inv
    # rounding tolerance: size of the terms that cancel in dZ, times the
    # condition number max|Z| / sigma of computing Z - mu
    terms = np.abs(gamma) * std_inv * np.abs(G).sum(axis=1, keepdims=True)
    cond = 1 + np.abs(Z).max(axis=1, keepdims=True) * std_inv
    atol = 1e-14 * m * (1 + np.sqrt(m)) * terms * cond
    assert np.all(np.abs(dZ.sum(axis=1, keepdims=True)) <= atol)
    expected = gamma * std_inv * dgamma * epsilon / (var + epsilon)
    got = np.sum(dZ * Z_norm, axis=1, keepdims=True)
    assert np.all(np.abs(got - expected) <= 1e-9 * np.abs(expected) + atol)


# ------------------------------------------------------------ forward pass


def test_forward_hand_derived() -> None:
    Z = np.array([[1.0, 3.0], [10.0, 10.0]])
    gamma = np.array([[2.0], [5.0]])
    beta = np.array([[0.5], [-1.0]])
    eps = 1e-8
    Z_tilde, cache = batchnorm_forward(Z, gamma, beta)
    s = 1 / np.sqrt(1 + eps)
    np.testing.assert_allclose(
        Z_tilde, [[0.5 - 2 * s, 0.5 + 2 * s], [-1.0, -1.0]], rtol=1e-15
    )
    np.testing.assert_array_equal(cache["mu"], [[2.0], [10.0]])
    np.testing.assert_array_equal(cache["var"], [[1.0], [0.0]])
    np.testing.assert_allclose(cache["std_inv"], [[s], [1e4]], rtol=1e-15)
    np.testing.assert_allclose(cache["Z_norm"], [[-s, s], [0, 0]])
    np.testing.assert_array_equal(cache["gamma"], gamma)


def test_cache_layout() -> None:
    Z, gamma, beta = _problem(3, 5)
    _, cache = batchnorm_forward(Z, gamma, beta)
    assert set(cache) == {"Z_norm", "mu", "var", "std_inv", "gamma"}
    assert cache["Z_norm"].shape == (3, 5)
    for key in ("mu", "var", "std_inv", "gamma"):
        assert cache[key].shape == (3, 1)
        assert cache[key].dtype == np.float64


def test_forward_uses_biased_variance() -> None:
    Z = np.array([[0.0, 1.0, 2.0, 3.0]])
    _, cache = batchnorm_forward(Z, np.ones((1, 1)), np.zeros((1, 1)))
    assert cache["var"][0, 0] == 1.25  # sum of squares 5 / m, not / (m - 1)


def test_default_epsilon_is_the_courses() -> None:
    for fn in (batchnorm_forward, batchnorm_inference):
        assert inspect.signature(fn).parameters["epsilon"].default == 1e-8


def test_forward_accepts_array_likes() -> None:
    Z_tilde, _ = batchnorm_forward([[1, 3]], [[1]], [[0]])
    assert Z_tilde.dtype == np.float64
    np.testing.assert_allclose(Z_tilde, [[-1, 1]], rtol=1e-7)


finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
matrices = st.tuples(st.integers(1, 4), st.integers(2, 12)).flatmap(
    lambda shape: hnp.arrays(np.float64, shape, elements=finite)
)


@given(Z=matrices, epsilon=st.sampled_from([1e-8, 1e-5, 1e-2]))
def test_output_has_mean_0_and_variance_var_over_var_plus_eps(
    Z, epsilon
) -> None:
    n = Z.shape[0]
    Z_tilde, _ = batchnorm_forward(
        Z, np.ones((n, 1)), np.zeros((n, 1)), epsilon
    )
    var = np.var(Z, axis=1)
    m = Z.shape[1]
    tol = _centering_tol(Z, epsilon)
    assert np.all(np.abs(Z_tilde.mean(axis=1)) <= tol)
    expected = var / (var + epsilon)
    got = Z_tilde.var(axis=1)
    assert np.all(np.abs(got - expected) <= 1e-9 * expected + 4 * m * tol)


@given(
    n=st.integers(1, 4),
    m=st.integers(2, 12),
    seed=st.integers(0, 2**32 - 1),
)
def test_output_variance_is_1_up_to_epsilon(n, m, seed) -> None:
    # |var/(var+eps) - 1| = eps/(var+eps) <= eps/var: tolerance from eps.
    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((n, m)) * 5 + 2
    var = np.var(Z, axis=1)
    Z_tilde, _ = batchnorm_forward(Z, np.ones((n, 1)), np.zeros((n, 1)))
    assert np.all(np.abs(Z_tilde.var(axis=1) - 1) <= 1e-8 / var + 1e-13)


@given(
    Z=matrices,
    seed=st.integers(0, 2**32 - 1),
)
def test_gamma_scales_and_beta_shifts(Z, seed) -> None:
    n = Z.shape[0]
    rng = np.random.default_rng(seed)
    gamma = rng.standard_normal((n, 1)) * 3
    beta = rng.standard_normal((n, 1)) * 3
    Z_hat, _ = batchnorm_forward(Z, np.ones((n, 1)), np.zeros((n, 1)))
    Z_tilde, _ = batchnorm_forward(Z, gamma, beta)
    np.testing.assert_allclose(
        Z_tilde, gamma * Z_hat + beta, rtol=1e-14, atol=1e-14
    )
    # so beta sets the mean and |gamma| the standard deviation
    var = np.var(Z, axis=1, keepdims=True)
    tol = np.abs(gamma) * _centering_tol(Z, 1e-8)[:, np.newaxis]
    mean_error = Z_tilde.mean(axis=1, keepdims=True) - beta
    assert np.all(np.abs(mean_error) <= tol + 1e-14 * np.abs(beta))
    expected = gamma**2 * var / (var + 1e-8)
    var_error = Z_tilde.var(axis=1, keepdims=True) - expected
    m = Z.shape[1]
    assert np.all(np.abs(var_error) <= 1e-9 * expected + 4 * m * tol)


@given(
    n=st.integers(1, 4),
    m=st.integers(2, 12),
    seed=st.integers(0, 2**32 - 1),
    shift=st.floats(-100, 100),
)
def test_per_feature_shift_has_no_effect(n, m, seed, shift) -> None:
    # Why b[l] is redundant with batch norm: Z + b gives the same output.
    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((n, m))
    b = shift * rng.random((n, 1))
    gamma, beta = rng.standard_normal((n, 1)), rng.standard_normal((n, 1))
    out, _ = batchnorm_forward(Z, gamma, beta)
    out_shifted, _ = batchnorm_forward(Z + b, gamma, beta)
    tol = np.abs(gamma) * _centering_tol(Z + b, 1e-8)[:, np.newaxis]
    tol = 2 * tol + 1e-15 * (np.abs(out) + np.abs(beta))  # + final rounding
    assert np.all(np.abs(out_shifted - out) <= tol)


@given(
    n=st.integers(1, 4),
    m=st.integers(2, 12),
    seed=st.integers(0, 2**32 - 1),
    a=st.floats(0.01, 100),
)
def test_scaling_z_and_epsilon_together_has_no_effect(n, m, seed, a) -> None:
    # (a Z - a mu) / sqrt(a^2 var + a^2 eps) = (Z - mu) / sqrt(var + eps)
    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((n, m))
    gamma, beta = rng.standard_normal((n, 1)), rng.standard_normal((n, 1))
    out, _ = batchnorm_forward(Z, gamma, beta, epsilon=1e-3)
    scaled, _ = batchnorm_forward(a * Z, gamma, beta, epsilon=1e-3 * a**2)
    np.testing.assert_allclose(scaled, out, rtol=1e-9, atol=1e-12)


@given(
    n=st.integers(1, 4),
    m=st.integers(2, 12),
    seed=st.integers(0, 2**32 - 1),
)
def test_per_feature_scaling_closed_form(n, m, seed) -> None:
    # With a fixed epsilon, scaling row k by a_k multiplies Z_norm's row by
    # a_k sqrt(var_k + eps) / sqrt(a_k^2 var_k + eps): 1 up to eps / var.
    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((n, m))
    a = np.exp(rng.standard_normal((n, 1)))
    eps = 1e-4
    ones, zeros = np.ones((n, 1)), np.zeros((n, 1))
    out, _ = batchnorm_forward(Z, ones, zeros, eps)
    scaled, _ = batchnorm_forward(a * Z, ones, zeros, eps)
    var = np.var(Z, axis=1, keepdims=True)
    ratio = a * np.sqrt(var + eps) / np.sqrt(a**2 * var + eps)
    np.testing.assert_allclose(scaled, ratio * out, rtol=1e-10, atol=1e-13)


# --------------------------------------------------------------- inference


@given(Z=matrices, seed=st.integers(0, 2**32 - 1))
def test_inference_with_batch_stats_equals_forward(Z, seed) -> None:
    n = Z.shape[0]
    rng = np.random.default_rng(seed)
    gamma, beta = rng.standard_normal((n, 1)), rng.standard_normal((n, 1))
    mean = np.mean(Z, axis=1, keepdims=True)
    var = np.var(Z, axis=1, keepdims=True)
    expected, _ = batchnorm_forward(Z, gamma, beta)
    got = batchnorm_inference(Z, gamma, beta, mean, var)
    scale = np.abs(expected).max() + 1
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12 * scale)


def test_inference_one_example_at_a_time() -> None:
    Z, gamma, beta = _problem(3, 6)
    mean = np.array([[0.5], [-1.0], [2.0]])
    var = np.array([[4.0], [0.25], [9.0]])
    batch = batchnorm_inference(Z, gamma, beta, mean, var)
    for i in range(Z.shape[1]):
        one = batchnorm_inference(Z[:, i : i + 1], gamma, beta, mean, var)
        assert one.shape == (3, 1)
        np.testing.assert_array_equal(one[:, 0], batch[:, i])
    expected = gamma * (Z - mean) / np.sqrt(var + 1e-8) + beta
    np.testing.assert_allclose(batch, expected, rtol=1e-13)


def test_inference_hand_derived() -> None:
    got = batchnorm_inference(
        np.array([[5.0, 1.0]]), [[2.0]], [[1.0]], [[1.0]], [[3.0]], epsilon=1.0
    )
    np.testing.assert_allclose(got, [[2.0 * 4.0 / 2.0 + 1.0, 1.0]])


# -------------------------------------------------------- running averages


@given(
    c=st.floats(-100, 100),
    v=st.floats(0, 100),
    momentum=st.floats(0, 0.99),
    T=st.integers(1, 30),
)
def test_running_average_of_a_constant(c, v, momentum, T) -> None:
    # v_T = beta^T v_0 + (1 - beta^T) c for a constant input c.
    mean, var = np.zeros((1, 1)), np.ones((1, 1))
    for _ in range(T):
        mean, var = update_running_averages(
            mean, var, np.array([[c]]), np.array([[v]]), momentum
        )
    w = momentum**T
    np.testing.assert_allclose(mean, (1 - w) * c, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(var, w + (1 - w) * v, rtol=1e-10, atol=1e-10)


def test_running_average_hand_derived_and_unbiased() -> None:
    mean, var = update_running_averages(
        np.array([[1.0], [2.0]]),
        np.array([[1.0], [1.0]]),
        np.array([[3.0], [0.0]]),
        np.array([[2.0], [0.5]]),
        momentum=0.75,
    )
    np.testing.assert_allclose(mean, [[1.5], [1.5]], rtol=1e-15)
    np.testing.assert_allclose(var, [[1.25], [0.875]], rtol=1e-15)
    _, var_u = update_running_averages(
        np.zeros((1, 1)), np.ones((1, 1)), np.zeros((1, 1)), [[2.0]], 0.75, m=5
    )
    np.testing.assert_allclose(var_u, [[0.75 + 0.25 * 2.0 * 5 / 4]])


def test_momentum_zero_keeps_the_last_batch() -> None:
    mu, var = np.array([[3.0]]), np.array([[2.0]])
    mean, rv = update_running_averages([[9.0]], [[9.0]], mu, var, 0.0)
    np.testing.assert_array_equal(mean, mu)
    np.testing.assert_array_equal(rv, var)


def test_running_averages_converge_to_population_stats() -> None:
    # Many mini-batches of one distribution: the running estimates approach
    # its mean (2, -1) and, with the unbiased option, its variance (9, 0.25).
    rng = np.random.default_rng(0)
    mean, var = np.zeros((2, 1)), np.ones((2, 1))
    means, variances = [], []
    std = np.array([[3.0], [0.5]])
    for t in range(3000):
        Z = rng.standard_normal((2, 32)) * std + np.array([[2.0], [-1.0]])
        _, cache = batchnorm_forward(Z, np.ones((2, 1)), np.zeros((2, 1)))
        mean, var = update_running_averages(
            mean, var, cache["mu"], cache["var"], 0.99, m=32
        )
        if t >= 1000:
            means.append(mean)
            variances.append(var)
    np.testing.assert_allclose(
        np.mean(means, axis=0), [[2.0], [-1.0]], atol=0.05
    )
    np.testing.assert_allclose(np.mean(variances, axis=0), std**2, rtol=0.03)


# ---------------------------------------------------------------- bad input


def _good():
    Z, gamma, beta = _problem(3, 4)
    return Z, gamma, beta


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"Z": np.ones(4)}, "Z must be 2-D"),
        ({"gamma": np.ones((3,))}, "gamma shape"),
        ({"gamma": np.ones((1, 3))}, "gamma shape"),
        ({"beta": np.ones((2, 1))}, "beta shape"),
        ({"Z": np.ones((3, 1))}, "m >= 2"),
        ({"epsilon": 0.0}, "epsilon must be > 0"),
        ({"epsilon": -1e-8}, "epsilon must be > 0"),
        ({"epsilon": float("nan")}, "epsilon must be > 0"),
        ({"Z": np.array([[1.0, np.nan]] * 3)}, "Z contains NaN or inf"),
        ({"Z": np.array([[1.0, np.inf]] * 3)}, "Z contains NaN or inf"),
        ({"gamma": np.full((3, 1), np.nan)}, "gamma contains NaN or inf"),
        ({"beta": np.full((3, 1), -np.inf)}, "beta contains NaN or inf"),
    ],
)
def test_forward_rejects_bad_input(change, match) -> None:
    Z, gamma, beta = _good()
    kwargs = {"Z": Z, "gamma": gamma, "beta": beta} | change
    with pytest.raises(ValueError, match=match):
        batchnorm_forward(**kwargs)


def test_forward_m_equals_1_message() -> None:
    with pytest.raises(ValueError, match=r"m >= 2 examples in training.*1"):
        batchnorm_forward(np.ones((2, 1)), np.ones((2, 1)), np.ones((2, 1)))


@pytest.mark.parametrize("key", ["Z_norm", "std_inv", "gamma"])
def test_backward_rejects_incomplete_cache(key) -> None:
    _, cache = batchnorm_forward(*_good())
    del cache[key]
    with pytest.raises(ValueError, match=f"cache lacks keys.*{key}"):
        batchnorm_backward(np.ones((3, 4)), cache)


def test_backward_rejects_wrong_shape() -> None:
    _, cache = batchnorm_forward(*_good())
    with pytest.raises(ValueError, match=r"dZ_tilde shape \(4, 3\)"):
        batchnorm_backward(np.ones((4, 3)), cache)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_backward_rejects_non_finite(bad) -> None:
    _, cache = batchnorm_forward(*_good())
    dZ_tilde = np.ones((3, 4))
    dZ_tilde[1, 2] = bad
    with pytest.raises(ValueError, match="dZ_tilde contains NaN or inf"):
        batchnorm_backward(dZ_tilde, cache)


def _good_inference():
    Z, gamma, beta = _good()
    return {
        "Z": Z,
        "gamma": gamma,
        "beta": beta,
        "running_mean": np.zeros((3, 1)),
        "running_var": np.ones((3, 1)),
    }


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"Z": np.ones(3)}, "Z must be 2-D"),
        ({"Z": np.ones((3, 0))}, "m >= 1"),
        ({"gamma": np.ones((4, 1))}, "gamma shape"),
        ({"beta": np.ones((3,))}, "beta shape"),
        ({"running_mean": np.ones((1, 3))}, "running_mean shape"),
        ({"running_var": np.ones((3, 2))}, "running_var shape"),
        ({"Z": np.full((3, 2), np.nan)}, "Z contains NaN or inf"),
        ({"gamma": np.full((3, 1), np.inf)}, "gamma contains NaN or inf"),
        ({"beta": np.full((3, 1), np.nan)}, "beta contains NaN or inf"),
        (
            {"running_mean": np.full((3, 1), np.nan)},
            "running_mean contains NaN or inf",
        ),
        (
            {"running_var": np.full((3, 1), np.inf)},
            "running_var contains NaN or inf",
        ),
        ({"running_var": np.array([[1.0], [-0.5], [1.0]])}, "running_var"),
        ({"epsilon": 0.0}, "epsilon must be > 0"),
        ({"epsilon": -1.0}, "epsilon must be > 0"),
    ],
)
def test_inference_rejects_bad_input(change, match) -> None:
    kwargs = _good_inference() | change
    with pytest.raises(ValueError, match=match):
        batchnorm_inference(**kwargs)


def _good_running():
    return {
        "running_mean": np.zeros((3, 1)),
        "running_var": np.ones((3, 1)),
        "mu": np.ones((3, 1)),
        "var": np.ones((3, 1)) * 2,
    }


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"running_mean": np.zeros(3)}, "running_mean must be"),
        ({"running_mean": np.zeros((3, 2))}, "running_mean must be"),
        ({"running_var": np.ones((2, 1))}, "running_var shape"),
        ({"mu": np.ones((1, 3))}, "mu shape"),
        ({"var": np.ones((3,))}, "var shape"),
        ({"mu": np.full((3, 1), np.nan)}, "mu contains NaN or inf"),
        ({"var": np.full((3, 1), np.inf)}, "var contains NaN or inf"),
        (
            {"running_mean": np.full((3, 1), np.nan)},
            "running_mean contains NaN or inf",
        ),
        (
            {"running_var": np.full((3, 1), -np.inf)},
            "running_var contains NaN or inf",
        ),
        ({"running_var": -np.ones((3, 1))}, "running_var and var"),
        ({"var": np.array([[1.0], [-1e-3], [1.0]])}, "running_var and var"),
        ({"momentum": 1.0}, r"momentum must be in \[0, 1\), got 1.0"),
        ({"momentum": -0.1}, "momentum must be in"),
        ({"momentum": float("nan")}, "momentum must be in"),
        ({"m": 1}, "m must be >= 2"),
        ({"m": 0}, "m must be >= 2"),
    ],
)
def test_update_running_averages_rejects_bad_input(change, match) -> None:
    kwargs = _good_running() | change
    with pytest.raises(ValueError, match=match):
        update_running_averages(**kwargs)


# ------------------------------------------------------------------ purity


def test_functions_are_pure() -> None:
    Z, gamma, beta = _good()
    originals = [a.copy() for a in (Z, gamma, beta)]
    Z_tilde, cache = batchnorm_forward(Z, gamma, beta)
    kept = {k: v.copy() for k, v in cache.items()}
    dZ_tilde = np.ones_like(Z)
    dZ_tilde_copy = dZ_tilde.copy()
    dZ, _, _ = batchnorm_backward(dZ_tilde, cache)
    for a, b in zip((Z, gamma, beta), originals, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(dZ_tilde, dZ_tilde_copy)
    for key, value in kept.items():
        np.testing.assert_array_equal(cache[key], value)
    assert not np.shares_memory(Z_tilde, Z)
    assert not np.shares_memory(dZ, dZ_tilde)

    stats = _good_running()
    stats_copy = {k: v.copy() for k, v in stats.items()}
    new_mean, new_var = update_running_averages(**stats, m=4)
    for key, value in stats_copy.items():
        np.testing.assert_array_equal(stats[key], value)
    assert not np.shares_memory(new_mean, stats["running_mean"])
    assert not np.shares_memory(new_var, stats["running_var"])

    inputs = _good_inference()
    inputs_copy = {k: v.copy() for k, v in inputs.items()}
    out = batchnorm_inference(**inputs)
    for key, value in inputs_copy.items():
        np.testing.assert_array_equal(inputs[key], value)
    assert not np.shares_memory(out, inputs["Z"])
