"""Judging helpers: turn a student's returned value into arrays, compare with tolerance,
and recognise common mistakes. Everything here runs in the grader on plain data.

Comparisons are written so that nan cannot pass: a test is "error <= tolerance" (false for nan),
never "not error > tolerance"; infinities pass only where the expected value has them too."""
from dataclasses import dataclass

import numpy as np

from grader.limits import KEPT_ITEMS, MESSAGE_CHARS, SHOWN_CHARS, shorten
from grader.protocol import Opaque, Tensor

RTOL = 1e-4  # float32 arithmetic in a correct answer must pass
ATOL = 1e-4  # relative to the magnitude of the expected value (see close)


@dataclass(frozen=True)
class Verdict:
    ok: bool
    message: str = ""  # what is wrong, in one sentence
    expected: object = None
    got: object = None
    hint: str = ""  # a recognised common mistake
    # A conditional pass (ok True): it holds only if each of these graded functions lost points on
    # its own checks ("right given your own wrong pieces"); else `otherwise` (a failing Verdict)
    # stands. Settled by grader.judging.stages.settle once every function of the submission is judged.
    credit_if_failed: tuple = ()
    otherwise: object = None
    # A failure on a case where own-piece credit cannot be decided (grader.specs.own_pieces): the
    # check is judged on the other cases, and no search shrinks onto this one.
    undecided: bool = False
    # Other catalogued mistakes that give the same value on this case as the one `hint` names (a
    # tie, a zero input): grader.judging.diagnosis picks the mistake every failing case agrees on.
    alike: tuple = ()
    # The graded functions this failure does not come from (grader.judging.blame): the value was
    # judged against the student's own pieces and is not what they imply.
    not_from: tuple = ()

    def __post_init__(self):
        # Memory: a failing verdict lives as long as the batch (judged frames, searches); it keeps a
        # short copy of what the student returned (see kept), never the arrays, and short texts.
        if not self.ok:
            object.__setattr__(self, "message", shorten(str(self.message), MESSAGE_CHARS))
            object.__setattr__(self, "hint", shorten(str(self.hint or ""), MESSAGE_CHARS))
            object.__setattr__(self, "alike", tuple(shorten(str(h), MESSAGE_CHARS) for h in self.alike))
            object.__setattr__(self, "expected", kept(self.expected))
            object.__setattr__(self, "got", kept(self.got))

    @staticmethod
    def passed():
        return _PASSED

    @staticmethod
    def if_failed(functions, otherwise):
        return Verdict(True, credit_if_failed=tuple(functions), otherwise=otherwise)


_PASSED = Verdict(True)  # frozen: one object serves every passing case


class WrongType(Exception):
    """The student's value cannot be read as the kind of value the contract asks for."""


def as_array(value, what="the result"):
    """A float64 array from an array, a number or (nested) lists; WrongType otherwise."""
    if isinstance(value, Tensor):
        raise WrongType(f"{what} is a torch tensor; return a numpy array (tensor.detach().numpy())")
    if isinstance(value, Opaque):
        raise WrongType(f"{what} is a {value.type_name} object; expected a numpy array")
    if value is None:
        raise WrongType(f"{what} is None; did you forget a return statement?")
    if isinstance(value, dict):
        raise WrongType(f"{what} is a dict; expected a numpy array")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise WrongType(f"{what} cannot be read as a numeric array (ragged or non-numeric)") from None
    return arr


def as_float(value, what="the result"):
    arr = as_array(value, what)
    if arr.size != 1:
        raise WrongType(f"{what} should be a single number, got an array of shape {arr.shape}")
    return float(arr.reshape(()))


def as_number(value, what="the result"):
    """as_float for a contract that returns a float: a Python or numpy scalar or a 0-d array, not
    an array of shape (1,) (the shape the visible tests check too)."""
    arr = as_array(value, what)
    if arr.shape != ():
        raise WrongType(f"{what} should be a single number (a float), got an array of shape {arr.shape}")
    return float(arr)


