"""Keras 3 (JAX backend, float64) against the course's formulas.

Each test is named after the row of ``docs/framework-conventions.md`` it
checks (``test_row_<row>_keras_...``) and compares Keras with the dnnref
reference functions under the conversion that row states, to a relative
difference of 1e-10 (``TOL``). Variables, optimizers, initializers,
dropout and schedules run in float64 (``JAX_ENABLE_X64=1`` and
``keras.config.set_floatx("float64")``).

Two things do not: Keras 3.15 on JAX computes batch normalization and the
mean inside its losses in float32 even then. Both ask for
``backend.result_type(x.dtype, "float32")``, and Keras's type promotion
turns any mix with a 64-bit type into the 32-bit type ("to be aligned
with JAX's default behavior"), so float64 and float32 give float32. The
rows that go through them (batch norm, and the gradients and the L2 cost
of a model trained with ``BinaryCrossentropy``) are matched within 1e-6
(``FLOAT32_TOL``), and ``test_keras_computes_bn_and_losses_in_float32``
checks that cause, so that it fails when Keras changes it.

Optimizers are applied eagerly with ``optimizer.apply``, one gradient at a
time, as ``optimizer.step()`` is in the torch tests.
"""

from __future__ import annotations

import inspect
import math

import jax
import jax.numpy as jnp
import keras
import numpy as np
import oracles
import pytest
from oracles import rel

from dnnref.batchnorm import (
    batchnorm_forward,
    batchnorm_inference,
    update_running_averages,
)
from dnnref.network import (
    backward_propagation,
    compute_cost,
    forward_propagation,
)
from dnnref.optimizers import (
    adam_update,
    exponential_decay,
    gd_update,
    learning_rate_decay,
)
from dnnref.regularization import dropout_forward, l2_penalty

keras.config.set_floatx("float64")
assert keras.backend.backend() == "jax"
assert jnp.zeros(1).dtype == jnp.float64  # JAX_ENABLE_X64 is on

TOL = 1e-10
FLOAT32_TOL = 1e-6  # batch norm and losses: Keras computes them in float32
# sd of a normal cut at +-2 standard deviations (the constant in Keras's
# VarianceScaling), from its variance 1 - 2 a phi(a) / erf(a / sqrt 2)
CUT = 2.0
TRUNCATED_VAR = 1 - 2 * CUT * math.exp(-(CUT**2) / 2) / math.sqrt(
    2 * math.pi
) / math.erf(CUT / math.sqrt(2))


def _run(optimizer, W0: np.ndarray, gradients: np.ndarray):
    """Apply the gradients one by one; return W and the optimizer's slots."""
    W = keras.Variable(W0, name="kernel")
    for dW in gradients:
        optimizer.apply([dW], [W])
    slots = {
        v.path.split("/")[-1].removeprefix("kernel_"): np.asarray(v)
        for v in optimizer.variables
    }
    return np.asarray(W), slots


# -- data layout ---------------------------------------------------------


def _dense(W: np.ndarray, b: np.ndarray, **kwargs) -> keras.layers.Dense:
    n, n_prev = W.shape
    layer = keras.layers.Dense(n, **kwargs)
    layer.build((None, n_prev))
    assert tuple(layer.kernel.shape) == (n_prev, n)  # W.T
    layer.kernel.assign(W.T)
    layer.bias.assign(b[:, 0])
    return layer


def test_row_layout_dense_keras_kernel_transposed() -> None:
    rng = np.random.default_rng(0)
    X, W, b = (rng.standard_normal(s) for s in ((5, 7), (3, 5), (3, 1)))
    Z_T = np.asarray(_dense(W, b)(X.T))  # (m, n[l])
    assert rel(Z_T, (W @ X + b).T) <= TOL


def _two_layers(seed: int, m: int = 16):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((5, m))
    Y = (rng.random((1, m)) < 0.5).astype(float)
    parameters = {
        "W1": rng.standard_normal((4, 5)) * 0.5,
        "b1": rng.standard_normal((4, 1)) * 0.1,
        "W2": rng.standard_normal((1, 4)) * 0.5,
        "b2": rng.standard_normal((1, 1)) * 0.1,
    }
    return X, Y, parameters


