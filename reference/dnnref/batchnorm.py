"""Batch normalization of the pre-activations Z[l], in the course's layout.

``Z`` is ``(n[l], m)``: one row per hidden unit, one column per example, so
the statistics of a mini-batch are taken over ``axis=1``.  ``gamma`` and
``beta`` are learnable ``(n[l], 1)`` columns.  Batch norm's ``beta`` is the
*shift* of the normalized units; it is not the ``beta`` of momentum or of
an exponentially weighted average (that one is ``momentum`` here).

``epsilon`` defaults to ``1e-8``, the small constant the course uses
everywhere (PyTorch's ``BatchNorm1d`` uses ``1e-5``; pass ``epsilon=1e-5``
to match it).  Training mode needs ``m >= 2`` examples: with one example
the batch variance is 0 and the output would be ``beta`` whatever ``Z`` is,
so :func:`batchnorm_forward` raises, as PyTorch does.  At test time one
example at a time is normalized with running estimates of the mean and the
variance (:func:`update_running_averages`, :func:`batchnorm_inference`).
"""

from __future__ import annotations

import numpy as np


def batchnorm_forward(
    Z: np.typing.NDArray[np.float64],
    gamma: np.typing.NDArray[np.float64],
    beta: np.typing.NDArray[np.float64],
    epsilon: float = 1e-8,
) -> tuple[
    np.typing.NDArray[np.float64], dict[str, np.typing.NDArray[np.float64]]
]:
    r"""Batch-normalize Z[l] over the m examples of a mini-batch.

    .. math::
        \begin{aligned}
        \mu &= \frac{1}{m} \sum_{i=1}^{m} Z^{(i)}, \qquad
        \sigma^2 = \frac{1}{m} \sum_{i=1}^{m} \big(Z^{(i)} - \mu\big)^2 \\
        Z_{norm}^{(i)} &= \frac{Z^{(i)} - \mu}{\sqrt{\sigma^2 + \epsilon}}
        \\
        \tilde{Z}^{(i)} &= \gamma \, Z_{norm}^{(i)} + \beta
        \end{aligned}

    with :math:`Z` = ``Z``, :math:`\gamma` = ``gamma``, :math:`\beta` =
    ``beta`` (the shift, not the momentum :math:`\beta`), :math:`\epsilon`
    = ``epsilon``.  The variance is the biased one (divide by m), per unit
    (row).  ``epsilon`` defaults to the course's ``1e-8``; PyTorch's
    default is ``1e-5``.

    Parameters
    ----------
    Z : ndarray, shape (n[l], m)
        Pre-activations of layer l for a mini-batch of m >= 2 examples.
    gamma : ndarray, shape (n[l], 1)
        Learnable scale.
    beta : ndarray, shape (n[l], 1)
        Learnable shift.
    epsilon : float, default 1e-8
        Positive constant added to the variance.

    Returns
    -------
    Z_tilde : ndarray, shape (n[l], m)
        ``gamma * Z_norm + beta``.
    cache : dict
        What :func:`batchnorm_backward` needs, plus the batch statistics
        for the running averages: ``"Z_norm"`` (n[l], m), ``"mu"``
        (n[l], 1), ``"var"`` (n[l], 1) biased batch variance, ``"std_inv"``
        (n[l], 1) = 1 / sqrt(var + epsilon), ``"gamma"`` (n[l], 1).

    Raises
    ------
    ValueError
        If shapes disagree, m < 2, epsilon <= 0 or an input contains NaN
        or inf.

    Examples
    --------
    >>> Z = np.array([[1.0, 2.0, 3.0, 6.0], [-1.0, 0.0, 0.0, 1.0]])
    >>> Z_tilde, cache = batchnorm_forward(Z, np.ones((2, 1)),
    ...                                    np.zeros((2, 1)))
    >>> print(np.round(Z_tilde, 4))
    [[-1.069  -0.5345  0.      1.6036]
     [-1.4142  0.      0.      1.4142]]
    >>> print(np.round(cache["mu"].ravel(), 4), cache["var"].ravel())
    [3. 0.] [3.5 0.5]
    """
    Z = np.asarray(Z, dtype=np.float64)
    gamma = np.asarray(gamma, dtype=np.float64)
    beta = np.asarray(beta, dtype=np.float64)
    if Z.ndim != 2:
        msg = f"Z must be 2-D (n[l], m), got shape {Z.shape}"
        raise ValueError(msg)
    n, m = Z.shape
    for name, p in (("gamma", gamma), ("beta", beta)):
        if p.shape != (n, 1):
            msg = f"{name} shape {p.shape} does not match ({n}, 1) of Z"
            raise ValueError(msg)
    if m < 2:
        msg = f"batch norm needs m >= 2 examples in training, got m = {m}"
        raise ValueError(msg)
    if not epsilon > 0:
        msg = f"epsilon must be > 0, got {epsilon}"
        raise ValueError(msg)
    for name, value in (("Z", Z), ("gamma", gamma), ("beta", beta)):
        if not np.isfinite(value).all():
            msg = f"{name} contains NaN or inf"
            raise ValueError(msg)
    mu = np.mean(Z, axis=1, keepdims=True)  # (n[l], 1)
    var = np.mean((Z - mu) ** 2, axis=1, keepdims=True)  # (n[l], 1), biased
    std_inv = 1.0 / np.sqrt(var + epsilon)  # (n[l], 1)
    Z_norm = (Z - mu) * std_inv  # (n[l], m)
    Z_tilde = gamma * Z_norm + beta  # (n[l], m)
    cache = {
        "Z_norm": Z_norm,
        "mu": mu,
        "var": var,
        "std_inv": std_inv,
        "gamma": gamma,
    }
    return Z_tilde, cache


