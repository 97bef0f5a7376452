"""Optimizers: gradient descent, momentum, RMSprop, Adam, learning-rate decay.

Each update acts on one parameter array (a weight ``W[l]`` or a bias
``b[l]``, any shape) and returns new arrays: call it once per entry of the
parameters dict, passing the optimizer state (``v``, ``s``) in and out.
"""

from __future__ import annotations

import numpy as np


def gd_update(
    W: np.typing.ArrayLike, dW: np.typing.ArrayLike, learning_rate: float
) -> np.typing.NDArray[np.float64]:
    r"""Take one (mini-batch) gradient-descent step on a parameter array.

    .. math::

        W \leftarrow W - \alpha \, dW

    where :math:`\alpha` is ``learning_rate``. The same update applies to
    a bias: pass ``b`` and ``db``.

    Parameters
    ----------
    W : array_like, shape (n[l], n[l-1]), or (n[l], 1) for a bias
        The parameter to update (any shape).
    dW : array_like, same shape as W
        Gradient of the cost with respect to ``W``; must be finite.
    learning_rate : float
        The step size :math:`\alpha`, finite and > 0.

    Returns
    -------
    W : ndarray, same shape as W
        The updated parameter, a new array.

    Raises
    ------
    ValueError
        If the shapes differ, ``dW`` contains NaN or inf, or
        ``learning_rate`` is not a finite positive number.

    Notes
    -----
    ``dW``, the new data of each step, is scanned for NaN and inf; ``W`` is
    not, to keep the training step fast: the update is elementwise, so a
    NaN or inf in ``W`` comes out in the same entries of the returned
    ``W``, where ``forward_propagation`` and ``predict`` refuse it.

    Examples
    --------
    >>> W = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> dW = np.array([[0.5, -0.5], [1.0, 0.0]])
    >>> print(gd_update(W, dW, learning_rate=0.1))
    [[0.95 2.05]
     [2.9  4.  ]]
    """
    W, dW = np.asarray(W, dtype=np.float64), np.asarray(dW, dtype=np.float64)
    if dW.shape != W.shape:
        msg = f"dW shape {dW.shape} does not match W shape {W.shape}"
        raise ValueError(msg)
    if not np.isfinite(dW).all():
        msg = "dW contains NaN or inf"
        raise ValueError(msg)
    if not 0 < learning_rate < np.inf:
        msg = f"learning_rate must be > 0 and finite, got {learning_rate}"
        raise ValueError(msg)
    return W - learning_rate * dW


