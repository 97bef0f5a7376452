"""Tests of dnnref.surfaces, and of optimizer paths on them.

Oracles: eigen-decompositions (numpy.linalg), the quadratic form written
out, central differences in float64 for the gradients, the closed form
(I - alpha H)^k W0 of gradient descent on a quadratic and its stability
limit alpha < 2 / lambda_max, and a measured property of the paths
(momentum zig-zags less than gradient descent across the narrow valley).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dnnref.optimizers import gd_update, momentum_update
from dnnref.surfaces import (
    elongated_quadratic,
    quadratic_cost,
    quadratic_gradient,
    rosenbrock_cost,
    rosenbrock_gradient,
)

conditions = st.floats(1.0, 100.0)
angles = st.floats(-np.pi, np.pi)


def _rel(a: np.ndarray, b: np.ndarray) -> float:
    return float(
        np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))
    )


def _numeric_grad(f, W: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Central differences of the scalar function f at the point W."""
    grad = np.zeros_like(W)
    for i in range(W.size):
        step = np.zeros_like(W)
        step[i] = h
        grad[i] = (f(W + step) - f(W - step)) / (2 * h)
    return grad


# ------------------------------------------------------ elongated_quadratic


@given(condition=conditions, angle=angles)
def test_elongated_quadratic_has_the_condition_number(
    condition: float, angle: float
) -> None:
    H = elongated_quadratic(condition, angle)
    assert H.shape == (2, 2)
    np.testing.assert_array_equal(H, H.T)
    lambdas, vectors = np.linalg.eigh(H)
    np.testing.assert_allclose(lambdas, [1.0, condition], rtol=1e-12)
    # the flat direction (lambda = 1) is the first axis rotated by angle
    flat = np.array([np.cos(angle), np.sin(angle)])
    if condition > 1.001:  # distinct eigenvalues: a unique direction
        assert abs(vectors[:, 0] @ flat) == pytest.approx(1.0, rel=1e-9)


def test_elongated_quadratic_unrotated_is_diagonal() -> None:
    np.testing.assert_array_equal(elongated_quadratic(25.0), np.diag([1, 25]))
    np.testing.assert_array_equal(elongated_quadratic(), np.diag([1, 10]))


def test_elongated_quadratic_quarter_turn_swaps_axes() -> None:
    H = elongated_quadratic(4.0, np.pi / 2)
    np.testing.assert_allclose(H, np.diag([4.0, 1.0]), atol=1e-15)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"condition": 0.5}, "condition must be >= 1 and finite, got 0.5"),
        ({"condition": np.inf}, "condition must be >= 1 and finite, got inf"),
        ({"condition": np.nan}, "condition must be >= 1 and finite, got nan"),
        ({"angle": np.nan}, "angle must be finite, got nan"),
        ({"angle": np.inf}, "angle must be finite, got inf"),
    ],
    ids=["cond-below-1", "cond-inf", "cond-nan", "angle-nan", "angle-inf"],
)
def test_elongated_quadratic_rejects_bad_input(kwargs, match) -> None:
    with pytest.raises(ValueError, match=match):
        elongated_quadratic(**kwargs)


# ------------------------------------------------- quadratic cost/gradient


def test_quadratic_cost_by_hand() -> None:
    H = np.array([[2.0, 1.0], [1.0, 4.0]])
    # 1/2 (2 * 9 + 2 * 1 * 3 * (-1) + 4 * 1) = 1/2 (18 - 6 + 4) = 8
    assert quadratic_cost(np.array([3.0, -1.0]), H) == 8.0
    assert quadratic_cost([0.0, 0.0], H) == 0.0
    assert type(quadratic_cost([1.0, 1.0], H)) is float