def batchnorm_backward(
    dZ_tilde: np.typing.NDArray[np.float64],
    cache: dict[str, np.typing.NDArray[np.float64]],
) -> tuple[
    np.typing.NDArray[np.float64],
    np.typing.NDArray[np.float64],
    np.typing.NDArray[np.float64],
]:
    r"""Backpropagate through batch norm: gradients for Z, gamma and beta.

    .. math::
        \begin{aligned}
        d\beta &= \sum_{i=1}^{m} d\tilde{Z}^{(i)}, \qquad
        d\gamma = \sum_{i=1}^{m} d\tilde{Z}^{(i)} \odot Z_{norm}^{(i)}, \qquad
        dZ_{norm} = \gamma \odot d\tilde{Z} \\
        d\sigma^2 &= -\tfrac{1}{2} (\sigma^2 + \epsilon)^{-3/2}
            \sum_{i} dZ_{norm}^{(i)} \odot (Z^{(i)} - \mu), \qquad
        d\mu = -(\sigma^2 + \epsilon)^{-1/2} \sum_{i} dZ_{norm}^{(i)} \\
        dZ &= \frac{dZ_{norm}}{\sqrt{\sigma^2 + \epsilon}}
            + \frac{2 (Z - \mu)}{m} \, d\sigma^2 + \frac{d\mu}{m}
            \qquad \text{(chain rule through } \mu, \sigma^2) \\
           &= \frac{1}{m \sqrt{\sigma^2 + \epsilon}} \Big(m \, dZ_{norm}
            - \sum_i dZ_{norm}^{(i)}
            - Z_{norm} \sum_i dZ_{norm}^{(i)} \odot Z_{norm}^{(i)}\Big) \\
           &= \frac{\gamma}{m \sqrt{\sigma^2 + \epsilon}} \odot
            \Big(m \, d\tilde{Z} - d\beta - Z_{norm} \odot d\gamma\Big)
        \end{aligned}

    with :math:`d\tilde{Z}` = ``dZ_tilde``; :math:`Z_{norm}`,
    :math:`\gamma` and :math:`1/\sqrt{\sigma^2 + \epsilon}` = ``std_inv``
    come from ``cache``.  (:math:`d\mu` has a second term,
    :math:`d\sigma^2 \cdot \frac{2}{m}\sum_i (\mu - Z^{(i)})`, which is 0.)
    The last line, computed here, needs only the cache and two row sums.

    Parameters
    ----------
    dZ_tilde : ndarray, shape (n[l], m)
        Gradient of the cost with respect to ``Z_tilde``.
    cache : dict
        The cache returned by :func:`batchnorm_forward` (keys ``"Z_norm"``,
        ``"std_inv"``, ``"gamma"`` are used).

    Returns
    -------
    dZ : ndarray, shape (n[l], m)
        Gradient with respect to ``Z``.
    dgamma : ndarray, shape (n[l], 1)
        Gradient with respect to ``gamma``.
    dbeta : ndarray, shape (n[l], 1)
        Gradient with respect to ``beta``.

    Raises
    ------
    ValueError
        If ``cache`` lacks a key, ``dZ_tilde`` does not have the shape of
        ``Z_norm`` or contains NaN or inf.

    Notes
    -----
    ``cache`` is not scanned for NaN or inf, to keep the training step
    fast: ``batchnorm_forward`` built it from inputs it checked.  A NaN or
    inf put in by hand reaches ``dZ`` and ``dgamma`` (NumPy may warn).

    Examples
    --------
    >>> Z = np.array([[1.0, 2.0, 3.0, 6.0]])  # what the forward pass saw
    >>> std_inv = 1 / np.sqrt(Z.var(axis=1, keepdims=True) + 1e-8)
    >>> Z_norm = (Z - Z.mean(axis=1, keepdims=True)) * std_inv
    >>> cache = {"Z_norm": Z_norm, "std_inv": std_inv,
    ...          "gamma": np.array([[2.0]])}
    >>> dZ_tilde = np.array([[1.0, 0.0, 0.0, 0.0]])
    >>> dZ, dgamma, dbeta = batchnorm_backward(dZ_tilde, cache)
    >>> print(np.round(dZ, 4), np.round(dgamma, 4), dbeta)
    [[ 0.4963 -0.42   -0.2673  0.1909]] [[-1.069]] [[1.]]
    >>> bool(abs(dZ.sum()) < 1e-12)  # shifting all of Z changes nothing
    True
    """
    missing = {"Z_norm", "std_inv", "gamma"} - set(cache)
    if missing:
        msg = f"cache lacks keys {sorted(missing)}; use batchnorm_forward's"
        raise ValueError(msg)
    dZ_tilde = np.asarray(dZ_tilde, dtype=np.float64)
    Z_norm, std_inv, gamma = cache["Z_norm"], cache["std_inv"], cache["gamma"]
    if dZ_tilde.shape != Z_norm.shape:
        msg = (
            f"dZ_tilde shape {dZ_tilde.shape} does not match Z_norm "
            f"shape {Z_norm.shape}"
        )
        raise ValueError(msg)
    if not np.isfinite(dZ_tilde).all():
        msg = "dZ_tilde contains NaN or inf"
        raise ValueError(msg)
    m = Z_norm.shape[1]
    dbeta = np.sum(dZ_tilde, axis=1, keepdims=True)  # (n[l], 1)
    dgamma = np.sum(dZ_tilde * Z_norm, axis=1, keepdims=True)  # (n[l], 1)
    dZ = (gamma * std_inv / m) * (m * dZ_tilde - dbeta - Z_norm * dgamma)
    return dZ, dgamma, dbeta


