"""nngrade similarity on a class made of the kit's styles, typical mistakes and blank stubs, with
copies planted the ways copiers disguise them: every planted pair must rank above every
independent pair, and independent correct work in different styles must raise no pair."""
import html.parser
import itertools
import json
import shutil
import zipfile

import pytest

from helpers.alt_styles import completed
from grader import RELEASE_DIR
from grader.outputs.class_report import write_class_report
from grader.cli import main
from grader.devtools.demo import write_demo_class
from grader.similarity import synthetic
from grader.similarity.intake import read_class
from grader.similarity.normalise import module_units
from grader.similarity.run import compare

STYLES = ("einsum", "float32", "lists", "loops")  # in the class; the style "variants" is an earlier term's
ODD_NAME = "<b>odd & \"name\""
PLANTED = {  # (the copier, whose code), in this class
    ("copy_renamed", "style_loops"),  # names renamed, comments and spacing changed, handed in as a zip in a folder
    ("copy_reordered", "style_einsum"),  # functions in reverse order, comments changed
    ("copy_one_function", "style_lists"),  # one function pasted into otherwise independent work
    (ODD_NAME, "style_float32"),  # a name and code the page must escape
}
ARCHIVED = ("copy_archived", "term1/old_student")  # a copy of an earlier term's submission


def _read(folder):
    return {p.stem: p.read_text() for p in sorted(folder.glob("ex[0-9][0-9]_*.py"))}


def _write(folder, sources):
    folder.mkdir(parents=True, exist_ok=True)
    for module, text in sources.items():
        (folder / f"{module}.py").write_text(text)


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    root = tmp_path_factory.mktemp("similarity")
    subs, term1 = root / "subs", root / "archive" / "term1"
    write_demo_class(subs)  # the reference, the blank stubs, one student per typical mistake
    for style in STYLES:
        completed(style, subs / f"style_{style}")
    loops = {m: synthetic.recommented(synthetic.renamed(t)) for m, t in _read(subs / "style_loops").items()}
    _write(root / "zipped", loops)
    (subs / "copy_renamed" / "handed_in").mkdir(parents=True)
    with zipfile.ZipFile(subs / "copy_renamed" / "handed_in" / "work.zip", "w") as zf:
        for path in sorted((root / "zipped").iterdir()):
            zf.write(path, f"my_work/{path.name}")
    _write(subs / "copy_reordered", {m: synthetic.reordered(synthetic.recommented(t, "# ok"))
                                     for m, t in _read(subs / "style_einsum").items()})
    own = _read(subs / "mistake_gradient_sign_flipped")
    own["ex01_perceptron"] = synthetic.with_function(own["ex01_perceptron"], _read(subs / "style_lists")["ex01_perceptron"],
                                                     "train_perceptron")
    _write(subs / "copy_one_function", own)
    float32 = _read(subs / "style_float32")
    float32["ex03_activations"] += ('\n\ndef _note(items):\n    shown = []\n    for item in items:\n        if item:\n'
                                    '            shown.append("</pre><script>alert(1)</script>" + str(item))\n'
                                    '    return "".join(shown) + str(len(shown))\n')
    _write(subs / ODD_NAME, {m: synthetic.renamed(t, "q_") for m, t in float32.items()})
    _write(subs / "style_float32", float32)
    completed("variants", term1 / "old_student")
    _write(subs / "copy_archived", {m: synthetic.renamed(t, "v_") for m, t in _read(term1 / "old_student").items()})
    out = root / "out"
    assert main(["similarity", str(subs), "--archive", str(term1), "--out", str(out)]) == 0
    return subs, out, json.loads((out / "similarity.json").read_text())


def _evidence(data):
    found = {}
    for pair in data["compared"]:  # pairs left out could not reach the threshold
        found[frozenset(pair["students"])] = pair["evidence"]
    return found


def test_every_planted_pair_ranks_above_every_independent_pair(planted):
    subs, _, data = planted
    evidence = _evidence(data)
    students = sorted(p.name for p in subs.iterdir()) + ["term1/old_student"]
    planted_pairs = {frozenset(p) for p in PLANTED | {ARCHIVED}}
    independent = [frozenset(p) for p in itertools.combinations(students, 2) if frozenset(p) not in planted_pairs]
    weakest_planted = min(evidence.get(p, 0.0) for p in planted_pairs)
    strongest_independent = max(independent, key=lambda p: evidence.get(p, 0.0))
    assert weakest_planted > evidence.get(strongest_independent, 0.0), (weakest_planted, sorted(strongest_independent))


