"""Exercise 2 - squared loss and the delta rule (gradient descent).

A linear unit predicts y_hat = w . x = w0*x0 + w1*x1 + ... + wn*xn. Its cost is
the squared loss

    E(w) = 1/2 * sum_d (y_d - y_hat_d)^2

and its gradient, by the chain rule, is

    dE/dw_i = sum_d (y_d - y_hat_d) * (-x_i,d)      i.e.  dE/dw = -X^T (y - X w).

The delta rule takes a step against the gradient:

    w_new = w_old - lr * dE/dw = w_old + lr * X^T (y - X w).

Conventions: X is (m, n) with samples in rows, w is (n,), y is (m,), all
float64 numpy arrays (no other input forms: not lists, not torch tensors).
Return numpy float arrays (a float where stated) and never modify an input.

Slide errata (watch for them):
- For x = y = [1, 2, 3] the slides print E(0) = E(2) = 4.5, but with the 1/2 in
  front 1/2 * (1 + 4 + 9) = 7.0. (4.5 is neither 1/2*sum nor the mean.)
- One slide writes the update as  delta w_i = -lr * sum_d (y_d - y_hat_d) * x_i,
  with the opposite sign. The correct step is  delta w = -lr * dE/dw
  = +lr * sum_d (y_d - y_hat_d) * x_d.
"""
import numpy as np


def linear_predict(w, X):
    """Linear unit output X . w for every row of X: shape (m,)."""
    raise NotImplementedError("linear_predict: not implemented yet - replace this line with your code (see the docstring)")


def squared_error(w, X, y):
    """Squared loss E(w) = 1/2 * sum_d (y_d - w . x_d)^2, returned as a Python float."""
    raise NotImplementedError("squared_error: not implemented yet - replace this line with your code (see the docstring)")


def squared_error_gradient(w, X, y):
    """Gradient dE/dw = -X^T (y - X w) of squared_error, shape (n,)."""
    raise NotImplementedError("squared_error_gradient: not implemented yet - replace this line with your code (see the docstring)")


def delta_rule_step(w, X, y, lr):
    """One batch gradient-descent step: returns w - lr * dE/dw, shape (n,)."""
    raise NotImplementedError("delta_rule_step: not implemented yet - replace this line with your code (see the docstring)")


def gradient_descent(w0, X, y, lr, steps):
    """Run `steps` delta-rule steps from w0.

    Returns (w, losses): the final weights, shape (n,), and the loss history,
    where losses[k] is E(w) *before* step k, so len(losses) == steps.
    """
    raise NotImplementedError("gradient_descent: not implemented yet - replace this line with your code (see the docstring)")
