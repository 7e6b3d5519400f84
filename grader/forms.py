"""The input forms a contract allows, declared once in the exercise's docstring.

A module docstring line such as

    Input forms of z (every function but maxout): Python float, Python int, numpy float64
    scalar, numpy float32 scalar, float64 array, float32 array, int array, list, nested list.

says which forms every function of the module with a parameter `z` must accept. The grader
reads the line from the reference (solutions/), makes one graded example per form (`form_cases`),
and the child converts the case to that form just before the student's call (`apply_forms`):
a case carries its values as plain float64 arrays plus FORM_KEY, {argument: form name}, so the
judges, the protocol and the shrinker see plain data. The visible tests read the same line from
the module they test (exercises/conftest.py, `check.forms`; tests/test_forms.py checks that the
two vocabularies convert alike).

Child-safe: no answers here, only conversions.
"""
import ast
import re

import numpy as np

FORM_KEY = "__form__"
DECLARATION = re.compile(r"Input forms of (\w+)[^:\n]*:\s*(.+?)\.(?:\s*\n\s*\n|\s*$)", re.S)


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
    for argument, listed in DECLARATION.findall(docstring or ""):
        names = [" ".join(name.split()) for name in listed.split(",")]
        unknown = [n for n in names if n not in FORMS]
        if unknown:
            raise ValueError(f"input forms of {argument}: unknown form(s) {unknown}; known: {list(FORMS)}")
        declared[argument] = names
    return declared


def declared_in_file(path):
    """parse_declarations of a module file's docstring, read without importing the module."""
    with open(path, encoding="utf-8") as f:
        return parse_declarations(ast.get_docstring(ast.parse(f.read())) or "")


def plain_for(form, value):
    """The float64 array the case holds for `value` shown in `form` (float32 forms round first)."""
    arr = np.asarray(value, dtype=float)
    if "float32" in form:
        arr = arr.astype(np.float32).astype(float)
    if not FORMS[form][0](arr):
        raise ValueError(f"{form} cannot hold a value of shape {arr.shape}")
    return arr


def form_cases(argument, forms, values, extra=None):
    """One case per form: {argument: plain value, FORM_KEY: {argument: form}, **extra}; `values`
    are candidate values, the first one the form can hold is used (e.g. a scalar, a vector, a matrix)."""
    cases = []
    for form in forms:
        for value in values:
            try:
                plain = plain_for(form, value)
            except ValueError:
                continue
            cases.append({argument: plain, FORM_KEY: {argument: form}, **(extra or {})})
            break
        else:
            raise ValueError(f"none of the values fits the form {form!r}")
    return cases


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
    return (f"it fails only when {argument} is a {form}, one of the input forms of {argument} the docstring "
            f"lists: convert it first, e.g. {argument} = np.asarray({argument}, dtype=float)")
