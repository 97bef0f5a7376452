"""Checks on the built site (run by ``nox -s docs`` after the build).

The site must load nothing from another host, give every image alt text,
serve MathJax locally, show no traceback, and carry on every topic page a
figure, a glued number and code included from ``reference/``.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "docs" / "_build" / "html"
PAGES = sorted(HTML.glob("*.html"))
# The docs session names the pages the last build wrote (all, after a cold
# build): the per-page checks look at those; the others passed already.
if "DNNREF_CHECK_PAGES" in os.environ:
    _written = set(os.environ["DNNREF_CHECK_PAGES"].split())
    PAGES = [p for p in PAGES if p.stem in _written]
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
    p.stem for p in (ROOT / "docs").glob("*.md") if p.stem not in NOT_TOPICS
)
ALL_TOPIC_PAGES = TOPIC_PAGES
if "DNNREF_CHECK_PAGES" in os.environ:
    TOPIC_PAGES = [n for n in TOPIC_PAGES if n in _written]
REMOTE = re.compile(r"^(https?:)?//", re.IGNORECASE)
# A formula on the page (a span or div of class "math") and KaTeX's output.
MATH = re.compile(r'<(?:span|div) class="math notranslate nohighlight"')
KATEX = re.compile(
    r'<(?:span|div) class="math notranslate nohighlight"[^>]*>'
    r'\s*(?:<span class="eqno">.*?</span>)?\s*<span class="katex(?:-display)?"',
    re.DOTALL,
)


# What the tests look at, found with regular expressions: Python's
# HTMLParser takes seconds on a page of KaTeX markup.
TAG = re.compile(
    r"<(script|img|iframe|video|source|link)\b([^>]*)>", re.IGNORECASE
)
ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
CLASS = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)')""")
MARKUP = re.compile(r"<[^>]*>")


@dataclasses.dataclass(frozen=True)
class _Page:
    """What a page loads, its images, its classes and its text."""

    loads: list[str]
    images: list[dict[str, str]]
    classes: list[str]
    text: str


@functools.cache
def _parse(path: Path) -> _Page:
    """Read a page once for all the tests (the result is not modified)."""
    source = path.read_text(encoding="utf-8")
    loads: list[str] = []
    images: list[dict[str, str]] = []
    for match in TAG.finditer(source):
        tag = match[1].lower()
        a = {
            k.lower(): html.unescape(v1 or v2)
            for k, v1, v2 in ATTRIBUTE.findall(match[2])
        }
        if tag != "link" and a.get("src"):
            loads.append(a["src"])
        if tag == "link" and a.get("rel") in {
            "stylesheet",
            "preload",
            "icon",
            "modulepreload",
        }:
            loads.append(a.get("href", ""))
        if tag == "img":
            images.append(a)
    classes = [
        name for m in CLASS.finditer(source) for name in (m[1] or m[2]).split()
    ]
    text = html.unescape(MARKUP.sub("", source))
    return _Page(loads, images, classes, text)


def test_site_was_built() -> None:
    assert (HTML / "index.html").is_file(), "run the build first"
    names = {p.stem for p in HTML.glob("*.html")}
    assert {"index", "notation", "api", *ALL_TOPIC_PAGES} <= names


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_loads_nothing_from_another_host(path: Path) -> None:
    remote = [u for u in _parse(path).loads if REMOTE.match(u)]
    assert remote == [], f"{path.name} loads {remote}"


def test_no_remote_urls_in_static_css_and_js() -> None:
    """Stylesheets and scripts fetch no fonts or code from a CDN."""
    pattern = re.compile(
        r"""(url\(|import\s*\(|from\s*["'])\s*["']?https?://"""
    )
    offenders = [
        path.relative_to(HTML)
        for path in (HTML / "_static").rglob("*")
        if path.suffix in {".css", ".js"}
        and "mathjax" not in path.parts
        and pattern.search(path.read_text("utf-8", errors="replace"))
    ]
    assert offenders == []


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_every_image_has_alt_text(path: Path) -> None:
    for image in _parse(path).images:
        alt = (image.get("alt") or "").strip()
        assert alt, f"{path.name}: image {image.get('src')} has no alt text"


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_math_is_rendered_at_build_time(path: Path) -> None:
    """Every formula holds KaTeX's HTML; no page needs a math script."""
    text = path.read_text(encoding="utf-8")
    page = _parse(path)
    assert not [u for u in page.loads if "mathjax" in u.lower()]
    formulas = len(MATH.findall(text))
    assert "math-error" not in page.classes
    assert len(KATEX.findall(text)) == formulas, f"{path.name}: raw TeX"
    if formulas:
        css = [u for u in page.loads if "katex.min.css" in u]
        assert css, f"{path.name} has math but no KaTeX stylesheet"
        local = (path.parent / css[0].split("?")[0]).resolve()
        assert local.is_file()
        fonts = re.findall(r"url\(([^)]+\.woff2)\)", local.read_text())
        assert fonts
        assert all((local.parent / f).is_file() for f in fonts)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_page_weight_with_its_images_is_at_most_1_mb(path: Path) -> None:
    """The page and the images it shows; shared theme assets not counted."""
    images = {
        (path.parent / (i.get("src") or "")).resolve()
        for i in _parse(path).images
        if not REMOTE.match(i.get("src") or "")
    }
    weight = path.stat().st_size + sum(i.stat().st_size for i in images)
    assert weight <= 1_000_000, f"{path.name}: {weight / 1e6:.2f} MB"


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_no_traceback_or_error_output(path: Path) -> None:
    page = _parse(path)
    text = page.text
    assert "Traceback (most recent call last)" not in text
    assert "output traceback" not in " ".join(page.classes)
    assert "stderr" not in page.classes, f"{path.name} shows stderr output"


@pytest.mark.parametrize("name", TOPIC_PAGES)
def test_topic_page_has_figure_glue_and_reference_code(name: str) -> None:
    page = _parse(HTML / f"{name}.html")
    figures = [i for i in page.images if "_images/" in (i.get("src") or "")]
    assert figures, f"{name}: no generated figure"
    source = (ROOT / "docs" / f"{name}.md").read_text(encoding="utf-8")
    assert "{glue" in source, f"{name}: no glued number"
    assert ":pyobject:" in source, f"{name}: no included reference function"
    assert "sd-dropdown" in page.classes or "dropdown" in page.classes
