"""The class context computed once per kit state for the whole test session.

Building a context (grader.judging.reference.build_context) generates the class's cases with
hypothesis and runs the reference on them: seconds of CPU, paid by every grade_folder without a
ctx, every in-process `nngrade grade` and every rubric the tests build one for. The first build of a
state (its fingerprint: grader code, reference, rubric and library versions) is a real one; later
builds of that state take the production path for a precomputed context
(grader.judging.context_cache): the same cases and expected values, fresh memos, the reference
imported when a search needs it. As in that cache, the values are kept as the protocol's bytes and
decoded afresh for each build: no context shares an object with another (grading one class must
not see what grading another did to its context).
"""
from grader import SOLUTIONS_DIR
from grader.judging import reference
from grader.judging.fingerprint import fingerprint
from grader.protocol import decode, encode, pack, unpack_bytes

_real_build = reference.build_context
_computed = {}  # fingerprint: the protocol's bytes of reference.cached_parts (cases, expected values, plots)


def build_context(rubric=None, solutions_dir=SOLUTIONS_DIR, cached=None, key=None):
    """grader.judging.reference.build_context, computed once per fingerprint in this process."""
    if cached is not None:
        return _real_build(rubric, solutions_dir, cached=cached, key=key)
    key = key or fingerprint(rubric, solutions_dir)
    if key in _computed:
        return _real_build(rubric, solutions_dir, cached=decode(*unpack_bytes(_computed[key])), key=key)
    ctx = _real_build(rubric, solutions_dir, key=key)
    _computed[key] = pack(*encode(reference.cached_parts(ctx)))
    return ctx
