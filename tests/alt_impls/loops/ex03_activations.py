"""Alternative exercise 3, style 'loops': one math call per element."""
import math

import numpy as np


def _map(f, z):
    z = np.asarray(z, dtype=float)
    out = np.empty(z.shape)
    for index in np.ndindex(z.shape):
        out[index] = f(float(z[index]))
    return out


def _sigmoid(t):
    if t >= 0:
        return 1.0 / (1.0 + math.exp(-t))
    e = math.exp(t)
    return e / (1.0 + e)


def sigmoid(z):
    return _map(_sigmoid, z)


def sigmoid_derivative(z):
    return _map(lambda t: _sigmoid(t) * (1.0 - _sigmoid(t)), z)


def tanh(z):
    return _map(math.tanh, z)


def tanh_derivative(z):
    return _map(lambda t: 1.0 - math.tanh(t) ** 2, z)


def relu(z):
    return _map(lambda t: t if t > 0 else 0.0, z)


def relu_derivative(z):
    return _map(lambda t: 1.0 if t > 0 else 0.0, z)


def leaky_relu(z, alpha=0.1):
    return _map(lambda t: t if t >= 0 else alpha * t, z)


def leaky_relu_derivative(z, alpha=0.1):
    return _map(lambda t: 1.0 if t > 0 else alpha, z)


def elu(z, alpha=1.0):
    return _map(lambda t: t if t >= 0 else alpha * math.expm1(t), z)


def elu_derivative(z, alpha=1.0):
    return _map(lambda t: 1.0 if t > 0 else alpha * math.exp(t), z)


def maxout(X, W1, b1, W2, b2):
    X, W1, b1, W2, b2 = (np.asarray(a, dtype=float) for a in (X, W1, b1, W2, b2))
    m, n = X.shape
    k = W1.shape[1]
    out = np.empty((m, k))
    for r in range(m):
        for c in range(k):
            first, second = b1[c], b2[c]
            for i in range(n):
                first += X[r, i] * W1[i, c]
                second += X[r, i] * W2[i, c]
            out[r, c] = first if first >= second else second
    return out
