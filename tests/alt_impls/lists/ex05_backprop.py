"""Alternative exercise 5, style 'lists': plain Python lists (tuples of lists, dicts of lists) out."""
from ex04_mlp_forward import mlp_forward, sigmoid


def _plain(a):
    return a.tolist() if hasattr(a, "tolist") else a


def _zip_map(f, *values):
    values = [_plain(v) for v in values]
    if isinstance(values[0], (list, tuple)):
        return [_zip_map(f, *parts) for parts in zip(*values)]
    return float(f(*(float(v) for v in values)))


def multiply_backward(x, y, grad_out):
    return _zip_map(lambda a, b, g: g * b, x, y, grad_out), _zip_map(lambda a, b, g: g * a, x, y, grad_out)


def add_backward(x, y, grad_out):
    return _zip_map(lambda a, g: g, x, grad_out), _zip_map(lambda b, g: g, y, grad_out)


def square_backward(s, grad_out):
    return _zip_map(lambda a, g: 2.0 * a * g, s, grad_out)


def scalar_loss_and_gradient(w, x, y):
    s = x * w - y
    grad_w = multiply_backward(x, w, square_backward(s, 1.0))[1]
    return float(s * s), float(grad_w)


def dense_backward(grad_out, X, W):
    G, X, W = ([[float(v) for v in row] for row in _plain(M)] for M in (grad_out, X, W))
    n_in, n_out = len(W), len(W[0])
    grad_X = [[sum(g[c] * W[i][c] for c in range(n_out)) for i in range(n_in)] for g in G]
    grad_W = [[sum(x[i] * g[c] for x, g in zip(X, G)) for c in range(n_out)] for i in range(n_in)]
    grad_b = [sum(g[c] for g in G) for c in range(n_out)]
    return grad_X, grad_W, grad_b


def sigmoid_backward(grad_out, z):
    return _zip_map(lambda g, s: g * s * (1.0 - s), grad_out, sigmoid(z))


def mlp_backward(X, y, params):
    out, cache = mlp_forward(X, params)
    diff = _zip_map(lambda o, t: o - t, out, y)
    loss = 0.5 * sum(d * d for row in diff for d in row)
    grad_h, grad_W2, grad_b2 = dense_backward(sigmoid_backward(diff, cache["z2"]), cache["h"], params["W2"])
    _, grad_W1, grad_b1 = dense_backward(sigmoid_backward(grad_h, cache["z1"]), cache["X"], params["W1"])
    return loss, {"W1": grad_W1, "b1": grad_b1, "W2": grad_W2, "b2": grad_b2}
