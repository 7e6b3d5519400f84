"""feedback.html: what feedback.md says, as one self-contained page, plus plots of the student's own code.

The text is feedback.md itself rendered to HTML (one wording, in grader.outputs.feedback), with everything
that came from the student's code escaped: no raw HTML, and links and images in the text are shown
as plain text, so the page never fetches anything and needs no JavaScript. The plots are the
record's "plots" (drawn by grader.outputs.feedback_plots), inline as data: PNGs.
"""
import re

from grader.outputs.feedback import feedback_markdown
from grader.outputs.safe_text import html_text

FEEDBACK_HTML = "feedback.html"
PNG_URL = re.compile(r"data:image/png;base64,[A-Za-z0-9+/]*={0,2}")  # the only image source a page holds
MODULE_TITLES = {
    "ex01_perceptron": "Exercise 1: the perceptron",
    "ex02_gradient_descent": "Exercise 2: gradient descent",
    "ex03_activations": "Exercise 3: activation functions",
    "ex04_mlp_forward": "Exercise 4: forward propagation",
    "ex05_backprop": "Exercise 5: backpropagation",
    "ex06_sgd": "Exercise 6: GD versus SGD",
    "ex07_torch": "Exercise 7: PyTorch",
}
CSS = """
body { font-family: system-ui, sans-serif; margin: 1.5em auto; max-width: 960px; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.3em; } h2 { margin-top: 1.5em; border-bottom: 1px solid #ddd; } h3 { margin-top: 1.2em; }
table { border-collapse: collapse; margin: 0.5em 0; } td, th { padding: 3px 10px; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
th { background: #f4f4f4; } code { background: #f4f4f4; padding: 0 3px; border-radius: 3px; }
pre { background: #f7f7f7; padding: 0.6em; white-space: pre-wrap; overflow-wrap: anywhere; } pre code { background: none; }
blockquote { margin: 0.5em 0; padding: 0.2em 1em; border-left: 4px solid #e0b040; background: #fdf8ea; }
figure { margin: 0.4em 0 1em; } figcaption { color: #444; font-size: 0.9em; } img { max-width: 100%; }
.note { color: #555; margin: 0.2em 0; } .pass { color: #0b6b2e; font-weight: bold; } .fail { color: #b00020; font-weight: bold; }
"""


def _markdown_to_html(text):
    import mistune

    class Renderer(mistune.HTMLRenderer):
        def link(self, text, url, title=None):  # a student's text could hold links: shown, never followed
            return f"{text} ({html_text(url)})"

        def image(self, text, url, title=None):  # nor fetched
            return html_text(f"[image: {text}]")

    return mistune.create_markdown(escape=True, renderer=Renderer(escape=True), plugins=["table"])(text)


def feedback_html(result, markdown=None):
    """The page; `markdown` is the record's feedback.md text if already rendered (and capped)."""
    body = _marks_as_text(_markdown_to_html(markdown if markdown is not None else feedback_markdown(result)))
    student = html_text(result["student"])
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Feedback for {student}</title>'
            f"<style>{CSS}</style></head><body>{body}{plots_html(result.get('plots') or [])}</body></html>\n")


# feedback.md's emoji marks as shapes any font has, with words for screen readers: without an emoji
# font (a headless browser, many Linux desktops) both emoji render as the same empty box.
MARKS = {"✅": '<span class="pass" role="img" aria-label="full points">✓</span>',
         "❌": '<span class="fail" role="img" aria-label="lost points">✗</span>'}


def _marks_as_text(body):
    for emoji, mark in MARKS.items():
        body = body.replace(emoji, mark)
    return body


def plots_html(plots):
    """The plots section: per exercise, each image with its caption, or the one line saying why it is missing."""
    if not plots:
        return ""
    parts, module = ["<h2>Plots of your code</h2>"], None
    for plot in plots:
        if plot["module"] != module:
            module = plot["module"]
            parts.append(f"<h3>{html_text(MODULE_TITLES.get(module, module))}</h3>")
        title = html_text(plot["title"])
        if PNG_URL.fullmatch(str(plot.get("url", ""))):
            words = html_text(plot.get("description") or plot["title"])
            parts.append(f'<figure data-plot="{html_text(plot["name"])}"><img alt="{words}" src="{plot["url"]}">'
                         f"<figcaption>{title}</figcaption></figure>")
        else:
            parts.append(f'<p class="note">{title}: {html_text(plot.get("note", "not plotted"))}</p>')
    return "".join(parts)
