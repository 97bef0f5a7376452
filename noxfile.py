#!/usr/bin/env -S uv run --script
# /// script
# dependencies = ["nox==2026.10.20"]
# ///
"""Build and test everything: ``nox -l`` lists the sessions."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "virtualenv"
nox.options.reuse_existing_virtualenvs = True

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml("pyproject.toml")
PYTHON = "3.11"
BUILD = ROOT / "docs" / "_build"


def sphinx_args(
    html: Path, doctrees: Path, *, fresh: bool = False
) -> list[str]:
    """Arguments of the strict build (``fresh``: read every page again)."""
    return [
        "-W",  # warnings are errors
        "--keep-going",  # ... but report all of them
        "-n",  # nitpicky: every cross-reference must resolve
        # pages are written by two processes while the main one resolves
        # the next (pages are read by one: see docs/_ext/execute_pages.py)
        "-j",
        "3",
        *(["-E"] if fresh else []),
        "-b",
        "html",
        "-d",
        str(doctrees),
        "docs",
        str(html),
    ]


def _digest(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


@contextlib.contextmanager
def timed(session: nox.Session, what: str) -> Iterator[None]:
    """Log how long a step took (``nox -s bench`` reads these lines)."""
    start = time.perf_counter()
    yield
    session.log(f"{what} took {time.perf_counter() - start:.2f} s")


def install(session: nox.Session, *groups: str, editable: bool = True) -> None:
    """Install dependency groups from pyproject.toml, then the package.

    Skipped when the virtualenv already holds exactly these requirements (a
    stamp in the venv records them), so a warm session starts in a second.
    """
    requirements = [
        req
        for g in groups
        for req in nox.project.dependency_groups(PYPROJECT, g)
    ]
    stamp = Path(session.virtualenv.location) / ".dnnref-installed"
    wanted = _digest(requirements, editable, PYPROJECT["project"])
    if stamp.is_file() and stamp.read_text() == wanted:
        session.log("requirements already installed")
        return
    stamp.unlink(missing_ok=True)
    if requirements:
        session.install(*requirements)
    if editable:
        session.install("--no-deps", "-e", ".")
    stamp.write_text(wanted)


def install_kernel(session: nox.Session) -> None:
    """The Jupyter kernel the pages run in, inside the venv."""
    venv = Path(session.virtualenv.location)
    if not (venv / "share/jupyter/kernels/python3/kernel.json").is_file():
        session.run(
            "python",
            "-m",
            "ipykernel",
            "install",
            "--sys-prefix",
            "--name",
            "python3",
        )


def install_katex(session: nox.Session) -> None:
    """KaTeX (npm, pinned by package-lock.json) renders the math at build time."""
    lock = ROOT / "package-lock.json"
    stamp = ROOT / "node_modules" / ".dnnref-installed"
    wanted = _digest(lock.read_bytes())
    if stamp.is_file() and stamp.read_text() == wanted:
        return
    session.run("npm", "ci", "--no-audit", "--no-fund", external=True)
    stamp.write_text(wanted)


@nox.session(python=PYTHON, default=True)
def tests(session: nox.Session) -> None:
    """Unit, gradient-check, property, copy-paste and doctests, with coverage."""
    install(session, "test")
    session.run(
        "pytest",
        "--cov=dnnref",
        "--cov-branch",
        "--cov-report=term-missing",
        "--cov-fail-under=95",
        *session.posargs,
    )


@nox.session(python=PYTHON, default=True)
def lint(session: nox.Session) -> None:
    """Ruff (check and format) and mypy --strict on the reference package."""
    install(session, "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")


@nox.session(python=PYTHON, default=False, venv_backend="virtualenv")
def crosscheck(session: nox.Session) -> None:
    """Compare the reference with PyTorch, Keras 3 and Optax in float64."""
    # pip, not uv: the CPU wheel of torch==2.13.0 lies on this machine's disk.
    install(session, "crosscheck")
    env = {
        "KERAS_BACKEND": "jax",  # Keras 3 on JAX, CPU only, float64
        "JAX_PLATFORMS": "cpu",
        "JAX_ENABLE_X64": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "OMP_NUM_THREADS": "1",
    }
    frameworks = ("numpy", "torch", "jax", "jaxlib", "optax", "flax", "keras")
    session.run(  # the versions every row of the conventions page is tested on
        "python",
        "-c",
        "import importlib.metadata as m, sys; "
        "[print(p, m.version(p)) for p in sys.argv[1:]]",
        *frameworks,
    )
    session.run(
        "pytest",
        "tests/crosscheck",
        "-p",
        "no:cacheprovider",
        "--override-ini=addopts=-ra --import-mode=importlib",
        *session.posargs,
        env=env,
    )


@nox.session(python=PYTHON, default=True)
def docs(session: nox.Session) -> None:
    """Build the site strictly into docs/_build/html, then check the output.

    Incremental: only changed pages are read again, and pages execute (in
    parallel) only when their code or ``reference/`` changed. A build that
    fails keeps failing until it is fixed (see docs/_ext/execute_pages.py).
    With nothing changed since the last build that passed (same sources,
    pins and checks: ``_inputs_digest``), the session stops at once.
    ``-- --clean`` starts from nothing; ``-- --reproducible`` builds the
    site a second time from scratch, executing every page again, and
    compares the two sites byte for byte; ``-- --failures`` also checks that
    a failed build fails again (tests/rebuild).
    """
    install(session, "docs")
    install_kernel(session)
    install_katex(session)
    if "--clean" in session.posargs:
        shutil.rmtree(BUILD, ignore_errors=True)
    html = BUILD / "html"
    stamp = BUILD / "html.inputs"
    inputs = _inputs_digest()
    if (
        not session.posargs
        and (html / "index.html").is_file()
        and stamp.is_file()
        and stamp.read_text() == inputs
    ):
        session.log("nothing changed since the last successful build")
        return
    passed_before = stamp.is_file()  # the last build passed every check
    stamp.unlink(missing_ok=True)
    started = time.time()
    with timed(session, "sphinx-build"):
        session.run("sphinx-build", *sphinx_args(html, BUILD / "doctrees"))
    if "--reproducible" in session.posargs:
        again = BUILD / "again"
        shutil.rmtree(again, ignore_errors=True)
        with timed(session, "second sphinx-build from scratch"):
            session.run(
                "sphinx-build",
                *sphinx_args(again / "html", again / "doctrees", fresh=True),
                env={"DNNREF_NB_CACHE": str(again / "jupyter_cache")},
            )
        session.run(
            "python",
            "-m",
            "tests.site.compare",
            str(html),
            str(again / "html"),
        )
    checks = ["tests/site"]
    if "--failures" in session.posargs:  # a failed build fails again
        checks.append("tests/rebuild")
    # the checks need no plugin; loading the installed ones (hypothesis...)
    # took a second of every rebuild
    env = {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    if passed_before and not session.posargs:  # check what this build wrote
        written = [
            p.stem for p in html.glob("*.html") if p.stat().st_mtime >= started
        ]
        env["DNNREF_CHECK_PAGES"] = " ".join(written)
    with timed(session, "checks of the built site"):
        session.run(
            "pytest",
            *checks,
            "-q",
            "-p",
            "no:cacheprovider",
            "--noconftest",
            "--override-ini=addopts=-ra --import-mode=importlib",
            env=env,
        )
    stamp.write_text(inputs)  # only a build that passed every check


def _inputs_digest() -> str:
    """A hash of everything the docs session's result depends on.

    The sources of the site and of the package, the pinned dependencies
    (Python and npm), this file and the site checks. Equal hashes mean the
    last successful build is still the build.
    """
    digest = hashlib.sha256()
    files = [
        ROOT / "pyproject.toml",
        ROOT / "package-lock.json",
        ROOT / __file__,
    ]
    for folder in (ROOT / "docs", ROOT / "reference", ROOT / "tests" / "site"):
        files += [
            p
            for p in folder.rglob("*")
            if p.is_file()
            and BUILD not in p.parents
            and "__pycache__" not in p.parts
        ]
    for path in sorted(files):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


@nox.session(python=PYTHON, default=False)
def serve(session: nox.Session) -> None:
    """Live preview with sphinx-autobuild on http://127.0.0.1:8000."""
    install(session, "serve")
    install_kernel(session)
    install_katex(session)
    session.run(
        "sphinx-autobuild",
        *sphinx_args(BUILD / "html", BUILD / "doctrees")[1:],  # not -W
        "--watch",
        "reference",
        "--host",
        "127.0.0.1",
        *session.posargs,
    )


