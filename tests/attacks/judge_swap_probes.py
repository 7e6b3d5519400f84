# Attack (on the blank stubs), at import: rebind the grader's probes for the composites (frozen
# dataclasses, so object.__setattr__) to report values that agree with "own pieces" the attack
# invents, and replace the table the child looks probes up in.
# --- ex02_gradient_descent
import numpy as _np

import grader.probes as _probes


def _fake(check_id):
    if "delta_rule_step" in check_id:
        return lambda impl, c: _np.asarray(c["w"], dtype=float) - c["lr"] * _np.asarray(c["w"], dtype=float)
    if "gradient_descent" in check_id:
        return lambda impl, c: {"w": _np.asarray(c["w"], dtype=float), "losses": _np.ones(c["steps"])}
    if "mlp_backward" in check_id:
        return lambda impl, c: {"loss": 0.0, "grads": {k: _np.zeros(_np.shape(v)) for k, v in c["params"].items()}}
    return None


_swapped = {}
for _name in _probes.PROBE_MODULES:
    _module = __import__(f"grader.probes.{_name}", fromlist=["PROBES"])
    for _id, _probe in _module.PROBES.items():
        if _fake(_id) is not None:
            object.__setattr__(_probe, "call", _fake(_id))
            object.__setattr__(_probe, "pieces", None)
        _swapped[_id] = _probe
_probes.probe_table = lambda: dict(_swapped)
