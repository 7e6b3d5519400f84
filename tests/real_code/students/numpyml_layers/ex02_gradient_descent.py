# Squared error as a loss object: loss(y, y_pred) and grad, numpy-ml style.
import numpy as np


class SquaredError:
    @staticmethod
    def loss(y, y_pred):
        return 0.5 * np.linalg.norm(y_pred - y) ** 2

    @staticmethod
    def grad(y, y_pred, X):
        return X.T @ (y_pred - y)


def linear_predict(w, X):
    return X @ w


def squared_error(w, X, y):
    return float(SquaredError.loss(y, linear_predict(w, X)))


def squared_error_gradient(w, X, y):
    return SquaredError.grad(y, linear_predict(w, X), X)


def delta_rule_step(w, X, y, lr):
    return w - lr * squared_error_gradient(w, X, y)


def gradient_descent(w0, X, y, lr, steps):
    w = w0.copy()
    losses = []
    for _ in range(steps):
        losses.append(squared_error(w, X, y))
        w = delta_rule_step(w, X, y, lr)
    return w, np.array(losses)
