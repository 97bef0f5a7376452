r"""Gradient checking with central differences.

To check the network's backward pass, flatten the parameters into one
vector :math:`\theta` (``dictionary_to_vector``), write the cost as a
function of :math:`\theta` (``vector_to_dictionary`` gives the dictionary
back), flatten the gradients the same way and call ``gradient_check``::

    keys = ["W1", "b1", "W2", "b2"]
    shapes = {key: parameters[key].shape for key in keys}
    theta = dictionary_to_vector(parameters, keys)
    grad = dictionary_to_vector(grads, ["d" + key for key in keys])
    def J(theta):
        AL, _ = forward_propagation(X, vector_to_dictionary(theta, shapes))
        return compute_cost(AL, Y)
    difference = gradient_check(J, theta, grad)  # about 1e-7 or less
"""

from __future__ import annotations

import numpy as np


def gradient_check(
    f: object,
    theta: np.typing.ArrayLike,
    grad: np.typing.ArrayLike,
    epsilon: float = 1e-7,
) -> float:
    r"""Relative difference between a gradient and its central differences.

    .. math::
        d\theta_{\text{approx}}[i] &= \frac{f(\theta + \varepsilon e_i)
        - f(\theta - \varepsilon e_i)}{2 \varepsilon} \\
        \text{difference} &= \frac{\lVert d\theta
        - d\theta_{\text{approx}} \rVert_2}{\lVert d\theta \rVert_2
        + \lVert d\theta_{\text{approx}} \rVert_2}

    with :math:`f` = ``f``, :math:`\theta` = ``theta``, :math:`d\theta` =
    ``grad``, :math:`\varepsilon` = ``epsilon`` and :math:`e_i` the i-th unit
    vector.  A difference around 1e-7 or less means the gradient is right;
    above 1e-3, it is almost surely wrong.  It is 0.0 when both gradients are
    zero.  The cost is :math:`2n` evaluations of ``f`` for :math:`n`
    parameters: use it to debug, not to train.

    Parameters
    ----------
    f : callable
        Scalar function of a 1-D float64 array of the shape of ``theta``.
    theta : array_like, shape (n,)
        Point at which to check, without NaN or inf.
    grad : array_like, shape (n,)
        Gradient of ``f`` at ``theta`` to check, without NaN or inf.
    epsilon : float
        Step of the central differences, > 0.

    Returns
    -------
    difference : float
        Relative difference, in [0, 1].

    Examples
    --------
    >>> theta = np.array([1.0, -2.0, 0.5])
    >>> difference = gradient_check(lambda t: np.sum(t**3), theta,
    ...                             3 * theta**2)
    >>> bool(difference < 1e-7)
    True
    >>> round(gradient_check(lambda t: np.sum(t**3), theta, theta**2), 4)
    0.5
    """
    if not callable(f):
        msg = f"f must be callable, got {f!r}"
        raise TypeError(msg)
    theta = np.asarray(theta, dtype=np.float64)
    grad = np.asarray(grad, dtype=np.float64)
    if theta.ndim != 1 or grad.shape != theta.shape:
        msg = f"grad shape {grad.shape} and theta shape {theta.shape} must be"
        raise ValueError(msg + " the same 1-D shape")
    for name, value in (("theta", theta), ("grad", grad)):
        if not np.isfinite(value).all():
            msg = f"{name} contains NaN or inf"
            raise ValueError(msg)
    if not (np.isfinite(epsilon) and epsilon > 0):
        msg = f"epsilon must be finite and > 0, got {epsilon}"
        raise ValueError(msg)
    grad_approx = np.empty_like(theta)  # (n,)
    for i in range(theta.size):
        theta_plus, theta_minus = theta.copy(), theta.copy()
        theta_plus[i] += epsilon
        theta_minus[i] -= epsilon
        J_plus, J_minus = float(f(theta_plus)), float(f(theta_minus))
        grad_approx[i] = (J_plus - J_minus) / (2 * epsilon)
    if not np.all(np.isfinite(grad_approx)):
        msg = "f must be finite near theta (central differences are not)"
        raise ValueError(msg)
    numerator = np.linalg.norm(grad - grad_approx)
    denominator = np.linalg.norm(grad) + np.linalg.norm(grad_approx)
    return 0.0 if denominator == 0 else float(numerator / denominator)


