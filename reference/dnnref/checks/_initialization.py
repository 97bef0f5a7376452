"""Check of ``dnnref.initialization``, and the networks other checks use."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from dnnref.checks._cases import _Case, _gen, _given, _Rng, _slips, _Spec
from dnnref.checks._engine import _callable, _check
from dnnref.checks._result import CheckResult
from dnnref.initialization import initialize_parameters

_METHODS = ("zeros", "random", "he", "xavier", "glorot")


def _init_slip(
    layer_dims: Any,
    method: str = "he",
    rng: Any = None,
    scale: float = 10.0,
    *,
    slip: str,
) -> dict[str, Any]:
    parameters = {}
    for layer in range(1, len(layer_dims)):
        n, n_prev = layer_dims[layer], layer_dims[layer - 1]
        fan = n if slip == "fan-out" else n_prev
        factor = {
            "zeros": 0.0,
            "random": scale,
            "he": np.sqrt(2 / fan),
            "xavier": np.sqrt(1 / fan),
            "glorot": np.sqrt(2 / (n_prev + n)),
        }[method]
        swapped = {  # slip: (the method it hits, the factor it uses)
            "xavier-glorot": ("xavier", np.sqrt(2 / (n_prev + n))),
            "glorot-xavier": ("glorot", np.sqrt(1 / n_prev)),
            "notes-glorot": ("glorot", np.sqrt(1 / (n_prev + n))),
            "he-1": ("he", np.sqrt(1 / n_prev)),
            "xavier-2": ("xavier", np.sqrt(2 / n_prev)),
        }
        if slip in swapped and swapped[slip][0] == method:
            factor = swapped[slip][1]
        if slip == "variance" and method in {"he", "xavier", "glorot"}:
            factor = factor**2
        shape = (n_prev, n) if slip == "transposed" else (n, n_prev)
        W = rng.standard_normal(shape) * factor
        b = np.zeros((n, 1))
        if slip == "biases":
            b = rng.standard_normal((n, 1)) * factor
        parameters[f"W{layer}"], parameters[f"b{layer}"] = W, b
    return parameters


_INIT = _Spec(
    initialize_parameters,
    ("parameters",),
    _slips(
        _init_slip,
        (
            "variance instead of standard deviation",
            (
                "The factor multiplies standard normal draws, so it is a "
                "standard deviation: np.sqrt(2 / n[l-1]) for He, not "
                "2 / n[l-1]."
            ),
            "variance",
        ),
        (
            "n[l] instead of n[l-1]",
            (
                "Scale by the number of inputs of the layer (fan-in), "
                "n[l-1] = layer_dims[l - 1], not n[l]."
            ),
            "fan-out",
        ),
        (
            "Glorot's factor for Xavier",
            (
                "The course's Xavier factor is np.sqrt(1 / n[l-1]); "
                "np.sqrt(2 / (n[l-1] + n[l])) is Glorot's."
            ),
            "xavier-glorot",
        ),
        (
            "Xavier's factor for Glorot",
            (
                "Glorot's factor is np.sqrt(2 / (n[l-1] + n[l])), not the "
                "course's Xavier np.sqrt(1 / n[l-1])."
            ),
            "glorot-xavier",
        ),
        (
            "the notes' Glorot factor",
            (
                "The notes write np.sqrt(1 / (n[l-1] + n[l])); Glorot and "
                "Bengio's factor has a 2: np.sqrt(2 / (n[l-1] + n[l]))."
            ),
            "notes-glorot",
        ),
        (
            "He with a 1 (Xavier's factor)",
            "He initialization has a 2 in the numerator: np.sqrt(2 / n[l-1]).",
            "he-1",
        ),
        (
            "Xavier with a 2 (He's factor)",
            (
                "The course's Xavier has a 1 in the numerator: "
                "np.sqrt(1 / n[l-1])."
            ),
            "xavier-2",
        ),
        (
            "W transposed",
            (
                "W[l] has shape (n[l], n[l-1]): draw rng.standard_normal("
                "(layer_dims[l], layer_dims[l - 1]))."
            ),
            "transposed",
        ),
        (
            "random biases",
            (
                "Biases start at zero, np.zeros((n[l], 1)); drawing them also "
                "shifts every later draw of the rng."
            ),
            "biases",
        ),
    ),
)


def _init_cases(methods: tuple[str, ...]) -> list[_Case]:
    cases = []
    for method in methods:
        for dims, rng, words in (
            ([5, 4, 3, 1], _Rng("legacy", 3), "the course's RandomState(3)"),
            ([3, 6, 2], _Rng("default", 0), "default_rng(0)"),
            ([1, 1], _Rng("default", 1), "one feature, one unit"),
            ([2, 8, 1], _Rng("legacy", 7), "RandomState(7)"),
        ):
            scale = 3.0 if method == "random" else None
            args = _given(layer_dims=dims, method=method, rng=rng, scale=scale)
            cases.append(_Case(f'method="{method}", {dims}, {words}', args))
    return cases


def check_initialize_parameters(
    fn: Callable[..., Any],
    methods: str | tuple[str, ...] | list[str] = ("he", "xavier", "glorot"),
) -> CheckResult:
    r"""Check your ``initialize_parameters(layer_dims, method, rng)``.

    Calls ``fn(layer_dims, method=..., rng=...)`` for each of ``methods`` on 4
    networks, with a legacy ``np.random.RandomState`` (the course's draws) and
    a ``np.random.default_rng``, and compares the dict of ``W1, b1, W2, ...``
    with :func:`~dnnref.initialization.initialize_parameters`.  The draws must
    be ``rng.standard_normal((n[l], n[l-1]))`` for W1, W2, ... in order.

    Diagnoses: variance instead of standard deviation; n[l] instead of
    n[l-1]; Glorot's factor for Xavier; Xavier's factor for Glorot; the
    notes' Glorot factor; He with a 1 (Xavier's factor); Xavier with a 2
    (He's factor); W transposed; random biases; ignores rng;
    rng.randn on a Generator.

    Parameters
    ----------
    fn : callable
        Your function ``fn(layer_dims, method="he", rng=None,
        scale=10.0)`` returning the parameters dict.
    methods : str or sequence of str, default ("he", "xavier", "glorot")
        The methods to check, among ``"zeros"``, ``"random"``, ``"he"``,
        ``"xavier"`` (the course's) and ``"glorot"``.

    Returns
    -------
    CheckResult
        ``.passed``, and the first failure and likely mistake if not.

    Examples
    --------
    >>> check_initialize_parameters(initialize_parameters)
    PASSED: initialize_parameters matches the reference on 12 cases.
    >>> def he_by_variance(layer_dims, method="he", rng=None, scale=10.0):
    ...     parameters = {}
    ...     for l in range(1, len(layer_dims)):
    ...         shape = (layer_dims[l], layer_dims[l - 1])
    ...         parameters[f"W{l}"] = (rng.standard_normal(shape)
    ...                                * 2 / layer_dims[l - 1])
    ...         parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
    ...     return parameters
    >>> check_initialize_parameters(he_by_variance, methods="he").mistake
    'variance instead of standard deviation'
    """
    fn = _callable(fn)
    chosen = (methods,) if isinstance(methods, str) else tuple(methods)
    if not chosen or any(m not in _METHODS for m in chosen):
        msg = f"methods must be among {_METHODS}, got {methods!r}"
        raise ValueError(msg)
    return _check(_INIT, fn, _init_cases(chosen))


# ---------------------------------------------------------------------------
# A small network's data and parameters (the checks of _network and
# _regularization use them)


def _network(
    dims: list[int], m: int, seed: int
) -> tuple[Any, Any, dict[str, Any]]:
    """Make data X, labels Y and He parameters with nonzero biases."""
    gen = _gen(seed)
    parameters = initialize_parameters(dims, "he", _gen(seed + 100))
    for layer in range(1, len(dims)):
        parameters[f"b{layer}"] = gen.normal(0, 0.1, (dims[layer], 1))
    X = gen.standard_normal((dims[0], m))
    Y = (gen.random((1, m)) < 0.5).astype(np.float64)
    return X, Y, parameters