def momentum_update(
    W: np.typing.ArrayLike,
    dW: np.typing.ArrayLike,
    v: np.typing.ArrayLike,
    beta: float = 0.9,
    learning_rate: float = 0.01,
) -> tuple[np.typing.NDArray[np.float64], np.typing.NDArray[np.float64]]:
    r"""Take one step of gradient descent with momentum.

    .. math::

        v &\leftarrow \beta v + (1 - \beta) \, dW \\
        W &\leftarrow W - \alpha v

    where :math:`v` is ``v`` (the exponentially weighted average of the
    gradients, :math:`V_{dW}` in the notes), :math:`\beta` is ``beta``
    and :math:`\alpha` is ``learning_rate``. Start with ``v`` all zeros.

    Parameters
    ----------
    W : array_like, shape (n[l], n[l-1]), or (n[l], 1) for a bias
        The parameter to update (any shape).
    dW : array_like, same shape as W
        Gradient of the cost with respect to ``W``; must be finite.
    v : array_like, same shape as W
        Velocity from the previous step (zeros before the first step).
    beta : float, default 0.9
        Momentum, in [0, 1); ``beta = 0`` is plain gradient descent.
    learning_rate : float, default 0.01
        The step size :math:`\alpha`, finite and > 0.

    Returns
    -------
    W : ndarray, same shape as W
        The updated parameter, a new array.
    v : ndarray, same shape as W
        The updated velocity, to pass to the next step.

    Raises
    ------
    ValueError
        If a shape differs from ``W``'s, ``dW`` contains NaN or inf,
        ``beta`` is outside [0, 1) or ``learning_rate`` is not finite and
        positive.

    Notes
    -----
    This is the course's form, an average of the gradients. PyTorch's
    ``SGD(momentum=beta)`` keeps the sum :math:`v / (1 - \beta)` instead,
    so it matches with ``lr = learning_rate * (1 - beta)``.

    ``dW``, the new data of each step, is scanned for NaN and inf; ``W``
    and ``v``, the state a training loop passes back in, are not, to keep
    the step fast: the update is elementwise, so a NaN or inf in either
    comes out in the same entries of the returned ``W`` (NumPy may warn),
    where ``forward_propagation`` and ``predict`` refuse it.

    Examples
    --------
    >>> W, v = np.array([[1.0, 2.0]]), np.zeros((1, 2))
    >>> for dW in (np.array([[1.0, -1.0]]), np.array([[1.0, 1.0]])):
    ...     W, v = momentum_update(W, dW, v, beta=0.9, learning_rate=0.5)
    >>> print(np.round(v, 4), np.round(W, 4))
    [[0.19 0.01]] [[0.855 2.045]]
    """
    W, dW, v = (np.asarray(A, dtype=np.float64) for A in (W, dW, v))
    for name, A in (("dW", dW), ("v", v)):
        if A.shape != W.shape:
            msg = f"{name} shape {A.shape} does not match W shape {W.shape}"
            raise ValueError(msg)
    if not np.isfinite(dW).all():
        msg = "dW contains NaN or inf"
        raise ValueError(msg)
    if not 0 <= beta < 1:
        msg = f"beta must be in [0, 1), got {beta}"
        raise ValueError(msg)
    if not 0 < learning_rate < np.inf:
        msg = f"learning_rate must be > 0 and finite, got {learning_rate}"
        raise ValueError(msg)
    v = beta * v + (1 - beta) * dW  # average of past gradients, like W
    W = W - learning_rate * v
    return W, v


def rmsprop_update(
    W: np.typing.ArrayLike,
    dW: np.typing.ArrayLike,
    s: np.typing.ArrayLike,
    beta2: float = 0.999,
    learning_rate: float = 0.01,
    epsilon: float = 1e-8,
) -> tuple[np.typing.NDArray[np.float64], np.typing.NDArray[np.float64]]:
    r"""Take one RMSprop step (root mean square propagation).

    .. math::

        s &\leftarrow \beta_2 s + (1 - \beta_2) \, dW^2 \\
        W &\leftarrow W - \alpha \frac{dW}{\sqrt{s} + \epsilon}

    where :math:`dW^2` is squared element-wise, :math:`s` is ``s``
    (:math:`S_{dW}` in the notes), :math:`\beta_2` is ``beta2``,
    :math:`\alpha` is ``learning_rate`` and :math:`\epsilon` is
    ``epsilon``. Start with ``s`` all zeros.

    Parameters
    ----------
    W : array_like, shape (n[l], n[l-1]), or (n[l], 1) for a bias
        The parameter to update (any shape).
    dW : array_like, same shape as W
        Gradient of the cost with respect to ``W``; must be finite.
    s : array_like, same shape as W
        Running mean of ``dW**2`` from the previous step, >= 0 (zeros
        before the first step).
    beta2 : float, default 0.999
        Decay rate of the running mean, in [0, 1).
    learning_rate : float, default 0.01
        The step size :math:`\alpha`, finite and > 0.
    epsilon : float, default 1e-8
        Added to :math:`\sqrt{s}` (outside the root), finite and > 0.

    Returns
    -------
    W : ndarray, same shape as W
        The updated parameter, a new array.
    s : ndarray, same shape as W
        The updated running mean of ``dW**2``.

    Raises
    ------
    ValueError
        If a shape differs from ``W``'s, ``dW`` or ``s`` contains NaN or
        inf, ``s`` has a negative entry, ``beta2`` is outside [0, 1), or
        ``learning_rate`` or ``epsilon`` is not finite and positive.

    Notes
    -----
    ``dW`` and ``s`` are scanned for NaN and inf (an inf in ``s`` would
    freeze its entry for good, dW / inf being 0); ``W`` is not, to keep
    the training step fast: the update is elementwise in ``W``, so a NaN
    or inf there comes out in the same entries of the returned ``W``,
    where ``forward_propagation`` and ``predict`` refuse it.

    Note on the source: the notes divide by :math:`\sqrt{S_{dW}}` alone.
    Without :math:`\epsilon` an entry whose gradient has been zero so far
    (a dead ReLU unit, a padded input) gives 0/0 = nan. So
    :math:`\epsilon` is required, and must be > 0: with
    ``epsilon = 0`` that division by zero comes back. As in
    ``torch.optim.RMSprop``, :math:`\epsilon` sits outside the square
    root.

    Examples
    --------
    >>> W, s = np.array([[1.0, 2.0]]), np.zeros((1, 2))
    >>> dW = np.array([[0.5, -2.0]])
    >>> W, s = rmsprop_update(W, dW, s, beta2=0.9, learning_rate=0.1)
    >>> print(np.round(s, 4), np.round(W, 4))
    [[0.025 0.4  ]] [[0.6838 2.3162]]
    """
    W, dW, s = (np.asarray(A, dtype=np.float64) for A in (W, dW, s))
    for name, A in (("dW", dW), ("s", s)):
        if A.shape != W.shape:
            msg = f"{name} shape {A.shape} does not match W shape {W.shape}"
            raise ValueError(msg)
    if not np.isfinite(dW).all():
        msg = "dW contains NaN or inf"
        raise ValueError(msg)
    if s.size and not 0 <= s.min() <= s.max() < np.inf:  # NaN fails too
        msg = f"s must be >= 0, no NaN or inf: min {s.min()}, max {s.max()}"
        raise ValueError(msg)
    if not 0 <= beta2 < 1:
        msg = f"beta2 must be in [0, 1), got {beta2}"
        raise ValueError(msg)
    for name, x in (("learning_rate", learning_rate), ("epsilon", epsilon)):
        if not 0 < x < np.inf:
            msg = f"{name} must be > 0 and finite, got {x}"
            raise ValueError(msg)
    s = beta2 * s + (1 - beta2) * np.square(dW)  # element-wise square
    W = W - learning_rate * dW / (np.sqrt(s) + epsilon)
    return W, s


