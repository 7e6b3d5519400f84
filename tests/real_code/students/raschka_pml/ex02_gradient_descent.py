import numpy as np


def linear_predict(w, X):
    return np.dot(X, w)


def squared_error(w, X, y):
    errors = y - linear_predict(w, X)
    return (errors ** 2).sum() / 2.0


def squared_error_gradient(w, X, y):
    errors = y - linear_predict(w, X)
    return -X.T.dot(errors)


def delta_rule_step(w, X, y, lr):
    errors = y - linear_predict(w, X)
    return w + lr * X.T.dot(errors)


def gradient_descent(w0, X, y, lr, steps):
    w = np.array(w0, dtype=float)
    cost_ = []
    for i in range(steps):
        output = linear_predict(w, X)
        errors = (y - output)
        w = w + lr * X.T.dot(errors)
        cost = (errors ** 2).sum() / 2.0
        cost_.append(cost)
    return w, cost_
