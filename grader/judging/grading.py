"""Grading one submission: run its functions in the sandbox, judge every check, score by the rubric."""
import time

from grader.judging.blame import blamed, dependency_note, not_from
from grader.toolkit.cases import SearchStopped
from grader.toolkit.compare import Verdict, fmt, fmt_input
from grader.judging.diagnosis import diagnosed
from grader.outputs.feedback import is_stub
from grader.outputs.feedback_plots import draw_plots
from grader.forms import FORM_KEY, form_hint, shown
from grader.limits import (IMPORT_TIMEOUT, PLOT_SECONDS, SHRINK_BUDGET, SHRINK_CALLS, SHRINK_SAFETY_S,
                           DataBudget, TimeBudget, too_much_data)
from grader.probes import plot_id, plot_table
from grader.protocol import encode, pack

PLOT_IDS = frozenset(plot_table())


def _plot_jobs(module):
    """The plot job of a module: its probe module's PLOTS entry (case {}), or its spec's declared
    CurvePlot (the case names the functions and the grid); None without a plot."""
    from grader.specs import declared_plots

    declared = declared_plots().get(module)
    if declared is not None:
        return (plot_id(module), [declared.case()])
    return (plot_id(module), [{}]) if plot_id(module) in PLOT_IDS else None


def _derive(checks):
    return {c.id: c.derive for c in checks if c.derive}


def evaluate(check, outcome, expected, case):
    """Verdict for one case from the child's outcome (plain data) and the reference's output."""
    if "contract" in outcome:
        return Verdict(False, str(outcome["contract"]))
    if "error" in outcome:
        return Verdict(False, f"raised {outcome['error']}")
    if outcome.get("mutated"):
        names = ", ".join(map(str, outcome["mutated"]))
        return Verdict(False, f"modified its input ({names}): compute new arrays instead of changing the arguments")
    if check.fail_on_warnings and outcome.get("warnings"):
        return Verdict(False, f"emitted a warning: {outcome['warnings'][0]}", "no warning", outcome["warnings"][0],
                       check.warning_hint)
    got = outcome.get("value")
    if check.probe.pieces is not None:  # what the check asked for decides the shape, not what the child sent
        got = {"value": got, "pieces": outcome.get("pieces")}
    try:
        return check.judge(got, expected, case)
    except Exception as exc:  # a judge must never crash a batch: an unreadable value fails the check
        return Verdict(False, f"the returned value could not be checked ({type(exc).__name__}: {exc})")


