import numpy as np

from ex04_mlp_forward import mlp_forward, sigmoid


def multiply_backward(x, y, grad_out):
  dx = grad_out * y
  dy = grad_out * x
  return dx, dy


def add_backward(x, y, grad_out):
  return grad_out * np.ones_like(x), grad_out * np.ones_like(y)


def square_backward(s, grad_out):
  return 2 * s * grad_out


def scalar_loss_and_gradient(w, x, y):
  s = x * w - y
  loss = s ** 2
  ds = square_backward(s, 1.0)
  _, dw = multiply_backward(x, w, ds)
  return float(loss), float(dw)


def affine_backward(dout, cache):
  x, w, b = cache
  N = x.shape[0]
  db = np.sum(dout, axis=0)
  dw = x.reshape(N, -1).T.dot(dout)
  dx = dout.dot(w.T).reshape(x.shape)
  return dx, dw, db


def dense_backward(grad_out, X, W):
  return affine_backward(grad_out, (X, W, None))


def sigmoid_backward(grad_out, z):
  s = sigmoid(z)
  return grad_out * s * (1 - s)


def mlp_backward(X, y, params):
  N = X.shape[0]
  out, (fc1_cache, a1, fc2_cache, a2) = mlp_forward(X, params)
  loss = 0.5 * np.sum((out - y) ** 2) / N
  dout = (out - y) / N
  da2 = sigmoid_backward(dout, a2)
  dh, dW2, db2 = affine_backward(da2, fc2_cache)
  da1 = sigmoid_backward(dh, a1)
  _, dW1, db1 = affine_backward(da1, fc1_cache)
  grads = {'W1': dW1, 'b1': db1, 'W2': dW2, 'b2': db2}
  return loss, grads
