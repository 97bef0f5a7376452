r"""A network with batch norm: [LINEAR->BN->RELU]x(L-1) -> LINEAR -> SIGMOID.

The network of :mod:`dnnref.network` with batch norm on every hidden layer.
Like :mod:`dnnref.training`, this is a composite module: its functions call
the public functions of the other modules by name (``batchnorm_forward``,
``batchnorm_backward``, ``dropout_forward``, ...), so a reader who copies
one copies those functions with it.  :func:`dnnref.training.model` trains
this network with ``batch_norm=True``.

The parameters dict
    A hidden layer computes :math:`Z^{[l]} = W^{[l]} A^{[l-1]}` *without* a
    bias: batch norm subtracts the mean of :math:`Z^{[l]}`, so a
    :math:`b^{[l]}` would cancel and get a zero gradient; the shift
    :math:`\beta^{[l]}` takes its place.  The dict holds, for a
    hidden layer l, ``"W<l>"``, ``"gamma<l>"`` and ``"beta<l>"`` (batch
    norm's scale :math:`\gamma^{[l]}` and shift :math:`\beta^{[l]}`, shape
    (n[l], 1)), and the test-time statistics ``"running_mean<l>"`` and
    ``"running_var<l>"`` (not trained: no gradient, updated by
    :func:`update_bn_averages`); the output layer has ``"W<L>"`` and
    ``"b<L>"``.  So ``parameters["beta1"]`` is the *shift of layer 1*; it
    has nothing to do with the ``beta1`` argument of Adam (the decay rate
    of the first moment), nor with the ``beta`` of momentum.  Gradients are
    ``"dW<l>"``, ``"dgamma<l>"``, ``"dbeta<l>"`` and ``"db<L>"``.

Caches
    ``forward_propagation_bn`` returns one tuple per layer:
    ``(A_prev, W, Z_tilde, bn_cache, D)`` for a hidden layer (``bn_cache``
    from ``batchnorm_forward``, ``None`` at test time; ``D`` the dropout
    mask or ``None``) and ``(A_prev, W, Z, None, None)`` for layer L.
"""

from __future__ import annotations

import numpy as np

from dnnref.batchnorm import (
    batchnorm_backward,
    batchnorm_forward,
    batchnorm_inference,
    update_running_averages,
)
from dnnref.initialization import initialize_parameters
from dnnref.regularization import dropout_backward, dropout_forward