class SubmissionGrader:
    """Grades one submission through one sandbox client."""

    def __init__(self, ctx, client, plots=True):
        self.ctx, self.client = ctx, client
        self.plots = plots  # run the plot probes and draw feedback.html's plots (Gradescope shows none)

    def grade(self, submission):
        self.client.warm()  # starting a runner is the grader's cost, not the student's
        started = time.monotonic()
        self.budget = TimeBudget(self.ctx.rubric.per_student)  # everything below, searches and restarts included
        self.data = DataBudget()  # bytes accepted from this student's children
        self.out_of_time = False  # set once the budget cut something short
        self.failed_modules = dict(submission.problems)
        self.sources = dict(submission.sources)
        self.isolation, self.notices = [], []
        self.shrink_budget = SHRINK_BUDGET
        self.replayed = {}  # {check id: {case key: verdict}} for checks that failed
        self.searched = {}  # {check id: [(case, verdict)]}: the failing cases a search saw (for the hint)
        self.seconds = {}  # {function: wall seconds its run took} for the class report (never in feedback)
        self.called = {}  # {function: graded functions the child says it called}: only for "fix X first"
        self._open(first=True)
        verdicts = self._run_all(list(self.ctx.functions.values()))
        settle(verdicts)
        self._shrink_failures(verdicts)
        functions = [self._function_record(spec, verdicts[spec.function]) for spec in self.ctx.functions.values()]
        plotted = self._run_plots(touched_modules(functions)) if self.plots else {}
        self.client.close()
        _note_dependencies(functions)
        if self.out_of_time:
            self.failed_modules["(time budget)"] = f"{self.budget.message}: what was not graded by then scores 0"
        score = round(sum(f["score"] for f in functions), 4)
        return {
            "student": submission.student,
            "score": score,
            "max_score": self.ctx.rubric.max_score,
            "functions": functions,
            "problems": {k: v for k, v in self.failed_modules.items()},
            "isolation": self.isolation,
            "notices": self.notices,
            "fingerprint": self.ctx.fingerprint,
            "execution_time": round(time.monotonic() - started, 3),
            "function_seconds": self.seconds,  # like execution_time, the machine's: never in feedback
            "plots": draw_plots(plotted, failing_cases(verdicts)) if self.plots else [],  # feedback.html's (not in results.json)
        }

    # -- the child ------------------------------------------------------------------------------
    def _open(self, first=False):
        """(Re)start a child on the modules that import; import failures are recorded on the first open."""
        for _ in range(len(self.sources) + 1):
            if self._time_spent():
                self.live = False
                return
            reply = self.client.open(self.sources, timeout=self.budget.clip(IMPORT_TIMEOUT), cpu_s=self._cpu_budget())
            self.isolation, self.notices = reply.get("isolation", []), reply.get("notices", [])
            status = reply.get("status")
            if status == "ready":
                for module, error in (reply.get("modules") or {}).items():
                    if error and first and module in self.sources:  # the child may say more: only its modules count
                        self.failed_modules[module] = f"importing {module}.py failed: {error}"
                self.live = True
                return
            module = reply.get("last_module")
            if module not in self.sources:
                break
            if status == "timeout" and self._time_spent():
                why = self.budget.message
            elif status == "timeout":
                why = (f"importing {module}.py did not finish within {IMPORT_TIMEOUT:g} s: code at module level runs "
                       "at import; move it into a function")
            else:
                why = f"the process ended while importing {module}.py ({reply.get('detail', 'no detail')})"
            self.failed_modules[module] = why
            self.sources.pop(module)
        self.live = False
        self.failed_modules.setdefault("(sandbox)", f"the sandbox could not start: {reply.get('detail', reply.get('status'))}")

    def _cpu_budget(self):
        return sum(self.ctx.rubric.timeout(f) for f in self.ctx.functions) + IMPORT_TIMEOUT

    def _time_spent(self):
        """True once the student's time budget is spent (noted: the feedback says what it cut)."""
        if self.budget.spent():
            self.out_of_time = True
        return self.out_of_time

    def _limits(self):
        """The caps a run request carries: bytes per function and left for the student, time left."""
        return {**self.data.request(), "budget": self.budget.left()}

    def _run_plots(self, modules):
        """{module: the child's outcome of its plot probe} for the modules the student worked on: one
        request after the grading, so nothing here can change a grade; if it does not finish within
        PLOT_SECONDS, the page has no plots."""
        jobs = [job for job in (_plot_jobs(m) for m in sorted(modules) if m in self.sources and m not in self.failed_modules)
                if job is not None]
        if not jobs or not self.live or self._time_spent():
            return {}
        reply = self.client.run(jobs, self.budget.clip(PLOT_SECONDS), self._limits())
        if reply.get("status") != "done":
            why = "your code took too long on the plots' inputs" if reply.get("status") == "timeout" else "the plots could not be made"
            return {cid.split(":")[0]: {"error": why} for cid, _ in jobs}
        self.data.spend(reply["bytes"])
        return {cid.split(":")[0]: outcomes[0] for (cid, _), outcomes in zip(jobs, reply["results"])}

    # -- running and judging ---------------------------------------------------------------------
    def _checks(self, spec):
        return [c for c in spec.checks if c.id in self.ctx.checks]

    def _run_all(self, specs):
        """{function: [(check, verdict, failing cases)]}: every function in one pipelined request;
        after a timeout or crash, a fresh child takes the functions that are left."""
        verdicts = {}
        while specs:
            if self._time_spent():
                self.live = False  # nothing more is asked of the child: the functions left score 0
            runnable = []
            for spec in specs:
                reason = self._not_runnable(spec)
                if reason:
                    verdicts[spec.function] = self._all_failed(spec, reason)
                else:
                    runnable.append(spec)
            request = [([(c.id, None) for c in self._checks(spec)], self.ctx.rubric.timeout(spec.function)) for spec in runnable]
            specs = []
            known = self.ctx.judged.known_among([spec.function for spec in runnable])
            derive = _derive(c for spec in runnable for c in self._checks(spec))
            replies = self.client.run_functions(request, known, self._limits(), derive=derive) if runnable else ()
            mark = time.monotonic()
            for index, reply in enumerate(replies):
                spec = runnable[index]
                # One frame per function, in order: the time since the previous one is this function's
                # run (give or take the judge's few ms on the previous frame, which overlap the run).
                now = time.monotonic()
                self.seconds[spec.function], mark = round(now - mark, 3), now
                if reply.get("status") == "done":
                    self.data.spend(reply["bytes"])
                    verdicts[spec.function] = self._judge_function(spec, reply)
                    continue
                verdicts[spec.function] = self._all_failed(spec, self._why_stopped(spec.function, reply))
                if reply.get("per") == "student":
                    self.data.spend(self.data.left)  # what is left is not asked for
                self._open()
                specs = runnable[index + 1:]
                break
        return verdicts

    def _all_failed(self, spec, reason):
        return [(c, Verdict(False, reason), []) for c in self._checks(spec)]

    def _not_runnable(self, spec):
        """Why a function cannot run now (None if it can)."""
        module = spec.function.split(".")[0]
        if module in self.failed_modules:
            return self.failed_modules[module]
        if self.data.spent():
            return self.data.message
        if self.live:
            return None if module in self.sources else f"{module}.py is missing"
        if self.out_of_time:
            return self.budget.message
        return self.failed_modules.get("(sandbox)") or f"{module}.py is missing"

    def _why_stopped(self, function, reply):
        """Why a function's run ended without results (the child is gone)."""
        if reply.get("status") == "too_much":
            return too_much_data(reply["bytes"], reply["limit"], reply["per"])
        if reply.get("status") == "timeout" and (reply.get("budget") or self._time_spent()):
            self.out_of_time = True
            return self.budget.message
        if reply.get("status") == "timeout":
            return f"timed out after {self.ctx.rubric.timeout(function):g} s"
        return f"the process running your code ended during {function} ({reply.get('detail', 'no detail')})"

    def _judge_function(self, spec, reply):
        """[(check, verdict, failing cases)] for one function's results frame (judged once per class
        for each distinct frame, see grader.judging.judged_frames)."""
        judged, called = self.ctx.judged.once(spec.function, reply, lambda results: [
            self._judge_check(c, outcomes) for c, outcomes in zip(self._checks(spec), results)])
        self.called[spec.function] = [f for f in called if f in self.ctx.functions]  # selects a hint, never points
        for check, _, _, replayed in judged:
            if replayed is not None:
                self.replayed[check.id] = dict(replayed)  # the search adds to its copy
        return [(check, verdict, failures) for check, verdict, failures, _ in judged]

    def _judge_check(self, check, outcomes):
        """(check, verdict, failing cases, {case key: verdict} or None) from replaying the class's
        cases; the verdicts of every case are kept only for a failing check (its search starts there).
        A check that passes some cases only conditionally (own-piece credit) passes on the condition
        of them all, with the first such case as its failure should it not hold (see settle).
        A failure where that credit is undecided (Verdict.undecided) counts only if no case decided it."""
        failures, undecided, replayed, conditional, pieces = [], [], {}, None, set()
        for case, outcome, exp in zip(self.ctx.cases[check.id], outcomes, self.ctx.expected[check.id]):
            verdict = evaluate(check, outcome, exp, case)
            if not verdict.ok:
                (undecided if verdict.undecided else failures).append((case, verdict))
                replayed[case_key(case)] = verdict
            elif verdict.credit_if_failed:
                conditional = conditional or (case, verdict.otherwise)
                pieces.update(verdict.credit_if_failed)
        if not failures and conditional is None:  # nothing decided otherwise: the undecided failures stand
            failures = undecided
        if not failures:
            if conditional is not None:
                return check, Verdict.if_failed(sorted(pieces), conditional[1]), [conditional], None
            return check, Verdict.passed(), [], None
        for case in self.ctx.cases[check.id]:  # passing cases are known too
            replayed.setdefault(case_key(case), Verdict.passed())
        return check, failures[0][1], failures, replayed

    def _shrink_failures(self, verdicts):
        """Replace each failure by the smallest failing input. Per function, hypothesis shrinks the first
        failing check (the checks of one function usually fail for one reason); its minimal case is
        reused for the function's other failing checks when it lies in their domain (Check.accepts)
        and fails them too, else the smallest replayed failing case stands. Each check's verdict,
        so its expected value, is its own on the case shown."""
        for function, entries in verdicts.items():
            timeout = self.ctx.rubric.timeout(function)
            minimal, source = None, None
            for i, (check, verdict, failures) in enumerate(entries):
                if not failures:
                    entries[i] = (check, verdict, None)
                    continue
                found = None
                if (minimal is None and check.id in self.replayed and check.cases is not None and self.live
                        and len(failures) < len(self.ctx.cases[check.id])):
                    found = minimal = self._shrink(check, timeout, self.replayed[check.id])  # inputs matter only where some cases pass
                    source = check
                elif minimal is not None and self.live and check.accepts(minimal[0], source):
                    found = self._try_case(check, minimal[0], timeout)
                case, verdict = found or min(failures, key=lambda f: _size(f[0]))
                entries[i] = (check, diagnosed(verdict, failures + self.searched.get(check.id, [])), case)

    def _try_case(self, check, case, timeout):
        """(case, verdict) if this check fails on `case`, else None."""
        if set(case) != set(self.ctx.cases[check.id][0]):
            return None
        verdict = self._run_case(check, case, timeout)
        return (case, verdict) if verdict is not None and counts(verdict) else None

    def _shrink(self, check, timeout, replayed):
        """Hypothesis's search and shrinking against this submission: the minimal failing case.
        Cases already replayed are answered from `replayed` ({case key: verdict}) without a call."""
        calls, started, last = [0], time.monotonic(), {}

        def fails(case):
            key = case_key(case)
            verdict = replayed.get(key)
            if verdict is None:
                verdict = self._call_once(check, case, timeout, calls, started)
                if verdict is None:
                    raise SearchStopped()
                replayed[key] = verdict
            if not counts(verdict):
                return False
            last["failure"] = (case, verdict)
            self.searched.setdefault(check.id, []).append((case, verdict))
            return True

        minimal = self.ctx.searches.minimal(check, fails, case_key)
        if minimal is None or "failure" not in last:
            return None
        return last["failure"]

    def _call_once(self, check, case, timeout, calls, started):
        """The verdict on one new case, or None once a budget is spent or the child failed."""
        # Budgets are counts (reproducible feedback); the clock is only a guard against slow code.
        if calls[0] >= SHRINK_CALLS or time.monotonic() - started > SHRINK_SAFETY_S:
            return None
        calls[0] += 1
        return self._run_case(check, case, timeout)

    def _run_case(self, check, case, timeout):
        """The verdict of one call on a new case; None once a budget (calls, time, bytes) is spent
        or the child failed: the search stops there."""
        if self.shrink_budget <= 0 or not self.live or self._time_spent():
            return None
        self.shrink_budget -= 1
        reply = self.client.run([(check.id, [case])], timeout, self._limits(), derive=_derive([check]))
        status = reply.get("status")
        if status == "done":
            self.data.spend(reply["bytes"])
            return evaluate(check, reply["results"][0][0], self.ctx.expected_for(check, case), case)
        self._open()  # the child is gone
        if status == "too_much" and reply["per"] == "function":  # too much for this one case: its failure
            return Verdict(False, too_much_data(reply["bytes"], reply["limit"], reply["per"]))
        self.shrink_budget = 0  # a new input hung or killed the child, or the student's bytes are spent
        return None

    def _function_record(self, spec, verdicts):
        rubric = self.ctx.rubric
        checks = []
        for check, verdict, case in verdicts:
            max_points = rubric.check_points(spec.function, check.name)
            record = {"check": check.name, "passed": verdict.ok, "score": max_points if verdict.ok else 0.0,
                      "max_score": max_points}
            if not verdict.ok:
                record.update(message=verdict.message, hint=verdict.hint or (form_hint(check.arguments(case)) if case else ""))
                if case is not None:
                    record.update(input=_fmt_case(check.arguments(case)), expected=fmt(verdict.expected), got=fmt(verdict.got))
            checks.append(record)
        return {"function": spec.function, "visibility": rubric.visibility_of(spec.function),
                "score": sum(c["score"] for c in checks),
                "max_score": rubric.function_points(spec.function), "depends": list(spec.depends),
                "called": self.called.get(spec.function, []),
                "not_from": not_from([(check, verdict) for check, verdict, _ in verdicts]), "checks": checks}


