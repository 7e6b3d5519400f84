import numpy as np

from ex05_backprop import mlp_backward


def sgd(w, dw, config=None):
  if config is None:
    config = {}
  config.setdefault('learning_rate', 1e-2)
  w -= config['learning_rate'] * dw
  return w, config


def sgd_step(params, grads, lr):
  for p, w in params.items():
    params[p], _ = sgd(w, grads[p], {'learning_rate': lr})
  return params


def minibatches(X, y, batch_size, rng):
  num_train = X.shape[0]
  iterations_per_epoch = max(num_train // batch_size, 1)
  for it in range(iterations_per_epoch):
    batch_mask = np.random.choice(num_train, batch_size)
    yield X[batch_mask], y[batch_mask]


def train_mlp(X, y, hidden_units=4, lr=1.0, epochs=2000, batch_size=4, seed=0, weight_scale=1e-3):
  params = {}
  params['W1'] = weight_scale * np.random.randn(X.shape[1], hidden_units)
  params['b1'] = np.zeros(hidden_units)
  params['W2'] = weight_scale * np.random.randn(hidden_units, y.shape[1])
  params['b2'] = np.zeros(y.shape[1])
  loss_history = []
  for epoch in range(epochs):
    for X_batch, y_batch in minibatches(X, y, batch_size, None):
      loss, grads = mlp_backward(X_batch, y_batch, params)
      params = sgd_step(params, grads, lr)
      loss_history.append(loss)
  return params, loss_history
