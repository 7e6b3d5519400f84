"""Grading a class end to end: the reference, the blank stubs, correct answers in other styles,
typical mistakes, broken submissions; reproducibility of grades and feedback."""
import pytest

from helpers.class_submissions import BROKEN, HOSTILE_UNPLOTTED, STYLES
from grader.batch import grade_folder
from grader.devtools.mistakes import MISTAKES
from grader.outputs.reports import FEEDBACK, GRADES, read_student

BROKEN_FUNCTION = {"raises": "ex03_activations.sigmoid", "wrong_shape": "ex04_mlp_forward.dense_forward",
                   "returns_nan": "ex02_gradient_descent.linear_predict", "returns_tensor": "ex03_activations.tanh"}
BROKEN_MESSAGE = {"raises": "raised ValueError: boom", "wrong_shape": "has shape", "returns_nan": "nan",
                  "returns_tensor": "torch tensor"}


def _dependents(functions, name):
    """name and every function that calls it, directly or through others."""
    found, changed = {name}, True
    while changed:
        new = {n for n, f in functions.items() if n not in found and found & set(f["depends"])}
        found |= new
        changed = bool(new)
    return found


@pytest.fixture(scope="module")
def graded(graded_class):
    """The class graded once per session (tests/conftest.py): (root, summary)."""
    return graded_class


def _points(out, student):
    record = read_student(out, student)
    assert record is not None, f"no results for {student}"
    return {f["function"]: f for f in record["functions"]}, record


def test_reference_scores_full_marks(graded, ctx):
    root, _ = graded
    functions, record = _points(root / "out", "reference")
    lost = {name: [c for c in f["checks"] if not c["passed"]] for name, f in functions.items() if f["score"] < f["max_score"]}
    assert not lost
    assert record["score"] == ctx.rubric.max_score


def test_blank_stubs_score_zero_with_the_stub_message(graded):
    root, _ = graded
    functions, record = _points(root / "out", "blank_stubs")
    assert record["score"] == 0
    for name, f in functions.items():
        for check in f["checks"]:
            assert "NotImplementedError" in check["message"], (name, check)


@pytest.mark.parametrize("style", STYLES)
def test_correct_answers_in_other_styles_score_full_marks(graded, ctx, style):
    root, _ = graded
    functions, record = _points(root / "out", f"style_{style}")
    lost = {n: [(c["check"], c.get("message"), c.get("input")) for c in f["checks"] if not c["passed"]]
            for n, f in functions.items() if f["score"] < f["max_score"]}
    assert not lost
    assert record["score"] == ctx.rubric.max_score


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.name)
def test_each_mistake_loses_points_exactly_where_it_breaks(graded, mistake):
    root, _ = graded
    functions, _ = _points(root / "out", f"mistake_{mistake.name}")
    lost = {name for name, f in functions.items() if f["score"] < f["max_score"]}
    assert lost == set(mistake.loses_points)
    for name in lost:
        failed = [c for c in functions[name]["checks"] if not c["passed"]]
        assert all(c.get("message") for c in failed)


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.name)
def test_each_mistake_gets_its_hint_on_its_own_function(graded, mistake):
    """The catalogue's words for the mistake (grader/devtools/mistakes.py, `hint`) in the feedback.md section of
    the function the mistake is in, shape mismatches included (a transposed or unsummed gradient)."""
    root, _ = graded
    own = mistake.breaks[0].split(".", 1)[1]
    text = (root / "out" / f"mistake_{mistake.name}" / FEEDBACK).read_text()
    sections = text.split("\n### ")
    section = next((s for s in sections if s.startswith(f"❌ `{own}`")), None)
    assert section is not None, f"no failure section for {own}:\n{text}"
    assert mistake.hint in section, section


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.name)
def test_hints_do_not_name_a_look_alike_mistake(graded, mistake):
    """Mistakes of the same function that look alike (mean vs sum, equal vs tiny starting weights, no
    zero_grad vs a fixed lr): the feedback's hints never say the words of the other one."""
    root, _ = graded
    hints = " | ".join(line for line in (root / "out" / f"mistake_{mistake.name}" / FEEDBACK).read_text().splitlines()
                       if line.startswith("- hint:"))
    others = {m.hint for m in MISTAKES if m.breaks[0] == mistake.breaks[0] and m.hint not in mistake.hint}
    assert not [words for words in others if words in hints], hints


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_function_gets_a_clear_message_and_keeps_other_points(graded, ctx, name):
    root, _ = graded
    functions, record = _points(root / "out", f"broken_{name}")
    broken = BROKEN_FUNCTION[name]
    assert functions[broken]["score"] == 0
    messages = " | ".join(c["message"] for c in functions[broken]["checks"])
    assert BROKEN_MESSAGE[name] in messages
    others = {n: f for n, f in functions.items() if n not in _dependents(functions, broken)}
    assert all(f["score"] == f["max_score"] for f in others.values()), [n for n, f in others.items() if f["score"] < f["max_score"]]


