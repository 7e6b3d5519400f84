"""The class the kit's tests grade once per session (tests/conftest.py, graded_class): the demo class
(the reference, the blank stubs, one student per catalogued mistake), the correct answers in other
styles (tests/alt_impls) and a few broken submissions."""
import shutil

from alt_styles import STYLES, completed
from grader import SOLUTIONS_DIR
from grader.demo import write_demo_class

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


def write_broken(root):
    for name, (module, old, new) in BROKEN.items():
        folder = root / f"broken_{name}"
        shutil.copytree(SOLUTIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
        path = folder / f"{module}.py"
        text = path.read_text()
        assert text.count(old) == 1, f"{name}: snippet not found in the reference {module}"
        path.write_text(text.replace(old, new))


def write_class(folder):
    """Every submission of the class into folder/<student>/."""
    write_demo_class(folder)
    for style in STYLES:
        completed(style, folder / f"style_{style}")
    write_broken(folder)
