"""NumPy reference implementations for improving deep neural networks.

One module per topic; every public function is pure, vectorized and
depends only on NumPy (the training loops in :mod:`dnnref.training` and the
batch-norm network in :mod:`dnnref.bn_network` compose the others).
"""

from __future__ import annotations

from dnnref.batchnorm import (
    batchnorm_backward,
    batchnorm_forward,
    batchnorm_inference,
    update_running_averages,
)
from dnnref.bn_network import (
    backward_propagation_bn,
    forward_propagation_bn,
    initialize_parameters_bn,
    predict_bn,
    update_bn_averages,
)
from dnnref.datasets import (
    make_circles,
    make_moons,
    make_noisy_two_class,
    train_test_split,
)
from dnnref.gradcheck import (
    dictionary_to_vector,
    gradient_check,
    vector_to_dictionary,
)
from dnnref.initialization import (
    initialize_parameters,
)
from dnnref.minibatch import (
    random_mini_batches,
)
from dnnref.network import (
    backward_propagation,
    compute_cost,
    forward_propagation,
    predict,
)
from dnnref.normalization import (
    compute_normalization,
    normalize,
)
from dnnref.optimizers import (
    adam_update,
    exponential_decay,
    exponentially_weighted_average,
    gd_update,
    inverse_sqrt_decay,
    learning_rate_decay,
    momentum_update,
    rmsprop_update,
)
from dnnref.regularization import (
    dropout_backward,
    dropout_forward,
    l2_penalty,
)
from dnnref.surfaces import (
    elongated_quadratic,
    quadratic_cost,
    quadratic_gradient,
    rosenbrock_cost,
    rosenbrock_gradient,
)
from dnnref.training import (
    initialize_optimizer_state,
    model,
    optimizer_path,
    update_parameters,
)

__all__ = [
    "adam_update",
    "backward_propagation",
    "backward_propagation_bn",
    "batchnorm_backward",
    "batchnorm_forward",
    "batchnorm_inference",
    "compute_cost",
    "compute_normalization",
    "dictionary_to_vector",
    "dropout_backward",
    "dropout_forward",
    "elongated_quadratic",
    "exponential_decay",
    "exponentially_weighted_average",
    "forward_propagation",
    "forward_propagation_bn",
    "gd_update",
    "gradient_check",
    "initialize_optimizer_state",
    "initialize_parameters",
    "initialize_parameters_bn",
    "inverse_sqrt_decay",
    "l2_penalty",
    "learning_rate_decay",
    "make_circles",
    "make_moons",
    "make_noisy_two_class",
    "model",
    "momentum_update",
    "normalize",
    "optimizer_path",
    "predict",
    "predict_bn",
    "quadratic_cost",
    "quadratic_gradient",
    "random_mini_batches",
    "rmsprop_update",
    "rosenbrock_cost",
    "rosenbrock_gradient",
    "train_test_split",
    "update_bn_averages",
    "update_parameters",
    "update_running_averages",
    "vector_to_dictionary",
]
__version__ = "0.1.0"
