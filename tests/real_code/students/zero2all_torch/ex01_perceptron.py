import torch


def add_bias(X):
    X = torch.tensor(X, dtype=torch.float32)
    return torch.cat([torch.ones(X.shape[0], 1), X], dim=1).numpy()


def perceptron_predict(w, X):
    scores = torch.tensor(X) @ torch.tensor(w)
    return torch.where(scores >= 0, 1.0, -1.0).numpy()


def perceptron_update(w, x, y, lr):
    w, x = torch.tensor(w), torch.tensor(x)
    y_hat = 1.0 if (w @ x).item() >= 0 else -1.0
    return (w + lr * (y - y_hat) * x).numpy()


def train_perceptron(X, y, lr=1.0, epochs=100):
    X = torch.tensor(X)
    w = torch.zeros(X.shape[1])
    for epoch in range(epochs):
        errors = 0
        for x_val, y_val in zip(X, y):
            y_hat = 1.0 if (w @ x_val).item() >= 0 else -1.0
            if y_hat != y_val:
                w = w + lr * (y_val - y_hat) * x_val
                errors += 1
        if errors == 0:
            break
    return w.numpy()
