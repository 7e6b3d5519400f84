"""The contract's hard cases: answers written the way other people write them.

Each is a text change of the reference, like a catalogued mistake (grader.devtools.mistakes.Mistake,
applied with write_mutant); `breaks` names what the contract says is wrong. The correct ones
share one folder, the wrong one has its own, so grading them costs two submissions.
"""
from grader.devtools.mistakes import Mistake, write_mutant

EX3, EX7 = "ex03_activations", "ex07_torch"

CORRECT = (
    Mistake("elu_np_where", EX3, "return np.where(z >= 0, z, alpha * np.expm1(np.minimum(z, 0.0)))",
            "return np.where(z >= 0, z, alpha * (np.exp(z) - 1))",
            "ELU with np.where: right values, but numpy warns about the overflow of the unused branch at large z.", ()),
    Mistake("linear_model_one_element_weight", EX7, "self.w = nn.Parameter(torch.tensor(1.0))",
            "self.w = nn.Parameter(torch.tensor([1.0]))",
            "LinearModel's weight as torch.tensor([1.0]), as 'PyTorch: Zero to All' writes it: shape (1,) for a 0-d x.", ()),
    Mistake("multiply_backward_numbers_and_arrays", "ex05_backprop",
            "x, y, g = (np.asarray(a, dtype=float) for a in (x, y, grad_out))\n    return g * y, g * x",
            "return grad_out * y, grad_out * x",
            "multiply_backward on its arguments as given: right for every declared form (numbers, numpy arrays), "
            "a TypeError for two lists, which are not among its forms.", ()),
    Mistake("xornet_lazy_linear", EX7,
            "self.hidden = nn.Linear(2, hidden_units)\n        self.output = nn.Linear(hidden_units, 1)",
            "self.hidden = nn.LazyLinear(hidden_units)\n        self.output = nn.LazyLinear(1)",
            "XorNet built with nn.LazyLinear: its parameters exist after the first forward pass.", ()),
)
WRONG = (
    Mistake("add_bias_arrays_only", "ex01_perceptron", "X = np.asarray(X, dtype=float)\n    return np.hstack",
            "return np.hstack",
            "add_bias reads X.shape: right for arrays, an AttributeError for a nested list, one of X's declared forms.",
            ("ex01_perceptron.add_bias",)),
    Mistake("tanh_derivative_nan_at_extremes", EX3, "return 1.0 - np.tanh(np.asarray(z, dtype=float)) ** 2",
            "z = np.asarray(z, dtype=float)\n    t = (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))\n    return 1.0 - t ** 2",
            "tanh_derivative from the exponentials: nan once e^|z| overflows (|z| >= 710), "
            "though the contract asks for finite values at every finite z.", (f"{EX3}.tanh_derivative",)),
)
WRONG_SHAPE = (
    Mistake("train_mlp_bias_row", "ex06_sgd", '"b1": np.zeros(hidden_units),', '"b1": np.zeros((1, hidden_units)),',
            "train_mlp starts b1 as a (1, n) row: the network still runs by broadcasting, but the contract fixes "
            "the shape (n,), as dense_backward's and mlp_backward's bias gradients.", ("ex06_sgd.train_mlp",)),
)
# folder name -> the variants applied together
FOLDERS = {"contract_correct": CORRECT, "contract_tanh_derivative_nan": WRONG, "contract_train_mlp_bias_row": WRONG_SHAPE}


def losses(folder):
    """The functions the contract says `folder` gets wrong."""
    return {name for variant in FOLDERS[folder] for name in variant.breaks}


def write_folder(folder, dest):
    """A copy of the reference with every variant of `folder` applied; returns dest."""
    first, *rest = FOLDERS[folder]
    write_mutant(first, dest)
    for variant in rest:
        write_mutant(variant, dest, solutions_dir=dest)
    return dest
