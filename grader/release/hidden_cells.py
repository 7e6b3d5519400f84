"""The hidden tests of the autograded notebook cells, generated from the specs: one per rubric check.

A hidden test is one call of grader.in_kernel.grade_cell, which runs the sandboxed grader's own
checks in the student's kernel during `nbgrader autograde` (see that module). What the call needs
from the reference is computed here, at release time, from the class context (grader.judging.reference):
the class's cases of the function's checks and of the checks of every graded function whose pieces
they call (own-piece credit is settled on those functions' verdicts, as in the sandbox), the
reference's expected values on them and the rubric's points, as plain data. The cells are hidden
(nbgrader removes them from the release and restores them at autograde); no reference code is in
them, and nothing in the kernel imports solutions/.

Fairness therefore follows from the specs themselves: tolerances that accept float32, warnings that
fail only the check about warnings, any value between the one-sided derivatives at a kink, behaviour
(not the reference's numbers) where the contract leaves freedom.
"""
from pathlib import Path

from grader import SOLUTIONS_DIR
from grader.in_kernel import pack_data
from grader.judging.fingerprint import fingerprint
from grader.judging.reference import build_context

CELL = '''\
from grader.in_kernel import grade_cell  # nngrade's checks, the same code as the sandboxed grader's

grade_cell(globals(), {function!r}, {check!r}, {data!r})
'''


def hidden_cells(rubric, solutions_dir=SOLUTIONS_DIR):
    """source(function, check) -> the hidden test code of that rubric check."""
    ctx = _context(rubric, solutions_dir)
    cache = {}

    def source(function, check):
        if check not in rubric.points.get(function, {}):
            raise KeyError(f"{function} / {check} is not in the rubric {rubric.source}")
        if function not in cache:
            cache[function] = pack_data(cell_data(ctx, rubric, function))
        return CELL.format(function=function, check=check, data=cache[function])

    return source


_CONTEXTS = {}  # {(solutions folder, fingerprint): class context}, the last two


def _context(rubric, solutions_dir):
    """The class context, once per kit state (the fingerprint of grader, reference and rubric)."""
    key = (str(solutions_dir), fingerprint(rubric, solutions_dir))
    if key not in _CONTEXTS:
        if len(_CONTEXTS) >= 2:
            _CONTEXTS.pop(next(iter(_CONTEXTS)))
        _CONTEXTS[key] = build_context(rubric, Path(solutions_dir))
    return _CONTEXTS[key]


def cell_data(ctx, rubric, function):
    """The plain data of the grade cells of `function`."""
    functions = graded_closure(ctx, rubric, function)
    checks = [c for f in functions for c in ctx.functions[f].checks if c.name in rubric.points[f] and c.id in ctx.checks]
    return {
        "points": {f: dict(rubric.points[f]) for f in functions},
        "timeouts": {f: rubric.timeout(f) for f in functions},
        "default_timeout": rubric.default_timeout,
        "per_student": rubric.per_student,
        "cases": {c.id: ctx.cases[c.id] for c in checks},
        "expected": {c.id: ctx.expected[c.id] for c in checks},
    }


def graded_closure(ctx, rubric, function):
    """`function` and every graded function whose pieces its checks call, directly or through
    those, in rubric order."""
    found, todo = {function}, [function]
    while todo:
        for piece in _pieces(ctx, todo.pop()) - found:
            if piece in rubric.points:
                found.add(piece)
                todo.append(piece)
    return [f for f in rubric.points if f in found]


def _pieces(ctx, function):
    """The functions the piece calls of `function`'s checks name, on the class's cases."""
    names = set()
    for check in ctx.functions[function].checks:
        if check.id in ctx.checks and check.probe.pieces is not None:
            names.update(call.function for case in ctx.cases[check.id] for call in check.probe.pieces(case))
    return names
