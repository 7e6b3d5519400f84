# Activations one number at a time with the math module; nested lists are walked.
import math


def _apply(f, z):
    if hasattr(z, '__iter__'):
        return [_apply(f, v) for v in z]
    return f(z)


def sigmoid(z):
    return _apply(lambda x: 1.0 / (1.0 + math.exp(-x)), z)


def sigmoid_derivative(z):
    def d(x):
        s = 1.0 / (1.0 + math.exp(-x))
        return s * (1.0 - s)
    return _apply(d, z)


def tanh(z):
    return _apply(math.tanh, z)


def tanh_derivative(z):
    return _apply(lambda x: 1.0 - math.tanh(x) ** 2, z)


def relu(z):
    return _apply(lambda x: max(0.0, x), z)


def relu_derivative(z):
    return _apply(lambda x: 1.0 if x > 0 else 0.0, z)


def leaky_relu(z, alpha=0.1):
    return _apply(lambda x: x if x >= 0 else alpha * x, z)


def leaky_relu_derivative(z, alpha=0.1):
    return _apply(lambda x: 1.0 if x > 0 else alpha, z)


def elu(z, alpha=1.0):
    return _apply(lambda x: x if x >= 0 else alpha * (math.exp(x) - 1.0), z)


def elu_derivative(z, alpha=1.0):
    return _apply(lambda x: 1.0 if x > 0 else alpha * math.exp(x), z)


def maxout(X, W1, b1, W2, b2):
    out = []
    for row in X:
        out_row = []
        for j in range(len(b1)):
            a = sum(row[i] * W1[i][j] for i in range(len(row))) + b1[j]
            b = sum(row[i] * W2[i][j] for i in range(len(row))) + b2[j]
            out_row.append(max(a, b))
        out.append(out_row)
    return out
