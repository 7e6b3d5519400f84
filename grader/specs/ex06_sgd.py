"""Checks for exercise 6, GD versus SGD."""
import numpy as np
from hypothesis import strategies as st

from grader import strategies as S
from grader.specs import Check, ContractError, spec
from grader.specs.ex04_mlp_forward import XOR_TRUE, XOR_X, forward
from grader.specs.judges import Verdict, WrongType, as_array, as_dict, same_dict

M = "ex06_sgd"
XOR_Y = XOR_TRUE.astype(float).reshape(-1, 1)
PARAMS = ("W1", "b1", "W2", "b2")


def _m(impl):
    return getattr(impl, M)


@st.composite
def _sgd_case(draw):
    shapes = {"W1": (draw(S.dims(1, 3)), draw(S.dims(1, 3))), "b1": (draw(S.dims(1, 3)),), "W": (2,), "bias": ()}
    keys = draw(st.sampled_from([("W1", "b1"), ("W1", "b1", "W"), ("W", "bias")]))
    return {"params": {k: draw(S.array(shapes[k])) for k in keys},
            "grads": {k: draw(S.array(shapes[k])) for k in keys},
            "lr": draw(st.sampled_from([0.01, 0.1, 0.5, 1.0]))}


@st.composite
def _batch_case(draw):
    m = draw(st.integers(1, 12))
    return {"m": m, "batch_size": draw(st.integers(1, m + 1)), "seed": draw(st.integers(0, 2**16))}


def _labelled(m):
    """Rows whose content names them: X[i] = (i, -i) + 0.5, y[i] = 10 i."""
    rows = np.arange(m, dtype=float)
    return np.stack([rows + 0.5, -rows - 0.5], axis=1), (10.0 * rows).reshape(-1, 1)


def _batches(impl, m, batch_size, seed):
    X, y = _labelled(m)
    out = []
    for pair in _m(impl).minibatches(X, y, batch_size, np.random.default_rng(seed)):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ContractError("minibatches must yield pairs (X_batch, y_batch)")
        out.append([pair[0], pair[1]])
        if len(out) > 10 * m + 10:
            raise ContractError("minibatches yields more batches than there are samples")
    return out


def _order(batches, what="minibatches"):
    """The sample ids in the order visited, checking pairing and shapes on the way."""
    order, sizes = [], []
    for X_b, y_b in batches:
        X_b, y_b = as_array(X_b, "X_batch"), as_array(y_b, "y_batch").reshape(-1)
        if X_b.ndim != 2 or X_b.shape[1] != 2 or len(y_b) != len(X_b):
            raise WrongType(f"{what}: a batch has X of shape {X_b.shape} and y of shape {y_b.shape}")
        ids = X_b[:, 0] - 0.5
        if not np.allclose(y_b, 10 * ids):
            raise WrongType(f"{what}: rows of X_batch and y_batch are no longer paired")
        order.extend(int(round(i)) for i in ids)
        sizes.append(len(X_b))
    return order, sizes


