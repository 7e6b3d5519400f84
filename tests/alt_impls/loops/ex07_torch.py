"""Alternative exercise 7, style 'loops': training loops over sample indices."""
import torch
from torch import nn


def autograd_gradient(w, x, y):
    w_t = torch.tensor(float(w), dtype=torch.float64, requires_grad=True)
    s = float(x) * w_t - float(y)
    loss = s * s
    loss.backward()
    return float(loss.item()), float(w_t.grad.item())


class LinearModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.ones(()))

    def forward(self, x):
        return self.w * x


def train_linear(x, y, lr=0.01, epochs=100):
    model = LinearModel()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(epochs):
        for i in range(len(x)):
            optimizer.zero_grad()
            loss = (model(torch.tensor(float(x[i]))) - float(y[i])) ** 2
            loss.backward()
            optimizer.step()
    return model


class XorNet(nn.Module):
    def __init__(self, hidden_units=4):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(2, hidden_units), nn.Linear(hidden_units, 1)])

    def forward(self, x):
        for layer in self.layers:
            x = torch.sigmoid(layer(x))
        return x


def train_xor(seed=0):
    torch.manual_seed(seed)
    x = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
    model = XorNet()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
    for _ in range(300):
        optimizer.zero_grad()
        loss = nn.functional.binary_cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
    return model
