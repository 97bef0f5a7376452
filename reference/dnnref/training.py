r"""Training loops: the reference functions of the other modules, composed.

A composite module (like :mod:`dnnref.bn_network`): its functions call the
public functions of the other modules by name (``forward_propagation``,
``adam_update``, ``forward_propagation_bn``, ...), so a reader who copies a
loop copies those functions with it, and the short private helpers
(``_check_model_arguments``, ``_cost_and_gradients``, ...) that ``model``
names.

Optimizer state
    ``initialize_optimizer_state(parameters, optimizer)`` returns ``{}``
    for ``"gd"``, ``{"v": ...}`` for ``"momentum"``, ``{"s": ...}`` for
    ``"rmsprop"`` and ``{"v": ..., "s": ...}`` for ``"adam"``; ``v`` and
    ``s`` are dicts of zeros keyed like the gradients (``"dW1"``,
    ``"db1"``, ...), as in the course's ``initialize_adam``.

Batch norm
    ``model(..., batch_norm=True)`` trains the network of
    :mod:`dnnref.bn_network`, whose ``parameters["beta1"]`` is batch norm's
    shift, not the ``beta1`` of Adam nor the ``beta`` of momentum.

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

from dnnref.bn_network import (
    backward_propagation_bn,
    forward_propagation_bn,
    initialize_parameters_bn,
    update_bn_averages,
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
    get no state.  Only the shapes of ``parameters`` are read, so a NaN or
    inf in them does not matter here.

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
    ``dnnref.optimizers``, applied per array, with its checks: a NaN or inf
    in a gradient or in ``s`` is refused (the error names the parameter);
    one in ``parameters`` or ``v`` comes out in the same entries of the new
    parameters, for ``forward_propagation`` to refuse.  Keys
    ``"running_..."`` (batch norm statistics) are carried over unchanged.

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
        try:
            if optimizer == "gd":
                new[key] = gd_update(W, dW, learning_rate)
            elif optimizer == "momentum":
                new[key], v[d] = momentum_update(
                    W, dW, v[d], beta, learning_rate
                )
            elif optimizer == "rmsprop":
                new[key], s[d] = rmsprop_update(
                    W, dW, s[d], beta2, learning_rate, epsilon
                )
            else:
                new[key], v[d], s[d] = adam_update(
                    W, dW, v[d], s[d], t, learning_rate, beta1, beta2, epsilon
                )
        except ValueError as error:  # say which array: "b2: dW contains ..."
            msg = f"{key}: {error}"
            raise ValueError(msg) from error
    return new, {k: {"v": v, "s": s}[k] for k in needed}


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
    (:func:`~dnnref.bn_network.initialize_parameters_bn`,
    :func:`~dnnref.bn_network.forward_propagation_bn`,
    :func:`~dnnref.bn_network.backward_propagation_bn`) and the running
    averages for test time are updated after each forward pass
    (:func:`~dnnref.bn_network.update_bn_averages`).

    ``X`` and ``Y`` are checked once, before training (a NaN or inf in
    either is refused, by name).  The body is that loop; the private
    helpers it calls (argument checks, one epoch's mini-batches, one
    mini-batch's cost and gradients, what ``costs`` records) go with it.

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
    X, Y = _check_model_arguments(
        X, Y, layer_dims, num_epochs, mini_batch_size, batch_norm, record
    )
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
    network_args = {  # the regularizers and batch norm's running averages
        "lambd": lambd,
        "keep_prob": keep_prob,
        "bn_momentum": bn_momentum,
    }
    costs: list[float] = []
    t = 0  # updates so far, over all epochs: Adam's t
    for epoch in range(num_epochs):
        alpha = learning_rate_decay(
            learning_rate, epoch, decay_rate, time_interval
        )
        epoch_costs = []  # (cost, size) of each mini-batch
        for X_t, Y_t in _mini_batches(X, Y, mini_batch_size, rng):
            cost, grads, parameters = _cost_and_gradients(
                X_t, Y_t, parameters, batch_norm, rng, **network_args
            )
            t += 1
            parameters, state = update_parameters(
                parameters, grads, state, optimizer, t, alpha, **optimizer_args
            )
            epoch_costs.append((cost, Y_t.shape[1]))
        costs += _record_costs(epoch_costs, record, X.shape[1])
    return parameters, np.array(costs, dtype=np.float64)


def _check_model_arguments(
    X: np.typing.ArrayLike,
    Y: np.typing.ArrayLike,
    layer_dims: list[int] | tuple[int, ...],
    num_epochs: int,
    mini_batch_size: int | None,
    batch_norm: bool,
    record: str,
) -> tuple[np.typing.NDArray[np.float64], np.typing.NDArray[np.float64]]:
    """Refuse ``model``'s bad data and sizes before any work; X, Y as floats.

    ``optimizer`` and ``init`` are checked by the functions that use them,
    before the first update.
    """
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    if X.ndim != 2 or Y.shape != (1, X.shape[1]) or X.shape[1] < 1:
        msg = f"X shape {X.shape} and Y shape {Y.shape}: need (n_x, m), (1, m)"
        raise ValueError(msg)
    for name, value in (("X", X), ("Y", Y)):  # once, before any epoch
        if not np.isfinite(value).all():
            msg = f"{name} contains NaN or inf"
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
    return X, Y


def _mini_batches(
    X: np.typing.NDArray[np.float64],
    Y: np.typing.NDArray[np.float64],
    mini_batch_size: int | None,
    rng: np.random.Generator | np.random.RandomState,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """One epoch's mini-batches: all of (X, Y) in order when size is None."""
    if mini_batch_size is None:
        return [(X, Y)]  # batch gradient descent: no shuffle
    return random_mini_batches(X, Y, mini_batch_size, rng)


