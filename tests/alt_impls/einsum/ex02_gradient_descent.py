"""Alternative exercise 2, style 'einsum': every product is an np.einsum."""
import numpy as np


def linear_predict(w, X):
    return np.einsum("mn,n->m", np.asarray(X, dtype=float), np.asarray(w, dtype=float))


def squared_error(w, X, y):
    r = np.asarray(y, dtype=float) - linear_predict(w, X)
    return float(np.einsum("m,m->", r, r) / 2)


def squared_error_gradient(w, X, y):
    r = np.asarray(y, dtype=float) - linear_predict(w, X)
    return -np.einsum("mn,m->n", np.asarray(X, dtype=float), r)


def delta_rule_step(w, X, y, lr):
    return np.asarray(w, dtype=float) - lr * squared_error_gradient(w, X, y)


def gradient_descent(w0, X, y, lr, steps):
    w = np.asarray(w0, dtype=float).copy()
    losses = np.empty(steps)
    for k in range(steps):
        losses[k] = squared_error(w, X, y)
        w = delta_rule_step(w, X, y, lr)
    return w, losses