@nox.session(python=PYTHON, default=False)
def downloads(session: nox.Session) -> None:
    """Fetch every page's downloads from the built site and run them alone.

    The venv has dnnref, NumPy, matplotlib and IPython, and neither myst-nb
    nor anything from docs/: a downloaded notebook must run with only that.
    """
    install(session, "downloads")
    install_kernel(session)
    if not (BUILD / "html" / "index.html").exists():
        session.error("build the site first: nox -s docs")
    session.run(
        "pytest",
        "tests/downloads",
        "-p",
        "no:cacheprovider",
        "--noconftest",
        "--override-ini=addopts=-ra --import-mode=importlib",
        *session.posargs,
        env={
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            # the test's worker processes import the test module
            "PYTHONPATH": str(ROOT),
        },
    )


@nox.session(python=PYTHON, default=False)
def browser(session: nox.Session) -> None:
    """Open the built site in Debian's Chromium (light and dark)."""
    install(session, "browser", editable=False)
    if not (BUILD / "html" / "index.html").exists():
        session.error("build the site first: nox -s docs")
    session.run(
        "pytest",
        "tests/browser",
        "-p",
        "no:cacheprovider",
        "--override-ini=addopts=-ra --import-mode=importlib",
        *session.posargs,
    )


@nox.session(python=PYTHON, default=False)
def bench(session: nox.Session) -> None:
    """Print benchmark tables: the reference MLP step against PyTorch, time
    per epoch against the mini-batch size, and the site (build times, page
    execution, weight and ready time in Chromium; needs ``nox -s docs``)."""
    install(session, "bench")
    env = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    for script in sorted((ROOT / "benchmarks").glob("bench_*.py")):
        session.run("python", str(script), *session.posargs, env=env)


if __name__ == "__main__":
    nox.main()
