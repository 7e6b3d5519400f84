"""Central finite differences in float64: how little a gradient check needs (after CS231n)."""
import numpy as np

STEP = 1e-5


def numeric_gradient(f, x, step=STEP):
    """d f(x) / dx for a scalar function f of one float64 array x (x is not modified)."""
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for idx in np.ndindex(*x.shape):
        old = x[idx]
        x[idx] = old + step
        plus = float(f(x.copy()))
        x[idx] = old - step
        minus = float(f(x.copy()))
        x[idx] = old
        grad[idx] = (plus - minus) / (2 * step)
    return grad


def numeric_gradients(f, inputs, wrt, step=STEP):
    """{name: d f(**inputs) / d inputs[name]} for each name in wrt; f takes a dict of arrays."""
    grads = {}
    for name in wrt:
        def along(value, name=name):
            return f({**inputs, name: value})
        grads[name] = numeric_gradient(along, inputs[name], step)
    return grads
