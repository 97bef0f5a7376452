"""Execute the site's pages in parallel, while Sphinx reads the others.

myst-nb executes a page when it reads it, one page after another, each in
a new Jupyter kernel. Here, when the builder starts, every notebook page
whose code cells are not in the execution cache (myst-nb's jupyter-cache,
keyed on the code) starts executing, one process per core
(``fork_kernel``); Sphinx meanwhile reads the pages that need no execution,
then each executed page as soon as its outputs are stored in the cache,
from which myst-nb reads it. The same page always gives the same outputs,
so the site stays byte-identical.

A page whose execution fails is reported here, with its traceback, as a
build warning on that page (so ``-W`` fails the build and ``--keep-going``
reports every failing page at once), and myst-nb is told not to execute it
again in the same build.

Each page's card picture for the index (see ``figstyle.thumbnail``) is
written to ``_build/thumbnails/<page>.png`` from the executed notebook.

Any build that ends with a warning or an error discards the saved
environment, so the next build re-reads every page and fails again: a
failure stays a failure even though builds are incremental.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import fork_kernel
import nbformat
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from jupyter_cache.executors.utils import single_nb_execution
from myst_nb.core.read import create_nb_reader
from nbformat import NotebookNode
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

DOCS = Path(__file__).resolve().parents[1]
THUMBNAILS = DOCS / "_build" / "thumbnails"
THUMBNAIL_KEY = "dnnref-thumbnail"
THUMBNAIL_PATH = "_build/thumbnails/"
KNOWN = "dnnref-pages.json"  # in the cache folder: the pages checked  # how the index refers to the cards


def read_notebook(app: Sphinx, path: Path) -> NotebookNode | None:
    """Read a page as myst-nb does; None if it is not a notebook."""
    content = path.read_text(encoding="utf-8")
    reader = create_nb_reader(
        str(path), app.env.myst_config, app.env.mystnb_config, content
    )
    if reader is None:
        return None
    notebook = reader.read(content)
    kernelspec = notebook.metadata.get("kernelspec", {})
    for pattern, alias in app.env.mystnb_config.kernel_rgx_aliases.items():
        if "name" in kernelspec and re.fullmatch(pattern, kernelspec.name):
            kernelspec["name"] = alias
            break
    return notebook


def executed_notebook(app: Sphinx, docname: str) -> NotebookNode | None:
    """The page with its outputs from the cache; None if there are none."""
    config = app.env.mystnb_config
    path = Path(app.env.doc2path(docname))
    known_file = Path(config.execution_cache_path) / KNOWN
    known = json.loads(known_file.read_text()) if known_file.is_file() else {}
    entry = known.get(docname, [])
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if len(entry) == 3 and entry[0] == digest:
        # this very source was executed (or matched) as record entry[2]
        return (
            get_cache(config.execution_cache_path)
            .get_cache_bundle(entry[2])
            .nb
        )
    notebook = read_notebook(app, path)
    if notebook is None or config.execution_mode != "cache":
        return None
    try:
        _, merged = get_cache(
            config.execution_cache_path
        ).merge_match_into_notebook(notebook)
    except KeyError:
        return None
    return merged


def thumbnail_of(notebook: NotebookNode) -> bytes | None:
    """The PNG that ``figstyle.thumbnail`` emitted, if any."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("image/png", {})
            if meta.get(THUMBNAIL_KEY):
                return base64.b64decode(output["data"]["image/png"])
    return None


def merge_streams(notebook: NotebookNode) -> None:
    """Join consecutive stream outputs of one name, exactly.

    A kernel flushes ``print`` output in pieces whose boundaries depend on
    timing, and myst-nb's own merge strips and re-adds a newline at every
    boundary: on a busy machine the same cell then renders differently.
    Joined here, the pieces always give the same single output.
    """
    for cell in notebook.cells:
        merged: list[NotebookNode] = []
        for output in cell.get("outputs", []):
            previous = merged[-1] if merged else None
            if (
                previous is not None
                and output.output_type == "stream"
                and previous.output_type == "stream"
                and previous.name == output.name
            ):
                previous.text += output.text
            else:
                merged.append(output)
        if "outputs" in cell:
            cell.outputs = merged


def _write_if_changed(path: Path, data: bytes) -> None:
    """Write ``data`` unless the file already holds it (keeps its mtime)."""
    if not path.is_file() or path.read_bytes() != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


Runner = Callable[
    [NotebookNode, int], "Future[tuple[NotebookNode, float, str | None]]"
]


