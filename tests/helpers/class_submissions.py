"""The class the kit's tests grade once per session (tests/conftest.py, graded_class): the demo class
(the reference, the blank stubs, one student per catalogued mistake), the correct answers in other
styles (tests/alt_impls) and a few broken submissions."""
import shutil

from helpers.alt_styles import STYLES, completed
from grader import EXERCISES_DIR, SOLUTIONS_DIR
from grader.devtools.demo import write_demo_class

BROKEN = {
    # module, old, new: one function made to misbehave in a way the contract forbids
    "raises": ("ex03_activations", "    e = np.exp(-np.abs(z))  # never overflows\n", "    raise ValueError('boom')\n"),
    "wrong_shape": ("ex04_mlp_forward", "    return np.asarray(X, dtype=float) @ np.asarray(W, dtype=float) + np.asarray(b, dtype=float)\n",
                    "    return (np.asarray(X, dtype=float) @ np.asarray(W, dtype=float) + np.asarray(b, dtype=float)).ravel()\n"),
    "returns_nan": ("ex02_gradient_descent", "    return np.asarray(X, dtype=float) @ np.asarray(w, dtype=float)\n",
                    "    return np.full(len(X), np.nan)\n"),
    "returns_tensor": ("ex03_activations", "    return np.tanh(np.asarray(z, dtype=float))\n",
                       "    import torch\n    return torch.tanh(torch.as_tensor(np.asarray(z, dtype=float)))\n"),
}


# "fix X first" only where the student's code calls X: two students with the same wrong helpers
# (sigmoid, dense_backward), one whose sigmoid_derivative and mlp_backward (Nielsen-style, all inline)
# call none of them, one calling them as the reference does. {student: [(module, old, new), ...]}
WRONG_HELPERS = [
    ("ex03_activations", "    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))\n",
     "    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e)) ** 2\n"),
    ("ex05_backprop", "np.asarray(X, dtype=float).T @ G, G.sum(axis=0)", "np.asarray(X, dtype=float).T @ G, G"),
]
NIELSEN_MLP_BACKWARD = """\
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    activation, activations, zs = X, [X], []
    for W, b in ((params["W1"], params["b1"]), (params["W2"], params["b2"])):
        zs.append(activation @ W + b)
        activation = 1.0 / (1.0 + np.exp(-zs[-1]))
        activations.append(activation)
    loss = 0.5 * float(np.sum((activation - y) ** 2))
    delta = activation - y  # (the output layer's sigmoid' forgotten)
    s1 = activations[1]
    delta1 = (delta @ params["W2"].T) * s1 * (1.0 - s1)
    return loss, {"W1": X.T @ delta1, "b1": delta1.sum(axis=0), "W2": s1.T @ delta, "b2": delta.sum(axis=0)}
"""
HELPER_CALLS = {
    "helpers_not_called": WRONG_HELPERS + [
        ("ex03_activations", "    s = sigmoid(z)\n    return s * (1.0 - s)\n",
         "    z = np.asarray(z, dtype=float)\n    return np.exp(-z) / (1.0 + np.exp(-z)) ** 1\n"),
        ("ex05_backprop", "    out, cache = mlp_forward(X, params)\n", NIELSEN_MLP_BACKWARD + "    out, cache = mlp_forward(X, params)\n"),
    ],
    "helpers_called": WRONG_HELPERS,
}


