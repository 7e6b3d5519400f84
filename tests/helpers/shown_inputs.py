"""Reading a shown counterexample back into the values it stands for, as the feedback prints them
(grader.forms.shown with compare.fmt_input): "w = [0.], x = np.array(1.), y = -1, z = [1.0] (a list)".

Nested number lists are float64 arrays (the feedback's convention for arrays) unless annotated
"(a list)" / "(a nested list)"; np.array(..., dtype=...) and np.float32(...) are what they say;
bare numbers are Python numbers. A text that cannot be read back (shortened with "…", a
description such as "8 rows [...]") reads as None.
"""
import math
import re
import types

import numpy as np

NAME = re.compile(r"([A-Za-z_]\w*) = ")
ANNOTATION = re.compile(r"\s*\(an? ([\w ]+)\)$")
_NUMPY = types.SimpleNamespace(array=np.array, float64=np.float64, float32=np.float32, int64=np.int64,
                               int32=np.int32, bool=np.bool_, uint8=np.uint8)
_NAMES = {"__builtins__": {}, "np": _NUMPY, "nan": math.nan, "inf": math.inf}


def split_input(text):
    """"w = [0.], x = [1.], y = -1" -> [("w", "[0.]"), ("x", "[1.]"), ("y", "-1")]: names at nesting depth 0."""
    parts, depth, start, name = [], 0, 0, None
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0 and (i == 0 or text[i - 2:i] == ", "):
            match = NAME.match(text, i)
            if match:
                if name is not None:
                    parts.append((name, text[start:i - 2]))
                name, start = match.group(1), match.end()
                i = match.end()
                continue
        i += 1
    if name is not None:
        parts.append((name, text[start:]))
    return parts


def parse_value(text):
    """The value one shown argument (or a shown expected value) stands for, or None."""
    if not text or "…" in text or "..." in text:
        return None
    annotation = ANNOTATION.search(text)
    form = annotation.group(1) if annotation else None
    source = text[:annotation.start()] if annotation else text
    try:
        value = eval(source, dict(_NAMES))  # noqa: S307 - the grader's own printing, no builtins
    except Exception:  # noqa: BLE001 - anything that is not a value read back
        return None
    return value if form in ("list", "nested list") else as_arrays(value)


def parse_shown(text):
    """{name: value} of a whole shown input; None if any argument cannot be read back."""
    if not text or text == "(no arguments)":
        return None
    args = {name: parse_value(value) for name, value in split_input(text)}
    return args if args and all(v is not None for v in args.values()) else None


def as_arrays(value):
    """Number lists (nested too, inside dicts) as float64 arrays; everything else as it is."""
    if isinstance(value, dict):
        return {k: as_arrays(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        try:
            return np.array(value, dtype=float)
        except (TypeError, ValueError):
            return [as_arrays(v) for v in value]
    return value
