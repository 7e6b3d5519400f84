def relu(z):
    """Attack: sys.exit(0) in the middle of a check."""
    import sys

    sys.exit(0)