def adam_update(
    W: np.typing.ArrayLike,
    dW: np.typing.ArrayLike,
    v: np.typing.ArrayLike,
    s: np.typing.ArrayLike,
    t: int,
    learning_rate: float = 0.01,
    beta1: float = 0.9,
    beta2: float = 0.999,
    epsilon: float = 1e-8,
) -> tuple[
    np.typing.NDArray[np.float64],
    np.typing.NDArray[np.float64],
    np.typing.NDArray[np.float64],
]:
    r"""Take one Adam step (adaptive moment estimation).

    .. math::

        v &\leftarrow \beta_1 v + (1 - \beta_1) \, dW \\
        s &\leftarrow \beta_2 s + (1 - \beta_2) \, dW^2 \\
        v^{corrected} &= v / (1 - \beta_1^t) \\
        s^{corrected} &= s / (1 - \beta_2^t) \\
        W &\leftarrow W - \alpha
            \frac{v^{corrected}}{\sqrt{s^{corrected}} + \epsilon}

    where :math:`dW^2` is squared element-wise, :math:`v, s` are ``v, s``
    (:math:`V_{dW}, S_{dW}` in the notes), :math:`t` is ``t``,
    :math:`\alpha` is ``learning_rate``, :math:`\beta_1, \beta_2` are
    ``beta1, beta2`` and :math:`\epsilon` is ``epsilon``.

    Parameters
    ----------
    W : array_like, shape (n[l], n[l-1]), or (n[l], 1) for a bias
        The parameter to update (any shape).
    dW : array_like, same shape as W
        Gradient of the cost with respect to ``W``; must be finite.
    v : array_like, same shape as W
        First moment (average of ``dW``), zeros before the first step.
    s : array_like, same shape as W
        Second moment (average of ``dW**2``), >= 0, zeros at first.
    t : int
        Number of this step, counting from 1 (for the bias correction).
    learning_rate : float, default 0.01
        The step size :math:`\alpha`, finite and > 0.
    beta1, beta2 : float, default 0.9 and 0.999
        Decay rates of the two moments, each in [0, 1).
    epsilon : float, default 1e-8
        Added to :math:`\sqrt{s^{corrected}}`, finite and > 0.

    Returns
    -------
    W : ndarray, same shape as W
        The updated parameter, a new array.
    v, s : ndarray, same shape as W
        The updated moments, to pass to step ``t + 1``.

    Raises
    ------
    TypeError
        If ``t`` is not an int.
    ValueError
        If a shape differs from ``W``'s, ``dW`` or ``s`` contains NaN or
        inf, ``s`` has a negative entry, ``t < 1``, a beta is outside
        [0, 1), or ``learning_rate`` or ``epsilon`` is not finite and
        positive.

    Notes
    -----
    ``dW`` and ``s`` are scanned for NaN and inf (an inf in ``s`` would
    freeze its entry for good, v / inf being 0).  ``W`` and ``v``, the
    state a training loop passes back in, are not, to keep the step fast:
    the update is elementwise, so a NaN or inf in either comes out in the
    same entries of the returned ``W`` (NumPy may warn), where
    ``forward_propagation`` and ``predict`` refuse it.

    Note on the source: the notes write :math:`\lambda` for the step
    size; it is the learning rate :math:`\alpha` (:math:`\lambda` is the
    L2 strength). :math:`\epsilon` must be > 0: an entry whose gradient
    has been zero so far would give 0/0. On the first step the update is
    :math:`\alpha \, dW / (|dW| + \epsilon)`, about :math:`\alpha` per
    entry, whatever the scale of the gradient.

    Examples
    --------
    >>> W, v, s = np.array([[1.0, 2.0]]), np.zeros((1, 2)), np.zeros((1, 2))
    >>> dW = np.array([[0.5, -20.0]])
    >>> W, v, s = adam_update(W, dW, v, s, t=1, learning_rate=0.1)
    >>> print(np.round(W, 4))
    [[0.9 2.1]]
    """
    W, dW, v, s = (np.asarray(A, dtype=np.float64) for A in (W, dW, v, s))
    for name, A in (("dW", dW), ("v", v), ("s", s)):
        if A.shape != W.shape:
            msg = f"{name} shape {A.shape} does not match W shape {W.shape}"
            raise ValueError(msg)
    if not np.isfinite(dW).all():
        msg = "dW contains NaN or inf"
        raise ValueError(msg)
    if s.size and not 0 <= s.min() <= s.max() < np.inf:  # NaN fails too
        msg = f"s must be >= 0, no NaN or inf: min {s.min()}, max {s.max()}"
        raise ValueError(msg)
    if isinstance(t, bool) or not isinstance(t, int | np.integer):
        msg = f"t must be an int, got {t!r}"
        raise TypeError(msg)
    if t < 1:
        msg = f"t must be >= 1 (steps count from 1), got {t}"
        raise ValueError(msg)
    for name, beta in (("beta1", beta1), ("beta2", beta2)):
        if not 0 <= beta < 1:
            msg = f"{name} must be in [0, 1), got {beta}"
            raise ValueError(msg)
    for name, x in (("learning_rate", learning_rate), ("epsilon", epsilon)):
        if not 0 < x < np.inf:
            msg = f"{name} must be > 0 and finite, got {x}"
            raise ValueError(msg)
    v = beta1 * v + (1 - beta1) * dW  # first moment, like W
    s = beta2 * s + (1 - beta2) * np.square(dW)  # second moment
    v_corrected = v / (1 - beta1**t)  # bias corrections: scalar divisors
    s_corrected = s / (1 - beta2**t)
    W = W - learning_rate * v_corrected / (np.sqrt(s_corrected) + epsilon)
    return W, v, s


