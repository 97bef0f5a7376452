"""Every notebook page offers three downloads, made from the executed page.

From a page's executed notebook (in myst-nb's execution cache) the build
writes, into ``_downloads/notebooks/``:

- ``<page>.ipynb``: the notebook with its outputs, as shown on the site;
- ``<page>-no-outputs.ipynb``: the same without outputs, to work through;
- ``<page>.py``: the same in jupytext's percent format, for an editor.

They are linked from the page's download menu (top right). A downloaded
notebook runs on its own, with only ``numpy``, ``matplotlib``, ``ipython``
and ``dnnref`` installed: its first code cell defines the site's figure
style (``docs/figstyle.py``) and a stand-in for myst-nb's ``glue``, and its
Markdown is plain Jupyter Markdown: MyST roles and directives are replaced
by what they show on the site (glued numbers, included code, equation
numbers, collapsed solutions, references).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
from docutils import nodes
from execute_pages import executed_notebook
from nbformat import NotebookNode
from pybtex.database import parse_file
from pybtex.plugin import find_plugin
from sphinx.application import Sphinx
from sphinx.directives.code import LiteralIncludeReader
from sphinx.util import logging

logger = logging.getLogger(__name__)

DOCS = Path(__file__).resolve().parents[1]
FIGSTYLE = DOCS / "figstyle.py"
BIBFILE = DOCS / "references.bib"
TARGET = Path("_downloads") / "notebooks"
THUMBNAIL_KEY = "dnnref-thumbnail"

ROLE = re.compile(r"\{(?P<name>[a-z][a-z:-]*)\}`(?P<text>[^`]*)`")
FENCE = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[a-z-]+)\}(?P<args>.*)$"
)
MATH_LABEL = re.compile(r"^\$\$\s*\((?P<label>[^)]+)\)\s*$")
TARGET_LINE = re.compile(r"^\([\w-]+\)=\s*$")
EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^>]+)>$", re.DOTALL)

DOWNLOAD_ATTRIBUTE = (
    "document.addEventListener('DOMContentLoaded', () => {"
    " document.querySelectorAll('.dropdown-download-buttons a')"
    ".forEach(a => a.setAttribute('download', '')); });"
)

SETUP = '''\
# Set-up for running this notebook outside the site. On the site, the
# figures use the site's style (docs/figstyle.py, defined here as the module
# `figstyle`) and myst-nb's `glue` records numbers for the prose; here `glue`
# shows nothing unless asked to.
import sys
import types

try:
    from myst_nb import glue
except ImportError:

    def glue(name, variable, display=True):
        """Stand-in for myst_nb.glue: show the value if display is True."""
        if display:
            from IPython.display import display as show

            show(variable)
{figstyle}'''

FIGSTYLE_MODULE = """
figstyle = types.ModuleType("figstyle")
exec(compile(FIGSTYLE_SOURCE, "figstyle.py", "exec"), figstyle.__dict__)
sys.modules["figstyle"] = figstyle
"""


def _figstyle_block() -> str:
    source = FIGSTYLE.read_text(encoding="utf-8")
    if "'''" in source:
        msg = "docs/figstyle.py must not contain ''' (it is embedded in one)"
        raise ValueError(msg)
    return f"\nFIGSTYLE_SOURCE = r'''{source}'''\n{FIGSTYLE_MODULE}"


class _Bibliography:
    """Author-year labels and formatted entries from references.bib."""

    def __init__(self) -> None:
        self.data = parse_file(str(BIBFILE))
        self.style = find_plugin("pybtex.style.formatting", "plain")()

    def label(self, key: str) -> str:
        entry = self.data.entries.get(key)
        if entry is None:
            return key
        people = entry.persons.get("author") or entry.persons.get("editor")
        names = [
            " ".join(p.last_names).replace("{", "").replace("}", "")
            for p in people or []
        ]
        year = entry.fields.get("year", "")
        if len(names) >= 3:
            who = f"{names[0]} et al."
        else:
            who = " and ".join(names) or key
        return f"{who} {year}".strip()

    def entries(self, keys: list[str]) -> list[str]:
        known = [self.data.entries[k] for k in keys if k in self.data.entries]
        formatted = self.style.format_entries(known)
        return [entry.text.render_as("markdown") for entry in formatted]


class Converter:
    """Turns a page's executed notebook into the three downloads."""

    def __init__(
        self,
        app: Sphinx,
        docname: str,
        notebook: NotebookNode,
        bibliography: _Bibliography,
    ) -> None:
        self.app = app
        self.docname = docname
        self.notebook = copy.deepcopy(notebook)
        self.bib = bibliography
        self.glued = self._take_glued_values()
        self.cited: list[str] = []

    # -- values the page shows ------------------------------------------

    def _take_glued_values(self) -> dict[str, str]:
        """Remove the glue records from the outputs; return their values.

        As myst-nb does: a record is an output whose metadata names it, and
        a record with a MIME prefix is not meant to be shown.
        """
        glued: dict[str, str] = {}
        for cell in self.notebook.cells:
            kept = []
            for output in cell.get("outputs", []):
                scrap = output.get("metadata", {}).get("scrapbook")
                if scrap is None:
                    kept.append(output)
                    continue
                prefix = scrap.get("mime_prefix", "")
                text = output.get("data", {}).get(f"{prefix}text/plain")
                if text is not None:
                    glued[scrap["name"]] = str(text).strip("'")
                if not prefix:
                    kept.append(output)
            if "outputs" in cell:
                cell.outputs = kept
        return glued

    def _glue(self, text: str) -> str:
        key, _, spec = text.partition(":")
        value = self.glued.get(key)
        if value is None:
            logger.warning(
                "download: no glued value %r", key, location=self.docname
            )
            return text
        if spec:
            try:
                return f"{float(value):>{spec}}"
            except ValueError:
                return value
        return value

    def _equation_number(self, label: str) -> str:
        number = self.app.env.domains["math"].get_equation_number_for(label)
        return str(number) if number is not None else label

    def _title(self, target: str) -> str:
        docname = target.removesuffix(".md").lstrip("/")
        title = self.app.env.titles.get(docname)
        return title.astext() if title is not None else target

    def _ref(self, label: str) -> str:
        std = self.app.env.domains["standard"]
        found = std.labels.get(label.lower())
        return found[2] if found and found[2] else label

    def _cite(self, text: str) -> str:
        keys = [k.strip() for k in text.split(",") if k.strip()]
        self.cited += [k for k in keys if k not in self.cited]
        return "(" + "; ".join(self.bib.label(k) for k in keys) + ")"

    # -- Markdown ---------------------------------------------------------

    def _role(self, match: re.Match[str]) -> str:
        name, text = match["name"], match["text"]
        explicit = EXPLICIT.match(text)
        shown = explicit["text"] if explicit else text
        target = explicit["target"] if explicit else text
        handlers: dict[str, Callable[[], str]] = {
            "glue:text": lambda: self._glue(text),
            "glue": lambda: self._glue(text),
            "eq": lambda: f"({self._equation_number(text)})",
            "math": lambda: f"${text}$",
            "footcite": lambda: self._cite(text),
            "footcitet": lambda: self._cite(text),
            "cite": lambda: self._cite(text),
            "doc": lambda: f"*{shown if explicit else self._title(text)}*",
            "ref": lambda: shown if explicit else self._ref(target),
            "numref": lambda: shown if explicit else self._ref(target),
        }
        if name in handlers:
            return handlers[name]()
        if name in {"func", "meth", "class", "mod", "data", "attr", "obj"}:
            return f"`{target.lstrip('~')}`"
        return shown

    def markdown(self, source: str) -> str:
        """MyST Markdown to plain Jupyter Markdown."""
        out: list[str] = []
        lines = source.splitlines()
        i = 0
        while i < len(lines):
            line = lines[i]
            fence = FENCE.match(line)
            if fence:
                end = self._closing(lines, i, fence["fence"])
                body = lines[i + 1 : end]
                out += self._directive(
                    fence["name"], fence["args"].strip(), body
                ).splitlines()
                i = end + 1
                continue
            label = MATH_LABEL.match(line)
            if label:
                number = self._equation_number(label["label"])
                out += [rf"\tag{{{number}}}", "$$"]
            elif TARGET_LINE.match(line) or line.startswith("% "):
                pass
            else:
                out.append(ROLE.sub(self._role, line))
            i += 1
        return "\n".join(out).strip("\n")

    @staticmethod
    def _closing(lines: list[str], start: int, fence: str) -> int:
        for j in range(start + 1, len(lines)):
            stripped = lines[j].strip()
            if set(stripped) == {fence[0]} and len(stripped) >= len(fence):
                return j
        return len(lines)

    @staticmethod
    def _options(body: list[str]) -> tuple[dict[str, str], list[str]]:
        options: dict[str, str] = {}
        i = 0
        while i < len(body) and re.match(r"^:[\w-]+:", body[i]):
            key, _, value = body[i][1:].partition(":")
            value = value.strip()
            if len(value) > 1 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]  # quoted, as MyST reads it
            options[key] = value
            i += 1
        return options, body[i:]

    def _directive(self, name: str, args: str, body: list[str]) -> str:
        options, content = self._options(body)
        inner = self.markdown("\n".join(content)) if content else ""
        if name == "literalinclude":
            return self._include(args, options)
        if name == "dropdown":
            title = ROLE.sub(self._role, args)
            return (
                f"<details>\n<summary>{title}</summary>\n\n{inner}\n\n"
                "</details>"
            )
        if name == "footbibliography":
            entries = self.bib.entries(self.cited)
            return "\n".join(f"- {entry}" for entry in entries)
        if name == "math":
            return f"$$\n{inner}\n$$"
        title = ROLE.sub(self._role, args) if args else name.capitalize()
        quoted = "\n".join(f"> {ln}".rstrip() for ln in inner.splitlines())
        return f"> **{title}**\n>\n{quoted}"

    def _include(self, path: str, options: dict[str, str]) -> str:
        filename = (DOCS / path).resolve()
        known = {
            "pyobject",
            "start-at",
            "start-after",
            "end-at",
            "end-before",
            "lines",
            "dedent",
        }
        wanted: dict[str, Any] = {
            k: v for k, v in options.items() if k in known
        }
        if "dedent" in wanted:
            wanted["dedent"] = int(wanted["dedent"])
        text, _ = LiteralIncludeReader(
            filename, wanted, self.app.config
        ).read()
        language = options.get("language", "python")
        return f"```{language}\n{text.rstrip()}\n```"

    # -- the notebooks ----------------------------------------------------

    def notebooks(self) -> tuple[NotebookNode, NotebookNode, str]:
        """``(with outputs, without outputs, percent-format script)``."""
        nb = copy.deepcopy(self.notebook)
        cells: list[NotebookNode] = []
        uses_figstyle = False
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = self.markdown(cell.source)
            elif cell.cell_type == "code":
                if re.fullmatch(
                    r"(\s*figstyle\.thumbnail\([^\n]*\)\s*)+", cell.source
                ):
                    continue
                uses_figstyle |= "import figstyle" in cell.source
                cell.source = re.sub(
                    r"^from myst_nb import glue\n?",
                    "",
                    cell.source,
                    flags=re.MULTILINE,
                )
                cell.outputs = [
                    o
                    for o in cell.outputs
                    if not o.get("metadata", {})
                    .get("image/png", {})
                    .get(THUMBNAIL_KEY)
                ]
            cells.append(cell)
        setup = nbformat.v4.new_code_cell(
            SETUP.format(figstyle=_figstyle_block() if uses_figstyle else "")
        )
        note = nbformat.v4.new_markdown_cell(self._note())
        first_code = next(
            (i for i, c in enumerate(cells) if c.cell_type == "code"),
            len(cells),
        )
        cells[first_code:first_code] = [note, setup]
        for index, cell in enumerate(cells):
            cell.pop("id", None)
            cell["id"] = f"{self.docname}-{index}"
        nb.cells = cells
        nb.metadata = nbformat.from_dict(
            {
                "kernelspec": nb.metadata.get("kernelspec", {}),
                "language_info": {"name": "python"},
            }
        )
        blank = copy.deepcopy(nb)
        for cell in blank.cells:
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None
        return nb, blank, self._percent(blank)

    def _note(self) -> str:
        site = self.app.config.html_title or self.app.config.project
        return (
            f"*This notebook is the page \u201c{self._title(self.docname)}"
            f"\u201d of {site}. It runs on its own with Python 3.11+ and "
            "the packages `numpy`, `matplotlib`, `ipython` and `dnnref` "
            "(`pip install .` in a clone of the site's repository). The "
            "next cell sets it up.*"
        )

    @staticmethod
    def _percent(nb: NotebookNode) -> str:
        kernel = nb.metadata.get("kernelspec", {})
        header = [
            "# ---",
            "# jupyter:",
            "#   kernelspec:",
            f"#     display_name: {kernel.get('display_name', 'Python 3')}",
            "#     language: python",
            f"#     name: {kernel.get('name', 'python3')}",
            "# ---",
        ]
        parts = ["\n".join(header)]
        for cell in nb.cells:
            tags = cell.get("metadata", {}).get("tags", [])
            suffix = f" tags={json.dumps(tags)}" if tags else ""
            if cell.cell_type == "markdown":
                body = "\n".join(
                    f"# {ln}".rstrip() for ln in cell.source.splitlines()
                )
                parts.append(f"# %% [markdown]{suffix}\n{body}")
            elif cell.cell_type == "code":
                parts.append(f"# %%{suffix}\n{cell.source.rstrip()}")
        return "\n\n".join(parts) + "\n"