def _model(parameters, **dense_kwargs) -> keras.Sequential:
    model = keras.Sequential(
        [
            keras.Input((parameters["W1"].shape[1],)),
            keras.layers.Dense(4, activation="relu", **dense_kwargs),
            keras.layers.Dense(1, activation="sigmoid", **dense_kwargs),
        ]
    )
    for l, layer in enumerate(model.layers, start=1):
        layer.kernel.assign(parameters[f"W{l}"].T)
        layer.bias.assign(parameters[f"b{l}"][:, 0])
    return model


def test_row_layout_gradients_keras_kernel_gradient() -> None:
    X, Y, parameters = _two_layers(1)
    AL, caches = forward_propagation(X, parameters)
    grads = backward_propagation(AL, Y, caches)

    model = _model(parameters)
    loss_fn = keras.losses.BinaryCrossentropy()  # mean over the batch

    def cost(trainable):
        A_T, _ = model.stateless_call(trainable, [], X.T)
        return loss_fn(Y.T, A_T)

    trainable = [v.value for v in model.trainable_variables]
    value, (dkernel1, dbias1, dkernel2, dbias2) = jax.jit(
        jax.value_and_grad(cost)
    )(trainable)
    assert rel(value, compute_cost(AL, Y)) <= FLOAT32_TOL
    assert rel(dkernel1, grads["dW1"].T) <= FLOAT32_TOL
    assert rel(dbias1, grads["db1"][:, 0]) <= FLOAT32_TOL
    assert rel(dkernel2, grads["dW2"].T) <= FLOAT32_TOL
    assert rel(dbias2, grads["db2"][:, 0]) <= FLOAT32_TOL


# -- momentum ----------------------------------------------------------------


def test_row_momentum_sum_keras_sgd() -> None:
    beta, alpha = 0.9, 0.05
    W0, gradients = oracles.problem(1)
    W, slots = _run(
        keras.optimizers.SGD(learning_rate=alpha * (1 - beta), momentum=beta),
        W0,
        gradients,
    )
    W_course, v = oracles.momentum(W0, gradients, beta, alpha)
    assert rel(W, W_course) <= TOL
    # Keras's momentum variable holds the step itself: -alpha * v
    assert rel(slots["momentum"], -alpha * v) <= TOL


def test_row_momentum_dampening_keras_no_argument() -> None:
    assert (
        "dampening" not in inspect.signature(keras.optimizers.SGD).parameters
    )
    # its first step is already the course's damped alpha (1 - beta) dW_1
    beta, alpha = 0.9, 0.05
    W0, gradients = oracles.problem(2, steps=1)
    W, _ = _run(
        keras.optimizers.SGD(learning_rate=alpha * (1 - beta), momentum=beta),
        W0,
        gradients,
    )
    assert rel(W, oracles.momentum(W0, gradients, beta, alpha)[0]) <= TOL


def test_row_momentum_nesterov_keras_sgd() -> None:
    beta, alpha = 0.9, 0.05
    W0, gradients = oracles.problem(3)
    W, _ = _run(
        keras.optimizers.SGD(
            learning_rate=alpha * (1 - beta), momentum=beta, nesterov=True
        ),
        W0,
        gradients,
    )
    assert rel(W, oracles.nesterov(W0, gradients, beta, alpha)) <= TOL
    W_course, _ = oracles.momentum(W0, gradients, beta, alpha)
    assert rel(W - W0, W_course - W0) > 1e-2  # not the course's update


# -- RMSprop -----------------------------------------------------------------


def test_row_rmsprop_decay_keras_rho() -> None:
    defaults = inspect.signature(keras.optimizers.RMSprop).parameters
    assert defaults["rho"].default == 0.9
    assert defaults["epsilon"].default == 1e-7
    beta2, alpha, epsilon = 0.8, 0.01, 1e-7
    W0, gradients = oracles.problem(4)
    _, slots = _run(
        keras.optimizers.RMSprop(
            learning_rate=alpha, rho=beta2, epsilon=epsilon
        ),
        W0,
        gradients,
    )
    _, s = oracles.rmsprop(W0, gradients, beta2, alpha, epsilon)
    assert rel(slots["velocity"], s) <= TOL  # Keras's "velocity" is s


