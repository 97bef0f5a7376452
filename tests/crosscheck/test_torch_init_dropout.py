"""Cross-check initializers, dropout and the network against PyTorch (float64).

Conventions compared:

- He: ``torch.nn.init.kaiming_normal_(W, mode="fan_in",
  nonlinearity="relu")`` draws N(0, std^2) with std = gain / sqrt(fan_in),
  gain = sqrt(2) for ReLU.  For a weight of shape (n[l], n[l-1]) torch's
  fan_in is n[l-1] (the number of columns), so std = sqrt(2 / n[l-1]), our
  factor.  The course's "xavier" sqrt(1 / n[l-1]) is the same call with
  ``nonlinearity="linear"`` (gain 1).
- Glorot: ``torch.nn.init.xavier_normal_`` has std
  gain * sqrt(2 / (fan_in + fan_out)), gain 1, fan_out = n[l]: our
  "glorot" factor sqrt(2 / (n[l-1] + n[l])).
- Dropout: ``torch.nn.functional.dropout(A, p=1 - keep_prob)`` also scales
  the kept units by 1 / keep_prob (inverted dropout).  Its mask is read off
  its output; given that mask, our forward and backward agree with torch's
  output and autograd.
- The network: torch autograd through the same parameters, the same fixed
  dropout masks and the same cost (cross-entropy + L2) gives the gradients
  of ``backward_propagation``.

Factors are compared exactly (relative 1e-12); torch's own draws are also
checked against our factor with a chi-square-justified 5-sigma tolerance.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from dnnref.initialization import initialize_parameters
from dnnref.network import (
    backward_propagation,
    compute_cost,
    forward_propagation,
)
from dnnref.regularization import dropout_backward, dropout_forward

torch.set_default_dtype(torch.float64)

SHAPES = [(4, 3), (128, 784), (64, 128), (1, 64), (300, 7)]


class FixedUniforms:
    """A stand-in rng whose ``random`` returns given uniforms."""

    def __init__(self, U: np.ndarray) -> None:
        self.U = U

    def random(self, shape: tuple[int, ...]) -> np.ndarray:
        assert shape == self.U.shape
        return self.U.copy()


def _relative(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b) / np.linalg.norm(b))


def _our_factor(method: str, n: int, n_prev: int) -> float:
    """W / (the standard normal draws behind it), from dnnref itself."""
    W = initialize_parameters([n_prev, n], method, np.random.default_rng(0))[
        "W1"
    ]
    draws = np.random.default_rng(0).standard_normal((n, n_prev))
    ratios = W / draws
    np.testing.assert_allclose(ratios, ratios.flat[0], rtol=1e-14)
    return float(ratios.flat[0])


def _torch_std(method: str, n: int, n_prev: int) -> float:
    W = torch.empty(n, n_prev)
    fan_in, fan_out = torch.nn.init._calculate_fan_in_and_fan_out(W)
    assert (fan_in, fan_out) == (n_prev, n)
    if method == "he":
        gain = torch.nn.init.calculate_gain("relu")
        return gain / math.sqrt(fan_in)
    if method == "xavier":
        return torch.nn.init.calculate_gain("linear") / math.sqrt(fan_in)
    return math.sqrt(2.0 / (fan_in + fan_out))  # xavier_normal_, gain 1


def _torch_draw(method: str, n: int, n_prev: int, seed: int) -> torch.Tensor:
    torch.manual_seed(seed)
    W = torch.empty(n, n_prev)
    if method == "he":
        return torch.nn.init.kaiming_normal_(
            W, mode="fan_in", nonlinearity="relu"
        )
    if method == "xavier":
        return torch.nn.init.kaiming_normal_(
            W, mode="fan_in", nonlinearity="linear"
        )
    return torch.nn.init.xavier_normal_(W)


def _check_factor_and_draws(method: str, n: int, n_prev: int) -> None:
    """torch's std equals our factor; its draws are N(0, 1) times it."""
    ours, theirs = (
        _our_factor(method, n, n_prev),
        _torch_std(method, n, n_prev),
    )
    assert abs(ours - theirs) <= 1e-12 * theirs
    # the draws themselves: the same generator state gives N(0, 1) * std
    W = _torch_draw(method, n, n_prev, seed=n).numpy()
    torch.manual_seed(n)
    Z = torch.empty(n, n_prev).normal_().numpy()
    np.testing.assert_allclose(W / Z, ours, rtol=1e-12)


