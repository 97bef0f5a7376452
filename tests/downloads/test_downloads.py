"""Each page's downloads, fetched from the built site, run on their own.

``nox -s downloads`` serves ``docs/_build/html`` on 127.0.0.1 and, for
every page that has a download menu, fetches the three files it links to:

- the notebook with outputs must be a valid notebook and carry outputs;
- the notebook without outputs must hold the same code and no outputs, and
  it must run top to bottom in a fresh kernel, in an empty folder, in a
  virtualenv that has ``dnnref``, NumPy, matplotlib and IPython but neither
  myst-nb nor anything from ``docs/``; what it prints must be what the
  site shows;
- the percent-format script must hold the same code cells and compile.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import multiprocessing
import os
import re
import threading
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "docs" / "_build" / "html"
LINK = re.compile(r'href="(_downloads/notebooks/[^"]+)"')
PAGES = sorted(
    p.stem for p in HTML.glob("*.html") if LINK.search(p.read_text("utf-8"))
)
ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def _downloads(base_url: str, page: str) -> dict[str, str]:
    links = LINK.findall(_fetch(f"{base_url}/{page}.html"))
    files = {Path(link).name: _fetch(f"{base_url}/{link}") for link in links}
    expected = {f"{page}.ipynb", f"{page}-no-outputs.ipynb", f"{page}.py"}
    assert set(files) == expected, f"{page} links {sorted(files)}"
    return files


def _code(nb: nbformat.NotebookNode) -> list[str]:
    return [c.source.strip() for c in nb.cells if c.cell_type == "code"]


def _printed(nb: nbformat.NotebookNode) -> list[str]:
    return [
        "".join(o.text for o in c.outputs if o.output_type == "stream")
        for c in nb.cells
        if c.cell_type == "code"
    ]


def test_pages_have_downloads() -> None:
    assert len(PAGES) >= 12, PAGES


def test_no_docs_packages_in_this_environment() -> None:
    """The notebooks run here without myst-nb and without docs/ on the path."""
    assert importlib.util.find_spec("myst_nb") is None
    assert importlib.util.find_spec("figstyle") is None
    assert importlib.util.find_spec("dnnref") is not None


def _run(text: str, folder: str) -> nbformat.NotebookNode:
    """Execute a notebook in a fresh kernel, in ``folder`` (a worker)."""
    os.environ.update(ENV)
    nb = nbformat.reads(text, as_version=4)
    NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": folder}},
    ).execute()
    return nb


@pytest.fixture(scope="module")
def executed(
    base_url: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[dict[str, str], nbformat.NotebookNode]]:
    """Every page's downloads, the blank notebook run in a fresh kernel."""
    files = {page: _downloads(base_url, page) for page in PAGES}
    blanks = [files[page][f"{page}-no-outputs.ipynb"] for page in PAGES]
    folders = [str(tmp_path_factory.mktemp(page)) for page in PAGES]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(os.cpu_count(), mp_context=context) as pool:
        ran = list(pool.map(_run, blanks, folders))
    return {
        page: (files[page], nb) for page, nb in zip(PAGES, ran, strict=True)
    }


@pytest.mark.parametrize("page", PAGES)
def test_notebook_without_outputs_runs_alone(
    executed: dict[str, tuple[dict[str, str], nbformat.NotebookNode]],
    page: str,
) -> None:
    files, ran = executed[page]
    shown = nbformat.reads(files[f"{page}.ipynb"], as_version=4)
    blank = nbformat.reads(files[f"{page}-no-outputs.ipynb"], as_version=4)
    nbformat.validate(shown)
    nbformat.validate(blank)
    assert _code(shown) == _code(blank)
    assert not any(c.get("outputs") for c in blank.cells)
    assert any(c.get("outputs") for c in shown.cells), "no outputs shown"
    assert "figstyle" not in {p.name for p in Path.cwd().glob("*.py")}
    assert _printed(ran) == _printed(shown), "it prints what the site shows"
    for cell in shown.cells:
        if cell.cell_type == "markdown":
            assert "{glue" not in cell.source, "a MyST role was left over"
            assert "```{" not in cell.source, "a MyST directive was left over"


@pytest.mark.parametrize("page", PAGES)
def test_percent_script_has_the_same_code(
    executed: dict[str, tuple[dict[str, str], nbformat.NotebookNode]],
    page: str,
) -> None:
    files, ran = executed[page]
    script = files[f"{page}.py"]
    compile(script, f"{page}.py", "exec")
    cells = re.split(r"^# %%.*$", script, flags=re.MULTILINE)[1:]
    headers = re.findall(r"^# %%.*$", script, flags=re.MULTILINE)
    code = [
        body.strip()
        for header, body in zip(headers, cells, strict=True)
        if "[markdown]" not in header
    ]
    assert code == _code(ran)
