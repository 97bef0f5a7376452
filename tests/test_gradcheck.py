"""Tests of dnnref.gradcheck against closed forms.

Oracles: functions with known gradients (sum of cubes, quadratic forms,
where central differences are exact up to rounding), planted bugs that must
be caught, and hand-built vectors for the dictionary <-> vector helpers.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from dnnref.gradcheck import (
    dictionary_to_vector,
    gradient_check,
    vector_to_dictionary,
)
from dnnref.network import (
    backward_propagation,
    compute_cost,
    forward_propagation,
)


def _cubes(theta: np.ndarray) -> float:
    return float(np.sum(theta**3))


# ---------------------------------------------------------- gradient_check


def test_correct_gradient_gives_a_tiny_difference() -> None:
    theta = np.array([1.0, -2.0, 0.5, 3.0])
    assert gradient_check(_cubes, theta, 3 * theta**2) < 1e-7


def test_planted_bug_gives_a_large_difference() -> None:
    theta = np.array([1.0, -2.0, 0.5, 3.0])
    buggy = 3 * theta**2
    buggy[2] += 1.0  # one wrong component
    assert gradient_check(_cubes, theta, buggy) > 1e-3
    assert gradient_check(_cubes, theta, theta**2) == pytest.approx(
        0.5, abs=1e-6
    )


def test_difference_by_hand() -> None:
    # f(t) = 2 t0 + 3 t1: approx = [2, 3]; grad [2, 0] -> 3 / (2 + sqrt(13))
    expected = 3 / (2 + np.sqrt(13))
    difference = gradient_check(
        lambda t: 2 * t[0] + 3 * t[1], np.zeros(2), np.array([2.0, 0.0])
    )
    assert difference == pytest.approx(expected, rel=1e-6)


def test_both_gradients_zero_gives_zero_not_nan() -> None:
    difference = gradient_check(lambda _: 4.0, np.ones(3), np.zeros(3))
    assert difference == 0.0
    assert type(difference) is float


@given(
    hnp.arrays(np.float64, st.integers(1, 6), elements=st.floats(-3, 3)),
    st.integers(0, 2**32 - 1),
)
def test_quadratic_forms(theta: np.ndarray, seed: int) -> None:
    """f = t^T Q t / 2 + c^T t has gradient Q t + c (Q symmetric)."""
    rng = np.random.default_rng(seed)
    n = theta.size
    B = rng.standard_normal((n, n))
    Q, c = B + B.T, rng.standard_normal(n) + 0.5

    def f(t: np.ndarray) -> float:
        return float(t @ Q @ t / 2 + c @ t)

    grad = Q @ theta + c
    assert gradient_check(f, theta, grad, epsilon=1e-5) < 1e-7
    assert gradient_check(f, theta, grad + 0.1 * np.abs(grad) + 0.1) > 1e-3


def test_central_not_one_sided_differences() -> None:
    """For t**2 at 1 with a large step, central differences are exact."""
    difference = gradient_check(
        lambda t: float(t[0] ** 2), np.array([1.0]), np.array([2.0]), 0.25
    )
    assert difference < 1e-15  # one-sided: (1.25^2 - 1) / 0.25 = 2.25


def test_checks_the_network_backward_pass() -> None:
    rng = np.random.default_rng(2)
    X = rng.standard_normal((3, 10))
    Y = (rng.random((1, 10)) < 0.5).astype(np.float64)
    parameters = {
        "W1": rng.standard_normal((4, 3)) / 2,
        "b1": rng.standard_normal((4, 1)) / 10,
        "W2": rng.standard_normal((1, 4)) / 2,
        "b2": rng.standard_normal((1, 1)) / 10,
    }
    keys = list(parameters)
    shapes = {key: parameters[key].shape for key in keys}
    theta = dictionary_to_vector(parameters, keys)

    def J(t: np.ndarray) -> float:
        p = vector_to_dictionary(t, shapes)
        return compute_cost(forward_propagation(X, p)[0], Y, p, 0.5)

    AL, caches = forward_propagation(X, parameters)
    grads = backward_propagation(AL, Y, caches, lambd=0.5)
    grad = dictionary_to_vector(grads)  # dW1, db1, dW2, db2 by default
    assert gradient_check(J, theta, grad) < 1e-7
    grads["db1"] = grads["db1"] * 1.1  # a planted 10% error in one bias
    assert gradient_check(J, theta, dictionary_to_vector(grads)) > 1e-3


def test_gradient_check_is_pure_even_if_f_mutates() -> None:
    theta, grad = np.array([1.0, 2.0]), np.array([3.0, 12.0])

    def f(t: np.ndarray) -> float:
        value = _cubes(t)
        t[:] = 0.0  # a careless f must not change the caller's theta
        return value

    assert gradient_check(f, theta, grad) < 1e-7
    np.testing.assert_array_equal(theta, [1.0, 2.0])
    np.testing.assert_array_equal(grad, [3.0, 12.0])


def test_gradient_check_rejects_shapes() -> None:
    with pytest.raises(ValueError, match="theta shape"):
        gradient_check(_cubes, np.ones((2, 2)), np.ones((2, 2)))
    with pytest.raises(ValueError, match="grad shape"):
        gradient_check(_cubes, np.ones(3), np.ones(2))


def test_gradient_check_rejects_non_callable_f() -> None:
    with pytest.raises(TypeError, match="f must be callable"):
        gradient_check(np.ones(2), np.ones(2), np.ones(2))


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_gradient_check_rejects_non_finite_grad(bad: float) -> None:
    with pytest.raises(ValueError, match="grad contains NaN or inf"):
        gradient_check(_cubes, np.ones(2), np.array([1.0, bad]))


@pytest.mark.parametrize("epsilon", [0.0, -1e-7, float("nan")])
def test_gradient_check_rejects_epsilon(epsilon: float) -> None:
    with pytest.raises(ValueError, match="epsilon"):
        gradient_check(_cubes, np.ones(2), np.ones(2), epsilon)


def test_gradient_check_rejects_non_finite_f() -> None:
    with pytest.raises(ValueError, match="f must be finite"):
        gradient_check(lambda _: float("nan"), np.ones(2), np.ones(2))


# ---------------------------------------------- dictionary <-> vector


def test_dictionary_to_vector_course_order() -> None:
    parameters = {  # inserted out of order on purpose
        "b2": np.array([[9.0]]),
        "W2": np.array([[7.0, 8.0]]),
        "b1": np.array([[5.0], [6.0]]),
        "W1": np.array([[1.0, 2.0], [3.0, 4.0]]),
    }
    np.testing.assert_array_equal(
        dictionary_to_vector(parameters), np.arange(1.0, 10.0)
    )


def test_dictionary_to_vector_gradients_and_explicit_keys() -> None:
    grads = {"db1": np.array([[3.0]]), "dW1": np.array([[1.0, 2.0]])}
    np.testing.assert_array_equal(dictionary_to_vector(grads), [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(
        dictionary_to_vector(grads, ["db1", "dW1"]), [3.0, 1.0, 2.0]
    )


def test_dictionary_to_vector_rejects_missing_keys() -> None:
    with pytest.raises(ValueError, match="keys"):
        dictionary_to_vector({"W1": np.ones((1, 1))}, ["W1", "b1"])
    with pytest.raises(ValueError, match="keys"):
        dictionary_to_vector({"gamma": np.ones(1)})  # nothing to flatten


def test_vector_to_dictionary_by_hand_and_copies() -> None:
    theta = np.arange(1.0, 8.0)
    parameters = vector_to_dictionary(theta, {"W1": (2, 3), "b1": (1, 1)})
    np.testing.assert_array_equal(parameters["W1"], [[1, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal(parameters["b1"], [[7.0]])
    parameters["W1"][0, 0] = 100.0
    assert theta[0] == 1.0  # a copy, not a view


@given(
    st.lists(
        st.tuples(st.integers(1, 4), st.integers(1, 4)), min_size=1, max_size=4
    )
)
def test_round_trip(dims: list[tuple[int, int]]) -> None:
    rng = np.random.default_rng(0)
    parameters = {}
    for layer, (n, n_prev) in enumerate(dims, start=1):
        parameters[f"W{layer}"] = rng.standard_normal((n, n_prev))
        parameters[f"b{layer}"] = rng.standard_normal((n, 1))
    keys = [
        f"{name}{layer}" for layer in range(1, len(dims) + 1) for name in "Wb"
    ]
    shapes = {key: parameters[key].shape for key in keys}
    theta = dictionary_to_vector(parameters)
    assert theta.shape == (sum(v.size for v in parameters.values()),)
    back = vector_to_dictionary(theta, shapes)
    assert list(back) == keys
    for key in keys:
        np.testing.assert_array_equal(back[key], parameters[key])


@pytest.mark.parametrize("theta", [np.ones(5), np.ones(7), np.ones((2, 3))])
def test_vector_to_dictionary_rejects_sizes(theta: np.ndarray) -> None:
    with pytest.raises(ValueError, match="theta shape"):
        vector_to_dictionary(theta, {"W1": (2, 2), "b1": (2, 1)})


def test_helpers_are_pure() -> None:
    parameters = {"W1": np.array([[1.0, 2.0]]), "b1": np.array([[3.0]])}
    theta = dictionary_to_vector(parameters)
    theta[0] = 50.0
    np.testing.assert_array_equal(parameters["W1"], [[1.0, 2.0]])
    shapes = {"W1": (1, 2), "b1": (1, 1)}
    vector_to_dictionary(theta, shapes)
    np.testing.assert_array_equal(theta, [50.0, 2.0, 3.0])
    assert shapes == {"W1": (1, 2), "b1": (1, 1)}
