"""The site's one figure style and the plotting helpers the pages share.

Every page starts with ``import figstyle; figstyle.use()``. Figures are SVG
with fixed ids (``svg.hashsalt``) and no date or version in their metadata,
so two builds of the site are byte-identical. The module needs only NumPy,
matplotlib and IPython: a page's downloadable notebook carries a copy of it.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable

import matplotlib as mpl
import numpy as np
from IPython.display import display
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.layout_engine import PlaceHolderLayoutEngine
from matplotlib_inline.backend_inline import set_matplotlib_formats

METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}

#: Colours of the two classes and of the compared methods (Okabe-Ito,
#: readable for colour-blind readers).
CLASS_COLORS = ("#0072B2", "#D55E00")
COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
#: One colour per initialization scheme, the same on every page.
SCHEME_COLORS = {
    "zeros": "#7F7F7F",
    "random": "#CC79A7",
    "xavier": "#0072B2",
    "glorot": "#56B4E9",
    "he": "#D55E00",
}
#: One colour per optimizer, the same on every page.
OPTIMIZER_COLORS = {
    "gd": "#7F7F7F",
    "momentum": "#0072B2",
    "rmsprop": "#009E73",
    "adam": "#D55E00",
}

#: The style itself (matplotlib rcParams).
STYLE = {
    "axes.prop_cycle": mpl.cycler(color=[*COLORS, "#F0E442", "#000000"]),
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "figure.facecolor": "white",
    "figure.autolayout": False,
    "figure.constrained_layout.use": True,
    "savefig.facecolor": "white",
    "savefig.transparent": False,
    "axes.facecolor": "white",
    "axes.edgecolor": "#333333",
    "axes.labelcolor": "#111111",
    "axes.titlesize": 12,
    "axes.labelsize": 11.5,
    "axes.grid": True,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "xtick.labelsize": 10.5,
    "ytick.labelsize": 10.5,
    "legend.fontsize": 10,
    "legend.frameon": False,
    "lines.linewidth": 1.8,
    "lines.markersize": 5,
    "image.cmap": "RdBu_r",
    "font.size": 11,
    "svg.fonttype": "path",
    "svg.hashsalt": "dnnref",
}


def use() -> None:
    """Load the style and make the notebook emit deterministic SVG."""
    mpl.rcParams.update(mpl.rcParamsDefault)
    mpl.rcParams.update(STYLE)
    set_matplotlib_formats("svg", metadata=METADATA)


def thumbnail(fig: Figure, width: int = 320) -> None:
    """Emit a small PNG of ``fig`` for the page's card on the index.

    Call it in a ``remove-cell`` cell after the page's key figure: the site
    build takes the PNG from the executed notebook, so the card is never
    stale. ``width`` is in pixels. The layout the figure got when it was
    shown is kept, not computed again: that halves the cost of the card.
    """
    engine = fig.get_layout_engine()
    if engine is not None:
        fig.set_layout_engine(
            PlaceHolderLayoutEngine(
                engine.adjust_compatible, engine.colorbar_gridspec
            )
        )
    buffer = io.BytesIO()
    try:
        fig.savefig(
            buffer,
            format="png",
            dpi=width / fig.get_figwidth(),
            metadata={"Software": None},
        )
    finally:
        if engine is not None:
            fig.set_layout_engine(engine)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    display(
        {"image/png": data},
        raw=True,
        metadata={"image/png": {"dnnref-thumbnail": True}},
    )


def plot_decision_boundary(
    ax: Axes,
    predict: Callable[[np.ndarray], np.ndarray],
    X: np.ndarray,
    Y: np.ndarray,
    *,
    title: str | None = None,
    resolution: int = 200,
) -> None:
    """Shade the regions ``predict`` assigns to each class; scatter (X, Y).

    ``predict`` takes a ``(2, k)`` array of points (course layout, examples
    are columns) and returns ``(1, k)`` labels or probabilities.
    """
    pad = 0.5
    x0 = np.linspace(X[0].min() - pad, X[0].max() + pad, resolution)
    x1 = np.linspace(X[1].min() - pad, X[1].max() + pad, resolution)
    G0, G1 = np.meshgrid(x0, x1)
    grid = np.vstack([G0.ravel(), G1.ravel()])  # (2, resolution**2)
    Z = np.asarray(predict(grid), dtype=float).reshape(G0.shape)
    cmap = mpl.colors.ListedColormap(["#cfe3f2", "#f6d6c2"])
    ax.contourf(G0, G1, Z > 0.5, levels=[-0.5, 0.5, 1.5], cmap=cmap)
    labels = np.asarray(Y).ravel()
    for cls, color, marker in zip(
        (0, 1), CLASS_COLORS, ("o", "s"), strict=True
    ):
        keep = labels == cls
        ax.scatter(
            X[0, keep],
            X[1, keep],
            s=12,
            c=color,
            marker=marker,
            edgecolors="white",
            linewidths=0.3,
            label=f"y = {cls}",
        )
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.grid(False)
    if title:
        ax.set_title(title)


def accuracy(predictions: np.ndarray, Y: np.ndarray) -> float:
    """Fraction of columns where the 0/1 predictions equal the labels."""
    return float(np.mean(np.asarray(predictions) == np.asarray(Y)))


__all__ = [
    "CLASS_COLORS",
    "COLORS",
    "OPTIMIZER_COLORS",
    "SCHEME_COLORS",
    "STYLE",
    "accuracy",
    "plot_decision_boundary",
    "thumbnail",
    "use",
]