def _write_if_changed(path: Path, text: str) -> None:
    data = text.encode("utf-8")
    if not path.is_file() or path.read_bytes() != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def add_downloads(
    app: Sphinx,
    pagename: str,
    templatename: str,  # noqa: ARG001
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Write the page's three downloads and add them to its download menu."""
    if doctree is None:
        return
    executed = executed_notebook(app, pagename)
    if executed is None:  # not a notebook page, or its execution failed
        return
    if not hasattr(app, "_dnnref_bibliography"):
        app._dnnref_bibliography = _Bibliography()  # type: ignore[attr-defined]
    converter = Converter(
        app,
        pagename,
        executed,
        app._dnnref_bibliography,  # type: ignore[attr-defined]
    )
    with_outputs, blank, percent = converter.notebooks()
    folder = Path(app.outdir) / TARGET
    files = {
        f"{pagename}.ipynb": nbformat.writes(with_outputs) + "\n",
        f"{pagename}-no-outputs.ipynb": nbformat.writes(blank) + "\n",
        f"{pagename}.py": percent,
    }
    for name, text in files.items():
        _write_if_changed(folder / name, text)
    root = context["pathto"]("index").rsplit("/", 1)
    prefix = root[0] + "/" if len(root) == 2 else ""
    link = f"{prefix}{TARGET.as_posix()}"
    buttons = [
        (
            f"{pagename}.ipynb",
            ".ipynb",
            "fas fa-book",
            "Notebook with outputs",
        ),
        (
            f"{pagename}-no-outputs.ipynb",
            ".ipynb",
            "fas fa-book-open",
            "Notebook without outputs, to run yourself",
        ),
        (
            f"{pagename}.py",
            ".py",
            "fas fa-code",
            "Python script (percent format)",
        ),
    ]
    group = {
        "type": "group",
        "tooltip": "Download this page",
        "icon": "fas fa-download",
        "label": "download-buttons",
        "buttons": [
            {
                "type": "link",
                "url": f"{link}/{name}",
                "text": f"{text} ({tooltip.split(',')[0].lower()})",
                "tooltip": tooltip,
                "icon": icon,
                "label": f"download-{name}",
            }
            for name, text, icon, tooltip in buttons
        ],
    }
    context.setdefault("header_buttons", []).insert(0, group)
    # The theme opens links in a new tab: ask the browser to save them.
    app.add_js_file(None, body=DOWNLOAD_ATTRIBUTE)


def setup(app: Sphinx) -> dict[str, Any]:
    """Run after sphinx-book-theme has prepared the header buttons."""
    app.connect("html-page-context", add_downloads, priority=600)
    return {
        "version": "1",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
