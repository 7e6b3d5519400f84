"""Gradescope and PrairieLearn bundles: built, unpacked into a temporary root and run there on
real uploads (the slow tests), plus the upload rules, the cache and the results schemas."""
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

from grader import EXERCISES_DIR, PROJECT_ROOT, RELEASE_DIR, SOLUTIONS_DIR, exercise_files
from grader.devtools.mistakes import MISTAKES, write_mutant
from grader.platforms import gradescope, kit, pins, prairielearn
from grader.judging import fingerprint as fingerprint_module
from grader.judging.fingerprint import fingerprint
from grader.judging.context_cache import cache_key, read_cache
from grader.platforms.entry import Outcome
from grader.platforms.single import not_graded_record
from grader.intake.uploads import find_upload
from grader.protocol import encode, pack
from grader.rubric import load_checked_rubric, load_rubric
from grader.submission import read_submission
from helpers.platform_schemas import gradescope_problems, prairielearn_problems
from helpers.submission_forms import reference_notebooks

MODULES = load_rubric().modules
MAX_SCORE = load_rubric().max_score
IS_ROOT_LINUX = sys.platform.startswith("linux") and os.geteuid() == 0
MISTAKE = next(m for m in MISTAKES if m.name == "sigmoid_derivative_from_z")


def kit_has_seccomp():
    from grader.sandbox import seccomp_filter

    return seccomp_filter.available()


# ---- schemas -----------------------------------------------------------------------------------

def test_validators_reject_what_the_platforms_reject():
    assert gradescope_problems({"score": 1.0, "tests": [{"name": "a", "score": 1, "max_score": 1, "visibility": "visible"}]}) == []
    assert gradescope_problems({"score": "1"})
    assert gradescope_problems({"score": 1, "visibility": "students"})
    assert gradescope_problems({"score": 1, "output_format": "markdown"})
    assert gradescope_problems({"tests": [{"name": "a", "max_score": 1}]})  # no score anywhere
    assert gradescope_problems({"score": float("nan")})
    assert prairielearn_problems({"gradable": True, "score": 0.5, "tests": [{"name": "a", "points": 1, "max_points": 2}]}) == []
    assert prairielearn_problems({"gradable": True, "score": 50})
    assert prairielearn_problems({"score": 1, "tests": [{"name": "a", "points": 1}]})
    assert prairielearn_problems({"score": 1, "images": [{"url": "http://example.org/a.png"}]})
    assert prairielearn_problems({"gradable": False, "format_errors": [3]})


def test_results_for_an_upload_with_nothing_to_grade_validate():
    reason = "Nothing to grade. Expected ..."
    outcome = Outcome(not_graded_record(None, "submission", reason), "not-gradable", reason, reason)
    gs = gradescope.results_json(outcome)
    assert gradescope_problems(gs) == [] and gs["score"] == 0 and reason in gs["output"]
    assert sum(t["max_score"] for t in gs["tests"]) == MAX_SCORE  # the student sees what was at stake
    pl = prairielearn.results_json(outcome)
    assert prairielearn_problems(pl) == [] and pl["gradable"] is False and pl["message"] == reason
    crashed = Outcome(None, "grader-failed", "please contact the course staff", "Traceback ...")
    assert gradescope_problems(gradescope.results_json(crashed)) == []
    assert "Traceback" not in json.dumps(gradescope.results_json(crashed))  # details go to stdout only
    assert prairielearn_problems(prairielearn.results_json(crashed)) == []