def test_only_the_planted_pairs_are_reported_and_the_earlier_term_apart(planted):
    subs, _, data = planted
    assert {frozenset(p["students"]) for p in data["pairs"]} == {frozenset(p) for p in PLANTED}
    assert [p["students"] for p in data["archive_pairs"]] == [list(ARCHIVED)]
    assert data["students"] == len(list(subs.iterdir()))  # the zipped copy too
    assert data["archived_students"] == 1 and not data["problems"]


def test_the_pasted_function_is_named_and_its_lines_marked(planted):
    _, _, data = planted
    pair = next(p for p in data["pairs"] if set(p["students"]) == {"copy_one_function", "style_lists"})
    assert [(m["a"]["function"], m["b"]["function"]) for m in pair["matches"]] == [
        ("ex01_perceptron.train_perceptron", "ex01_perceptron.train_perceptron")]
    side = pair["matches"][0]["a"]
    shared = {line for first, last in side["shared_lines"] for line in range(first, last + 1)}
    code_lines = range(side["first_line"], side["first_line"] + len(side["code"].splitlines()))
    assert len(shared) >= len(code_lines) - 2 and shared <= set(code_lines)


def test_independent_styles_and_common_code_raise_no_pair(planted):
    """The styles share short standard lines with each other and with the reference; the mistakes
    share the reference's code with 40 others: none of it is evidence."""
    _, _, data = planted
    reported = {s for p in data["pairs"] for s in p["students"]}
    assert not reported & {"reference", "blank_stubs"} and not any(s.startswith("mistake_") for s in reported)


class _Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.headings, self.lang, self.text = [], [], None, []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.headings.append(int(tag[1]))

    def handle_data(self, data):
        self.text.append(data)


def test_the_page_is_self_contained_escaped_and_accessible(planted):
    _, out, data = planted
    text = (out / "similarity.html").read_text()
    page = _Page()
    page.feed(text)
    assert page.lang == "en" and "script" not in page.tags and "img" not in page.tags
    assert page.headings[0] == 1 and all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:]))
    assert "th" in page.tags and 'scope="col"' in text
    body = "".join(page.text)
    assert ODD_NAME in body and "</pre><script>alert(1)</script>" in body  # shown as text, never as markup
    assert "never a verdict" in body and "no score changes" in body
    assert body.count("\n> ") + body.startswith("> ") > 0  # shared lines marked by a character, not colour alone
    for pair in data["pairs"] + data["archive_pairs"]:
        assert " and ".join(pair["students"]) in body


def test_report_html_links_to_the_page_beside_it(tmp_path, planted):
    _, out, _ = planted
    write_class_report(tmp_path, [])
    assert "similarity.html" not in (tmp_path / "report.html").read_text()
    shutil.copy(out / "similarity.html", tmp_path / "similarity.html")
    write_class_report(tmp_path, [])
    assert 'href="similarity.html"' in (tmp_path / "report.html").read_text()
    (tmp_path / "similarity.html").unlink()
    write_class_report(tmp_path, [])  # an earlier report.html gets its link when the page is written
    for student in ("style_loops", "copy_renamed"):
        shutil.copytree(planted[0] / student, tmp_path / "two" / student)
    assert main(["similarity", str(tmp_path / "two"), "--out", str(tmp_path)]) == 0
    assert 'href="similarity.html"' in (tmp_path / "report.html").read_text()


