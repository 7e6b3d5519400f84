# Attack (on the reference): constant pieces make the composites trivially "consistent with the
# student's own pieces": a zero gradient, so a step that returns w and a descent with a flat loss;
# an mlp_forward returning zeros, so mlp_backward = (1/2 sum y^2, zeros) is "exact" for it.
# --- ex02_gradient_descent
def squared_error_gradient(w, X, y):
    return np.zeros(np.shape(w))


def delta_rule_step(w, X, y, lr):
    return np.array(w, dtype=float)


def gradient_descent(w0, X, y, lr, steps):
    w = np.array(w0, dtype=float)
    return w, [squared_error(w, X, y)] * steps


# --- ex04_mlp_forward
def mlp_forward(X, params):
    out = np.zeros((np.shape(X)[0], np.shape(params["W2"])[1]))
    return out, {"out": out}


# --- ex05_backprop
def mlp_backward(X, y, params):
    return 0.5 * float(np.sum(np.asarray(y, dtype=float) ** 2)), {k: np.zeros(np.shape(v)) for k, v in params.items()}
