"""Exercise 8 - softmax and its gradient.

Softmax turns a vector of scores into probabilities, along the last axis:

    softmax(z)_i = e^(z_i) / sum_j e^(z_j)

Its backward pass takes the upstream gradient g = dL/ds of s = softmax(z) and
returns dL/dz:

    dL/dz = s * (g - sum_j g_j s_j)          (the sum along the last axis)

Conventions: z is an array of any shape with at least one axis; softmax works
along the last one and returns a float array of the same shape. Never modify
the inputs.

Watch for:
- Finite for every finite input: e^1000 overflows, but softmax(z) equals
  softmax(z - max(z)), whose exponents are all <= 0.
"""
import numpy as np


def softmax(z):
    """Softmax along the last axis, finite for every finite z."""
    ### BEGIN SOLUTION
    z = np.asarray(z, dtype=float)
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)
    ### END SOLUTION


def softmax_backward(z, grad_out):
    """dL/dz given grad_out = dL/ds for s = softmax(z), along the last axis; same shape as z."""
    ### BEGIN SOLUTION
    s = softmax(z)
    grad_out = np.asarray(grad_out, dtype=float)
    return s * (grad_out - np.sum(grad_out * s, axis=-1, keepdims=True))
    ### END SOLUTION