def test_points_lost_show_on_the_checks_that_lost_them():
    record = not_graded_record(None, "submission", "unused")
    lost = record["functions"][3]
    for function in record["functions"]:
        if function is not lost:
            function["score"] = function["max_score"]
            for check in function["checks"]:
                check.update(passed=True, score=check["max_score"])
    record["score"] = MAX_SCORE - lost["max_score"]
    outcome = Outcome(record, "graded")
    gs, pl = gradescope.results_json(outcome), prairielearn.results_json(outcome)
    assert gradescope_problems(gs) == [] and prairielearn_problems(pl) == []
    assert _losing(gs["tests"], "score", "max_score") == _losing(pl["tests"], "points", "max_points") == {lost["function"]}
    assert gs["score"] == record["score"] and pl["score"] == pytest.approx(record["score"] / MAX_SCORE)
    assert pl["gradable"] is True
    assert {t["message"] for t in pl["tests"] if t["points"] < t["max_points"]} == {"unused"}


def test_a_broken_kit_still_gives_a_results_file_and_the_staff_the_details(tmp_path, capsys):
    root = tmp_path / "autograder"
    _copy_modules(SOLUTIONS_DIR, root / "submission")
    (root / "source").mkdir()  # no rubric, no grader: the kit is broken
    assert gradescope.run(root) == 0
    results = json.loads((root / "results" / "results.json").read_text())
    assert gradescope_problems(results) == [] and results["score"] == 0
    assert "contact the course staff" in results["output"] and "Traceback" not in json.dumps(results)
    assert "Traceback" in capsys.readouterr().out  # stdout: seen by the staff only


def test_the_scripts_leave_a_results_file_when_python_itself_fails(tmp_path, bundle):
    with zipfile.ZipFile(bundle) as zf:
        script = Path(zf.extract("run_autograder", tmp_path / "autograder" / "source"))
    pl_script = tmp_path / "grade" / "tests" / "run.sh"
    pl_script.parent.mkdir(parents=True)
    pl_script.write_text(kit.template("prairielearn_run.sh"))
    env = {**os.environ, "NNGRADE_PYTHON": str(tmp_path / "no-such-python"),
           gradescope.ROOT_ENV: str(tmp_path / "autograder"), prairielearn.ROOT_ENV: str(tmp_path / "grade")}
    for run in (script, pl_script):
        assert subprocess.run(["bash", str(run)], env=env, capture_output=True).returncode == 0
    gs = json.loads((tmp_path / "autograder" / "results" / "results.json").read_text())
    pl = json.loads((tmp_path / "grade" / "results" / "results.json").read_text())
    assert gradescope_problems(gs) == [] and gs["score"] == 0 and "contact the course staff" in gs["output"]
    assert prairielearn_problems(pl) == [] and pl["gradable"] is False


# ---- the bundles -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    out = tmp_path_factory.mktemp("bundle") / "autograder.zip"
    gradescope.build_bundle(out)
    return out


def test_gradescope_zip_has_its_scripts_at_the_root_and_the_kit(bundle):
    with zipfile.ZipFile(bundle) as zf:
        infos = {i.filename: i for i in zf.infolist()}
        requirements = zf.read("requirements.txt").decode()
        setup = zf.read("setup.sh").decode()
    for script in ("setup.sh", "run_autograder"):
        assert stat.S_IMODE(infos[script].external_attr >> 16) == 0o755
    for name in ("grader/platforms/gradescope.py", "rubric.toml", "pyproject.toml", "solutions/ex05_backprop.py",
                 "release/nn_basics/ex03_activations.ipynb"):
        assert name in infos
    pinned = pins.read_pins()
    for name in ("numpy", "hypothesis", "nbformat", "matplotlib", "pyseccomp"):  # pyseccomp: the system-call filter
        assert f"\n{name}=={pinned[name]}" in requirements
    assert "-c constraints.txt" in requirements and _bundled_as_in_the_project(bundle, "constraints.txt")
    assert f"torch=={pinned['torch']}" in setup and kit.TORCH_INDEX in setup and "python3.11" in setup


def _bundled_as_in_the_project(bundle, name):
    with zipfile.ZipFile(bundle) as zf:
        return zf.read(name) == (PROJECT_ROOT / name).read_bytes()


