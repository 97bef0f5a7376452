"""Tests of dnnref.training: the composed training loops.

Oracles: manual compositions of the leaf functions (batch GD, SGD, Adam with
mini-batches and dropout, learning-rate decay, the batch-norm network) and
closed forms (first optimizer steps, GD on a quadratic).  The batch-norm
network itself is tested in ``test_bn_network.py``.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest

from dnnref.batchnorm import update_running_averages
from dnnref.bn_network import (
    backward_propagation_bn,
    forward_propagation_bn,
    initialize_parameters_bn,
    predict_bn,
)
from dnnref.datasets import make_circles, make_moons
from dnnref.initialization import initialize_parameters
from dnnref.minibatch import random_mini_batches
from dnnref.network import (
    backward_propagation,
    compute_cost,
    forward_propagation,
)
from dnnref.optimizers import adam_update, gd_update
from dnnref.surfaces import elongated_quadratic, quadratic_gradient
from dnnref.training import (
    initialize_optimizer_state,
    model,
    optimizer_path,
    update_parameters,
)

OPTIMIZERS = ("gd", "momentum", "rmsprop", "adam")


def _xor(m: int = 40, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((2, m))
    Y = (X[0:1] * X[1:2] > 0).astype(np.float64)
    return X, Y


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


def _assert_same(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert a.keys() == b.keys()
    for key, value in a.items():
        np.testing.assert_array_equal(value, b[key], err_msg=key)


# --------------------------------------------------------------- model --


@pytest.mark.parametrize(
    ("optimizer", "learning_rate"),
    [("gd", 0.5), ("momentum", 0.5), ("rmsprop", 0.01), ("adam", 0.01)],
)
@pytest.mark.parametrize("dataset", [make_circles, make_moons])
def test_model_reduces_cost(
    optimizer: str, learning_rate: float, dataset: Any
) -> None:
    X, Y = dataset(m=256, rng=np.random.default_rng(0))
    parameters, costs = model(
        X,
        Y,
        [2, 16, 8, 1],
        optimizer,
        learning_rate,
        num_epochs=60,
        mini_batch_size=64,
        rng=np.random.default_rng(1),
    )
    assert costs.shape == (60,)
    assert np.all(np.isfinite(costs))
    assert costs[-1] < 0.6 * costs[0]
    AL, _ = forward_propagation(X, parameters)
    assert compute_cost(AL, Y) < 0.6 * costs[0]


def test_model_with_batch_norm_reduces_cost() -> None:
    X, Y = make_moons(m=256, rng=np.random.default_rng(0))
    parameters, costs = model(
        X,
        Y,
        [2, 16, 8, 1],
        "adam",
        0.01,
        num_epochs=40,
        mini_batch_size=64,
        batch_norm=True,
        rng=np.random.default_rng(1),
    )
    assert costs[-1] < 0.5 * costs[0]
    accuracy = np.mean(predict_bn(X, parameters) == Y)
    assert accuracy > 0.85
    # test time is per example: one column at a time gives the same labels
    one_by_one = [predict_bn(X[:, i : i + 1], parameters) for i in range(9)]
    np.testing.assert_array_equal(
        np.concatenate(one_by_one, axis=1), predict_bn(X[:, :9], parameters)
    )


def test_batch_gd_equals_manual_composition() -> None:
    X, Y = _xor()
    parameters, costs = model(
        X,
        Y,
        [2, 5, 3, 1],
        "gd",
        0.1,
        num_epochs=5,
        lambd=0.2,
        rng=np.random.default_rng(7),
    )
    manual = initialize_parameters(
        [2, 5, 3, 1], "he", np.random.default_rng(7)
    )
    manual_costs = []
    for _ in range(5):
        AL, caches = forward_propagation(X, manual)
        manual_costs.append(compute_cost(AL, Y, manual, 0.2))
        grads = backward_propagation(AL, Y, caches, 0.2)
        manual = {
            k: gd_update(W, grads["d" + k], 0.1) for k, W in manual.items()
        }
    _assert_same(parameters, manual)
    np.testing.assert_array_equal(costs, manual_costs)


def test_adam_minibatch_dropout_equals_manual_composition() -> None:
    """Adam's t runs over all mini-batches; draws: init, permutation, D."""
    X, Y = _xor(m=30)
    dims = [2, 6, 4, 1]
    parameters, costs = model(
        X,
        Y,
        dims,
        "adam",
        0.02,
        num_epochs=3,
        mini_batch_size=8,
        keep_prob=0.8,
        beta1=0.8,
        beta2=0.99,
        epsilon=1e-7,
        rng=np.random.RandomState(3),
    )
    rng = np.random.RandomState(3)
    manual = initialize_parameters(dims, "he", rng)
    v = {k: np.zeros_like(W) for k, W in manual.items()}
    s = {k: np.zeros_like(W) for k, W in manual.items()}
    t, manual_costs = 0, []
    for _ in range(3):
        epoch_cost = 0.0
        for X_t, Y_t in random_mini_batches(X, Y, 8, rng):
            AL, caches = forward_propagation(X_t, manual, 0.8, rng)
            epoch_cost += compute_cost(AL, Y_t) * Y_t.shape[1] / 30
            grads = backward_propagation(AL, Y_t, caches, 0.0, 0.8)
            t += 1
            for k in manual:
                manual[k], v[k], s[k] = adam_update(
                    manual[k],
                    grads["d" + k],
                    v[k],
                    s[k],
                    t,
                    0.02,
                    0.8,
                    0.99,
                    1e-7,
                )
        manual_costs.append(epoch_cost)
    assert t == 3 * 4  # 8 + 8 + 8 + 6 examples per epoch
    _assert_same(parameters, manual)
    np.testing.assert_allclose(costs, manual_costs, rtol=1e-13)


