"""A catalogue of typical student mistakes, made from the reference by textual mutation.

Each Mistake replaces one exact snippet of one reference module. Applying it to
a copy of solutions/ gives a "mutant" student folder: the demo class, the kit's
tests (every mistake must be caught by a visible test, and must break exactly
the functions listed in `breaks`) and the benchmark are built from these.

`breaks` names every function ("module.function", classes by their name) that
gives wrong results in the mutant, including callers in the same folder (e.g. a
wrong dense_backward also makes mlp_backward wrong). For the training functions
"wrong" means the promised behaviour fails (XOR not learnt, wrong loss history),
not merely other numbers. tests/devtools/test_mistakes.py checks every list by running
the mutant.

`loses_points` names the functions the grader takes points from. It is `breaks`
minus the callers the grader deliberately does not penalise twice: a composite
that is right given the student's own (wrong) pieces keeps its points (e.g.
delta_rule_step built on a wrong squared_error_gradient; the one rule for all of
them is grader/specs/own_pieces.py). GRADED_LOSSES below records
the outcome of that rule per mistake, as expectations; tests/judging/test_grading.py
checks them by grading the mutant.

`hint` holds the words the feedback of the mistake's own function (the first of
`breaks`) must say about it: the right hint, or the message of a behaviour check
that names the cause; tests/judging/test_grading.py checks them in each mutant's feedback.md.
"""
from dataclasses import dataclass
from pathlib import Path

from grader import SOLUTIONS_DIR, exercise_files, exercise_modules


@dataclass(frozen=True)
class Mistake:
    name: str  # folder-safe id, e.g. "sigmoid_derivative_from_z"
    module: str  # "ex03_activations"
    old: str  # exact snippet of the reference module's source; must occur exactly once
    new: str  # replacement (must stay valid Python)
    description: str  # one sentence a student would understand
    breaks: tuple  # every "module.function" that gives wrong results because of it
    graded_losses: tuple = None  # where the grader takes points, when that differs from breaks
    hint: str = ""  # words the feedback of its own function (breaks[0]) says about it: the right hint

    @property
    def loses_points(self):
        return self.breaks if self.graded_losses is None else self.graded_losses


def _m(name, module, old, new, description, *breaks, hint):
    return Mistake(name, module, old, new, description, tuple(breaks), hint=hint)


# Callers the grader does not penalise again (see loses_points), by mistake name.
GRADED_LOSSES = {
    "squared_error_missing_half": ("ex02_gradient_descent.squared_error",),
    "squared_error_mean_with_half": ("ex02_gradient_descent.squared_error",),
    "squared_error_mean": ("ex02_gradient_descent.squared_error",),
    "gradient_sign_flipped": ("ex02_gradient_descent.squared_error_gradient",),
    "gradient_factor_two": ("ex02_gradient_descent.squared_error_gradient",),
    "delta_rule_slide_sign": ("ex02_gradient_descent.delta_rule_step",),
    "mlp_forward_no_output_sigmoid": ("ex04_mlp_forward.mlp_forward", "ex05_backprop.mlp_backward"),
    # train_mlp is right given these gradients, but its biases step into shape (1, n), which the
    # contract's shapes fail.
    "dense_backward_bias_keepdims": ("ex05_backprop.dense_backward", "ex05_backprop.mlp_backward", "ex06_sgd.train_mlp"),
}


# The mistakes below are written against modules 1-7 by number; later modules need none of their own.
_NUMBERED = {int(name[2:4]): name for name in exercise_modules()}
EX1, EX2, EX3, EX4, EX5, EX6, EX7 = (_NUMBERED[n] for n in range(1, 8))

