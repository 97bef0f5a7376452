r"""Normalizing inputs: subtract the mean, divide by the standard deviation.

The statistics come from the training set only; the same ``mu`` and
``sigma`` then normalize the training, dev and test sets.  The source notes
divide by the variance :math:`\sigma^2`; the correct divisor is the standard
deviation :math:`\sigma`, which gives every feature unit variance.
"""

from __future__ import annotations

import numpy as np


def compute_normalization(
    X: np.typing.ArrayLike,
) -> tuple[np.typing.NDArray[np.float64], np.typing.NDArray[np.float64]]:
    r"""Per-feature mean and population standard deviation of the data.

    .. math::
        \mu = \frac{1}{m} \sum_{i=1}^{m} x^{(i)}, \qquad
        \sigma = \sqrt{\frac{1}{m} \sum_{i=1}^{m}
        \left(x^{(i)} - \mu\right)^2}

    with :math:`\mu` = ``mu``, :math:`\sigma` = ``sigma`` (ddof 0) and
    :math:`x^{(i)}` the i-th column of ``X``.  A feature that is constant
    over the training set gets :math:`\sigma = 1`, so normalizing maps it
    to 0 instead of dividing by zero.

    Parameters
    ----------
    X : array_like, shape (n_x, m)
        Training data, one example per column; finite, ``m >= 1``.

    Returns
    -------
    mu : ndarray, shape (n_x, 1)
        Mean of each feature.
    sigma : ndarray, shape (n_x, 1)
        Population standard deviation of each feature (1 where it is 0).

    Examples
    --------
    >>> X = np.array([[1.0, 2.0, 3.0], [5.0, 5.0, 5.0]])
    >>> mu, sigma = compute_normalization(X)
    >>> print(mu.ravel(), np.round(sigma.ravel(), 4))
    [2. 5.] [0.8165 1.    ]
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] < 1:
        msg = f"X must be 2-D (n_x, m) with m >= 1, got shape {X.shape}"
        raise ValueError(msg)
    if not np.isfinite(X).all():
        msg = "X contains NaN or inf"
        raise ValueError(msg)
    mu = np.mean(X, axis=1, keepdims=True)  # (n_x, 1)
    sigma = np.std(X, axis=1, keepdims=True)  # (n_x, 1), ddof 0
    constant = np.ptp(X, axis=1, keepdims=True) == 0  # exactly constant
    sigma[constant | (sigma == 0)] = 1.0  # zero variance: leave the scale
    return mu, sigma


def normalize(
    X: np.typing.ArrayLike, mu: np.typing.ArrayLike, sigma: np.typing.ArrayLike
) -> np.typing.NDArray[np.float64]:
    r"""Normalize data with the training set's mean and standard deviation.

    .. math::
        X \leftarrow \frac{X - \mu}{\sigma}

    with :math:`X` = ``X`` (training, dev or test set), :math:`\mu` = ``mu``
    and :math:`\sigma` = ``sigma`` from the training set (see
    ``compute_normalization``), broadcast over the ``m`` columns.  Dividing by
    :math:`\sigma^2`, as the source notes say, does not give unit variance.

    Parameters
    ----------
    X : array_like, shape (n_x, m)
        Data to normalize, one example per column, without NaN or inf.
    mu : array_like, shape (n_x, 1)
        Per-feature mean of the training set.
    sigma : array_like, shape (n_x, 1)
        Per-feature standard deviation of the training set, all > 0.

    Returns
    -------
    X_norm : ndarray, shape (n_x, m)
        ``(X - mu) / sigma``; a new array (``X`` is not modified).

    Examples
    --------
    >>> X = np.array([[1.0, 2.0, 3.0], [10.0, 20.0, 60.0]])
    >>> mu = np.array([[2.0], [30.0]])
    >>> sigma = np.array([[1.0], [10.0]])
    >>> print(normalize(X, mu, sigma))
    [[-1.  0.  1.]
     [-2. -1.  3.]]
    """
    X = np.asarray(X, dtype=np.float64)
    mu = np.asarray(mu, dtype=np.float64)
    sigma = np.asarray(sigma, dtype=np.float64)
    if X.ndim != 2:
        msg = f"X must be 2-D (n_x, m), got shape {X.shape}"
        raise ValueError(msg)
    for name, value in (("mu", mu), ("sigma", sigma)):
        if value.shape != (X.shape[0], 1):
            msg = (
                f"{name} shape {value.shape} does not match "
                f"(n_x, 1) = {(X.shape[0], 1)}"
            )
            raise ValueError(msg)
    for name, value in (("X", X), ("mu", mu), ("sigma", sigma)):
        if not np.isfinite(value).all():
            msg = f"{name} contains NaN or inf"
            raise ValueError(msg)
    if not np.all(sigma > 0):
        msg = f"sigma must be > 0, got {sigma.ravel()}"
        raise ValueError(msg)
    X_norm: np.typing.NDArray[np.float64] = (X - mu) / sigma  # (n_x, m)
    return X_norm
