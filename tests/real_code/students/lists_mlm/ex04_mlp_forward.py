# Forward pass with loops over rows and columns.
import math


def sigmoid(z):
    if hasattr(z, '__iter__'):
        return [sigmoid(v) for v in z]
    if z < 0:
        return math.exp(z) / (1.0 + math.exp(z))
    return 1.0 / (1.0 + math.exp(-z))


def dense_forward(X, W, b):
    output = []
    for row in X:
        out_row = []
        for j in range(len(b)):
            activation = b[j]
            for i in range(len(row)):
                activation += row[i] * W[i][j]
            out_row.append(activation)
        output.append(out_row)
    return output


def mlp_forward(X, params):
    z1 = dense_forward(X, params["W1"], params["b1"])
    h = sigmoid(z1)
    z2 = dense_forward(h, params["W2"], params["b2"])
    out = sigmoid(z2)
    return out, {"X": [list(r) for r in X], "z1": z1, "h": h, "z2": z2}


def xor_params():
    # hidden 1 = AND (fires only on (1, 1)), hidden 2 = NOR (fires only on (0, 0))
    # output = neither of them
    return {"W1": [[5.0, -7.0], [5.0, -7.0]], "b1": [-8.0, 3.0],
            "W2": [[-10.0], [-10.0]], "b2": [5.0]}
