# Minibatch SGD: index generator with np.random shuffling, Glorot-uniform init.
import numpy as np

from ex05_backprop import mlp_backward


def sgd_step(params, grads, lr):
    return {k: params[k] - lr * grads[k] for k in params}


def minibatch(X, batchsize=256, shuffle=True):
    N = X.shape[0]
    ix = np.arange(N)
    n_batches = int(np.ceil(N / batchsize))
    if shuffle:
        np.random.shuffle(ix)

    def mb_generator():
        for i in range(n_batches):
            yield ix[i * batchsize: (i + 1) * batchsize]

    return mb_generator(), n_batches


def minibatches(X, y, batch_size, rng):
    gen, n_batches = minibatch(X, batch_size)
    for b_ix in gen:
        yield X[b_ix], y[b_ix]


def glorot_uniform(shape):
    fan_in, fan_out = shape
    b = np.sqrt(6 / (fan_in + fan_out))
    return np.random.uniform(-b, b, size=shape)


def train_mlp(X, y, hidden_units=4, lr=1.0, epochs=2000, batch_size=4, seed=0):
    rng = np.random.default_rng(seed)
    params = {"W1": glorot_uniform((X.shape[1], hidden_units)), "b1": np.zeros((1, hidden_units)),
              "W2": glorot_uniform((hidden_units, y.shape[1])), "b2": np.zeros((1, y.shape[1]))}
    losses = []
    for _ in range(epochs):
        epoch_loss = 0.0
        for X_batch, y_batch in minibatches(X, y, batch_size, rng):
            loss, grads = mlp_backward(X_batch, y_batch, params)
            params = sgd_step(params, grads, lr)
            epoch_loss += loss
        losses.append(epoch_loss)
    return params, losses
