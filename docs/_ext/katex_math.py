"""Render the site's math to HTML at build time with KaTeX.

The browser then has nothing to typeset: a page is ready when its HTML, CSS
and fonts are. MathJax typeset every formula on load (about 1 s on a
200-formula page, 1.8 s on the API page); with the formulas rendered here,
a page shows its math as soon as it is drawn, and it needs no script.

KaTeX runs in Node.js (``npm ci`` installs the pinned version from
``package-lock.json``): one ``node`` process per build, started on the first
formula, answers one JSON request per line (``katex_render.js``). A formula
KaTeX cannot render is a build warning at the formula's location, so the
strict (``-W``) build fails rather than publish a broken formula. The
stylesheet and the WOFF2 fonts are copied into ``_static/katex``: nothing is
loaded from another host.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number
from sphinx.writers.html5 import HTML5Translator

logger = logging.getLogger(__name__)

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
KATEX = ROOT / "node_modules" / "katex"
SCRIPT = HERE / "katex_render.js"


class _Renderer:
    """A ``node`` process that renders TeX with KaTeX, started on demand."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[str] | None = None
        self._pid = 0  # the process that started it: forked writers
        # (``sphinx-build -j``) start their own
        self._cache: dict[tuple[str, bool], tuple[str, str | None]] = {}

    def render(self, tex: str, display: bool) -> tuple[str, str | None]:
        """Return ``(html, error)``; ``error`` is None on success."""
        key = (tex, display)
        if key not in self._cache:
            process = self._start()
            assert process.stdin is not None
            assert process.stdout is not None
            request = {"tex": tex, "display": display}
            process.stdin.write(json.dumps(request) + "\n")
            process.stdin.flush()
            reply = json.loads(process.stdout.readline())
            self._cache[key] = (reply.get("html", ""), reply.get("error"))
        return self._cache[key]

    def _start(self) -> subprocess.Popen[str]:
        if self._pid != os.getpid():
            self._process = None
            self._pid = os.getpid()
        if self._process is None or self._process.poll() is not None:
            node = shutil.which("node")
            if node is None or not KATEX.is_dir():
                msg = (
                    "KaTeX renders the math at build time: install Node.js "
                    "and run `npm ci` in the repository root"
                )
                raise RuntimeError(msg)
            self._process = subprocess.Popen(
                [node, str(SCRIPT)],
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                encoding="utf-8",
            )
        return self._process

    def close(self) -> None:
        if self._process is not None and self._pid == os.getpid():
            if self._process.stdin is not None:
                self._process.stdin.close()
            self._process.wait(timeout=10)
            self._process = None


RENDERER = _Renderer()


def _render(node: nodes.Element, tex: str, display: bool) -> str:
    rendered, error = RENDERER.render(tex, display)
    if error is not None:
        logger.warning("KaTeX cannot render %r: %s", tex, error, location=node)
        return f'<code class="math-error">{html.escape(tex)}</code>'
    return rendered


def visit_math(self: HTML5Translator, node: nodes.math) -> None:
    """Inline math: ``<span class="math">`` holding KaTeX's HTML."""
    self.body.append(
        self.starttag(node, "span", "", CLASS="math notranslate nohighlight")
    )
    self.body.append(_render(node, node.astext(), display=False))
    self.body.append("</span>")
    raise nodes.SkipNode


def visit_displaymath(self: HTML5Translator, node: nodes.math_block) -> None:
    """Display math, with its equation number and permalink."""
    self.body.append(
        self.starttag(node, "div", CLASS="math notranslate nohighlight")
    )
    if node["number"] and not node.get("nowrap", False):
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    tex = node.astext()
    if not node.get("nowrap", False):
        # As Sphinx does for MathJax: paragraphs are equations, one a line.
        parts = [p.strip() for p in tex.split("\n\n") if p.strip()]
        parts = [
            rf"\begin{{aligned}}{p}\end{{aligned}}" if r"\\" in p else p
            for p in parts
        ]
        if len(parts) > 1:
            tex = r"\begin{gathered}" + r"\\".join(parts) + r"\end{gathered}"
        else:
            tex = parts[0] if parts else ""
    self.body.append(_render(node, tex, display=True))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def _copy_assets(app: Sphinx) -> None:
    """Put KaTeX's stylesheet and WOFF2 fonts into ``_static/katex``."""
    if app.builder.format != "html":
        return
    dist = KATEX / "dist"
    if not dist.is_dir():
        return  # the first formula reports the missing install
    target = Path(app.outdir) / "_static" / "katex"
    (target / "fonts").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(dist / "katex.min.css", target / "katex.min.css")
    for font in sorted((dist / "fonts").glob("*.woff2")):
        shutil.copyfile(font, target / "fonts" / font.name)


def _add_stylesheet(
    app: Sphinx,
    pagename: str,
    templatename: str,  # noqa: ARG001
    context: dict[str, Any],  # noqa: ARG001
    doctree: nodes.document | None,  # noqa: ARG001
) -> None:
    """Link the stylesheet on the pages that have math, and only there."""
    domain = app.env.domains["math"]
    if domain.has_equations(pagename):
        app.add_css_file("katex/katex.min.css", priority=200)


def _finished(app: Sphinx, exception: Exception | None) -> None:  # noqa: ARG001
    RENDERER.close()


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the ``katex`` math renderer."""
    app.add_html_math_renderer(
        "katex", (visit_math, None), (visit_displaymath, None)
    )
    app.connect("builder-inited", _copy_assets)
    app.connect("html-page-context", _add_stylesheet)
    app.connect("build-finished", _finished)
    return {
        "version": "1",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
