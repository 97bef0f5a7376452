r"""Training loops: the reference functions of the other modules, composed.

This is the package's one composite module: its functions call the public
functions of the other modules by name (``forward_propagation``,
``adam_update``, ``batchnorm_forward``, ...), so a reader who copies a loop
copies those functions with it.

Optimizer state
    ``initialize_optimizer_state(parameters, optimizer)`` returns ``{}``
    for ``"gd"``, ``{"v": ...}`` for ``"momentum"``, ``{"s": ...}`` for
    ``"rmsprop"`` and ``{"v": ..., "s": ...}`` for ``"adam"``; ``v`` and
    ``s`` are dicts of zeros keyed like the gradients (``"dW1"``,
    ``"db1"``, ...), as in the course's ``initialize_adam``.

Batch norm inside the network
    ``[LINEAR->BN->RELU]x(L-1) -> LINEAR -> SIGMOID``.  A hidden layer
    computes :math:`Z^{[l]} = W^{[l]} A^{[l-1]}` *without* a bias: batch
    norm subtracts the mean of :math:`Z^{[l]}`, so a :math:`b^{[l]}` would
    cancel and get a zero gradient; the shift :math:`\beta^{[l]}` takes its
    place.  The parameters dict of such a network holds, for a hidden layer
    l, ``"W<l>"``, ``"gamma<l>"`` and ``"beta<l>"`` (batch norm's scale
    :math:`\gamma^{[l]}` and shift :math:`\beta^{[l]}`, shape (n[l], 1)),
    and the test-time statistics ``"running_mean<l>"`` and
    ``"running_var<l>"`` (not trained: no gradient, updated by
    :func:`update_bn_averages`); the output layer has ``"W<L>"`` and
    ``"b<L>"``.  So ``parameters["beta1"]`` is the *shift of layer 1*; it
    has nothing to do with the ``beta1`` argument of Adam (the decay rate
    of the first moment), nor with the ``beta`` of momentum.  Gradients are
    ``"dW<l>"``, ``"dgamma<l>"``, ``"dbeta<l>"`` and ``"db<L>"``.

Costs
    ``model`` returns one cost per epoch: the average, weighted by
    mini-batch size, of the costs of the mini-batches of that epoch, each
    computed by ``compute_cost`` on the forward pass of that update (so
    before the update, with dropout when ``keep_prob < 1``).  For batch
    gradient descent it is the cost at the parameters of the start of the
    epoch.  ``record="iteration"`` returns the cost of every mini-batch
    instead: the noisy curve of mini-batch gradient descent.
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
from dnnref.minibatch import random_mini_batches
from dnnref.network import (
    backward_propagation,
    compute_cost,
    forward_propagation,
)
from dnnref.optimizers import (
    adam_update,
    gd_update,
    learning_rate_decay,
    momentum_update,
    rmsprop_update,
)
from dnnref.regularization import dropout_backward, dropout_forward


def initialize_optimizer_state(
    parameters: dict[str, np.typing.NDArray[np.float64]], optimizer: str = "gd"
) -> dict[str, dict[str, np.typing.NDArray[np.float64]]]:
    r"""Zero state of an optimizer: velocities v and/or squares s.

    .. math::
        v_{dW^{[l]}} \leftarrow 0, \quad s_{dW^{[l]}} \leftarrow 0
        \quad \text{(same shapes as } W^{[l]}\text{; likewise for }
        b, \gamma, \beta)

    ``"gd"`` keeps no state, ``"momentum"`` keeps :math:`v`, ``"rmsprop"``
    keeps :math:`s` and ``"adam"`` keeps both.  Keys ``"running_..."`` of
    ``parameters`` (batch norm's test-time statistics) are not trained and
    get no state.

    Parameters
    ----------
    parameters : dict of ndarray
        ``"W1"``, ``"b1"``, ... (and ``"gamma<l>"``, ``"beta<l>"``).
    optimizer : {"gd", "momentum", "rmsprop", "adam"}
        The update rule the state is for.

    Returns
    -------
    state : dict of dict of ndarray
        ``{}``, ``{"v": v}``, ``{"s": s}`` or ``{"v": v, "s": s}``, where
        ``v`` and ``s`` map ``"dW1"``, ``"db1"``, ... to zeros of the
        parameter's shape.

    Examples
    --------
    >>> parameters = {"W1": np.ones((2, 3)), "b1": np.ones((2, 1))}
    >>> state = initialize_optimizer_state(parameters, "adam")
    >>> print(sorted(state), sorted(state["v"]), state["s"]["dW1"].shape)
    ['s', 'v'] ['dW1', 'db1'] (2, 3)
    >>> initialize_optimizer_state(parameters, "gd")
    {}
    """
    valid = ("gd", "momentum", "rmsprop", "adam")
    if optimizer not in valid:
        msg = f"optimizer must be one of {valid}, got {optimizer!r}"
        raise ValueError(msg)
    trained = [k for k in parameters if not k.startswith("running_")]
    state = {}
    if optimizer in ("momentum", "adam"):
        state["v"] = {
            "d" + k: np.zeros(np.shape(parameters[k])) for k in trained
        }
    if optimizer in ("rmsprop", "adam"):
        state["s"] = {
            "d" + k: np.zeros(np.shape(parameters[k])) for k in trained
        }
    return state


def update_parameters(
    parameters: dict[str, np.typing.NDArray[np.float64]],
    grads: dict[str, np.typing.NDArray[np.float64]],
    state: dict[str, dict[str, np.typing.NDArray[np.float64]]],
    optimizer: str = "gd",
    t: int = 1,
    learning_rate: float = 0.01,
    beta: float = 0.9,
    beta1: float = 0.9,
    beta2: float = 0.999,
    epsilon: float = 1e-8,
) -> tuple[
    dict[str, np.typing.NDArray[np.float64]],
    dict[str, dict[str, np.typing.NDArray[np.float64]]],
]:
    r"""Take one optimizer step on each parameter: GD, momentum, RMSprop, Adam.

    For each trained parameter :math:`W` (``W<l>``, ``b<l>``, ``gamma<l>``,
    ``beta<l>``) with gradient :math:`dW` = ``grads["dW<l>"]``, ...:

    .. math::
        \begin{aligned}
        \text{gd:} \quad & W \leftarrow W - \alpha \, dW \\
        \text{momentum:} \quad & v \leftarrow \beta v + (1 - \beta) dW,
            \quad W \leftarrow W - \alpha v \\
        \text{rmsprop:} \quad & s \leftarrow \beta_2 s + (1 - \beta_2) dW^2,
            \quad W \leftarrow W - \alpha \frac{dW}{\sqrt{s} + \epsilon} \\
        \text{adam:} \quad & v \leftarrow \beta_1 v + (1 - \beta_1) dW,
            \quad s \leftarrow \beta_2 s + (1 - \beta_2) dW^2, \\
            & W \leftarrow W - \alpha
            \frac{v / (1 - \beta_1^t)}{\sqrt{s / (1 - \beta_2^t)} + \epsilon}
        \end{aligned}

    with :math:`\alpha` = ``learning_rate``, :math:`\beta` = ``beta``,
    :math:`\beta_1` = ``beta1``, :math:`\beta_2` = ``beta2``,
    :math:`\epsilon` = ``epsilon`` and :math:`t` = ``t`` (Adam's step
    count, from 1).  Each rule is the ``*_update`` function of
    ``dnnref.optimizers``, applied per array.  Keys ``"running_..."`` of
    ``parameters`` (batch norm statistics) are carried over unchanged.

    Parameters
    ----------
    parameters : dict of ndarray
        ``"W1"``, ``"b1"``, ...
    grads : dict of ndarray
        ``"dW1"``, ``"db1"``, ...: one gradient per trained parameter.
    state : dict of dict of ndarray
        From :func:`initialize_optimizer_state` (or the previous step).
    optimizer : {"gd", "momentum", "rmsprop", "adam"}
        Update rule.
    t : int
        Number of this update, >= 1 (used by Adam's bias correction).
    learning_rate : float
        :math:`\alpha`.
    beta : float
        Momentum's :math:`\beta`.
    beta1, beta2 : float
        Adam's decay rates; ``beta2`` is also RMSprop's.
    epsilon : float
        RMSprop's and Adam's :math:`\epsilon`.

    Returns
    -------
    parameters : dict of ndarray
        New arrays; the inputs are not modified.
    state : dict of dict of ndarray
        The new ``v`` and/or ``s``.

    Examples
    --------
    >>> parameters = {"W1": np.array([[1.0, -2.0]]), "b1": np.zeros((1, 1))}
    >>> grads = {"dW1": np.array([[0.5, -0.5]]), "db1": np.ones((1, 1))}
    >>> zeros = {"dW1": np.zeros((1, 2)), "db1": np.zeros((1, 1))}
    >>> state = {"v": zeros, "s": zeros}  # initialize_optimizer_state's
    >>> new, state = update_parameters(parameters, grads, state, "adam",
    ...                                t=1, learning_rate=0.1)
    >>> print(np.round(new["W1"], 6), np.round(new["b1"], 6))
    [[ 0.9 -1.9]] [[-0.1]]
    >>> print(np.round(state["v"]["dW1"], 6))
    [[ 0.05 -0.05]]
    """
    valid = ("gd", "momentum", "rmsprop", "adam")
    if optimizer not in valid:
        msg = f"optimizer must be one of {valid}, got {optimizer!r}"
        raise ValueError(msg)
    trained = [k for k in parameters if not k.startswith("running_")]
    if sorted("d" + k for k in trained) != sorted(grads):
        msg = f"grads keys {sorted(grads)} do not match parameters {trained}"
        raise ValueError(msg)
    needed = {  # the moments each rule keeps
        "gd": (),
        "momentum": ("v",),
        "rmsprop": ("s",),
        "adam": ("v", "s"),
    }[optimizer]
    if any(sorted(state.get(k, {})) != sorted(grads) for k in needed):
        msg = (
            f"state {sorted(state)} does not fit optimizer {optimizer!r}; "
            "make it with initialize_optimizer_state(parameters, optimizer)"
        )
        raise ValueError(msg)
    new = dict(parameters)  # running_... statistics carried over
    v, s = dict(state.get("v", {})), dict(state.get("s", {}))
    for key in trained:
        W, dW, d = parameters[key], grads["d" + key], "d" + key
        if optimizer == "gd":
            new[key] = gd_update(W, dW, learning_rate)
        elif optimizer == "momentum":
            new[key], v[d] = momentum_update(W, dW, v[d], beta, learning_rate)
        elif optimizer == "rmsprop":
            new[key], s[d] = rmsprop_update(
                W, dW, s[d], beta2, learning_rate, epsilon
            )
        else:
            new[key], v[d], s[d] = adam_update(
                W, dW, v[d], s[d], t, learning_rate, beta1, beta2, epsilon
            )
    return new, {k: {"v": v, "s": s}[k] for k in needed}


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
        if layer == L:  # LINEAR -> SIGMOID
            Z = Z + parameters[f"b{L}"]  # (1, m)
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
    (``update_running_averages`` of ``dnnref.batchnorm``).

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


def model(
    X: np.typing.ArrayLike,
    Y: np.typing.ArrayLike,
    layer_dims: list[int] | tuple[int, ...],
    optimizer: str = "gd",
    learning_rate: float = 0.0075,
    num_epochs: int = 1000,
    mini_batch_size: int | None = None,
    beta: float = 0.9,
    beta1: float = 0.9,
    beta2: float = 0.999,
    epsilon: float = 1e-8,
    lambd: float = 0.0,
    keep_prob: float = 1.0,
    decay_rate: float = 0.0,
    time_interval: int = 1,
    init: str = "he",
    batch_norm: bool = False,
    bn_momentum: float = 0.9,
    record: str = "epoch",
    rng: np.random.Generator | np.random.RandomState | None = None,
) -> tuple[
    dict[str, np.typing.NDArray[np.float64]], np.typing.NDArray[np.float64]
]:
    r"""Train an L-layer binary classifier with the techniques of the notes.

    For each epoch :math:`e = 0, 1, \dots`: set the learning rate
    :math:`\alpha_e` = ``learning_rate_decay(learning_rate, e, decay_rate,
    time_interval)``; split the data into mini-batches; for each mini-batch
    t (counted over all epochs from 1): forward pass, cost, backward pass,
    and the optimizer step

    .. math::
        W \leftarrow \text{update}(W, dW, \text{state}, t, \alpha_e)

    of :func:`update_parameters` on every parameter array.

    Randomness comes from ``rng`` only, in this order: the initial weights,
    then, each epoch, the permutation of the examples (when
    ``mini_batch_size`` is not None), then the dropout masks of each
    mini-batch.  With ``batch_norm=True`` the network is
    [LINEAR->BN->RELU]x(L-1)->LINEAR->SIGMOID
    (:func:`initialize_parameters_bn`, :func:`forward_propagation_bn`,
    :func:`backward_propagation_bn`) and the running averages for test
    time are updated after each forward pass (:func:`update_bn_averages`).

    Parameters
    ----------
    X : array_like, shape (n_x, m)
        Training inputs, one example per column.
    Y : array_like, shape (1, m)
        Labels 0/1.
    layer_dims : sequence of int
        ``[n_x, n[1], ..., n[L-1], 1]``.
    optimizer : {"gd", "momentum", "rmsprop", "adam"}
        Update rule.
    learning_rate : float
        :math:`\alpha_0`.
    num_epochs : int
        Passes over the training set, >= 1.
    mini_batch_size : int or None
        ``None``: batch gradient descent (all m examples, not shuffled);
        ``1``: stochastic gradient descent (m updates per epoch); otherwise
        shuffled mini-batches of this size (the last one may be smaller).
    beta : float
        Momentum's :math:`\beta`.
    beta1, beta2, epsilon : float
        Adam's hyperparameters (``beta2`` and ``epsilon`` also RMSprop's).
    lambd : float
        L2 regularization strength (weight decay), >= 0.
    keep_prob : float
        Dropout keep probability of the hidden units, in (0, 1].
    decay_rate : float
        Learning-rate decay; 0 keeps :math:`\alpha` fixed.
    time_interval : int
        Epochs between two decays.
    init : {"he", "zeros", "random", "xavier", "glorot"}
        Weight initialization.
    batch_norm : bool
        Batch-normalize the hidden layers' Z (needs mini-batches of >= 2).
    bn_momentum : float
        Weight of the old value in batch norm's running averages.
    record : {"epoch", "iteration"}
        One cost per epoch (mini-batch-size-weighted mean of that epoch's
        mini-batch costs) or one per mini-batch.
    rng : numpy.random.Generator or numpy.random.RandomState, optional
        The one source of randomness; ``None`` means
        ``np.random.default_rng()``.

    Returns
    -------
    parameters : dict of ndarray
        The trained parameters (with ``gamma<l>``, ``beta<l>`` and the
        running averages when ``batch_norm``).
    costs : ndarray, shape (num_epochs,) or (number of updates,)
        Training cost per epoch, or per mini-batch with
        ``record="iteration"``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((2, 200))
    >>> Y = (X[0:1] * X[1:2] > 0).astype(float)  # XOR-like quadrants
    >>> parameters, costs = model(X, Y, [2, 16, 8, 1], optimizer="adam",
    ...     learning_rate=0.01, num_epochs=40, mini_batch_size=32, rng=rng)
    >>> print(costs.shape, bool(costs[-1] < 0.5 * costs[0]))
    (40,) True
    >>> _, costs = model(X, Y, [2, 8, 1], num_epochs=3, mini_batch_size=64,
    ...                  batch_norm=True, record="iteration", rng=rng)
    >>> print(costs.shape)  # 4 mini-batches (64, 64, 64, 8) x 3 epochs
    (12,)
    """
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    valid = ("gd", "momentum", "rmsprop", "adam")
    if optimizer not in valid:
        msg = f"optimizer must be one of {valid}, got {optimizer!r}"
        raise ValueError(msg)
    if X.ndim != 2 or Y.shape != (1, X.shape[1]) or X.shape[1] < 1:
        msg = f"X shape {X.shape} and Y shape {Y.shape}: need (n_x, m), (1, m)"
        raise ValueError(msg)
    if (
        len(layer_dims) < 2
        or layer_dims[0] != X.shape[0]
        or layer_dims[-1] != 1
    ):
        msg = (
            f"layer_dims {layer_dims!r} must run from n_x = {X.shape[0]} to 1"
        )
        raise ValueError(msg)
    m = X.shape[1]
    size = m if mini_batch_size is None else mini_batch_size
    for name, n in (("num_epochs", num_epochs), ("mini_batch_size", size)):
        if isinstance(n, bool) or not isinstance(n, int | np.integer):
            msg = f"{name} must be an int, got {n!r}"
            raise TypeError(msg)
        if n < 1:
            msg = f"{name} must be >= 1, got {n}"
            raise ValueError(msg)
    if batch_norm and (min(size, m) < 2 or m % size == 1):
        msg = (
            f"batch_norm needs mini-batches of >= 2 examples; "
            f"mini_batch_size={mini_batch_size} with m={m} makes one of 1"
        )
        raise ValueError(msg)
    if record not in ("epoch", "iteration"):
        msg = f"record must be 'epoch' or 'iteration', got {record!r}"
        raise ValueError(msg)
    rng = np.random.default_rng() if rng is None else rng
    if batch_norm:
        parameters = initialize_parameters_bn(layer_dims, init, rng)
    else:
        parameters = initialize_parameters(layer_dims, init, rng)
    state = initialize_optimizer_state(parameters, optimizer)
    optimizer_args = {  # momentum's beta, Adam's beta1: not BN's beta<l>
        "beta": beta,
        "beta1": beta1,
        "beta2": beta2,
        "epsilon": epsilon,
    }
    costs, t = [], 0
    for epoch in range(num_epochs):
        alpha = learning_rate_decay(
            learning_rate, epoch, decay_rate, time_interval
        )
        if mini_batch_size is None:
            mini_batches = [(X, Y)]  # batch gradient descent
        else:
            mini_batches = random_mini_batches(X, Y, mini_batch_size, rng)
        epoch_cost = 0.0
        for X_t, Y_t in mini_batches:
            if batch_norm:
                AL, bn_caches = forward_propagation_bn(
                    X_t, parameters, keep_prob, True, rng
                )
                grads = backward_propagation_bn(
                    AL, Y_t, bn_caches, lambd, keep_prob
                )
                parameters = update_bn_averages(
                    parameters, bn_caches, bn_momentum
                )
            else:
                AL, caches = forward_propagation(
                    X_t, parameters, keep_prob, rng
                )
                grads = backward_propagation(AL, Y_t, caches, lambd, keep_prob)
            cost = compute_cost(AL, Y_t, parameters, lambd)
            t += 1
            parameters, state = update_parameters(
                parameters, grads, state, optimizer, t, alpha, **optimizer_args
            )
            if record == "iteration":
                costs.append(cost)
            epoch_cost += cost * Y_t.shape[1] / m
        if record == "epoch":
            costs.append(epoch_cost)
    return parameters, np.array(costs, dtype=np.float64)


def optimizer_path(
    gradient: object,
    W0: np.typing.ArrayLike,
    optimizer: str = "gd",
    num_steps: int = 50,
    learning_rate: float = 0.1,
    beta: float = 0.9,
    beta1: float = 0.9,
    beta2: float = 0.999,
    epsilon: float = 1e-8,
) -> np.typing.NDArray[np.float64]:
    r"""Return the points an optimizer visits on a cost surface from W0.

    .. math::
        W_0 = \texttt{W0}, \qquad
        W_t \leftarrow \text{update}(W_{t-1}, \nabla J(W_{t-1}),
        \text{state}, t, \alpha), \quad t = 1, \dots, T

    with :math:`\nabla J` = ``gradient``, :math:`T` = ``num_steps``,
    :math:`\alpha` = ``learning_rate`` and the update of
    :func:`update_parameters` (gd, momentum, rmsprop or adam), for the
    optimizer-path figures.

    Parameters
    ----------
    gradient : callable
        ``gradient(W)`` returns :math:`\nabla J(W)`, the shape of ``W``.
    W0 : array_like, shape (n,)
        Starting point (n = 2 for a contour plot).
    optimizer : {"gd", "momentum", "rmsprop", "adam"}
        Update rule.
    num_steps : int
        Number of steps T, >= 1.
    learning_rate, beta, beta1, beta2, epsilon : float
        As in :func:`update_parameters`.

    Returns
    -------
    path : ndarray, shape (n, num_steps + 1)
        Column t is :math:`W_t`; column 0 is ``W0``.

    Examples
    --------
    >>> def gradient(W):  # J(W) = (W[0]**2 + 10 * W[1]**2) / 2
    ...     return np.array([1.0, 10.0]) * W
    >>> path = optimizer_path(gradient, [1.0, 1.0], "gd", num_steps=3,
    ...                       learning_rate=0.18)
    >>> print(np.round(path, 4))  # W[1] overshoots: it oscillates
    [[ 1.      0.82    0.6724  0.5514]
     [ 1.     -0.8     0.64   -0.512 ]]
    >>> path = optimizer_path(gradient, [1.0, 1.0], "momentum", 3, 0.18)
    >>> print(np.round(path[1], 4))
    [1.     0.82   0.5104 0.1399]
    """
    if not callable(gradient):
        msg = f"gradient must be callable, got {gradient!r}"
        raise TypeError(msg)
    W = np.asarray(W0, dtype=np.float64)
    if W.ndim != 1:
        msg = f"W0 must be 1-D (n,), got shape {W.shape}"
        raise ValueError(msg)
    if isinstance(num_steps, bool) or not isinstance(
        num_steps, int | np.integer
    ):
        msg = f"num_steps must be an int, got {num_steps!r}"
        raise TypeError(msg)
    if num_steps < 1:
        msg = f"num_steps must be >= 1, got {num_steps}"
        raise ValueError(msg)
    parameters = {"W": W}
    state = initialize_optimizer_state(parameters, optimizer)
    path = [W]
    for t in range(1, num_steps + 1):
        dW = np.asarray(gradient(parameters["W"]), dtype=np.float64)
        parameters, state = update_parameters(
            parameters,
            {"dW": dW},
            state,
            optimizer,
            t,
            learning_rate,
            beta,
            beta1,
            beta2,
            epsilon,
        )
        path.append(parameters["W"])
    return np.stack(path, axis=1)  # (n, num_steps + 1)
