"""A module's source as units (its functions, methods and the rest) of normalised tokens.

Normalised so that what a copier changes cheaply does not matter: comments, docstrings, blank
lines and spacing are dropped; every identifier the student chose becomes `V`, every number `N`
and every string `S`; what carries meaning stays (keywords, operators, builtins, attribute names
such as `.sum`, and imported modules under their real name, so `np.exp` and `numpy.exp` agree).
"""
import ast
import builtins
import io
import keyword
import re
import tokenize
from dataclasses import dataclass, field

KEPT = frozenset(dir(builtins)) | {"self"}
MODULE_LEVEL = "(module level)"
WHOLE_FILE = "(whole file, not valid Python)"
SOLUTION_REGION = re.compile(r"^[ \t]*### BEGIN SOLUTION.*?^[ \t]*### END SOLUTION[^\n]*\n?", re.S | re.M)
SKIPPED = {tokenize.COMMENT, tokenize.NL, tokenize.ENCODING, tokenize.ENDMARKER}
MARKS = {tokenize.NEWLINE: ";", tokenize.INDENT: "{", tokenize.DEDENT: "}"}


@dataclass
class Unit:
    module: str
    name: str  # "sigmoid", "XorNet.forward", MODULE_LEVEL
    first_line: int  # 1-based, inclusive: where the unit's code is shown from
    last_line: int
    tokens: list = field(default_factory=list)  # normalised token texts
    rows: list = field(default_factory=list)  # the source line of each token

    @property
    def label(self):
        return f"{self.module}.{self.name}"


def module_units(module, source):
    """The units of one module's source with at least one token (never raises on any text)."""
    tokens = _raw_tokens(source)
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):  # what the parser raises besides SyntaxError
        last = max(source.count("\n") + 1, 1)
        units = [Unit(module, WHOLE_FILE, 1, last)]
        _fill(units, [0] * (last + 2), tokens, {}, set())
        return [u for u in units if u.tokens]
    units, owner = _spans(module, tree, source.count("\n") + 2)
    doc_rows, imports = _docstrings_and_imports(tree)
    _fill(units, owner, tokens, imports, doc_rows)
    return [u for u in units if u.tokens]


def given_code(source):
    """A reference module with its solution regions cut out: the code every student is given."""
    return SOLUTION_REGION.sub("", source)


_STRING = "[rRbBuUfF]{0,2}(?:" + "|".join([
    "'''[\\s\\S]*?'''",
    '"""[\\s\\S]*?"""',
    "'(?:\\\\.|[^'\\\\\\n])*'",
    '"(?:\\\\.|[^"\\\\\\n])*"',
]) + ")"
_PARTS = [
    ("STRING", _STRING),
    ("COMMENT", r"#[^\n]*"),
    ("NUMBER", r"0[xXoObB][0-9a-fA-F_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?[jJ]?"),
    ("NAME", r"[^\W\d]\w*"),
    ("CONTINUATION", r"\\\r?\n"),
    ("NEWLINE", r"\r?\n"),
    ("SPACE", r"[ \t\f\r]+"),
    ("OP", r"\.\.\.|\*\*=|//=|>>=|<<=|->|\*\*|//|<<|>>|<=|>=|==|!=|:=|[-+*/%&|^@]=|."),
]
LEXICON = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _PARTS))
KINDS = {"STRING": tokenize.STRING, "NUMBER": tokenize.NUMBER, "NAME": tokenize.NAME, "OP": tokenize.OP}
OPENING, CLOSING = frozenset("([{"), frozenset(")]}")


def _raw_tokens(source):
    """(type, text, first row, last row) of every token, as Python's tokenize gives them (logical
    NEWLINE, INDENT and DEDENT included) but in one regular-expression pass, several times faster,
    and never failing: what is not Python is read as single characters."""
    out, indents, depth, row, line_start, at_start = [], [0], 0, 1, 0, True
    for match in LEXICON.finditer(source):
        kind, text = match.lastgroup, match.group()
        if kind == "NEWLINE" or kind == "CONTINUATION":
            if kind == "NEWLINE" and depth == 0 and not at_start:
                out.append((tokenize.NEWLINE, "", row, row))
                at_start = True
            row, line_start = row + 1, match.end()
            continue
        if kind == "SPACE" or kind == "COMMENT":
            continue
        if at_start:
            column = len(source[line_start:match.start()].expandtabs(8))
            if column > indents[-1]:
                indents.append(column)
                out.append((tokenize.INDENT, "", row, row))
            while column < indents[-1]:
                indents.pop()
                out.append((tokenize.DEDENT, "", row, row))
            at_start = False
        lines = text.count("\n")
        out.append((KINDS[kind], text, row, row + lines))
        if lines:
            row, line_start = row + lines, match.start() + text.rindex("\n") + 1
        if text in OPENING:
            depth += 1
        elif text in CLOSING and depth:
            depth -= 1
    if not at_start:
        out.append((tokenize.NEWLINE, "", row, row))
    out.extend((tokenize.DEDENT, "", row, row) for _ in indents[1:])
    return out


def _spans(module, tree, rows):
    """Units for the top-level functions, classes and methods, and owner[row] = index of the unit
    holding that source row (everything else belongs to the module-level unit, index 0)."""
    units = [Unit(module, MODULE_LEVEL, 1, rows - 1)]
    owner = [0] * (rows + 1)

    def claim(name, node):
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        units.append(Unit(module, name, first, node.end_lineno))
        for row in range(first, min(node.end_lineno, rows) + 1):
            owner[row] = len(units) - 1

    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            claim(node.name, node)
        elif isinstance(node, ast.ClassDef):
            claim(node.name, node)
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    claim(f"{node.name}.{item.name}", item)
    return units, owner


def _docstrings_and_imports(tree):
    """(rows holding a docstring, {name bound by an import: the module's own name}), in one walk:
    `np` and `numpy` normalise alike."""
    rows, names = set(), {}
    for node in _statements(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                rows.update(range(first.lineno, first.end_lineno + 1))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                names[alias.asname or top] = alias.name if alias.asname else top
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                names[alias.asname or alias.name] = alias.name
    return rows, names


def _statements(tree):
    """Every statement node (and the module), without walking into expressions: docstrings and
    imports are statements, and expressions are most of a tree's nodes."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for name in ("body", "orelse", "finalbody", "handlers", "cases"):
            children = getattr(node, name, None)
            if isinstance(children, list):
                stack.extend(child for child in children if isinstance(child, ast.AST))


def _fill(units, owner, tokens, imports, doc_rows):
    previous = None
    for kind, text, first, last in tokens:
        if first in doc_rows and kind not in (tokenize.INDENT, tokenize.DEDENT):  # the block stays a block
            continue
        unit = units[owner[first] if first < len(owner) else 0]
        unit.tokens.append(_normal(kind, text, previous, imports))
        unit.rows.append(first)
        previous = text


def _normal(kind, text, previous, imports):
    if kind == tokenize.NAME:
        if previous == "." or text in KEPT or _is_keyword(text):
            return text
        return imports.get(text, "V")
    if kind == tokenize.NUMBER:
        return "N"
    if kind == tokenize.STRING:
        return "S"
    return MARKS.get(kind, text)


def _is_keyword(text):
    return keyword.iskeyword(text) or keyword.issoftkeyword(text)