def test_the_constraints_pin_every_dependency_within_pyprojects_ranges():
    """constraints.txt pins the closure of pyproject's dependencies, each inside pyproject's range,
    and every range has an upper bound (a fresh install gets no untested major version)."""
    from packaging.requirements import Requirement

    pinned = pins.read_pins()
    for text in pins.dependencies():
        req = Requirement(text)
        assert req.name.lower() in pinned or pins.normalize(req.name) in pinned, f"constraints.txt lacks {req.name}"
        assert req.specifier.contains(pinned[pins.normalize(req.name)], prereleases=True), text
        assert any(s.operator in ("<", "<=", "==", "~=") for s in req.specifier), f"{text}: no upper bound"
    missing = set(pins.installed_closure()) - set(pinned)
    assert not missing, f"constraints.txt lacks {sorted(missing)}: rewrite it with `python -m grader.platforms.pins`"


def test_a_malformed_constraints_line_is_named(tmp_path):
    bad = tmp_path / "constraints.txt"
    bad.write_text("numpy==2.4.6\nhypothesis>=6\n")
    with pytest.raises(ValueError, match=r"constraints.txt:2: expected NAME==VERSION, found 'hypothesis>=6'"):
        pins.read_pins(bad)


def test_scripts_pass_bash_n_and_shellcheck(tmp_path, bundle):
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(tmp_path)
    prairielearn_run = tmp_path / "run.sh"
    prairielearn_run.write_text(kit.template("prairielearn_run.sh"))
    scripts = [tmp_path / "setup.sh", tmp_path / "run_autograder", prairielearn_run]
    for script in scripts:
        checked = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
        assert checked.returncode == 0, f"{script.name}: {checked.stderr}"
    if shutil.which("shellcheck") is None:
        pytest.skip("shellcheck is not installed (apt-get install shellcheck)")
    checked = subprocess.run(["shellcheck", *map(str, scripts)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout


def test_a_malformed_rubric_is_named_before_anything_is_written(tmp_path, capsys):
    rubric = tmp_path / "broken.toml"
    rubric.write_text("[ex03_activations.sigmoid\n")
    args = type("Args", (), {"out": str(tmp_path / "a.zip"), "rubric": str(rubric)})
    assert gradescope.gradescope_command(args) == 2
    assert "broken.toml" in capsys.readouterr().err and not (tmp_path / "a.zip").exists()


def test_a_tests_folder_nngrade_did_not_write_is_left_alone(tmp_path, capsys):
    (tmp_path / "q" / "tests").mkdir(parents=True)
    (tmp_path / "q" / "tests" / "mine.py").write_text("keep me")
    args = type("Args", (), {"out": str(tmp_path / "q"), "rubric": None, "image": None})
    assert prairielearn.prairielearn_command(args) == 2
    assert "did not write" in capsys.readouterr().err and (tmp_path / "q" / "tests" / "mine.py").exists()


# ---- uploads -----------------------------------------------------------------------------------

def _copy_modules(src, dest):
    dest.mkdir(parents=True, exist_ok=True)
    for path in exercise_files(src):
        shutil.copy(path, dest / path.name)
    return dest


def test_files_in_nested_single_folders_are_found(tmp_path):
    upload = tmp_path / "upload"
    deep = _copy_modules(EXERCISES_DIR, upload / "hw" / "my work" / "src")
    (upload / "__MACOSX").mkdir()
    (upload / ".DS_Store").write_text("x")
    (upload / "hw" / "README.md").write_text("my homework")  # beside the only sub-folder
    found = find_upload(upload, MODULES, tmp_path / "work")
    assert found.problem is None and found.folder == deep


def test_a_zip_is_unpacked_and_one_escaping_it_is_refused(tmp_path):
    upload = tmp_path / "upload"
    upload.mkdir()
    with zipfile.ZipFile(upload / "hw.zip", "w") as zf:
        for path in EXERCISES_DIR.glob("ex0*.py"):
            zf.write(path, f"hw/{path.name}")
    found = find_upload(upload, MODULES, tmp_path / "work")
    assert found.problem is None and sorted(p.name for p in found.folder.iterdir()) == [f"{m}.py" for m in MODULES]
    garbage = tmp_path / "garbage"
    garbage.mkdir()
    with zipfile.ZipFile(garbage / "homework.zip", "w") as zf:
        zf.writestr("random.bin", os.urandom(512))
        zf.writestr("notes/todo.txt", "finish ex03")
    found = find_upload(garbage, MODULES, tmp_path / "work3")
    assert found.folder is None and "homework.zip, holding: random.bin, notes/todo.txt" in found.problem
    evil = tmp_path / "evil"
    evil.mkdir()
    with zipfile.ZipFile(evil / "hw.zip", "w") as zf:
        zf.writestr("../../escaped.py", "x = 1\n")
    found = find_upload(evil, MODULES, tmp_path / "work2")
    assert found.folder is None and "outside the archive" in found.problem
    assert not (tmp_path / "escaped.py").exists()


def test_links_to_the_reference_are_never_followed(tmp_path):
    # A wrapping folder that is a link to solutions/: refused, not descended into.
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / "work").symlink_to(SOLUTIONS_DIR, target_is_directory=True)
    found = find_upload(linked, MODULES, tmp_path / "w1")
    assert found.folder is None and "symbolic link" in found.problem
    # A module that is a link to the reference's module: that module is not read.
    upload = _copy_modules(EXERCISES_DIR, tmp_path / "upload")
    (upload / "ex03_activations.py").unlink()
    (upload / "ex03_activations.py").symlink_to(SOLUTIONS_DIR / "ex03_activations.py")
    found = find_upload(upload, MODULES, tmp_path / "w2")
    submission = read_submission(found.folder, MODULES)
    assert "ex03_activations" not in submission.sources and "symbolic link" in submission.problems["ex03_activations"]


def test_anything_else_says_what_was_expected_and_what_was_found(tmp_path):
    upload = tmp_path / "upload"
    (upload / "a").mkdir(parents=True)
    (upload / "a" / "homework.docx").write_bytes(os.urandom(200))
    (upload / "notes.txt").write_text("hello")
    Path(os.fsdecode(bytes(upload) + b"/caf\xe9.py")).write_text("x = 1\n")  # a name that is not UTF-8
    found = find_upload(upload, MODULES, tmp_path / "work")
    assert found.folder is None
    assert "ex01_perceptron.py" in found.problem and "a/homework.docx" in found.problem and "notes.txt" in found.problem
    assert "caf\\xe9.py" in found.problem and found.problem.encode("utf-8")  # printable, writable as JSON text


def test_the_cache_key_holds_what_the_values_depend_on_and_not_pythons_patch(tmp_path, monkeypatch):
    """PrairieLearn's cache is made where the question is built; the image's 3.11.x differs. The
    resume key (the same fingerprint, not portable) does count the patch."""
    key, resume_key = cache_key(), fingerprint()
    monkeypatch.setattr(sys, "version_info", (*sys.version_info[:2], 99, "final", 0))
    assert cache_key() == key and fingerprint() != resume_key
    rubric = tmp_path / "rubric.toml"
    rubric.write_text(Path(kit.DEFAULT_RUBRIC).read_text() + "\n")  # the rubric's bytes count
    assert cache_key(load_checked_rubric(rubric)) != key
    monkeypatch.setattr(fingerprint_module.metadata, "version", lambda name: "0.0" if name == "hypothesis" else "1.0")
    assert cache_key() != key


def test_the_cache_is_used_only_for_this_kit_and_these_libraries(tmp_path):
    data = {"cases": {"c": [{"x": 1.0}]}, "expected": {"c": [None]}, "plots": {"m": {"value": [1.0]}}}
    current, stale = tmp_path / "current.bin", tmp_path / "stale.bin"
    current.write_bytes(pack(*encode({"key": cache_key(), **data})))
    stale.write_bytes(pack(*encode({"key": cache_key() + "-other-torch", **data})))
    assert read_cache(current) == data
    assert read_cache(stale) is None and read_cache(tmp_path / "missing.bin") is None
    (tmp_path / "garbage.bin").write_bytes(os.urandom(100))
    assert read_cache(tmp_path / "garbage.bin") is None


# ---- end to end: the platform's own command in a temporary root --------------------------------

def _platform_root(tmp_path_factory, name):
    """Outside /tmp when root: the sandbox gives the child a private /tmp, which would hide the
    root whatever else the sandbox does; /autograder is not under /tmp either."""
    base = Path("/srv") if IS_ROOT_LINUX and os.access("/srv", os.W_OK) else tmp_path_factory.getbasetemp()
    return Path(tempfile.mkdtemp(prefix=f"nngrade-{name}-", dir=base))


@pytest.fixture(scope="module")
def gradescope_root(tmp_path_factory, bundle):
    root = _platform_root(tmp_path_factory, "gradescope")
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(root / "source")
    # setup.sh's last step (the installs before it are the image's business)
    env = {**os.environ, gradescope.ROOT_ENV: str(root), "PYTHONPATH": str(root / "source")}
    subprocess.run([sys.executable, "-m", "grader.platforms.gradescope", "setup"], cwd=root / "source", env=env,
                   check=True, capture_output=True, timeout=300)
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def prairielearn_root(tmp_path_factory):
    root = _platform_root(tmp_path_factory, "prairielearn")
    question = tmp_path_factory.mktemp("question")
    prairielearn.build_question(question)
    shutil.copytree(question / "tests", root / "tests")
    yield root
    shutil.rmtree(root, ignore_errors=True)


PR_CAPBSET_DROP, CAP_SYS_ADMIN = 24, 21


def _drop_cap_sys_admin():
    """Like Gradescope's and PrairieLearn's containers: root, but without CAP_SYS_ADMIN after exec,
    so the sandbox can make no namespace (the bounding set limits what root gets at execve)."""
    import ctypes

    if ctypes.CDLL(None, use_errno=True).prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "PR_CAPBSET_DROP")


