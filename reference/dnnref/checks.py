r"""Self-checks: run your implementation beside the reference, find the slip.

Each ``check_<name>(fn)`` calls your function ``fn`` the way the reference
function ``dnnref.<name>`` is called (required arguments by position, the
others by name), on several inputs: random ones with fixed seeds, and the
edge cases (one example, one feature, ``t = 1``, ``keep_prob = 1``,
``beta = 0``, a zero-variance feature, a legacy ``np.random.RandomState``
and a ``np.random.default_rng`` where draws matter).  It compares every
output with the reference and, when one differs, recomputes the known
slips of that formula (sigma squared for sigma, epsilon inside the square
root, no bias correction, ...) and names the one your output matches::

    from dnnref import checks

    def my_adam_update(W, dW, v, s, t, learning_rate=0.01, beta1=0.9,
                       beta2=0.999, epsilon=1e-8):
        ...

    checks.check_adam_update(my_adam_update)

A check never raises because of your function: an exception, ``None``, a
nan, a wrong shape or an input modified in place is a failed check, with
the case, the inputs, the largest error and where it is.  Besides the
slips of each formula, every check names these mistakes: no return value,
different signature, different default (for an argument you left out),
modifies its input; and those that draw: ignores rng, ``rng.randn`` (or
``rand``) on a Generator.  The result is a
:class:`CheckResult`: ``.passed``, ``.failure`` (the first failing case in
words), ``.mistake`` and ``.hint`` (the likely slip and how to fix it).  It
prints as a few lines in a terminal and as a small box in a notebook.

Checks are pure: they build their own random generators, and restore
NumPy's global random state even if your function draws from it.  Each
takes a few milliseconds, so a page can run its exercise's solution
through one: ``assert checks.check_adam_update(adam_update).passed``.

>>> from dnnref import checks
>>> def my_adam_update(W, dW, v, s, t, learning_rate=0.01, beta1=0.9,
...                    beta2=0.999, epsilon=1e-8):
...     v = beta1 * v + (1 - beta1) * dW
...     s = beta2 * s + (1 - beta2) * dW**2
...     W = W - learning_rate * v / (np.sqrt(s) + epsilon)
...     return W, v, s
>>> result = checks.check_adam_update(my_adam_update)
>>> result.passed, result.mistake
(False, 'no bias correction')
>>> print(result.hint)
Divide by 1 - beta**t before the step: v_corrected = v / (1 - beta1**t),
s_corrected = s / (1 - beta2**t).
"""

from __future__ import annotations

import functools
import html
import inspect
import textwrap
import traceback
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from dnnref.batchnorm import (
    batchnorm_backward,
    batchnorm_forward,
    batchnorm_inference,
    update_running_averages,
)
from dnnref.gradcheck import gradient_check
from dnnref.initialization import initialize_parameters
from dnnref.minibatch import random_mini_batches
from dnnref.network import (
    backward_propagation,
    compute_cost,
    forward_propagation,
)
from dnnref.normalization import compute_normalization, normalize
from dnnref.optimizers import (
    adam_update,
    exponentially_weighted_average,
    gd_update,
    learning_rate_decay,
    momentum_update,
    rmsprop_update,
)
from dnnref.regularization import dropout_backward, dropout_forward, l2_penalty

__all__ = [
    "CheckResult",
    "check_adam_update",
    "check_backward_propagation",
    "check_batchnorm_backward",
    "check_batchnorm_forward",
    "check_batchnorm_inference",
    "check_compute_cost",
    "check_compute_normalization",
    "check_dropout_backward",
    "check_dropout_forward",
    "check_exponentially_weighted_average",
    "check_forward_propagation",
    "check_gd_update",
    "check_gradient_check",
    "check_initialize_parameters",
    "check_l2_penalty",
    "check_learning_rate_decay",
    "check_momentum_update",
    "check_normalize",
    "check_random_mini_batches",
    "check_rmsprop_update",
    "check_update_running_averages",
]

RTOL = 1e-6  # relative tolerance of every comparison
ATOL = 1e-9  # absolute tolerance (gradient_check uses 1e-7, see there)
_EMPTY = inspect.Parameter.empty
_NUMPY_DIR = str(Path(np.__file__).parent)
_HERE = str(Path(__file__).resolve())
_GREEN, _RED = "#2da44e", "#e5534b"  # readable on light and dark themes


# ---------------------------------------------------------------------------
# The result


@dataclass(frozen=True, repr=False)
class CheckResult:
    """Outcome of one check: passed or not, and why.

    Attributes
    ----------
    name : str
        The reference function checked against, e.g. ``"adam_update"``.
    function : str
        The name of the function that was checked.
    passed : bool
        True when every case matched the reference.
    n_cases : int
        Number of cases run.
    n_failed : int
        Number of cases that failed.
    case : str or None
        The first failing case, in words.
    failure : str or None
        The first failing case: which case, how it was called with which
        inputs, and what went wrong (expected and actual shape or value,
        the largest error and where).  None when passed.
    mistake : str or None
        Name of the likely mistake, when the wrong output matches a known
        slip (or the failure says it plainly: no return value, an input
        modified in place, ...).
    hint : str or None
        One sentence on how to fix ``mistake``.
    """

    name: str
    function: str
    passed: bool
    n_cases: int
    n_failed: int = 0
    case: str | None = None
    failure: str | None = None
    mistake: str | None = None
    hint: str | None = None

    def __bool__(self) -> bool:
        return self.passed

    def _summary(self) -> str:
        reference = "the reference"
        if self.function != self.name:
            reference += f" {self.name}"
        if self.passed:
            return (
                f"{self.function} matches {reference} on {self.n_cases} cases."
            )
        return (
            f"{self.function} fails {self.n_failed} of {self.n_cases} cases "
            f"against {reference}."
        )

    def _lines(self) -> list[str]:
        lines = [] if self.failure is None else self.failure.splitlines()
        if self.mistake is not None:
            lines.append(f"Likely mistake: {self.mistake}. {self.hint or ''}")
        return lines

    def __repr__(self) -> str:
        head = "PASSED" if self.passed else "FAILED"
        lines = [f"{head}: {self._summary()}", *self._lines()]
        return "\n".join(
            textwrap.fill(
                line,
                width=79,
                initial_indent="" if k == 0 else "  ",
                subsequent_indent="    ",
                break_on_hyphens=False,
            )
            for k, line in enumerate(lines)
        )

    def _repr_html_(self) -> str:
        color = _GREEN if self.passed else _RED
        head = "PASSED" if self.passed else "FAILED"
        parts = [
            (
                f'<div style="border-left: 0.3em solid {color}; '
                "padding: 0.1em 0 0.1em 0.7em; margin: 0.4em 0; "
                'line-height: 1.5">'
            ),
            (
                f'<div><strong style="color: {color}">{head}</strong>: '
                f"{html.escape(self._summary())}</div>"
            ),
        ]
        for line in self._lines():
            if line.startswith("Likely mistake: ") and self.mistake:
                rest = line.removeprefix(f"Likely mistake: {self.mistake}")
                parts.append(
                    "<div>Likely mistake: "
                    f"<strong>{html.escape(self.mistake)}</strong>"
                    f"{html.escape(rest)}</div>"
                )
            else:
                parts.append(f"<div>{html.escape(line)}</div>")
        parts.append("</div>")
        return "\n".join(parts)


