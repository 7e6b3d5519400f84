# Backprop from scratch: deltas per neuron, gradients as nested lists.
from typing import Callable

from ex04_mlp_forward import dot, mlp_forward, sigmoid


def _t(z):
    return z.tolist() if hasattr(z, "tolist") else z


def tensor_combine(f: Callable[[float, float], float], t1, t2):
    # f on matching numbers of two nested lists
    if isinstance(t1, list):
        return [tensor_combine(f, t1_i, t2_i) for t1_i, t2_i in zip(t1, t2)]
    else:
        return f(t1, t2)


def multiply_backward(x, y, grad_out):
    x, y, g = _t(x), _t(y), _t(grad_out)
    return tensor_combine(lambda a, b: a * b, g, y), tensor_combine(lambda a, b: a * b, g, x)


def add_backward(x, y, grad_out):
    g = _t(grad_out)
    return g, g


def square_backward(s, grad_out):
    return tensor_combine(lambda a, b: 2 * a * b, _t(s), _t(grad_out))


def scalar_loss_and_gradient(w, x, y):
    error = x * w - y
    return error ** 2, 2 * error * x


def dense_backward(grad_out, X, W):
    G, X, W = _t(grad_out), _t(X), _t(W)
    grad_X = [[dot(g, w_row) for w_row in W] for g in G]
    grad_W = [[sum(x[i] * g[j] for x, g in zip(X, G)) for j in range(len(W[0]))] for i in range(len(W))]
    grad_b = [sum(g[j] for g in G) for j in range(len(W[0]))]
    return grad_X, grad_W, grad_b


def sigmoid_backward(grad_out, z):
    return tensor_combine(lambda sig, grad: sig * (1 - sig) * grad, sigmoid(z), _t(grad_out))


def mlp_backward(X, y, params):
    W1, b1, W2, b2 = (_t(params[k]) for k in ("W1", "b1", "W2", "b2"))
    y = _t(y)
    outputs, (inputs, hidden_outputs, _) = mlp_forward(X, params)
    loss = sum((o - t) ** 2 for out, target in zip(outputs, y) for o, t in zip(out, target))
    grads = {"W1": [[0.0] * len(W1[0]) for _ in W1], "b1": [0.0] * len(b1),
             "W2": [[0.0] * len(W2[0]) for _ in W2], "b2": [0.0] * len(b2)}
    for x, hidden, out, target in zip(inputs, hidden_outputs, outputs, y):
        # delta of each output neuron (before its sigmoid)
        output_deltas = [o * (1 - o) * (o - t) for o, t in zip(out, target)]
        # delta of each hidden neuron, sent back through W2
        hidden_deltas = [h * (1 - h) * dot(output_deltas, W2[i]) for i, h in enumerate(hidden)]
        for i, h in enumerate(hidden):
            for j, d in enumerate(output_deltas):
                grads["W2"][i][j] += d * h
        for j, d in enumerate(output_deltas):
            grads["b2"][j] += d
        for i, x_i in enumerate(x):
            for j, d in enumerate(hidden_deltas):
                grads["W1"][i][j] += d * x_i
        for j, d in enumerate(hidden_deltas):
            grads["b1"][j] += d
    return loss, grads
