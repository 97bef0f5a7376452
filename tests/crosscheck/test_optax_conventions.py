"""Optax, JAX's initializers and Flax (float64) against the course.

The fourth column of ``docs/framework-conventions.md`` is Optax; Optax has
no layers, so that column gives Flax (``flax.linen``) for the layout,
dropout and batch-norm rows, and ``jax.nn.initializers`` (which Flax uses)
for initialization. Each test is named after its row
(``test_row_<row>_optax_...``) and compares with the dnnref reference
functions under the conversion the row states, to a relative difference of
1e-10, in float64 (``JAX_ENABLE_X64=1``).

Two defaults are float32 even then, and the rows say so:

- Flax's ``BatchNorm`` keeps its running statistics in float32 unless
  ``force_float32_reductions=False`` (and its scale and bias unless
  ``param_dtype=float64``). The float64 tests pass both; one test checks
  the default against the course within 1e-6 (``FLOAT32_TOL``).
- Optax's built-in schedules get the step count as an int32, and JAX
  divides an int32 into float32: ``optax.exponential_decay`` gives a
  float32 learning rate inside an optimizer (float64 when called with a
  Python int), so that cell is matched within 1e-6. A schedule written with
  ``//`` and a product, as the page's inverse-time ones are, stays float64.
"""

from __future__ import annotations

import inspect
import math

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np
import optax
import oracles
import pytest
from oracles import rel

from dnnref.batchnorm import (
    batchnorm_forward,
    batchnorm_inference,
    update_running_averages,
)
from dnnref.network import backward_propagation, forward_propagation
from dnnref.optimizers import (
    adam_update,
    exponential_decay,
    gd_update,
    learning_rate_decay,
    momentum_update,
)
from dnnref.regularization import dropout_forward

assert jnp.zeros(1).dtype == jnp.float64  # JAX_ENABLE_X64 is on

TOL = 1e-10
FLOAT32_TOL = 1e-6  # Flax's default BN statistics, Optax's built-in decay
CUT = 2.0  # jax.random.truncated_normal(key, -2, 2): N(0, 1) cut at +-2
TRUNCATED_VAR = 1 - 2 * CUT * math.exp(-(CUT**2) / 2) / math.sqrt(
    2 * math.pi
) / math.erf(CUT / math.sqrt(2))


def _run(optimizer, params, gradients):
    """Apply gradients (a sequence of pytrees like params) with Optax."""
    state = optimizer.init(params)
    for grads in gradients:
        updates, state = optimizer.update(grads, state, params)
        params = optax.apply_updates(params, updates)
    return jax.tree.map(np.asarray, params), state


def _run_array(optimizer, W0: np.ndarray, gradients: np.ndarray):
    W, state = _run(optimizer, jnp.asarray(W0), list(gradients))
    return W, state


def _defaults(function) -> dict[str, object]:
    return {
        name: p.default
        for name, p in inspect.signature(function).parameters.items()
    }


# -- data layout ---------------------------------------------------------------


def test_row_layout_dense_optax_flax_kernel_transposed() -> None:
    rng = np.random.default_rng(0)
    X, W, b = (rng.standard_normal(s) for s in ((5, 7), (3, 5), (3, 1)))
    layer = nn.Dense(3)
    shapes = jax.eval_shape(layer.init, jax.random.key(0), X.T)
    assert shapes["params"]["kernel"].shape == (5, 3)  # W.T
    params = {"params": {"kernel": W.T, "bias": b[:, 0]}}
    Z_T = np.asarray(layer.apply(params, X.T))  # (m, n[l])
    assert rel(Z_T, (W @ X + b).T) <= TOL


class _TwoLayers(nn.Module):
    @nn.compact
    def __call__(self, A):
        A = nn.relu(nn.Dense(4, name="layer1")(A))
        return nn.Dense(1, name="layer2")(A)  # logits


