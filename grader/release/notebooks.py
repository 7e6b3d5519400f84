"""Build the nbgrader *source* notebooks (solutions included) from solutions/.

One notebook per reference module:
  - markdown: the module docstring, the slides' formulas, how the notebook works;
  - code cells (locked): one line importing the kit's quick checks (which also
    lets a notebook import an earlier one), the module's import lines, given functions;
  - per exercise (function or class): a heading, the solution cell (the
    reference definition with its ### BEGIN/END SOLUTION markers), a locked
    quick-check cell (one call of the kit's check, grader.release.visible_cells), and one
    autograded cell per rubric check, worth that check's points, whose tests
    sit in a ### BEGIN/END HIDDEN TESTS region.

The output is deterministic (fixed cell ids derived from the content's role,
no timestamps), so rebuilding gives byte-identical notebooks.
"""

import nbformat

from grader import SOLUTIONS_DIR, exercise_files
from grader.release.anatomy import parse_module
from grader.release.hidden_cells import hidden_cells
from grader.intake.nbimport import GIVEN_PREFIX, LOADER_GRADE_ID, SOLUTION_PREFIX
from grader.release.teaching import HOW_TO, HOW_TO_IMPORTS, SLIDES, title_and_body
from grader.release.visible_cells import IMPORT_LINE, visible_cells
from grader.rubric import load_rubric

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {"name": "python"}


def _nbgrader(grade_id, *, grade=False, solution=False, locked=False, points=None):
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3, "solution": solution}
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def _markdown(cell_id, text):
    return nbformat.v4.new_markdown_cell(text.strip() + "\n", id=cell_id)


def _code(grade_id, source, **flags):
    # The cell id mirrors the grade id (nbformat ids allow [A-Za-z0-9_-]).
    return nbformat.v4.new_code_cell(source.rstrip() + "\n", id=grade_id.replace("_", "-"),
                                     metadata=_nbgrader(grade_id, **flags))


def _points(value):
    return int(value) if float(value).is_integer() else float(value)


def _needs_importer(anatomy):
    return any(line.startswith("from ex") for line in anatomy.header.splitlines())


def _intro_cells(anatomy):
    title, body = title_and_body(anatomy.docstring)
    text = f"{title}\n\n{body}\n\n{SLIDES.get(anatomy.name, '').strip()}\n\n{HOW_TO}"
    if _needs_importer(anatomy):
        text += "\n" + HOW_TO_IMPORTS
    # not a given_ cell: those make up the module rebuilt from a notebook (nbgrader_submissions)
    return [_markdown("intro", text), _code(LOADER_GRADE_ID, IMPORT_LINE, locked=True),
            _code(f"{GIVEN_PREFIX}imports", anatomy.header, locked=True)]


def _given_cells(block):
    return [
        _markdown(f"given-{block.name}-md", f"### Given: `{block.name}`\n\nNot part of the exercise; run it."),
        _code(f"{GIVEN_PREFIX}{block.name}", block.source, locked=True),
    ]


def _exercise_cells(number, anatomy, block, rubric, hidden_tests, quick):
    qualified = f"{anatomy.name}.{block.name}"
    if qualified not in rubric.points:
        raise ValueError(f"{qualified} has a solution region but no entry in the rubric {rubric.source}")
    total = _points(rubric.function_points(qualified))
    kind = "class" if block.is_class else "function"
    cells = [
        _markdown(f"{block.name}-md", f"## {number}. The {kind} `{block.name}` ({total} points)\n\n"
                  "Complete it in the next cell, then run the check below it."),
        _code(f"{SOLUTION_PREFIX}{block.name}", block.source, solution=True),
        _code(f"check_{block.name}", quick[block.name], locked=True),
    ]
    for check, points in rubric.points[qualified].items():
        header = (f"# Autograded: {block.name} / {check} ({_points(points)} point{'s' if points != 1 else ''}).\n"
                  "# Its tests are hidden and run when your notebook is graded.\n")
        hidden = hidden_tests(qualified, check)
        source = f"{header}### BEGIN HIDDEN TESTS\n{hidden}### END HIDDEN TESTS"
        cells.append(_code(f"grade_{block.name}_{check}", source, grade=True, locked=True, points=_points(points)))
    return cells


def _check_rubric_covers(anatomy, rubric):
    exercises = {f"{anatomy.name}.{b.name}" for b in anatomy.exercises}
    graded = {f for f in rubric.functions if f.startswith(anatomy.name + ".")}
    if graded - exercises:
        raise ValueError(f"the rubric grades {sorted(graded - exercises)}, which {anatomy.name} has no solution for")


def build_notebook(path, rubric, hidden_tests):
    """The source notebook of one reference module; hidden_tests(function, check) -> a grade cell's
    hidden code (grader.release.hidden_cells)."""
    anatomy = parse_module(path)
    _check_rubric_covers(anatomy, rubric)
    quick = visible_cells(anatomy.name, [b.name for b in anatomy.exercises])
    cells = _intro_cells(anatomy)
    number = 0
    for block in anatomy.blocks:
        if block.is_exercise:
            number += 1
            cells.extend(_exercise_cells(number, anatomy, block, rubric, hidden_tests, quick))
        else:
            cells.extend(_given_cells(block))
    nb = nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC, "language_info": LANGUAGE_INFO})
    nbformat.validate(nb)
    return nb


def build_source_notebooks(solutions_dir=SOLUTIONS_DIR, rubric=None):
    """{"exNN_name.ipynb": notebook} for every reference module."""
    rubric = rubric or load_rubric()
    hidden_tests = hidden_cells(rubric, solutions_dir)
    paths = exercise_files(solutions_dir)
    return {p.stem + ".ipynb": build_notebook(p, rubric, hidden_tests) for p in paths}


def notebook_text(nb):
    """The file content of a notebook, the way Jupyter and nbgrader write it."""
    return nbformat.writes(nb, version=4) + "\n"
