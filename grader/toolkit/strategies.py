"""Hypothesis strategies for the exercises' inputs: plain dicts of float64 arrays and numbers.

Values are kept well-conditioned (moderate magnitudes, no subnormals) so that a
correct float32 implementation stays within tolerance; edge cases (ties, kinks,
batches of one, |z| up to 1000) come from dedicated strategies and examples.
"""
from functools import lru_cache

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp


# Speed: composites below ask for the same strategies on every draw; one object per argument set
# is validated once, instead of once per draw (searches draw thousands of times per class).
@lru_cache(maxsize=None)
def reals(bound=5.0):
    return st.floats(-bound, bound, allow_nan=False, allow_infinity=False, allow_subnormal=False)


@lru_cache(maxsize=None)
def small_ints(bound=3):
    """Integer-valued floats: exact in any precision, so dot products tie exactly at 0."""
    return st.integers(-bound, bound).map(float)


@lru_cache(maxsize=4096)
def array(shape, elements=None):
    return hnp.arrays(np.float64, shape, elements=elements if elements is not None else reals())


@lru_cache(maxsize=None)
def dims(lo=1, hi=5):
    return st.integers(lo, hi)


def any_shape(max_dims=3, max_side=4):
    return hnp.array_shapes(min_dims=0, max_dims=max_dims, min_side=1, max_side=max_side)


def away_from_zero(bound=5.0, gap=1e-2):
    """Reals with |z| >= gap: finite differences never straddle a kink."""
    magnitude = st.floats(gap, bound, allow_nan=False, allow_subnormal=False)
    return st.tuples(st.sampled_from([-1.0, 1.0]), magnitude).map(lambda p: p[0] * p[1])


@st.composite
def dense_case(draw, elements=None):
    """X (m, n_in), W (n_in, n_out), b (n_out,), G (m, n_out): one dense layer and its upstream gradient."""
    m, n_in, n_out = draw(dims()), draw(dims()), draw(dims())
    elements = elements or reals(3.0)
    return {
        "X": draw(array((m, n_in), elements)),
        "W": draw(array((n_in, n_out), elements)),
        "b": draw(array((n_out,), elements)),
        "G": draw(array((m, n_out), elements)),
    }


_UNIT = st.floats(0.0, 1.0)


@st.composite
def mlp_case(draw):
    """A batch and parameters of the 2-layer network: X (m, n_in), y (m, n_out) in [0, 1], params."""
    m, n_in, n_hidden, n_out = draw(dims(1, 4)), draw(dims(1, 3)), draw(dims(1, 4)), draw(dims(1, 2))
    w = reals(2.0)
    return {
        "X": draw(array((m, n_in), reals(2.0))),
        "y": draw(array((m, n_out), _UNIT)),
        "params": {
            "W1": draw(array((n_in, n_hidden), w)),
            "b1": draw(array((n_hidden,), w)),
            "W2": draw(array((n_hidden, n_out), w)),
            "b2": draw(array((n_out,), w)),
        },
    }


@st.composite
def linear_case(draw, with_lr=False):
    """X (m, n), w (n,), y (m,) for the linear unit; optionally a learning rate."""
    m, n = draw(dims(1, 6)), draw(dims(1, 4))
    case = {"X": draw(array((m, n), reals(3.0))), "w": draw(array((n,), reals(3.0))), "y": draw(array((m,), reals(3.0)))}
    if with_lr:
        case["lr"] = draw(st.sampled_from([0.001, 0.01, 0.05, 0.1]))
    return case


def elementwise_case(elements=None, max_dims=3):
    """{"z": array of any shape (0-d included)}."""
    elements = elements if elements is not None else reals(10.0)
    return any_shape(max_dims).flatmap(lambda shape: array(shape, elements)).map(lambda z: {"z": z})
