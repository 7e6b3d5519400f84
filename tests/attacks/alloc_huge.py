def elu(z, alpha=1.0):
    """Attack: allocate tens of GB at once, then grab (and touch) memory 100 MB at a time until
    refused (the first time only: every later case just reports the failure)."""
    import sys

    if not getattr(sys, "_hoarded", False):
        sys._hoarded = True
        hoard = []
        for size in (50 * 2**30, 20 * 2**30):
            try:
                hoard.append(np.ones(size // 8))
            except MemoryError:
                pass
            try:
                hoard.append(bytearray(size))
            except MemoryError:
                pass
        try:
            while len(hoard) < 400:
                hoard.append(np.ones(100 * 2**20 // 8))
        except MemoryError:
            pass
        del hoard
    raise MemoryError("attack: allocated until refused")
