"""Tests of dnnref.network against independent oracles.

Oracles: central differences in float64 (written here, not
``gradient_check``) for every gradient, plain, with L2 and with dropout
under fixed masks; a per-example forward pass written with ``math``;
hand-computed costs; the published course convention for the masks
(``rng.random(A.shape) < keep_prob``, D1 before D2).  PyTorch autograd is
the oracle in tests/crosscheck/test_torch_init_dropout.py.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from dnnref.network import (
    backward_propagation,
    compute_cost,
    forward_propagation,
    predict,
)

Params = dict[str, np.ndarray]


def _network(
    layer_dims: list[int], m: int, seed: int
) -> tuple[np.ndarray, np.ndarray, Params]:
    """Random data, labels and parameters (biases non-zero: generic point)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((layer_dims[0], m))
    Y = (rng.random((1, m)) < 0.5).astype(np.float64)
    parameters: Params = {}
    for layer in range(1, len(layer_dims)):
        n, n_prev = layer_dims[layer], layer_dims[layer - 1]
        parameters[f"W{layer}"] = rng.standard_normal((n, n_prev)) / np.sqrt(
            n_prev
        )
        parameters[f"b{layer}"] = 0.1 * rng.standard_normal((n, 1))
    return X, Y, parameters


def _central_differences(
    J: Callable[[Params], float], parameters: Params, h: float = 1e-6
) -> Params:
    """dJ/dp for every entry of every parameter, (J(p+h) - J(p-h)) / 2h."""
    grads: Params = {}
    for key, value in parameters.items():
        grad = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            plus = {k: v.copy() for k, v in parameters.items()}
            minus = {k: v.copy() for k, v in parameters.items()}
            plus[key][index] += h
            minus[key][index] -= h
            grad[index] = (J(plus) - J(minus)) / (2 * h)
        grads["d" + key] = grad
    return grads


def _relative_difference(a: Params, b: Params) -> float:
    assert sorted(a) == sorted(b)
    x = np.concatenate([a[k].ravel() for k in sorted(a)])
    y = np.concatenate([b[k].ravel() for k in sorted(a)])
    return float(
        np.linalg.norm(x - y) / (np.linalg.norm(x) + np.linalg.norm(y))
    )


def _sigmoid(z: float) -> float:
    return (
        1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))
    )


def _naive_forward(X: np.ndarray, parameters: Params) -> np.ndarray:
    """Example by example, unit by unit, with Python floats."""
    L = len(parameters) // 2
    out = np.zeros((parameters[f"W{L}"].shape[0], X.shape[1]))
    for i in range(X.shape[1]):
        a = [float(v) for v in X[:, i]]
        for layer in range(1, L + 1):
            W, b = parameters[f"W{layer}"], parameters[f"b{layer}"]
            z = [
                sum(W[k, j] * a[j] for j in range(len(a))) + b[k, 0]
                for k in range(W.shape[0])
            ]
            a = (
                [max(v, 0.0) for v in z]
                if layer < L
                else [_sigmoid(v) for v in z]
            )
        out[:, i] = a
    return out


ARCHITECTURES = [[4, 1], [3, 5, 1], [4, 5, 3, 1], [2, 3, 3, 2, 1]]


# -------------------------------------------------------------- forward


@pytest.mark.parametrize("layer_dims", ARCHITECTURES)
def test_forward_matches_per_example_loops(layer_dims: list[int]) -> None:
    X, _, parameters = _network(layer_dims, 7, seed=1)
    AL, caches = forward_propagation(X, parameters)
    np.testing.assert_allclose(
        AL, _naive_forward(X, parameters), rtol=1e-12, atol=0
    )
    assert AL.shape == (1, 7)
    assert AL.dtype == np.float64
    assert len(caches) == len(layer_dims) - 1


