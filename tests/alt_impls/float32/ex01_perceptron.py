"""Alternative exercise 1, style 'float32': all arithmetic in float32, float32 arrays returned."""
import numpy as np

F = np.float32


def add_bias(X):
    X = np.asarray(X, dtype=F)
    return np.concatenate([np.ones((X.shape[0], 1), dtype=F), X], axis=1)


def perceptron_predict(w, X):
    scores = np.asarray(X, dtype=F) @ np.asarray(w, dtype=F)
    return np.where(scores >= 0, F(1), F(-1)).astype(F)


def perceptron_update(w, x, y, lr):
    w, x = np.asarray(w, dtype=F), np.asarray(x, dtype=F)
    y_hat = F(1) if w @ x >= 0 else F(-1)
    return (w + F(lr) * (F(y) - y_hat) * x).astype(F)


def train_perceptron(X, y, lr=1.0, epochs=100):
    X, y = np.asarray(X, dtype=F), np.asarray(y, dtype=F)
    w = np.zeros(X.shape[1], dtype=F)
    for _ in range(epochs):
        clean = True
        for x_i, y_i in zip(X, y):
            w_new = perceptron_update(w, x_i, y_i, lr)
            clean &= bool(np.array_equal(w_new, w))
            w = w_new
        if clean:
            break
    return w
