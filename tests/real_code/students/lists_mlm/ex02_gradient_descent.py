# Linear unit and the delta rule with plain Python loops.

def linear_predict(w, X):
    yhat = []
    for row in X:
        s = 0.0
        for i in range(len(row)):
            s += w[i] * row[i]
        yhat.append(s)
    return yhat


def squared_error(w, X, y):
    sum_error = 0.0
    for row, expected in zip(X, y):
        error = expected - sum(w[i] * row[i] for i in range(len(row)))
        sum_error += error ** 2
    return sum_error


def squared_error_gradient(w, X, y):
    grad = [0.0] * len(w)
    for row, expected in zip(X, y):
        error = expected - sum(w[i] * row[i] for i in range(len(row)))
        for i in range(len(w)):
            grad[i] += -error * row[i]
    return grad


def delta_rule_step(w, X, y, lr):
    grad = squared_error_gradient(w, X, y)
    return [w[i] - lr * grad[i] for i in range(len(w))]


def gradient_descent(w0, X, y, lr, steps):
    w = [float(v) for v in w0]
    losses = []
    for step in range(steps):
        losses.append(squared_error(w, X, y))
        w = delta_rule_step(w, X, y, lr)
    return w, losses
