"""Alternative exercise 7, style 'lists': Python lists for the data, tuples of floats returned."""
import torch
from torch import nn


def autograd_gradient(w, x, y):
    w_t = torch.tensor([float(w)], dtype=torch.float64, requires_grad=True)
    loss = ((torch.tensor([float(x)], dtype=torch.float64) * w_t - float(y)) ** 2).sum()
    loss.backward()
    return tuple([float(loss.item()), float(w_t.grad.tolist()[0])])


class LinearModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_parameter("w", nn.Parameter(torch.tensor([1.0]).squeeze()))

    def forward(self, x):
        return torch.mul(x, self.w)


def train_linear(x, y, lr=0.01, epochs=100):
    model = LinearModel()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    pairs = [(float(a), float(b)) for a, b in zip(list(x), list(y))]
    for _ in range(epochs):
        for x_i, y_i in pairs:
            optimizer.zero_grad()
            loss = (model(torch.tensor(x_i)) - y_i) ** 2
            loss.backward()
            optimizer.step()
    return model


class XorNet(nn.Module):
    def __init__(self, hidden_units=4):
        super().__init__()
        self.hidden = nn.Linear(2, hidden_units)
        self.output = nn.Linear(hidden_units, 1)

    def forward(self, x):
        return torch.sigmoid(self.output(torch.sigmoid(self.hidden(x))))


def train_xor(seed=0):
    torch.manual_seed(seed)
    inputs = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    targets = [[float(a != b)] for a, b in inputs]
    x, y = torch.tensor(inputs), torch.tensor(targets)
    model = XorNet()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
    for _ in range(300):
        optimizer.zero_grad()
        nn.functional.binary_cross_entropy(model(x), y).backward()
        optimizer.step()
    return model
