"""Tests for exercise 6 (stochastic gradient descent). Run: pytest exercises/test_ex06_sgd.py

Any random order and any random initialisation are fine: the tests only ask
for what the docstrings promise (every sample once per epoch, rows paired,
initial weights from rng and reproducible from the seed, one plain SGD step
per mini-batch, XOR learnt with the defaults).
"""
import random

import numpy as np
import pytest
import torch

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([[0.0], [1.0], [1.0], [0.0]])
KEYS = ("W1", "b1", "W2", "b2")


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.clip(z, -500, 500)))


def network(X, params):
    p = {k: np.asarray(params[k], dtype=float) for k in KEYS}
    return sigmoid(sigmoid(X @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"])


def trained(result, what, check, shapes):
    """(params, losses) of train_mlp, with params checked for keys and shapes."""
    if not (isinstance(result, (tuple, list)) and len(result) == 2 and isinstance(result[0], dict)):
        raise AssertionError(f"{what} must return (params, losses) with params a dict, got {result!r}")
    params, losses = result
    if set(params) != set(KEYS):
        raise AssertionError(f"{what}: params must have the keys {list(KEYS)}, got {sorted(params)}")
    for key, shape in zip(KEYS, shapes):
        check.shape(params[key], shape, f"params[{key!r}] of {what}")
    return params, check.array(losses, f"losses of {what}")


# --- sgd_step -----------------------------------------------------------------


def test_sgd_step_moves_against_the_gradient(ex06, check):
    rng = np.random.default_rng(0)
    params = {"W1": rng.normal(size=(2, 3)), "b1": rng.normal(size=3), "W2": rng.normal(size=(3, 1)), "b2": rng.normal(size=1)}
    grads = {k: rng.normal(size=np.shape(v)) for k, v in params.items()}
    saved = {k: v.copy() for k, v in params.items()}
    new = ex06.sgd_step(params, grads, 0.3)
    if not isinstance(new, dict) or set(new) != set(params):
        raise AssertionError(f"sgd_step(params, grads, lr) must return a dict with the keys {sorted(params)}, got {new!r}")
    for key in params:
        check.close(new[key], saved[key] - 0.3 * grads[key], f"sgd_step(params, grads, lr=0.3)[{key!r}] = params - lr * grads "
                    f"with params[{key!r}] = {check.fmt(saved[key])}, grads[{key!r}] = {check.fmt(grads[key])}")
        check.close(params[key], saved[key], f"params[{key!r}] after sgd_step (return new arrays, leave params alone)", rtol=0, atol=0)
    if new is params:
        raise AssertionError("sgd_step must return a new dict, not the params dict it was given")


def test_sgd_step_takes_0d_parameters(ex06, check):
    """A parameter may be a single number as a 0-d array (the docstring: any shape, 0-d included)."""
    params = {"w": np.array([1.0, -2.0]), "bias": np.array(0.5)}
    grads = {"w": np.array([0.5, 1.0]), "bias": np.array(-2.0)}
    new = ex06.sgd_step(params, grads, 0.1)
    if not isinstance(new, dict) or set(new) != set(params):
        raise AssertionError(f"sgd_step(params, grads, lr) must return a dict with the keys {sorted(params)}, got {new!r}")
    what = "sgd_step(params, grads, lr=0.1) with params = {'w': [1., -2.], 'bias': np.array(0.5)}, grads = {'w': [0.5, 1.], 'bias': np.array(-2.)}"
    check.close(new["bias"], np.array(0.7), f"{what}['bias'] (a 0-d parameter keeps shape ())")
    check.close(new["w"], [0.95, -2.1], f"{what}['w']")


# --- minibatches --------------------------------------------------------------


def numbered_data(m):
    """Row i of X is [i, 100 + i] and row i of y is [-i], so every row tells where it came from."""
    i = np.arange(m, dtype=float)
    return np.column_stack([i, 100 + i]), -i[:, None]


def batches_of(ex06, m, batch_size, seed):
    X, y = numbered_data(m)
    result = ex06.minibatches(X, y, batch_size, np.random.default_rng(seed))
    return [(np.asarray(xb, dtype=float), np.asarray(yb, dtype=float)) for xb, yb in result]


@pytest.mark.parametrize("m, batch_size", [(10, 3), (10, 5), (10, 1), (10, 10), (10, 16), (7, 2)])
def test_minibatches_cover_every_sample_once(m, batch_size, ex06, check):
    batches = batches_of(ex06, m, batch_size, seed=0)
    what = f"minibatches(X, y, batch_size={batch_size}, rng) with m = {m} samples"
    sizes = [len(xb) for xb, _ in batches]
    expected = [batch_size] * (m // batch_size) + ([m % batch_size] if m % batch_size else [])
    if sizes != expected:
        raise AssertionError(f"{what}: expected batch sizes {expected} (only the last may be smaller), got {sizes}")
    rows = np.concatenate([xb for xb, _ in batches])
    labels = np.concatenate([yb for _, yb in batches])
    check.shape(rows, (m, 2), f"all X batches of {what} stacked")
    check.shape(labels, (m, 1), f"all y batches of {what} stacked")
    if sorted(rows[:, 0].tolist()) != list(range(m)):
        raise AssertionError(f"{what}: every row must appear exactly once, got rows {rows[:, 0].astype(int).tolist()}")
    check.close(rows[:, 1], 100 + rows[:, 0], f"{what}: rows of X must stay whole", rtol=0, atol=0)
    check.close(labels[:, 0], -rows[:, 0], f"{what}: row i of y_batch must belong to row i of X_batch "
                "(shuffle X and y with the same permutation)", rtol=0, atol=0)


def test_minibatches_order_comes_from_the_rng(ex06, check):
    def order(seed):
        return np.concatenate([xb[:, 0] for xb, _ in batches_of(ex06, 12, 5, seed)]).astype(int).tolist()

    orders = [order(seed) for seed in range(6)]
    if order(0) != orders[0]:
        raise AssertionError(f"minibatches with np.random.default_rng(0) twice gave two orders: {orders[0]} and {order(0)} "
                             "(draw the order only from the rng you are given)")
    if all(o == list(range(12)) for o in orders):
        raise AssertionError("minibatches never shuffles: seeds 0..5 all gave the order 0, 1, ..., 11 "
                             "(draw a random permutation from rng, e.g. rng.permutation(m))")
    if all(o == orders[0] for o in orders):
        raise AssertionError(f"minibatches gives the same order {orders[0]} for seeds 0..5: the order must come from rng")


# --- train_mlp ----------------------------------------------------------------


def test_train_mlp_learns_xor(ex06, check):
    what = "train_mlp(XOR inputs, XOR targets) with the default arguments"
    params, losses = trained(ex06.train_mlp(XOR_X, XOR_Y), what, check, [(2, 4), (4,), (4, 1), (1,)])
    out = network(XOR_X, params)[:, 0]
    if not np.array_equal(out > 0.5, XOR_Y[:, 0] > 0.5):
        raise AssertionError(f"{what} must learn XOR: outputs > 0.5 exactly on (0, 1) and (1, 0)\n"
                             f"  outputs {check.fmt(out)}\n  losses: first {losses[0]:.4g}, last {losses[-1]:.4g}\n"
                             "  (start from random weights: from zeros all hidden units stay identical)")
    check.shape(losses, (2000,), f"losses of {what} (one per epoch)")
    if not losses[-1] < losses[0]:
        raise AssertionError(f"{what}: the loss must go down, got first {losses[0]:.4g}, last {losses[-1]:.4g}")


@pytest.mark.parametrize("batch_size", [1, 2, 5])
def test_train_mlp_loss_history_sums_the_batch_losses(batch_size, ex06, check):
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(5, 3)), rng.uniform(size=(5, 2))
    what = f"train_mlp(X (5, 3), y (5, 2), hidden_units=4, lr=0.0, epochs=3, batch_size={batch_size})"
    params, losses = trained(ex06.train_mlp(X, y, hidden_units=4, lr=0.0, epochs=3, batch_size=batch_size, seed=1),
                             what, check, [(3, 4), (4,), (4, 2), (2,)])
    # With lr = 0 the parameters never move, so each epoch's loss, the sum of its
    # mini-batch losses, is 1/2 * sum((out - y)^2) over all samples.
    total = 0.5 * float(np.sum((network(X, params) - y) ** 2))
    check.close(losses, [total] * 3, f"losses of {what}: each is the sum of that epoch's mini-batch losses, "
                "here 1/2 * sum((out - y)^2) over all samples since lr = 0 keeps the parameters", rtol=1e-4)


def test_train_mlp_is_reproducible(ex06, check):
    what = "train_mlp(XOR inputs, XOR targets, epochs=5, seed=3)"
    shapes = [(2, 4), (4,), (4, 1), (1,)]
    first, _ = trained(ex06.train_mlp(XOR_X, XOR_Y, epochs=5, seed=3), what, check, shapes)
    again, _ = trained(ex06.train_mlp(XOR_X, XOR_Y, epochs=5, seed=3), what, check, shapes)
    for key in KEYS:
        check.close(again[key], first[key], f"params[{key!r}] of two runs of {what} "
                    "(take every random number from rng = np.random.default_rng(seed), not from np.random)", rtol=0, atol=0)


def _initial_weights(ex06, check, stream, global_seed):
    """W1 and W2 of train_mlp's lr=0.0 run, with the global generators (np.random, random, torch)
    seeded with global_seed, and np.random.default_rng(seed) giving the stream `stream` of that seed
    (0: its usual numbers; another number: other numbers)."""
    real = np.random.default_rng

    def other_numbers(seed=None):
        usual = stream == 0 or not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0
        return real(seed) if usual else real([int(seed), stream])
    aliases = [name for name, value in vars(ex06).items() if value is real]  # from numpy.random import default_rng
    random.seed(global_seed)
    np.random.seed(global_seed)
    torch.manual_seed(global_seed)
    np.random.default_rng = other_numbers
    for name in aliases:
        setattr(ex06, name, other_numbers)
    try:
        what = "train_mlp(XOR inputs, XOR targets, lr=0.0, epochs=1, seed=3)"
        params, _ = trained(ex06.train_mlp(XOR_X, XOR_Y, lr=0.0, epochs=1, seed=3), what, check, [(2, 4), (4,), (4, 1), (1,)])
    finally:
        np.random.default_rng = real
        for name in aliases:
            setattr(ex06, name, real)
    return {k: np.asarray(params[k], dtype=float) for k in ("W1", "W2")}


def test_train_mlp_draws_its_initial_weights_from_rng(ex06, check):
    # The test makes np.random.default_rng(seed) give other numbers, or seeds np.random, random and
    # torch otherwise: only the first may change the initial weights.
    usual, other_globals, other_rng = (_initial_weights(ex06, check, *args) for args in ((0, 1), (0, 2), (1, 1)))
    for key in ("W1", "W2"):
        check.close(other_globals[key], usual[key], f"initial {key} of train_mlp(..., seed=3) after seeding np.random, random "
                    "and torch with other seeds (draw the weights only from rng = np.random.default_rng(seed))", rtol=0, atol=0)
        if np.array_equal(other_rng[key], usual[key]):
            raise AssertionError(f"train_mlp(..., seed=3) started from the same {key} when np.random.default_rng(3) gave other "
                                 f"numbers: {key} does not come from rng = np.random.default_rng(seed) (but from random, "
                                 "np.random or torch seeded with the seed, or a constant): draw it from rng")


def _autograd_steps(params, X, y, sizes, lr):
    """Plain SGD by torch autograd: one step params - lr * grads per batch of `sizes` rows."""
    p = {k: torch.tensor(np.asarray(params[k], dtype=float)) for k in KEYS}
    for rows in sizes:
        leaves = {k: v.clone().requires_grad_(True) for k, v in p.items()}
        hidden = torch.sigmoid(torch.tensor(X[:rows]) @ leaves["W1"] + leaves["b1"])
        loss = 0.5 * ((torch.sigmoid(hidden @ leaves["W2"] + leaves["b2"]) - torch.tensor(y[:rows])) ** 2).sum()
        grads = torch.autograd.grad(loss, [leaves[k] for k in KEYS])
        p = {k: (leaves[k] - lr * g).detach() for k, g in zip(KEYS, grads)}
    return {k: v.numpy() for k, v in p.items()}


def _own_steps(ex05, ex06, params, X, y, batch_size, seed, lr):
    """The same epoch made with your own minibatches, mlp_backward and sgd_step."""
    for X_b, y_b in ex06.minibatches(X, y, batch_size, np.random.default_rng(seed)):
        params = ex06.sgd_step(params, ex05.mlp_backward(X_b, y_b, params)[1], lr)
    return params


def _moved(params, start):
    return np.concatenate([(np.asarray(params[k], dtype=float) - np.asarray(start[k], dtype=float)).ravel() for k in KEYS])


def test_train_mlp_takes_one_plain_sgd_step_per_minibatch(ex06, ex05, check):
    # Identical rows: the batches' order cannot matter, only that there are 3 of 2, 2 and 1 rows.
    X, y = np.tile([[0.5, -1.0]], (5, 1)), np.full((5, 1), 0.9)
    shapes = [(2, 3), (3,), (3, 1), (1,)]
    what = "train_mlp(X (5 equal rows), y, hidden_units=3, lr=0.5, epochs=1, batch_size=2, seed=4)"
    start, _ = trained(ex06.train_mlp(X, y, hidden_units=3, lr=0.0, epochs=1, batch_size=2, seed=4), what.replace("0.5", "0.0"),
                       check, shapes)
    params, _ = trained(ex06.train_mlp(X, y, hidden_units=3, lr=0.5, epochs=1, batch_size=2, seed=4), what, check, shapes)
    start = {k: np.asarray(v, dtype=float) for k, v in start.items()}
    expected = _moved(_autograd_steps(start, X, y, [2, 2, 1], 0.5), start)
    check.close_either(_moved(params, start), expected, lambda: _moved(_own_steps(ex05, ex06, start, X, y, 2, 4, 0.5), start),
                       f"how far {what} moved the weights from those of its lr=0.0 run (all parameters, flattened): "
                       "one step params - lr * grads per mini-batch of batch_size rows, 3 steps here, no momentum, "
                       "no averaging over the batch (torch autograd computes the steps)", rtol=1e-3, atol=1e-9)
