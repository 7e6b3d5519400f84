"""The reference's plot data, kept in the class context and drawn while a batch's runners start
(grader.judging.reference.reference_plots, grader.lanes._draw_ahead)."""
import dataclasses
import random

import numpy as np
import pytest
import torch

from grader import SOLUTIONS_DIR, lanes
from grader.batch import grade_folder
from grader.judging import reference
from grader.judging.grading import grade_submission
from grader.judging.judged_frames import JudgedFrames
from grader.judging.search_memo import SearchMemo
from grader.judging.stages.plot import plot_jobs
from grader.loader import read_sources
from grader.protocol import encode, pack
from grader.sandbox.client import SandboxClient
from grader.submission import Submission


def _bytes(value):
    return pack(*encode(value))


def test_the_context_holds_what_a_child_running_the_reference_reports_for_its_plots(ctx):
    """The same plot outcomes, byte for byte, as the sandboxed child sends for the reference's code:
    what the judge draws ahead is what such a student's page shows (the drawing cache is keyed by
    the data)."""
    plotted = {m for m in ctx.rubric.modules if plot_jobs(m) is not None}
    assert plotted and set(ctx.plots) == plotted
    assert all("value" in outcome for outcome in ctx.plots.values()), ctx.plots
    fresh = dataclasses.replace(ctx, searches=SearchMemo(), judged=JudgedFrames())
    client = SandboxClient(0, cases=ctx.cases)
    try:
        record = grade_submission(fresh, client, Submission("reference", None, read_sources(SOLUTIONS_DIR)),
                                  draw=lambda outcomes, failing: outcomes)
    finally:
        client.stop()
    assert record["score"] == ctx.rubric.max_score
    assert _bytes(record["plots"]) == _bytes(ctx.plots)


def test_running_the_plot_probes_leaves_the_judges_generators_as_they_were(ctx):
    def draws():
        return random.random(), float(np.random.random()), float(torch.rand(1))

    def seed():
        random.seed(1), np.random.seed(2), torch.manual_seed(3)

    seed()
    expected = draws()
    seed()
    plots = reference.reference_plots(ctx.reference, ctx.rubric.modules)
    assert draws() == expected and set(plots) == set(ctx.plots)


@pytest.mark.parametrize("cores", [2, 1])
def test_a_batch_draws_the_reference_plots_before_its_first_student_where_a_core_is_free(ctx, tmp_path, monkeypatch,
                                                                                        cores):
    drawn, real = [], lanes.draw_plots

    def recording(outcomes, failing=None):
        drawn.append("ahead" if outcomes is ctx.plots and failing is None else "student")
        return real(outcomes, failing)

    monkeypatch.setattr(lanes, "draw_plots", recording)
    monkeypatch.setattr(lanes.os, "cpu_count", lambda: cores)
    subs = tmp_path / "subs"
    (subs / "reference").mkdir(parents=True)
    for module, text in read_sources(SOLUTIONS_DIR).items():
        (subs / "reference" / f"{module}.py").write_text(text)
    grade_folder(subs, tmp_path / "out", jobs=1, progress=False, ctx=ctx)
    assert drawn == (["ahead", "student"] if cores > 1 else ["student"])