def test_forward_by_hand() -> None:
    # Z1 = [[1, -2], [1, 0]], A1 = [[1, 0], [1, 0]], Z2 = [-0.5, 0.5]
    parameters = {
        "W1": np.array([[1.0, -1.0], [2.0, 0.5]]),
        "b1": np.array([[0.0], [-1.0]]),
        "W2": np.array([[1.0, -2.0]]),
        "b2": np.array([[0.5]]),
    }
    AL, _ = forward_propagation([[1.0, 0.0], [0.0, 2.0]], parameters)
    expected = [[1 / (1 + math.exp(0.5)), 1 / (1 + math.exp(-0.5))]]
    np.testing.assert_allclose(AL, expected, rtol=1e-15)


def test_caches_layout_without_dropout() -> None:
    X, _, parameters = _network([3, 4, 2, 1], 5, seed=2)
    _, caches = forward_propagation(X, parameters)
    A_prev, W, D_prev = caches[0]
    np.testing.assert_array_equal(A_prev, X)
    assert W is parameters["W1"]
    assert D_prev is None
    # A1 = relu(W1 X + b1), A2 = relu(W2 A1 + b2), computed here
    A1 = np.maximum(parameters["W1"] @ X + parameters["b1"], 0)
    A2 = np.maximum(parameters["W2"] @ A1 + parameters["b2"], 0)
    np.testing.assert_allclose(caches[1][0], A1, rtol=1e-14)
    np.testing.assert_allclose(caches[2][0], A2, rtol=1e-14)
    assert caches[1][1] is parameters["W2"]
    assert all(cache[2] is None for cache in caches)


@pytest.mark.parametrize(
    "rng_factory", [np.random.default_rng, np.random.RandomState]
)
def test_dropout_masks_course_convention(
    rng_factory: Callable[[int], object],
) -> None:
    X, _, parameters = _network([3, 6, 5, 1], 8, seed=3)
    keep_prob = 0.7
    AL, caches = forward_propagation(X, parameters, keep_prob, rng_factory(5))
    rng = rng_factory(5)
    D1 = rng.random((6, 8)) < keep_prob  # type: ignore[attr-defined]
    D2 = rng.random((5, 8)) < keep_prob  # type: ignore[attr-defined]
    assert caches[0][2] is None  # X is never dropped
    np.testing.assert_array_equal(caches[1][2], D1)
    np.testing.assert_array_equal(caches[2][2], D2)
    A1 = (
        np.maximum(parameters["W1"] @ X + parameters["b1"], 0) * D1 / keep_prob
    )
    A2 = (
        np.maximum(parameters["W2"] @ A1 + parameters["b2"], 0)
        * D2
        / keep_prob
    )
    np.testing.assert_allclose(caches[1][0], A1, rtol=1e-14)
    np.testing.assert_allclose(caches[2][0], A2, rtol=1e-14)
    # the output is not dropped out: AL = sigmoid(W3 A2 + b3)
    Z3 = parameters["W3"] @ A2 + parameters["b3"]
    np.testing.assert_allclose(AL, 1 / (1 + np.exp(-Z3)), rtol=1e-14)


def test_keep_prob_one_draws_nothing() -> None:
    X, _, parameters = _network([3, 4, 1], 5, seed=4)
    rng = np.random.default_rng(9)
    AL, caches = forward_propagation(X, parameters, 1.0, rng)
    assert rng.random() == np.random.default_rng(9).random()
    assert all(cache[2] is None for cache in caches)
    np.testing.assert_array_equal(AL, forward_propagation(X, parameters)[0])


def test_dropout_with_rng_none_runs() -> None:
    X, _, parameters = _network([3, 40, 1], 50, seed=4)
    _, caches = forward_propagation(X, parameters, keep_prob=0.5)
    D1 = caches[1][2]
    assert D1 is not None
    assert D1.dtype == bool
    assert 0 < D1.mean() < 1


def test_forward_is_pure() -> None:
    X, _, parameters = _network([3, 4, 4, 1], 6, seed=5)
    X_before = X.copy()
    before = {k: v.copy() for k, v in parameters.items()}
    forward_propagation(X, parameters, 0.6, np.random.default_rng(0))
    np.testing.assert_array_equal(X, X_before)
    for key, value in before.items():
        np.testing.assert_array_equal(parameters[key], value)