@pytest.mark.parametrize(("n", "n_prev"), SHAPES)
def test_row_init_he_torch_kaiming_normal_relu(n: int, n_prev: int) -> None:
    _check_factor_and_draws("he", n, n_prev)


@pytest.mark.parametrize(("n", "n_prev"), SHAPES)
def test_row_init_xavier_torch_kaiming_normal_linear(
    n: int, n_prev: int
) -> None:
    _check_factor_and_draws("xavier", n, n_prev)


@pytest.mark.parametrize(("n", "n_prev"), SHAPES)
def test_row_init_glorot_torch_xavier_normal(n: int, n_prev: int) -> None:
    _check_factor_and_draws("glorot", n, n_prev)


def test_row_init_truncated_torch_trunc_normal() -> None:
    """trunc_normal_'s a and b are absolute bounds; it does not rescale.

    With a = -2 std, b = 2 std the variance is 0.774 std^2 (the variance of
    N(0, 1) cut at +-2); with the default a = -2, b = 2 and a small std
    nothing is cut. Five-sigma bounds for a sample variance of k draws.
    """
    k, std = 400_000, math.sqrt(2 / 500)
    a = 2.0  # N(0, 1) cut at +-a
    phi = math.exp(-(a**2) / 2) / math.sqrt(2 * math.pi)
    truncated_var = 1 - 2 * a * phi / math.erf(a / math.sqrt(2))
    torch.manual_seed(0)
    W = torch.nn.init.trunc_normal_(
        torch.empty(k), std=std, a=-a * std, b=a * std
    ).numpy()
    assert np.abs(W).max() <= a * std
    # fourth moment of the cut normal is below 3, so sd(var) < var sqrt(2/k)
    sd = truncated_var * std**2 * math.sqrt(2 / k)
    assert abs(W.var() - truncated_var * std**2) < 5 * sd
    W = torch.nn.init.trunc_normal_(torch.empty(k), std=std).numpy()
    assert abs(W.var() - std**2) < 5 * std**2 * math.sqrt(2 / k)
    # dividing std by sqrt(truncated_var), as Keras does, restores std^2
    W = torch.nn.init.trunc_normal_(
        torch.empty(k),
        std=std / math.sqrt(truncated_var),
        a=-a * std / math.sqrt(truncated_var),
        b=a * std / math.sqrt(truncated_var),
    ).numpy()
    assert abs(W.var() - std**2) < 5 * sd / truncated_var


@pytest.mark.parametrize("method", ["he", "xavier", "glorot"])
@pytest.mark.parametrize(("n", "n_prev"), [(128, 784), (300, 70), (1000, 20)])
def test_torch_draws_have_our_variance(
    method: str, n: int, n_prev: int
) -> None:
    """mean(W^2) of k N(0, s^2) draws: s^2 chi2(k)/k, sd s^2 sqrt(2/k)."""
    W = _torch_draw(method, n, n_prev, seed=n + n_prev).numpy()
    s2 = _our_factor(method, n, n_prev) ** 2
    assert abs(np.mean(W**2) - s2) <= 5 * s2 * math.sqrt(2 / W.size)


@pytest.mark.parametrize("keep_prob", [0.5, 0.8, 0.95])
def test_row_dropout_rate_torch_dropout(keep_prob: float) -> None:
    rng = np.random.default_rng(0)
    A = rng.uniform(0.5, 2.0, (20, 30)) * rng.choice([-1.0, 1.0], (20, 30))
    G = rng.standard_normal((20, 30))
    torch.manual_seed(1)
    A_t = torch.tensor(A, requires_grad=True)
    out = torch.nn.functional.dropout(A_t, p=1 - keep_prob, training=True)
    out.backward(torch.tensor(G))
    out_np = out.detach().numpy()
    D = out_np != 0  # A has no zeros: torch's mask is where its output is
    assert 0 < D.mean() < 1
    # torch scales kept units by 1 / keep_prob too (inverted dropout)
    np.testing.assert_allclose(out_np[D], A[D] / keep_prob, rtol=1e-12)
    # our forward with the same mask (uniforms 0 where kept, 0.999 not)
    U = np.where(D, 0.0, 0.999)
    A_dropped, D_ours = dropout_forward(A, keep_prob, FixedUniforms(U))
    np.testing.assert_array_equal(D_ours, D)
    assert _relative(A_dropped, out_np) <= 1e-12
    # our backward against torch's autograd
    assert A_t.grad is not None
    assert (
        _relative(dropout_backward(G, D, keep_prob), A_t.grad.numpy()) <= 1e-12
    )


