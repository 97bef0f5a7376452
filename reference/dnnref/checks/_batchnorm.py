"""Checks of ``dnnref.batchnorm``: forward, backward, test time, averages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from dnnref.batchnorm import (
    batchnorm_backward,
    batchnorm_forward,
    batchnorm_inference,
    update_running_averages,
)
from dnnref.checks._cases import _Case, _gen, _slips, _Spec
from dnnref.checks._compare import _Problem
from dnnref.checks._engine import (
    _callable,
    _check,
    _learner_name,
    _raised_text,
)
from dnnref.checks._result import CheckResult


def _bn_forward_slip(
    Z: Any, gamma: Any, beta: Any, epsilon: float = 1e-8, *, slip: str
) -> tuple[Any, Any]:
    axis = 0 if slip == "axis" else 1
    mu = np.mean(Z, axis=axis, keepdims=True)
    var = np.var(Z, axis=axis, ddof=int(slip == "ddof"), keepdims=True)
    denominator = {
        "variance": var + epsilon,
        "eps-outside": np.sqrt(var) + epsilon,
        "no-eps": np.sqrt(var),
    }.get(slip, np.sqrt(var + epsilon))
    Z_norm = (Z - mu) / denominator
    if slip == "swapped":
        return beta * Z_norm + gamma, None
    return gamma * Z_norm + beta, None


_BN_SLIPS = (  # slips of the normalization, at training and at test time
    (
        "divided by the variance",
        "Divide by the standard deviation: np.sqrt(var + epsilon).",
        "variance",
    ),
    (
        "epsilon outside the square root",
        "Add epsilon under the root: np.sqrt(var + epsilon).",
        "eps-outside",
    ),
    (
        "gamma and beta swapped",
        (
            "Z_tilde = gamma * Z_norm + beta: gamma scales, beta (the shift, "
            "not a momentum) shifts."
        ),
        "swapped",
    ),
)

_BN_FORWARD = _Spec(
    batchnorm_forward,
    ("Z_tilde", "cache"),
    _slips(
        _bn_forward_slip,
        *_BN_SLIPS,
        (
            "ddof = 1",
            (
                "Batch norm uses the biased variance, np.var(Z, axis=1, "
                "keepdims=True) (divide by m), not ddof=1."
            ),
            "ddof",
        ),
        (
            "no epsilon",
            (
                "Normalize by np.sqrt(var + epsilon): a constant unit would "
                "give 0 / 0."
            ),
            "no-eps",
        ),
        (
            "statistics over the wrong axis",
            (
                "Average each unit over the m examples, the columns: axis=1, "
                "keepdims=True."
            ),
            "axis",
        ),
    ),
    compared=(0,),
)


def _bn_data(
    seed: int, n: int, m: int, constant_row: bool = False
) -> dict[str, Any]:
    gen = _gen(seed)
    Z = gen.normal(1.0, 2.0, (n, m))
    if constant_row:
        Z[0] = 2.0
    gamma = gen.uniform(0.5, 2.0, (n, 1))
    return {"Z": Z, "gamma": gamma, "beta": gen.normal(0, 1, (n, 1))}


def _bn_forward_cases() -> list[_Case]:
    rows: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
        ("Z (3, 8), random gamma and beta", _bn_data(140, 3, 8), {}),
        ("epsilon = 0.5: where epsilon goes matters", _bn_data(141, 3, 6), {}),
        (
            "a zero-variance unit (row 0 constant)",
            _bn_data(142, 3, 5, True),
            {},
        ),
        ("m = 2, the smallest batch", _bn_data(143, 2, 2), {}),
        ("one unit (1, 6)", _bn_data(144, 1, 6), {}),
    ]
    rows[1][2]["epsilon"] = 0.5
    return [_Case(words, {**data, **kw}) for words, data, kw in rows]


def check_batchnorm_forward(fn: Callable[..., Any]) -> CheckResult:
    r"""Check your ``batchnorm_forward(Z, gamma, beta, epsilon)``.

    Compares ``Z_tilde`` of ``Z_tilde, cache = fn(Z, gamma, beta,
    epsilon=...)`` with :func:`~dnnref.batchnorm.batchnorm_forward`'s (biased
    variance over the m columns, epsilon inside the square root) on 5
    cases: random, a large epsilon (where it goes shows), a zero-variance
    unit, m = 2, one unit.  ``cache`` may be anything.

    Diagnoses: divided by the variance; epsilon outside the square root;
    gamma and beta swapped; ddof = 1; no epsilon; statistics over the
    wrong axis.

    Parameters
    ----------
    fn : callable
        Your function ``fn(Z, gamma, beta, epsilon=1e-8)`` returning
        ``(Z_tilde, cache)``.

    Returns
    -------
    CheckResult
        ``.passed``, and the first failure and likely mistake if not.

    Examples
    --------
    >>> check_batchnorm_forward(batchnorm_forward)
    PASSED: batchnorm_forward matches the reference on 5 cases.
    >>> def swapped(Z, gamma, beta, epsilon=1e-8):
    ...     mu = Z.mean(axis=1, keepdims=True)
    ...     var = Z.var(axis=1, keepdims=True)
    ...     return beta * (Z - mu) / np.sqrt(var + epsilon) + gamma, None
    >>> check_batchnorm_forward(swapped).mistake
    'gamma and beta swapped'
    """
    return _check(_BN_FORWARD, _callable(fn), _bn_forward_cases())


def _bn_backward_slip(
    dZ_tilde: Any, cache: dict[str, Any], *, slip: str
) -> tuple[Any, Any, Any]:
    Z_norm, std_inv, gamma = cache["Z_norm"], cache["std_inv"], cache["gamma"]
    m = Z_norm.shape[1]
    dbeta = np.sum(dZ_tilde, axis=1, keepdims=True)
    dgamma = np.sum(dZ_tilde * Z_norm, axis=1, keepdims=True)
    mean_term = 0.0 if slip == "no-mean" else dbeta
    var_term = 0.0 if slip == "no-var" else Z_norm * dgamma
    scale = (1.0 if slip == "no-gamma" else gamma) * std_inv
    dZ = scale / m * (m * dZ_tilde - mean_term - var_term)
    if slip == "constant":
        dZ = gamma * std_inv * dZ_tilde
    if slip == "no-div-m":
        dZ = dZ * m
    if slip == "swapped":
        return dZ, dbeta, dgamma
    if slip == "not-summed":
        return dZ, dZ_tilde * Z_norm, dZ_tilde
    return dZ, dgamma, dbeta


_BN_BACKWARD = _Spec(
    batchnorm_backward,
    ("dZ", "dgamma", "dbeta"),
    _slips(
        _bn_backward_slip,
        (
            "mean and variance treated as constants",
            (
                "mu and var depend on Z: dZ = gamma * std_inv / m * (m * "
                "dZ_tilde - dbeta - Z_norm * dgamma)."
            ),
            "constant",
        ),
        (
            "gradient through the mean missing",
            "Subtract dbeta, the sum of dZ_tilde over the examples.",
            "no-mean",
        ),
        (
            "gradient through the variance missing",
            "Subtract Z_norm * dgamma.",
            "no-var",
        ),
        (
            "gamma missing in dZ",
            "dZ_norm = gamma * dZ_tilde: multiply by gamma.",
            "no-gamma",
        ),
        (
            "1/m missing in dZ",
            (
                "dZ = gamma * std_inv / m * (m * dZ_tilde - dbeta - Z_norm * "
                "dgamma): divide by m."
            ),
            "no-div-m",
        ),
        (
            "dgamma and dbeta swapped",
            (
                "dbeta = sum of dZ_tilde; dgamma = sum of dZ_tilde * Z_norm "
                "(over axis=1)."
            ),
            "swapped",
        ),
        (
            "dgamma and dbeta not summed over the examples",
            "Sum over the m examples: np.sum(..., axis=1, keepdims=True).",
            "not-summed",
        ),
    ),
)


def _bn_backward_cases(
    forward: Callable[..., Any] | None,
) -> list[_Case] | _Problem:
    rows = [
        ("Z (3, 8), random gamma", _bn_data(150, 3, 8), None),
        ("epsilon = 0.1", _bn_data(151, 2, 6), 0.1),
        (
            "a zero-variance unit (row 0 constant)",
            _bn_data(152, 3, 5, True),
            None,
        ),
        ("m = 2, the smallest batch", _bn_data(153, 2, 2), None),
        ("one unit (1, 6)", _bn_data(154, 1, 6), None),
    ]
    cases = []
    for k, (words, data, epsilon) in enumerate(rows):
        kw = {} if epsilon is None else {"epsilon": epsilon}
        _, ref_cache = batchnorm_forward(
            data["Z"], data["gamma"], data["beta"], **kw
        )
        cache: dict[str, Any] = dict(ref_cache)
        cache.update(Z=data["Z"], beta=data["beta"], epsilon=epsilon or 1e-8)
        dZ_tilde = _gen(160 + k).standard_normal(data["Z"].shape)
        ref_args = {"dZ_tilde": dZ_tilde, "cache": cache}
        shown = {"cache": f"cache = {{{', '.join(cache)}}}"}
        if forward is None:
            cases.append(_Case(words, ref_args, shown))
            continue
        try:
            output = forward(data["Z"], data["gamma"], data["beta"], **kw)
            mine = output[1]
        except Exception as exc:  # noqa: BLE001  (the learner's forward)
            return _Problem(
                f"Your forward(Z, gamma, beta) failed on case {k + 1} "
                f"({words}): it {_raised_text(exc, forward)}"
            )
        shown = {"cache": "cache from your forward"}
        args = {"dZ_tilde": dZ_tilde, "cache": mine}
        cases.append(_Case(words, args, shown, ref_args))
    return cases


def check_batchnorm_backward(
    fn: Callable[..., Any], forward: Callable[..., Any] | None = None
) -> CheckResult:
    r"""Check your ``batchnorm_backward(dZ_tilde, cache)``.

    Compares ``dZ, dgamma, dbeta = fn(dZ_tilde, cache)`` with
    :func:`~dnnref.batchnorm.batchnorm_backward` on 5 cases: random, a large
    epsilon, a zero-variance unit, m = 2, one unit.  By default ``cache``
    is :func:`~dnnref.batchnorm.batchnorm_forward`'s (``"Z_norm"``, ``"mu"``,
    ``"var"``, ``"std_inv"``, ``"gamma"``) plus ``"Z"``, ``"beta"`` and
    ``"epsilon"``; pass your own ``forward`` to give ``fn`` your cache.

    Diagnoses: mean and variance treated as constants; gradient through
    the mean missing; gradient through the variance missing; gamma
    missing in dZ; 1/m missing in dZ; dgamma and dbeta swapped; dgamma
    and dbeta not summed over the examples; modifies its input.

    Parameters
    ----------
    fn : callable
        Your function ``fn(dZ_tilde, cache)`` returning
        ``(dZ, dgamma, dbeta)``.
    forward : callable, optional
        Your ``batchnorm_forward(Z, gamma, beta, epsilon=1e-8)``, whose
        cache ``fn`` reads; None uses the reference's cache.

    Returns
    -------
    CheckResult
        ``.passed``, and the first failure and likely mistake if not.

    Raises
    ------
    TypeError
        If ``fn`` or ``forward`` is not callable.

    Examples
    --------
    >>> check_batchnorm_backward(batchnorm_backward)
    PASSED: batchnorm_backward matches the reference on 5 cases.
    >>> check_batchnorm_backward(batchnorm_backward, batchnorm_forward)
    PASSED: batchnorm_backward matches the reference on 5 cases.
    >>> def constant_stats(dZ_tilde, cache):
    ...     dbeta = dZ_tilde.sum(axis=1, keepdims=True)
    ...     dgamma = (dZ_tilde * cache["Z_norm"]).sum(axis=1, keepdims=True)
    ...     return cache["gamma"] * cache["std_inv"] * dZ_tilde, dgamma, dbeta
    >>> check_batchnorm_backward(constant_stats).mistake
    'mean and variance treated as constants'
    """
    fn = _callable(fn)
    if forward is not None:
        forward = _callable(forward, "forward")
    cases = _bn_backward_cases(forward)
    if isinstance(cases, _Problem):
        return CheckResult(
            "batchnorm_backward",
            _learner_name(fn),
            False,
            5,
            5,
            "your forward pass",
            cases.text + ".",
            "forward pass failed",
            "Check it first with check_batchnorm_forward(forward).",
        )
    return _check(_BN_BACKWARD, fn, cases)


def _bn_inference_slip(
    Z: Any,
    gamma: Any,
    beta: Any,
    running_mean: Any,
    running_var: Any,
    epsilon: float = 1e-8,
    *,
    slip: str,
) -> Any:
    mean, var = running_mean, running_var
    if slip in {"batch", "batch-mean"}:
        mean = Z.mean(axis=1, keepdims=True)
    if slip in {"batch", "batch-var"}:
        var = Z.var(axis=1, keepdims=True)
    denominator = {
        "variance": var + epsilon,
        "eps-outside": np.sqrt(var) + epsilon,
    }.get(slip, np.sqrt(var + epsilon))
    Z_norm = (Z - mean) / denominator
    return (
        beta * Z_norm + gamma if slip == "swapped" else gamma * Z_norm + beta
    )


_BN_INFERENCE = _Spec(
    batchnorm_inference,
    ("Z_tilde",),
    _slips(
        _bn_inference_slip,
        (
            "batch statistics at test time",
            (
                "At test time normalize with running_mean and running_var, "
                "not the mean and variance of Z (one example has variance 0)."
            ),
            "batch",
        ),
        (
            "batch mean at test time",
            (
                "At test time subtract running_mean, not the mean of Z: the "
                "output of one example must not depend on the others."
            ),
            "batch-mean",
        ),
        (
            "batch variance at test time",
            (
                "At test time divide by sqrt(running_var + epsilon), not by "
                "the variance of Z (one example has variance 0)."
            ),
            "batch-var",
        ),
        *_BN_SLIPS,
    ),
)


def _bn_inference_cases() -> list[_Case]:
    rows = [
        ("Z (3, 6) with running averages", 3, 6, {}),
        ("one example (m = 1)", 3, 1, {}),
        ("one unit (1, 4)", 1, 4, {}),
        ("epsilon = 0.5: where epsilon goes matters", 2, 3, {"epsilon": 0.5}),
        ("a zero running variance", 2, 4, {}),
    ]
    cases = []
    for k, (words, n, m, kw) in enumerate(rows):
        data = _bn_data(170 + k, n, m)
        gen = _gen(180 + k)
        data["running_mean"] = gen.normal(0.5, 1.0, (n, 1))
        data["running_var"] = gen.uniform(0.5, 3.0, (n, 1))
        if k == 4:
            data["running_var"][0] = 0.0
        cases.append(_Case(words, {**data, **kw}))
    return cases


def check_batchnorm_inference(fn: Callable[..., Any]) -> CheckResult:
    r"""Check your ``batchnorm_inference(Z, gamma, beta, running_mean, ...)``.

    Compares ``fn(Z, gamma, beta, running_mean, running_var, epsilon=...)``
    with :func:`~dnnref.batchnorm.batchnorm_inference` (test time: normalize
    with the running averages, not the batch) on 5 cases: several examples, one
    example, one unit, a large epsilon, a zero running variance.

    Diagnoses: batch statistics at test time; batch mean at test time;
    batch variance at test time; divided by the variance; epsilon outside
    the square root; gamma and beta swapped.

    Parameters
    ----------
    fn : callable
        Your function ``fn(Z, gamma, beta, running_mean, running_var,
        epsilon=1e-8)`` returning ``Z_tilde``.

    Returns
    -------
    CheckResult
        ``.passed``, and the first failure and likely mistake if not.

    Examples
    --------
    >>> check_batchnorm_inference(batchnorm_inference)
    PASSED: batchnorm_inference matches the reference on 5 cases.
    >>> def batch_stats(Z, gamma, beta, running_mean, running_var,
    ...                 epsilon=1e-8):
    ...     Z_tilde, _ = batchnorm_forward(Z, gamma, beta, epsilon)
    ...     return Z_tilde
    >>> result = check_batchnorm_inference(batch_stats)
    >>> result.passed, result.n_failed
    (False, 5)
    """
    return _check(_BN_INFERENCE, _callable(fn), _bn_inference_cases())


def _running_slip(
    running_mean: Any,
    running_var: Any,
    mu: Any,
    var: Any,
    momentum: float = 0.9,
    m: int | None = None,
    *,
    slip: str,
) -> tuple[Any, Any]:
    if m is not None and slip != "no-m":
        var = var * ((m - 1) / m if slip == "inverse" else m / (m - 1))
    rho = 1 - momentum if slip == "flipped" else momentum
    return (
        rho * running_mean + (1 - rho) * mu,
        rho * running_var + (1 - rho) * var,
    )


_RUNNING = _Spec(
    update_running_averages,
    ("running_mean", "running_var"),
    _slips(
        _running_slip,
        (
            "momentum flipped (PyTorch's convention)",
            (
                "The old estimate gets momentum: momentum * running_mean + "
                "(1 - momentum) * mu.  PyTorch's momentum is 1 - ours."
            ),
            "flipped",
        ),
        (
            "m ignored",
            (
                "Given m, average the unbiased variance var * m / (m - 1), as "
                "PyTorch does."
            ),
            "no-m",
        ),
        (
            "(m - 1) / m instead of m / (m - 1)",
            "The unbiased variance is larger: var * m / (m - 1).",
            "inverse",
        ),
    ),
)


def _running_cases() -> list[_Case]:
    rows: list[tuple[str, int, dict[str, Any]]] = [
        ("defaults (momentum = 0.9)", 3, {}),
        ("momentum = 0: the last batch only", 3, {"momentum": 0.0}),
        ("momentum = 0.99", 2, {"momentum": 0.99}),
        ("m = 4 given: unbiased variance", 3, {"m": 4}),
        ("one unit, m = 2, momentum = 0.8", 1, {"m": 2, "momentum": 0.8}),
    ]
    cases = []
    for k, (words, n, kw) in enumerate(rows):
        gen = _gen(190 + k)
        args: dict[str, Any] = {
            "running_mean": gen.normal(0, 1, (n, 1)),
            "running_var": gen.uniform(0.5, 2, (n, 1)),
            "mu": gen.normal(1, 1, (n, 1)),
            "var": gen.uniform(0.5, 4, (n, 1)),
            **kw,
        }
        cases.append(_Case(words, args))
    return cases


def check_update_running_averages(fn: Callable[..., Any]) -> CheckResult:
    r"""Check your ``update_running_averages(running_mean, running_var, ...)``.

    Compares ``fn(running_mean, running_var, mu, var, momentum=..., m=...)``
    with :func:`~dnnref.batchnorm.update_running_averages` (the old estimate
    weighted by ``momentum``; with ``m``, the unbiased batch variance) on 5
    cases, momentum = 0 included.

    Diagnoses: momentum flipped (PyTorch's convention); m ignored;
    (m - 1) / m instead of m / (m - 1); different default for momentum.

    Parameters
    ----------
    fn : callable
        Your function ``fn(running_mean, running_var, mu, var,
        momentum=0.9, m=None)`` returning ``(running_mean, running_var)``.

    Returns
    -------
    CheckResult
        ``.passed``, and the first failure and likely mistake if not.

    Examples
    --------
    >>> check_update_running_averages(update_running_averages)
    PASSED: update_running_averages matches the reference on 5 cases.
    """
    return _check(_RUNNING, _callable(fn), _running_cases())
