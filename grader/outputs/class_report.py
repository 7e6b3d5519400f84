"""The class report: what an instructor reads before the next lecture.

Built from the records a batch already wrote (OUT/<student>/results.json, read one at a time by
the caller, so memory stays flat): OUT/summary.json (plain data), OUT/report.html (one self-contained page, plots inline) and a
short text for the terminal. Nothing here runs student code or reads the reference.
"""
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

from grader.outputs import figures
from grader.atomic import atomic_write
from grader.outputs.feedback_html import MODULE_TITLES
from grader.outputs.reteach import ReteachTally
from grader.outputs.safe_text import html_text, one_line

SUMMARY = "summary.json"
REPORT = "report.html"
TIMED_OUT = re.compile(r"timed out after")
MAX_NAMED = 20  # students named per mistake or problem in the report; the counts are complete


def class_summary(records):
    """Plain data for summary.json from the students' records (an iterable, in name order)."""
    scores, functions, checks = [], {}, {}
    mistakes, problems, timeouts, seconds = defaultdict(list), [], defaultdict(list), defaultdict(list)
    reteach = ReteachTally(MODULE_TITLES)
    for record in records:
        reteach.add(record)
        student = record["student"]
        scores.append({"student": student, "score": record["score"], "max_score": record["max_score"],
                       "seconds": record.get("execution_time", 0.0)})
        for name, message in sorted((record.get("problems") or {}).items()):
            problems.append({"student": student, "module": name, "message": message})
        for function in record["functions"]:
            _count(functions, function["function"], function["score"] >= function["max_score"], function["max_score"])
            if (record.get("function_seconds") or {}).get(function["function"]):
                seconds[function["function"]].append(record["function_seconds"][function["function"]])
            for check in function["checks"]:
                _count(checks, f"{function['function']}:{check['check']}", check["passed"], check["max_score"])
                if check["passed"]:
                    continue
                if check.get("hint"):
                    mistakes[(function["function"], check["hint"])].append(student)
                if TIMED_OUT.search(check.get("message", "")):
                    timeouts[function["function"]].append(student)
    return {
        "students": len(scores),
        "reteach": reteach.rows(),
        "scores": scores,
        "max_score": max((s["max_score"] for s in scores), default=0.0),
        "functions": _rates(functions),
        "checks": _rates(checks),
        "mistakes": _mistakes(mistakes),
        "problems": problems,
        "timeouts": [{"function": f, "count": len(set(s)), "students": sorted(set(s))} for f, s in
                     sorted(timeouts.items(), key=lambda kv: (-len(set(kv[1])), kv[0]))],
        "slowest": sorted(scores, key=lambda s: (-s["seconds"], s["student"]))[:10],
        "slowest_functions": _slowest_functions(seconds),
    }


def _count(table, name, passed, points):
    entry = table.setdefault(name, {"passed": 0, "total": 0, "points": points})
    entry["passed"] += bool(passed)
    entry["total"] += 1


def _rates(table):
    """Pass rates, worst first (then by name, so the order is reproducible)."""
    rows = [{"name": name, "passed": e["passed"], "total": e["total"], "points": e["points"],
             "rate": round(e["passed"] / e["total"], 4) if e["total"] else 0.0} for name, e in table.items()]
    return sorted(rows, key=lambda r: (r["rate"], r["name"]))


def _slowest_functions(seconds):
    """The functions whose runs took longest, by their mean over the class (the time limits' guide)."""
    rows = [{"function": f, "mean_s": round(sum(s) / len(s), 3), "max_s": max(s), "runs": len(s)} for f, s in seconds.items()]
    return sorted(rows, key=lambda r: (-r["mean_s"], r["function"]))[:10]


def _mistakes(found):
    """The most frequent diagnosed mistakes: one hint on one function, made by how many students."""
    rows = [{"function": function, "hint": hint, "count": len(set(students)), "students": sorted(set(students))}
            for (function, hint), students in found.items()]
    return sorted(rows, key=lambda r: (-r["count"], r["function"], r["hint"]))