def test_sgd_makes_m_updates_per_epoch() -> None:
    X, Y = _xor(m=12)
    _, costs = model(
        X,
        Y,
        [2, 3, 1],
        "gd",
        0.05,
        num_epochs=2,
        mini_batch_size=1,
        record="iteration",
        rng=np.random.default_rng(0),
    )
    assert costs.shape == (2 * 12,)
    parameters, epoch_costs = model(
        X,
        Y,
        [2, 3, 1],
        "gd",
        0.05,
        num_epochs=2,
        mini_batch_size=1,
        rng=np.random.default_rng(0),
    )
    np.testing.assert_allclose(
        epoch_costs, costs.reshape(2, 12).mean(1), rtol=1e-13
    )
    # the same as m single-example updates, in the permuted order
    rng = np.random.default_rng(0)
    manual = initialize_parameters([2, 3, 1], "he", rng)
    for _ in range(2):
        order = rng.permutation(12)
        for i in order:
            x, y = X[:, i : i + 1], Y[:, i : i + 1]
            AL, caches = forward_propagation(x, manual)
            grads = backward_propagation(AL, y, caches)
            manual = {k: W - 0.05 * grads["d" + k] for k, W in manual.items()}
    for key in manual:
        np.testing.assert_allclose(
            parameters[key], manual[key], rtol=1e-12, atol=1e-15
        )


def test_learning_rate_decay_per_epoch() -> None:
    """Epoch e uses alpha0 / (1 + decay_rate * floor(e / time_interval))."""
    X, Y = _xor()
    parameters, _ = model(
        X,
        Y,
        [2, 4, 1],
        "gd",
        0.3,
        num_epochs=5,
        decay_rate=0.5,
        time_interval=2,
        rng=np.random.default_rng(4),
    )
    manual = initialize_parameters([2, 4, 1], "he", np.random.default_rng(4))
    for epoch, alpha in enumerate([0.3, 0.3, 0.2, 0.2, 0.15]):
        AL, caches = forward_propagation(X, manual)
        grads = backward_propagation(AL, Y, caches)
        manual = {k: W - alpha * grads["d" + k] for k, W in manual.items()}
        assert epoch < 5
    for key in manual:
        np.testing.assert_allclose(parameters[key], manual[key], rtol=1e-13)


