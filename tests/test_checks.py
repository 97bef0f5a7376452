"""Tests of dnnref.checks, the learners' self-checks.

Each check must accept the reference function, and reject wrong versions
written the way a learner writes them (below, independently of the slip
formulas inside ``dnnref.checks``) with the right mistake named.  Then the
general behaviour: a function that raises, returns None, nan, the wrong
shape or type, modifies its input, has another signature or default,
ignores its rng; the result's repr and HTML; purity; argument checks.
"""

# ruff: noqa: ARG001, ARG002, ARG005, NPY002, SIM300
# (wrong versions keep the signature they must have, and use np.random and
# names like D the way learners do; the tests read np.random's state)
from __future__ import annotations

import html
import re
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import pytest

import dnnref
from dnnref import checks
from dnnref.checks._averages import _EWA
from dnnref.checks._batchnorm import (
    _BN_BACKWARD,
    _BN_FORWARD,
    _BN_INFERENCE,
    _RUNNING,
)
from dnnref.checks._cases import _Slip
from dnnref.checks._compare import _compare
from dnnref.checks._decay import _DECAY
from dnnref.checks._engine import _Outcome, _slip_matches
from dnnref.checks._gradcheck import _GRADIENT_CHECK
from dnnref.checks._initialization import _INIT
from dnnref.checks._minibatch import _MINI_BATCHES
from dnnref.checks._network import _BACKWARD, _COST, _FORWARD
from dnnref.checks._normalization import _NORMALIZATION, _NORMALIZE
from dnnref.checks._optimizers import (
    _ADAM,
    _GD,
    _MOMENTUM,
    _RMSPROP,
    _gd_cases,
)
from dnnref.checks._regularization import (
    _DROPOUT_BACKWARD,
    _DROPOUT_FORWARD,
    _L2,
)

# check name -> (check function, reference function, module-level spec)
CHECKS: dict[str, tuple[Callable[..., Any], Callable[..., Any], Any]] = {
    "adam_update": (
        checks.check_adam_update,
        dnnref.adam_update,
        _ADAM,
    ),
    "backward_propagation": (
        checks.check_backward_propagation,
        dnnref.backward_propagation,
        _BACKWARD,
    ),
    "batchnorm_backward": (
        checks.check_batchnorm_backward,
        dnnref.batchnorm_backward,
        _BN_BACKWARD,
    ),
    "batchnorm_forward": (
        checks.check_batchnorm_forward,
        dnnref.batchnorm_forward,
        _BN_FORWARD,
    ),
    "batchnorm_inference": (
        checks.check_batchnorm_inference,
        dnnref.batchnorm_inference,
        _BN_INFERENCE,
    ),
    "compute_cost": (
        checks.check_compute_cost,
        dnnref.compute_cost,
        _COST,
    ),
    "compute_normalization": (
        checks.check_compute_normalization,
        dnnref.compute_normalization,
        _NORMALIZATION,
    ),
    "dropout_backward": (
        checks.check_dropout_backward,
        dnnref.dropout_backward,
        _DROPOUT_BACKWARD,
    ),
    "dropout_forward": (
        checks.check_dropout_forward,
        dnnref.dropout_forward,
        _DROPOUT_FORWARD,
    ),
    "exponentially_weighted_average": (
        checks.check_exponentially_weighted_average,
        dnnref.exponentially_weighted_average,
        _EWA,
    ),
    "forward_propagation": (
        checks.check_forward_propagation,
        dnnref.forward_propagation,
        _FORWARD,
    ),
    "gd_update": (checks.check_gd_update, dnnref.gd_update, _GD),
    "gradient_check": (
        checks.check_gradient_check,
        dnnref.gradient_check,
        _GRADIENT_CHECK,
    ),
    "initialize_parameters": (
        checks.check_initialize_parameters,
        dnnref.initialize_parameters,
        _INIT,
    ),
    "l2_penalty": (checks.check_l2_penalty, dnnref.l2_penalty, _L2),
    "learning_rate_decay": (
        checks.check_learning_rate_decay,
        dnnref.learning_rate_decay,
        _DECAY,
    ),
    "momentum_update": (
        checks.check_momentum_update,
        dnnref.momentum_update,
        _MOMENTUM,
    ),
    "normalize": (checks.check_normalize, dnnref.normalize, _NORMALIZE),
    "random_mini_batches": (
        checks.check_random_mini_batches,
        dnnref.random_mini_batches,
        _MINI_BATCHES,
    ),
    "rmsprop_update": (
        checks.check_rmsprop_update,
        dnnref.rmsprop_update,
        _RMSPROP,
    ),
    "update_running_averages": (
        checks.check_update_running_averages,
        dnnref.update_running_averages,
        _RUNNING,
    ),
}


def test_every_check_is_public_and_named_after_its_reference() -> None:
    public = {n for n in checks.__all__ if n.startswith("check_")}
    assert len(public) >= 16
    assert public == {f"check_{name}" for name in CHECKS}
    for name in CHECKS:
        assert name in dnnref.__all__
        assert getattr(checks, f"check_{name}") is CHECKS[name][0]


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_the_reference_passes(name: str) -> None:
    check, reference, _ = CHECKS[name]
    result = check(reference)
    assert result.passed, repr(result)
    assert bool(result)
    assert result.failure is None
    assert result.mistake is None
    assert result.hint is None
    assert result.n_failed == 0
    assert result.n_cases >= 3
    assert " ".join(repr(result).split()) == (
        f"PASSED: {name} matches the reference on {result.n_cases} cases."
    )


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_a_check_is_fast(name: str) -> None:
    """Pages run checks during the build: well under 50 ms each.

    CPU time of this process (the machine may be busy), best of 3.
    """
    check, reference, _ = CHECKS[name]
    best = np.inf
    for _ in range(3):
        start = time.process_time()
        check(reference)
        best = min(best, time.process_time() - start)
    assert best < 0.05, f"{name}: {best * 1e3:.1f} ms"


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_every_slip_is_named_when_made(name: str) -> None:
    """A function that makes exactly one known slip gets that slip's name.

    This is a property of the diagnosis, not an oracle of the formulas (the
    hand-written wrong versions below are): no two slips of a check may be
    confused, and each must change some case's output.
    """
    check, _, spec = CHECKS[name]
    for slip in spec.slips:
        with np.errstate(all="ignore"):
            result = check(slip.fn)
        assert not result.passed, f"{slip.name}: passes every case"
        assert result.mistake == slip.name, (
            f"{slip.name!r} diagnosed as {result.mistake!r}"
        )
        assert result.hint == slip.hint
        assert result.hint.endswith(".")


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_docstrings_list_the_diagnosed_slips(name: str) -> None:
    check, _, spec = CHECKS[name]
    doc = " ".join((check.__doc__ or "").split())
    diagnoses = doc.split("Diagnoses: ")[1].split(" Parameters ")[0]
    for slip in spec.slips:
        assert slip.name in diagnoses, f"{name}: {slip.name} not listed"


