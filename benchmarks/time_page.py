"""Execute pages as the docs build does and print where the time goes.

Usage (in the docs environment)::

    python benchmarks/time_page.py docs/dropout.md [docs/l2-regularization.md]
    python benchmarks/time_page.py --json docs/*.md   # one JSON line a page

Each page runs in a fresh kernel with the build's environment (one BLAS
thread, ``docs/`` as the working directory). Prints the wall time, the CPU
time of the kernel (less sensitive to a busy machine), the kernel start-up,
and the slowest cells with their first line.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import nbformat
from myst_nb.core.read import read_myst_markdown_notebook
from nbclient import NotebookClient

DOCS = Path(__file__).resolve().parents[1] / "docs"
ENV = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "SOURCE_DATE_EPOCH": "0",
    "PYTHONHASHSEED": "0",
}


def time_page(path: Path, *, as_json: bool = False) -> None:
    nb = read_myst_markdown_notebook(path.read_text(encoding="utf-8"))
    os.environ.update(ENV)
    client = NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(DOCS)}},
    )
    times: list[tuple[float, str]] = []
    start = time.perf_counter()
    with client.setup_kernel():
        ready = time.perf_counter()
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            t0 = time.perf_counter()
            client.execute_cell(cell, index)
            first = next(
                (ln for ln in cell.source.splitlines() if ln.strip()), ""
            )
            times.append((time.perf_counter() - t0, f"[{index}] {first}"))
        total = time.perf_counter() - start
        probe = nbformat.v4.new_code_cell(
            "import resource as _r; _u = _r.getrusage(_r.RUSAGE_SELF); "
            "print(_u.ru_utime + _u.ru_stime)"
        )
        nb.cells.append(probe)
        client.execute_cell(probe, len(nb.cells) - 1)
        nb.cells.pop()
        cpu = float(probe.outputs[0]["text"])
    if as_json:
        print(json.dumps({"page": path.stem, "wall": total, "cpu": cpu}))
        return
    print(
        f"{path.name}: {total:.2f} s wall, kernel CPU {cpu:.2f} s "
        f"(kernel start {ready - start:.2f} s)"
    )
    for seconds, label in sorted(times, reverse=True)[:8]:
        print(f"  {seconds:6.2f} s  {label[:70]}")
    nbytes = len(nbformat.writes(nb).encode())
    print(f"  notebook with outputs: {nbytes / 1e3:.0f} kB")


if __name__ == "__main__":
    as_json = "--json" in sys.argv[1:]
    for arg in sys.argv[1:]:
        if arg != "--json":
            time_page(Path(arg), as_json=as_json)
