r"""Two-parameter cost surfaces for drawing optimizer paths.

An ill-conditioned quadratic bowl has the long, narrow contours of the
course's figures: gradient descent zig-zags across the narrow direction
and crawls along the long one. Its Hessian is known exactly, so paths can
be checked against closed forms. The Rosenbrock function is a curved
valley, a harder, non-quadratic test.

Every cost takes a point ``W`` of shape (2,) or a grid of points of shape
(2, ...), e.g. ``np.stack(np.meshgrid(w0, w1))`` for a contour plot.
"""

from __future__ import annotations

import numpy as np


def elongated_quadratic(
    condition: float = 10.0, angle: float = 0.0
) -> np.typing.NDArray[np.float64]:
    r"""Hessian of an elongated bowl with a given condition number.

    .. math::

        H = R(\theta)
            \begin{pmatrix} 1 & 0 \\ 0 & \kappa \end{pmatrix}
            R(\theta)^\top, \qquad
        R(\theta) = \begin{pmatrix}
            \cos\theta & -\sin\theta \\ \sin\theta & \cos\theta
        \end{pmatrix}

    where :math:`\kappa` is ``condition`` and :math:`\theta` is ``angle``.
    The eigenvalues are :math:`\lambda_{min} = 1` (the long, flat
    direction) and :math:`\lambda_{max} = \kappa` (the narrow, steep one),
    so :math:`\kappa = \lambda_{max} / \lambda_{min}`. With ``angle = 0``
    the flat direction is the first coordinate (horizontal in a plot) and
    :math:`H` is diagonal.

    Parameters
    ----------
    condition : float, default 10.0
        Condition number :math:`\kappa`, finite and >= 1.
    angle : float, default 0.0
        Rotation :math:`\theta` of the axes of the bowl, in radians.

    Returns
    -------
    H : ndarray, shape (2, 2)
        Symmetric positive definite Hessian, for ``quadratic_cost``.

    Raises
    ------
    ValueError
        If ``condition`` is not finite and >= 1 or ``angle`` is not finite.

    Examples
    --------
    >>> print(elongated_quadratic(condition=10.0))
    [[ 1.  0.]
     [ 0. 10.]]
    >>> H = elongated_quadratic(condition=10.0, angle=np.pi / 4)
    >>> print(np.round(H, 4), np.round(np.linalg.eigvalsh(H), 4))
    [[ 5.5 -4.5]
     [-4.5  5.5]] [ 1. 10.]
    """
    if not 1 <= condition < np.inf:
        msg = f"condition must be >= 1 and finite, got {condition}"
        raise ValueError(msg)
    if not np.isfinite(angle):
        msg = f"angle must be finite, got {angle}"
        raise ValueError(msg)
    c, s = np.cos(angle), np.sin(angle)
    R = np.array([[c, -s], [s, c]])  # rotation, (2, 2)
    H: np.typing.NDArray[np.float64] = R @ np.diag([1.0, condition]) @ R.T
    return (H + H.T) / 2  # symmetric to the last bit


