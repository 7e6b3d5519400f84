# Not an attack: the control for own-piece credit. mlp_forward forgets the output sigmoid (a real
# mistake, it loses its points) and mlp_backward is the exact gradient of that forward pass: it keeps
# its points ("right given your own wrong pieces"), judged from plain outputs of mlp_forward.
# --- ex04_mlp_forward
def mlp_forward(X, params):
    z1 = dense_forward(X, params["W1"], params["b1"])
    h = sigmoid(z1)
    z2 = dense_forward(h, params["W2"], params["b2"])
    return z2, {"X": np.asarray(X, dtype=float), "z1": z1, "h": h, "z2": z2, "out": z2}


# --- ex05_backprop
def mlp_backward(X, y, params):
    out, cache = mlp_forward(X, params)
    diff = out - np.asarray(y, dtype=float)
    loss = 0.5 * float(np.sum(diff * diff))
    grad_h, grad_W2, grad_b2 = dense_backward(diff, cache["h"], params["W2"])
    grad_z1 = sigmoid_backward(grad_h, cache["z1"])
    _, grad_W1, grad_b1 = dense_backward(grad_z1, cache["X"], params["W1"])
    return loss, {"W1": grad_W1, "b1": grad_b1, "W2": grad_W2, "b2": grad_b2}
