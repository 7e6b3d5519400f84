"""Which kit a command acts on: `--kit DIR`, else the kit holding the current folder, else the one
this `grader` package belongs to. A kit is a folder holding solutions/, exercises/ and grader/ (its
own checks and rubric), so acting on another kit means running that kit's grader: the command is
run again with that kit first on the import path."""
import os
import subprocess
import sys
from pathlib import Path

from grader import PROJECT_ROOT

KIT_ENV = "NNGRADE_KIT"  # set in the command run again in a kit: it must find itself there
BOOT = "import sys; kit = sys.argv.pop(1); sys.path.insert(0, kit); from grader.cli import main; sys.exit(main(sys.argv[1:]))"


class KitError(Exception):
    """--kit names no kit, or the kit's grader cannot be run."""


def is_kit(folder):
    folder = Path(folder)
    return (folder / "solutions").is_dir() and (folder / "exercises").is_dir() and (folder / "grader" / "__init__.py").is_file()


def find_kit(start):
    """The kit holding `start` (it or its nearest parent that is a kit), or None."""
    start = Path(start).resolve()
    return next((folder for folder in (start, *start.parents) if is_kit(folder)), None)


def chosen_kit(option=None, cwd=None):
    """The kit to act on: `option` (--kit), else the current folder's, else this package's."""
    if option is not None:
        kit = Path(option).resolve()
        if not is_kit(kit):
            raise KitError(f"--kit {option}: not a kit (a folder holding solutions/, exercises/ and grader/)")
        return kit
    return find_kit(cwd or Path.cwd()) or PROJECT_ROOT


def run_in(kit, argv):
    """Run `nngrade argv` with `kit`'s grader (in the current folder, for relative paths); its exit code."""
    if os.environ.get(KIT_ENV):
        raise KitError(f"{kit}: its grader package could not be imported from {kit / 'grader'}")
    env = {**os.environ, KIT_ENV: str(kit)}
    return subprocess.call([sys.executable, "-c", BOOT, str(kit), *argv], env=env)