def _gs(root, container_caps=False):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update({gradescope.ROOT_ENV: str(root), "NNGRADE_PYTHON": sys.executable})
    done = subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env, capture_output=True, text=True,
                          timeout=300, preexec_fn=_drop_cap_sys_admin if container_caps else None)
    assert done.returncode == 0, done.stderr
    results = json.loads((root / "results" / "results.json").read_text())
    assert gradescope_problems(results) == [], gradescope_problems(results)
    return results, done.stdout


def _pl(root, container_caps=False):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update({prairielearn.ROOT_ENV: str(root), "NNGRADE_PYTHON": sys.executable})
    done = subprocess.run(["bash", str(root / "tests" / "run.sh")], env=env, capture_output=True, text=True, timeout=300,
                          preexec_fn=_drop_cap_sys_admin if container_caps else None)
    assert done.returncode == 0, done.stderr
    results = json.loads((root / "results" / "results.json").read_text())
    assert prairielearn_problems(results) == [], prairielearn_problems(results)
    return results, done.stderr


def _upload(folder):
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def _losing(tests, score_key, max_key):
    points = {}
    for test in tests:
        function = test["name"].split(":")[0]
        got, most = points.get(function, (0.0, 0.0))
        points[function] = (got + test[score_key], most + test[max_key])
    return {f for f, (got, most) in points.items() if got < most}


