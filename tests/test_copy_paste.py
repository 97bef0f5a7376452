"""Every public reference function works when pasted after ``import numpy``.

For each public function of ``dnnref``, its source (``inspect.getsource``)
is executed in a namespace that holds only ``np``; the function must then be
defined there and pass its own doctest examples.  Functions of the leaf
modules may not call any other ``dnnref`` function.  The composite modules
(training loops, the batch-norm network) may call public leaf functions and
their own private helpers: the test pastes those first, so a reader copies
the loop together with the functions it names.
"""

from __future__ import annotations

import ast
import doctest
import importlib
import inspect
import pkgutil
import textwrap
from types import FunctionType

import numpy as np
import pytest

import dnnref

COMPOSITE_MODULES = {"dnnref.training", "dnnref.bn_network"}
# Learner self-checks call the reference functions on purpose: not snippets.
NOT_SNIPPETS = {"dnnref.checks"}
OPTIONFLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS


def _public_functions() -> dict[str, FunctionType]:
    found: dict[str, FunctionType] = {}
    for info in pkgutil.iter_modules(dnnref.__path__, "dnnref."):
        if info.name in NOT_SNIPPETS:
            continue
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if (
                isinstance(obj, FunctionType)
                and not name.startswith("_")
                and obj.__module__ == module.__name__
            ):
                assert name not in found, f"{name} is defined twice"
                found[name] = obj
    return found


PUBLIC = _public_functions()
HELPERS = {  # private functions of the composite modules, pasted with them
    name: obj
    for module_name in sorted(COMPOSITE_MODULES)
    for name, obj in vars(importlib.import_module(module_name)).items()
    if isinstance(obj, FunctionType) and name.startswith("_")
}
FUNCTIONS = {**PUBLIC, **HELPERS}


def _referenced_public(fn: FunctionType) -> set[str]:
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    return (names & FUNCTIONS.keys()) - {fn.__name__}


def _with_dependencies(name: str) -> list[str]:
    order: list[str] = []

    def visit(n: str) -> None:
        for dep in sorted(_referenced_public(FUNCTIONS[n])):
            visit(dep)
        if n not in order:
            order.append(n)

    visit(name)
    return order


def test_there_are_public_functions() -> None:
    assert len(PUBLIC) >= 25


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_leaf_functions_depend_only_on_numpy(name: str) -> None:
    fn = PUBLIC[name]
    if fn.__module__ in COMPOSITE_MODULES:
        pytest.skip("composite: pasted together with what it calls")
    assert _referenced_public(fn) == set(), (
        f"{name} calls other dnnref functions; inline them"
    )
    free = set(fn.__code__.co_names) - set(dir(__builtins__)) - {"np"}
    module_globals = {
        k for k in free if k in vars(importlib.import_module(fn.__module__))
    }
    assert module_globals == set(), (
        f"{name} uses module-level names {sorted(module_globals)}"
    )


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_source_alone_runs_its_doctest(name: str) -> None:
    namespace: dict[str, object] = {"np": np}
    for part in _with_dependencies(name):
        source = textwrap.dedent(inspect.getsource(FUNCTIONS[part]))
        code = compile(source, f"<pasted {part}>", "exec", dont_inherit=True)
        exec(code, namespace)  # noqa: S102
    assert callable(namespace[name])
    docstring = PUBLIC[name].__doc__ or ""
    test = doctest.DocTestParser().get_doctest(
        docstring, namespace, name, f"<pasted {name}>", 0
    )
    assert test.examples, f"{name} has no Examples to run"
    runner = doctest.DocTestRunner(optionflags=OPTIONFLAGS)
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{name}: its doctest fails when pasted alone"