def initialize_parameters_bn(
    layer_dims: list[int] | tuple[int, ...],
    method: str = "he",
    rng: np.random.Generator | np.random.RandomState | None = None,
) -> dict[str, np.typing.NDArray[np.float64]]:
    r"""Initialize [LINEAR->BN->RELU]x(L-1) -> LINEAR -> SIGMOID.

    .. math::
        W^{[l]} \text{ as in } \texttt{initialize\_parameters}, \quad
        \gamma^{[l]} \leftarrow 1, \quad \beta^{[l]} \leftarrow 0, \quad
        \mu_{run}^{[l]} \leftarrow 0, \quad \sigma^{2[l]}_{run} \leftarrow 1
        \quad (l < L), \qquad b^{[L]} \leftarrow 0

    The weights are those of ``initialize_parameters(layer_dims, method,
    rng)`` (the same draws, in the same order); the hidden layers' biases
    are dropped, since batch norm's shift :math:`\beta^{[l]}` replaces
    them.  ``gamma = 1, beta = 0`` start batch norm as a pure
    normalization; the running statistics start as PyTorch's do.

    Parameters
    ----------
    layer_dims : sequence of int
        ``[n_x, n[1], ..., n[L]]``.
    method : {"he", "zeros", "random", "xavier", "glorot"}
        Weight initialization, as in ``initialize_parameters``.
    rng : numpy.random.Generator or numpy.random.RandomState, optional
        Source of the draws; ``None`` means ``np.random.default_rng()``.

    Returns
    -------
    parameters : dict of ndarray
        For l < L: ``"W<l>"`` (n[l], n[l-1]), ``"gamma<l>"``, ``"beta<l>"``,
        ``"running_mean<l>"``, ``"running_var<l>"``, each (n[l], 1); then
        ``"W<L>"`` and ``"b<L>"``.  ``"beta<l>"`` is batch norm's shift,
        not a momentum or Adam hyperparameter.

    Examples
    --------
    >>> parameters = initialize_parameters_bn([3, 2, 1], "he",
    ...                                       np.random.default_rng(0))
    >>> print(list(parameters))
    ['W1', 'gamma1', 'beta1', 'running_mean1', 'running_var1', 'W2', 'b2']
    >>> print(parameters["gamma1"].ravel(), parameters["beta1"].ravel())
    [1. 1.] [0. 0.]
    >>> plain = initialize_parameters([3, 2, 1], "he",
    ...                               np.random.default_rng(0))
    >>> bool(np.array_equal(parameters["W2"], plain["W2"]))  # same draws
    True
    """
    weights = initialize_parameters(layer_dims, method, rng)
    L = len(layer_dims) - 1
    parameters = {}
    for layer in range(1, L):
        n = int(layer_dims[layer])
        parameters[f"W{layer}"] = weights[f"W{layer}"]  # (n[l], n[l-1])
        parameters[f"gamma{layer}"] = np.ones((n, 1))  # BN scale
        parameters[f"beta{layer}"] = np.zeros((n, 1))  # BN shift
        parameters[f"running_mean{layer}"] = np.zeros((n, 1))
        parameters[f"running_var{layer}"] = np.ones((n, 1))
    parameters[f"W{L}"] = weights[f"W{L}"]
    parameters[f"b{L}"] = weights[f"b{L}"]
    return parameters


