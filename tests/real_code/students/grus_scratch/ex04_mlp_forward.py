# Feed-forward from scratch: each neuron is a list of weights, outputs of all layers are kept.
import math
from typing import List

Vector = List[float]


def dot(v: Vector, w: Vector) -> float:
    return sum(v_i * w_i for v_i, w_i in zip(v, w))


def _sigmoid(t: float) -> float:
    return 1 / (1 + math.exp(-t))


def sigmoid(z):
    if hasattr(z, "tolist"):
        z = z.tolist()
    if isinstance(z, list):
        return [sigmoid(t) for t in z]
    return _sigmoid(z)


def dense_forward(X, W, b):
    columns = [[row[j] for row in W] for j in range(len(b))]   # one weight vector per neuron
    return [[dot(list(x), neuron) + b_j for neuron, b_j in zip(columns, b)] for x in X]


def mlp_forward(X, params):
    hidden_outputs = sigmoid(dense_forward(X, params["W1"], params["b1"]))
    outputs = sigmoid(dense_forward(hidden_outputs, params["W2"], params["b2"]))
    return outputs, [[list(x) for x in X], hidden_outputs, outputs]


def xor_params():
    # hidden layer: an 'and' neuron and an 'or' neuron;
    # output: 'or' but not 'and'
    return {"W1": [[20., 20.], [20., 20.]], "b1": [-30., -10.],
            "W2": [[-60.], [60.]], "b2": [-30.]}
