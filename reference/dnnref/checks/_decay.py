"""Check of ``dnnref.optimizers``' learning-rate decay."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from dnnref.checks._cases import _Case, _given, _slips, _Spec
from dnnref.checks._engine import _callable, _check
from dnnref.checks._result import CheckResult
from dnnref.optimizers import learning_rate_decay


def _decay_slip(
    learning_rate0: float,
    epoch_num: int,
    decay_rate: float,
    time_interval: int = 1,
    *,
    slip: str,
) -> float:
    steps = {
        "no-floor": epoch_num / time_interval,
        "no-interval": epoch_num,
        "ceil": np.ceil(epoch_num / time_interval),
    }.get(slip, epoch_num // time_interval)
    if slip == "precedence":
        return float(learning_rate0 / 1 + decay_rate * steps)
    return float(learning_rate0 / (1 + decay_rate * steps))


_DECAY = _Spec(
    learning_rate_decay,
    ("learning_rate",),
    _slips(
        _decay_slip,
        (
            "no floor",
            (
                "Decay in steps: use epoch_num // time_interval (the floor), "
                "not epoch_num / time_interval."
            ),
            "no-floor",
        ),
        (
            "time_interval ignored",
            "Count the decays as epoch_num // time_interval.",
            "no-interval",
        ),
        (
            "ceil instead of floor",
            "Round down: epoch_num // time_interval (np.floor), not np.ceil.",
            "ceil",
        ),
        (
            "operator precedence",
            (
                "Put the whole denominator in parentheses: learning_rate0 / "
                "(1 + decay_rate * ...)."
            ),
            "precedence",
        ),
    ),
)


def _decay_cases() -> list[_Case]:
    rows = [
        ("epoch 0: the initial rate", 0.1, 0, 1.0, None),
        ("epoch 1, decay_rate = 1", 0.1, 1, 1.0, None),
        ("epoch 3, decay_rate = 0.3", 0.5, 3, 0.3, None),
        ("staircase: epoch 250, time_interval = 100", 0.1, 250, 1.0, 100),
        ("staircase: epoch 9, time_interval = 10", 0.2, 9, 0.5, 10),
        ("decay_rate = 0: no decay", 0.3, 7, 0.0, None),
        ("staircase: epoch 12, time_interval = 5", 0.1, 12, 1.0, 5),
    ]
    return [
        _Case(
            words,
            _given(
                learning_rate0=rate,
                epoch_num=epoch,
                decay_rate=decay,
                time_interval=interval,
            ),
        )
        for words, rate, epoch, decay, interval in rows
    ]


def check_learning_rate_decay(fn: Callable[..., Any]) -> CheckResult:
    r"""Check your ``learning_rate_decay(learning_rate0, epoch_num, ...)``.

    Compares the float ``fn(learning_rate0, epoch_num, decay_rate,
    time_interval=...)`` with :func:`~dnnref.optimizers.learning_rate_decay`,
    :math:`\alpha_0 / (1 + r \lfloor e / T \rfloor)`, on 7 cases: epoch 0,
    plain decay, staircases, decay_rate = 0.

    Diagnoses: no floor; time_interval ignored; ceil instead of floor;
    operator precedence; different default for time_interval.

    Parameters
    ----------
    fn : callable
        Your function ``fn(learning_rate0, epoch_num, decay_rate,
        time_interval=1)`` returning a float.

    Returns
    -------
    CheckResult
        ``.passed``, and the first failure and likely mistake if not.

    Examples
    --------
    >>> check_learning_rate_decay(learning_rate_decay)
    PASSED: learning_rate_decay matches the reference on 7 cases.
    >>> def no_floor(learning_rate0, epoch_num, decay_rate, time_interval=1):
    ...     decays = epoch_num / time_interval
    ...     return learning_rate0 / (1 + decay_rate * decays)
    >>> check_learning_rate_decay(no_floor).mistake
    'no floor'
    """
    return _check(_DECAY, _callable(fn), _decay_cases())
