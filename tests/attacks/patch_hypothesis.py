# Attack, at import: sabotage hypothesis in this process (strategies that draw nothing, a
# `given` that never runs the test) hoping the grader's search and shrinking are affected.
import hypothesis
import hypothesis.strategies as _st

_st.floats = lambda *a, **k: _st.just(0.0)
_st.integers = lambda *a, **k: _st.just(0)
hypothesis.given = lambda *a, **k: (lambda f: (lambda *x, **y: None))
hypothesis.settings.register_profile("attack", max_examples=1)
hypothesis.settings.load_profile("attack")


def relu(z):
    """Garbage for every input."""
    return -np.abs(np.asarray(z, dtype=float)) - 1.0
