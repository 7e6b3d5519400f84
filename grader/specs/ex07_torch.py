"""Checks for exercise 7, PyTorch (judge side; the probes are in grader.probes)."""
import numpy as np
from hypothesis import strategies as st

from grader.toolkit import strategies as S
from grader.specs import Check, args, spec
from grader.specs.ex04_mlp_forward import XOR_TRUE, XOR_X, sigmoid
from grader.specs.judges import Verdict, WrongType, as_array, as_float, same_parts

M = "ex07_torch"


def _linear_judge(got, expected, c):
    if got["numel"] != 1:
        return Verdict(False, f"LinearModel must have exactly one learnable weight (no bias); it has {got['numel']} parameters", 1, got["numel"])
    want = np.array([c["w"] * x for x in c["x"]])
    try:
        predictions = as_array(got["predictions"], "the predictions")
    except WrongType as exc:
        return Verdict(False, str(exc), want, got["predictions"])
    if predictions.shape == want.shape and np.allclose(predictions, want, rtol=1e-4, atol=1e-4):
        return Verdict.passed()
    return Verdict(False, f"with its weight set to {c['w']:g}, LinearModel should compute x * w", want, predictions)


def _autograd_mistakes(c):
    loss = (c["w"] * c["x"] - c["y"]) ** 2  # the loss the contract names, as the second value
    return {"grad": {"the second value must be the gradient (w.grad after loss.backward()), not the loss again": loss}}


def _train_linear_judge(got, expected, c):
    try:
        value = as_float(got, "the prediction")
    except WrongType as exc:
        return Verdict(False, str(exc), c["target"], got)
    if abs(value - c["target"]) <= 0.1:
        return Verdict.passed()
    return Verdict(False, f"after train_linear(x={c['x']}, y={c['y']}) the model should predict about {c['target']:g} for x = 4",
                   c["target"], value, _train_linear_hint(value, c))


def _without_zero_grad(c, lr=0.01, epochs=100):
    """The prediction at x = 4 of the contract's training when the gradients add up from step to step."""
    w, grad = 1.0, 0.0
    for _ in range(epochs):
        for x, y in zip(c["x"], c["y"]):
            grad += 2 * (w * x - y) * x
            w -= lr * grad
    return 4 * w


def _train_linear_hint(value, c):
    """A hint only where the prediction shows the cause: the value gradients that pile up give, or a
    weight that blew up (steps far too large: the lr argument not used)."""
    if not np.isfinite(value) or abs(value) > 1e30:
        return ("the weight blew up (the prediction is nan, inf or astronomically large): the steps are far too large; "
                "use the lr argument, torch.optim.SGD(model.parameters(), lr=lr)")
    if np.isclose(value, _without_zero_grad(c), rtol=1e-3):
        return "each step must call optimizer.zero_grad() before loss.backward(): without it the gradients add up"
    return ""


def _layers(params, h):
    """(W1 as (2, h), b1, W2 as (h, 1), b2) from the parameters, whatever their order or orientation."""
    arrays = [np.asarray(p, dtype=float) for p in params]
    if not all(np.all(np.isfinite(a)) for a in arrays):
        return None
    pick = lambda shapes: next((a for a in arrays if a.shape in shapes), None)  # noqa: E731
    W1, W2, b1, b2 = pick({(h, 2), (2, h)}), pick({(1, h), (h, 1)}), pick({(h,)}), pick({(1,)})
    if any(a is None for a in (W1, W2, b1, b2)):
        return None
    return (W1.T if W1.shape == (h, 2) else W1), b1, (W2.T if W2.shape == (1, h) else W2), b2


def _xornet_judge(got, expected, c):
    want = {"3": 2 * 3 + 3 + 3 + 1, "4": 2 * 4 + 4 + 4 + 1}
    if got["numel"] != want:
        return Verdict(False, "XorNet(hidden_units=h) should hold a 2 -> h layer and an h -> 1 layer, with biases "
                              f"(parameter counts for h = 3, 4)", want, got["numel"])
    layers = _layers(got["params"], 3)
    try:
        out = as_array(got["out"], "XorNet()(x)")
    except WrongType as exc:
        return Verdict(False, str(exc), "(5, 1)", got["out"])
    if layers is None:
        return Verdict(False, "XorNet(hidden_units=3) should have weights of shapes (3, 2) and (1, 3) and biases (3,) and (1,)",
                       "nn.Linear(2, 3), nn.Linear(3, 1)", [np.shape(p) for p in got["params"]])
    W1, b1, W2, b2 = layers
    want_out = sigmoid(sigmoid(np.asarray(got["x"]) @ W1 + b1) @ W2 + b2)
    if out.shape != want_out.shape or not np.allclose(out, want_out, atol=1e-5):
        return Verdict(False, "forward(x) should be sigmoid(layer2(sigmoid(layer1(x)))), shape (m, 1)", want_out, out)
    return Verdict.passed()