def test_row_layout_gradients_optax_flax_kernel_gradient() -> None:
    rng = np.random.default_rng(1)
    m = 16
    X = rng.standard_normal((5, m))
    Y = (rng.random((1, m)) < 0.5).astype(float)
    p = {
        "W1": rng.standard_normal((4, 5)),
        "b1": rng.standard_normal((4, 1)),
        "W2": rng.standard_normal((1, 4)),
        "b2": rng.standard_normal((1, 1)),
    }
    AL, caches = forward_propagation(X, p)
    grads = backward_propagation(AL, Y, caches)

    params = {
        f"layer{l}": {"kernel": p[f"W{l}"].T, "bias": p[f"b{l}"][:, 0]}
        for l in (1, 2)
    }

    def cost(params):
        logits = _TwoLayers().apply({"params": params}, X.T)
        return optax.sigmoid_binary_cross_entropy(logits, Y.T).mean()

    g = jax.jit(jax.grad(cost))(params)
    for l in (1, 2):
        assert rel(g[f"layer{l}"]["kernel"], grads[f"dW{l}"].T) <= TOL
        assert rel(g[f"layer{l}"]["bias"], grads[f"db{l}"][:, 0]) <= TOL


# -- momentum ----------------------------------------------------------------


def test_row_momentum_sum_optax_sgd_and_ema() -> None:
    beta, alpha = 0.9, 0.05
    W0, gradients = oracles.problem(1)
    W_course, v = oracles.momentum(W0, gradients, beta, alpha)
    W, state = _run_array(
        optax.sgd(alpha * (1 - beta), momentum=beta), W0, gradients
    )
    assert rel(W, W_course) <= TOL
    assert rel(state[0].trace, v / (1 - beta)) <= TOL  # the sum
    # the course's average itself: an EMA without debiasing, times -alpha
    W, state = _run_array(
        optax.chain(optax.ema(beta, debias=False), optax.scale(-alpha)),
        W0,
        gradients,
    )
    assert rel(W, W_course) <= TOL
    assert rel(state[0].ema, v) <= TOL


def test_row_momentum_dampening_optax_ema_debias() -> None:
    assert "dampening" not in _defaults(optax.sgd)
    beta, alpha = 0.9, 0.05
    W0, gradients = oracles.problem(2)
    W, _ = _run_array(
        optax.chain(optax.ema(beta, debias=True), optax.scale(-alpha)),
        W0,
        gradients,
    )
    # the course's momentum with its bias correction, v / (1 - beta^t)
    W_course, v = W0, np.zeros_like(W0)
    for t, dW in enumerate(gradients, start=1):
        _, v = momentum_update(W_course, dW, v, beta, alpha)
        W_course = W_course - alpha * v / (1 - beta**t)
    assert rel(W, W_course) <= TOL


def test_row_momentum_nesterov_optax_sgd() -> None:
    beta, alpha = 0.9, 0.05
    W0, gradients = oracles.problem(3)
    W, _ = _run_array(
        optax.sgd(alpha * (1 - beta), momentum=beta, nesterov=True),
        W0,
        gradients,
    )
    assert rel(W, oracles.nesterov(W0, gradients, beta, alpha)) <= TOL
    W_course, _ = oracles.momentum(W0, gradients, beta, alpha)
    assert rel(W - W0, W_course - W0) > 1e-2  # not the course's update


# -- RMSprop -----------------------------------------------------------------


def test_row_rmsprop_decay_optax_decay() -> None:
    defaults = _defaults(optax.rmsprop)
    assert defaults["decay"] == 0.9
    assert defaults["eps"] == 1e-8
    assert defaults["eps_in_sqrt"] is True
    assert defaults["initial_scale"] == 0.0  # s starts at 0, as the course
    beta2, alpha, epsilon = 0.8, 0.01, 1e-8
    W0, gradients = oracles.problem(4)
    W, state = _run_array(
        optax.rmsprop(alpha, decay=beta2, eps=epsilon, eps_in_sqrt=False),
        W0,
        gradients,
    )
    W_course, s = oracles.rmsprop(W0, gradients, beta2, alpha, epsilon)
    assert rel(W, W_course) <= TOL
    assert rel(state[0].nu, s) <= TOL


