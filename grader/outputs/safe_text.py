"""Text a student controls, made inert wherever it lands: one place for every writer.

A student controls their folder name, every exception message and printed or returned value of
their code, and so every message, input, expected/got line and problem of their record. Such text
must never become markup or a terminal command:

- plain(): control characters removed except newline and tab (no ESC[2J, no OSC window title or
  OSC 52 clipboard write, no carriage return overwriting a line), nor the invisible Unicode
  formatting characters that reorder or hide text (bidi overrides, zero-width marks). Before any
  terminal, CSV or page.
- one_line(): plain() on one line (newlines and tabs as spaces): a terminal line, a table cell.
- html_text(): plain() escaped for HTML text and attribute values.
- md_code() / md_block(): markdown that shows the text literally: a code span for one line, a
  fenced block for several. A code span or a fence longer than any run of backticks or tildes
  inside can be closed by nothing the text holds, so it cannot start a heading, a link, an image,
  raw HTML or a "**Score: 83 / 83**" line of its own.
"""
import html
import re

# C0 and C1 controls but newline and tab; DEL; line/paragraph separators; bidi embeddings,
# overrides and isolates; zero-width and invisible formatting marks; the BOM.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e"
                     "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\ufff9-\ufffb]")
_BLANKS = re.compile(r"[\n\t]+")


def plain(text):
    """str(text) without control or invisible formatting characters (newline and tab kept)."""
    return _UNSAFE.sub("", text if isinstance(text, str) else str(text))


def one_line(text):
    """plain(text) on one line: newlines and tabs become single spaces."""
    return _BLANKS.sub(" ", plain(text)).strip()


def html_text(text):
    """plain(text) escaped for HTML (text and quoted attribute values)."""
    return html.escape(plain(text), quote=True)


def _longest_run(text, char):
    return max((len(m) for m in re.findall(f"{re.escape(char)}+", text)), default=0)


def md_code(text):
    """One line of student text as a markdown code span (newlines become spaces)."""
    text = one_line(text)
    if not text:
        return "` `"
    fence = "`" * (_longest_run(text, "`") + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or text.startswith(" ") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def md_block(text, indent="", info="text"):
    """Student text as a fenced markdown block, every line indented by `indent` (inside a list item)."""
    body = plain(text).split("\n")
    fence = "`" * max(3, _longest_run("\n".join(body), "`") + 1)
    return [f"{indent}{fence}{info}", *[f"{indent}{line}" for line in body], f"{indent}{fence}"]


def md_text(text, indent=""):
    """Student text shown literally: a code span when it is one line, else a fenced block on the
    lines below (returned as the inline part and the block lines)."""
    text = plain(text)
    if "\n" not in text.strip("\n"):
        return md_code(text), []
    return "", md_block(text.strip("\n"), indent)


# Markdown's inline punctuation (and nbconvert's $ math): escaped in prose the kit writes around
# student values, so such prose stays one paragraph of plain words.
_MD_PUNCTUATION = re.compile(r"([\\`*_{}\[\]<>()#+!|~&$])")


def md_prose(text):
    """One line of text as markdown prose that renders as itself (no markup of its own)."""
    return _MD_PUNCTUATION.sub(r"\\\1", one_line(text))