@contextmanager
def _executor(workers: int) -> Iterator[Runner]:
    """Run notebooks on ``workers`` processes.

    By default each page runs in a process forked from a warm server
    (``fork_kernel``); ``DNNREF_EXECUTOR=nbclient`` uses a Jupyter kernel
    per page instead, as myst-nb itself does.
    """
    if os.environ.get("DNNREF_EXECUTOR") == "nbclient":
        with ThreadPoolExecutor(workers) as threads:

            def run_nbclient(
                notebook: NotebookNode, timeout: int
            ) -> Future[tuple[NotebookNode, float, str | None]]:
                def job() -> tuple[NotebookNode, float, str | None]:
                    result = single_nb_execution(
                        notebook,
                        cwd=str(DOCS),
                        timeout=timeout,
                        allow_errors=False,
                        meta_override=True,
                    )
                    error = None
                    if result.err is not None:
                        error = (
                            f"{type(result.err).__name__}\n{result.exc_string}"
                        )
                    return notebook, result.time, error

                return threads.submit(job)

            yield run_nbclient
        return
    with fork_kernel.pool(workers) as processes:

        def run_forked(
            notebook: NotebookNode, timeout: int
        ) -> Future[tuple[NotebookNode, float, str | None]]:
            done: Future[tuple[NotebookNode, float, str | None]] = Future()
            job = fork_kernel.submit(processes, notebook, str(DOCS), timeout)

            def unpack(f: Future[tuple[str, float, str | None]]) -> None:
                try:
                    text, seconds, error = f.result()
                except Exception as exc:  # noqa: BLE001  the process died
                    done.set_result((notebook, 0.0, repr(exc)))
                else:
                    done.set_result(
                        (nbformat.reads(text, as_version=4), seconds, error)
                    )

            job.add_done_callback(unpack)
            return done

        yield run_forked


class _Run:
    """The pages being executed while Sphinx reads the others."""

    def __init__(self, app: Sphinx, pending: dict, known: dict) -> None:
        config = app.env.mystnb_config
        self.app = app
        self.cache = get_cache(config.execution_cache_path)
        self.known = known
        self.known_file = Path(config.execution_cache_path) / KNOWN
        self.pending: dict[str, tuple[Path, NotebookNode]] = pending
        workers = min(
            len(pending),
            int(os.environ.get("DNNREF_JOBS", "0")) or os.cpu_count() or 1,
        )
        logger.info(
            "executing %d page(s) on %d core(s): %s",
            len(pending),
            workers,
            ", ".join(pending),
        )
        self.start = time.perf_counter()
        self.context = _executor(workers)
        run = self.context.__enter__()
        # In the order Sphinx reads the pages, so the first it needs is
        # the first to finish.
        self.futures = {
            docname: run(notebook, config.execution_timeout)
            for docname, (_, notebook) in sorted(pending.items())
        }

    def wait(self, docname: str) -> None:
        """Block until ``docname`` is executed and stored in the cache."""
        if docname not in self.pending:
            return
        path, _ = self.pending.pop(docname)
        executed, seconds, error = self.futures.pop(docname).result()
        if error is not None:
            logger.warning(
                "executing the page failed: %s",
                error,
                location=docname,
                type="dnnref",
                subtype="execute",
            )
            # reported here: myst-nb must not run it a second time
            config = self.app.env.mystnb_config
            self.app.env.mystnb_config = config.copy(
                execution_excludepatterns=(
                    *config.execution_excludepatterns,
                    str(path),
                )
            )
            return
        logger.info("executed %s in %.2f s", docname, seconds)
        merge_streams(executed)
        record = self.cache.cache_notebook_bundle(
            CacheBundleIn(
                executed, str(path), data={"execution_seconds": seconds}
            ),
            check_validity=False,
            overwrite=True,
        )
        png = thumbnail_of(executed)
        if png is not None:
            _write_if_changed(THUMBNAILS / f"{docname}.png", png)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        self.known[docname] = [digest, png is not None, record.pk]

    def finish(self) -> None:
        """Wait for every page, then stop the workers."""
        for docname in sorted(self.pending):
            self.wait(docname)
        self.close()
        self.known_file.write_text(
            json.dumps(self.known, indent=0, sort_keys=True)
        )
        logger.info(
            "executed every page in %.1f s", time.perf_counter() - self.start
        )

    def close(self) -> None:
        for future in self.futures.values():
            future.cancel()
        self.context.__exit__(None, None, None)


_RUN: dict[int, _Run] = {}  # the current build's run, by id(app)