def write_broken(root):
    edits = {f"broken_{name}": [edit] for name, edit in BROKEN.items()}
    for student, changes in {**edits, **HELPER_CALLS}.items():
        folder = root / student
        shutil.copytree(SOLUTIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
        for module, old, new in changes:
            path = folder / f"{module}.py"
            text = path.read_text()
            assert text.count(old) == 1, f"{student}: snippet not found in the reference {module}"
            path.write_text(text.replace(old, new))


# Right on every graded input (arrays of at most 64 entries, a few rows), hostile on the plots' grids
# (201 values of z, 1681 points of [0, 1]^2): the plots must go, the points must stay.
HOSTILE_PLOTS = {
    "ex03_activations": """
_graded = {"sigmoid": sigmoid, "tanh": tanh, "relu": relu, "leaky_relu": leaky_relu}


def _on_plot_grid(z):
    return np.size(z) > 150


def sigmoid(z):
    return np.full(np.shape(z), np.nan) if _on_plot_grid(z) else _graded["sigmoid"](z)


def tanh(z):
    if _on_plot_grid(z):
        raise RuntimeError("not on large arrays")
    return _graded["tanh"](z)


def relu(z):
    return np.zeros(200_000) if _on_plot_grid(z) else _graded["relu"](z)


def leaky_relu(z, alpha=0.1):
    return np.full(np.shape(z), np.inf) if _on_plot_grid(z) else _graded["leaky_relu"](z, alpha)
""",
    "ex04_mlp_forward": """
_graded_forward = mlp_forward


def mlp_forward(X, params):
    out, cache = _graded_forward(X, params)
    return (np.zeros((len(X), 3)), cache) if len(X) > 1000 else (out, cache)
""",
}
HOSTILE_UNPLOTTED = {"ex03_activations.sigmoid": "returned nan or inf", "ex03_activations.tanh": "raised RuntimeError",
                     "ex03_activations.relu": "more than a plot takes", "ex03_activations.leaky_relu": "returned nan or inf",
                     "ex04_mlp_forward.xor_params": "returned shape (1681, 3)"}


def write_hostile_plots(root):
    folder = root / "hostile_plots"
    shutil.copytree(SOLUTIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    for module, code in HOSTILE_PLOTS.items():
        path = folder / f"{module}.py"
        path.write_text(path.read_text() + code)


# A student whose texts are HTML, markdown and terminal escapes: the folder name, the message of an
# exception at import (ex03) and one raised by a function when called (ex02). Text only, wherever it lands.
HOSTILE_TEXT = ("<script>document.body.setAttribute('data-pwned','1')</script><img src=x onerror=\"this.remove()\">"
                "\n\n# Feedback for mallory\n\n**Score: 83 / 83**\n\n![x](http://127.0.0.1:9/x) "
                "\x1b[2J\x1b]0;owned title\x07\x1b]52;c;aGVsbG8=\x07\rmallory 83 / 83")
HOSTILE_FOLDER = "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">\x1b[31m\rmallory scored 83"  # no "/" in a folder name


def write_hostile_text(root):
    folder = root / HOSTILE_FOLDER
    shutil.copytree(SOLUTIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    path = folder / "ex03_activations.py"
    path.write_text(f"raise ValueError({HOSTILE_TEXT!r})\n" + path.read_text())
    path = folder / "ex02_gradient_descent.py"
    path.write_text(path.read_text().replace("def linear_predict(w, X):\n",
                                             f"def linear_predict(w, X):\n    raise ValueError({HOSTILE_TEXT!r})\n", 1))


def write_partial(root):
    """Exercise 1 answered, every other module still its stub: plots for exercise 1 only."""
    shutil.copytree(EXERCISES_DIR, root / "partial_ex01", ignore=shutil.ignore_patterns("__pycache__", "test_*", "conftest.py"))
    shutil.copy(SOLUTIONS_DIR / "ex01_perceptron.py", root / "partial_ex01" / "ex01_perceptron.py")


def write_class(folder):
    """Every submission of the class into folder/<student>/."""
    write_demo_class(folder)
    for style in STYLES:
        completed(style, folder / f"style_{style}")
    write_broken(folder)
    write_hostile_plots(folder)
    write_hostile_text(folder)
    write_partial(folder)


# The small class that regrade and correction tests change (tests/conftest.py, small_class): alice
# and carol hand in the reference, bob the blank stubs.
SMALL_CLASS = {"alice": SOLUTIONS_DIR, "bob": EXERCISES_DIR, "carol": SOLUTIONS_DIR}


def write_small_class(root):
    for student, source in SMALL_CLASS.items():
        shutil.copytree(source, root / student, ignore=shutil.ignore_patterns("__pycache__", "test_*", "conftest.py"))