ATTACK = '''

# --- appended: take the reference's functions from the kit, if this process can read it ---
def _steal(module, roots={roots!r}):
    for root in roots:
        try:
            with open(f"{{root}}/solutions/{{module}}.py") as handle:
                source = handle.read()
        except OSError:
            continue
        namespace = {{"__name__": module}}
        exec(compile(source, module, "exec"), namespace)
        return namespace
    return None


_stolen = _steal(__name__)
if _stolen:
    globals().update({{k: v for k, v in _stolen.items() if not k.startswith("__")}})
'''


def _attack(dest, kit_root):
    """The blank stubs, each stealing the reference from the kit at import time."""
    roots = [str(kit_root), "/autograder/source", "/grade/tests"]
    for path in exercise_files(EXERCISES_DIR):
        (dest / path.name).write_text(path.read_text() + ATTACK.format(roots=roots))
    # Not a vacuous attack: where the kit is readable, it does get the reference's answers.
    namespace = {"__name__": "ex03_activations"}
    exec(compile((dest / "ex03_activations.py").read_text(), "attack", "exec"), namespace)
    assert namespace["sigmoid"](0.0) == 0.5


needs_root = pytest.mark.skipif(not IS_ROOT_LINUX, reason="the sandbox hides the kit only as root on Linux")


