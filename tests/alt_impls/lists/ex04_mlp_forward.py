"""Alternative exercise 4, style 'lists': plain Python lists of floats in and out."""
import math


def _matrix(M):
    return [[float(v) for v in row] for row in M]


def sigmoid(z):
    if hasattr(z, "tolist"):
        z = z.tolist()
    if isinstance(z, (list, tuple)):
        return [sigmoid(v) for v in z]
    t = float(z)
    return 1.0 / (1.0 + math.exp(-t)) if t >= 0 else math.exp(t) / (1.0 + math.exp(t))


def dense_forward(X, W, b):
    X, W, b = _matrix(X), _matrix(W), [float(v) for v in b]
    return [[b[c] + sum(x * W[i][c] for i, x in enumerate(row)) for c in range(len(b))] for row in X]


def mlp_forward(X, params):
    z1 = dense_forward(X, params["W1"], params["b1"])
    h = sigmoid(z1)
    z2 = dense_forward(h, params["W2"], params["b2"])
    return sigmoid(z2), {"X": _matrix(X), "z1": z1, "h": h, "z2": z2}


def xor_params():
    return {"W1": [[5.0, -7.0], [5.0, -7.0]], "b1": [-8.0, 3.0], "W2": [[-11.0], [-11.0]], "b2": [6.0]}
