"""Plain-data protocol between the grader and the sandboxed child.

Only numbers, strings and numeric arrays cross the boundary: a message is a JSON
header plus the raw bytes of its arrays. Arrays are rebuilt with np.frombuffer
after checking that the header's dtype is numeric and its shape matches the
bytes actually sent, so a forged header can neither unpickle anything nor make
the grader allocate more than it received. Student objects are described, never
transported: a torch tensor arrives as {"t": "tensor", ...} with its values, an
unknown object as {"t": "object", "type": "Foo"}.
"""
import json
import math
import struct

import numpy as np

MAX_FRAME_BYTES = 64 * 1024 * 1024  # one message; more is a protocol violation
MAX_CHILD_HEADER_BYTES = 8 * 1024 * 1024  # JSON part of a frame from the sandboxed child (see unpack)
MAX_DEPTH = 16  # nesting of one message's tree: the encoder refuses what the decoder would (see TooDeep)
MAX_ITEMS = 100_000
_ALLOWED_KINDS = "biuf"  # bool, int, unsigned, float: never object, string or void
_LEN = struct.Struct("!II")  # header length, payload length


class ProtocolError(ValueError):
    """A message that is not well-formed plain data."""


class FrameTooLarge(ProtocolError):
    """A frame over a size cap, known from its length prefix alone (its bytes are not read)."""

    def __init__(self, size, limit):
        super().__init__(f"frame of {size} bytes exceeds the limit of {limit}")
        self.size, self.limit = size, limit


class TooDeep(ValueError):
    """A value nested deeper than MAX_DEPTH allows: refused when encoding, so that nothing the
    decoder would refuse is ever sent (the child reports it as that case's error)."""

    def __init__(self, levels=None):
        super().__init__(f"nested deeper than {levels} levels" if levels else "nested too deeply")
        self.levels = levels


# ---- encoding (runs in the child, on whatever the student returned) ---------------------------

def encode(value, depth=0):
    """(header tree, list of byte buffers) describing `value` as plain data; `depth` is where the
    value will sit in its message's tree (TooDeep names the levels left to it)."""
    buffers = []
    try:
        tree = _encode(value, buffers, depth)
    except TooDeep:
        raise TooDeep(MAX_DEPTH - depth + 1) from None
    return tree, buffers


def encode_many(values):
    """Like encode, for several values sharing one list of buffers."""
    buffers = []
    return [_encode(v, buffers, 0) for v in values], buffers


def _array_node(arr, buffers, kind="array"):
    if type(arr) is not np.ndarray:
        arr = np.asarray(arr)
        arr = arr.view(np.ndarray) if type(arr) is not np.ndarray else arr
    dtype = arr.dtype
    if dtype.kind not in _ALLOWED_KINDS:
        return {"t": "object", "type": f"ndarray[{dtype}]"}
    if dtype.kind == "b":
        arr, dtype = arr.astype(np.uint8), np.dtype(np.uint8)
        kind = kind + "_bool"
    buffers.append(arr.tobytes())  # C order
    return {"t": kind, "dtype": _dtype_text(dtype), "shape": list(arr.shape), "buf": len(buffers) - 1}


_DTYPE_TEXT = {}  # speed: dtype.str builds a new string on every read (a results frame holds thousands of arrays)


def _dtype_text(dtype):
    text = _DTYPE_TEXT.get(dtype)
    if text is None:
        text = _DTYPE_TEXT[dtype] = dtype.str
    return text


def _encode(value, buffers, depth):
    if depth > MAX_DEPTH:  # the decoder's limit, checked the same way
        raise TooDeep()
    t = type(value)
    if t is np.ndarray:  # the common case first
        return _array_node(value, buffers)
    if t is dict:
        keys = [k for k in value if type(k) is str][:MAX_ITEMS]
        return {"t": "dict", "keys": keys, "items": [_encode(value[k], buffers, depth + 1) for k in keys]}
    if value is None:
        return {"t": "none"}
    if t is bool or t is np.bool_:
        return {"t": "bool", "v": bool(value)}
    if isinstance(value, (int, np.integer)):
        v = int(value)
        return {"t": "int", "v": v} if abs(v) < 2**53 else {"t": "float", "v": float(v)}
    if isinstance(value, (float, np.floating)):
        return {"t": "float", "v": _float_token(float(value))}
    if t is str:
        return {"t": "str", "v": value[:10_000]}
    if isinstance(value, np.ndarray):
        return _array_node(value, buffers)
    if t in (list, tuple):
        items = list(value)[:MAX_ITEMS]
        numbers = _numbers(items)
        if numbers is not None:  # speed: one node for a list of numbers (a loss history), not one each
            return {"t": t.__name__ + "_n", "v": numbers}
        return {"t": t.__name__, "items": [_encode(v, buffers, depth + 1) for v in items]}
    if t is dict:
        keys = [k for k in value if type(k) is str][:MAX_ITEMS]
        return {"t": "dict", "keys": keys, "items": [_encode(value[k], buffers, depth + 1) for k in keys]}
    if _is_torch_tensor(value):
        return _array_node(value.detach().cpu().numpy(), buffers, kind="tensor")
    return {"t": "object", "type": t.__name__[:80]}


