import torch


def _leaf(a):
    return torch.tensor(a, dtype=torch.float64, requires_grad=True)


def multiply_backward(x, y, grad_out):
    x, y = _leaf(x), _leaf(y)
    (x * y).backward(torch.tensor(grad_out, dtype=torch.float64))
    return x.grad.numpy(), y.grad.numpy()


def add_backward(x, y, grad_out):
    x, y = _leaf(x), _leaf(y)
    (x + y).backward(torch.tensor(grad_out, dtype=torch.float64))
    return x.grad.numpy(), y.grad.numpy()


def square_backward(s, grad_out):
    s = _leaf(s)
    (s ** 2).backward(torch.tensor(grad_out, dtype=torch.float64))
    return s.grad.numpy()


def scalar_loss_and_gradient(w, x, y):
    # compute gradient by hand: d_loss/d_w
    def forward(x):
        return x * w

    def loss(x, y):
        y_pred = forward(x)
        return (y_pred - y) * (y_pred - y)

    def gradient(x, y):
        return 2 * x * (x * w - y)

    return loss(x, y), gradient(x, y)


def dense_backward(grad_out, X, W):
    X, W = _leaf(X), _leaf(W)
    b = torch.zeros(W.shape[1], dtype=torch.float64, requires_grad=True)
    out = X @ W + b
    out.backward(torch.tensor(grad_out, dtype=torch.float64))
    return X.grad.numpy(), W.grad.numpy(), b.grad.numpy()


def sigmoid_backward(grad_out, z):
    z = _leaf(z)
    torch.sigmoid(z).backward(torch.tensor(grad_out, dtype=torch.float64))
    return z.grad.numpy()


def mlp_backward(X, y, params):
    p = {k: _leaf(v) for k, v in params.items()}
    X = torch.tensor(X, dtype=torch.float64)
    h = torch.sigmoid(X @ p["W1"] + p["b1"])
    out = torch.sigmoid(h @ p["W2"] + p["b2"])
    loss = 0.5 * ((out - torch.tensor(y, dtype=torch.float64)) ** 2).sum()
    loss.backward()
    return loss.item(), {k: v.grad.numpy() for k, v in p.items()}