def test_fix_first_only_for_helpers_the_students_code_called(graded):
    """The same wrong helpers: "fix X first" for the student whose code calls them, not for the one
    whose sigmoid_derivative and mlp_backward do everything inline."""
    root, _ = graded
    inline, _ = _points(root / "out", "helpers_not_called")
    calling, _ = _points(root / "out", "helpers_called")
    derivative, backward = "ex03_activations.sigmoid_derivative", "ex05_backprop.mlp_backward"
    for functions in (inline, calling):  # the helpers and the functions that may call them all lose points
        assert all(functions[f]["score"] < functions[f]["max_score"] for f in
                   ("ex03_activations.sigmoid", "ex05_backprop.dense_backward", derivative, backward))
    assert inline[derivative]["called"] == [] and "note" not in inline[derivative]
    # (mlp_backward's checks also call the student's mlp_forward themselves, as pieces: not the student's calls)
    assert inline[backward]["called"] == [] and "note" not in inline[backward]
    assert calling[derivative]["note"] == ("this function calls ex03_activations.sigmoid, which also lost points: "
                                           "fix that first")
    assert {"ex05_backprop.dense_backward", "ex05_backprop.sigmoid_backward", "ex04_mlp_forward.mlp_forward"} <= set(
        calling[backward]["called"])
    assert "ex05_backprop.dense_backward" in calling[backward]["note"]
    feedback = (root / "out" / "helpers_called" / FEEDBACK).read_text()
    assert feedback.count("fix that first") >= 2


def test_failed_check_feedback_shows_input_expected_and_got(graded):
    root, _ = graded
    text = (root / "out" / "mistake_sigmoid_derivative_from_z" / FEEDBACK).read_text() \
        if (root / "out" / "mistake_sigmoid_derivative_from_z").exists() else None
    record = next(read_student(root / "out", p.name) for p in sorted((root / "out").iterdir())
                  if p.name.startswith("mistake_") and p.is_dir())
    failed = [c for f in record["functions"] for c in f["checks"] if not c["passed"]]
    assert any("input" in c and "expected" in c and "got" in c for c in failed)
    if text is not None:
        assert "- smallest failing input: `z = " in text and "z * (1 - z)" in text


@pytest.mark.slow  # the whole class graded a second time
def test_regrading_gives_identical_grades_and_feedback(graded, graded_ctx, tmp_path):
    """Again, in the same class context: every search is now walked from memory instead of run by
    hypothesis (see grader.judging.search_memo) and every results frame has been judged before (see
    grader.judging.judged_frames), and that must not change a grade or a line of feedback."""
    root, _ = graded
    again = tmp_path / "again"
    searched, judged, reused = graded_ctx.searches.searched, graded_ctx.judged.judged, graded_ctx.judged.reused
    grade_folder(root / "subs", again, jobs=2, progress=False, ctx=graded_ctx)
    assert searched > 0 and graded_ctx.searches.searched == searched, "the second run searched again"
    assert judged > 0 and graded_ctx.judged.judged == judged, "the second run judged a frame again"
    assert graded_ctx.judged.reused >= reused + judged
    assert (again / GRADES).read_text() == (root / "out" / GRADES).read_text()
    for folder in sorted((root / "out").iterdir()):
        if folder.is_dir():
            assert (again / folder.name / FEEDBACK).read_text() == (folder / FEEDBACK).read_text(), folder.name


def test_grades_csv_total_is_the_sum_of_function_columns(graded):
    import csv

    root, _ = graded
    rows = list(csv.DictReader((root / "out" / GRADES).open()))
    assert rows
    for row in rows:
        functions = [k for k in row if "." in k]
        assert abs(sum(float(row[k]) for k in functions) - float(row["score"])) < 1e-9


