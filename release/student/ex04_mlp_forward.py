"""Exercise 4 - forward propagation through a multi-layer perceptron.

A dense (fully connected) layer maps a batch X of shape (m, n_in) to

    out = X W + b        W: (n_in, n_out), b: (n_out,), out: (m, n_out)

(b is broadcast over the rows). The 2-layer network of the slides applies a
sigmoid after each layer:

    h   = sigmoid(X W1 + b1)        hidden layer, (m, n_hidden)
    out = sigmoid(h W2 + b2)        output layer, (m, n_out)

Conventions: samples are rows; params is a dict with keys "W1", "b1", "W2",
"b2"; X and the parameters are float64 numpy arrays (no other input forms: not
lists, not torch tensors). Return numpy float arrays and never modify an input.

Watch for: W is (n_in, n_out), so it is X @ W, not W @ X; the bias is added to
every row. `sigmoid` below is given (exercise 3 is where you write your own).
"""
import numpy as np


def sigmoid(z):
    """Given: a numerically stable logistic function (not part of the exercise).

    It uses the identity sigmoid(z) = (1 + tanh(z / 2)) / 2, which never overflows.
    """
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))


def dense_forward(X, W, b):
    """Dense layer X W + b. X: (m, n_in), W: (n_in, n_out), b: (n_out,) -> (m, n_out)."""
    raise NotImplementedError("dense_forward: not implemented yet - replace this line with your code (see the docstring)")


def mlp_forward(X, params):
    """Forward pass of the 2-layer sigmoid network.

    X: (m, n_in); params: {"W1": (n_in, n_hidden), "b1": (n_hidden,),
    "W2": (n_hidden, n_out), "b2": (n_out,)}.
    Returns (out, cache): out = sigmoid(sigmoid(X W1 + b1) W2 + b2) of shape
    (m, n_out), and cache, anything you like that your backward pass
    (exercise 5) needs, e.g. a dict of the intermediate values.
    """
    raise NotImplementedError("mlp_forward: not implemented yet - replace this line with your code (see the docstring)")


def xor_params():
    """Weights of a 2-2-1 network that computes XOR.

    Returns params (W1: (2, 2), b1: (2,), W2: (2, 1), b2: (1,)) such that
    mlp_forward(X, params) is > 0.5 exactly on the XOR-true inputs (0, 1) and
    (1, 0), and < 0.5 on (0, 0) and (1, 1). The slide's W1 = [[5, -7], [5, -7]],
    b1 = [-8, 3] is a good start: work out what each hidden unit detects.
    """
    raise NotImplementedError("xor_params: not implemented yet - replace this line with your code (see the docstring)")
