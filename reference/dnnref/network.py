r"""A fully connected binary classifier: [LINEAR->RELU]x(L-1)->LINEAR->SIGMOID.

The network of the course's assignments, with the two regularizers of the
notes built in: L2 (``lambd``) and inverted dropout (``keep_prob``).

``forward_propagation`` returns ``caches``, a list with one tuple per layer,
holding only what ``backward_propagation`` needs: ``caches[l - 1]`` is
``(A_prev, W, D_prev)`` for layer ``l``:

- ``A_prev``: :math:`A^{[l-1]}`, the input of layer ``l``: ``X`` for l = 1,
  the ReLU output after dropout for l >= 2; shape (n[l-1], m);
- ``W``: :math:`W^{[l]}`, the array of ``parameters``, (n[l], n[l-1]);
- ``D_prev``: :math:`D^{[l-1]}`, the boolean dropout mask that produced
  ``A_prev`` (True = kept), shape (n[l-1], m); ``None`` for l = 1 (``X`` is
  never dropped) and when ``keep_prob == 1``.

So the masks D1, D2, ... are ``caches[1][2]``, ``caches[2][2]``, ...  No
:math:`Z^{[l]}` is kept: :math:`A^{[l]} > 0` marks the same units as
:math:`Z^{[l]} > 0` (among the kept ones), which is all ReLU's derivative
needs.
"""

from __future__ import annotations

import numpy as np


