"""The grade ids of the notebook cells that define things, and of the cell that imports the kit.

In the Python track ex05_backprop.py imports ex04_mlp_forward.py by module name.
In the notebook track the student's earlier work is ex04_mlp_forward.ipynb in
the same folder. Every notebook's first code cell imports the kit's quick checks
(grader.notebook_checks), which installs an import hook that turns a sibling
exNN_*.ipynb into a module, executing only the cells that define things (the
given code cells and the student's solution cells, never the check cells). The
import line in the next cell then stays exactly as in the reference module.

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
