"""The class report: what an instructor reads before the next lecture.

Built from the records a batch already wrote (OUT/<student>/results.json, read one at a time by
the caller, so memory stays flat): OUT/summary.json (plain data), OUT/report.html (one self-contained page, plots inline) and a
short text for the terminal. Nothing here runs student code or reads the reference.
"""
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

from grader import figures
from grader.reports import atomic_write
from grader.safe_text import html_text, one_line

SUMMARY = "summary.json"
REPORT = "report.html"
TIMED_OUT = re.compile(r"timed out after")
MAX_NAMED = 20  # students named per mistake or problem in the report; the counts are complete


def class_summary(records):
    """Plain data for summary.json from the students' records (an iterable, in name order)."""
    scores, functions, checks = [], {}, {}
    mistakes, problems, timeouts, seconds = defaultdict(list), [], defaultdict(list), defaultdict(list)
    for record in records:
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

CSS = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
h1 { margin-bottom: 0.2em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 0.5em 0; } td, th { padding: 3px 10px; border-bottom: 1px solid #eee; text-align: left; }
th { background: #f4f4f4; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.bar { display: inline-block; height: 0.8em; background: #4a7fc1; } .low { background: #c14a4a; }
figure { margin: 0.5em 0; } img { max-width: 100%; } .muted { color: #777; }
"""


def report_html(summary, similarity=False):
    """One self-contained page (inline CSS, plots as inline PNG): opens offline, needs no JavaScript.
    similarity: link to similarity.html beside it (nngrade similarity)."""
    n = summary["students"]
    mean = sum(s["score"] for s in summary["scores"]) / n if n else 0.0
    shared = '<p><a href="similarity.html">Shared code between students</a> (evidence to look at)</p>' if similarity else ""
    parts = [f"<h1>Class report</h1><p>{n} students, mean score {mean:.1f} / {summary['max_score']:g}</p>{shared}",
             "<h2>Score distribution</h2>", _figure(_histogram_png, summary, "histogram of the class's scores"),
             "<h2>Pass rates per function (worst first)</h2>", _figure(_rates_png, summary, "pass rate per function"),
             _rates_table(summary["functions"], "function"),
             "<h2>Pass rates per check (worst first)</h2>", _rates_table(summary["checks"], "check"),
             "<h2>Most frequent mistakes</h2>", _mistakes_table(summary["mistakes"]),
             "<h2>Problems with submitted files</h2>", _problems_table(summary["problems"]),
             "<h2>Timeouts</h2>", _timeouts_table(summary["timeouts"]),
             "<h2>Slowest functions</h2>", _slow_functions_table(summary["slowest_functions"]),
             "<h2>Slowest submissions</h2>", _slowest_table(summary["slowest"]),
             "<h2>Scores</h2>", _scores_table(summary["scores"])]
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>nngrade class report</title>"
            f"<style>{CSS}</style></head><body>{''.join(parts)}</body></html>\n")


def _e(text):
    return html_text(text)


def _figure(draw, summary, alt):
    """An inline PNG; without matplotlib, the page says so and keeps its tables."""
    try:
        png = draw(summary)
    except ImportError as exc:
        return f'<p class="muted">({_e(alt)}: no plot, {_e(exc)})</p>'
    return figures.img_tag(figures.data_url(png), alt)


def _table(header, rows):
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(rows_cell for rows_cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>" if rows else '<p class="muted">none</p>'


def _td(value, num=False):
    return f'<td class="num">{_e(value)}</td>' if num else f"<td>{_e(value)}</td>"


def _names(students):
    shown = ", ".join(students[:MAX_NAMED])
    return shown + (f" and {len(students) - MAX_NAMED} more" if len(students) > MAX_NAMED else "")


def _rates_table(rows, what):
    def bar(rate):
        return f'<td><span class="bar{" low" if rate < 0.5 else ""}" style="width:{int(120 * rate)}px"></span></td>'
    return _table([what, "passed", "of", "rate", ""],
                  [[_td(r["name"]), _td(r["passed"], True), _td(r["total"], True), _td(f"{100 * r['rate']:.0f} %", True),
                    bar(r["rate"])] for r in rows])


def _mistakes_table(rows):
    return _table(["function", "mistake (the hint students got)", "students", "who"],
                  [[_td(r["function"]), _td(r["hint"]), _td(r["count"], True), _td(_names(r["students"]))] for r in rows])


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
    bins = score_histogram(summary)
    fig = figures.new_figure(7, 2.8)
    ax = fig.add_subplot()
    ax.bar([b["from"] for b in bins], [b["count"] for b in bins], width=(summary["max_score"] or 1.0) / 10,
           align="edge", color="#4a7fc1", edgecolor="white")
    ax.set_xlabel("score")
    ax.set_ylabel("students")
    ax.set_xlim(0, summary["max_score"] or 1.0)
    return figures.png(fig, dpi=90)


def _rates_png(summary):
    rows = summary["functions"]
    fig = figures.new_figure(7, 0.25 * len(rows) + 0.8)
    ax = fig.add_subplot()
    ax.barh([r["name"] for r in rows], [100 * r["rate"] for r in rows],
            color=["#c14a4a" if r["rate"] < 0.5 else "#4a7fc1" for r in rows])
    ax.invert_yaxis()  # worst at the top, as in the table
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of students with full points")
    ax.tick_params(axis="y", labelsize=7)
    return figures.png(fig, dpi=90)


def write_class_report(out_dir, records):
    """Write OUT/summary.json and OUT/report.html from the students' records; returns the summary."""
    summary = class_summary(records)
    summary["histogram"] = score_histogram(summary)
    atomic_write(Path(out_dir) / SUMMARY, json.dumps(summary, indent=1, sort_keys=True) + "\n")
    atomic_write(Path(out_dir) / REPORT, report_html(summary, similarity=(Path(out_dir) / "similarity.html").is_file()))
    return summary