def batchnorm_inference(
    Z: np.typing.NDArray[np.float64],
    gamma: np.typing.NDArray[np.float64],
    beta: np.typing.NDArray[np.float64],
    running_mean: np.typing.NDArray[np.float64],
    running_var: np.typing.NDArray[np.float64],
    epsilon: float = 1e-8,
) -> np.typing.NDArray[np.float64]:
    r"""Batch norm at test time: normalize with running mean and variance.

    .. math::
        \begin{aligned}
        Z_{norm} &= \frac{Z - \mu_{run}}{\sqrt{\sigma^2_{run} + \epsilon}}
        \\
        \tilde{Z} &= \gamma \, Z_{norm} + \beta
        \end{aligned}

    with :math:`\mu_{run}` = ``running_mean`` and :math:`\sigma^2_{run}` =
    ``running_var``, the exponentially weighted averages of the mini-batch
    statistics kept during training (:func:`update_running_averages`).
    Each example is normalized on its own, so any m >= 1 works, one
    example at a time included.

    Parameters
    ----------
    Z : ndarray, shape (n[l], m)
        Pre-activations of layer l, m >= 1 (one example: shape (n[l], 1)).
    gamma : ndarray, shape (n[l], 1)
        Learned scale.
    beta : ndarray, shape (n[l], 1)
        Learned shift (not the momentum beta).
    running_mean : ndarray, shape (n[l], 1)
        Estimate of the mean of Z over the training distribution.
    running_var : ndarray, shape (n[l], 1)
        Estimate of the variance of Z, >= 0.
    epsilon : float, default 1e-8
        The epsilon used in training.

    Returns
    -------
    Z_tilde : ndarray, shape (n[l], m)

    Raises
    ------
    ValueError
        If shapes disagree, m < 1, epsilon <= 0, running_var < 0 or an
        input contains NaN or inf.

    Examples
    --------
    >>> Z = np.array([[3.0], [0.0]])  # one example
    >>> print(batchnorm_inference(Z, np.ones((2, 1)), np.zeros((2, 1)),
    ...       np.array([[1.0], [0.0]]), np.array([[4.0], [1.0]])))
    [[1.]
     [0.]]
    """
    Z = np.asarray(Z, dtype=np.float64)
    gamma = np.asarray(gamma, dtype=np.float64)
    beta = np.asarray(beta, dtype=np.float64)
    running_mean = np.asarray(running_mean, dtype=np.float64)
    running_var = np.asarray(running_var, dtype=np.float64)
    if Z.ndim != 2 or Z.shape[1] < 1:
        msg = f"Z must be 2-D (n[l], m) with m >= 1, got shape {Z.shape}"
        raise ValueError(msg)
    n = Z.shape[0]
    columns = {
        "gamma": gamma,
        "beta": beta,
        "running_mean": running_mean,
        "running_var": running_var,
    }
    for name, p in columns.items():
        if p.shape != (n, 1):
            msg = f"{name} shape {p.shape} does not match ({n}, 1) of Z"
            raise ValueError(msg)
    for name, value in (("Z", Z), *columns.items()):
        if not np.isfinite(value).all():
            msg = f"{name} contains NaN or inf"
            raise ValueError(msg)
    if np.any(running_var < 0):
        msg = f"running_var must be >= 0, got min {running_var.min()}"
        raise ValueError(msg)
    if not epsilon > 0:
        msg = f"epsilon must be > 0, got {epsilon}"
        raise ValueError(msg)
    Z_norm = (Z - running_mean) / np.sqrt(running_var + epsilon)  # (n[l], m)
    return gamma * Z_norm + beta  # Z_tilde, (n[l], m)


