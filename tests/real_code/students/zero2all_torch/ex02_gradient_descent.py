import torch


def linear_predict(w, X):
    return (torch.tensor(X) @ torch.tensor(w)).numpy()


def squared_error(w, X, y):
    y_pred = torch.tensor(X) @ torch.tensor(w)
    return ((y_pred - torch.tensor(y)) ** 2).sum().item()


def squared_error_gradient(w, X, y):
    w = torch.tensor(w, requires_grad=True)
    y_pred = torch.tensor(X) @ w
    l = ((y_pred - torch.tensor(y)) ** 2).sum()
    l.backward()
    return w.grad.numpy()


def delta_rule_step(w, X, y, lr):
    return w - lr * squared_error_gradient(w, X, y)


def gradient_descent(w0, X, y, lr, steps):
    # compute gradient per sample and update, like the manual-gradient loop
    w = torch.tensor(w0, dtype=torch.float64)
    losses = []
    for epoch in range(steps):
        losses.append(squared_error(w.numpy(), X, y) / 2)
        for x_val, y_val in zip(X, y):
            x_val = torch.tensor(x_val)
            grad = -(y_val - (x_val @ w).item()) * x_val
            w = w - lr * grad
    return w.numpy(), losses
