"""Reading one student's folder into validated sources, with a clear message for every problem."""
import re
from dataclasses import dataclass, field
from pathlib import Path

from grader.limits import MAX_FILE_BYTES

MODULE_FILE = re.compile(r"^ex\d\d_\w+\.py$")


@dataclass
class Submission:
    student: str
    folder: Path
    sources: dict = field(default_factory=dict)  # {module name: source text}
    problems: dict = field(default_factory=dict)  # {module name or file: message}


def read_submission(folder, expected_modules):
    """Read exNN_*.py files; anything odd becomes a problem naming the file, never an exception."""
    folder = Path(folder)
    sub = Submission(folder.name, folder)
    if folder.is_symlink():
        sub.problems["(folder)"] = "the student folder is a symbolic link; submit real files"
        return sub
    for module in expected_modules:
        path = folder / f"{module}.py"
        try:
            problem = _problem(path, folder)
            if problem:
                sub.problems[module] = problem
                continue
            sub.sources[module] = path.read_bytes().decode("utf-8-sig")  # a BOM (Windows editors) is fine for Python too
        except UnicodeDecodeError as exc:
            sub.problems[module] = f"{path.name} is not UTF-8 text (byte {exc.start}); save it as UTF-8"
        except OSError as exc:  # e.g. a file the grader's user may not read
            sub.problems[module] = f"{path.name} cannot be read ({exc.strerror}); check its permissions"
    try:
        _notice_extras(folder, expected_modules, sub)
    except OSError as exc:
        sub.problems["(folder)"] = f"the student folder cannot be read ({exc.strerror}); check its permissions"
    return sub


def _problem(path, folder):
    name = path.name
    if path.is_symlink():
        return f"{name} is a symbolic link (to {_link_target(path)}); submit the file itself"
    if not path.exists():
        others = [p.name for p in folder.glob(f"{path.stem}*") if p.name != name] if folder.is_dir() else []
        found = f" (found {', '.join(sorted(others))}: a .py file was expected)" if others else ""
        return f"{name} is missing{found}"
    if not path.is_file():
        return f"{name} is not a regular file"
    info = path.stat()
    if info.st_nlink > 1:  # Security: a second name for a file elsewhere (the reference?), like a symbolic link
        return f"{name} is a hard link (the same file has {info.st_nlink} names on this disk); submit a copy of the file"
    size = info.st_size
    if size > MAX_FILE_BYTES:
        return f"{name} is {size} bytes, over the {MAX_FILE_BYTES}-byte limit"
    if size == 0:
        return f"{name} is empty"
    return None


def _link_target(path):
    try:
        return str(path.readlink())
    except OSError:
        return "?"


def _notice_extras(folder, expected_modules, sub):
    if not folder.is_dir():
        sub.problems["(folder)"] = "the submission is not a folder"
        return
    if not any(folder.iterdir()):
        sub.problems["(folder)"] = "the submission folder is empty"
    elif not sub.sources and not any(MODULE_FILE.match(p.name) for p in folder.iterdir()):
        names = sorted(p.name for p in folder.iterdir())[:5]
        sub.problems["(folder)"] = f"no exNN_*.py files found (found {', '.join(names)})"