def test_quadratic_cost_on_points_and_grids() -> None:
    H = elongated_quadratic(7.0, 0.3)
    rng = np.random.default_rng(0)
    points = rng.standard_normal((2, 5))  # (2, k)
    written_out = 0.5 * (
        H[0, 0] * points[0] ** 2
        + 2 * H[0, 1] * points[0] * points[1]
        + H[1, 1] * points[1] ** 2
    )
    np.testing.assert_allclose(
        quadratic_cost(points, H), written_out, rtol=1e-12
    )
    w0, w1 = np.meshgrid(np.linspace(-2, 2, 4), np.linspace(-1, 1, 3))
    grid = np.stack([w0, w1])  # (2, 3, 4)
    J = quadratic_cost(grid, H)
    assert J.shape == (3, 4)
    for i, j in np.ndindex(3, 4):
        assert J[i, j] == pytest.approx(
            quadratic_cost(grid[:, i, j], H), rel=1e-12
        )


def test_quadratic_cost_in_three_dimensions() -> None:
    H = np.diag([1.0, 2.0, 3.0])
    assert quadratic_cost([1.0, 1.0, 1.0], H) == 3.0


@given(condition=conditions, angle=angles, seed=st.integers(0, 2**32 - 1))
def test_quadratic_gradient_matches_central_differences(
    condition: float, angle: float, seed: int
) -> None:
    H = elongated_quadratic(condition, angle)
    W = np.random.default_rng(seed).standard_normal(2)
    numeric = _numeric_grad(lambda x: quadratic_cost(x, H), W)
    assert _rel(quadratic_gradient(W, H), numeric) < 1e-7


def test_quadratic_gradient_on_a_grid_is_H_W_per_point() -> None:
    H = elongated_quadratic(3.0, 1.0)
    grid = np.random.default_rng(1).standard_normal((2, 3, 4))
    dW = quadratic_gradient(grid, H)
    assert dW.shape == (2, 3, 4)
    for i, j in np.ndindex(3, 4):
        np.testing.assert_allclose(dW[:, i, j], H @ grid[:, i, j], rtol=1e-13)


# ------------------------------------------------------------- rosenbrock


def test_rosenbrock_by_hand() -> None:
    assert rosenbrock_cost([1.0, 1.0]) == 0.0
    assert rosenbrock_cost([2.0, 4.0], a=2.0) == 0.0  # minimum (a, a^2)
    assert rosenbrock_cost([0.0, 0.0]) == 1.0
    assert rosenbrock_cost([-1.0, 2.0], a=1.0, b=10.0) == 4.0 + 10.0
    np.testing.assert_array_equal(rosenbrock_gradient([2.0, 4.0], 2.0), [0, 0])
    # (0, 0): dJ/dW0 = 2 (0 - 1) = -2, dJ/dW1 = 0
    np.testing.assert_array_equal(rosenbrock_gradient([0.0, 0.0]), [-2, 0])


@given(
    W=st.tuples(st.floats(-2, 2), st.floats(-1, 3)),
    a=st.floats(-2, 2),
    b=st.floats(0.5, 100),
)
def test_rosenbrock_gradient_matches_central_differences(
    W: tuple[float, float], a: float, b: float
) -> None:
    point = np.array(W)
    numeric = _numeric_grad(lambda x: rosenbrock_cost(x, a, b), point)
    analytic = rosenbrock_gradient(point, a, b)
    assert np.linalg.norm(analytic - numeric) <= 1e-7 * (
        np.linalg.norm(analytic) + np.linalg.norm(numeric) + 1e-3
    )


def test_rosenbrock_on_a_grid() -> None:
    grid = np.random.default_rng(2).standard_normal((2, 4, 3))
    J = rosenbrock_cost(grid)
    dW = rosenbrock_gradient(grid)
    assert J.shape == (4, 3)
    assert dW.shape == (2, 4, 3)
    for i, j in np.ndindex(4, 3):
        assert J[i, j] == pytest.approx(rosenbrock_cost(grid[:, i, j]))
        np.testing.assert_allclose(
            dW[:, i, j], rosenbrock_gradient(grid[:, i, j]), rtol=1e-14
        )


# ------------------------------------------------------------ validation