def test_row_rmsprop_epsilon_optax_eps_in_sqrt() -> None:
    beta2, alpha, epsilon = 0.9, 0.01, 1e-4
    W0, gradients = oracles.problem(5)
    gradients *= 1e-3  # small, so that where epsilon sits shows
    W_default, _ = _run_array(
        optax.rmsprop(alpha, decay=beta2, eps=epsilon), W0, gradients
    )
    W_in, _ = oracles.rmsprop(
        W0, gradients, beta2, alpha, epsilon, inside=True
    )
    assert rel(W_default, W_in) <= TOL
    W_outside, _ = _run_array(
        optax.rmsprop(alpha, decay=beta2, eps=epsilon, eps_in_sqrt=False),
        W0,
        gradients,
    )
    W_course, _ = oracles.rmsprop(W0, gradients, beta2, alpha, epsilon)
    assert rel(W_outside, W_course) <= TOL
    assert rel(W_default - W0, W_course - W0) > 1e-2


def test_row_rmsprop_centered_optax() -> None:
    beta2, alpha, epsilon = 0.9, 0.01, 1e-3
    W0, gradients = oracles.problem(6)
    W, _ = _run_array(
        optax.rmsprop(alpha, decay=beta2, eps=epsilon, centered=True),
        W0,
        gradients,
    )
    expected = oracles.centered_rmsprop(
        W0, gradients, beta2, alpha, lambda var: np.sqrt(var + epsilon)
    )
    assert rel(W, expected) <= TOL
    W, _ = _run_array(
        optax.rmsprop(
            alpha, decay=beta2, eps=epsilon, centered=True, eps_in_sqrt=False
        ),
        W0,
        gradients,
    )
    expected = oracles.centered_rmsprop(
        W0, gradients, beta2, alpha, lambda var: np.sqrt(var) + epsilon
    )
    assert rel(W, expected) <= TOL


def test_row_rmsprop_momentum_optax() -> None:
    beta2, alpha, epsilon, mu = 0.9, 0.01, 1e-8, 0.8
    W0, gradients = oracles.problem(7)
    W, _ = _run_array(
        optax.rmsprop(
            alpha, decay=beta2, eps=epsilon, eps_in_sqrt=False, momentum=mu
        ),
        W0,
        gradients,
    )
    expected = oracles.rmsprop_with_momentum(
        W0, gradients, beta2, alpha, epsilon, mu
    )
    assert rel(W, expected) <= TOL


# -- Adam ----------------------------------------------------------------------


def test_row_adam_epsilon_optax_eps_root_zero() -> None:
    defaults = _defaults(optax.adam)
    assert (defaults["eps"], defaults["eps_root"]) == (1e-8, 0.0)
    alpha, beta1, beta2, epsilon = 0.01, 0.9, 0.999, 1e-6
    W0, gradients = oracles.problem(8)
    gradients *= 1e-4  # tiny, so that epsilon matters
    W, _ = _run_array(
        optax.adam(alpha, b1=beta1, b2=beta2, eps=epsilon), W0, gradients
    )
    W_course, _, _ = oracles.adam(W0, gradients, alpha, beta1, beta2, epsilon)
    assert rel(W, W_course) <= TOL
    # eps_root goes inside the root, sqrt(s_corrected + eps_root): another
    # update
    W_root, _ = _run_array(
        optax.adam(alpha, b1=beta1, b2=beta2, eps=epsilon, eps_root=1e-12),
        W0,
        gradients,
    )
    assert rel(W_root - W0, W_course - W0) > 1e-3


def test_row_adam_bias_correction_optax_count() -> None:
    alpha, beta1, beta2, epsilon = 0.01, 0.8, 0.9, 1e-8
    W0, gradients = oracles.problem(9)
    W, state = _run_array(
        optax.adam(alpha, b1=beta1, b2=beta2, eps=epsilon), W0, gradients
    )
    W_course, v, s = oracles.adam(W0, gradients, alpha, beta1, beta2, epsilon)
    assert rel(W, W_course) <= TOL
    assert rel(state[0].mu, v) <= TOL  # stored uncorrected
    assert rel(state[0].nu, s) <= TOL
    assert int(state[0].count) == len(gradients)  # t


# -- L2 ------------------------------------------------------------------------


