"""Checks of the optimizers: gradient descent, momentum, RMSprop, Adam."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from dnnref.checks._cases import _Case, _gen, _slips, _Spec
from dnnref.checks._engine import _callable, _check
from dnnref.checks._result import CheckResult
from dnnref.optimizers import (
    adam_update,
    gd_update,
    momentum_update,
    rmsprop_update,
)


def _params(seed: int, shape: tuple[int, int], *moments: bool) -> list[Any]:
    """W, dW, then a moment per flag: random (True) or zeros (False)."""
    gen = _gen(seed)
    W, dW = gen.standard_normal(shape), gen.standard_normal(shape)
    return [W, dW] + [
        np.abs(gen.standard_normal(shape)) * 0.1 if random else np.zeros(shape)
        for random in moments
    ]


def _gd_slip(W: Any, dW: Any, learning_rate: float, *, slip: str) -> Any:
    return W + learning_rate * dW if slip == "plus" else W - dW


_GD = _Spec(
    gd_update,
    ("W",),
    _slips(
        _gd_slip,
        (
            "plus instead of minus",
            "Step against the gradient: W - learning_rate * dW.",
            "plus",
        ),
        (
            "learning rate ignored",
            "Scale the step: W - learning_rate * dW.",
            "no-lr",
        ),
    ),
)


def _gd_cases() -> list[_Case]:
    cases = []
    for k, (words, shape, lr) in enumerate(
        (
            ("W (3, 2), learning_rate = 0.1", (3, 2), 0.1),
            ("a bias b (4, 1), learning_rate = 0.5", (4, 1), 0.5),
            ("one parameter (1, 1), learning_rate = 0.01", (1, 1), 0.01),
        )
    ):
        W, dW = _params(90 + k, shape)
        args = {"W": W, "dW": dW, "learning_rate": lr}
        cases.append(_Case(words, args))
    return cases


def check_gd_update(fn: Callable[..., Any]) -> CheckResult:
    r"""Check your ``gd_update(W, dW, learning_rate)``.

    Compares ``fn(W, dW, learning_rate)`` with
    :func:`~dnnref.optimizers.gd_update`, ``W - learning_rate * dW``, on 3
    cases (a weight, a bias, one entry).

    Diagnoses: plus instead of minus; learning rate ignored; modifies its
    input (``W -= ...``).

    Parameters
    ----------
    fn : callable
        Your function ``fn(W, dW, learning_rate)`` returning the new W.

    Returns
    -------
    CheckResult
        ``.passed``, and the first failure and likely mistake if not.

    Examples
    --------
    >>> check_gd_update(gd_update)
    PASSED: gd_update matches the reference on 3 cases.
    >>> def in_place(W, dW, learning_rate):
    ...     W -= learning_rate * dW
    ...     return W
    >>> check_gd_update(in_place).mistake
    'modifies its input'
    """
    return _check(_GD, _callable(fn), _gd_cases())


def _momentum_slip(
    W: Any,
    dW: Any,
    v: Any,
    beta: float = 0.9,
    learning_rate: float = 0.01,
    *,
    slip: str,
) -> tuple[Any, Any]:
    v_old = v
    v = {
        "sum": beta * v + dW,
        "swapped": (1 - beta) * v + beta * dW,
    }.get(slip, beta * v + (1 - beta) * dW)
    step = {"dW": dW, "old-v": v_old}.get(slip, v)
    return W - learning_rate * step, v


_MOMENTUM = _Spec(
    momentum_update,
    ("W", "v"),
    _slips(
        _momentum_slip,
        (
            "momentum as a sum",
            (
                "The course averages, v = beta * v + (1 - beta) * dW; "
                "v = beta * v + dW is the sum PyTorch keeps, 1 / (1 - beta) "
                "times larger."
            ),
            "sum",
        ),
        (
            "beta and 1 - beta swapped",
            "The old velocity gets beta: v = beta * v + (1 - beta) * dW.",
            "swapped",
        ),
        (
            "step with dW instead of v",
            "Move along the velocity: W - learning_rate * v.",
            "dW",
        ),
        (
            "step with the old v",
            "Update v first, then step W with the new v.",
            "old-v",
        ),
    ),
)


def _momentum_cases() -> list[_Case]:
    cases = []
    for k, (words, shape, started, keywords) in enumerate(
        (
            ("first step (v = 0), defaults", (3, 2), False, {}),
            (
                "a bias (4, 1), v != 0, beta = 0.8, learning_rate = 0.1",
                (4, 1),
                True,
                {"beta": 0.8, "learning_rate": 0.1},
            ),
            (
                "beta = 0: plain gradient descent",
                (2, 3),
                True,
                {"beta": 0.0, "learning_rate": 0.5},
            ),
            (
                "one parameter (1, 1), beta = 0.99",
                (1, 1),
                True,
                {"beta": 0.99, "learning_rate": 0.05},
            ),
        )
    ):
        W, dW, v = _params(100 + k, shape, started)
        args = {"W": W, "dW": dW, "v": v, **keywords}
        cases.append(_Case(words, args))
    return cases


def check_momentum_update(fn: Callable[..., Any]) -> CheckResult:
    r"""Check your ``momentum_update(W, dW, v, beta, learning_rate)``.

    Compares ``W, v = fn(W, dW, v, beta=..., learning_rate=...)`` with
    :func:`~dnnref.optimizers.momentum_update` (the course's average,
    :math:`v \leftarrow \beta v + (1 - \beta) dW`) on 4 cases: the first
    step with the defaults, a bias, beta = 0, one entry.

    Diagnoses: momentum as a sum; beta and 1 - beta swapped; step with dW
    instead of v; step with the old v; different default for beta or
    learning_rate; modifies its input.

    Parameters
    ----------
    fn : callable
        Your function ``fn(W, dW, v, beta=0.9, learning_rate=0.01)``
        returning ``(W, v)``.

    Returns
    -------
    CheckResult
        ``.passed``, and the first failure and likely mistake if not.

    Examples
    --------
    >>> check_momentum_update(momentum_update)
    PASSED: momentum_update matches the reference on 4 cases.
    >>> def as_sum(W, dW, v, beta=0.9, learning_rate=0.01):
    ...     v = beta * v + dW
    ...     return W - learning_rate * v, v
    >>> check_momentum_update(as_sum).mistake
    'momentum as a sum'
    """
    return _check(_MOMENTUM, _callable(fn), _momentum_cases())


def _rmsprop_slip(
    W: Any,
    dW: Any,
    s: Any,
    beta2: float = 0.999,
    learning_rate: float = 0.01,
    epsilon: float = 1e-8,
    *,
    slip: str,
) -> tuple[Any, Any]:
    s_old = s
    square = dW if slip == "not-squared" else dW**2
    s = {
        "no-one-minus": beta2 * s + square,
        "swapped": (1 - beta2) * s + beta2 * square,
    }.get(slip, beta2 * s + (1 - beta2) * square)
    s_step = s_old if slip == "old-s" else s
    denominator = {
        "eps-inside": np.sqrt(s_step + epsilon),
        "no-eps": np.sqrt(s_step),
        "no-sqrt": s_step + epsilon,
    }.get(slip, np.sqrt(s_step) + epsilon)
    return W - learning_rate * dW / denominator, s


_RMSPROP = _Spec(
    rmsprop_update,
    ("W", "s"),
    _slips(
        _rmsprop_slip,
        (
            "epsilon inside the square root",
            "Add epsilon outside the root: dW / (np.sqrt(s) + epsilon).",
            "eps-inside",
        ),
        (
            "no epsilon",
            (
                "Divide by np.sqrt(s) + epsilon: without epsilon a zero "
                "gradient gives 0 / 0."
            ),
            "no-eps",
        ),
        (
            "dW not squared",
            "s averages the squared gradient: (1 - beta2) * dW**2.",
            "not-squared",
        ),
        (
            "(1 - beta2) missing",
            "s = beta2 * s + (1 - beta2) * dW**2.",
            "no-one-minus",
        ),
        (
            "beta2 and 1 - beta2 swapped",
            "The old s gets beta2: s = beta2 * s + (1 - beta2) * dW**2.",
            "swapped",
        ),
        (
            "no square root",
            "Divide by np.sqrt(s) + epsilon, not s + epsilon.",
            "no-sqrt",
        ),
        (
            "step with the old s",
            "Update s first, then step W with the new s.",
            "old-s",
        ),
    ),
)


def _rmsprop_cases() -> list[_Case]:
    W, dW, s = _params(110, (3, 2), False)
    tiny = dW * 1e-6
    rows = [
        ("first step (s = 0), defaults", (W, dW, s), {}),
        (
            "tiny gradients (1e-6): where epsilon goes matters",
            (W, tiny, s),
            {},
        ),
        (
            "s != 0, beta2 = 0.9, learning_rate = 0.1",
            _params(111, (4, 1), True),
            {"beta2": 0.9, "learning_rate": 0.1},
        ),
        (
            "beta2 = 0, epsilon = 0.1",
            _params(112, (2, 3), True),
            {"beta2": 0.0, "epsilon": 0.1},
        ),
        (
            "a zero gradient entry with s = 0",
            (W, dW * np.array([[1.0, 0.0]]), s),
            {"learning_rate": 0.05},
        ),
        (
            "one parameter (1, 1), beta2 = 0.99",
            _params(113, (1, 1), True),
            {"beta2": 0.99},
        ),
    ]
    return [
        _Case(words, {"W": W_, "dW": dW_, "s": s_, **keywords})
        for words, (W_, dW_, s_), keywords in rows
    ]


def check_rmsprop_update(fn: Callable[..., Any]) -> CheckResult:
    r"""Check your ``rmsprop_update(W, dW, s, beta2, learning_rate, epsilon)``.

    Compares ``W, s = fn(W, dW, s, beta2=..., learning_rate=..., epsilon=...)``
    with :func:`~dnnref.optimizers.rmsprop_update` (epsilon outside the square
    root) on 6 cases: the first step with the defaults, tiny gradients (where
    epsilon's place shows), beta2 = 0, a zero gradient entry, one entry.

    Diagnoses: epsilon inside the square root; no epsilon; dW not
    squared; (1 - beta2) missing; beta2 and 1 - beta2 swapped; no square
    root; step with the old s; different default; modifies its input.

    Parameters
    ----------
    fn : callable
        Your function ``fn(W, dW, s, beta2=0.999, learning_rate=0.01,
        epsilon=1e-8)`` returning ``(W, s)``.

    Returns
    -------
    CheckResult
        ``.passed``, and the first failure and likely mistake if not.

    Examples
    --------
    >>> check_rmsprop_update(rmsprop_update)
    PASSED: rmsprop_update matches the reference on 6 cases.
    >>> def eps_inside(W, dW, s, beta2=0.999, learning_rate=0.01,
    ...                epsilon=1e-8):
    ...     s = beta2 * s + (1 - beta2) * dW**2
    ...     return W - learning_rate * dW / np.sqrt(s + epsilon), s
    >>> check_rmsprop_update(eps_inside).mistake
    'epsilon inside the square root'
    """
    return _check(_RMSPROP, _callable(fn), _rmsprop_cases())


def _adam_slip(
    W: Any,
    dW: Any,
    v: Any,
    s: Any,
    t: int,
    learning_rate: float = 0.01,
    beta1: float = 0.9,
    beta2: float = 0.999,
    epsilon: float = 1e-8,
    *,
    slip: str,
) -> tuple[Any, Any, Any]:
    b1, b2 = (beta2, beta1) if slip == "swapped" else (beta1, beta2)
    v = b1 * v + (1 - b1) * dW
    s = b2 * s + (1 - b2) * (dW if slip == "not-squared" else dW**2)
    power = {"t-from-0": t - 1, "t-plus-1": t + 1}.get(slip, t)
    v_corrected = v if slip == "no-correction" else v / (1 - beta1**power)
    s_corrected = s / (1 - beta2**power)
    if slip in {"no-correction", "v-only"}:
        s_corrected = s
    denominator = {
        "eps-inside": np.sqrt(s_corrected + epsilon),
        "no-sqrt": s_corrected + epsilon,
    }.get(slip, np.sqrt(s_corrected) + epsilon)
    W = W - learning_rate * v_corrected / denominator
    if slip == "corrected-returned":
        return W, v_corrected, s_corrected
    return W, v, s


_ADAM = _Spec(
    adam_update,
    ("W", "v", "s"),
    _slips(
        _adam_slip,
        (
            "no bias correction",
            (
                "Divide by 1 - beta**t before the step: v_corrected = v / "
                "(1 - beta1**t), s_corrected = s / (1 - beta2**t)."
            ),
            "no-correction",
        ),
        (
            "t counted from 0",
            (
                "t is the number of this step counting from 1: correct with "
                "1 - beta1**t, not 1 - beta1**(t - 1)."
            ),
            "t-from-0",
        ),
        (
            "t counted one too far",
            "Use t as given (1 on the first step); do not add 1 to it.",
            "t-plus-1",
        ),
        (
            "epsilon inside the square root",
            "Add epsilon outside the root: np.sqrt(s_corrected) + epsilon.",
            "eps-inside",
        ),
        (
            "corrected moments returned",
            (
                "Return the running v and s, not v_corrected and s_corrected: "
                "the corrections are recomputed at every step."
            ),
            "corrected-returned",
        ),
        (
            "only v bias-corrected",
            "Correct s too: s_corrected = s / (1 - beta2**t).",
            "v-only",
        ),
        (
            "beta1 and beta2 swapped",
            (
                "v (the average gradient) uses beta1; s (the average squared "
                "gradient) uses beta2."
            ),
            "swapped",
        ),
        (
            "dW not squared",
            "s averages the squared gradient: (1 - beta2) * dW**2.",
            "not-squared",
        ),
        (
            "no square root",
            (
                "Divide by np.sqrt(s_corrected) + epsilon, not s_corrected + "
                "epsilon."
            ),
            "no-sqrt",
        ),
    ),
)


def _adam_cases() -> list[_Case]:
    W, dW, v, s = _params(120, (3, 2), False, False)
    rows = [
        (
            "first step (t = 1) from zero moments, defaults",
            (W, dW, v, s),
            1,
            {},
        ),
        (
            "tiny gradients (1e-6), t = 1: where epsilon goes matters",
            (W, dW * 1e-6, v, s),
            1,
            {},
        ),
        (
            "t = 3, moments != 0, learning_rate = 0.1",
            _params(121, (3, 2), True, True),
            3,
            {"learning_rate": 0.1},
        ),
        (
            "a bias (4, 1), t = 10, beta1 = 0.8, beta2 = 0.99",
            _params(122, (4, 1), True, True),
            10,
            {"beta1": 0.8, "beta2": 0.99},
        ),
        (
            "beta1 = 0, t = 2, epsilon = 0.1",
            _params(123, (2, 2), True, True),
            2,
            {"beta1": 0.0, "epsilon": 0.1},
        ),
        (
            "one parameter (1, 1), t = 2",
            _params(124, (1, 1), True, True),
            2,
            {},
        ),
    ]
    return [
        _Case(words, {"W": a, "dW": b, "v": c, "s": d, "t": t, **keywords})
        for words, (a, b, c, d), t, keywords in rows
    ]


def check_adam_update(fn: Callable[..., Any]) -> CheckResult:
    r"""Check your ``adam_update(W, dW, v, s, t, ...)``.

    Compares ``W, v, s = fn(W, dW, v, s, t, learning_rate=..., beta1=...,
    beta2=..., epsilon=...)`` with :func:`~dnnref.optimizers.adam_update` on 6
    cases: the first step (t = 1) with the defaults, tiny gradients (where
    epsilon's place shows), later steps with other betas, beta1 = 0, one entry.

    Diagnoses: no bias correction; t counted from 0; t counted one too
    far; epsilon inside the square root; corrected moments returned; only
    v bias-corrected; beta1 and beta2 swapped; dW not squared; no square
    root; different default; modifies its input.

    Parameters
    ----------
    fn : callable
        Your function ``fn(W, dW, v, s, t, learning_rate=0.01, beta1=0.9,
        beta2=0.999, epsilon=1e-8)`` returning ``(W, v, s)``.

    Returns
    -------
    CheckResult
        ``.passed``, and the first failure and likely mistake if not.

    Examples
    --------
    >>> check_adam_update(adam_update)
    PASSED: adam_update matches the reference on 6 cases.
    >>> def t_from_0(W, dW, v, s, t, learning_rate=0.01, beta1=0.9,
    ...              beta2=0.999, epsilon=1e-8):
    ...     v = beta1 * v + (1 - beta1) * dW
    ...     s = beta2 * s + (1 - beta2) * dW**2
    ...     v_hat = v / (1 - beta1 ** (t - 1))
    ...     s_hat = s / (1 - beta2 ** (t - 1))
    ...     return W - learning_rate * v_hat / (np.sqrt(s_hat) + epsilon), v, s
    >>> check_adam_update(t_from_0)
    FAILED: t_from_0 fails 6 of 6 cases against the reference adam_update.
      Case 1 of 6: first step (t = 1) from zero moments, defaults.
      Called t_from_0(W, dW, v, s, t) with W (3, 2), dW (3, 2), v = zeros
        (3, 2), s = zeros (3, 2), t = 1.
      W has nan at W[0, 0], expected -0.621142 (6 of 6 entries differ).
      It warned: RuntimeWarning: divide by zero encountered in divide.
      Likely mistake: t counted from 0. t is the number of this step
        counting from 1: correct with 1 - beta1**t, not 1 - beta1**(t - 1).
    """
    return _check(_ADAM, _callable(fn), _adam_cases())
