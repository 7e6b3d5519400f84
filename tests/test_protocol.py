"""The plain-data protocol: round trips, and forged frames rejected without allocating or unpickling."""
import io
import json
import pickle
import struct

import numpy as np
import pytest

from grader.protocol import MAX_FRAME_BYTES, Opaque, ProtocolError, Tensor, decode, encode, pack, unpack, unpack_bytes


def roundtrip(value):
    tree, buffers = encode(value)
    message, arrays = unpack(io.BytesIO(pack(tree, buffers)).read)
    return decode(message, arrays)


def test_plain_values_round_trip():
    value = {"a": np.arange(6.0).reshape(2, 3), "b": [1, 2.5, (np.float32(1.5), None)], "c": np.array(3.0),
             "d": np.array([True, False]), "e": float("nan"), "f": "text", "g": np.int64(7)}
    back = roundtrip(value)
    assert np.array_equal(back["a"], value["a"]) and back["a"].shape == (2, 3)
    assert back["b"] == [1, 2.5, (1.5, None)]
    assert back["c"].shape == () and back["c"] == 3.0
    assert back["d"].dtype == bool and list(back["d"]) == [True, False]
    assert np.isnan(back["e"]) and back["f"] == "text" and back["g"] == 7


def test_objects_travel_as_descriptions_only():
    class Evil:
        def __eq__(self, other):
            return True

    back = roundtrip({"obj": Evil(), "arr": np.array([object()], dtype=object)})
    assert isinstance(back["obj"], Opaque) and back["obj"].type_name == "Evil"
    assert isinstance(back["arr"], Opaque)


def test_subclasses_are_flattened_to_plain_values():
    class Sneaky(np.ndarray):
        def __eq__(self, other):
            return True

    class FakeFloat(float):
        def __eq__(self, other):
            return True

    back = roundtrip([np.arange(3.0).view(Sneaky), FakeFloat(2.0)])
    assert type(back[0]) is np.ndarray and type(back[1]) is float
    assert not (back[0] == np.array([9.0, 9.0, 9.0])).any()


def test_torch_tensors_are_marked():
    torch = pytest.importorskip("torch")
    back = roundtrip(torch.ones(2))
    assert isinstance(back, Tensor) and list(back.values) == [1.0, 1.0]


def _frame(header, payload=b""):
    raw = json.dumps(header).encode()
    return struct.pack("!II", len(raw), len(payload)) + raw + payload


def test_forged_array_header_cannot_request_memory():
    # a terabyte-sized shape backed by 8 bytes
    tree = {"t": "array", "dtype": "<f8", "shape": [10**6, 10**6], "buf": 0}
    message, arrays = unpack_bytes(_frame({"m": tree, "sizes": [8]}, b"\0" * 8))
    with pytest.raises(ProtocolError):
        decode(message, arrays)


@pytest.mark.parametrize("dtype", ["|O", "<U3", "|V8", "|S8"])
def test_non_numeric_dtypes_are_refused(dtype):
    tree = {"t": "array", "dtype": dtype, "shape": [1], "buf": 0}
    message, arrays = unpack_bytes(_frame({"m": tree, "sizes": [8]}, b"\0" * 8))
    with pytest.raises((ProtocolError, TypeError)):
        decode(message, arrays)


def test_pickles_and_garbage_are_refused():
    payload = pickle.dumps({"score": 100})
    with pytest.raises(ProtocolError):
        unpack_bytes(struct.pack("!II", len(payload), 0) + payload)
    with pytest.raises(ProtocolError):
        decode({"t": "pickle", "v": payload.hex()}, [])


def test_huge_frames_are_refused_before_reading():
    head = struct.pack("!II", 10, MAX_FRAME_BYTES)
    with pytest.raises(ProtocolError):
        unpack_bytes(head + b"x" * 10)


def _nested(levels):
    value = [1.0]
    for _ in range(levels - 1):
        value = [value]
    return value


def test_encoder_and_decoder_share_one_depth_limit():
    from grader.protocol import MAX_DEPTH, TooDeep

    deepest = _nested(MAX_DEPTH + 1)  # nodes at depths 0 .. MAX_DEPTH: the most either side accepts
    assert roundtrip(deepest) == deepest
    for levels in (MAX_DEPTH + 2, 1000):
        with pytest.raises(TooDeep, match=rf"nested deeper than {MAX_DEPTH + 1} levels"):
            encode(_nested(levels))
    with pytest.raises(TooDeep, match=rf"nested deeper than {MAX_DEPTH - 2} levels"):
        encode(_nested(MAX_DEPTH), depth=3)  # where a value sits inside a message: fewer levels are left
    cyclic = []
    cyclic.append(cyclic)
    with pytest.raises(TooDeep):
        encode(cyclic)
    # The decoder refuses exactly what the encoder would not produce.
    tree = {"t": "list_n", "v": [1.0]}
    for _ in range(MAX_DEPTH + 1):
        tree = {"t": "list", "items": [tree]}
    with pytest.raises(ProtocolError):
        decode(tree, [])


def test_frame_sizes_name_a_cap_below_the_protocols():
    from grader.protocol import FrameTooLarge, frame_sizes

    assert frame_sizes(struct.pack("!II", 10, 90), max_bytes=100) == (10, 90)
    with pytest.raises(FrameTooLarge) as caught:
        frame_sizes(struct.pack("!II", 10, 91), max_bytes=100)
    assert (caught.value.size, caught.value.limit) == (101, 100)
    with pytest.raises(FrameTooLarge):  # never above the protocol's own limit
        frame_sizes(struct.pack("!II", 0, MAX_FRAME_BYTES + 1), max_bytes=10 * MAX_FRAME_BYTES)
