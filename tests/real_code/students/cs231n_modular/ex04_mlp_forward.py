import numpy as np


def sigmoid(z):
  return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))


def affine_forward(x, w, b):
  N = x.shape[0]
  out = x.reshape(N, -1).dot(w) + b
  cache = (x, w, b)
  return out, cache


def dense_forward(X, W, b):
  out, _ = affine_forward(X, W, b)
  return out


def mlp_forward(X, params):
  a1, fc1_cache = affine_forward(X, params['W1'], params['b1'])
  h = sigmoid(a1)
  a2, fc2_cache = affine_forward(h, params['W2'], params['b2'])
  out = sigmoid(a2)
  cache = (fc1_cache, a1, fc2_cache, a2)
  return out, cache


def xor_params():
  return {'W1': np.array([[5.0, -7.0], [5.0, -7.0]]), 'b1': np.array([-8.0, 3.0]),
          'W2': np.array([[-11.0], [-11.0]]), 'b2': np.array([6.0])}
