def elu(z, alpha=1.0):
    """Attack: the right values, but the input array is overwritten in place (its caller's copy)."""
    z_arr = np.asarray(z, dtype=float)
    out = np.where(z_arr >= 0, z_arr, alpha * np.expm1(np.minimum(z_arr, 0)))
    if isinstance(z, np.ndarray) and z.size:
        z[...] = 0.0
    return out