@np.errstate(invalid="ignore", over="ignore")  # Z[l] is checked instead
def forward_propagation(
    X: np.typing.ArrayLike,
    parameters: dict[str, np.typing.NDArray[np.float64]],
    keep_prob: float = 1.0,
    rng: np.random.Generator | np.random.RandomState | None = None,
) -> tuple[
    np.typing.NDArray[np.float64],
    list[tuple[np.ndarray, np.ndarray, np.ndarray | None]],
]:
    r"""Forward pass of [LINEAR->RELU]x(L-1)->LINEAR->SIGMOID with dropout.

    .. math::
        Z^{[l]} &\leftarrow W^{[l]} A^{[l-1]} + b^{[l]}, \qquad
        A^{[0]} = X \\
        A^{[l]} &\leftarrow \max(0, Z^{[l]}) \quad (l < L), \qquad
        A^{[L]} \leftarrow \sigma(Z^{[L]})
        = \frac{1}{1 + e^{-Z^{[L]}}} \\
        D^{[l]} &\leftarrow (U^{[l]} < p), \quad
        A^{[l]} \leftarrow \frac{A^{[l]} \odot D^{[l]}}{p}
        \quad (l < L, \text{ if } p < 1)

    with :math:`p` = ``keep_prob`` and :math:`U^{[l]}` =
    ``rng.random(A.shape)`` drawn for D1, D2, ... in order (nothing is drawn
    when ``keep_prob == 1``).  The sigmoid is evaluated stably, without
    overflow, for any finite :math:`Z^{[L]}`.  Dropout never touches ``X``
    or :math:`A^{[L]}`.

    A NaN or inf in ``X``, a ``W<l>`` or a ``b<l>`` raises a ValueError
    naming them (``NaN or inf in Z2: check X, W2 and b2``; an overflow of
    :math:`Z^{[l]}` too).  The check reads each :math:`Z^{[l]}` before the
    ReLU, where any of them shows (0 * inf is NaN), rather than ``X``: on
    a training step, a pass over ``X`` would cost about as much as the
    product :math:`W^{[1]} X` when n[1] is small.  NumPy's warnings about
    the NaN are silenced (``np.errstate``): the ValueError says it all.

    Parameters
    ----------
    X : array_like, shape (n_x, m)
        Input, one example per column.
    parameters : dict of ndarray
        ``"W<l>"`` of shape (n[l], n[l-1]) and ``"b<l>"`` of shape (n[l], 1)
        for l = 1, ..., L.
    keep_prob : float
        Probability of keeping a hidden unit, in (0, 1].
    rng : numpy.random.Generator or numpy.random.RandomState, optional
        Source of the masks; ``None`` means ``np.random.default_rng()``.

    Returns
    -------
    AL : ndarray, shape (n[L], m)
        Output probabilities :math:`A^{[L]}`.
    caches : list of tuple
        ``caches[l - 1] = (A_prev, W, D_prev)`` for layer l (see the module
        docstring): the layer's input, its weights and the dropout mask of
        its input (``None`` for l = 1 and when ``keep_prob == 1``).

    Examples
    --------
    >>> parameters = {"W1": np.array([[1.0, -1.0], [2.0, 0.5]]),
    ...               "b1": np.array([[0.0], [-1.0]]),
    ...               "W2": np.array([[1.0, -2.0]]), "b2": np.array([[0.5]])}
    >>> X = np.array([[1.0, 0.0, 1.0], [0.0, 2.0, 1.0]])
    >>> AL, caches = forward_propagation(X, parameters)
    >>> print(np.round(AL, 4), len(caches))
    [[0.3775 0.6225 0.0759]] 2
    >>> rng = np.random.default_rng(0)
    >>> AL, caches = forward_propagation(X, parameters, 0.5, rng)
    >>> A1, W2, D1 = caches[1]  # layer 2: its input A1 is dropped out
    >>> print(D1, A1, sep="\n")
    [[False  True  True]
     [ True False False]]
    [[0. 0. 0.]
     [2. 0. 0.]]
    """
    X = np.asarray(X, dtype=np.float64)
    L = len(parameters) // 2
    if X.ndim != 2:
        msg = f"X must be 2-D (n_x, m), got shape {X.shape}"
        raise ValueError(msg)
    if L < 1:
        msg = f"parameters must hold W1, b1, ..., got {sorted(parameters)}"
        raise ValueError(msg)
    if not 0 < keep_prob <= 1:
        msg = f"keep_prob must be in (0, 1], got {keep_prob}"
        raise ValueError(msg)
    caches: list[tuple[np.ndarray, np.ndarray, np.ndarray | None]] = []
    A, D = X, None  # A[0] = X is never dropped out
    for layer in range(1, L + 1):
        W, b = parameters[f"W{layer}"], parameters[f"b{layer}"]
        if W.ndim != 2 or W.shape[1] != A.shape[0] or b.shape != (len(W), 1):
            msg = (
                f"W{layer} shape {W.shape} / b{layer} shape {b.shape} do not "
                f"fit an input of {A.shape[0]} rows"
            )
            raise ValueError(msg)
        caches.append((A, W, D))  # input of layer l and its dropout mask
        Z = W @ A  # (n[l], m), a new array: updated in place below
        Z += b
        if not np.isfinite(Z).all():  # a NaN or inf in X, W or b shows here
            msg = f"NaN or inf in Z{layer}: check X, W{layer} and b{layer}"
            raise ValueError(msg)
        if layer < L:
            A = np.maximum(Z, 0.0, out=Z)  # ReLU, in place
            if keep_prob < 1:
                rng = np.random.default_rng() if rng is None else rng
                D = rng.random(A.shape) < keep_prob  # (n[l], m), True = kept
                A *= D
                A /= keep_prob
    E = np.exp(-np.abs(Z))  # in (0, 1]: never overflows
    AL = np.where(Z >= 0, 1.0, E) / (1.0 + E)  # stable sigmoid, (n[L], m)
    return AL, caches


