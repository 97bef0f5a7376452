r"""Weight initialization: zeros, large random, He, Xavier and Glorot.

The factor multiplies standard normal draws, so it is the standard
deviation of the weights (their variance is its square): He's
:math:`\sqrt{2/n^{[l-1]}}` gives variance :math:`2/n^{[l-1]}`.  The source
notes call :math:`\sqrt{1/n^{[l-1]}}` a variance (it is the scale) and write
Glorot's factor as :math:`\sqrt{1/(n^{[l-1]} + n^{[n]})}`; Glorot and
Bengio's normal initialization is :math:`\sqrt{2/(n^{[l-1]} + n^{[l]})}`.
"""

from __future__ import annotations

import numpy as np


def initialize_parameters(
    layer_dims: np.typing.ArrayLike,
    method: str = "he",
    rng: np.random.Generator | np.random.RandomState | None = None,
    scale: float = 10.0,
) -> dict[str, np.typing.NDArray[np.float64]]:
    r"""Initialize the weights and biases of an L-layer network.

    .. math::
        W^{[l]} \leftarrow \mathcal{N}(0, 1)^{n^{[l]} \times n^{[l-1]}}
        \cdot \text{factor}, \qquad b^{[l]} \leftarrow 0

    with, for ``method``:

    .. math::
        \text{zeros}: 0, \quad
        \text{random}: \text{scale}, \quad
        \text{he}: \sqrt{\tfrac{2}{n^{[l-1]}}}, \quad
        \text{xavier}: \sqrt{\tfrac{1}{n^{[l-1]}}}, \quad
        \text{glorot}: \sqrt{\tfrac{2}{n^{[l-1]} + n^{[l]}}}

    where :math:`n^{[l]}` = ``layer_dims[l]``.  ``"xavier"`` is the course's
    tanh initialization; ``"glorot"`` is Glorot and Bengio's (2010) normal
    initialization.  Draws are ``rng.standard_normal((n[l], n[l-1]))``
    for W1, W2, ... in order (``"zeros"`` draws nothing), so a legacy
    ``np.random.RandomState(seed)`` reproduces the course's numbers.

    Parameters
    ----------
    layer_dims : sequence of int
        ``[n_x, n[1], ..., n[L]]``: at least 2 positive sizes.
    method : {"he", "zeros", "random", "xavier", "glorot"}
        Initialization scheme.
    rng : numpy.random.Generator or numpy.random.RandomState, optional
        Source of the draws; ``None`` means ``np.random.default_rng()``.
    scale : float
        Factor of the ``"random"`` method (finite, > 0); unused otherwise.

    Returns
    -------
    parameters : dict of ndarray
        ``"W<l>"`` of shape (n[l], n[l-1]) and ``"b<l>"`` of shape (n[l], 1)
        for l = 1, ..., L, inserted in the order W1, b1, W2, b2, ...

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> parameters = initialize_parameters([3, 2, 1], "he", rng)
    >>> print(parameters["W1"].shape, parameters["b1"].ravel())
    (2, 3) [0. 0.]
    >>> print(np.round(parameters["W2"], 4))
    [[1.304  0.9471]]
    """
    valid = ("zeros", "random", "he", "xavier", "glorot")
    if method not in valid:
        msg = f"method must be one of {valid}, got {method!r}"
        raise ValueError(msg)
    if not isinstance(layer_dims, (list, tuple, np.ndarray)):
        msg = f"layer_dims must be a list of ints, got {layer_dims!r}"
        raise TypeError(msg)
    dims = list(layer_dims)
    if len(dims) < 2 or not all(
        isinstance(n, (int, np.integer)) and not isinstance(n, bool) and n > 0
        for n in dims
    ):
        msg = f"layer_dims must be >= 2 positive ints, got {layer_dims!r}"
        raise ValueError(msg)
    if not (np.isfinite(scale) and scale > 0):
        msg = f"scale must be finite and > 0, got {scale}"
        raise ValueError(msg)
    rng = np.random.default_rng() if rng is None else rng
    parameters = {}
    for layer in range(1, len(dims)):
        n, n_prev = int(dims[layer]), int(dims[layer - 1])
        if method == "zeros":
            W = np.zeros((n, n_prev))
        else:
            factor = {
                "random": scale,
                "he": np.sqrt(2 / n_prev),
                "xavier": np.sqrt(1 / n_prev),
                "glorot": np.sqrt(2 / (n_prev + n)),
            }[method]
            W = rng.standard_normal((n, n_prev)) * factor  # (n[l], n[l-1])
        parameters[f"W{layer}"] = W
        parameters[f"b{layer}"] = np.zeros((n, 1))
    return parameters
