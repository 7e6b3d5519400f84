"""Probes for exercise 6, GD versus SGD."""
import contextlib
import copy
import types

import numpy as np

from grader.probes import Call, ContractError, Probe, Returned, attempt, module_of, plot_id
from grader.seeding import seed_generators

M = "ex06_sgd"


def _m(impl):
    return module_of(impl, M)


def labelled(m):
    """Rows whose content names them: X[i] = (i, -i) + 0.5, y[i] = 10 i."""
    rows = np.arange(m, dtype=float)
    return np.stack([rows + 0.5, -rows - 0.5], axis=1), (10.0 * rows).reshape(-1, 1)


def _batches(impl, m, batch_size, seed):
    X, y = labelled(m)
    out = []
    for pair in _m(impl).minibatches(X, y, batch_size, np.random.default_rng(seed)):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ContractError("minibatches must yield pairs (X_batch, y_batch)")
        out.append([pair[0], pair[1]])
        if len(out) > 10 * m + 10:
            raise ContractError("minibatches yields more batches than there are samples")
    return out


def _rng_probe(impl, c):
    return {"same": [_batches(impl, c["m"], c["batch_size"], 7), _batches(impl, c["m"], c["batch_size"], 7)],
            "seeds": [_batches(impl, c["m"], c["batch_size"], s) for s in range(5)]}


def _train(impl, c):
    result = _m(impl).train_mlp(c["X"], c["y"], **c.get("kwargs", {}))
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise ContractError("train_mlp must return a pair (params, losses)")
    return {"params": result[0], "losses": result[1]}


def forward_pieces(c):
    """The returned params' outputs on the training inputs, by the student's own mlp_forward."""
    return [Call("ex04_mlp_forward.mlp_forward", (c["X"], Returned("params")), take=0)]


def loss_pieces(c):
    """The loss of the returned params on all samples, by the student's own mlp_backward."""
    return [Call("ex05_backprop.mlp_backward", (c["X"], c["y"], Returned("params")), take=0)]


def _params_of(impl, c, **changes):
    return _train(impl, {"X": c["X"], "y": c["y"], "kwargs": {**c["kwargs"], **changes}})["params"]


def _own_steps(impl, c, params):
    """The contract's procedure made here from the student's own pieces: for each epoch, for each
    batch of their minibatches, one step sgd_step(params, mlp_backward(batch)[1], lr)."""
    kwargs, ex05, steps = c["kwargs"], module_of(impl, "ex05_backprop"), 0
    params = copy.deepcopy(params)
    for _ in range(kwargs["epochs"]):
        for X_b, y_b in _m(impl).minibatches(c["X"], c["y"], kwargs["batch_size"], np.random.default_rng(kwargs["seed"])):
            steps += 1
            if steps > 10 * len(c["X"]) + 10:
                raise ContractError("minibatches yields more batches than there are samples")
            params = _m(impl).sgd_step(params, ex05.mlp_backward(X_b, y_b, params)[1], kwargs["lr"])
    return params


_DEFAULT_RNG = np.random.default_rng


@contextlib.contextmanager
def _rng_stream(impl, salt, global_seed):
    """np.random.default_rng(seed) gives a stream that depends on `salt` as well as the seed (also
    where a student module bound default_rng to a name of its own), and the global generators
    (numpy's legacy one, Python's random, torch's) are seeded with `global_seed`: code whose initial
    weights come from rng = np.random.default_rng(seed) changes with the salt and with nothing else."""
    def default_rng(seed=None):
        plain_int = isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and seed >= 0
        return _DEFAULT_RNG([int(seed), salt] if plain_int else seed)
    aliases = [(module, name) for module in _student_modules(impl)
               for name, value in list(vars(module).items()) if value is _DEFAULT_RNG]
    seed_generators(global_seed)
    np.random.default_rng = default_rng
    for module, name in aliases:
        setattr(module, name, default_rng)
    try:
        yield
    finally:
        np.random.default_rng = _DEFAULT_RNG
        for module, name in aliases:
            setattr(module, name, _DEFAULT_RNG)


def _student_modules(impl):
    """The student's modules train_mlp's procedure runs through (those that imported)."""
    found = []
    for name in ("ex04_mlp_forward", "ex05_backprop", M):
        try:
            found.append(module_of(impl, name))
        except AttributeError:
            continue
    return [m for m in found if isinstance(m, types.ModuleType)]


def _procedure(impl, c):
    """train_mlp's initial weights (lr = 0: nothing moves) from rng streams and global generators
    varied one at a time (same stream, other global seeds: "again"; another stream: "other_rng"), for
    the next seed, its params after training, and the contract's steps made from those initial weights
    with the student's own pieces."""
    seed = c["kwargs"]["seed"]

    def params(salt, global_seed, **changes):
        with _rng_stream(impl, salt, global_seed):
            return _params_of(impl, c, **changes)
    initial = params(1, 11, lr=0.0)
    out = {"initial": initial, "again": params(1, 12, lr=0.0), "other_rng": params(2, 11, lr=0.0),
           "next_seed": params(1, 11, lr=0.0, seed=seed + 1), "trained": params(1, 11)}
    with _rng_stream(impl, 1, 11):
        out["own"] = attempt(lambda: _own_steps(impl, c, initial))
    return out


PROBES = {
    f"{M}.sgd_step:matches_reference": Probe(lambda impl, c: _m(impl).sgd_step(c["params"], c["grads"], c["lr"])),
    f"{M}.minibatches:covers_every_sample_once": Probe(lambda impl, c: _batches(impl, c["m"], c["batch_size"], c["seed"])),
    f"{M}.minibatches:order_from_rng": Probe(_rng_probe),
    f"{M}.train_mlp:learns_xor": Probe(_train, forward_pieces),
    f"{M}.train_mlp:loss_history": Probe(_train, loss_pieces),
    f"{M}.train_mlp:sgd_procedure": Probe(_procedure),
}


# Plot: the student's own loss histories on XOR, full batch (GD) against one sample per step (SGD).
PLOT_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
PLOT_Y = np.array([[0.0], [1.0], [1.0], [0.0]])
PLOT_EPOCHS = 150
PLOT_BATCHES = {"GD": 4, "SGD": 1}


def _plot(impl, c):
    def history(batch_size):
        return _m(impl).train_mlp(PLOT_X.copy(), PLOT_Y.copy(), epochs=PLOT_EPOCHS, batch_size=batch_size, seed=0)[1]
    return {name: attempt(lambda b=b: history(b)) for name, b in PLOT_BATCHES.items()}


PLOTS = {plot_id(M): Probe(_plot)}