def quadratic_cost(
    W: np.typing.ArrayLike, H: np.typing.ArrayLike
) -> float | np.typing.NDArray[np.float64]:
    r"""Quadratic bowl cost, at one point or on a grid of points.

    .. math::

        J(W) = \tfrac{1}{2} W^\top H W
             = \tfrac{1}{2} \sum_{i, j} H_{ij} W_i W_j

    where :math:`W` is ``W`` and :math:`H` is ``H`` (symmetric), the
    Hessian. The minimum is :math:`J = 0` at :math:`W = 0` when :math:`H`
    is positive definite.

    Parameters
    ----------
    W : array_like, shape (n,) or (n, ...)
        One point, or points stacked along the first axis: (2, k) for k
        points, (2, ny, nx) for a grid from ``np.meshgrid``.
    H : array_like, shape (n, n)
        Symmetric matrix, finite (e.g. from ``elongated_quadratic``).

    Returns
    -------
    J : float or ndarray of shape W.shape[1:]
        The cost: a float for one point, else one value per point.

    Raises
    ------
    ValueError
        If ``H`` is not square and symmetric or contains NaN or inf, ``W``
        contains NaN or inf, or ``W.shape[0]`` does not match ``H``.

    Examples
    --------
    >>> H = np.array([[1.0, 0.0], [0.0, 10.0]])
    >>> quadratic_cost(np.array([2.0, 1.0]), H)
    7.0
    >>> w0, w1 = np.meshgrid(np.linspace(-1, 1, 3), np.linspace(0, 1, 2))
    >>> print(quadratic_cost(np.stack([w0, w1]), H))  # (ny, nx) grid
    [[0.5 0.  0.5]
     [5.5 5.  5.5]]
    """
    W, H = np.asarray(W, dtype=np.float64), np.asarray(H, dtype=np.float64)
    if H.ndim != 2 or H.shape[0] != H.shape[1]:
        msg = f"H must be a square matrix, got shape {H.shape}"
        raise ValueError(msg)
    if not np.isfinite(H).all() or not np.allclose(H, H.T):
        msg = "H must be symmetric, without NaN or inf"
        raise ValueError(msg)
    if W.ndim == 0 or W.shape[0] != H.shape[0]:
        msg = f"W shape {W.shape} does not match H shape {H.shape}"
        raise ValueError(msg)
    if not np.isfinite(W).all():
        msg = "W contains NaN or inf"
        raise ValueError(msg)
    HW = np.tensordot(H, W, axes=1)  # H @ W for every point, like W
    J = 0.5 * np.sum(W * HW, axis=0)  # W.shape[1:]
    return float(J) if W.ndim == 1 else J


def quadratic_gradient(
    W: np.typing.ArrayLike, H: np.typing.ArrayLike
) -> np.typing.NDArray[np.float64]:
    r"""Gradient of the quadratic bowl cost.

    .. math::

        \frac{\partial J}{\partial W} = H W,
        \qquad J(W) = \tfrac{1}{2} W^\top H W

    for a symmetric :math:`H` (``H``), at the point :math:`W` (``W``).

    Parameters
    ----------
    W : array_like, shape (n,) or (n, ...)
        One point, or points stacked along the first axis.
    H : array_like, shape (n, n)
        Symmetric matrix, finite.

    Returns
    -------
    dW : ndarray, same shape as W
        The gradient at each point.

    Raises
    ------
    ValueError
        If ``H`` is not square and symmetric or contains NaN or inf, ``W``
        contains NaN or inf, or ``W.shape[0]`` does not match ``H``.

    Examples
    --------
    >>> H = np.array([[1.0, 0.0], [0.0, 10.0]])
    >>> print(quadratic_gradient(np.array([2.0, 1.0]), H))
    [ 2. 10.]
    """
    W, H = np.asarray(W, dtype=np.float64), np.asarray(H, dtype=np.float64)
    if H.ndim != 2 or H.shape[0] != H.shape[1]:
        msg = f"H must be a square matrix, got shape {H.shape}"
        raise ValueError(msg)
    if not np.isfinite(H).all() or not np.allclose(H, H.T):
        msg = "H must be symmetric, without NaN or inf"
        raise ValueError(msg)
    if W.ndim == 0 or W.shape[0] != H.shape[0]:
        msg = f"W shape {W.shape} does not match H shape {H.shape}"
        raise ValueError(msg)
    if not np.isfinite(W).all():
        msg = "W contains NaN or inf"
        raise ValueError(msg)
    return np.tensordot(H, W, axes=1)  # H @ W for every point, like W


