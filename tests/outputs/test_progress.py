"""The progress a terminal shows while a class is graded."""
from grader.outputs import progress as progress_module
from grader.outputs.progress import Progress


def test_the_eta_counts_from_the_first_graded_submission(monkeypatch):
    """A slow start (imports, the class context, resumed students) does not inflate the ETA."""
    clock = [1000.0]
    monkeypatch.setattr(progress_module.time, "monotonic", lambda: clock[0])
    lines = []
    progress = Progress(10, enabled=False, stream=_Lines(lines))
    progress.update({"student": "resumed_one", "score": 1, "max_score": 2}, resumed=True)
    clock[0] += 8.0  # warming up
    progress.start()
    for student in ("a", "b"):
        clock[0] += 0.5
        progress.update({"student": student, "score": 1, "max_score": 2})
    assert "resumed_one: resumed (eta -" in lines[0]
    assert lines[1].endswith("a: 1/2 (2.0/s, eta 4 s, failures 0)")  # 8 left at 0.5 s each
    assert lines[2].endswith("b: 1/2 (2.0/s, eta 4 s, failures 0)")  # 7 left, ~3.5 s


class _Lines:
    def __init__(self, lines):
        self.lines = lines

    def write(self, text):
        if text.strip():
            self.lines.append(text.strip())

    def flush(self):
        pass

    def isatty(self):
        return False
