"""The site's one figure style and the plotting helpers the pages share.

Every page starts with ``import figstyle; figstyle.use()``. Figures are SVG
with fixed ids (``svg.hashsalt``) and no date or version in their metadata,
so two builds of the site are byte-identical.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib_inline.backend_inline import set_matplotlib_formats

STYLE = Path(__file__).with_name("figstyle.mplstyle")
METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}

#: Colours of the two classes and of the compared methods (Okabe-Ito).
CLASS_COLORS = ("#0072B2", "#D55E00")
COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")


def use() -> None:
    """Load the style and make the notebook emit deterministic SVG."""
    mpl.rcParams.update(mpl.rcParamsDefault)
    plt.style.use(STYLE)
    set_matplotlib_formats("svg", metadata=METADATA)


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