def _numbers(items):
    """The JSON values of a list of plain numbers (as _encode gives them one by one), else None."""
    out = []
    for v in items:
        t = type(v)
        if t is float or (t is not np.bool_ and isinstance(v, np.floating)):
            out.append(_float_token(float(v)))
        elif t is int or isinstance(v, np.integer):
            v = int(v)
            out.append(v if abs(v) < 2**53 else float(v))
        else:
            return None
    return out


def _is_torch_tensor(value):
    torch = __import__("sys").modules.get("torch")
    return torch is not None and isinstance(value, torch.Tensor)


def _float_token(v):
    # JSON has no nan/inf: send them as strings, decoded back to floats.
    return v if math.isfinite(v) else repr(v)


# ---- decoding (runs in the grader, on bytes from the child) ------------------------------------

def decode(tree, buffers):
    """Rebuild plain Python/numpy data; raise ProtocolError on anything else."""
    try:
        return _decode(tree, buffers, 0)
    except ProtocolError:
        raise
    except (ArithmeticError, KeyError, TypeError, ValueError, IndexError, RecursionError) as exc:
        # Security: whatever a forged tree holds (int 1e400 -> OverflowError, a shape of 1e400, a
        # key of the wrong type), the caller sees a ProtocolError, never a crash of the grader.
        raise ProtocolError(f"malformed value ({type(exc).__name__})") from None


def clean_text(value, limit=10_000):
    """A string that can be written anywhere as UTF-8: lone surrogates (legal in JSON escapes,
    and in a student's exception messages) would make every later write of the feedback fail."""
    return value[:limit].encode("utf-8", "backslashreplace").decode("utf-8")


def _decode(node, buffers, depth):
    if depth > MAX_DEPTH or type(node) is not dict:
        raise ProtocolError("malformed value")
    t = node.get("t")
    if t == "array":  # the common case first
        return _decode_array(node, buffers)
    if t == "none":
        return None
    if t == "bool":
        return bool(node["v"])
    if t == "int":
        return int(node["v"])
    if t == "float":
        return _decode_float(node["v"])
    if t == "str":
        if not isinstance(node.get("v"), str):
            raise ProtocolError("malformed string")
        return clean_text(node["v"])
    if t in ("array", "array_bool", "tensor", "tensor_bool"):
        arr = _decode_array(node, buffers)
        return Tensor(arr) if t.startswith("tensor") else arr
    if t in ("list", "tuple"):
        items = [_decode(v, buffers, depth + 1) for v in _items(node)]
        return items if t == "list" else tuple(items)
    if t in ("list_n", "tuple_n"):
        values = node.get("v")
        if not isinstance(values, list) or len(values) > MAX_ITEMS:
            raise ProtocolError("malformed sequence")
        items = [v if type(v) is int else _decode_float(v) for v in values]
        return items if t == "list_n" else tuple(items)
    if t == "dict":
        keys, items = node.get("keys"), _items(node)
        if not isinstance(keys, list) or len(keys) != len(items) or not all(isinstance(k, str) for k in keys):
            raise ProtocolError("malformed dict")
        return {clean_text(k, 200): _decode(v, buffers, depth + 1) for k, v in zip(keys, items)}
    if t == "object":
        return Opaque(clean_text(str(node.get("type", "?")), 80))
    raise ProtocolError(f"unknown value type {t!r}")


def _items(node):
    items = node.get("items")
    if not isinstance(items, list) or len(items) > MAX_ITEMS:
        raise ProtocolError("malformed sequence")
    return items


