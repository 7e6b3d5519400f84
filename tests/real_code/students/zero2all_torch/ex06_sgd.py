import torch
from torch.utils.data import DataLoader, TensorDataset

from ex05_backprop import mlp_backward


def sgd_step(params, grads, lr):
    return {k: params[k] - lr * grads[k] for k in params}


def minibatches(X, y, batch_size, rng):
    dataset = TensorDataset(torch.tensor(X), torch.tensor(y))
    train_loader = DataLoader(dataset=dataset, batch_size=batch_size, shuffle=True)
    for inputs, labels in train_loader:
        yield inputs.numpy(), labels.numpy()


def train_mlp(X, y, hidden_units=4, lr=1.0, epochs=2000, batch_size=4, seed=0):
    torch.manual_seed(seed)
    params = {"W1": torch.randn(X.shape[1], hidden_units, dtype=torch.float64).numpy(),
              "b1": torch.zeros(hidden_units, dtype=torch.float64).numpy(),
              "W2": torch.randn(hidden_units, y.shape[1], dtype=torch.float64).numpy(),
              "b2": torch.zeros(y.shape[1], dtype=torch.float64).numpy()}
    losses = []
    for epoch in range(epochs):
        total = 0.0
        for X_batch, y_batch in minibatches(X, y, batch_size, None):
            loss, grads = mlp_backward(X_batch, y_batch, params)
            params = sgd_step(params, grads, lr)
            total += loss
        losses.append(total)
    return params, losses
