"""Whatever a student's code or folder name says stays text: in markdown (feedback.md, Gradescope's
output, nbgrader's comments) it forges no heading, score, link or image; in HTML (feedback.html,
report.html) no script runs and nothing is fetched, in a real browser; on the terminal no control
sequence arrives. And malformed plot data drops only its plot."""
import re

import numpy as np
import pytest

from helpers.browser import PWNED, assert_inert, dump_dom, hostile_text, needs_chromium, request_listener
from grader.outputs.class_report import terminal_text, write_class_report
from grader.outputs.feedback import feedback_markdown, summary_markdown
from grader.outputs.feedback_html import feedback_html
from grader.outputs.feedback_plots import draw_plots
from grader.nbgrader.autograded import function_comment, verdict_output
from grader.outputs.reports import gradescope_results
from grader.outputs.safe_text import md_block, md_code, one_line, plain

URL = "http://127.0.0.1:9"
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]")
# a folder name: anything but "/" and NUL
HOSTILE_NAME = ("<script>document.body.setAttribute('data-pwned','1')</script>"
                "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">`# **Score: 83 / 83**`"
                "\x1b]0;title\x07\rmallory")


def hostile_record(text, name=HOSTILE_NAME):
    """A graded record with `text` in every field the student's code controls."""
    failed = {"passed": False, "score": 0.0, "message": f"raised ValueError: {text}", "input": f"z = {text}",
              "expected": text, "got": text, "hint": "the sign is flipped"}
    return {"student": name, "score": 3.0, "max_score": 6.0, "execution_time": 0.5, "fingerprint": "f",
            "problems": {"ex01_perceptron": f"ex01_perceptron.py could not be imported: {text}"},
            "notices": [], "function_seconds": {},
            "functions": [
                {"function": "ex03_activations.sigmoid", "visibility": "visible", "score": 0.0, "max_score": 3.0,
                 "depends": [], "called": [], "checks": [{**failed, "check": "matches_reference", "max_score": 2.0},
                                                         {**failed, "check": "extreme_inputs", "max_score": 1.0,
                                                          "message": text}]},
                {"function": "ex03_activations.tanh", "visibility": "visible", "score": 3.0, "max_score": 3.0,
                 "depends": [], "called": [], "checks": [{"check": "matches_reference", "passed": True, "score": 3.0,
                                                          "max_score": 3.0}]}],
            "plots": draw_plots({"ex03_activations": {"value": {"sigmoid": {"error": text}, "tanh": {"ok": text}}},
                                 "ex05_backprop": {"error": text}})}


def _rendered(markdown):
    """The markdown as nbconvert renders it for nbgrader's feedback (raw HTML passes through)."""
    from nbconvert.filters.markdown import markdown2html

    return markdown2html(markdown)


def _assert_only_text(rendered, headings=0):
    rendered = re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', "", rendered)  # nbconvert's own, on each heading
    assert len(re.findall(r"<h1\b", rendered)) == headings, rendered
    assert "Score: 83" not in re.sub(r"<code>.*?</code>|<pre>.*?</pre>", "", rendered, flags=re.S), rendered
    for tag in ("<img", "<script", "<iframe", "<svg", "<link", "<style", "<a ", "<math"):
        assert tag not in rendered.lower(), (tag, rendered)


@pytest.mark.parametrize("render", [feedback_markdown, summary_markdown,
                                    lambda r: gradescope_results(r)["output"],
                                    lambda r: function_comment(r["functions"][0], True)],
                         ids=["feedback.md", "summary", "gradescope output", "nbgrader comment"])
def test_markdown_shows_the_students_text_and_forges_nothing(render):
    markdown = render(hostile_record(hostile_text(URL), name="mallory\n\n# Score: 83 / 83"))
    assert not CONTROLS.search(markdown)
    _assert_only_text(_rendered(markdown), headings=markdown.startswith("# Feedback"))
    assert "&lt;script&gt;" in _rendered(markdown)  # shown, as text


def test_code_spans_and_blocks_cannot_be_closed_by_their_text():
    for text in ("`", "a``b", "```", "`x`", "````\n# h\n````", " lead", ""):
        span = md_code(text)
        fence = re.match(r"`+", span).group()
        assert span.endswith(fence) and fence not in span[len(fence):-len(fence)]
        block = md_block(text)
        fence = re.match(r"`+", block[0]).group()
        assert len(fence) >= 3 and block[-1] == fence and all(fence not in line for line in block[1:-1])


