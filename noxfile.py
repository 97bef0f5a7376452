#!/usr/bin/env -S uv run --script
# /// script
# dependencies = ["nox==2026.10.20"]
# ///
"""Build and test everything: ``nox -l`` lists the sessions."""

from __future__ import annotations

import shutil
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "virtualenv"
nox.options.reuse_existing_virtualenvs = True

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml("pyproject.toml")
PYTHON = "3.11"
BUILD = ROOT / "docs" / "_build"
SPHINX_ARGS = [
    "-W",  # warnings are errors
    "--keep-going",  # ... but report all of them
    "-n",  # nitpicky: every cross-reference must resolve
    "-E",  # always re-read every page: a failure stays a failure
    "-b",
    "html",
    "-d",
    str(BUILD / "doctrees"),
    "docs",
    str(BUILD / "html"),
]


def install(session: nox.Session, *groups: str, editable: bool = True) -> None:
    """Install dependency groups from pyproject.toml, then the package."""
    for group in groups:
        session.install(*nox.project.dependency_groups(PYPROJECT, group))
    if editable:
        session.install("--no-deps", "-e", ".")


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
    """Build the site strictly into docs/_build/html, then check the output."""
    install(session, "docs")
    session.run(
        "python",
        "-m",
        "ipykernel",
        "install",
        "--sys-prefix",
        "--name",
        "python3",
    )
    if "--clean" in session.posargs:  # also drop the execution cache
        shutil.rmtree(BUILD, ignore_errors=True)
    # Always write into an empty folder: Sphinx adds ?v=checksum to assets
    # that already exist there, so a warm folder would differ from a cold one.
    shutil.rmtree(BUILD / "html", ignore_errors=True)
    session.run("sphinx-build", *SPHINX_ARGS)
    if "--reproducible" in session.posargs:
        # Re-execute every page from scratch into a second folder; the two
        # sites must be byte-identical.
        again = BUILD / "html-again"
        shutil.rmtree(again, ignore_errors=True)
        args = [*SPHINX_ARGS[:-1], str(again)]
        args[args.index(str(BUILD / "doctrees"))] = str(
            BUILD / "doctrees-again"
        )
        session.run(
            "sphinx-build", *args, env={"DNNREF_NB_EXECUTION_MODE": "force"}
        )
        session.run(
            "python",
            "-m",
            "tests.site.compare",
            str(BUILD / "html"),
            str(again),
        )
    session.run(
        "pytest",
        "tests/site",
        "-p",
        "no:cacheprovider",
        "--override-ini=addopts=-ra --import-mode=importlib",
    )


@nox.session(python=PYTHON, default=False)
def serve(session: nox.Session) -> None:
    """Live preview with sphinx-autobuild on http://127.0.0.1:8000."""
    install(session, "serve")
    session.run(
        "python",
        "-m",
        "ipykernel",
        "install",
        "--sys-prefix",
        "--name",
        "python3",
    )
    session.run(
        "sphinx-autobuild",
        "-n",
        "-b",
        "html",
        "--watch",
        "reference",
        "--host",
        "127.0.0.1",
        "docs",
        str(BUILD / "html"),
        *session.posargs,
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
    """Print benchmark tables (reference MLP step vs PyTorch; batch size)."""
    install(session, "bench")
    env = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    for script in sorted((ROOT / "benchmarks").glob("bench_*.py")):
        session.run("python", str(script), *session.posargs, env=env)


if __name__ == "__main__":
    nox.main()
