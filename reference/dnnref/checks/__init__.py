r"""Self-checks: run your implementation beside the reference, find the slip.

Each ``check_<name>(fn)`` calls your function ``fn`` the way the reference
function ``dnnref.<name>`` is called (required arguments by position, the
others by name), on several inputs: random ones with fixed seeds, and the
edge cases (one example, one feature, ``t = 1``, ``keep_prob = 1``,
``beta = 0``, a zero-variance feature, a legacy ``np.random.RandomState``
and a ``np.random.default_rng`` where draws matter).  It compares every
output with the reference and, when one differs, recomputes the known
slips of that formula (sigma squared for sigma, epsilon inside the square
root, no bias correction, ...) and names the one your output matches::

    from dnnref import checks

    def my_adam_update(W, dW, v, s, t, learning_rate=0.01, beta1=0.9,
                       beta2=0.999, epsilon=1e-8):
        ...

    checks.check_adam_update(my_adam_update)

A check never raises because of your function: an exception, ``None``, a
nan, a wrong shape or an input modified in place is a failed check, with
the case, the inputs, the largest error and where it is.  Besides the
slips of each formula, every check names these mistakes: no return value,
different signature, different default (for an argument you left out),
modifies its input; and those that draw: ignores rng, ``rng.randn`` (or
``rand``) on a Generator.  The result is a
:class:`CheckResult`: ``.passed``, ``.failure`` (the first failing case in
words), ``.mistake`` and ``.hint`` (the likely slip and how to fix it).  It
prints as a few lines in a terminal and as a small box in a notebook.

Checks are pure: they build their own random generators, and restore
NumPy's global random state even if your function draws from it.  Each
takes a few milliseconds, so a page can run its exercise's solution
through one: ``assert checks.check_adam_update(adam_update).passed``.

>>> from dnnref import checks
>>> def my_adam_update(W, dW, v, s, t, learning_rate=0.01, beta1=0.9,
...                    beta2=0.999, epsilon=1e-8):
...     v = beta1 * v + (1 - beta1) * dW
...     s = beta2 * s + (1 - beta2) * dW**2
...     W = W - learning_rate * v / (np.sqrt(s) + epsilon)
...     return W, v, s
>>> result = checks.check_adam_update(my_adam_update)
>>> result.passed, result.mistake
(False, 'no bias correction')
>>> print(result.hint)
Divide by 1 - beta**t before the step: v_corrected = v / (1 - beta1**t),
s_corrected = s / (1 - beta2**t).
"""

from __future__ import annotations

import numpy as np  # noqa: F401  (the example above uses np)

from dnnref.checks._averages import check_exponentially_weighted_average
from dnnref.checks._batchnorm import (
    check_batchnorm_backward,
    check_batchnorm_forward,
    check_batchnorm_inference,
    check_update_running_averages,
)
from dnnref.checks._cases import ATOL as ATOL
from dnnref.checks._cases import RTOL as RTOL
from dnnref.checks._decay import check_learning_rate_decay
from dnnref.checks._gradcheck import check_gradient_check
from dnnref.checks._initialization import check_initialize_parameters
from dnnref.checks._minibatch import check_random_mini_batches
from dnnref.checks._network import (
    check_backward_propagation,
    check_compute_cost,
    check_forward_propagation,
)
from dnnref.checks._normalization import (
    check_compute_normalization,
    check_normalize,
)
from dnnref.checks._optimizers import (
    check_adam_update,
    check_gd_update,
    check_momentum_update,
    check_rmsprop_update,
)
from dnnref.checks._regularization import (
    check_dropout_backward,
    check_dropout_forward,
    check_l2_penalty,
)
from dnnref.checks._result import CheckResult

__all__ = [
    "CheckResult",
    "check_adam_update",
    "check_backward_propagation",
    "check_batchnorm_backward",
    "check_batchnorm_forward",
    "check_batchnorm_inference",
    "check_compute_cost",
    "check_compute_normalization",
    "check_dropout_backward",
    "check_dropout_forward",
    "check_exponentially_weighted_average",
    "check_forward_propagation",
    "check_gd_update",
    "check_gradient_check",
    "check_initialize_parameters",
    "check_l2_penalty",
    "check_learning_rate_decay",
    "check_momentum_update",
    "check_normalize",
    "check_random_mini_batches",
    "check_rmsprop_update",
    "check_update_running_averages",
]
