def add_bias(X):
    """Attack: never return (busy loop)."""
    while True:
        pass
