"""Toy 2-D data sets in the course's layout, drawn from an explicit ``rng``.

Every generator returns ``X`` of shape ``(2, m)`` (examples are columns) and
``Y`` of shape ``(1, m)`` holding ``0.0``/``1.0``, both float64.  Random
numbers come only from the ``rng`` argument (``np.random.Generator`` or the
legacy ``np.random.RandomState``) through ``rng.random``,
``rng.standard_normal`` and ``rng.permutation``; ``rng=None`` draws a fresh
``np.random.default_rng()``.  NumPy only: no scikit-learn needed.
"""

from __future__ import annotations

import numpy as np


def make_circles(
    m: int = 300,
    noise: float = 0.1,
    factor: float = 0.5,
    rng: np.random.Generator | np.random.RandomState | None = None,
) -> tuple[np.typing.NDArray[np.float64], np.typing.NDArray[np.float64]]:
    """Two concentric circles: label 0 outside, label 1 inside.

    Like scikit-learn's ``make_circles`` (the course's initialization data
    set): ``m // 2`` points evenly spaced on the unit circle (label 0) and
    the other ``m - m // 2`` on a circle of radius ``factor`` (label 1).
    The columns are shuffled with ``rng.permutation(m)``, then Gaussian
    noise ``noise * rng.standard_normal((2, m))`` is added.

    Parameters
    ----------
    m : int, default 300
        Number of examples, >= 2.
    noise : float, default 0.1
        Standard deviation of the Gaussian noise added to each coordinate,
        >= 0.
    factor : float, default 0.5
        Radius of the inner circle, in (0, 1).
    rng : np.random.Generator or np.random.RandomState, optional
        Source of randomness; ``None`` means ``np.random.default_rng()``.

    Returns
    -------
    X : ndarray, shape (2, m)
        Coordinates, one example per column.
    Y : ndarray, shape (1, m)
        Labels, 0.0 (outer circle) or 1.0 (inner circle).

    Raises
    ------
    ValueError
        If ``m < 2``, ``noise < 0`` or ``factor`` is not in (0, 1).

    Examples
    --------
    >>> X, Y = make_circles(m=8, noise=0.0, rng=np.random.default_rng(0))
    >>> X.shape, Y.shape
    ((2, 8), (1, 8))
    >>> print(np.sort(np.round(np.hypot(X[0], X[1]), 4)))  # the radii
    [0.5 0.5 0.5 0.5 1.  1.  1.  1. ]
    >>> bool(np.all(np.isclose(np.hypot(X[0], X[1]), 1 - Y[0] / 2)))
    True
    """
    if m < 2 or m != int(m):
        msg = f"m must be an integer >= 2, got {m!r}"
        raise ValueError(msg)
    m = int(m)
    if not 0 <= noise < np.inf:
        msg = f"noise must be finite and >= 0, got {noise}"
        raise ValueError(msg)
    if not 0 < factor < 1:
        msg = f"factor must be in (0, 1), got {factor}"
        raise ValueError(msg)
    rng = np.random.default_rng() if rng is None else rng
    m_out = m // 2
    t_out = np.linspace(0, 2 * np.pi, m_out, endpoint=False)
    t_in = np.linspace(0, 2 * np.pi, m - m_out, endpoint=False)
    X = np.concatenate(
        [
            np.stack([np.cos(t_out), np.sin(t_out)]),  # (2, m_out)
            factor * np.stack([np.cos(t_in), np.sin(t_in)]),  # (2, m_in)
        ],
        axis=1,
    )
    Y = np.concatenate([np.zeros(m_out), np.ones(m - m_out)])[np.newaxis]
    order = rng.permutation(m)
    X, Y = X[:, order], Y[:, order]
    X = X + noise * rng.standard_normal((2, m))  # (2, m)
    return X, Y