@np.errstate(invalid="ignore", over="ignore")  # Z[l] is checked instead
def forward_propagation_bn(
    X: np.typing.ArrayLike,
    parameters: dict[str, np.typing.NDArray[np.float64]],
    keep_prob: float = 1.0,
    training: bool = True,
    rng: np.random.Generator | np.random.RandomState | None = None,
) -> tuple[
    np.typing.NDArray[np.float64],
    list[
        tuple[
            np.typing.NDArray[np.float64],
            np.typing.NDArray[np.float64],
            np.typing.NDArray[np.float64],
            dict[str, np.typing.NDArray[np.float64]] | None,
            np.typing.NDArray[np.bool_] | None,
        ]
    ],
]:
    r"""Forward pass of [LINEAR->BN->RELU]x(L-1) -> LINEAR -> SIGMOID.

    .. math::
        \begin{aligned}
        Z^{[l]} &= W^{[l]} A^{[l-1]}, \qquad A^{[0]} = X \\
        \tilde{Z}^{[l]} &= \gamma^{[l]} \odot
            \frac{Z^{[l]} - \mu^{[l]}}{\sqrt{\sigma^{2[l]} + \epsilon}}
            + \beta^{[l]}, \qquad
        A^{[l]} = \max(0, \tilde{Z}^{[l]}) \quad (l < L) \\
        A^{[L]} &= \sigma\left(W^{[L]} A^{[L-1]} + b^{[L]}\right)
        \end{aligned}

    In training (``training=True``) :math:`\mu^{[l]}, \sigma^{2[l]}` are
    the mean and biased variance of :math:`Z^{[l]}` over the m columns of
    the mini-batch (``batchnorm_forward``), and inverted dropout with
    ``keep_prob`` follows each hidden ReLU (masks drawn D1, D2, ... from
    ``rng``).  At test time (``training=False``) they are the running
    averages ``parameters["running_mean<l>"]``, ``["running_var<l>"]``
    (``batchnorm_inference``), so one example at a time works, and there is
    no dropout: ``keep_prob`` is ignored, as in PyTorch's ``eval()`` mode.

    A NaN or inf in ``X`` or in a parameter the pass reads raises a
    ValueError: ``X``, ``W<l>`` and ``b<L>`` as soon as they reach
    :math:`Z^{[l]}` (``NaN or inf in Z2: check X, W2``; NumPy's warnings
    about it are silenced), ``gamma<l>``, ``beta<l>`` (and, at test time,
    the running averages) in ``batchnorm_forward`` or
    ``batchnorm_inference``.

    Parameters
    ----------
    X : array_like, shape (n_x, m)
        Input, one example per column (m >= 2 in training).
    parameters : dict of ndarray
        From :func:`initialize_parameters_bn` (see the module docstring).
    keep_prob : float
        Probability of keeping a hidden unit, in (0, 1].
    training : bool
        Batch statistics (True) or running averages (False).
    rng : numpy.random.Generator or numpy.random.RandomState, optional
        Source of the dropout masks; ``None`` means
        ``np.random.default_rng()``.

    Returns
    -------
    AL : ndarray, shape (1, m)
        Output probabilities.
    caches : list of tuple
        ``caches[l - 1] = (A_prev, W, Z_tilde, bn_cache, D)`` for a hidden
        layer l (``bn_cache`` from ``batchnorm_forward``, ``None`` when
        ``training=False``; ``D`` the dropout mask or ``None``) and
        ``(A_prev, W, Z, None, None)`` for layer L.

    Examples
    --------
    >>> X = np.array([[1.0, 2.0, 3.0, 4.0], [0.0, 1.0, 0.0, 1.0]])
    >>> parameters = {"W1": np.array([[1.0, 0.0], [0.0, 1.0]]),
    ...               "gamma1": np.ones((2, 1)), "beta1": np.zeros((2, 1)),
    ...               "running_mean1": np.zeros((2, 1)),
    ...               "running_var1": np.ones((2, 1)),
    ...               "W2": np.array([[1.0, -1.0]]), "b2": np.zeros((1, 1))}
    >>> AL, caches = forward_propagation_bn(X, parameters)
    >>> print(np.round(caches[0][3]["Z_norm"], 4))  # mean 0, variance 1
    [[-1.3416 -0.4472  0.4472  1.3416]
     [-1.      1.     -1.      1.    ]]
    >>> print(np.round(AL, 4))
    [[0.5    0.2689 0.61   0.5846]]
    >>> AL, _ = forward_propagation_bn(X[:, :1], parameters, training=False)
    >>> print(np.round(AL, 4))  # one example, running averages
    [[0.7311]]
    """
    X = np.asarray(X, dtype=np.float64)
    L = sum(1 for k in parameters if k[:1] == "W" and k[1:].isdigit())
    needed = [
        f"{name}{layer}"
        for layer in range(1, L)
        for name in ("W", "gamma", "beta", "running_mean", "running_var")
    ]
    missing = [k for k in [*needed, f"W{L}", f"b{L}"] if k not in parameters]
    if X.ndim != 2 or L < 1 or missing:
        msg = (
            f"X must be 2-D (got shape {X.shape}) and parameters must hold"
            f" W1, gamma1, beta1, ...: missing {missing}"
        )
        raise ValueError(msg)
    if not 0 < keep_prob <= 1:
        msg = f"keep_prob must be in (0, 1], got {keep_prob}"
        raise ValueError(msg)
    if training and keep_prob < 1 and rng is None:
        rng = np.random.default_rng()
    caches: list[
        tuple[
            np.typing.NDArray[np.float64],
            np.typing.NDArray[np.float64],
            np.typing.NDArray[np.float64],
            dict[str, np.typing.NDArray[np.float64]] | None,
            np.typing.NDArray[np.bool_] | None,
        ]
    ] = []
    A = X
    for layer in range(1, L + 1):
        W = parameters[f"W{layer}"]
        if W.ndim != 2 or W.shape[1] != A.shape[0]:
            msg = f"W{layer} shape {W.shape} does not fit {A.shape[0]} rows"
            raise ValueError(msg)
        A_prev = A
        Z = W @ A_prev  # (n[l], m): no b[l] in a BN layer, beta shifts
        if layer == L:
            Z = Z + parameters[f"b{L}"]  # (1, m)
        if not np.isfinite(Z).all():  # a NaN or inf in X, W or b shows here
            and_b = f" and b{L}" if layer == L else ""
            msg = f"NaN or inf in Z{layer}: check X, W{layer}{and_b}"
            raise ValueError(msg)
        if layer == L:  # LINEAR -> SIGMOID
            E = np.exp(-np.abs(Z))  # in (0, 1]: never overflows
            A = np.where(Z >= 0, 1.0, E) / (1.0 + E)  # stable sigmoid
            caches.append((A_prev, W, Z, None, None))
            continue
        gamma, beta = parameters[f"gamma{layer}"], parameters[f"beta{layer}"]
        bn_cache, D = None, None
        if training:  # batch statistics
            Z_tilde, bn_cache = batchnorm_forward(Z, gamma, beta)
        else:  # running averages: any m, one example included
            Z_tilde = batchnorm_inference(
                Z,
                gamma,
                beta,
                parameters[f"running_mean{layer}"],
                parameters[f"running_var{layer}"],
            )
        A = np.maximum(Z_tilde, 0.0)  # ReLU, (n[l], m)
        if training and keep_prob < 1:
            A, D = dropout_forward(A, keep_prob, rng)
        caches.append((A_prev, W, Z_tilde, bn_cache, D))
    return A, caches


