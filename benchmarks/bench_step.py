"""Training-step time of the reference MLP against PyTorch CPU eager.

One step of the network [784, 128, 64, 1] in float64 with Adam:

- ref: ``forward_propagation`` + ``compute_cost`` + ``backward_propagation``
  + ``adam_update`` on every parameter array (the reference functions as
  they are, inputs never modified);
- torch: ``nn.Sequential`` of Linear/ReLU, ``BCEWithLogitsLoss``,
  ``torch.optim.Adam`` (its default implementation): zero_grad, forward,
  backward, step;
- matmul: the matrix products the reference step does, alone: Z = W @ A
  for the 3 layers, dW = dZ @ A_prev.T for the 3 layers and dA = W.T @ dZ
  for layers 3 and 2 (the reference never computes dA[0]).

A second table splits both steps into their parts, to show where the time
goes.  One thread each (``OMP_NUM_THREADS=OPENBLAS_NUM_THREADS=1``,
``threadpool_limits(1)``, ``torch.set_num_threads(1)``).  Each time is the
minimum over rounds of the mean of a timed loop, after a warm-up, in CPU
time of the process (``time.process_time``: user + system, so page faults
count, other processes on a shared machine do not); the contenders are
timed in turn within each round.  Plain-text tables, no timed assertion.

Run: ``python benchmarks/bench_step.py [--quick]``.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from threadpoolctl import threadpool_limits

from dnnref.initialization import initialize_parameters
from dnnref.network import (
    backward_propagation,
    compute_cost,
    forward_propagation,
)
from dnnref.optimizers import adam_update

LAYER_DIMS = [784, 128, 64, 1]
BATCHES = (64, 256, 1024)
LEARNING_RATE = 1e-3
# CPU time of this process: other load on a shared machine does not count
# (single-threaded runs: on an idle machine it is the wall time).
CLOCK = time.process_time
TARGET_TORCH = 0.5  # ref / torch
TARGET_MATMUL = {64: 2.0, 256: 1.3, 1024: 1.3}  # ref / matmul

Fn = Callable[[], object]


def race(fns: dict[str, Fn], rounds: int, min_time: float) -> dict[str, float]:
    """Seconds per call of each fn: min over rounds, timed in turn."""
    loops = {}
    for name, fn in fns.items():
        for _ in range(3):  # warm-up: caches, allocator, lazy init
            fn()
        start, n = CLOCK(), 0
        while CLOCK() - start < min_time / 4:
            fn()
            n += 1
        loops[name] = max(3, 4 * n)
    best = dict.fromkeys(fns, np.inf)
    for _ in range(rounds):
        for name, fn in fns.items():
            start = CLOCK()
            for _ in range(loops[name]):
                fn()
            elapsed = (CLOCK() - start) / loops[name]
            best[name] = min(best[name], elapsed)
    return best


class Reference:
    """The reference Adam step; its state is rebound, X and Y never change."""

    def __init__(self, parameters: dict[str, np.ndarray]) -> None:
        self.parameters = dict(parameters)
        self.v = {k: np.zeros_like(p) for k, p in parameters.items()}
        self.s = {k: np.zeros_like(p) for k, p in parameters.items()}
        self.t = 0

    def forward(self, X: np.ndarray) -> tuple[np.ndarray, list[Any]]:
        return forward_propagation(X, self.parameters)

    def adam(self, grads: dict[str, np.ndarray]) -> None:
        self.t += 1
        p, v, s = self.parameters, self.v, self.s
        for key in p:
            p[key], v[key], s[key] = adam_update(
                p[key],
                grads["d" + key],
                v[key],
                s[key],
                self.t,
                LEARNING_RATE,
            )

    def step(self, X: np.ndarray, Y: np.ndarray) -> None:
        AL, caches = forward_propagation(X, self.parameters)
        compute_cost(AL, Y)
        grads = backward_propagation(AL, Y, caches)
        self.adam(grads)


def matmuls(X: np.ndarray, parameters: dict[str, np.ndarray]) -> list[Fn]:
    """The matrix products of the reference step: forward, backward, all."""
    m = X.shape[1]
    rng = np.random.default_rng(1)
    W1, W2, W3 = parameters["W1"], parameters["W2"], parameters["W3"]
    A1, A2 = rng.random((128, m)), rng.random((64, m))
    dZ1, dZ2 = rng.standard_normal((128, m)), rng.standard_normal((64, m))
    dZ3 = rng.standard_normal((1, m))

    def forward() -> None:
        W1 @ X  # Z1, (128, m)
        W2 @ A1  # Z2, (64, m)
        W3 @ A2  # Z3, (1, m)

    def backward() -> None:
        dZ3 @ A2.T  # dW3
        W3.T @ dZ3  # dA2
        dZ2 @ A1.T  # dW2
        W2.T @ dZ2  # dA1
        dZ1 @ X.T  # dW1

    def both() -> None:
        forward()
        backward()

    return [forward, backward, both]


class Torch:
    """The same network and Adam in PyTorch, float64, from the same W, b."""

    def __init__(self, parameters: dict[str, np.ndarray]) -> None:
        self.net = torch.nn.Sequential(
            torch.nn.Linear(784, 128),
            torch.nn.ReLU(),
            torch.nn.Linear(128, 64),
            torch.nn.ReLU(),
            torch.nn.Linear(64, 1),
        ).double()
        with torch.no_grad():
            for i, j in enumerate((0, 2, 4), start=1):
                self.net[j].weight.copy_(torch.from_numpy(parameters[f"W{i}"]))
                self.net[j].bias.copy_(
                    torch.from_numpy(parameters[f"b{i}"][:, 0])
                )
        self.loss_fn = torch.nn.BCEWithLogitsLoss()
        self.optimizer = torch.optim.Adam(
            self.net.parameters(), lr=LEARNING_RATE
        )

    def forward_loss(self, X: torch.Tensor, Y: torch.Tensor) -> torch.Tensor:
        loss: torch.Tensor = self.loss_fn(self.net(X), Y)
        return loss

    def step(self, X: torch.Tensor, Y: torch.Tensor) -> None:
        self.optimizer.zero_grad()
        loss = self.forward_loss(X, Y)
        loss.backward()
        self.optimizer.step()


def measure(m: int, rounds: int, min_time: float) -> dict[str, float]:
    rng = np.random.default_rng(0)
    X = rng.standard_normal((784, m))
    Y = (rng.random((1, m)) < 0.5).astype(np.float64)
    X0, Y0 = X.copy(), Y.copy()
    parameters = initialize_parameters(LAYER_DIMS, "he", rng)
    ref, tor = Reference(parameters), Torch(parameters)
    X_t = torch.from_numpy(X.T.copy())  # (m, 784): torch's layout
    Y_t = torch.from_numpy(Y.T.copy())  # (m, 1)

    # parts of the two steps, on fixed inputs
    AL, caches = ref.forward(X)
    grads = backward_propagation(AL, Y, caches)
    part = Reference(parameters)
    tor_bwd, tor_adam = Torch(parameters), Torch(parameters)  # own weights
    loss = tor_bwd.forward_loss(X_t, Y_t)

    def torch_backward() -> None:
        tor_bwd.optimizer.zero_grad()
        loss.backward(retain_graph=True)

    tor_adam.forward_loss(X_t, Y_t).backward()  # gradients for its steps
    matmul_forward, matmul_backward, matmul = matmuls(X, parameters)
    times = race(
        {
            "ref": lambda: ref.step(X, Y),
            "torch": lambda: tor.step(X_t, Y_t),
            "matmul": matmul,
            "matmul fwd": matmul_forward,
            "matmul bwd": matmul_backward,
            "ref fwd": lambda: ref.forward(X),
            "ref cost": lambda: compute_cost(AL, Y),
            "ref bwd": lambda: backward_propagation(AL, Y, caches),
            "ref adam": lambda: part.adam(grads),
            "torch fwd+loss": lambda: tor.forward_loss(X_t, Y_t),
            "torch bwd": torch_backward,
            "torch adam": tor_adam.optimizer.step,
        },
        rounds,
        min_time,
    )
    assert np.array_equal(X, X0), "the reference modified X"
    assert np.array_equal(Y, Y0), "the reference modified Y"
    return times


def mark(ok: bool) -> str:
    return "pass" if ok else "FAIL"


def main() -> None:
    quick = "--quick" in sys.argv
    rounds, min_time = (3, 0.05) if quick else (7, 0.25)
    torch.set_num_threads(1)
    with threadpool_limits(1):
        results = {m: measure(m, rounds, min_time) for m in BATCHES}

    print(
        f"\nTraining step, MLP {LAYER_DIMS}, float64, Adam, one thread "
        f"(numpy {np.__version__}, torch {torch.__version__})"
    )
    header = (
        f"{'batch':>6} {'ref ms':>8} {'torch ms':>9} {'matmul ms':>10}"
        f" {'ref/torch':>10} {'target':>11} {'ref/matmul':>11}"
        f" {'target':>11}"
    )
    print(header)
    print("-" * len(header))
    for m, r in results.items():
        r_torch, r_mm = r["ref"] / r["torch"], r["ref"] / r["matmul"]
        goal = TARGET_MATMUL[m]
        print(
            f"{m:>6} {r['ref'] * 1e3:>8.3f} {r['torch'] * 1e3:>9.3f}"
            f" {r['matmul'] * 1e3:>10.3f} {r_torch:>10.2f}"
            f" {'<= ' + str(TARGET_TORCH):>6} {mark(r_torch <= TARGET_TORCH)}"
            f" {r_mm:>11.2f} {'<= ' + str(goal):>6} {mark(r_mm <= goal)}"
        )

    parts = [
        "ref fwd",
        "matmul fwd",
        "ref bwd",
        "matmul bwd",
        "ref cost",
        "ref adam",
        "torch fwd+loss",
        "torch bwd",
        "torch adam",
    ]
    print(
        "\nWhere the time goes (ms per call, same inputs; matmul fwd/bwd:"
        " the products alone; torch bwd includes zero_grad)"
    )
    header = f"{'batch':>6} " + " ".join(
        f"{p:>{max(9, len(p))}}" for p in parts
    )
    print(header)
    print("-" * len(header))
    for m, r in results.items():
        print(
            f"{m:>6} "
            + " ".join(f"{r[p] * 1e3:>{max(9, len(p))}.3f}" for p in parts)
        )


if __name__ == "__main__":
    main()