def as_sequence(value, length, what="the result"):
    if isinstance(value, (tuple, list)) and len(value) == length:
        return list(value)
    kind = f"a sequence of {len(value)}" if isinstance(value, (tuple, list)) else type(value).__name__
    raise WrongType(f"{what} should be a tuple of {length} values, got {kind}")


def as_dict(value, keys, what="the result"):
    if not isinstance(value, dict):
        raise WrongType(f"{what} should be a dict with keys {sorted(keys)}, got {_kind(value)}")
    if set(value) != set(keys):
        raise WrongType(f"{what} should have the keys {sorted(keys)}, got {sorted(value)}")
    return value


def _kind(value):
    if isinstance(value, (Tensor, Opaque)):
        return repr(value)
    return type(value).__name__


def close(got, expected, rtol=RTOL, atol=ATOL):
    """Same shape and equal within tolerance; the absolute part scales with the expected magnitude."""
    got, expected = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    if got.shape != expected.shape:
        return False
    if expected.size == 0:
        return True
    finite = np.isfinite(expected)
    if not finite.all():  # infinities must match exactly (inf <= inf would pass any value); nan never matches
        return bool(np.all(got[~finite] == expected[~finite])) and (finite.sum() == 0 or close(got[finite], expected[finite], rtol, atol))
    magnitude = np.abs(expected)
    top = float(magnitude.max())
    scale = top if top > 1.0 else 1.0
    return bool((np.abs(got - expected) <= atol * scale + rtol * magnitude).all())


class Shown(str):
    """A value already formatted for feedback: what a failing verdict keeps of a large value."""


def kept(value):
    """What a failing verdict keeps of a value: the value itself (arrays copied) when it holds at
    most KEPT_ITEMS numbers and short texts, else its text (fmt, bounded)."""
    if isinstance(value, Shown):
        return value
    if _items(value, KEPT_ITEMS) > KEPT_ITEMS:
        shape = f" (shape {value.shape})" if isinstance(value, np.ndarray) else ""
        return Shown(fmt(value) + shape)
    return _copy_arrays(value)


def _items(value, most):
    """How many numbers and characters/10 `value` holds, counting no further than past `most`."""
    if isinstance(value, np.ndarray):
        return value.size
    if isinstance(value, Tensor):
        return _items(value.values, most)
    if isinstance(value, str):
        return len(value) // 10
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        count = len(value) // 10
        for item in value:
            count += _items(item, most - count)
            if count > most:
                break
        return count
    return 1


