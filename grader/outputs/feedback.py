"""What a student reads: the feedback text, from a grading record (plain data).

Short on purpose: the score and one table of every function first, then only what failed, each
failure with what was checked in plain words, the smallest failing input, expected vs got and the hint. Functions
left as stubs are one line. Deterministic: no timings, no paths of the grader's machine.
"""
from grader.outputs.safe_text import md_block, md_code, md_text, one_line, plain
from grader.judging.stages.record import is_stub
from grader.points import points_text


def check_words(check, function=None):
    """What a check verifies, in a beginner's words: its spec's (Check.words), found by the function
    and check name (or the name alone, for a caller without the function)."""
    from grader.specs import check_words as spec_words

    return spec_words(check, function)


def feedback_markdown(result):
    """feedback.md: the summary, then what to fix."""
    out = [f"# Feedback for {md_code(result['student'])}", "", summary_markdown(result).rstrip(), ""]
    out += corrections_markdown(result)
    problems = set((result.get("problems") or {}).values())
    wrong = [f for f in result["functions"]
             if f["score"] < f["max_score"] and not is_stub(f) and not _is_blocked(f, problems)]
    if wrong:
        out += ["## What to fix", ""]
        for function in wrong:
            out += _function_failures(function)
    return "\n".join(out).rstrip() + "\n"


def corrections_markdown(result):
    """The instructor's adjustments (grader.corrections), each with its reason, as lines."""
    entries = ([result["late"]] if result.get("late") else []) + list(result.get("adjustments") or [])
    if not entries or "graded_score" not in result:
        return []
    out = ["## Corrections by your instructor", "",
           f"Graded score {points_text(result['graded_score'])}; with these corrections {points_text(result['score'])}.", ""]
    out += [f"- {'+' if e['points'] >= 0 else '−'}{points_text(abs(e['points']))} points: {md_code(' '.join(str(e['reason']).split()))}"
            for e in entries]
    return out + [""]


def summary_markdown(result):
    """The score, every function's mark, the problems with the files, what is not answered yet."""
    out = [_score_line(result), ""]
    if result.get("truncated"):
        out += [f"> {one_line(result['truncated'])}", ""]
    out += _function_table(result["functions"]) + [""]
    problems = sorted((result.get("problems") or {}).items())
    if problems:
        out += ["## Problems with the submitted files", ""]
        for _, message in problems:
            inline, block = md_text(message, indent="  ")
            out += [f"- {inline}".rstrip(), *block]
        out.append("")
        blocked = [f for f in result["functions"] if _is_blocked(f, {m for _, m in problems})]
        if blocked:
            out += [f"**Not graded** because of these problems ({points_text(sum(f['max_score'] for f in blocked))} points): "
                    + ", ".join(f"`{_short(f)}`" for f in blocked), ""]
    stubs = [f for f in result["functions"] if is_stub(f)]
    if stubs:
        points = sum(f["max_score"] for f in stubs)
        out += [f"**Not answered yet** ({points_text(points)} points): " + ", ".join(f"`{_short(f)}`" for f in stubs), ""]
    return "\n".join(out).rstrip() + "\n"


def _score_line(result):
    full = sum(f["score"] >= f["max_score"] for f in result["functions"])
    what = "Score on the checks shown here" if result.get("shown_only") else "Score"
    return (f"**{what}: {points_text(result['score'])} / {points_text(result['max_score'])}** "
            f"({full} of {len(result['functions'])} functions with full points)")


def _function_table(functions):
    """One row per exercise, every function in it with its mark: the whole picture in a few lines."""
    rows, modules = ["| exercise | points | functions |", "|---|---|---|"], {}
    for function in functions:
        modules.setdefault(function["function"].split(".")[0], []).append(function)
    for module, members in modules.items():
        score, top = sum(f["score"] for f in members), sum(f["max_score"] for f in members)
        marks = " · ".join(_mark(f) for f in members)
        rows.append(f"| {module} | {points_text(score)} / {points_text(top)} | {marks} |")
    return rows


def _mark(function):
    if function["score"] >= function["max_score"]:
        return f"✅ {_short(function)}"
    return f"❌ {_short(function)} {points_text(function['score'])}/{points_text(function['max_score'])}"


def _short(function):
    return function["function"].split(".", 1)[1]


def _is_blocked(function, problems):
    """Not run at all: every check failed with a problem of the submitted files (a missing file,
    an import error), which the feedback states once."""
    return all(not c["passed"] and c.get("message") in problems for c in function["checks"])


def _function_failures(function):
    out = [f"### ❌ `{_short(function)}` ({function['function'].split('.')[0]}): "
           f"{points_text(function['score'])} / {points_text(function['max_score'])}", ""]
    if function.get("note"):
        out += [f"> {one_line(function['note'])}", ""]  # the kit's words, naming functions
    for check in function["checks"]:
        if not check["passed"]:
            out += failed_check_markdown(_short(function), check, function["function"]) + [""]
    return out


def failed_check_markdown(name, check, function=None):
    """One failed check: what was checked, the problem, the smallest failing input, expected vs got, the
    hint. function: the graded function's full name (module.function), whose check's words are shown."""
    inline, block = md_text(check.get("message") or "failed", indent="  ")
    out = [f"**{check['check']}** (0 / {points_text(check['max_score'])}): {check_words(check['check'], function)}.",
           f"- problem: {inline}".rstrip(), *block]
    if "input" in check:
        inline, block = md_text(check["input"], indent="  ")
        out += [f"- smallest failing input: {inline}".rstrip(), *block]
        shown = _expected_and_got(check)
        if shown:
            out += md_block("\n".join(shown), indent="  ")
    if check.get("hint"):
        out.append(f"- hint: {one_line(check['hint'])}")  # the kit's words (grader/devtools/mistakes.py, compare.py)
    return out


def check_text(check):
    """A failed check as plain text (nbgrader's and PrairieLearn's test output), without control characters."""
    lines = [check.get("message") or "failed"]
    if "input" in check:
        lines.append(f"smallest failing input: {check['input']}")
        lines += _expected_and_got(check)
    if check.get("hint"):
        lines.append(f"hint: {check['hint']}")
    return plain("\n".join(lines))


def _expected_and_got(check):
    """Expected and got, unless there is nothing to show (a call that raised returned nothing)."""
    expected, got = check.get("expected"), check.get("got")
    if got in (None, "None") and (expected in (None, "None") or check.get("message", "").startswith("raised ")):
        return []
    lines = [f"expected: {expected}"]
    if got in (None, "None"):
        got = "None (is a return statement missing?)"
    return lines + [f"got:      {got}"]


