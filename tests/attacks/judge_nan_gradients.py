# Attack (on the blank stubs): every gradient the grader checks with finite differences is nan, of
# the right shape; the forwards stay unimplemented. A nan error is never greater than a tolerance.
# --- ex02_gradient_descent
def squared_error_gradient(w, X, y):
    return np.full(np.shape(w), np.nan)


# --- ex03_activations
def _nan_like(z):
    return np.full(np.shape(z), np.nan)


def sigmoid_derivative(z):
    return _nan_like(z)


def tanh_derivative(z):
    return _nan_like(z)


def relu_derivative(z):
    return _nan_like(z)


def leaky_relu_derivative(z, alpha=0.1):
    return _nan_like(z)


def elu_derivative(z, alpha=1.0):
    return _nan_like(z)


# --- ex05_backprop
def _nan_like(z):
    return np.full(np.shape(z), np.nan)


def multiply_backward(x, y, grad_out):
    return _nan_like(x), _nan_like(y)


def add_backward(x, y, grad_out):
    return _nan_like(x), _nan_like(y)


def square_backward(s, grad_out):
    return _nan_like(s)


def scalar_loss_and_gradient(w, x, y):
    return float("nan"), float("nan")


def dense_backward(grad_out, X, W):
    return _nan_like(X), _nan_like(W), np.full(np.shape(W)[1], np.nan)


def sigmoid_backward(grad_out, z):
    return _nan_like(z)


def mlp_backward(X, y, params):
    return float("nan"), {k: _nan_like(v) for k, v in params.items()}
