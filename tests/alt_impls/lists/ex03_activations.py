"""Alternative exercise 3, style 'lists': nested Python lists out (a float for a scalar input)."""
import math


def _apply(f, z):
    if hasattr(z, "tolist"):  # numpy arrays and numpy scalars
        z = z.tolist()
    if isinstance(z, (list, tuple)):
        return [_apply(f, v) for v in z]
    return float(f(float(z)))


def _sigmoid(t):
    return 1.0 / (1.0 + math.exp(-t)) if t >= 0 else math.exp(t) / (1.0 + math.exp(t))


def sigmoid(z):
    return _apply(_sigmoid, z)


def sigmoid_derivative(z):
    return _apply(lambda t: _sigmoid(t) * _sigmoid(-t), z)


def tanh(z):
    return _apply(math.tanh, z)


def tanh_derivative(z):
    return _apply(lambda t: 1.0 - math.tanh(t) ** 2, z)


def relu(z):
    return _apply(lambda t: max(t, 0.0), z)


def relu_derivative(z):
    return _apply(lambda t: 1.0 if t > 0 else 0.0, z)


def leaky_relu(z, alpha=0.1):
    return _apply(lambda t: t if t >= 0 else alpha * t, z)


def leaky_relu_derivative(z, alpha=0.1):
    return _apply(lambda t: 1.0 if t > 0 else alpha, z)


def elu(z, alpha=1.0):
    return _apply(lambda t: t if t >= 0 else alpha * math.expm1(t), z)


def elu_derivative(z, alpha=1.0):
    return _apply(lambda t: 1.0 if t > 0 else alpha * math.exp(t), z)


def maxout(X, W1, b1, W2, b2):
    X, W1, W2 = ([[float(v) for v in row] for row in M] for M in (X, W1, W2))
    b1, b2 = [float(v) for v in b1], [float(v) for v in b2]

    def piece(row, W, b, c):
        return b[c] + sum(x * W[i][c] for i, x in enumerate(row))

    return [[max(piece(row, W1, b1, c), piece(row, W2, b2, c)) for c in range(len(b1))] for row in X]
