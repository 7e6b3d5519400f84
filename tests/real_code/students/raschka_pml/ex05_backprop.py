import numpy as np

from ex04_mlp_forward import mlp_forward, sigmoid


def multiply_backward(x, y, grad_out):
    return grad_out * y, grad_out * x


def add_backward(x, y, grad_out):
    return grad_out * np.ones_like(x), grad_out * np.ones_like(y)


def square_backward(s, grad_out):
    return 2. * s * grad_out


def scalar_loss_and_gradient(w, x, y):
    y_hat = x * w
    loss = (y_hat - y) ** 2
    grad = 2. * (y_hat - y) * x
    return float(loss), float(grad)


def dense_backward(grad_out, X, W):
    grad_X = np.dot(grad_out, W.T)
    grad_W = np.dot(X.T, grad_out)
    grad_b = np.sum(grad_out, axis=0)
    return grad_X, grad_W, grad_b


def sigmoid_backward(grad_out, z):
    a = sigmoid(z)
    return grad_out * a * (1. - a)


def mlp_backward(X, y, params):
    z_h, a_h, z_out, a_out = mlp_forward(X, params)[1]
    loss = 0.5 * np.sum((a_out - y) ** 2)
    # shape (m, n_out)
    delta_out = a_out - y
    # shape (m, n_hidden)
    sigmoid_derivative_h = a_h * (1. - a_h)
    # (m, n_out) times (n_out, n_hidden) gives (m, n_hidden)
    delta_h = (np.dot(delta_out, params["W2"].T) * sigmoid_derivative_h)
    grad_w_h = np.dot(X.T, delta_h)
    grad_b_h = np.sum(delta_h, axis=0)
    grad_w_out = np.dot(a_h.T, delta_out)
    grad_b_out = np.sum(delta_out, axis=0)
    return float(loss), {"W1": grad_w_h, "b1": grad_b_h, "W2": grad_w_out, "b2": grad_b_out}