def settle(verdicts):
    """What one check's verdict owes to others, once the whole submission is judged (in place, on
    fresh entries: a judged frame's cached verdicts stay a pure function of its bytes):
      - own-piece credit (Verdict.credit_if_failed) holds only if every piece it names lost points
        on its own checks, or is itself excused by its own wrong pieces (a piece that passes its own
        checks cannot excuse a composite); pieces are settled before the composites built on them;
      - a behaviour check (Check.needs) earns its points only when its function's value check passed."""
    credited = set()

    def excused(function):
        return function in credited or any(not v.ok for _, v, _ in verdicts.get(function, ()))

    def unsettled(function):
        return any(v.credit_if_failed for _, v, _ in verdicts.get(function, ()))

    while True:
        open_ = [(f, i) for f, entries in verdicts.items() for i, (_, v, _) in enumerate(entries) if v.credit_if_failed]
        if not open_:
            break
        ready = [(f, i) for f, i in open_ if not any(unsettled(p) for p in verdicts[f][i][1].credit_if_failed if p != f)]
        for f, i in ready or open_:  # nothing ready: pieces waiting on each other excuse nothing
            check, verdict, failures = verdicts[f][i]
            credit = bool(ready) and all(excused(p) for p in verdict.credit_if_failed if p != f)
            verdicts[f][i] = (check, Verdict.passed(), []) if credit else (check, verdict.otherwise, failures)
            if credit:
                credited.add(f)
    for entries in verdicts.values():
        passed = {check.name for check, verdict, _ in entries if verdict.ok}
        for i, (check, verdict, _) in enumerate(entries):
            missing = [name for name in check.needs if name not in passed]
            if verdict.ok and missing:
                entries[i] = (check, Verdict(False, f"this behaviour earns its points only together with {', '.join(missing)}, "
                                                    "which must pass first"), [])