MISTAKES = (
    # --- ex01: the perceptron ---------------------------------------------------
    _m(
        "bias_column_appended",
        EX1,
        "np.hstack([np.ones((X.shape[0], 1)), X])",
        "np.hstack([X, np.ones((X.shape[0], 1))])",
        "add_bias puts the column of ones last instead of first.",
        f"{EX1}.add_bias",
        hint="the column of ones is appended at the end",
    ),
    _m(
        "predict_tie_goes_to_minus_one",
        EX1,
        "np.where(scores >= 0, 1.0, -1.0)",
        "np.where(scores > 0, 1.0, -1.0)",
        "perceptron_predict uses '> 0', so a tie w . x == 0 gives -1 instead of +1.",
        f"{EX1}.perceptron_predict",
        hint="use >= 0, not > 0",
    ),
    _m(
        "update_tie_goes_to_minus_one",
        EX1,
        "y_hat = 1.0 if w @ x >= 0 else -1.0",
        "y_hat = 1.0 if w @ x > 0 else -1.0",
        "perceptron_update thresholds with '> 0', so a tie counts as -1 (and training from zeros goes wrong).",
        f"{EX1}.perceptron_update",
        f"{EX1}.train_perceptron",
        hint="use >= 0, not > 0",
    ),
    _m(
        "update_with_raw_score",
        EX1,
        "return w + lr * (y - y_hat) * x",
        "return w + lr * (y - w @ x) * x",
        "perceptron_update uses the raw score w . x instead of the thresholded prediction y_hat.",
        f"{EX1}.perceptron_update",
        f"{EX1}.train_perceptron",
        hint="instead of the thresholded prediction",
    ),
    _m(
        "perceptron_starts_from_ones",
        EX1,
        "w = np.zeros(X.shape[1])",
        "w = np.ones(X.shape[1])",
        "train_perceptron starts from w = ones instead of zeros.",
        f"{EX1}.train_perceptron",
        hint="start from w = zeros",
    ),
    # --- ex02: squared loss and the delta rule ---------------------------------------
    _m(
        "squared_error_missing_half",
        EX2,
        "return float(0.5 * residual @ residual)",
        "return float(residual @ residual)",
        "squared_error forgets the 1/2 in front of the sum.",
        f"{EX2}.squared_error",
        f"{EX2}.gradient_descent",
        hint="the 1/2 in front of the sum is missing",
    ),
    _m(
        "squared_error_mean_with_half",
        EX2,
        "return float(0.5 * residual @ residual)",
        "return float(residual @ residual / (2 * len(residual)))",
        "squared_error divides by 2m (a mean with a half) instead of taking half the sum.",
        f"{EX2}.squared_error",
        f"{EX2}.gradient_descent",
        hint="1/(2m)",
    ),
    _m(
        "squared_error_mean",
        EX2,
        "return float(0.5 * residual @ residual)",
        "return float(residual @ residual / len(residual))",
        "squared_error takes the mean of the squared residuals instead of half their sum.",
        f"{EX2}.squared_error",
        f"{EX2}.gradient_descent",
        hint="the mean is taken instead of 1/2 * sum",
    ),
    _m(
        "gradient_sign_flipped",
        EX2,
        "return -X.T @ residual",
        "return X.T @ residual",
        "squared_error_gradient drops the minus sign of -X^T (y - X w).",
        f"{EX2}.squared_error_gradient",
        f"{EX2}.delta_rule_step",
        f"{EX2}.gradient_descent",
        hint="the sign is flipped",
    ),
    _m(
        "gradient_factor_two",
        EX2,
        "return -X.T @ residual",
        "return -2 * X.T @ residual",
        "squared_error_gradient keeps the 2 of the square although the 1/2 cancels it.",
        f"{EX2}.squared_error_gradient",
        f"{EX2}.delta_rule_step",
        f"{EX2}.gradient_descent",
        hint="a factor 2 too many",
    ),
    _m(
        "delta_rule_slide_sign",
        EX2,
        "np.asarray(w, dtype=float) - lr * squared_error_gradient(w, X, y)",
        "np.asarray(w, dtype=float) + lr * squared_error_gradient(w, X, y)",
        "delta_rule_step follows the slide's misprinted sign and steps up the gradient.",
        f"{EX2}.delta_rule_step",
        f"{EX2}.gradient_descent",
        hint="the step goes uphill",
    ),
    _m(
        "loss_recorded_after_step",
        EX2,
        "losses.append(squared_error(w, X, y))\n        w = delta_rule_step(w, X, y, lr)",
        "w = delta_rule_step(w, X, y, lr)\n        losses.append(squared_error(w, X, y))",
        "gradient_descent records the loss after each step instead of before it.",
        f"{EX2}.gradient_descent",
        hint="*before* step k",
    ),
    # --- ex03: activations ---------------------------------------------------------
    _m(
        "sigmoid_naive_overflow",
        EX3,
        "z = np.asarray(z, dtype=float)\n    e = np.exp(-np.abs(z))  # never overflows\n"
        "    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))",
        "return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))",
        "sigmoid computes 1 / (1 + exp(-z)) directly, which overflows (with a warning) for very negative z.",
        f"{EX3}.sigmoid",
        hint="exp(-z) overflows",
    ),
    _m(
        "sigmoid_derivative_from_z",
        EX3,
        "s = sigmoid(z)\n    return s * (1.0 - s)",
        "z = np.asarray(z, dtype=float)\n    return z * (1.0 - z)",
        "sigmoid_derivative computes z (1 - z) instead of sigmoid(z) (1 - sigmoid(z)).",
        f"{EX3}.sigmoid_derivative",
        hint="this computes z * (1 - z)",
    ),
    _m(
        "tanh_derivative_not_squared",
        EX3,
        "return 1.0 - np.tanh(np.asarray(z, dtype=float)) ** 2",
        "return 1.0 - np.tanh(np.asarray(z, dtype=float))",
        "tanh_derivative forgets to square tanh(z).",
        f"{EX3}.tanh_derivative",
        hint="the square is missing",
    ),
    _m(
        "relu_derivative_wrong_side",
        EX3,
        "return (np.asarray(z, dtype=float) > 0).astype(float)",
        "return (np.asarray(z, dtype=float) < 0).astype(float)",
        "relu_derivative is 1 for negative z instead of positive z.",
        f"{EX3}.relu_derivative",
        hint="the two regions are swapped",
    ),
    _m(
        "leaky_relu_fixed_slope",
        EX3,
        "return np.where(z >= 0, z, alpha * z)",
        "return np.where(z >= 0, z, 0.01 * z)",
        "leaky_relu ignores alpha and uses a slope of 0.01 (the slide's default is 0.1).",
        f"{EX3}.leaky_relu",
        hint="not a fixed 0.01",
    ),
    _m(
        "elu_missing_minus_one",
        EX3,
        "alpha * np.expm1(np.minimum(z, 0.0))",
        "alpha * np.exp(np.minimum(z, 0.0))",
        "elu computes alpha * e^z for negative z, forgetting the - 1.",
        f"{EX3}.elu",
        hint="the -1 is missing",
    ),
    _m(
        "elu_derivative_missing_alpha",
        EX3,
        "np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0.0)))",
        "np.where(z > 0, 1.0, np.exp(np.minimum(z, 0.0)))",
        "elu_derivative forgets the factor alpha for negative z.",
        f"{EX3}.elu_derivative",
        hint="the factor alpha is missing",
    ),
    _m(
        "maxout_uses_min",
        EX3,
        "return np.maximum(X @",
        "return np.minimum(X @",
        "maxout takes the minimum of the two pieces instead of the maximum.",
        f"{EX3}.maxout",
        hint="the minimum of the two linear pieces",
    ),
    _m(
        "relu_derivative_arrays_only",
        EX3,
        "return (np.asarray(z, dtype=float) > 0).astype(float)",
        "return (z > 0).astype(float)",
        "relu_derivative calls .astype on z > 0, which a Python float or a list does not have.",
        f"{EX3}.relu_derivative",
        hint="one of the input forms of z the docstring lists",
    ),
    _m(
        "leaky_relu_without_asarray",
        EX3,
        "    z = np.asarray(z, dtype=float)\n    return np.where(z >= 0, z, alpha * z)",
        "    return np.where(z >= 0, z, alpha * z)",
        "leaky_relu computes on z as given: right for numbers and arrays, a TypeError for a list.",
        f"{EX3}.leaky_relu",
        hint="it fails only when z is a list",
    ),
    # --- ex04: forward propagation --------------------------------------------------
    _m(
        "dense_forward_no_bias",
        EX4,
        "@ np.asarray(W, dtype=float) + np.asarray(b, dtype=float)",
        "@ np.asarray(W, dtype=float)",
        "dense_forward forgets to add the bias b.",
        f"{EX4}.dense_forward",
        f"{EX4}.mlp_forward",
        f"{EX5}.mlp_backward",
        f"{EX6}.train_mlp",
        hint="the bias b is not added",
    ),
    _m(
        "mlp_forward_no_output_sigmoid",
        EX4,
        "out = sigmoid(z2)",
        "out = z2",
        "mlp_forward returns the output layer's pre-activation, without the final sigmoid.",
        f"{EX4}.mlp_forward",
        f"{EX5}.mlp_backward",
        f"{EX6}.train_mlp",
        hint="the output layer's sigmoid is missing",
    ),
    _m(
        "xor_output_sign_flipped",
        EX4,
        '"W2": np.array([[-11.0], [-11.0]]),\n        "b2": np.array([6.0]),',
        '"W2": np.array([[11.0], [11.0]]),\n        "b2": np.array([-6.0]),',
        "xor_params flips the sign of the output layer, so the network computes XNOR.",
        f"{EX4}.xor_params",
        hint="> 0.5 exactly on (0, 1) and (1, 0)",
    ),
    # --- ex05: backpropagation -------------------------------------------------------
    _m(
        "multiply_backward_swapped",
        EX5,
        "return g * y, g * x",
        "return g * x, g * y",
        "multiply_backward multiplies each input's gradient by the input itself instead of the other input.",
        f"{EX5}.multiply_backward",
        f"{EX5}.scalar_loss_and_gradient",
        hint="with respect to x is y, not x",
    ),
    _m(
        "scalar_residual_reversed",
        EX5,
        "s = x * w - y",
        "s = y - x * w",
        "scalar_loss_and_gradient computes s = y - x w but chains it as if it were x w - y (sign of the gradient flips).",
        f"{EX5}.scalar_loss_and_gradient",
        hint="the sign is flipped",
    ),
    # Shape-valid only when n_in == n_out, so graders see a wrong shape. (The shape-valid
    # "(G.T @ X).T" is no mistake at all: it equals X.T @ G.)
    _m(
        "dense_backward_transposed_grad_w",
        EX5,
        "np.asarray(X, dtype=float).T @ G",
        "G.T @ np.asarray(X, dtype=float)",
        "dense_backward returns grad_W transposed, G^T X of shape (n_out, n_in) instead of X^T G.",
        f"{EX5}.dense_backward",
        f"{EX5}.mlp_backward",
        f"{EX6}.train_mlp",
        hint="not its transpose",
    ),
    _m(
        "dense_backward_bias_mean",
        EX5,
        "G.sum(axis=0)",
        "G.mean(axis=0)",
        "dense_backward averages the bias gradient over the batch instead of summing it.",
        f"{EX5}.dense_backward",
        f"{EX5}.mlp_backward",
        hint="summed over the batch, not averaged",
    ),
    _m(
        "dense_backward_bias_not_summed",
        EX5,
        "G.sum(axis=0)",
        "G",
        "dense_backward returns the bias gradient per sample, shape (m, n_out), instead of summing it to (n_out,).",
        f"{EX5}.dense_backward",
        f"{EX5}.mlp_backward",
        f"{EX6}.train_mlp",
        hint="giving shape (n_out,)",
    ),
    _m(
        "dense_backward_bias_keepdims",
        EX5,
        "G.sum(axis=0)",
        "G.sum(axis=0, keepdims=True)",
        "dense_backward sums the bias gradient with keepdims=True: the right values in shape (1, n_out) instead of (n_out,).",
        f"{EX5}.dense_backward",
        f"{EX5}.mlp_backward",
        hint="drop the extra axis of size 1",
    ),
    _m(
        "sigmoid_backward_from_z",
        EX5,
        "s = sigmoid(z)\n    return np.asarray(grad_out, dtype=float) * s * (1.0 - s)",
        "z = np.asarray(z, dtype=float)\n    return np.asarray(grad_out, dtype=float) * z * (1.0 - z)",
        "sigmoid_backward uses z (1 - z) instead of sigmoid(z) (1 - sigmoid(z)).",
        f"{EX5}.sigmoid_backward",
        f"{EX5}.mlp_backward",
        f"{EX6}.train_mlp",
        hint="this uses z * (1 - z)",
    ),
    _m(
        "mlp_backward_factor_two",
        EX5,
        'grad_z2 = sigmoid_backward(diff, cache["z2"])',
        'grad_z2 = sigmoid_backward(2 * diff, cache["z2"])',
        "mlp_backward differentiates (out - y)^2 as 2 (out - y) although the loss has a 1/2 in front.",
        f"{EX5}.mlp_backward",
        hint="a factor 2 too many",
    ),
    # --- ex06: SGD -------------------------------------------------------------------
    _m(
        "sgd_step_plus",
        EX6,
        "np.asarray(p, dtype=float) - lr * np.asarray(grads[k], dtype=float)",
        "np.asarray(p, dtype=float) + lr * np.asarray(grads[k], dtype=float)",
        "sgd_step adds lr * grads instead of subtracting it (gradient ascent).",
        f"{EX6}.sgd_step",
        f"{EX6}.train_mlp",
        hint="the step goes uphill",
    ),
    _m(
        "train_mlp_ignores_batch_size",
        EX6,
        "for X_batch, y_batch in minibatches(X, y, batch_size, rng):",
        "for X_batch, y_batch in [(X, y)]:",
        "train_mlp steps once per epoch on all samples (full-batch gradient descent), ignoring batch_size.",
        f"{EX6}.train_mlp",
        hint="batch_size is ignored",
    ),
    _m(
        "train_mlp_unseeded_init",
        EX6,
        '"W1": rng.standard_normal((X.shape[1], hidden_units)),',
        '"W1": np.random.standard_normal((X.shape[1], hidden_units)),',
        "train_mlp draws W1 from numpy's global generator instead of rng, so a seed no longer fixes the run.",
        f"{EX6}.train_mlp",
        hint="draw the initial weights from rng",
    ),
    _m(
        "minibatches_not_shuffled",
        EX6,
        "order = rng.permutation(len(X))",
        "order = np.arange(len(X))",
        "minibatches always yields the samples in their original order.",
        f"{EX6}.minibatches",
        hint="shuffle with rng",
    ),
    _m(
        "minibatches_drop_last",
        EX6,
        "for start in range(0, len(X), batch_size):",
        "for start in range(0, len(X) - batch_size + 1, batch_size):",
        "minibatches drops the last, smaller mini-batch, so some samples are never used.",
        f"{EX6}.minibatches",
        f"{EX6}.train_mlp",  # its epochs skip samples: the loss history misses their losses
        hint="every sample must appear exactly once",
    ),
    _m(
        "train_mlp_zero_init",
        EX6,
        '"W1": rng.standard_normal((X.shape[1], hidden_units)),',
        '"W1": np.zeros((X.shape[1], hidden_units)),',
        "train_mlp starts W1 at zeros, so all hidden units learn alike and XOR cannot be learnt.",
        f"{EX6}.train_mlp",
        hint="W1 stayed near zero",
    ),
    _m(
        "train_mlp_all_zero_init",
        EX6,
        '"W1": rng.standard_normal((X.shape[1], hidden_units)),\n        "b1": np.zeros(hidden_units),\n'
        '        "W2": rng.standard_normal((hidden_units, y.shape[1])),',
        '"W1": np.zeros((X.shape[1], hidden_units)),\n        "b1": np.zeros(hidden_units),\n'
        '        "W2": np.zeros((hidden_units, y.shape[1])),',
        "train_mlp starts every weight at zero, so the hidden units stay identical and XOR cannot be learnt.",
        f"{EX6}.train_mlp",
        hint="hidden units stay identical",
    ),
    _m(
        "train_mlp_tiny_init",
        EX6,
        '"W1": rng.standard_normal((X.shape[1], hidden_units)),\n        "b1": np.zeros(hidden_units),\n'
        '        "W2": rng.standard_normal((hidden_units, y.shape[1])),',
        '"W1": 0.01 * rng.standard_normal((X.shape[1], hidden_units)),\n        "b1": np.zeros(hidden_units),\n'
        '        "W2": 0.01 * rng.standard_normal((hidden_units, y.shape[1])),',
        "train_mlp draws its initial weights 100 times too small (0.01 * standard normal): the outputs stay at 0.5.",
        f"{EX6}.train_mlp",
        hint="weights that start too small",
    ),
    _m(
        "train_mlp_last_batch_loss",
        EX6,
        "epoch_loss += loss",
        "epoch_loss = loss",
        "train_mlp records only the last mini-batch's loss of each epoch instead of their sum.",
        f"{EX6}.train_mlp",
        hint="the sum of its mini-batch losses",
    ),
    # --- ex07: PyTorch ------------------------------------------------------------------
    _m(
        "autograd_returns_loss_twice",
        EX7,
        "return loss.item(), w_t.grad.item()",
        "return loss.item(), loss.item()",
        "autograd_gradient returns the loss where the gradient belongs.",
        f"{EX7}.autograd_gradient",
        hint="not the loss again",
    ),
    _m(
        "linear_model_with_bias",
        EX7,
        "self.w = nn.Parameter(torch.tensor(1.0))",
        "self.w = nn.Parameter(torch.tensor(1.0))\n        self.b = nn.Parameter(torch.tensor(0.5))",
        "LinearModel gets an extra bias parameter although the model is y_hat = x * w.",
        f"{EX7}.LinearModel",
        hint="exactly one learnable weight (no bias)",
    ),
    _m(
        "train_linear_no_zero_grad",
        EX7,
        "            optimizer.zero_grad()\n            loss.backward()\n            optimizer.step()\n    return model",
        "            loss.backward()\n            optimizer.step()\n    return model",
        "train_linear never calls optimizer.zero_grad(), so the gradients pile up from step to step.",
        f"{EX7}.train_linear",
        hint="optimizer.zero_grad()",
    ),
    _m(
        "train_linear_hardcoded_lr",
        EX7,
        "torch.optim.SGD(model.parameters(), lr=lr)",
        "torch.optim.SGD(model.parameters(), lr=1.0)",
        "train_linear ignores its lr argument and steps with lr = 1.0, so the weight blows up.",
        f"{EX7}.train_linear",
        hint="use the lr argument",
    ),
    _m(
        "xornet_no_hidden_sigmoid",
        EX7,
        "return torch.sigmoid(self.output(torch.sigmoid(self.hidden(x))))",
        "return torch.sigmoid(self.output(self.hidden(x)))",
        "XorNet leaves out the hidden layer's sigmoid, so the network is linear and cannot learn XOR.",
        f"{EX7}.XorNet",
        f"{EX7}.train_xor",
        hint="sigmoid(layer2(sigmoid(layer1(x))))",
    ),
)


