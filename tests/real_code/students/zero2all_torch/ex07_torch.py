import torch
from torch import nn, tensor


def autograd_gradient(w, x, y):
    w = torch.tensor([w], requires_grad=True)

    def forward(x):          # the model: y_hat = x * w
        return x * w

    def loss(y_pred, y_val):  # squared error of one sample
        return (y_pred - y_val) ** 2

    l = loss(forward(x), y)
    l.backward()             # fills w.grad
    return l.item(), w.grad.item()


class LinearModel(nn.Module):
    def __init__(self):
        super(LinearModel, self).__init__()
        self.linear = torch.nn.Linear(1, 1)  # one input, one output

    def forward(self, x):
        return self.linear(x)


def train_linear(x, y, lr=0.01, epochs=100):
    x_data = tensor([[v] for v in x])
    y_data = tensor([[v] for v in y])
    model = LinearModel()
    criterion = torch.nn.MSELoss(reduction='sum')
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for epoch in range(epochs):
        loss = criterion(model(x_data), y_data)   # forward, then the loss
        print('epoch', epoch, 'loss', loss.item())
        optimizer.zero_grad()                      # clear, backward, step
        loss.backward()
        optimizer.step()
    return model


class XorNet(nn.Module):
    def __init__(self, hidden_units=4):
        super(XorNet, self).__init__()
        self.l1 = nn.Linear(2, hidden_units)
        self.l2 = nn.Linear(hidden_units, 1)
        self.sigmoid = nn.Sigmoid()

    def forward(self, x):
        return self.sigmoid(self.l2(self.sigmoid(self.l1(x))))


def train_xor(seed=0):
    x_data = tensor([[0., 0.], [0., 1.], [1., 0.], [1., 1.]])
    y_data = tensor([[0.], [1.], [1.], [0.]])
    model = XorNet()
    criterion = nn.BCELoss(reduction='mean')
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for epoch in range(1000):
        loss = criterion(model(x_data), y_data)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model
