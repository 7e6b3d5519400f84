"""Alternative exercise 6, style 'einsum': index arithmetic with numpy, gradients from einsum code."""
import numpy as np

from ex05_backprop import mlp_backward


def sgd_step(params, grads, lr):
    return {key: np.subtract(params[key], np.multiply(lr, grads[key])) for key in params}


def minibatches(X, y, batch_size, rng):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    order = rng.permutation(len(X))
    for rows in np.array_split(order, np.arange(batch_size, len(X), batch_size)):
        yield X[rows], y[rows]


def train_mlp(X, y, hidden_units=4, lr=1.0, epochs=2000, batch_size=4, seed=0):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    rng = np.random.default_rng(seed)
    params = {"W1": rng.standard_normal((X.shape[1], hidden_units)), "b1": np.zeros(hidden_units)}
    params.update(W2=rng.standard_normal((hidden_units, y.shape[1])), b2=np.zeros(y.shape[1]))
    losses = np.zeros(epochs)
    for epoch in range(epochs):
        for X_batch, y_batch in minibatches(X, y, batch_size, rng):
            loss, grads = mlp_backward(X_batch, y_batch, params)
            params = sgd_step(params, grads, lr)
            losses[epoch] += loss
    return params, losses