def _decode_float(v):
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    if v in ("nan", "inf", "-inf"):
        return float(v)
    raise ProtocolError("malformed float")


_DTYPES = {}  # dtype text -> np.dtype, for the few numeric dtypes that occur (parsing is slow)


def _dtype(text):
    dtype = _DTYPES.get(text) if type(text) is str else None
    if dtype is None:
        dtype = np.dtype(text)
        if dtype.kind not in _ALLOWED_KINDS or dtype.hasobject:
            raise ProtocolError("array of a non-numeric dtype")
        if len(_DTYPES) < 64:
            _DTYPES[text] = dtype
    return dtype


def _decode_array(node, buffers):
    try:
        dtype = _dtype(node["dtype"])
        shape = tuple(map(int, node["shape"]))
        raw = buffers[int(node["buf"])]
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise ProtocolError(f"malformed array: {exc}") from None
    if len(shape) > 32 or (shape and min(shape) < 0):
        raise ProtocolError("array of a bad shape")
    if math.prod(shape) * dtype.itemsize != len(raw):
        raise ProtocolError("array header does not match its data")
    arr = np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    return arr.astype(bool) if node["t"].endswith("_bool") else arr


class Tensor:
    """A torch tensor the student returned, as data (kept distinct so the grader can say so)."""

    def __init__(self, values):
        self.values = values

    def __repr__(self):
        return f"tensor({self.values!r})"


class Opaque:
    """Something that is not plain data (a model object, a generator, ...), by type name only."""

    def __init__(self, type_name):
        self.type_name = type_name

    def __repr__(self):
        return f"<{self.type_name} object>"


# ---- framing over a stream ---------------------------------------------------------------------

def pack(message, arrays=()):
    """Bytes of one frame: a JSON header (any plain message) and raw array buffers."""
    buffers = [bytes(b) for b in arrays]
    header = json.dumps({"m": message, "sizes": [len(b) for b in buffers]}, allow_nan=False).encode()
    payload = b"".join(buffers)
    return _LEN.pack(len(header), len(payload)) + header + payload


def unpack_bytes(raw):
    """unpack() of a frame already in memory (its lengths were checked when it was read)."""
    view, offset = memoryview(raw), 0

    def read(n):
        nonlocal offset
        if offset + n > len(view):
            raise ProtocolError("truncated frame")
        piece = bytes(view[offset: offset + n])
        offset += n
        return piece

    return unpack(read)


FRAME_PREFIX_BYTES = _LEN.size


def frame_sizes(prefix, max_header=None, max_bytes=MAX_FRAME_BYTES):
    """(header length, payload length) from a frame's first FRAME_PREFIX_BYTES bytes, within the limits.

    max_header bounds the JSON part on its own (frames from the sandboxed child: JSON costs ~15x
    its size in Python objects, raw array bytes cost 1x); max_bytes (at most MAX_FRAME_BYTES)
    bounds the whole frame: FrameTooLarge."""
    header_len, payload_len = _LEN.unpack(prefix)
    limit = min(max_bytes, MAX_FRAME_BYTES)
    if header_len + payload_len > limit:
        raise FrameTooLarge(header_len + payload_len, limit)
    if max_header is not None and header_len > max_header:
        raise ProtocolError(f"frame header of {header_len} bytes exceeds the limit")
    return header_len, payload_len


def unpack(read_exact, max_header=None):
    """Read one frame with `read_exact(n) -> bytes`; returns (message, buffers). The message is
    always a dict."""
    header_len, payload_len = frame_sizes(read_exact(_LEN.size), max_header)
    try:
        header = json.loads(read_exact(header_len))
        sizes = [int(s) for s in header["sizes"]]
        message = header["m"]
    except (ValueError, KeyError, TypeError, ArithmeticError, RecursionError) as exc:
        # RecursionError: deeply nested JSON; ArithmeticError: a size of 1e400. A malformed frame
        # must be a ProtocolError for whoever reads it, not an exception that kills the reader.
        raise ProtocolError(f"malformed frame header: {type(exc).__name__}") from None
    if type(message) is not dict:
        raise ProtocolError("a frame's message must be an object")
    payload = read_exact(payload_len)
    if sum(sizes) != payload_len or any(s < 0 for s in sizes):
        raise ProtocolError("frame sizes do not add up")
    buffers, offset = [], 0
    for size in sizes:
        buffers.append(payload[offset : offset + size])
        offset += size
    return message, buffers