def test_notebook_outputs_carry_no_control_sequences():
    record = hostile_record(hostile_text(URL))
    output = verdict_output(record["functions"][0], record["functions"][0]["checks"][0], True)
    assert not any(CONTROLS.search(line) for line in output["traceback"]) and not CONTROLS.search(output["evalue"])


def test_the_terminal_gets_no_control_sequences():
    record = hostile_record("\x1b[2J\x1b]0;title\x07\x1b]52;c;aGVsbG8=\x07\rmallory 83 / 83")
    summary = {"scores": [{"student": record["student"], "score": 0.0, "max_score": 83.0}], "timeouts": [],
               "problems": [{"student": record["student"], "module": "ex01_perceptron",
                             "message": record["problems"]["ex01_perceptron"]}]}
    text = terminal_text(summary)
    assert not CONTROLS.search(text) and "mallory 83 / 83" in text  # shown, on its own line's end
    assert plain("a\tb\nc\x1b[31m\u202ed\x9b") == "a\tb\nc[31md" and one_line("a\n\tb") == "a b"


MALFORMED_BACKPROP = {
    "empty pieces": {"ok": {"grads": {"X": [1.0]}, "pieces": []}},
    "pieces not pairs": {"ok": {"grads": {"X": [1.0]}, "pieces": [["ok"], 3, None]}},
    "nested wrong": {"ok": {"grads": {"X": [[1.0], [2.0, 3.0]]}, "pieces": [["ok", [[1.0], [2.0, 3.0]]]]}},
    "wrong types": {"ok": {"grads": "X", "pieces": "ok"}},
    "missing keys": {"ok": {}},
    "not a dict": {"ok": [1, 2, 3]},
    "error text": {"error": "<script>x</script>"},
}


@pytest.mark.parametrize("kind", MALFORMED_BACKPROP)
def test_malformed_plot_data_drops_only_its_plot(kind):
    entry = MALFORMED_BACKPROP[kind]
    plots = draw_plots({"ex05_backprop": {"value": {"dense_backward": entry, "mlp_backward": entry}},
                        "ex03_activations": {"value": {"sigmoid": {"ok": np.zeros(3)}}},
                        "ex02_gradient_descent": {"value": []}, "ex04_mlp_forward": {"value": {"surface": {"ok": {}}}},
                        "ex06_sgd": "junk", "ex07_torch": {"value": {"surface": {"ok": [[1, [2]]]}}}})
    assert plots and all("note" in p and "url" not in p for p in plots), plots
    assert {p["module"] for p in plots} >= {"ex05_backprop", "ex02_gradient_descent", "ex06_sgd", "ex07_torch"}
    page = feedback_html({**hostile_record("x"), "plots": plots})
    assert "not plotted" in page and "<script>" not in page


# ---- in a real browser ---------------------------------------------------------------------------

@needs_chromium
def test_the_listener_sees_a_fetch_and_the_dom_a_script(tmp_path):
    """The control for the checks below: an unescaped page does run the script and fetch."""
    with request_listener() as (url, requests):
        page = tmp_path / "control.html"
        page.write_text(f"<!DOCTYPE html><html><body><p>{hostile_text(url)}</p></body></html>")
        dom = dump_dom(page)
    assert PWNED in dom and requests


@needs_chromium
def test_feedback_html_runs_no_script_and_fetches_nothing(tmp_path):
    with request_listener() as (url, requests):
        page = tmp_path / "feedback.html"
        page.write_text(feedback_html(hostile_record(hostile_text(url))), encoding="utf-8")
        dom = dump_dom(page)
    assert_inert(dom, requests)
    assert "Score: 83 / 83" in dom  # the student's text is there, as text


@needs_chromium
def test_report_html_runs_no_script_and_fetches_nothing(tmp_path):
    with request_listener() as (url, requests):
        text = hostile_text(url)
        records = [hostile_record(text), {**hostile_record(text, name=f"{HOSTILE_NAME}2"), "score": 6.0}]
        for record in records:  # the hint is the class report's "mistake" column
            record["functions"][0]["checks"][0]["hint"] = text
        write_class_report(tmp_path, records)
        dom = dump_dom(tmp_path / "report.html")
    assert_inert(dom, requests)
    assert "mallory" in dom
