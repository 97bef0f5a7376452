"""Compare a learner's output with the reference's, and say where it differs.

Every comparison returns None or a ``_Problem``: the first difference in
words (a missing key, a wrong shape, the largest error and where), and the
mistake when the difference names it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np

from dnnref.checks._cases import RTOL, _Spec


class _Problem(NamedTuple):
    text: str
    mistake: str | None = None
    hint: str | None = None


class _Any:
    """Placeholder for an output that is not compared (a cache)."""


_ANY = _Any()


def _fmt(x: float) -> str:
    return f"{x:.6g}"


def _kind(x: Any) -> str:
    if x is None:
        return "None"
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape}"
    if isinstance(x, (tuple, list)):
        return f"a {type(x).__name__} of {len(x)}"
    if isinstance(x, Mapping):
        return "a dict"
    if isinstance(x, (int, float, np.number)):
        return (
            f"the number {x}"
            if np.iscomplexobj(x)
            else (f"the number {_fmt(float(x))}")
        )
    return f"a {type(x).__name__}"


def _close(
    a: np.typing.NDArray[np.float64],
    e: np.typing.NDArray[np.float64],
    atol: float,
    loose: bool,
) -> np.typing.NDArray[np.bool_]:
    ok: np.typing.NDArray[np.bool_] = np.isclose(
        a, e, rtol=RTOL, atol=atol, equal_nan=True
    )  # (no warning for nan or inf)
    if loose:  # when naming a slip: any nan or inf stands for any other
        ok |= ~np.isfinite(a) & ~np.isfinite(e)
    return ok


def _where(head: str, tail: str, index: tuple[int, ...]) -> str:
    inner = ", ".join(str(int(i)) for i in index)
    return f"{head}[{inner}]{tail}" if index else f"{head}{tail}"


def _compare(
    actual: Any,
    expected: Any,
    spec: _Spec,
    head: str,
    tail: str = "",
    loose: bool = False,
) -> _Problem | None:
    """Describe the first difference of ``actual`` from ``expected``."""
    if isinstance(expected, _Any):
        return None
    name = f"{head}{tail}"
    if actual is None:
        return _Problem(f"{name} is None, expected {_kind(expected)}")
    if isinstance(expected, Mapping):
        return _compare_dict(actual, expected, spec, name, loose)
    if isinstance(expected, (tuple, list)):
        return _compare_sequence(actual, expected, spec, head, tail, loose)
    if isinstance(expected, float):
        return _compare_float(actual, expected, spec, name, loose)
    if isinstance(expected, np.ndarray):
        return _compare_array(actual, expected, spec, head, tail, loose)
    try:  # a learner's output as the expected one (another seed): anything
        same = bool(np.all(actual == expected))
    except Exception:  # noqa: BLE001
        same = False
    return None if same else _Problem(f"{name} differs")


def _compare_dict(
    actual: Any,
    expected: Mapping[str, Any],
    spec: _Spec,
    name: str,
    loose: bool,
) -> _Problem | None:
    keys = ", ".join(expected)
    if not isinstance(actual, Mapping):
        return _Problem(f"{name} is {_kind(actual)}, expected a dict ({keys})")
    missing = [k for k in expected if k not in actual]
    extra = [k for k in actual if k not in expected]
    if missing:
        return _Problem(
            f"{name} has no key{'s' * (len(missing) > 1)} "
            f"{', '.join(map(repr, missing))}; "
            f"expected the keys {keys}"
        )
    if extra and not spec.extra_keys:
        return _Problem(
            f"{name} has the unexpected keys {', '.join(map(repr, extra))}; "
            f"expected only {keys}"
        )
    for key, value in expected.items():
        problem = _compare(actual[key], value, spec, str(key), "", loose)
        if problem is not None:
            return problem
    return None


def _compare_sequence(
    actual: Any,
    expected: tuple[Any, ...] | list[Any],
    spec: _Spec,
    head: str,
    tail: str,
    loose: bool,
) -> _Problem | None:
    top = head == "The result"
    names = spec.outputs if top else spec.item_names
    if isinstance(expected, tuple) and len(names) == len(expected):
        what = f"{len(expected)} values ({', '.join(names)})"
    else:
        what = f"{len(expected)} items"
    if not isinstance(actual, (tuple, list)):
        return _Problem(f"{head}{tail} is {_kind(actual)}, expected {what}")
    if len(actual) != len(expected):
        return _Problem(
            f"{head}{tail} has {len(actual)} items, expected {what}"
        )
    for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
        if isinstance(expected, tuple) and len(names) == len(expected):
            sub_head = names[i]
            sub_tail = "" if top else f" of {head}{tail}"
        else:
            sub_head, sub_tail = f"{head}[{i}]", tail
        problem = _compare(a, e, spec, sub_head, sub_tail, loose)
        if problem is not None:
            return problem
    return None


def _compare_float(
    actual: Any, expected: float, spec: _Spec, name: str, loose: bool
) -> _Problem | None:
    if isinstance(actual, np.ndarray) and actual.ndim > 0:
        return _Problem(
            f"{name} is an array of shape {actual.shape}, expected a float",
            "returns an array, not a number",
            "Return a plain number, e.g. float(cost).",
        )
    if (
        isinstance(actual, bool)
        or not isinstance(actual, (int, float, np.number, np.ndarray))
        or np.iscomplexobj(actual)
    ):
        return _Problem(f"{name} is {_kind(actual)}, expected a float")
    try:
        value = float(actual)
    except (TypeError, ValueError) as exc:
        return _Problem(f"{name} is not a real number ({exc})")
    ok = _close(np.array(value), np.array(expected), spec.atol, loose)
    if bool(ok):
        return None
    return _Problem(
        f"{name} is {_fmt(value)}, expected {_fmt(expected)} "
        f"(error {abs(value - expected):.3g})"
    )


def _compare_array(
    actual: Any,
    expected: np.typing.NDArray[Any],
    spec: _Spec,
    head: str,
    tail: str,
    loose: bool,
) -> _Problem | None:
    name = f"{head}{tail}"
    shape = expected.shape
    try:
        array = np.asarray(actual)
    except Exception:  # noqa: BLE001  (any object the learner returned)
        array = np.asarray(None)
    if array.dtype.kind not in "biuf" or (array.ndim == 0 < len(shape)):
        return _Problem(
            f"{name} is {_kind(actual)}, expected an array of shape {shape}"
        )
    if array.shape != shape:
        return _Problem(
            f"{name} has shape {array.shape}, expected shape {shape}"
        )
    a = array.astype(np.float64)
    e = np.asarray(expected, dtype=np.float64)
    ok = _close(a, e, spec.atol, loose)
    if ok.all():
        return None
    with np.errstate(all="ignore"):
        error = np.where(ok, 0.0, np.abs(a - e))
    error[np.isnan(error)] = np.inf
    index = np.unravel_index(int(np.argmax(error)), shape)
    where = _where(head, tail, tuple(int(i) for i in index))
    count = f"{int((~ok).sum())} of {e.size} entries differ"
    if not np.isfinite(a[index]):
        return _Problem(
            f"{name} has {_fmt(a[index])} at {where}, expected "
            f"{_fmt(e[index])} ({count})"
        )
    return _Problem(
        f"{name}: largest error {error[index]:.3g} at {where}: expected "
        f"{_fmt(e[index])}, got {_fmt(a[index])} ({count})"
    )


def _first_change(before: Any, after: Any, name: str) -> str | None:
    """Where an input was modified in place, or None."""
    if isinstance(before, np.ndarray):
        if not isinstance(after, np.ndarray):
            return f"{name} was replaced by {_kind(after)}"
        if after.shape != before.shape:
            return f"{name} changed shape from {before.shape} to {after.shape}"
        if np.array_equal(before, after, equal_nan=before.dtype.kind == "f"):
            return None
        index = tuple(int(i) for i in np.argwhere(before != after)[0])
        old, new = float(before[index]), float(after[index])
        show = _fmt if _fmt(old) != _fmt(new) else repr
        return f"{_where(name, '', index)} was {show(old)}, is now {show(new)}"
    if isinstance(before, dict):
        if list(before) != list(after):
            return f"{name} now has the keys {list(after)}"
        for key in before:
            change = _first_change(before[key], after[key], f"{name}[{key!r}]")
            if change is not None:
                return change
    if isinstance(before, (list, tuple)):
        if len(after) != len(before):
            return f"{name} had {len(before)} items, now {len(after)}"
        for i, (b, a) in enumerate(zip(before, after, strict=True)):
            change = _first_change(b, a, f"{name}[{i}]")
            if change is not None:
                return change
    return None
