"""Probes for exercise 6, GD versus SGD."""
import copy

import numpy as np

from grader.probes import Call, ContractError, Probe, Returned, attempt, module_of, plot_id

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


def _procedure(impl, c):
    """train_mlp's initial weights (lr = 0: nothing moves) twice and for the next seed, its params after
    training, and the contract's steps made from those initial weights with the student's own pieces."""
    seed = c["kwargs"]["seed"]
    initial = _params_of(impl, c, lr=0.0)
    out = {"initial": initial, "again": _params_of(impl, c, lr=0.0), "next_seed": _params_of(impl, c, lr=0.0, seed=seed + 1),
           "trained": _params_of(impl, c)}
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
