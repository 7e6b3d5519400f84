"""Alternative exercise 1, style 'loops': explicit Python loops, no matrix products."""
import numpy as np


def _dot(a, b):
    total = 0.0
    for u, v in zip(a, b):
        total += float(u) * float(v)
    return total


def add_bias(X):
    X = np.asarray(X, dtype=float)
    out = np.empty((X.shape[0], X.shape[1] + 1))
    for i in range(X.shape[0]):
        out[i, 0] = 1.0
        for j in range(X.shape[1]):
            out[i, j + 1] = X[i, j]
    return out


def perceptron_predict(w, X):
    X = np.asarray(X, dtype=float)
    out = np.empty(X.shape[0])
    for i in range(X.shape[0]):
        out[i] = 1.0 if _dot(w, X[i]) >= 0 else -1.0
    return out


def perceptron_update(w, x, y, lr):
    y_hat = 1.0 if _dot(w, x) >= 0 else -1.0
    new = np.empty(len(w))
    for i in range(len(w)):
        new[i] = float(w[i]) + lr * (y - y_hat) * float(x[i])
    return new


def train_perceptron(X, y, lr=1.0, epochs=100):
    X = np.asarray(X, dtype=float)
    w = np.zeros(X.shape[1])
    for _ in range(epochs):
        mistakes = 0
        for i in range(X.shape[0]):
            y_hat = 1.0 if _dot(w, X[i]) >= 0 else -1.0
            if y_hat != y[i]:
                mistakes += 1
            w = perceptron_update(w, X[i], y[i], lr)
        if mistakes == 0:
            break
    return w
