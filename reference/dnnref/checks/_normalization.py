"""Checks of ``dnnref.normalization``: compute_normalization, normalize."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from dnnref.checks._cases import _Case, _gen, _slips, _Spec
from dnnref.checks._engine import _callable, _check
from dnnref.checks._result import CheckResult
from dnnref.normalization import compute_normalization, normalize


def _normalization_slip(X: Any, *, slip: str) -> tuple[Any, Any]:
    X = np.asarray(X, dtype=np.float64)
    axis = 0 if slip == "axis" else 1
    keepdims = slip != "keepdims"
    mu = np.mean(X, axis=axis, keepdims=keepdims)
    sigma = np.std(X, axis=axis, ddof=int(slip == "ddof"), keepdims=keepdims)
    if slip == "variance":
        sigma = sigma**2
    if slip != "zero":
        sigma = np.where(sigma == 0, 1.0, sigma)
    return mu, sigma


_NORMALIZATION = _Spec(
    compute_normalization,
    ("mu", "sigma"),
    _slips(
        _normalization_slip,
        (
            "variance instead of standard deviation",
            (
                "Divide by sigma = np.std(X, axis=1, keepdims=True), the "
                "standard deviation, not its square."
            ),
            "variance",
        ),
        (
            "ddof = 1",
            (
                "Use the population standard deviation (np.std's default "
                "ddof=0, divide by m), not the sample one (ddof=1)."
            ),
            "ddof",
        ),
        (
            "zero variance not handled",
            (
                "Set sigma to 1 where it is 0 (np.where(sigma == 0, 1.0, "
                "sigma)), so a constant feature becomes 0 instead of 0/0."
            ),
            "zero",
        ),
        (
            "statistics over the wrong axis",
            (
                "Examples are the columns of X: average over axis=1 (one mean "
                "per feature), not axis=0."
            ),
            "axis",
        ),
        (
            "lost the column shape (keepdims)",
            (
                "Pass keepdims=True so mu and sigma are (n_x, 1) columns that "
                "broadcast over the m examples."
            ),
            "keepdims",
        ),
    ),
)


def _normalization_cases() -> list[_Case]:
    gen = _gen(0)
    X1 = gen.normal([[1.0], [-2.0], [5.0]], [[0.5], [2.0], [3.0]], (3, 40))
    X2 = gen.normal(3.0, 4.0, (5, 7))
    X3 = X2.copy()
    X3[2] = 3.0  # exactly constant: a zero-variance feature
    return [
        _Case("3 features, 40 examples of different scales", {"X": X1}),
        _Case("5 features, 7 examples", {"X": X2}),
        _Case("one feature (n_x = 1)", {"X": gen.normal(0, 2, (1, 10))}),
        _Case("a zero-variance feature (row 2 is constant)", {"X": X3}),
        _Case(
            "one example (m = 1): every feature has zero variance",
            {"X": gen.normal(size=(4, 1))},
        ),
    ]


def check_compute_normalization(fn: Callable[..., Any]) -> CheckResult:
    r"""Check your ``compute_normalization(X)``: the mean and sigma.

    Compares ``mu, sigma = fn(X)`` with
    :func:`~dnnref.normalization.compute_normalization` on 5 cases: data of
    different scales, one feature, a zero-variance feature (sigma must be 1
    there) and one example.

    Diagnoses: variance instead of standard deviation; ddof = 1; zero
    variance not handled; statistics over the wrong axis; lost the column
    shape (keepdims).

    Parameters
    ----------
    fn : callable
        Your function ``fn(X)`` returning ``(mu, sigma)``, each (n_x, 1).

    Returns
    -------
    CheckResult
        ``.passed``, and the first failure and likely mistake if not.

    Examples
    --------
    >>> check_compute_normalization(compute_normalization)
    PASSED: compute_normalization matches the reference on 5 cases.
    >>> def by_variance(X):
    ...     mu = X.mean(axis=1, keepdims=True)
    ...     var = X.var(axis=1, keepdims=True)
    ...     return mu, np.where(var == 0, 1.0, var)
    >>> check_compute_normalization(by_variance).mistake
    'variance instead of standard deviation'
    """
    return _check(_NORMALIZATION, _callable(fn), _normalization_cases())


def _normalize_slip(X: Any, mu: Any, sigma: Any, *, slip: str) -> Any:
    if slip == "variance":
        return (X - mu) / sigma**2
    if slip == "precedence":
        return X - mu / sigma
    return X / sigma  # "center": the mean is not subtracted


_NORMALIZE = _Spec(
    normalize,
    ("X_norm",),
    _slips(
        _normalize_slip,
        (
            "divided by the variance",
            "Divide by sigma, the standard deviation, not sigma**2.",
            "variance",
        ),
        (
            "operator precedence",
            "X - mu / sigma subtracts mu / sigma; write (X - mu) / sigma.",
            "precedence",
        ),
        (
            "mean not subtracted",
            "Subtract the training mean first: (X - mu) / sigma.",
            "center",
        ),
    ),
)


def _normalize_cases() -> list[_Case]:
    gen = _gen(1)
    mu, sigma = gen.normal(2, 1, (3, 1)), gen.uniform(0.5, 3.0, (3, 1))
    return [
        _Case(
            "3 features, 6 examples",
            {"X": gen.normal(2, 2, (3, 6)), "mu": mu, "sigma": sigma},
        ),
        _Case(
            "one feature (n_x = 1)",
            {
                "X": gen.normal(-1, 3, (1, 5)),
                "mu": np.array([[-0.5]]),
                "sigma": np.array([[2.5]]),
            },
        ),
        _Case(
            "one example (m = 1), as for a test example",
            {"X": gen.normal(2, 2, (3, 1)), "mu": mu, "sigma": sigma},
        ),
    ]


def check_normalize(fn: Callable[..., Any]) -> CheckResult:
    r"""Check your ``normalize(X, mu, sigma)``: (X - mu) / sigma.

    Compares ``fn(X, mu, sigma)`` with :func:`~dnnref.normalization.normalize`
    on 3 cases: several features, one feature, one example.

    Diagnoses: divided by the variance; operator precedence; mean not
    subtracted.

    Parameters
    ----------
    fn : callable
        Your function ``fn(X, mu, sigma)`` returning an (n_x, m) array.

    Returns
    -------
    CheckResult
        ``.passed``, and the first failure and likely mistake if not.

    Examples
    --------
    >>> check_normalize(normalize)
    PASSED: normalize matches the reference on 3 cases.
    >>> check_normalize(lambda X, mu, sigma: X - mu / sigma).mistake
    'operator precedence'
    """
    return _check(_NORMALIZE, _callable(fn), _normalize_cases())