def test_same_seed_reproduces_and_other_seed_differs() -> None:
    X, Y = _xor()
    kwargs: dict[str, Any] = {
        "optimizer": "momentum",
        "learning_rate": 0.1,
        "num_epochs": 4,
        "mini_batch_size": 16,
        "keep_prob": 0.7,
    }
    p1, c1 = model(X, Y, [2, 4, 1], rng=np.random.default_rng(5), **kwargs)
    p2, c2 = model(X, Y, [2, 4, 1], rng=np.random.default_rng(5), **kwargs)
    _, c3 = model(X, Y, [2, 4, 1], rng=np.random.default_rng(6), **kwargs)
    _assert_same(p1, p2)
    np.testing.assert_array_equal(c1, c2)
    assert not np.array_equal(c1, c3)


def test_rng_none_trains() -> None:
    X, Y = _xor(m=10)
    parameters, costs = model(X, Y, [2, 3, 1], num_epochs=2)
    assert costs.shape == (2,)
    assert parameters["W1"].shape == (3, 2)


def test_l2_makes_weights_smaller() -> None:
    """The notes' "weight decay": L2 pushes the weights to smaller values."""
    X, Y = make_moons(m=200, rng=np.random.default_rng(0))

    def weight_norm(lambd: float) -> float:
        parameters, _ = model(
            X,
            Y,
            [2, 20, 10, 1],
            "adam",
            0.01,
            num_epochs=100,
            mini_batch_size=64,
            lambd=lambd,
            rng=np.random.default_rng(2),
        )
        return sum(float(np.sum(parameters[f"W{l}"] ** 2)) for l in (1, 2, 3))

    assert weight_norm(0.7) < 0.7 * weight_norm(0.0)


def test_model_is_pure() -> None:
    X, Y = _xor()
    X0, Y0 = X.copy(), Y.copy()
    model(
        X,
        Y,
        [2, 3, 1],
        "adam",
        num_epochs=2,
        mini_batch_size=8,
        batch_norm=True,
        rng=np.random.default_rng(0),
    )
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(Y, Y0)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"optimizer": "sgd"}, "optimizer must be one of"),
        ({"Y": np.zeros((1, 39))}, "Y shape"),
        ({"X": np.zeros(40)}, "X shape"),
        ({"layer_dims": [3, 4, 1]}, "layer_dims"),
        ({"layer_dims": [2, 4, 2]}, "layer_dims"),
        ({"layer_dims": [2]}, "layer_dims"),
        ({"num_epochs": 0}, "num_epochs"),
        ({"mini_batch_size": 0}, "mini_batch_size"),
        ({"X": np.zeros((2, 0)), "Y": np.zeros((1, 0))}, "X shape"),
        ({"batch_norm": True, "mini_batch_size": 1}, "batch_norm"),
        ({"batch_norm": True, "mini_batch_size": 13}, "batch_norm"),
        ({"record": "step"}, "record"),
    ],
)
def test_model_rejects_bad_input(kwargs: dict[str, Any], match: str) -> None:
    X, Y = _xor()
    arguments: dict[str, Any] = {
        "X": X,
        "Y": Y,
        "layer_dims": [2, 4, 1],
        "num_epochs": 1,
        **kwargs,
    }
    with pytest.raises(ValueError, match=match):
        model(**arguments)


@pytest.mark.parametrize(
    "kwargs",
    [{"num_epochs": 2.0}, {"mini_batch_size": 4.0}, {"num_epochs": True}],
)
def test_model_rejects_non_int_sizes(kwargs: dict[str, Any]) -> None:
    X, Y = _xor()
    with pytest.raises(TypeError, match=next(iter(kwargs))):
        model(X, Y, [2, 4, 1], **kwargs)


