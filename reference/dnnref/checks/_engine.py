"""The engine: run every case of a check, judge it, diagnose the slip."""

from __future__ import annotations

import inspect
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from dnnref.checks._cases import (
    _EMPTY,
    _call_text,
    _Case,
    _fresh,
    _inputs_text,
    _parameters,
    _Rng,
    _Slip,
    _Spec,
    _split,
)
from dnnref.checks._compare import _ANY, _compare, _first_change, _Problem
from dnnref.checks._result import CheckResult

_NUMPY_DIR = str(Path(np.__file__).parent)
_HERE = str(Path(__file__).resolve().parent)  # the checks package


@dataclass
class _Outcome:
    call: str
    output: Any = None
    problem: _Problem | None = None
    value_wrong: bool = False  # the output differs from the reference
    raised: BaseException | None = None


# ---------------------------------------------------------------------------
# The learner's function: its name, what it raised


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
            if not f.filename.startswith(_NUMPY_DIR)
            and str(Path(f.filename).parent) != _HERE
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


# ---------------------------------------------------------------------------
# Calling the reference, the slips and the learner's function


def _reference_args(
    spec: _Spec, case: _Case
) -> tuple[list[Any], dict[str, Any]]:
    """Fresh arguments of the reference and the slips, split as it takes."""
    args = case.args if case.ref_args is None else case.ref_args
    return _split(spec.reference, _fresh(args))


def _reference_output(spec: _Spec, case: _Case) -> Any:
    positional, keywords = _reference_args(spec, case)
    return _mask(spec, spec.reference(*positional, **keywords))


def _mask(spec: _Spec, output: Any) -> Any:
    if spec.compared is None or not isinstance(output, tuple):
        return output
    return tuple(
        x if i in spec.compared else _ANY for i, x in enumerate(output)
    )


def _slip_output(spec: _Spec, slip: _Slip, case: _Case) -> Any:
    positional, keywords = _reference_args(spec, case)
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


# ---------------------------------------------------------------------------
# Running one case and judging its output


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


# ---------------------------------------------------------------------------
# Naming the likely mistake


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
    """Tell if the learner's output stays put when the seed changes.

    Three other seeds: a function that draws the wrong numbers can, for one
    seed, give the same output by chance (a one-per-example dropout mask
    that keeps every column); one that ignores rng does for every seed.
    """
    names = [k for k, v in case.args.items() if isinstance(v, _Rng)]
    if not names:
        return False
    head = _top(spec)
    expected = _reference_output(spec, case)
    reference_moved = False
    for step in (1, 2, 3):
        other = dict(case.args)
        for k in names:
            other[k] = _Rng(case.args[k].kind, case.args[k].seed + step)
        expected_other = _reference_output(spec, _Case(case.words, other))
        if _compare(expected_other, expected, spec, head) is not None:
            reference_moved = True
        try:
            output_other, _ = _call_learner(spec, fn, _fresh(other))
        except Exception:  # noqa: BLE001
            return False
        moved = _compare(output_other, _mask(spec, output), spec, head)
        if moved is not None:
            return False
    return reference_moved


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


# ---------------------------------------------------------------------------
# The check


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
