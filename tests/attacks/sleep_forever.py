def perceptron_predict(w, X):
    """Attack: never return (sleeping, no CPU used)."""
    import time

    time.sleep(10**6)
