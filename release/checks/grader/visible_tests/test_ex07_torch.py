"""Tests for exercise 7 (PyTorch). Run: pytest exercises/test_ex07_torch.py"""
import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch import nn

XOR_X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_TRUE = [False, True, True, False]


def python_float(value, what):
    if isinstance(value, torch.Tensor):
        raise AssertionError(f"{what} must be a Python float, got the tensor {value!r} (use .item())")
    if np.ndim(value) != 0:
        raise AssertionError(f"{what} must be a single number, got {value!r}")
    return float(value)


def outputs(model, x, what):
    with torch.no_grad():
        out = model(x)
    if not isinstance(out, torch.Tensor):
        raise AssertionError(f"{what} must return a tensor, got {out!r}")
    return out.detach().double().numpy()


# --- autograd_gradient --------------------------------------------------------


def test_autograd_gradient_slide_example(ex07, check):
    result = ex07.autograd_gradient(1.0, 1.0, 2.0)
    if not (isinstance(result, tuple) and len(result) == 2):
        raise AssertionError(f"autograd_gradient(1, 1, 2) must return a pair (loss, dloss/dw), got {result!r}")
    check.close(python_float(result[0], "loss of autograd_gradient(1, 1, 2)"), 1.0, "loss of autograd_gradient(w=1, x=1, y=2)")
    check.close(python_float(result[1], "dloss/dw of autograd_gradient(1, 1, 2)"), -2.0, "dloss/dw of autograd_gradient(w=1, x=1, y=2)")


@given(w=st.floats(-5, 5), x=st.floats(-5, 5), y=st.floats(-5, 5))
def test_autograd_gradient_matches_finite_differences(w, x, y, ex07, check):
    loss, grad = ex07.autograd_gradient(w, x, y)
    what = f"autograd_gradient(w={w}, x={x}, y={y})"

    def L(v):
        return (x * v - y) ** 2

    h = 1e-3  # the loss is quadratic in w: central differences are exact up to rounding
    check.close(python_float(loss, f"loss of {what}"), L(w), f"loss of {what} = (x w - y)^2", rtol=1e-5, atol=1e-5)
    check.close(python_float(grad, f"dloss/dw of {what}"), (L(w + h) - L(w - h)) / (2 * h),
                f"dloss/dw of {what} vs central finite differences of (x w - y)^2", rtol=1e-5, atol=1e-4)


# --- LinearModel --------------------------------------------------------------


def test_LinearModel_has_one_weight_and_no_bias(ex07):
    model = ex07.LinearModel()
    if not isinstance(model, nn.Module):
        raise AssertionError(f"LinearModel() must be a torch.nn.Module, got {type(model).__name__}")
    sizes = [tuple(p.shape) for p in model.parameters()]
    if sum(p.numel() for p in model.parameters()) != 1:
        raise AssertionError(f"LinearModel must have exactly one learnable number w (an nn.Parameter, no bias), "
                             f"got parameters of shapes {sizes}")


@pytest.mark.parametrize("x", [[1.0, 2.0, 3.0], [[1.5, -2.0], [0.5, 4.0]], 4.0], ids=["vector", "matrix", "scalar"])
def test_LinearModel_forward_is_x_times_w(x, ex07, check):
    model = ex07.LinearModel()
    x = torch.tensor(x)
    out = model(x)
    what = f"LinearModel()(x) with x = {x.tolist()}"
    parameters = list(model.parameters())
    if len(parameters) != 1 or parameters[0].numel() != 1:
        raise AssertionError(f"LinearModel must hold exactly one learnable number w, got {len(parameters)} parameters")
    w = parameters[0]
    # a one-element w of shape (1,) (as "PyTorch: Zero to All" writes it) broadcasts a 0-d x to shape (1,)
    shapes = {tuple(x.shape), tuple(torch.broadcast_shapes(x.shape, w.shape))}
    if not isinstance(out, torch.Tensor) or tuple(out.shape) not in shapes:
        raise AssertionError(f"{what} must be a tensor of x's shape {tuple(x.shape)}, got {out!r}")
    check.close(out.detach().double().numpy(), np.broadcast_to(x.double().numpy() * w.item(), tuple(out.shape)),
                f"{what} = x * w with w = {w.item():g}")
    out.sum().backward()
    if w.grad is None:
        raise AssertionError(f"{what}: no gradient reached w (build the output from the nn.Parameter w, do not detach it)")
    check.close(w.grad.double().numpy().reshape(()), float(x.sum()), f"d sum(model(x)) / dw = sum(x) for x = {x.tolist()}")


