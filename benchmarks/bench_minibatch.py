"""Time per epoch and per update against the mini-batch size.

The vectorization trade-off of the notes: with mini-batch size 1 (SGD) an
epoch makes m updates, each too small to use vectorized matrix products
well; with size m (batch gradient descent) it makes one big update.  Each
row trains ``dnnref.training.model`` (Adam) for whole epochs on the same
data, m = 4096 examples of 784 features labelled by a random linear
teacher, network [784, 32, 16, 1], float64, one thread.  It prints the time
per epoch, per update and per example, and the training cost after the
first epoch (how far one pass over the data got).  Times are CPU time of
the process (``time.process_time``), the minimum over a few runs.

Run: ``python benchmarks/bench_minibatch.py [--quick]``.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import sys
import time

import numpy as np
from threadpoolctl import threadpool_limits

from dnnref.network import compute_cost, forward_propagation
from dnnref.training import model

M, N_X = 4096, 784
LAYER_DIMS = [N_X, 32, 16, 1]
SIZES = (1, 8, 32, 128, 512, M)
CLOCK = time.process_time  # CPU time: other processes do not count


def epoch_time(
    X: np.ndarray, Y: np.ndarray, size: int, min_time: float
) -> tuple[float, float]:
    """Seconds per epoch (min over runs) and the cost after epoch 1."""
    kwargs = {
        "optimizer": "adam",
        "learning_rate": 1e-3,
        "mini_batch_size": size,
    }
    start = CLOCK()
    parameters, _ = model(
        X, Y, LAYER_DIMS, num_epochs=1, rng=np.random.default_rng(0), **kwargs
    )
    first = CLOCK() - start
    AL, _ = forward_propagation(X, parameters)
    cost = compute_cost(AL, Y)
    epochs = max(1, min(20, int(min_time / first)))
    best = first
    for _ in range(3 if first < min_time else 0):
        start = CLOCK()
        model(
            X,
            Y,
            LAYER_DIMS,
            num_epochs=epochs,
            rng=np.random.default_rng(0),
            **kwargs,
        )
        best = min(best, (CLOCK() - start) / epochs)
    return best, cost


def main() -> None:
    quick = "--quick" in sys.argv
    sizes = SIZES[1:] if quick else SIZES
    min_time = 0.1 if quick else 0.5
    rng = np.random.default_rng(0)
    X = rng.standard_normal((N_X, M))
    teacher = rng.standard_normal((1, N_X))
    Y = (teacher @ X > 0).astype(np.float64)  # learnable labels, (1, m)
    X0 = X.copy()
    rows = []
    with threadpool_limits(1):
        for size in sizes:
            seconds, cost = epoch_time(X, Y, size, min_time)
            rows.append((size, -(-M // size), seconds, cost))
    assert np.array_equal(X, X0), "training modified X"

    print(
        f"\nMini-batch size trade-off: m = {M}, network {LAYER_DIMS}, "
        f"Adam, float64, one thread (numpy {np.__version__})"
    )
    header = (
        f"{'size':>6} {'updates':>8} {'epoch ms':>10} "
        f"{'update ms':>10} {'us/example':>11} {'epoch vs SGD':>13}"
        f" {'cost after 1 epoch':>19}"
    )
    print(header)
    print("-" * len(header))
    sgd = rows[0][2] if rows[0][0] == 1 else float("nan")
    for size, updates, seconds, cost in rows:
        label = "m" if size == M else str(size)
        print(
            f"{label:>6} {updates:>8} {seconds * 1e3:>10.1f}"
            f" {seconds / updates * 1e3:>10.3f}"
            f" {seconds / M * 1e6:>11.2f} {sgd / seconds:>12.1f}x"
            f" {cost:>19.4f}"
        )


if __name__ == "__main__":
    main()
