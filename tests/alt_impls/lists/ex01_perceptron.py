"""Alternative exercise 1, style 'lists': plain Python lists of floats in and out."""


def _rows(X):
    return [[float(v) for v in row] for row in X]


def _dot(a, b):
    return sum(float(u) * float(v) for u, v in zip(a, b))


def add_bias(X):
    return [[1.0] + row for row in _rows(X)]


def perceptron_predict(w, X):
    return [1.0 if _dot(w, row) >= 0 else -1.0 for row in _rows(X)]


def perceptron_update(w, x, y, lr):
    y_hat = 1.0 if _dot(w, x) >= 0 else -1.0
    return [float(w_i) + lr * (float(y) - y_hat) * float(x_i) for w_i, x_i in zip(w, x)]


def train_perceptron(X, y, lr=1.0, epochs=100):
    rows, labels = _rows(X), [float(v) for v in y]
    w = [0.0] * len(rows[0])
    for _ in range(epochs):
        changed = False
        for row, label in zip(rows, labels):
            new = perceptron_update(w, row, label, lr)
            changed = changed or new != w
            w = new
        if not changed:
            break
    return w
