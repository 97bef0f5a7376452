"""House rules of the reference package, checked on its source.

- randomness only through ``rng.standard_normal``, ``rng.random`` and
  ``rng.permutation`` (so a legacy ``RandomState`` reproduces the course);
- no global ``np.random`` state: only ``np.random.default_rng()`` for
  ``rng=None``;
- raw numpydoc docstrings with Parameters, Returns and Examples.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import textwrap
from pathlib import Path

import pytest

import dnnref

PACKAGE = Path(dnnref.__file__).parent
# every module, those of the package dnnref.checks included
SOURCES = sorted(PACKAGE.rglob("*.py"))
ALLOWED_RNG_METHODS = {"standard_normal", "random", "permutation"}
# dnnref.checks saves np.random's global state before it calls a learner's
# function and restores it after, so a check leaves the state untouched.
RESTORES_GLOBAL_STATE = {"checks": {"get_state", "set_state"}}


def _name(path: Path) -> str:
    """The path inside the package: ``network.py``, ``checks/_engine.py``."""
    return path.relative_to(PACKAGE).as_posix()


def _topic(path: Path) -> str:
    """The top-level module or package: ``network``, ``checks``."""
    return Path(_name(path)).parts[0].removesuffix(".py")


def _module(path: Path) -> str:
    """The dotted name: ``dnnref.network``, ``dnnref.checks._engine``."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _functions(path: Path) -> list[ast.FunctionDef]:
    tree = ast.parse(path.read_text())
    return [n for n in tree.body if isinstance(n, ast.FunctionDef)]


@pytest.mark.parametrize("path", SOURCES, ids=_name)
def test_randomness_only_through_rng(path: Path) -> None:
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        if isinstance(node.value, ast.Name) and node.value.id == "rng":
            assert node.attr in ALLOWED_RNG_METHODS, (
                f"{_name(path)}:{node.lineno} rng.{node.attr}"
            )
        if (
            isinstance(node.value, ast.Attribute)
            and node.value.attr == "random"
            and isinstance(node.value.value, ast.Name)
            and node.value.value.id == "np"
        ):
            allowed = {"default_rng", "Generator", "RandomState"}
            allowed |= RESTORES_GLOBAL_STATE.get(_topic(path), set())
            assert node.attr in allowed, (
                f"{_name(path)}:{node.lineno} np.random.{node.attr} uses "
                "global state"
            )


@pytest.mark.parametrize("path", SOURCES, ids=_name)
def test_public_docstrings_are_numpydoc(path: Path) -> None:
    source = path.read_text()
    for fn in _functions(path):
        if fn.name.startswith("_"):
            continue
        doc = ast.get_docstring(fn, clean=True) or ""
        for section in ("Parameters", "Returns", "Examples"):
            assert f"\n{section}\n" in doc, f"{fn.name}: no {section} section"
        assert ">>>" in doc, f"{fn.name}: Examples do not run anything"
        first = fn.body[0]
        assert isinstance(first, ast.Expr)
        segment = ast.get_source_segment(source, first) or ""
        if "\\" in doc:
            assert segment.startswith('r"""'), f'{fn.name}: use r"""'


def test_modules_have_math_blocks() -> None:
    """Every function implementing an equation shows it in ``.. math::``."""
    exempt = {"datasets", "training", "checks", "__init__"}
    for path in SOURCES:
        if _topic(path) in exempt:
            continue
        for fn in _functions(path):
            if fn.name.startswith("_"):
                continue
            doc = ast.get_docstring(fn) or ""
            assert ".. math::" in doc, f"{path.stem}.{fn.name}: no .. math::"


def test_reference_lines_fit_the_code_column() -> None:
    for path in SOURCES:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            assert len(line) <= 79, (
                f"{_name(path)}:{number} is {len(line)} long"
            )


def test_shown_functions_are_short() -> None:
    """Functions shown on pages read at a glance: body under 45 lines."""
    for path in SOURCES:
        if _topic(path) in {"training", "bn_network"}:  # composite modules
            continue
        for fn in _functions(path):
            if fn.name.startswith("_"):
                continue
            source = textwrap.dedent(
                inspect.getsource(
                    getattr(importlib.import_module(_module(path)), fn.name)
                )
            )
            doc = ast.get_docstring(fn) or ""
            body_lines = len(source.splitlines()) - len(doc.splitlines()) - 3
            assert body_lines <= 45, f"{fn.name}: {body_lines} lines of code"
