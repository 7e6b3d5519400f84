"""Alternative exercise 5, style 'einsum': every product is an np.einsum."""
import numpy as np

from ex04_mlp_forward import mlp_forward, sigmoid


def multiply_backward(x, y, grad_out):
    x, y, g = (np.asarray(a, dtype=float) for a in (x, y, grad_out))
    return np.einsum("...,...->...", g, y), np.einsum("...,...->...", g, x)


def add_backward(x, y, grad_out):
    g = np.asarray(grad_out, dtype=float)
    return np.broadcast_to(g, np.shape(x)).copy(), np.broadcast_to(g, np.shape(y)).copy()


def square_backward(s, grad_out):
    return 2.0 * np.einsum("...,...->...", np.asarray(s, dtype=float), np.asarray(grad_out, dtype=float))


def scalar_loss_and_gradient(w, x, y):
    s = float(x) * float(w) - float(y)
    return s**2, float(multiply_backward(x, w, square_backward(s, 1.0))[1])


def dense_backward(grad_out, X, W):
    G, X, W = (np.asarray(a, dtype=float) for a in (grad_out, X, W))
    return np.einsum("mo,io->mi", G, W), np.einsum("mi,mo->io", X, G), np.einsum("mo->o", G)


def sigmoid_backward(grad_out, z):
    z = np.asarray(z, dtype=float)
    return np.asarray(grad_out, dtype=float) * sigmoid(z) * sigmoid(-z)


def mlp_backward(X, y, params):
    out, (X, z1, z2) = mlp_forward(X, params)
    diff = out - np.asarray(y, dtype=float)
    loss = 0.5 * float(np.einsum("mo,mo->", diff, diff))
    grad_z2 = sigmoid_backward(diff, z2)
    grad_h, grad_W2, grad_b2 = dense_backward(grad_z2, sigmoid(z1), params["W2"])
    _, grad_W1, grad_b1 = dense_backward(sigmoid_backward(grad_h, z1), X, params["W1"])
    return loss, {"W1": grad_W1, "b1": grad_b1, "W2": grad_W2, "b2": grad_b2}
