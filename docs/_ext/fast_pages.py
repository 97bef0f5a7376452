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
"""

from __future__ import annotations

import functools
import re
import struct
from pathlib import Path
from typing import Any

import pybtex.plugin
from docutils import nodes
from sphinx.application import Sphinx
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


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the post-transform; remember pybtex's plugin lookups."""
    app.add_post_transform(LazyImages)
    app.connect("build-finished", prune_images)
    lookup = pybtex.plugin.entry_points
    if not isinstance(lookup, functools._lru_cache_wrapper):
        pybtex.plugin.entry_points = functools.cache(lookup)
    return {
        "version": "1",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