def make_moons(
    m: int = 300,
    noise: float = 0.2,
    rng: np.random.Generator | np.random.RandomState | None = None,
) -> tuple[np.typing.NDArray[np.float64], np.typing.NDArray[np.float64]]:
    """Two interleaving half circles ("moons"): labels 0 and 1.

    Like scikit-learn's ``make_moons``: ``m // 2`` points evenly spaced on
    the upper half of the unit circle (label 0) and ``m - m // 2`` on a
    lower half circle shifted to centre ``(1, 0.5)`` (label 1).  The
    columns are shuffled with ``rng.permutation(m)``, then Gaussian noise
    ``noise * rng.standard_normal((2, m))`` is added.

    Parameters
    ----------
    m : int, default 300
        Number of examples, >= 2.
    noise : float, default 0.2
        Standard deviation of the Gaussian noise added to each coordinate,
        >= 0.
    rng : np.random.Generator or np.random.RandomState, optional
        Source of randomness; ``None`` means ``np.random.default_rng()``.

    Returns
    -------
    X : ndarray, shape (2, m)
        Coordinates, one example per column.
    Y : ndarray, shape (1, m)
        Labels, 0.0 (upper moon) or 1.0 (lower moon).

    Raises
    ------
    ValueError
        If ``m < 2`` or ``noise < 0``.

    Examples
    --------
    >>> X, Y = make_moons(m=6, noise=0.0, rng=np.random.default_rng(0))
    >>> X.shape, Y.shape, float(Y.mean())
    ((2, 6), (1, 6), 0.5)
    >>> print(np.round(X[:, Y[0] == 0][:, np.argsort(X[0, Y[0] == 0])], 4))
    [[-1.  0.  1.]
     [ 0.  1.  0.]]
    """
    if m < 2 or m != int(m):
        msg = f"m must be an integer >= 2, got {m!r}"
        raise ValueError(msg)
    m = int(m)
    if not 0 <= noise < np.inf:
        msg = f"noise must be finite and >= 0, got {noise}"
        raise ValueError(msg)
    rng = np.random.default_rng() if rng is None else rng
    m_out = m // 2
    t_out = np.linspace(0, np.pi, m_out)
    t_in = np.linspace(0, np.pi, m - m_out)
    X = np.concatenate(
        [
            np.stack([np.cos(t_out), np.sin(t_out)]),  # (2, m_out)
            np.stack([1 - np.cos(t_in), 0.5 - np.sin(t_in)]),  # (2, m_in)
        ],
        axis=1,
    )
    Y = np.concatenate([np.zeros(m_out), np.ones(m - m_out)])[np.newaxis]
    order = rng.permutation(m)
    X, Y = X[:, order], Y[:, order]
    X = X + noise * rng.standard_normal((2, m))  # (2, m)
    return X, Y


def make_noisy_two_class(
    m: int = 300,
    noise: float = 0.1,
    rng: np.random.Generator | np.random.RandomState | None = None,
) -> tuple[np.typing.NDArray[np.float64], np.typing.NDArray[np.float64]]:
    """Two classes split by a sine curve, with a fraction of labels flipped.

    The points are uniform in the square [-1, 1] x [-1, 1]
    (``2 * rng.random((2, m)) - 1``).  The clean label is 1 above the curve
    ``x2 = 0.5 sin(pi x1)`` and 0 below it; then exactly
    ``round(noise * m)`` labels, chosen by ``rng.permutation(m)``, are
    flipped.  No classifier can beat ``1 - noise`` accuracy on average,
    and a large unregularized network that memorizes the flipped labels
    does clearly better on its training set than on a test set: the data
    set of the L2 and dropout pages (the role of the course's "football"
    data).

    Parameters
    ----------
    m : int, default 300
        Number of examples, >= 2.
    noise : float, default 0.1
        Fraction of labels flipped, in [0, 0.5).
    rng : np.random.Generator or np.random.RandomState, optional
        Source of randomness; ``None`` means ``np.random.default_rng()``.

    Returns
    -------
    X : ndarray, shape (2, m)
        Coordinates in [-1, 1], one example per column.
    Y : ndarray, shape (1, m)
        Noisy labels, 0.0 or 1.0.

    Raises
    ------
    ValueError
        If ``m < 2`` or ``noise`` is not in [0, 0.5).

    Examples
    --------
    >>> X, Y = make_noisy_two_class(m=200, noise=0.1,
    ...                             rng=np.random.default_rng(0))
    >>> X.shape, Y.shape
    ((2, 200), (1, 200))
    >>> clean = X[1] > 0.5 * np.sin(np.pi * X[0])
    >>> int(np.sum(clean != Y[0]))  # round(0.1 * 200) labels flipped
    20
    """
    if m < 2 or m != int(m):
        msg = f"m must be an integer >= 2, got {m!r}"
        raise ValueError(msg)
    m = int(m)
    if not 0 <= noise < 0.5:
        msg = f"noise must be in [0, 0.5), got {noise}"
        raise ValueError(msg)
    rng = np.random.default_rng() if rng is None else rng
    X = 2 * rng.random((2, m)) - 1  # (2, m), uniform in [-1, 1)
    Y = (X[1] > 0.5 * np.sin(np.pi * X[0])).astype(np.float64)[np.newaxis]
    flipped = rng.permutation(m)[: round(noise * m)]
    Y[0, flipped] = 1 - Y[0, flipped]
    return X, Y


