"""Cross-check dnnref.batchnorm against PyTorch's batch norm, in float64.

Layouts: the course's Z is (n[l], m), examples in columns; PyTorch's input
to ``torch.nn.functional.batch_norm`` is (m, n[l]), examples in rows, with
``weight`` = gamma and ``bias`` = beta as 1-D tensors of length n[l].  So
every comparison transposes.

Mappings:

- training mode: ``batch_norm(Z.T, None, None, gamma, beta, training=True,
  eps=epsilon)`` normalizes with the biased batch variance, as the course.
- test mode: ``batch_norm(Z.T, running_mean, running_var, gamma, beta,
  training=False, eps=epsilon)``.
- running averages: our ``momentum`` (weight of the old estimate, the
  course's beta of an exponentially weighted average) is PyTorch's
  ``1 - momentum``; PyTorch's running_var averages the unbiased variance
  m / (m - 1) * var, which ``update_running_averages(..., m=m)`` reproduces.
  Both start from running_mean = 0 and running_var = 1.

Relative differences must be <= 1e-10.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from dnnref.batchnorm import (
    batchnorm_backward,
    batchnorm_forward,
    batchnorm_inference,
    update_running_averages,
)

TOL = 1e-10
CASES = [(1, 2, 1e-5), (3, 5, 1e-5), (4, 16, 1e-8), (6, 64, 1e-3)]


def _rel(a: np.ndarray, b: np.ndarray) -> float:
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return float(np.linalg.norm(a - b) / scale) if scale else 0.0


def _t(a: np.ndarray) -> torch.Tensor:
    return torch.tensor(a, dtype=torch.float64)


def _problem(n: int, m: int, seed: int):
    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((n, m)) * 2 + rng.standard_normal((n, 1))
    gamma = rng.standard_normal((n, 1))
    beta = rng.standard_normal((n, 1))
    return Z, gamma, beta


@pytest.mark.parametrize(("n", "m", "epsilon"), CASES)
def test_row_bn_axis_torch_batch_first(n, m, epsilon) -> None:
    Z, gamma, beta = _problem(n, m, seed=n + 10 * m)
    Z_tilde, cache = batchnorm_forward(Z, gamma, beta, epsilon)
    expected = torch.nn.functional.batch_norm(
        _t(Z.T),
        None,
        None,
        _t(gamma[:, 0]),
        _t(beta[:, 0]),
        training=True,
        eps=epsilon,
    )
    assert expected.dtype == torch.float64
    assert _rel(Z_tilde, expected.numpy().T) <= TOL
    # torch's own statistics for the same batch: mean and biased variance
    var, mean = torch.var_mean(_t(Z), dim=1, keepdim=True, correction=0)
    assert _rel(cache["mu"], mean.numpy()) <= TOL
    assert _rel(cache["var"], var.numpy()) <= TOL


@pytest.mark.parametrize(("n", "m", "epsilon"), CASES)
def test_backward_matches_torch_autograd(n, m, epsilon) -> None:
    Z, gamma, beta = _problem(n, m, seed=n + 10 * m + 1)
    G = np.random.default_rng(m).standard_normal((n, m))
    _, cache = batchnorm_forward(Z, gamma, beta, epsilon)
    dZ, dgamma, dbeta = batchnorm_backward(G, cache)

    Z_t = _t(Z.T).requires_grad_()
    gamma_t = _t(gamma[:, 0]).requires_grad_()
    beta_t = _t(beta[:, 0]).requires_grad_()
    out = torch.nn.functional.batch_norm(
        Z_t, None, None, gamma_t, beta_t, training=True, eps=epsilon
    )
    out.backward(_t(G.T))
    assert _rel(dZ, Z_t.grad.numpy().T) <= TOL
    assert _rel(dgamma[:, 0], gamma_t.grad.numpy()) <= TOL
    assert _rel(dbeta[:, 0], beta_t.grad.numpy()) <= TOL


@pytest.mark.parametrize(("n", "m", "epsilon"), [*CASES, (3, 1, 1e-5)])
def test_inference_matches_torch_eval_mode(n, m, epsilon) -> None:
    Z, gamma, beta = _problem(n, m, seed=n + 10 * m + 2)
    rng = np.random.default_rng(n)
    running_mean = rng.standard_normal((n, 1))
    running_var = rng.random((n, 1)) * 3 + 0.1
    got = batchnorm_inference(
        Z, gamma, beta, running_mean, running_var, epsilon
    )
    expected = torch.nn.functional.batch_norm(
        _t(Z.T),
        _t(running_mean[:, 0]),
        _t(running_var[:, 0]),
        _t(gamma[:, 0]),
        _t(beta[:, 0]),
        training=False,
        eps=epsilon,
    )
    assert _rel(got, expected.numpy().T) <= TOL


@pytest.mark.parametrize(("n", "m", "momentum"), [(3, 8, 0.9), (5, 2, 0.5)])
def test_row_bn_momentum_torch_one_minus_beta(n, m, momentum) -> None:
    assert torch.nn.BatchNorm1d(n).momentum == 0.1  # beta = 0.9
    layer = torch.nn.BatchNorm1d(
        n, eps=1e-5, momentum=1 - momentum, dtype=torch.float64
    )
    layer.train()
    running_mean, running_var = np.zeros((n, 1)), np.ones((n, 1))
    rng = np.random.default_rng(0)
    for _ in range(12):
        Z = rng.standard_normal((n, m)) * 3 + rng.standard_normal((n, 1))
        out = layer(_t(Z.T))
        Z_tilde, cache = batchnorm_forward(
            Z,
            layer.weight.detach().numpy()[:, np.newaxis],
            layer.bias.detach().numpy()[:, np.newaxis],
            epsilon=1e-5,
        )
        assert _rel(Z_tilde, out.detach().numpy().T) <= TOL
        running_mean, running_var = update_running_averages(
            running_mean,
            running_var,
            cache["mu"],
            cache["var"],
            momentum=momentum,
            m=m,
        )
    torch_mean = layer.running_mean.numpy()[:, np.newaxis]
    torch_var = layer.running_var.numpy()[:, np.newaxis]
    assert _rel(running_mean, torch_mean) <= TOL
    assert _rel(running_var, torch_var) <= TOL

    # then test mode, one example at a time, with those running statistics
    layer.eval()
    Z = rng.standard_normal((n, 4))
    for i in range(4):
        got = batchnorm_inference(
            Z[:, i : i + 1],
            layer.weight.detach().numpy()[:, np.newaxis],
            layer.bias.detach().numpy()[:, np.newaxis],
            running_mean,
            running_var,
            epsilon=1e-5,
        )
        expected = layer(_t(Z[:, i : i + 1].T)).detach().numpy().T
        assert _rel(got, expected) <= TOL


def test_row_bn_running_var_torch_unbiased() -> None:
    # Without m, the running variance averages the biased batch variance:
    # after one step from running_var = 0 the two differ by (m - 1) / m.
    n, m, momentum = 3, 4, 0.9
    Z, _, _ = _problem(n, m, seed=5)
    layer = torch.nn.BatchNorm1d(n, momentum=1 - momentum, dtype=torch.float64)
    layer.running_var.zero_()
    layer(_t(Z.T))
    _, cache = batchnorm_forward(Z, np.ones((n, 1)), np.zeros((n, 1)))
    _, running_var = update_running_averages(
        np.zeros((n, 1)), np.zeros((n, 1)), cache["mu"], cache["var"], momentum
    )
    torch_var = layer.running_var.numpy()[:, np.newaxis]
    assert _rel(running_var, torch_var * (m - 1) / m) <= TOL


def test_torch_rejects_one_example_in_training_as_we_do() -> None:
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        torch.nn.functional.batch_norm(
            torch.ones((1, 3), dtype=torch.float64), None, None, training=True
        )
    with pytest.raises(ValueError, match="m >= 2 examples in training"):
        batchnorm_forward(np.ones((3, 1)), np.ones((3, 1)), np.ones((3, 1)))


def test_row_bn_epsilon_torch_default() -> None:
    layer = torch.nn.BatchNorm1d(3, dtype=torch.float64)
    assert layer.eps == 1e-5
    # units of small variance: the epsilon of the course (1e-8) and torch's
    # default (1e-5) give visibly different outputs
    Z = _problem(3, 16, seed=7)[0] * 1e-3
    out = layer(_t(Z.T)).detach().numpy().T
    ones, zeros = np.ones((3, 1)), np.zeros((3, 1))
    assert _rel(out, batchnorm_forward(Z, ones, zeros, 1e-5)[0]) <= TOL
    assert _rel(out, batchnorm_forward(Z, ones, zeros, 1e-8)[0]) > 1e-3


def test_row_bn_mode_torch_train_eval() -> None:
    n, m, momentum = 4, 8, 0.9
    layer = torch.nn.BatchNorm1d(n, momentum=1 - momentum, dtype=torch.float64)
    Z, _, _ = _problem(n, m, seed=8)
    ones, zeros = np.ones((n, 1)), np.zeros((n, 1))
    assert layer.training  # a new module trains: batch statistics
    out = layer(_t(Z.T)).detach().numpy().T
    Z_tilde, cache = batchnorm_forward(Z, ones, zeros, 1e-5)
    assert _rel(out, Z_tilde) <= TOL
    running_mean, running_var = update_running_averages(
        zeros, ones, cache["mu"], cache["var"], momentum, m=m
    )
    layer.eval()  # test time: the running averages, any m, even 1
    Z_test = np.random.default_rng(9).standard_normal((n, 1))
    out = layer(_t(Z_test.T)).detach().numpy().T
    expected = batchnorm_inference(
        Z_test, ones, zeros, running_mean, running_var, 1e-5
    )
    assert _rel(out, expected) <= TOL
