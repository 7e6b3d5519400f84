"""Alternative exercise 2, style 'loops': explicit Python loops, no matrix products."""
import numpy as np


def linear_predict(w, X):
    X = np.asarray(X, dtype=float)
    out = np.zeros(X.shape[0])
    for d in range(X.shape[0]):
        for i in range(X.shape[1]):
            out[d] += X[d, i] * w[i]
    return out


def squared_error(w, X, y):
    y_hat = linear_predict(w, X)
    total = 0.0
    for d in range(len(y_hat)):
        total += (float(y[d]) - y_hat[d]) ** 2
    return 0.5 * total


def squared_error_gradient(w, X, y):
    X = np.asarray(X, dtype=float)
    y_hat = linear_predict(w, X)
    grad = np.zeros(X.shape[1])
    for i in range(X.shape[1]):
        for d in range(X.shape[0]):
            grad[i] += (float(y[d]) - y_hat[d]) * (-X[d, i])
    return grad


def delta_rule_step(w, X, y, lr):
    grad = squared_error_gradient(w, X, y)
    new = np.empty(len(grad))
    for i in range(len(grad)):
        new[i] = float(w[i]) - lr * grad[i]
    return new


def gradient_descent(w0, X, y, lr, steps):
    w = np.array(w0, dtype=float)
    losses = np.zeros(steps)
    for k in range(steps):
        losses[k] = squared_error(w, X, y)
        w = delta_rule_step(w, X, y, lr)
    return w, losses
