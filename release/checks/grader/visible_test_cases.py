"""Which visible test cases are about which exercise function: one rule for the release build,
the kit's tests and the notebooks' quick checks (grader.notebook_checks). Standard library only."""


def function_of(test_id, functions):
    """The exercise function a test is about: the leftmost function name in the test's id
    (its name and parameters, "test_activation_matches_torch[sigmoid]"), the longest one at a tie."""
    hits = [(test_id.find(f), -len(f), f) for f in functions if f in test_id]
    return min(hits)[2] if hits else None


def _case_id(names, values, explicit):
    if explicit is not None:
        return explicit
    plain = (str, int, float, bool)
    return "-".join(str(v) if isinstance(v, plain) else f"{n}{i}" for i, (n, v) in enumerate(zip(names, values)))


def parametrized_cases(test):
    """[(id, {argument: value})] of a test function's pytest.mark.parametrize marks ([("", {})] without)."""
    cases = [("", {})]
    for mark in getattr(test, "pytestmark", []):
        if mark.name != "parametrize":
            continue
        names = [n.strip() for n in mark.args[0].split(",")] if isinstance(mark.args[0], str) else list(mark.args[0])
        ids = mark.kwargs.get("ids")
        expanded = []
        for i, param in enumerate(mark.args[1]):
            if hasattr(param, "values"):  # pytest.param(...)
                values, explicit = tuple(param.values), param.id
            else:
                values, explicit = (tuple(param) if len(names) > 1 else (param,)), None
            if explicit is None and isinstance(ids, (list, tuple)):
                explicit = ids[i]
            expanded.append((_case_id(names, values, explicit), dict(zip(names, values))))
        cases = [("-".join(filter(None, (new_id, old_id))), {**old, **new})
                 for new_id, new in expanded for old_id, old in cases]
    return cases


def cases_about(function, test, functions):
    """The cases of `test` that are about `function`."""
    return [(case_id, params) for case_id, params in parametrized_cases(test)
            if function_of(f"{test.__name__}[{case_id}]" if case_id else test.__name__, functions) == function]
