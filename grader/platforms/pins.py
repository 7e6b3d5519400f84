"""The one list of library versions: constraints.txt at the project's root pins every package
pyproject.toml's dependencies pull in (the versions the kit's suite passed on). README's install
command, CI, the platform bundles (requirements.txt and constraints.txt, for Gradescope's setup.sh
and PrairieLearn's Dockerfile) and the student hand-out all install from it.

`python -m grader.platforms.pins` rewrites it from the packages installed in this Python (after
the suite passed on them).
"""
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from grader import PROJECT_ROOT

CONSTRAINTS = "constraints.txt"
HEADER = ("# The versions nngrade's test suite passed on: the closure of pyproject.toml's dependencies.\n"
          "# Install with -c constraints.txt (README); rewrite with `python -m grader.platforms.pins`.\n")
# Installed on their own line in the bundles (torch: from the CPU-only index) or not needed to grade
# one submission (the test runner, nbgrader's course tools, the batch's progress bar, the similarity checker).
NOT_IN_BUNDLES = ("torch", "pytest", "pytest-xdist", "nbgrader", "tqdm", "copydetect")


def normalize(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def dependencies(project_root=PROJECT_ROOT):
    """pyproject.toml's dependency strings."""
    with open(Path(project_root) / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["dependencies"]


def read_pins(path=None):
    """{normalized name: version} from constraints.txt; a malformed line is an error naming it."""
    path = Path(path or PROJECT_ROOT / CONSTRAINTS)
    pins = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)", line)
        if not match:
            raise ValueError(f"{path}:{number}: expected NAME==VERSION, found {line!r}")
        pins[normalize(match[1])] = match[2]
    return pins


def pin(name, pins=None):
    pins = read_pins() if pins is None else pins
    try:
        return f"{name}=={pins[normalize(name)]}"
    except KeyError:
        raise ValueError(f"{PROJECT_ROOT / CONSTRAINTS} pins no version of {name}: "
                         "rewrite it with `python -m grader.platforms.pins`") from None


def bundle_requirements(pins=None, project_root=PROJECT_ROOT):
    """requirements.txt of the bundles: pyproject's dependencies a submission is graded with,
    pinned, their markers kept (pyseccomp: Linux only), the rest held by constraints.txt beside it."""
    from packaging.requirements import Requirement

    pins = read_pins() if pins is None else pins
    lines = []
    for text in dependencies(project_root):
        req = Requirement(text)
        if normalize(req.name) in NOT_IN_BUNDLES:
            continue
        lines.append(pin(req.name, pins) + (f"; {req.marker}" if req.marker else ""))
    return ("# from the kit's pyproject.toml, pinned as its constraints.txt (the versions its suite passed on)\n"
            "-c constraints.txt\n" + "\n".join(lines) + "\n")


def installed_closure(project_root=PROJECT_ROOT):
    """{normalized name: installed version} of pyproject's dependencies and everything they need,
    as this Python resolves them (markers evaluated here)."""
    from packaging.requirements import Requirement

    found, seen, todo = {}, set(), [(Requirement(text), "") for text in dependencies(project_root)]
    while todo:
        req, extra = todo.pop()  # extra: the one the requiring package was asked for ("" if none)
        if req.marker and not req.marker.evaluate({"extra": extra}):
            continue
        name = normalize(req.name)
        try:
            dist = metadata.distribution(req.name)
        except metadata.PackageNotFoundError:
            raise ValueError(f"{req.name} (needed by the kit) is not installed in {sys.executable}") from None
        found[name] = dist.version.split("+")[0]  # 2.13.0+cpu: the index line picks the build
        for wanted in ("", *sorted(req.extras)):  # jsonschema[format-nongpl] pulls more packages
            if (name, wanted) not in seen:
                seen.add((name, wanted))
                todo.extend((Requirement(r), wanted) for r in dist.requires or ())
    return found


def write_constraints(path=None, project_root=PROJECT_ROOT):
    path = Path(path or Path(project_root) / CONSTRAINTS)
    pins = installed_closure(project_root)
    path.write_text(HEADER + "".join(f"{name}=={pins[name]}\n" for name in sorted(pins)), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(f"wrote {write_constraints()}")
