# Optimizer that updates the parameter tensors in place; minibatches shuffle the batch starts.
import random

from ex05_backprop import _t, mlp_backward, tensor_combine


def sgd_step(params, grads, lr):
    for key in params:
        param, grad = params[key], _t(grads[key])
        param[:] = tensor_combine(lambda p, g: p - lr * g, _t(param), grad)
    return params


def minibatches(X, y, batch_size, rng):
    starts = list(range(0, len(X), batch_size))    # where each batch begins
    random.shuffle(starts)                          # visit the batches in random order
    for i in starts:
        yield X[i:i + batch_size], y[i:i + batch_size]


def random_uniform(*dims: int):
    if len(dims) == 1:
        return [random.random() for _ in range(dims[0])]
    else:
        return [random_uniform(*dims[1:]) for _ in range(dims[0])]


def train_mlp(X, y, hidden_units=4, lr=1.0, epochs=2000, batch_size=4, seed=0):
    random.seed(seed)
    n_in, n_out = len(X[0]), len(y[0])
    params = {"W1": [[r * 2 - 1 for r in row] for row in random_uniform(n_in, hidden_units)],
              "b1": [0.0] * hidden_units,
              "W2": [[r * 2 - 1 for r in row] for row in random_uniform(hidden_units, n_out)],
              "b2": [0.0] * n_out}
    losses = []
    for epoch in range(epochs):
        epoch_loss = 0.0
        for X_batch, y_batch in minibatches(X, y, batch_size, None):
            loss, grads = mlp_backward(X_batch, y_batch, params)
            params = sgd_step(params, grads, lr)
            epoch_loss += loss
        losses.append(epoch_loss)
    return params, losses