# ------------------------------------------------------ optimizer state --


@pytest.mark.parametrize(
    ("optimizer", "keys"),
    [
        ("gd", []),
        ("momentum", ["v"]),
        ("rmsprop", ["s"]),
        ("adam", ["s", "v"]),
    ],
)
def test_initialize_optimizer_state(optimizer: str, keys: list[str]) -> None:
    parameters = _bn_params([3, 2, 1])
    state = initialize_optimizer_state(parameters, optimizer)
    assert sorted(state) == keys
    for moments in state.values():
        assert sorted(moments) == sorted(
            ["dW1", "dgamma1", "dbeta1", "dW2", "db2"]
        )
        for key, value in moments.items():
            np.testing.assert_array_equal(
                value, np.zeros(parameters[key[1:]].shape)
            )


def test_update_parameters_closed_forms() -> None:
    """First steps: GD, momentum, RMSprop and Adam by hand."""
    W = np.array([[1.0, -2.0, 0.5]])
    dW = np.array([[0.4, -3.0, 0.0]])
    b, db = np.array([[0.1]]), np.array([[-0.2]])
    parameters = {"W1": W, "b1": b, "running_mean1": np.ones((1, 1))}
    grads = {"dW1": dW, "db1": db}
    alpha = 0.1

    def step(optimizer: str, **kw: float) -> dict[str, np.ndarray]:
        state = initialize_optimizer_state(parameters, optimizer)
        new, _ = update_parameters(
            parameters, grads, state, optimizer, 1, alpha, **kw
        )
        np.testing.assert_array_equal(new["running_mean1"], np.ones((1, 1)))
        return new

    np.testing.assert_allclose(step("gd")["W1"], W - alpha * dW, rtol=1e-15)
    np.testing.assert_allclose(
        step("momentum", beta=0.8)["W1"], W - alpha * 0.2 * dW, rtol=1e-15
    )
    s = 0.01 * dW**2
    np.testing.assert_allclose(
        step("rmsprop", beta2=0.99, epsilon=1e-8)["W1"],
        W - alpha * dW / (np.sqrt(s) + 1e-8),
        rtol=1e-14,
        atol=1e-15,
    )
    # Adam's first step is alpha * dW / (|dW| + epsilon)
    new = step("adam", epsilon=1e-8)
    np.testing.assert_allclose(
        new["W1"], W - alpha * dW / (abs(dW) + 1e-8), rtol=1e-14
    )
    np.testing.assert_allclose(
        new["b1"], b - alpha * db / (abs(db) + 1e-8), rtol=1e-14
    )


def test_update_parameters_momentum_carries_velocity() -> None:
    parameters = {"W": np.array([1.0, 1.0])}
    state = initialize_optimizer_state(parameters, "momentum")
    for g in ([1.0, 0.0], [0.0, 1.0]):
        parameters, state = update_parameters(
            parameters,
            {"dW": np.array(g)},
            state,
            "momentum",
            learning_rate=1.0,
            beta=0.5,
        )
    # v1 = (0.5, 0), v2 = (0.25, 0.5); W = 1 - v1 - v2
    np.testing.assert_allclose(state["v"]["dW"], [0.25, 0.5], rtol=1e-15)
    np.testing.assert_allclose(parameters["W"], [0.25, 0.5], rtol=1e-15)


def test_update_parameters_is_pure() -> None:
    parameters = _bn_params([3, 2, 1])
    grads = {
        "d" + k: np.ones_like(v)
        for k, v in parameters.items()
        if not k.startswith("running_")
    }
    state = initialize_optimizer_state(parameters, "adam")
    state["v"]["dW1"] = state["v"]["dW1"] + 0.5
    before = copy.deepcopy((parameters, grads, state))
    new, new_state = update_parameters(parameters, grads, state, "adam", 3)
    for old, now in zip(before, (parameters, grads, state), strict=True):
        assert repr(old) == repr(now)
    assert not np.array_equal(new["W1"], parameters["W1"])
    assert new_state["v"] is not state["v"]


