def perceptron_predict(w, X):
    """Attack: crash the interpreter with a segmentation fault."""
    import ctypes

    return ctypes.string_at(0)
