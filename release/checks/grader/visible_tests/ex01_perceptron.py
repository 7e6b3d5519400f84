"""Exercise 1 - Rosenblatt's perceptron (a linear threshold unit).

The perceptron predicts

    y_hat(x) = +1  if  w . x >= 0
               -1  otherwise,

where x carries a leading constant x0 = 1 so that w0 acts as the bias (threshold).
Learning follows Rosenblatt's rule, one sample at a time:

    w_new = w_old + lr * (y - y_hat) * x

so nothing changes when the sample is already classified correctly.

Conventions: samples are rows, ``X`` has shape (m, n); ``w`` has shape (n,);
labels are +1.0 / -1.0. Arrays come as float64 numpy arrays, unless a function's
docstring lists other input forms (torch tensors are never among them). Return
new numpy float arrays and never modify an input.

Watch for: a tie ``w . x == 0`` counts as +1 (the slide says ">= 0"); the bias
column goes first; a single perceptron can separate AND and OR but never XOR.
"""
import numpy as np


def add_bias(X):
    """Prepend a column of ones to X.

    X: (m, n) array-like. Returns a new float array of shape (m, n + 1) whose
    column 0 is all ones (x0 = 1 carries the bias weight w0) followed by X.

    Input forms of X: float64 array, float32 array, int array, nested list.
    """
    raise NotImplementedError("add_bias: not implemented yet - replace this line with your code (see the docstring)")


def perceptron_predict(w, X):
    """Thresholded perceptron output for every row of X.

    w: (n,), X: (m, n). Returns a float array of shape (m,) holding +1.0 where
    w . x >= 0 (ties go to +1) and -1.0 elsewhere.
    """
    raise NotImplementedError("perceptron_predict: not implemented yet - replace this line with your code (see the docstring)")


def perceptron_update(w, x, y, lr):
    """One step of Rosenblatt's rule for a single sample.

    w: (n,), x: (n,), y: +1.0 or -1.0, lr: learning rate (float).
    Returns the new weights w + lr * (y - y_hat) * x, shape (n,), where y_hat is
    the thresholded prediction (+1 if w . x >= 0 else -1). w itself is not changed.
    """
    raise NotImplementedError("perceptron_update: not implemented yet - replace this line with your code (see the docstring)")


def train_perceptron(X, y, lr=1.0, epochs=100):
    """Train a perceptron with Rosenblatt's rule.

    X: (m, n) samples (include the bias column yourself with add_bias),
    y: (m,) labels in {-1, +1}. Start from w = zeros(n); each epoch sweeps the
    samples in order (row 0, 1, ..., m-1) applying perceptron_update; stop early
    once an epoch makes no mistake. Returns w, shape (n,).

    On AND and OR (with the bias column) it reaches zero training errors;
    on XOR no weight vector can.
    """
    raise NotImplementedError("train_perceptron: not implemented yet - replace this line with your code (see the docstring)")
