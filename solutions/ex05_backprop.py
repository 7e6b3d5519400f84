"""Exercise 5 - backpropagation: the chain rule, one node at a time.

Every node of a computation graph z = f(x, y) receives the upstream gradient
dL/dz ("grad_out") and passes on dL/dx = dL/dz * dz/dx (the local gradient):

    z = x * y     dL/dx = grad_out * y,        dL/dy = grad_out * x
    z = x + y     dL/dx = grad_out,            dL/dy = grad_out
    z = s^2       dL/ds = grad_out * 2 s

The slides' worked example: y_hat = x * w, loss = (y_hat - y)^2; with w = 1,
x = 1, y = 2 the loss is 1 and dloss/dw = 2 (y_hat - y) * x = -2.

For a dense layer out = X W + b with upstream gradient G = dL/dout (m, n_out):

    dL/dX = G W^T (m, n_in)    dL/dW = X^T G (n_in, n_out)    dL/db = sum of G over rows (n_out,)

Conventions: samples are rows, W is (n_in, n_out); arrays come as float64
numpy arrays, unless a function's docstring lists other input forms (torch
tensors are never among them); return numpy float arrays (Python floats where
stated) and never modify an input.

Watch for: the bias gradient sums over the batch; dL/dW has W's shape (not its
transpose); sigmoid'(z) = sigmoid(z) (1 - sigmoid(z)), not z (1 - z).
"""
import numpy as np

from ex04_mlp_forward import mlp_forward, sigmoid


def multiply_backward(x, y, grad_out):
    """Gradients (grad_x, grad_y) of z = x * y (elementwise) given grad_out = dL/dz.

    x, y and grad_out are numbers or numpy arrays of one shape, any shape; each
    result has it (lists are not among the forms).

    Input forms of x, y and grad_out: Python float, Python int, numpy float64
    scalar, numpy float32 scalar, float64 array, float32 array, int array.
    """
    ### BEGIN SOLUTION
    x, y, g = (np.asarray(a, dtype=float) for a in (x, y, grad_out))
    return g * y, g * x
    ### END SOLUTION


def add_backward(x, y, grad_out):
    """Gradients (grad_x, grad_y) of z = x + y (elementwise, same shapes) given grad_out.

    x, y and grad_out are numbers or numpy arrays of one shape, any shape; each
    result has it (lists are not among the forms).

    Input forms of x, y and grad_out: Python float, Python int, numpy float64
    scalar, numpy float32 scalar, float64 array, float32 array, int array.
    """
    ### BEGIN SOLUTION
    g = np.asarray(grad_out, dtype=float)
    return g * np.ones_like(np.asarray(x, dtype=float)), g * np.ones_like(np.asarray(y, dtype=float))
    ### END SOLUTION


def square_backward(s, grad_out):
    """Gradient dL/ds of z = s^2 (elementwise) given grad_out = dL/dz.

    s and grad_out are numbers or numpy arrays of one shape, any shape; the
    result has it (lists are not among the forms).

    Input forms of s and grad_out: Python float, Python int, numpy float64 scalar,
    numpy float32 scalar, float64 array, float32 array, int array.
    """
    ### BEGIN SOLUTION
    return 2.0 * np.asarray(s, dtype=float) * np.asarray(grad_out, dtype=float)
    ### END SOLUTION


def scalar_loss_and_gradient(w, x, y):
    """(loss, dloss/dw) as Python floats for y_hat = x * w, loss = (y_hat - y)^2.

    Chain the three nodes above: multiply, subtract (an add of -y), square.
    The slides' case w = 1, x = 1, y = 2 gives (1.0, -2.0).

    Input forms of w, x and y: Python float, Python int, numpy float64 scalar.
    """
    ### BEGIN SOLUTION
    s = x * w - y
    loss = s * s
    grad_s = square_backward(s, 1.0)
    _, grad_w = multiply_backward(x, w, grad_s)
    return float(loss), float(grad_w)
    ### END SOLUTION


def dense_backward(grad_out, X, W):
    """Backward pass of out = X W + b.

    grad_out: (m, n_out), X: (m, n_in), W: (n_in, n_out).
    Returns (grad_X (m, n_in), grad_W (n_in, n_out), grad_b (n_out,)).
    """
    ### BEGIN SOLUTION
    G = np.asarray(grad_out, dtype=float)
    return G @ np.asarray(W, dtype=float).T, np.asarray(X, dtype=float).T @ G, G.sum(axis=0)
    ### END SOLUTION


def sigmoid_backward(grad_out, z):
    """Backward pass of a = sigmoid(z): grad_out * sigmoid'(z), elementwise.

    grad_out and z are numbers or numpy arrays of one shape, any shape; the
    result has it (lists are not among the forms).

    Input forms of grad_out and z: Python float, Python int, numpy float64 scalar,
    numpy float32 scalar, float64 array, float32 array, int array.
    """
    ### BEGIN SOLUTION
    s = sigmoid(z)
    return np.asarray(grad_out, dtype=float) * s * (1.0 - s)
    ### END SOLUTION


def mlp_backward(X, y, params):
    """Loss and gradients of the exercise-4 network.

    X: (m, n_in), y: (m, n_out) targets, params as in mlp_forward.
    loss = 1/2 * sum((out - y)^2) with out = mlp_forward(X, params)[0].
    Returns (loss, grads): loss a Python float, grads a dict with the keys of
    params ("W1", "b1", "W2", "b2"), each gradient of the same shape as its
    parameter.
    """
    ### BEGIN SOLUTION
    out, cache = mlp_forward(X, params)
    diff = out - np.asarray(y, dtype=float)
    loss = 0.5 * float(np.sum(diff * diff))
    grad_z2 = sigmoid_backward(diff, cache["z2"])
    grad_h, grad_W2, grad_b2 = dense_backward(grad_z2, cache["h"], params["W2"])
    grad_z1 = sigmoid_backward(grad_h, cache["z1"])
    _, grad_W1, grad_b1 = dense_backward(grad_z1, cache["X"], params["W1"])
    return loss, {"W1": grad_W1, "b1": grad_b1, "W2": grad_W2, "b2": grad_b2}
    ### END SOLUTION