def test_row_rmsprop_epsilon_keras_inside_root() -> None:
    beta2, alpha, epsilon = 0.9, 0.01, 1e-4
    W0, gradients = oracles.problem(5)
    gradients *= 1e-3  # small, so that where epsilon sits shows
    W, _ = _run(
        keras.optimizers.RMSprop(
            learning_rate=alpha, rho=beta2, epsilon=epsilon
        ),
        W0,
        gradients,
    )
    W_in, _ = oracles.rmsprop(
        W0, gradients, beta2, alpha, epsilon, inside=True
    )
    assert rel(W, W_in) <= TOL
    W_out, _ = oracles.rmsprop(W0, gradients, beta2, alpha, epsilon)
    assert rel(W - W0, W_out - W0) > 1e-2


def test_row_rmsprop_centered_keras() -> None:
    beta2, alpha, epsilon = 0.9, 0.01, 1e-3
    W0, gradients = oracles.problem(6)
    W, _ = _run(
        keras.optimizers.RMSprop(
            learning_rate=alpha, rho=beta2, epsilon=epsilon, centered=True
        ),
        W0,
        gradients,
    )
    expected = oracles.centered_rmsprop(
        W0, gradients, beta2, alpha, lambda var: np.sqrt(var + epsilon)
    )
    assert rel(W, expected) <= TOL


def test_row_rmsprop_momentum_keras() -> None:
    beta2, alpha, epsilon, mu = 0.9, 0.01, 1e-4, 0.8
    W0, gradients = oracles.problem(7)
    W, _ = _run(
        keras.optimizers.RMSprop(
            learning_rate=alpha, rho=beta2, epsilon=epsilon, momentum=mu
        ),
        W0,
        gradients,
    )
    expected = oracles.rmsprop_with_momentum(
        W0, gradients, beta2, alpha, epsilon, mu, inside=True
    )
    assert rel(W, expected) <= TOL


# -- Adam --------------------------------------------------------------------


@pytest.mark.parametrize("epsilon_hat", [1e-7, 1e-3])
def test_row_adam_epsilon_keras_epsilon_hat(epsilon_hat: float) -> None:
    alpha, beta1, beta2 = 0.01, 0.9, 0.999
    W0, gradients = oracles.problem(8)
    gradients *= 1e-3
    W, _ = _run(
        keras.optimizers.Adam(
            learning_rate=alpha,
            beta_1=beta1,
            beta_2=beta2,
            epsilon=epsilon_hat,
        ),
        W0,
        gradients,
    )
    epsilon_t = oracles.epsilon_for_epsilon_hat(epsilon_hat, beta2)
    W_course, _, _ = oracles.adam(
        W0, gradients, alpha, beta1, beta2, epsilon_t
    )
    assert rel(W, W_course) <= TOL
    assert inspect.signature(keras.optimizers.Adam).parameters[
        "epsilon"
    ].default == pytest.approx(1e-7, rel=1e-15)


def test_row_adam_bias_correction_keras_in_step_size() -> None:
    alpha, beta1, beta2, epsilon_hat = 0.01, 0.8, 0.9, 1e-7
    W0, gradients = oracles.problem(9)
    optimizer = keras.optimizers.Adam(
        learning_rate=alpha, beta_1=beta1, beta_2=beta2, epsilon=epsilon_hat
    )
    W, slots = _run(optimizer, W0, gradients)
    epsilon_t = oracles.epsilon_for_epsilon_hat(epsilon_hat, beta2)
    W_course, v, s = oracles.adam(
        W0, gradients, alpha, beta1, beta2, epsilon_t
    )
    assert rel(W, W_course) <= TOL
    # the moments are stored uncorrected; iterations counts from 0, t - 1
    assert rel(slots["momentum"], v) <= TOL
    assert rel(slots["velocity"], s) <= TOL
    assert int(optimizer.iterations) == len(gradients)