def rosenbrock_cost(
    W: np.typing.ArrayLike, a: float = 1.0, b: float = 100.0
) -> float | np.typing.NDArray[np.float64]:
    r"""Rosenbrock's banana-shaped valley, a non-quadratic test surface.

    .. math::

        J(W) = (a - W_0)^2 + b \, (W_1 - W_0^2)^2

    where :math:`W = (W_0, W_1)` is ``W`` and :math:`a, b` are ``a, b``
    (not a bias: these are Rosenbrock's constants). The minimum is
    :math:`J = 0` at :math:`W = (a, a^2)`, at the end of a long, curved,
    flat-bottomed valley.

    Parameters
    ----------
    W : array_like, shape (2,) or (2, ...)
        One point, or points stacked along the first axis.
    a : float, default 1.0
        Position of the minimum, finite.
    b : float, default 100.0
        Steepness of the valley walls, finite and > 0.

    Returns
    -------
    J : float or ndarray of shape W.shape[1:]
        The cost: a float for one point, else one value per point.

    Raises
    ------
    ValueError
        If ``W.shape[0] != 2``, ``W`` or ``a`` contains NaN or inf, or ``b``
        is not finite and positive.

    Examples
    --------
    >>> rosenbrock_cost(np.array([1.0, 1.0]))
    0.0
    >>> rosenbrock_cost(np.array([0.0, 1.0]))
    101.0
    """
    W = np.asarray(W, dtype=np.float64)
    if W.ndim == 0 or W.shape[0] != 2:
        msg = f"W must have shape (2,) or (2, ...), got {W.shape}"
        raise ValueError(msg)
    for name, value in (("W", W), ("a", a)):
        if not np.isfinite(value).all():
            msg = f"{name} contains NaN or inf"
            raise ValueError(msg)
    if not 0 < b < np.inf:
        msg = f"b must be > 0 and finite, got {b}"
        raise ValueError(msg)
    J = (a - W[0]) ** 2 + b * (W[1] - W[0] ** 2) ** 2  # W.shape[1:]
    return float(J) if W.ndim == 1 else J


def rosenbrock_gradient(
    W: np.typing.ArrayLike, a: float = 1.0, b: float = 100.0
) -> np.typing.NDArray[np.float64]:
    r"""Gradient of Rosenbrock's function.

    .. math::

        \frac{\partial J}{\partial W_0} &= 2 (W_0 - a)
            - 4 b \, W_0 (W_1 - W_0^2) \\
        \frac{\partial J}{\partial W_1} &= 2 b \, (W_1 - W_0^2)

    for :math:`J(W) = (a - W_0)^2 + b (W_1 - W_0^2)^2`, with
    :math:`W = (W_0, W_1)` = ``W`` and :math:`a, b` = ``a, b``.

    Parameters
    ----------
    W : array_like, shape (2,) or (2, ...)
        One point, or points stacked along the first axis.
    a : float, default 1.0
        Position of the minimum, finite.
    b : float, default 100.0
        Steepness of the valley walls, finite and > 0.

    Returns
    -------
    dW : ndarray, same shape as W
        The gradient at each point.

    Raises
    ------
    ValueError
        If ``W.shape[0] != 2``, ``W`` or ``a`` contains NaN or inf, or ``b``
        is not finite and positive.

    Examples
    --------
    >>> print(rosenbrock_gradient(np.array([1.0, 1.0])))
    [0. 0.]
    >>> print(rosenbrock_gradient(np.array([0.0, 1.0])))
    [ -2. 200.]
    """
    W = np.asarray(W, dtype=np.float64)
    if W.ndim == 0 or W.shape[0] != 2:
        msg = f"W must have shape (2,) or (2, ...), got {W.shape}"
        raise ValueError(msg)
    for name, value in (("W", W), ("a", a)):
        if not np.isfinite(value).all():
            msg = f"{name} contains NaN or inf"
            raise ValueError(msg)
    if not 0 < b < np.inf:
        msg = f"b must be > 0 and finite, got {b}"
        raise ValueError(msg)
    valley = W[1] - W[0] ** 2  # W.shape[1:]
    dW0 = 2 * (W[0] - a) - 4 * b * W[0] * valley
    dW1 = 2 * b * valley
    return np.stack([dW0, dW1])  # like W
