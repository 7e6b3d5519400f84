"""Run a rebuilt notebook's answer cells one by one, as the notebook would.

In a notebook (and in `nbgrader autograde`) a cell that raises stops only
itself: the next cells still run. A module stops at its first exception, so
the rebuilt exNN_*.py module would lose every function for one leftover
`print(undefined)`. Each answer cell therefore becomes a call of a small
runner, written at the top of the module (RUNNER_SOURCE: the module must work
on its own, in the sandbox's child, with nothing imported from the grader):

    _nngrade_run_cell(4, "solution_sigmoid", ("sigmoid",), "def sigmoid(z): ...")

It compiles the cell's source under the name "<notebook> cell 4" (so errors and
line numbers point at the cell, not at a rebuilt .py file) and runs it in the
module's namespace, exactly as the notebook's kernel would. When the cell
raises, what it defined before the error stays (as in the notebook), and each
function or class it would have defined but did not becomes a stand-in that
raises the cell's failure when called: the functions of the other cells keep
their points, and what calls into the failed cell fails through that call.
"""
import ast

RUNNER_SOURCE = '''\
def _nngrade_run_cell(number, grade_id, defines, source, _notebook={notebook!r}, _namespace=globals(),
                      _exec=exec, _compile=compile, _error=RuntimeError):
    """Runs one answer cell; an exception stops that cell only (nngrade: grader/intake/cell_runner.py)."""
    where = f"{{_notebook}} cell {{number}}"
    folder = str(_namespace.get("__file__", "")).rpartition("/")[0]
    filename = f"{{folder}}/{{where}}" if folder else where
    try:
        _exec(_compile(source, filename, "exec", dont_inherit=True), _namespace)
        return
    except BaseException as error:  # noqa: BLE001 - a cell's SystemExit stops the cell, as in the notebook
        line = getattr(error, "lineno", None) if isinstance(error, SyntaxError) else None
        tb = error.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == filename:
                line = tb.tb_lineno
            tb = tb.tb_next
        try:
            reason = f"{{type(error).__name__}}: {{error}}"[:300]
        except BaseException:  # noqa: BLE001 - a hostile __str__
            reason = type(error).__name__
    at = f" at its line {{line}}" if line else ""
    for name in defines:
        if name not in _namespace:
            message = (f"{{name}} is not defined: its notebook cell ({{where}}, {{grade_id}}) failed when run{{at}}: "
                       f"{{reason}}")
            _namespace[name] = _nngrade_stand_in(name, message, _error)


def _nngrade_stand_in(name, message, error):
    def failed(*args, **kwargs):
        raise error(message)

    failed.__name__ = failed.__qualname__ = name
    # not this module's file: the error is located at the student's call, never at a rebuilt .py line
    failed.__code__ = failed.__code__.replace(co_filename="<nngrade: a failed notebook cell>", co_name=name)
    return failed'''


def defined_names(tree):
    """The functions and classes a cell's top level defines (also inside if/try/with blocks)."""
    names = []
    for node in tree.body if isinstance(tree, ast.Module) else tree:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        for block in ("body", "orelse", "finalbody"):
            if isinstance(node, (ast.If, ast.Try, ast.With, ast.For, ast.While)) and getattr(node, block, None):
                names.extend(defined_names(getattr(node, block)))
        for handler in getattr(node, "handlers", ()) if isinstance(node, ast.Try) else ():
            names.extend(defined_names(handler.body))
    return list(dict.fromkeys(names))


def run_cell_source(cell, source, tree):
    """The module line that runs this answer cell through the runner (source: valid Python, tree: its ast)."""
    names = tuple(defined_names(tree))
    return f"_nngrade_run_cell({cell.number}, {cell.grade_id!r}, {names!r}, {source!r})"