def exponentially_weighted_average(
    theta: np.typing.ArrayLike, beta: float, bias_correction: bool = False
) -> np.typing.NDArray[np.float64]:
    r"""Exponentially weighted (moving) average of a sequence.

    .. math::

        v_0 &= 0 \\
        v_t &= \beta v_{t-1} + (1 - \beta) \, \theta_t,
            \qquad t = 1, \dots, T \\
        v_t^{corrected} &= \frac{v_t}{1 - \beta^t}

    where :math:`\theta_t` is ``theta[t - 1]`` and :math:`\beta` is
    ``beta``. Unrolled, :math:`v_t = (1 - \beta) \sum_{i=1}^{t}
    \beta^{t-i} \theta_i`: it averages over roughly the last
    :math:`1 / (1 - \beta)` values. The bias correction removes the pull
    towards :math:`v_0 = 0` in the first steps.

    Parameters
    ----------
    theta : array_like, shape (T,)
        The sequence (e.g. daily temperatures), finite.
    beta : float
        Weight of the past, in [0, 1).
    bias_correction : bool, default False
        Return :math:`v_t / (1 - \beta^t)` instead of :math:`v_t`.

    Returns
    -------
    v : ndarray, shape (T,)
        ``v[t - 1]`` is :math:`v_t` (or its corrected value).

    Raises
    ------
    ValueError
        If ``theta`` is not 1-D or contains NaN or inf, or ``beta`` is
        outside [0, 1).

    Examples
    --------
    >>> theta = np.array([10.0, 10.0, 10.0])
    >>> print(exponentially_weighted_average(theta, beta=0.5))
    [5.   7.5  8.75]
    >>> print(exponentially_weighted_average(theta, 0.5, bias_correction=True))
    [10. 10. 10.]
    """
    theta = np.asarray(theta, dtype=np.float64)
    if theta.ndim != 1:
        msg = f"theta must be 1-D, got shape {theta.shape}"
        raise ValueError(msg)
    if not np.isfinite(theta).all():
        msg = "theta contains NaN or inf"
        raise ValueError(msg)
    if not 0 <= beta < 1:
        msg = f"beta must be in [0, 1), got {beta}"
        raise ValueError(msg)
    v = np.empty_like(theta)  # (T,)
    v_t = 0.0
    for t, theta_t in enumerate(theta, start=1):
        v_t = beta * v_t + (1 - beta) * theta_t
        v[t - 1] = v_t / (1 - beta**t) if bias_correction else v_t
    return v


