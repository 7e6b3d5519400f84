"""Perceptrons: output 1 if w.x > threshold, otherwise the other class."""
import numpy as np


def add_bias(X):
    X = np.asarray(X, dtype=float)
    return np.hstack((np.ones((X.shape[0], 1)), X))


def perceptron_predict(w, X):
    return np.where(np.dot(X, w) > 0, 1.0, -1.0)


def perceptron_update(w, x, y, lr):
    y_hat = 1.0 if np.dot(w, x) > 0 else -1.0
    return np.asarray(w, dtype=float) + lr * (y - y_hat) * np.asarray(x, dtype=float)


def train_perceptron(X, y, lr=1.0, epochs=100):
    X = np.asarray(X, dtype=float)
    w = np.zeros(X.shape[1])
    for j in range(epochs):
        w_old = w.copy()
        for x, target in zip(X, y):
            w = perceptron_update(w, x, target, lr)
        if np.array_equal(w, w_old):
            break
    return w