def score_histogram(summary):
    """Counts of students per score bin: ten bins from 0 to the maximum score."""
    top = summary["max_score"] or 1.0
    counts = Counter(min(int(10 * s["score"] / top), 9) for s in summary["scores"])
    return [{"from": round(top * i / 10, 2), "to": round(top * (i + 1) / 10, 2), "count": counts.get(i, 0)} for i in range(10)]


# -- the terminal ---------------------------------------------------------------------------------

def terminal_text(summary, limit=50):
    """Students and scores, then the problems: what `nngrade grade` prints when it is done."""
    scores = summary["scores"]
    names = [one_line(s["student"]) for s in scores[:limit]]  # a name or message never drives the terminal
    width = max([len("student")] + [len(name) for name in names])
    lines = [f"{'student':<{width}}  score"]
    lines += [f"{name:<{width}}  {s['score']:g} / {s['max_score']:g}" for name, s in zip(names, scores)]
    if len(scores) > limit:
        lines.append(f"... and {len(scores) - limit} more (grades.csv has every row)")
    if summary["problems"]:
        lines += ["", "problems:"]
        lines += [f"  {one_line(p['student'])}: {one_line(p['message'])}" for p in summary["problems"][:limit]]
        if len(summary["problems"]) > limit:
            lines.append(f"  ... and {len(summary['problems']) - limit} more (report.html lists them all)")
    if summary["timeouts"]:
        lines += ["", "timeouts:"]
        lines += [f"  {t['function']}: {t['count']} student(s)" for t in summary["timeouts"]]
    return "\n".join(lines)


# -- the page -------------------------------------------------------------------------------------

# Okabe-Ito colours (told apart with any colour vision); text colours meet WCAG AA contrast on white.
BLUE, VERMILLION = "#0072B2", "#D55E00"
CSS = """
body { font-family: system-ui, sans-serif; margin: 1.5em auto; max-width: 1100px; padding: 0 1em; color: #222; }
h1 { margin-bottom: 0.2em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ddd; } h3 { margin: 1.2em 0 0.3em; }
table { border-collapse: collapse; margin: 0.5em 0; } td { overflow-wrap: anywhere; } td, th { padding: 3px 10px; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
th { background: #f4f4f4; } td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.bar { display: inline-block; height: 0.8em; background: %s; } .low { background: %s; }
figure { margin: 0.5em 0; } img { max-width: 100%%; } .muted { color: #555; } .lead { font-size: 1.05em; }
ul.tight { margin: 0; padding-left: 1.1em; } details { margin: 0.6em 0; } summary { cursor: pointer; }
""" % (BLUE, VERMILLION)


def report_html(summary, similarity=False):
    """One self-contained page (inline CSS, plots as inline PNG): opens offline, needs no JavaScript.
    What to reteach first, then the distributions, then the files, timeouts and timings. similarity:
    link to similarity.html beside it (nngrade similarity)."""
    n = summary["students"]
    mean = sum(s["score"] for s in summary["scores"]) / n if n else 0.0
    parts = [f"<h1>Class report</h1><p class=\"lead\">{_plural(n, 'student')}, mean score {mean:.1f} / {summary['max_score']:g}. "
             f"{_problem_line(summary)}</p>",
             '<p><a href="similarity.html">Shared code between students</a> (evidence to look at)</p>' if similarity else "",
             '<h2 id="reteach">What to reteach</h2>', _reteach_html(summary.get("reteach") or []),
             '<h2 id="distribution">Score distribution</h2>', _figure(_histogram_png, summary, _histogram_alt(summary)),
             '<h2 id="functions">Pass rates per function (worst first)</h2>', _rates_table(summary["functions"], "function"),
             "<details><summary>Pass rates per check (worst first)</summary>", _rates_table(summary["checks"], "check"), "</details>",
             '<h2 id="problems">Problems with submitted files</h2>', _problems_table(summary["problems"]),
             '<h2 id="timeouts">Timeouts</h2>', _timeouts_table(summary["timeouts"]),
             '<h2 id="slow-functions">Slowest functions</h2>', _slow_functions_table(summary["slowest_functions"]),
             '<h2 id="slow-submissions">Slowest submissions</h2>', _slowest_table(summary["slowest"]),
             '<h2 id="scores">Scores</h2>', _scores_table(summary["scores"])]
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>nngrade class report</title>"
            f"<style>{CSS}</style></head><body><main>{''.join(parts)}</main></body></html>\n")


