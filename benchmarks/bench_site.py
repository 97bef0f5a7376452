"""How fast the site is, for authors and for readers: the third table.

Authors: a cold ``nox -s docs`` (empty ``docs/_build``, venvs installed),
the same command again with nothing changed (warm), and after editing one
page's prose; the Sphinx step of each, as the docs session logs it; the
second, from-scratch build that CI's reproducibility check adds; and each
page's execution time, alone in a fresh kernel (wall and kernel CPU).

Readers: each page's weight (its HTML and the images it shows; shared theme
and math assets not counted) and the time until it is ready in headless
Chromium from 127.0.0.1 (the fonts loaded, the images decoded and, on the
old MathJax site, the math typeset): the median of several loads.

Run with ``nox -s bench`` (or ``nox -s bench -- --quick``: fewer loads, no
cold build). The script moves ``docs/_build`` aside during the cold build
and puts it back afterwards.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
BUILD = DOCS / "_build"
HTML = BUILD / "html"
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--no-sandbox",
    "--disable-gpu",
]
READY = """async () => {
  await document.fonts.ready;
  // the images loaded with the page (lazy ones below the fold load later)
  await Promise.all([...document.images]
    .filter(i => i.complete && i.naturalWidth > 0)
    .map(i => i.decode().catch(() => {})));
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
  }
  await document.fonts.ready;
  return performance.now();
}"""
STEP = re.compile(r"nox > (?P<what>.+) took (?P<seconds>[\d.]+) s")
IMG = re.compile(r'<img [^>]*src="([^"]+)"')


def nox_docs(*args: str) -> tuple[float, dict[str, float]]:
    """Run ``nox -s docs``; return its wall time and its logged steps."""
    start = time.perf_counter()
    result = subprocess.run(
        ["nox", "-s", "docs", *(["--", *args] if args else [])],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"nox -s docs failed:\n{result.stdout[-3000:]}")
    steps = {
        m["what"]: float(m["seconds"])
        for m in STEP.finditer(result.stdout + result.stderr)
    }
    return seconds, steps


@contextmanager
def build_moved_aside() -> Iterator[None]:
    # outside docs/: Sphinx would read a copy inside its source folder
    saved = ROOT / ".bench-saved-build"
    shutil.rmtree(saved, ignore_errors=True)
    if BUILD.exists():
        BUILD.rename(saved)
    try:
        yield
    finally:
        shutil.rmtree(BUILD, ignore_errors=True)
        if saved.exists():
            saved.rename(BUILD)


@contextmanager
def prose_edited(page: Path) -> Iterator[None]:
    original = page.read_text(encoding="utf-8")
    marker = "\n## What you will learn\n"
    assert marker in original, page
    page.write_text(
        original.replace(marker, f"\nOne more sentence.\n{marker}", 1),
        encoding="utf-8",
    )
    try:
        yield
    finally:
        page.write_text(original, encoding="utf-8")


def notebook_pages() -> list[Path]:
    return sorted(
        p for p in DOCS.glob("*.md") if "kernelspec:" in p.read_text()[:300]
    )


def execution_times() -> dict[str, dict[str, float]]:
    python = ROOT / ".nox" / "docs" / "bin" / "python"
    out = subprocess.run(
        [str(python), str(ROOT / "benchmarks" / "time_page.py"), "--json"]
        + [str(p) for p in notebook_pages()],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = [json.loads(line) for line in out.splitlines() if line.strip()]
    return {row["page"]: row for row in rows}


def weights() -> dict[str, int]:
    found = {}
    for page in sorted(HTML.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        images = {(page.parent / src).resolve() for src in IMG.findall(text)}
        found[page.stem] = page.stat().st_size + sum(
            i.stat().st_size for i in images if i.is_file()
        )
    return found


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 while in the block; yield its URL."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def ready_times(loads: int) -> dict[str, list[float]]:
    pages = sorted(p.name for p in HTML.glob("*.html") if p.stem != "search")
    times: dict[str, list[float]] = {}
    with served(HTML) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        for name in pages:  # warm the browser's caches of shared assets
            page = context.new_page()
            page.goto(f"{base}/{name}", wait_until="load")
            page.close()
        for name in pages:
            times[name[:-5]] = []
            for _ in range(loads):
                page = context.new_page()
                page.goto(f"{base}/{name}", wait_until="load")
                times[name[:-5]].append(page.evaluate(READY))
                page.close()
        browser.close()
    return times


def main() -> None:
    quick = "--quick" in sys.argv
    print("\n## The site: builds, pages, readers\n")
    rows: list[tuple[str, str, str]] = []
    if not quick:
        with build_moved_aside():
            cold, steps = nox_docs()
            rows.append(("cold nox -s docs", f"{cold:.1f}", steps_text(steps)))
            _, steps = nox_docs("--reproducible")
            rows.append(
                (
                    "second build from scratch (CI's reproducibility)",
                    f"{steps.get('second sphinx-build from scratch', 0):.1f}",
                    "executes every page again",
                )
            )
    nox_docs()  # the saved build, brought up to date: the next is a no-op
    warm, steps = nox_docs()
    rows.append(
        ("warm nox -s docs, nothing changed", f"{warm:.1f}", steps_text(steps))
    )
    page = DOCS / "momentum.md"
    with prose_edited(page):
        edited, steps = nox_docs()
    rows.append(
        (
            f"one page's prose edited ({page.name})",
            f"{edited:.1f}",
            steps_text(steps),
        )
    )
    nox_docs()  # back to the unedited site
    print("| build | seconds | steps |")
    print("|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")

    executions = execution_times()
    sizes = weights()
    ready = ready_times(3 if quick else 9)
    print(
        "\n| page | execution s (wall) | kernel CPU s | weight kB "
        "| ready ms (median) | ready ms (max) |"
    )
    print("|---|---|---|---|---|---|")
    for name in sorted(sizes):
        ex = executions.get(name)
        loads = ready.get(name, [])
        print(
            f"| {name} | {ex['wall']:.2f} | {ex['cpu']:.2f} | "
            if ex
            else f"| {name} | - | - | ",
            end="",
        )
        print(
            f"{sizes[name] / 1e3:.0f} | "
            + (
                f"{statistics.median(loads):.0f} | {max(loads):.0f} |"
                if loads
                else "- | - |"
            )
        )
    medians = [statistics.median(v) for v in ready.values() if v]
    walls = [e["wall"] for e in executions.values()]
    print(
        f"\nready: median over pages {statistics.median(medians):.0f} ms, "
        f"slowest page {max(medians):.0f} ms (targets 400 and 800); "
        f"execution: slowest page {max(walls):.2f} s, "
        f"sum {sum(walls):.1f} s (target 6 s a page); "
        f"heaviest page {max(sizes.values()) / 1e3:.0f} kB (target 1000)"
    )


def steps_text(steps: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.2f} s" for k, v in steps.items())


if __name__ == "__main__":
    main()
