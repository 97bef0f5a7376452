"""The course's updates, run over a sequence of gradients.

The frameworks are compared with these. Each one is built from the dnnref
reference functions, with the conversion that the conventions page states
(``docs/framework-conventions.md``); nothing here imports a framework.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from dnnref.optimizers import (
    adam_update,
    exponentially_weighted_average,
    momentum_update,
    rmsprop_update,
)

STEPS = 20
SHAPE = (4, 3)


def rel(a: np.typing.ArrayLike, b: np.typing.ArrayLike) -> float:
    """Relative difference ||a - b|| / (||a|| + ||b||), 0 for two zeros."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return float(np.linalg.norm(a - b) / scale) if scale else 0.0


def problem(
    seed: int, shape: tuple[int, ...] = SHAPE, steps: int = STEPS
) -> tuple[np.ndarray, np.ndarray]:
    """A starting W and ``steps`` gradients of varied scale, one always 0."""
    rng = np.random.default_rng(seed)
    W0 = rng.standard_normal(shape)
    scales = rng.choice([1e-3, 1.0, 50.0], size=(steps,) + (1,) * len(shape))
    gradients = rng.standard_normal((steps, *shape)) * scales
    gradients[(slice(None),) + (0,) * len(shape)] = 0.0  # a dead unit
    return W0, gradients


def momentum(
    W0: np.ndarray, gradients: np.ndarray, beta: float, learning_rate: float
) -> tuple[np.ndarray, np.ndarray]:
    """The course's momentum: returns the last W and v."""
    W, v = W0, np.zeros_like(W0)
    for dW in gradients:
        W, v = momentum_update(W, dW, v, beta, learning_rate)
    return W, v


def nesterov(
    W0: np.ndarray, gradients: np.ndarray, beta: float, learning_rate: float
) -> np.ndarray:
    """Nesterov's step with the course's v (not one of the course's updates).

    The frameworks step along dW + beta * buffer, their buffer being
    v / (1 - beta); with lr = learning_rate * (1 - beta) that is
    W -= learning_rate * ((1 - beta) dW + beta v).
    """
    W, v = W0, np.zeros_like(W0)
    for dW in gradients:
        _, v = momentum_update(W, dW, v, beta, learning_rate)
        W = W - learning_rate * ((1 - beta) * dW + beta * v)
    return W


def epsilon_outside_for_inside(s: np.ndarray, epsilon: float) -> np.ndarray:
    """The course's epsilon that equals epsilon inside the root, per entry.

    sqrt(s + epsilon) = sqrt(s) + epsilon_out, so
    epsilon_out = epsilon / (sqrt(s + epsilon) + sqrt(s)): it changes with s.
    """
    return epsilon / (np.sqrt(s + epsilon) + np.sqrt(s))


