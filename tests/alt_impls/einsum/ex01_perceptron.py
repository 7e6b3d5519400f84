"""Alternative exercise 1, style 'einsum': every product is an np.einsum."""
import numpy as np


def add_bias(X):
    X = np.asarray(X, dtype=float)
    out = np.ones((X.shape[0], X.shape[1] + 1))
    out[:, 1:] = X
    return out


def perceptron_predict(w, X):
    scores = np.einsum("mn,n->m", np.asarray(X, dtype=float), np.asarray(w, dtype=float))
    return np.where(scores >= 0, 1.0, -1.0)


def perceptron_update(w, x, y, lr):
    w, x = np.asarray(w, dtype=float), np.asarray(x, dtype=float)
    y_hat = 1.0 if np.einsum("n,n->", w, x) >= 0 else -1.0
    return w + lr * (y - y_hat) * x


def train_perceptron(X, y, lr=1.0, epochs=100):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w = np.zeros(X.shape[1])
    for _ in range(epochs):
        before = w.copy()
        for x_i, y_i in zip(X, y):
            w = perceptron_update(w, x_i, y_i, lr)
        if np.array_equal(before, w):  # a whole epoch without a change: no mistakes
            break
    return w
