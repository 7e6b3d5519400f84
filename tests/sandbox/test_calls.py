"""The child's call recorder notes the graded functions the function under test calls, at any
depth, and nothing called outside it (the probes' own piece calls)."""
import types

import pytest

from grader.sandbox.calls import CallRecorder

SOURCE = '''
def helper(z):
    return z + 1

def leaf(z):
    return helper(z) * 2

def under_test(z):
    return leaf(z) + helper(z)

def boom(z):
    helper(z)
    raise ValueError("no")

def lazy(z):
    yield helper(z)

def calls_under_test(z):
    return under_test(z)

class Layer:
    def __init__(self, z):
        self.z = leaf(z)
'''
GRADED = {f"m.{name}" for name in ("helper", "leaf", "under_test", "boom", "lazy", "calls_under_test", "Layer")}


def recorded_module():
    module = types.ModuleType("m")
    exec(SOURCE, module.__dict__)
    recorder = CallRecorder(GRADED)
    recorder.wrap_module(module)
    return module, recorder


def test_calls_at_any_depth_inside_the_function_under_test_are_noted():
    module, recorder = recorded_module()
    recorder.start("m.under_test")
    assert module.under_test(1) == 6
    assert recorder.calls() == ["m.helper", "m.leaf"]


def test_calls_outside_the_function_under_test_are_not_noted():
    module, recorder = recorded_module()
    recorder.start("m.under_test")
    module.leaf(1)  # a piece call the probe makes itself
    module.calls_under_test(1)  # the function under test reached from another graded call
    assert recorder.calls() == []
    module.under_test(1)
    assert recorder.calls() == ["m.helper", "m.leaf"]


def test_an_exception_ends_the_outermost_call():
    module, recorder = recorded_module()
    recorder.start("m.boom")
    with pytest.raises(ValueError):
        module.boom(1)
    module.leaf(1)  # after the failed call: outside the function under test again
    assert recorder.calls() == ["m.helper"]


def test_a_generator_runs_outside_its_call_and_a_class_init_is_recorded():
    module, recorder = recorded_module()
    recorder.start("m.lazy")
    assert list(module.lazy(1)) == [2]  # the body runs after the call returned the generator
    assert recorder.calls() == []
    recorder.start("m.Layer")
    assert module.Layer(1).z == 4
    assert recorder.calls() == ["m.helper", "m.leaf"]


def test_start_forgets_the_previous_function():
    module, recorder = recorded_module()
    recorder.start("m.under_test")
    module.under_test(1)
    recorder.start("m.leaf")
    module.leaf(1)
    assert recorder.calls() == ["m.helper"]
