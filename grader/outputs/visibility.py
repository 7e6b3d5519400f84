"""What a student may see at once: the rubric's [visibility] applied to a record (plain data).

A function whose visibility is not "visible" (hidden, after_due_date, after_published) appears in
no text shown to every student: Gradescope's top-level output (always shown, whatever its tests'
visibility) and everything PrairieLearn shows (which has no per-test visibility). Its points still
count in the platform's score, as Gradescope counts a hidden test's; its results go to
staff-only places (Gradescope's per-test visibility, extra_data and stdout; PrairieLearn's job log).
"""
SHOWN = "visible"


def hidden_functions(record):
    """The qualified names of the record's functions students do not see at once."""
    return [f["function"] for f in record["functions"] if f.get("visibility", SHOWN) != SHOWN]


def shown_record(record):
    """A copy of the record with only the functions students see at once: score and max_score
    are theirs, a "fix X first" note names no hidden function, and plots showing a hidden
    function are left out."""
    hidden = set(hidden_functions(record))
    if not hidden:
        return record
    functions = [f for f in record["functions"] if f["function"] not in hidden]
    failed = {f["function"] for f in functions if f["score"] < f["max_score"]}
    functions = [_renoted(f, failed) for f in functions]
    plots = [p for p in record.get("plots") or [] if not hidden & set(p.get("functions") or [p.get("name")])]
    return {**record, "functions": functions, "plots": plots, "shown_only": True,
            "score": sum(f["score"] for f in functions), "max_score": sum(f["max_score"] for f in functions)}


def _renoted(function, failed):
    """The function's "calls X, which also lost points" note, naming only functions still shown."""
    if "note" not in function:
        return function
    from grader.judging.stages.record import dependency_note

    copy = {k: v for k, v in function.items() if k != "note"}
    broken = [d for d in function.get("called", []) if d in failed]
    return {**copy, "note": dependency_note(broken)} if broken else copy
