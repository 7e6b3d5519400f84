def train_xor(seed=0, **kwargs):
    """Attack: rewrite builtins (comparisons, abs, all/any, isinstance, float) in this process,
    then return garbage."""
    import builtins

    import torch

    real_isinstance = builtins.isinstance
    builtins.all = lambda *a, **k: True
    builtins.any = lambda *a, **k: True
    builtins.abs = lambda x: 0
    builtins.min = lambda *a, **k: 0
    builtins.max = lambda *a, **k: 0
    builtins.isinstance = lambda obj, cls: True if cls is bool else real_isinstance(obj, cls)
    builtins.print = lambda *a, **k: None
    return [[0.5], [0.5], [0.5], [0.5]]