def learning_rate_decay(
    learning_rate0: float,
    epoch_num: int,
    decay_rate: float,
    time_interval: int = 1,
) -> float:
    r"""Inverse-time learning-rate decay, optionally in steps.

    .. math::

        \alpha = \frac{\alpha_0}{1 + r \lfloor e / T \rfloor}

    where :math:`\alpha_0` is ``learning_rate0``, :math:`r` is
    ``decay_rate``, :math:`e` is ``epoch_num`` and :math:`T` is
    ``time_interval``. With :math:`T = 1` this is the course's
    :math:`\alpha_0 / (1 + r e)`; a larger :math:`T` keeps :math:`\alpha`
    fixed for :math:`T` epochs between drops (a staircase).

    Parameters
    ----------
    learning_rate0 : float
        Initial learning rate :math:`\alpha_0`, finite and > 0.
    epoch_num : int
        Epoch number, >= 0 (``epoch_num = 0`` gives ``learning_rate0``).
    decay_rate : float
        Decay rate, finite and >= 0.
    time_interval : int, default 1
        Number of epochs between decreases, >= 1.

    Returns
    -------
    learning_rate : float
        The learning rate :math:`\alpha` for this epoch.

    Raises
    ------
    TypeError
        If ``epoch_num`` or ``time_interval`` is not an int.
    ValueError
        If a value is out of its range.

    Examples
    --------
    >>> print([learning_rate_decay(0.1, e, decay_rate=1.0) for e in range(4)])
    [0.1, 0.05, 0.0333..., 0.025]
    >>> learning_rate_decay(0.1, 250, decay_rate=1.0, time_interval=100)
    0.0333...
    """
    for name, n in (
        ("epoch_num", epoch_num),
        ("time_interval", time_interval),
    ):
        if isinstance(n, bool) or not isinstance(n, int | np.integer):
            msg = f"{name} must be an int, got {n!r}"
            raise TypeError(msg)
    if not 0 < learning_rate0 < np.inf:
        msg = f"learning_rate0 must be > 0 and finite, got {learning_rate0}"
        raise ValueError(msg)
    if epoch_num < 0:
        msg = f"epoch_num must be >= 0, got {epoch_num}"
        raise ValueError(msg)
    if not 0 <= decay_rate < np.inf:
        msg = f"decay_rate must be >= 0 and finite, got {decay_rate}"
        raise ValueError(msg)
    if time_interval < 1:
        msg = f"time_interval must be >= 1, got {time_interval}"
        raise ValueError(msg)
    return float(
        learning_rate0 / (1 + decay_rate * (epoch_num // time_interval))
    )


def exponential_decay(
    learning_rate0: float, epoch_num: int, decay_rate: float = 0.95
) -> float:
    r"""Exponential learning-rate decay.

    .. math::

        \alpha = r^{e} \, \alpha_0

    where :math:`\alpha_0` is ``learning_rate0``, :math:`r` is
    ``decay_rate`` (the course's example is 0.95) and :math:`e` is
    ``epoch_num``.

    Parameters
    ----------
    learning_rate0 : float
        Initial learning rate :math:`\alpha_0`, finite and > 0.
    epoch_num : int
        Epoch number, >= 0 (``epoch_num = 0`` gives ``learning_rate0``).
    decay_rate : float, default 0.95
        Factor applied once per epoch, in (0, 1].

    Returns
    -------
    learning_rate : float
        The learning rate :math:`\alpha` for this epoch.

    Raises
    ------
    TypeError
        If ``epoch_num`` is not an int.
    ValueError
        If a value is out of its range.

    Examples
    --------
    >>> print(round(exponential_decay(0.2, 2, decay_rate=0.5), 4))
    0.05
    >>> print(round(exponential_decay(0.2, 10), 4))
    0.1197
    """
    if isinstance(epoch_num, bool) or not isinstance(
        epoch_num, int | np.integer
    ):
        msg = f"epoch_num must be an int, got {epoch_num!r}"
        raise TypeError(msg)
    if not 0 < learning_rate0 < np.inf:
        msg = f"learning_rate0 must be > 0 and finite, got {learning_rate0}"
        raise ValueError(msg)
    if epoch_num < 0:
        msg = f"epoch_num must be >= 0, got {epoch_num}"
        raise ValueError(msg)
    if not 0 < decay_rate <= 1:
        msg = f"decay_rate must be in (0, 1], got {decay_rate}"
        raise ValueError(msg)
    return float(decay_rate**epoch_num * learning_rate0)


def inverse_sqrt_decay(
    learning_rate0: float, epoch_num: int, k: float = 1.0
) -> float:
    r"""Learning rate that decays like one over the square root of time.

    .. math::

        \alpha = \frac{k}{\sqrt{e}} \, \alpha_0

    where :math:`\alpha_0` is ``learning_rate0``, :math:`k` is ``k`` and
    :math:`e` is ``epoch_num``. Pass the mini-batch number :math:`t` as
    ``epoch_num`` for the course's :math:`k / \sqrt{t} \cdot \alpha_0`.

    Parameters
    ----------
    learning_rate0 : float
        Base learning rate :math:`\alpha_0`, finite and > 0.
    epoch_num : int
        Epoch (or mini-batch) number, counting from 1.
    k : float, default 1.0
        Constant, finite and > 0.

    Returns
    -------
    learning_rate : float
        The learning rate :math:`\alpha` for this epoch.

    Raises
    ------
    TypeError
        If ``epoch_num`` is not an int.
    ValueError
        If a value is out of its range (``epoch_num = 0`` would divide by
        zero).

    Examples
    --------
    >>> print([round(inverse_sqrt_decay(0.1, e), 4) for e in (1, 4, 100)])
    [0.1, 0.05, 0.01]
    """
    if isinstance(epoch_num, bool) or not isinstance(
        epoch_num, int | np.integer
    ):
        msg = f"epoch_num must be an int, got {epoch_num!r}"
        raise TypeError(msg)
    if epoch_num < 1:
        msg = f"epoch_num must be >= 1 (counts from 1), got {epoch_num}"
        raise ValueError(msg)
    for name, x in (("learning_rate0", learning_rate0), ("k", k)):
        if not 0 < x < np.inf:
            msg = f"{name} must be > 0 and finite, got {x}"
            raise ValueError(msg)
    return float(k / np.sqrt(epoch_num) * learning_rate0)
