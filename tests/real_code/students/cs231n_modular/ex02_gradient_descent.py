import numpy as np


def linear_predict(w, X):
  return X.dot(w)


def squared_error(w, X, y):
  diff = X.dot(w) - y
  return 0.5 * np.sum(diff ** 2)


def squared_error_gradient(w, X, y):
  diff = X.dot(w) - y
  return X.T.dot(diff)


def delta_rule_step(w, X, y, lr):
  return w - lr * squared_error_gradient(w, X, y)


def gradient_descent(w0, X, y, lr, steps):
  w = w0.copy()
  loss_history = []
  for t in range(steps):
    loss_history.append(squared_error(w, X, y))
    w = delta_rule_step(w, X, y, lr)
  return w, np.array(loss_history)
