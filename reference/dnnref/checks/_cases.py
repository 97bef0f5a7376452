"""What a check is made of: cases, slips and the spec that ties them.

A check runs a learner's function on a list of ``_Case`` (arguments by
name), compares each output with its ``_Spec``'s reference, and names the
first ``_Slip`` (a known mistake, written as a formula) whose output the
wrong answer matches.  Also here: how a case calls a function (the
reference's signature: required arguments by position, the others by name)
and how its inputs are shown in words.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

RTOL = 1e-6  # relative tolerance of every comparison
ATOL = 1e-9  # absolute tolerance (gradient_check uses 1e-7, see there)
_EMPTY = inspect.Parameter.empty


@dataclass(frozen=True)
class _Rng:
    """A random generator to build afresh for every call (same draws)."""

    kind: str  # "legacy" (np.random.RandomState) or "default"
    seed: int

    def make(self) -> np.random.Generator | np.random.RandomState:
        if self.kind == "legacy":
            return np.random.RandomState(self.seed)
        return np.random.default_rng(self.seed)

    def __str__(self) -> str:
        if self.kind == "legacy":
            return f"np.random.RandomState({self.seed})"
        return f"np.random.default_rng({self.seed})"


@dataclass(frozen=True)
class _Case:
    """One call: its description, arguments (by name) and how to show them.

    ``ref_args`` (default ``args``) are given to the reference and the
    slips instead, when the learner's arguments differ (their own cache).
    """

    words: str
    args: dict[str, Any]
    shown: dict[str, str] = field(default_factory=dict)
    ref_args: dict[str, Any] | None = None


@dataclass(frozen=True)
class _Slip:
    """A known mistake: its name, how to fix it, the formula with it."""

    name: str
    hint: str
    fn: Callable[..., Any]


@dataclass(frozen=True)
class _Spec:
    """What a check compares: the reference, its outputs and its slips."""

    reference: Callable[..., Any]
    outputs: tuple[str, ...]  # names of the returned values
    slips: tuple[_Slip, ...]
    compared: tuple[int, ...] | None = None  # outputs compared (all: None)
    extra_keys: bool = False  # a returned dict may hold more keys
    item_names: tuple[str, ...] = ()  # names inside each item of a list
    atol: float = ATOL


# ---------------------------------------------------------------------------
# Building cases and slips (each topic module does)


def _slips(
    formula: Callable[..., Any], *table: tuple[str, str, str]
) -> tuple[_Slip, ...]:
    """Make the slips of one formula: rows of (name, hint, key of the slip).

    ``formula(..., slip=key)`` computes the reference's output with that
    slip made.  The diagnosis tries the slips in the order of the rows.
    """
    return tuple(
        _Slip(name, hint, functools.partial(formula, slip=key))
        for name, hint, key in table
    )


def _given(**args: Any) -> dict[str, Any]:
    """Keep the arguments of a case not left at None (None: the default)."""
    return {name: value for name, value in args.items() if value is not None}


def _gen(seed: int) -> np.random.Generator:
    """Make a generator of the check's test data (not the learner's)."""
    return np.random.default_rng(seed)


# ---------------------------------------------------------------------------
# Calling a function as the reference is called, and saying so in words


def _fresh(value: Any) -> Any:
    """Copy arrays and containers; a new generator for each ``_Rng``."""
    if isinstance(value, _Rng):
        return value.make()
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, dict):
        return {k: _fresh(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_fresh(v) for v in value)
    return value


@functools.cache
def _parameters(
    reference: Callable[..., Any],
) -> Mapping[str, inspect.Parameter]:
    return inspect.signature(reference).parameters


def _split(
    reference: Callable[..., Any], args: dict[str, Any]
) -> tuple[list[Any], dict[str, Any]]:
    """Split ``args``: required ones by position, the others by name."""
    params = _parameters(reference)
    positional = [
        args[p] for p in params if p in args and params[p].default is _EMPTY
    ]
    keywords = {
        p: args[p]
        for p in params
        if p in args and params[p].default is not _EMPTY
    }
    return positional, keywords


def _short(value: Any) -> str:
    if isinstance(value, (bool, int, float, str)) or value is None:
        return repr(value)
    return "..."


def _call_text(
    name: str, reference: Callable[..., Any], args: dict[str, Any]
) -> str:
    params = _parameters(reference)
    parts = [
        p if params[p].default is _EMPTY else f"{p}={_short_arg(p, args[p])}"
        for p in params
        if p in args
    ]
    return f"{name}({', '.join(parts)})"


def _short_arg(name: str, value: Any) -> str:
    text = "..." if isinstance(value, _Rng) else _short(value)
    return name if text == "..." else text


def _describe(name: str, value: Any) -> str:
    """Shape and key values of one input, in a few words."""
    if isinstance(value, _Rng):
        return f"{name} = {value}"
    if isinstance(value, np.ndarray):
        shape = str(value.shape)
        if value.size and value.dtype != bool and not np.any(value):
            return f"{name} = zeros {shape}"
        if value.size <= 3:
            flat = np.array2string(value, precision=4, separator=", ")
            return f"{name} = {' '.join(flat.split())}"
        if value.dtype == bool:
            return f"{name} {shape} ({int(value.sum())} of {value.size} True)"
        return f"{name} {shape}"
    if isinstance(value, dict):
        inner = ", ".join(
            f"{k} {np.shape(v)}" if isinstance(v, np.ndarray) else f"{k}"
            for k, v in value.items()
        )
        return f"{name} = {{{inner}}}"
    if isinstance(value, (list, tuple)):
        if all(isinstance(x, (int, float)) for x in value):
            return f"{name} = {value!r}"
        return f"{name}: {type(value).__name__} of {len(value)}"
    if callable(value):
        doc = (getattr(value, "__doc__", None) or "").strip()
        return f"{name}: {doc.splitlines()[0].rstrip('.')}" if doc else name
    return f"{name} = {_short(value)}"


def _inputs_text(case: _Case) -> str:
    return ", ".join(
        case.shown.get(k, _describe(k, v)) for k, v in case.args.items()
    )
