def add_bias(X):
    """Not an attack: names this process so that the test can find it (and kill its runner), waits
    a moment the first time, then answers correctly."""
    import ctypes
    import sys
    import time

    if not getattr(sys, "_named", False):
        sys._named = True
        ctypes.CDLL(None).prctl(15, __COMM__.encode(), 0, 0, 0)  # PR_SET_NAME
        time.sleep(1.0)
    X = np.asarray(X, dtype=float)
    return np.hstack([np.ones((X.shape[0], 1)), X])
