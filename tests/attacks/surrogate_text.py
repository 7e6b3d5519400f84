class _Odd(Exception):
    pass


def maxout(X, W1, b1, W2, b2):
    """Attack (or just bad luck): text that cannot be written as UTF-8 (lone surrogates) in an
    exception's message, and in the keys and strings of the returned value."""
    if np.size(X) % 2:
        raise _Odd("caf\udce9 \ud800 " + "\udcff" * 50)
    return {"W\ud800": "\udce9", "out": np.zeros(3)}