def _layer_problem(seed: int):
    W0, dWs = oracles.problem(seed)
    b0, dbs = oracles.problem(seed + 100, shape=(4, 1))
    params = {"W": jnp.asarray(W0), "b": jnp.asarray(b0)}
    gradients = [{"W": dW, "b": db} for dW, db in zip(dWs, dbs, strict=True)]
    return W0, b0, dWs, dbs, params, gradients


def _weights_only(_params):
    return {"W": True, "b": False}


def test_row_l2_gd_optax_add_decayed_weights() -> None:
    lambd, m, alpha = 0.7, 8, 0.1
    W0, b0, dWs, dbs, params, gradients = _layer_problem(10)
    out, _ = _run(
        optax.chain(
            optax.add_decayed_weights(lambd / m, mask=_weights_only),
            optax.sgd(alpha),
        ),
        params,
        gradients,
    )
    W, b = W0, b0
    for dW, db in zip(dWs, dbs, strict=True):
        W = gd_update(W, dW + lambd / m * W, alpha)
        b = gd_update(b, db, alpha)
    assert rel(out["W"], W) <= TOL
    assert rel(out["b"], b) <= TOL


def test_row_l2_adam_optax_add_decayed_weights_before_adam() -> None:
    lambd, m, alpha = 0.7, 8, 0.01
    W0, b0, dWs, dbs, params, gradients = _layer_problem(11)
    out, _ = _run(
        optax.chain(
            optax.add_decayed_weights(lambd / m, mask=_weights_only),
            optax.adam(alpha),
        ),
        params,
        gradients,
    )
    W, b = W0, b0
    v, s, vb, sb = (np.zeros_like(a) for a in (W0, W0, b0, b0))
    for t, (dW, db) in enumerate(zip(dWs, dbs, strict=True), start=1):
        W, v, s = adam_update(W, dW + lambd / m * W, v, s, t, alpha)
        b, vb, sb = adam_update(b, db, vb, sb, t, alpha)
    assert rel(out["W"], W) <= TOL
    assert rel(out["b"], b) <= TOL


def test_row_l2_adamw_optax_adamw() -> None:
    assert _defaults(optax.adamw)["weight_decay"] == 1e-4
    alpha, beta1, beta2, epsilon, wd = 0.01, 0.9, 0.999, 1e-8, 0.3
    W0, b0, dWs, dbs, params, gradients = _layer_problem(12)
    out, _ = _run(
        optax.adamw(
            alpha,
            b1=beta1,
            b2=beta2,
            eps=epsilon,
            weight_decay=wd,
            mask=_weights_only,
        ),
        params,
        gradients,
    )
    W, _, _ = oracles.adam(
        W0, dWs, alpha, beta1, beta2, epsilon, decoupled_weight_decay=wd
    )
    b, _, _ = oracles.adam(b0, dbs, alpha, beta1, beta2, epsilon)
    assert rel(out["W"], W) <= TOL
    assert rel(out["b"], b) <= TOL


# -- dropout -------------------------------------------------------------------


@pytest.mark.parametrize("keep_prob", [0.5, 0.8])
def test_row_dropout_rate_optax_flax_dropout(keep_prob: float) -> None:
    A = np.random.default_rng(13).uniform(0.5, 2.0, (40, 50))
    layer = nn.Dropout(rate=1 - keep_prob, deterministic=False)
    out = np.asarray(
        layer.apply({}, A, rngs={"dropout": jax.random.key(int(keep_prob))})
    )
    D = out != 0  # A has no zeros: the mask is where the output is
    assert abs(D.mean() - keep_prob) < 0.05
    A_dropped, _ = dropout_forward(A, keep_prob, _Uniforms(1.0 - D))
    assert rel(out, A_dropped) <= TOL  # kept units scaled by 1 / keep_prob


def test_row_dropout_mode_optax_flax_deterministic() -> None:
    A = np.random.default_rng(14).uniform(0.5, 2.0, (40, 50))
    layer = nn.Dropout(rate=0.2)
    out = layer.apply({}, A, deterministic=True)  # test time: no rng needed
    np.testing.assert_array_equal(np.asarray(out), A)
    out = layer.apply(
        {}, A, deterministic=False, rngs={"dropout": jax.random.key(1)}
    )
    assert np.any(np.asarray(out) == 0)


