_FOUND = {}


def sigmoid_derivative(z):
    """Attack: find where the sandbox keeps what it hides (its configuration lists the submissions
    and the output folders) by walking up the call stack and through every object the garbage
    collector knows. Raises a report of every place that still names them."""
    import gc
    import json
    import sys

    if "report" in _FOUND:  # probed once per process
        raise RuntimeError("ATTACK-REPORT " + json.dumps(_FOUND["report"]))

    # The paths are made here, so that this module's own source and constants do not name them.
    secrets = tuple(bytes.fromhex(h).decode() for h in (__SUBS_HEX__, __OUT_HEX__))
    mine = {id(s) for s in secrets}
    found = []

    def names_a_secret(value):
        if id(value) in mine:
            return False
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        return isinstance(value, str) and any(s in value for s in secrets)

    frame = sys._getframe(1)
    while frame is not None:
        for name, value in list(frame.f_locals.items()):
            if names_a_secret(value) or isinstance(value, dict) and "hide" in value:
                found.append(f"frame {frame.f_code.co_name}: {name}")
        frame = frame.f_back
    for obj in gc.get_objects():
        try:
            if isinstance(obj, dict) and "hide" in obj:
                found.append("a dict with 'hide'")
            for referent in gc.get_referents(obj):
                if names_a_secret(referent) or names_a_secret(getattr(referent, "_str", None)):
                    found.append(f"{type(obj).__name__} holds a path")
        except Exception:
            pass
    _FOUND["report"] = sorted(set(found))[:6]
    raise RuntimeError("ATTACK-REPORT " + json.dumps(_FOUND["report"]))
