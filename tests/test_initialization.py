"""Tests of dnnref.initialization against independent oracles.

Oracles: the course's published assignment numbers (legacy
``np.random.RandomState(3)``), the factors written out here from their
formulas applied to the same standard normal draws, chi-square-justified
variance checks of large draws (hypothesis), and the symmetry claim of the
notes, checked by training steps.  PyTorch's initializers are the oracle in
tests/crosscheck/test_torch_init_dropout.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dnnref.initialization import initialize_parameters
from dnnref.network import backward_propagation, forward_propagation

METHODS = ["zeros", "random", "he", "xavier", "glorot"]


def _factor(method: str, n: int, n_prev: int, scale: float) -> float:
    """The standard deviation of each method, from its formula."""
    return {
        "zeros": 0.0,
        "random": scale,
        "he": math.sqrt(2 / n_prev),
        "xavier": math.sqrt(1 / n_prev),
        "glorot": math.sqrt(2 / (n_prev + n)),
    }[method]


# -------------------------------------------------- published course values


def test_course_he_values_randomstate_3() -> None:
    parameters = initialize_parameters(
        [2, 4, 1], "he", np.random.RandomState(3)
    )
    np.testing.assert_allclose(
        parameters["W1"],
        [
            [1.78862847, 0.43650985],
            [0.09649747, -1.8634927],
            [-0.2773882, -0.35475898],
            [-0.08274148, -0.62700068],
        ],
        rtol=0,
        atol=5e-9,  # the course prints 8 decimals
    )
    np.testing.assert_allclose(
        parameters["W2"],
        [[-0.03098412, -0.33744411, -0.92904268, 0.62552248]],
        rtol=0,
        atol=5e-9,
    )
    np.testing.assert_array_equal(parameters["b1"], np.zeros((4, 1)))
    np.testing.assert_array_equal(parameters["b2"], np.zeros((1, 1)))


def test_course_random_values_randomstate_3() -> None:
    parameters = initialize_parameters(
        [3, 2, 1], "random", np.random.RandomState(3)
    )
    np.testing.assert_allclose(
        parameters["W1"],
        [
            [17.88628473, 4.36509851, 0.96497468],
            [-18.63492703, -2.77388203, -3.54758979],
        ],
        rtol=0,
        atol=5e-8,
    )
    np.testing.assert_allclose(
        parameters["W2"], [[-0.82741481, -6.27000677]], rtol=0, atol=5e-9
    )


# ----------------------------------------------------- factors and order


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    "rng_factory", [np.random.default_rng, np.random.RandomState]
)
def test_weights_are_draws_in_order_times_factor(
    method: str, rng_factory: type
) -> None:
    layer_dims = [5, 4, 3, 1]
    parameters = initialize_parameters(layer_dims, method, rng_factory(7), 0.5)
    rng = rng_factory(7)
    for layer in (1, 2, 3):
        n, n_prev = layer_dims[layer], layer_dims[layer - 1]
        factor = _factor(method, n, n_prev, 0.5)
        if method == "zeros":
            expected = np.zeros((n, n_prev))
        else:
            expected = rng.standard_normal((n, n_prev)) * factor
        np.testing.assert_allclose(
            parameters[f"W{layer}"], expected, rtol=1e-15, atol=0
        )


@pytest.mark.parametrize("method", METHODS)
def test_shapes_keys_and_zero_biases(method: str) -> None:
    layer_dims = [6, 5, 4, 2]
    parameters = initialize_parameters(
        layer_dims, method, np.random.default_rng(0)
    )
    assert list(parameters) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    for layer in (1, 2, 3):
        W, b = parameters[f"W{layer}"], parameters[f"b{layer}"]
        assert W.shape == (layer_dims[layer], layer_dims[layer - 1])
        assert b.shape == (layer_dims[layer], 1)
        assert W.dtype == np.float64
        assert b.dtype == np.float64
        np.testing.assert_array_equal(b, 0.0)


def test_zeros_draws_nothing() -> None:
    rng = np.random.default_rng(11)
    parameters = initialize_parameters([3, 4, 1], "zeros", rng)
    assert rng.random() == np.random.default_rng(11).random()
    np.testing.assert_array_equal(parameters["W1"], 0.0)


def test_rng_none_uses_fresh_randomness() -> None:
    parameters = initialize_parameters([30, 20, 1])
    assert parameters["W1"].shape == (20, 30)
    assert np.all(parameters["W1"] != 0)


def test_accepts_tuples_and_numpy_arrays() -> None:
    a = initialize_parameters((3, 2, 1), "he", np.random.default_rng(1))
    b = initialize_parameters(
        np.array([3, 2, 1]), "he", np.random.default_rng(1)
    )
    for key in a:
        np.testing.assert_array_equal(a[key], b[key])


def test_is_pure() -> None:
    layer_dims = [3, 2, 1]
    initialize_parameters(layer_dims, "glorot", np.random.default_rng(0))
    assert layer_dims == [3, 2, 1]


# ----------------------------------------- variances (hypothesis, 5 sigma)


@given(
    method=st.sampled_from(["he", "xavier", "glorot"]),
    n_prev=st.integers(1, 400),
    n=st.integers(1, 400),
    seed=st.integers(0, 2**32 - 1),
)
def test_weight_variance(method: str, n_prev: int, n: int, seed: int) -> None:
    """Sample variance of N(0, s^2) draws is within 5 sigma of s^2.

    With the known mean 0, mean(W**2) is s^2 * chi2(k) / k for k entries:
    its standard deviation is s^2 * sqrt(2 / k).  Five of those bound a
    false failure at 6e-7 per example.
    """
    W = initialize_parameters(
        [n_prev, n * 50], method, np.random.default_rng(seed)
    )["W1"]
    expected = {
        "he": 2 / n_prev,
        "xavier": 1 / n_prev,
        "glorot": 2 / (n_prev + n * 50),
    }[method]
    k = W.size
    assert abs(np.mean(W**2) - expected) <= 5 * expected * math.sqrt(2 / k)


def test_he_variance_on_a_large_layer() -> None:
    W = initialize_parameters([784, 1000], "he", np.random.default_rng(5))[
        "W1"
    ]
    k = W.size  # 784000 entries
    assert abs(W.var() - 2 / 784) <= 5 * (2 / 784) * math.sqrt(2 / k)
    assert abs(W.mean()) <= 5 * math.sqrt(2 / 784 / k)


# ---------------------------------------------------------- the symmetry


def _train_steps(parameters: dict[str, np.ndarray], steps: int) -> None:
    rng = np.random.default_rng(0)
    X = rng.standard_normal((3, 20))
    Y = (X[:1] * X[1:2] > 0).astype(np.float64)
    for _ in range(steps):
        AL, caches = forward_propagation(X, parameters)
        grads = backward_propagation(AL, Y, caches)
        for key in list(parameters):
            parameters[key] = parameters[key] - 0.5 * grads["d" + key]


@pytest.mark.parametrize("init", ["zeros", "constant"])
def test_symmetric_init_keeps_hidden_units_identical(init: str) -> None:
    parameters = initialize_parameters(
        [3, 4, 4, 1], "zeros", np.random.default_rng(0)
    )
    if init == "constant":  # identical, non-zero units: gradients flow
        parameters = {
            k: np.full_like(v, 0.3) if k[0] == "W" else v
            for k, v in parameters.items()
        }
    _train_steps(parameters, steps=5)
    for layer in (1, 2):
        W, b = parameters[f"W{layer}"], parameters[f"b{layer}"]
        # rows equal up to rounding (BLAS may sum rows in different orders)
        np.testing.assert_allclose(W, np.broadcast_to(W[:1], W.shape), 1e-13)
        np.testing.assert_allclose(b, np.broadcast_to(b[:1], b.shape), 1e-13)
    if init == "constant":  # the units did learn, all the same thing
        assert np.all(parameters["W1"] != 0.3)


def test_random_init_breaks_the_symmetry() -> None:
    parameters = initialize_parameters(
        [3, 4, 4, 1], "he", np.random.default_rng(0)
    )
    _train_steps(parameters, steps=5)
    assert len(np.unique(parameters["W1"], axis=0)) == 4


# --------------------------------------------------------------- bad input


def test_unknown_method_lists_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="method must be one of") as info:
        initialize_parameters([3, 1], "kaiming")
    for method in METHODS:
        assert method in str(info.value)
    assert "kaiming" in str(info.value)


@pytest.mark.parametrize("layer_dims", [3, "321", None, {3: 1}])
def test_layer_dims_must_be_a_sequence(layer_dims: object) -> None:
    with pytest.raises(TypeError, match="layer_dims"):
        initialize_parameters(layer_dims)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "layer_dims",
    [[], [3], [3, 0, 1], [3, -2, 1], [3, 2.0, 1], [3, True, 1], [3, "2", 1]],
)
def test_layer_dims_must_be_positive_ints(layer_dims: list[object]) -> None:
    with pytest.raises(ValueError, match="layer_dims"):
        initialize_parameters(layer_dims)  # type: ignore[arg-type]


@pytest.mark.parametrize("scale", [0.0, -1.0, float("nan"), float("inf")])
def test_scale_must_be_positive_and_finite(scale: float) -> None:
    with pytest.raises(ValueError, match="scale"):
        initialize_parameters([3, 1], "random", scale=scale)