H2 = np.eye(2)
BAD_SURFACES = [
    (
        "H-1d",
        (np.ones(2), np.ones(2)),
        r"H must be a square matrix, got shape \(2,\)",
    ),
    (
        "H-not-square",
        (np.ones(2), np.ones((2, 3))),
        r"H must be a square matrix, got shape \(2, 3\)",
    ),
    (
        "H-asymmetric",
        (np.ones(2), np.array([[1.0, 2.0], [0.0, 1.0]])),
        "H must be symmetric, without NaN or inf",
    ),
    (
        "H-nan",
        (np.ones(2), np.array([[1.0, np.nan], [np.nan, 1.0]])),
        "H must be symmetric, without NaN or inf",
    ),
    (
        "W-wrong-n",
        (np.ones(3), H2),
        r"W shape \(3,\) does not match H shape \(2, 2\)",
    ),
    (
        "W-grid-wrong-n",
        (np.ones((3, 5)), H2),
        r"W shape \(3, 5\) does not match H shape \(2, 2\)",
    ),
    (
        "W-scalar",
        (np.float64(1.0), H2),
        r"W shape \(\) does not match H shape \(2, 2\)",
    ),
    ("W-inf", (np.array([1.0, np.inf]), H2), "W contains NaN or inf"),
]


@pytest.mark.parametrize("function", [quadratic_cost, quadratic_gradient])
@pytest.mark.parametrize(
    ("args", "match"),
    [case[1:] for case in BAD_SURFACES],
    ids=[case[0] for case in BAD_SURFACES],
)
def test_quadratic_rejects_bad_input(function, args, match) -> None:
    with pytest.raises(ValueError, match=match):
        function(*args)


BAD_ROSENBROCK = [
    ("W-3", (np.ones(3),), r"W must have shape \(2,\) or \(2, ...\), got"),
    ("W-scalar", (np.float64(1.0),), r"W must have shape .* got \(\)"),
    ("W-nan", (np.array([np.nan, 1.0]),), "W contains NaN or inf"),
    ("a-nan", (np.ones(2), np.nan), "a contains NaN or inf"),
    ("b-zero", (np.ones(2), 1.0, 0.0), "b must be > 0 and finite, got 0.0"),
    ("b-inf", (np.ones(2), 1.0, np.inf), "b must be > 0 and finite, got inf"),
]


@pytest.mark.parametrize("function", [rosenbrock_cost, rosenbrock_gradient])
@pytest.mark.parametrize(
    ("args", "match"),
    [case[1:] for case in BAD_ROSENBROCK],
    ids=[case[0] for case in BAD_ROSENBROCK],
)
def test_rosenbrock_rejects_bad_input(function, args, match) -> None:
    with pytest.raises(ValueError, match=match):
        function(*args)


@pytest.mark.parametrize(
    "call",
    [
        quadratic_cost,
        quadratic_gradient,
        lambda W, _: rosenbrock_cost(W),
        lambda W, _: rosenbrock_gradient(W),
    ],
    ids=["quadratic_cost", "quadratic_gradient", "rosenbrock", "rosen_grad"],
)
def test_surfaces_are_pure(call) -> None:
    W = np.array([[0.5, -1.0], [2.0, 0.25]])  # two points, (2, 2)
    H = elongated_quadratic(5.0, 0.4)
    W_copy, H_copy = W.copy(), H.copy()
    W.flags.writeable = False
    H.flags.writeable = False
    out = call(W, H)
    np.testing.assert_array_equal(W, W_copy)
    np.testing.assert_array_equal(H, H_copy)
    assert not np.shares_memory(out, W)


# ------------------------------------------ optimizer paths on the surface


def _gd_path(H: np.ndarray, W0: np.ndarray, alpha: float, steps: int):
    W, path = W0, [W0]
    for _ in range(steps):
        W = gd_update(W, quadratic_gradient(W, H), alpha)
        path.append(W)
    return np.stack(path)  # (steps + 1, 2)


def _momentum_path(H, W0, alpha, beta, steps):
    W, v, path = W0, np.zeros(2), [W0]
    for _ in range(steps):
        W, v = momentum_update(W, quadratic_gradient(W, H), v, beta, alpha)
        path.append(W)
    return np.stack(path)  # (steps + 1, 2)