@pytest.mark.parametrize("z", [1000.0, -1000.0, 745.0, -745.0, 1e308])
def test_sigmoid_does_not_overflow(z: float) -> None:
    parameters = {"W1": np.array([[z]]), "b1": np.zeros((1, 1))}
    AL, _ = forward_propagation([[1.0, -1.0]], parameters)  # no warning
    expected = [[1.0, 0.0]] if z > 0 else [[0.0, 1.0]]
    np.testing.assert_allclose(AL, expected, rtol=0, atol=1e-300)


def test_sigmoid_accuracy_over_a_range() -> None:
    z = np.linspace(-700, 700, 2801)
    parameters = {"W1": np.array([[1.0]]), "b1": np.zeros((1, 1))}
    AL, _ = forward_propagation(z[None, :], parameters)
    expected = [_sigmoid(float(v)) for v in z]  # math.exp, branch by sign
    np.testing.assert_allclose(AL[0], expected, rtol=1e-14, atol=0)


def test_logistic_regression_single_layer() -> None:
    X, _, parameters = _network([4, 1], 3, seed=6)
    AL, caches = forward_propagation(X, parameters, keep_prob=0.5)
    Z = parameters["W1"] @ X + parameters["b1"]
    np.testing.assert_allclose(AL, 1 / (1 + np.exp(-Z)), rtol=1e-14)
    assert len(caches) == 1
    assert caches[0][2] is None


@pytest.mark.parametrize("keep_prob", [0.0, -0.1, 1.5, float("nan")])
def test_forward_rejects_keep_prob(keep_prob: float) -> None:
    X, _, parameters = _network([3, 4, 1], 5, seed=7)
    with pytest.raises(ValueError, match="keep_prob"):
        forward_propagation(X, parameters, keep_prob)


def test_forward_rejects_1d_X() -> None:
    _, _, parameters = _network([3, 4, 1], 5, seed=7)
    with pytest.raises(ValueError, match="X must be 2-D"):
        forward_propagation(np.ones(3), parameters)


def test_forward_rejects_empty_parameters() -> None:
    with pytest.raises(ValueError, match="parameters"):
        forward_propagation(np.ones((3, 2)), {})


@pytest.mark.parametrize(
    ("key", "shape"), [("W1", (4, 2)), ("b1", (4,)), ("W2", (1, 3))]
)
def test_forward_rejects_bad_shapes(key: str, shape: tuple[int, ...]) -> None:
    X, _, parameters = _network([3, 4, 1], 5, seed=7)
    parameters[key] = np.ones(shape)
    with pytest.raises(ValueError, match=f"{key} shape"):
        forward_propagation(X, parameters)


# ------------------------------------------------------------ compute_cost


def test_cost_by_hand() -> None:
    AL = np.array([[0.8, 0.1, 0.6]])
    Y = np.array([[1.0, 0.0, 0.0]])
    expected = -(math.log(0.8) + math.log(0.9) + math.log(0.4)) / 3
    assert compute_cost(AL, Y) == pytest.approx(expected, rel=1e-15)


def test_cost_with_l2_by_hand() -> None:
    AL, Y = np.array([[0.5, 0.5]]), np.array([[1.0, 0.0]])
    parameters = {
        "W1": np.array([[1.0, -2.0]]),
        "b1": np.array([[100.0]]),  # biases are not penalized
        "W2": np.array([[3.0]]),
    }
    expected = math.log(2) + 0.4 / (2 * 2) * (1 + 4 + 9)
    cost = compute_cost(AL, Y, parameters, lambd=0.4)
    assert cost == pytest.approx(expected, rel=1e-15)
    assert compute_cost(AL, Y, parameters, lambd=0.0) == pytest.approx(
        math.log(2), rel=1e-15
    )


def test_cost_returns_a_python_float() -> None:
    cost = compute_cost(np.array([[0.3]]), np.array([[1.0]]))
    assert type(cost) is float


