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
import oracles
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
TOL = 1e-10
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
def test_row_momentum_sum_torch_sgd(
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
def test_row_rmsprop_decay_torch_alpha(
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
def test_row_adam_bias_correction_torch_states(
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


@pytest.mark.parametrize("decay_rate", [1.0, 0.3])
def test_row_decay_inverse_time_torch_lambda_lr(decay_rate: float) -> None:
    # the course's 1 / (1 + decay_rate * epoch_num), one scheduler step per
    # epoch
    rates = _scheduled_learning_rates(
        lambda opt: torch.optim.lr_scheduler.LambdaLR(
            opt, lambda e: 1 / (1 + decay_rate * e)
        ),
        40,
    )
    ours = [learning_rate_decay(0.3, e, decay_rate) for e in range(40)]
    np.testing.assert_allclose(ours, rates, rtol=1e-12)


@pytest.mark.parametrize(("decay_rate", "time_interval"), [(0.5, 7), (1, 3)])
def test_row_decay_staircase_torch_lambda_lr(
    decay_rate: float, time_interval: int
) -> None:
    rates = _scheduled_learning_rates(
        lambda opt: torch.optim.lr_scheduler.LambdaLR(
            opt, lambda e: 1 / (1 + decay_rate * (e // time_interval))
        ),
        40,
    )
    ours = [
        learning_rate_decay(0.3, e, decay_rate, time_interval)
        for e in range(40)
    ]
    np.testing.assert_allclose(ours, rates, rtol=1e-12)


@pytest.mark.parametrize("decay_rate", [0.95, 0.5])
def test_row_decay_exponential_torch_exponential_lr(decay_rate: float) -> None:
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


# -- Rows of docs/framework-conventions.md that the tests above do not name --


def _run(make_optimizer, W0: np.ndarray, gradients: np.ndarray):
    W, state = _torch_run(make_optimizer, W0, gradients)
    return W, {k: v for k, v in state.items() if torch.is_tensor(v)}


def test_row_momentum_dampening_torch_first_step_undamped() -> None:
    # dampening = beta averages like the course, except that the buffer
    # starts at dW_1 instead of (1 - beta) dW_1: buffer_t = v_t + beta^t dW_1,
    # so W_t = W_course_t - alpha dW_1 (beta + ... + beta^t).
    beta, alpha = 0.9, 0.05
    W0, gradients = oracles.problem(11)
    W_course, v = oracles.momentum(W0, gradients, beta, alpha)
    W_torch, state = _run(
        lambda ps: torch.optim.SGD(
            ps, lr=alpha, momentum=beta, dampening=beta
        ),
        W0,
        gradients,
    )
    t = len(gradients)
    excess = beta * (1 - beta**t) / (1 - beta)
    assert _rel(W_torch, W_course - alpha * excess * gradients[0]) <= TOL
    buffer = _state(state, "momentum_buffer")
    assert _rel(buffer, v + beta**t * gradients[0]) <= TOL
    assert _rel(W_torch - W0, W_course - W0) > 1e-2  # not the course's


def test_row_momentum_nesterov_torch_sgd() -> None:
    beta, alpha = 0.9, 0.05
    W0, gradients = oracles.problem(12)
    W_torch, _ = _run(
        lambda ps: torch.optim.SGD(
            ps, lr=alpha * (1 - beta), momentum=beta, nesterov=True
        ),
        W0,
        gradients,
    )
    assert _rel(W_torch, oracles.nesterov(W0, gradients, beta, alpha)) <= TOL
    W_course, _ = oracles.momentum(W0, gradients, beta, alpha)
    assert _rel(W_torch - W0, W_course - W0) > 1e-2  # not the course's


def test_row_rmsprop_decay_torch_default_alpha() -> None:
    p = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    defaults = torch.optim.RMSprop([p]).defaults
    assert (defaults["alpha"], defaults["eps"]) == (0.99, 1e-8)


def test_row_rmsprop_epsilon_torch_outside_root() -> None:
    # small gradients, so that epsilon matters: where it sits shows
    beta2, alpha, epsilon = 0.9, 0.01, 1e-4
    W0, gradients = oracles.problem(13)
    gradients *= 1e-3
    W_torch, state = _run(
        lambda ps: torch.optim.RMSprop(ps, lr=alpha, alpha=beta2, eps=epsilon),
        W0,
        gradients,
    )
    W_out, s = oracles.rmsprop(W0, gradients, beta2, alpha, epsilon)
    assert _rel(W_torch, W_out) <= TOL
    assert _rel(_state(state, "square_avg"), s) <= TOL
    W_in, _ = oracles.rmsprop(
        W0, gradients, beta2, alpha, epsilon, inside=True
    )
    assert _rel(W_torch - W0, W_in - W0) > 1e-2


@pytest.mark.parametrize("epsilon", [1e-8, 1e-3])
def test_row_rmsprop_centered_torch(epsilon: float) -> None:
    beta2, alpha = 0.9, 0.01
    W0, gradients = oracles.problem(14)
    W_torch, _ = _run(
        lambda ps: torch.optim.RMSprop(
            ps, lr=alpha, alpha=beta2, eps=epsilon, centered=True
        ),
        W0,
        gradients,
    )
    expected = oracles.centered_rmsprop(
        W0, gradients, beta2, alpha, lambda var: np.sqrt(var) + epsilon
    )
    assert _rel(W_torch, expected) <= TOL
    W_course, _ = oracles.rmsprop(W0, gradients, beta2, alpha, epsilon)
    assert _rel(W_torch - W0, W_course - W0) > 1e-2


def test_row_rmsprop_momentum_torch() -> None:
    beta2, alpha, epsilon, mu = 0.9, 0.01, 1e-8, 0.8
    W0, gradients = oracles.problem(15)
    W_torch, _ = _run(
        lambda ps: torch.optim.RMSprop(
            ps, lr=alpha, alpha=beta2, eps=epsilon, momentum=mu
        ),
        W0,
        gradients,
    )
    expected = oracles.rmsprop_with_momentum(
        W0, gradients, beta2, alpha, epsilon, mu
    )
    assert _rel(W_torch, expected) <= TOL


def test_row_adam_epsilon_torch_after_bias_correction() -> None:
    # tiny gradients and a large epsilon, so that where it sits shows
    alpha, beta1, beta2, epsilon = 0.01, 0.9, 0.999, 1e-6
    W0, gradients = oracles.problem(16)
    gradients *= 1e-4
    W_torch, _ = _run(
        lambda ps: torch.optim.Adam(
            ps, lr=alpha, betas=(beta1, beta2), eps=epsilon
        ),
        W0,
        gradients,
    )
    W_course, _, _ = oracles.adam(W0, gradients, alpha, beta1, beta2, epsilon)
    assert _rel(W_torch, W_course) <= TOL
    p = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    assert torch.optim.Adam([p]).defaults["eps"] == 1e-8
    # epsilon added before the correction (Keras's epsilon-hat) differs
    W_hat, _, _ = oracles.adam(
        W0,
        gradients,
        alpha,
        beta1,
        beta2,
        oracles.epsilon_for_epsilon_hat(epsilon, beta2),
    )
    assert _rel(W_torch - W0, W_hat - W0) > 1e-2


def _network_problem(seed: int):
    """Weights and biases of a layer, and gradients of the data cost."""
    rng = np.random.default_rng(seed)
    W0, b0 = rng.standard_normal((4, 3)), rng.standard_normal((4, 1))
    dWs = rng.standard_normal((STEPS, 4, 3))
    dbs = rng.standard_normal((STEPS, 4, 1))
    return W0, b0, dWs, dbs


def _torch_weights_and_biases(make_optimizer, W0, b0, dWs, dbs):
    """Run torch on a weight and a bias with the given data gradients."""
    W = torch.nn.Parameter(torch.tensor(W0))
    b = torch.nn.Parameter(torch.tensor(b0))
    optimizer = make_optimizer(W, b)
    for dW, db in zip(dWs, dbs, strict=True):
        W.grad, b.grad = torch.tensor(dW), torch.tensor(db)
        optimizer.step()
    return W.detach().numpy(), b.detach().numpy()


def test_row_l2_gd_torch_weight_decay() -> None:
    # cost + lambd / (2 m) sum ||W||^2: dW gets + lambd / m * W, db nothing
    lambd, m, alpha = 0.7, 8, 0.1
    W0, b0, dWs, dbs = _network_problem(17)
    W_torch, b_torch = _torch_weights_and_biases(
        lambda W, b: torch.optim.SGD(
            [{"params": [W], "weight_decay": lambd / m}, {"params": [b]}],
            lr=alpha,
        ),
        W0,
        b0,
        dWs,
        dbs,
    )
    W, b = W0, b0
    for dW, db in zip(dWs, dbs, strict=True):
        W = gd_update(W, dW + lambd / m * W, alpha)
        b = gd_update(b, db, alpha)
    assert _rel(W_torch, W) <= TOL
    assert _rel(b_torch, b) <= TOL
    # in one group with the weights, a bias is decayed too
    bias = torch.nn.Parameter(torch.tensor(b0))
    optimizer = torch.optim.SGD([bias], lr=alpha, weight_decay=lambd / m)
    bias.grad = torch.zeros_like(bias)
    optimizer.step()
    expected = b0 * (1 - alpha * lambd / m)
    assert _rel(bias.detach().numpy(), expected) <= TOL


def test_row_l2_adam_torch_coupled_weight_decay() -> None:
    lambd, m, alpha = 0.7, 8, 0.01
    W0, b0, dWs, dbs = _network_problem(18)
    W_torch, b_torch = _torch_weights_and_biases(
        lambda W, b: torch.optim.Adam(
            [{"params": [W], "weight_decay": lambd / m}, {"params": [b]}],
            lr=alpha,
        ),
        W0,
        b0,
        dWs,
        dbs,
    )
    W, b = W0, b0
    v, s, vb, sb = (np.zeros_like(a) for a in (W0, W0, b0, b0))
    for t, (dW, db) in enumerate(zip(dWs, dbs, strict=True), start=1):
        W, v, s = adam_update(W, dW + lambd / m * W, v, s, t, alpha)
        b, vb, sb = adam_update(b, db, vb, sb, t, alpha)
    assert _rel(W_torch, W) <= TOL
    assert _rel(b_torch, b) <= TOL


@pytest.mark.parametrize("weight_decay", [0.01, 0.5])
def test_row_l2_adamw_torch_decoupled(weight_decay: float) -> None:
    alpha, beta1, beta2, epsilon = 0.01, 0.9, 0.999, 1e-8
    W0, gradients = oracles.problem(19)
    W_torch, _ = _run(
        lambda ps: torch.optim.AdamW(
            ps,
            lr=alpha,
            betas=(beta1, beta2),
            eps=epsilon,
            weight_decay=weight_decay,
        ),
        W0,
        gradients,
    )
    W_course, _, _ = oracles.adam(
        W0,
        gradients,
        alpha,
        beta1,
        beta2,
        epsilon,
        decoupled_weight_decay=weight_decay,
    )
    assert _rel(W_torch, W_course) <= TOL
    p = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    assert torch.optim.AdamW([p]).defaults["weight_decay"] == 1e-2


def test_row_l2_adamw_torch_no_constant_conversion() -> None:
    # J = 1/2 sum h_i (W_i - 3)^2 with curvatures h = (1, 100). The course's
    # L2 with Adam converges to the minimum of J + lambd/(2m) ||W||^2,
    # h c / (h + lambd/m) = (1.5, 2.97): the flat weight shrinks more.
    # Adam ignores the scale of each gradient, so AdamW moves both weights
    # alike for every weight_decay: no weight_decay gives (1.5, 2.97).
    h, c, lambd_over_m, alpha = np.array([1.0, 100.0]), 3.0, 1.0, 0.01
    W, v, s = np.zeros(2), np.zeros(2), np.zeros(2)
    for t in range(1, 1001):
        dW = h * (W - c) + lambd_over_m * W
        W, v, s = adam_update(W, dW, v, s, t, alpha)
    np.testing.assert_allclose(W, h * c / (h + lambd_over_m), rtol=1e-2)
    decays = [0.05, 0.7]
    params = [
        torch.nn.Parameter(torch.zeros(2, dtype=torch.float64)) for _ in decays
    ]
    optimizer = torch.optim.AdamW(
        [
            {"params": [p], "weight_decay": wd}
            for p, wd in zip(params, decays, strict=True)
        ],
        lr=alpha,
    )
    h_t = torch.tensor(h)
    for _ in range(1000):
        for p in params:
            p.grad = h_t * (p.detach() - c)
        optimizer.step()
    finals = np.array([p.detach().numpy() for p in params])  # (2, 2)
    assert np.all(np.abs(finals[:, 0] - finals[:, 1]) < 1e-6)
    assert abs(W[0] - W[1]) > 1.4
