r"""Mini-batches: shuffle the examples, then cut them into batches."""

from __future__ import annotations

import numpy as np


def random_mini_batches(
    X: np.typing.ArrayLike,
    Y: np.typing.ArrayLike,
    mini_batch_size: int = 64,
    rng: np.random.Generator | np.random.RandomState | None = None,
) -> list[tuple[np.ndarray, np.ndarray]]:
    r"""Shuffle the examples and split them into mini-batches.

    .. math::

        (X, Y) \;\to\;
        (X^{\{1\}}, Y^{\{1\}}), \dots, (X^{\{T\}}, Y^{\{T\}}), \qquad
        T = \lceil m / B \rceil

    where :math:`B` is ``mini_batch_size``. The columns (examples) of
    ``X`` and ``Y`` are permuted together by ``rng.permutation(m)``, drawn
    once; then cut into :math:`\lfloor m / B \rfloor` full mini-batches
    and, if :math:`B` does not divide :math:`m`, a last smaller one with
    the remaining :math:`m \bmod B` examples. :math:`B = m` gives batch
    gradient descent (one shuffled batch), :math:`B = 1` stochastic
    gradient descent.

    Parameters
    ----------
    X : array_like, shape (n_x, m)
        Input data, one example per column.
    Y : array_like, shape (n_y, m)
        Labels, e.g. (1, m), one column per example.
    mini_batch_size : int, default 64
        Number of examples per mini-batch, >= 1 (64, 128, 256, ...).
    rng : numpy.random.Generator or numpy.random.RandomState, optional
        Source of the permutation; ``None`` means
        ``np.random.default_rng()``. ``np.random.RandomState(seed)``
        reproduces the course's shuffles.

    Returns
    -------
    mini_batches : list of (X_t, Y_t)
        ``X_t`` of shape (n_x, mini_batch_size) and ``Y_t`` of shape
        (n_y, mini_batch_size); the last pair may have fewer columns. Each
        is a new array (a copy), contiguous in memory.

    Raises
    ------
    TypeError
        If ``mini_batch_size`` is not an int.
    ValueError
        If ``X`` or ``Y`` is not 2-D, they have different numbers of
        examples, there are none, or ``mini_batch_size < 1``.

    Notes
    -----
    NaN and inf are moved like any other value, not refused: shuffling does
    no arithmetic, so each comes out in its own example, for the function
    that computes with it to refuse (``model`` checks its data once, before
    the first epoch, so that this per-epoch copy adds no pass over ``X``).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = np.arange(14.0).reshape(2, 7)  # n_x = 2, m = 7
    >>> Y = np.arange(7).reshape(1, 7)
    >>> mini_batches = random_mini_batches(X, Y, mini_batch_size=3, rng=rng)
    >>> print([X_t.shape for X_t, Y_t in mini_batches])
    [(2, 3), (2, 3), (2, 1)]
    >>> X_t, Y_t = mini_batches[0]
    >>> print(X_t)
    [[ 2.  4.  3.]
     [ 9. 11. 10.]]
    >>> print(Y_t)
    [[2 4 3]]
    """
    X, Y = np.asarray(X), np.asarray(Y)
    if X.ndim != 2 or Y.ndim != 2:
        msg = f"X and Y must be 2-D, got shapes {X.shape} and {Y.shape}"
        raise ValueError(msg)
    m = X.shape[1]
    if Y.shape[1] != m:
        msg = f"X has m={m} columns but Y has m={Y.shape[1]}"
        raise ValueError(msg)
    if m == 0:
        msg = "X and Y have no examples (m=0)"
        raise ValueError(msg)
    if isinstance(mini_batch_size, bool) or not isinstance(
        mini_batch_size, int | np.integer
    ):
        msg = f"mini_batch_size must be an int, got {mini_batch_size!r}"
        raise TypeError(msg)
    if mini_batch_size < 1:
        msg = f"mini_batch_size must be >= 1, got {mini_batch_size}"
        raise ValueError(msg)
    rng = np.random.default_rng() if rng is None else rng
    permutation = rng.permutation(m)  # shuffled column indices, (m,)
    columns = [  # full mini-batches, then the rest
        permutation[k : k + mini_batch_size]
        for k in range(0, m, mini_batch_size)
    ]
    return [  # X[:, c] as C-contiguous copies: (n_x, size), (n_y, size)
        (X.take(c, axis=1), Y.take(c, axis=1)) for c in columns
    ]
