"""Alternative exercise 5, style 'variants': backward pass from the cached activations, not z."""
import numpy as np

from ex04_mlp_forward import mlp_forward, sigmoid


def multiply_backward(x, y, grad_out):
    g = np.asarray(grad_out, dtype=float)
    return np.multiply(g, y), np.multiply(g, x)


def add_backward(x, y, grad_out):
    g = np.asarray(grad_out, dtype=float)
    return np.full(np.shape(x), 1.0) * g, np.full(np.shape(y), 1.0) * g


def square_backward(s, grad_out):
    return np.multiply(np.multiply(s, 2.0), grad_out)


def scalar_loss_and_gradient(w, x, y):
    residual = x * w - y
    return float(residual**2), float(2 * residual * x)


def dense_backward(grad_out, X, W):
    G = np.asarray(grad_out, dtype=float)
    return np.dot(G, np.transpose(W)), np.dot(np.transpose(X), G), np.add.reduce(G, axis=0)


def sigmoid_backward(grad_out, z):
    return np.multiply(grad_out, _sigmoid_prime_from_output(sigmoid(z)))


def _sigmoid_prime_from_output(a):
    return a - a * a


def mlp_backward(X, y, params):
    out, cache = mlp_forward(X, params)
    error = out - np.asarray(y, dtype=float)
    delta2 = error * _sigmoid_prime_from_output(out)
    grad_hidden, grad_W2, grad_b2 = dense_backward(delta2, cache["hidden"], params["W2"])
    delta1 = grad_hidden * _sigmoid_prime_from_output(cache["hidden"])
    _, grad_W1, grad_b1 = dense_backward(delta1, cache["X"], params["W1"])
    return float(np.sum(error**2) / 2), {"W1": grad_W1, "b1": grad_b1, "W2": grad_W2, "b2": grad_b2}
