"""Disguised copies, as a copier would make them, for the kit's tests and the benchmark: local
names renamed, comments and spacing changed, functions reordered, one function pasted in."""
import ast
import io
import re
import tokenize


def renamed(source, prefix="my_"):
    """Every name the module's functions assign or take as arguments gets another name."""
    tree = ast.parse(source)
    top = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    local = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            local.add(node.id)
        elif isinstance(node, ast.arg):
            local.add(node.arg)
    local -= top | {"self"}
    out, previous = [], None
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        text = tok.string
        if tok.type == tokenize.NAME and text in local and previous != ".":
            text = prefix + text.lower()
        out.append(tok._replace(string=text))
        previous = tok.string
    return tokenize.untokenize(out)


def recommented(source, note="# step"):
    """Comments replaced by others, blank lines doubled, spaces after commas dropped, docstrings kept."""
    lines = []
    for line in source.splitlines():
        code = _without_comment(line)
        if code.strip() and code.strip().endswith(":"):
            code += "  " + note
        lines.append(re.sub(r",\s+(?=[\w(\[])", ",", code) if '"' not in code and "'" not in code else code)
        if not code.strip():
            lines.append("")
    return "\n".join(lines) + "\n"


def _without_comment(line):
    """The line without a trailing comment (a # inside a string stays)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(line + "\n").readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return line
    for tok in tokens:
        if tok.type == tokenize.COMMENT:
            return line[:tok.start[1]].rstrip()
    return line


def reordered(source):
    """The module's top-level functions and classes in reverse order (imports and the rest first)."""
    tree = ast.parse(source)
    lines = source.splitlines()
    defs = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    if not defs:
        return source
    head = "\n".join(lines[:_first_line(defs[0]) - 1]).rstrip()
    blocks = ["\n".join(lines[_first_line(n) - 1:n.end_lineno]) for n in defs]
    return head + "\n\n\n" + "\n\n\n".join(reversed(blocks)) + "\n"


def with_function(source, donor, name):
    """source with its top-level function `name` replaced by donor's (pasted in as it was)."""
    def span(text):
        for node in ast.parse(text).body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
                return _first_line(node), node.end_lineno
        raise ValueError(f"no top-level {name} in the module")

    lines, donor_lines = source.splitlines(), donor.splitlines()
    first, last = span(source)
    d_first, d_last = span(donor)
    return "\n".join(lines[:first - 1] + donor_lines[d_first - 1:d_last] + lines[last:]) + "\n"


def _first_line(node):
    return min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