def _problem_line(summary):
    files, timeouts = len({p["student"] for p in summary["problems"]}), sum(t["count"] for t in summary["timeouts"])
    if not files and not timeouts:
        return "Every file imported; no timeouts."
    return (f'<a href="#problems">{_plural(files, "student")} with file problems</a>, '
            f'<a href="#timeouts">{_plural(timeouts, "timeout")}</a>.')


def _plural(n, word):
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _e(text):
    return html_text(text)


def _short(function):
    return function.split(".", 1)[-1]


def _reteach_html(modules):
    """Per exercise: its mean, then each function where failures start, with the mistakes diagnosed there."""
    if not modules:
        return '<p class="muted">no students graded</p>'
    parts = ['<p class="muted">Each failure is counted once, at the function where it starts: a function that failed while a '
             'function it calls failed too is listed under that one ("also failing"). Functions left as stubs '
             "count as not answered.</p>"]
    parts.append(_top_failures(modules))
    clean = [m for m in modules if not m["failures"] and not m["not_answered"]]
    for module in modules:
        if module["failures"] or module["not_answered"]:
            parts.append(_module_html(module))
    if clean:
        parts.append("<p>No failures: " + ", ".join(_e(m["title"]) + f" (mean {m['mean']:.1f} / {m['points']:g})" for m in clean)
                     + ".</p>")
    return "".join(parts)


def _top_failures(modules, limit=5):
    """The functions where most students' failures start, over every exercise: the first thing to reteach."""
    failures = sorted((f for m in modules for f in m["failures"]), key=lambda f: (-f["count"], f["function"]))[:limit]
    if not failures:
        return "<p>No failures: every answered function earned full points.</p>"
    items = "".join(f"<li><strong>{_e(_short(f['function']))}</strong> ({_e(f['function'].split('.')[0])}): "
                    f"{_plural(f['count'], 'student')}" + (f", also failing because of it: {_e(_also(f))}" if f["also_failing"] else "")
                    + "</li>" for f in failures)
    return f"<p>Where most failures start:</p><ol>{items}</ol>"


def _also(failure):
    return ", ".join(f"{_short(a['function'])} ({a['count']})" for a in failure["also_failing"])


def _module_html(module):
    n = module["students"]
    head = (f"<h3>{_e(module['title'])}</h3><p>mean {module['mean']:.1f} / {module['points']:g}; "
            f"{module['full_marks']} of {n} students with full points")
    if module["not_answered"]:
        head += f"; not answered (a stub left) by {len(module['not_answered'])}: {_e(_names(module['not_answered']))}"
    rows = [[_td(_short(f["function"])), _td(f["count"], True), f"<td>{_mistakes_list(f)}</td>", _td(_also(f) or "none")]
            for f in module["failures"]]
    table = _table(["function where failures start", "students", "mistakes diagnosed (the hint students got): students",
                    "also failing because of it (students)"], rows) if rows else ""
    return head + ".</p>" + table


def _mistakes_list(failure):
    items = [f"<li>{_e(m['hint'])}: <strong>{m['count']}</strong> ({_e(_names(m['students']))})</li>" for m in failure["mistakes"]]
    if failure["undiagnosed"]:
        checks = ", ".join(f"{c['check']} ({c['count']})" for c in failure["checks"])
        items.append(f"<li>no known mistake recognised (failed checks: {_e(checks)}): <strong>{len(failure['undiagnosed'])}</strong> "
                     f"({_e(_names(failure['undiagnosed']))})</li>")
    return f'<ul class="tight">{"".join(items)}</ul>'