MISTAKES = tuple(Mistake(m.name, m.module, m.old, m.new, m.description, m.breaks, GRADED_LOSSES.get(m.name), m.hint)
                 for m in MISTAKES)


def mutated_sources(mistake, solutions_dir=SOLUTIONS_DIR):
    """{"exNN_x.py": source} for every reference module, with `mistake` applied to its module."""
    sources = {p.name: p.read_text() for p in exercise_files(solutions_dir)}
    filename = f"{mistake.module}.py"
    if filename not in sources:
        raise ValueError(f"mistake {mistake.name!r}: no module {mistake.module} in {solutions_dir}")
    count = sources[filename].count(mistake.old)
    if count != 1:
        raise ValueError(
            f"mistake {mistake.name!r}: its snippet occurs {count} times in {mistake.module} "
            f"(it must occur exactly once): {mistake.old!r}"
        )
    sources[filename] = sources[filename].replace(mistake.old, mistake.new)
    return sources


def write_mutant(mistake, dest_dir, solutions_dir=SOLUTIONS_DIR):
    """Write the mutated modules into dest_dir (created if needed); returns dest_dir as a Path."""
    dest = Path(dest_dir)
    dest.mkdir(parents=True, exist_ok=True)
    for name, text in mutated_sources(mistake, solutions_dir).items():
        (dest / name).write_text(text)
    return dest
