"""What a student uploaded, as a folder of exNN_*.py modules the grader reads.

Accepted: the exNN_*.py files, or the release's exNN_*.ipynb notebooks (their answer cells are
rebuilt into modules, as `nngrade grade --nbgrader` does), loose or inside one wrapping folder at
any depth (a README beside it does not matter), or inside one .zip file (platforms that do not
unpack uploads). Anything else gives a
message saying what was expected and what was found. Symbolic links are never followed: a link
could point the grader (root) at the reference.
"""
import os
import shutil
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from grader.intake.notebooks import NotebookSubmissionError, failing_module, notebook_to_module_source
from grader.limits import MAX_UPLOADED_NOTEBOOK_BYTES, MAX_WRAPPING_FOLDERS, ZIP_MAX_BYTES, ZIP_MAX_MEMBERS

JUNK = {"__MACOSX", ".DS_Store", "__pycache__", ".ipynb_checkpoints", "Thumbs.db"}
SHOWN = 12  # entries listed when saying what was found
UNZIPPED = "unzipped"  # where an uploaded zip is unpacked, under the work folder


@dataclass
class Upload:
    folder: Path = None  # the folder to grade (None: nothing gradable, see problem)
    problem: str = None  # what was expected and what was found
    notebooks: tuple = ()  # modules rebuilt from notebooks


class UploadError(ValueError):
    pass


def find_upload(upload_dir, modules, work_dir, release_dir=None):
    """The gradable folder in `upload_dir` for the rubric's `modules`; helper files (a converted
    notebook, an unpacked zip) are written under `work_dir`."""
    try:
        folder, archive = _unwrap(Path(upload_dir), Path(work_dir), modules)
    except UploadError as exc:
        return Upload(problem=str(exc))
    names = {p.name for p in _entries(folder)}
    if not _has_modules(names, modules):
        found = f"{archive}, holding: {_listing(Path(work_dir) / UNZIPPED)}" if archive else _listing(Path(upload_dir))
        return Upload(problem=_expected_found(modules, found))
    notebooks = [m for m in modules if f"{m}.py" not in names and f"{m}.ipynb" in names]
    if not notebooks:
        return Upload(folder=folder)
    return Upload(folder=_with_modules_from_notebooks(folder, notebooks, Path(work_dir), release_dir), notebooks=tuple(notebooks))


def _has_modules(names, modules):
    return any(f"{m}.py" in names or f"{m}.ipynb" in names for m in modules)


def _entries(folder):
    return sorted((p for p in folder.iterdir() if p.name not in JUNK and not p.name.startswith(".")), key=lambda p: p.name)


def _unwrap(folder, work_dir, modules):
    """(folder, name of the zip unpacked or None): while a folder holds no exercise file, down into
    its only sub-folder (never a symbolic link; loose files such as a README beside it are fine),
    or into its only .zip."""
    archive = None
    for _ in range(MAX_WRAPPING_FOLDERS):
        if folder.is_symlink() or not folder.is_dir():
            raise UploadError(f"{printable_name(folder.name)}: a symbolic link or not a folder; upload the files themselves")
        entries = _entries(folder)
        if _has_modules({p.name for p in entries}, modules):
            return folder, archive
        folders = [p for p in entries if p.is_dir() and not p.is_symlink()]
        zips = [p for p in entries if p.suffix.lower() == ".zip" and _is_regular(p)]
        if len(folders) == 1 and not zips:
            folder = folders[0]
        elif len(zips) == 1 and not folders and archive is None:
            folder, archive = _unzip(zips[0], work_dir / UNZIPPED), printable_name(zips[0].name)
        else:
            return folder, archive
    return folder, archive


def printable_name(name):
    """A file name as printable UTF-8 (names that are not valid UTF-8 keep their bytes as \\xNN)."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _is_regular(path):
    return stat.S_ISREG(os.lstat(path).st_mode)


def _unzip(archive, dest):
    """Regular files only, names inside dest, within member and size limits."""
    try:
        with zipfile.ZipFile(archive) as zf:
            members = zf.infolist()
            if len(members) > ZIP_MAX_MEMBERS:
                raise UploadError(f"{archive.name} holds {len(members)} files, over the limit of {ZIP_MAX_MEMBERS}")
            total = 0
            for info in members:
                parts = PurePosixPath(info.filename.replace("\\", "/")).parts
                if info.is_dir() or stat.S_ISLNK(info.external_attr >> 16) or not parts:
                    continue
                if parts[0] == "/" or ".." in parts:
                    raise UploadError(f"{archive.name}: the entry {info.filename!r} points outside the archive")
                target = dest.joinpath(*parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(target, "wb") as out:
                    while chunk := src.read(1 << 16):
                        total += len(chunk)
                        if total > ZIP_MAX_BYTES:
                            raise UploadError(f"{archive.name} unpacks to more than {ZIP_MAX_BYTES // 1_000_000} MB")
                        out.write(chunk)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError) as exc:
        raise UploadError(f"{archive.name}: not a readable zip file ({exc})") from None
    dest.mkdir(parents=True, exist_ok=True)
    return dest


def _with_modules_from_notebooks(folder, notebooks, work_dir, release_dir):
    """A folder with the uploaded .py files as they are (links stay links: read_submission refuses
    them) and a module rebuilt from each notebook; a notebook that cannot be read becomes a module
    that fails at import with the reason, so the other exercises are graded."""
    target = work_dir / "modules"
    target.mkdir(parents=True, exist_ok=True)
    for path in _entries(folder):
        if path.suffix == ".py":
            shutil.copy2(path, target / path.name, follow_symlinks=False)
    for module in notebooks:
        notebook = folder / f"{module}.ipynb"
        official = Path(release_dir, f"{module}.ipynb") if release_dir else None
        try:
            source = _notebook_source(notebook, official if official and official.is_file() else None)
        except NotebookSubmissionError as exc:
            source = failing_module(str(exc))
        (target / f"{module}.py").write_text(source, encoding="utf-8")
    return target


def _notebook_source(notebook, official):
    if not _is_regular(notebook):
        raise NotebookSubmissionError(f"{notebook.name} is a symbolic link or not a file; upload the notebook itself")
    size = notebook.stat().st_size
    if size > MAX_UPLOADED_NOTEBOOK_BYTES:
        raise NotebookSubmissionError(f"{notebook.name} is {size} bytes, over the {MAX_UPLOADED_NOTEBOOK_BYTES}-byte limit")
    return notebook_to_module_source(notebook, official)


def _expected_found(modules, found):
    expected = ", ".join(f"{m}.py" for m in modules)
    return (f"Nothing to grade. Expected the files {expected} (or the notebooks of the release, "
            f"{modules[0]}.ipynb ...), loose or in one folder. Found: {found}.")


def _listing(upload_dir):
    found = []
    for dirpath, dirnames, filenames in os.walk(upload_dir):  # links to folders are listed, not walked
        dirnames.sort()
        links = [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]
        for name in sorted(filenames) + links:
            shown = printable_name(os.path.relpath(os.path.join(dirpath, name), upload_dir))
            found.append(f"{shown} (a symbolic link, not followed)" if os.path.islink(os.path.join(dirpath, name)) else shown)
            if len(found) > SHOWN:
                return ", ".join(found[:SHOWN]) + " and more"
    return ", ".join(found) if found else "no files at all"