@pytest.mark.slow
@needs_root
def test_gradescope_autograder_grades_what_students_upload(gradescope_root):
    root = gradescope_root
    submission = root / "submission"

    _copy_modules(SOLUTIONS_DIR, _upload(submission))
    results, stdout = _gs(root)
    assert results["score"] == MAX_SCORE and results["output_format"] == "md" and results["stdout_visibility"] == "hidden"
    assert "class context: cached" in stdout  # setup.sh's cache, no hypothesis run per submission
    assert stat.S_IMODE((root / "source").stat().st_mode) == 0o700

    _copy_modules(EXERCISES_DIR, _upload(submission))
    assert _gs(root)[0]["score"] == 0

    write_mutant(MISTAKE, _upload(submission) / "homework" / "nn")  # inside two wrapping folders
    results, _ = _gs(root)
    assert _losing(results["tests"], "score", "max_score") == set(MISTAKE.loses_points)
    assert 0 < results["score"] < MAX_SCORE

    reference_notebooks(_upload(submission))
    results, stdout = _gs(root)
    assert results["score"] == MAX_SCORE and "rebuilt from notebooks" in stdout

    with zipfile.ZipFile(_upload(submission) / "homework.zip", "w") as zf:
        zf.writestr("random.bin", os.urandom(4096))
        zf.writestr("notes/todo.txt", "finish ex03")
    results, _ = _gs(root)
    shown = results["output"].replace("\\", "")  # the message is markdown prose: its underscores escaped
    assert results["score"] == 0 and "Expected the files ex01_perceptron.py" in shown
    assert "random.bin" in results["output"] and results["extra_data"]["outcome"] == "not-gradable"

    _attack(_upload(submission), root / "source")
    results, _ = _gs(root)
    assert results["score"] == 0  # no more than the blank stubs it is made of
    assert "mount-namespace" in results["extra_data"]["isolation"]  # here the kit is hidden from the child

    # As in Gradescope's container: no namespaces; the root-only kit and the child's own uid stop it.
    results, _ = _gs(root, container_caps=True)
    assert "mount-namespace" not in results["extra_data"]["isolation"]
    assert "unprivileged-uid" in results["extra_data"]["isolation"] and results["score"] == 0


