"""Alternative exercise 2, style 'float32': all arithmetic in float32, float32 arrays returned."""
import numpy as np

F = np.float32


def linear_predict(w, X):
    return np.asarray(X, dtype=F) @ np.asarray(w, dtype=F)


def squared_error(w, X, y):
    r = np.asarray(y, dtype=F) - linear_predict(w, X)
    return float(F(0.5) * (r @ r))


def squared_error_gradient(w, X, y):
    X = np.asarray(X, dtype=F)
    return -(X.T @ (np.asarray(y, dtype=F) - X @ np.asarray(w, dtype=F)))


def delta_rule_step(w, X, y, lr):
    return np.asarray(w, dtype=F) - F(lr) * squared_error_gradient(w, X, y)


def gradient_descent(w0, X, y, lr, steps):
    w = np.array(w0, dtype=F)
    losses = np.zeros(steps, dtype=F)
    for k in range(steps):
        losses[k] = squared_error(w, X, y)
        w = delta_rule_step(w, X, y, lr)
    return w, losses
