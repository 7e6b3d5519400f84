import torch
from torch import nn, tensor


def autograd_gradient(w, x, y):
    w = torch.tensor([w], requires_grad=True)

    # our model forward pass
    def forward(x):
        return x * w

    # Loss function
    def loss(y_pred, y_val):
        return (y_pred - y_val) ** 2

    y_pred = forward(x)  # 1) Forward pass
    l = loss(y_pred, y)  # 2) Compute loss
    l.backward()  # 3) Back propagation
    return l.item(), w.grad.item()


class LinearModel(nn.Module):
    def __init__(self):
        """
        In the constructor we instantiate nn.Linear module
        """
        super(LinearModel, self).__init__()
        self.linear = torch.nn.Linear(1, 1)  # One in and one out

    def forward(self, x):
        y_pred = self.linear(x)
        return y_pred


def train_linear(x, y, lr=0.01, epochs=100):
    x_data = tensor([[v] for v in x])
    y_data = tensor([[v] for v in y])
    model = LinearModel()
    criterion = torch.nn.MSELoss(reduction='sum')
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for epoch in range(epochs):
        # 1) Forward pass: Compute predicted y by passing x to the model
        y_pred = model(x_data)
        # 2) Compute and print loss
        loss = criterion(y_pred, y_data)
        print(f'Epoch: {epoch} | Loss: {loss.item()} ')
        # Zero gradients, perform a backward pass, and update the weights.
        optimizer.zero_grad()
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
        out1 = self.sigmoid(self.l1(x))
        y_pred = self.sigmoid(self.l2(out1))
        return y_pred


def train_xor(seed=0):
    x_data = tensor([[0., 0.], [0., 1.], [1., 0.], [1., 1.]])
    y_data = tensor([[0.], [1.], [1.], [0.]])
    model = XorNet()
    criterion = nn.BCELoss(reduction='mean')
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for epoch in range(1000):
        y_pred = model(x_data)
        loss = criterion(y_pred, y_data)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model