# --- train_linear -------------------------------------------------------------


@pytest.mark.parametrize("slope", [2.0, 3.0])
def test_train_linear_learns_the_slope(slope, ex07, check):
    x, y = [1.0, 2.0, 3.0], [slope * 1.0, slope * 2.0, slope * 3.0]
    model = ex07.train_linear(x, y)
    what = f"train_linear(x={x}, y={y})"
    if not isinstance(model, ex07.LinearModel):
        raise AssertionError(f"{what} must return the trained LinearModel, got {model!r}")
    prediction = outputs(model, torch.tensor([4.0]), f"the model of {what}")
    check.close(prediction, [4.0 * slope], f"prediction at x = 4 of the model of {what} (the slides: about 8 for y = 2x)",
                rtol=0, atol=0.05)


# --- XorNet -------------------------------------------------------------------


@pytest.mark.parametrize("hidden_units", [4, 3])
def test_XorNet_shape_and_size(hidden_units, ex07, check):
    torch.manual_seed(0)
    model = ex07.XorNet() if hidden_units == 4 else ex07.XorNet(hidden_units=hidden_units)
    what = f"XorNet({'' if hidden_units == 4 else f'hidden_units={hidden_units}'})"
    if not isinstance(model, nn.Module):
        raise AssertionError(f"{what} must be a torch.nn.Module, got {type(model).__name__}")
    outputs(model, torch.rand(1, 2), f"{what}(x)")  # parameters are counted after a forward pass (lazy layers)
    count = sum(p.numel() for p in model.parameters())
    if count != 4 * hidden_units + 1:
        raise AssertionError(f"{what}: a 2 -> {hidden_units} -> 1 network with biases has 2*{hidden_units} + {hidden_units} "
                             f"+ {hidden_units} + 1 = {4 * hidden_units + 1} parameters, got {count} "
                             f"(shapes {[tuple(p.shape) for p in model.parameters()]})")
    for m in (4, 1):
        x = torch.rand(m, 2)
        out = check.shape(outputs(model, x, f"{what}(x)"), (m, 1), f"{what}(x) for x of shape ({m}, 2)")
        if np.any((out <= 0) | (out >= 1)):
            raise AssertionError(f"{what}(x) must be probabilities in (0, 1) (sigmoid on the output), got {check.fmt(out)}")


def test_XorNet_is_not_linear(ex07, check):
    # If there were no sigmoid between the layers, logit(out) would be an affine
    # function of x, and then logit(out) at (0,0) + (1,1) == at (0,1) + (1,0).
    gaps = []
    for seed in range(5):
        torch.manual_seed(seed)
        out = outputs(ex07.XorNet(), XOR_X, "XorNet()(x)")[:, 0]
        logit = np.log(out) - np.log1p(-out)
        gaps.append(abs(logit[0] + logit[3] - logit[1] - logit[2]))
    if max(gaps) < 1e-3:
        raise AssertionError("XorNet behaves like a linear model (logit(out) is affine in x for 5 random initialisations): "
                             "apply a sigmoid to the hidden layer, sigmoid(layer2(sigmoid(layer1(x))))")


# --- train_xor ----------------------------------------------------------------


def test_train_xor_classifies_xor(ex07, check):
    model = ex07.train_xor()
    out = check.shape(outputs(model, XOR_X, "the model of train_xor()"), (4, 1), "train_xor()(XOR inputs)")[:, 0]
    if (out > 0.5).tolist() != XOR_TRUE:
        raise AssertionError(f"the model of train_xor() must output > 0.5 exactly on (0, 1) and (1, 0)\n"
                             f"  inputs {XOR_X.tolist()}\n  outputs {check.fmt(out)}")


def test_train_xor_is_reproducible(ex07, check):
    first = outputs(ex07.train_xor(seed=1), XOR_X, "the model of train_xor(seed=1)")
    again = outputs(ex07.train_xor(seed=1), XOR_X, "the model of train_xor(seed=1)")
    check.close(again, first, "outputs of two runs of train_xor(seed=1) (call torch.manual_seed(seed) first)", rtol=0, atol=1e-6)
