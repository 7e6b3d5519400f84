"""Exercise 3 - activation functions and their derivatives.

A multi-layer perceptron without a non-linear activation is still a linear map,
so every hidden unit applies one of these (all elementwise):

    sigmoid(z)    = 1 / (1 + e^-z)          sigmoid'(z)   = sigmoid(z) * (1 - sigmoid(z))
    tanh(z)                                 tanh'(z)      = 1 - tanh(z)^2
    relu(z)       = max(0, z)               relu'(z)      = 1 if z > 0, 0 if z < 0
    leaky_relu(z) = max(alpha*z, z)         (the slide's max(0.1x, x), alpha = 0.1)
    elu(z)        = z if z >= 0 else alpha*(e^z - 1)
    maxout(x)     = max(x W1 + b1, x W2 + b2)

Conventions: every function but maxout takes z as a number or an array of any
shape (0-d included), in any of the forms listed below, and returns a float numpy
array (or a float) of z's shape; never modify the input. Torch tensors are not
among the forms: convert nothing to torch here.

Input forms of z (every function but maxout): Python float, Python int, numpy
float64 scalar, numpy float32 scalar, float64 array, float32 array, int array,
list, nested list.

Watch for:
- Finite for every finite input, however large: sigmoid(-1000) must be 0.0, not
  nan, and every derivative must stay finite at z = +-1000 too (graded).
- sigmoid must also be warning-free there: no overflow warning (e^1000 overflows;
  rewrite the formula for negative z as e^z / (1 + e^z)). For the other
  functions a numpy warning alone is not an error: np.where(z >= 0, z,
  alpha * (np.exp(z) - 1)) warns for large z but returns the right values.
- sigmoid'(z) is f(z) * (1 - f(z)) with f = sigmoid, *not* z * (1 - z).
- At a kink (z == 0 exactly) any value between the one-sided derivatives is
  accepted, e.g. relu'(0) may be 0, 1 or 0.5.
"""
import numpy as np


def sigmoid(z):
    """Logistic function 1 / (1 + exp(-z)), elementwise, overflow-free."""
    raise NotImplementedError("sigmoid: not implemented yet - replace this line with your code (see the docstring)")


def sigmoid_derivative(z):
    """d/dz sigmoid(z) = sigmoid(z) * (1 - sigmoid(z)), elementwise."""
    raise NotImplementedError("sigmoid_derivative: not implemented yet - replace this line with your code (see the docstring)")


def tanh(z):
    """Hyperbolic tangent, elementwise."""
    raise NotImplementedError("tanh: not implemented yet - replace this line with your code (see the docstring)")


def tanh_derivative(z):
    """d/dz tanh(z) = 1 - tanh(z)^2, elementwise."""
    raise NotImplementedError("tanh_derivative: not implemented yet - replace this line with your code (see the docstring)")


def relu(z):
    """Rectified linear unit max(0, z), elementwise."""
    raise NotImplementedError("relu: not implemented yet - replace this line with your code (see the docstring)")


def relu_derivative(z):
    """1 where z > 0, 0 where z < 0 (any value in [0, 1] at z == 0)."""
    raise NotImplementedError("relu_derivative: not implemented yet - replace this line with your code (see the docstring)")


def leaky_relu(z, alpha=0.1):
    """max(alpha * z, z) for 0 < alpha < 1: z where z >= 0, alpha * z elsewhere."""
    raise NotImplementedError("leaky_relu: not implemented yet - replace this line with your code (see the docstring)")


def leaky_relu_derivative(z, alpha=0.1):
    """1 where z > 0, alpha where z < 0 (any value in [alpha, 1] at z == 0)."""
    raise NotImplementedError("leaky_relu_derivative: not implemented yet - replace this line with your code (see the docstring)")


def elu(z, alpha=1.0):
    """Exponential linear unit: z where z >= 0, alpha * (exp(z) - 1) elsewhere."""
    raise NotImplementedError("elu: not implemented yet - replace this line with your code (see the docstring)")


def elu_derivative(z, alpha=1.0):
    """1 where z > 0, alpha * exp(z) where z < 0 (any value between at z == 0)."""
    raise NotImplementedError("elu_derivative: not implemented yet - replace this line with your code (see the docstring)")


def maxout(X, W1, b1, W2, b2):
    """Maxout unit: elementwise max(X W1 + b1, X W2 + b2).

    X: (m, n), W1 and W2: (n, k), b1 and b2: (k,), float64 numpy arrays (the
    input forms of z do not apply here). Returns (m, k).
    """
    raise NotImplementedError("maxout: not implemented yet - replace this line with your code (see the docstring)")
