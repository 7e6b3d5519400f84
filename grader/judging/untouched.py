"""A submission that is the released stubs, untouched: recorded without running it.

Each graded function of a stub raises NotImplementedError as its first statement, so running the
stubs tells the judge nothing it does not know: every check fails with that error, the message the
child would report (the stub's text and the line of its raise). A submission whose every exercise
module is the stub text made from the reference (grader.regions.stub_source; line endings aside) is
recorded so without a runner, the reference or the class's cases: a class of blank submissions
costs only their pages. Only where each graded function's stub is nothing but its raise (a class:
its __init__, after a bare `super().__init__()`); a course whose stubs keep other given lines before
the raise is run as usual.
"""
import ast

from grader.regions import stub_source

NOT_RUN_NOTICE = "not run: every exercise file is the released stub, untouched (each function raises NotImplementedError)"


def released_stubs(solutions_dir, modules, functions):
    """{"texts": {module: stub text}, "errors": {function: the child's message}} for the reference
    modules in solutions_dir, or None when some graded function's stub does more than raise."""
    texts, errors = {}, {}
    for module in modules:
        path = solutions_dir / f"{module}.py"
        try:
            texts[module] = _plain(stub_source(path.read_text(), str(path)))
            tops = {node.name: node for node in ast.parse(texts[module]).body
                    if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
        except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
            return None  # no stub to know (`nngrade check` names what is wrong with the markers): run them
        for function in functions:
            owner, _, name = function.partition(".")
            if owner == module:
                error = _stub_error(module, tops.get(name))
                if error is None:
                    return None
                errors[function] = error
    return {"texts": texts, "errors": errors}


def is_untouched(submission, stubs):
    """Every exercise module of the submission is present, read without problems, and its stub."""
    return (stubs is not None and not submission.problems and set(submission.sources) == set(stubs["texts"])
            and all(_plain(submission.sources[m]) == text for m, text in stubs["texts"].items()))


def _plain(text):
    """The text as Python reads it: any line ending is one."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _stub_error(module, node):
    """The message of the NotImplementedError the first call raises, or None if the call may do
    something else first (a decorator, a statement before the raise, a class without __init__)."""
    method = isinstance(node, ast.ClassDef)
    if method:
        if node.decorator_list or node.keywords:
            return None
        node = next((n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
    if not isinstance(node, ast.FunctionDef) or node.decorator_list:
        return None
    body = node.body[1:] if ast.get_docstring(node) is not None else node.body
    if method and body and ast.unparse(body[0]) == "super().__init__()":
        body = body[1:]  # the given call before the raise (nn.Module's own set-up)
    if len(body) != 1 or not _raises_not_implemented(body[0]):
        return None
    text = body[0].exc.args[0].value
    return f"raised NotImplementedError: {text} ({module}.py, line {body[0].lineno})"


def _raises_not_implemented(statement):
    exc = statement.exc if isinstance(statement, ast.Raise) else None
    return (isinstance(exc, ast.Call) and isinstance(exc.func, ast.Name) and exc.func.id == "NotImplementedError"
            and len(exc.args) == 1 and not exc.keywords and isinstance(exc.args[0], ast.Constant)
            and isinstance(exc.args[0].value, str) and len(exc.args[0].value) <= 470)
