"""Settings for the cross-checks: Keras 3 on JAX, CPU only, float64.

``nox -s crosscheck`` sets these variables; the defaults here make a plain
``pytest tests/crosscheck`` behave the same.  They must be set before the
first ``import jax`` or ``import keras``, which is why they live here:
pytest imports this file before the test modules.
"""

from __future__ import annotations

import importlib.metadata
import os
import sys
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("JAX_ENABLE_X64", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# The test modules share the course's updates in oracles.py beside them.
sys.path.insert(0, str(Path(__file__).parent))

FRAMEWORKS = ("numpy", "torch", "jax", "jaxlib", "optax", "flax", "keras")


def pytest_report_header() -> list[str]:
    versions = ", ".join(
        f"{name} {importlib.metadata.version(name)}" for name in FRAMEWORKS
    )
    backend = os.environ["KERAS_BACKEND"]
    return [f"cross-checked against: {versions} (Keras backend {backend})"]
