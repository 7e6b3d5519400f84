"""What to reteach: per exercise, the functions where the class's failures start, and the mistakes
diagnosed there.

A function that lost points while a function it called lost points too (the student's code called
it, as the sandbox reported, and its failure may come from there: grader.judging.blame, the same
rule behind feedback's "fix that first") is not counted as a failure of its own: it is folded into the function where the failure
starts, followed through chains (mlp_backward -> mlp_forward -> dense_forward). Untouched stubs are
"not answered" and functions whose file did not import are file problems: neither is a
misconception, so neither is a failure here. Plain data in, plain data out.
"""
from collections import defaultdict

from grader.judging.blame import blamed
from grader.outputs.feedback import _is_blocked as is_blocked
from grader.judging.stages.record import is_stub


def student_roots(record):
    """One student: ({failing function: [functions that failed because of it]}, {functions left as
    stubs}); a function whose failure goes back to a stub or a file problem is in neither."""
    functions = {f["function"]: f for f in record["functions"]}
    lost = {name for name, f in functions.items() if f["score"] < f["max_score"]}
    problems = set((record.get("problems") or {}).values())
    memo = {}

    def roots(name, seen=()):
        if name not in memo:
            broken = [c for c in blamed(functions[name], lost) if c not in seen]
            if is_stub(functions[name]) or is_blocked(functions[name], problems) or not broken:
                memo[name] = {name}
            else:
                memo[name] = set().union(*(roots(c, (*seen, name)) for c in broken))
        return memo[name]

    failures, stubs = defaultdict(list), set()
    for name in sorted(lost):
        for root in roots(name):
            if is_stub(functions[root]):
                stubs.add(root)
            elif not is_blocked(functions[root], problems):
                failures[root] += [] if root == name else [name]
    return dict(failures), stubs


class ReteachTally:
    """Fed one student's record at a time (memory stays flat over a large class); rows() is the
    plain data: [{module, title, students, points, mean, full_marks, not_answered, failures}] in
    the exercises' order, each failure {function, count, students, checks, mistakes, undiagnosed,
    also_failing}, most students first."""

    def __init__(self, module_titles):
        self.titles, self.modules = module_titles, {}

    def add(self, record):
        failures, stubs = student_roots(record)
        by_name = {f["function"]: f for f in record["functions"]}
        for module, members in _by_module(record["functions"]).items():
            entry = self.modules.setdefault(module, {"scores": [], "points": sum(f["max_score"] for f in members),
                                                     "not_answered": [], "failures": {}})
            entry["scores"].append(sum(f["score"] for f in members))
            if any(f["function"] in stubs for f in members):
                entry["not_answered"].append(record["student"])
        for root, folded in failures.items():
            _add_failure(self.modules[root.split(".")[0]]["failures"], by_name[root], folded, record["student"])

    def rows(self):
        return [_module_row(module, self.titles.get(module, module), entry) for module, entry in self.modules.items()]


def _by_module(functions):
    grouped = {}
    for function in functions:
        grouped.setdefault(function["function"].split(".")[0], []).append(function)
    return grouped


def _add_failure(table, function, folded, student):
    entry = table.setdefault(function["function"], {"students": [], "checks": defaultdict(int),
                                                    "mistakes": defaultdict(list), "undiagnosed": [],
                                                    "also_failing": defaultdict(int)})
    entry["students"].append(student)
    failed = [c for c in function["checks"] if not c["passed"]]
    for check in failed:
        entry["checks"][check["check"]] += 1
    hints = {c["hint"] for c in failed if c.get("hint")}
    for hint in hints:
        entry["mistakes"][hint].append(student)
    if not hints:
        entry["undiagnosed"].append(student)
    for name in folded:
        entry["also_failing"][name] += 1


def _module_row(module, title, entry):
    scores, n = entry["scores"], len(entry["scores"])
    failures = [{"function": name, "count": len(e["students"]), "students": sorted(e["students"]),
                 "checks": [{"check": c, "count": k} for c, k in sorted(e["checks"].items(), key=lambda kv: (-kv[1], kv[0]))],
                 "mistakes": [{"hint": h, "count": len(s), "students": sorted(s)}
                              for h, s in sorted(e["mistakes"].items(), key=lambda kv: (-len(kv[1]), kv[0]))],
                 "undiagnosed": sorted(e["undiagnosed"]),
                 "also_failing": [{"function": f, "count": k}
                                  for f, k in sorted(e["also_failing"].items(), key=lambda kv: (-kv[1], kv[0]))]}
                for name, e in entry["failures"].items()]
    return {"module": module, "title": title, "students": n, "points": entry["points"],
            "mean": round(sum(scores) / n, 2) if n else 0.0,
            "full_marks": sum(s >= entry["points"] for s in scores),
            "not_answered": sorted(entry["not_answered"]),
            "failures": sorted(failures, key=lambda f: (-f["count"], f["function"]))}