def compute_cost(
    AL: np.typing.ArrayLike,
    Y: np.typing.ArrayLike,
    parameters: dict[str, np.typing.NDArray[np.float64]] | None = None,
    lambd: float = 0.0,
) -> float:
    r"""Binary cross-entropy cost, plus the L2 penalty when ``lambd > 0``.

    .. math::
        J = -\frac{1}{m} \sum_{i=1}^{m} \left( y^{(i)} \log a^{[L](i)}
        + (1 - y^{(i)}) \log\left(1 - a^{[L](i)}\right) \right)
        + \frac{\lambda}{2m} \sum_{l=1}^{L} \lVert W^{[l]} \rVert_F^2

    with :math:`a^{[L](i)}` the columns of ``AL``, :math:`y^{(i)}` of ``Y``,
    :math:`\lambda` = ``lambd`` and :math:`W^{[l]}` = ``parameters["W<l>"]``.
    A term :math:`0 \cdot \log 0` counts as 0, so a confident correct
    prediction (``AL`` exactly 0 or 1, agreeing with ``Y``) costs 0.  A
    confident wrong one has infinite loss: the cost is then ``inf``, returned
    without a warning.  It is never ``nan``.

    Parameters
    ----------
    AL : array_like, shape (1, m)
        Predicted probabilities, in [0, 1] (no NaN).
    Y : array_like, shape (1, m)
        Labels, in [0, 1] (usually 0 or 1).
    parameters : dict of ndarray, optional
        Holds ``"W<l>"``, without NaN or inf; needed only when
        ``lambd > 0`` (otherwise not read).
    lambd : float
        L2 regularization strength :math:`\lambda >= 0`.

    Returns
    -------
    cost : float
        :math:`J`, >= 0 (``inf`` for a confident wrong prediction).

    Examples
    --------
    >>> AL = np.array([[0.8, 0.1, 1.0]])
    >>> Y = np.array([[1.0, 0.0, 1.0]])
    >>> round(compute_cost(AL, Y), 6)
    0.109501
    >>> parameters = {"W1": np.array([[1.0, 2.0]]), "b1": np.zeros((1, 1))}
    >>> round(compute_cost(AL, Y, parameters, lambd=0.6), 6)
    0.609501
    """
    AL = np.asarray(AL, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    if AL.ndim != 2 or AL.shape != Y.shape or AL.shape[1] < 1:
        msg = f"AL shape {AL.shape} does not match Y shape {Y.shape}"
        raise ValueError(msg)
    if not np.all((AL >= 0) & (AL <= 1)):  # NaN and inf fail too
        msg = f"AL must be probabilities in [0, 1], no NaN or inf, got {AL}"
        raise ValueError(msg)
    if not np.all((Y >= 0) & (Y <= 1)):
        msg = f"Y must be labels in [0, 1], no NaN or inf, got {Y}"
        raise ValueError(msg)
    if not (np.isfinite(lambd) and lambd >= 0):
        msg = f"lambd must be finite and >= 0, got {lambd}"
        raise ValueError(msg)
    if lambd > 0 and parameters is None:
        msg = "parameters must be given when lambd > 0"
        raise ValueError(msg)
    for key, W in parameters.items() if lambd > 0 and parameters else ():
        if key[:1] == "W" and key[1:].isdigit() and not np.isfinite(W).all():
            msg = f"{key} contains NaN or inf"
            raise ValueError(msg)
    m = Y.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):  # log 0 = -inf
        log_likelihood = np.where(Y > 0, Y * np.log(AL), 0.0) + np.where(
            Y < 1, (1 - Y) * np.log(1 - AL), 0.0
        )  # 0 * log 0 -> 0
    cross_entropy = -float(np.sum(log_likelihood)) / m
    L2 = 0.0
    if lambd > 0 and parameters is not None:
        L2 = sum(
            float(np.sum(np.square(W)))
            for key, W in parameters.items()
            if key[:1] == "W" and key[1:].isdigit()
        )
    return float(cross_entropy + lambd / (2 * m) * L2)


