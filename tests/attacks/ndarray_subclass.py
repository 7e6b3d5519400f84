class _AlwaysEqual(np.ndarray):
    """An ndarray subclass that claims equality with anything and lies about its bytes."""

    def __eq__(self, other):
        return np.ones(np.shape(other), dtype=bool)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return np.ones(np.broadcast(*[np.asarray(i) for i in inputs]).shape, dtype=bool)

    def tobytes(self, *a, **k):
        return b"\x00" * self.nbytes

    def __array__(self, *a, **k):
        return np.zeros(self.shape)

    def view(self, *a, **k):
        return self

    def astype(self, *a, **k):
        return self


def leaky_relu(z, alpha=0.1):
    """Attack: garbage values wearing an always-equal ndarray subclass."""
    return np.full(np.shape(z), 7.0).view(_AlwaysEqual)
