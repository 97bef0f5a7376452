"""The course's layout against torch.nn.Linear, in float64.

The course keeps examples in columns: X is (n_x, m), W[l] is
(n[l], n[l-1]), Z = W X + b. torch keeps examples in rows (batch first):
``nn.Linear(n[l-1], n[l])`` has ``weight`` of the course's shape
(n[l], n[l-1]) and computes X.T @ weight.T + bias, which is Z.T. With a
loss that averages over the batch (``reduction="mean"``, the default) its
``weight.grad`` is the course's dW, of the same shape.
"""

from __future__ import annotations

import numpy as np
import torch
from oracles import rel

from dnnref.network import backward_propagation, forward_propagation

TOL = 1e-10


def _layer(W: np.ndarray, b: np.ndarray) -> torch.nn.Linear:
    n, n_prev = W.shape
    layer = torch.nn.Linear(n_prev, n, dtype=torch.float64)
    assert tuple(layer.weight.shape) == W.shape  # (n[l], n[l-1])
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(W))
        layer.bias.copy_(torch.tensor(b[:, 0]))
    return layer


def test_row_layout_dense_torch_linear() -> None:
    rng = np.random.default_rng(0)
    X, W, b = (rng.standard_normal(s) for s in ((5, 7), (3, 5), (3, 1)))
    Z_T = _layer(W, b)(torch.tensor(X.T)).detach().numpy()  # (m, n[l])
    assert rel(Z_T, (W @ X + b).T) <= TOL


def test_row_layout_gradients_torch_linear_grad() -> None:
    rng = np.random.default_rng(1)
    m = 16
    X = rng.standard_normal((5, m))
    Y = (rng.random((1, m)) < 0.5).astype(float)
    parameters = {
        "W1": rng.standard_normal((4, 5)),
        "b1": rng.standard_normal((4, 1)),
        "W2": rng.standard_normal((1, 4)),
        "b2": rng.standard_normal((1, 1)),
    }
    AL, caches = forward_propagation(X, parameters)
    grads = backward_propagation(AL, Y, caches)

    layer1 = _layer(parameters["W1"], parameters["b1"])
    layer2 = _layer(parameters["W2"], parameters["b2"])
    logits = layer2(torch.relu(layer1(torch.tensor(X.T))))  # (m, 1)
    loss = torch.nn.BCEWithLogitsLoss()(logits, torch.tensor(Y.T))
    loss.backward()
    for layer, l in ((layer1, 1), (layer2, 2)):
        assert rel(layer.weight.grad.numpy(), grads[f"dW{l}"]) <= TOL
        assert rel(layer.bias.grad.numpy(), grads[f"db{l}"][:, 0]) <= TOL
