"""Alternative exercise 6, style 'float32': all arithmetic in float32, float32 arrays returned."""
import numpy as np

from ex05_backprop import mlp_backward

F = np.float32


def sgd_step(params, grads, lr):
    return {k: np.asarray(p, dtype=F) - F(lr) * np.asarray(grads[k], dtype=F) for k, p in params.items()}


def minibatches(X, y, batch_size, rng):
    X, y = np.asarray(X, dtype=F), np.asarray(y, dtype=F)
    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        rows = order[start:start + batch_size]
        yield X[rows], y[rows]


def train_mlp(X, y, hidden_units=4, lr=1.0, epochs=2000, batch_size=4, seed=0):
    X, y = np.asarray(X, dtype=F), np.asarray(y, dtype=F)
    rng = np.random.default_rng(seed)
    params = {
        "W1": rng.standard_normal((X.shape[1], hidden_units), dtype=F),
        "b1": np.zeros(hidden_units, dtype=F),
        "W2": rng.standard_normal((hidden_units, y.shape[1]), dtype=F),
        "b2": np.zeros(y.shape[1], dtype=F),
    }
    losses = np.zeros(epochs, dtype=F)
    for epoch in range(epochs):
        for X_batch, y_batch in minibatches(X, y, batch_size, rng):
            loss, grads = mlp_backward(X_batch, y_batch, params)
            params = sgd_step(params, grads, lr)
            losses[epoch] += F(loss)
    return params, losses