def test_class_report_summarises_the_class(graded):
    import json

    root, summary = graded
    report = json.loads((root / "out" / "summary.json").read_text())
    students = sorted(p.name for p in (root / "subs").iterdir() if p.is_dir())
    assert [s["student"] for s in report["scores"]] == students
    assert report == {**summary["report"], "histogram": report["histogram"]}
    assert sum(b["count"] for b in report["histogram"]) == len(students)
    rates = [f["rate"] for f in report["functions"]]
    assert rates == sorted(rates) and rates[0] < 1.0  # worst first
    for function in report["functions"]:  # each rate counts exactly the students with full points
        full = sum(1 for s in students
                   if (lambda f: f["score"] >= f["max_score"])(_points(root / "out", s)[0][function["name"]]))
        assert function["passed"] == full and function["total"] == len(students)
    made = {(m["function"], student) for m in report["mistakes"] for student in m["students"]}
    for mistake in MISTAKES:
        hinted = {(name, f"mistake_{mistake.name}") for name, f in _points(root / "out", f"mistake_{mistake.name}")[0].items()
                  if any(c.get("hint") for c in f["checks"] if not c["passed"])}
        assert hinted <= made, mistake.name
    slow = report["slowest_functions"]
    assert slow and {r["function"] for r in slow} <= {f["name"] for f in report["functions"]}
    assert [r["mean_s"] for r in slow] == sorted((r["mean_s"] for r in slow), reverse=True)
    assert all(0 < r["mean_s"] <= r["max_s"] and r["runs"] <= len(students) for r in slow)
    problems = {(p["student"], p["module"]) for p in report["problems"]}
    for student in students:
        for module in (read_student(root / "out", student).get("problems") or {}):
            assert (student, module) in problems


def test_what_to_reteach_counts_each_mistake_once_at_its_own_function(graded):
    """Every mistake student's failures start at the mistake's own function; the functions that fail
    because they call it are folded into it, never counted as failures of their own."""
    import json

    root, _ = graded
    report = json.loads((root / "out" / "summary.json").read_text())
    roots = {(f["function"], student) for m in report["reteach"] for f in m["failures"] for student in f["students"]}
    for mistake in MISTAKES:
        student = f"mistake_{mistake.name}"
        assert {f for f, s in roots if s == student} == {mistake.loses_points[0]}, mistake.name
        lost = {n for n, f in _points(root / "out", student)[0].items() if f["score"] < f["max_score"]}
        folded = {a["function"] for m in report["reteach"] for f in m["failures"] if f["function"] == mistake.loses_points[0]
                  for a in f["also_failing"]}
        assert lost - {mistake.loses_points[0]} <= folded, mistake.name
    blank = [m for m in report["reteach"] if "blank_stubs" in m["not_answered"]]
    assert len(blank) == len(report["reteach"]) and ("blank_stubs" not in {s for _, s in roots})


def test_class_report_page_renders_in_a_browser(graded, tmp_path):
    import re

    from helpers.browser import is_blank, needs_chromium, screenshot

    if needs_chromium.args[0]:
        pytest.skip(needs_chromium.kwargs["reason"])
    root, _ = graded
    page = (root / "out" / "report.html").read_text()
    assert len(re.findall(r'<img alt="Histogram of the scores of \d+ students, out of [^"]+" src="data:image/png;base64,', page)) == 1
    assert page.index("What to reteach") < page.index("Score distribution") < page.index("Pass rates per function")
    assert "src=\"http" not in page and "<script" not in page  # self-contained, no JavaScript
    png = screenshot(root / "out" / "report.html", tmp_path / "report.png")
    assert not is_blank(png)


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.name)
def test_one_mistake_feedback_fits_on_one_screen(graded, mistake):
    """Score and the table of functions first, then only what failed: the first failure within 25 lines."""
    root, _ = graded
    lines = (root / "out" / f"mistake_{mistake.name}" / FEEDBACK).read_text().splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("### ❌"))
    assert first < 25, "\n".join(lines[:30])
    lost = {f["function"] for f in read_student(root / "out", f"mistake_{mistake.name}")["functions"]
            if f["score"] < f["max_score"]}
    shown = [line for line in lines if line.startswith("### ❌")]
    assert len(shown) == len(lost)  # only what failed, each function once
    assert not [line for line in lines if "expected: None" in line or line.startswith("- ✓")]


def test_blank_and_broken_feedback_say_it_in_a_few_lines(graded):
    root, _ = graded
    blank = (root / "out" / "blank_stubs" / FEEDBACK).read_text()
    assert "**Not answered yet** (83 points)" in blank and "## What to fix" not in blank
    assert len(blank.splitlines()) < 20
    raised = (root / "out" / "broken_raises" / FEEDBACK).read_text()
    assert "raised ValueError: boom (ex03_activations.py, line " in raised  # the student's own line
    assert "expected: None" not in raised and "got:      None" not in raised


