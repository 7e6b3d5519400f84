# Perceptron with Vector = List[float] and a dot helper, "from scratch" style.
from typing import List

Vector = List[float]


def dot(v: Vector, w: Vector) -> float:
    # sum of the products of matching entries
    assert len(v) == len(w), "vectors must be same length"
    return sum(v_i * w_i for v_i, w_i in zip(v, w))


def step_function(x: float) -> float:
    return 1.0 if x >= 0 else 0.0


def add_bias(X):
    return [[1.0] + [float(x_i) for x_i in x] for x in X]


def perceptron_output(weights: Vector, x: Vector) -> float:
    # 1 when the unit fires, else 0
    return step_function(dot(weights, x))


def perceptron_predict(w, X):
    return [perceptron_output(list(w), list(x)) for x in X]


def perceptron_update(w, x, y, lr):
    y_hat = perceptron_output(list(w), list(x))
    return [w_i + lr * (y - y_hat) * x_i for w_i, x_i in zip(w, x)]


def train_perceptron(X, y, lr=1.0, epochs=100):
    w = [0.0 for _ in X[0]]
    for epoch in range(epochs):
        mistakes = 0
        for x_i, y_i in zip(X, y):
            new_w = perceptron_update(w, x_i, y_i, lr)
            if new_w != w:
                mistakes += 1
            w = new_w
        if mistakes == 0:
            break
    return w
