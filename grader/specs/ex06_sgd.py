"""Checks for exercise 6, GD versus SGD (judge side; the probes are in grader.probes)."""
import numpy as np
from hypothesis import strategies as st

from grader.toolkit import strategies as S
from grader.probes import ex06_sgd as P
from grader.specs import Check, spec
from grader.toolkit.compare import Shown
from grader.specs.ex04_mlp_forward import XOR_TRUE, XOR_X, forward
from grader.specs.judges import Verdict, WrongType, as_array, as_dict, finite_array, same_dict
from grader.specs.own_pieces import own_piece_credit

M = "ex06_sgd"
XOR_Y = XOR_TRUE.astype(float).reshape(-1, 1)
PARAMS = ("W1", "b1", "W2", "b2")
# Data sets for train_mlp: XOR with the defaults (the contract), and XNOR on the corners of [-1, 1]^2
# from other seeds, which fixed parameters cannot also fit.
XOR = {"X": XOR_X, "y": XOR_Y}
XNOR_PM1 = {"X": 2 * XOR_X - 1, "y": 1 - XOR_Y}


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


def _shapes(c):
    """The shapes the contract fixes for the trained params (the same as mlp_backward's gradients)."""
    n_in, n_out, hidden = np.shape(c["X"])[1], np.shape(c["y"])[1], c.get("kwargs", {}).get("hidden_units", 4)
    return {"W1": (n_in, hidden), "b1": (hidden,), "W2": (hidden, n_out), "b2": (n_out,)}


def _params(got, c):
    """The returned params as float arrays of the contract's shapes; WrongType or ValueError when not."""
    params = {k: finite_array(v, f"params[{k!r}]") for k, v in as_dict(got["params"], PARAMS, "params").items()}
    for key, shape in _shapes(c).items():
        if params[key].shape != shape:
            raise WrongType(f"params[{key!r}] has shape {params[key].shape}, expected {shape}")
    return params


def _fits(params, c):
    out = forward(c["X"], params)
    if out.shape != np.shape(c["y"]):
        raise ValueError(f"the network's output has shape {out.shape}, expected {np.shape(c['y'])}")
    return out


def _classifies(out, c, params=None):
    """Verdict on the network's outputs on the training inputs: > 0.5 exactly where y is 1; with the
    trained params, a hint where they show why (_start_hint)."""
    out = np.asarray(out, dtype=float).ravel()
    want = np.ravel(c["y"]) > 0.5
    if np.array_equal(out > 0.5, want):
        return Verdict.passed()
    return Verdict(False, f"after training on X = {np.asarray(c['X']).tolist()} with {c.get('kwargs') or 'the defaults'} the "
                          "network's outputs must be > 0.5 exactly where y is 1", want.astype(float), out,
                   _start_hint(params) if params is not None else "")


TINY = 0.05  # trained weights all below this in size never left their start: the outputs stay near 0.5


def _start_hint(params):
    """A hint only where the trained params show the cause (equal-looking failures have others:
    gradient ascent saturates the outputs with large weights, and gets none):
      - the hidden units are identical (W1's columns, b1's entries, W2's rows): they started equal;
      - W1 stayed near zero while W2 did not: W1 started at zero (its units learn alike);
      - every weight stayed tiny: the weights started too small to learn."""
    W1, b1, W2 = params["W1"], params["b1"], params["W2"]
    if W1.ndim != 2 or W2.ndim != 2 or W1.shape[1] < 2 or W1.shape[1] != W2.shape[0]:
        return ""
    same = (np.allclose(W1, W1[:, :1], rtol=1e-6, atol=1e-9) and np.allclose(b1, np.ravel(b1)[0], rtol=1e-6, atol=1e-9)
            and np.allclose(W2, W2[:1], rtol=1e-6, atol=1e-9))
    if same:
        return ("all weights start equal (e.g. zeros): the hidden units stay identical, so the network learns one "
                "feature; initialise W1 and W2 randomly, with rng.standard_normal")
    top1, top2 = float(np.max(np.abs(W1))), float(np.max(np.abs(W2)))
    if top1 < TINY <= top2:
        return ("W1 stayed near zero: it starts at zeros (or equal), so its hidden units learn alike; initialise W1 randomly, "
                "with rng.standard_normal")
    if top1 < TINY and top2 < TINY:
        return ("every weight stayed tiny and the outputs near 0.5: weights that start too small (e.g. 0.01 * "
                "standard_normal) give vanishing gradients; draw W1 and W2 from rng.standard_normal, not scaled down")
    return ""


