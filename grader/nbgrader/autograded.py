"""The autograded notebooks nbgrader's `generate_feedback` turns into each student's feedback.

nbgrader renders autograded/<student>/<assignment>/<notebook>.ipynb with the scores and comments of
its gradebook. nngrade does not run the notebooks (the sandbox grades the rebuilt modules), so it
writes those notebooks itself: the released notebook (the instructor's, trusted: no cell the
gradebook does not know, nothing hidden), the student's answer cells put back in by grade_id, and
each autograded cell ("grade_<function>_<check>", whatever its source) carrying nngrade's verdict on
that check as its output: a failed check is an error output with the message, a passed one a line
saying so. The gradebook gets the same points per cell (gradebook.write_scores). Every text a
student reads names the notebook and its cells, never the .py modules they were rebuilt into.
"""
import json
import re
from pathlib import Path

from grader.atomic import atomic_write
from grader.outputs.feedback import check_text, failed_check_markdown
from grader.points import points_text
from grader.nbgrader.gradebook import GRADE_PREFIX
from grader.intake.nbimport import SOLUTION_PREFIX
from grader.outputs.safe_text import one_line, plain

# "ex03_activations.py, line 12": a line of the rebuilt module, which the student never saw (the answer
# cells themselves are compiled as "<notebook> cell N", so what is left is the module's own glue)
MODULE_LINE = re.compile(r"\b(ex\d\d_\w+)\.py, line \d+")
MODULE_FILE = re.compile(r"\b(ex\d\d_\w+)\.py\b")
NOT_ANSWERED = "not answered yet"


def in_notebook_terms(text):
    """A message about the rebuilt modules, worded for the notebooks the student submitted."""
    if not text:
        return text
    return MODULE_FILE.sub(r"\1.ipynb", MODULE_LINE.sub(r"\1.ipynb", text))


def notebook_function(function):
    """A copy of a graded function's record (plain data) with its texts in notebook terms."""
    checks = [{**c, "message": in_notebook_terms(c.get("message"))} if not c["passed"] else c for c in function["checks"]]
    copy = {**function, "checks": checks}
    if function.get("note"):
        copy["note"] = in_notebook_terms(function["note"])
    return copy


def answer_status(released, answers):
    """{function: whether its answer cell was answered} for the released notebook's answer cells.
    Unanswered: left as released (the stub's `raise NotImplementedError`) or missing from a readable
    notebook. answers None (the notebook could not be read): the failure itself is the feedback."""
    status = {}
    for cell in released["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        grade_id = meta.get("grade_id", "")
        if meta.get("solution") and grade_id.startswith(SOLUTION_PREFIX):
            answer = None if answers is None else answers.get(grade_id)
            status[grade_id[len(SOLUTION_PREFIX):]] = answers is None or (
                answer is not None and answer.strip() != _text(cell.get("source", "")).strip())
    return status


def function_comment(function, is_answered):
    """Markdown for the function's answer cell (nbgrader shows it under the student's code, rendered
    with raw HTML allowed: every text of the student's is in a code span or fenced block)."""
    name = function["function"].split(".", 1)[1]
    score = f"{points_text(function['score'])} / {points_text(function['max_score'])}"
    if not is_answered:
        return f"**{name}: {NOT_ANSWERED}** (0 / {points_text(function['max_score'])}): replace the `raise NotImplementedError` in this cell with your code."
    failed = [c for c in function["checks"] if not c["passed"]]
    if not failed:
        return f"**{name}: {score}**, every check passed."
    lines = [f"**{name}: {score}**", ""]
    if function.get("note"):
        lines += [f"> {one_line(function['note'])}", ""]
    for check in failed:
        lines += failed_check_markdown(name, check, function["function"]) + [""]
    return "\n".join(lines).rstrip()


def verdict_output(function, check, is_answered):
    """The output of a check's autograded cell: an error for a failed check, as nbgrader shows a failed test."""
    name = function["function"].split(".", 1)[1]
    if check["passed"]:
        return {"output_type": "stream", "name": "stdout",
                "text": f"passed: {name} / {check['check']} ({points_text(check['score'])} / {points_text(check['max_score'])})\n"}
    if not is_answered:
        text = f"{name} is {NOT_ANSWERED}: its answer cell ({SOLUTION_PREFIX}{name}) still raises NotImplementedError"
    else:
        note = [function["note"]] if function.get("note") else []
        text = "\n".join([*note, check_text(check)])
    # nbconvert turns ANSI codes in a traceback into HTML: the student's text reaches it without controls
    lines = [f"{name} / {check['check']}: failed (0 / {points_text(check['max_score'])})", *plain(text).splitlines()]
    return {"output_type": "error", "ename": "Failed", "evalue": lines[1] if len(lines) > 1 else lines[0],
            "traceback": lines}


def autograded_notebook(released, answers, functions, status):
    """The autograded notebook (nbformat JSON as a dict) from the released one.

    answers: {grade_id: source} of the student's answer cells (None: the notebook could not be
    read); functions: the notebook's graded functions' records, in notebook terms; status:
    answer_status()."""
    notebook = json.loads(json.dumps(released))  # a deep copy of plain JSON
    by_cell = {}
    for function in functions:
        name = function["function"].split(".", 1)[1]
        for check in function["checks"]:
            by_cell[f"{GRADE_PREFIX}{name}_{check['check']}"] = (function, check, status.get(name, True))
    for cell in notebook["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        grade_id = meta.get("grade_id", "")
        if meta.get("solution") and answers and grade_id in answers:
            cell["source"] = answers[grade_id]
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
            if grade_id in by_cell and meta.get("grade") and not meta.get("solution"):
                cell["outputs"] = [verdict_output(*by_cell[grade_id])]
    return notebook


def student_feedback(course_dir, assignment, student, record, released, notebooks):
    """Writes the student's autograded folder (what `nbgrader generate_feedback` renders);
    returns the gradebook's scores and comments for write_scores, in the notebooks' terms.
    record: the student's graded record; released: {module: released notebook or None};
    notebooks: the student's StudentNotebooks (grader.intake.course_notebooks)."""
    scores, files, by_module = {}, {}, {}
    for function in record["functions"]:
        by_module.setdefault(function["function"].split(".")[0], []).append(notebook_function(function))
    for module, functions in by_module.items():
        notebook, answers = released.get(module), notebooks.answers.get(module)
        status = answer_status(notebook, answers) if notebook else {}
        for function in functions:  # a function written in another cell than its own is answered
            if any(c["passed"] for c in function["checks"]):
                status[function["function"].split(".", 1)[1]] = True
        for function in functions:
            done = status.get(function["function"].split(".", 1)[1], True)
            scores[function["function"]] = {"checks": {c["check"]: c["score"] for c in function["checks"]},
                                            "comment": function_comment(function, done)}
        if notebook:
            text = json.dumps(autograded_notebook(notebook, answers, functions, status), indent=1, ensure_ascii=False)
            files[f"{module}.ipynb"] = (text + "\n").encode("utf-8")
    write_autograded(course_dir, assignment, student, {**files, **notebooks.records})
    return scores


def write_autograded(course_dir, assignment, student, files):
    """autograded/<student>/<assignment>/: the autograded notebooks and collect's timestamp.txt and
    submission_secret.txt ({name: bytes}), as autograde copies them: generate_feedback carries
    them to feedback/, where release_feedback needs them. nbgrader's own autograde leaves its
    notebooks read-only: replaced, not opened."""
    if not files:
        return
    folder = Path(course_dir) / "autograded" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        atomic_write(folder / name, data, mode=0o644)


def _text(source):
    return "".join(source) if isinstance(source, list) else source
