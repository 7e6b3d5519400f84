"""The judge trusts nothing the child says, attacked as a hostile student would:
nan gradients, constant or context-detecting "own pieces", probes swapped at import, constants for
the behaviour checks, and a search of the child's memory for the grader's own formulas. Each attack
is a real submission (tests/attacks/judge_*.py spliced into the blank stubs or the reference),
graded in ONE batch with the honest reference and the blank stubs, under the short-limit rubric of
tests/sandbox/test_attacks.py.

An attack file holds sections "# --- <module>": each section's definitions replace the module's
functions of the same names (the section is appended to the module, the originals removed)."""
import ast
import re
import shutil
from dataclasses import dataclass

import pytest

from grader.batch import grade_folder
from helpers.contexts import build_context
from grader.outputs.reports import read_student
from grader.rubric import load_checked_rubric
from test_attacks import ATTACKS_DIR, REFERENCE, STUBS, as_files, messages, report_of, score, splice, test_rubric_file, workspace

SECTION = re.compile(r"^# --- (ex\d\d_\w+)\s*$", re.M)


def sections(text):
    """{module: code} of an attack file with "# --- module" sections; without sections, {None: text}."""
    parts = SECTION.split(text)
    if len(parts) == 1:
        return {None: text}
    return {module: code for module, code in zip(parts[1::2], parts[2::2])}


def defined(code):
    return [n.name for n in ast.parse(code).body if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and not n.name.startswith("_")]


@dataclass
class JudgeAttack:
    name: str
    file: str
    base: str  # "stubs" or "reference"
    zero: tuple  # functions that must score no more than the blank stubs
    keep: tuple = ()  # functions that must keep full marks (the attack did not touch their checks)
    target: str = None  # "module" (appended to every function-less section) or "module.function" (one function)
    report: bool = False

    def sources(self):
        modules = dict(STUBS if self.base == "stubs" else REFERENCE)
        text = (ATTACKS_DIR / f"{self.file}.py").read_text()
        if self.target and "." in self.target:
            module, function = self.target.split(".")
            modules[module] = splice(modules[module], function, text)
            return modules
        for module, code in sections(text).items():
            for target in ([module] if module else list(modules)):
                body = modules[target]
                for function in defined(code):
                    if re.search(rf"^(def|class) {function}\b", body, re.M):
                        body = splice(body, function, "")
                modules[target] = body + "\n\n" + code
        return modules


EX1, EX2, EX3, EX4, EX5, EX6, EX7 = (f"ex0{i}_" for i in range(1, 8))
DERIVATIVES = tuple(f"ex03_activations.{f}_derivative" for f in ("sigmoid", "tanh", "relu", "leaky_relu", "elu"))
BACKWARDS = tuple(f"ex05_backprop.{f}" for f in ("multiply_backward", "add_backward", "square_backward", "scalar_loss_and_gradient",
                                                 "dense_backward", "sigmoid_backward", "mlp_backward"))

ATTACKS = [
    JudgeAttack("nan_gradients", "judge_nan_gradients", "stubs",
                zero=("ex02_gradient_descent.squared_error_gradient", *DERIVATIVES, *BACKWARDS)),
    JudgeAttack("constant_pieces", "judge_constant_pieces", "reference",
                zero=("ex02_gradient_descent.squared_error_gradient", "ex02_gradient_descent.delta_rule_step",
                      "ex02_gradient_descent.gradient_descent", "ex04_mlp_forward.mlp_forward", "ex05_backprop.mlp_backward"),
                keep=("ex02_gradient_descent.squared_error", "ex05_backprop.dense_backward")),
    JudgeAttack("context_pieces", "judge_context_pieces", "reference",
                zero=("ex02_gradient_descent.delta_rule_step", "ex02_gradient_descent.gradient_descent", "ex05_backprop.mlp_backward"),
                keep=("ex02_gradient_descent.squared_error", "ex02_gradient_descent.squared_error_gradient",
                      "ex04_mlp_forward.mlp_forward")),
    JudgeAttack("swap_probes", "judge_swap_probes", "stubs",
                zero=("ex02_gradient_descent.delta_rule_step", "ex02_gradient_descent.gradient_descent", "ex05_backprop.mlp_backward")),
    JudgeAttack("behaviour_constants", "judge_behaviour_constants", "reference",
                zero=("ex01_perceptron.perceptron_predict", "ex01_perceptron.perceptron_update", "ex01_perceptron.train_perceptron",
                      "ex03_activations.relu_derivative", "ex03_activations.leaky_relu_derivative",
                      "ex03_activations.elu_derivative", "ex06_sgd.train_mlp", "ex07_torch.train_xor"),
                keep=("ex01_perceptron.add_bias", "ex04_mlp_forward.xor_params", "ex07_torch.XorNet")),
    JudgeAttack("oracle_search", "judge_oracle_search", "stubs", zero=("*",)),
    # the control: a backward exact for the student's own wrong forward keeps its points
    JudgeAttack("own_forward_control", "judge_own_forward_control", "reference", zero=("ex04_mlp_forward.mlp_forward",),
                keep=("ex05_backprop.mlp_backward", "ex05_backprop.dense_backward", "ex05_backprop.sigmoid_backward")),
    JudgeAttack("report_modules", "judge_report_modules", "reference", zero=("ex03_activations.tanh",),
                target="ex03_activations.tanh", report=True),
]


@pytest.fixture(scope="module")
def judge_ctx(tmp_path_factory):
    return build_context(load_checked_rubric(test_rubric_file(tmp_path_factory.mktemp("rubric"))))


@pytest.fixture(scope="module")
def graded(judge_ctx):
    work = workspace()
    subs, out = work / "submissions", work / "out"
    try:
        for name, modules in [("honest_reference", REFERENCE), ("blank_stubs", STUBS)] + [(a.name, a.sources()) for a in ATTACKS]:
            (subs / name).mkdir(parents=True)
            for filename, text in as_files(modules).items():
                (subs / name / filename).write_text(text)
        grade_folder(subs, out, jobs=2, progress=False, ctx=judge_ctx)
        yield {name: read_student(out, name) for name in ["honest_reference", "blank_stubs"] + [a.name for a in ATTACKS]}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test_the_honest_student_keeps_full_marks(graded, judge_ctx):
    record = graded["honest_reference"]
    assert record["score"] == judge_ctx.rubric.max_score, {f["function"]: messages(record, f["function"])
                                                            for f in record["functions"] if f["score"] < f["max_score"]}
    assert graded["blank_stubs"]["score"] == 0


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.name)
def test_attack_scores_no_more_than_the_blank_stubs(graded, judge_ctx, attack):
    record, blank = graded[attack.name], graded["blank_stubs"]
    assert record is not None and "(grader)" not in record["problems"], record and record["problems"]
    functions = list(judge_ctx.functions) if attack.zero == ("*",) else attack.zero
    gained = {f: (score(record, f), messages(record, f)) for f in functions if score(record, f) > score(blank, f)}
    assert not gained, f"{attack.name} gained: {gained}"
    lost = {f: messages(record, f) for f in attack.keep if score(record, f) < judge_ctx.rubric.function_points(f)}
    assert not lost, f"{attack.name}: functions the attack leaves right lost points: {lost}"
    if attack.report:
        for function in functions:
            assert report_of(record, function) == [], messages(record, function)


def test_behaviour_checks_say_which_check_must_pass_first(graded):
    record = graded["behaviour_constants"]
    texts = messages(record, "ex01_perceptron.perceptron_predict") + messages(record, "ex03_activations.relu_derivative")
    assert any("matches_reference" in t and "pass first" in t for t in texts), texts