def _cost_and_gradients(
    X_t: np.typing.NDArray[np.float64],
    Y_t: np.typing.NDArray[np.float64],
    parameters: dict[str, np.typing.NDArray[np.float64]],
    batch_norm: bool,
    rng: np.random.Generator | np.random.RandomState,
    lambd: float,
    keep_prob: float,
    bn_momentum: float,
) -> tuple[
    float,
    dict[str, np.typing.NDArray[np.float64]],
    dict[str, np.typing.NDArray[np.float64]],
]:
    """Forward and backward pass on one mini-batch: (cost, grads, params).

    The batch-norm variant also folds the mini-batch's statistics into the
    running averages, so it returns new parameters; the cost is that of
    this forward pass (before the update).
    """
    if batch_norm:
        AL, bn_caches = forward_propagation_bn(
            X_t, parameters, keep_prob, True, rng
        )
        grads = backward_propagation_bn(AL, Y_t, bn_caches, lambd, keep_prob)
        parameters = update_bn_averages(parameters, bn_caches, bn_momentum)
    else:
        AL, caches = forward_propagation(X_t, parameters, keep_prob, rng)
        grads = backward_propagation(AL, Y_t, caches, lambd, keep_prob)
    return compute_cost(AL, Y_t, parameters, lambd), grads, parameters


def _record_costs(
    epoch_costs: list[tuple[float, int]], record: str, m: int
) -> list[float]:
    """Each mini-batch's cost, or the epoch's size-weighted mean of them."""
    if record == "iteration":
        return [cost for cost, _ in epoch_costs]
    epoch_cost = 0.0
    for cost, size in epoch_costs:
        epoch_cost += cost * size / m
    return [epoch_cost]


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
    if W.ndim != 1 or not np.isfinite(W).all():
        msg = f"W0 must be 1-D (n,), without NaN or inf, got {W}"
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
    hyper = {"beta": beta, "beta1": beta1, "beta2": beta2, "epsilon": epsilon}
    path = [W]
    for t in range(1, num_steps + 1):
        dW = np.asarray(gradient(parameters["W"]), dtype=np.float64)
        if not np.isfinite(dW).all():
            msg = (
                f"gradient(W) contains NaN or inf at step {t}, W = {path[-1]}"
            )
            raise ValueError(msg)
        parameters, state = update_parameters(
            parameters, {"dW": dW}, state, optimizer, t, learning_rate, **hyper
        )
        path.append(parameters["W"])
    return np.stack(path, axis=1)  # (n, num_steps + 1)