@given(condition=conditions, angle=angles, fraction=st.floats(0.05, 1.5))
def test_gd_on_the_quadratic_is_the_closed_form(
    condition: float, angle: float, fraction: float
) -> None:
    H = elongated_quadratic(condition, angle)
    alpha = fraction * 2 / condition  # lambda_max = condition
    W0 = np.array([1.0, -2.0])
    path = _gd_path(H, W0, alpha, 30)
    M = np.eye(2) - alpha * H  # W_k = (I - alpha H)^k W0
    for k in (1, 2, 10, 30):
        expected = np.linalg.matrix_power(M, k) @ W0
        np.testing.assert_allclose(path[k], expected, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("angle", [0.0, 0.7])
def test_gd_converges_below_two_over_lambda_max_and_diverges_above(
    angle: float,
) -> None:
    H = elongated_quadratic(20.0, angle)  # lambda_max = 20
    W0 = np.array([1.0, -2.0])
    # |1 - alpha lambda| <= 0.905 for both modes: shrinks to ~1e-22
    below = _gd_path(H, W0, 0.95 * 2 / 20, 500)[-1]
    assert np.linalg.norm(below) < 1e-15
    # the steep mode is multiplied by 1 - 0.105 * 20 = -1.1: ~1e20
    above = _gd_path(H, W0, 1.05 * 2 / 20, 500)[-1]
    assert np.linalg.norm(above) > 1e15


@given(condition=conditions, angle=angles, fraction=st.floats(1.01, 1.5))
def test_gd_on_the_quadratic_diverges_above_two_over_lambda_max(
    condition: float, angle: float, fraction: float
) -> None:
    H = elongated_quadratic(condition, angle)
    lambdas, vectors = np.linalg.eigh(H)
    alpha = fraction * 2 / lambdas.max()
    W0 = vectors @ np.array([1.0, 1.0])  # both modes present
    steps = 200
    path = _gd_path(H, W0, alpha, steps)
    # the steep mode grows exactly by |1 - alpha lambda_max| > 1 per step
    steep = path @ vectors[:, 1]
    growth = abs(1 - alpha * lambdas.max())
    np.testing.assert_allclose(
        np.abs(steep), growth ** np.arange(steps + 1), rtol=1e-8
    )
    assert np.linalg.norm(path[-1]) > 10 * np.linalg.norm(W0)


def test_momentum_zigzags_less_than_gd_across_the_narrow_valley() -> None:
    # The course's picture: contours long in W[0], narrow in W[1]; with a
    # learning rate near 2 / lambda_max, GD overshoots across W[1] at
    # every step.  Momentum averages those steps out.
    condition = 50.0
    H = elongated_quadratic(condition)  # lambda = 1 along W[0], 50 on W[1]
    alpha = 1.8 / condition
    W0 = np.array([-1.0, 1.0])
    steps = 100
    gd = _gd_path(H, W0, alpha, steps)
    momentum = _momentum_path(H, W0, alpha, 0.9, steps)

    def travel_across(path):  # total distance moved along W[1]
        return np.abs(np.diff(path[:, 1])).sum()

    def sign_flips(path):  # times W[1] crosses the valley floor
        return int(np.sum(np.sign(path[1:, 1]) != np.sign(path[:-1, 1])))

    # GD, closed form: W[1] is multiplied by 1 - 1.8 = -0.8 each step
    r = 1 - alpha * condition
    gd_travel = abs(r - 1) * (1 - abs(r) ** steps) / (1 - abs(r))
    assert travel_across(gd) == pytest.approx(gd_travel, rel=1e-12)
    assert sign_flips(gd[:31]) == 30  # it crosses at every step

    assert travel_across(momentum) < 0.7 * travel_across(gd)
    assert sign_flips(momentum[:31]) <= 5
    # ... and it gets further along the flat direction W[0]
    assert abs(momentum[-1, 0]) < 0.5 * abs(gd[-1, 0])
