"""Alternative exercise 6, style 'loops': explicit Python loops."""
import numpy as np

from ex05_backprop import mlp_backward


def sgd_step(params, grads, lr):
    new = {}
    for key in params:
        p, g = np.asarray(params[key], dtype=float), np.asarray(grads[key], dtype=float)
        out = np.empty(p.shape)
        for index in np.ndindex(p.shape):
            out[index] = p[index] - lr * g[index]
        new[key] = out
    return new


def minibatches(X, y, batch_size, rng):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    order = rng.permutation(len(X))
    batch = []
    for position, row in enumerate(order):
        batch.append(row)
        if len(batch) == batch_size or position == len(order) - 1:
            yield np.array([X[i] for i in batch]), np.array([y[i] for i in batch])
            batch = []


def train_mlp(X, y, hidden_units=4, lr=1.0, epochs=2000, batch_size=4, seed=0):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    rng = np.random.default_rng(seed)
    params = {
        "W1": rng.standard_normal((X.shape[1], hidden_units)),
        "b1": np.zeros(hidden_units),
        "W2": rng.standard_normal((hidden_units, y.shape[1])),
        "b2": np.zeros(y.shape[1]),
    }
    losses = []
    for _ in range(epochs):
        total = 0.0
        for X_batch, y_batch in minibatches(X, y, batch_size, rng):
            loss, grads = mlp_backward(X_batch, y_batch, params)
            params = sgd_step(params, grads, lr)
            total += loss
        losses.append(total)
    return params, losses
