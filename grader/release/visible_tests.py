"""The visible test cell under each exercise: light checks students run themselves.

They repeat what the docstrings and slides promise (shapes, the slides' worked
examples), never a solution. Passing them does not guarantee the points: the
autograded cells below them run more (hidden) checks.
"""

VISIBLE = {
    # ex01_perceptron
    "add_bias": """\
Xb = add_bias(np.array([[2.0, 3.0], [4.0, 5.0]]))
assert Xb.shape == (2, 3), Xb.shape
assert np.allclose(Xb[:, 0], 1.0), "column 0 must be the bias input x0 = 1"
""",
    "perceptron_predict": """\
out = perceptron_predict(np.array([-1.5, 1.0, 1.0]), np.array([[1.0, 0.0, 0.0], [1.0, 1.0, 1.0]]))
assert out.shape == (2,), out.shape
assert set(np.unique(out)) <= {-1.0, 1.0}, "outputs are +1.0 or -1.0"
""",
    "perceptron_update": """\
w = np.array([0.0, 0.0])
assert perceptron_update(w, np.array([1.0, 1.0]), 1.0, 1.0).shape == (2,)
assert np.array_equal(w, [0.0, 0.0]), "w itself must not change"
""",
    "train_perceptron": """\
X = add_bias(np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]))
w = train_perceptron(X, np.array([-1.0, -1.0, -1.0, 1.0]))  # AND
assert w.shape == (3,), w.shape
print("AND weights:", w, "predictions:", perceptron_predict(w, X))
""",
    # ex02_gradient_descent
    "linear_predict": """\
assert np.allclose(linear_predict(np.array([2.0]), np.array([[1.0], [2.0], [3.0]])), [2.0, 4.0, 6.0])
""",
    "squared_error": """\
X, y = np.array([[1.0], [2.0], [3.0]]), np.array([1.0, 2.0, 3.0])
assert squared_error(np.array([1.0]), X, y) == 0.0
print("E(0) =", squared_error(np.array([0.0]), X, y), " E(2) =", squared_error(np.array([2.0]), X, y),
      " (the slides say 4.5: see the errata above)")
""",
    "squared_error_gradient": """\
X, y = np.array([[1.0], [2.0], [3.0]]), np.array([1.0, 2.0, 3.0])
assert np.allclose(squared_error_gradient(np.array([1.0]), X, y), [0.0]), "the minimum has zero gradient"
assert squared_error_gradient(np.array([0.0]), X, y)[0] < 0, "below the minimum E decreases as w grows"
""",
    "delta_rule_step": """\
X, y = np.array([[1.0], [2.0], [3.0]]), np.array([1.0, 2.0, 3.0])
assert delta_rule_step(np.array([0.0]), X, y, 0.01)[0] > 0, "a step from w = 0 moves towards w = 1"
""",
    "gradient_descent": """\
X, y = np.array([[1.0], [2.0], [3.0]]), np.array([1.0, 2.0, 3.0])
w, losses = gradient_descent(np.array([0.0]), X, y, 0.05, 50)
assert len(losses) == 50 and losses[-1] < losses[0]
print("w after 50 steps:", w)
""",
    # ex03_activations
    "sigmoid": """\
assert np.isclose(sigmoid(0.0), 0.5)
assert sigmoid(np.zeros((2, 3))).shape == (2, 3)
print("sigmoid([-1000, 0, 1000]) =", sigmoid(np.array([-1000.0, 0.0, 1000.0])))
""",
    "sigmoid_derivative": """\
assert np.isclose(sigmoid_derivative(0.0), 0.25)
""",
    "tanh": """\
assert np.isclose(tanh(0.0), 0.0) and tanh(np.ones(4)).shape == (4,)
""",
    "tanh_derivative": """\
assert np.isclose(tanh_derivative(0.0), 1.0)
""",
    "relu": """\
assert np.allclose(relu(np.array([-2.0, 3.0])), [0.0, 3.0])
""",
    "relu_derivative": """\
assert np.allclose(relu_derivative(np.array([-2.0, 3.0])), [0.0, 1.0])
""",
    "leaky_relu": """\
assert np.allclose(leaky_relu(np.array([-2.0, 3.0])), [-0.2, 3.0])
""",
    "leaky_relu_derivative": """\
assert np.allclose(leaky_relu_derivative(np.array([-2.0, 3.0])), [0.1, 1.0])
""",
    "elu": """\
assert np.allclose(elu(np.array([0.0, 3.0])), [0.0, 3.0])
assert -1.0 < elu(-2.0) < 0.0
""",
    "elu_derivative": """\
assert np.allclose(elu_derivative(np.array([3.0])), [1.0])
assert 0.0 < elu_derivative(-2.0) < 1.0
""",
    "maxout": """\
out = maxout(np.ones((4, 3)), np.zeros((3, 2)), np.zeros(2), np.ones((3, 2)), np.zeros(2))
assert out.shape == (4, 2) and np.allclose(out, 3.0)
""",
    # ex04_mlp_forward
    "dense_forward": """\
out = dense_forward(np.ones((5, 3)), np.ones((3, 2)), np.array([0.5, -0.5]))
assert out.shape == (5, 2) and np.allclose(out, [[3.5, 2.5]] * 5)
""",
    "mlp_forward": """\
params = {"W1": np.zeros((2, 3)), "b1": np.zeros(3), "W2": np.zeros((3, 1)), "b2": np.zeros(1)}
out, cache = mlp_forward(np.ones((4, 2)), params)
assert out.shape == (4, 1) and np.allclose(out, 0.5)
""",
    "xor_params": """\
X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
out, _ = mlp_forward(X, xor_params())
print("network outputs:", out.ravel(), "-> XOR:", (out.ravel() > 0.5).astype(int), "(want [0 1 1 0])")
""",
    # ex05_backprop
    "multiply_backward": """\
grad_x, grad_y = multiply_backward(2.0, 3.0, 5.0)  # the slides' node z = x * y = 6 with dL/dz = 5
assert np.isclose(grad_x, 15.0) and np.isclose(grad_y, 10.0)
""",
    "add_backward": """\
grad_x, grad_y = add_backward(np.ones(3), np.ones(3), np.array([1.0, 2.0, 3.0]))
assert grad_x.shape == (3,) and grad_y.shape == (3,)
""",
    "square_backward": """\
assert np.isclose(square_backward(-1.0, 1.0), -2.0)  # the slides: d(s^2)/ds = 2s = -2
""",
    "scalar_loss_and_gradient": """\
assert scalar_loss_and_gradient(1.0, 1.0, 2.0) == (1.0, -2.0)  # the slides' worked example
""",
    "dense_backward": """\
grad_X, grad_W, grad_b = dense_backward(np.ones((5, 2)), np.ones((5, 3)), np.ones((3, 2)))
assert grad_X.shape == (5, 3) and grad_W.shape == (3, 2) and grad_b.shape == (2,)
""",
    "sigmoid_backward": """\
assert np.isclose(sigmoid_backward(1.0, 0.0), 0.25)
""",
    "mlp_backward": """\
params = {"W1": np.full((2, 3), 0.1), "b1": np.zeros(3), "W2": np.full((3, 1), 0.1), "b2": np.zeros(1)}
loss, grads = mlp_backward(np.ones((4, 2)), np.ones((4, 1)), params)
assert isinstance(loss, float)
assert all(grads[key].shape == params[key].shape for key in params)
""",
    # ex06_sgd
    "sgd_step": """\
params = {"w": np.array([1.0, 2.0])}
new = sgd_step(params, {"w": np.array([1.0, 1.0])}, 0.5)
assert np.allclose(new["w"], [0.5, 1.5]) and np.allclose(params["w"], [1.0, 2.0])
""",
    "minibatches": """\
batches = list(minibatches(np.zeros((10, 2)), np.zeros((10, 1)), 4, np.random.default_rng(0)))
assert [len(xb) for xb, yb in batches] == [4, 4, 2]
""",
    "train_mlp": """\
X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
params, losses = train_mlp(X, np.array([[0.0], [1.0], [1.0], [0.0]]), epochs=200)
assert len(losses) == 200
print("loss: first epoch", losses[0], "last epoch", losses[-1])
""",
    # ex07_torch
    "autograd_gradient": """\
assert autograd_gradient(1.0, 1.0, 2.0) == (1.0, -2.0)  # the slides' worked example
""",
    "LinearModel": """\
linear = LinearModel()
assert len(list(linear.parameters())) == 1
print("y_hat for x = [1, 2, 3]:", linear(torch.tensor([1.0, 2.0, 3.0])))
""",
    "train_linear": """\
model = train_linear([1.0, 2.0, 3.0], [2.0, 4.0, 6.0])
print("prediction for x = 4:", model(torch.tensor([4.0])).item(), "(about 8)")
""",
    "XorNet": """\
assert tuple(XorNet()(torch.zeros(3, 2)).shape) == (3, 1)
""",
    "train_xor": """\
model = train_xor()
print("XOR outputs:", model(torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])).detach().ravel())
""",
}
