"""Faster pages and builds.

- Every image of a page (myst-nb's figures, the index cards) gets
  ``loading="lazy"``: the browser fetches and decodes the figures below the
  fold while the reader reads the top, instead of before the page is shown.
  Each also gets its file's width and height, so its place is kept while
  it loads and the page does not jump.
- Figures no page shows any more are deleted from ``_images`` after an
  incremental build, which only ever adds files there.
- pybtex (under sphinxcontrib-bibtex) looks its plugins up among all
  installed entry points every time it formats a citation: about 350 scans
  of the installed packages, a tenth of a cold build. The lookup is made
  once per plugin name instead; the plugins found are the same.
- myst-nb copies its stylesheet into ``_static`` only when the build
  finishes, so the pages of a cold build link it without the ``?v=``
  checksum Sphinx adds to every file already there, and the pages of any
  later build link it with one. It is copied when the build starts, so a
  page is the same whichever build wrote it.
- Sphinx's search index forgets, in an incremental build, the index
  entries (the API's functions) of every page it does not write again:
  they live in the environment, which is saved before the pages are
  written. They are read back from the previous ``searchindex.js``, and
  written in a fixed order, so the index does not depend on which pages a
  build wrote.
"""

from __future__ import annotations

import functools
import re
import struct
from pathlib import Path
from typing import Any

import pybtex.plugin
from docutils import nodes
from myst_nb.sphinx_ext import add_global_html_resources
from sphinx.application import Sphinx
from sphinx.search import IndexBuilder
from sphinx.transforms.post_transforms import SphinxPostTransform

SVG_SIZE = re.compile(
    rb'<svg[^>]*?\swidth="([\d.]+)(pt|px)?"[^>]*?\sheight="([\d.]+)(pt|px)?"'
)
PX_PER_UNIT = {b"pt": 4 / 3, b"px": 1.0, None: 1.0}


def intrinsic_size(path: Path) -> tuple[int, int] | None:
    """Width and height in CSS pixels of an SVG or PNG file, if known."""
    if not path.is_file():
        return None
    head = path.read_bytes()[:2048]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return struct.unpack(">II", head[16:24])
    found = SVG_SIZE.search(head)
    if found is None:
        return None
    width = float(found[1]) * PX_PER_UNIT[found[2]]
    height = float(found[3]) * PX_PER_UNIT[found[4]]
    return round(width), round(height)


class LazyImages(SphinxPostTransform):
    """Load every image lazily, with its size known before it loads.

    ``width`` and ``height`` attributes (the file's own size) let the
    browser reserve each figure's place, so nothing moves as figures load.
    """

    default_priority = 900
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:  # noqa: ARG002
        srcdir = Path(self.app.srcdir)
        for image in self.document.findall(nodes.image):
            image.setdefault("loading", "lazy")
            if "width" in image or "height" in image or "scale" in image:
                continue
            size = intrinsic_size(srcdir / image["uri"])
            if size is not None:
                image["width"], image["height"] = (str(v) for v in size)


def prune_images(app: Sphinx, exception: Exception | None) -> None:
    """Delete the figures no page shows any more.

    An incremental build copies the images of the pages it writes into
    ``_images`` but never removes one: after a figure changes, its old file
    would stay in the site for good.
    """
    if exception is not None or app.builder.format != "html":
        return
    shown = {name for _, name in app.env.images.values()}
    folder = Path(app.outdir) / "_images"
    for path in folder.glob("*") if folder.is_dir() else ():
        if path.name not in shown:
            path.unlink()


class _Keep:
    """A search-index format that remembers what it loaded."""

    def __init__(self, format: Any) -> None:
        self.format = format
        self.loaded: Any = None

    def load(self, stream: Any) -> Any:
        self.loaded = self.format.load(stream)
        return self.loaded


def _load_keeping_entries(
    self: IndexBuilder, stream: Any, format: Any
) -> None:
    keep = _Keep(self.formats[format] if isinstance(format, str) else format)
    _load_index(self, stream, keep)
    names = keep.loaded["docnames"]
    found: dict[str, list[tuple[str, str, str]]] = {}
    for entry, hits in keep.loaded["indexentries"].items():
        for doc, target, main in hits:
            found.setdefault(names[doc], []).append(
                (entry, target, "main" if main else "")
            )
    for docname, entries in found.items():
        self._index_entries.setdefault(docname, sorted(entries))


_load_keeping_entries.keeps_entries = True  # type: ignore[attr-defined]


def _prune_entries(self: IndexBuilder, docnames: Any) -> None:
    docnames = set(docnames)
    _prune_index(self, docnames)
    for docname in set(self._index_entries) - docnames:
        del self._index_entries[docname]


def _freeze_sorted(self: IndexBuilder) -> dict[str, Any]:
    frozen = _freeze_index(self)
    for hits in frozen["indexentries"].values():
        hits.sort()
    return frozen


_load_index, _prune_index, _freeze_index = (
    IndexBuilder.load,
    IndexBuilder.prune,
    IndexBuilder.freeze,
)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the post-transform; remember pybtex's plugin lookups."""
    app.add_post_transform(LazyImages)
    app.connect("build-finished", prune_images)
    app.connect(
        "builder-inited", lambda app: add_global_html_resources(app, None)
    )
    if not hasattr(IndexBuilder.load, "keeps_entries"):
        IndexBuilder.load = _load_keeping_entries  # type: ignore[method-assign]
        IndexBuilder.prune = _prune_entries  # type: ignore[method-assign]
        IndexBuilder.freeze = _freeze_sorted  # type: ignore[method-assign]
    lookup = pybtex.plugin.entry_points
    if not isinstance(lookup, functools._lru_cache_wrapper):
        pybtex.plugin.entry_points = functools.cache(lookup)
    return {
        "version": "1",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
