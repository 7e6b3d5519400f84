"""Where a student's failures start: knock-on failures folded into the function they come from."""
from grader.outputs.reteach import ReteachTally, student_roots


def _function(name, lost=False, called=(), message="differs", hint=""):
    check = {"check": "matches_reference", "passed": not lost, "score": 0.0 if lost else 1.0, "max_score": 1.0}
    if lost:
        check.update(message=message, hint=hint)
    return {"function": name, "score": check["score"], "max_score": 1.0, "called": list(called), "checks": [check]}


def _record(student, *functions, problems=None):
    return {"student": student, "functions": list(functions), "problems": problems or {}}


def test_a_chain_of_failures_is_one_failure_at_its_start():
    record = _record("s", _function("ex04.dense", True, hint="the bias is not added"),
                     _function("ex04.mlp", True, called=["ex04.dense"]),
                     _function("ex05.backward", True, called=["ex04.mlp", "ex05.sigmoid"]),
                     _function("ex05.sigmoid"), _function("ex05.own", True))
    failures, stubs = student_roots(record)
    assert failures == {"ex04.dense": ["ex04.mlp", "ex05.backward"], "ex05.own": []} and not stubs


def test_a_function_called_but_passing_does_not_excuse_the_caller():
    failures, _ = student_roots(_record("s", _function("a.f", True, called=["a.g"]), _function("a.g")))
    assert failures == {"a.f": []}


def test_stubs_and_file_problems_are_not_failures():
    stub = "NotImplementedError: g: not answered"
    record = _record("s", _function("a.g", True, message=stub), _function("a.f", True, called=["a.g"], message=stub),
                     _function("b.h", True, message="b.py did not import"), problems={"b": "b.py did not import"})
    failures, stubs = student_roots(record)
    assert failures == {} and stubs == {"a.g"}


def test_calls_in_a_cycle_end():
    failures, _ = student_roots(_record("s", _function("a.f", True, called=["a.g"]), _function("a.g", True, called=["a.f"])))
    assert set(failures) <= {"a.f", "a.g"} and failures


def test_the_tally_counts_students_and_mistakes_per_exercise():
    tally = ReteachTally({"ex04": "Exercise 4"})
    for student, hint in (("ann", "the bias is not added"), ("bob", "the bias is not added"), ("cy", "")):
        tally.add(_record(student, _function("ex04.dense", True, hint=hint), _function("ex04.mlp", True, called=["ex04.dense"])))
    tally.add(_record("dee", _function("ex04.dense"), _function("ex04.mlp")))
    module, = tally.rows()
    assert (module["title"], module["students"], module["points"], module["mean"], module["full_marks"]) == ("Exercise 4", 4, 2.0, 0.5, 1)
    failure, = module["failures"]
    assert failure["function"] == "ex04.dense" and failure["students"] == ["ann", "bob", "cy"]
    assert failure["mistakes"] == [{"hint": "the bias is not added", "count": 2, "students": ["ann", "bob"]}]
    assert failure["undiagnosed"] == ["cy"] and failure["also_failing"] == [{"function": "ex04.mlp", "count": 3}]
