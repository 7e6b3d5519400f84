import numpy as np


def sigmoid(x):
  # stable form: exp of a non-positive number only
  pos_mask = (x >= 0)
  neg_mask = (x < 0)
  z = np.zeros_like(x)
  z[pos_mask] = np.exp(-x[pos_mask])
  z[neg_mask] = np.exp(x[neg_mask])
  top = np.ones_like(x)
  top[neg_mask] = z[neg_mask]
  return top / (1 + z)


def sigmoid_derivative(x):
  s = sigmoid(x)
  return s * (1 - s)


def tanh(x):
  return np.tanh(x)


def tanh_derivative(x):
  return 1 - np.tanh(x) ** 2


def relu(x):
  return np.maximum(0, x)


def relu_derivative(x):
  return 1.0 * (x > 0)


def leaky_relu(x, alpha=0.1):
  return np.maximum(alpha * x, x)


def leaky_relu_derivative(x, alpha=0.1):
  dx = np.ones_like(x, dtype=float)
  dx[x < 0] = alpha
  return dx


def elu(x, alpha=1.0):
  return np.where(x > 0, x, alpha * (np.exp(x) - 1))


def elu_derivative(x, alpha=1.0):
  return np.where(x > 0, 1.0, alpha * np.exp(x))


def maxout(X, W1, b1, W2, b2):
  return np.maximum(X.dot(W1) + b1, X.dot(W2) + b2)
