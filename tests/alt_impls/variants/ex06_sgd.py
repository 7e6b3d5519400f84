"""Alternative exercise 6, style 'variants': rng.shuffle order, uniform(-1, 1) initialisation."""
import numpy as np

from ex05_backprop import mlp_backward


def sgd_step(params, grads, lr):
    new = {}
    for key, value in params.items():
        new[key] = np.array(value, dtype=float)
        new[key] -= lr * np.asarray(grads[key], dtype=float)
    return new


def minibatches(X, y, batch_size, rng):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    order = np.arange(len(X))
    rng.shuffle(order)
    batches = np.split(order, range(batch_size, len(X), batch_size))
    return [(X[rows], y[rows]) for rows in batches]


def train_mlp(X, y, hidden_units=4, lr=1.0, epochs=2000, batch_size=4, seed=0):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    rng = np.random.default_rng(seed)
    params = {
        "W1": rng.uniform(-1, 1, size=(X.shape[1], hidden_units)),
        "b1": rng.uniform(-1, 1, size=hidden_units),
        "W2": rng.uniform(-1, 1, size=(hidden_units, y.shape[1])),
        "b2": rng.uniform(-1, 1, size=y.shape[1]),
    }
    losses = []
    for _ in range(epochs):
        batch_losses = []
        for X_batch, y_batch in minibatches(X, y, batch_size, rng):
            loss, grads = mlp_backward(X_batch, y_batch, params)
            batch_losses.append(loss)
            params = sgd_step(params, grads, lr)
        losses.append(sum(batch_losses))
    return params, np.array(losses)
