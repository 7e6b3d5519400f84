# SGD with loops; the data set is shuffled before it is cut into batches.
import random

import numpy as np

from ex05_backprop import mlp_backward


def _update(p, g, lr):
    if hasattr(p, '__iter__'):
        return [_update(a, b, lr) for a, b in zip(p, g)]
    return p - lr * g


def sgd_step(params, grads, lr):
    new_params = {}
    for key in params:
        new_params[key] = _update(params[key], grads[key], lr)
    return new_params


def minibatches(X, y, batch_size, rng):
    indices = list(range(len(X)))
    random.shuffle(indices)
    for start in range(0, len(indices), batch_size):
        batch = indices[start:start + batch_size]
        yield [list(X[i]) for i in batch], [list(y[i]) for i in batch]


def train_mlp(X, y, hidden_units=4, lr=1.0, epochs=2000, batch_size=4, seed=0):
    rng = np.random.default_rng(seed)
    n_in, n_out = len(X[0]), len(y[0])
    params = {"W1": [[rng.standard_normal() for j in range(hidden_units)] for i in range(n_in)],
              "b1": [0.0] * hidden_units,
              "W2": [[rng.standard_normal() for j in range(n_out)] for i in range(hidden_units)],
              "b2": [0.0] * n_out}
    losses = []
    for epoch in range(epochs):
        epoch_loss = 0.0
        for X_batch, y_batch in minibatches(X, y, batch_size, rng):
            loss, grads = mlp_backward(X_batch, y_batch, params)
            params = sgd_step(params, grads, lr)
            epoch_loss += loss
        losses.append(epoch_loss)
    return params, losses