def backward_propagation_bn(
    AL: np.typing.ArrayLike,
    Y: np.typing.ArrayLike,
    caches: list[
        tuple[
            np.typing.NDArray[np.float64],
            np.typing.NDArray[np.float64],
            np.typing.NDArray[np.float64],
            dict[str, np.typing.NDArray[np.float64]] | None,
            np.typing.NDArray[np.bool_] | None,
        ]
    ],
    lambd: float = 0.0,
    keep_prob: float = 1.0,
) -> dict[str, np.typing.NDArray[np.float64]]:
    r"""Gradients of the cost for [LINEAR->BN->RELU]x(L-1)->LINEAR->SIGMOID.

    .. math::
        \begin{aligned}
        dZ^{[L]} &= \tfrac{1}{m} (A^{[L]} - Y), \qquad
        db^{[L]} = \textstyle\sum_i dZ^{[L](i)} \\
        dW^{[l]} &= dZ^{[l]} A^{[l-1]T} + \tfrac{\lambda}{m} W^{[l]},
        \qquad dA^{[l-1]} = W^{[l]T} dZ^{[l]}
            \quad (\text{then dropout's } D^{[l-1]} / p) \\
        d\tilde{Z}^{[l]} &= dA^{[l]} \odot \mathbb{1}[\tilde{Z}^{[l]} > 0],
        \qquad dZ^{[l]}, d\gamma^{[l]}, d\beta^{[l]} =
        \texttt{batchnorm\_backward}(d\tilde{Z}^{[l]})
        \end{aligned}

    Here every :math:`dZ` is the gradient of the cost :math:`J` itself,
    with the :math:`\frac{1}{m}` of the mean already in
    :math:`dZ^{[L]}` (the course's ``dZ = AL - Y`` is m times it): batch
    norm couples the examples of a mini-batch, and ``batchnorm_backward``
    takes and returns gradients of :math:`J`.  :math:`\lambda` = ``lambd``
    (the L2 penalty of ``compute_cost``, on the W's only) and :math:`p` =
    ``keep_prob``.

    ``AL`` and ``Y`` are scanned for NaN and inf.  ``caches`` is not, to
    keep the training step fast (it holds ``X``):
    :func:`forward_propagation_bn` built it from values it checked.  A NaN
    or inf put in by hand reaches the gradients (NumPy may warn), which
    the optimizer updates refuse.

    Parameters
    ----------
    AL : array_like, shape (1, m)
        Output of :func:`forward_propagation_bn` in training mode.
    Y : array_like, shape (1, m)
        Labels.
    caches : list of tuple
        The caches of that forward pass.
    lambd : float
        L2 strength, >= 0.
    keep_prob : float
        The ``keep_prob`` of the forward pass, in (0, 1].

    Returns
    -------
    grads : dict of ndarray
        ``"dW<l>"``, ``"dgamma<l>"``, ``"dbeta<l>"`` for l < L; ``"dW<L>"``,
        ``"db<L>"``: each of its parameter's shape.

    Examples
    --------
    >>> X = np.array([[1.0, 2.0, 3.0, 4.0], [0.0, 1.0, 0.0, 1.0]])
    >>> Y = np.array([[0.0, 0.0, 1.0, 1.0]])
    >>> W1, gamma1, beta1 = np.eye(2), np.ones((2, 1)), np.zeros((2, 1))
    >>> Z1 = W1 @ X  # the forward pass by hand, in the caches' layout
    >>> std_inv = 1 / np.sqrt(Z1.var(axis=1, keepdims=True) + 1e-8)
    >>> Z_norm = (Z1 - Z1.mean(axis=1, keepdims=True)) * std_inv
    >>> Z_tilde = gamma1 * Z_norm + beta1
    >>> A1 = np.maximum(Z_tilde, 0)
    >>> W2, b2 = np.array([[1.0, -1.0]]), np.zeros((1, 1))
    >>> Z2 = W2 @ A1 + b2
    >>> AL = 1 / (1 + np.exp(-Z2))
    >>> bn_cache = {"Z_norm": Z_norm, "std_inv": std_inv, "gamma": gamma1}
    >>> caches = [(X, W1, Z_tilde, bn_cache, None), (A1, W2, Z2, None, None)]
    >>> grads = backward_propagation_bn(AL, Y, caches)
    >>> print(sorted(grads))
    ['dW1', 'dW2', 'db2', 'dbeta1', 'dgamma1']
    >>> print(np.round(grads["dgamma1"].ravel(), 4))
    [-0.1829  0.0366]
    """
    AL = np.asarray(AL, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    if AL.ndim != 2 or AL.shape != Y.shape:
        msg = f"AL shape {AL.shape} does not match Y shape {Y.shape}"
        raise ValueError(msg)
    for name, value in (("AL", AL), ("Y", Y)):
        if not np.isfinite(value).all():
            msg = f"{name} contains NaN or inf"
            raise ValueError(msg)
    if not (np.isfinite(lambd) and lambd >= 0):
        msg = f"lambd must be finite and >= 0, got {lambd}"
        raise ValueError(msg)
    if not 0 < keep_prob <= 1:
        msg = f"keep_prob must be in (0, 1], got {keep_prob}"
        raise ValueError(msg)
    if any(cache[3] is None for cache in caches[:-1]):
        msg = "caches come from training=False: no batch statistics to use"
        raise ValueError(msg)
    m, L = Y.shape[1], len(caches)
    grads = {}
    dZ = (AL - Y) / m  # (1, m): dJ/dZ[L], the 1/m of the mean included
    grads[f"db{L}"] = np.sum(dZ, axis=1, keepdims=True)
    for layer in range(L, 0, -1):
        A_prev, W, _, bn_cache, _ = caches[layer - 1]
        if layer < L and bn_cache is not None:  # dZ holds dJ/dZ_tilde
            dZ, dgamma, dbeta = batchnorm_backward(dZ, bn_cache)
            grads[f"dgamma{layer}"], grads[f"dbeta{layer}"] = dgamma, dbeta
        grads[f"dW{layer}"] = dZ @ A_prev.T + lambd / m * W  # (n[l], n[l-1])
        if layer > 1:
            dA = W.T @ dZ  # (n[l-1], m)
            _, _, Z_tilde_prev, _, D_prev = caches[layer - 2]
            if D_prev is not None:
                dA = dropout_backward(dA, D_prev, keep_prob)
            dZ = np.where(Z_tilde_prev > 0, dA, 0.0)  # ReLU backward
    return grads


def update_bn_averages(
    parameters: dict[str, np.typing.NDArray[np.float64]],
    caches: list[
        tuple[
            np.typing.NDArray[np.float64],
            np.typing.NDArray[np.float64],
            np.typing.NDArray[np.float64],
            dict[str, np.typing.NDArray[np.float64]] | None,
            np.typing.NDArray[np.bool_] | None,
        ]
    ],
    momentum: float = 0.9,
) -> dict[str, np.typing.NDArray[np.float64]]:
    r"""Fold a mini-batch's statistics into batch norm's running averages.

    .. math::
        \mu_{run}^{[l]} \leftarrow \beta_m \mu_{run}^{[l]}
            + (1 - \beta_m) \mu^{[l]\{t\}}, \qquad
        \sigma^{2[l]}_{run} \leftarrow \beta_m \sigma^{2[l]}_{run}
            + (1 - \beta_m) \sigma^{2[l]\{t\}}

    for every hidden layer l, with :math:`\beta_m` = ``momentum`` and the
    batch mean and (biased) variance of :math:`Z^{[l]}` from the caches of
    a training-mode :func:`forward_propagation_bn`
    (``update_running_averages`` of ``dnnref.batchnorm``, which rejects a
    NaN or inf in the averages or the batch statistics).

    Parameters
    ----------
    parameters : dict of ndarray
        Holds ``"running_mean<l>"`` and ``"running_var<l>"``.
    caches : list of tuple
        From ``forward_propagation_bn(..., training=True)``.
    momentum : float
        Weight of the old average, in [0, 1).

    Returns
    -------
    parameters : dict of ndarray
        A new dict with the new running averages (other arrays shared).

    Examples
    --------
    >>> parameters = {"running_mean1": np.zeros((2, 1)),
    ...               "running_var1": np.ones((2, 1))}
    >>> bn_cache = {"mu": np.array([[2.0], [1.0]]),
    ...             "var": np.array([[1.0], [3.0]])}  # batchnorm_forward's
    >>> caches = [(None, None, None, bn_cache, None), (None,) * 5]
    >>> new = update_bn_averages(parameters, caches, momentum=0.9)
    >>> print(new["running_mean1"].ravel(), new["running_var1"].ravel())
    [0.2 0.1] [1.  1.2]
    """
    bn_caches = [c[3] for c in caches[:-1] if c[3] is not None]  # l < L
    if len(bn_caches) < len(caches[:-1]):
        msg = "caches come from training=False: no batch statistics to use"
        raise ValueError(msg)
    new = dict(parameters)
    for layer, bn_cache in enumerate(bn_caches, start=1):
        mean, var = f"running_mean{layer}", f"running_var{layer}"
        new[mean], new[var] = update_running_averages(
            parameters[mean],
            parameters[var],
            bn_cache["mu"],
            bn_cache["var"],
            momentum,
        )
    return new


def predict_bn(
    X: np.typing.ArrayLike,
    parameters: dict[str, np.typing.NDArray[np.float64]],
) -> np.typing.NDArray[np.float64]:
    r"""Predict 0/1 labels with a batch-norm network, at test time.

    .. math::
        \hat{y}^{(i)} = \mathbb{1}\left[a^{[L](i)} > 0.5\right]

    with :math:`a^{[L]}` from ``forward_propagation_bn(X, parameters,
    training=False)``: batch norm uses the running averages, so each
    example is predicted on its own (m = 1 works) and no dropout is
    applied.

    Parameters
    ----------
    X : array_like, shape (n_x, m)
        Input, m >= 1.
    parameters : dict of ndarray
        A trained batch-norm network (``model(..., batch_norm=True)``).

    Returns
    -------
    predictions : ndarray, shape (1, m)
        0.0 or 1.0 for each example.

    Examples
    --------
    >>> parameters = {"W1": np.eye(2), "gamma1": np.ones((2, 1)),
    ...               "beta1": np.zeros((2, 1)),
    ...               "running_mean1": np.zeros((2, 1)),
    ...               "running_var1": np.ones((2, 1)),
    ...               "W2": np.array([[1.0, -1.0]]), "b2": np.zeros((1, 1))}
    >>> print(predict_bn(np.array([[2.0], [0.5]]), parameters))
    [[1.]]
    """
    AL, _ = forward_propagation_bn(X, parameters, training=False)
    return (AL > 0.5).astype(np.float64)  # (1, m)