def counts(verdict):
    """A failure a search may stop at: a failing verdict on a case where it is decided (a failure
    whose own-piece credit is undecided there is no counterexample to show)."""
    return not verdict.ok and not verdict.undecided


def touched_modules(functions):
    """The modules the student worked on: some function in them is more than its untouched stub."""
    return {f["function"].split(".")[0] for f in functions if not is_stub(f)}


def failing_cases(verdicts):
    """{function: the input of its first failed check} (the input the feedback shows), for the plots."""
    return {function: next(case for _, verdict, case in entries if not verdict.ok and case is not None)
            for function, entries in verdicts.items() if any(not v.ok and c is not None for _, v, c in entries)}


def case_key(case):
    """Exact identity of a case (its plain-data bytes)."""
    return pack(*encode(case))


def _note_dependencies(functions):
    """"Fix X first" only where the student's code called X (as its child reported), X lost points,
    and the failure may come from X (grader.judging.blame)."""
    failed = {f["function"] for f in functions if f["score"] < f["max_score"]}
    for f in functions:
        broken = blamed(f, failed)
        if f["function"] in failed and broken:
            f["note"] = dependency_note(broken)


def _fmt_case(case):
    return ", ".join(f"{k} = {text}" for k, text in shown(case, fmt_input).items()) if case else "(no arguments)"


def _size(case):
    """Order failing cases by size: fewer numbers first, then smaller magnitudes; a case in another
    input form (a Python float, a list, ...) only when no float64 case fails (its hint says so)."""
    import numpy as np

    other_form = bool(form_hint(case))
    values = [np.asarray(v, dtype=float) for v in _leaves({k: v for k, v in case.items() if k != FORM_KEY})]
    return (other_form, sum(v.size for v in values), sum(float(np.abs(v).sum()) for v in values))


def _leaves(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _leaves(v)
    elif isinstance(value, (list, tuple)) and value and not all(isinstance(v, (int, float)) for v in value):
        for v in value:
            yield from _leaves(v)
    elif not isinstance(value, str):
        yield value