class _Uniforms:
    """A stand-in rng whose ``random`` returns given uniforms."""

    def __init__(self, U: np.ndarray) -> None:
        self.U = U

    def random(self, shape: tuple[int, ...]) -> np.ndarray:
        assert shape == self.U.shape
        return self.U.copy()


# -- initialization ------------------------------------------------------------

N, N_PREV = 300, 200  # a kernel (n[l-1], n[l]) = (200, 300)


def _ratio_to_truncated_draws(initializer) -> float:
    """The initializer's draws over N(0, 1) cut at +-2, from the same key."""
    key = jax.random.key(5)
    W = np.asarray(initializer(key, (N_PREV, N)))
    Z = np.asarray(
        jax.random.truncated_normal(key, -CUT, CUT, (N_PREV, N), jnp.float64)
    )
    ratio = W / Z
    np.testing.assert_allclose(ratio, ratio.flat[0], rtol=1e-12)
    var = ratio.flat[0] ** 2 * TRUNCATED_VAR
    assert abs(W.var() - var) < 5 * var * math.sqrt(2 / W.size)
    return float(ratio.flat[0])


def test_row_init_he_optax_jax_he_normal() -> None:
    ratio = _ratio_to_truncated_draws(jax.nn.initializers.he_normal())
    assert abs(ratio**2 * TRUNCATED_VAR / (2 / N_PREV) - 1) <= TOL


def test_row_init_xavier_optax_jax_lecun_normal() -> None:
    ratio = _ratio_to_truncated_draws(jax.nn.initializers.lecun_normal())
    assert abs(ratio**2 * TRUNCATED_VAR / (1 / N_PREV) - 1) <= TOL
    # Flax's Dense draws its kernel with lecun_normal by default
    key = jax.random.key(6)
    np.testing.assert_array_equal(
        nn.Dense(N).kernel_init(key, (N_PREV, N), jnp.float64),
        jax.nn.initializers.lecun_normal()(key, (N_PREV, N), jnp.float64),
    )


def test_row_init_glorot_optax_jax_glorot_normal() -> None:
    ratio = _ratio_to_truncated_draws(jax.nn.initializers.glorot_normal())
    assert abs(ratio**2 * TRUNCATED_VAR / (2 / (N_PREV + N)) - 1) <= TOL


def test_row_init_truncated_optax_jax_rescaled() -> None:
    Z = np.asarray(
        jax.random.truncated_normal(
            jax.random.key(7), -CUT, CUT, (1000, 400), jnp.float64
        )
    )
    assert np.abs(Z).max() <= CUT
    sd = TRUNCATED_VAR * math.sqrt(2 / Z.size)
    assert abs(Z.var() - TRUNCATED_VAR) < 5 * sd
    # He's draws lie within 2 / 0.8796 = 2.27 of their standard deviation
    W = np.asarray(
        jax.nn.initializers.he_normal()(
            jax.random.key(8), (N_PREV, N), jnp.float64
        )
    )
    sigma = math.sqrt(2 / N_PREV)
    assert np.abs(W).max() <= CUT / math.sqrt(TRUNCATED_VAR) * sigma
    assert np.abs(W).max() > 2.2 * sigma  # the bound is reached, not loose


# -- batch norm ----------------------------------------------------------------


def _bn(**kwargs) -> nn.BatchNorm:
    return nn.BatchNorm(
        param_dtype=jnp.float64, force_float32_reductions=False, **kwargs
    )