def dictionary_to_vector(
    parameters: dict[str, np.typing.NDArray[np.float64]],
    keys: list[str] | tuple[str, ...] | None = None,
) -> np.typing.NDArray[np.float64]:
    r"""Flatten a parameter (or gradient) dictionary into one vector.

    .. math::
        \theta = \left[\operatorname{vec}(W^{[1]});\; b^{[1]};\;
        \operatorname{vec}(W^{[2]});\; b^{[2]};\; \dots\right]

    with :math:`W^{[l]}` = ``parameters["W<l>"]`` flattened row by row
    (C order).  ``keys`` fixes the order; by default it is ``"W1", "b1",
    "W2", "b2", ...`` for parameters, or ``"dW1", "db1", ...`` for a
    gradient dictionary (one that holds ``"dW1"``).

    Parameters
    ----------
    parameters : dict of array_like
        Parameters ``"W<l>"``, ``"b<l>"`` or gradients ``"dW<l>"``,
        ``"db<l>"``.
    keys : sequence of str, optional
        Keys to concatenate, in order.

    Returns
    -------
    theta : ndarray, shape (n,)
        All the entries, n = the total number of entries.

    Notes
    -----
    NaN and inf are copied like any other value, not refused: flattening
    does no arithmetic, so they come out where they went in, for
    ``gradient_check`` (which refuses them) to see.

    Examples
    --------
    >>> parameters = {"b1": np.array([[5.0], [6.0]]),
    ...               "W1": np.array([[1.0, 2.0], [3.0, 4.0]])}
    >>> print(dictionary_to_vector(parameters))
    [1. 2. 3. 4. 5. 6.]
    """
    if keys is None:
        d = "d" if "dW1" in parameters else ""
        L = sum(1 for key in parameters if key.startswith(d + "W"))
        keys = [
            f"{d}{name}{layer}"
            for layer in range(1, L + 1)
            for name in ("W", "b")
        ]
    missing = [key for key in keys if key not in parameters]
    if missing or not keys:
        msg = (
            f"keys {missing or keys} are not in parameters {list(parameters)}"
        )
        raise ValueError(msg)
    return np.concatenate(
        [
            np.ravel(np.asarray(parameters[key], dtype=np.float64))
            for key in keys
        ]
    )


def vector_to_dictionary(
    theta: np.typing.ArrayLike, shapes: dict[str, tuple[int, ...]]
) -> dict[str, np.typing.NDArray[np.float64]]:
    r"""Split a vector back into a dictionary of arrays of given shapes.

    .. math::
        \theta = \left[\operatorname{vec}(W^{[1]});\; b^{[1]};\; \dots
        \right] \;\mapsto\; \{W^{[1]}, b^{[1]}, \dots\}

    the inverse of ``dictionary_to_vector``: ``shapes`` maps each key to its
    shape, in the order of the vector (for instance
    ``{key: parameters[key].shape for key in keys}``).

    Parameters
    ----------
    theta : array_like, shape (n,)
        Flattened parameters.
    shapes : dict of str to tuple of int
        Shape of each array, in the order of ``theta``; the sizes add up to n.

    Returns
    -------
    parameters : dict of ndarray
        New arrays (copies, C order) with the given keys and shapes.

    Notes
    -----
    NaN and inf are copied like any other value, not refused: reshaping
    does no arithmetic, so they come out where they went in, for the
    function that computes with them to refuse.

    Examples
    --------
    >>> theta = np.arange(1.0, 7.0)
    >>> parameters = vector_to_dictionary(theta, {"W1": (2, 2), "b1": (2, 1)})
    >>> print(parameters["W1"], parameters["b1"].ravel())
    [[1. 2.]
     [3. 4.]] [5. 6.]
    """
    theta = np.asarray(theta, dtype=np.float64)
    sizes = [int(np.prod(shape)) for shape in shapes.values()]
    if theta.ndim != 1 or theta.size != sum(sizes):
        msg = (
            f"theta shape {theta.shape} does not match shapes {dict(shapes)}"
            f" ({sum(sizes)} entries)"
        )
        raise ValueError(msg)
    parameters = {}
    start = 0
    for (key, shape), size in zip(shapes.items(), sizes, strict=True):
        parameters[key] = theta[start : start + size].reshape(shape).copy()
        start += size
    return parameters