# ---------------------------------------------------------------------------
# Cases, slips and the engine that runs them


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


class _Problem(NamedTuple):
    text: str
    mistake: str | None = None
    hint: str | None = None


@dataclass
class _Outcome:
    call: str
    output: Any = None
    problem: _Problem | None = None
    value_wrong: bool = False  # the output differs from the reference
    raised: BaseException | None = None


class _Any:
    """Placeholder for an output that is not compared (a cache)."""


_ANY = _Any()


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


def _raised_text(exc: BaseException, fn: Callable[..., Any]) -> str:
    """Describe the exception and the learner's line that raised it."""
    message = str(exc)
    message = message if len(message) <= 200 else message[:197] + "..."
    text = f"raised {type(exc).__name__}: {message}"
    frames = traceback.extract_tb(exc.__traceback__)[1:]
    code = getattr(fn, "__code__", None)
    mine = [
        f
        for f in frames
        if code is not None
        and f.filename == code.co_filename
        and f.name == code.co_name
    ]
    if not mine:
        mine = [
            f
            for f in frames
            if not f.filename.startswith(_NUMPY_DIR) and f.filename != _HERE
        ]
    if mine:
        frame = mine[-1]
        line = f": {frame.line.strip()}" if frame.line else ""
        text += f" (in {frame.name}, line {frame.lineno}{line})"
    return text


def _known_exception(exc: BaseException) -> _Problem | None:
    message = str(exc)
    if isinstance(exc, AttributeError) and "Generator" in message:
        for old, new in (
            ("randn", "standard_normal"),
            ("rand", "random"),
            ("random_sample", "random"),
        ):
            if f"'{old}'" in message:
                return _Problem(
                    "",
                    f"rng.{old} on a Generator",
                    f"np.random.default_rng() has no {old}: draw with "
                    f"rng.{new}(shape), which both kinds of rng have.",
                )
    return None


def _learner_name(fn: Callable[..., Any]) -> str:
    name = getattr(fn, "__name__", None)
    return name if isinstance(name, str) else "your function"


def _reference_output(spec: _Spec, case: _Case) -> Any:
    args = case.args if case.ref_args is None else case.ref_args
    positional, keywords = _split(spec.reference, _fresh(args))
    return _mask(spec, spec.reference(*positional, **keywords))


def _mask(spec: _Spec, output: Any) -> Any:
    if spec.compared is None or not isinstance(output, tuple):
        return output
    return tuple(
        x if i in spec.compared else _ANY for i, x in enumerate(output)
    )


def _slip_output(spec: _Spec, slip: _Slip, case: _Case) -> Any:
    args = case.args if case.ref_args is None else case.ref_args
    positional, keywords = _split(spec.reference, _fresh(args))
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _mask(spec, slip.fn(*positional, **keywords))


def _call_learner(
    spec: _Spec, fn: Callable[..., Any], args: dict[str, Any]
) -> tuple[Any, list[str]]:
    """Call ``fn`` as the reference is called; restore np.random's state."""
    positional, keywords = _split(spec.reference, args)
    state = np.random.get_state()  # noqa: NPY002  (saved, restored)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            output = fn(*positional, **keywords)
        finally:
            np.random.set_state(state)  # noqa: NPY002
    return output, [f"{w.category.__name__}: {w.message}" for w in caught]


def _signature_problem(
    spec: _Spec, fn: Callable[..., Any], args: dict[str, Any], call: str
) -> _Problem | None:
    positional, keywords = _split(spec.reference, args)
    try:
        inspect.signature(fn).bind(*positional, **keywords)
    except TypeError as exc:
        params = _parameters(spec.reference).values()
        wanted = ", ".join(
            p.name if p.default is _EMPTY else f"{p.name}={p.default!r}"
            for p in params
        )
        return _Problem(
            f"It cannot be called as {call}: {exc}",
            "different signature",
            f"Define it as def {spec.reference.__name__}({wanted}); the check "
            "passes required arguments by position and the others by name.",
        )
    except ValueError:  # no signature to inspect (a builtin): just call it
        return None
    return None


def _judge(
    spec: _Spec,
    case: _Case,
    args: dict[str, Any],
    outcome: _Outcome,
    warned: list[str],
    expected: Any,
) -> None:
    """Set ``outcome.problem``: wrong output, or an input changed."""
    changed = next(
        (
            change
            for k in case.args
            if (change := _first_change(case.args[k], args[k], k)) is not None
        ),
        None,
    )
    if outcome.output is None:
        outcome.problem = _Problem(
            "It returned None",
            "no return value",
            f"End the function with return {', '.join(spec.outputs)}.",
        )
        return
    problem = _compare(outcome.output, expected, spec, _top(spec))
    if problem is not None:
        outcome.value_wrong = True
        text = problem.text
        if warned:
            text += f".\nIt warned: {warned[0]}"
        if changed is not None:
            text += f".\nIt also modified an input in place: {changed}"
        outcome.problem = problem._replace(text=text)
    elif changed is not None:
        outcome.problem = _Problem(
            "The output is right, but it modified an input in place: "
            f"{changed}",
            "modifies its input",
            "Build new arrays (v = beta * v + ...) instead of updating an "
            "input in place (v *= ..., v[...] = ..., W -= ...); copy it "
            "first (W = W.copy()) if you must.",
        )


def _run_case(spec: _Spec, fn: Callable[..., Any], case: _Case) -> _Outcome:
    expected = _reference_output(spec, case)
    outcome = _Outcome(
        _call_text(_learner_name(fn), spec.reference, case.args)
    )
    args = _fresh(case.args)
    outcome.problem = _signature_problem(spec, fn, args, outcome.call)
    if outcome.problem is not None:
        return outcome
    try:
        outcome.output, warned = _call_learner(spec, fn, args)
    except Exception as exc:  # noqa: BLE001  (the learner's code: report it)
        outcome.raised = exc
        outcome.problem = _Problem("It " + _raised_text(exc, fn))
        return outcome
    try:
        _judge(spec, case, args, outcome, warned, expected)
    except Exception as exc:  # noqa: BLE001  (an output too odd to compare)
        outcome.problem = _Problem(
            f"Its result could not be compared: {type(exc).__name__}: {exc}"
        )
    return outcome


def _top(spec: _Spec) -> str:
    return "The result" if len(spec.outputs) > 1 else spec.outputs[0]


def _differs(a: Any, b: Any) -> bool:
    try:
        return bool(a != b)
    except Exception:  # noqa: BLE001  (an array default, say)
        return True


