# Backward passes returning dX, dW, dB like numpy-ml's FullyConnected._bwd.
import numpy as np

from ex04_mlp_forward import mlp_forward, sigmoid


def multiply_backward(x, y, grad_out):
    return grad_out * y, grad_out * x


def add_backward(x, y, grad_out):
    return grad_out * np.ones_like(x), grad_out * np.ones_like(y)


def square_backward(s, grad_out):
    return 2 * s * grad_out


def scalar_loss_and_gradient(w, x, y):
    s = x * w - y
    loss = s ** 2
    dS = square_backward(s, 1.0)
    _, dW = multiply_backward(x, w, dS)
    return float(loss), float(dW)


def dense_backward(grad_out, X, W):
    dZ = grad_out
    dX = dZ @ W.T
    dW = X.T @ dZ
    dB = dZ.sum(axis=0, keepdims=True)
    return dX, dW, dB


def sigmoid_backward(grad_out, z):
    fn_z = sigmoid(z)
    return grad_out * fn_z * (1 - fn_z)


def mlp_backward(X, y, params):
    out, cache = mlp_forward(X, params)
    loss = 0.5 * np.sum((out - y) ** 2)
    dA2 = out - y
    dZ2 = sigmoid_backward(dA2, cache["Z2"])
    dA1, dW2, dB2 = dense_backward(dZ2, cache["A1"], params["W2"])
    dZ1 = sigmoid_backward(dA1, cache["Z1"])
    _, dW1, dB1 = dense_backward(dZ1, cache["X"], params["W1"])
    return float(loss), {"W1": dW1, "b1": dB1, "W2": dW2, "b2": dB2}
