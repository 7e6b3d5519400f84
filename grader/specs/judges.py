"""Judge builders shared by the spec modules. Every test is written so that nan fails it."""
import numpy as np

from grader.toolkit.compare import (Verdict, WrongType, as_array, as_dict, as_float, as_number, as_sequence, compare_arrays, compare_dict, compare_float,
                            compare_parts, fmt, generic_hint, relative_error)

GRAD_TOL = 1e-4  # normwise relative error allowed between analytic and numeric gradients


def same_array(what, mistakes=None):
    """Judge: one array equal to the reference's; mistakes(case) -> {hint: wrong value}."""
    def judge(got, expected, case):
        return compare_arrays(got, expected, what, mistakes(case) if mistakes else None)
    return judge


def same_float(what, mistakes=None):
    def judge(got, expected, case):
        return compare_float(got, expected, what, mistakes(case) if mistakes else None)
    return judge


def same_parts(what, names, mistakes=None):
    def judge(got, expected, case):
        return compare_parts(got, expected, names, what, mistakes(case) if mistakes else None)
    return judge


def same_dict(what, mistakes=None):
    def judge(got, expected, case):
        return compare_dict(got, expected, what, mistakes(case) if mistakes else None)
    return judge


def gradients_match_fd(what, names):
    """Judge for probes returning {"analytic": {name: grad}, "numeric": {name: fd grad}}.

    The student's analytic gradient must match central differences of the *reference* forward
    (expected["numeric"]); the relative error is reported per tensor, and so is the agreement with
    central differences of the student's own forward (got["numeric"]) when there is one.
    """
    def judge(got, expected, case):
        analytic, own = got["analytic"], got.get("numeric") or {}
        errors, own_errors, arrays = {}, {}, {}
        for name in names:
            try:
                arrays[name] = as_array(analytic[name], f"{what} {name}")
            except WrongType as exc:
                return Verdict(False, str(exc), expected["numeric"][name], analytic[name])
        # shape, then nan/inf, then the size of the error: the message names the first cause
        for name in names:
            numeric = np.asarray(expected["numeric"][name], dtype=float)
            if arrays[name].shape != numeric.shape:
                return Verdict(False, f"{what}: the gradient {name} has shape {arrays[name].shape}, expected {numeric.shape} "
                                      f"(the shape of {name})", numeric, arrays[name], generic_hint(arrays[name], numeric))
        for name in names:
            if not np.all(np.isfinite(arrays[name])):
                return Verdict(False, f"{what}: the gradient {name} contains nan or inf", expected["numeric"][name], arrays[name])
        for name in names:
            errors[name] = normwise(arrays[name], expected["numeric"][name])
            if name in own:
                own_errors[name] = normwise(arrays[name], own[name])
        bad = [n for n in names if not errors[n] <= GRAD_TOL]  # nan is never <= : it fails
        if not bad:
            return Verdict.passed()
        report = ", ".join(f"{n} by {_percent(errors[n])}" for n in bad)
        message = (f"{what}: your gradient differs from the numerical gradient (central differences of the "
                   f"correct function): {report} of its size (allowed: {_percent(GRAD_TOL)})")
        if own_errors:
            agrees = all(e <= 1e-3 for e in own_errors.values())
            message += (
                "; it does agree with central differences of your own forward, so the forward is wrong too"
                if agrees
                else "; it does not match central differences of your own forward either"
            )
        worst = bad[0]
        return Verdict(False, message, expected["numeric"][worst], analytic[worst])
    return judge


def _percent(error):
    """A relative error as a beginner reads it: 100%, 67%, 0.3%, 0.01%; not finite: "nan or inf"."""
    if not np.isfinite(error):
        return "nan or inf (not a number)"
    percent = 100 * error
    return f"{percent:.0f}%" if percent >= 1 else f"{percent:.2g}%"


def finite_array(value, what="the result"):
    """as_array, and WrongType for nan or inf: behaviour checks judge only finite numbers."""
    arr = as_array(value, what)
    if not np.all(np.isfinite(arr)):
        raise WrongType(f"{what} contains nan or inf")
    return arr


def fd_judge(what, names, analytic=lambda value: value, own=None):
    """gradients_match_fd for a probe whose value is the analytic gradient ({name: grad}, or read by
    `analytic`) and whose expected value holds "numeric", central differences of the reference
    computed by the judge (Check.prepare); own(got, expected, case) -> the student's own central
    differences from their piece calls, or None (it only changes the message)."""
    inner = gradients_match_fd(what, names)

    def judge(got, expected, case):
        value = got["value"] if own is not None else got
        try:
            value = analytic(value)
        except WrongType as exc:
            return Verdict(False, str(exc), expected["numeric"], value)
        mine = own(got, expected, case) if own is not None else None
        return inner({"analytic": value, "numeric": mine}, expected, case)
    return judge


def normwise(analytic, numeric):
    a, n = np.asarray(analytic, dtype=float), np.asarray(numeric, dtype=float)
    if a.shape != n.shape or not (np.all(np.isfinite(a)) and np.all(np.isfinite(n))):
        return float("inf")
    # floor 1e-2: with GRAD_TOL 1e-4 that allows 1e-6 absolute, the rounding of a correct float32 answer
    scale = max(float(np.max(np.abs(n), initial=0.0)), 1e-2)
    return float(np.max(np.abs(a - n), initial=0.0)) / scale


__all__ = [
    "Verdict", "WrongType", "as_array", "as_dict", "as_float", "as_number", "as_sequence", "fmt", "relative_error",
    "same_array", "same_float", "same_parts", "same_dict", "gradients_match_fd", "fd_judge", "finite_array", "normwise", "GRAD_TOL",
]