def _learns_judge(got, expected, c):
    try:
        out = _fits(_params(got["value"], c), c)
    except (WrongType, ValueError) as exc:
        return Verdict(False, f"the trained params cannot run the network: {exc}", "params", got["value"]["params"])
    return _classifies(out, c, _params(got["value"], c))


# Judged with the true network; a network that classifies through the student's own mlp_forward
# keeps its points when that forward lost points itself.
_learns_xor = own_piece_credit(
    _learns_judge, P.forward_pieces, implied=lambda own, c: own[0], agree=lambda value, out, c: _classifies(out, c).ok,
    true_pieces=lambda own, got, c: [_fits(_params(got["value"], c), c)])


def _full_loss(value, c):
    """The loss of the returned params on all samples, measured here with the true network."""
    return 0.5 * float(np.sum((_fits(_params(value, c), c) - c["y"]) ** 2))


def _history(value, full, c):
    """One finite loss per epoch; with lr = 0 each is `full`, the loss of the (unchanged) returned
    params on all samples; else the loss decreases and ends near `full`."""
    kwargs = c.get("kwargs", {})
    epochs = kwargs.get("epochs", 2000)
    try:
        losses = as_array(value["losses"], "losses")
    except WrongType as exc:
        return Verdict(False, str(exc), f"{epochs} losses", value["losses"])
    if losses.shape != (epochs,):
        return Verdict(False, f"losses should hold one value per epoch: shape ({epochs},), got {losses.shape}", (epochs,), losses.shape)
    if not (np.all(np.isfinite(losses)) and np.all(losses >= 0)):
        return Verdict(False, "losses must be finite and non-negative", "finite", losses)
    if kwargs.get("lr") == 0.0:
        if not np.allclose(losses, full, rtol=1e-4, atol=1e-8):
            return Verdict(False, "with lr = 0 every epoch's loss must be the sum of its mini-batch losses, i.e. "
                                  "the loss of the returned params over all samples", np.full(epochs, full), losses)
        return Verdict.passed()
    if not losses[-1] < losses[0]:
        return Verdict(False, "the loss did not decrease over training", losses[0], losses[-1])
    if not abs(losses[-1] - full) <= 0.25 * max(losses[-1], full) + 0.01:
        return Verdict(False, "the last epoch's loss should be close to the loss of the returned params on all samples",
                       full, losses[-1])
    return Verdict.passed()


def _history_judge(got, expected, c):
    try:
        full = _full_loss(got["value"], c)
    except (WrongType, ValueError) as exc:
        return Verdict(False, f"the trained params cannot run the network: {exc}", "params", got["value"]["params"])
    return _history(got["value"], full, c)


# Losses measured with the student's own mlp_backward (on the params train_mlp returned) keep their
# point when that piece lost points itself.
_loss_history = own_piece_credit(
    _history_judge, P.loss_pieces, implied=lambda own, c: float(own[0]), agree=lambda value, full, c: _history(value, full, c).ok,
    true_pieces=lambda own, got, c: [_full_loss(got["value"], c)])


def _batches_args(c):
    """minibatches' arguments as the probe makes them: m labelled rows, a seeded generator."""
    shown = {"X": Shown(f"{c['m']} rows [[0.5, -0.5], [1.5, -1.5], ...]"), "y": Shown(f"{c['m']} rows [[0.], [10.], ...]"),
             "batch_size": c["batch_size"]}
    return {**shown, "rng": Shown(f"np.random.default_rng({c['seed']})" if "seed" in c else "generators of several seeds")}


