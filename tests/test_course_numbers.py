"""Published numbers reproduced with a legacy ``np.random.RandomState``.

Oracles: the expected outputs printed in the course's assignment notebooks
(Improving Deep Neural Networks, "Regularization" and "Optimization
methods", with their ``testCases.py``) and in the executed CS231n 2017
batch-normalization notebook; docs/course-numbers.md cites the exact
files. The He and mini-batch checks are in test_initialization.py and
test_minibatch.py. NumPy prints 8 digits, so each value is matched to half
a unit of its last digit.
"""

from __future__ import annotations

import numpy as np

from dnnref.batchnorm import (
    batchnorm_forward,
    batchnorm_inference,
    update_running_averages,
)
from dnnref.network import forward_propagation
from dnnref.optimizers import adam_update, momentum_update

PRINTED = {"rtol": 5e-9, "atol": 5e-9}


def _optimizer_test_case() -> tuple[dict[str, np.ndarray], dict]:
    """update_parameters_with_{momentum,adam}_test_case: seed 1."""
    rng = np.random.RandomState(1)
    shapes = {"W1": (2, 3), "b1": (2, 1), "W2": (3, 3), "b2": (3, 1)}
    parameters = {k: rng.standard_normal(s) for k, s in shapes.items()}
    grads = {"d" + k: rng.standard_normal(s) for k, s in shapes.items()}
    return parameters, grads


def test_dropout_forward_seed_1() -> None:
    rng = np.random.RandomState(1)  # forward_propagation_with_dropout_test
    X = rng.standard_normal((3, 5))
    shapes = {"W1": (2, 3), "b1": (2, 1), "W2": (3, 2), "b2": (3, 1)}
    shapes |= {"W3": (1, 3), "b3": (1, 1)}
    parameters = {k: rng.standard_normal(s) for k, s in shapes.items()}
    A3, _ = forward_propagation(X, parameters, 0.7, np.random.RandomState(1))
    np.testing.assert_allclose(
        A3,
        [[0.36974721, 0.00305176, 0.04565099, 0.49683389, 0.36974721]],
        **PRINTED,
    )


def test_momentum_test_case() -> None:
    parameters, grads = _optimizer_test_case()
    new, v = {}, {}
    for key, W in parameters.items():
        new[key], v[key] = momentum_update(
            W, grads["d" + key], np.zeros_like(W), 0.9, 0.01
        )
    expected = {
        "W1": [
            [1.62544598, -0.61290114, -0.52907334],
            [-1.07347112, 0.86450677, -2.30085497],
        ],
        "b1": [[1.74493465], [-0.76027113]],
        "W2": [
            [0.31930698, -0.24990073, 1.4627996],
            [-2.05974396, -0.32173003, -0.38320915],
            [1.13444069, -1.0998786, -0.1713109],
        ],
        "b2": [[-0.87809283], [0.04055394], [0.58207317]],
    }
    for key, value in expected.items():
        np.testing.assert_allclose(new[key], value, **PRINTED)
    np.testing.assert_allclose(
        v["W2"],
        [
            [-0.02678881, 0.05303555, -0.06916608],
            [-0.03967535, -0.06871727, -0.08452056],
            [-0.06712461, -0.00126646, -0.11173103],
        ],
        **PRINTED,
    )
    np.testing.assert_allclose(
        v["b1"], [[-0.01228902], [-0.09357694]], **PRINTED
    )


def test_adam_test_case_t_2() -> None:
    parameters, grads = _optimizer_test_case()
    new, s = {}, {}
    for key, W in parameters.items():
        zeros = np.zeros_like(W)
        new[key], _, s[key] = adam_update(W, grads["d" + key], zeros, zeros, 2)
    expected = {
        "W1": [
            [1.63178673, -0.61919778, -0.53561312],
            [-1.08040999, 0.85796626, -2.29409733],
        ],
        "b1": [[1.75225313], [-0.75376553]],
        # the executed output; the notebook's hand-written table has
        # -1.09245036 and -0.88529978 (epsilon inside the square root)
        "W2": [
            [0.32648046, -0.25681174, 1.46954931],
            [-2.05269934, -0.31497584, -0.37661299],
            [1.14121081, -1.09244991, -0.16498684],
        ],
        "b2": [[-0.88529979], [0.03477238], [0.57537385]],
    }
    for key, value in expected.items():
        np.testing.assert_allclose(new[key], value, **PRINTED)
    np.testing.assert_allclose(
        s["W2"],
        [
            [7.17640232e-05, 2.81276921e-04, 4.78394595e-04],
            [1.57413361e-04, 4.72206320e-04, 7.14372576e-04],
            [4.50571368e-04, 1.60392066e-07, 1.24838242e-03],
        ],
        **PRINTED,
    )


def test_cs231n_batchnorm_forward() -> None:
    rng = np.random.RandomState(231)
    X = rng.standard_normal((200, 50))
    W1, W2 = rng.standard_normal((50, 60)), rng.standard_normal((60, 3))
    Z = (np.maximum(0, X @ W1) @ W2).T  # (3, 200), the course's layout
    np.testing.assert_allclose(
        Z.mean(axis=1), [-2.3814598, -13.18038246, 1.91780462], **PRINTED
    )
    np.testing.assert_allclose(
        Z.std(axis=1), [27.18502186, 34.21455511, 37.68611762], **PRINTED
    )
    gamma = np.array([[1.0], [2.0], [3.0]])
    beta = np.array([[11.0], [12.0], [13.0]])
    Z_tilde, _ = batchnorm_forward(Z, gamma, beta, epsilon=1e-5)
    np.testing.assert_allclose(Z_tilde.mean(axis=1), [11, 12, 13], **PRINTED)
    np.testing.assert_allclose(
        Z_tilde.std(axis=1), [0.99999999, 1.99999999, 2.99999999], **PRINTED
    )


def test_cs231n_batchnorm_test_time() -> None:
    rng = np.random.RandomState(231)
    W1, W2 = rng.standard_normal((50, 60)), rng.standard_normal((60, 3))
    ones, zeros = np.ones((3, 1)), np.zeros((3, 1))
    running_mean, running_var = zeros, zeros  # CS231n starts both at 0
    for _ in range(50):
        Z = (np.maximum(0, rng.standard_normal((200, 50)) @ W1) @ W2).T
        _, cache = batchnorm_forward(Z, ones, zeros, epsilon=1e-5)
        running_mean, running_var = update_running_averages(
            running_mean, running_var, cache["mu"], cache["var"], 0.9
        )
    Z = (np.maximum(0, rng.standard_normal((200, 50)) @ W1) @ W2).T
    Z_tilde = batchnorm_inference(
        Z, ones, zeros, running_mean, running_var, epsilon=1e-5
    )
    np.testing.assert_allclose(
        Z_tilde.mean(axis=1),
        [-0.03927354, -0.04349152, -0.10452688],
        **PRINTED,
    )
    np.testing.assert_allclose(
        Z_tilde.std(axis=1), [1.01531428, 1.01238373, 0.97819988], **PRINTED
    )