# -- L2 ------------------------------------------------------------------------


def test_row_l2_gd_keras_kernel_regularizer() -> None:
    lambd, alpha = 0.7, 0.1
    X, Y, parameters = _two_layers(10)
    m = X.shape[1]
    model = _model(
        parameters, kernel_regularizer=keras.regularizers.L2(lambd / (2 * m))
    )
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=alpha),
        loss=keras.losses.BinaryCrossentropy(),
    )
    AL, caches = forward_propagation(X, parameters)
    cost = compute_cost(AL, Y, parameters, lambd)
    # the penalty Keras adds to the loss is the course's lambd/(2m) sum W^2
    model(X.T)
    penalty = sum(float(loss) for loss in model.losses)
    assert abs(penalty - l2_penalty(parameters, lambd, m)) <= 1e-12
    loss = model.train_on_batch(X.T, Y.T)  # one step on the whole batch
    assert rel(loss, cost) <= FLOAT32_TOL
    grads = backward_propagation(AL, Y, caches, lambd)
    for l, layer in enumerate(model.layers, start=1):
        W = gd_update(parameters[f"W{l}"], grads[f"dW{l}"], alpha)
        b = gd_update(parameters[f"b{l}"], grads[f"db{l}"], alpha)
        assert rel(np.asarray(layer.kernel), W.T) <= FLOAT32_TOL
        assert rel(np.asarray(layer.bias), b[:, 0]) <= FLOAT32_TOL


def test_row_l2_adam_keras_regularizer_gradient_through_adam() -> None:
    # a kernel regularizer adds its gradient to the loss's: coupled L2
    lambd, m, alpha, beta1, beta2, epsilon_hat = 0.7, 8, 0.01, 0.9, 0.999, 1e-7
    W0, gradients = oracles.problem(11)
    regularizer = keras.regularizers.L2(lambd / (2 * m))
    W = keras.Variable(W0, name="kernel")
    optimizer = keras.optimizers.Adam(
        learning_rate=alpha, beta_1=beta1, beta_2=beta2, epsilon=epsilon_hat
    )
    for dW in gradients:
        total = jax.grad(lambda w, g=dW: jnp.sum(g * w) + regularizer(w))
        optimizer.apply([total(W.value)], [W])
    epsilon_t = oracles.epsilon_for_epsilon_hat(epsilon_hat, beta2)
    W_course, v, s = W0, np.zeros_like(W0), np.zeros_like(W0)
    for t, dW in enumerate(gradients, start=1):
        W_course, v, s = adam_update(
            W_course,
            dW + lambd / m * W_course,
            v,
            s,
            t,
            alpha,
            beta1,
            beta2,
            float(epsilon_t[t - 1]),
        )
    assert rel(np.asarray(W), W_course) <= TOL


def test_row_l2_adamw_keras_weight_decay() -> None:
    alpha, beta1, beta2, epsilon_hat, wd = 0.01, 0.9, 0.999, 1e-7, 0.3
    W0, gradients = oracles.problem(12)
    b0, bias_gradients = oracles.problem(13, shape=(4,))
    optimizer = keras.optimizers.AdamW(
        learning_rate=alpha,
        weight_decay=wd,
        beta_1=beta1,
        beta_2=beta2,
        epsilon=epsilon_hat,
    )
    optimizer.exclude_from_weight_decay(var_names=["bias"])
    W, b = keras.Variable(W0, name="kernel"), keras.Variable(b0, name="bias")
    for dW, db in zip(gradients, bias_gradients, strict=True):
        optimizer.apply([dW, db], [W, b])
    epsilon_t = oracles.epsilon_for_epsilon_hat(epsilon_hat, beta2)
    W_course, _, _ = oracles.adam(
        W0,
        gradients,
        alpha,
        beta1,
        beta2,
        epsilon_t,
        decoupled_weight_decay=wd,
    )
    b_course, _, _ = oracles.adam(
        b0, bias_gradients, alpha, beta1, beta2, epsilon_t
    )
    assert rel(np.asarray(W), W_course) <= TOL
    assert rel(np.asarray(b), b_course) <= TOL
    assert keras.optimizers.AdamW().weight_decay == pytest.approx(0.004)


