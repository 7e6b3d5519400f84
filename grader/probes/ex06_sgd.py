"""Probes for exercise 6, GD versus SGD."""
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


PROBES = {
    f"{M}.sgd_step:matches_reference": Probe(lambda impl, c: _m(impl).sgd_step(c["params"], c["grads"], c["lr"])),
    f"{M}.minibatches:covers_every_sample_once": Probe(lambda impl, c: _batches(impl, c["m"], c["batch_size"], c["seed"])),
    f"{M}.minibatches:order_from_rng": Probe(_rng_probe),
    f"{M}.train_mlp:learns_xor": Probe(_train, forward_pieces),
    f"{M}.train_mlp:loss_history": Probe(_train, loss_pieces),
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
