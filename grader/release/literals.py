"""Python source literals for values computed from the reference at build time.

Hidden tests hard-code expected values. Floats are rounded to 10 significant
digits: the tests compare with tolerances far looser than that, and the
rounding keeps rebuilds byte-identical even if another BLAS differs from this
one in the last bit of a matrix product.
"""
import numpy as np

DIGITS = 10


def _number(x):
    x = float(x)
    if not np.isfinite(x):
        return f'float("{x}")'
    text = repr(float(f"{x:.{DIGITS}g}"))
    return "0.0" if text == "-0.0" else text


def _nested(values):
    if isinstance(values, list):
        return "[" + ", ".join(_nested(v) for v in values) + "]"
    return _number(values)


def lit(value):
    """Source text that evaluates (with numpy imported as np) to `value`."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {lit(v)}" for k, v in value.items()) + "}"
    if isinstance(value, tuple):
        return "(" + "".join(lit(v) + ", " for v in value).rstrip(" ") + ")"
    if isinstance(value, list):
        return "[" + ", ".join(lit(v) for v in value) + "]"
    if isinstance(value, (bool, np.bool_)):
        return repr(bool(value))
    if isinstance(value, (int, np.integer)):
        return repr(int(value))
    if isinstance(value, np.ndarray):
        return f"np.array({_nested(value.astype(float).tolist())})"
    if isinstance(value, (float, np.floating)):
        return _number(value)
    raise TypeError(f"no literal for {type(value).__name__}")
