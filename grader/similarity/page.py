"""similarity.html: the report's data as one self-contained page (inline CSS, no JavaScript).

Every text from a submission is escaped; shared lines are marked by a `>` in their own column
and by their highlight, so the page does not rely on colour alone.
"""
import html

MAX_DETAILED = 60  # pairs shown with their code; the tables list every pair

CSS = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1200px; color: #222; padding: 0 1em; }
h2 { margin-top: 1.6em; border-bottom: 1px solid #ddd; } h3 { margin-top: 1.4em; }
table { border-collapse: collapse; margin: 0.5em 0; } td, th { padding: 3px 10px; border-bottom: 1px solid #eee;
  text-align: left; vertical-align: top; } th { background: #f4f4f4; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.code { width: 100%; table-layout: fixed; } table.code td { padding: 0; }
pre { margin: 0; font-size: 0.85em; white-space: pre-wrap; overflow-wrap: anywhere; line-height: 1.35; }  /* wraps: no scrolled region a keyboard cannot reach */
.shared { background: #fff0a8; font-weight: 600; } .note { color: #444; } .muted { color: #595959; }
"""


def similarity_html(data):
    parts = [f"<h1>Shared code between students</h1><p class=\"note\">{_e(data['about'])}</p>",
             f"<p>{data['students']} students compared"
             + (f", and with {data['archived_students']} submission(s) from earlier terms" if data["archived_students"] else "")
             + f". A shared region counts with its weighted tokens less {_e(data['settings']['chance'])} (what "
               f"independent students may write alike); a pair is listed from an evidence of "
               f"{_e(data['settings']['min_pair'])} on.</p>",
             "<h2>Groups sharing the same unusual code</h2>", _clusters_table(data["clusters"]),
             "<h2>Pairs in this class</h2>", _pairs_table(data["pairs"], "pair"),
             "<h2>Pairs with earlier terms</h2>", _pairs_table(data["archive_pairs"], "archive")]
    problems = data.get("problems") or []
    parts += ["<h2>Submissions not read</h2>",
              _table(["student", "why"], [[_td(p["student"]), _td(p["problem"])] for p in problems])]
    parts += ["<h2>Shared code, pair by pair</h2>",
              "<p class=\"note\">Each pair's functions side by side; shared lines are highlighted and marked "
              "with <code>&gt;</code> in the column before the code.</p>"]
    parts += _details(data["pairs"], "pair") + _details(data["archive_pairs"], "archive")
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>nngrade: shared code between "
            f"students</title><style>{CSS}</style></head><body><main>{''.join(parts)}</main></body></html>\n")


def _e(text):
    return html.escape(str(text))


def _table(header, rows, caption=None):
    if not rows:
        return '<p class="muted">none</p>'
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in header)
    body = "".join("<tr>" + "".join(row) + "</tr>" for row in rows)
    cap = f"<caption>{_e(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _td(value, num=False):
    return f'<td class="num">{_e(value)}</td>' if num else f"<td>{_e(value)}</td>"


def _functions(pair):
    names = []
    for m in pair["matches"]:
        a, b = m["a"]["function"], m["b"]["function"]
        names.append(a if a == b else f"{a} / {b}")
    return ", ".join(names)


def _pairs_table(pairs, kind):
    rows = []
    for rank, pair in enumerate(pairs, 1):
        a, b = pair["students"]
        who = (f'<a href="#{kind}-{rank}">{_e(a)} and {_e(b)}</a>' if rank <= MAX_DETAILED else f"{_e(a)} and {_e(b)}")
        rows.append([_td(rank, True), f"<td>{who}</td>", _td(f"{pair['evidence']:g}", True), _td(_functions(pair))])
    return _table(["rank", "students", "evidence", "functions sharing unusual code"], rows)


def _clusters_table(clusters):
    return _table(["students", "pairs", "evidence", "functions"],
                  [[_td(", ".join(c["students"])), _td(c["pairs"], True), _td(f"{c['evidence']:g}", True),
                    _td(", ".join(c["functions"]))] for c in clusters])


def _details(pairs, kind):
    out = []
    for rank, pair in enumerate(pairs[:MAX_DETAILED], 1):
        a, b = pair["students"]
        where = " (earlier term)" if kind == "archive" else ""
        out.append(f'<h3 id="{kind}-{rank}">{_e(a)} and {_e(b)}{_e(where)}: evidence {pair["evidence"]:g}</h3>')
        for m in pair["matches"]:
            out.append(f"<h4>{_e(m['a']['function'])} and {_e(m['b']['function'])}: evidence {m['evidence']:g}</h4>")
            out.append('<table class="code"><thead><tr>'
                       f'<th scope="col">{_e(a)}: {_e(m["a"]["function"])}</th>'
                       f'<th scope="col">{_e(b)}: {_e(m["b"]["function"])}</th></tr></thead>'
                       f"<tbody><tr><td>{_code(m['a'])}</td><td>{_code(m['b'])}</td></tr></tbody></table>")
    return out


def _code(side):
    shared = set()
    for first, last in side["shared_lines"]:
        shared.update(range(first, last + 1))
    lines = []
    for number, text in enumerate(side["code"].split("\n"), side["first_line"]):
        mark = ">" if number in shared else " "
        line = f"{mark} {number:4d}  {_e(text)}"
        lines.append(f'<span class="shared">{line}</span>' if number in shared else line)
    return "<pre>" + "\n".join(lines) + "</pre>"
