"""Cross-check dnnref.optimizers against torch.optim, in float64.

Both sides get the same sequence of random gradients (``p.grad`` is set by
hand before each ``optimizer.step()``), for 20 steps on a weight and a
bias shape; parameters and optimizer states must agree to a relative
difference of 1e-10.

Mappings from the course's notation to PyTorch's:

- gradient descent: ``SGD(lr=alpha)``.
- momentum: the course keeps the average v_t = beta v_{t-1} + (1 - beta) g_t
  and steps W -= alpha v_t.  PyTorch's buffer is the sum
  b_t = beta b_{t-1} + g_t, started at b_1 = g_1.  With v_0 = 0,
  v_1 = (1 - beta) g_1 = (1 - beta) b_1, and by induction
  v_t / (1 - beta) = beta v_{t-1} / (1 - beta) + g_t, i.e. b_t = v_t / (1 - beta).
  So W -= alpha v_t = alpha (1 - beta) b_t:
  ``SGD(lr=alpha * (1 - beta), momentum=beta)`` (dampening 0).
- RMSprop: ``RMSprop(lr=alpha, alpha=beta2, eps=epsilon)``; PyTorch's
  ``alpha`` is the decay rate and its eps is outside the square root.
- Adam: ``Adam(lr=alpha, betas=(beta1, beta2), eps=epsilon)``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from dnnref.optimizers import (
    adam_update,
    exponential_decay,
    gd_update,
    inverse_sqrt_decay,
    learning_rate_decay,
    momentum_update,
    rmsprop_update,
)

STEPS = 20
SHAPES = [(4, 3), (4, 1)]  # a weight W[l] and a bias b[l]


def _rel(a: np.ndarray, b: np.ndarray) -> float:
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return float(np.linalg.norm(a - b) / scale) if scale else 0.0


def _problem(shape: tuple[int, int], seed: int):
    rng = np.random.default_rng(seed)
    W0 = rng.standard_normal(shape)
    # gradients of varied scale, and exact zeros (a dead unit)
    gradients = rng.standard_normal((STEPS, *shape)) * rng.choice(
        [1e-3, 1.0, 50.0], size=(STEPS, 1, 1)
    )
    gradients[:, 0, 0] = 0.0
    return W0, gradients


def _torch_run(make_optimizer, W0: np.ndarray, gradients: np.ndarray):
    p = torch.nn.Parameter(torch.tensor(W0, dtype=torch.float64))
    optimizer = make_optimizer([p])
    for g in gradients:
        p.grad = torch.tensor(g, dtype=torch.float64)
        optimizer.step()
    return p.detach().numpy().copy(), optimizer.state[p]


def _state(state, key: str) -> np.ndarray:
    return state[key].detach().numpy()


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("learning_rate", [0.01, 0.5])
def test_gd_matches_sgd(shape, learning_rate: float) -> None:
    W0, gradients = _problem(shape, 0)
    W = W0
    for dW in gradients:
        W = gd_update(W, dW, learning_rate)
    W_torch, _ = _torch_run(
        lambda ps: torch.optim.SGD(ps, lr=learning_rate), W0, gradients
    )
    assert _rel(W, W_torch) <= 1e-10


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(
    ("beta", "learning_rate"), [(0.9, 0.01), (0.5, 0.3), (0.99, 0.1)]
)
def test_momentum_matches_sgd_with_momentum(
    shape, beta: float, learning_rate: float
) -> None:
    W0, gradients = _problem(shape, 1)
    W, v = W0, np.zeros(shape)
    for dW in gradients:
        W, v = momentum_update(W, dW, v, beta, learning_rate)
    W_torch, state = _torch_run(
        lambda ps: torch.optim.SGD(
            ps, lr=learning_rate * (1 - beta), momentum=beta
        ),
        W0,
        gradients,
    )
    assert _rel(W, W_torch) <= 1e-10
    # torch's buffer is the sum, v / (1 - beta)
    assert _rel(v / (1 - beta), _state(state, "momentum_buffer")) <= 1e-10


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(
    ("beta2", "learning_rate", "epsilon"),
    [(0.999, 0.01, 1e-8), (0.9, 0.1, 1e-3), (0.0, 0.05, 1e-8)],
)
def test_rmsprop_matches_torch(
    shape, beta2: float, learning_rate: float, epsilon: float
) -> None:
    W0, gradients = _problem(shape, 2)
    W, s = W0, np.zeros(shape)
    for dW in gradients:
        W, s = rmsprop_update(W, dW, s, beta2, learning_rate, epsilon)
    W_torch, state = _torch_run(
        lambda ps: torch.optim.RMSprop(
            ps, lr=learning_rate, alpha=beta2, eps=epsilon
        ),
        W0,
        gradients,
    )
    assert _rel(W, W_torch) <= 1e-10
    assert _rel(s, _state(state, "square_avg")) <= 1e-10


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(
    ("learning_rate", "beta1", "beta2", "epsilon"),
    [
        (0.01, 0.9, 0.999, 1e-8),
        (0.1, 0.5, 0.9, 1e-4),
        (0.02, 0.0, 0.0, 1e-8),
        (0.001, 0.99, 0.9999, 1e-2),
    ],
)
def test_adam_matches_torch(
    shape, learning_rate: float, beta1: float, beta2: float, epsilon: float
) -> None:
    W0, gradients = _problem(shape, 3)
    W, v, s = W0, np.zeros(shape), np.zeros(shape)
    for t, dW in enumerate(gradients, start=1):
        W, v, s = adam_update(
            W, dW, v, s, t, learning_rate, beta1, beta2, epsilon
        )
    W_torch, state = _torch_run(
        lambda ps: torch.optim.Adam(
            ps, lr=learning_rate, betas=(beta1, beta2), eps=epsilon
        ),
        W0,
        gradients,
    )
    assert _rel(W, W_torch) <= 1e-10
    assert _rel(v, _state(state, "exp_avg")) <= 1e-10
    assert _rel(s, _state(state, "exp_avg_sq")) <= 1e-10
    assert int(state["step"]) == STEPS  # torch's t counts from 1 too


def _scheduled_learning_rates(make_scheduler, epochs: int) -> list[float]:
    """The learning rate torch uses in each epoch 0, 1, ..., epochs - 1."""
    p = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    optimizer = torch.optim.SGD([p], lr=0.3)
    scheduler = make_scheduler(optimizer)
    rates = []
    for _ in range(epochs):
        rates.append(optimizer.param_groups[0]["lr"])
        p.grad = torch.zeros(1, dtype=torch.float64)
        optimizer.step()
        scheduler.step()
    return rates


@pytest.mark.parametrize(
    ("decay_rate", "time_interval"), [(1.0, 1), (0.3, 1), (0.5, 7)]
)
def test_learning_rate_decay_matches_lambda_lr(
    decay_rate: float, time_interval: int
) -> None:
    # the course's closed form, applied by torch's scheduler machinery
    rates = _scheduled_learning_rates(
        lambda opt: torch.optim.lr_scheduler.LambdaLR(
            opt,
            lambda e: 1 / (1 + decay_rate * math.floor(e / time_interval)),
        ),
        40,
    )
    ours = [
        learning_rate_decay(0.3, e, decay_rate, time_interval)
        for e in range(40)
    ]
    np.testing.assert_allclose(ours, rates, rtol=1e-12)


@pytest.mark.parametrize("decay_rate", [0.95, 0.5])
def test_exponential_decay_matches_exponential_lr(decay_rate: float) -> None:
    # torch multiplies the rate by gamma once per epoch
    rates = _scheduled_learning_rates(
        lambda opt: torch.optim.lr_scheduler.ExponentialLR(
            opt, gamma=decay_rate
        ),
        40,
    )
    ours = [exponential_decay(0.3, e, decay_rate) for e in range(40)]
    np.testing.assert_allclose(ours, rates, rtol=1e-12)


def test_inverse_sqrt_decay_matches_lambda_lr() -> None:
    rates = _scheduled_learning_rates(
        lambda opt: torch.optim.lr_scheduler.LambdaLR(
            opt, lambda e: 2.0 / math.sqrt(e + 1)
        ),
        40,
    )
    ours = [inverse_sqrt_decay(0.3, e + 1, k=2.0) for e in range(40)]
    np.testing.assert_allclose(ours, rates, rtol=1e-12)