# -- dropout -------------------------------------------------------------------


@pytest.mark.parametrize("keep_prob", [0.5, 0.8])
def test_row_dropout_rate_keras_rate(keep_prob: float) -> None:
    A = np.random.default_rng(14).uniform(0.5, 2.0, (40, 50))
    layer = keras.layers.Dropout(rate=1 - keep_prob, seed=3)
    out = np.asarray(layer(A, training=True))
    D = out != 0  # A has no zeros: the mask is where the output is
    assert abs(D.mean() - keep_prob) < 0.05
    A_dropped, _ = dropout_forward(A, keep_prob, _Uniforms(1.0 - D))
    assert rel(out, A_dropped) <= TOL  # kept units scaled by 1 / keep_prob


def test_row_dropout_mode_keras_training_argument() -> None:
    A = np.random.default_rng(15).uniform(0.5, 2.0, (40, 50))
    layer = keras.layers.Dropout(rate=0.2, seed=4)
    np.testing.assert_array_equal(np.asarray(layer(A)), A)  # inference
    np.testing.assert_array_equal(np.asarray(layer(A, training=False)), A)
    assert np.any(np.asarray(layer(A, training=True)) == 0)


class _Uniforms:
    """A stand-in rng whose ``random`` returns given uniforms."""

    def __init__(self, U: np.ndarray) -> None:
        self.U = U

    def random(self, shape: tuple[int, ...]) -> np.ndarray:
        assert shape == self.U.shape
        return self.U.copy()


# -- initialization ----------------------------------------------------------

N, N_PREV = 300, 200  # a kernel (n[l-1], n[l]) = (200, 300)


def _ratio_to_truncated_draws(initializer_class) -> float:
    """The initializer's draws over N(0, 1) cut at +-2, with the same seed."""
    W = np.asarray(initializer_class(seed=5)((N_PREV, N)))
    Z = np.asarray(
        keras.initializers.TruncatedNormal(0.0, 1.0, seed=5)((N_PREV, N))
    )
    ratio = W / Z
    np.testing.assert_allclose(ratio, ratio.flat[0], rtol=1e-12)
    # the variance is the course's: Var(W) = ratio^2 * TRUNCATED_VAR
    k = W.size
    var = ratio.flat[0] ** 2 * TRUNCATED_VAR
    assert abs(W.var() - var) < 5 * var * math.sqrt(2 / k)
    return float(ratio.flat[0])


def test_row_init_he_keras_he_normal() -> None:
    ratio = _ratio_to_truncated_draws(keras.initializers.HeNormal)
    assert abs(ratio**2 * TRUNCATED_VAR / (2 / N_PREV) - 1) <= TOL


def test_row_init_xavier_keras_lecun_normal() -> None:
    ratio = _ratio_to_truncated_draws(keras.initializers.LecunNormal)
    assert abs(ratio**2 * TRUNCATED_VAR / (1 / N_PREV) - 1) <= TOL


def test_row_init_glorot_keras_glorot_normal() -> None:
    ratio = _ratio_to_truncated_draws(keras.initializers.GlorotNormal)
    assert abs(ratio**2 * TRUNCATED_VAR / (2 / (N_PREV + N)) - 1) <= TOL
    initializer = keras.layers.Dense(3).kernel_initializer
    assert isinstance(initializer, keras.initializers.GlorotUniform)


def test_row_init_truncated_keras_rescaled() -> None:
    Z = np.asarray(
        keras.initializers.TruncatedNormal(0.0, 1.0, seed=6)((1000, 400))
    )
    assert np.abs(Z).max() <= CUT
    sd = TRUNCATED_VAR * math.sqrt(2 / Z.size)
    assert abs(Z.var() - TRUNCATED_VAR) < 5 * sd
    # He's draws lie within 2 / 0.8796 = 2.27 of their standard deviation
    W = np.asarray(keras.initializers.HeNormal(seed=6)((N_PREV, N)))
    assert np.abs(W).max() <= CUT / math.sqrt(TRUNCATED_VAR) * math.sqrt(
        2 / N_PREV
    )


