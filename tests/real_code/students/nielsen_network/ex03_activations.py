"""Activation functions; sigmoid_prime style derivatives."""
import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_derivative(z):
    return sigmoid(z) * (1 - sigmoid(z))


def tanh(z):
    return np.tanh(z)


def tanh_derivative(z):
    return 1.0 - np.tanh(z) ** 2


def relu(z):
    return np.maximum(0, z)


def relu_derivative(z):
    return np.where(np.asarray(z) > 0, 1.0, 0.0)


def leaky_relu(z, alpha=0.1):
    z = np.asarray(z)
    return np.where(z > 0, z, alpha * z)


def leaky_relu_derivative(z, alpha=0.1):
    return np.where(np.asarray(z) > 0, 1.0, alpha)


def elu(z, alpha=1.0):
    z = np.asarray(z)
    return np.where(z > 0, z, alpha * (np.exp(z) - 1))


def elu_derivative(z, alpha=1.0):
    z = np.asarray(z)
    return np.where(z > 0, 1.0, alpha * np.exp(z))


def maxout(X, W1, b1, W2, b2):
    return np.maximum(np.dot(X, W1) + b1, np.dot(X, W2) + b2)
