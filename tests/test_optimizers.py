"""Tests of dnnref.optimizers against independent oracles.

Oracles: small cases worked out by hand, closed forms (the first Adam and
RMSprop steps, the unrolled sums of the exponentially weighted averages,
Adam under a constant gradient, the decay schedules) and hypothesis
properties.  PyTorch is the oracle in tests/crosscheck.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from dnnref.optimizers import (
    adam_update,
    exponential_decay,
    exponentially_weighted_average,
    gd_update,
    inverse_sqrt_decay,
    learning_rate_decay,
    momentum_update,
    rmsprop_update,
)

betas = st.floats(0.0, 0.99)
shapes = hnp.array_shapes(min_dims=1, max_dims=3, max_side=4)
gradient_values = st.floats(-1e3, 1e3).filter(lambda g: abs(g) > 1e-3)


def _unrolled_average(theta: np.ndarray, beta: float) -> np.ndarray:
    """v_t = (1 - beta) sum_{i <= t} beta^(t - i) theta_i, written out."""
    T = len(theta)
    v = np.zeros(T)
    for t in range(1, T + 1):
        v[t - 1] = (1 - beta) * sum(
            beta ** (t - i) * theta[i - 1] for i in range(1, t + 1)
        )
    return v


# ---------------------------------------------------------------- gd_update


def test_gd_update_by_hand() -> None:
    W = np.array([[1.0, 2.0], [3.0, 4.0]])
    dW = np.array([[0.5, -0.5], [1.0, 0.0]])
    np.testing.assert_array_equal(
        gd_update(W, dW, 0.5), [[0.75, 2.25], [2.5, 4.0]]
    )


def test_gd_update_bias_shape_and_array_likes() -> None:
    b = gd_update([[1.0], [2.0]], [[4.0], [-4.0]], 0.25)
    assert b.shape == (2, 1)
    assert b.dtype == np.float64
    np.testing.assert_array_equal(b, [[0.0], [3.0]])


def test_gd_update_is_float64_for_float32_input() -> None:
    W = np.ones((2, 2), dtype=np.float32)
    assert gd_update(W, W, 0.1).dtype == np.float64


# ---------------------------------------------------------- momentum_update


def test_momentum_two_steps_by_hand() -> None:
    W, v = np.array([[1.0, 2.0]]), np.zeros((1, 2))
    W, v = momentum_update(W, np.array([[1.0, -1.0]]), v, 0.9, 0.5)
    np.testing.assert_allclose(v, [[0.1, -0.1]], rtol=1e-15)
    np.testing.assert_allclose(W, [[0.95, 2.05]], rtol=1e-15)
    W, v = momentum_update(W, np.array([[1.0, 1.0]]), v, 0.9, 0.5)
    # v = 0.9 * (0.1, -0.1) + 0.1 * (1, 1) = (0.19, 0.01)
    np.testing.assert_allclose(v, [[0.19, 0.01]], rtol=1e-14)
    np.testing.assert_allclose(W, [[0.855, 2.045]], rtol=1e-14)


@given(
    shape=shapes,
    data=st.data(),
    learning_rate=st.floats(1e-4, 10.0),
)
def test_momentum_with_beta_zero_is_plain_gd(
    shape: tuple[int, ...], data: st.DataObject, learning_rate: float
) -> None:
    elements = st.floats(-1e3, 1e3)
    W = data.draw(hnp.arrays(np.float64, shape, elements=elements))
    dW = data.draw(hnp.arrays(np.float64, shape, elements=elements))
    v = data.draw(hnp.arrays(np.float64, shape, elements=elements))
    W_new, v_new = momentum_update(W, dW, v, 0.0, learning_rate)
    np.testing.assert_array_equal(v_new, dW)
    np.testing.assert_array_equal(W_new, W - learning_rate * dW)
    np.testing.assert_array_equal(W_new, gd_update(W, dW, learning_rate))


@given(beta=betas, seed=st.integers(0, 2**32 - 1))
def test_momentum_velocity_is_the_unrolled_average(
    beta: float, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    gradients = rng.standard_normal((12, 3))
    W0 = rng.standard_normal(3)
    W, v = W0, np.zeros(3)
    for dW in gradients:
        W, v = momentum_update(W, dW, v, beta, learning_rate=0.1)
    velocities = np.stack(
        [_unrolled_average(gradients[:, j], beta) for j in range(3)], axis=1
    )  # (12, 3): row t - 1 is v_t
    np.testing.assert_allclose(v, velocities[-1], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(
        W, W0 - 0.1 * velocities.sum(axis=0), rtol=1e-10, atol=1e-12
    )


# ----------------------------------------------------------- rmsprop_update


def test_rmsprop_step_by_hand() -> None:
    W, s = np.array([[1.0, 2.0]]), np.array([[0.5, 0.0]])
    dW = np.array([[1.0, -2.0]])
    W_new, s_new = rmsprop_update(W, dW, s, 0.5, 0.1, epsilon=1e-8)
    # s = 0.5 s + 0.5 dW**2 = (0.75, 2.0)
    np.testing.assert_allclose(s_new, [[0.75, 2.0]], rtol=1e-15)
    expected = [
        1.0 - 0.1 * 1.0 / (math.sqrt(0.75) + 1e-8),
        2.0 + 0.1 * 2.0 / (math.sqrt(2.0) + 1e-8),
    ]
    np.testing.assert_allclose(W_new, [expected], rtol=1e-15)


@given(
    g=gradient_values,
    beta2=betas,
    learning_rate=st.floats(1e-4, 1.0),
    epsilon=st.floats(1e-12, 1e-2),
)
def test_rmsprop_first_step_closed_form(
    g: float, beta2: float, learning_rate: float, epsilon: float
) -> None:
    W, s = rmsprop_update(
        np.zeros((1, 1)),
        np.full((1, 1), g),
        np.zeros((1, 1)),
        beta2,
        learning_rate,
        epsilon,
    )
    expected_s = (1 - beta2) * g**2
    expected_W = -learning_rate * g / (math.sqrt(1 - beta2) * abs(g) + epsilon)
    np.testing.assert_allclose(s, [[expected_s]], rtol=1e-13)
    np.testing.assert_allclose(W, [[expected_W]], rtol=1e-13)


def test_rmsprop_epsilon_is_outside_the_root() -> None:
    # s = 0 and dW = 0: the notes' dW / sqrt(s) would be 0/0
    W, s = rmsprop_update(np.ones(2), np.zeros(2), np.zeros(2), epsilon=0.25)
    np.testing.assert_array_equal(W, np.ones(2))
    np.testing.assert_array_equal(s, np.zeros(2))
    # one step with s = 0.04 after the update: dW / (0.2 + eps), not
    # dW / sqrt(0.04 + eps)
    W, _ = rmsprop_update([0.0], [0.2], [0.0], 0.0, 1.0, epsilon=0.05)
    np.testing.assert_allclose(W, [-0.2 / 0.25], rtol=1e-15)


@given(g=gradient_values, beta2=betas)
def test_rmsprop_running_mean_of_a_constant_gradient(
    g: float, beta2: float
) -> None:
    W, s = np.zeros(1), np.zeros(1)
    for t in range(1, 8):
        W, s = rmsprop_update(W, np.array([g]), s, beta2)
        np.testing.assert_allclose(s, [(1 - beta2**t) * g**2], rtol=1e-12)


# -------------------------------------------------------------- adam_update


def test_adam_two_steps_by_hand() -> None:
    beta1, beta2, alpha, eps = 0.5, 0.75, 0.1, 1e-3
    W, v, s = np.array([1.0]), np.zeros(1), np.zeros(1)
    W, v, s = adam_update(W, [2.0], v, s, 1, alpha, beta1, beta2, eps)
    # v = 1, s = 1, corrected 2 and 4: step 0.1 * 2 / (2 + 0.001)
    assert v[0] == 1.0
    assert s[0] == 1.0
    W1 = 1.0 - 0.1 * 2.0 / 2.001
    np.testing.assert_allclose(W, [W1], rtol=1e-15)
    W, v, s = adam_update(W, [-4.0], v, s, 2, alpha, beta1, beta2, eps)
    # v = 0.5 - 2 = -1.5, s = 0.75 + 4 = 4.75
    # corrected: -1.5 / 0.75 = -2 and 4.75 / 0.4375
    np.testing.assert_allclose(v, [-1.5], rtol=1e-15)
    np.testing.assert_allclose(s, [4.75], rtol=1e-15)
    W2 = W1 + 0.1 * 2.0 / (math.sqrt(4.75 / 0.4375) + 1e-3)
    np.testing.assert_allclose(W, [W2], rtol=1e-14)


@given(
    shape=shapes,
    data=st.data(),
    beta1=betas,
    beta2=st.floats(0.0, 0.9999),
    learning_rate=st.floats(1e-4, 1.0),
)
def test_adam_first_step_moves_each_entry_by_about_alpha(
    shape: tuple[int, ...],
    data: st.DataObject,
    beta1: float,
    beta2: float,
    learning_rate: float,
) -> None:
    g = data.draw(hnp.arrays(np.float64, shape, elements=gradient_values))
    zeros = np.zeros(shape)
    W, _, _ = adam_update(
        zeros, g, zeros, zeros, 1, learning_rate, beta1, beta2, 1e-8
    )
    # closed form: v_corrected = g, s_corrected = g**2
    np.testing.assert_allclose(
        W, -learning_rate * g / (np.abs(g) + 1e-8), rtol=1e-12
    )
    # about alpha whatever the gradient's scale (|g| >= 1e-3 here)
    assert np.all(np.abs(W) <= learning_rate)
    assert np.all(np.abs(W) >= learning_rate * (1 - 1e-5))


@given(
    g=gradient_values,
    beta1=betas,
    beta2=betas,
    epsilon=st.floats(1e-10, 1e-1),
)
def test_adam_constant_gradient_takes_equal_steps(
    g: float, beta1: float, beta2: float, epsilon: float
) -> None:
    # v_t = (1 - beta1^t) g and s_t = (1 - beta2^t) g^2: corrected, every
    # step is alpha g / (|g| + epsilon)
    W, v, s = np.zeros(1), np.zeros(1), np.zeros(1)
    for t in range(1, 11):
        W, v, s = adam_update(W, [g], v, s, t, 0.01, beta1, beta2, epsilon)
        np.testing.assert_allclose(v, [(1 - beta1**t) * g], rtol=1e-12)
        np.testing.assert_allclose(s, [(1 - beta2**t) * g**2], rtol=1e-12)
    step = 0.01 * g / (abs(g) + epsilon)
    np.testing.assert_allclose(W, [-10 * step], rtol=1e-11)


@given(beta1=betas, beta2=betas, seed=st.integers(0, 2**32 - 1))
def test_adam_moments_are_unrolled_averages(
    beta1: float, beta2: float, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    gradients = rng.standard_normal(9)
    W, v, s = np.zeros(1), np.zeros(1), np.zeros(1)
    W_expected = 0.0
    for t, dW in enumerate(gradients, start=1):
        W, v, s = adam_update(W, [dW], v, s, t, 0.01, beta1, beta2)
        v_t = _unrolled_average(gradients[:t], beta1)[-1]
        s_t = _unrolled_average(gradients[:t] ** 2, beta2)[-1]
        v_hat, s_hat = v_t / (1 - beta1**t), s_t / (1 - beta2**t)
        W_expected -= 0.01 * v_hat / (math.sqrt(s_hat) + 1e-8)
        np.testing.assert_allclose(v, [v_t], rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(s, [s_t], rtol=1e-10)
    np.testing.assert_allclose(W, [W_expected], rtol=1e-9, atol=1e-12)


def test_adam_accepts_numpy_integer_t_and_large_t() -> None:
    W, _, _ = adam_update([1.0], [1.0], [0.0], [0.0], np.int64(1))
    np.testing.assert_allclose(W, [1.0 - 0.01 / (1 + 1e-8)], rtol=1e-15)
    # beta**t underflows to 0 without a warning: no correction left
    W, v, _ = adam_update([1.0], [1.0], [0.5], [0.25], 10**6)
    v_expected, s_expected = 0.9 * 0.5 + 0.1, 0.999 * 0.25 + 0.001
    np.testing.assert_allclose(v, [v_expected], rtol=1e-15)
    np.testing.assert_allclose(
        W,
        [1.0 - 0.01 * v_expected / (math.sqrt(s_expected) + 1e-8)],
        rtol=1e-15,
    )


def test_adam_zero_gradient_from_zero_state_does_not_move() -> None:
    # a dead unit: 0 / (0 + epsilon) = 0, no nan and no warning
    W, v, s = adam_update(
        np.ones((3, 1)), np.zeros((3, 1)), *np.zeros((2, 3, 1)), t=1
    )
    np.testing.assert_array_equal(W, np.ones((3, 1)))
    np.testing.assert_array_equal(v, np.zeros((3, 1)))
    np.testing.assert_array_equal(s, np.zeros((3, 1)))


# ---------------------------------------------------------------- all four

UPDATES = {
    "gd": lambda W, dW: (gd_update(W, dW, 0.1),),
    "momentum": lambda W, dW: momentum_update(W, dW, 0.5 * dW),
    "rmsprop": lambda W, dW: rmsprop_update(W, dW, dW**2),
    "adam": lambda W, dW: adam_update(W, dW, 0.5 * dW, dW**2, 3),
}


@pytest.mark.parametrize("name", sorted(UPDATES))
@pytest.mark.parametrize("shape", [(3, 2), (3, 1), (4,), (2, 3, 2), ()])
def test_updates_accept_any_shape(name: str, shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(0)
    W, dW = rng.standard_normal(shape), rng.standard_normal(shape)
    for out in UPDATES[name](W, dW):
        assert out.shape == shape
        assert out.dtype == np.float64
        assert np.isfinite(out).all()


@pytest.mark.parametrize("name", sorted(UPDATES))
def test_updates_are_pure(name: str) -> None:
    rng = np.random.default_rng(1)
    W, dW = rng.standard_normal((3, 2)), rng.standard_normal((3, 2))
    W_copy, dW_copy = W.copy(), dW.copy()
    W.flags.writeable = False  # any in-place write would raise
    dW.flags.writeable = False
    outputs = UPDATES[name](W, dW)
    np.testing.assert_array_equal(W, W_copy)
    np.testing.assert_array_equal(dW, dW_copy)
    assert all(not np.shares_memory(out, W) for out in outputs)
    assert all(not np.shares_memory(out, dW) for out in outputs)


def test_state_arguments_are_not_modified() -> None:
    rng = np.random.default_rng(2)
    W, dW = rng.standard_normal((2, 2)), rng.standard_normal((2, 2))
    v, s = rng.standard_normal((2, 2)), rng.random((2, 2))
    v_copy, s_copy = v.copy(), s.copy()
    v.flags.writeable = False
    s.flags.writeable = False
    momentum_update(W, dW, v)
    rmsprop_update(W, dW, s)
    adam_update(W, dW, v, s, 4)
    np.testing.assert_array_equal(v, v_copy)
    np.testing.assert_array_equal(s, s_copy)


# ------------------------------------------------------------- validation

W23, W32, NAN, INF = np.zeros((2, 3)), np.zeros((3, 2)), np.nan, np.inf
SHAPE_32_23 = r"shape \(3, 2\) does not match W shape \(2, 3\)"
# (id, function, args, kwargs, error, match)
BAD_UPDATES = [
    (
        "gd-dW-shape",
        gd_update,
        (W23, W32, 0.1),
        {},
        ValueError,
        "dW " + SHAPE_32_23,
    ),
    (
        "gd-dW-nan",
        gd_update,
        (W23, W23 + NAN, 0.1),
        {},
        ValueError,
        "dW contains NaN or inf",
    ),
    (
        "gd-dW-inf",
        gd_update,
        (W23, W23 - INF, 0.1),
        {},
        ValueError,
        "dW contains NaN or inf",
    ),
    (
        "gd-lr-zero",
        gd_update,
        (W23, W23, 0.0),
        {},
        ValueError,
        "learning_rate must be > 0 and finite, got 0.0",
    ),
    (
        "gd-lr-negative",
        gd_update,
        (W23, W23, -0.1),
        {},
        ValueError,
        "learning_rate must be > 0 and finite, got -0.1",
    ),
    (
        "gd-lr-inf",
        gd_update,
        (W23, W23, INF),
        {},
        ValueError,
        "learning_rate must be > 0 and finite, got inf",
    ),
    (
        "gd-lr-nan",
        gd_update,
        (W23, W23, NAN),
        {},
        ValueError,
        "learning_rate must be > 0 and finite, got nan",
    ),
    (
        "momentum-dW-shape",
        momentum_update,
        (W23, W32, W23),
        {},
        ValueError,
        "dW " + SHAPE_32_23,
    ),
    (
        "momentum-v-shape",
        momentum_update,
        (W23, W23, W32),
        {},
        ValueError,
        "v " + SHAPE_32_23,
    ),
    (
        "momentum-dW-nan",
        momentum_update,
        (W23, W23 + NAN, W23),
        {},
        ValueError,
        "dW contains NaN or inf",
    ),
    (
        "momentum-beta-one",
        momentum_update,
        (W23, W23, W23),
        {"beta": 1.0},
        ValueError,
        r"beta must be in \[0, 1\), got 1.0",
    ),
    (
        "momentum-beta-negative",
        momentum_update,
        (W23, W23, W23),
        {"beta": -0.1},
        ValueError,
        r"beta must be in \[0, 1\), got -0.1",
    ),
    (
        "momentum-beta-nan",
        momentum_update,
        (W23, W23, W23),
        {"beta": NAN},
        ValueError,
        r"beta must be in \[0, 1\), got nan",
    ),
    (
        "momentum-lr",
        momentum_update,
        (W23, W23, W23),
        {"learning_rate": 0},
        ValueError,
        "learning_rate must be > 0",
    ),
    (
        "rmsprop-dW-shape",
        rmsprop_update,
        (W23, W32, W23),
        {},
        ValueError,
        "dW " + SHAPE_32_23,
    ),
    (
        "rmsprop-s-shape",
        rmsprop_update,
        (W23, W23, W32),
        {},
        ValueError,
        "s " + SHAPE_32_23,
    ),
    (
        "rmsprop-dW-inf",
        rmsprop_update,
        (W23, W23 + INF, W23),
        {},
        ValueError,
        "dW contains NaN or inf",
    ),
    (
        "rmsprop-s-negative",
        rmsprop_update,
        (W23, W23, W23 - 1),
        {},
        ValueError,
        r"s must be >= 0, no NaN or inf: min -1.0",
    ),
    (
        "rmsprop-beta2",
        rmsprop_update,
        (W23, W23, W23),
        {"beta2": 1.0},
        ValueError,
        r"beta2 must be in \[0, 1\), got 1.0",
    ),
    (
        "rmsprop-lr",
        rmsprop_update,
        (W23, W23, W23),
        {"learning_rate": -1},
        ValueError,
        "learning_rate must be > 0",
    ),
    (
        "rmsprop-epsilon-zero",
        rmsprop_update,
        (W23, W23, W23),
        {"epsilon": 0.0},
        ValueError,
        "epsilon must be > 0 and finite, got 0.0",
    ),
    (
        "rmsprop-epsilon-inf",
        rmsprop_update,
        (W23, W23, W23),
        {"epsilon": INF},
        ValueError,
        "epsilon must be > 0 and finite, got inf",
    ),
    (
        "adam-dW-shape",
        adam_update,
        (W23, W32, W23, W23, 1),
        {},
        ValueError,
        "dW " + SHAPE_32_23,
    ),
    (
        "adam-v-shape",
        adam_update,
        (W23, W23, W32, W23, 1),
        {},
        ValueError,
        "v " + SHAPE_32_23,
    ),
    (
        "adam-s-shape",
        adam_update,
        (W23, W23, W23, W32, 1),
        {},
        ValueError,
        "s " + SHAPE_32_23,
    ),
    (
        "adam-dW-nan",
        adam_update,
        (W23, W23 + NAN, W23, W23, 1),
        {},
        ValueError,
        "dW contains NaN or inf",
    ),
    (
        "adam-s-negative",
        adam_update,
        (W23, W23, W23, W23 - 2, 1),
        {},
        ValueError,
        r"s must be >= 0, no NaN or inf: min -2.0",
    ),
    (
        "adam-t-zero",
        adam_update,
        (W23, W23, W23, W23, 0),
        {},
        ValueError,
        "t must be >= 1 .*got 0",
    ),
    (
        "adam-t-negative",
        adam_update,
        (W23, W23, W23, W23, -3),
        {},
        ValueError,
        "t must be >= 1 .*got -3",
    ),
    (
        "adam-t-float",
        adam_update,
        (W23, W23, W23, W23, 1.0),
        {},
        TypeError,
        "t must be an int, got 1.0",
    ),
    (
        "adam-t-bool",
        adam_update,
        (W23, W23, W23, W23, True),
        {},
        TypeError,
        "t must be an int, got True",
    ),
    (
        "adam-beta1",
        adam_update,
        (W23, W23, W23, W23, 1),
        {"beta1": 1.0},
        ValueError,
        r"beta1 must be in \[0, 1\), got 1.0",
    ),
    (
        "adam-beta2",
        adam_update,
        (W23, W23, W23, W23, 1),
        {"beta2": -0.5},
        ValueError,
        r"beta2 must be in \[0, 1\), got -0.5",
    ),
    (
        "adam-lr",
        adam_update,
        (W23, W23, W23, W23, 1),
        {"learning_rate": 0},
        ValueError,
        "learning_rate must be > 0",
    ),
    (
        "adam-epsilon-zero",
        adam_update,
        (W23, W23, W23, W23, 1),
        {"epsilon": 0.0},
        ValueError,
        "epsilon must be > 0 and finite, got 0.0",
    ),
    (
        "adam-epsilon-negative",
        adam_update,
        (W23, W23, W23, W23, 1),
        {"epsilon": -1e-8},
        ValueError,
        "epsilon must be > 0",
    ),
]


@pytest.mark.parametrize(
    ("function", "args", "kwargs", "error", "match"),
    [case[1:] for case in BAD_UPDATES],
    ids=[case[0] for case in BAD_UPDATES],
)
def test_updates_reject_bad_input(function, args, kwargs, error, match):
    with pytest.raises(error, match=match):
        function(*args, **kwargs)


# --------------------------------------------- exponentially_weighted_average


def test_ewa_by_hand() -> None:
    theta = np.array([4.0, 8.0, 0.0])
    # v = 0.5 * 0 + 0.5 * 4 = 2; 0.5 * 2 + 4 = 5; 0.5 * 5 + 0 = 2.5
    np.testing.assert_array_equal(
        exponentially_weighted_average(theta, 0.5), [2.0, 5.0, 2.5]
    )
    # corrected: 2 / 0.5, 5 / 0.75, 2.5 / 0.875
    np.testing.assert_allclose(
        exponentially_weighted_average(theta, 0.5, bias_correction=True),
        [4.0, 5.0 / 0.75, 2.5 / 0.875],
        rtol=1e-15,
    )


@given(
    c=st.floats(-1e6, 1e6),
    beta=st.floats(0.0, 0.999),
    T=st.integers(1, 60),
)
def test_bias_corrected_ewa_of_a_constant_is_that_constant(
    c: float, beta: float, T: int
) -> None:
    v = exponentially_weighted_average(np.full(T, c), beta, True)
    np.testing.assert_allclose(v, np.full(T, c), rtol=1e-11, atol=1e-300)


@given(
    theta=hnp.arrays(
        np.float64, st.integers(1, 40), elements=st.floats(-100, 100)
    ),
    beta=betas,
)
def test_ewa_matches_the_unrolled_sum(theta: np.ndarray, beta: float) -> None:
    expected = _unrolled_average(theta, beta)
    scale = 1e-12 * (1 + np.abs(theta).max())
    np.testing.assert_allclose(
        exponentially_weighted_average(theta, beta),
        expected,
        rtol=1e-10,
        atol=scale,
    )
    corrections = 1 - beta ** np.arange(1, len(theta) + 1)
    np.testing.assert_allclose(
        exponentially_weighted_average(theta, beta, bias_correction=True),
        expected / corrections,
        rtol=1e-10,
        atol=scale / corrections.min(),
    )


def test_ewa_without_correction_is_biased_towards_zero_early() -> None:
    theta = np.full(5, 10.0)
    v = exponentially_weighted_average(theta, 0.9)
    np.testing.assert_allclose(
        v, 10 * (1 - 0.9 ** np.arange(1, 6)), rtol=1e-14
    )
    assert v[0] < 1.01  # the course's "starts far too low"


def test_ewa_with_beta_zero_is_the_sequence_and_list_input() -> None:
    np.testing.assert_array_equal(
        exponentially_weighted_average([3.0, -1.0, 2.0], 0.0), [3, -1, 2]
    )


def test_ewa_is_pure() -> None:
    theta = np.array([1.0, 2.0, 3.0])
    theta.flags.writeable = False
    v = exponentially_weighted_average(theta, 0.5, True)
    np.testing.assert_array_equal(theta, [1.0, 2.0, 3.0])
    assert not np.shares_memory(v, theta)


@pytest.mark.parametrize(
    ("theta", "beta", "match"),
    [
        (np.ones((2, 3)), 0.5, r"theta must be 1-D, got shape \(2, 3\)"),
        (np.float64(1.0), 0.5, r"theta must be 1-D, got shape \(\)"),
        (np.array([1.0, np.nan]), 0.5, "theta contains NaN or inf"),
        (np.array([1.0, np.inf]), 0.5, "theta contains NaN or inf"),
        (np.ones(3), 1.0, r"beta must be in \[0, 1\), got 1.0"),
        (np.ones(3), -0.2, r"beta must be in \[0, 1\), got -0.2"),
    ],
)
def test_ewa_rejects_bad_input(theta, beta, match) -> None:
    with pytest.raises(ValueError, match=match):
        exponentially_weighted_average(theta, beta)


# -------------------------------------------------------------- schedules


def test_learning_rate_decay_by_hand() -> None:
    assert learning_rate_decay(0.5, 0, 1.0) == 0.5
    assert learning_rate_decay(0.5, 3, 1.0) == 0.125  # 0.5 / (1 + 3)
    assert learning_rate_decay(0.5, 3, 0.0) == 0.5  # no decay
    # staircase: floor(10 / 3) = 3 drops
    assert learning_rate_decay(0.5, 10, 1.0, time_interval=3) == 0.125
    assert learning_rate_decay(0.5, 11, 1.0, time_interval=3) == 0.125
    assert learning_rate_decay(0.5, 12, 1.0, time_interval=3) == 0.1
    assert learning_rate_decay(1.0, np.int64(4), 0.25, np.int64(2)) == 2 / 3
    assert type(learning_rate_decay(1.0, 1, 1.0)) is float


@given(
    learning_rate0=st.floats(1e-6, 10.0),
    decay_rate=st.floats(0.0, 10.0),
    time_interval=st.integers(1, 50),
    epoch_num=st.integers(0, 10_000),
)
def test_learning_rate_decay_is_the_closed_form_and_never_grows(
    learning_rate0: float,
    decay_rate: float,
    time_interval: int,
    epoch_num: int,
) -> None:
    alpha = learning_rate_decay(
        learning_rate0, epoch_num, decay_rate, time_interval
    )
    drops = math.floor(epoch_num / time_interval)
    assert alpha == pytest.approx(
        learning_rate0 / (1 + decay_rate * drops), rel=1e-14
    )
    assert alpha <= learning_rate_decay(
        learning_rate0, max(epoch_num - 1, 0), decay_rate, time_interval
    )


def test_exponential_decay_by_hand() -> None:
    assert exponential_decay(0.2, 0) == 0.2
    assert exponential_decay(0.2, 2, 0.5) == 0.05
    assert exponential_decay(0.2, 3) == pytest.approx(
        0.2 * 0.95 * 0.95 * 0.95, rel=1e-15
    )
    assert exponential_decay(0.2, 7, decay_rate=1.0) == 0.2


def test_inverse_sqrt_decay_by_hand() -> None:
    assert inverse_sqrt_decay(0.3, 1) == 0.3
    assert inverse_sqrt_decay(0.3, 9) == pytest.approx(0.1, rel=1e-15)
    assert inverse_sqrt_decay(0.3, 4, k=2.0) == pytest.approx(0.3, rel=1e-15)


BAD_SCHEDULES = [
    (
        "decay-epoch-float",
        learning_rate_decay,
        (0.1, 1.5, 1.0),
        TypeError,
        "epoch_num must be an int, got 1.5",
    ),
    (
        "decay-interval-float",
        learning_rate_decay,
        (0.1, 1, 1.0, 2.0),
        TypeError,
        "time_interval must be an int, got 2.0",
    ),
    (
        "decay-interval-bool",
        learning_rate_decay,
        (0.1, 1, 1.0, True),
        TypeError,
        "time_interval must be an int, got True",
    ),
    (
        "decay-lr0-zero",
        learning_rate_decay,
        (0.0, 1, 1.0),
        ValueError,
        "learning_rate0 must be > 0 and finite, got 0.0",
    ),
    (
        "decay-lr0-inf",
        learning_rate_decay,
        (INF, 1, 1.0),
        ValueError,
        "learning_rate0 must be > 0 and finite, got inf",
    ),
    (
        "decay-epoch-negative",
        learning_rate_decay,
        (0.1, -1, 1.0),
        ValueError,
        "epoch_num must be >= 0, got -1",
    ),
    (
        "decay-rate-negative",
        learning_rate_decay,
        (0.1, 1, -1.0),
        ValueError,
        "decay_rate must be >= 0 and finite, got -1.0",
    ),
    (
        "decay-rate-nan",
        learning_rate_decay,
        (0.1, 1, NAN),
        ValueError,
        "decay_rate must be >= 0 and finite, got nan",
    ),
    (
        "decay-interval-zero",
        learning_rate_decay,
        (0.1, 1, 1.0, 0),
        ValueError,
        "time_interval must be >= 1, got 0",
    ),
    (
        "exp-epoch-float",
        exponential_decay,
        (0.1, 2.0),
        TypeError,
        "epoch_num must be an int, got 2.0",
    ),
    (
        "exp-lr0-negative",
        exponential_decay,
        (-0.1, 2),
        ValueError,
        "learning_rate0 must be > 0 and finite, got -0.1",
    ),
    (
        "exp-epoch-negative",
        exponential_decay,
        (0.1, -2),
        ValueError,
        "epoch_num must be >= 0, got -2",
    ),
    (
        "exp-rate-zero",
        exponential_decay,
        (0.1, 2, 0.0),
        ValueError,
        r"decay_rate must be in \(0, 1\], got 0.0",
    ),
    (
        "exp-rate-above-one",
        exponential_decay,
        (0.1, 2, 1.5),
        ValueError,
        r"decay_rate must be in \(0, 1\], got 1.5",
    ),
    (
        "sqrt-epoch-float",
        inverse_sqrt_decay,
        (0.1, 1.0),
        TypeError,
        "epoch_num must be an int, got 1.0",
    ),
    (
        "sqrt-epoch-zero",
        inverse_sqrt_decay,
        (0.1, 0),
        ValueError,
        "epoch_num must be >= 1 .*got 0",
    ),
    (
        "sqrt-lr0-zero",
        inverse_sqrt_decay,
        (0.0, 1),
        ValueError,
        "learning_rate0 must be > 0 and finite, got 0.0",
    ),
    (
        "sqrt-k-negative",
        inverse_sqrt_decay,
        (0.1, 1, -1.0),
        ValueError,
        "k must be > 0 and finite, got -1.0",
    ),
]


@pytest.mark.parametrize(
    ("function", "args", "error", "match"),
    [case[1:] for case in BAD_SCHEDULES],
    ids=[case[0] for case in BAD_SCHEDULES],
)
def test_schedules_reject_bad_input(function, args, error, match):
    with pytest.raises(error, match=match):
        function(*args)
