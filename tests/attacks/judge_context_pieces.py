# Attack (on the reference): the pieces are right in their own checks and wrong only when the grader
# calls them as pieces of a composite (found on the call stack), where they agree with composites
# that are wrong: right given "your own pieces", on their own checks right too.
# --- ex02_gradient_descent
import sys as _sys


def _as_piece():
    frame = _sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_name == "run_pieces":
            return True
        frame = frame.f_back
    return False


def squared_error(w, X, y):
    residual = np.asarray(y, dtype=float) - np.asarray(X, dtype=float) @ np.asarray(w, dtype=float)
    return float((3.0 if _as_piece() else 0.5) * residual @ residual)


def squared_error_gradient(w, X, y):
    gradient = -np.asarray(X, dtype=float).T @ (np.asarray(y, dtype=float) - np.asarray(X, dtype=float) @ np.asarray(w, dtype=float))
    return 3.0 * gradient if _as_piece() else gradient


def _fake_step(w, X, y, lr):
    gradient = -np.asarray(X, dtype=float).T @ (np.asarray(y, dtype=float) - np.asarray(X, dtype=float) @ np.asarray(w, dtype=float))
    return np.asarray(w, dtype=float) - lr * 3.0 * gradient


def delta_rule_step(w, X, y, lr):
    return _fake_step(w, X, y, lr)


def gradient_descent(w0, X, y, lr, steps):
    w, losses = np.array(w0, dtype=float), []
    for _ in range(steps):
        residual = np.asarray(y, dtype=float) - np.asarray(X, dtype=float) @ w
        losses.append(float(3.0 * residual @ residual))
        w = _fake_step(w, X, y, lr)
    return w, losses


# --- ex04_mlp_forward
import sys as _sys


def _as_piece():
    frame = _sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_name == "run_pieces":
            return True
        frame = frame.f_back
    return False


def _true_forward(X, params):
    z1 = dense_forward(X, params["W1"], params["b1"])
    h = sigmoid(z1)
    z2 = dense_forward(h, params["W2"], params["b2"])
    out = sigmoid(z2)
    return out, {"X": np.asarray(X, dtype=float), "z1": z1, "h": h, "z2": z2, "out": out}


def mlp_forward(X, params):
    out, cache = _true_forward(X, params)
    return (2.0 * out if _as_piece() else out), cache


# --- ex05_backprop
def mlp_backward(X, y, params):
    """The exact loss and gradient of the forward pass the pieces report (2 * out), by central differences."""
    from ex04_mlp_forward import _true_forward

    def loss(p):
        return 0.5 * float(np.sum((2.0 * _true_forward(X, p)[0] - np.asarray(y, dtype=float)) ** 2))

    params = {k: np.array(v, dtype=float) for k, v in params.items()}
    grads = {}
    for name, value in params.items():
        grad = np.zeros_like(value)
        for idx in np.ndindex(*value.shape):
            moved = {**params, name: value.copy()}
            moved[name][idx] = value[idx] + 1e-5
            plus = loss(moved)
            moved[name][idx] = value[idx] - 1e-5
            grad[idx] = (plus - loss(moved)) / 2e-5
        grads[name] = grad
    return loss(params), grads