@pytest.mark.slow
@needs_root
def test_prairielearn_grader_grades_what_students_upload(prairielearn_root):
    root = prairielearn_root
    student = root / "student"

    upload = _upload(student)
    with zipfile.ZipFile(upload / "hw.zip", "w") as zf:  # PrairieLearn does not unpack uploads
        for path in SOLUTIONS_DIR.glob("ex0*.py"):
            zf.write(path, path.name)
    results, log = _pl(root)
    assert results["gradable"] and results["score"] == 1.0
    labels = [image["label"] for image in results["images"]]  # the plots of feedback.html, one per image
    assert len(labels) == 12 and any("decision line" in label for label in labels), labels
    assert all(image["url"].startswith("data:image/png;base64,") for image in results["images"])
    assert "class context: cached" in log

    upload = _upload(student)
    for released in (RELEASE_DIR / "nn_basics").glob("*.ipynb"):  # the release's blank notebooks
        shutil.copy(released, upload / released.name)
    results, _ = _pl(root)
    assert results["gradable"] and results["score"] == 0.0

    upload = _upload(student)
    (upload / "answers.txt").write_text("42")
    results, _ = _pl(root)
    assert results["gradable"] is False and "answers.txt" in results["message"]

    _attack(_upload(student), root / "tests")
    results, log = _pl(root, container_caps=True)  # as in PrairieLearn's container: no namespaces
    assert results["gradable"] and results["score"] == 0.0
    assert stat.S_IMODE((root / "tests").stat().st_mode) == 0o700  # made root-only by the entry point


# ---- bench --single's measuring tools ------------------------------------------------------------

def test_tree_memory_counts_this_process_and_its_children():
    from grader.devtools.bench_single import _tree_memory

    alone_rss, alone_estimate = _tree_memory(os.getpid())
    assert 0 < alone_estimate <= alone_rss * 1.5
    child = subprocess.Popen([sys.executable, "-c", "import time; b = bytearray(64 << 20); time.sleep(30)"])
    try:
        for _ in range(200):  # until the child has its 64 MB
            rss, estimate = _tree_memory(os.getpid())
            if rss - alone_rss > 60 << 20 and estimate - alone_estimate > 60 << 20:
                break
            time.sleep(0.05)
        assert rss - alone_rss > 60 << 20 and estimate - alone_estimate > 60 << 20
    finally:
        child.kill()
        child.wait()


@needs_root
def test_the_bench_cgroup_has_the_platform_limits_and_holds_the_process():
    from grader.devtools.bench_single import CPU_QUOTA_US, MEMORY_LIMIT, Cgroup, CgroupError

    try:
        group = Cgroup(f"nngrade-test-{os.getpid()}")
    except CgroupError as exc:
        pytest.skip(str(exc))
    try:
        if group.version == 1:
            assert int((group.memory / "memory.limit_in_bytes").read_text()) == MEMORY_LIMIT
            cpu = next(d for d in group.dirs if "/cpu" in str(d) and "memory" not in str(d))
            assert int((cpu / "cpu.cfs_quota_us").read_text()) == CPU_QUOTA_US
        else:
            assert int((group.memory / "memory.max").read_text()) == MEMORY_LIMIT
            assert (group.memory / "cpu.max").read_text().split()[0] == str(CPU_QUOTA_US)
        child = subprocess.Popen([sys.executable, "-c", "b = bytearray(32 << 20); b[::4096] = b'x' * len(b[::4096])"],
                                 preexec_fn=lambda: group.add(os.getpid()))
        child.wait()
        assert group.peak_bytes() >= 32 << 20  # the child's memory was charged to the group
    finally:
        group.remove()
    assert not any(d.exists() for d in group.dirs)


def test_bench_single_table_shows_every_figure(monkeypatch, capsys):
    import grader.devtools.bench_single as bench_single

    run = {"wall_s": 9.67, "cpu_s": 4.21, "split_s": {"start-up": 7.78, "cases": 0.16, "grading": 1.05, "writing": 0.68},
           "score": 83.0, "peak_mb": 300.2, "rss_sum_mb": 876.0, "cold_estimate_mb": 388.4, "memory_limit_reached": False,
           "cases": "cached"}
    result = {"limits": "memory 768 MB, CPU 50%", "targets": bench_single.TARGETS, "runs": {"reference": run, "blank": run}}
    monkeypatch.setattr(bench_single, "run_single", lambda use_cgroup: result)
    assert bench_single.bench_single_command(type("Args", (), {"cgroup": True, "json": False})) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines() if line.startswith(("reference", "blank"))]
    assert [row[:7] for row in rows] == [[name, "83", "9.67", "4.21", "300", "388", "876"] for name in ("reference", "blank")]
    assert "7.78 / 0.16 / 1.05 / 0.68" in " ".join(rows[0])


