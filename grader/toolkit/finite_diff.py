"""Central finite differences in float64: how little a gradient check needs (after CS231n).

Judge only: these compute true gradients (of the reference, or of a formula), so the sandboxed
child never imports this module. The child only makes the calls grader.probes.perturbed lays out;
central_differences turns their outputs into gradients here."""
import numpy as np

from grader.probes import FD_STEP

STEP = FD_STEP


def numeric_gradient(f, x, step=STEP):
    """d f(x) / dx for a scalar function f of one float64 array x (x is not modified)."""
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for idx in np.ndindex(*x.shape):
        old = x[idx]
        x[idx] = old + step
        plus = float(f(x.copy()))
        x[idx] = old - step
        minus = float(f(x.copy()))
        x[idx] = old
        grad[idx] = (plus - minus) / (2 * step)
    return grad


def numeric_gradients(f, inputs, wrt, step=STEP):
    """{name: d f(**inputs) / d inputs[name]} for each name in wrt; f takes a dict of arrays."""
    grads = {}
    for name in wrt:
        def along(value, name=name):
            return f({**inputs, name: value})
        grads[name] = numeric_gradient(along, inputs[name], step)
    return grads


def central_differences(values, shapes, step=STEP):
    """{name: gradient} from scalar values laid out by grader.probes.perturbed: for each name (in
    the order of `shapes`, {name: shape}), for each index in C order, f(+step) then f(-step)."""
    values = np.asarray(values, dtype=float)
    grads, at = {}, 0
    for name, shape in shapes.items():
        size = int(np.prod(shape, dtype=int))
        pairs = values[at:at + 2 * size].reshape(size, 2)
        grads[name] = ((pairs[:, 0] - pairs[:, 1]) / (2 * step)).reshape(shape)
        at += 2 * size
    if at != len(values):
        raise ValueError(f"{len(values)} values for {at} perturbations")
    return grads
