# Activations as objects with fn (forward) and grad (derivative), numpy-ml style.
from abc import ABC, abstractmethod

import numpy as np


class ActivationBase(ABC):
    def __init__(self, **kwargs):
        super().__init__()

    def __call__(self, z):
        z = z.reshape(1, -1) if z.ndim == 1 else z   # a batch of one row
        return self.fn(z)

    @abstractmethod
    def fn(self, z):
        raise NotImplementedError

    @abstractmethod
    def grad(self, x, **kwargs):
        raise NotImplementedError


class Sigmoid(ActivationBase):
    def fn(self, z):
        return 1 / (1 + np.exp(-z))

    def grad(self, x):
        fn_x = self.fn(x)
        return fn_x * (1 - fn_x)


class Tanh(ActivationBase):
    def fn(self, z):
        return np.tanh(z)

    def grad(self, x):
        return 1 - np.tanh(x) ** 2


class ReLU(ActivationBase):
    def fn(self, z):
        return np.clip(z, 0, np.inf)

    def grad(self, x):
        return (x > 0).astype(int)


class LeakyReLU(ActivationBase):
    def __init__(self, alpha=0.3):
        self.alpha = alpha
        super().__init__()

    def fn(self, z):
        out = z.copy()
        neg = z < 0
        out[neg] = self.alpha * out[neg]
        return out

    def grad(self, x):
        slope = np.ones_like(x)
        slope[x < 0] *= self.alpha
        return slope


class ELU(ActivationBase):
    def __init__(self, alpha=1.0):
        self.alpha = alpha
        super().__init__()

    def fn(self, z):
        return np.where(z > 0, z, self.alpha * (np.exp(z) - 1))

    def grad(self, x):
        return np.where(x > 0, np.ones_like(x), self.alpha * np.exp(x))


def sigmoid(z):
    return Sigmoid()(z)


def sigmoid_derivative(z):
    return Sigmoid().grad(z)


def tanh(z):
    return Tanh()(z)


def tanh_derivative(z):
    return Tanh().grad(z)


def relu(z):
    return ReLU().fn(z)


def relu_derivative(z):
    return ReLU().grad(z)


def leaky_relu(z, alpha=0.1):
    return LeakyReLU(alpha).fn(z)


def leaky_relu_derivative(z, alpha=0.1):
    return LeakyReLU(alpha).grad(z)


def elu(z, alpha=1.0):
    return ELU(alpha).fn(z)


def elu_derivative(z, alpha=1.0):
    return ELU(alpha).grad(z)


def maxout(X, W1, b1, W2, b2):
    return np.maximum(X @ W1 + b1, X @ W2 + b2)