# ---------------------------------------------------------------------------
# Wrong versions, written as a learner would write them


def norm_variance(X):
    mu = np.mean(X, axis=1, keepdims=True)
    var = np.var(X, axis=1, keepdims=True)
    var[var == 0] = 1
    return mu, var


def norm_ddof1(X):
    sigma = np.std(X, axis=1, ddof=1, keepdims=True)
    return np.mean(X, axis=1, keepdims=True), np.where(sigma == 0, 1, sigma)


def norm_no_zero_fix(X):
    return X.mean(axis=1, keepdims=True), X.std(axis=1, keepdims=True)


def normalize_variance(X, mu, sigma):
    return (X - mu) / np.square(sigma)


def normalize_precedence(X, mu, sigma):
    return X - mu / sigma


def init_he_variance(layer_dims, method="he", rng=None, scale=10.0):
    parameters = {}
    for l in range(1, len(layer_dims)):
        W = rng.standard_normal((layer_dims[l], layer_dims[l - 1]))
        parameters["W" + str(l)] = W * (2 / layer_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


def init_factor(method, n_prev, n):
    return {
        "he": np.sqrt(2 / n_prev),
        "xavier": np.sqrt(2 / (n_prev + n)),  # Glorot's, for Xavier
        "glorot": np.sqrt(1 / (n_prev + n)),  # the notes' Glorot
    }[method]


def init_xavier_is_glorot(layer_dims, method="he", rng=None, scale=10.0):
    parameters = {}
    for l in range(1, len(layer_dims)):
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        factor = init_factor(method, n_prev, n)
        if method == "glorot":
            factor = np.sqrt(2 / (n_prev + n))
        parameters[f"W{l}"] = rng.standard_normal((n, n_prev)) * factor
        parameters[f"b{l}"] = np.zeros((n, 1))
    return parameters


def init_notes_glorot(layer_dims, method="he", rng=None, scale=10.0):
    parameters = {}
    for l in range(1, len(layer_dims)):
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        factor = init_factor(method, n_prev, n)
        if method == "xavier":
            factor = np.sqrt(1 / n_prev)
        parameters[f"W{l}"] = rng.standard_normal((n, n_prev)) * factor
        parameters[f"b{l}"] = np.zeros((n, 1))
    return parameters


def init_course_style(layer_dims, method="he", rng=None, scale=10.0):
    """The assignments' np.random.randn: ignores rng."""
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = np.random.randn(
            layer_dims[l], layer_dims[l - 1]
        ) * np.sqrt(2 / layer_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


def init_legacy_only(layer_dims, method="he", rng=None, scale=10.0):
    """rng.randn works on a RandomState only."""
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = rng.randn(
            layer_dims[l], layer_dims[l - 1]
        ) * np.sqrt(2 / layer_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


def forward_factory(mask, rescale):
    def forward(X, parameters, keep_prob=1.0, rng=None):
        L = len(parameters) // 2
        A = X
        for l in range(1, L + 1):
            Z = np.dot(parameters[f"W{l}"], A) + parameters[f"b{l}"]
            if l == L:
                return 1 / (1 + np.exp(-Z)), None
            A = np.maximum(0, Z)
            if keep_prob < 1:
                D = mask(rng, A) < keep_prob
                A = A * D / keep_prob if rescale else A * D
        return None

    return forward


forward_not_rescaled = forward_factory(lambda rng, A: rng.random(A.shape), 0)
forward_per_unit = forward_factory(
    lambda rng, A: rng.random((A.shape[0], 1)), 1
)
forward_randn = forward_factory(lambda rng, A: rng.standard_normal(A.shape), 1)
forward_per_example = forward_factory(
    lambda rng, A: rng.random((1, A.shape[1])), 1
)
forward_transposed = forward_factory(
    lambda rng, A: rng.random((A.shape[1], A.shape[0])).T, 1
)


def cross_entropy(AL, Y):
    m = Y.shape[1]
    return -np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m


def cost_over_m(AL, Y, parameters=None, lambd=0.0):
    m = Y.shape[1]
    cost = cross_entropy(AL, Y)
    if parameters is not None:
        L = len(parameters) // 2
        squares = sum(
            np.sum(np.square(parameters[f"W{l}"])) for l in range(1, L + 1)
        )
        cost += lambd / m * squares
    return float(cost)


def cost_with_biases(AL, Y, parameters=None, lambd=0.0):
    m = Y.shape[1]
    squares = sum(np.sum(p**2) for p in (parameters or {}).values())
    return float(cross_entropy(AL, Y) + lambd / (2 * m) * squares)


def cost_as_array(AL, Y, parameters=None, lambd=0.0):
    m = Y.shape[1]
    cost = -(Y @ np.log(AL).T + (1 - Y) @ np.log(1 - AL).T) / m  # (1, 1)
    if lambd > 0:
        squares = sum(np.sum(W**2) for k, W in parameters.items() if "W" in k)
        cost += lambd / (2 * m) * squares
    return cost


def l2_over_m(parameters, lambd, m):
    return (
        lambd
        / m
        * sum(np.sum(W**2) for k, W in parameters.items() if k[0] == "W")
    )


def l2_norms(parameters, lambd, m):
    norms = [np.linalg.norm(W) for k, W in parameters.items() if k[0] == "W"]
    return lambd / (2 * m) * sum(norms)


def backward_factory(l2_scale, rescale):
    def backward(AL, Y, caches, lambd=0.0, keep_prob=1.0):
        m = Y.shape[1]
        grads = {}
        dZ = AL - Y
        for l in reversed(range(1, len(caches) + 1)):
            A_prev, W, D_prev = caches[l - 1]
            grads["dW" + str(l)] = dZ @ A_prev.T / m + l2_scale(lambd, m) * W
            grads["db" + str(l)] = np.sum(dZ, axis=1, keepdims=True) / m
            dA = W.T @ dZ
            grads["dA" + str(l - 1)] = dA
            if D_prev is not None:
                dA = dA * D_prev
                if rescale:
                    dA = dA / keep_prob
            dZ = np.multiply(dA, np.int64(A_prev > 0))
        return grads

    return backward


backward_l2_half = backward_factory(lambda lambd, m: lambd / (2 * m), 1)
backward_l2_no_m = backward_factory(lambda lambd, m: lambd, 1)
backward_not_rescaled = backward_factory(lambda lambd, m: lambd / m, 0)


def dropout_not_rescaled(A, keep_prob, rng=None):
    D = rng.random(A.shape)
    D = (D < keep_prob).astype(int)
    return A * D, D


def dropout_reversed(A, keep_prob, rng=None):
    D = rng.random(A.shape) > keep_prob
    return A * D / keep_prob, D


def dropout_course_ints(A, keep_prob, rng=None):
    """Right: a 0/1 int mask, drawn even when keep_prob = 1."""
    D = (rng.random((A.shape[0], A.shape[1])) < keep_prob).astype(int)
    return np.multiply(A, D) / keep_prob, D


def dropout_per_example(A, keep_prob, rng=None):
    """One mask entry per example, broadcast over the units."""
    D = rng.random((1, A.shape[1])) < keep_prob
    return A * D / keep_prob, D


def dropout_global(A, keep_prob, rng=None):
    D = np.random.rand(*A.shape) < keep_prob
    return A * D / keep_prob, D


def dropout_backward_not_rescaled(dA, D, keep_prob):
    return dA * D


def dropout_backward_inverted(dA, D, keep_prob):
    return dA * (1 - D) / keep_prob


def batches_unshuffled(X, Y, mini_batch_size=64, rng=None):
    m = X.shape[1]
    return [
        (X[:, k : k + mini_batch_size], Y[:, k : k + mini_batch_size])
        for k in range(0, m, mini_batch_size)
    ]


def batches_separately(X, Y, mini_batch_size=64, rng=None):
    m = X.shape[1]
    X = X[:, rng.permutation(m)]
    Y = Y[:, rng.permutation(m)]
    return batches_unshuffled(X, Y, mini_batch_size)


def batches_floor_only(X, Y, mini_batch_size=64, rng=None):
    m = X.shape[1]
    permutation = list(rng.permutation(m))
    X, Y = X[:, permutation], Y[:, permutation].reshape((1, m))
    batches = []
    for k in range(m // mini_batch_size):
        cut = slice(k * mini_batch_size, (k + 1) * mini_batch_size)
        batches.append((X[:, cut], Y[:, cut]))
    return batches


def gd_plus(W, dW, learning_rate):
    return W + learning_rate * dW


def gd_in_place(W, dW, learning_rate):
    W -= learning_rate * dW
    return W


def momentum_sum(W, dW, v, beta=0.9, learning_rate=0.01):
    v = beta * v + dW
    return W - learning_rate * v, v


def momentum_swapped(W, dW, v, beta=0.9, learning_rate=0.01):
    v = (1 - beta) * v + beta * dW
    return W - learning_rate * v, v


def momentum_in_place(W, dW, v, beta=0.9, learning_rate=0.01):
    v *= beta
    v += (1 - beta) * dW
    return W - learning_rate * v, v


def rmsprop_eps_inside(
    W, dW, s, beta2=0.999, learning_rate=0.01, epsilon=1e-8
):
    s = beta2 * s + (1 - beta2) * np.square(dW)
    return W - learning_rate * dW / np.sqrt(s + epsilon), s


def rmsprop_no_root(W, dW, s, beta2=0.999, learning_rate=0.01, epsilon=1e-8):
    s = beta2 * s + (1 - beta2) * dW * dW
    return W - learning_rate * dW / (s + epsilon), s


def adam_factory(power, eps_inside=False, keep_corrected=False):
    def adam(
        W,
        dW,
        v,
        s,
        t,
        learning_rate=0.01,
        beta1=0.9,
        beta2=0.999,
        epsilon=1e-8,
    ):
        v = beta1 * v + (1 - beta1) * dW
        s = beta2 * s + (1 - beta2) * dW**2
        corrected = power(t) is not None
        v_corrected = v / (1 - beta1 ** power(t)) if corrected else v
        s_corrected = s / (1 - beta2 ** power(t)) if corrected else s
        if eps_inside:
            step = v_corrected / np.sqrt(s_corrected + epsilon)
        else:
            step = v_corrected / (np.sqrt(s_corrected) + epsilon)
        if keep_corrected:
            return W - learning_rate * step, v_corrected, s_corrected
        return W - learning_rate * step, v, s

    return adam


adam_uncorrected = adam_factory(lambda t: None)
adam_from_zero = adam_factory(lambda t: t - 1)
adam_eps_inside = adam_factory(lambda t: t, eps_inside=True)
adam_keeps_corrected = adam_factory(lambda t: t, keep_corrected=True)


def ewa_ignores_flag(theta, beta, bias_correction=False):
    v, out = 0, np.zeros(len(theta))
    for t in range(len(theta)):
        v = beta * v + (1 - beta) * theta[t]
        out[t] = v
    return out


def ewa_from_first(theta, beta, bias_correction=False):
    v, out = theta[0], []
    for t, x in enumerate(theta, 1):
        v = beta * v + (1 - beta) * x
        out.append(v / (1 - beta**t) if bias_correction else v)
    return np.array(out)


def ewa_t_from_0(theta, beta, bias_correction=False):
    v, out = 0.0, []
    for t, x in enumerate(theta):
        v = beta * v + (1 - beta) * x
        out.append(v / (1 - beta**t) if bias_correction else v)
    return np.array(out)


def decay_no_floor(learning_rate0, epoch_num, decay_rate, time_interval=1):
    return learning_rate0 / (1 + decay_rate * (epoch_num / time_interval))


def decay_no_interval(learning_rate0, epoch_num, decay_rate, time_interval=1):
    return learning_rate0 / (1 + decay_rate * epoch_num)


def decay_precedence(learning_rate0, epoch_num, decay_rate, time_interval=1):
    return learning_rate0 / 1 + decay_rate * np.floor(
        epoch_num / time_interval
    )


def bn_factory(normalize_by, ddof=0, swap=False):
    def forward(Z, gamma, beta, epsilon=1e-8):
        mu = np.mean(Z, axis=1, keepdims=True)
        var = np.var(Z, axis=1, ddof=ddof, keepdims=True)
        Z_norm = (Z - mu) / normalize_by(var, epsilon)
        Z_tilde = beta * Z_norm + gamma if swap else gamma * Z_norm + beta
        return Z_tilde, (Z, Z_norm, mu, var, gamma, beta, epsilon)

    return forward


bn_by_variance = bn_factory(lambda var, eps: var + eps)
bn_unbiased = bn_factory(lambda var, eps: np.sqrt(var + eps), ddof=1)
bn_swapped = bn_factory(lambda var, eps: np.sqrt(var + eps), swap=True)
bn_eps_outside = bn_factory(lambda var, eps: np.sqrt(var) + eps)


def bn_backward_constants(dZ_tilde, cache):
    dbeta = np.sum(dZ_tilde, axis=1, keepdims=True)
    dgamma = np.sum(dZ_tilde * cache["Z_norm"], axis=1, keepdims=True)
    dZ = dZ_tilde * cache["gamma"] / np.sqrt(cache["var"] + cache["epsilon"])
    return dZ, dgamma, dbeta


def bn_backward_swapped(dZ_tilde, cache):
    dZ, dgamma, dbeta = dnnref.batchnorm_backward(dZ_tilde, cache)
    return dZ, dbeta, dgamma


def bn_backward_chain_rule(dZ_tilde, cache):
    """Right: the chain rule through mu and var, from Z (in the cache)."""
    Z, mu, var, eps = cache["Z"], cache["mu"], cache["var"], cache["epsilon"]
    m = Z.shape[1]
    dZ_norm = dZ_tilde * cache["gamma"]
    dvar = (
        np.sum(dZ_norm * (Z - mu), axis=1, keepdims=True)
        * -0.5
        * (var + eps) ** -1.5
    )
    dmu = -np.sum(dZ_norm, axis=1, keepdims=True) / np.sqrt(var + eps)
    dZ = dZ_norm / np.sqrt(var + eps) + 2 * (Z - mu) / m * dvar + dmu / m
    dgamma = np.sum(dZ_tilde * cache["Z_norm"], axis=1, keepdims=True)
    return dZ, dgamma, np.sum(dZ_tilde, axis=1, keepdims=True)


def bn_inference_batch(
    Z, gamma, beta, running_mean, running_var, epsilon=1e-8
):
    mu = Z.mean(axis=1, keepdims=True)
    var = Z.var(axis=1, keepdims=True)
    return gamma * (Z - mu) / np.sqrt(var + epsilon) + beta


def bn_inference_batch_mean(
    Z, gamma, beta, running_mean, running_var, epsilon=1e-8
):
    Z_centred = Z - np.mean(Z, axis=1, keepdims=True)
    return gamma * Z_centred / np.sqrt(running_var + epsilon) + beta


def bn_inference_batch_var(
    Z, gamma, beta, running_mean, running_var, epsilon=1e-8
):
    sigma2 = np.mean((Z - Z.mean(axis=1, keepdims=True)) ** 2, axis=1)
    return (
        gamma * (Z - running_mean) / np.sqrt(sigma2[:, None] + epsilon) + beta
    )


def bn_inference_eps_outside(
    Z, gamma, beta, running_mean, running_var, epsilon=1e-8
):
    return gamma * (Z - running_mean) / (np.sqrt(running_var) + epsilon) + beta


def running_torch(running_mean, running_var, mu, var, momentum=0.9, m=None):
    if m is not None:
        var = var * m / (m - 1)
    running_mean = (1 - momentum) * running_mean + momentum * mu
    return running_mean, (1 - momentum) * running_var + momentum * var


def running_ignores_m(
    running_mean, running_var, mu, var, momentum=0.9, m=None
):
    return (
        momentum * running_mean + (1 - momentum) * mu,
        momentum * running_var + (1 - momentum) * var,
    )


def gradient_check_factory(
    one_sided=False, two=2, normalized=True, guard=True
):
    def check(f, theta, grad, epsilon=1e-7):
        approx = np.zeros(theta.shape)
        for i in range(len(theta)):
            theta_plus = np.copy(theta)
            theta_plus[i] = theta_plus[i] + epsilon
            theta_minus = np.copy(theta)
            theta_minus[i] = theta_minus[i] - epsilon
            if one_sided:
                approx[i] = (f(theta_plus) - f(theta)) / epsilon
            else:
                approx[i] = (f(theta_plus) - f(theta_minus)) / (two * epsilon)
        numerator = np.linalg.norm(grad - approx)
        if not normalized:
            return numerator
        denominator = np.linalg.norm(grad) + np.linalg.norm(approx)
        if guard and denominator == 0:
            return 0.0
        return numerator / denominator

    return check


WRONG = [
    (
        "compute_normalization",
        norm_variance,
        "variance instead of standard deviation",
    ),
    ("compute_normalization", norm_ddof1, "ddof = 1"),
    ("compute_normalization", norm_no_zero_fix, "zero variance not handled"),
    ("normalize", normalize_variance, "divided by the variance"),
    ("normalize", normalize_precedence, "operator precedence"),
    (
        "initialize_parameters",
        init_he_variance,
        "variance instead of standard deviation",
    ),
    (
        "initialize_parameters",
        init_xavier_is_glorot,
        "Glorot's factor for Xavier",
    ),
    ("initialize_parameters", init_notes_glorot, "the notes' Glorot factor"),
    ("initialize_parameters", init_course_style, "ignores rng"),
    ("initialize_parameters", init_legacy_only, "rng.randn on a Generator"),
    (
        "forward_propagation",
        forward_not_rescaled,
        "dropout not rescaled by keep_prob",
    ),
    (
        "forward_propagation",
        forward_per_unit,
        "mask drawn with the wrong shape",
    ),
    ("forward_propagation", forward_randn, "mask drawn with standard_normal"),
    (
        "forward_propagation",
        forward_per_example,
        "mask drawn with the wrong shape: one per example",
    ),
    (
        "forward_propagation",
        forward_transposed,
        "mask drawn in the wrong order",
    ),
    ("compute_cost", cost_over_m, "L2 term over m instead of 2m"),
    ("compute_cost", cost_with_biases, "biases in the L2 term"),
    ("compute_cost", cost_as_array, "returns an array, not a number"),
    ("l2_penalty", l2_over_m, "L2 term over m instead of 2m"),
    ("l2_penalty", l2_norms, "norms not squared"),
    ("backward_propagation", backward_l2_half, "L2 gradient lambd / (2m) * W"),
    ("backward_propagation", backward_l2_no_m, "L2 gradient not divided by m"),
    (
        "backward_propagation",
        backward_not_rescaled,
        "dropout backward not rescaled by keep_prob",
    ),
    (
        "dropout_forward",
        dropout_not_rescaled,
        "dropout not rescaled by keep_prob",
    ),
    ("dropout_forward", dropout_reversed, "mask reversed"),
    ("dropout_forward", dropout_global, "ignores rng"),
    (
        "dropout_forward",
        dropout_per_example,
        "mask drawn with the wrong shape: one per example",
    ),
    (
        "dropout_backward",
        dropout_backward_not_rescaled,
        "not rescaled by keep_prob",
    ),
    ("dropout_backward", dropout_backward_inverted, "mask inverted"),
    ("random_mini_batches", batches_unshuffled, "no shuffle"),
    ("random_mini_batches", batches_separately, "X and Y shuffled separately"),
    (
        "random_mini_batches",
        batches_floor_only,
        "last partial mini-batch dropped",
    ),
    ("gd_update", gd_plus, "plus instead of minus"),
    ("gd_update", gd_in_place, "modifies its input"),
    ("momentum_update", momentum_sum, "momentum as a sum"),
    ("momentum_update", momentum_swapped, "beta and 1 - beta swapped"),
    ("momentum_update", momentum_in_place, "modifies its input"),
    ("rmsprop_update", rmsprop_eps_inside, "epsilon inside the square root"),
    ("rmsprop_update", rmsprop_no_root, "no square root"),
    ("adam_update", adam_uncorrected, "no bias correction"),
    ("adam_update", adam_from_zero, "t counted from 0"),
    ("adam_update", adam_eps_inside, "epsilon inside the square root"),
    ("adam_update", adam_keeps_corrected, "corrected moments returned"),
    ("exponentially_weighted_average", ewa_ignores_flag, "no bias correction"),
    (
        "exponentially_weighted_average",
        ewa_from_first,
        "started from theta[0] instead of 0",
    ),
    ("exponentially_weighted_average", ewa_t_from_0, "t counted from 0"),
    ("learning_rate_decay", decay_no_floor, "no floor"),
    ("learning_rate_decay", decay_no_interval, "time_interval ignored"),
    ("learning_rate_decay", decay_precedence, "operator precedence"),
    ("batchnorm_forward", bn_by_variance, "divided by the variance"),
    ("batchnorm_forward", bn_unbiased, "ddof = 1"),
    ("batchnorm_forward", bn_swapped, "gamma and beta swapped"),
    ("batchnorm_forward", bn_eps_outside, "epsilon outside the square root"),
    (
        "batchnorm_backward",
        bn_backward_constants,
        "mean and variance treated as constants",
    ),
    ("batchnorm_backward", bn_backward_swapped, "dgamma and dbeta swapped"),
    (
        "batchnorm_inference",
        bn_inference_batch,
        "batch statistics at test time",
    ),
    (
        "batchnorm_inference",
        bn_inference_batch_mean,
        "batch mean at test time",
    ),
    (
        "batchnorm_inference",
        bn_inference_batch_var,
        "batch variance at test time",
    ),
    (
        "batchnorm_inference",
        bn_inference_eps_outside,
        "epsilon outside the square root",
    ),
    (
        "update_running_averages",
        running_torch,
        "momentum flipped (PyTorch's convention)",
    ),
    ("update_running_averages", running_ignores_m, "m ignored"),
    (
        "gradient_check",
        gradient_check_factory(one_sided=True),
        "one-sided differences",
    ),
    (
        "gradient_check",
        gradient_check_factory(two=1),
        "2 missing in 2 epsilon",
    ),
    (
        "gradient_check",
        gradient_check_factory(normalized=False),
        "difference not normalized",
    ),
    (
        "gradient_check",
        gradient_check_factory(guard=False),
        "0 / 0 when both gradients are zero",
    ),
]


def test_at_least_two_wrong_versions_per_check() -> None:
    counts = dict.fromkeys(CHECKS, 0)
    for name, _, _ in WRONG:
        counts[name] += 1
    assert min(counts.values()) >= 2, counts


# Wrong versions that implement one method only are checked on it alone.
ONLY_HE = {init_he_variance, init_course_style, init_legacy_only}


@pytest.mark.parametrize(
    ("name", "wrong", "mistake"),
    WRONG,
    ids=[f"{n}-{m}" for n, _, m in WRONG],
)
def test_a_wrong_version_fails_with_its_mistake(
    name: str, wrong: Callable[..., Any], mistake: str
) -> None:
    state = np.random.get_state()
    kwargs = {"methods": "he"} if wrong in ONLY_HE else {}
    with np.errstate(all="ignore"):
        result = CHECKS[name][0](wrong, **kwargs)
    assert not result.passed
    assert not result
    assert result.mistake == mistake, repr(result)
    assert result.hint
    assert result.failure is not None
    assert result.failure.startswith("Case ")
    assert f"Likely mistake: {mistake}. {result.hint}" in " ".join(
        repr(result).split()
    ) or mistake in repr(result)
    after = np.random.get_state()
    assert after[0] == state[0]
    assert np.array_equal(after[1], state[1]), "global random state moved"
    assert after[2:] == state[2:]


@pytest.mark.parametrize(
    ("name", "right"),
    [
        ("dropout_forward", dropout_course_ints),
        ("batchnorm_backward", bn_backward_chain_rule),
    ],
)
def test_other_right_versions_pass(
    name: str, right: Callable[..., Any]
) -> None:
    result = CHECKS[name][0](right)
    assert result.passed, repr(result)
    assert " ".join(repr(result).split()) == (
        f"PASSED: {right.__name__} matches the reference {name} on "
        f"{result.n_cases} cases."
    )


def test_batchnorm_backward_with_the_learners_own_cache() -> None:
    def backward(dZ_tilde, cache):
        Z, Z_norm, mu, var, gamma, _, epsilon = cache
        return bn_backward_chain_rule(
            dZ_tilde,
            {
                "Z": Z,
                "Z_norm": Z_norm,
                "mu": mu,
                "var": var,
                "gamma": gamma,
                "epsilon": epsilon,
            },
        )

    right = checks.check_batchnorm_backward(backward, forward=bn_swapped)
    assert right.passed, repr(right)
    wrong = checks.check_batchnorm_backward(backward)  # the reference cache
    assert not wrong.passed
    assert "ValueError" in (wrong.failure or "")


def test_batchnorm_backward_reports_a_failing_forward() -> None:
    def forward(Z, gamma, beta, epsilon=1e-8):
        return Z  # no cache: output[1] is a row of Z, then 0-d indexing

    def broken(Z, gamma, beta, epsilon=1e-8):
        msg = "not written yet"
        raise NotImplementedError(msg)

    result = checks.check_batchnorm_backward(bn_backward_chain_rule, broken)
    assert not result.passed
    assert result.mistake == "forward pass failed"
    assert result.n_failed == result.n_cases == 5
    assert "NotImplementedError: not written yet" in (result.failure or "")
    assert "line " in (result.failure or "")
    assert "check_batchnorm_forward" in (result.hint or "")
    wrong_cache = checks.check_batchnorm_backward(
        bn_backward_chain_rule, forward
    )
    assert not wrong_cache.passed


# ---------------------------------------------------------------------------
# General behaviour, on gd_update and friends


def test_a_function_that_raises_fails_with_the_line() -> None:
    def my_update(W, dW, learning_rate):
        step = learning_rate / 0
        return W - step * dW

    result = checks.check_gd_update(my_update)
    assert not result.passed
    assert result.n_failed == result.n_cases
    failure = result.failure or ""
    assert "It raised ZeroDivisionError: float division by zero" in failure
    assert re.search(
        r"\(in my_update, line \d+: step = learning_rate / 0\)", failure
    )
    assert "Case 1 of 3" in failure
    assert "W (3, 2), dW (3, 2), learning_rate = 0.1" in failure
    assert result.mistake is None


def test_a_long_exception_message_is_cut() -> None:
    def chatty(W, dW, learning_rate):
        raise ValueError("x" * 500)

    failure = checks.check_gd_update(chatty).failure or ""
    assert "x" * 197 + "..." in failure
    assert "x" * 198 not in failure


def test_a_callable_object_that_raises() -> None:
    class Update:
        def __call__(self, W, dW, learning_rate):
            return W[5]

    result = checks.check_gd_update(Update())
    assert not result.passed
    assert result.function == "your function"
    assert "IndexError" in (result.failure or "")
    assert "(in __call__, line " in (result.failure or "")


def test_none_is_no_return_value() -> None:
    def forgot(W, dW, v, beta=0.9, learning_rate=0.01):
        v = beta * v + (1 - beta) * dW
        W = W - learning_rate * v

    result = checks.check_momentum_update(forgot)
    assert result.mistake == "no return value"
    assert result.hint == "End the function with return W, v."
    assert "It returned None" in (result.failure or "")


def test_wrong_shape_says_expected_and_actual() -> None:
    result = checks.check_gd_update(lambda W, dW, learning_rate: W.T)
    assert not result.passed
    assert "W has shape (2, 3), expected shape (3, 2)" in (
        result.failure or ""
    )


def test_nan_says_where() -> None:
    def nan_at_1_0(W, dW, learning_rate):
        W = W - learning_rate * dW
        W[1, 0] = np.nan
        return W

    failure = checks.check_gd_update(nan_at_1_0).failure or ""
    assert re.search(r"W has nan at W\[1, 0\], expected -?\d", failure)
    assert "(1 of 6 entries differ)" in failure


def test_largest_error_says_where_and_how_much() -> None:
    def off_at_2_0(W, dW, learning_rate):
        W = W - learning_rate * dW
        W[2, 0] += 0.25
        W[0, 1] += 0.125
        return W

    failure = checks.check_gd_update(off_at_2_0).failure or ""
    assert "W: largest error 0.25 at W[2, 0]" in failure
    assert "(2 of 6 entries differ)" in failure


def test_wrong_types_and_counts() -> None:
    def update(W, dW, v, beta=0.9, learning_rate=0.01):
        return dnnref.momentum_update(W, dW, v, beta, learning_rate)

    cases = [
        (
            lambda *args, **kw: update(*args, **kw)[0],
            "The result is an array of shape (3, 2), expected 2 values (W, v)",
        ),
        (
            lambda *args, **kw: (*update(*args, **kw), 0),
            "The result has 3 items, expected 2 values (W, v)",
        ),
        (
            lambda *args, **kw: (update(*args, **kw)[0], "v"),
            "v is a str, expected an array of shape (3, 2)",
        ),
        (
            lambda *args, **kw: (update(*args, **kw)[0], [[None]]),
            "v is a list of 1, expected an array of shape (3, 2)",
        ),
        (
            lambda *args, **kw: {"W": 1},
            "The result is a dict, expected 2 values (W, v)",
        ),
        (
            lambda *args, **kw: (1.5, 2.5),
            "W is the number 1.5, expected an array of shape (3, 2)",
        ),
    ]
    for fn, message in cases:
        result = checks.check_momentum_update(fn)
        assert message in (result.failure or ""), repr(result)


def test_a_list_of_numbers_counts_as_an_array() -> None:
    def as_lists(W, dW, learning_rate):
        return (W - learning_rate * dW).tolist()

    assert checks.check_gd_update(as_lists).passed


def test_float_outputs() -> None:
    def words(learning_rate0, epoch_num, decay_rate, time_interval=1):
        return "0.1"

    def complex_rate(learning_rate0, epoch_num, decay_rate, time_interval=1):
        return np.complex128(1 + 1j)

    def numpy_rate(learning_rate0, epoch_num, decay_rate, time_interval=1):
        rate = dnnref.learning_rate_decay(
            learning_rate0, epoch_num, decay_rate, time_interval
        )
        return np.array(rate)  # 0-d: fine

    assert "learning_rate is a str, expected a float" in (
        checks.check_learning_rate_decay(words).failure or ""
    )
    assert "learning_rate is the number (1+1j), expected a float" in (
        checks.check_learning_rate_decay(complex_rate).failure or ""
    )

    def text_array(learning_rate0, epoch_num, decay_rate, time_interval=1):
        return np.array("ten")

    assert "learning_rate is not a real number" in (
        checks.check_learning_rate_decay(text_array).failure or ""
    )
    assert checks.check_learning_rate_decay(numpy_rate).passed
    off = checks.check_learning_rate_decay(
        lambda learning_rate0, epoch_num, decay_rate, time_interval=1: 0.5
    )
    assert "learning_rate is 0.5, expected 0.1 (error 0.4)" in (
        off.failure or ""
    )


def test_dict_outputs() -> None:
    def extra(layer_dims, method="he", rng=None, scale=10.0):
        parameters = dnnref.initialize_parameters(layer_dims, method, rng)
        parameters["L"] = len(layer_dims) - 1
        return parameters

    def not_a_dict(layer_dims, method="he", rng=None, scale=10.0):
        return list(dnnref.initialize_parameters(layer_dims, method, rng))

    failure = checks.check_initialize_parameters(extra).failure or ""
    assert "parameters has the unexpected keys 'L'" in failure
    failure = checks.check_initialize_parameters(not_a_dict).failure or ""
    assert "parameters is a list of 6, expected a dict (W1, b1, W2" in failure

    def missing_db(AL, Y, caches, lambd=0.0, keep_prob=1.0):
        grads = dnnref.backward_propagation(AL, Y, caches, lambd, keep_prob)
        del grads["db1"]
        return grads

    failure = checks.check_backward_propagation(missing_db).failure or ""
    assert "grads has no key 'db1'; expected the keys dW3, db3" in failure


def test_modifying_an_input_is_named() -> None:
    result = checks.check_gd_update(gd_in_place)
    assert result.mistake == "modifies its input"
    failure = result.failure or ""
    assert (
        "The output is right, but it modified an input in place: W[0, 0]"
        in failure
    )

    def appends(AL, Y, caches, lambd=0.0, keep_prob=1.0):
        grads = dnnref.backward_propagation(AL, Y, caches, lambd, keep_prob)
        caches.append(None)
        return grads

    failure = checks.check_backward_propagation(appends).failure or ""
    assert "caches had 3 items, now 4" in failure

    def adds_a_key(dZ_tilde, cache):
        cache["dZ"] = dZ_tilde
        return dnnref.batchnorm_backward(dZ_tilde, cache)

    failure = checks.check_batchnorm_backward(adds_a_key).failure or ""
    assert "cache now has the keys" in failure

    def resizes(dA, D, keep_prob):
        out = dA * D / keep_prob
        D.shape = (D.size,)
        return out

    failure = checks.check_dropout_backward(resizes).failure or ""
    assert "D changed shape from (4, 5) to (20,)" in failure

    def replaces(parameters, lambd, m):
        penalty = dnnref.l2_penalty(parameters, lambd, m)
        parameters["W1"] = None
        return penalty

    failure = checks.check_l2_penalty(replaces).failure or ""
    assert "parameters['W1'] was replaced by None" in failure


def test_round_off_mutations_show_every_digit() -> None:
    def perturb_in_place(f, theta, grad, epsilon=1e-7):
        approx = np.zeros_like(theta)
        for i in range(theta.size):
            theta[i] += epsilon
            J_plus = f(theta)
            theta[i] -= 2 * epsilon
            J_minus = f(theta)
            theta[i] += epsilon
            approx[i] = (J_plus - J_minus) / (2 * epsilon)
        total = np.linalg.norm(grad) + np.linalg.norm(approx)
        return np.linalg.norm(grad - approx) / total if total else 0.0

    result = checks.check_gradient_check(perturb_in_place)
    assert result.mistake == "modifies its input"
    changed = re.search(
        r"theta\[\d\] was (\S+), is now (\S+)\.", result.failure or ""
    )
    assert changed is not None
    assert changed[1] != changed[2]
    assert len(changed[1]) > 10


def test_a_wrong_value_and_a_mutation_are_both_said() -> None:
    def wrong_and_in_place(W, dW, learning_rate):
        W += learning_rate * dW
        return W

    result = checks.check_gd_update(wrong_and_in_place)
    assert result.mistake == "plus instead of minus"
    assert "It also modified an input in place: W[0, 0]" in (
        result.failure or ""
    )


def test_warnings_are_reported_and_do_not_escape() -> None:
    def divides_by_zero(W, dW, learning_rate):
        return W - dW / np.zeros_like(dW)

    result = checks.check_gd_update(divides_by_zero)
    assert "It warned: RuntimeWarning: divide by zero" in (
        result.failure or ""
    )


def test_another_signature_is_named() -> None:
    def positional(W, dW, v, beta, learning_rate):
        return dnnref.momentum_update(W, dW, v, beta, learning_rate)

    result = checks.check_momentum_update(positional)
    assert result.mistake == "different signature"
    assert "missing a required argument: 'beta'" in (result.failure or "")
    assert result.hint is not None
    assert "def momentum_update(W, dW, v, beta=0.9, learning_rate=0.01)" in (
        result.hint
    )

    def renamed(W, dW, v, momentum=0.9, lr=0.01):
        return dnnref.momentum_update(W, dW, v, momentum, lr)

    result = checks.check_momentum_update(renamed)
    assert result.mistake == "different signature"
    assert "unexpected keyword argument 'beta'" in (result.failure or "")


def test_positional_names_may_differ() -> None:
    def course_names(layers_dims, method="he", rng=None, scale=10.0):
        return dnnref.initialize_parameters(layers_dims, method, rng, scale)

    assert checks.check_initialize_parameters(course_names).passed


def test_another_default_is_named() -> None:
    def beta2_099(
        W, dW, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.99, epsilon=1e-8
    ):
        return dnnref.adam_update(
            W, dW, v, s, t, learning_rate, beta1, beta2, epsilon
        )

    result = checks.check_adam_update(beta2_099)
    assert result.mistake == "different default for beta2"
    assert result.hint == (
        "The reference's default is beta2=0.999; yours is beta2=0.99."
    )


def test_a_builtin_is_called_without_inspecting_it() -> None:
    result = checks.check_gd_update(max)
    assert not result.passed
    assert "It raised ValueError" in (result.failure or "")


def test_functions_that_ignore_rng() -> None:
    def fixed_seed(X, Y, mini_batch_size=64, rng=None):
        return dnnref.random_mini_batches(
            X, Y, mini_batch_size, np.random.default_rng(42)
        )

    assert (
        checks.check_random_mini_batches(fixed_seed).mistake == "ignores rng"
    )

    def legacy_only(A, keep_prob, rng=None):
        D = rng.rand(*A.shape) < keep_prob
        return A * D / keep_prob, D

    result = checks.check_dropout_forward(legacy_only)
    assert result.mistake == "rng.rand on a Generator"
    assert "rng.random(shape)" in (result.hint or "")


def test_no_diagnosis_when_nothing_matches() -> None:
    def two_slips(
        W,
        dW,
        v,
        s,
        t,
        learning_rate=0.01,
        beta1=0.9,
        beta2=0.999,
        epsilon=1e-8,
    ):
        v = beta1 * v + (1 - beta1) * dW
        s = beta2 * s + (1 - beta2) * dW**2
        return W - learning_rate * v / np.sqrt(s + epsilon), v, s

    result = checks.check_adam_update(two_slips)
    assert not result.passed
    assert result.mistake is None
    assert result.hint is None
    assert "Likely mistake" not in repr(result)


def test_results_are_reproducible() -> None:
    first = checks.check_dropout_forward(dropout_reversed)
    second = checks.check_dropout_forward(dropout_reversed)
    assert first == second
    assert repr(first) == repr(second)


def test_the_reference_cannot_be_fooled_by_a_fixed_answer() -> None:
    """A function that returns the first case's answer fails the others."""
    W, dW = np.ones((3, 2)), np.ones((3, 2))
    answer = dnnref.gd_update(W, dW, 0.1)
    result = checks.check_gd_update(lambda W, dW, learning_rate: answer)
    assert not result.passed


# ---------------------------------------------------------------------------
# repr and HTML


def test_repr_of_a_failure_reads_well() -> None:
    result = checks.check_adam_update(adam_uncorrected)
    text = repr(result)
    lines = text.splitlines()
    assert lines[0].startswith("FAILED: adam fails 6 of 6 cases against")
    assert all(len(line) <= 79 for line in lines)
    assert all(line.startswith("  ") for line in lines[1:])
    joined = " ".join(text.split())
    assert (
        "Case 1 of 6: first step (t = 1) from zero moments, defaults."
        in joined
    )
    assert (
        "Called adam(W, dW, v, s, t) with W (3, 2), dW (3, 2), v = zeros (3, 2)"
        in joined
    )
    assert (
        "Likely mistake: no bias correction. Divide by 1 - beta**t" in joined
    )
    assert result.case == "first step (t = 1) from zero moments, defaults"


def test_html_of_a_pass_and_a_failure() -> None:
    passed = checks.check_gd_update(dnnref.gd_update)._repr_html_()
    assert "PASSED" in passed
    assert "gd_update matches the reference on 3 cases." in passed
    failed = checks.check_gd_update(
        lambda W, dW, learning_rate: W + learning_rate * dW
    )
    page = failed._repr_html_()
    assert "FAILED" in page
    assert "&lt;lambda&gt;" in page
    assert "<lambda>" not in page
    assert "<strong>plus instead of minus</strong>" in page
    for page_ in (passed, page):
        assert "background" not in page_
        assert "<script" not in page_
        assert "<link" not in page_
        assert "http" not in page_
        assert "class=" not in page_  # no external CSS needed
        assert page_.count("<div") == page_.count("</div>")
    for line in (failed.failure or "").splitlines():
        assert html.escape(line) in page


def test_html_escapes_the_learners_text() -> None:
    def tag(W, dW, learning_rate):
        msg = "<b>bold</b> & co"
        raise ValueError(msg)

    page = checks.check_gd_update(tag)._repr_html_()
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in page
    assert "<b>" not in page


# ---------------------------------------------------------------------------
# Arguments of the checks themselves


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_a_non_callable_is_a_type_error(name: str) -> None:
    with pytest.raises(
        TypeError, match=r"fn must be a function \(callable\), got 3"
    ):
        CHECKS[name][0](3)


def test_methods_and_forward_are_checked() -> None:
    with pytest.raises(ValueError, match="methods must be among"):
        checks.check_initialize_parameters(
            dnnref.initialize_parameters, "kaiming"
        )
    with pytest.raises(ValueError, match="methods must be among"):
        checks.check_initialize_parameters(dnnref.initialize_parameters, ())
    with pytest.raises(TypeError, match="forward must be a function"):
        checks.check_batchnorm_backward(dnnref.batchnorm_backward, "forward")
    all_methods = checks.check_initialize_parameters(
        dnnref.initialize_parameters,
        methods=["zeros", "random", "he", "xavier", "glorot"],
    )
    assert all_methods.passed
    assert all_methods.n_cases == 20


def test_checks_leave_global_random_state_alone() -> None:
    state = np.random.get_state()
    for check, reference, _ in CHECKS.values():
        check(reference)
    checks.check_dropout_forward(dropout_global)
    checks.check_initialize_parameters(init_course_style)
    after = np.random.get_state()
    assert np.array_equal(after[1], state[1])
    assert after[2:] == state[2:]


def test_partial_functions_are_checked_by_their_signature() -> None:
    update = partial(dnnref.gd_update)
    result = checks.check_gd_update(update)
    assert result.passed
    assert result.function == "your function"


# ---------------------------------------------------------------------------
# Corners of the engine


def test_none_inside_a_result() -> None:
    result = checks.check_gd_update(lambda W, dW, learning_rate: [None] * 3)
    assert "W is a list of 3, expected an array" in (result.failure or "")
    result = checks.check_momentum_update(
        lambda W, dW, v, beta=0.9, learning_rate=0.01: (
            dnnref.momentum_update(W, dW, v, beta, learning_rate)[0],
            None,
        )
    )
    assert "v is None, expected an array of shape (3, 2)" in (
        result.failure or ""
    )


def test_a_ragged_result_is_not_an_array() -> None:
    result = checks.check_gd_update(lambda W, dW, learning_rate: [[1, 2], [3]])
    assert "W is a list of 2, expected an array of shape (3, 2)" in (
        result.failure or ""
    )


def test_nested_inputs_modified_in_place() -> None:
    def scales_W(parameters, lambd, m):
        for key in parameters:
            parameters[key] *= 1.0 if key[0] == "b" else 2.0
        return dnnref.l2_penalty(parameters, lambd / 4, m)

    failure = checks.check_l2_penalty(scales_W).failure or ""
    assert (
        "it modified an input in place: parameters['W1'][0, 0] was" in failure
    )

    def relu_in_place(AL, Y, caches, lambd=0.0, keep_prob=1.0):
        grads = dnnref.backward_propagation(AL, Y, caches, lambd, keep_prob)
        A_prev = caches[1][0]
        A_prev[0, 0] = -1.0
        return grads

    failure = checks.check_backward_propagation(relu_in_place).failure or ""
    assert "modified an input in place: caches[1][0][0, 0] was" in failure


def test_other_generator_attribute_errors() -> None:
    def random_sample(A, keep_prob, rng=None):
        D = rng.random_sample(A.shape) < keep_prob
        return A * D / keep_prob, D

    result = checks.check_dropout_forward(random_sample)
    assert result.mistake == "rng.random_sample on a Generator"

    def legacy_state(A, keep_prob, rng=None):
        rng.get_state()  # a RandomState method only
        return dnnref.dropout_forward(A, keep_prob, rng)

    result = checks.check_dropout_forward(legacy_state)
    assert "AttributeError" in (result.failure or "")
    assert result.mistake is None


def test_ignores_rng_needs_an_output_that_depends_on_it() -> None:
    def wrong_without_dropout(A, keep_prob, rng=None):
        if keep_prob == 1:
            return 2 * A, np.ones(A.shape, dtype=bool)
        return dnnref.dropout_forward(A, keep_prob, rng)

    result = checks.check_dropout_forward(wrong_without_dropout)
    assert result.n_failed == 1
    assert result.mistake is None

    calls = []

    def tired(A, keep_prob, rng=None):
        calls.append(1)
        if len(calls) > 5:
            msg = "tired"
            raise RuntimeError(msg)
        return 2 * A, np.ones(A.shape, dtype=bool)

    result = checks.check_dropout_forward(tired)
    assert len(calls) > 5  # the 5 cases, then others with another seed
    assert result.mistake is None


def test_a_learners_output_compared_with_itself() -> None:
    class Odd:
        def __eq__(self, other: object) -> bool:
            msg = "no comparing"
            raise TypeError(msg)

        __hash__ = None  # type: ignore[assignment]

    spec = _GD
    assert _compare("a", "a", spec, "W") is None
    problem = _compare(Odd(), Odd(), spec, "W")
    assert problem is not None
    assert problem.text == "W differs"


def test_a_slip_that_does_not_apply_is_not_named() -> None:
    def raises(*args: Any, **kwargs: Any) -> Any:
        msg = "does not apply"
        raise ValueError(msg)

    slip = _Slip("never", "Never.", raises)
    cases = _gd_cases()
    outcomes = [_Outcome("", np.zeros((3, 2)), None, True)] * 3
    assert not _slip_matches(_GD, slip, cases, outcomes)


class Grads(dict):  # type: ignore[type-arg]
    """A dict that fails when read more than ``reads`` times."""

    def __init__(self, grads: dict[str, Any], reads: int) -> None:
        super().__init__(grads)
        self.reads = reads

    def __getitem__(self, key: str) -> Any:
        self.reads -= 1
        if self.reads < 0:
            msg = "unreadable"
            raise RuntimeError(msg)
        return 2 * super().__getitem__(key)


def test_a_result_too_odd_to_compare_is_a_failure() -> None:
    def unreadable(AL, Y, caches, lambd=0.0, keep_prob=1.0):
        return Grads(dnnref.backward_propagation(AL, Y, caches), 0)

    result = checks.check_backward_propagation(unreadable)
    assert not result.passed
    assert "Its result could not be compared: RuntimeError: unreadable" in (
        result.failure or ""
    )
    reads = []

    def read_once(AL, Y, caches, lambd=0.0, keep_prob=1.0):
        reads.append(1)
        return Grads(dnnref.backward_propagation(AL, Y, caches), 1)

    result = checks.check_backward_propagation(read_once)
    assert not result.passed  # wrong values, then unreadable: no diagnosis
    assert "dW3: largest error" in (result.failure or "")
    assert result.mistake is None


BETAS = np.array([0.9, 0.9])


def test_an_array_default_is_a_different_default() -> None:
    def array_default(W, dW, v, beta=BETAS, learning_rate=0.01):
        return W - learning_rate * dW, v

    result = checks.check_momentum_update(array_default)
    assert result.mistake == "different default for beta"
