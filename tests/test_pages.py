"""The pages' sources follow the skeleton and include real reference code.

These run without building the site: every ``literalinclude`` names a file
and a function that exist, every topic page carries the skeleton's sections,
an ``assert``, a glued number, exercises with collapsed solutions and a
bibliography, and cites only keys that ``references.bib`` defines.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
# Every page but these is a topic page with the full skeleton: the index,
# the notation page and the appendices.
NOT_TOPICS = {
    "index",
    "notation",
    "api",
    "api-checks",
    "framework-conventions",
    "corrections",
    "course-numbers",
    "bibliography",
}
TOPIC_PAGES = sorted(
    p.stem for p in DOCS.glob("*.md") if p.stem not in NOT_TOPICS
)
ALL_PAGES = sorted(p.stem for p in DOCS.glob("*.md"))
SECTIONS = [
    "## What you will learn",
    "## The idea",
    "## Reference implementation",
    "## Demonstration",
    "## The claims, checked",
    "## Exercises",
    "## References",
]
INCLUDE = re.compile(
    r"```\{literalinclude\}\s+(?P<path>\S+)\s*\n(?P<opts>(?::[^\n]*\n)*)"
)
BIB_KEYS = set(
    re.findall(r"@\w+\{([^,\s]+),", (DOCS / "references.bib").read_text())
)


def _text(name: str) -> str:
    return (DOCS / f"{name}.md").read_text(encoding="utf-8")


def test_topic_pages_are_found() -> None:
    assert len(TOPIC_PAGES) >= 11, TOPIC_PAGES


def test_index_lists_every_page() -> None:
    index = _text("index")
    for name in ALL_PAGES:
        if name != "index":
            assert re.search(rf"^{re.escape(name)}$", index, re.MULTILINE), (
                name
            )


@pytest.mark.parametrize("name", TOPIC_PAGES)
def test_topic_page_follows_the_skeleton(name: str) -> None:
    text = _text(name)
    positions = [text.find(section) for section in SECTIONS]
    assert -1 not in positions, f"{name} lacks {SECTIONS[positions.index(-1)]}"
    assert positions == sorted(positions), f"{name}: sections out of order"
    assert "assert " in text
    assert "glue(" in text
    assert "{glue" in text
    assert ":::{dropdown}" in text or "```{dropdown}" in text
    assert "{footbibliography}" in text
    assert "alt:" in text, f"{name}: a figure without alt text"


@pytest.mark.parametrize("name", ALL_PAGES)
def test_literalincludes_point_at_real_functions(name: str) -> None:
    for match in INCLUDE.finditer(_text(name)):
        path = (DOCS / match["path"]).resolve()
        assert path.is_file(), f"{name}: {match['path']} does not exist"
        assert ROOT / "reference" in path.parents
        pyobject = re.search(r":pyobject:\s*(\S+)", match["opts"])
        assert pyobject, f"{name}: include {match['path']} without :pyobject:"
        tree = ast.parse(path.read_text())
        defined = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        assert pyobject[1] in defined, f"{name}: no {pyobject[1]} in {path}"


@pytest.mark.parametrize("name", ALL_PAGES)
def test_citations_exist_in_the_bibliography(name: str) -> None:
    for keys in re.findall(
        r"\{foot(?:cite|citet|citep)\}`([^`]+)`", _text(name)
    ):
        for key in keys.split(","):
            assert key.strip() in BIB_KEYS, f"{name}: unknown key {key}"


@pytest.mark.parametrize("name", ALL_PAGES)
def test_glue_is_given_python_scalars(name: str) -> None:
    """myst-nb's glue of a NumPy scalar breaks format specs under NumPy 2."""
    for call in re.findall(r"glue\(([^\n]*)", _text(name)):
        assert "np.float64(" not in call
