"""NaN and inf in the data of every public function: refused or documented.

Each data argument of each public function of ``dnnref`` (arrays, dicts
of arrays, caches) is either

- *refused*: a NaN, an inf or a -inf in it raises a ValueError whose
  message names the argument (table ``REFUSED``, tested for each value), or
- *accepted on purpose*: the function's docstring says why, and a test below
  checks what the docstring claims (the NaN comes out where it went in, or
  reaches an output that the next function refuses).

``test_every_data_argument_is_covered`` finds the data arguments from the
signatures, so a new function or argument cannot be left out.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import dnnref
from dnnref import (
    adam_update,
    backward_propagation,
    backward_propagation_bn,
    batchnorm_backward,
    batchnorm_forward,
    dictionary_to_vector,
    forward_propagation,
    forward_propagation_bn,
    gd_update,
    initialize_optimizer_state,
    initialize_parameters,
    initialize_parameters_bn,
    momentum_update,
    random_mini_batches,
    rmsprop_update,
    train_test_split,
    update_parameters,
    vector_to_dictionary,
)

BAD = [np.nan, np.inf, -np.inf]
RNG = np.random.default_rng(0)
X3 = RNG.standard_normal((3, 6))  # (n_x, m)
Y3 = np.array([[0.0, 1.0, 1.0, 0.0, 1.0, 0.0]])
P3 = initialize_parameters([3, 4, 2, 1], "he", np.random.default_rng(1))
P3 = {k: v + 0.1 for k, v in P3.items()}  # nonzero biases
PBN = initialize_parameters_bn([3, 4, 2, 1], "he", np.random.default_rng(2))
Z = RNG.standard_normal((2, 5))
COL = np.array([[0.5], [1.5]])  # an (n[l], 1) column
H = np.array([[2.0, 0.5], [0.5, 1.0]])


def _forward() -> tuple[np.ndarray, list[Any]]:
    return forward_propagation(X3, P3)


def _forward_bn() -> tuple[np.ndarray, list[Any]]:
    return forward_propagation_bn(X3, PBN)


def _bn_cache() -> dict[str, np.ndarray]:
    return batchnorm_forward(Z, COL, COL)[1]


def _poison(value: Any, bad: float, index: int = 0) -> Any:
    """A float copy of ``value`` with ``bad`` at flat ``index``."""
    array = np.array(value, dtype=np.float64)
    array.flat[index] = bad
    return array


def _bn_message(key: str) -> str:
    """What forward_propagation_bn says of a NaN in parameters[key]."""
    name, layer = key.rstrip("0123456789"), key[-1]
    if name == "W":
        return f"NaN or inf in Z{layer}: check X, W{layer}"
    if name == "b":
        return f"NaN or inf in Z{layer}: check X, W{layer} and b{layer}"
    return f"{name} contains NaN or inf"  # batchnorm_forward's, _inference's


# (function, argument, key inside a dict argument or None, valid kwargs,
#  text the message must contain)
Case = tuple[Callable[..., Any], str, str | None, Callable[[], dict], str]
W23 = RNG.standard_normal((2, 3))
REFUSED: list[Case] = [
    (
        dnnref.compute_normalization,
        "X",
        None,
        lambda: {"X": X3},
        "X contains",
    ),
    *[
        (
            dnnref.normalize,
            name,
            None,
            lambda: {
                "X": X3,
                "mu": np.zeros((3, 1)),
                "sigma": np.ones((3, 1)),
            },
            f"{name} contains",
        )
        for name in ("X", "mu", "sigma")
    ],
    (
        dnnref.forward_propagation,
        "X",
        None,
        lambda: {"X": X3, "parameters": P3},
        "NaN or inf in Z1: check X, W1 and b1",
    ),
    *[
        (
            dnnref.forward_propagation,
            "parameters",
            key,
            lambda: {"X": X3, "parameters": P3},
            f"NaN or inf in Z{key[1]}: check X, W{key[1]} and b{key[1]}",
        )
        for key in P3
    ],
    *[
        (
            dnnref.compute_cost,
            name,
            None,
            lambda: {"AL": np.full((1, 6), 0.5), "Y": Y3},
            f"{name} must be",
        )
        for name in ("AL", "Y")
    ],
    *[
        (
            dnnref.compute_cost,
            "parameters",
            key,
            lambda: {
                "AL": np.full((1, 6), 0.5),
                "Y": Y3,
                "parameters": P3,
                "lambd": 0.1,
            },
            f"{key} contains",
        )
        for key in ("W1", "W2", "W3")
    ],
    *[
        (
            dnnref.backward_propagation,
            name,
            None,
            lambda: {"AL": _forward()[0], "Y": Y3, "caches": _forward()[1]},
            f"{name} contains",
        )
        for name in ("AL", "Y")
    ],
    (
        dnnref.predict,
        "X",
        None,
        lambda: {"X": X3, "parameters": P3},
        "X contains",
    ),
    *[
        (
            dnnref.predict,
            "parameters",
            key,
            lambda: {"X": X3, "parameters": P3},
            f"{key} contains",
        )
        for key in P3
    ],
    *[
        (
            dnnref.l2_penalty,
            "parameters",
            key,
            lambda: {"parameters": P3, "lambd": 0.1, "m": 6},
            f"{key} contains",
        )
        for key in ("W1", "W2", "W3")
    ],
    (
        dnnref.dropout_forward,
        "A",
        None,
        lambda: {"A": np.abs(Z), "keep_prob": 0.5},
        "A contains",
    ),
    (
        dnnref.dropout_backward,
        "dA",
        None,
        lambda: {"dA": Z, "D": Z > 0, "keep_prob": 0.5},
        "dA contains",
    ),
    (
        dnnref.dropout_backward,
        "D",
        None,
        lambda: {"dA": Z, "D": Z > 0, "keep_prob": 0.5},
        "D must be a 0/1 (or boolean) mask, no NaN or inf",
    ),
    *[
        (
            update,
            "dW",
            None,
            lambda state=state: {"W": W23, "dW": W23, **state},
            "dW contains",
        )
        for update, state in (
            (dnnref.gd_update, {"learning_rate": 0.1}),
            (dnnref.momentum_update, {"v": np.zeros((2, 3))}),
            (dnnref.rmsprop_update, {"s": np.ones((2, 3))}),
            (dnnref.adam_update, {"v": W23, "s": np.ones((2, 3)), "t": 2}),
        )
    ],
    *[
        (
            update,
            "s",
            None,
            lambda state=state: {"W": W23, "dW": W23, **state},
            "s must be >= 0, no NaN or inf",
        )
        for update, state in (
            (dnnref.rmsprop_update, {"s": np.ones((2, 3))}),
            (dnnref.adam_update, {"v": W23, "s": np.ones((2, 3)), "t": 2}),
        )
    ],
    (
        dnnref.exponentially_weighted_average,
        "theta",
        None,
        lambda: {"theta": np.arange(5.0), "beta": 0.9},
        "theta contains",
    ),
    *[
        (
            dnnref.batchnorm_forward,
            name,
            None,
            lambda: {"Z": Z, "gamma": COL, "beta": COL},
            f"{name} contains",
        )
        for name in ("Z", "gamma", "beta")
    ],
    (
        dnnref.batchnorm_backward,
        "dZ_tilde",
        None,
        lambda: {"dZ_tilde": Z, "cache": _bn_cache()},
        "dZ_tilde contains",
    ),
    *[
        (
            dnnref.batchnorm_inference,
            name,
            None,
            lambda: {
                "Z": Z,
                "gamma": COL,
                "beta": COL,
                "running_mean": COL,
                "running_var": COL,
            },
            f"{name} contains",
        )
        for name in ("Z", "gamma", "beta", "running_mean", "running_var")
    ],
    *[
        (
            dnnref.update_running_averages,
            name,
            None,
            lambda: {
                "running_mean": COL,
                "running_var": COL,
                "mu": COL,
                "var": COL,
            },
            f"{name} contains",
        )
        for name in ("running_mean", "running_var", "mu", "var")
    ],
    *[
        (
            dnnref.gradient_check,
            name,
            None,
            lambda: {
                "f": lambda t: float(np.sum(t**2)),
                "theta": np.arange(3.0),
                "grad": 2 * np.arange(3.0),
            },
            f"{name} contains",
        )
        for name in ("theta", "grad")
    ],
    *[
        (
            function,
            name,
            None,
            lambda: {"W": np.array([1.0, -1.0]), "H": H},
            "W contains" if name == "W" else "H must be symmetric, without",
        )
        for function in (dnnref.quadratic_cost, dnnref.quadratic_gradient)
        for name in ("W", "H")
    ],
    *[
        (
            function,
            "W",
            None,
            lambda: {"W": np.array([0.5, -1.0])},
            "W contains",
        )
        for function in (dnnref.rosenbrock_cost, dnnref.rosenbrock_gradient)
    ],
    (
        dnnref.forward_propagation_bn,
        "X",
        None,
        lambda: {"X": X3, "parameters": PBN},
        "NaN or inf in Z1: check X, W1",
    ),
    *[
        (
            dnnref.forward_propagation_bn,
            "parameters",
            key,
            lambda: {"X": X3, "parameters": PBN, "training": False},
            _bn_message(key),
        )
        for key in PBN
    ],
    *[
        (
            dnnref.forward_propagation_bn,
            "parameters",
            key,
            lambda: {"X": X3, "parameters": PBN},  # training: batch stats
            _bn_message(key),
        )
        for key in PBN
        if not key.startswith("running")
    ],
    *[
        (
            dnnref.backward_propagation_bn,
            name,
            None,
            lambda: {
                "AL": _forward_bn()[0],
                "Y": Y3,
                "caches": _forward_bn()[1],
            },
            f"{name} contains",
        )
        for name in ("AL", "Y")
    ],
    *[
        (
            dnnref.update_bn_averages,
            "parameters",
            key,
            lambda: {"parameters": PBN, "caches": _forward_bn()[1]},
            f"{key[:-1]} contains",  # update_running_averages' argument
        )
        for key in ("running_mean1", "running_var2")
    ],
    (
        dnnref.predict_bn,
        "X",
        None,
        lambda: {"X": X3, "parameters": PBN},
        "NaN or inf in Z1: check X, W1",
    ),
    *[
        (
            dnnref.predict_bn,
            "parameters",
            key,
            lambda: {"X": X3, "parameters": PBN},
            _bn_message(key),
        )
        for key in PBN
    ],
    *[
        (
            dnnref.update_parameters,
            "grads",
            "d" + key,
            lambda: {
                "parameters": P3,
                "grads": {"d" + k: v for k, v in P3.items()},
                "state": {},
            },
            f"{key}: dW contains",
        )
        for key in P3
    ],
    (
        dnnref.update_parameters,
        "state",
        "s",
        lambda: {
            "parameters": {"W": W23},
            "grads": {"dW": W23},
            "state": {"s": {"dW": np.ones((2, 3))}},
            "optimizer": "rmsprop",
        },
        "W: s must be >= 0, no NaN or inf",
    ),
    *[
        (
            dnnref.model,
            name,
            None,
            lambda: {
                "X": X3,
                "Y": Y3,
                "layer_dims": [3, 2, 1],
                "num_epochs": 1,
            },
            f"{name} contains",
        )
        for name in ("X", "Y")
    ],
    (
        dnnref.optimizer_path,
        "W0",
        None,
        lambda: {"gradient": lambda W: W, "W0": [1.0, 2.0]},
        "W0 must be 1-D (n,), without NaN or inf",
    ),
]


def _case_id(case: Case) -> str:
    function, name, key, make_kwargs, _ = case
    test_time = make_kwargs().get("training") is False
    return (
        f"{function.__name__}-{name}"
        + (f"[{key}]" if key else "")
        + ("-test-time" if test_time else "")
    )


@pytest.mark.parametrize("bad", BAD, ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize("case", REFUSED, ids=_case_id)
def test_refused(case: Case, bad: float) -> None:
    function, name, key, make_kwargs, text = case
    kwargs = make_kwargs()
    if key is None:
        kwargs[name] = _poison(kwargs[name], bad)
    elif name == "state":  # {"s": {"dW": s}}
        kwargs[name] = {key: {"dW": _poison(kwargs[name][key]["dW"], bad)}}
    else:  # one array of a dict
        kwargs[name] = {**kwargs[name], key: _poison(kwargs[name][key], bad)}
    with pytest.raises(ValueError, match="NaN or inf") as error:
        function(**kwargs)
    assert text in str(error.value)


def test_refused_mu_and_var_of_the_caches() -> None:
    """update_bn_averages reads the batch statistics of the caches too."""
    for name in ("mu", "var"):
        for bad in BAD:
            _, caches = _forward_bn()
            caches[0][3][name] = _poison(caches[0][3][name], bad)
            with pytest.raises(ValueError, match=f"{name} contains NaN"):
                dnnref.update_bn_averages(PBN, caches)


def test_refused_gradient_values_in_optimizer_path() -> None:
    for bad in BAD:
        with pytest.raises(ValueError, match=r"gradient\(W\) contains NaN"):
            dnnref.optimizer_path(lambda W, bad=bad: W * bad, [1.0, 2.0])


def test_refused_nonfinite_cost_in_gradient_check() -> None:
    with pytest.raises(ValueError, match="f must be finite near theta"):
        dnnref.gradient_check(lambda t: t[0] * np.inf, np.ones(2), [1, 1])


# ------------------------------------------- forward_propagation's check --
# It reads Z[l] = W[l] A[l-1] + b[l] rather than X: these are the places a
# NaN or inf could hide from it if it were not exact.


def test_forward_sees_inf_in_a_feature_with_zero_weights() -> None:
    parameters = {**P3, "W1": P3["W1"].copy()}
    parameters["W1"][:, 0] = 0.0  # feature 0 has no weight: 0 * inf = NaN
    with pytest.raises(ValueError, match="in Z1: check X, W1 and b1"):
        forward_propagation(_poison(X3, np.inf, 0), parameters)


def test_forward_sees_nan_weight_on_a_zero_feature() -> None:
    X = X3.copy()
    X[1] = 0.0  # feature 1 is 0 everywhere: 0 * nan = NaN
    W1 = P3["W1"].copy()
    W1[2, 1] = np.nan
    with pytest.raises(ValueError, match="in Z1: check X, W1 and b1"):
        forward_propagation(X, {**P3, "W1": W1})


def test_forward_sees_minus_inf_that_relu_would_hide() -> None:
    """-inf in W2 makes Z2 = -inf where A1 > 0; ReLU would give 0."""
    parameters = {**P3, "b1": np.full((4, 1), 10.0)}  # A1 > 0 everywhere
    _, caches = forward_propagation(X3, parameters)
    assert np.all(caches[1][0] > 0)
    W2 = parameters["W2"].copy()
    W2[0, :] = -np.inf
    with pytest.raises(ValueError, match="in Z2: check X, W2 and b2"):
        forward_propagation(X3, {**parameters, "W2": W2})
    # the same -inf in a hand-written forward pass gives finite output
    A1 = caches[1][0]
    with np.errstate(invalid="ignore"):  # the BLAS kernel may flag inf
        A2 = np.maximum(W2 @ A1 + parameters["b2"], 0)
    np.testing.assert_array_equal(A2[0], 0.0)


def test_forward_refuses_an_overflowing_Z() -> None:
    X = np.full((3, 6), 1e200)
    with pytest.raises(ValueError, match="NaN or inf in Z1"):
        forward_propagation(X, {**P3, "W1": np.full((4, 3), 1e200)})


def test_forward_with_dropout_checks_every_layer() -> None:
    W3 = _poison(P3["W3"], np.nan, 1)
    with pytest.raises(ValueError, match="in Z3: check X, W3 and b3"):
        forward_propagation(
            X3, {**P3, "W3": W3}, 0.5, np.random.default_rng(0)
        )


# ------------------------------------------------------ accepted on purpose --
# (function, argument): each docstring says why; the tests check the claim.
ACCEPTED = {
    ("gd_update", "W"),
    ("momentum_update", "W"),
    ("momentum_update", "v"),
    ("rmsprop_update", "W"),
    ("adam_update", "W"),
    ("adam_update", "v"),
    ("backward_propagation", "caches"),
    ("backward_propagation_bn", "caches"),
    ("batchnorm_backward", "cache"),
    ("random_mini_batches", "X"),
    ("random_mini_batches", "Y"),
    ("train_test_split", "X"),
    ("train_test_split", "Y"),
    ("dictionary_to_vector", "parameters"),
    ("vector_to_dictionary", "theta"),
    ("initialize_optimizer_state", "parameters"),
    ("update_parameters", "parameters"),
    ("update_parameters", "state"),  # v only: s is refused (REFUSED)
}


@pytest.mark.parametrize("bad", BAD, ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize(
    ("update", "name", "others"),
    [
        (gd_update, "W", {"learning_rate": 0.1}),
        (momentum_update, "W", {"v": W23}),
        (momentum_update, "v", {"v": W23}),
        (momentum_update, "v", {"v": W23, "beta": 0.0}),
        (rmsprop_update, "W", {"s": np.ones((2, 3))}),
        (adam_update, "W", {"v": W23, "s": np.ones((2, 3)), "t": 3}),
        (adam_update, "W", {"v": 0 * W23, "s": 0 * W23, "t": 1}),
        (adam_update, "v", {"v": W23, "s": np.ones((2, 3)), "t": 3}),
        (
            adam_update,
            "v",
            {"v": W23, "s": np.ones((2, 3)), "t": 3, "beta1": 0.0},
        ),
    ],
)
def test_updates_keep_nan_and_inf_in_place(
    update: Callable[..., Any], name: str, others: dict, bad: float
) -> None:
    """The docstrings' claim: elementwise, so the entry stays non-finite."""
    kwargs = {"W": W23, "dW": 0.5 * W23, **others}
    kwargs[name] = _poison(kwargs[name], bad, 4)
    with np.errstate(invalid="ignore"):  # "NumPy may warn": 0 * inf
        result = update(**kwargs)
    W = result if isinstance(result, np.ndarray) else result[0]
    assert not np.isfinite(W.flat[4])
    assert np.isfinite(np.delete(W.ravel(), 4)).all()
    # ... where the forward pass refuses it
    parameters = {**P3, "W2": np.zeros((2, 4))}
    parameters["W2"][:, :3] = W
    with pytest.raises(ValueError, match="in Z2: check X, W2 and b2"):
        forward_propagation(X3, parameters)