def train_test_split(
    X: np.typing.NDArray[np.float64],
    Y: np.typing.NDArray[np.float64],
    test_fraction: float = 0.3,
    rng: np.random.Generator | np.random.RandomState | None = None,
) -> tuple[
    np.typing.NDArray[np.float64],
    np.typing.NDArray[np.float64],
    np.typing.NDArray[np.float64],
    np.typing.NDArray[np.float64],
]:
    """Split the columns of X and Y at random into a training and a test set.

    ``p = rng.permutation(m)``; the first ``round(test_fraction * m)``
    columns of ``p`` form the test set, the rest the training set.  Both
    sets must be non-empty.

    Parameters
    ----------
    X : ndarray, shape (n_x, m)
        Inputs, one example per column.
    Y : ndarray, shape (1, m)
        Labels, one per column of ``X``.
    test_fraction : float, default 0.3
        Fraction of the m examples in the test set, in (0, 1).
    rng : np.random.Generator or np.random.RandomState, optional
        Source of randomness; ``None`` means ``np.random.default_rng()``.

    Returns
    -------
    X_train : ndarray, shape (n_x, m - m_test)
    Y_train : ndarray, shape (1, m - m_test)
    X_test : ndarray, shape (n_x, m_test)
    Y_test : ndarray, shape (1, m_test)

    Raises
    ------
    ValueError
        If ``X`` or ``Y`` is not 2-D, their m differ, or ``test_fraction``
        leaves one of the two sets empty.

    Notes
    -----
    NaN and inf are moved like any other value, not refused: splitting does
    no arithmetic, so each stays in its own example, for the function that
    computes with it (``compute_normalization``, ``model``) to refuse.

    Examples
    --------
    >>> X = np.arange(20.0).reshape(2, 10)
    >>> Y = np.arange(10.0).reshape(1, 10)
    >>> X_train, Y_train, X_test, Y_test = train_test_split(
    ...     X, Y, test_fraction=0.3, rng=np.random.default_rng(0))
    >>> X_train.shape, X_test.shape
    ((2, 7), (2, 3))
    >>> bool(np.all(X_test[0] == Y_test[0]))  # columns stay together
    True
    >>> sorted(np.concatenate([Y_train[0], Y_test[0]]).tolist()) == list(
    ...     range(10))
    True
    """
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    if X.ndim != 2 or Y.ndim != 2:
        msg = f"X and Y must be 2-D, got shapes {X.shape} and {Y.shape}"
        raise ValueError(msg)
    m = X.shape[1]
    if Y.shape[1] != m:
        msg = f"X has m = {m} examples but Y has m = {Y.shape[1]}"
        raise ValueError(msg)
    if not 0 < test_fraction < 1:
        msg = f"test_fraction must be in (0, 1), got {test_fraction}"
        raise ValueError(msg)
    m_test = round(test_fraction * m)
    if not 0 < m_test < m:
        msg = (
            f"test_fraction {test_fraction} of m = {m} gives {m_test} test "
            "examples: both sets must be non-empty"
        )
        raise ValueError(msg)
    rng = np.random.default_rng() if rng is None else rng
    p = rng.permutation(m)
    test, train = p[:m_test], p[m_test:]
    return X[:, train], Y[:, train], X[:, test], Y[:, test]
