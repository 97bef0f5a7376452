"""Check of ``dnnref.optimizers``' exponentially weighted average."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from dnnref.checks._cases import _Case, _gen, _given, _slips, _Spec
from dnnref.checks._engine import _callable, _check
from dnnref.checks._result import CheckResult
from dnnref.optimizers import exponentially_weighted_average


def _ewa_slip(
    theta: Any, beta: float, bias_correction: bool = False, *, slip: str
) -> Any:
    correct = bias_correction and slip != "no-correction"
    correct = correct or slip == "always"
    v_t = theta[0] if slip == "v0-theta" else 0.0
    v = []
    for t, theta_t in enumerate(theta, start=1):
        v_t = {
            "swapped": (1 - beta) * v_t + beta * theta_t,
            "no-one-minus": beta * v_t + theta_t,
        }.get(slip, beta * v_t + (1 - beta) * theta_t)
        power = t - 1 if slip == "t-from-0" else t
        v.append(v_t / (1 - beta**power) if correct else v_t)
        if slip == "fed-back" and correct:
            v_t = v[-1]
    return np.array(v)


_EWA = _Spec(
    exponentially_weighted_average,
    ("v",),
    _slips(
        _ewa_slip,
        (
            "no bias correction",
            "With bias_correction=True, return v_t / (1 - beta**t).",
            "no-correction",
        ),
        (
            "bias correction always applied",
            "Divide by 1 - beta**t only when bias_correction is True.",
            "always",
        ),
        (
            "t counted from 0",
            (
                "The first value is t = 1: correct with 1 - beta**t, t = 1, "
                "2, ... (enumerate(theta, start=1))."
            ),
            "t-from-0",
        ),
        (
            "started from theta[0] instead of 0",
            "Start from v_0 = 0; the bias correction is what fixes the start.",
            "v0-theta",
        ),
        (
            "beta and 1 - beta swapped",
            "The past gets beta: v_t = beta * v_(t-1) + (1 - beta) * theta_t.",
            "swapped",
        ),
        (
            "(1 - beta) missing",
            (
                "v_t = beta * v_(t-1) + (1 - beta) * theta_t: weight the new "
                "value by 1 - beta."
            ),
            "no-one-minus",
        ),
        (
            "corrected value fed back",
            (
                "Keep averaging the uncorrected v_t; only the returned value "
                "is divided by 1 - beta**t."
            ),
            "fed-back",
        ),
    ),
)


def _ewa_cases() -> list[_Case]:
    gen = _gen(130)
    days = np.arange(30)
    temperatures = 15 + 8 * np.sin(days / 5) + gen.normal(0, 2, 30)
    short = gen.normal(10, 3, 5)
    rows = [
        ("30 temperatures, beta = 0.9", temperatures, 0.9, None),
        ("30 temperatures, beta = 0.9, corrected", temperatures, 0.9, True),
        ("beta = 0: v is theta", short, 0.0, False),
        ("beta = 0, corrected", short, 0.0, True),
        ("one value (T = 1), beta = 0.5, corrected", short[:1], 0.5, True),
        ("beta = 0.98, corrected", temperatures, 0.98, True),
        ("beta = 0.5, 5 values", short, 0.5, False),
    ]
    return [
        _Case(words, _given(theta=theta, beta=beta, bias_correction=correct))
        for words, theta, beta, correct in rows
    ]


def check_exponentially_weighted_average(
    fn: Callable[..., Any],
) -> CheckResult:
    r"""Check your ``exponentially_weighted_average(theta, beta, ...)``.

    Compares ``fn(theta, beta, bias_correction=...)`` with
    :func:`~dnnref.optimizers.exponentially_weighted_average` (:math:`v_0 = 0`,
    :math:`v_t = \beta v_{t-1} + (1 - \beta)\theta_t`, optionally divided
    by :math:`1 - \beta^t`) on 7 cases, with and without bias correction:
    beta = 0.9 and 0.98, beta = 0, one value.

    Diagnoses: no bias correction; bias correction always applied; t
    counted from 0; started from theta[0] instead of 0; beta and 1 - beta
    swapped; (1 - beta) missing; corrected value fed back.

    Parameters
    ----------
    fn : callable
        Your function ``fn(theta, beta, bias_correction=False)`` returning
        a 1-D array as long as ``theta``.

    Returns
    -------
    CheckResult
        ``.passed``, and the first failure and likely mistake if not.

    Examples
    --------
    >>> check_exponentially_weighted_average(exponentially_weighted_average)
    PASSED: exponentially_weighted_average matches the reference on 7 cases.
    >>> def fed_back(theta, beta, bias_correction=False):
    ...     v, out = 0.0, []
    ...     for t, x in enumerate(theta, start=1):
    ...         v = beta * v + (1 - beta) * x
    ...         if bias_correction:
    ...             v = v / (1 - beta**t)
    ...         out.append(v)
    ...     return np.array(out)
    >>> check_exponentially_weighted_average(fed_back).mistake
    'corrected value fed back'
    """
    return _check(_EWA, _callable(fn), _ewa_cases())
