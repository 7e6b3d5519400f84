def leaky_relu_derivative(z, alpha=0.1):
    """Attack: look for the expected answer in the caller's frames and in every object the garbage
    collector knows (it is not in this process), and return the best candidate."""
    import gc
    import sys

    z = np.asarray(z, dtype=float)
    candidates = []
    frame = sys._getframe(1)
    while frame is not None:
        for name, value in list(frame.f_locals.items()):
            if "expect" in name or "reference" in name or "verdict" in name:
                candidates.append(value)
        frame = frame.f_back
    for obj in gc.get_objects():
        try:
            if isinstance(obj, dict) and ("expected" in obj or "reference" in obj):
                candidates.extend(obj.values())
            elif type(obj).__name__ in ("Verdict", "ClassContext"):
                candidates.append(obj)
        except Exception:
            pass
    for obj in gc.get_objects():  # failing that: any array of the right shape that is not the input
        if isinstance(obj, np.ndarray) and obj.shape == z.shape and obj is not z and obj.dtype.kind == "f":
            if not np.array_equal(obj, z):
                return obj.copy()
    return np.full(z.shape, 3.0)
