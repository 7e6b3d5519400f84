import numpy as np


def add_bias(X):
  N = X.shape[0]
  return np.hstack([np.ones((N, 1)), X])


def perceptron_predict(w, X):
  scores = X.dot(w)
  y_pred = np.ones(X.shape[0])
  y_pred[scores < 0] = -1
  return y_pred


def perceptron_update(w, x, y, lr):
  y_hat = 1.0 if x.dot(w) >= 0 else -1.0
  return w + lr * (y - y_hat) * x


def train_perceptron(X, y, lr=1.0, epochs=100):
  num_train, dim = X.shape
  w = 0.001 * np.random.randn(dim)     # small random init, as for the linear classifiers
  for it in range(epochs * num_train):
    i = np.random.choice(num_train)    # one random training example per iteration
    w = perceptron_update(w, X[i], y[i], lr)
  return w
