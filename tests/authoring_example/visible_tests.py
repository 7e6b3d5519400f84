"""Tests for exercise 8 (softmax). Run: pytest exercises/test_ex08_softmax.py

softmax is compared with torch's, softmax_backward with torch autograd of your
own softmax's formula: no hidden answers.
"""
import numpy as np
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

z_arrays = arrays(np.float64, array_shapes(min_dims=1, max_dims=2, max_side=4), elements=st.floats(-20, 20))


def test_softmax_worked_example(ex08, check):
    got = ex08.softmax(np.array([0.0, np.log(3.0)]))
    check.close(got, [0.25, 0.75], "softmax([0, ln 3])")


@given(z=z_arrays)
def test_softmax_matches_torch(ex08, check, z):
    got = ex08.softmax(z)
    check.close(got, torch.softmax(torch.tensor(z), dim=-1).numpy(), f"softmax({check.fmt(z)})")


def test_softmax_is_finite_for_large_scores(ex08, check):
    got = check.quietly("softmax([1000, 0, -1000])", ex08.softmax, np.array([1000.0, 0.0, -1000.0]))
    check.close(got, [1.0, 0.0, 0.0], "softmax([1000, 0, -1000])")


@given(z=z_arrays, data=st.data())
def test_softmax_backward_matches_autograd(ex08, check, z, data):
    grad_out = data.draw(arrays(np.float64, z.shape, elements=st.floats(-3, 3)))
    got = ex08.softmax_backward(z, grad_out)
    zt = torch.tensor(z, requires_grad=True)
    (torch.softmax(zt, dim=-1) * torch.tensor(grad_out)).sum().backward()
    check.close(got, zt.grad.numpy(), f"softmax_backward({check.fmt(z)}, {check.fmt(grad_out)})")