def test_cost_of_confident_correct_predictions_is_zero() -> None:
    cost = compute_cost([[1.0, 0.0, 1.0]], [[1.0, 0.0, 1.0]])
    assert cost == 0.0
    assert math.copysign(1.0, cost) == 1.0  # +0.0, not -0.0


@pytest.mark.parametrize(
    ("AL", "Y"), [([[0.0, 0.5]], [[1.0, 1.0]]), ([[1.0, 0.5]], [[0.0, 0.0]])]
)
def test_cost_of_confident_wrong_prediction_is_inf(
    AL: list[list[float]], Y: list[list[float]]
) -> None:
    assert compute_cost(AL, Y) == math.inf  # and no warning escapes


def test_cost_with_soft_labels() -> None:
    AL, Y = np.array([[0.25]]), np.array([[0.5]])
    expected = -(0.5 * math.log(0.25) + 0.5 * math.log(0.75))
    assert compute_cost(AL, Y) == pytest.approx(expected, rel=1e-15)
    # a soft label at a confident prediction: infinite, not nan
    assert compute_cost([[1.0]], [[0.5]]) == math.inf


@given(
    hnp.arrays(
        np.float64,
        st.tuples(st.just(1), st.integers(1, 20)),
        elements=st.sampled_from([0.0, 1.0]) | st.floats(0.0, 1.0),
    ),
    st.data(),
)
def test_cost_is_never_nan(AL: np.ndarray, data: st.DataObject) -> None:
    Y = data.draw(
        hnp.arrays(np.float64, AL.shape, elements=st.sampled_from([0.0, 1.0]))
    )
    cost = compute_cost(AL, Y)
    assert not math.isnan(cost)
    assert cost >= 0
    # the same value as the loss written per example with math.log
    losses = [
        0.0
        if (y == 1 and a == 1) or (y == 0 and a == 0)
        else math.inf
        if a in {0.0, 1.0}
        else -(y * math.log(a) + (1 - y) * math.log(1 - a))
        for a, y in zip(AL.ravel(), Y.ravel(), strict=True)
    ]
    assert cost == pytest.approx(sum(losses) / AL.shape[1], rel=1e-12)


