r"""Regularization: the L2 penalty and inverted dropout, one layer at a time.

``dnnref.network`` builds the same steps into its forward and backward
passes; these functions show them alone.  ``dropout_forward`` draws its mask
exactly as ``forward_propagation`` does (``rng.random(A.shape) < keep_prob``,
nothing when ``keep_prob == 1``), so the same ``rng`` gives the same masks.
"""

from __future__ import annotations

import numpy as np


def l2_penalty(
    parameters: dict[str, np.typing.NDArray[np.float64]], lambd: float, m: int
) -> float:
    r"""L2 regularization term of the cost.

    .. math::
        \frac{\lambda}{2m} \sum_{l=1}^{L} \lVert W^{[l]} \rVert_F^2
        = \frac{\lambda}{2m} \sum_{l=1}^{L} \sum_{k, j}
        \left(W^{[l]}_{kj}\right)^2

    with :math:`\lambda` = ``lambd``, :math:`m` = ``m`` and
    :math:`W^{[l]}` = ``parameters["W<l>"]``; biases are not penalized.

    Parameters
    ----------
    parameters : dict of ndarray
        Holds ``"W<l>"`` of shape (n[l], n[l-1]), without NaN or inf; other
        keys are ignored.
    lambd : float
        Regularization strength, finite and >= 0.
    m : int
        Number of examples, >= 1.

    Returns
    -------
    penalty : float
        The term added to the cross-entropy cost.

    Examples
    --------
    >>> parameters = {"W1": np.array([[1.0, -2.0]]), "b1": np.ones((1, 1)),
    ...               "W2": np.array([[3.0]]), "b2": np.zeros((1, 1))}
    >>> l2_penalty(parameters, lambd=0.1, m=7)
    0.1
    """
    if not (np.isfinite(lambd) and lambd >= 0):
        msg = f"lambd must be finite and >= 0, got {lambd}"
        raise ValueError(msg)
    if m < 1 or int(m) != m:
        msg = f"m must be a positive int, got {m!r}"
        raise ValueError(msg)
    for key, W in parameters.items():
        if key[:1] == "W" and key[1:].isdigit() and not np.isfinite(W).all():
            msg = f"{key} contains NaN or inf"
            raise ValueError(msg)
    squares = sum(
        float(np.sum(np.square(W)))  # ||W[l]||_F^2
        for key, W in parameters.items()
        if key[:1] == "W" and key[1:].isdigit()
    )
    return lambd / (2 * m) * squares


def dropout_forward(
    A: np.typing.ArrayLike,
    keep_prob: float,
    rng: np.random.Generator | np.random.RandomState | None = None,
) -> tuple[np.typing.NDArray[np.float64], np.typing.NDArray[np.bool_]]:
    r"""Inverted dropout on the activations of one layer.

    .. math::
        D^{[l]} \leftarrow (U^{[l]} < p), \qquad
        A^{[l]} \leftarrow \frac{A^{[l]} \odot D^{[l]}}{p}

    with :math:`A^{[l]}` = ``A``, :math:`p` = ``keep_prob`` and
    :math:`U^{[l]}` = ``rng.random(A.shape)``, uniform on [0, 1).  Each
    unit is kept with probability :math:`p`, and dividing by :math:`p`
    keeps the expected value: :math:`\mathbb{E}[A \odot D / p] = A`.
    With ``keep_prob == 1`` nothing is drawn and nothing is dropped.

    Parameters
    ----------
    A : array_like, shape (n[l], m)
        Activations of a hidden layer, without NaN or inf.
    keep_prob : float
        Probability of keeping a unit, in (0, 1].
    rng : numpy.random.Generator or numpy.random.RandomState, optional
        Source of the mask; ``None`` means ``np.random.default_rng()``.

    Returns
    -------
    A_dropped : ndarray, shape (n[l], m)
        ``A * D / keep_prob``.
    D : ndarray of bool, shape (n[l], m)
        The mask (True = kept), needed by ``dropout_backward``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> A_dropped, D = dropout_forward(np.ones((2, 3)), 0.5, rng)
    >>> print(D.astype(int), A_dropped, sep="\n")
    [[0 1 1]
     [1 0 0]]
    [[0. 2. 2.]
     [2. 0. 0.]]
    """
    A = np.asarray(A, dtype=np.float64)
    if not np.isfinite(A).all():
        msg = "A contains NaN or inf"
        raise ValueError(msg)
    if not 0 < keep_prob <= 1:
        msg = f"keep_prob must be in (0, 1], got {keep_prob}"
        raise ValueError(msg)
    if keep_prob == 1:
        return A.copy(), np.ones(A.shape, dtype=bool)
    rng = np.random.default_rng() if rng is None else rng
    D = rng.random(A.shape) < keep_prob  # (n[l], m), True = kept
    return A * D / keep_prob, D


def dropout_backward(
    dA: np.typing.ArrayLike, D: np.typing.ArrayLike, keep_prob: float
) -> np.typing.NDArray[np.float64]:
    r"""Backward pass of inverted dropout: reapply the mask, rescale.

    .. math::
        dA^{[l]} \leftarrow \frac{dA^{[l]} \odot D^{[l]}}{p}

    with :math:`dA^{[l]}` = ``dA`` (the gradient with respect to the dropped
    activations), :math:`D^{[l]}` = ``D``, the mask of ``dropout_forward``,
    and :math:`p` = ``keep_prob``, the same as in the forward pass.

    Parameters
    ----------
    dA : array_like, shape (n[l], m)
        Gradient of the cost with respect to ``A_dropped``, without NaN or
        inf.
    D : array_like of bool or 0/1, shape (n[l], m)
        Mask from ``dropout_forward`` (so no NaN or inf either).
    keep_prob : float
        Probability of keeping a unit, in (0, 1].

    Returns
    -------
    dA : ndarray, shape (n[l], m)
        Gradient with respect to the activations before dropout.

    Examples
    --------
    >>> D = np.array([[False, True], [True, True]])
    >>> print(dropout_backward(np.ones((2, 2)), D, keep_prob=0.8))
    [[0.   1.25]
     [1.25 1.25]]
    """
    dA = np.asarray(dA, dtype=np.float64)
    D = np.asarray(D)
    if D.shape != dA.shape:
        msg = f"D shape {D.shape} does not match dA shape {dA.shape}"
        raise ValueError(msg)
    if not np.isfinite(dA).all():
        msg = "dA contains NaN or inf"
        raise ValueError(msg)
    if not np.all((D == 0) | (D == 1)):  # NaN and inf fail too
        msg = "D must be a 0/1 (or boolean) mask, no NaN or inf"
        raise ValueError(msg)
    if not 0 < keep_prob <= 1:
        msg = f"keep_prob must be in (0, 1], got {keep_prob}"
        raise ValueError(msg)
    dA_masked: np.typing.NDArray[np.float64] = dA * D / keep_prob  # (n[l], m)
    return dA_masked
