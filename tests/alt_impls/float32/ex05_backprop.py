"""Alternative exercise 5, style 'float32': all arithmetic in float32, float32 arrays returned."""
import numpy as np

from ex04_mlp_forward import mlp_forward, sigmoid

F = np.float32


def multiply_backward(x, y, grad_out):
    x, y, g = (np.asarray(a, dtype=F) for a in (x, y, grad_out))
    return g * y, g * x


def add_backward(x, y, grad_out):
    g = np.asarray(grad_out, dtype=F)
    return g + np.zeros(np.shape(x), dtype=F), g + np.zeros(np.shape(y), dtype=F)


def square_backward(s, grad_out):
    return F(2) * np.asarray(s, dtype=F) * np.asarray(grad_out, dtype=F)


def scalar_loss_and_gradient(w, x, y):
    w, x, y = F(w), F(x), F(y)
    s = x * w - y
    return float(s * s), float(F(2) * s * x)


def dense_backward(grad_out, X, W):
    G, X, W = (np.asarray(a, dtype=F) for a in (grad_out, X, W))
    return G @ W.T, X.T @ G, G.sum(axis=0, dtype=F)


def sigmoid_backward(grad_out, z):
    s = sigmoid(z)
    return np.asarray(grad_out, dtype=F) * s * (F(1) - s)


def mlp_backward(X, y, params):
    out, cache = mlp_forward(X, params)
    diff = out - np.asarray(y, dtype=F)
    loss = float(F(0.5) * np.sum(diff * diff, dtype=F))
    grad_h, grad_W2, grad_b2 = dense_backward(sigmoid_backward(diff, cache["z2"]), cache["h"], params["W2"])
    _, grad_W1, grad_b1 = dense_backward(sigmoid_backward(grad_h, cache["z1"]), cache["X"], params["W1"])
    return loss, {"W1": grad_W1, "b1": grad_b1, "W2": grad_W2, "b2": grad_b2}
