"""Feedforward one input at a time as column vectors: a' = sigmoid(w a + b)."""
import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def dense_forward(X, W, b):
    W = np.asarray(W, dtype=float).T            # (n_out, n_in): row j holds neuron j's weights
    b = np.asarray(b, dtype=float).reshape(-1, 1)
    rows = [np.dot(W, np.reshape(x, (-1, 1))) + b for x in np.asarray(X, dtype=float)]
    return np.hstack(rows).T


def mlp_forward(X, params):
    activation = np.asarray(X, dtype=float)
    activations = [activation]
    zs = []
    for w, b in ((params["W1"], params["b1"]), (params["W2"], params["b2"])):
        z = dense_forward(activation, w, b)
        zs.append(z)
        activation = sigmoid(z)
        activations.append(activation)
    return activation, (activations, zs)


def xor_params():
    return {"W1": np.array([[5., -7.], [5., -7.]]), "b1": np.array([-8., 3.]),
            "W2": np.array([[-11.], [-11.]]), "b2": np.array([6.])}
