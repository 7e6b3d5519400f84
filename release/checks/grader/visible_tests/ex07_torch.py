"""Exercise 7 - "PyTorch: Zero to All": data, model, forward, loss, backward, update.

PyTorch builds the computation graph while the forward pass runs and
differentiates it for you: call loss.backward() and every tensor created with
requires_grad=True (every nn.Parameter) holds dloss/dparam in .grad. An
optimizer such as torch.optim.SGD then applies w <- w - lr * w.grad.

The slides' recipe:
    1. training data   x = [1, 2, 3], y = [2, 4, 6]
    2. model           y_hat = x * w            (one weight, no bias)
    3. loss            loss = (y_hat - y)^2
    4. backward        loss.backward()
    5. update          optimizer.step(), after optimizer.zero_grad()

Conventions: models are torch.nn.Module subclasses; tensors are float32 unless
you choose otherwise; return Python floats where stated (use .item()).

Watch for: gradients accumulate until you zero them; call the model (model(x)),
not model.forward(x); seed torch (torch.manual_seed) for reproducible results.
"""
import torch
from torch import nn


def autograd_gradient(w, x, y):
    """(loss, dloss/dw) as Python floats for loss = (x * w - y)^2, via torch autograd.

    w, x, y are Python floats. The slides' case w = 1, x = 1, y = 2 gives (1.0, -2.0).
    """
    raise NotImplementedError("autograd_gradient: not implemented yet - replace this line with your code (see the docstring)")


class LinearModel(nn.Module):
    """y_hat = x * w with a single learnable weight w (an nn.Parameter) and no bias.

    forward(x) takes a float tensor of any shape and returns x * w, same shape.
    """

    def __init__(self):
        super().__init__()
        raise NotImplementedError("LinearModel.__init__: not implemented yet - replace this line with your code (see the docstring)")

    def forward(self, x):
        raise NotImplementedError("LinearModel.forward: not implemented yet - replace this line with your code (see the docstring)")


def train_linear(x, y, lr=0.01, epochs=100):
    """Train a LinearModel with torch.optim.SGD on the squared loss.

    x, y: Python lists of floats (the slides use x = [1, 2, 3], y = [2, 4, 6]);
    no other input forms.
    Returns the trained LinearModel; on the slides' data it predicts about 8
    for x = 4.
    """
    raise NotImplementedError("train_linear: not implemented yet - replace this line with your code (see the docstring)")


class XorNet(nn.Module):
    """A 2 -> hidden_units -> 1 network with sigmoid activations.

    forward(x): x is a float tensor of shape (m, 2); returns probabilities of
    shape (m, 1), sigmoid(layer2(sigmoid(layer1(x)))). Parameters are counted
    after a first forward pass, so lazy layers (nn.LazyLinear) are fine.
    """

    def __init__(self, hidden_units=4):
        super().__init__()
        raise NotImplementedError("XorNet.__init__: not implemented yet - replace this line with your code (see the docstring)")

    def forward(self, x):
        raise NotImplementedError("XorNet.forward: not implemented yet - replace this line with your code (see the docstring)")


def train_xor(seed=0):
    """Train an XorNet on the four XOR points and return it.

    Seed torch with torch.manual_seed(seed) first. The trained model's output
    is > 0.5 exactly on the inputs (0, 1) and (1, 0).
    """
    raise NotImplementedError("train_xor: not implemented yet - replace this line with your code (see the docstring)")
