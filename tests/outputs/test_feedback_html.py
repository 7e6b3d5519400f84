"""feedback.html without a sandbox: the plots from plot-probe data (hostile data included) and the
page's escaping of whatever the student's code put in the feedback's text."""
import numpy as np
import pytest

from grader.outputs.feedback_html import feedback_html
from grader.outputs.feedback_plots import _marks, draw_plots
from grader.protocol import Opaque
from grader.specs.ex03_activations import PLOT

GRID = PLOT.grid


def _activations(**overrides):
    """The ex03 plot probe's outcome for a student whose answers are the slides' curves, but for `overrides`."""
    value = {name: {"ok": curve(GRID)} for name, curve in PLOT.curves.items()}
    return {"ex03_activations": {"value": {**value, **overrides}}}


HOSTILE = {
    "nan": ({"ok": np.full(GRID.size, np.nan)}, "returned nan or inf"),
    "inf": ({"ok": np.where(GRID > 0, np.inf, 0.0)}, "returned nan or inf"),
    "wrong shape": ({"ok": np.zeros((3, 4))}, "returned shape (3, 4)"),
    "giant": ({"ok": np.zeros(10**6)}, "more than a plot takes"),
    "exception": ({"error": "ZeroDivisionError"}, "raised ZeroDivisionError"),
    "object": ({"ok": Opaque("generator")}, "did not return numbers"),
    "huge values": ({"ok": np.full(GRID.size, 1e300)}, "too large to plot"),
    "text": ({"ok": "0.5"}, "did not return numbers"),
}


@pytest.mark.parametrize("kind", HOSTILE)
def test_a_hostile_series_drops_its_plot_with_a_one_line_note(kind):
    entry, reason = HOSTILE[kind]
    plots = {p["name"]: p for p in draw_plots(_activations(tanh_derivative=entry))}
    assert set(plots) == {f"ex03_activations.{f}" for f in ("sigmoid", "tanh", "relu", "leaky_relu", "elu")}
    assert "url" not in plots["ex03_activations.tanh"] and reason in plots["ex03_activations.tanh"]["note"]
    assert all(p["url"].startswith("data:image/png;base64,") for name, p in plots.items() if name != "ex03_activations.tanh")
    page = feedback_html({"student": "s", "score": 0, "max_score": 1, "functions": [], "plots": list(plots.values())}, "# s\n")
    assert page.count("<img ") == 4 and reason in page


def test_a_failed_probe_or_unknown_module_gives_notes_not_plots():
    plots = draw_plots({"ex03_activations": {"error": "the plots could not be made"}, "ex99_unknown": {"value": {}}})
    assert plots == [{"module": "ex03_activations", "name": "ex03_activations", "title": "ex03_activations",
                      "note": "no plots: the plots could not be made"}]


def test_the_failing_input_is_marked_where_it_falls_on_the_grid():
    failing = {"ex03_activations.sigmoid": {"z": np.array([[0.5, -7.0], [np.nan, 2.0]])}}
    assert _marks(failing, "ex03_activations.sigmoid", "z", GRID).tolist() == [0.5, 2.0]
    assert _marks({"ex03_activations.sigmoid": {"z": "junk"}}, "ex03_activations.sigmoid", "z", GRID).size == 0
    marked, plain = draw_plots(_activations(), failing)[0], draw_plots(_activations())[0]
    assert marked["url"] != plain["url"]


def test_the_page_escapes_the_students_text_and_fetches_nothing():
    hostile = "<script>alert(1)</script> ![x](http://tracker.example/p.png) [see](javascript:alert(1))"
    record = {"student": "<b>s</b>", "score": 0.0, "max_score": 1.0, "problems": {}, "functions": [
        {"function": "ex03_activations.sigmoid", "score": 0.0, "max_score": 1.0, "depends": [], "checks": [
            {"check": "matches_reference", "passed": False, "score": 0.0, "max_score": 1.0, "message": f"raised {hostile}",
             "hint": hostile}]}]}
    page = feedback_html(record)
    assert "<script" not in page and "<b>s</b>" not in page and "&lt;script&gt;" in page
    assert 'src="http' not in page and "<img" not in page and 'href="' not in page
    assert "raised" in page and "<table>" in page  # the markdown's structure, rendered


def test_every_plot_states_what_it_shows_in_numbers():
    """The image's text alternative: how far the student's curve is from the slides' one, and where."""
    off = {"ok": PLOT.curves["sigmoid"](GRID) + 0.03 * np.exp(-(np.asarray(GRID) - 4.0) ** 2)}
    plots = {p["name"]: p for p in draw_plots(_activations(sigmoid=off))}
    words = plots["ex03_activations.sigmoid"]["description"]
    assert "Your sigmoid differs from the slides' curve by at most 0.03, near z = 4." in words, words
    assert "Your sigmoid_derivative matches the slides' curve" in words
    page = feedback_html({"student": "s", "score": 0, "max_score": 1, "functions": [], "plots": list(plots.values())}, "# s\n")
    assert 'alt="Your sigmoid differs from the slides&#x27; curve by at most 0.03, near z = 4.' in page


def test_an_exploding_loss_is_drawn_on_a_log_scale_and_said_to_diverge():
    from grader.probes import ex02_gradient_descent as G

    steps = np.arange(G.PLOT_STEPS, dtype=float)
    histories = {"0.01": 10.0 * 0.9 ** steps, "0.05": 10.0 * 1e6 ** steps,
                 "0.15": np.where(steps < 5, 10.0 ** (50 * np.minimum(steps, 4)), np.inf)}
    plot, = draw_plots({"ex02_gradient_descent": {"value": {k: {"ok": v} for k, v in histories.items()}}})
    assert plot["url"].startswith("data:image/png;base64,"), plot
    words = plot["description"]
    assert "With lr = 0.01: the loss falls, from 10 to 0.164 after 40 steps." in words, words
    assert "With lr = 0.05: the loss grows (it diverges), from 10 to 1e+235 after 40 steps." in words, words
    assert "With lr = 0.15: the loss starts at 1 and is inf or nan from step 5 on (it diverges)." in words, words


def test_pass_and_fail_are_told_apart_without_an_emoji_font():
    record = {"student": "s", "score": 1.0, "max_score": 3.0, "problems": {}, "functions": [
        {"function": "ex03_activations.sigmoid", "score": 1.0, "max_score": 1.0, "depends": [], "checks": [
            {"check": "matches_reference", "passed": True, "score": 1.0, "max_score": 1.0}]},
        {"function": "ex03_activations.tanh", "score": 0.0, "max_score": 2.0, "depends": [], "checks": [
            {"check": "matches_reference", "passed": False, "score": 0.0, "max_score": 2.0, "message": "differs"}]}]}
    page = feedback_html(record)
    assert "✅" not in page and "❌" not in page
    assert 'aria-label="full points">✓</span> sigmoid' in page and 'aria-label="lost points">✗</span> tanh 0/2' in page
