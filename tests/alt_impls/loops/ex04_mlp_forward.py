"""Alternative exercise 4, style 'loops': explicit Python loops, no matrix products."""
import math

import numpy as np


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    out = np.empty(z.shape)
    for index in np.ndindex(z.shape):
        t = float(z[index])
        out[index] = 1.0 / (1.0 + math.exp(-t)) if t >= 0 else math.exp(t) / (1.0 + math.exp(t))
    return out


def dense_forward(X, W, b):
    X, W, b = (np.asarray(a, dtype=float) for a in (X, W, b))
    out = np.empty((X.shape[0], W.shape[1]))
    for r in range(X.shape[0]):
        for c in range(W.shape[1]):
            total = b[c]
            for i in range(X.shape[1]):
                total += X[r, i] * W[i, c]
            out[r, c] = total
    return out


def mlp_forward(X, params):
    z1 = dense_forward(X, params["W1"], params["b1"])
    h = sigmoid(z1)
    z2 = dense_forward(h, params["W2"], params["b2"])
    out = sigmoid(z2)
    return out, {"X": np.asarray(X, dtype=float), "z1": z1, "h": h, "z2": z2}


def xor_params():
    W1 = np.empty((2, 2))
    for i in range(2):
        W1[i] = [5.0, -7.0]
    return {"W1": W1, "b1": np.array([-8.0, 3.0]), "W2": np.array([[-11.0], [-11.0]]), "b2": np.array([6.0])}
