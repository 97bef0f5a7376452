"""Run a notebook in a fresh process forked from a warm one.

A Jupyter kernel spends about a second of CPU before a page's first line
runs: starting the interpreter and ipykernel, then importing NumPy,
matplotlib and IPython. With fifteen pages on two cores that is a quarter of
the build. Here a fork server imports those once; each page then runs in its
own process, forked from that server, so it starts with the imports done but
with nothing else shared: no page sees another page's variables, figures,
matplotlib settings or random state.

Inside, an IPython shell runs the cells as ipykernel does and records what
a notebook client would: ``stream`` outputs (consecutive pieces joined),
``display_data`` (figures through matplotlib's inline backend, ``glue``),
``execute_result`` with its execution count, and ``error`` with the
traceback, after which the notebook stops, as with ``allow_errors=False``.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
import signal
import sys
import time
import traceback
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

import nbformat
from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from nbformat import NotebookNode

# Imported by the fork server once; each page's process starts with them.
PRELOAD = [
    "numpy",
    "matplotlib",
    "matplotlib.pyplot",
    "matplotlib_inline.backend_inline",
    "IPython",
    "IPython.core.interactiveshell",
    "IPython.display",
    "myst_nb",
    "dnnref",
    "fork_kernel",
]
INLINE = "module://matplotlib_inline.backend_inline"
# What ipykernel reports of itself; myst-nb picks the code lexer from it.
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
    "version": ".".join(map(str, sys.version_info[:3])),
}


class CellError(Exception):
    """A cell raised: the notebook stops here, as a kernel client would."""


def pool(workers: int) -> ProcessPoolExecutor:
    """A pool whose every task runs in a new process forked from a server."""
    os.environ["MPLBACKEND"] = INLINE
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return ProcessPoolExecutor(
        workers, mp_context=context, max_tasks_per_child=1
    )


def submit(
    executor: ProcessPoolExecutor,
    notebook: NotebookNode,
    cwd: str,
    timeout: int,
) -> Future[tuple[str, float, str | None]]:
    """Run ``notebook`` in ``cwd``; the result is the executed notebook as
    JSON, the seconds it took and the error text (None on success)."""
    return executor.submit(_run, nbformat.writes(notebook), cwd, timeout)


class _Stream(io.TextIOBase):
    """``sys.stdout`` or ``sys.stderr`` of a cell: text becomes outputs."""

    def __init__(self, name: str, outputs: list[NotebookNode]) -> None:
        self.name = name
        self.outputs = outputs

    def write(self, text: str) -> int:
        if not text:
            return 0
        last = self.outputs[-1] if self.outputs else None
        if (
            last is not None
            and last.output_type == "stream"
            and last.name == self.name
        ):
            last.text += text
        else:
            self.outputs.append(
                nbformat.v4.new_output("stream", name=self.name, text=text)
            )
        return len(text)

    def isatty(self) -> bool:
        return False

    @property
    def encoding(self) -> str:
        return "utf-8"


def _shell(outputs: list[list[NotebookNode]]) -> Any:
    """An IPython shell whose displays go into the current cell's outputs."""

    class Publisher(DisplayPublisher):
        def publish(  # type: ignore[override]
            self,
            data: dict[str, Any],
            metadata: dict[str, Any] | None = None,
            source: Any = None,  # noqa: ARG002
            *,
            transient: Any = None,  # noqa: ARG002
            update: bool = False,  # noqa: ARG002
            **kwargs: Any,  # noqa: ARG002
        ) -> None:
            outputs[-1].append(
                nbformat.v4.new_output(
                    "display_data", data=data, metadata=metadata or {}
                )
            )

        def clear_output(self, wait: bool = False) -> None:  # noqa: ARG002
            outputs[-1].clear()

    class Hook(DisplayHook):
        def start_displayhook(self) -> None:
            self.data: dict[str, Any] = {}
            self.metadata: dict[str, Any] = {}

        def write_output_prompt(self) -> None:
            pass

        def write_format_data(
            self, format_dict: dict[str, Any], md_dict: Any = None
        ) -> None:
            self.data = format_dict
            self.metadata = md_dict or {}

        def finish_displayhook(self) -> None:
            if self.data:
                outputs[-1].append(
                    nbformat.v4.new_output(
                        "execute_result",
                        data=self.data,
                        metadata=self.metadata,
                        execution_count=self.shell.execution_count,
                    )
                )

    class Shell(InteractiveShell):
        def enable_gui(self, gui: Any = None) -> None:
            """The inline backend needs no GUI event loop."""

        def _showtraceback(
            self, etype: Any, evalue: Any, stb: list[str]
        ) -> None:
            outputs[-1].append(
                nbformat.v4.new_output(
                    "error",
                    ename=etype.__name__,
                    evalue=str(evalue),
                    traceback=stb,
                )
            )

    shell = Shell.instance(
        displayhook_class=Hook, display_pub_class=Publisher, colors="Linux"
    )
    shell.enable_matplotlib("inline")
    return shell


def _alarm(signum: int, frame: Any) -> None:  # noqa: ARG001
    msg = "the cell ran longer than the timeout"
    raise TimeoutError(msg)


def _run(text: str, cwd: str, timeout: int) -> tuple[str, float, str | None]:
    """In the forked process: execute every code cell, record outputs."""
    start = time.perf_counter()
    os.chdir(cwd)
    sys.path.insert(0, "")  # as in a kernel: the working folder first
    notebook = nbformat.reads(text, as_version=4)
    outputs: list[list[NotebookNode]] = [[]]
    shell = _shell(outputs)
    signal.signal(signal.SIGALRM, _alarm)
    error = None
    count = 0
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        count += 1
        outputs.append([])
        signal.alarm(timeout)
        with (
            contextlib.redirect_stdout(_Stream("stdout", outputs[-1])),
            contextlib.redirect_stderr(_Stream("stderr", outputs[-1])),
        ):
            result = shell.run_cell(cell.source, store_history=True)
        signal.alarm(0)
        cell.outputs = outputs[-1]
        cell.execution_count = count
        if not result.success:
            failed = result.error_in_exec or result.error_before_exec
            error = (
                f"cell {index} raised {type(failed).__name__}: {failed}\n"
                + "".join(
                    traceback.format_exception(failed)
                    if failed is not None
                    else []
                )
            )
            break
    notebook.metadata["language_info"] = LANGUAGE_INFO
    return nbformat.writes(notebook), time.perf_counter() - start, error
