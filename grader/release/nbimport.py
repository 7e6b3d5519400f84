"""The given notebook cell that lets `from ex04_mlp_forward import ...` find a notebook.

In the Python track ex05_backprop.py imports ex04_mlp_forward.py by module name.
In the notebook track the student's earlier work is ex04_mlp_forward.ipynb in
the same folder, so notebooks that depend on another one get this locked cell
first: it installs an import hook that turns a sibling exNN_*.ipynb into a
module, executing only the cells that define things (the given code cells and
the student's solution cells, never the test cells). The import line in the
next cell then stays exactly as in the reference module.

The folder searched is the kernel's working directory: Jupyter starts a
notebook's kernel in the notebook's folder, and `nbgrader autograde` runs each
notebook with its submission folder (autograded/<student>/<assignment>/) as
the working directory.
"""

# grade_id prefixes of the cells that define things, shared with
# nbgrader_submissions (which rebuilds exNN_*.py from the same cells).
GIVEN_PREFIX = "given_"
SOLUTION_PREFIX = "solution_"
LOADER_GRADE_ID = "notebook_import"

LOADER_SOURCE = '''\
# Given: lets `from exNN_name import ...` load your notebook exNN_name.ipynb
# from this folder. Only its given cells and your answer cells run (not its
# tests), so keep everything a function needs inside its answer cell.
import importlib.abc
import importlib.util
import json
import re
import sys
from pathlib import Path


class NotebookImporter(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path=None, target=None):
        notebook = Path(name + ".ipynb").resolve()
        if path is None and re.fullmatch(r"ex\\d\\d_\\w+", name) and notebook.is_file():
            return importlib.util.spec_from_file_location(name, notebook, loader=self)
        return None

    def create_module(self, spec):
        return None  # the default module object

    def exec_module(self, module):
        try:  # turn IPython syntax (%magic, !shell) into Python, as the kernel does
            from IPython.core.inputtransformer2 import TransformerManager
            to_python = TransformerManager().transform_cell
        except ImportError:
            to_python = str
        for cell in json.loads(Path(module.__file__).read_text(encoding="utf-8"))["cells"]:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            grade_id = meta.get("grade_id", "")
            if cell["cell_type"] == "code" and (meta.get("solution") or grade_id.startswith("given_")):
                source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
                code = compile(to_python(source), f"{module.__file__}:{grade_id}", "exec")
                exec(code, module.__dict__)


if not any(type(finder).__name__ == "NotebookImporter" for finder in sys.meta_path):
    sys.meta_path.insert(0, NotebookImporter())
'''