@pytest.mark.parametrize(
    ("AL", "Y", "match"),
    [
        ([[0.5, 0.5]], [[1.0]], "AL shape"),
        ([0.5, 0.5], [1.0, 0.0], "AL shape"),
        (np.zeros((1, 0)), np.zeros((1, 0)), "AL shape"),
        ([[1.5]], [[1.0]], "AL must be"),
        ([[-0.1]], [[1.0]], "AL must be"),
        ([[float("nan")]], [[1.0]], "AL must be"),
        ([[0.5]], [[2.0]], "Y must be"),
        ([[0.5]], [[float("nan")]], "Y must be"),
    ],
)
def test_cost_rejects_bad_input(AL: object, Y: object, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        compute_cost(AL, Y)  # type: ignore[arg-type]


@pytest.mark.parametrize("lambd", [-0.1, float("nan"), float("inf")])
def test_cost_rejects_bad_lambd(lambd: float) -> None:
    with pytest.raises(ValueError, match="lambd"):
        compute_cost([[0.5]], [[1.0]], {"W1": np.ones((1, 1))}, lambd)


def test_cost_needs_parameters_for_l2() -> None:
    with pytest.raises(ValueError, match="parameters"):
        compute_cost([[0.5]], [[1.0]], None, lambd=0.1)


def test_cost_is_pure() -> None:
    AL, Y = np.array([[0.2, 0.9]]), np.array([[0.0, 1.0]])
    parameters = {"W1": np.array([[1.0, 2.0]])}
    compute_cost(AL, Y, parameters, 0.5)
    np.testing.assert_array_equal(AL, [[0.2, 0.9]])
    np.testing.assert_array_equal(Y, [[0.0, 1.0]])
    np.testing.assert_array_equal(parameters["W1"], [[1.0, 2.0]])


# ------------------------------------------------------ backward_propagation


@pytest.mark.parametrize("layer_dims", ARCHITECTURES)
def test_backward_matches_central_differences(layer_dims: list[int]) -> None:
    X, Y, parameters = _network(layer_dims, 6, seed=10)

    def J(p: Params) -> float:
        return compute_cost(forward_propagation(X, p)[0], Y)

    AL, caches = forward_propagation(X, parameters)
    grads = backward_propagation(AL, Y, caches)
    numerical = _central_differences(J, parameters)
    assert _relative_difference(grads, numerical) < 1e-7


@pytest.mark.parametrize("lambd", [0.1, 0.7, 5.0])
def test_backward_with_l2_matches_central_differences(lambd: float) -> None:
    X, Y, parameters = _network([3, 5, 4, 1], 6, seed=11)

    def J(p: Params) -> float:
        return compute_cost(forward_propagation(X, p)[0], Y, p, lambd)

    AL, caches = forward_propagation(X, parameters)
    grads = backward_propagation(AL, Y, caches, lambd=lambd)
    numerical = _central_differences(J, parameters)
    assert _relative_difference(grads, numerical) < 1e-7


@pytest.mark.parametrize("keep_prob", [0.5, 0.8])
@pytest.mark.parametrize("lambd", [0.0, 0.3])
def test_backward_with_dropout_matches_central_differences(
    keep_prob: float, lambd: float
) -> None:
    X, Y, parameters = _network([3, 6, 5, 1], 8, seed=12)

    def J(p: Params) -> float:  # same seed: the same masks D1, D2
        rng = np.random.default_rng(42)
        AL, _ = forward_propagation(X, p, keep_prob, rng)
        return compute_cost(AL, Y, p, lambd)

    AL, caches = forward_propagation(
        X, parameters, keep_prob, np.random.default_rng(42)
    )
    assert caches[1][2] is not None
    assert not caches[1][2].all()  # some units really are dropped
    grads = backward_propagation(AL, Y, caches, lambd, keep_prob)
    numerical = _central_differences(J, parameters)
    assert _relative_difference(grads, numerical) < 1e-7


def test_backward_by_hand() -> None:
    # One hidden unit, one example: every step can be written out.
    X, Y = np.array([[2.0]]), np.array([[1.0]])
    parameters = {
        "W1": np.array([[0.5]]),
        "b1": np.array([[0.0]]),
        "W2": np.array([[3.0]]),
        "b2": np.array([[-1.0]]),
    }
    AL, caches = forward_propagation(X, parameters)
    a2 = 1 / (1 + math.exp(-(3.0 * 1.0 - 1.0)))  # Z1 = A1 = 1, Z2 = 2
    grads = backward_propagation(AL, Y, caches)
    assert grads["db2"][0, 0] == pytest.approx(a2 - 1, rel=1e-15)
    assert grads["dW2"][0, 0] == pytest.approx(a2 - 1, rel=1e-15)  # * A1
    assert grads["db1"][0, 0] == pytest.approx(3 * (a2 - 1), rel=1e-15)
    assert grads["dW1"][0, 0] == pytest.approx(6 * (a2 - 1), rel=1e-15)


def test_grads_have_parameter_shapes() -> None:
    X, Y, parameters = _network([4, 5, 3, 1], 9, seed=13)
    AL, caches = forward_propagation(X, parameters)
    grads = backward_propagation(AL, Y, caches)
    assert sorted(grads) == sorted("d" + key for key in parameters)
    for key, value in parameters.items():
        assert grads["d" + key].shape == value.shape
        assert grads["d" + key].dtype == np.float64


def test_backward_never_forms_dA0() -> None:
    """W1 is needed only for L2: without it, no W1.T @ dZ1 is computed."""
    X, Y, parameters = _network([3, 4, 1], 5, seed=14)
    AL, caches = forward_propagation(X, parameters)
    A_prev, _, D_prev = caches[0]
    caches[0] = (A_prev, None, D_prev)  # type: ignore[assignment]
    grads = backward_propagation(AL, Y, caches)
    assert grads["dW1"].shape == (4, 3)


def test_backward_is_pure() -> None:
    X, Y, parameters = _network([3, 5, 4, 1], 6, seed=15)
    AL, caches = forward_propagation(
        X, parameters, 0.7, np.random.default_rng(1)
    )
    saved = [
        tuple(None if a is None else a.copy() for a in cache)
        for cache in caches
    ]
    AL_before, Y_before = AL.copy(), Y.copy()
    backward_propagation(AL, Y, caches, lambd=0.2, keep_prob=0.7)
    np.testing.assert_array_equal(AL, AL_before)
    np.testing.assert_array_equal(Y, Y_before)
    for cache, copy in zip(caches, saved, strict=True):
        for a, b in zip(cache, copy, strict=True):
            if b is None:
                assert a is None
            else:
                np.testing.assert_array_equal(a, b)


def test_backward_rejects_shape_mismatch() -> None:
    X, Y, parameters = _network([3, 4, 1], 5, seed=16)
    AL, caches = forward_propagation(X, parameters)
    with pytest.raises(ValueError, match="AL shape"):
        backward_propagation(AL, Y[:, :4], caches)


@pytest.mark.parametrize("lambd", [-1.0, float("nan")])
def test_backward_rejects_lambd(lambd: float) -> None:
    X, Y, parameters = _network([3, 4, 1], 5, seed=16)
    AL, caches = forward_propagation(X, parameters)
    with pytest.raises(ValueError, match="lambd"):
        backward_propagation(AL, Y, caches, lambd=lambd)


@pytest.mark.parametrize("keep_prob", [0.0, 1.01])
def test_backward_rejects_keep_prob(keep_prob: float) -> None:
    X, Y, parameters = _network([3, 4, 1], 5, seed=16)
    AL, caches = forward_propagation(X, parameters)
    with pytest.raises(ValueError, match="keep_prob"):
        backward_propagation(AL, Y, caches, keep_prob=keep_prob)


# --------------------------------------------------------------- predict


def test_predict_by_hand() -> None:
    parameters = {
        "W1": np.array([[1.0, -1.0], [2.0, 0.5]]),
        "b1": np.array([[0.0], [-1.0]]),
        "W2": np.array([[1.0, -2.0]]),
        "b2": np.array([[0.5]]),
    }
    # Z2 = [-0.5, 0.5, -8.5]: sigmoid below, above, below 0.5
    p = predict([[1.0, 0.0, 3.0], [0.0, 2.0, 1.0]], parameters)
    np.testing.assert_array_equal(p, [[0.0, 1.0, 0.0]])
    assert p.dtype == np.float64


@pytest.mark.parametrize("layer_dims", ARCHITECTURES)
def test_predict_thresholds_the_naive_forward(layer_dims: list[int]) -> None:
    X, _, parameters = _network(layer_dims, 30, seed=17)
    p = predict(X, parameters)
    np.testing.assert_array_equal(p, _naive_forward(X, parameters) > 0.5)
    assert p.shape == (1, 30)


def test_predict_at_exactly_one_half_is_zero() -> None:
    parameters = {"W1": np.zeros((1, 2)), "b1": np.zeros((1, 1))}
    np.testing.assert_array_equal(predict(np.ones((2, 3)), parameters), 0.0)


def test_predict_is_pure() -> None:
    X, _, parameters = _network([3, 4, 1], 5, seed=18)
    X_before = X.copy()
    before = {k: v.copy() for k, v in parameters.items()}
    predict(X, parameters)
    np.testing.assert_array_equal(X, X_before)
    for key, value in before.items():
        np.testing.assert_array_equal(parameters[key], value)


def test_predict_rejects_bad_input() -> None:
    _, _, parameters = _network([3, 4, 1], 5, seed=19)
    with pytest.raises(ValueError, match="X must be 2-D"):
        predict(np.ones(3), parameters)
    with pytest.raises(ValueError, match="parameters"):
        predict(np.ones((3, 2)), {})
    with pytest.raises(ValueError, match="W1 shape"):
        predict(np.ones((2, 5)), parameters)