# ---- refusals name their cause --------------------------------------------------------------------

DENY_LANDLOCK = """
import errno, sys, pyseccomp
from grader.sandbox import landlock
f = pyseccomp.SyscallFilter(pyseccomp.ALLOW)
f.add_rule(pyseccomp.ERRNO(int(sys.argv[1])), "landlock_create_ruleset")
f.load()
try:
    landlock.restrict(read=["/"])
except OSError as exc:
    print(exc.errno, exc.strerror)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux") or not kit_has_seccomp(), reason="needs Linux and pyseccomp")
@pytest.mark.parametrize("err, says", [(1, "container's security profile denies the landlock_* system calls"),
                                      (38, "this kernel has no Landlock (ENOSYS)"),
                                      (95, "add landlock to the kernel's lsm= boot parameter")])
def test_a_missing_landlock_names_who_denies_it(err, says):
    """EPERM comes from a container's profile (fix the profile), ENOSYS from the kernel (another machine)."""
    done = subprocess.run([sys.executable, "-c", DENY_LANDLOCK, str(err)], capture_output=True, text=True, timeout=60,
                          cwd=PROJECT_ROOT)
    assert done.stdout.startswith(f"{err} ") and says in done.stdout, done.stdout + done.stderr


def test_seccomp_refusals_name_profile_or_kernel():
    from grader.sandbox.layer_errors import cause

    assert "container's security profile" in cause("seccomp", 1) and "(EPERM)" in cause("seccomp", 1)
    assert "CONFIG_SECCOMP_FILTER" in cause("seccomp", 22)


# ---- a built bundle tried on one submission ---------------------------------------------------------

@pytest.mark.slow
@needs_root
def test_test_option_runs_a_built_bundle_on_one_submission(tmp_path, bundle, capsys):
    """`--test` without Docker: the bundle as built, in a temporary root, the results file printed."""
    from grader.cli import main as nngrade

    assert nngrade(["gradescope", "--out", str(bundle), "--test", str(SOLUTIONS_DIR), "--no-docker"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["score"] == MAX_SCORE and "class context: cached" in err
    question = tmp_path / "question"
    prairielearn.build_question(question)
    mistake = write_mutant(MISTAKE, tmp_path / "mistake")
    assert nngrade(["prairielearn", "--out", str(question), "--test", str(mistake), "--no-docker"]) == 0
    out, err = capsys.readouterr()
    assert _losing(json.loads(out)["tests"], "points", "max_points") == set(MISTAKE.loses_points), err
    assert nngrade(["prairielearn", "--out", str(tmp_path / "nothing"), "--test", str(mistake), "--no-docker"]) == 2
    assert "not a question folder written by `nngrade prairielearn" in capsys.readouterr().err


OLDEST_PYTHON = "3.11.2"  # Debian bookworm's: the ordinary-user mode's venv and the container test's base


def test_every_pin_installs_on_the_oldest_python_the_kit_meets():
    """A pin whose Requires-Python excludes Debian's 3.11.2 sends pip into endless backtracking there."""
    from importlib import metadata

    from packaging.specifiers import SpecifierSet

    from grader.platforms.pins import read_pins

    excluded = {}
    for name, version in read_pins().items():
        try:
            found = metadata.metadata(name)
        except metadata.PackageNotFoundError:
            continue
        needs = found.get("Requires-Python")
        if found["Version"].split("+")[0] == version.split("+")[0] and needs and OLDEST_PYTHON not in SpecifierSet(needs):
            excluded[name] = f"{version} requires Python {needs}"
    assert not excluded, excluded
