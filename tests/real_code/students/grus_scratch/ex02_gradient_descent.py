# Gradient descent from scratch: per-point gradients, vector_mean, gradient_step.
from typing import List

Vector = List[float]


def dot(v: Vector, w: Vector) -> float:
    return sum(v_i * w_i for v_i, w_i in zip(v, w))


def add(v: Vector, w: Vector) -> Vector:
    assert len(v) == len(w), "vectors must be the same length"
    return [v_i + w_i for v_i, w_i in zip(v, w)]


def scalar_multiply(c: float, v: Vector) -> Vector:
    return [c * v_i for v_i in v]


def vector_sum(vectors: List[Vector]) -> Vector:
    num_elements = len(vectors[0])
    return [sum(vector[i] for vector in vectors) for i in range(num_elements)]


def vector_mean(vectors: List[Vector]) -> Vector:
    n = len(vectors)
    return scalar_multiply(1 / n, vector_sum(vectors))


def gradient_step(v: Vector, gradient: Vector, step_size: float) -> Vector:
    # take step_size times the gradient from v
    assert len(v) == len(gradient)
    step = scalar_multiply(step_size, gradient)
    return add(v, step)


def linear_predict(w, X):
    return [dot(list(w), list(x)) for x in X]


def squared_error(w, X, y):
    return sum((y_i - dot(list(w), list(x_i))) ** 2 for x_i, y_i in zip(X, y)) / 2


def linear_gradient(x: Vector, y: float, w: Vector) -> Vector:
    predicted = dot(w, x)
    error = predicted - y
    return [2 * error * x_i for x_i in x]


def squared_error_gradient(w, X, y):
    return vector_mean([linear_gradient(list(x), y_i, list(w)) for x, y_i in zip(X, y)])


def delta_rule_step(w, X, y, lr):
    grad = squared_error_gradient(w, X, y)
    return gradient_step(list(w), grad, -lr)


def gradient_descent(w0, X, y, lr, steps):
    w = list(w0)
    losses = []
    for epoch in range(steps):
        losses.append(squared_error(w, X, y))
        w = delta_rule_step(w, X, y, lr)
    return w, losses
