"""Backpropagation with per-example deltas: nabla_w = delta . a^T."""
import numpy as np

from ex04_mlp_forward import mlp_forward, sigmoid


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


def multiply_backward(x, y, grad_out):
    return np.multiply(grad_out, y), np.multiply(grad_out, x)


def add_backward(x, y, grad_out):
    return np.multiply(grad_out, np.ones(np.shape(x))), np.multiply(grad_out, np.ones(np.shape(y)))


def square_backward(s, grad_out):
    return 2 * np.multiply(s, grad_out)


def scalar_loss_and_gradient(w, x, y):
    a = x * w
    loss = (a - y) ** 2
    delta = 2 * (a - y)
    return float(loss), float(delta * x)


def dense_backward(grad_out, X, W):
    W = np.asarray(W, dtype=float)
    nabla_w = np.zeros((W.shape[1], W.shape[0]))
    nabla_b = np.zeros((W.shape[1], 1))
    grad_X = []
    for delta, a in zip(np.asarray(grad_out, dtype=float), np.asarray(X, dtype=float)):
        delta = delta.reshape(-1, 1)
        nabla_w += np.dot(delta, a.reshape(1, -1))
        nabla_b += delta
        grad_X.append(np.dot(W, delta).ravel())
    return np.array(grad_X), nabla_w, nabla_b.ravel()


def sigmoid_backward(grad_out, z):
    return grad_out * sigmoid_prime(z)


def cost_derivative(output_activations, y):
    return output_activations - y


def mlp_backward(X, y, params):
    weights = [np.asarray(params["W1"], dtype=float).T, np.asarray(params["W2"], dtype=float).T]
    biases = [np.asarray(params["b1"], dtype=float).reshape(-1, 1), np.asarray(params["b2"], dtype=float).reshape(-1, 1)]
    nabla_b = [np.zeros_like(b) for b in biases]
    nabla_w = [np.zeros_like(w) for w in weights]
    loss = 0.0
    for x, t in zip(np.asarray(X, dtype=float), np.asarray(y, dtype=float)):
        activation = x.reshape(-1, 1)
        activations = [activation]
        zs = []
        for b, w in zip(biases, weights):
            z = np.dot(w, activation) + b
            zs.append(z)
            activation = sigmoid(z)
            activations.append(activation)
        t = t.reshape(-1, 1)
        loss += 0.5 * float(np.sum((activations[-1] - t) ** 2))
        # output layer first, then one layer back
        delta_out = cost_derivative(activations[2], t) * sigmoid_prime(zs[1])
        delta_hidden = np.dot(weights[1].T, delta_out) * sigmoid_prime(zs[0])
        for layer, delta in ((1, delta_out), (0, delta_hidden)):
            nabla_b[layer] += delta
            nabla_w[layer] += np.dot(delta, activations[layer].T)
    return loss, {"W1": nabla_w[0].T, "b1": nabla_b[0].ravel(), "W2": nabla_w[1].T, "b2": nabla_b[1].ravel()}
