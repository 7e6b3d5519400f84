import torch
import torch.nn.functional as F


def _t(z):
    return torch.tensor(z, dtype=torch.float32, requires_grad=True)


def _grad(fn, z):
    z = _t(z)
    fn(z).sum().backward()
    return z.grad.numpy()


def sigmoid(z):
    return torch.sigmoid(_t(z)).detach().numpy()


def sigmoid_derivative(z):
    return _grad(torch.sigmoid, z)


def tanh(z):
    return torch.tanh(_t(z)).detach().numpy()


def tanh_derivative(z):
    return _grad(torch.tanh, z)


def relu(z):
    return F.relu(_t(z)).detach().numpy()


def relu_derivative(z):
    return _grad(F.relu, z)


def leaky_relu(z, alpha=0.1):
    return F.leaky_relu(_t(z), negative_slope=alpha).detach().numpy()


def leaky_relu_derivative(z, alpha=0.1):
    return _grad(lambda v: F.leaky_relu(v, negative_slope=alpha), z)


def elu(z, alpha=1.0):
    return F.elu(_t(z), alpha=alpha).detach().numpy()


def elu_derivative(z, alpha=1.0):
    return _grad(lambda v: F.elu(v, alpha=alpha), z)


def maxout(X, W1, b1, W2, b2):
    X, W1, b1, W2, b2 = (torch.tensor(a) for a in (X, W1, b1, W2, b2))
    return torch.maximum(X @ W1 + b1, X @ W2 + b2).numpy()
