"""Alternative exercise 3, style 'float32': all arithmetic in float32, float32 arrays returned."""
import numpy as np

F = np.float32


def _f(z):
    return np.asarray(z, dtype=F)


def sigmoid(z):
    z = _f(z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, F(1) / (F(1) + e), e / (F(1) + e)).astype(F)


def sigmoid_derivative(z):
    s = sigmoid(z)
    return s * (F(1) - s)


def tanh(z):
    return np.tanh(_f(z))


def tanh_derivative(z):
    t = np.tanh(_f(z))
    return F(1) - t * t


def relu(z):
    return np.maximum(_f(z), F(0))


def relu_derivative(z):
    return (_f(z) > 0).astype(F)


def leaky_relu(z, alpha=0.1):
    z = _f(z)
    return np.where(z >= 0, z, F(alpha) * z).astype(F)


def leaky_relu_derivative(z, alpha=0.1):
    return np.where(_f(z) > 0, F(1), F(alpha)).astype(F)


def elu(z, alpha=1.0):
    z = _f(z)
    return np.where(z >= 0, z, F(alpha) * np.expm1(np.minimum(z, F(0)))).astype(F)


def elu_derivative(z, alpha=1.0):
    z = _f(z)
    return np.where(z > 0, F(1), F(alpha) * np.exp(np.minimum(z, F(0)))).astype(F)


def maxout(X, W1, b1, W2, b2):
    X = _f(X)
    return np.maximum(X @ _f(W1) + _f(b1), X @ _f(W2) + _f(b2))