def _torch_cost_and_grads(
    X: np.ndarray,
    Y: np.ndarray,
    parameters: dict[str, np.ndarray],
    masks: list[np.ndarray | None],
    keep_prob: float,
    lambd: float,
) -> tuple[np.ndarray, float, dict[str, np.ndarray]]:
    L = len(parameters) // 2
    m = X.shape[1]
    p = {k: torch.tensor(v, requires_grad=True) for k, v in parameters.items()}
    A = torch.tensor(X)
    for layer in range(1, L):
        A = torch.relu(p[f"W{layer}"] @ A + p[f"b{layer}"])
        D = masks[layer]
        if D is not None:
            A = A * torch.tensor(D, dtype=torch.float64) / keep_prob
    ZL = p[f"W{L}"] @ A + p[f"b{L}"]
    AL = torch.sigmoid(ZL)
    cross_entropy = torch.nn.functional.binary_cross_entropy_with_logits(
        ZL, torch.tensor(Y), reduction="mean"
    )
    l2 = sum(torch.sum(p[f"W{layer}"] ** 2) for layer in range(1, L + 1))
    cost = cross_entropy + lambd / (2 * m) * l2
    cost.backward()
    grads = {"d" + k: v.grad.numpy() for k, v in p.items()}  # type: ignore[union-attr]
    return AL.detach().numpy(), float(cost.detach()), grads


@pytest.mark.parametrize(
    ("layer_dims", "keep_prob", "lambd"),
    [
        ([5, 1], 1.0, 0.0),
        ([5, 7, 1], 1.0, 0.0),
        ([5, 7, 6, 1], 1.0, 0.7),
        ([5, 7, 6, 1], 0.8, 0.0),
        ([5, 7, 6, 4, 1], 0.6, 0.3),
        ([784, 128, 64, 1], 0.9, 0.1),
    ],
)
def test_network_matches_torch_autograd(
    layer_dims: list[int], keep_prob: float, lambd: float
) -> None:
    rng = np.random.default_rng(len(layer_dims))
    m = 16
    X = rng.standard_normal((layer_dims[0], m))
    Y = (rng.random((1, m)) < 0.5).astype(np.float64)
    parameters = initialize_parameters(layer_dims, "he", rng)
    for key in parameters:
        if key[0] == "b":
            parameters[key] = 0.1 * rng.standard_normal(parameters[key].shape)
    AL, caches = forward_propagation(
        X, parameters, keep_prob, np.random.default_rng(7)
    )
    masks = [cache[2] for cache in caches]  # D_prev of each layer: D1, D2...
    if keep_prob < 1:
        assert all(D is not None for D in masks[1:])
    cost = compute_cost(AL, Y, parameters, lambd)
    grads = backward_propagation(AL, Y, caches, lambd, keep_prob)

    AL_t, cost_t, grads_t = _torch_cost_and_grads(
        X, Y, parameters, masks, keep_prob, lambd
    )
    assert _relative(AL, AL_t) <= 1e-12
    assert abs(cost - cost_t) <= 1e-12 * abs(cost_t)
    assert sorted(grads) == sorted(grads_t)
    for key, value in grads_t.items():
        assert _relative(grads[key], value) <= 1e-10, key


def test_row_dropout_mode_torch_train_eval() -> None:
    keep_prob = 0.8
    A = np.random.default_rng(3).uniform(0.5, 2.0, (50, 40))
    layer = torch.nn.Dropout(p=1 - keep_prob)
    layer.train()  # the default of a new module
    torch.manual_seed(2)
    out = layer(torch.tensor(A)).numpy()
    D = out != 0
    assert 0.7 < D.mean() < 0.9
    A_dropped, _ = dropout_forward(A, keep_prob, FixedUniforms(1.0 - D))
    assert _relative(A_dropped, out) <= 1e-12
    layer.eval()  # test time: nothing dropped, nothing scaled
    np.testing.assert_array_equal(layer(torch.tensor(A)).numpy(), A)
    A_test, _ = dropout_forward(A, keep_prob=1.0)
    np.testing.assert_array_equal(A_test, A)
