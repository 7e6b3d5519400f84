"""Alternative exercise 4, style 'einsum': every product is an np.einsum."""
import numpy as np


def sigmoid(z):
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=float)))


def dense_forward(X, W, b):
    return np.einsum("mi,io->mo", np.asarray(X, dtype=float), np.asarray(W, dtype=float)) + np.asarray(b, dtype=float)


def mlp_forward(X, params):
    z1 = dense_forward(X, params["W1"], params["b1"])
    z2 = dense_forward(sigmoid(z1), params["W2"], params["b2"])
    return sigmoid(z2), (np.asarray(X, dtype=float), z1, z2)


def xor_params():
    return {
        "W1": np.einsum("i,j->ij", np.ones(2), [5.0, -7.0]),
        "b1": np.array([-8.0, 3.0]),
        "W2": np.full((2, 1), -11.0),
        "b2": np.array([6.0]),
    }
