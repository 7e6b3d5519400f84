"""Alternative exercise 4, style 'variants': other XOR weights (OR and NAND hidden units, AND output)."""
import numpy as np


def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))


def dense_forward(X, W, b):
    return np.dot(np.asarray(X, dtype=float), W) + np.reshape(b, (1, -1))


def mlp_forward(X, params):
    hidden = sigmoid(dense_forward(X, params["W1"], params["b1"]))
    out = sigmoid(dense_forward(hidden, params["W2"], params["b2"]))
    return out, {"X": np.asarray(X, dtype=float), "hidden": hidden, "out": out}


def xor_params():
    return {
        "W1": np.array([[20.0, -20.0], [20.0, -20.0]]),  # unit 0: OR, unit 1: NAND
        "b1": np.array([-10.0, 30.0]),
        "W2": np.array([[20.0], [20.0]]),  # output: AND of the two
        "b2": np.array([-30.0]),
    }
