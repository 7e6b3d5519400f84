"""The kit a platform bundle carries: the grader, the reference, the rubric, the release's
notebooks (their given cells are restored when notebooks are graded), the library pins and the
class context cache. The same files for Gradescope and PrairieLearn; each adds its scripts."""
from importlib import resources
from pathlib import Path

from grader import PROJECT_ROOT, RELEASE_DIR, SOLUTIONS_DIR, exercise_files
from grader.platforms import pins
from grader.rubric import DEFAULT_RUBRIC, load_rubric

# The bundles install the libraries the judge and the sandbox import at the versions of the kit's
# constraints.txt (grader/platforms/pins.py), so the platform makes the same cases (hypothesis) and
# the same reference outputs. torch comes on its own line from the CPU-only index (no CUDA
# libraries); NNGRADE_TORCH_FIND_LINKS, when set at image build time, takes it from a folder or web
# page of wheels instead (the kit's container test, where that index is out of reach).
TORCH_INDEX = "https://download.pytorch.org/whl/cpu"
RUBRIC = "rubric.toml"  # the rubric the bundle grades with, at the kit's root
CACHE = "cache/class_context.bin"
NOTEBOOKS = "release/nn_basics"
# Where each platform starts the kit (the bundles write them; `--test` runs them as the platform does).
GRADESCOPE_SCRIPTS = {"setup.sh": "gradescope_setup.sh", "run_autograder": "gradescope_run_autograder"}
PRAIRIELEARN_ENTRYPOINT = "/grade/tests/run.sh"


def torch_version():
    return pins.read_pins()["torch"]


def template(name):
    """A script of templates/, with the torch pin filled in."""
    text = resources.files("grader.platforms").joinpath("templates", name).read_text(encoding="utf-8")
    return text.replace("__TORCH_VERSION__", torch_version()).replace("__TORCH_INDEX__", TORCH_INDEX)


def requirements():
    return pins.bundle_requirements()


def kit_files(rubric_path=None):
    """{path inside the kit: bytes}. The rubric is checked before anything is written."""
    rubric_path = Path(rubric_path or DEFAULT_RUBRIC)
    load_rubric(rubric_path)  # a malformed rubric fails here, naming the file
    files = {}
    for path in sorted((PROJECT_ROOT / "grader").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix in (".py", ".toml", ".sh", ".html", ".json", ".txt", ""):
            files[path.relative_to(PROJECT_ROOT).as_posix()] = path.read_bytes()
    for path in exercise_files(SOLUTIONS_DIR):
        files[f"solutions/{path.name}"] = path.read_bytes()
    for path in exercise_files(RELEASE_DIR / "nn_basics", ".ipynb"):
        files[f"{NOTEBOOKS}/{path.name}"] = path.read_bytes()
    files["pyproject.toml"] = (PROJECT_ROOT / "pyproject.toml").read_bytes()
    files[RUBRIC] = rubric_path.read_bytes()
    files["requirements.txt"] = requirements().encode()
    files[pins.CONSTRAINTS] = (PROJECT_ROOT / pins.CONSTRAINTS).read_bytes()
    return files


def write_cache_for(kit_root):
    """Compute the class context cache inside an unpacked kit (setup time); returns its path."""
    from grader.judging.context_cache import write_cache
    from grader.rubric import load_checked_rubric

    kit_root = Path(kit_root)
    path = kit_root / CACHE
    write_cache(path, load_checked_rubric(kit_root / RUBRIC), kit_root / "solutions")
    return path


def make_root_only(folder):
    """Only root may enter the kit: the sandbox's uid cannot read the reference or the cache even
    where no mount namespace hides them (platform containers without CAP_SYS_ADMIN)."""
    import os

    if os.geteuid() == 0:
        Path(folder).chmod(0o700)
