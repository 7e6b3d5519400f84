"""The nbgrader hidden cells' grading: the sandboxed grader's own pipeline, run in the student's kernel.

Every autograded notebook cell is one generated call (grader/release/hidden_cells.py):

    grade_cell(globals(), "ex02_gradient_descent.delta_rule_step", "matches_reference", DATA)

DATA, computed at release time, holds plain data only (grader.protocol, compressed): the class's
cases of the function's checks and of the checks of every function whose pieces they call, the
reference's expected values on them, and the rubric's points. Nothing of the reference's code, and
solutions/ is never imported here. The cell then grades exactly as the sandbox does:
grader.judging.grading.grade_submission runs the probes (grader.probes) through KernelClient, which calls
them on the notebook's own namespace instead of a sandboxed child (with the child's own case runner
and the protocol's round trip, so the judges see the same plain data), judges them with the specs'
judges, settles own-piece credit and behaviour checks (grader.judging.stages.settle), and the cell asserts
its check's verdict with the feedback's text (grader.outputs.feedback.check_text).

Differences from the sandbox, all outside the verdicts: no search for a smaller failing input (it
would need the reference; the smallest failing class case is shown), no per-function time limit
(nbgrader's cell timeout applies), and no isolation: nbgrader autograde runs the student's code as is.
"""
import base64
import importlib
import zlib

from grader.outputs.feedback import check_text
from grader.judging.grading import grade_submission
from grader.judging.judged_frames import JudgedFrames
from grader.loader import describe_exception
from grader.probes import probe_for, probe_table
from grader.protocol import decode, encode, pack, unpack_bytes
from grader.judging.reference import ClassContext
from grader.rubric import Rubric
from grader.sandbox.child import encode_results, probe_parts, run_job  # the child's case runner: one for both tracks
from grader.specs import all_functions
from grader.submission import Submission

_RESULTS = "__nngrade_graded__"  # the kernel's memo of graded closures (see _graded)


# ---- the data of one grade cell ---------------------------------------------------------------

def pack_data(data):
    """Plain data -> the text a generated cell carries (deterministic: the same data, the same text)."""
    return base64.b64encode(zlib.compress(pack(*encode(data)), 9)).decode("ascii")


def unpack_data(text):
    header, buffers = unpack_bytes(zlib.decompress(base64.b64decode(text)))
    return decode(header, buffers)


def context(data):
    """The class context of one grade cell: the specs' checks of its functions, the cases and
    expected values it carries, its rubric; no reference, no search."""
    functions = {spec.function: spec for spec in all_functions() if spec.function in data["points"]}
    checks = {c.id: c for spec in functions.values() for c in spec.checks if c.id in data["cases"]}
    rubric = Rubric(points=data["points"], timeouts=data["timeouts"], default_timeout=data["default_timeout"],
                    per_student=data["per_student"])
    return ClassContext(rubric, {f: functions[f] for f in data["points"]}, checks, data["cases"], data["expected"],
                        reference=None, fingerprint="in-kernel", searches=NoSearch(), judged=JudgedFrames())


class NoSearch:
    """In place of the class's search memory: hypothesis is never run in the kernel."""

    def minimal(self, check, fails, key_of):
        return None


# ---- running the probes on the notebook -------------------------------------------------------

class KernelImpl:
    """The implementation the probes call: `module` is the notebook's namespace, other exercise
    modules are imported (the notebook importer finds the student's notebooks beside this one)."""

    def __init__(self, namespace, module, others):
        self._namespace, self._module, self._others = namespace, module, others

    def __getattr__(self, name):
        if name == self._module:
            return _Attributes(self._namespace)
        if name in self._others:
            return self._others[name]
        raise AttributeError(f"module {name} is missing")


class _Attributes:
    """Live attribute access to a namespace dict (the student may define a function in any cell)."""

    def __init__(self, namespace):
        self._namespace = namespace

    def __getattr__(self, name):
        try:
            return self._namespace[name]
        except KeyError:
            raise NameError(f"name {name!r} is not defined") from None


class KernelClient:
    """What grade_submission asks of a sandbox client, answered in this process."""

    def __init__(self, ctx, namespace, module):
        self.ctx, self.namespace, self.module = ctx, namespace, module
        self.probes = probe_table()
        self.impl = None

    def warm(self):
        pass

    def open(self, sources, timeout=None, cpu_s=None):
        """Import the other modules the checks call into (the notebook's own is its namespace)."""
        others, status = {}, {}
        for name in sorted(sources):
            if name == self.module:
                status[name] = None
                continue
            try:
                others[name] = importlib.import_module(name)
                status[name] = None
            except BaseException as exc:  # noqa: BLE001 - the student's error, as in the sandbox
                status[name] = describe_exception(exc)
        self.impl = KernelImpl(self.namespace, self.module, others)
        return {"status": "ready", "modules": status, "isolation": [], "notices": []}

    def run_functions(self, functions, known=None, limits=None, derive=None):
        derive = derive or {}
        for jobs, _timeout in functions:
            results = [run_job(probe_parts(probe_for(cid, self.probes, derive.get(cid))), self.impl,
                               self.ctx.cases[cid] if cases is None else cases, cid)
                       for cid, cases in jobs]
            frame = pack(*encode_results(results))  # the same plain data the sandboxed judge decodes
            message, buffers = unpack_bytes(frame)
            yield {"status": "done", "digest": None, "results": decode(message["results"], buffers), "bytes": len(frame)}

    def run(self, jobs, timeout, limits=None, derive=None):
        return next(self.run_functions([(jobs, timeout)], limits=limits, derive=derive))

    def close(self):
        pass


# ---- one grade cell ---------------------------------------------------------------------------

def grade_cell(namespace, function, check, text):
    """Grade `function` (with the functions whose pieces it uses) on the notebook `namespace` and
    fail with the feedback's text unless its `check` passed."""
    record = _graded(namespace, function, text)
    result = next(c for f in record["functions"] if f["function"] == function for c in f["checks"] if c["check"] == check)
    if not result["passed"]:
        raise AssertionError(f"{function.split('.', 1)[1]} / {check}: {check_text(result)}")


def _graded(namespace, function, text):
    """The grading record of one cell's data. The cells of one function carry the same data: its
    record is kept in the kernel and reused while the notebook's definitions are the same objects."""
    memo = namespace.setdefault(_RESULTS, {})
    kept = memo.get(text)
    if kept is not None and all(namespace.get(name) is value for name, value in kept[0]):
        return kept[1]
    data = unpack_data(text)
    module = function.split(".")[0]
    ctx = context(data)
    record = grade_submission(ctx, KernelClient(ctx, namespace, module),
                              Submission(module, None, sources={f.split(".")[0]: "" for f in data["points"]}))
    own = [f.split(".", 1)[1] for f in data["points"] if f.startswith(module + ".")]
    memo[text] = ([(name, namespace.get(name)) for name in own], record)
    return record
