"""Checks of ``dnnref.network``: forward (dropout), cost (L2), backward."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from dnnref.checks._cases import _Case, _gen, _given, _Rng, _slips, _Spec
from dnnref.checks._engine import _callable, _check
from dnnref.checks._initialization import _network
from dnnref.checks._regularization import (
    _DROPOUT_SLIPS,
    _L2_SLIPS,
    _dropped,
    _l2_slip,
)
from dnnref.checks._result import CheckResult
from dnnref.network import (
    backward_propagation,
    compute_cost,
    forward_propagation,
)


def _forward_slip(
    X: Any,
    parameters: dict[str, Any],
    keep_prob: float = 1.0,
    rng: Any = None,
    *,
    slip: str,
) -> tuple[Any, Any]:
    def drop(A: Any) -> Any:
        return _dropped(A, keep_prob, rng, slip)[0]

    dropout = keep_prob < 1 and slip != "no-dropout"
    L = len(parameters) // 2
    A = drop(X) if dropout and slip == "input" else X
    for layer in range(1, L + 1):
        Z = parameters[f"W{layer}"] @ A + parameters[f"b{layer}"]
        A = np.maximum(Z, 0) if layer < L else 1 / (1 + np.exp(-Z))
        if dropout and (layer < L or slip == "output"):
            A = drop(A)
    return A, None


_FORWARD = _Spec(
    forward_propagation,
    ("AL", "caches"),
    _slips(
        _forward_slip,
        *_DROPOUT_SLIPS,
        (
            "dropout on the input X",
            (
                "Dropout acts on the hidden activations A1, ..., A[L-1]; X is "
                "never dropped, so no mask is drawn for it."
            ),
            "input",
        ),
        (
            "dropout on the output layer",
            (
                "Stop after the last hidden layer: the output A[L] is never "
                "dropped."
            ),
            "output",
        ),
        (
            "dropout not applied",
            (
                "With keep_prob < 1, draw D = rng.random(A.shape) < keep_prob "
                "after each hidden ReLU and use it."
            ),
            "no-dropout",
        ),
    ),
    compared=(0,),
)


def _forward_cases() -> list[_Case]:
    table = [
        ("no dropout (keep_prob left at 1)", [3, 4, 3, 1], 5, None, None),
        (
            "keep_prob = 0.8, RandomState(1)",
            [3, 4, 3, 1],
            5,
            0.8,
            _Rng("legacy", 1),
        ),
        (
            "keep_prob = 0.5, default_rng(2)",
            [3, 5, 4, 1],
            6,
            0.5,
            _Rng("default", 2),
        ),
        (
            "one example (m = 1), keep_prob = 0.7",
            [3, 4, 1],
            1,
            0.7,
            _Rng("default", 3),
        ),
        (
            "one feature (n_x = 1), keep_prob = 0.6",
            [1, 6, 1],
            4,
            0.6,
            _Rng("legacy", 4),
        ),
        ("keep_prob = 1 with an rng", [2, 3, 1], 3, 1.0, _Rng("default", 5)),
    ]
    cases = []
    for k, (words, dims, m, keep_prob, rng) in enumerate(table):
        X, _, parameters = _network(dims, m, 10 + k)
        args = _given(X=X, parameters=parameters, keep_prob=keep_prob, rng=rng)
        cases.append(_Case(words, args))
    return cases


def check_forward_propagation(fn: Callable[..., Any]) -> CheckResult:
    r"""Check your ``forward_propagation(X, parameters, keep_prob, rng)``.

    Compares ``AL`` of ``AL, caches = fn(X, parameters, keep_prob=...,
    rng=...)`` with :func:`~dnnref.network.forward_propagation`'s
    ([LINEAR->RELU] x (L-1) -> LINEAR -> SIGMOID, inverted dropout on the
    hidden layers) on 6 cases, without dropout and with masks drawn as
    ``rng.random(A.shape) < keep_prob`` for D1, D2, ... in order, from a legacy
    ``np.random.RandomState`` and a ``np.random.default_rng``. ``caches`` may
    be anything (your backward pass reads it).

    Diagnoses: dropout not rescaled by keep_prob; multiplied by keep_prob;
    mask drawn with the wrong shape; mask drawn with the wrong shape: one
    per example; mask drawn in the wrong order; mask drawn with
    standard_normal;
    dropout on the input X; dropout on the output layer; dropout not
    applied; ignores rng; rng.rand on a Generator.

    Parameters
    ----------
    fn : callable
        Your function ``fn(X, parameters, keep_prob=1.0, rng=None)``
        returning ``(AL, caches)``.

    Returns
    -------
    CheckResult
        ``.passed``, and the first failure and likely mistake if not.

    Examples
    --------
    >>> check_forward_propagation(forward_propagation)
    PASSED: forward_propagation matches the reference on 6 cases.
    """
    return _check(_FORWARD, _callable(fn), _forward_cases())


def _cost_slip(
    AL: Any,
    Y: Any,
    parameters: dict[str, Any] | None = None,
    lambd: float = 0.0,
    *,
    slip: str,
) -> float:
    m = Y.shape[1]
    losses = Y * np.log(AL) + (1 - Y) * np.log(1 - AL)
    cost = -np.sum(losses) / (1 if slip == "sum" else m)
    cost = -cost if slip == "sign" else cost
    return float(cost) + _l2_slip(parameters, lambd, m, slip)


_COST = _Spec(
    compute_cost,
    ("cost",),
    _slips(
        _cost_slip,
        *_L2_SLIPS,
        (
            "cross-entropy summed, not averaged",
            "Divide the sum of the m losses by m.",
            "sum",
        ),
        (
            "minus sign missing",
            (
                "The cost is -(1/m) * sum(Y * log(AL) + (1 - Y) * "
                "log(1 - AL)), a positive number."
            ),
            "sign",
        ),
    ),
)


def _cost_cases() -> list[_Case]:
    cases = []
    for words, dims, m, lambd in (
        ("no L2 (lambd left at 0)", [4, 3, 1], 8, None),
        ("L2, lambd = 0.7, 3 layers", [4, 5, 3, 1], 8, 0.7),
        ("L2, lambd = 0.1, one example (m = 1)", [3, 2, 1], 1, 0.1),
        ("parameters given but lambd = 0", [2, 2, 1], 5, 0.0),
        ("L2, lambd = 2, one layer", [3, 1], 6, 2.0),
    ):
        _, Y, parameters = _network(dims, m, 20 + m + len(dims))
        AL = _gen(m).uniform(0.05, 0.95, (1, m))
        l2 = (
            {} if lambd is None else {"parameters": parameters, "lambd": lambd}
        )
        cases.append(_Case(words, {"AL": AL, "Y": Y, **l2}))
    return cases


def check_compute_cost(fn: Callable[..., Any]) -> CheckResult:
    r"""Check your ``compute_cost(AL, Y, parameters, lambd)``.

    Compares the float ``fn(AL, Y, parameters, lambd=...)`` with
    :func:`~dnnref.network.compute_cost` (cross-entropy plus
    :math:`\frac{\lambda}{2m}\sum_l \lVert W^{[l]} \rVert_F^2`) on 5 cases:
    without L2, with L2 for 1 to 3 layers, one example, lambd = 0.

    Diagnoses: L2 term over m instead of 2m; L2 term not divided by m;
    biases in the L2 term; norms not squared; cross-entropy summed, not
    averaged; minus sign missing; returns an array, not a number.

    Parameters
    ----------
    fn : callable
        Your function ``fn(AL, Y, parameters=None, lambd=0.0)`` returning
        a float.

    Returns
    -------
    CheckResult
        ``.passed``, and the first failure and likely mistake if not.

    Examples
    --------
    >>> check_compute_cost(compute_cost)
    PASSED: compute_cost matches the reference on 5 cases.
    >>> def over_m(AL, Y, parameters=None, lambd=0.0):
    ...     m = Y.shape[1]
    ...     cost = -np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))
    ...     if lambd > 0:
    ...         W = [parameters[k] for k in parameters if k[0] == "W"]
    ...         cost += lambd / m * sum(np.sum(w**2) for w in W)
    ...     return float(cost)
    >>> result = check_compute_cost(over_m)
    >>> print(result.mistake, "-", result.hint)
    L2 term over m instead of 2m - The penalty is lambd / (2 * m) times
    the sum of squares: the 1/2 is missing.
    """
    return _check(_COST, _callable(fn), _cost_cases())


def _backward_slip(
    AL: Any,
    Y: Any,
    caches: list[Any],
    lambd: float = 0.0,
    keep_prob: float = 1.0,
    *,
    slip: str,
) -> dict[str, Any]:
    m = Y.shape[1]
    dZ = (AL - Y) if slip == "no-mean" else (AL - Y) / m
    l2 = {"l2-half": lambd / (2 * m), "l2-no-m": lambd, "l2-missing": 0.0}
    grads = {}
    for layer in range(len(caches), 0, -1):
        A_prev, W, D_prev = caches[layer - 1]
        grads[f"dW{layer}"] = dZ @ A_prev.T + l2.get(slip, lambd / m) * W
        db = np.sum(dZ, axis=1, keepdims=slip != "db-shape")
        grads[f"db{layer}"] = db * m if slip == "db-no-mean" else db
        dA = W.T @ dZ
        if D_prev is not None:  # (forgetting D alone changes nothing:
            # A_prev > 0 below is False where D_prev dropped a unit)
            dA = (
                dA * D_prev
                if slip == "no-rescale"
                else dA * D_prev / keep_prob
            )
        dZ = dA * (A_prev > 0)
    return grads


_BACKWARD = _Spec(
    backward_propagation,
    ("grads",),
    _slips(
        _backward_slip,
        (
            "L2 gradient lambd / (2m) * W",
            (
                "The derivative of lambd / (2m) * ||W||^2 is lambd / m * W: "
                "the 2 of the square cancels the 1/2."
            ),
            "l2-half",
        ),
        (
            "L2 gradient not divided by m",
            "Add lambd / m * W to dW, not lambd * W.",
            "l2-no-m",
        ),
        (
            "L2 gradient missing",
            "With lambd > 0, add lambd / m * W[l] to every dW[l].",
            "l2-missing",
        ),
        (
            "dropout backward not rescaled by keep_prob",
            (
                "Multiply dA[l] by the forward pass's mask D[l] (in the "
                "caches) and divide it by keep_prob, as the forward pass did."
            ),
            "no-rescale",
        ),
        (
            "no 1/m in the gradients",
            (
                "Average over the examples: dW = dZ @ A_prev.T / m and "
                "db = np.sum(dZ, axis=1, keepdims=True) / m."
            ),
            "no-mean",
        ),
        (
            "db not divided by m",
            "db = np.sum(dZ, axis=1, keepdims=True) / m, like dW.",
            "db-no-mean",
        ),
        (
            "db lost its column shape (keepdims)",
            "np.sum(dZ, axis=1, keepdims=True) keeps db at (n[l], 1).",
            "db-shape",
        ),
    ),
    extra_keys=True,
)


def _backward_cases() -> list[_Case]:
    table = [
        ("no regularization (defaults)", [4, 5, 3, 1], 6, None, None),
        ("L2, lambd = 0.7", [4, 5, 3, 1], 6, 0.7, None),
        ("dropout, keep_prob = 0.8", [4, 5, 3, 1], 6, None, 0.8),
        (
            "L2 and dropout, lambd = 0.3, keep_prob = 0.6",
            [3, 6, 1],
            5,
            0.3,
            0.6,
        ),
        ("one example (m = 1), lambd = 0.5", [3, 4, 1], 1, 0.5, None),
        ("one feature (n_x = 1), lambd = 0.2", [1, 3, 1], 4, 0.2, None),
    ]
    cases = []
    for k, (words, dims, m, lambd, keep_prob) in enumerate(table):
        X, Y, parameters = _network(dims, m, 40 + k)
        AL, caches = forward_propagation(
            X, parameters, keep_prob or 1.0, _gen(50 + k)
        )
        args = _given(
            AL=AL, Y=Y, caches=caches, lambd=lambd, keep_prob=keep_prob
        )
        shown = {
            "caches": f"caches = {len(caches)} tuples (A_prev, W, D_prev) "
            "from dnnref.forward_propagation"
        }
        cases.append(_Case(words, args, shown))
    return cases


def check_backward_propagation(fn: Callable[..., Any]) -> CheckResult:
    r"""Check your ``backward_propagation(AL, Y, caches, lambd, keep_prob)``.

    Builds ``AL, caches`` with :func:`~dnnref.network.forward_propagation` (so
    ``caches[l - 1] = (A_prev, W, D_prev)``, ``D_prev`` the dropout mask of
    ``A_prev`` or None) and compares the ``"dW1", "db1", ...`` of ``fn(AL, Y,
    caches, lambd=..., keep_prob=...)`` with
    :func:`~dnnref.network.backward_propagation` on 6 cases: plain, L2,
    dropout, both, one example, one feature.  Other keys (``"dA1"``, ...) are
    allowed.

    Diagnoses: L2 gradient lambd / (2m) * W; L2 gradient not divided by
    m; L2 gradient missing; dropout backward not rescaled by keep_prob;
    no 1/m in the gradients; db not divided by m; db lost its column
    shape (keepdims).

    Parameters
    ----------
    fn : callable
        Your function ``fn(AL, Y, caches, lambd=0.0, keep_prob=1.0)``
        returning the grads dict.

    Returns
    -------
    CheckResult
        ``.passed``, and the first failure and likely mistake if not.

    Examples
    --------
    >>> check_backward_propagation(backward_propagation)
    PASSED: backward_propagation matches the reference on 6 cases.
    """
    return _check(_BACKWARD, _callable(fn), _backward_cases())