def rmsprop_direction(
    dW: np.ndarray,
    s: np.ndarray,
    beta2: float,
    epsilon: float,
    *,
    inside: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """RMSprop's step for learning rate 1, and the new s.

    ``rmsprop_update`` from W = 0 with learning rate 1 returns minus
    dW / (sqrt(s_new) + epsilon). With ``inside``, each entry takes its own
    step with the epsilon of :func:`epsilon_outside_for_inside`, which
    makes it dW / sqrt(s_new + epsilon).
    """
    if not inside:
        step, s_new = rmsprop_update(
            np.zeros_like(dW), dW, s, beta2, 1, epsilon
        )
        return -step, s_new
    s_new = beta2 * s + (1 - beta2) * dW**2
    eps = epsilon_outside_for_inside(s_new, epsilon)
    direction = np.empty_like(dW)
    for i in np.ndindex(dW.shape):
        step, s_i = rmsprop_update(0.0, dW[i], s[i], beta2, 1, float(eps[i]))
        np.testing.assert_allclose(s_i, s_new[i], rtol=1e-15)
        direction[i] = -step
    return direction, s_new


def rmsprop(
    W0: np.ndarray,
    gradients: np.ndarray,
    beta2: float,
    learning_rate: float,
    epsilon: float,
    *,
    inside: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """The course's RMSprop; ``inside`` converts an epsilon inside the root.

    Returns the last W and s. Without ``inside`` this is
    ``rmsprop_update`` step after step.
    """
    W, s = W0, np.zeros_like(W0)
    for dW in gradients:
        if inside:
            direction, s = rmsprop_direction(
                dW, s, beta2, epsilon, inside=True
            )
            W = W - learning_rate * direction
        else:
            W, s = rmsprop_update(W, dW, s, beta2, learning_rate, epsilon)
    return W, s


def rmsprop_with_momentum(
    W0: np.ndarray,
    gradients: np.ndarray,
    beta2: float,
    learning_rate: float,
    epsilon: float,
    mu: float,
    *,
    inside: bool = False,
) -> np.ndarray:
    """RMSprop's ``momentum=mu``: the course's momentum on RMSprop's step.

    The frameworks keep the sum b = mu b + dW / (sqrt(s) + eps) and step
    W -= lr b. The course's momentum averages, v = (1 - mu) b, so it takes
    the same steps with learning rate lr / (1 - mu).
    """
    W, s, v = W0, np.zeros_like(W0), np.zeros_like(W0)
    for dW in gradients:
        direction, s = rmsprop_direction(dW, s, beta2, epsilon, inside=inside)
        W, v = momentum_update(W, direction, v, mu, learning_rate / (1 - mu))
    return W


def centered_rmsprop(
    W0: np.ndarray,
    gradients: np.ndarray,
    beta2: float,
    learning_rate: float,
    denominator: Callable[[np.ndarray], np.ndarray],
) -> np.ndarray:
    """Centered RMSprop: divides by a function of s - mean(dW)^2.

    s and the mean gradient are the course's exponentially weighted
    averages (no bias correction) of dW**2 and dW, entry by entry.
    """
    flat = gradients.reshape(len(gradients), -1)
    g_bar = np.stack(
        [exponentially_weighted_average(g, beta2) for g in flat.T], axis=1
    ).reshape(gradients.shape)
    s = np.stack(
        [exponentially_weighted_average(g**2, beta2) for g in flat.T], axis=1
    ).reshape(gradients.shape)
    W = W0
    for dW, g_bar_t, s_t in zip(gradients, g_bar, s, strict=True):
        W = W - learning_rate * dW / denominator(s_t - g_bar_t**2)
    return W


def adam(
    W0: np.ndarray,
    gradients: np.ndarray,
    learning_rate: float,
    beta1: float,
    beta2: float,
    epsilon: float | Sequence[float],
    *,
    decoupled_weight_decay: float = 0.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The course's Adam; ``epsilon`` may change with t (one per step).

    ``decoupled_weight_decay`` (AdamW) first shrinks W by
    ``1 - learning_rate * decoupled_weight_decay``, then takes the course's
    Adam step with the gradient alone.
    """
    eps = np.broadcast_to(np.asarray(epsilon, dtype=float), len(gradients))
    W, v, s = W0, np.zeros_like(W0), np.zeros_like(W0)
    for t, dW in enumerate(gradients, start=1):
        W = W * (1 - learning_rate * decoupled_weight_decay)
        W, v, s = adam_update(
            W, dW, v, s, t, learning_rate, beta1, beta2, float(eps[t - 1])
        )
    return W, v, s


def epsilon_for_epsilon_hat(
    epsilon_hat: float, beta2: float, steps: int = STEPS
) -> np.ndarray:
    """The course's epsilon, step by step, for Keras's epsilon-hat.

    Keras adds epsilon-hat to sqrt(s) before the bias correction, which
    is the course's update with epsilon_t = epsilon_hat / sqrt(1 - beta2^t).
    """
    t = np.arange(1, steps + 1)
    return epsilon_hat / np.sqrt(1 - beta2**t)