def _default_problem(
    spec: _Spec, fn: Callable[..., Any], case: _Case
) -> _Problem | None:
    """Find a default value of ``fn`` that differs from the reference's."""
    try:
        mine = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return None
    for name, p in _parameters(spec.reference).items():
        q = mine.get(name)
        if p.default is _EMPTY or name in case.args or q is None:
            continue
        if q.default is not _EMPTY and _differs(q.default, p.default):
            return _Problem(
                "",
                f"different default for {name}",
                f"The reference's default is {name}={p.default!r}; yours is "
                f"{name}={q.default!r}.",
            )
    return None


def _slip_matches(
    spec: _Spec, slip: _Slip, cases: list[_Case], outcomes: list[_Outcome]
) -> bool:
    """Tell if ``slip`` gives the learner's output where it is wrong."""
    for case, outcome in zip(cases, outcomes, strict=True):
        if not outcome.value_wrong:
            continue
        try:
            wrong = _slip_output(spec, slip, case)
        except Exception:  # noqa: BLE001  (a slip may not apply to a case)
            return False
        head = _top(spec)
        if _compare(outcome.output, wrong, spec, head, loose=True) is not None:
            return False
    return True


def _ignores_rng(
    spec: _Spec, fn: Callable[..., Any], case: _Case, output: Any
) -> bool:
    """Tell if the learner's output stays put when the seed changes."""
    names = [k for k, v in case.args.items() if isinstance(v, _Rng)]
    if not names:
        return False
    other = dict(case.args)
    for k in names:
        other[k] = _Rng(case.args[k].kind, case.args[k].seed + 1)
    moved = _Case(case.words, other)
    head = _top(spec)
    expected, expected_other = (
        _reference_output(spec, c) for c in (case, moved)
    )
    if _compare(expected_other, expected, spec, head) is None:
        return False
    try:
        output_other, _ = _call_learner(spec, fn, _fresh(other))
    except Exception:  # noqa: BLE001
        return False
    return _compare(output_other, _mask(spec, output), spec, head) is None


def _diagnose(
    spec: _Spec,
    fn: Callable[..., Any],
    cases: list[_Case],
    outcomes: list[_Outcome],
    first: int,
) -> tuple[str | None, str | None]:
    problem = outcomes[first].problem
    assert problem is not None  # first is a failing case
    if problem.mistake in {"different signature", "no return value"}:
        return problem.mistake, problem.hint
    raised = outcomes[first].raised
    known = None if raised is None else _known_exception(raised)
    if known is not None:
        return known.mistake, known.hint
    default = _default_problem(spec, fn, cases[first])
    if default is not None and outcomes[first].value_wrong:
        return default.mistake, default.hint
    if any(o.value_wrong for o in outcomes):
        for slip in spec.slips:
            if _slip_matches(spec, slip, cases, outcomes):
                return slip.name, slip.hint
        for case, outcome in zip(cases, outcomes, strict=True):
            if outcome.value_wrong and _ignores_rng(
                spec, fn, case, outcome.output
            ):
                return "ignores rng", (
                    "Draw from the rng argument (rng.standard_normal, "
                    "rng.random, rng.permutation), not from np.random or a "
                    "generator of your own."
                )
    return problem.mistake, problem.hint


def _check(
    spec: _Spec, fn: Callable[..., Any], cases: list[_Case]
) -> CheckResult:
    """Run every case, then describe the first failure and diagnose it."""
    name = spec.reference.__name__
    outcomes = [_run_case(spec, fn, case) for case in cases]
    failed = [i for i, o in enumerate(outcomes) if o.problem is not None]
    learner = _learner_name(fn)
    if not failed:
        return CheckResult(name, learner, True, len(cases))
    first = failed[0]
    case, outcome = cases[first], outcomes[first]
    try:
        mistake, hint = _diagnose(spec, fn, cases, outcomes, first)
    except Exception:  # noqa: BLE001  (an output too odd to diagnose)
        mistake, hint = None, None
    assert outcome.problem is not None
    failure = "\n".join(
        [
            f"Case {first + 1} of {len(cases)}: {case.words}.",
            f"Called {outcome.call} with {_inputs_text(case)}.",
            f"{outcome.problem.text}.",
        ]
    )
    return CheckResult(
        name,
        learner,
        False,
        len(cases),
        len(failed),
        case.words,
        failure,
        mistake,
        hint,
    )


def _callable(fn: object, name: str = "fn") -> Callable[..., Any]:
    if not callable(fn):
        msg = f"{name} must be a function (callable), got {fn!r}"
        raise TypeError(msg)
    return fn


def _slip(
    name: str, hint: str, formula: Callable[..., Any], slip: str
) -> _Slip:
    return _Slip(name, hint, functools.partial(formula, slip=slip))


def _gen(seed: int) -> np.random.Generator:
    """Make a generator of the check's test data (not the learner's)."""
    return np.random.default_rng(seed)