def test_results_json_is_markdown_with_the_rubrics_visibility(graded):
    import json

    root, _ = graded
    results = json.loads((root / "out" / "mistake_gradient_sign_flipped" / "results.json").read_text())
    assert results["output_format"] == "md" and results["output"].startswith("**Score: ")
    assert results["execution_time"] > 0
    assert {t["output_format"] for t in results["tests"]} == {"md"}
    assert {t["visibility"] for t in results["tests"]} == {"visible"}  # the bundled rubric's default
    failed = [t for t in results["tests"] if t["status"] == "failed"]
    assert failed and all("- problem: " in t["output"] for t in failed)


def _plotted(page):
    """{plot name} of the inline PNG plots on a feedback page."""
    import re

    return set(re.findall(r'<figure data-plot="([\w.]+)"><img alt="[^"]+" src="data:image/png;base64,[A-Za-z0-9+/=]+">', page))


def test_feedback_page_shows_plots_of_the_modules_touched_in_a_browser(graded, tmp_path):
    from helpers.browser import is_blank, needs_chromium, screenshot

    from grader.probes import PROBE_MODULES

    if needs_chromium.args[0]:
        pytest.skip(needs_chromium.kwargs["reason"])
    root, _ = graded
    expected = {"reference": set(PROBE_MODULES), "mistake_sigmoid_derivative_from_z": set(PROBE_MODULES),
                "partial_ex01": {"ex01_perceptron"}, "blank_stubs": set()}
    for student, modules in expected.items():
        path = root / "out" / student / "feedback.html"
        page = path.read_text()
        assert {name.split(".")[0] for name in _plotted(page)} == modules, student
        assert "<script" not in page and 'src="http' not in page  # self-contained, no JavaScript
        assert (root / "out" / student / FEEDBACK).read_text().splitlines()[2] in page.replace("<strong>", "**").replace("</strong>", "**")
    png = screenshot(root / "out" / "mistake_sigmoid_derivative_from_z" / "feedback.html", tmp_path / "page.png", width=1000, height=1400)
    assert not is_blank(png)
    assert len(_plotted((root / "out" / "reference" / "feedback.html").read_text())) == 12


def test_hostile_plot_outputs_drop_their_plots_and_keep_the_points(graded):
    root, _ = graded
    functions, record = _points(root / "out", "hostile_plots")
    reference, _ = _points(root / "out", "reference")
    assert {f: v["score"] for f, v in functions.items()} == {f: v["score"] for f, v in reference.items()}
    page = (root / "out" / "hostile_plots" / "feedback.html").read_text()
    drawn = _plotted(page)
    assert not drawn & set(HOSTILE_UNPLOTTED), drawn
    assert {"ex03_activations.elu", "ex01_perceptron.train_perceptron", "ex07_torch.train_xor"} <= drawn
    for reason in HOSTILE_UNPLOTTED.values():
        assert reason in page, reason


def test_hostile_text_stays_text_in_every_output(graded):
    """A student's folder name and exception messages (at import and when called) hold HTML,
    markdown forging a heading and a score, and terminal escapes: every output shows them as text."""
    import json
    import re

    from nbconvert.filters.markdown import markdown2html

    from helpers.browser import CHROMIUM, PWNED, dump_dom
    from helpers.class_submissions import HOSTILE_FOLDER
    from grader.outputs.class_report import terminal_text

    root, summary = graded
    out = root / "out" / HOSTILE_FOLDER
    functions, record = _points(root / "out", HOSTILE_FOLDER)
    results = json.loads((out / "results.json").read_text())
    reference, _ = _points(root / "out", "reference")
    assert all(functions[f]["score"] == reference[f]["score"] for f in functions if f.startswith("ex01_"))  # as usual
    assert functions["ex03_activations.sigmoid"]["score"] == 0 and record["score"] < 83
    assert any("Score: 83 / 83" in m for m in record["problems"].values())  # the text is kept, as text
    for markdown in ((out / FEEDBACK).read_text(), results["output"]):
        rendered = re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', "", markdown2html(markdown))
        assert len(re.findall(r"<h1\b", rendered)) == markdown.startswith("# ")
        assert not re.search(r"<(img|script|a)\b", rendered) and "<strong>Score: 83" not in rendered
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f]", markdown)
    for page in (out / "feedback.html", root / "out" / "report.html"):
        text = page.read_text()
        assert not re.search(r"<script>|<img src=x|src=\"http", text), page
        if CHROMIUM:
            assert PWNED not in dump_dom(page)
    terminal = terminal_text(summary["report"])
    assert "mallory scored 83" in terminal and not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", terminal)