def execute_pages(app: Sphinx) -> None:
    """Start executing every page the cache does not hold yet."""
    config = app.env.mystnb_config
    if config.execution_mode != "cache":
        return
    cache = get_cache(config.execution_cache_path)
    # The pages already checked against this cache, by the hash of their
    # source: whether they make a card picture and their cache record (for
    # notebooks). A no-op build then reads no page at all.
    known_file = Path(config.execution_cache_path) / KNOWN
    known = json.loads(known_file.read_text()) if known_file.is_file() else {}
    pending: dict[str, tuple[Path, NotebookNode]] = {}
    # Sphinx finds new pages only later, when it reads: look now.
    app.env.find_files(app.config, app.builder)
    for docname in sorted(app.project.docnames):
        path = Path(app.env.doc2path(docname))
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        thumbnail = THUMBNAILS / f"{docname}.png"
        seen = known.get(docname)
        if seen and seen[0] == digest and (not seen[1] or thumbnail.is_file()):
            continue
        notebook = read_notebook(app, path)
        if notebook is None:
            known[docname] = [digest, False]
            continue
        try:
            record = cache.match_cache_notebook(notebook)
        except KeyError:
            pending[docname] = (path, notebook)
            continue
        png = thumbnail_of(cache.get_cache_bundle(record.pk).nb)
        if png is not None:
            _write_if_changed(thumbnail, png)
        known[docname] = [digest, png is not None, record.pk]
    known_file.write_text(json.dumps(known, indent=0, sort_keys=True))
    if pending:
        _RUN[id(app)] = _Run(app, pending, known)


def _uses_thumbnails(app: Sphinx, docname: str) -> bool:
    path = Path(app.env.doc2path(docname))
    return path.is_file() and THUMBNAIL_PATH in path.read_text("utf-8")


def reread_cards(
    app: Sphinx,
    env: Any,
    added: set[str],
    changed: set[str],
    removed: set[str],
) -> list[str]:
    """While pages execute, the pages that show their cards are read again.

    A page's new card picture is written only once it has run, after
    Sphinx decided what to read; the page with the cards must see it.
    """
    del env, added, changed, removed
    if id(app) not in _RUN:
        return []
    return [
        d for d in sorted(app.project.docnames) if _uses_thumbnails(app, d)
    ]


def reading_order(app: Sphinx, env: Any, docnames: list[str]) -> None:
    """Read first what needs no execution, and the card page last.

    Sphinx reads while the workers execute: pages already in the cache and
    pages without code first, then the executed pages in the order they
    were started, then the pages that show the cards, which need them all.
    """
    del env
    # Sphinx reads in parallel (forked readers) under ``-j``, which the
    # nox session passes for the writing; the waits below need one reader.
    # The setting comes back once every page is read (finish_pages).
    app._dnnref_parallel = app.parallel  # type: ignore[attr-defined]
    app.parallel = 1
    run = _RUN.get(id(app))
    if run is None:
        return
    started = list(run.futures)
    cards = {d for d in docnames if _uses_thumbnails(app, d)}

    def key(docname: str) -> tuple[int, int, str]:
        if docname in cards:
            return (2, 0, docname)
        if docname in started:
            return (1, started.index(docname), docname)
        return (0, 0, docname)

    docnames.sort(key=key)


def wait_for_page(app: Sphinx, docname: str, source: list[str]) -> None:
    """Before Sphinx reads a page, wait for what it needs to be executed."""
    run = _RUN.get(id(app))
    if run is None:
        return
    if THUMBNAIL_PATH in source[0]:
        for other in sorted(run.pending):
            run.wait(other)
    run.wait(docname)


def finish_pages(app: Sphinx, env: Any) -> None:
    """Every page has been read: the workers have nothing left to do."""
    del env
    app.parallel = getattr(app, "_dnnref_parallel", app.parallel)
    run = _RUN.pop(id(app), None)
    if run is not None:
        run.finish()


def stop_pages(app: Sphinx, exception: Exception | None) -> None:
    """A build that stopped early stops its workers too."""
    del exception
    run = _RUN.pop(id(app), None)
    if run is not None:
        run.close()


def forget_failed_build(app: Sphinx, exception: Exception | None) -> None:
    """After a warning, drop the saved environment: the next build re-reads.

    Sphinx already does this when a build raises; a warning under ``-W``
    fails the build too but would leave the environment in place, and an
    incremental rebuild would then skip the pages that warned and succeed.
    """
    if exception is None and app._warncount:
        envfile = Path(app.doctreedir) / "environment.pickle"
        envfile.unlink(missing_ok=True)


def setup(app: Sphinx) -> dict[str, Any]:
    """Run after myst-nb has set up its configuration."""
    app.add_config_value("dnnref_build_tools", "", "env")
    app.connect("builder-inited", execute_pages, priority=900)
    app.connect("env-get-outdated", reread_cards)
    app.connect("env-before-read-docs", reading_order)
    app.connect("source-read", wait_for_page)
    app.connect("env-updated", finish_pages)
    app.connect("build-finished", stop_pages)
    app.connect("build-finished", forget_failed_build)
    return {
        "version": "1",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
