"""Check of ``dnnref.minibatch``: random_mini_batches."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from dnnref.checks._cases import _Case, _gen, _given, _Rng, _slips, _Spec
from dnnref.checks._engine import _callable, _check
from dnnref.checks._result import CheckResult
from dnnref.minibatch import random_mini_batches


def _mini_batches_slip(
    X: Any, Y: Any, mini_batch_size: int = 64, rng: Any = None, *, slip: str
) -> list[tuple[Any, Any]]:
    m = X.shape[1]
    if slip == "no-shuffle":
        X_s, Y_s = X, Y
    elif slip == "separate":
        X_s = X[:, rng.permutation(m)]
        Y_s = Y[:, rng.permutation(m)]
    else:
        permutation = rng.permutation(X.shape[0] if slip == "rows" else m)
        X_s, Y_s = X[:, permutation], Y[:, permutation]
    size = X_s.shape[1]
    stop = size - size % mini_batch_size if slip == "drop-last" else size
    return [
        (X_s[:, k : k + mini_batch_size], Y_s[:, k : k + mini_batch_size])
        for k in range(0, stop, mini_batch_size)
    ]


_MINI_BATCHES = _Spec(
    random_mini_batches,
    ("mini_batches",),
    _slips(
        _mini_batches_slip,
        (
            "no shuffle",
            (
                "Permute the columns first: permutation = rng.permutation(m), "
                "then X[:, permutation] and Y[:, permutation]."
            ),
            "no-shuffle",
        ),
        (
            "X and Y shuffled separately",
            (
                "Draw one permutation and index both X and Y with it, or the "
                "labels no longer belong to their examples."
            ),
            "separate",
        ),
        (
            "last partial mini-batch dropped",
            (
                "When mini_batch_size does not divide m, the m % "
                "mini_batch_size remaining examples form a last, smaller "
                "mini-batch."
            ),
            "drop-last",
        ),
        (
            "m taken from X.shape[0]",
            "Examples are the columns: m = X.shape[1].",
            "rows",
        ),
    ),
    item_names=("X_t", "Y_t"),
)


def _mini_batches_cases() -> list[_Case]:
    cases = []
    for k, (words, n_x, m, size, rng) in enumerate(
        (
            ("3 batches of 4, 4, 2; RandomState(0)", 3, 10, 4, ("legacy", 0)),
            (
                "exactly 3 batches of 4; default_rng(1)",
                2,
                12,
                4,
                ("default", 1),
            ),
            ("size = m: batch gradient descent", 2, 5, 5, ("default", 2)),
            ("size = 1: stochastic gradient descent", 2, 3, 1, ("legacy", 3)),
            ("default size 64 with m = 130", 2, 130, None, ("default", 4)),
            ("one feature, one example", 1, 1, 2, ("default", 5)),
        )
    ):
        gen = _gen(80 + k)
        X = np.arange(n_x * m, dtype=np.float64).reshape(n_x, m)
        Y = gen.integers(0, 2, (1, m))
        X = X + gen.random((n_x, m))
        args = _given(X=X, Y=Y, mini_batch_size=size, rng=_Rng(*rng))
        cases.append(_Case(words, args))
    return cases


def check_random_mini_batches(fn: Callable[..., Any]) -> CheckResult:
    r"""Check your ``random_mini_batches(X, Y, mini_batch_size, rng)``.

    Compares the list of ``(X_t, Y_t)`` returned by ``fn(X, Y,
    mini_batch_size=..., rng=...)`` with
    :func:`~dnnref.minibatch.random_mini_batches` on 6 cases, with a legacy
    ``np.random.RandomState`` (the course's shuffles) and a
    ``np.random.default_rng``: one ``rng.permutation(m)`` of the columns, full
    mini-batches, then the rest; sizes 1, 4, m and the default 64.

    Diagnoses: no shuffle; X and Y shuffled separately; last partial
    mini-batch dropped; m taken from X.shape[0]; ignores rng.

    Parameters
    ----------
    fn : callable
        Your function ``fn(X, Y, mini_batch_size=64, rng=None)`` returning
        a list of ``(X_t, Y_t)`` pairs.

    Returns
    -------
    CheckResult
        ``.passed``, and the first failure and likely mistake if not.

    Examples
    --------
    >>> check_random_mini_batches(random_mini_batches)
    PASSED: random_mini_batches matches the reference on 6 cases.
    """
    return _check(_MINI_BATCHES, _callable(fn), _mini_batches_cases())
