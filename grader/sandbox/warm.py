"""Warm state for the runner: everything a child may need is imported (and exercised) before forking.

After the child drops to an unprivileged uid it may be unable to read the interpreter's own files
(a Python under a 0700 home), so lazy imports must already have happened here.
"""
import importlib

from grader.sandbox import isolation

# Standard-library modules students commonly import; cheap, and unreadable later for some setups.
STDLIB = (
    "math", "cmath", "random", "itertools", "functools", "collections", "collections.abc", "copy", "typing",
    "dataclasses", "statistics", "operator", "numbers", "decimal", "fractions", "bisect", "heapq", "string",
    "re", "json", "time", "enum", "abc", "contextlib", "warnings", "traceback", "inspect", "textwrap", "pprint",
    "encodings.idna", "unittest",
)
# Parts of numpy students reach for that `import numpy` does not load.
NUMPY_EXTRAS = ("numpy.testing", "numpy.linalg", "numpy.random", "numpy.fft", "numpy.polynomial")
# Students may write their own property tests; the checks used to load hypothesis, now only the judge does.
TEST_LIBRARIES = ("hypothesis", "hypothesis.strategies", "hypothesis.extra.numpy")


def warm_up():
    for name in STDLIB + NUMPY_EXTRAS + TEST_LIBRARIES:
        importlib.import_module(name)
    import numpy as np

    np.random.default_rng(0).permutation(3)
    np.einsum("ij,jk->ik", np.ones((2, 2)), np.ones((2, 2)))
    _warm_torch()
    import grader.probes  # the child's table of probes; never grader.specs (the judge's answers)

    grader.probes.probe_table()
    isolation.prepare()


def _warm_torch():
    try:
        import torch
    except ImportError:
        return
    torch.set_num_threads(1)
    from torch import nn

    model = nn.Sequential(nn.Linear(2, 2), nn.Sigmoid(), nn.Linear(2, 1), nn.Tanh(), nn.ReLU())
    x, y = torch.rand(4, 2), torch.rand(4, 1)
    for optimizer in (torch.optim.SGD(model.parameters(), lr=0.1), torch.optim.Adam(model.parameters(), lr=0.1)):
        for loss_fn in (nn.MSELoss(), nn.BCELoss(), nn.functional.mse_loss, nn.functional.binary_cross_entropy):
            loss = loss_fn(torch.sigmoid(model(x)), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    torch.tensor([1.0], requires_grad=True).sum().backward()
    torch.manual_seed(0)
    torch.from_numpy(x.detach().numpy()).float().double().numpy()