def test_update_parameters_rejects_bad_input() -> None:
    parameters = {"W1": np.ones((2, 2)), "b1": np.ones((2, 1))}
    grads = {"dW1": np.ones((2, 2)), "db1": np.ones((2, 1))}
    with pytest.raises(ValueError, match="optimizer must be one of"):
        update_parameters(parameters, grads, {}, "nesterov")
    with pytest.raises(ValueError, match="grads keys"):
        update_parameters(parameters, {"dW1": grads["dW1"]}, {}, "gd")
    with pytest.raises(ValueError, match="state"):
        update_parameters(parameters, grads, {}, "adam", 1)
    state = initialize_optimizer_state(parameters, "momentum")
    with pytest.raises(ValueError, match="state"):
        update_parameters(parameters, grads, state, "adam", 1)
    with pytest.raises(ValueError, match="optimizer must be one of"):
        initialize_optimizer_state(parameters, "Adam")


# ------------------------------------------------- model, batch norm --


def test_model_bn_equals_manual_composition() -> None:
    """BN model: init, permutation, masks; Adam on W, gamma, beta, b[L]."""
    X, Y = _xor(m=36)
    dims = [2, 4, 3, 1]
    parameters, costs = model(
        X,
        Y,
        dims,
        "adam",
        0.01,
        num_epochs=2,
        mini_batch_size=16,
        lambd=0.1,
        keep_prob=0.8,
        batch_norm=True,
        bn_momentum=0.7,
        rng=np.random.RandomState(2),
    )
    rng = np.random.RandomState(2)
    manual = initialize_parameters_bn(dims, "he", rng)
    trained = [k for k in manual if not k.startswith("running_")]
    v = {k: np.zeros_like(manual[k]) for k in trained}
    s = {k: np.zeros_like(manual[k]) for k in trained}
    t, manual_costs = 0, []
    for _ in range(2):
        epoch_cost = 0.0
        for X_t, Y_t in random_mini_batches(X, Y, 16, rng):
            AL, caches = forward_propagation_bn(X_t, manual, 0.8, True, rng)
            epoch_cost += compute_cost(AL, Y_t, manual, 0.1) * len(Y_t[0]) / 36
            grads = backward_propagation_bn(AL, Y_t, caches, 0.1, 0.8)
            for layer in (1, 2):
                mean, var = f"running_mean{layer}", f"running_var{layer}"
                bn_cache = caches[layer - 1][3]
                manual[mean], manual[var] = update_running_averages(
                    manual[mean],
                    manual[var],
                    bn_cache["mu"],
                    bn_cache["var"],
                    0.7,
                )
            t += 1
            for k in trained:
                manual[k], v[k], s[k] = adam_update(
                    manual[k], grads["d" + k], v[k], s[k], t, 0.01
                )
        manual_costs.append(epoch_cost)
    assert t == 2 * 3  # 16 + 16 + 4 examples per epoch
    _assert_same(parameters, manual)
    np.testing.assert_allclose(costs, manual_costs, rtol=1e-13)


def test_model_bn_running_averages_reach_the_batch_statistics() -> None:
    """With batch GD and a tiny step, mu_run -> mean of Z1, var -> var."""
    X, Y = _xor(m=50)
    parameters, _ = model(
        X,
        Y,
        [2, 4, 1],
        "gd",
        1e-9,
        num_epochs=60,
        batch_norm=True,
        bn_momentum=0.5,
        rng=np.random.default_rng(0),
    )
    Z1 = parameters["W1"] @ X  # (4, m), W1 moved by ~1e-9 only
    np.testing.assert_allclose(
        parameters["running_mean1"], Z1.mean(axis=1, keepdims=True), rtol=1e-6
    )
    np.testing.assert_allclose(
        parameters["running_var1"], Z1.var(axis=1, keepdims=True), rtol=1e-6
    )