def _train_args(c):
    return {"X": c["X"], "y": c["y"], **c.get("kwargs", {})}


# sgd_procedure: identical rows, so the batches' order cannot matter, only their sizes.
def _identical_rows(m, n_out, **kwargs):
    return {"X": np.tile([[0.5, -1.0]], (m, 1)), "y": np.full((m, n_out), 0.9), "kwargs": kwargs}


PROCEDURE_CASES = (_identical_rows(5, 1, hidden_units=3, lr=0.5, epochs=1, batch_size=2, seed=4),
                   _identical_rows(3, 2, hidden_units=2, lr=1.0, epochs=2, batch_size=1, seed=7))


def _sig(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _gradients(X, y, p):
    """Gradients of 1/2 * sum((out - y)^2) for the exercise-4 network (mlp_backward's contract)."""
    h = _sig(X @ p["W1"] + p["b1"])
    out = _sig(h @ p["W2"] + p["b2"])
    d2 = (out - y) * out * (1 - out)
    d1 = (d2 @ p["W2"].T) * h * (1 - h)
    return {"W1": X.T @ d1, "b1": d1.sum(axis=0), "W2": h.T @ d2, "b2": d2.sum(axis=0)}


def _batch_sizes(m, b):
    return [b] * (m // b) + ([m % b] if m % b else [])


def _sgd_steps(params, c, sizes=None, scale=lambda size: 1.0):
    """Plain SGD from `params`: one step per batch (of `sizes` rows, by default the contract's), per epoch."""
    kwargs, X, y = c["kwargs"], np.asarray(c["X"]), np.asarray(c["y"])
    sizes = sizes or _batch_sizes(len(X), kwargs["batch_size"])
    for _ in range(kwargs["epochs"]):
        for size in sizes:
            grads = _gradients(X[:size], y[:size], params)
            params = {k: params[k] - kwargs["lr"] * scale(size) * grads[k] for k in PARAMS}
    return params


def _same_steps(got, want, start):
    """The displacement from `start` is the same (relative 1e-3: float32 code passes, another procedure not)."""
    moved = np.concatenate([(want[k] - start[k]).ravel() for k in PARAMS])
    error = np.concatenate([(got[k] - want[k]).ravel() for k in PARAMS])
    return bool(np.max(np.abs(error)) <= 1e-3 * max(float(np.max(np.abs(moved))), 1e-6))


def _procedure_hint(trained, initial, c):
    m = len(c["X"])
    if _same_steps(trained, _sgd_steps(initial, c, sizes=[m]), initial):
        return "one step per epoch on all samples: batch_size is ignored; step once per mini-batch from minibatches(...)"
    if _same_steps(trained, _sgd_steps(initial, c, scale=lambda size: 1.0 / size), initial):
        return "each step divides the gradient by the batch size: mlp_backward's gradient is already the step's"
    return ""


def _procedure_judge(got, expected, c):
    kwargs = c["kwargs"]
    try:
        initial, again, other_rng, next_seed, trained = (
            _params({"params": got[k]}, c) for k in ("initial", "again", "other_rng", "next_seed", "trained"))
    except (WrongType, ValueError) as exc:
        return Verdict(False, f"train_mlp's params: {exc}", "params of the contract's shapes", "other params")
    if not all(np.array_equal(initial[k], again[k]) for k in PARAMS):
        return Verdict(False, f"two runs of train_mlp with seed = {kwargs['seed']} started from different weights: draw the "
                              "initial weights from rng = np.random.default_rng(seed), not from np.random, random or torch",
                       initial["W1"], again["W1"])
    fixed = [k for k in ("W1", "W2") if np.array_equal(initial[k], other_rng[k])]
    if fixed:
        return Verdict(False, f"with seed = {kwargs['seed']}, train_mlp started from the same {' and '.join(fixed)} when "
                              "np.random.default_rng(seed) gave other numbers: they do not come from rng = "
                              "np.random.default_rng(seed) (but from random, np.random or torch, seeded with the seed, "
                              "or a constant): draw them from rng", "weights that change with rng", initial[fixed[0]])
    if np.array_equal(initial["W1"], next_seed["W1"]) and np.array_equal(initial["W2"], next_seed["W2"]):
        return Verdict(False, f"seeds {kwargs['seed']} and {kwargs['seed'] + 1} gave the same initial weights: draw them from "
                              "rng = np.random.default_rng(seed)", "different weights", initial["W1"])
    want = _sgd_steps(initial, c)
    if _same_steps(trained, want, initial):
        return Verdict.passed()
    own = got["own"].get("ok") if isinstance(got["own"], dict) else None
    try:  # the same steps made with the student's own minibatches, mlp_backward and sgd_step: the procedure holds
        mine = _params({"params": own}, c) if own is not None else None
        if mine is not None and not _same_steps(mine, initial, initial) and _same_steps(trained, mine, initial):
            return Verdict.passed()
    except (WrongType, ValueError):
        pass
    sizes = _batch_sizes(len(c["X"]), kwargs["batch_size"])
    return Verdict(False, f"from its own initial weights, train_mlp (m = {len(c['X'])}, batch_size = {kwargs['batch_size']}, "
                          f"epochs = {kwargs['epochs']}, lr = {kwargs['lr']}) should make one plain SGD step "
                          f"params - lr * grads per mini-batch ({len(sizes)} per epoch, of {sizes} rows), with no momentum",
                   want["W2"], trained["W2"], _procedure_hint(trained, initial, c))


FUNCTIONS = [
    spec(f"{M}.sgd_step",
         Check(f"{M}.sgd_step", "matches_reference",
               same_dict("sgd_step(params, grads, lr)", lambda c: {
                   k: {"the step goes uphill: p - lr * g, not p + lr * g": c["params"][k] + c["lr"] * c["grads"][k]}
                   for k in c["params"]}),
               cases=_sgd_case())),
    spec(f"{M}.minibatches",
         Check(f"{M}.minibatches", "covers_every_sample_once", _covers,
               describe="each epoch's mini-batches must cover every sample exactly once", cases=_batch_case(),
               examples=({"m": 5, "batch_size": 2, "seed": 0}, {"m": 1, "batch_size": 1, "seed": 0}),
               max_examples=12, uses_expected=False, shown=_batches_args),
         Check(f"{M}.minibatches", "order_from_rng", _uses_rng,
               describe="the shuffling must come from the generator you are given",
               examples=({"m": 8, "batch_size": 3}, {"m": 6, "batch_size": 6}), max_examples=0, uses_expected=False,
               needs=("covers_every_sample_once",), shown=_batches_args)),
    spec(f"{M}.train_mlp",
         Check(f"{M}.train_mlp", "learns_xor", _learns_xor,
               describe="training must reach a low loss on XOR",
               examples=(XOR, {**XNOR_PM1, "kwargs": {"epochs": 300, "batch_size": 2, "seed": 1}}), max_examples=0, shown=_train_args),
         Check(f"{M}.train_mlp", "loss_history", _loss_history,
               describe="the loss recorded before each step",
               examples=({**XNOR_PM1, "kwargs": {"epochs": 300, "batch_size": 2, "seed": 3}},
                         {**XOR, "kwargs": {"epochs": 3, "batch_size": 3, "lr": 0.0, "seed": 2}}), max_examples=0,
               needs=("learns_xor",), shown=_train_args),
         Check(f"{M}.train_mlp", "sgd_procedure", _procedure_judge, examples=PROCEDURE_CASES, max_examples=0,
               describe="initial weights from rng, then one plain SGD step per mini-batch of batch_size rows",
               uses_expected=False, shown=_train_args),
         depends=(f"{M}.sgd_step", f"{M}.minibatches", "ex05_backprop.mlp_backward")),
]
