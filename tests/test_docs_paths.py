"""The README and the guides name the kit's files by path: every such path exists, so a move or a
rename that forgets the prose fails here rather than in a reader's hands."""
import re
from pathlib import Path

import pytest

from grader import PROJECT_ROOT

DOCS = [PROJECT_ROOT / "README.md", *sorted((PROJECT_ROOT / "docs").glob("*.md"))]
# The guide's walk-through names the files an author creates (the module ex08_softmax, whose
# finished files are in tests/authoring_example/, and the placeholder exNN_name): not the kit's yet.
TO_CREATE = re.compile(r"exNN_name|ex08_softmax")
TOP = ("grader", "tests", "exercises", "solutions", "docs", "release", ".ci")
# `grader/x.py`, `tests/helpers/`, `.ci/run`: a path in a code span, under one of the kit's folders
PATH = re.compile(r"`((?:%s)/[\w./-]*)`" % "|".join(re.escape(t) for t in TOP))


def named_paths(text):
    for match in PATH.finditer(text):
        path = match[1].rstrip(".")
        if not any(ch in path for ch in "*<>") and not TO_CREATE.search(path):  # patterns, placeholders
            yield path


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_kit_path_a_document_names_exists(doc):
    missing = sorted({p for p in named_paths(doc.read_text()) if not (PROJECT_ROOT / p).exists()})
    assert not missing, f"{doc.relative_to(PROJECT_ROOT)} names paths that do not exist: {missing}"


def test_the_path_finder_reads_code_spans_only():
    text = "see `grader/forms.py` and `tests/helpers/` but not grader/plain.py nor `grader/ex*.py`"
    assert list(named_paths(text)) == ["grader/forms.py", "tests/helpers/"]