def _notebook_answers(dest):
    """The release's notebooks with the reference's functions in their answer cells (solution_NAME)."""
    import ast

    from grader import SOLUTIONS_DIR

    dest.mkdir(parents=True)
    for released in sorted((RELEASE_DIR / "nn_basics").glob("*.ipynb")):
        reference = (SOLUTIONS_DIR / f"{released.stem}.py").read_text()
        functions = {n.name: ast.get_source_segment(reference, n) for n in ast.parse(reference).body
                     if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
        nb = json.loads(released.read_text())
        for cell in nb["cells"]:
            grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id", "")
            if grade_id.startswith("solution_") and grade_id[len("solution_"):] in functions:
                cell["source"] = functions[grade_id[len("solution_"):]]
        (dest / released.name).write_text(json.dumps(nb))


def test_notebooks_are_read_as_grading_reads_them(tmp_path):
    from grader import SOLUTIONS_DIR

    _notebook_answers(tmp_path / "class" / "nb_student" / "nested")
    (tmp_path / "class" / "nothing").mkdir()
    (tmp_path / "class" / "nothing" / "README.txt").write_text("hi")
    found = read_class(tmp_path / "class")
    assert "nothing" in found.problems and "Expected the files" in found.problems["nothing"]
    module = "ex03_activations"
    assert "_nngrade" not in found.sources["nb_student"][module]  # the kit's cell runner is nobody's code
    ours = {u.name: u.tokens for u in module_units(module, found.sources["nb_student"][module])}
    reference = {u.name: u.tokens for u in module_units(module, (SOLUTIONS_DIR / f"{module}.py").read_text())}
    assert ours["sigmoid"] == reference["sigmoid"] and ours["elu_derivative"] == reference["elu_derivative"]


def test_normalising_ignores_names_comments_docstrings_and_spacing():
    one = 'import numpy as np\n\ndef f(z):\n    """Doc."""\n    e = np.exp(-z)  # why\n    return 1 / (1 + e)\n'
    two = "import numpy\n\n\ndef g(value):\n    tmp=numpy.exp( -value )\n\n    return 1/(1+tmp)\n"
    three = "import numpy as np\n\ndef f(z):\n    e = np.exp(z)\n    return 1 / (1 + e)\n"
    tokens = [{u.name: u.tokens for u in module_units("m", t)} for t in (one, two, three)]
    assert tokens[0]["f"] == tokens[1]["g"] != tokens[2]["f"]
    broken = module_units("m", "def f(:\n    return 1\n\n\nclass C:\n    @property\n    def g(self):\n        return 'x\n")
    assert [(u.name, u.first_line, u.last_line) for u in broken] == [("f", 1, 2), ("C", 5, 8), ("C.g", 6, 8)]


def test_a_short_standard_formula_shared_by_two_is_not_a_pair():
    formula = "import numpy as np\n\n\ndef sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n"
    others = {f"s{i}": {"ex03_activations": f"def sigmoid(z):\n    return {i}\n"} for i in range(10)}
    data = compare({"a": {"ex03_activations": formula}, "b": {"ex03_activations": formula}, **others}, kit_sources=[])
    assert data["pairs"] == [] and all(p["evidence"] == 0 for p in data["compared"])


def test_three_students_sharing_one_work_are_one_group(planted):
    subs, _, _ = planted
    loops = _read(subs / "style_loops")
    class_ = {name: _read(subs / name) for name in ("reference", "style_einsum", "style_lists", "blank_stubs")}
    class_ |= {f"mistake_{i}": _read(p) for i, p in enumerate(sorted(subs.glob("mistake_*"))[:8])}
    class_ |= {"a": loops, "b": {m: synthetic.renamed(t, "b_") for m, t in loops.items()},
               "c": {m: synthetic.reordered(t) for m, t in loops.items()}}
    data = compare(class_)
    assert [c["students"] for c in data["clusters"]] == [["a", "b", "c"]]
    assert "ex05_backprop.dense_backward" in data["clusters"][0]["functions"]
    assert {frozenset(p["students"]) for p in data["pairs"]} == {frozenset("ab"), frozenset("ac"), frozenset("bc")}


def test_a_missing_folder_is_a_clear_error(tmp_path, capsys):
    assert main(["similarity", str(tmp_path / "nope"), "--out", str(tmp_path / "out")]) == 2
    assert "nope: not a folder" in capsys.readouterr().err
    (tmp_path / "class" / "alice").mkdir(parents=True)
    assert main(["similarity", str(tmp_path / "class"), "--archive", str(tmp_path / "gone"), "--out", str(tmp_path / "out")]) == 2
    assert "gone: not a folder" in capsys.readouterr().err


def test_the_fast_lexer_reads_python_as_tokenize_does():
    import io
    import tokenize

    from grader import EXERCISES_DIR, SOLUTIONS_DIR
    from grader.similarity.normalise import _raw_tokens

    skipped = {tokenize.COMMENT, tokenize.NL, tokenize.ENCODING, tokenize.ENDMARKER, tokenize.DEDENT}

    files = [*SOLUTIONS_DIR.glob("ex*.py"), *EXERCISES_DIR.glob("*.py"), *(RELEASE_DIR.parent / "tests" / "alt_impls").glob("*/*.py")]
    assert len(files) > 30
    for path in files:
        source = path.read_text()
        expected = [(t.type, t.string if t.type == tokenize.NAME or t.type == tokenize.OP else "", t.start[0])
                    for t in tokenize.generate_tokens(io.StringIO(source).readline)
                    if t.type not in skipped]
        ours = [(kind, text if kind == tokenize.NAME or kind == tokenize.OP else "", row)
                for kind, text, row, _ in _raw_tokens(source) if kind != tokenize.DEDENT]
        assert ours == expected, path


def test_the_benchmark_reports_its_planted_copies(tmp_path):
    """`nngrade bench --similarity` on a small class (its timing is measured, never asserted)."""
    from grader.similarity.bench import bench

    result = bench(20, tmp_path)
    assert result["planted"] >= 3 and result["planted_found"] == result["planted"]
    assert (tmp_path / "out" / "similarity.html").is_file()
