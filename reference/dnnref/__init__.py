"""NumPy reference implementations for improving deep neural networks."""
