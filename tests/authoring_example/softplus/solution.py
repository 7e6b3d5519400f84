

def softplus(z):
    """log(1 + e^z) elementwise: a smooth ReLU. z: any shape; returns a float array of its shape,
    finite for every finite z."""
    ### BEGIN SOLUTION
    z = np.asarray(z, dtype=float)
    return np.logaddexp(0.0, z)
    ### END SOLUTION


def softplus_derivative(z):
    """The derivative of softplus: the sigmoid of z, elementwise (finite for every finite z)."""
    ### BEGIN SOLUTION
    z = np.asarray(z, dtype=float)
    return 0.5 * (1.0 + np.tanh(0.5 * z))
    ### END SOLUTION
