"""Alternative exercise 1, style 'variants': other numpy idioms; trains every epoch (no early stop)."""
import numpy as np


def add_bias(X):
    X = np.asarray(X, dtype=float)
    return np.insert(X, 0, 1.0, axis=1)


def perceptron_predict(w, X):
    scores = np.dot(np.asarray(X, dtype=float), np.asarray(w, dtype=float))
    return np.where(scores < 0, -1.0, 1.0)  # the tie (score 0) is not < 0, so it gives +1


def perceptron_update(w, x, y, lr):
    w = np.array(w, dtype=float)  # a copy: the caller's w stays untouched
    x = np.asarray(x, dtype=float)
    y_hat = perceptron_predict(w, x[None, :])[0]
    if y_hat != y:
        w += lr * (y - y_hat) * x
    return w


def train_perceptron(X, y, lr=1.0, epochs=100):
    # No early stop: once an epoch makes no mistake, later epochs change nothing either.
    X = np.asarray(X, dtype=float)
    w = np.zeros(X.shape[1])
    for _ in range(epochs):
        for i in range(len(X)):
            w = perceptron_update(w, X[i], y[i], lr)
    return w
