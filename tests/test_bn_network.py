"""Tests of dnnref.bn_network: [LINEAR->BN->RELU]x(L-1)->LINEAR->SIGMOID.

Oracles: hand-written NumPy for the forward pass (training and test time),
the plain network's closed form for logistic regression, central
differences in float64 for ``backward_propagation_bn``, and the exponential
average written out for ``update_bn_averages``.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest

from dnnref.bn_network import (
    backward_propagation_bn,
    forward_propagation_bn,
    initialize_parameters_bn,
    predict_bn,
    update_bn_averages,
)
from dnnref.initialization import initialize_parameters
from dnnref.network import compute_cost


def _bn_params(layer_dims: list[int], seed: int = 1) -> dict[str, Any]:
    """BN parameters with non-trivial gamma, beta, running stats."""
    rng = np.random.default_rng(seed)
    parameters = initialize_parameters_bn(layer_dims, "he", rng)
    for key, value in parameters.items():
        if key.startswith(("gamma", "running_var")):
            parameters[key] = 1 + 0.5 * rng.random(value.shape)
        elif key.startswith(("beta", "running_mean", "b")):
            parameters[key] = 0.3 * rng.standard_normal(value.shape)
    return parameters


def test_initialize_parameters_bn_same_draws_as_plain() -> None:
    bn = initialize_parameters_bn([4, 3, 2, 1], "he", np.random.RandomState(3))
    plain = initialize_parameters([4, 3, 2, 1], "he", np.random.RandomState(3))
    for key in ("W1", "W2", "W3", "b3"):
        np.testing.assert_array_equal(bn[key], plain[key])
    assert "b1" not in bn
    assert "b2" not in bn
    np.testing.assert_array_equal(bn["gamma2"], np.ones((2, 1)))
    np.testing.assert_array_equal(bn["running_var1"], np.ones((3, 1)))
    np.testing.assert_array_equal(bn["beta1"], np.zeros((3, 1)))


def test_forward_bn_training_normalizes_each_unit() -> None:
    """Before gamma, every unit has mean 0 and variance 1 over the batch."""
    rng = np.random.default_rng(0)
    X = 3 + 2 * rng.standard_normal((5, 50))
    parameters = _bn_params([5, 6, 4, 1])
    AL, caches = forward_propagation_bn(X, parameters)
    A = X
    for layer in (1, 2):
        A_prev, _, Z_tilde, bn_cache, _ = caches[layer - 1]
        np.testing.assert_allclose(A_prev, A, rtol=1e-12, atol=1e-14)
        Z = parameters[f"W{layer}"] @ A  # by hand, no bias
        var = Z.var(axis=1, keepdims=True)
        Z_norm = bn_cache["Z_norm"]
        np.testing.assert_allclose(Z_norm.mean(axis=1), 0, atol=1e-12)
        np.testing.assert_allclose(
            Z_norm.var(axis=1, keepdims=True), var / (var + 1e-8), rtol=1e-12
        )
        expected = (
            parameters[f"gamma{layer}"]
            * (Z - Z.mean(1, keepdims=True))
            / np.sqrt(var + 1e-8)
            + parameters[f"beta{layer}"]
        )
        np.testing.assert_allclose(Z_tilde, expected, rtol=1e-10, atol=1e-12)
        A = np.maximum(expected, 0)
    Z3 = parameters["W3"] @ A + parameters["b3"]
    np.testing.assert_allclose(AL, 1 / (1 + np.exp(-Z3)), rtol=1e-12)


def test_forward_bn_test_time_uses_running_averages() -> None:
    rng = np.random.default_rng(1)
    X = rng.standard_normal((3, 7))
    parameters = _bn_params([3, 4, 1])
    AL, caches = forward_propagation_bn(
        X, parameters, keep_prob=0.5, training=False
    )
    Z = parameters["W1"] @ X
    Z_tilde = (
        parameters["gamma1"]
        * (Z - parameters["running_mean1"])
        / (np.sqrt(parameters["running_var1"] + 1e-8))
        + parameters["beta1"]
    )
    Z2 = parameters["W2"] @ np.maximum(Z_tilde, 0) + parameters["b2"]
    np.testing.assert_allclose(AL, 1 / (1 + np.exp(-Z2)), rtol=1e-12)
    assert caches[0][3] is None  # no batch statistics
    assert caches[0][4] is None  # no dropout at test time
    # one example at a time gives the same as the whole batch
    for i in range(7):
        AL_i, _ = forward_propagation_bn(
            X[:, i : i + 1], parameters, training=False
        )
        np.testing.assert_allclose(AL_i, AL[:, i : i + 1], rtol=1e-14)


def test_predict_bn_single_example() -> None:
    parameters = _bn_params([3, 4, 2, 1])
    x = np.array([[0.3], [-1.2], [2.0]])
    prediction = predict_bn(x, parameters)
    assert prediction.shape == (1, 1)
    AL, _ = forward_propagation_bn(x, parameters, training=False)
    assert prediction[0, 0] == float(AL[0, 0] > 0.5)


def _central_difference_check(
    parameters: dict[str, np.ndarray],
    X: np.ndarray,
    Y: np.ndarray,
    lambd: float,
    keep_prob: float,
) -> None:
    def cost(p: dict[str, np.ndarray]) -> float:
        AL, _ = forward_propagation_bn(
            X, p, keep_prob, rng=np.random.default_rng(9)
        )
        return compute_cost(AL, Y, p, lambd)

    AL, caches = forward_propagation_bn(
        X, parameters, keep_prob, rng=np.random.default_rng(9)
    )
    grads = backward_propagation_bn(AL, Y, caches, lambd, keep_prob)
    trained = [k for k in parameters if not k.startswith("running_")]
    assert sorted(grads) == sorted("d" + k for k in trained)
    h = 1e-6
    analytic, numeric = [], []
    for key in trained:
        for index in np.ndindex(parameters[key].shape):
            plus = {k: v.copy() for k, v in parameters.items()}
            minus = {k: v.copy() for k, v in parameters.items()}
            plus[key][index] += h
            minus[key][index] -= h
            numeric.append((cost(plus) - cost(minus)) / (2 * h))
            analytic.append(grads["d" + key][index])
    a, n = np.array(analytic), np.array(numeric)
    relative = np.linalg.norm(a - n) / (np.linalg.norm(a) + np.linalg.norm(n))
    assert relative < 1e-7, relative


@pytest.mark.parametrize(
    ("lambd", "keep_prob"), [(0.0, 1.0), (0.3, 1.0), (0.1, 0.7)]
)
def test_backward_bn_matches_central_differences(
    lambd: float, keep_prob: float
) -> None:
    rng = np.random.default_rng(3)
    X = rng.standard_normal((3, 8))
    Y = (rng.random((1, 8)) < 0.5).astype(np.float64)
    _central_difference_check(_bn_params([3, 5, 4, 1]), X, Y, lambd, keep_prob)


def test_backward_bn_without_hidden_layer_is_logistic_regression() -> None:
    rng = np.random.default_rng(4)
    X = rng.standard_normal((3, 6))
    Y = np.array([[0.0, 1.0, 1.0, 0.0, 1.0, 0.0]])
    parameters = {"W1": rng.standard_normal((1, 3)), "b1": np.ones((1, 1))}
    AL, caches = forward_propagation_bn(X, parameters)
    grads = backward_propagation_bn(AL, Y, caches)
    np.testing.assert_allclose(grads["dW1"], (AL - Y) @ X.T / 6, rtol=1e-13)
    _central_difference_check(parameters, X, Y, 0.0, 1.0)


def test_forward_backward_bn_are_pure() -> None:
    rng = np.random.default_rng(5)
    X = rng.standard_normal((3, 6))
    Y = (rng.random((1, 6)) < 0.5).astype(np.float64)
    parameters = _bn_params([3, 4, 2, 1])
    before = copy.deepcopy((X, Y, parameters))
    AL, caches = forward_propagation_bn(
        X, parameters, 0.6, rng=np.random.default_rng(0)
    )
    caches_before = copy.deepcopy(caches)
    AL_before = AL.copy()
    backward_propagation_bn(AL, Y, caches, 0.1, 0.6)
    update_bn_averages(parameters, caches)
    predict_bn(X, parameters)
    assert repr(before) == repr((X, Y, parameters))
    assert repr(caches_before) == repr(caches)
    np.testing.assert_array_equal(AL, AL_before)


def test_forward_bn_dropout_with_default_rng() -> None:
    X = np.random.default_rng(0).standard_normal((3, 6))
    AL, caches = forward_propagation_bn(X, _bn_params([3, 4, 1]), 0.5)
    assert AL.shape == (1, 6)
    assert caches[0][4].shape == (4, 6)


def test_update_bn_averages_by_hand() -> None:
    rng = np.random.default_rng(6)
    X = rng.standard_normal((3, 10))
    parameters = _bn_params([3, 4, 2, 1])
    _, caches = forward_propagation_bn(X, parameters)
    new = update_bn_averages(parameters, caches, momentum=0.8)
    Z1 = parameters["W1"] @ X
    np.testing.assert_allclose(
        new["running_mean1"],
        0.8 * parameters["running_mean1"]
        + 0.2 * Z1.mean(axis=1, keepdims=True),
        rtol=1e-13,
    )
    np.testing.assert_allclose(
        new["running_var1"],
        0.8 * parameters["running_var1"] + 0.2 * Z1.var(axis=1, keepdims=True),
        rtol=1e-13,
    )
    assert not np.array_equal(
        new["running_mean2"], parameters["running_mean2"]
    )
    np.testing.assert_array_equal(new["W1"], parameters["W1"])


def test_batch_norm_rejects_bad_input() -> None:
    X = np.ones((3, 4))
    parameters = _bn_params([3, 2, 1])
    with pytest.raises(ValueError, match="X must be 2-D"):
        forward_propagation_bn(np.ones(3), parameters)
    without_gamma = {k: v for k, v in parameters.items() if k != "gamma1"}
    with pytest.raises(ValueError, match="missing"):
        forward_propagation_bn(X, without_gamma)
    with pytest.raises(ValueError, match="keep_prob"):
        forward_propagation_bn(X, parameters, keep_prob=0.0)
    with pytest.raises(ValueError, match="W1 shape"):
        forward_propagation_bn(np.ones((2, 4)), parameters)
    AL, caches = forward_propagation_bn(X, parameters)
    Y = np.ones((1, 4))
    with pytest.raises(ValueError, match="AL shape"):
        backward_propagation_bn(AL, np.ones((1, 3)), caches)
    with pytest.raises(ValueError, match="lambd"):
        backward_propagation_bn(AL, Y, caches, lambd=-1.0)
    with pytest.raises(ValueError, match="keep_prob"):
        backward_propagation_bn(AL, Y, caches, keep_prob=1.5)
    _, test_caches = forward_propagation_bn(X, parameters, training=False)
    with pytest.raises(ValueError, match="training=False"):
        backward_propagation_bn(AL, Y, test_caches)
    with pytest.raises(ValueError, match="training=False"):
        update_bn_averages(parameters, test_caches)


def test_public_names_import_from_dnnref() -> None:
    """The move out of dnnref.training changed no public name."""
    import dnnref
    from dnnref import bn_network, training

    moved = (
        "initialize_parameters_bn",
        "forward_propagation_bn",
        "backward_propagation_bn",
        "update_bn_averages",
        "predict_bn",
    )
    for name in moved:
        assert name in dnnref.__all__
        assert getattr(dnnref, name) is getattr(bn_network, name)
        assert getattr(bn_network, name).__module__ == "dnnref.bn_network"
    defined = {
        name
        for module in vars(dnnref).values()
        if isinstance(module, type(dnnref)) and module is not dnnref
        for name, obj in vars(module).items()
        if callable(obj)
        and not name.startswith("_")
        and getattr(obj, "__module__", None) == module.__name__
    }
    assert defined == set(dnnref.__all__)
    assert training.model is dnnref.model


@pytest.mark.parametrize("module", ["training", "bn_network"])
def test_composite_modules_stay_under_600_lines(module: str) -> None:
    from pathlib import Path

    import dnnref

    path = Path(dnnref.__file__).parent / f"{module}.py"
    assert len(path.read_text().splitlines()) < 600
