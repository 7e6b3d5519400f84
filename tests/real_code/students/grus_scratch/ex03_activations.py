# Activations on tensors as nested lists: tensor_apply walks them.
import math
from typing import Callable


def tensor_apply(f: Callable[[float], float], tensor):
    # f on every number of a nested list
    if isinstance(tensor, list):
        return [tensor_apply(f, t) for t in tensor]
    else:
        return f(tensor)


def _as_tensor(z):
    return z.tolist() if hasattr(z, "tolist") else z


def _sigmoid(t: float) -> float:
    return 1 / (1 + math.exp(-t))


def _tanh(x: float) -> float:
    # far out, tanh is +-1 anyway: skip the exp
    if x < -100:
        return -1
    elif x > 100:
        return 1
    em2x = math.exp(-2 * x)
    return (1 - em2x) / (1 + em2x)


def sigmoid(z):
    return tensor_apply(_sigmoid, _as_tensor(z))


def sigmoid_derivative(z):
    return tensor_apply(lambda t: _sigmoid(t) * (1 - _sigmoid(t)), _as_tensor(z))


def tanh(z):
    return tensor_apply(_tanh, _as_tensor(z))


def tanh_derivative(z):
    return tensor_apply(lambda t: 1 - _tanh(t) ** 2, _as_tensor(z))


def relu(z):
    return tensor_apply(lambda t: max(t, 0), _as_tensor(z))


def relu_derivative(z):
    return tensor_apply(lambda t: 1 if t > 0 else 0, _as_tensor(z))


def leaky_relu(z, alpha=0.1):
    return tensor_apply(lambda t: max(alpha * t, t), _as_tensor(z))


def leaky_relu_derivative(z, alpha=0.1):
    return tensor_apply(lambda t: 1 if t > 0 else alpha, _as_tensor(z))


def elu(z, alpha=1.0):
    return tensor_apply(lambda t: t if t >= 0 else alpha * (math.exp(t) - 1), _as_tensor(z))


def elu_derivative(z, alpha=1.0):
    return tensor_apply(lambda t: 1 if t > 0 else alpha * math.exp(t), _as_tensor(z))


def maxout(X, W1, b1, W2, b2):
    X, W1, W2 = _as_tensor(X), _as_tensor(W1), _as_tensor(W2)
    b1, b2 = _as_tensor(b1), _as_tensor(b2)
    out = []
    for x in X:
        row = []
        for k in range(len(b1)):
            a = sum(x_i * W1[i][k] for i, x_i in enumerate(x)) + b1[k]
            b = sum(x_i * W2[i][k] for i, x_i in enumerate(x)) + b2[k]
            row.append(max(a, b))
        out.append(row)
    return out
