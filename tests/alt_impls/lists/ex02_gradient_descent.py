"""Alternative exercise 2, style 'lists': plain Python lists of floats in and out."""


def _rows(X):
    return [[float(v) for v in row] for row in X]


def linear_predict(w, X):
    return [sum(x_i * float(w_i) for x_i, w_i in zip(row, w)) for row in _rows(X)]


def squared_error(w, X, y):
    return 0.5 * sum((float(t) - p) ** 2 for t, p in zip(y, linear_predict(w, X)))


def squared_error_gradient(w, X, y):
    rows = _rows(X)
    residuals = [float(t) - p for t, p in zip(y, linear_predict(w, rows))]
    return [-sum(r * row[i] for r, row in zip(residuals, rows)) for i in range(len(rows[0]))]


def delta_rule_step(w, X, y, lr):
    return [float(w_i) - lr * g for w_i, g in zip(w, squared_error_gradient(w, X, y))]


def gradient_descent(w0, X, y, lr, steps):
    w, losses = [float(v) for v in w0], []
    for _ in range(steps):
        losses.append(squared_error(w, X, y))
        w = delta_rule_step(w, X, y, lr)
    return w, losses