def _copy_arrays(value):
    """value with its arrays copied: a small view must not keep a large array alive."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, Tensor):
        return Tensor(value.values.copy()) if isinstance(value.values, np.ndarray) else value
    if isinstance(value, dict):
        return {k: _copy_arrays(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_copy_arrays(v) for v in value)
    return value


def fmt(value, limit=SHOWN_CHARS):
    """Deterministic, compact text of a value for feedback, at most about `limit` characters; a
    flood (a long list of long strings, a huge array) costs no more to show than its first items."""
    if isinstance(value, Shown):
        return str(value)
    return shorten(_fmt(value, [limit]), limit)


def fmt_input(value, limit=SHOWN_CHARS):
    """fmt of an argument in a form that re-creates its type when run as shown (a shown
    counterexample must reproduce): float64 arrays of one or more dimensions read as nested lists
    (the feedback's convention for arrays), a 0-d array or another dtype as np.array(...), a Python
    float always with its point or exponent (1.0, not 1); inside dicts, lists and tuples too."""
    return fmt(_as_source(value), limit)


def _as_source(value):
    t = type(value)
    if t is dict:
        return {k: _as_source(v) for k, v in value.items()}
    if t in (list, tuple) and not _is_numeric_nest(value):
        return t(_as_source(v) for v in value)
    if isinstance(value, (float, np.floating)):  # the child gets a Python float (grader.protocol)
        text = f"{float(value):.6g}"
        return Shown(text if any(c in text for c in ".en") else text + ".0")
    if t is np.ndarray and value.dtype.kind in "biuf" and (value.ndim == 0 or value.dtype != np.float64):
        dtype = "" if value.dtype == np.float64 else f", dtype=np.{value.dtype.name}"
        return Shown(f"np.array({fmt(value)}{dtype})")
    return value


def _fmt(value, room):
    """room: [characters still wanted]; a container stops adding items once it is spent."""
    if isinstance(value, Shown):  # already formatted (inside a container too)
        room[0] -= len(value)
        return str(value)
    if isinstance(value, dict):
        return "{" + _join([(f"{k!r}: ", v) for k, v in value.items()], room) + "}"
    if isinstance(value, (tuple, list)) and not _is_numeric_nest(value):
        inner = _join([("", v) for v in value], room)
        return f"({inner})" if isinstance(value, tuple) else f"[{inner}]"
    if isinstance(value, (Tensor, Opaque)):
        text = repr(value)
    elif isinstance(value, float):
        text = f"{value:.6g}"
    elif isinstance(value, str):
        text = repr(value[: max(room[0], 0) + 1])
    elif isinstance(value, (bool, int)) or value is None:
        text = repr(value)
    else:
        arr = np.asarray(value)
        if arr.dtype.kind in "biuf":  # one line, so it reads the same in feedback.md, JSON and a terminal
            text = np.array2string(arr, precision=6, suppress_small=True, threshold=40, max_line_width=10_000, separator=", ")
            text = " ".join(text.split())
        else:
            text = repr(value)
    room[0] -= len(text)
    return text


def _join(items, room):
    parts = []
    for prefix, item in items:
        if room[0] <= 0:
            parts.append(f"… ({len(items)} items)")
            break
        parts.append(prefix + _fmt(item, room))
        room[0] -= len(prefix) + 2
    return ", ".join(parts)


def _is_numeric_nest(value, most=1_000_000):
    """Nested lists of plain numbers only (checked before numpy would build, say, a string array)."""
    stack, seen = [value], 0
    while stack:
        item = stack.pop()
        seen += 1
        if seen > most:
            return False
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, np.ndarray):
            seen += item.size
            if item.dtype.kind not in "biuf":
                return False
        elif not isinstance(item, (bool, int, float, np.number)):
            return False
    try:
        return np.asarray(value).dtype.kind in "biuf"
    except (ValueError, TypeError):
        return False


def generic_hint(got, expected):
    """Name the mistake when `got` is a simple transform of `expected` (arrays)."""
    got, expected = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    if (got.shape != expected.shape and got.size == expected.size and got.squeeze().shape == expected.squeeze().shape
            and close(got.reshape(expected.shape), expected)):
        # in the same words on every case (the shapes are in the problem line), so the cases agree on it
        return "the values are right, with an extra axis of size 1: drop the extra axis of size 1 (keepdims=True, or reshape)"
    if not np.any(np.abs(expected) > 1e-6):
        return ""
    if close(got, -expected):
        return "the sign is flipped"
    if close(got, 2 * expected):
        return "twice the expected value: a factor 2 too many (or a missing 1/2)"
    if close(got, 0.5 * expected):
        return "half the expected value: a factor 1/2 too many (or a missing factor 2)"
    if got.ndim == 2 and got.shape == expected.T.shape and got.shape != expected.shape:
        return "the shape is transposed: check which side of the product each factor goes"
    if got.ndim == 2 and got.shape == expected.shape and close(got.T, expected):
        return "the result is transposed"
    return ""


def compare_arrays(got, expected, what="the result", mistakes=None):
    """Verdict for one array-valued output; `mistakes` maps a hint to the value that mistake gives."""
    try:
        arr = as_array(got, what)
    except WrongType as exc:
        return Verdict(False, str(exc), expected, got)
    exp = np.asarray(expected, dtype=float)
    if arr.shape == exp.shape and (arr == exp).all():  # speed: the common exact answer (nan never equals)
        return Verdict.passed()
    if arr.shape != exp.shape:  # the catalogue first: a transposed or unsummed gradient has its own shape
        return hinted(f"{what} has shape {arr.shape}, expected {exp.shape}", exp, arr, mistake_hints(arr, exp, mistakes))
    if not np.all(np.isfinite(arr)) and np.all(np.isfinite(exp)):
        return Verdict(False, f"{what} contains nan or inf", exp, arr)
    if close(arr, exp):
        return Verdict.passed()
    return hinted(f"{what} differs from the expected value", exp, arr, mistake_hints(arr, exp, mistakes))


def mistake_hints(got, expected, mistakes=None):
    """Every catalogued mistake ({hint: the value it gives}) that gives `got` where the right value
    is `expected`, in the catalogue's order, then the generic hint, if any. Several mistakes can
    give the same value on one case (at a tie, on a zero input, an unsummed gradient of one row and
    an extra axis): see Verdict.alike."""
    found = tuple(hint for hint, wrong in (mistakes or {}).items()
                  if wrong is not None and close(got, wrong) and not close(wrong, expected))
    generic = generic_hint(got, expected)
    return found + ((generic,) if generic and generic not in found else ())


def hinted(message, expected, got, hints):
    """A failing verdict naming the first of `hints`, the others kept as alike."""
    return Verdict(False, message, expected, got, hints[0] if hints else "", alike=tuple(hints[1:]))


def compare_parts(got, expected, names, what="the result", mistakes=None):
    """Verdict for a tuple of arrays, e.g. (grad_X, grad_W, grad_b); mistakes are per part name."""
    try:
        parts = as_sequence(got, len(names), what)
    except WrongType as exc:
        return Verdict(False, str(exc), expected, got)
    return first_failure([(g, e, name, (mistakes or {}).get(name)) for name, g, e in zip(names, parts, expected)])


def first_failure(parts):
    """compare_arrays over parts [(got, expected, what, mistakes)]: the failure that names the first
    cause, shape before value: an unreadable part, then a wrong shape, then nan/inf, then a wrong value
    (in the parts' order within each kind)."""
    failed = []
    for index, (got, expected, what, mistakes) in enumerate(parts):
        verdict = compare_arrays(got, expected, what, mistakes)
        if not verdict.ok:
            failed.append((_failure_rank(got, expected), index, verdict))
    return min(failed, key=lambda f: f[:2])[2] if failed else Verdict.passed()


def _failure_rank(got, expected):
    try:
        arr = as_array(got)
    except WrongType:
        return 0
    if arr.shape != np.shape(expected):
        return 1
    return 2 if not np.all(np.isfinite(arr)) else 3


def compare_dict(got, expected, what="the result", mistakes=None):
    """Verdict for a dict of arrays with exactly the expected keys."""
    try:
        as_dict(got, expected.keys(), what)
    except WrongType as exc:
        return Verdict(False, str(exc), expected, got)
    return first_failure([(got[key], expected[key], f"{what}[{key!r}]", (mistakes or {}).get(key)) for key in expected])


def compare_float(got, expected, what="the result", mistakes=None):
    try:
        value = as_number(got, what)
    except WrongType as exc:
        return Verdict(False, str(exc), expected, got)
    if close(value, expected):
        return Verdict.passed()
    return hinted(f"{what} differs from the expected value", expected, value, mistake_hints(value, expected, mistakes))


def relative_error(analytic, numeric):
    """CS231n's max |a - n| / max(|a|, |n|), guarded for zeros."""
    a, n = np.asarray(analytic, dtype=float), np.asarray(numeric, dtype=float)
    if a.shape != n.shape or not (np.all(np.isfinite(a)) and np.all(np.isfinite(n))):
        return float("inf")
    denom = np.maximum(np.maximum(np.abs(a), np.abs(n)), 1e-8)
    return float(np.max(np.abs(a - n) / denom, initial=0.0))
