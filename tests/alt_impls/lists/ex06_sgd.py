"""Alternative exercise 6, style 'lists': plain Python lists inside the dicts, lists of rows as batches."""
from ex05_backprop import mlp_backward


def _plain(a):
    return a.tolist() if hasattr(a, "tolist") else a


def _step(p, g, lr):
    if isinstance(p, (list, tuple)):
        return [_step(a, b, lr) for a, b in zip(p, g)]
    return float(p) - lr * float(g)


def sgd_step(params, grads, lr):
    return {key: _step(_plain(params[key]), _plain(grads[key]), lr) for key in params}


def minibatches(X, y, batch_size, rng):
    X, y = _plain(X), _plain(y)
    order = [int(i) for i in rng.permutation(len(X))]
    for start in range(0, len(order), batch_size):
        rows = order[start:start + batch_size]
        yield [list(X[i]) for i in rows], [list(y[i]) for i in rows]


def train_mlp(X, y, hidden_units=4, lr=1.0, epochs=2000, batch_size=4, seed=0):
    import numpy as np  # only for the random generator the contract prescribes

    X, y = _plain(X), _plain(y)
    rng = np.random.default_rng(seed)
    params = {
        "W1": rng.standard_normal((len(X[0]), hidden_units)).tolist(),
        "b1": [0.0] * hidden_units,
        "W2": rng.standard_normal((hidden_units, len(y[0]))).tolist(),
        "b2": [0.0] * len(y[0]),
    }
    losses = []
    for _ in range(epochs):
        losses.append(0.0)
        for X_batch, y_batch in minibatches(X, y, batch_size, rng):
            loss, grads = mlp_backward(X_batch, y_batch, params)
            params = sgd_step(params, grads, lr)
            losses[-1] += loss
    return params, losses