# ------------------------------------------------------- optimizer path --


def _quadratic_gradient(W: np.ndarray) -> np.ndarray:
    """Gradient of J = (w1**2 + 20 w2**2) / 2 (surfaces' elongated bowl)."""
    return quadratic_gradient(W, elongated_quadratic(condition=20.0))


def test_optimizer_path_gd_closed_form() -> None:
    path = optimizer_path(
        _quadratic_gradient, [2.0, 1.0], "gd", num_steps=10, learning_rate=0.09
    )
    t = np.arange(11)
    expected = np.stack([2.0 * 0.91**t, (1 - 1.8) ** t])
    assert path.shape == (2, 11)
    np.testing.assert_allclose(path, expected, rtol=1e-12)


def test_optimizer_path_adam_and_rmsprop_first_step() -> None:
    g = _quadratic_gradient(np.array([2.0, 1.0]))
    adam = optimizer_path(_quadratic_gradient, [2.0, 1.0], "adam", 1, 0.1)
    np.testing.assert_allclose(
        adam[:, 1], [2.0, 1.0] - 0.1 * g / (g + 1e-8), rtol=1e-14
    )
    rms = optimizer_path(
        _quadratic_gradient, [2.0, 1.0], "rmsprop", 1, 0.1, beta2=0.9
    )
    np.testing.assert_allclose(
        rms[:, 1],
        [2.0, 1.0] - 0.1 * g / (np.sqrt(0.1) * g + 1e-8),
        rtol=1e-14,
    )


def test_momentum_oscillates_less_than_gd() -> None:
    """On an elongated bowl GD zig-zags across the valley; momentum less."""
    W0 = np.array([-2.0, 1.0])
    gd = optimizer_path(_quadratic_gradient, W0, "gd", 60, 0.095)
    momentum = optimizer_path(
        _quadratic_gradient, W0, "momentum", 60, 0.095, beta=0.9
    )
    # steep coordinate w2: GD flips its sign at every step (1 - 0.095 * 20
    # = -0.9), momentum's slower oscillation changes sign far less often
    sign_changes_gd = np.sum(np.diff(np.sign(gd[1])) != 0)
    sign_changes_momentum = np.sum(np.diff(np.sign(momentum[1])) != 0)
    assert sign_changes_gd == 60
    assert sign_changes_momentum <= 10
    zigzag_gd = np.sum(np.abs(np.diff(gd[1])))
    zigzag_momentum = np.sum(np.abs(np.diff(momentum[1])))
    np.testing.assert_allclose(
        zigzag_gd, 1.9 * (1 - 0.9**60) / 0.1, rtol=1e-12
    )  # closed form of GD's zig-zag
    assert zigzag_momentum < 0.5 * zigzag_gd
    for path in (gd, momentum):  # both still converge
        assert np.linalg.norm(path[:, -1]) < 0.02 * np.linalg.norm(W0)


def test_optimizer_path_is_pure_and_rejects_bad_input() -> None:
    W0 = np.array([1.0, 1.0])
    optimizer_path(_quadratic_gradient, W0, "adam", 3)
    np.testing.assert_array_equal(W0, [1.0, 1.0])
    with pytest.raises(ValueError, match="W0 must be 1-D"):
        optimizer_path(_quadratic_gradient, np.ones((2, 1)))
    with pytest.raises(ValueError, match="num_steps"):
        optimizer_path(_quadratic_gradient, W0, num_steps=0)
    with pytest.raises(TypeError, match="num_steps"):
        optimizer_path(_quadratic_gradient, W0, num_steps=2.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="optimizer must be one of"):
        optimizer_path(_quadratic_gradient, W0, "newton")


def test_optimizer_path_rejects_non_callable_gradient() -> None:
    with pytest.raises(TypeError, match="gradient must be callable"):
        optimizer_path(np.ones(2), [1.0, 1.0])
