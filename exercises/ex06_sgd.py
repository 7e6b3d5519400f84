"""Exercise 6 - gradient descent (GD) versus stochastic gradient descent (SGD).

GD computes the gradient of the loss over the whole data set before every step
(O(N) per step); SGD steps after every mini-batch d drawn at random:

    w_new = w_old - lr * dE_d/dw

One epoch visits every sample exactly once, in a fresh random order.

Conventions: params and grads are dicts of float64 numpy arrays (of any shape,
0-d arrays included) with the same keys and shapes ("W1", "b1", "W2", "b2" for
the exercise-4 network); X is (m, n_in), y is (m, n_out), float64 numpy arrays
(no other input forms: not lists, not torch tensors); randomness comes only
from the numpy Generator you are given (np.random.default_rng(seed)), so runs
are reproducible. Never modify an input.

Watch for: the SGD step returns *new* arrays (params - lr * grads) and leaves the
old dict alone; keep the rows of X and y paired when you shuffle; the last
mini-batch may be smaller than batch_size.
"""
import numpy as np

from ex05_backprop import mlp_backward


def sgd_step(params, grads, lr):
    """Return a new dict {key: params[key] - lr * grads[key]} for every key of params.

    Each value is a float64 numpy array of any shape, a 0-d array (a single
    number) too; lr is a float. The new values have the parameters' shapes.
    """
    raise NotImplementedError("sgd_step: not implemented yet - replace this line with your code (see the docstring)")


def minibatches(X, y, batch_size, rng):
    """Yield (X_batch, y_batch) pairs covering every sample exactly once.

    The order is a random permutation drawn from the numpy Generator rng;
    batches hold batch_size rows (the last one may hold fewer); row i of
    X_batch belongs with row i of y_batch.
    """
    raise NotImplementedError("minibatches: not implemented yet - replace this line with your code (see the docstring)")


def train_mlp(X, y, hidden_units=4, lr=1.0, epochs=2000, batch_size=4, seed=0):
    """Train the exercise-4 network with mini-batch SGD.

    X: (m, n_in), y: (m, n_out). Initialise W1 (n_in, hidden_units) and
    W2 (hidden_units, n_out) with random numbers drawn from
    rng = np.random.default_rng(seed) and from no other generator (any
    distribution, e.g. standard normal), so the same seed gives the same
    weights; the biases b1 (hidden_units,) and b2 (n_out,) start at zero (or
    are drawn from rng too). Then for each epoch, for each mini-batch from
    minibatches(X, y, batch_size, rng), compute the loss and gradients with
    mlp_backward and take one plain step with sgd_step (no momentum, no
    averaging of the gradients over the batch): ceil(m / batch_size) steps
    per epoch. Which distribution and how many numbers you draw is free.
    Returns (params, losses): the trained params, of the shapes above, and one
    loss per epoch (the sum of that epoch's mini-batch losses),
    len(losses) == epochs. With the defaults it learns XOR.
    """
    raise NotImplementedError("train_mlp: not implemented yet - replace this line with your code (see the docstring)")
