"""Modules a student may import work inside the sandbox, even where the interpreter's own files are
unreadable to the sandbox uid (pyenv under a 0700 home): the runner imports them before forking."""
import shutil

from grader import SOLUTIONS_DIR
from grader.batch import grade_folder
from grader.outputs.reports import read_student

EXTRA_IMPORTS = "import numpy.testing\nimport statistics\nimport itertools\nfrom numpy.linalg import norm\n"


def test_common_imports_work_in_the_sandbox(ctx, tmp_path):
    student = tmp_path / "subs" / "imports"
    shutil.copytree(SOLUTIONS_DIR, student, ignore=shutil.ignore_patterns("__pycache__"))
    path = student / "ex03_activations.py"
    text = path.read_text()
    path.write_text(text.replace("import numpy as np\n", "import numpy as np\n" + EXTRA_IMPORTS, 1))
    grade_folder(tmp_path / "subs", tmp_path / "out", jobs=1, progress=False, ctx=ctx)
    record = read_student(tmp_path / "out", "imports")
    assert not record["problems"]
    assert record["score"] == ctx.rubric.max_score