def _network_of(params):
    """(W1, b1, W2, b2) of a 2 -> h -> 1 network from its parameters, whatever h, order or orientation."""
    shapes = [np.shape(p) for p in params]
    for h in sorted({d for shape in shapes if len(shape) == 2 and 2 in shape for d in shape if d != 2} | {2}):
        layers = _layers(params, h)
        if layers is not None:
            return layers
    return None


def _xor_judge(got, expected, c):
    """Each seed's trained XorNet: its output is the one its parameters give (computed here), and it
    classifies XOR; different seeds train different parameters (a fixed answer does not). One seed
    by default: training is the costliest call a submission makes."""
    if not isinstance(got, list) or len(got) != len(c["seeds"]):
        return Verdict(False, "train_xor's results could not be read", len(c["seeds"]), got)
    trained = []
    for seed, run in zip(c["seeds"], got):
        layers = _network_of(run["params"])
        if layers is None:
            return Verdict(False, f"train_xor(seed={seed}) returned a network without XorNet's layers (2 -> h -> 1, with biases)",
                           "nn.Linear(2, h), nn.Linear(h, 1)", [np.shape(p) for p in run["params"]])
        W1, b1, W2, b2 = layers
        want = sigmoid(sigmoid(XOR_X @ W1 + b1) @ W2 + b2).reshape(-1)
        try:
            out = as_array(run["out"], "the trained XorNet's output").reshape(-1)
        except WrongType as exc:
            return Verdict(False, str(exc), want, run["out"])
        if out.shape != want.shape or not np.allclose(out, want, atol=1e-4):
            return Verdict(False, f"train_xor(seed={seed}): the network's output is not sigmoid(layer2(sigmoid(layer1(x)))) "
                                  "of its own parameters", want, out)
        if not np.array_equal(want > 0.5, XOR_TRUE):
            return Verdict(False, f"train_xor(seed={seed}): the trained network must output > 0.5 exactly on (0, 1) and (1, 0); "
                                  "outputs on (0,0), (0,1), (1,0), (1,1)", XOR_TRUE.astype(float), out)
        trained.append(np.concatenate([np.ravel(a) for a in layers]))
    if len(trained) > 1 and all(np.array_equal(t, trained[0]) for t in trained[1:]):
        return Verdict(False, f"seeds {c['seeds']} all gave the same parameters: seed torch with torch.manual_seed(seed), "
                              "then train", "different parameters", trained[0])
    return Verdict.passed()


FUNCTIONS = [
    spec(f"{M}.autograd_gradient",
         Check(f"{M}.autograd_gradient", "matches_reference", same_parts("autograd_gradient(w, x, y)", ("loss", "grad"), _autograd_mistakes),
               cases=st.fixed_dictionaries({"w": S.reals(4.0), "x": S.reals(4.0), "y": S.reals(4.0)}),
               examples=({"w": 1.0, "x": 1.0, "y": 2.0},), max_examples=10)),
    spec(f"{M}.LinearModel",
         Check(f"{M}.LinearModel", "one_weight_forward", _linear_judge,
               describe="the model's forward pass with one weight",
               examples=({"w": 2.5, "x": [1.0, -2.0, 4.0]}, {"w": -0.5, "x": [3.0]}), max_examples=0, uses_expected=False)),
    spec(f"{M}.train_linear",
         Check(f"{M}.train_linear", "predicts_eight", _train_linear_judge,
               describe="the trained model's prediction for x = 4",
               examples=({"x": [1.0, 2.0, 3.0], "y": [2.0, 4.0, 6.0], "target": 8.0},
                         {"x": [1.0, 2.0, 3.0], "y": [-1.5, -3.0, -4.5], "target": -6.0}), max_examples=0, uses_expected=False,
               shown=args("x", "y")),
         depends=(f"{M}.LinearModel",)),
    spec(f"{M}.XorNet",
         Check(f"{M}.XorNet", "network_shape", _xornet_judge,
               describe="the network's layers and number of parameters", examples=({},), max_examples=0, uses_expected=False)),
    spec(f"{M}.train_xor",
         Check(f"{M}.train_xor", "classifies_xor", _xor_judge,
               describe="the trained network must classify the four XOR points", examples=({"seeds": [0]},), max_examples=0, uses_expected=False,
               shown=lambda c: {"seed": c["seeds"][0] if len(c["seeds"]) == 1 else c["seeds"]}),
         depends=(f"{M}.XorNet",)),
]
