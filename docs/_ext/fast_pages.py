"""Pages that are ready sooner: figures load when they scroll into view.

Every image of a page (myst-nb's figures, the index cards) gets
``loading="lazy"``: the browser fetches and decodes the figures below the
fold while the reader reads the top, instead of before the page is shown.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform


class LazyImages(SphinxPostTransform):
    """Mark every image to load lazily."""

    default_priority = 900
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:  # noqa: ARG002
        for image in self.document.findall(nodes.image):
            image.setdefault("loading", "lazy")


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the post-transform."""
    app.add_post_transform(LazyImages)
    return {
        "version": "1",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
