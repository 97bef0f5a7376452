"""Every line of the conventions page's tables has a test that names it.

``docs/framework-conventions.md`` has one table per topic, with a tab per
library (PyTorch, Keras 3, Optax). In each tab the table has the columns
"the course" and the library's name, and each row of the conventions
starts with its id (```momentum-sum```) and the course's formula, the same
in the three tabs. A cross-check of a row in a library is a test function
in this folder named ``test_row_<id>_<library>...``, with the id's dashes
as underscores and the library one of ``torch``, ``keras``, ``optax`` (the
Optax tab also gives Flax and ``jax.nn.initializers`` where Optax has no
layers). Adding a row, or a table, without its tests fails here; so does a
test named after a row that no longer exists. The page states the versions
pinned for this session: the installed ones must be those.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "framework-conventions.md"
FRAMEWORKS = {"PyTorch": "torch", "Keras 3": "keras", "Optax": "optax"}
HEADER = re.compile(
    r"^\| the course \| (?P<library>PyTorch|Keras 3|Optax) \|$"
)
ROW_ID = re.compile(r"^`(?P<id>[a-z0-9-]+)` \S")


def _tables() -> list[tuple[str, list[str]]]:
    """(library, table lines) for each table of the page."""
    tables: list[tuple[str, list[str]]] = []
    lines = iter(PAGE.read_text(encoding="utf-8").splitlines())
    for line in lines:
        header = HEADER.match(line)
        if header:
            assert next(lines).startswith("|---")
            body = []
            for row in lines:
                if not row.startswith("|"):
                    break
                body.append(row)
            tables.append((FRAMEWORKS[header["library"]], body))
    return tables


def _rows() -> dict[str, dict[str, str]]:
    """Row id -> {"course": ..., "torch": ..., "keras": ..., "optax": ...}."""
    rows: dict[str, dict[str, str]] = {}
    for library, body in _tables():
        for line in body:
            parts = line.split("|")
            assert len(parts) == 4, f"not two cells: {line[:60]}"
            course, call = parts[1].strip(), parts[2].strip()
            match = ROW_ID.match(course)
            assert match, f"a row without an id: {line[:60]}"
            row = rows.setdefault(match["id"], {"course": course})
            assert row["course"] == course, f"{match['id']}: course differs"
            assert library not in row, f"{match['id']}: {library} twice"
            row[library] = call
    return rows


def _row_tests() -> list[str]:
    names = []
    for path in sorted(Path(__file__).parent.glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names += [
            node.name
            for node in tree.body
            if isinstance(node, ast.FunctionDef)
            and node.name.startswith("test_row_")
        ]
    return names


ROWS = _rows()
TESTS = _row_tests()


def _prefix(row: str, framework: str) -> str:
    return f"test_row_{row.replace('-', '_')}_{framework}"


def test_the_page_has_its_tables() -> None:
    libraries = [library for library, _ in _tables()]
    assert len(libraries) >= 27  # nine topics, three libraries each
    assert libraries == ["torch", "keras", "optax"] * (len(libraries) // 3)
    assert len(ROWS) >= 28, sorted(ROWS)


@pytest.mark.parametrize("row", sorted(ROWS))
def test_each_row_is_in_every_library_tab(row: str) -> None:
    assert list(ROWS[row]) == ["course", "torch", "keras", "optax"]
    assert all(ROWS[row].values()), f"{row}: an empty cell"


@pytest.mark.parametrize("row", sorted(ROWS))
@pytest.mark.parametrize("framework", FRAMEWORKS.values())
def test_every_row_and_library_has_a_test_that_names_it(
    row: str, framework: str
) -> None:
    prefix = _prefix(row, framework)
    assert any(name.startswith(prefix) for name in TESTS), (
        f"no test named {prefix}... for row {row} in {framework}"
    )


def test_every_row_test_names_one_row_and_one_framework() -> None:
    for name in TESTS:
        owners = [
            (row, framework)
            for row in ROWS
            for framework in FRAMEWORKS.values()
            if name.startswith(_prefix(row, framework))
        ]
        assert len(owners) == 1, f"{name} names {owners or 'no row'}"


def test_installed_frameworks_are_the_pinned_ones() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    pins = dict(
        requirement.split("==")
        for requirement in pyproject["dependency-groups"]["crosscheck"]
    )
    for name in ("torch", "jax", "jaxlib", "optax", "flax", "keras"):
        installed = importlib.metadata.version(name)
        assert installed.split("+")[0] == pins[name], (name, installed)