def _figure(draw, summary, alt):
    """An inline PNG; without matplotlib, the page says so and keeps its tables."""
    try:
        png = draw(summary)
    except ImportError as exc:
        return f'<p class="muted">({_e(alt)}: no plot, {_e(exc)})</p>'
    return figures.img_tag(figures.data_url(png), alt)


def _table(header, rows, caption=None):
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in header)
    body = "".join("<tr>" + "".join(rows_cell for rows_cell in row) + "</tr>" for row in rows)
    cap = f'<caption class="muted">{_e(caption)}</caption>' if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>" if rows else '<p class="muted">none</p>'


def _td(value, num=False):
    return f'<td class="num">{_e(value)}</td>' if num else f"<td>{_e(value)}</td>"


def _names(students):
    shown = ", ".join(students[:MAX_NAMED])
    return shown + (f" and {len(students) - MAX_NAMED} more" if len(students) > MAX_NAMED else "")


def _rates_table(rows, what):
    """Each rate as a number and as a bar (the table is the chart: no copy of it beside)."""
    def bar(rate):
        return (f'<td><span class="bar{" low" if rate < 0.5 else ""}" style="width:{int(120 * rate)}px" '
                f'aria-hidden="true"></span></td>')
    return _table(["exercise", what, "passed", "of", "rate", "bar"],
                  [[_td(r["name"].split(".")[0]), _td(_short(r["name"])), _td(r["passed"], True), _td(r["total"], True),
                    _td(f"{100 * r['rate']:.0f} %", True), bar(r["rate"])] for r in rows])
def _problems_table(rows):
    return _table(["student", "file", "problem"], [[_td(p["student"]), _td(p["module"]), _td(p["message"])] for p in rows])


def _timeouts_table(rows):
    return _table(["function", "students", "who"], [[_td(t["function"]), _td(t["count"], True), _td(_names(t["students"]))] for t in rows])


def _slowest_table(rows):
    return _table(["student", "seconds"], [[_td(s["student"]), _td(f"{s['seconds']:.2f}", True)] for s in rows])


def _slow_functions_table(rows):
    return _table(["function", "mean s", "max s", "runs"],
                  [[_td(r["function"]), _td(f"{r['mean_s']:.2f}", True), _td(f"{r['max_s']:.2f}", True), _td(r["runs"], True)]
                   for r in rows])


def _scores_table(rows):
    return _table(["student", "score", "of"], [[_td(s["student"]), _td(f"{s['score']:g}", True), _td(f"{s['max_score']:g}", True)]
                                              for s in rows])


def _histogram_png(summary):
    from matplotlib.ticker import MaxNLocator

    bins = score_histogram(summary)
    fig = figures.new_figure(7, 2.6)
    ax = fig.add_subplot()
    ax.bar([b["from"] for b in bins], [b["count"] for b in bins], width=(summary["max_score"] or 1.0) / 10,
           align="edge", color=BLUE, edgecolor="white")
    ax.set_xlabel(f"score (out of {summary['max_score']:g})")
    ax.set_ylabel("students")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # whole students
    ax.set_xlim(0, summary["max_score"] or 1.0)
    return figures.png(fig, dpi=90)


def _histogram_alt(summary):
    """The histogram in words, with its numbers (what a screen reader says instead of the image)."""
    bins = [b for b in score_histogram(summary) if b["count"]]
    counts = "; ".join(f"{b['from']:g} to {b['to']:g}: {b['count']}" for b in bins)
    return (f"Histogram of the scores of {_plural(summary['students'], 'student')}, out of {summary['max_score']:g}; "
            f"students per score range: {counts}.")


def write_class_report(out_dir, records):
    """Write OUT/summary.json and OUT/report.html from the students' records; returns the summary."""
    summary = class_summary(records)
    summary["histogram"] = score_histogram(summary)
    atomic_write(Path(out_dir) / SUMMARY, json.dumps(summary, indent=1, sort_keys=True) + "\n")
    atomic_write(Path(out_dir) / REPORT, report_html(summary, similarity=(Path(out_dir) / "similarity.html").is_file()))
    return summary
