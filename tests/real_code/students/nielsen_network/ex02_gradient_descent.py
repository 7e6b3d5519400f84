"""Quadratic cost C(w) = 1/2n sum_x ||y(x) - a||^2 and gradient descent on it."""
import numpy as np


def linear_predict(w, X):
    return np.dot(X, w)


def squared_error(w, X, y):
    n = len(y)
    return float(np.sum((y - np.dot(X, w)) ** 2) / (2.0 * n))


def squared_error_gradient(w, X, y):
    n = len(y)
    return np.dot(np.transpose(X), np.dot(X, w) - y) / n


def delta_rule_step(w, X, y, lr):
    return w - lr * squared_error_gradient(w, X, y)


def gradient_descent(w0, X, y, lr, steps):
    w = np.array(w0, dtype=float)
    losses = []
    for j in range(steps):
        losses.append(squared_error(w, X, y))
        w = delta_rule_step(w, X, y, lr)
    return w, losses
