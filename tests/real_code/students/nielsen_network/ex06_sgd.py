"""Mini-batch stochastic gradient descent, network.py style."""
import random

import numpy as np

from ex05_backprop import mlp_backward


def sgd_step(params, grads, lr):
    return {k: params[k] - lr * grads[k] for k in params}


def minibatches(X, y, batch_size, rng):
    training_data = list(zip(X, y))
    n = len(training_data)
    random.shuffle(training_data)
    for k in range(0, n, batch_size):
        batch = training_data[k:k + batch_size]
        yield np.array([x for x, _ in batch]), np.array([t for _, t in batch])


def train_mlp(X, y, hidden_units=4, lr=1.0, epochs=2000, batch_size=4, seed=0):
    random.seed(seed)
    np.random.seed(seed)
    sizes = [X.shape[1], hidden_units, y.shape[1]]
    biases = [np.random.randn(n, 1) for n in sizes[1:]]
    weights = [np.random.randn(n, m) for m, n in zip(sizes[:-1], sizes[1:])]
    params = {"W1": weights[0].T, "b1": biases[0].ravel(), "W2": weights[1].T, "b2": biases[1].ravel()}
    losses = []
    for j in range(epochs):
        epoch_loss = 0.0
        for X_batch, y_batch in minibatches(X, y, batch_size, None):
            loss, grads = mlp_backward(X_batch, y_batch, params)
            params = sgd_step(params, grads, lr / len(X_batch))
            epoch_loss += loss
        losses.append(epoch_loss)
    return params, losses