@pytest.mark.parametrize("bad", BAD, ids=["nan", "inf", "-inf"])
def test_update_parameters_keeps_nan_in_place(bad: float) -> None:
    parameters = {"W1": _poison(W23, bad, 2), "b1": np.ones((2, 1))}
    grads = {"dW1": W23, "db1": np.ones((2, 1))}
    state = initialize_optimizer_state(parameters, "adam")  # shapes only
    assert all(
        np.isfinite(v).all() for m in state.values() for v in m.values()
    )
    state["v"]["db1"] = _poison(state["v"]["db1"], bad)
    new, _ = update_parameters(parameters, grads, state, "adam", 1)
    assert not np.isfinite(new["W1"].flat[2])
    assert np.isfinite(np.delete(new["W1"].ravel(), 2)).all()
    assert not np.isfinite(new["b1"][0, 0])
    np.testing.assert_allclose(new["b1"][1], 1 - 0.01 / (1 + 1e-8), rtol=1e-15)


@pytest.mark.parametrize("bad", BAD, ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize("batch_norm", [False, True])
def test_nan_in_caches_reaches_the_gradients(
    bad: float, batch_norm: bool
) -> None:
    """Caches are not re-scanned; the optimizer refuses what comes out."""
    forward, backward = (
        (forward_propagation_bn, backward_propagation_bn)
        if batch_norm
        else (forward_propagation, backward_propagation)
    )
    parameters = PBN if batch_norm else P3
    AL, caches = forward(X3, parameters)
    A1 = _poison(caches[1][0], bad, 5)  # an activation of layer 1
    caches[1] = (A1, *caches[1][1:])
    with np.errstate(invalid="ignore"):  # "NumPy may warn": 0 * inf
        grads = backward(AL, Y3, caches)
    assert not np.isfinite(grads["dW2"]).all()
    with pytest.raises(ValueError, match="W2: dW contains NaN or inf"):
        update_parameters(parameters, grads, {}, "gd", 1)


@pytest.mark.parametrize("bad", BAD, ids=["nan", "inf", "-inf"])
def test_nan_in_batchnorm_cache_reaches_dZ_and_dgamma(bad: float) -> None:
    cache = _bn_cache()
    cache["Z_norm"] = _poison(cache["Z_norm"], bad, 3)
    with np.errstate(invalid="ignore"):  # "NumPy may warn": inf - inf
        dZ, dgamma, _ = batchnorm_backward(np.ones_like(Z), cache)
    assert not np.isfinite(dZ).all()
    assert not np.isfinite(dgamma).all()


@pytest.mark.parametrize("bad", BAD, ids=["nan", "inf", "-inf"])
def test_data_movers_keep_nan_in_its_example(bad: float) -> None:
    X, Y = _poison(X3, bad, 7), _poison(Y3, bad, 2)  # X[1, 1], Y[0, 2]
    batches = random_mini_batches(X, Y, 4, np.random.default_rng(0))
    X_t = np.concatenate([b[0] for b in batches], axis=1)
    Y_t = np.concatenate([b[1] for b in batches], axis=1)
    for moved, original in ((X_t, X), (Y_t, Y)):
        assert np.array_equal(
            np.sort(moved, axis=1), np.sort(original, axis=1), equal_nan=True
        )
    split = train_test_split(X, Y, 0.5, np.random.default_rng(0))
    X_all = np.concatenate([split[0], split[2]], axis=1)
    Y_all = np.concatenate([split[1], split[3]], axis=1)
    column = int(np.flatnonzero(~np.isfinite(X_all[1]))[0])
    np.testing.assert_array_equal(X_all[:, column], X[:, 1])
    assert np.isnan(Y_all).sum() + np.isinf(Y_all).sum() == 1
    theta = dictionary_to_vector({"W1": X, "b1": np.ones((3, 1))})
    assert not np.isfinite(theta[7])
    back = vector_to_dictionary(theta, {"W1": (3, 6), "b1": (3, 1)})
    np.testing.assert_array_equal(back["W1"], X)


# ---------------------------------------------------------- completeness --
NOT_DATA = {"layer_dims", "shapes", "keys"}  # sizes and names, not values


def _data_arguments() -> set[tuple[str, str]]:
    found = set()
    for name in dnnref.__all__:
        function = getattr(dnnref, name)
        for argument, p in inspect.signature(function).parameters.items():
            annotation = str(p.annotation)
            if argument not in NOT_DATA and (
                "Array" in annotation
                or "ndarray" in annotation
                or annotation.startswith(("dict", "list["))
            ):
                found.add((name, argument))
    return found


def test_every_data_argument_is_covered() -> None:
    refused = {(f.__name__, name) for f, name, *_ in REFUSED} | {
        ("update_bn_averages", "caches"),  # test_refused_mu_and_var_...
    }
    data = _data_arguments()
    assert len(data) > 60
    missing = data - refused - ACCEPTED
    assert not missing, f"no NaN/inf test for {sorted(missing)}"
    assert not (refused | ACCEPTED) - data, "stale entries"


@pytest.mark.parametrize(("name", "argument"), sorted(ACCEPTED))
def test_accepted_arguments_are_documented(name: str, argument: str) -> None:
    doc = getattr(dnnref, name).__doc__ or ""
    assert "NaN" in doc
    assert f"``{argument}``" in doc or name in {
        "dictionary_to_vector",
        "vector_to_dictionary",
        "random_mini_batches",
        "train_test_split",
        "update_parameters",
    }
