import numpy as np


def add_bias(X):
    X = np.asarray(X)
    return np.hstack((np.ones((X.shape[0], 1)), X))


def net_input(w, X):
    return np.dot(X, w)


def perceptron_predict(w, X):
    # unit step on the net input
    return np.where(net_input(w, X) >= 0.0, 1, -1)


def perceptron_update(w, x, y, lr):
    w = np.asarray(w)
    x = np.asarray(x)
    update = lr * (y - perceptron_predict(w, x))
    w[1:] += update * x[1:]
    w[0] += update
    return w


def train_perceptron(X, y, lr=1.0, epochs=100):
    X = np.asarray(X, dtype=float)
    rgen = np.random.RandomState(1)
    w = rgen.normal(loc=0.0, scale=0.01, size=X.shape[1])
    errors_ = []
    for _ in range(epochs):
        n_wrong = 0
        for xi, label in zip(X, y):
            step = lr * (label - perceptron_predict(w, xi))
            w[1:] += step * xi[1:]
            w[0] += step * xi[0]
            n_wrong += int(step != 0.0)
        errors_.append(n_wrong)
        if n_wrong == 0:
            break
    return w
