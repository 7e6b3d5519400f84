"""Alternative exercise 2, style 'variants': other numpy idioms, the update written as the delta rule."""
import numpy as np


def linear_predict(w, X):
    return np.dot(np.asarray(X, dtype=float), np.asarray(w, dtype=float))


def squared_error(w, X, y):
    return float(np.sum(np.square(np.subtract(y, linear_predict(w, X)))) / 2)


def squared_error_gradient(w, X, y):
    X = np.asarray(X, dtype=float)
    return np.dot(linear_predict(w, X) - np.asarray(y, dtype=float), X)


def delta_rule_step(w, X, y, lr):
    X = np.asarray(X, dtype=float)
    return np.asarray(w, dtype=float) + lr * np.dot(np.asarray(y, dtype=float) - linear_predict(w, X), X)


def gradient_descent(w0, X, y, lr, steps):
    history = [np.array(w0, dtype=float)]
    for _ in range(steps):
        history.append(delta_rule_step(history[-1], X, y, lr))
    return history[-1], [squared_error(w, X, y) for w in history[:-1]]