def _covers(got, expected, c):
    try:
        order, sizes = _order(got)
    except WrongType as exc:
        return Verdict(False, str(exc), "pairs", "broken pairs")
    m, b = c["m"], c["batch_size"]
    if sorted(order) != list(range(m)):
        return Verdict(False, f"every sample must appear exactly once per call (m = {m}, batch_size = {b}); visited {sorted(order)}",
                       list(range(m)), sorted(order))
    want = [b] * (m // b) + ([m % b] if m % b else [])
    if sizes != want:
        return Verdict(False, f"batches of batch_size rows, the last may be smaller: expected sizes {want}, got {sizes}", want, sizes)
    return Verdict.passed()


def _rng_probe(impl, c):
    return {"same": [_batches(impl, c["m"], c["batch_size"], 7), _batches(impl, c["m"], c["batch_size"], 7)],
            "seeds": [_batches(impl, c["m"], c["batch_size"], s) for s in range(5)]}


def _uses_rng(got, expected, c):
    try:
        first, again = (_order(b)[0] for b in got["same"])
        orders = [_order(b)[0] for b in got["seeds"]]
    except WrongType as exc:
        return Verdict(False, str(exc), "pairs", "broken pairs")
    if first != again:
        return Verdict(False, "two calls with generators of the same seed gave different orders: draw the order from rng only", first, again)
    if len({tuple(o) for o in orders}) == 1:
        return Verdict(False, f"five different rng seeds all gave the order {orders[0]}: shuffle with rng (e.g. rng.permutation)",
                       "different orders", orders[0])
    return Verdict.passed()


def _train_probe(impl, c):
    result = _m(impl).train_mlp(XOR_X, XOR_Y, **c.get("kwargs", {}))
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise ContractError("train_mlp must return a pair (params, losses)")
    probe = {"params": result[0], "losses": result[1]}
    if c.get("kwargs", {}).get("lr") == 0.0:
        # With lr = 0 the parameters never move, so every epoch's loss (the sum over its mini-batches)
        # must equal the loss on all samples at once, measured with the student's own mlp_backward.
        try:
            probe["full_loss"] = float(getattr(impl, "ex05_backprop").mlp_backward(XOR_X, XOR_Y, result[0])[0])
        except Exception:  # mlp_backward is graded on its own
            probe["full_loss"] = None
    return probe


def _learns_xor(got, expected, c):
    try:
        params = {k: as_array(v, f"params[{k!r}]") for k, v in as_dict(got["params"], PARAMS, "params").items()}
        out = forward(XOR_X, params).ravel()
    except (WrongType, ValueError) as exc:
        return Verdict(False, f"the trained params cannot run the network: {exc}", "params", got["params"])
    if np.array_equal(out > 0.5, XOR_TRUE):
        return Verdict.passed()
    return Verdict(False, "after training with the defaults the network must output > 0.5 exactly on (0, 1) and (1, 0); "
                          "outputs on (0,0), (0,1), (1,0), (1,1)", XOR_TRUE.astype(float), out,
                   "all weights start equal (e.g. zeros): hidden units stay identical; initialise W1, W2 randomly"
                   if np.allclose(out, out[0], atol=1e-3) else "")


def _loss_history(got, expected, c):
    epochs = c.get("kwargs", {}).get("epochs", 2000)
    try:
        losses = as_array(got["losses"], "losses")
    except WrongType as exc:
        return Verdict(False, str(exc), f"{epochs} losses", got["losses"])
    if losses.shape != (epochs,):
        return Verdict(False, f"losses should hold one value per epoch: shape ({epochs},), got {losses.shape}", (epochs,), losses.shape)
    if not np.all(np.isfinite(losses)) or np.any(losses < 0):
        return Verdict(False, "losses must be finite and non-negative", "finite", losses)
    if "full_loss" in got:
        full = got["full_loss"]
        if full is not None and not np.allclose(losses, full, rtol=1e-4, atol=1e-8):
            return Verdict(False, "with lr = 0 every epoch's loss must be the sum of its mini-batch losses, i.e. "
                                  "the loss over all samples", np.full(epochs, full), losses)
    elif not losses[-1] < losses[0]:
        return Verdict(False, "the loss did not decrease over training", losses[0], losses[-1])
    return Verdict.passed()


FUNCTIONS = [
    spec(f"{M}.sgd_step",
         Check(f"{M}.sgd_step", "matches_reference", lambda impl, c: _m(impl).sgd_step(c["params"], c["grads"], c["lr"]),
               same_dict("sgd_step(params, grads, lr)", lambda c: {
                   k: {"the step goes uphill: p - lr * g, not p + lr * g": c["params"][k] + c["lr"] * c["grads"][k]}
                   for k in c["params"]}),
               cases=_sgd_case())),
    spec(f"{M}.minibatches",
         Check(f"{M}.minibatches", "covers_every_sample_once", lambda impl, c: _batches(impl, c["m"], c["batch_size"], c["seed"]),
               _covers, cases=_batch_case(), examples=({"m": 5, "batch_size": 2, "seed": 0}, {"m": 1, "batch_size": 1, "seed": 0}),
               max_examples=12, uses_expected=False),
         Check(f"{M}.minibatches", "order_from_rng", _rng_probe, _uses_rng,
               examples=({"m": 8, "batch_size": 3}, {"m": 6, "batch_size": 6}), max_examples=0, uses_expected=False)),
    spec(f"{M}.train_mlp",
         Check(f"{M}.train_mlp", "learns_xor", _train_probe, _learns_xor, examples=({},), max_examples=0, uses_expected=False),
         Check(f"{M}.train_mlp", "loss_history", _train_probe, _loss_history,
               examples=({"kwargs": {"epochs": 300, "batch_size": 2, "seed": 1}},
                         {"kwargs": {"epochs": 3, "batch_size": 3, "lr": 0.0, "seed": 2}}), max_examples=0, uses_expected=False),
         depends=(f"{M}.sgd_step", f"{M}.minibatches", "ex05_backprop.mlp_backward")),
]
