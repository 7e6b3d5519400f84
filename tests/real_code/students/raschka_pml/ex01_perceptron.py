import numpy as np


def add_bias(X):
    X = np.asarray(X)
    return np.hstack((np.ones((X.shape[0], 1)), X))


def net_input(w, X):
    """Calculate net input"""
    return np.dot(X, w)


def perceptron_predict(w, X):
    """Return class label after unit step"""
    return np.where(net_input(w, X) >= 0.0, 1, -1)


def perceptron_update(w, x, y, lr):
    w = np.asarray(w)
    x = np.asarray(x)
    update = lr * (y - perceptron_predict(w, x))
    w[1:] += update * x[1:]
    w[0] += update
    return w


def train_perceptron(X, y, lr=1.0, epochs=100):
    """Fit training data."""
    X = np.asarray(X, dtype=float)
    rgen = np.random.RandomState(1)
    w = rgen.normal(loc=0.0, scale=0.01, size=X.shape[1])
    errors_ = []
    for _ in range(epochs):
        errors = 0
        for xi, target in zip(X, y):
            update = lr * (target - perceptron_predict(w, xi))
            w[1:] += update * xi[1:]
            w[0] += update * xi[0]
            errors += int(update != 0.0)
        errors_.append(errors)
        if errors == 0:
            break
    return w
