"""What one student may cost the judge: bytes read from its child, text kept from what it returned,
the size of its output files, and time. Every cap states itself where it bites.

The byte caps are counts (whatever the machine's speed, the same submission meets them the same
way); the time budget (the rubric's [limits] per_student) is a wall-clock guard, measured from the
start of the student's grading: an honest submission never comes near it, so its grading stays
reproducible; a submission that spends it keeps the points it earned before and scores 0 for what
was left ungraded.
"""
import time

FUNCTION_BYTES = 4 * 2**20  # one function's results frame (every case of its checks); honest ones are < 64 kB
STUDENT_BYTES = 32 * 2**20  # all results frames of one student, searches included; honest: < 0.5 MB
OUTPUT_BYTES = 256 * 2**10  # feedback.md and results.json, each
SHOWN_CHARS = 2000  # the text of one value in feedback (expected, got, an input)
MESSAGE_CHARS = 1000  # a verdict's message or hint (it may quote the child's error text)
KEPT_ITEMS = 200  # a failing verdict keeps a value itself up to this many numbers, else only its text
PLOT_ITEMS = 10_000  # numbers in one plotted series of the feedback page (the probes' grids have < 2,000)
PLOT_MAX_ABS = 1e12  # larger values are not plotted (matplotlib's axes break down long before 1e308)
PLOT_SECONDS = 10.0  # wall-clock for all plot probes of one student (honest: < 0.5 s); over it, no plots.
# The rubric's [limits] plots, when it does not set its own.

# What one submission's sandboxed child may use (rlimits, its memory cgroup, its private /tmp).
CHILD_CPU_S = 600  # CPU seconds of one child, if the judge states none (the runner's wall clock bites first)
CHILD_MEM_MB = 3072  # address space beyond the child's start, and the lane's memory cgroup
CHILD_TMP_MB = 64  # its private /tmp
CHILD_FSIZE_MB = 16  # largest file it may write
CHILD_NOFILE = 64  # open files
CHILD_NPROC = 32  # processes of its uid

# What grading one submission may ask of its child.
IMPORT_TIMEOUT = 10.0  # seconds to import the student's modules
SHRINK_CALLS = 15  # probe calls one shrink may make: a count, not a time, so feedback is reproducible
SHRINK_BUDGET = 60  # probe calls all shrinks of one submission may make together
SHRINK_SAFETY_S = 30.0  # wall-clock guard for pathologically slow code only

# What a submission's files may weigh before they are read.
MAX_FILE_BYTES = 1_000_000  # one exNN_*.py
# A notebook with its outputs (plots inline) stays well under this; the JSON of a file this size
# takes at most a few hundred MB to parse (see MAX_JSON_CONTAINERS).
MAX_NOTEBOOK_BYTES = 10_000_000
# What one platform upload may hold (grader/intake/uploads.py): a notebook sent alone, the members
# and unpacked bytes of a .zip, and how many single wrapping folders are looked through.
MAX_UPLOADED_NOTEBOOK_BYTES = 5_000_000
ZIP_MAX_MEMBERS = 500
ZIP_MAX_BYTES = 50_000_000
MAX_WRAPPING_FOLDERS = 20
# Every JSON object or array costs ~60 bytes once parsed: `[[],[],...]` would take 20 times its
# size in memory. A notebook has a few per cell and output; this bounds a hostile one.
MAX_JSON_CONTAINERS = 500_000
MAX_RECORD_BYTES = 4096  # one of the records `nbgrader collect` writes next to the notebooks


def size_text(n):
    """Bytes as people read them: 512 B, 256 kB, 61 MB."""
    for unit, size in (("GB", 2**30), ("MB", 2**20), ("kB", 2**10)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n} B"


def over_caps(size, function_cap, student_left):
    """(limit, per) for a results frame of `size` bytes over a cap ("function" or "student"), else None."""
    if size > function_cap:
        return function_cap, "function"
    if size > student_left:
        return student_left, "student"
    return None


def too_much_data(size, limit, per):
    """The failure of a function whose results frame was over a byte cap (per: "function" or "student")."""
    if per == "student":
        return (f"returned too much data: {size_text(size)} over what was left of the {size_text(STUDENT_BYTES)} "
                "limit per student")
    return f"returned too much data: {size_text(size)} over the {size_text(limit)} limit per function"


def shorten(text, limit):
    """text cut to `limit` characters, saying how long it was."""
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters in all)"


class TimeBudget:
    """The wall-clock guard on everything one student costs: imports, every function run, searches,
    restarts. Each wait of the judge is clipped to what is left."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds

    def left(self):
        return max(0.0, self.deadline - time.monotonic())

    def spent(self):
        return self.left() <= 0.0

    def clip(self, seconds):
        return min(seconds, self.left())

    @property
    def message(self):
        return f"time budget spent ({self.seconds:g} s per student)"


class DataBudget:
    """Bytes the judge still accepts from one student's children (STUDENT_BYTES in all)."""

    def __init__(self, total=STUDENT_BYTES):
        self.left = total

    def spend(self, size):
        self.left = max(0, self.left - size)

    def spent(self):
        return self.left <= 0

    message = f"not graded: the {size_text(STUDENT_BYTES)} limit per student on returned data is spent"

    def request(self):
        """The caps a run request carries to the runner, which enforces them frame by frame."""
        return {"max_bytes": FUNCTION_BYTES, "max_total": self.left}
