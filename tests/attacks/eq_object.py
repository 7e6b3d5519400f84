class _Liar:
    """Equal to everything, true, finite, any shape and any float you ask for."""

    shape = property(lambda self: ())
    __eq__ = lambda self, other: True  # noqa: E731
    __ne__ = lambda self, other: False  # noqa: E731
    __bool__ = lambda self: True  # noqa: E731
    __float__ = lambda self: 0.0  # noqa: E731
    __hash__ = lambda self: 0  # noqa: E731

    def __array__(self, *args, **kwargs):
        return np.zeros(1)

    def __getattr__(self, name):
        return lambda *a, **k: self


class _LyingFloat(np.float64):
    def __eq__(self, other):
        return True

    __hash__ = np.float64.__hash__


def relu_derivative(z):
    """Attack: return objects that compare equal to anything."""
    z = np.asarray(z, dtype=float)
    if z.ndim == 0:
        return _LyingFloat(42.0)
    return [_Liar() for _ in range(z.size)] if z.size % 2 else _Liar()