def _bn_batches(n: int, m: int, count: int, seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [
        rng.standard_normal((n, m)) * 3 + rng.standard_normal((n, 1))
        for _ in range(count)
    ]


def _bn_train(layer, variables, Z_T):
    out, updates = layer.apply(
        variables, Z_T, use_running_average=False, mutable=["batch_stats"]
    )
    return np.asarray(out), {**variables, **updates}


def test_row_bn_momentum_optax_flax_beta() -> None:
    n, m, momentum = 3, 8, 0.9
    batches = _bn_batches(n, m, 12, seed=15)
    layer = _bn(momentum=momentum, epsilon=1e-5)
    variables = layer.init(
        jax.random.key(0), batches[0].T, use_running_average=False
    )
    ones, zeros = np.ones((n, 1)), np.zeros((n, 1))
    running_mean, running_var = zeros, ones  # Flax starts from 0 and 1 too
    for Z in batches:
        out, variables = _bn_train(layer, variables, Z.T)
        Z_tilde, cache = batchnorm_forward(Z, ones, zeros, 1e-5)
        assert rel(out.T, Z_tilde) <= TOL
        running_mean, running_var = update_running_averages(
            running_mean, running_var, cache["mu"], cache["var"], momentum
        )
    stats = variables["batch_stats"]
    assert rel(stats["mean"], running_mean[:, 0]) <= TOL
    assert rel(stats["var"], running_var[:, 0]) <= TOL
    assert nn.BatchNorm().momentum == 0.99


def test_row_bn_momentum_optax_flax_float32_statistics_by_default() -> None:
    n, m, momentum = 3, 8, 0.9
    batches = _bn_batches(n, m, 4, seed=15)
    layer = nn.BatchNorm(momentum=momentum, epsilon=1e-5)  # the defaults
    variables = layer.init(
        jax.random.key(0), batches[0].T, use_running_average=False
    )
    assert variables["batch_stats"]["var"].dtype == jnp.float32
    running_mean, running_var = np.zeros((n, 1)), np.ones((n, 1))
    for Z in batches:
        _, variables = _bn_train(layer, variables, Z.T)
        _, cache = batchnorm_forward(Z, np.ones((n, 1)), np.zeros((n, 1)))
        running_mean, running_var = update_running_averages(
            running_mean, running_var, cache["mu"], cache["var"], momentum
        )
    stats = variables["batch_stats"]
    assert rel(stats["mean"], running_mean[:, 0]) <= FLOAT32_TOL
    assert rel(stats["var"], running_var[:, 0]) <= FLOAT32_TOL
    assert rel(stats["var"], running_var[:, 0]) > 1e-12  # float32, really


def test_row_bn_running_var_optax_flax_biased() -> None:
    n, m, momentum = 3, 4, 0.9
    (Z,) = _bn_batches(n, m, 1, seed=16)
    layer = _bn(momentum=momentum)
    variables = layer.init(jax.random.key(0), Z.T, use_running_average=False)
    _, variables = _bn_train(layer, variables, Z.T)
    biased = Z.var(axis=1)  # divide by m
    expected = momentum * 1.0 + (1 - momentum) * biased
    assert rel(variables["batch_stats"]["var"], expected) <= TOL


def test_row_bn_epsilon_optax_flax_default() -> None:
    assert nn.BatchNorm().epsilon == 1e-5
    (Z,) = _bn_batches(3, 16, 1, seed=17)
    Z = Z * 1e-3
    layer = _bn()
    variables = layer.init(jax.random.key(0), Z.T, use_running_average=False)
    out, _ = _bn_train(layer, variables, Z.T)
    ones, zeros = np.ones((3, 1)), np.zeros((3, 1))
    assert rel(out.T, batchnorm_forward(Z, ones, zeros, 1e-5)[0]) <= TOL
    assert rel(out.T, batchnorm_forward(Z, ones, zeros, 1e-8)[0]) > 1e-3


def test_row_bn_axis_optax_flax_axis() -> None:
    (Z,) = _bn_batches(4, 8, 1, seed=18)
    rng = np.random.default_rng(18)
    gamma, beta = rng.standard_normal((4, 1)), rng.standard_normal((4, 1))
    expected, _ = batchnorm_forward(Z, gamma, beta, 1e-5)
    params = {"scale": gamma[:, 0], "bias": beta[:, 0]}  # gamma, beta
    stats = {"mean": np.zeros(4), "var": np.ones(4)}
    variables = {"params": params, "batch_stats": stats}
    out, _ = _bn_train(_bn(), variables, Z.T)  # axis=-1: features last
    assert rel(out.T, expected) <= TOL
    out, _ = _bn_train(_bn(axis=0), variables, Z)  # the course's layout
    assert rel(out, expected) <= TOL


def test_row_bn_mode_optax_flax_use_running_average() -> None:
    n, m = 4, 8
    layer = _bn(momentum=0.5)
    batches = _bn_batches(n, m, 3, seed=19)
    variables = layer.init(
        jax.random.key(0), batches[0].T, use_running_average=False
    )
    for Z in batches:
        _, variables = _bn_train(layer, variables, Z.T)
    stats = variables["batch_stats"]
    Z_test = np.random.default_rng(20).standard_normal((n, 1))  # m = 1
    out = layer.apply(variables, Z_test.T, use_running_average=True)
    ones, zeros = np.ones((n, 1)), np.zeros((n, 1))
    expected = batchnorm_inference(
        Z_test,
        ones,
        zeros,
        np.asarray(stats["mean"])[:, None],
        np.asarray(stats["var"])[:, None],
        1e-5,
    )
    assert rel(np.asarray(out).T, expected) <= TOL


# -- learning-rate decay -------------------------------------------------------

STEPS_PER_EPOCH = 5


def _rates(schedule, steps: int, tol: float = 1e-15) -> np.ndarray:
    """The learning rate Optax uses at updates 0, 1, ..., steps - 1.

    The schedule is called with Python ints; an optimizer calls it with its
    int32 count of updates, from 0, which the first ``steps`` updates of
    ``optax.sgd`` check within ``tol``.
    """
    rates = np.array([float(schedule(k)) for k in range(steps)])
    optimizer = optax.sgd(learning_rate=schedule)
    state = optimizer.init(jnp.zeros(1))
    update = jax.jit(optimizer.update)
    used = []
    for _ in range(steps):
        updates, state = update(jnp.ones(1), state)
        used.append(-float(updates[0]))
    np.testing.assert_allclose(used, rates, rtol=tol)
    return rates


@pytest.mark.parametrize("decay_rate", [1.0, 0.3])
def test_row_decay_inverse_time_optax_schedule_function(
    decay_rate: float,
) -> None:
    # Optax has no inverse-time schedule; any function of the count is one
    schedules = dir(optax.schedules)
    assert "exponential_decay" in schedules
    assert not [name for name in schedules if "inverse" in name.lower()]

    def schedule(count):
        return 0.3 / (1 + decay_rate * (count // STEPS_PER_EPOCH))

    rates = _rates(schedule, 40 * STEPS_PER_EPOCH)
    ours = [
        learning_rate_decay(0.3, k // STEPS_PER_EPOCH, decay_rate)
        for k in range(40 * STEPS_PER_EPOCH)
    ]
    np.testing.assert_allclose(rates, ours, rtol=1e-12)


@pytest.mark.parametrize(("decay_rate", "time_interval"), [(0.5, 7), (1, 3)])
def test_row_decay_staircase_optax_schedule_function(
    decay_rate: float, time_interval: int
) -> None:
    def schedule(count):
        epochs = count // (STEPS_PER_EPOCH * time_interval)
        return 0.3 / (1 + decay_rate * epochs)

    rates = _rates(schedule, 40 * STEPS_PER_EPOCH)
    ours = [
        learning_rate_decay(
            0.3, k // STEPS_PER_EPOCH, decay_rate, time_interval
        )
        for k in range(40 * STEPS_PER_EPOCH)
    ]
    np.testing.assert_allclose(rates, ours, rtol=1e-12)


def test_row_decay_exponential_optax_exponential_decay() -> None:
    schedule = optax.exponential_decay(
        0.3, transition_steps=STEPS_PER_EPOCH, decay_rate=0.95, staircase=True
    )
    # inside the optimizer: int32 count / transition_steps is float32
    rates = _rates(schedule, 40 * STEPS_PER_EPOCH, tol=FLOAT32_TOL)
    ours = [
        exponential_decay(0.3, k // STEPS_PER_EPOCH, 0.95)
        for k in range(40 * STEPS_PER_EPOCH)
    ]
    np.testing.assert_allclose(rates, ours, rtol=1e-12)