def update_running_averages(
    running_mean: np.typing.NDArray[np.float64],
    running_var: np.typing.NDArray[np.float64],
    mu: np.typing.NDArray[np.float64],
    var: np.typing.NDArray[np.float64],
    momentum: float = 0.9,
    m: int | None = None,
) -> tuple[np.typing.NDArray[np.float64], np.typing.NDArray[np.float64]]:
    r"""Exponentially weighted averages of the mini-batch mean and variance.

    .. math::
        \begin{aligned}
        \mu_{run} &\leftarrow \rho \, \mu_{run}
            + (1 - \rho) \, \mu^{\{t\}} \\
        \sigma^2_{run} &\leftarrow \rho \, \sigma^2_{run}
            + (1 - \rho) \, \sigma^{2\{t\}}
            \qquad \Big(\text{or } (1 - \rho)\,
            \tfrac{m}{m - 1} \sigma^{2\{t\}} \text{ if m is given}\Big)
        \end{aligned}

    with :math:`\rho` = ``momentum``, :math:`\mu^{\{t\}}` = ``mu`` and
    :math:`\sigma^{2\{t\}}` = ``var`` of mini-batch t (``cache["mu"]`` and
    ``cache["var"]`` of :func:`batchnorm_forward`).  This is the course's
    exponentially weighted average :math:`v \leftarrow \beta v +
    (1 - \beta)\theta` without bias correction; its :math:`\beta` is
    written :math:`\rho` here because batch norm's ``beta`` is the shift,
    a different thing.  Start from ``running_mean = 0`` and
    ``running_var = 1``, as PyTorch does, and use the result in
    :func:`batchnorm_inference`.

    By default the biased batch variance (divide by m) is averaged: the one
    the course normalizes with.  PyTorch's ``BatchNorm1d`` differs in two
    ways: its ``momentum`` is ``1 - momentum`` (torch's default 0.1 is our
    0.9), and its ``running_var`` averages the *unbiased* variance
    :math:`\frac{m}{m-1}\sigma^{2\{t\}}`.  Pass the batch size ``m`` to
    average the unbiased variance and reproduce PyTorch exactly.

    Parameters
    ----------
    running_mean : ndarray, shape (n[l], 1)
        Current estimate of the mean.
    running_var : ndarray, shape (n[l], 1)
        Current estimate of the variance, >= 0.
    mu : ndarray, shape (n[l], 1)
        Mean of the current mini-batch (``cache["mu"]``).
    var : ndarray, shape (n[l], 1)
        Biased variance of the current mini-batch (``cache["var"]``), >= 0.
    momentum : float, default 0.9
        Weight of the old estimate, in [0, 1).  PyTorch's momentum is
        ``1 - momentum``.
    m : int or None, default None
        Mini-batch size (>= 2).  If given, ``var`` is rescaled by
        ``m / (m - 1)`` to the unbiased variance first, as PyTorch does.

    Returns
    -------
    running_mean : ndarray, shape (n[l], 1)
    running_var : ndarray, shape (n[l], 1)

    Raises
    ------
    ValueError
        If shapes disagree, momentum is not in [0, 1), a variance is
        negative, m < 2 or an input contains NaN or inf.

    Examples
    --------
    >>> mean, var = np.zeros((1, 1)), np.ones((1, 1))
    >>> for mu_t in (2.0, 2.0, 2.0):
    ...     mean, var = update_running_averages(
    ...         mean, var, np.array([[mu_t]]), np.array([[3.0]]))
    >>> print(np.round(mean, 4), np.round(var, 4))
    [[0.542]] [[1.542]]
    >>> _, var = update_running_averages(np.zeros((1, 1)), np.ones((1, 1)),
    ...     np.zeros((1, 1)), np.array([[3.0]]), momentum=0.9, m=4)
    >>> print(np.round(var, 4))  # 0.9 * 1 + 0.1 * 3 * 4 / 3
    [[1.3]]
    """
    running_mean = np.asarray(running_mean, dtype=np.float64)
    running_var = np.asarray(running_var, dtype=np.float64)
    mu = np.asarray(mu, dtype=np.float64)
    var = np.asarray(var, dtype=np.float64)
    if running_mean.ndim != 2 or running_mean.shape[1] != 1:
        msg = f"running_mean must be (n[l], 1), got {running_mean.shape}"
        raise ValueError(msg)
    for name, a in (("running_var", running_var), ("mu", mu), ("var", var)):
        if a.shape != running_mean.shape:
            msg = (
                f"{name} shape {a.shape} does not match running_mean "
                f"shape {running_mean.shape}"
            )
            raise ValueError(msg)
    for name, value in (
        ("running_mean", running_mean),
        ("running_var", running_var),
        ("mu", mu),
        ("var", var),
    ):
        if not np.isfinite(value).all():
            msg = f"{name} contains NaN or inf"
            raise ValueError(msg)
    if np.any(running_var < 0) or np.any(var < 0):
        msg = "running_var and var must be >= 0"
        raise ValueError(msg)
    if not 0 <= momentum < 1:
        msg = f"momentum must be in [0, 1), got {momentum}"
        raise ValueError(msg)
    if m is not None and m < 2:
        msg = f"m must be >= 2 for the unbiased variance, got {m}"
        raise ValueError(msg)
    if m is not None:
        var = var * m / (m - 1)  # unbiased, as PyTorch's running_var
    running_mean = momentum * running_mean + (1 - momentum) * mu
    running_var = momentum * running_var + (1 - momentum) * var
    return running_mean, running_var
