"""Sphinx configuration: a strict, offline, reproducible MyST-NB site."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

DOCS = Path(__file__).parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS / "_ext"))  # the site's own Sphinx extensions

# Reproducible figures and metadata: matplotlib's SVG writer reads this date.
os.environ["SOURCE_DATE_EPOCH"] = "0"
os.environ.setdefault("PYTHONHASHSEED", "0")
# One BLAS thread per kernel: on a small machine, threads of several kernels
# spin against each other, and sums are then reduced in a fixed order.
os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["OMP_NUM_THREADS"] = "1"
os.environ["MKL_NUM_THREADS"] = "1"

project = "Improving Deep Neural Networks: executable notes"
author = "The dnnref authors"
copyright = "2026, the dnnref authors (prose and figures: CC BY 4.0)"

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "katex_math",  # math rendered to HTML at build time: no script, no CDN
    "execute_pages",  # pages executed in parallel into myst-nb's cache
    "downloads",  # each page as .ipynb (with/without outputs) and .py
    "fast_pages",  # figures load lazily
    "sphinx_copybutton",
    "sphinx_design",
    "sphinxcontrib.bibtex",
]

source_suffix = {".md": "myst-nb"}
exclude_patterns = ["_build", "**.ipynb_checkpoints", "README.md"]
nitpicky = True
suppress_warnings: list[str] = []

# -- MyST and MyST-NB --------------------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3
myst_dmath_double_inline = True


def _execution_key() -> str:
    """Hash of everything the pages import, so an edit re-executes them.

    myst-nb's cache looks only at the cells of a page; the pages also import
    ``reference/dnnref`` and ``docs/figstyle.py``. Keying the cache folder on
    a hash of those files makes stale output impossible.
    """
    digest = hashlib.sha256()
    files = sorted((ROOT / "reference").rglob("*.py"))
    files += [DOCS / "figstyle.py"]
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# The site's own extensions and templates: editing them rebuilds every page
# (execute_pages.py registers this value as one that invalidates the
# saved environment).
dnnref_build_tools = hashlib.sha256(
    b"".join(
        p.read_bytes()
        for p in sorted(
            [*(DOCS / "_ext").glob("*"), *(DOCS / "_templates").glob("*")]
        )
        if p.is_file()
    )
).hexdigest()[:16]

nb_execution_mode = "cache"  # execute_pages.py fills the cache in parallel
# DNNREF_NB_CACHE: another cache folder (the reproducibility check of
# `nox -s docs -- --reproducible` executes every page again into an empty one)
nb_execution_cache_path = str(
    Path(os.environ.get("DNNREF_NB_CACHE", DOCS / "_build" / ".jupyter_cache"))
    / _execution_key()
)
nb_execution_timeout = 300  # seconds per cell
nb_execution_raise_on_error = True  # a failing cell fails the build
nb_execution_show_tb = True  # ... and prints the traceback with the page
nb_execution_allow_errors = False
nb_merge_streams = True
nb_output_stderr = "warn"  # a warning printed by a cell fails the -W build
nb_kernel_rgx_aliases = {".*": "python3"}

# -- Autodoc (the API page) ---------------------------------------------------
autodoc_typehints = "none"  # the numpydoc sections carry the shapes
autodoc_member_order = "bysource"
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_param = False
napoleon_use_rtype = False
napoleon_use_ivar = True

# [source] links for the reference functions; the self-checks (documented
# through dnnref.checks' re-exports) get none: their machinery is not what
# a reader copies, and highlighting it would cost a second of every build.
viewcode_follow_imported_members = False

# -- Bibliography -------------------------------------------------------------
bibtex_bibfiles = ["references.bib"]
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"

html_math_renderer = "katex"

# -- HTML -----------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "Improving Deep Neural Networks"
html_static_path = ["_static"]
templates_path = ["_templates"]  # layout.html: a lighter page head
html_css_files = ["custom.css"]
html_last_updated_fmt = None
html_copy_source = False
# No general index or module index pages: the API page and the search cover
# them, and Sphinx would regenerate both on every build, even a no-op one.
html_use_index = False
html_domain_indices = False
html_show_sourcelink = False
html_context = {"default_mode": "auto"}
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "navigation_with_keys": False,
}

copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True
copybutton_exclude = ".linenos, .gp, .go"
