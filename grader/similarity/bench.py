"""`python -m grader.similarity.bench [-n 300]` (or `nngrade bench --similarity`): how long
`nngrade similarity` takes on a synthetic class, from reading the folders to the written page.

The class: per student and per function, the reference's code or one of the kit's other correct
styles (tests/alt_impls, when the kit's tests are there), a typical mistake for every other
student, some lines of the student's own between each function's statements (what makes real
students' code differ beyond names and spacing), every file with its own local names; every 20th
student hands in a disguised copy of the one before, and four students share one student's work. Measured, never assumed.
"""
import argparse
import ast
import functools
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from grader import PROJECT_ROOT, SOLUTIONS_DIR
from grader.loader import read_sources
from grader.similarity import synthetic

ALT_IMPLS = PROJECT_ROOT / "tests" / "alt_impls"


def _styles():
    """[{module: source}] of the reference and of every other correct style the kit has."""
    reference = read_sources(SOLUTIONS_DIR)
    styles = [reference]
    for folder in sorted(p for p in ALT_IMPLS.glob("*") if p.is_dir()) if ALT_IMPLS.is_dir() else []:
        styles.append({**reference, **{p.stem: p.read_text() for p in folder.glob("ex[0-9][0-9]_*.py")}})
    return styles


@functools.lru_cache(maxsize=None)
def _functions(source):
    return [n.name for n in ast.parse(source).body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]


def _expression(rng, depth=2):
    if depth == 0 or rng.random() < 0.3:
        return rng.choice(["1", "2.0", "0.5", "n", "k", "len(parts)", "abs(n)", "3"])
    form = rng.choice(["({a} {op} {b})", "min({a}, {b})", "max({a}, {b})", "float({a})", "-{a}", "{a} {op} {b}"])
    return form.format(a=_expression(rng, depth - 1), b=_expression(rng, depth - 1), op=rng.choice("+-*/"))


def _individual(source, rng):
    """Each function's body with the student's own lines between its statements: what makes
    real students' code differ from each other beyond names and spacing."""
    lines = source.splitlines()
    inserts = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for statement in node.body[:-1]:
                if rng.random() < 0.6:
                    line = " " * statement.col_offset + f"parts = [{_expression(rng)}, {_expression(rng)}]"
                    inserts.append((statement.end_lineno, line))
    for after, line in sorted(inserts, reverse=True):
        lines.insert(after, line)
    return "\n".join(lines) + "\n"


def _student(rng, styles, mistakes, number):
    sources = {}
    for module, text in styles[0].items():
        for name in _functions(text):
            donor = rng.choice(styles)[module]
            if name in _functions(donor):
                text = synthetic.with_function(text, donor, name)
        sources[module] = text
    if number % 2 and mistakes:
        mistake = mistakes[number // 2 % len(mistakes)]
        if sources[mistake.module].count(mistake.old) == 1:
            sources[mistake.module] = sources[mistake.module].replace(mistake.old, mistake.new)
    return {m: synthetic.renamed(_individual(t, rng), f"s{number}_") for m, t in sources.items()}


def write_similarity_class(folder, n, seed=0):
    """n students into folder/<student>/; returns the planted pairs [(copier, source)]."""
    from grader.devtools.mistakes import MISTAKES

    rng, styles, folder, planted = random.Random(seed), _styles(), Path(folder), []
    for number in range(n):
        name = f"s{number:04d}"
        if number % 20 == 19 or number in (n - 1, n - 2, n - 3) and n > 10:
            source = number - 1 if number % 20 == 19 else 5
            work = {m: synthetic.recommented(synthetic.renamed(t, f"c{number}_"))
                    for m, t in read_sources(folder / f"s{source:04d}").items()}
            planted.append((name, f"s{source:04d}"))
        else:
            work = _student(rng, styles, MISTAKES, number)
        (folder / name).mkdir(parents=True)
        for module, text in work.items():
            (folder / name / f"{module}.py").write_text(text)
    return planted


def bench(n, work_dir):
    from grader.similarity.intake import read_class
    from grader.similarity.run import compare, write_report

    planted = write_similarity_class(Path(work_dir) / "class", n)
    started, cpu = time.perf_counter(), _cpu_seconds()
    found = read_class(Path(work_dir) / "class")
    read_s = time.perf_counter() - started
    data = compare(found.sources)
    data["problems"] = []
    write_report(Path(work_dir) / "out", data)
    wall, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    reported = {frozenset(p["students"]) for p in data["pairs"]}
    return {"students": n, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "read_s": round(read_s, 2),
            "pairs_reported": len(data["pairs"]), "clusters": len(data["clusters"]),
            "planted_found": sum(frozenset(p) in reported for p in planted), "planted": len(planted),
            "page_kb": round((Path(work_dir) / "out" / "similarity.html").stat().st_size / 1024)}


def _cpu_seconds():
    """CPU time of this process and of its finished worker processes."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def bench_command(args):
    with tempfile.TemporaryDirectory(prefix="nngrade-similarity-bench-") as work:
        result = bench(args.submissions, work)
    if getattr(args, "json", False):
        print(json.dumps(result))
    else:
        print(f"similarity report for {result['students']} students written in {result['wall_s']} s "
              f"({result['cpu_s']} s of CPU; reading the folders {result['read_s']} s); {result['pairs_reported']} pairs and {result['clusters']} "
              f"groups reported, {result['planted_found']} of {result['planted']} planted copies among them; "
              f"page {result['page_kb']} kB")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m grader.similarity.bench", description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--submissions", type=int, default=300, help="class size (default: 300)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    return bench_command(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
