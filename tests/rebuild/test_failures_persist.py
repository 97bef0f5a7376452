"""A failed build fails again when run again with nothing changed; an
incremental build writes what a build from nothing writes.

The docs build is incremental (no ``-E``): Sphinx re-reads only the pages
that changed, and a page executes only when its code changed. Without care,
a second build after a failure would skip the failing page and succeed.
This test builds a small site that uses the real configuration and
extensions (``docs/conf.py``, ``docs/_ext``) twice in a row after planting
each kind of failure, and checks that both builds fail and name the page,
then that the fixed site builds again.

Run by ``nox -s docs -- --failures`` (CI does), not by the plain docs
session: it takes ten Sphinx runs.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.site.compare import differences

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
# The same strict arguments as the nox docs session (noxfile.sphinx_args).
STRICT = ["-W", "--keep-going", "-n", "-j", "3", "-b", "html"]

INDEX = """\
# A small site

```{index} single: widget
```

```{toctree}
page
```
"""
PAGE = """\
---
file_format: mystnb
kernelspec:
  name: python3
  display_name: Python 3
---

(the-page)=
# The page

$$
x^2
$$ (eq-x)

See {eq}`eq-x`; the answer is {glue:text}`answer:.1f`.

```{code-cell} ipython3
from myst_nb import glue

glue("answer", float(6 * 7), display=False)
```
"""
GOOD = {"index.md": INDEX, "page.md": PAGE}
FAILURES = {
    "a cell raises": PAGE.replace("6 * 7", "6 * 7 / 0"),
    "a warning": PAGE.replace("# The page", "# The page\n\n{doc}`missing`"),
    "a broken reference": PAGE.replace(
        "See {eq}", "See {func}`dnnref.no_such_function` and {eq}"
    ),
    # raised while the page is written, by a forked writer (-j)
    "a formula KaTeX cannot render": PAGE.replace("x^2", "x^{2"),
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A small site beside links to the real package and KaTeX."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("conf.py", "figstyle.py", "references.bib"):
        shutil.copy(DOCS / name, docs / name)
    shutil.copytree(DOCS / "_ext", docs / "_ext")
    (docs / "_static").mkdir()
    shutil.copy(DOCS / "_static" / "custom.css", docs / "_static")
    for name in ("reference", "node_modules"):
        (tmp_path / name).symlink_to(ROOT / name)
    for name, text in GOOD.items():
        (docs / name).write_text(text)
    return docs


def _build(
    docs: Path, out: str = "html", *fresh: str
) -> subprocess.CompletedProcess[str]:
    build = docs / "_build"
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            *STRICT,
            "-N",  # no colours (CI=true turns them on): the test reads stdout
            *fresh,
            "-d",
            str(build / f"{out}-doctrees"),
            str(docs),
            str(build / out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_failure_stays_a_failure(site: Path) -> None:
    """Good, then each failure planted (built twice), then good again."""
    first = _build(site)
    assert first.returncode == 0, first.stderr
    for failure, text in FAILURES.items():
        (site / "page.md").write_text(text)
        for attempt in ("planted", "again, nothing changed"):
            result = _build(site)
            assert result.returncode != 0, f"{failure}, {attempt}: succeeded"
            assert "page.md" in result.stderr, result.stderr
    (site / "page.md").write_text(PAGE)
    fixed = _build(site)
    assert fixed.returncode == 0, f"fixed: {fixed.stderr}"


def test_an_incremental_build_writes_what_a_fresh_build_writes(
    site: Path,
) -> None:
    """After a prose edit, only the edited page is written; the site is the
    one a build from nothing writes (stylesheet links, search index)."""
    first = _build(site)
    assert first.returncode == 0, first.stderr
    (site / "page.md").write_text(PAGE.replace("the answer", "so the answer"))
    edited = _build(site)
    assert edited.returncode == 0, edited.stderr
    assert "writing output... [100%] page" in edited.stdout, edited.stdout
    assert "] index" not in edited.stdout.split("writing output")[-1]
    fresh = _build(site, "fresh", "-E")
    assert fresh.returncode == 0, fresh.stderr
    html = site / "_build"
    assert differences(html / "html", html / "fresh") == []
    assert "widget" in (html / "html" / "searchindex.js").read_text()
