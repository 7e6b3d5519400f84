def relu_derivative(z):
    """Attack: a result far beyond the frame limit (80 MB per case)."""
    return np.zeros(10_000_000)
