"""Probes for exercise 7, PyTorch."""
import numpy as np

from grader.probes import ContractError, Probe, attempt, module_of, plot_id
from grader.seeding import seed_torch

M = "ex07_torch"
# The models train_xor returned to the graded probe in this child: the plot draws the very network
# that was graded instead of training it again (only the plot reads this; a child serves one student).
GRADED_MODELS = {}
XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


def _m(impl):
    return module_of(impl, M)


def _torch():
    import torch  # imported lazily: only the sandboxed child and the reference run these probes

    return torch


def _module(obj, name):
    if not isinstance(obj, _torch().nn.Module):
        raise ContractError(f"{name} must be a torch.nn.Module, got {type(obj).__name__}")
    return obj


def _predict(model, x):
    torch = _torch()
    with torch.no_grad():
        out = model(torch.tensor([[float(x)]]))
    return float(np.asarray(out.detach().cpu().numpy(), dtype=float).reshape(-1)[0])


def _linear_probe(impl, c):
    model = _module(_m(impl).LinearModel(), "LinearModel()")
    params = list(model.parameters())
    numel = sum(p.numel() for p in params)
    if numel == 1:
        with _torch().no_grad():
            params[0].fill_(c["w"])
    return {"numel": numel, "predictions": [_predict(model, x) for x in c["x"]]}


def _parameters(model):
    return [p.detach().cpu().numpy() for p in model.parameters()]


def _xornet_probe(impl, c):
    torch = _torch()
    nets = {h: _module(_m(impl).XorNet(hidden_units=h), f"XorNet(hidden_units={h})") for h in (3, 4)}
    seed_torch(torch, 0)
    x = torch.rand(5, 2)
    with torch.no_grad():  # a forward pass first: lazy layers (nn.LazyLinear) get their parameters in it
        out = nets[3](x)
        nets[4](x)
    return {"numel": {str(h): sum(p.numel() for p in n.parameters()) for h, n in nets.items()},
            "params": _parameters(nets[3]), "x": x.numpy(), "out": out.detach().cpu().numpy()}


def _xor_probe(impl, c):
    """For each seed: the trained XorNet's parameters and its output on the four XOR points."""
    torch = _torch()
    runs = []
    for seed in c["seeds"]:
        model = _m(impl).train_xor(seed=seed)
        if not isinstance(model, _m(impl).XorNet):
            raise ContractError(f"train_xor must return an XorNet, got {type(model).__name__}")
        with torch.no_grad():
            out = model(torch.tensor(XOR_X, dtype=torch.float32)).detach().cpu().numpy()
        runs.append({"params": _parameters(model), "out": out})
        GRADED_MODELS[seed] = model
    return runs


PROBES = {
    f"{M}.autograd_gradient:matches_reference": Probe(lambda impl, c: _m(impl).autograd_gradient(c["w"], c["x"], c["y"])),
    f"{M}.LinearModel:one_weight_forward": Probe(_linear_probe),
    f"{M}.train_linear:predicts_eight":
        Probe(lambda impl, c: _predict(_module(_m(impl).train_linear(c["x"], c["y"]), "train_linear()"), 4.0)),
    f"{M}.XorNet:network_shape": Probe(_xornet_probe),
    f"{M}.train_xor:classifies_xor": Probe(_xor_probe),
}


# Plot: the output surface of the student's trained XorNet on [0, 1]^2.
PLOT_SIDE = 41
PLOT_GRID = np.stack(np.meshgrid(np.linspace(0, 1, PLOT_SIDE), np.linspace(0, 1, PLOT_SIDE)), axis=-1).reshape(-1, 2)


def _surface(impl):
    torch = _torch()
    model = GRADED_MODELS.get(0)
    if model is None:  # the child that graded train_xor was restarted since
        model = _module(_m(impl).train_xor(seed=0), "train_xor()")
    with torch.no_grad():
        return model(torch.tensor(PLOT_GRID, dtype=torch.float32)).detach().cpu().numpy()


PLOTS = {plot_id(M): Probe(lambda impl, c: {"surface": attempt(lambda: _surface(impl))})}
