"""Alternative exercise 5, style 'loops': explicit Python loops, no matrix products."""
import numpy as np

from ex04_mlp_forward import mlp_forward, sigmoid


def _elementwise(f, *arrays):
    arrays = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in arrays))
    out = np.empty(arrays[0].shape)
    for index in np.ndindex(out.shape):
        out[index] = f(*(float(a[index]) for a in arrays))
    return out


def multiply_backward(x, y, grad_out):
    return _elementwise(lambda a, b, g: g * b, x, y, grad_out), _elementwise(lambda a, b, g: g * a, x, y, grad_out)


def add_backward(x, y, grad_out):
    return _elementwise(lambda a, g: g, x, grad_out), _elementwise(lambda b, g: g, y, grad_out)


def square_backward(s, grad_out):
    return _elementwise(lambda a, g: 2.0 * a * g, s, grad_out)


def scalar_loss_and_gradient(w, x, y):
    y_hat = x * w
    s = y_hat - y
    grad_s = float(square_backward(s, 1.0))
    grad_y_hat = float(add_backward(y_hat, -y, grad_s)[0])
    grad_w = float(multiply_backward(x, w, grad_y_hat)[1])
    return float(s * s), grad_w


def dense_backward(grad_out, X, W):
    G, X, W = (np.asarray(a, dtype=float) for a in (grad_out, X, W))
    m, n_in = X.shape
    n_out = W.shape[1]
    grad_X, grad_W, grad_b = np.zeros((m, n_in)), np.zeros((n_in, n_out)), np.zeros(n_out)
    for r in range(m):
        for c in range(n_out):
            grad_b[c] += G[r, c]
            for i in range(n_in):
                grad_X[r, i] += G[r, c] * W[i, c]
                grad_W[i, c] += X[r, i] * G[r, c]
    return grad_X, grad_W, grad_b


def sigmoid_backward(grad_out, z):
    s = sigmoid(z)
    return _elementwise(lambda g, a: g * a * (1.0 - a), grad_out, s)


def mlp_backward(X, y, params):
    out, cache = mlp_forward(X, params)
    y = np.asarray(y, dtype=float)
    diff = np.empty(out.shape)
    loss = 0.0
    for index in np.ndindex(out.shape):
        diff[index] = out[index] - y[index]
        loss += 0.5 * diff[index] ** 2
    grad_h, grad_W2, grad_b2 = dense_backward(sigmoid_backward(diff, cache["z2"]), cache["h"], params["W2"])
    _, grad_W1, grad_b1 = dense_backward(sigmoid_backward(grad_h, cache["z1"]), cache["X"], params["W1"])
    return float(loss), {"W1": grad_W1, "b1": grad_b1, "W2": grad_W2, "b2": grad_b2}
