"""Checks of ``dnnref.regularization``: L2 penalty, dropout both ways."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from dnnref.checks._cases import _Case, _gen, _Rng, _slips, _Spec
from dnnref.checks._engine import _callable, _check
from dnnref.checks._initialization import _network
from dnnref.checks._result import CheckResult
from dnnref.regularization import dropout_backward, dropout_forward, l2_penalty


def _l2_slip(
    parameters: dict[str, Any] | None, lambd: float, m: int, slip: str
) -> float:
    keys = ("W", "b") if slip == "biases" else ("W",)
    squares = [
        np.linalg.norm(W) if slip == "not-squared" else np.sum(np.square(W))
        for k, W in (parameters or {}).items()
        if k[:1] in keys and k[1:].isdigit()
    ]
    divisor = {"over-m": m, "no-m": 2}.get(slip, 2 * m)
    return float(lambd / divisor * sum(squares))


def _l2_penalty_slip(
    parameters: dict[str, Any], lambd: float, m: int, *, slip: str
) -> float:
    return _l2_slip(parameters, lambd, m, slip)


_L2_SLIPS = (  # the L2 term's slips, in compute_cost and l2_penalty
    (
        "L2 term over m instead of 2m",
        (
            "The penalty is lambd / (2 * m) times the sum of squares: the 1/2 "
            "is missing."
        ),
        "over-m",
    ),
    (
        "L2 term not divided by m",
        "Divide by 2 * m: lambd / (2 * m) * sum of np.sum(np.square(W)).",
        "no-m",
    ),
    (
        "biases in the L2 term",
        "Only the weights W[l] are penalized; leave the b[l] out.",
        "biases",
    ),
    (
        "norms not squared",
        (
            "Use the squared Frobenius norm, np.sum(np.square(W)), not "
            "np.linalg.norm(W)."
        ),
        "not-squared",
    ),
)

_L2 = _Spec(l2_penalty, ("penalty",), _slips(_l2_penalty_slip, *_L2_SLIPS))


def _l2_cases() -> list[_Case]:
    cases = []
    for words, dims, lambd, m in (
        ("3 layers, lambd = 0.7, m = 5", [4, 5, 3, 1], 0.7, 5),
        ("one example (m = 1)", [3, 2, 1], 0.1, 1),
        ("lambd = 0", [2, 2, 1], 0.0, 4),
        ("one layer, lambd = 2, m = 10", [3, 1], 2.0, 10),
    ):
        _, _, parameters = _network(dims, 2, 30 + len(dims))
        args = {"parameters": parameters, "lambd": lambd, "m": m}
        cases.append(_Case(words, args))
    return cases


def check_l2_penalty(fn: Callable[..., Any]) -> CheckResult:
    r"""Check your ``l2_penalty(parameters, lambd, m)``.

    Compares the float ``fn(parameters, lambd, m)`` with
    :func:`~dnnref.regularization.l2_penalty`,
    :math:`\frac{\lambda}{2m}\sum_l \lVert W^{[l]} \rVert_F^2`, on 4 cases
    (biases are nonzero and must be left out).

    Diagnoses: L2 term over m instead of 2m; L2 term not divided by m;
    biases in the L2 term; norms not squared.

    Parameters
    ----------
    fn : callable
        Your function ``fn(parameters, lambd, m)`` returning a float.

    Returns
    -------
    CheckResult
        ``.passed``, and the first failure and likely mistake if not.

    Examples
    --------
    >>> check_l2_penalty(l2_penalty)
    PASSED: l2_penalty matches the reference on 4 cases.
    """
    return _check(_L2, _callable(fn), _l2_cases())


# ---------------------------------------------------------------------------
# Dropout, one layer


def _dropped(A: Any, keep_prob: float, rng: Any, slip: str) -> tuple[Any, Any]:
    """``(A_dropped, D)``: inverted dropout with ``slip`` made.

    ``slip`` is one of _DROPOUT_SLIPS' or "reversed"; any other leaves the
    dropout right.
    """
    shape = {
        "mask-shape": (A.shape[0], 1),
        "mask-per-example": (1, A.shape[1]),
        "transposed": A.shape[::-1],
    }.get(slip, A.shape)
    draw = rng.standard_normal if slip == "randn" else rng.random
    U = draw(shape)
    if slip == "transposed":
        U = U.T
    D = np.greater(U, keep_prob) if slip == "reversed" else keep_prob > U
    A_dropped = {
        "no-rescale": A * D,
        "multiply": A * D * keep_prob,
    }.get(slip, A * D / keep_prob)
    return A_dropped, D


def _dropout_forward_slip(
    A: Any, keep_prob: float, rng: Any = None, *, slip: str
) -> tuple[Any, Any]:
    if keep_prob == 1 and slip not in {
        "reversed",
        "mask-shape",
        "mask-per-example",
    }:
        D = np.ones(A.shape, dtype=bool)  # the reference draws nothing
        A_dropped = A * D
    else:
        A_dropped, D = _dropped(A, keep_prob, rng, slip)
    return (D, A_dropped) if slip == "swapped" else (A_dropped, D)


# the mask's slips, in dropout_forward and forward_propagation
_DROPOUT_SLIPS = (
    (
        "dropout not rescaled by keep_prob",
        (
            "Inverted dropout divides what is kept by keep_prob: "
            "A * D / keep_prob."
        ),
        "no-rescale",
    ),
    (
        "multiplied by keep_prob",
        (
            "Divide by keep_prob, don't multiply: the kept units grow so "
            "the expected activation stays the same."
        ),
        "multiply",
    ),
    (
        "mask drawn with the wrong shape",
        (
            "Draw one number per unit and example: rng.random(A.shape), "
            "shape (n[l], m), not one per unit."
        ),
        "mask-shape",
    ),
    (
        "mask drawn with the wrong shape: one per example",
        (
            "Draw one number per unit and example: rng.random(A.shape), "
            "shape (n[l], m), not one per example (1, m)."
        ),
        "mask-per-example",
    ),
    (
        "mask drawn in the wrong order",
        (
            "Draw rng.random(A.shape) in A's own shape (n[l], m); drawing "
            "(m, n[l]) and transposing gives other masks."
        ),
        "transposed",
    ),
    (
        "mask drawn with standard_normal",
        (
            "The mask compares uniform draws with keep_prob: "
            "rng.random(A.shape) < keep_prob (rand, not randn)."
        ),
        "randn",
    ),
)

_DROPOUT_FORWARD = _Spec(
    dropout_forward,
    ("A_dropped", "D"),
    _slips(
        _dropout_forward_slip,
        *_DROPOUT_SLIPS,
        (
            "mask reversed",
            (
                "Keep a unit where rng.random(A.shape) < keep_prob (True = "
                "kept), not >: that keeps it with probability 1 - keep_prob."
            ),
            "reversed",
        ),
        (
            "outputs swapped",
            "Return A_dropped first, then the mask: return A_dropped, D.",
            "swapped",
        ),
    ),
)


def _dropout_forward_cases() -> list[_Case]:
    gen = _gen(60)
    cases = []
    for words, shape, keep_prob, rng in (
        ("keep_prob = 0.8, RandomState(1)", (4, 5), 0.8, ("legacy", 1)),
        ("keep_prob = 0.5, default_rng(0)", (3, 6), 0.5, ("default", 0)),
        ("keep_prob = 1: nothing is dropped", (3, 4), 1.0, ("default", 3)),
        ("one unit, one example", (1, 1), 0.7, ("default", 5)),
        ("keep_prob = 0.3, RandomState(2)", (2, 7), 0.3, ("legacy", 2)),
    ):
        A = np.maximum(gen.standard_normal(shape), 0) + 0.1  # ReLU outputs
        args = {"A": A, "keep_prob": keep_prob, "rng": _Rng(*rng)}
        cases.append(_Case(words, args))
    return cases


def check_dropout_forward(fn: Callable[..., Any]) -> CheckResult:
    r"""Check your ``dropout_forward(A, keep_prob, rng)``: inverted dropout.

    Compares ``A_dropped, D = fn(A, keep_prob, rng=...)`` with
    :func:`~dnnref.regularization.dropout_forward` on 5 cases, with a legacy
    ``np.random.RandomState`` (the course's masks) and a
    ``np.random.default_rng``: the mask must be ``rng.random(A.shape) <
    keep_prob``, and nothing is dropped when ``keep_prob = 1``.  ``D`` may
    be boolean or 0/1.

    Diagnoses: dropout not rescaled by keep_prob; multiplied by
    keep_prob; mask reversed; mask drawn with the wrong shape; mask drawn
    with the wrong shape: one per example; mask drawn in the wrong order;
    mask drawn with standard_normal; outputs swapped; ignores rng;
    rng.rand on a Generator.

    Parameters
    ----------
    fn : callable
        Your function ``fn(A, keep_prob, rng=None)`` returning
        ``(A_dropped, D)``.

    Returns
    -------
    CheckResult
        ``.passed``, and the first failure and likely mistake if not.

    Examples
    --------
    >>> check_dropout_forward(dropout_forward)
    PASSED: dropout_forward matches the reference on 5 cases.
    >>> def not_rescaled(A, keep_prob, rng=None):
    ...     D = rng.random(A.shape) < keep_prob
    ...     return A * D, D
    >>> check_dropout_forward(not_rescaled).mistake
    'dropout not rescaled by keep_prob'
    """
    return _check(_DROPOUT_FORWARD, _callable(fn), _dropout_forward_cases())


def _dropout_backward_slip(
    dA: Any, D: Any, keep_prob: float, *, slip: str
) -> Any:
    return {
        "no-rescale": dA * D,
        "no-mask": dA / keep_prob,
        "multiply": dA * D * keep_prob,
    }.get(slip, dA * (1 - D) / keep_prob)  # "inverted"


_DROPOUT_BACKWARD = _Spec(
    dropout_backward,
    ("dA",),
    _slips(
        _dropout_backward_slip,
        (
            "not rescaled by keep_prob",
            (
                "Divide by keep_prob, as the forward pass did: dA * D / "
                "keep_prob."
            ),
            "no-rescale",
        ),
        (
            "mask not applied",
            "Shut down the same units as the forward pass: multiply by D.",
            "no-mask",
        ),
        (
            "multiplied by keep_prob",
            "Divide by keep_prob, don't multiply.",
            "multiply",
        ),
        (
            "mask inverted",
            "D is True (1) where a unit was kept: multiply by D, not 1 - D.",
            "inverted",
        ),
    ),
)


def _dropout_backward_cases() -> list[_Case]:
    gen = _gen(70)
    D1 = gen.random((4, 5)) < 0.8
    D2 = (gen.random((3, 6)) < 0.5).astype(int)  # 0/1, as the course does
    return [
        _Case(
            "boolean mask, keep_prob = 0.8",
            {"dA": gen.standard_normal((4, 5)), "D": D1, "keep_prob": 0.8},
        ),
        _Case(
            "0/1 integer mask, keep_prob = 0.5",
            {"dA": gen.standard_normal((3, 6)), "D": D2, "keep_prob": 0.5},
        ),
        _Case(
            "keep_prob = 1, nothing dropped",
            {
                "dA": gen.standard_normal((2, 3)),
                "D": np.ones((2, 3), dtype=bool),
                "keep_prob": 1.0,
            },
        ),
        _Case(
            "one unit, one example, dropped",
            {"dA": np.array([[0.7]]), "D": np.array([[0]]), "keep_prob": 0.6},
        ),
    ]


def check_dropout_backward(fn: Callable[..., Any]) -> CheckResult:
    r"""Check your ``dropout_backward(dA, D, keep_prob)``.

    Compares ``fn(dA, D, keep_prob)`` with
    :func:`~dnnref.regularization.dropout_backward`, ``dA * D / keep_prob``, on
    4 cases: a boolean mask, a 0/1 mask, ``keep_prob = 1`` and one dropped
    unit.

    Diagnoses: not rescaled by keep_prob; mask not applied; multiplied by
    keep_prob; mask inverted.

    Parameters
    ----------
    fn : callable
        Your function ``fn(dA, D, keep_prob)`` returning ``dA``.

    Returns
    -------
    CheckResult
        ``.passed``, and the first failure and likely mistake if not.

    Examples
    --------
    >>> check_dropout_backward(dropout_backward)
    PASSED: dropout_backward matches the reference on 4 cases.
    >>> check_dropout_backward(lambda dA, D, keep_prob: dA * D).mistake
    'not rescaled by keep_prob'
    """
    return _check(_DROPOUT_BACKWARD, _callable(fn), _dropout_backward_cases())
