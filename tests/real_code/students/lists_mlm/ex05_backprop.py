# Backpropagation with loops; gradients are nested lists like the weights.

from ex04_mlp_forward import mlp_forward, sigmoid


def _combine(f, a, b):
    if hasattr(a, '__iter__'):
        return [_combine(f, u, v) for u, v in zip(a, b)]
    return f(a, b)


def multiply_backward(x, y, grad_out):
    return _combine(lambda g, v: g * v, grad_out, y), _combine(lambda g, v: g * v, grad_out, x)


def add_backward(x, y, grad_out):
    return _combine(lambda g, v: g, grad_out, x), _combine(lambda g, v: g, grad_out, y)


def square_backward(s, grad_out):
    return _combine(lambda v, g: 2.0 * v * g, s, grad_out)


def scalar_loss_and_gradient(w, x, y):
    s = x * w - y
    loss = s * s
    grad_s = square_backward(s, 1.0)
    grad_x, grad_w = multiply_backward(x, w, grad_s)
    return loss, grad_w


def dense_backward(grad_out, X, W):
    m, n_in, n_out = len(X), len(W), len(W[0])
    grad_X = [[sum(grad_out[r][j] * W[i][j] for j in range(n_out)) for i in range(n_in)] for r in range(m)]
    grad_W = [[sum(X[r][i] * grad_out[r][j] for r in range(m)) for j in range(n_out)] for i in range(n_in)]
    grad_b = [sum(grad_out[r][j] for r in range(m)) for j in range(n_out)]
    return grad_X, grad_W, grad_b


def sigmoid_backward(grad_out, z):
    # derivative of the sigmoid: output * (1 - output)
    return _combine(lambda g, v: g * v * (1.0 - v), grad_out, z)


def mlp_backward(X, y, params):
    out, cache = mlp_forward(X, params)
    loss = 0.0
    diff = []
    for o_row, y_row in zip(out, y):
        diff.append([o - t for o, t in zip(o_row, y_row)])
        loss += sum(0.5 * (o - t) ** 2 for o, t in zip(o_row, y_row))
    grad_z2 = sigmoid_backward(diff, cache["z2"])
    grad_h, grad_W2, grad_b2 = dense_backward(grad_z2, cache["h"], params["W2"])
    grad_z1 = sigmoid_backward(grad_h, cache["z1"])
    _, grad_W1, grad_b1 = dense_backward(grad_z1, cache["X"], params["W1"])
    return loss, {"W1": grad_W1, "b1": grad_b1, "W2": grad_W2, "b2": grad_b2}
