def tanh_derivative(z):
    """Attack: leave the process without answering (exit status 0, no exception, no frame)."""
    import os

    os._exit(0)
