import numpy as np

from ex05_backprop import mlp_backward


def sgd_step(params, grads, lr):
    return {key: params[key] - lr * grads[key] for key in params}


def minibatches(X, y, batch_size, rng):
    order = np.arange(X.shape[0])
    rng.shuffle(order)
    for first in range(0, order.shape[0] - batch_size + 1, batch_size):
        rows = order[first:first + batch_size]
        yield X[rows], y[rows]


def train_mlp(X, y, hidden_units=4, lr=1.0, epochs=2000, batch_size=4, seed=0):
    rng = np.random.default_rng(seed)
    n_features, n_output = X.shape[1], y.shape[1]
    # input to hidden
    b_h = np.zeros(hidden_units)
    w_h = rng.normal(loc=0.0, scale=0.1, size=(n_features, hidden_units))
    # hidden to output
    b_out = np.zeros(n_output)
    w_out = rng.normal(loc=0.0, scale=0.1, size=(hidden_units, n_output))
    params = {"W1": w_h, "b1": b_h, "W2": w_out, "b2": b_out}
    losses = []
    for i in range(epochs):
        cost = 0.
        for X_batch, y_batch in minibatches(X, y, batch_size, rng):
            loss, grads = mlp_backward(X_batch, y_batch, params)
            params = sgd_step(params, grads, lr)
            cost += loss
        losses.append(cost)
    return params, losses