# ---------------------------------------------------------------------------
# Normalizing inputs


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
    (
        _slip(
            "variance instead of standard deviation",
            "Divide by sigma = np.std(X, axis=1, keepdims=True), the "
            "standard deviation, not its square.",
            _normalization_slip,
            "variance",
        ),
        _slip(
            "ddof = 1",
            "Use the population standard deviation (np.std's default "
            "ddof=0, divide by m), not the sample one (ddof=1).",
            _normalization_slip,
            "ddof",
        ),
        _slip(
            "zero variance not handled",
            "Set sigma to 1 where it is 0 (np.where(sigma == 0, 1.0, "
            "sigma)), so a constant feature becomes 0 instead of 0/0.",
            _normalization_slip,
            "zero",
        ),
        _slip(
            "statistics over the wrong axis",
            "Examples are the columns of X: average over axis=1 (one mean "
            "per feature), not axis=0.",
            _normalization_slip,
            "axis",
        ),
        _slip(
            "lost the column shape (keepdims)",
            "Pass keepdims=True so mu and sigma are (n_x, 1) columns that "
            "broadcast over the m examples.",
            _normalization_slip,
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
    (
        _slip(
            "divided by the variance",
            "Divide by sigma, the standard deviation, not sigma**2.",
            _normalize_slip,
            "variance",
        ),
        _slip(
            "operator precedence",
            "X - mu / sigma subtracts mu / sigma; write (X - mu) / sigma.",
            _normalize_slip,
            "precedence",
        ),
        _slip(
            "mean not subtracted",
            "Subtract the training mean first: (X - mu) / sigma.",
            _normalize_slip,
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


# ---------------------------------------------------------------------------
# Weight initialization

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


def _init_slips() -> tuple[_Slip, ...]:
    table = [
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
    ]
    return tuple(_slip(n, h, _init_slip, s) for n, h, s in table)


_INIT = _Spec(initialize_parameters, ("parameters",), _init_slips())


def _init_cases(methods: tuple[str, ...]) -> list[_Case]:
    cases = []
    for method in methods:
        for dims, rng, words in (
            ([5, 4, 3, 1], _Rng("legacy", 3), "the course's RandomState(3)"),
            ([3, 6, 2], _Rng("default", 0), "default_rng(0)"),
            ([1, 1], _Rng("default", 1), "one feature, one unit"),
            ([2, 8, 1], _Rng("legacy", 7), "RandomState(7)"),
        ):
            args: dict[str, Any] = {"layer_dims": dims, "method": method}
            args["rng"] = rng
            if method == "random":
                args["scale"] = 3.0
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
# The network: forward with dropout, cost with L2, backward


def _forward_slip(
    X: Any,
    parameters: dict[str, Any],
    keep_prob: float = 1.0,
    rng: Any = None,
    *,
    slip: str,
) -> tuple[Any, Any]:
    def drop(A: Any) -> Any:
        shape = (A.shape[0], 1) if slip == "mask-shape" else A.shape
        draw = rng.standard_normal if slip == "randn" else rng.random
        D = draw(shape) < keep_prob
        if slip == "no-rescale":
            return A * D
        return A * D * keep_prob if slip == "multiply" else A * D / keep_prob

    dropout = keep_prob < 1 and slip != "no-dropout"
    L = len(parameters) // 2
    A = drop(X) if dropout and slip == "input" else X
    for layer in range(1, L + 1):
        Z = parameters[f"W{layer}"] @ A + parameters[f"b{layer}"]
        A = np.maximum(Z, 0) if layer < L else 1 / (1 + np.exp(-Z))
        if dropout and (layer < L or slip == "output"):
            A = drop(A)
    return A, None


def _forward_slips() -> tuple[_Slip, ...]:
    table = [
        (
            "dropout not rescaled by keep_prob",
            (
                "Inverted dropout divides what is kept by keep_prob: "
                "A = A * D / keep_prob."
            ),
            "no-rescale",
        ),
        (
            "multiplied by keep_prob",
            (
                "Divide by keep_prob, don't multiply: the kept units grow so "
                "the expected activation stays the same."
            ),
            "multiply",
        ),
        (
            "mask drawn with the wrong shape",
            (
                "Draw one number per unit and example: rng.random(A.shape), "
                "not one per unit."
            ),
            "mask-shape",
        ),
        (
            "mask drawn with standard_normal",
            (
                "The mask compares uniform draws with keep_prob: "
                "rng.random(A.shape) < keep_prob (rand, not randn)."
            ),
            "randn",
        ),
        (
            "dropout on the input X",
            (
                "Dropout acts on the hidden activations A1, ..., A[L-1]; X is "
                "never dropped, so no mask is drawn for it."
            ),
            "input",
        ),
        (
            "dropout on the output layer",
            (
                "Stop after the last hidden layer: the output A[L] is never "
                "dropped."
            ),
            "output",
        ),
        (
            "dropout not applied",
            (
                "With keep_prob < 1, draw D = rng.random(A.shape) < keep_prob "
                "after each hidden ReLU and use it."
            ),
            "no-dropout",
        ),
    ]
    return tuple(_slip(n, h, _forward_slip, s) for n, h, s in table)


_FORWARD = _Spec(
    forward_propagation, ("AL", "caches"), _forward_slips(), compared=(0,)
)


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


def _forward_cases() -> list[_Case]:
    table = [
        ("no dropout (keep_prob left at 1)", [3, 4, 3, 1], 5, None),
        ("keep_prob = 0.8, RandomState(1)", [3, 4, 3, 1], 5, ("legacy", 1)),
        ("keep_prob = 0.5, default_rng(2)", [3, 5, 4, 1], 6, ("default", 2)),
        ("one example (m = 1), keep_prob = 0.7", [3, 4, 1], 1, ("default", 3)),
        (
            "one feature (n_x = 1), keep_prob = 0.6",
            [1, 6, 1],
            4,
            ("legacy", 4),
        ),
        ("keep_prob = 1 with an rng", [2, 3, 1], 3, ("default", 5)),
    ]
    cases = []
    for k, (words, dims, m, rng) in enumerate(table):
        X, _, parameters = _network(dims, m, 10 + k)
        args: dict[str, Any] = {"X": X, "parameters": parameters}
        if rng is not None:
            keep_prob = {1: 0.8, 2: 0.5, 3: 0.7, 4: 0.6}.get(k, 1.0)
            args["keep_prob"] = keep_prob
            args["rng"] = _Rng(*rng)
        cases.append(_Case(words, args))
    return cases


def check_forward_propagation(fn: Callable[..., Any]) -> CheckResult:
    r"""Check your ``forward_propagation(X, parameters, keep_prob, rng)``.

    Compares ``AL`` of ``AL, caches = fn(X, parameters, keep_prob=...,
    rng=...)`` with :func:`~dnnref.network.forward_propagation`'s
    ([LINEAR->RELU] x (L-1) -> LINEAR -> SIGMOID, inverted dropout on the
    hidden layers) on 6 cases, without dropout and with masks drawn as
    ``rng.random(A.shape) < keep_prob`` for D1, D2, ... in order, from a legacy
    ``np.random.RandomState`` and a ``np.random.default_rng``. ``caches`` may
    be anything (your backward pass reads it).

    Diagnoses: dropout not rescaled by keep_prob; multiplied by keep_prob;
    mask drawn with the wrong shape; mask drawn with standard_normal;
    dropout on the input X; dropout on the output layer; dropout not
    applied; ignores rng; rng.rand on a Generator.

    Parameters
    ----------
    fn : callable
        Your function ``fn(X, parameters, keep_prob=1.0, rng=None)``
        returning ``(AL, caches)``.

    Returns
    -------
    CheckResult
        ``.passed``, and the first failure and likely mistake if not.

    Examples
    --------
    >>> check_forward_propagation(forward_propagation)
    PASSED: forward_propagation matches the reference on 6 cases.
    """
    return _check(_FORWARD, _callable(fn), _forward_cases())


def _l2_slip(
    parameters: dict[str, Any] | None, lambd: float, m: int, slip: str
) -> float:
    keys = ("W", "b") if slip == "biases" else ("W",)
    squares = [
        np.linalg.norm(W) if slip == "not-squared" else np.sum(np.square(W))
        for k, W in (parameters or {}).items()
        if k[:1] in keys and k[1:].isdigit()
    ]
    divisor = {"over-m": m, "no-m": 2}.get(slip, 2 * m)
    return float(lambd / divisor * sum(squares))


def _l2_penalty_slip(
    parameters: dict[str, Any], lambd: float, m: int, *, slip: str
) -> float:
    return _l2_slip(parameters, lambd, m, slip)


def _cost_slip(
    AL: Any,
    Y: Any,
    parameters: dict[str, Any] | None = None,
    lambd: float = 0.0,
    *,
    slip: str,
) -> float:
    m = Y.shape[1]
    losses = Y * np.log(AL) + (1 - Y) * np.log(1 - AL)
    cost = -np.sum(losses) / (1 if slip == "sum" else m)
    cost = -cost if slip == "sign" else cost
    return float(cost) + _l2_slip(parameters, lambd, m, slip)


_L2_SLIPS = [
    (
        "L2 term over m instead of 2m",
        (
            "The penalty is lambd / (2 * m) times the sum of squares: the 1/2 "
            "is missing."
        ),
        "over-m",
    ),
    (
        "L2 term not divided by m",
        "Divide by 2 * m: lambd / (2 * m) * sum of np.sum(np.square(W)).",
        "no-m",
    ),
    (
        "biases in the L2 term",
        "Only the weights W[l] are penalized; leave the b[l] out.",
        "biases",
    ),
    (
        "norms not squared",
        (
            "Use the squared Frobenius norm, np.sum(np.square(W)), not "
            "np.linalg.norm(W)."
        ),
        "not-squared",
    ),
]

_COST = _Spec(
    compute_cost,
    ("cost",),
    (
        *(_slip(n, h, _cost_slip, s) for n, h, s in _L2_SLIPS),
        _slip(
            "cross-entropy summed, not averaged",
            "Divide the sum of the m losses by m.",
            _cost_slip,
            "sum",
        ),
        _slip(
            "minus sign missing",
            "The cost is -(1/m) * sum(Y * log(AL) + (1 - Y) * log(1 - AL)), "
            "a positive number.",
            _cost_slip,
            "sign",
        ),
    ),
)


def _cost_cases() -> list[_Case]:
    cases = []
    for words, dims, m, lambd in (
        ("no L2 (lambd left at 0)", [4, 3, 1], 8, None),
        ("L2, lambd = 0.7, 3 layers", [4, 5, 3, 1], 8, 0.7),
        ("L2, lambd = 0.1, one example (m = 1)", [3, 2, 1], 1, 0.1),
        ("parameters given but lambd = 0", [2, 2, 1], 5, 0.0),
        ("L2, lambd = 2, one layer", [3, 1], 6, 2.0),
    ):
        _, Y, parameters = _network(dims, m, 20 + m + len(dims))
        AL = _gen(m).uniform(0.05, 0.95, (1, m))
        args: dict[str, Any] = {"AL": AL, "Y": Y}
        if lambd is not None:
            args["parameters"], args["lambd"] = parameters, lambd
        cases.append(_Case(words, args))
    return cases


def check_compute_cost(fn: Callable[..., Any]) -> CheckResult:
    r"""Check your ``compute_cost(AL, Y, parameters, lambd)``.

    Compares the float ``fn(AL, Y, parameters, lambd=...)`` with
    :func:`~dnnref.network.compute_cost` (cross-entropy plus
    :math:`\frac{\lambda}{2m}\sum_l \lVert W^{[l]} \rVert_F^2`) on 5 cases:
    without L2, with L2 for 1 to 3 layers, one example, lambd = 0.

    Diagnoses: L2 term over m instead of 2m; L2 term not divided by m;
    biases in the L2 term; norms not squared; cross-entropy summed, not
    averaged; minus sign missing; returns an array, not a number.

    Parameters
    ----------
    fn : callable
        Your function ``fn(AL, Y, parameters=None, lambd=0.0)`` returning
        a float.

    Returns
    -------
    CheckResult
        ``.passed``, and the first failure and likely mistake if not.

    Examples
    --------
    >>> check_compute_cost(compute_cost)
    PASSED: compute_cost matches the reference on 5 cases.
    >>> def over_m(AL, Y, parameters=None, lambd=0.0):
    ...     m = Y.shape[1]
    ...     cost = -np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))
    ...     if lambd > 0:
    ...         W = [parameters[k] for k in parameters if k[0] == "W"]
    ...         cost += lambd / m * sum(np.sum(w**2) for w in W)
    ...     return float(cost)
    >>> result = check_compute_cost(over_m)
    >>> print(result.mistake, "-", result.hint)
    L2 term over m instead of 2m - The penalty is lambd / (2 * m) times
    the sum of squares: the 1/2 is missing.
    """
    return _check(_COST, _callable(fn), _cost_cases())


_L2 = _Spec(
    l2_penalty,
    ("penalty",),
    tuple(_slip(n, h, _l2_penalty_slip, s) for n, h, s in _L2_SLIPS),
)


def _l2_cases() -> list[_Case]:
    cases = []
    for words, dims, lambd, m in (
        ("3 layers, lambd = 0.7, m = 5", [4, 5, 3, 1], 0.7, 5),
        ("one example (m = 1)", [3, 2, 1], 0.1, 1),
        ("lambd = 0", [2, 2, 1], 0.0, 4),
        ("one layer, lambd = 2, m = 10", [3, 1], 2.0, 10),
    ):
        _, _, parameters = _network(dims, 2, 30 + len(dims))
        args = {"parameters": parameters, "lambd": lambd, "m": m}
        cases.append(_Case(words, args))
    return cases


def check_l2_penalty(fn: Callable[..., Any]) -> CheckResult:
    r"""Check your ``l2_penalty(parameters, lambd, m)``.

    Compares the float ``fn(parameters, lambd, m)`` with
    :func:`~dnnref.regularization.l2_penalty`,
    :math:`\frac{\lambda}{2m}\sum_l \lVert W^{[l]} \rVert_F^2`, on 4 cases
    (biases are nonzero and must be left out).

    Diagnoses: L2 term over m instead of 2m; L2 term not divided by m;
    biases in the L2 term; norms not squared.

    Parameters
    ----------
    fn : callable
        Your function ``fn(parameters, lambd, m)`` returning a float.

    Returns
    -------
    CheckResult
        ``.passed``, and the first failure and likely mistake if not.

    Examples
    --------
    >>> check_l2_penalty(l2_penalty)
    PASSED: l2_penalty matches the reference on 4 cases.
    """
    return _check(_L2, _callable(fn), _l2_cases())


def _backward_slip(
    AL: Any,
    Y: Any,
    caches: list[Any],
    lambd: float = 0.0,
    keep_prob: float = 1.0,
    *,
    slip: str,
) -> dict[str, Any]:
    m = Y.shape[1]
    dZ = (AL - Y) if slip == "no-mean" else (AL - Y) / m
    l2 = {"l2-half": lambd / (2 * m), "l2-no-m": lambd, "l2-missing": 0.0}
    grads = {}
    for layer in range(len(caches), 0, -1):
        A_prev, W, D_prev = caches[layer - 1]
        grads[f"dW{layer}"] = dZ @ A_prev.T + l2.get(slip, lambd / m) * W
        db = np.sum(dZ, axis=1, keepdims=slip != "db-shape")
        grads[f"db{layer}"] = db * m if slip == "db-no-mean" else db
        dA = W.T @ dZ
        if D_prev is not None:  # (forgetting D alone changes nothing:
            # A_prev > 0 below is False where D_prev dropped a unit)
            dA = (
                dA * D_prev
                if slip == "no-rescale"
                else dA * D_prev / keep_prob
            )
        dZ = dA * (A_prev > 0)
    return grads


def _backward_slips() -> tuple[_Slip, ...]:
    table = [
        (
            "L2 gradient lambd / (2m) * W",
            (
                "The derivative of lambd / (2m) * ||W||^2 is lambd / m * W: "
                "the 2 of the square cancels the 1/2."
            ),
            "l2-half",
        ),
        (
            "L2 gradient not divided by m",
            "Add lambd / m * W to dW, not lambd * W.",
            "l2-no-m",
        ),
        (
            "L2 gradient missing",
            "With lambd > 0, add lambd / m * W[l] to every dW[l].",
            "l2-missing",
        ),
        (
            "dropout backward not rescaled by keep_prob",
            (
                "Multiply dA[l] by the forward pass's mask D[l] (in the "
                "caches) and divide it by keep_prob, as the forward pass did."
            ),
            "no-rescale",
        ),
        (
            "no 1/m in the gradients",
            (
                "Average over the examples: dW = dZ @ A_prev.T / m and "
                "db = np.sum(dZ, axis=1, keepdims=True) / m."
            ),
            "no-mean",
        ),
        (
            "db not divided by m",
            "db = np.sum(dZ, axis=1, keepdims=True) / m, like dW.",
            "db-no-mean",
        ),
        (
            "db lost its column shape (keepdims)",
            "np.sum(dZ, axis=1, keepdims=True) keeps db at (n[l], 1).",
            "db-shape",
        ),
    ]
    return tuple(_slip(n, h, _backward_slip, s) for n, h, s in table)


_BACKWARD = _Spec(
    backward_propagation, ("grads",), _backward_slips(), extra_keys=True
)


def _backward_cases() -> list[_Case]:
    table = [
        ("no regularization (defaults)", [4, 5, 3, 1], 6, None, None),
        ("L2, lambd = 0.7", [4, 5, 3, 1], 6, 0.7, None),
        ("dropout, keep_prob = 0.8", [4, 5, 3, 1], 6, None, 0.8),
        (
            "L2 and dropout, lambd = 0.3, keep_prob = 0.6",
            [3, 6, 1],
            5,
            0.3,
            0.6,
        ),
        ("one example (m = 1), lambd = 0.5", [3, 4, 1], 1, 0.5, None),
        ("one feature (n_x = 1), lambd = 0.2", [1, 3, 1], 4, 0.2, None),
    ]
    cases = []
    for k, (words, dims, m, lambd, keep_prob) in enumerate(table):
        X, Y, parameters = _network(dims, m, 40 + k)
        AL, caches = forward_propagation(
            X, parameters, keep_prob or 1.0, _gen(50 + k)
        )
        args: dict[str, Any] = {"AL": AL, "Y": Y, "caches": caches}
        if lambd is not None:
            args["lambd"] = lambd
        if keep_prob is not None:
            args["keep_prob"] = keep_prob
        shown = {
            "caches": f"caches = {len(caches)} tuples (A_prev, W, D_prev) "
            "from dnnref.forward_propagation"
        }
        cases.append(_Case(words, args, shown))
    return cases


def check_backward_propagation(fn: Callable[..., Any]) -> CheckResult:
    r"""Check your ``backward_propagation(AL, Y, caches, lambd, keep_prob)``.

    Builds ``AL, caches`` with :func:`~dnnref.network.forward_propagation` (so
    ``caches[l - 1] = (A_prev, W, D_prev)``, ``D_prev`` the dropout mask of
    ``A_prev`` or None) and compares the ``"dW1", "db1", ...`` of ``fn(AL, Y,
    caches, lambd=..., keep_prob=...)`` with
    :func:`~dnnref.network.backward_propagation` on 6 cases: plain, L2,
    dropout, both, one example, one feature.  Other keys (``"dA1"``, ...) are
    allowed.

    Diagnoses: L2 gradient lambd / (2m) * W; L2 gradient not divided by
    m; L2 gradient missing; dropout backward not rescaled by keep_prob;
    no 1/m in the gradients; db not divided by m; db lost its column
    shape (keepdims).

    Parameters
    ----------
    fn : callable
        Your function ``fn(AL, Y, caches, lambd=0.0, keep_prob=1.0)``
        returning the grads dict.

    Returns
    -------
    CheckResult
        ``.passed``, and the first failure and likely mistake if not.

    Examples
    --------
    >>> check_backward_propagation(backward_propagation)
    PASSED: backward_propagation matches the reference on 6 cases.
    """
    return _check(_BACKWARD, _callable(fn), _backward_cases())


# ---------------------------------------------------------------------------
# Dropout, one layer


def _dropout_forward_slip(
    A: Any, keep_prob: float, rng: Any = None, *, slip: str
) -> tuple[Any, Any]:
    if keep_prob == 1 and slip != "reversed":
        D = np.ones(A.shape, dtype=bool)
    elif slip == "transposed":
        D = rng.random(A.shape[::-1]).transpose() < keep_prob
    elif slip == "reversed":
        D = np.greater(rng.random(A.shape), keep_prob)
    else:
        shape = (A.shape[0], 1) if slip == "mask-shape" else A.shape
        draw = rng.standard_normal if slip == "randn" else rng.random
        D = draw(shape) < keep_prob
    A_dropped = {
        "no-rescale": A * D,
        "multiply": A * D * keep_prob,
    }.get(slip, A * D / keep_prob)
    return (D, A_dropped) if slip == "swapped" else (A_dropped, D)


def _dropout_forward_slips() -> tuple[_Slip, ...]:
    table = [
        (
            "dropout not rescaled by keep_prob",
            (
                "Inverted dropout divides what is kept by keep_prob: "
                "A * D / keep_prob."
            ),
            "no-rescale",
        ),
        (
            "multiplied by keep_prob",
            (
                "Divide by keep_prob, don't multiply: the kept units grow so "
                "the expected activation stays the same."
            ),
            "multiply",
        ),
        (
            "mask reversed",
            (
                "Keep a unit where rng.random(A.shape) < keep_prob (True = "
                "kept), not >: that keeps it with probability 1 - keep_prob."
            ),
            "reversed",
        ),
        (
            "mask drawn with the wrong shape",
            (
                "Draw one number per unit and example: rng.random(A.shape), "
                "shape (n[l], m), not one per unit."
            ),
            "mask-shape",
        ),
        (
            "mask drawn in the wrong order",
            (
                "Draw rng.random(A.shape) in A's own shape (n[l], m); drawing "
                "(m, n[l]) and transposing gives other masks."
            ),
            "transposed",
        ),
        (
            "mask drawn with standard_normal",
            (
                "The mask compares uniform draws with keep_prob: "
                "rng.random(A.shape) < keep_prob (rand, not randn)."
            ),
            "randn",
        ),
        (
            "outputs swapped",
            "Return A_dropped first, then the mask: return A_dropped, D.",
            "swapped",
        ),
    ]
    return tuple(_slip(n, h, _dropout_forward_slip, s) for n, h, s in table)


_DROPOUT_FORWARD = _Spec(
    dropout_forward, ("A_dropped", "D"), _dropout_forward_slips()
)


def _dropout_forward_cases() -> list[_Case]:
    gen = _gen(60)
    cases = []
    for words, shape, keep_prob, rng in (
        ("keep_prob = 0.8, RandomState(1)", (4, 5), 0.8, ("legacy", 1)),
        ("keep_prob = 0.5, default_rng(0)", (3, 6), 0.5, ("default", 0)),
        ("keep_prob = 1: nothing is dropped", (3, 4), 1.0, ("default", 3)),
        ("one unit, one example", (1, 1), 0.7, ("default", 5)),
        ("keep_prob = 0.3, RandomState(2)", (2, 7), 0.3, ("legacy", 2)),
    ):
        A = np.maximum(gen.standard_normal(shape), 0) + 0.1  # ReLU outputs
        args = {"A": A, "keep_prob": keep_prob, "rng": _Rng(*rng)}
        cases.append(_Case(words, args))
    return cases


def check_dropout_forward(fn: Callable[..., Any]) -> CheckResult:
    r"""Check your ``dropout_forward(A, keep_prob, rng)``: inverted dropout.

    Compares ``A_dropped, D = fn(A, keep_prob, rng=...)`` with
    :func:`~dnnref.regularization.dropout_forward` on 5 cases, with a legacy
    ``np.random.RandomState`` (the course's masks) and a
    ``np.random.default_rng``: the mask must be ``rng.random(A.shape) <
    keep_prob``, and nothing is dropped when ``keep_prob = 1``.  ``D`` may
    be boolean or 0/1.

    Diagnoses: dropout not rescaled by keep_prob; multiplied by
    keep_prob; mask reversed; mask drawn with the wrong shape; mask drawn
    in the wrong order; mask drawn with standard_normal; outputs swapped;
    ignores rng; rng.rand on a Generator.

    Parameters
    ----------
    fn : callable
        Your function ``fn(A, keep_prob, rng=None)`` returning
        ``(A_dropped, D)``.

    Returns
    -------
    CheckResult
        ``.passed``, and the first failure and likely mistake if not.

    Examples
    --------
    >>> check_dropout_forward(dropout_forward)
    PASSED: dropout_forward matches the reference on 5 cases.
    >>> def not_rescaled(A, keep_prob, rng=None):
    ...     D = rng.random(A.shape) < keep_prob
    ...     return A * D, D
    >>> check_dropout_forward(not_rescaled).mistake
    'dropout not rescaled by keep_prob'
    """
    return _check(_DROPOUT_FORWARD, _callable(fn), _dropout_forward_cases())


def _dropout_backward_slip(
    dA: Any, D: Any, keep_prob: float, *, slip: str
) -> Any:
    return {
        "no-rescale": dA * D,
        "no-mask": dA / keep_prob,
        "multiply": dA * D * keep_prob,
    }.get(slip, dA * (1 - D) / keep_prob)  # "inverted"


_DROPOUT_BACKWARD = _Spec(
    dropout_backward,
    ("dA",),
    (
        _slip(
            "not rescaled by keep_prob",
            "Divide by keep_prob, as the forward pass did: dA * D / "
            "keep_prob.",
            _dropout_backward_slip,
            "no-rescale",
        ),
        _slip(
            "mask not applied",
            "Shut down the same units as the forward pass: multiply by D.",
            _dropout_backward_slip,
            "no-mask",
        ),
        _slip(
            "multiplied by keep_prob",
            "Divide by keep_prob, don't multiply.",
            _dropout_backward_slip,
            "multiply",
        ),
        _slip(
            "mask inverted",
            "D is True (1) where a unit was kept: multiply by D, not 1 - D.",
            _dropout_backward_slip,
            "inverted",
        ),
    ),
)


def _dropout_backward_cases() -> list[_Case]:
    gen = _gen(70)
    D1 = gen.random((4, 5)) < 0.8
    D2 = (gen.random((3, 6)) < 0.5).astype(int)  # 0/1, as the course does
    return [
        _Case(
            "boolean mask, keep_prob = 0.8",
            {"dA": gen.standard_normal((4, 5)), "D": D1, "keep_prob": 0.8},
        ),
        _Case(
            "0/1 integer mask, keep_prob = 0.5",
            {"dA": gen.standard_normal((3, 6)), "D": D2, "keep_prob": 0.5},
        ),
        _Case(
            "keep_prob = 1, nothing dropped",
            {
                "dA": gen.standard_normal((2, 3)),
                "D": np.ones((2, 3), dtype=bool),
                "keep_prob": 1.0,
            },
        ),
        _Case(
            "one unit, one example, dropped",
            {"dA": np.array([[0.7]]), "D": np.array([[0]]), "keep_prob": 0.6},
        ),
    ]


def check_dropout_backward(fn: Callable[..., Any]) -> CheckResult:
    r"""Check your ``dropout_backward(dA, D, keep_prob)``.

    Compares ``fn(dA, D, keep_prob)`` with
    :func:`~dnnref.regularization.dropout_backward`, ``dA * D / keep_prob``, on
    4 cases: a boolean mask, a 0/1 mask, ``keep_prob = 1`` and one dropped
    unit.

    Diagnoses: not rescaled by keep_prob; mask not applied; multiplied by
    keep_prob; mask inverted.

    Parameters
    ----------
    fn : callable
        Your function ``fn(dA, D, keep_prob)`` returning ``dA``.

    Returns
    -------
    CheckResult
        ``.passed``, and the first failure and likely mistake if not.

    Examples
    --------
    >>> check_dropout_backward(dropout_backward)
    PASSED: dropout_backward matches the reference on 4 cases.
    >>> check_dropout_backward(lambda dA, D, keep_prob: dA * D).mistake
    'not rescaled by keep_prob'
    """
    return _check(_DROPOUT_BACKWARD, _callable(fn), _dropout_backward_cases())


# ---------------------------------------------------------------------------
# Mini-batches


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
    (
        _slip(
            "no shuffle",
            "Permute the columns first: permutation = rng.permutation(m), "
            "then X[:, permutation] and Y[:, permutation].",
            _mini_batches_slip,
            "no-shuffle",
        ),
        _slip(
            "X and Y shuffled separately",
            "Draw one permutation and index both X and Y with it, or the "
            "labels no longer belong to their examples.",
            _mini_batches_slip,
            "separate",
        ),
        _slip(
            "last partial mini-batch dropped",
            "When mini_batch_size does not divide m, the m % "
            "mini_batch_size remaining examples form a last, smaller "
            "mini-batch.",
            _mini_batches_slip,
            "drop-last",
        ),
        _slip(
            "m taken from X.shape[0]",
            "Examples are the columns: m = X.shape[1].",
            _mini_batches_slip,
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
        args: dict[str, Any] = {"X": X + gen.random((n_x, m)), "Y": Y}
        if size is not None:
            args["mini_batch_size"] = size
        args["rng"] = _Rng(*rng)
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


# ---------------------------------------------------------------------------
# Optimizers


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
    (
        _slip(
            "plus instead of minus",
            "Step against the gradient: W - learning_rate * dW.",
            _gd_slip,
            "plus",
        ),
        _slip(
            "learning rate ignored",
            "Scale the step: W - learning_rate * dW.",
            _gd_slip,
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
    (
        _slip(
            "momentum as a sum",
            "The course averages, v = beta * v + (1 - beta) * dW; "
            "v = beta * v + dW is the sum PyTorch keeps, 1 / (1 - beta) "
            "times larger.",
            _momentum_slip,
            "sum",
        ),
        _slip(
            "beta and 1 - beta swapped",
            "The old velocity gets beta: v = beta * v + (1 - beta) * dW.",
            _momentum_slip,
            "swapped",
        ),
        _slip(
            "step with dW instead of v",
            "Move along the velocity: W - learning_rate * v.",
            _momentum_slip,
            "dW",
        ),
        _slip(
            "step with the old v",
            "Update v first, then step W with the new v.",
            _momentum_slip,
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


def _rmsprop_slips() -> tuple[_Slip, ...]:
    table = [
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
    ]
    return tuple(_slip(n, h, _rmsprop_slip, s) for n, h, s in table)


_RMSPROP = _Spec(rmsprop_update, ("W", "s"), _rmsprop_slips())


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


def _adam_slips() -> tuple[_Slip, ...]:
    table = [
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
    ]
    return tuple(_slip(n, h, _adam_slip, s) for n, h, s in table)


_ADAM = _Spec(adam_update, ("W", "v", "s"), _adam_slips())


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


def _ewa_slips() -> tuple[_Slip, ...]:
    table = [
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
    ]
    return tuple(_slip(n, h, _ewa_slip, s) for n, h, s in table)


_EWA = _Spec(exponentially_weighted_average, ("v",), _ewa_slips())


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
    cases = []
    for words, theta, beta, correction in rows:
        args: dict[str, Any] = {"theta": theta, "beta": beta}
        if correction is not None:
            args["bias_correction"] = correction
        cases.append(_Case(words, args))
    return cases


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
    (
        _slip(
            "no floor",
            "Decay in steps: use epoch_num // time_interval (the floor), "
            "not epoch_num / time_interval.",
            _decay_slip,
            "no-floor",
        ),
        _slip(
            "time_interval ignored",
            "Count the decays as epoch_num // time_interval.",
            _decay_slip,
            "no-interval",
        ),
        _slip(
            "ceil instead of floor",
            "Round down: epoch_num // time_interval (np.floor), not np.ceil.",
            _decay_slip,
            "ceil",
        ),
        _slip(
            "operator precedence",
            "Put the whole denominator in parentheses: learning_rate0 / "
            "(1 + decay_rate * ...).",
            _decay_slip,
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
    cases = []
    for words, rate, epoch, decay, interval in rows:
        args: dict[str, Any] = {
            "learning_rate0": rate,
            "epoch_num": epoch,
            "decay_rate": decay,
        }
        if interval is not None:
            args["time_interval"] = interval
        cases.append(_Case(words, args))
    return cases


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


# ---------------------------------------------------------------------------
# Batch normalization


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


_BN_SLIP_TABLE = {
    "variance": (
        "divided by the variance",
        "Divide by the standard deviation: np.sqrt(var + epsilon).",
    ),
    "eps-outside": (
        "epsilon outside the square root",
        "Add epsilon under the root: np.sqrt(var + epsilon).",
    ),
    "swapped": (
        "gamma and beta swapped",
        (
            "Z_tilde = gamma * Z_norm + beta: gamma scales, beta (the shift, "
            "not a momentum) shifts."
        ),
    ),
}

_BN_FORWARD = _Spec(
    batchnorm_forward,
    ("Z_tilde", "cache"),
    (
        *(
            _slip(*_BN_SLIP_TABLE[s], _bn_forward_slip, s)
            for s in ("variance", "eps-outside", "swapped")
        ),
        _slip(
            "ddof = 1",
            "Batch norm uses the biased variance, np.var(Z, axis=1, "
            "keepdims=True) (divide by m), not ddof=1.",
            _bn_forward_slip,
            "ddof",
        ),
        _slip(
            "no epsilon",
            "Normalize by np.sqrt(var + epsilon): a constant unit would "
            "give 0 / 0.",
            _bn_forward_slip,
            "no-eps",
        ),
        _slip(
            "statistics over the wrong axis",
            "Average each unit over the m examples, the columns: axis=1, "
            "keepdims=True.",
            _bn_forward_slip,
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


def _bn_backward_slips() -> tuple[_Slip, ...]:
    table = [
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
    ]
    return tuple(_slip(n, h, _bn_backward_slip, s) for n, h, s in table)


_BN_BACKWARD = _Spec(
    batchnorm_backward, ("dZ", "dgamma", "dbeta"), _bn_backward_slips()
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
    if slip == "batch":
        mean, var = Z.mean(axis=1, keepdims=True), Z.var(axis=1, keepdims=True)
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
    (
        _slip(
            "batch statistics at test time",
            "At test time normalize with running_mean and running_var, not "
            "the mean and variance of Z (one example has variance 0).",
            _bn_inference_slip,
            "batch",
        ),
        *(
            _slip(*_BN_SLIP_TABLE[s], _bn_inference_slip, s)
            for s in ("variance", "eps-outside", "swapped")
        ),
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

    Diagnoses: batch statistics at test time; divided by the variance;
    epsilon outside the square root; gamma and beta swapped.

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
    (
        _slip(
            "momentum flipped (PyTorch's convention)",
            "The old estimate gets momentum: momentum * running_mean + "
            "(1 - momentum) * mu.  PyTorch's momentum is 1 - ours.",
            _running_slip,
            "flipped",
        ),
        _slip(
            "m ignored",
            "Given m, average the unbiased variance var * m / (m - 1), as "
            "PyTorch does.",
            _running_slip,
            "no-m",
        ),
        _slip(
            "(m - 1) / m instead of m / (m - 1)",
            "The unbiased variance is larger: var * m / (m - 1).",
            _running_slip,
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


# ---------------------------------------------------------------------------
# Gradient checking


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
    (
        _slip(
            "one-sided differences",
            "Use central differences: (f(theta_plus) - f(theta_minus)) / "
            "(2 * epsilon), accurate to epsilon**2 instead of epsilon.",
            _gradient_check_slip,
            "one-sided",
        ),
        _slip(
            "2 missing in 2 epsilon",
            "Divide f(theta_plus) - f(theta_minus) by 2 * epsilon: the two "
            "points are 2 * epsilon apart.",
            _gradient_check_slip,
            "no-two",
        ),
        _slip(
            "difference not normalized",
            "Divide ||grad - approx|| by ||grad|| + ||approx||.",
            _gradient_check_slip,
            "absolute",
        ),
        _slip(
            "perturbations accumulate",
            "Copy theta inside the loop (theta_plus = theta.copy()), so "
            "each step moves one entry only.",
            _gradient_check_slip,
            "accumulate",
        ),
        _slip(
            "0 / 0 when both gradients are zero",
            "Return 0.0 when ||grad|| + ||approx|| is 0.",
            _gradient_check_slip,
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
    cases = []
    for words, f, theta_, grad, epsilon in rows:
        args: dict[str, Any] = {"f": f, "theta": theta_, "grad": grad}
        if epsilon is not None:
            args["epsilon"] = epsilon
        cases.append(_Case(words, args))
    return cases


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
