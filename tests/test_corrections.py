"""The corrections page lists every correction the site makes to the notes.

``docs/corrections.md`` holds two tables whose rows start with an id in
backquotes: corrections shown by a computation, and corrections of notation
or wording. Each row ends with a link ``[...](page.md#anchor)`` to the page
section that shows it; that page is the row's page. These tests check,
without building the site (the strict build checks the links again):

- every page with a "Note on the source" admonition has a row;
- where an admonition names its corrections (a MyST comment line
  ``% correction: <id>`` before each), the rows of that page are exactly
  those ids;
- every link of a row points at a page that exists and at a heading of it
  (MyST's heading anchors, levels 1 to 3);
- the section a "shown by a computation" row points at holds an executed
  code cell with an ``assert``.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGE = DOCS / "corrections.md"

ROW = re.compile(r"^\|\s*`(?P<id>[a-z0-9][a-z0-9-]*)`\s*\|(?P<rest>.*)\|\s*$")
LINK = re.compile(r"\]\((?P<page>[a-z0-9-]+)\.md(?:#(?P<anchor>[^)\s]*))?\)")
DOC_ROLE = re.compile(r"\{doc\}`(?:[^`<]*<)?(?P<page>[a-z0-9-]+)>?`")
MARKER = re.compile(r"^%\s*correction:\s*(?P<id>[a-z0-9][a-z0-9-]*)\s*$")
NOTE_START = re.compile(r"^(:{3,}|`{3,})\{admonition\}\s+Note on the source")
HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<title>.+?)\s*#*\s*$")
FENCE = re.compile(r"^(`{3,}|~{3,})")
SLUG_CLEAN = re.compile(r"[^\w\u4e00-\u9fff\- ]")
ANCHOR_LEVELS = 3  # docs/conf.py: myst_heading_anchors
TABLES = ("## Shown by a computation", "## Notation and wording")


def _lines(name: str) -> list[str]:
    return (DOCS / f"{name}.md").read_text(encoding="utf-8").splitlines()


def _slug_title(title: str) -> str:
    """The text MyST slugs: text and inline code, without math or markup."""
    title = re.sub(r"\$[^$]*\$", "", title)  # math is not text
    title = re.sub(r"\{[a-z:-]+\}`([^`]*)`", r"\1", title)  # roles
    title = title.replace("`", "").replace("*", "")
    return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", title)  # links: text


def _headings_of(lines: list[str]) -> list[tuple[int, int, str]]:
    """(line index, level, slug) of each anchored heading (levels 1 to 3).

    Slugs follow myst_parser.slugs: github_slugify, then unique_slug (a
    repeated slug gets -1, -2, ...), as with ``myst_heading_anchors = 3``.
    Code fences are skipped: a ``# comment`` in a cell is no heading.
    """
    found: list[tuple[int, int, str]] = []
    seen: set[str] = set()
    fence = None
    for index, line in enumerate(lines):
        opened = FENCE.match(line)
        if fence is None and opened:
            fence = opened[1][0] * len(opened[1])
            continue
        if fence is not None:
            if (
                line.strip().startswith(fence)
                and line.strip().strip(fence[0]) == ""
            ):
                fence = None
            continue
        match = HEADING.match(line)
        if match and len(match["hashes"]) <= ANCHOR_LEVELS:
            base = SLUG_CLEAN.sub(
                "", _slug_title(match["title"]).lower().replace(" ", "-")
            )
            slug, suffix = base, 1
            while slug in seen:
                slug, suffix = f"{base}-{suffix}", suffix + 1
            seen.add(slug)
            found.append((index, len(match["hashes"]), slug))
    return found


def _headings(name: str) -> list[tuple[int, int, str]]:
    return _headings_of(_lines(name))


def _section(name: str, anchor: str) -> str:
    """The text from the heading ``anchor`` to the next heading as high."""
    lines, headings = _lines(name), _headings(name)
    for position, (index, level, slug) in enumerate(headings):
        if slug == anchor:
            end = next(
                (i for i, lv, _ in headings[position + 1 :] if lv <= level),
                len(lines),
            )
            return "\n".join(lines[index:end])
    msg = f"{name}.md has no heading with anchor #{anchor}"
    raise AssertionError(msg)


def _rows() -> dict[str, list[tuple[str, str]]]:
    """Rows of each table: (id, the rest of the row)."""
    tables: dict[str, list[tuple[str, str]]] = {t: [] for t in TABLES}
    current = None
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = line.strip() if line.strip() in TABLES else None
        match = ROW.match(line)
        if match and current:
            tables[current].append((match["id"], match["rest"]))
    return tables


def _links(rest: str) -> list[tuple[str, str | None]]:
    links = [(m["page"], m["anchor"]) for m in LINK.finditer(rest)]
    return links + [(m["page"], None) for m in DOC_ROLE.finditer(rest)]


def _row_page(rest: str) -> str:
    links = [(page, anchor) for page, anchor in _links(rest) if anchor]
    assert links, f"row without a page#anchor link: {rest[:60]}"
    return links[0][0]


def _notes() -> dict[str, list[str]]:
    """Pages with a Note on the source, and the ids their notes name."""
    notes: dict[str, list[str]] = {}
    for path in sorted(DOCS.glob("*.md")):
        if path.stem == "corrections":
            continue
        inside, fence = False, ""
        for line in path.read_text(encoding="utf-8").splitlines():
            start = NOTE_START.match(line)
            if start and not inside:
                inside, fence = True, start[1]
                notes.setdefault(path.stem, [])
                continue
            if inside and line.strip() == fence:
                inside = False
                continue
            marker = MARKER.match(line.strip())
            if inside and marker:
                notes[path.stem].append(marker["id"])
    return notes


ROWS = _rows()
ALL_ROWS = [row for rows in ROWS.values() for row in rows]
NOTES = _notes()


def _params(rows: list[tuple[str, str]]) -> list[object]:
    return [pytest.param(row_id, rest, id=row_id) for row_id, rest in rows]


def test_the_tables_have_rows_and_unique_ids() -> None:
    assert ROWS[TABLES[0]], "no row shown by a computation"
    assert ROWS[TABLES[1]], "no notation row"
    ids = [row_id for row_id, _ in ALL_ROWS]
    duplicates = [i for i, n in Counter(ids).items() if n > 1]
    assert not duplicates, duplicates


def test_notes_are_found() -> None:
    assert len(NOTES) >= 10, sorted(NOTES)


@pytest.mark.parametrize("page", sorted(NOTES))
def test_every_note_on_the_source_has_a_row(page: str) -> None:
    rows = [row_id for row_id, rest in ALL_ROWS if _row_page(rest) == page]
    assert rows, f"{page}: its Note on the source has no row in corrections"
    if NOTES[page]:  # the note names its corrections: the same set of ids
        assert sorted(rows) == sorted(NOTES[page]), (page, rows, NOTES[page])


@pytest.mark.parametrize(("row_id", "rest"), _params(ALL_ROWS))
def test_every_link_has_a_target(row_id: str, rest: str) -> None:
    links = _links(rest)
    assert links, f"{row_id}: no link"
    for page, anchor in links:
        assert (DOCS / f"{page}.md").is_file(), f"{row_id}: no page {page}"
        if anchor is not None:
            _section(page, anchor)  # raises if there is no such heading


@pytest.mark.parametrize(("row_id", "rest"), _params(ROWS[TABLES[0]]))
def test_every_computed_correction_points_at_an_assert(
    row_id: str, rest: str
) -> None:
    page, anchor = next((p, a) for p, a in _links(rest) if a)
    section = _section(page, anchor)
    cells = re.findall(
        r"^```\{code-cell\}[^\n]*\n(.*?)^```",
        section,
        re.DOTALL | re.MULTILINE,
    )
    assert any(re.search(r"\bassert", cell) for cell in cells), (
        f"{row_id}: {page}.md#{anchor} runs no assert"
    )


def test_heading_anchors_follow_myst() -> None:
    """MyST's documented slug rule: math dropped, duplicates numbered."""
    lines = [
        "# Title",
        "## Dividing by $\\sigma^2$ does not normalize",
        "```{code-cell} ipython3",
        "# a comment, not a heading",
        "```",
        "### SGD: does *not* settle",
        "## Dividing by $X$ does not normalize",
        "#### Too deep for an anchor",
        "## Dividing by $Y$ does not normalize",
    ]
    assert [(i, level, slug) for i, level, slug in _headings_of(lines)] == [
        (0, 1, "title"),
        (1, 2, "dividing-by--does-not-normalize"),
        (5, 3, "sgd-does-not-settle"),
        (6, 2, "dividing-by--does-not-normalize-1"),
        (8, 2, "dividing-by--does-not-normalize-2"),
    ]