def backward_propagation(
    AL: np.typing.ArrayLike,
    Y: np.typing.ArrayLike,
    caches: list[tuple[np.ndarray, np.ndarray, np.ndarray | None]],
    lambd: float = 0.0,
    keep_prob: float = 1.0,
) -> dict[str, np.typing.NDArray[np.float64]]:
    r"""Gradients of the cost for [LINEAR->RELU]x(L-1)->LINEAR->SIGMOID.

    .. math::
        dZ^{[L]} &= A^{[L]} - Y \\
        dW^{[l]} &= \tfrac{1}{m} dZ^{[l]} A^{[l-1]T}
        + \tfrac{\lambda}{m} W^{[l]}, \qquad
        db^{[l]} = \tfrac{1}{m} \textstyle\sum_{i} dZ^{[l](i)} \\
        dA^{[l-1]} &= W^{[l]T} dZ^{[l]}, \qquad
        dA^{[l-1]} \leftarrow \frac{dA^{[l-1]} \odot D^{[l-1]}}{p} \\
        dZ^{[l-1]} &= dA^{[l-1]} \odot \mathbb{1}[Z^{[l-1]} > 0]

    with :math:`\lambda` = ``lambd``, :math:`p` = ``keep_prob`` (the mask
    step only where forward used dropout) and the ``caches`` of
    ``forward_propagation``.  The code carries the :math:`\tfrac{1}{m}` in
    ``dZ`` from the start (``dZ = (AL - Y) / m``, the gradient of the cost
    with respect to :math:`Z^{[L]}`), the same by linearity; it reads
    :math:`\mathbb{1}[Z^{[l-1]} > 0]` as ``A_prev > 0``, the same units
    (a dropped unit is zeroed by :math:`D^{[l-1]}` anyway).
    :math:`dA^{[0]}`, with respect to ``X``, is never computed.

    ``AL`` and ``Y`` are scanned for NaN and inf.  ``caches`` is not, to
    keep the training step fast (it holds ``X``): ``forward_propagation``
    built it from values it checked.  A NaN or inf put in by hand reaches
    the gradients (NumPy may warn), which the optimizer updates refuse.

    Parameters
    ----------
    AL : array_like, shape (1, m)
        Output of ``forward_propagation``.
    Y : array_like, shape (1, m)
        Labels.
    caches : list of tuple
        ``caches[l - 1] = (A_prev, W, D_prev)`` from ``forward_propagation``.
    lambd : float
        L2 regularization strength, >= 0 (as in ``compute_cost``).
    keep_prob : float
        The ``keep_prob`` of the forward pass, in (0, 1].

    Returns
    -------
    grads : dict of ndarray
        ``"dW<l>"`` of shape (n[l], n[l-1]) and ``"db<l>"`` of shape
        (n[l], 1), for l = L, ..., 1.

    Examples
    --------
    >>> X, Y = np.array([[1.0, 0.0], [0.0, 2.0]]), np.array([[1.0, 0.0]])
    >>> W1, b1 = np.array([[1.0, -1.0], [2.0, 0.5]]), np.zeros((2, 1))
    >>> W2, b2 = np.array([[1.0, -2.0]]), np.zeros((1, 1))
    >>> Z1 = W1 @ X + b1
    >>> A1 = np.maximum(Z1, 0)
    >>> Z2 = W2 @ A1 + b2
    >>> AL = 1 / (1 + np.exp(-Z2))
    >>> caches = [(X, W1, None), (A1, W2, None)]
    >>> grads = backward_propagation(AL, Y, caches)
    >>> print(np.round(grads["dW1"], 4), np.round(grads["db2"], 4))
    [[-0.4763  0.    ]
     [ 0.9526 -0.2384]] [[-0.4167]]
    """
    AL = np.asarray(AL, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    if AL.ndim != 2 or AL.shape != Y.shape:
        msg = f"AL shape {AL.shape} does not match Y shape {Y.shape}"
        raise ValueError(msg)
    for name, A in (("AL", AL), ("Y", Y)):
        if not np.isfinite(A).all():
            msg = f"{name} contains NaN or inf"
            raise ValueError(msg)
    if not (np.isfinite(lambd) and lambd >= 0):
        msg = f"lambd must be finite and >= 0, got {lambd}"
        raise ValueError(msg)
    if not 0 < keep_prob <= 1:
        msg = f"keep_prob must be in (0, 1], got {keep_prob}"
        raise ValueError(msg)
    m = Y.shape[1]
    grads = {}
    dZ = (AL - Y) / m  # (n[L], m), holds the 1/m of dW and db
    for layer in range(len(caches), 0, -1):
        A_prev, W, D_prev = caches[layer - 1]
        dW = dZ @ A_prev.T  # (n[l], n[l-1])
        if lambd > 0:
            dW += lambd / m * W  # L2: weight decay
        grads[f"dW{layer}"] = dW
        grads[f"db{layer}"] = np.sum(dZ, axis=1, keepdims=True)
        if layer > 1:  # dA[0], with respect to X, is never needed
            dA_prev = W.T @ dZ  # (n[l-1], m), a new array: updated in place
            if D_prev is not None:
                dA_prev *= D_prev  # shut down the same units as forward
                dA_prev /= keep_prob
            dA_prev *= A_prev > 0  # ReLU': A[l-1] > 0 where Z[l-1] > 0
            dZ = dA_prev
    return grads


def predict(
    X: np.typing.ArrayLike,
    parameters: dict[str, np.typing.NDArray[np.float64]],
) -> np.typing.NDArray[np.float64]:
    r"""Predict 0/1 labels: forward pass without dropout, threshold 0.5.

    .. math::
        \hat{y}^{(i)} = \mathbb{1}\left[a^{[L](i)} > 0.5\right]

    with :math:`a^{[L](i)}` the output of [LINEAR->RELU]x(L-1)->LINEAR->
    SIGMOID for the i-th column of ``X`` and ``parameters``.  Dropout is for
    training only: every unit is kept, nothing is scaled.

    Parameters
    ----------
    X : array_like, shape (n_x, m)
        Input, one example per column, without NaN or inf.
    parameters : dict of ndarray
        ``"W<l>"`` of shape (n[l], n[l-1]) and ``"b<l>"`` of shape (n[l], 1),
        without NaN or inf.

    Returns
    -------
    predictions : ndarray, shape (1, m)
        0.0 or 1.0 for each example.

    Examples
    --------
    >>> parameters = {"W1": np.array([[1.0, -1.0], [2.0, 0.5]]),
    ...               "b1": np.array([[0.0], [-1.0]]),
    ...               "W2": np.array([[1.0, -2.0]]), "b2": np.array([[0.5]])}
    >>> print(predict(np.array([[1.0, 0.0, 3.0], [0.0, 2.0, 1.0]]),
    ...               parameters))
    [[0. 1. 0.]]
    """
    A = np.asarray(X, dtype=np.float64)  # A[0] = X
    if A.ndim != 2:
        msg = f"X must be 2-D (n_x, m), got shape {A.shape}"
        raise ValueError(msg)
    L = len(parameters) // 2
    if L < 1:
        msg = f"parameters must hold W1, b1, ..., got {sorted(parameters)}"
        raise ValueError(msg)
    for name, value in (("X", A), *parameters.items()):
        if not np.isfinite(value).all():
            msg = f"{name} contains NaN or inf"
            raise ValueError(msg)
    for layer in range(1, L + 1):
        W, b = parameters[f"W{layer}"], parameters[f"b{layer}"]
        if W.ndim != 2 or W.shape[1] != A.shape[0] or b.shape != (len(W), 1):
            msg = (
                f"W{layer} shape {W.shape} / b{layer} shape {b.shape} do not "
                f"fit an input of {A.shape[0]} rows"
            )
            raise ValueError(msg)
        Z = W @ A + b  # (n[l], m)
        A = np.maximum(Z, 0.0) if layer < L else Z
    E = np.exp(-np.abs(Z))  # in (0, 1]: never overflows
    AL = np.where(Z >= 0, 1.0, E) / (1.0 + E)  # stable sigmoid
    return (AL > 0.5).astype(np.float64)  # (1, m)