# -- batch norm ------------------------------------------------------------------


def _bn_batches(n: int, m: int, count: int, seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [
        rng.standard_normal((n, m)) * 3 + rng.standard_normal((n, 1))
        for _ in range(count)
    ]


def test_row_bn_momentum_keras_beta() -> None:
    n, m, momentum = 3, 8, 0.9
    layer = keras.layers.BatchNormalization(momentum=momentum, epsilon=1e-5)
    ones, zeros = np.ones((n, 1)), np.zeros((n, 1))
    running_mean, running_var = zeros, ones  # Keras starts from 0 and 1 too
    for Z in _bn_batches(n, m, 12, seed=16):
        out = np.asarray(layer(Z.T, training=True)).T
        Z_tilde, cache = batchnorm_forward(Z, ones, zeros, 1e-5)
        assert rel(out, Z_tilde) <= FLOAT32_TOL
        running_mean, running_var = update_running_averages(
            running_mean, running_var, cache["mu"], cache["var"], momentum
        )
    assert (
        rel(np.asarray(layer.moving_mean), running_mean[:, 0]) <= FLOAT32_TOL
    )
    assert (
        rel(np.asarray(layer.moving_variance), running_var[:, 0])
        <= FLOAT32_TOL
    )
    assert keras.layers.BatchNormalization().momentum == 0.99


def test_row_bn_running_var_keras_biased() -> None:
    n, m, momentum = 3, 4, 0.9
    (Z,) = _bn_batches(n, m, 1, seed=17)
    layer = keras.layers.BatchNormalization(
        momentum=momentum, moving_variance_initializer="zeros"
    )
    layer(Z.T, training=True)
    biased = Z.var(axis=1)  # divide by m
    assert (
        rel(np.asarray(layer.moving_variance), (1 - momentum) * biased)
        <= FLOAT32_TOL
    )


def test_row_bn_epsilon_keras_default() -> None:
    layer = keras.layers.BatchNormalization()
    assert layer.epsilon == 1e-3
    Z = _bn_batches(3, 16, 1, seed=18)[0] * 1e-2  # variance about 1e-3
    out = np.asarray(layer(Z.T, training=True)).T
    ones, zeros = np.ones((3, 1)), np.zeros((3, 1))
    assert rel(out, batchnorm_forward(Z, ones, zeros, 1e-3)[0]) <= FLOAT32_TOL
    assert rel(out, batchnorm_forward(Z, ones, zeros, 1e-8)[0]) > 0.1


def test_row_bn_axis_keras_axis() -> None:
    (Z,) = _bn_batches(4, 8, 1, seed=19)
    rng = np.random.default_rng(19)
    gamma, beta = rng.standard_normal((4, 1)), rng.standard_normal((4, 1))
    expected, _ = batchnorm_forward(Z, gamma, beta, 1e-3)
    # batch first, features last (axis=-1, the default) on Z.T ...
    layer = keras.layers.BatchNormalization()
    layer.build((None, 4))
    layer.gamma.assign(gamma[:, 0])
    layer.beta.assign(beta[:, 0])
    assert (
        rel(np.asarray(layer(Z.T, training=True)).T, expected) <= FLOAT32_TOL
    )
    # ... or the course's layout itself, with the features on axis 0
    layer = keras.layers.BatchNormalization(axis=0)
    layer.build((4, None))
    layer.gamma.assign(gamma[:, 0])
    layer.beta.assign(beta[:, 0])
    assert rel(np.asarray(layer(Z, training=True)), expected) <= FLOAT32_TOL


def test_row_bn_mode_keras_training_argument() -> None:
    n, m = 4, 8
    layer = keras.layers.BatchNormalization(momentum=0.5)
    ones, zeros = np.ones((n, 1)), np.zeros((n, 1))
    for Z in _bn_batches(n, m, 3, seed=20):
        layer(Z.T, training=True)
    running_mean = np.asarray(layer.moving_mean)[:, None]
    running_var = np.asarray(layer.moving_variance)[:, None]
    Z_test = np.random.default_rng(21).standard_normal((n, 1))  # m = 1
    expected = batchnorm_inference(
        Z_test, ones, zeros, running_mean, running_var, 1e-3
    )
    assert (
        rel(np.asarray(layer(Z_test.T, training=False)).T, expected)
        <= FLOAT32_TOL
    )
    assert (
        rel(np.asarray(layer(Z_test.T)).T, expected) <= FLOAT32_TOL
    )  # default
    # inference leaves the running averages alone
    assert (
        rel(np.asarray(layer.moving_mean)[:, None], running_mean) == 0
    )  # exactly


def test_keras_computes_bn_and_losses_in_float32() -> None:
    """Why the rows through batch norm and losses get FLOAT32_TOL."""
    assert keras.config.floatx() == "float64"
    assert keras.backend.result_type("float64", "float32") == "float32"
    x = np.random.default_rng(22).random(64)
    error = abs(float(keras.ops.mean(x)) - x.mean()) / x.mean()
    assert 1e-12 < error < FLOAT32_TOL  # float32 rounding, not float64


# -- learning-rate decay ------------------------------------------------------

STEPS_PER_EPOCH = 5


def _rates(schedule, steps: int) -> np.ndarray:
    """The learning rate Keras uses at optimizer steps 0, 1, ..., steps-1."""
    rates = np.array([float(schedule(k)) for k in range(steps)])
    # and the optimizer does call it with its iteration count, from 0
    optimizer = keras.optimizers.SGD(learning_rate=schedule)
    W = keras.Variable(np.zeros(1), name="kernel")
    for k in range(2):
        before = float(np.asarray(W)[0])
        optimizer.apply([np.ones(1)], [W])
        assert abs(before - float(np.asarray(W)[0]) - rates[k]) <= 1e-15
    return rates


@pytest.mark.parametrize("decay_rate", [1.0, 0.3])
def test_row_decay_inverse_time_keras_inverse_time_decay(
    decay_rate: float,
) -> None:
    schedule = keras.optimizers.schedules.InverseTimeDecay(
        0.3, decay_steps=STEPS_PER_EPOCH, decay_rate=decay_rate, staircase=True
    )
    rates = _rates(schedule, 40 * STEPS_PER_EPOCH)
    ours = [
        learning_rate_decay(0.3, k // STEPS_PER_EPOCH, decay_rate)
        for k in range(40 * STEPS_PER_EPOCH)
    ]
    np.testing.assert_allclose(rates, ours, rtol=1e-12)
    # without staircase it decays within an epoch too, at fractional epochs
    smooth = keras.optimizers.schedules.InverseTimeDecay(
        0.3, decay_steps=STEPS_PER_EPOCH, decay_rate=decay_rate
    )
    assert float(smooth(2)) < ours[2]


@pytest.mark.parametrize(("decay_rate", "time_interval"), [(0.5, 7), (1, 3)])
def test_row_decay_staircase_keras_decay_steps(
    decay_rate: float, time_interval: int
) -> None:
    schedule = keras.optimizers.schedules.InverseTimeDecay(
        0.3,
        decay_steps=STEPS_PER_EPOCH * time_interval,
        decay_rate=decay_rate,
        staircase=True,
    )
    rates = _rates(schedule, 40 * STEPS_PER_EPOCH)
    ours = [
        learning_rate_decay(
            0.3, k // STEPS_PER_EPOCH, decay_rate, time_interval
        )
        for k in range(40 * STEPS_PER_EPOCH)
    ]
    np.testing.assert_allclose(rates, ours, rtol=1e-12)


def test_row_decay_exponential_keras_exponential_decay() -> None:
    schedule = keras.optimizers.schedules.ExponentialDecay(
        0.3, decay_steps=STEPS_PER_EPOCH, decay_rate=0.95, staircase=True
    )
    rates = _rates(schedule, 40 * STEPS_PER_EPOCH)
    ours = [
        exponential_decay(0.3, k // STEPS_PER_EPOCH, 0.95)
        for k in range(40 * STEPS_PER_EPOCH)
    ]
    np.testing.assert_allclose(rates, ours, rtol=1e-12)
