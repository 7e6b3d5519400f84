"""Alternative exercise 7, style 'float32': every tensor float32 (torch's default)."""
import torch
from torch import nn


def autograd_gradient(w, x, y):
    w_t = torch.tensor(float(w), dtype=torch.float32, requires_grad=True)
    loss = (torch.tensor(float(x)) * w_t - torch.tensor(float(y))) ** 2
    loss.backward()
    return float(loss.item()), float(w_t.grad.item())


class LinearModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.tensor(1.0, dtype=torch.float32))

    def forward(self, x):
        return x.to(torch.float32) * self.w


def train_linear(x, y, lr=0.01, epochs=100):
    model = LinearModel()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    xs = torch.tensor(x, dtype=torch.float32)
    ys = torch.tensor(y, dtype=torch.float32)
    for _ in range(epochs):
        for i in range(len(xs)):
            loss = (model(xs[i]) - ys[i]) ** 2
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return model


class XorNet(nn.Module):
    def __init__(self, hidden_units=4):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, hidden_units), nn.Sigmoid(), nn.Linear(hidden_units, 1), nn.Sigmoid())

    def forward(self, x):
        return self.net(x.to(torch.float32))


def train_xor(seed=0):
    torch.manual_seed(seed)
    x = torch.tensor([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=torch.float32)
    y = torch.tensor([[0], [1], [1], [0]], dtype=torch.float32)
    model = XorNet()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
    for _ in range(300):
        loss = nn.functional.binary_cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model
