import numpy as np


def sigmoid(z):
    return 1. / (1. + np.exp(-np.clip(z, -250, 250)))


def sigmoid_derivative(z):
    return z * (1. - z)


def tanh(z):
    return np.tanh(z)


def tanh_derivative(z):
    a = np.tanh(z)
    return 1. - a ** 2


def relu(z):
    return np.maximum(0, z)


def relu_derivative(z):
    return np.where(z > 0, 1, 0)


def leaky_relu(z, alpha=0.1):
    return np.where(z > 0, z, z * alpha)


def leaky_relu_derivative(z, alpha=0.1):
    return np.where(z > 0, 1, alpha)


def elu(z, alpha=1.0):
    return np.where(z >= 0, z, alpha * (np.exp(z) - 1))


def elu_derivative(z, alpha=1.0):
    return np.where(z >= 0, 1, elu(z, alpha) + alpha)


def maxout(X, W1, b1, W2, b2):
    return np.maximum(np.dot(X, W1) + b1, np.dot(X, W2) + b2)
