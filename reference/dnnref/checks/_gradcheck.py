"""Check of ``dnnref.gradcheck``: gradient_check."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from dnnref.checks._cases import _Case, _gen, _given, _slips, _Spec
from dnnref.checks._engine import _callable, _check
from dnnref.checks._result import CheckResult
from dnnref.gradcheck import gradient_check


def _gradient_check_slip(
    f: Callable[..., Any],
    theta: Any,
    grad: Any,
    epsilon: float = 1e-7,
    *,
    slip: str,
) -> float:
    approx = np.empty_like(theta)
    plus, minus = theta.copy(), theta.copy()
    for i in range(theta.size):
        if slip != "accumulate":
            plus, minus = theta.copy(), theta.copy()
        plus[i] += epsilon
        minus[i] -= epsilon
        if slip == "one-sided":
            approx[i] = (f(plus) - f(theta)) / epsilon
        else:
            two = 1 if slip == "no-two" else 2
            approx[i] = (f(plus) - f(minus)) / (two * epsilon)
    numerator = np.linalg.norm(grad - approx)
    if slip == "absolute":
        return float(numerator)
    denominator = np.linalg.norm(grad) + np.linalg.norm(approx)
    if denominator == 0 and slip != "no-guard":
        return 0.0
    return float(numerator / denominator)


def _cubic(theta: Any) -> float:
    """f(theta) = sum(theta**3) + theta[0] * theta[1]."""
    return float(np.sum(theta**3) + theta[0] * theta[1])


def _cubic_grad(theta: Any) -> Any:
    grad = 3 * theta**2
    grad[0] += theta[1]
    grad[1] += theta[0]
    return grad


def _quadratic(theta: Any) -> float:
    """f(theta) = sum(theta**2) / 2 + sum(theta)."""
    return float(np.sum(theta**2) / 2 + np.sum(theta))


def _square(theta: Any) -> float:
    """f(theta) = sum(theta**2), at its minimum theta = 0."""
    return float(np.sum(theta**2))


def _cube(theta: Any) -> float:
    """f(theta) = sum(theta**3)."""
    return float(np.sum(theta**3))


_GRADIENT_CHECK = _Spec(
    gradient_check,
    ("difference",),
    _slips(
        _gradient_check_slip,
        (
            "one-sided differences",
            (
                "Use central differences: (f(theta_plus) - f(theta_minus)) / "
                "(2 * epsilon), accurate to epsilon**2 instead of epsilon."
            ),
            "one-sided",
        ),
        (
            "2 missing in 2 epsilon",
            (
                "Divide f(theta_plus) - f(theta_minus) by 2 * epsilon: the "
                "two points are 2 * epsilon apart."
            ),
            "no-two",
        ),
        (
            "difference not normalized",
            "Divide ||grad - approx|| by ||grad|| + ||approx||.",
            "absolute",
        ),
        (
            "perturbations accumulate",
            (
                "Copy theta inside the loop (theta_plus = theta.copy()), so "
                "each step moves one entry only."
            ),
            "accumulate",
        ),
        (
            "0 / 0 when both gradients are zero",
            "Return 0.0 when ||grad|| + ||approx|| is 0.",
            "no-guard",
        ),
    ),
    atol=1e-7,  # a right gradient gives ~1e-9 of round-off either way
)


def _gradient_check_cases() -> list[_Case]:
    theta = _gen(200).normal(0, 1, 6)
    wrong = _cubic_grad(theta)
    wrong[2] += 0.5
    q = np.array([0.5, -1.0, 2.0])
    one = np.array([0.7])
    rows: list[tuple[str, Any, Any, Any, float | None]] = [
        (
            "a right gradient, epsilon = 1e-7",
            _cubic,
            theta,
            _cubic_grad(theta),
            None,
        ),
        ("one wrong entry, grad[2]", _cubic, theta, wrong, None),
        (
            "grad twice too large, epsilon = 1e-4",
            _cubic,
            theta,
            2 * _cubic_grad(theta),
            1e-4,
        ),
        ("a right gradient, epsilon = 1e-2", _quadratic, q, q + 1, 1e-2),
        ("one parameter (n = 1), wrong", _cube, one, 2 * one**2, 1e-3),
        (
            "both gradients zero, at a minimum",
            _square,
            np.zeros(3),
            np.zeros(3),
            None,
        ),
    ]
    return [
        _Case(words, _given(f=f, theta=theta_, grad=grad, epsilon=epsilon))
        for words, f, theta_, grad, epsilon in rows
    ]


def check_gradient_check(fn: Callable[..., Any]) -> CheckResult:
    r"""Check your ``gradient_check(f, theta, grad, epsilon)``.

    Compares the float ``fn(f, theta, grad, epsilon=...)`` with
    :func:`~dnnref.gradcheck.gradient_check` (central differences, relative
    difference) on 6 cases: right and wrong gradients, epsilon from 1e-7
    to 1e-2, one parameter, both gradients zero (the difference is 0).
    Differences below 1e-7 count as equal: that is round-off.

    Diagnoses: one-sided differences; 2 missing in 2 epsilon; difference
    not normalized; perturbations accumulate; 0 / 0 when both gradients
    are zero; modifies its input (theta).

    Parameters
    ----------
    fn : callable
        Your function ``fn(f, theta, grad, epsilon=1e-7)`` returning a
        float.

    Returns
    -------
    CheckResult
        ``.passed``, and the first failure and likely mistake if not.

    Examples
    --------
    >>> check_gradient_check(gradient_check)
    PASSED: gradient_check matches the reference on 6 cases.
    >>> def one_sided(f, theta, grad, epsilon=1e-7):
    ...     approx = np.zeros_like(theta)
    ...     for i in range(theta.size):
    ...         plus = theta.copy()
    ...         plus[i] += epsilon
    ...         approx[i] = (f(plus) - f(theta)) / epsilon
    ...     difference = np.linalg.norm(grad - approx)
    ...     total = np.linalg.norm(grad) + np.linalg.norm(approx)
    ...     return float(difference / total) if total else 0.0
    >>> check_gradient_check(one_sided).mistake
    'one-sided differences'
    """
    return _check(_GRADIENT_CHECK, _callable(fn), _gradient_check_cases())
