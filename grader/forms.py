"""The input forms a contract allows, declared once in the exercise's docstring.

A docstring paragraph ending in a line such as

    Input forms of z (every function but maxout): Python float, Python int, numpy float64
    scalar, numpy float32 scalar, float64 array, float32 array, int array, list, nested list.

says which forms an argument must be accepted in: in a function's docstring (several names:
"Input forms of x, y and grad_out: ..."), for that function; in the module docstring, for every
function of the module with a parameter of that name. An argument no line names takes float64
numpy arrays only (the module's conventions say so). The grader reads the lines from the reference
(solutions/, `declared_forms`), makes graded examples of every declared form (`form_examples`),
and the child converts the case to that form just before the student's call (`apply_forms`):
a case carries its values as plain float64 arrays plus FORM_KEY, {case key: form name}, so the
judges, the protocol and the shrinker see plain data. The visible tests read the same lines from
the module they test (exercises/conftest.py, `check.same_in_every_form`; tests/test_forms.py
checks that the two vocabularies convert alike and that both sides try every declared form).

Child-safe: no answers here, only conversions.
"""
import ast
import re

import numpy as np

FORM_KEY = "__form__"
# "Input forms of ARG[, ARG ... and ARG] (any remark): form, form, ... form." ending its paragraph
DECLARATION = re.compile(r"Input forms of (\w+(?:(?:,\s*|\s+and\s+)\w+)*)[^:\n]*:\s*(.+?)\.(?:\s*\n\s*\n|\s*$)", re.S)
NAMES = re.compile(r",\s*|\s+and\s+")


def _integral(arr):
    return np.array_equal(arr, np.round(arr))


# name -> (applies(plain float64 array) -> bool, convert(plain) -> the value in that form)
FORMS = {
    "Python float": (lambda a: a.ndim == 0, lambda a: float(a)),
    "Python int": (lambda a: a.ndim == 0 and _integral(a), lambda a: int(a)),
    "numpy float64 scalar": (lambda a: a.ndim == 0, lambda a: np.float64(a)),
    "numpy float32 scalar": (lambda a: a.ndim == 0, lambda a: np.float32(a)),
    "float64 array": (lambda a: True, lambda a: np.array(a, dtype=np.float64)),
    "float32 array": (lambda a: True, lambda a: np.array(a, dtype=np.float32)),
    "int array": (lambda a: _integral(a), lambda a: np.array(a, dtype=np.int64)),
    "list": (lambda a: a.ndim == 1, lambda a: a.tolist()),
    "nested list": (lambda a: a.ndim >= 2, lambda a: a.tolist()),
}


def parse_declarations(docstring):
    """{argument: [form name, ...]} of every "Input forms of ARG: ..." line; ValueError naming an
    unknown form."""
    declared = {}
    for arguments, listed in DECLARATION.findall(docstring or ""):
        names = [" ".join(name.split()) for name in listed.split(",")]
        unknown = [n for n in names if n not in FORMS]
        if unknown:
            raise ValueError(f"input forms of {arguments}: unknown form(s) {unknown}; known: {list(FORMS)}")
        for argument in NAMES.split(arguments):
            declared[argument] = names
    return declared


def declared_forms(path):
    """{function: {argument: [form, ...]}} of a module file, read without importing it: a function's
    own docstring declares the forms of its arguments; a module docstring line declares them for
    every function of the module with a parameter of that name that does not declare its own."""
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), filename=str(path))
    module = parse_declarations(ast.get_docstring(tree) or "")
    out = {}
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        params = [a.arg for a in node.args.posonlyargs + node.args.args + node.args.kwonlyargs]
        forms = {a: module[a] for a in params if a in module}
        forms.update(parse_declarations(ast.get_docstring(node) or ""))
        if forms:
            out[node.name] = forms
    return out


def plain_for(form, value):
    """The float64 array the case holds for `value` shown in `form` (float32 forms round first)."""
    arr = np.asarray(value, dtype=float)
    if "float32" in form:
        arr = arr.astype(np.float32).astype(float)
    if not FORMS[form][0](arr):
        raise ValueError(f"{form} cannot hold a value of shape {arr.shape}")
    return arr


def form_examples(declared, bases, keys=None):
    """The graded examples of one function's declared forms ({argument: [form, ...]}): one case per
    (argument, form) with only that argument in the form, then, for several arguments, one per form
    with all of them in it at once. Each is built on the first of `bases` (plain cases) whose values
    the form can hold (a scalar, a vector, a matrix, integral values). keys: {argument: case key}
    where the probe's case names an argument otherwise (grad_out as "G")."""
    keys = keys or {}

    def fitting(form, arguments):
        for base in bases:
            try:
                converted = {keys.get(a, a): plain_for(form, base[keys.get(a, a)]) for a in arguments}
            except ValueError:
                continue
            return {**base, **converted, FORM_KEY: {key: form for key in converted}}
        raise ValueError(f"none of the base cases can hold {', '.join(arguments)} as a {form}")

    cases = [fitting(form, [argument]) for argument, forms in declared.items() for form in forms]
    if len(declared) > 1:
        common = [f for f in FORMS if all(f in forms for forms in declared.values())]
        cases += [fitting(form, list(declared)) for form in common]
    return tuple(cases)


def apply_forms(case):
    """The case as the student's code gets it: each argument named in FORM_KEY in its form, the
    key itself dropped. A case without FORM_KEY is returned as it is."""
    if type(case) is not dict or FORM_KEY not in case:
        return case
    forms = case[FORM_KEY]
    return {k: FORMS[forms[k]][1](np.asarray(v)) if k in forms else v for k, v in case.items() if k != FORM_KEY}


def shown(case, fmt):
    """{argument: text} of the case as the feedback shows it: the value in its form, named; with
    fmt = compare.fmt_input the text re-creates the value's type when run as shown."""
    forms = case.get(FORM_KEY, {}) if type(case) is dict else {}
    out = {}
    for k, v in case.items():
        if k == FORM_KEY:
            continue
        form = forms.get(k)
        if form is None or form == "float64 array":
            out[k] = fmt(v)
        elif form in ("list", "nested list"):
            out[k] = f"{np.asarray(v).tolist()!r} (a {form})"
        elif form == "Python int":
            out[k] = f"{int(v)} (a Python int)"
        elif form == "Python float":
            out[k] = f"{float(v)!r} (a Python float)"
        elif form.startswith("numpy"):
            out[k] = f"np.{form.split()[1]}({float(v)!r})"
        else:  # a float32 or int array: fmt_input names its dtype (np.array(..., dtype=...))
            out[k] = fmt(FORMS[form][1](np.asarray(v)))
    return out


def form_hint(case):
    """The hint of a failure shown on a case in a form other than a float64 array (shown only
    when no float64 case failed): name the form, and the usual fix."""
    forms = case.get(FORM_KEY, {}) if type(case) is dict else {}
    named = [(k, f) for k, f in forms.items() if f != "float64 array"]
    if not named:
        return ""
    argument, form = named[0]
    which = argument if len(named) == 1 else ", ".join(k for k, _ in named)
    return (f"it fails only when {which} {'is a' if len(named) == 1 else 'are each a'} {form}, one of the input forms "
            f"of {which} the docstring lists: convert it first, e.g. {argument} = np.asarray({argument}, dtype=float)")
