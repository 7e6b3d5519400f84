# Vectorised numpy perceptron.
import numpy as np


def add_bias(X):
    return np.c_[np.ones(X.shape[0]), X]


def perceptron_predict(w, X):
    return np.sign(X @ w)


def perceptron_update(w, x, y, lr):
    y_pred = np.sign(w @ x)
    return w + lr * (y - y_pred) * x


def train_perceptron(X, y, lr=1.0, epochs=100):
    w = np.zeros(X.shape[1])
    for _ in range(epochs):
        n_updates = 0
        for ix in range(X.shape[0]):
            w_new = perceptron_update(w, X[ix], y[ix], lr)
            n_updates += np.any(w_new != w)
            w = w_new
        if n_updates == 0:
            break
    return w
