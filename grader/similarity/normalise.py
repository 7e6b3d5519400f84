"""A module's source as units (its functions, methods and the rest) of normalised tokens.

Normalised so that what a copier changes cheaply does not matter: comments, docstrings, blank
lines and spacing are dropped; every identifier the student chose becomes `V`, every number `N`
and every string `S`; what carries meaning stays (keywords, operators, builtins, attribute names
such as `.sum`, and imported modules under their real name, so `np.exp` and `numpy.exp` agree).
"""
import builtins
import keyword
import re
import tokenize
from dataclasses import dataclass, field

KEPT = frozenset(dir(builtins)) | {"self"}
MODULE_LEVEL = "(module level)"
SOLUTION_REGION = re.compile(r"^[ \t]*### BEGIN SOLUTION.*?^[ \t]*### END SOLUTION[^\n]*\n?", re.S | re.M)
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
    """The units of one module's source with at least one token (never raises on any text; a
    function that is not valid Python is still compared by its tokens)."""
    tokens = _raw_tokens(source)
    lines = _logical_lines(tokens)
    units, owner = _spans(module, lines, source.count("\n") + 2)
    doc_rows, imports = _docstrings_and_imports(lines)
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
TOP_DEFINITION = re.compile(r"(?:async[ \t]+)?def[ \t]|class[ \t]")
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
            if kind == "NEWLINE" and depth and TOP_DEFINITION.match(source, match.end()):
                depth = 0  # a bracket left open: a def or class at column 0 cannot be inside one
            if kind == "NEWLINE" and depth == 0 and not at_start:
                out.append((tokenize.NEWLINE, "", out[-1][3], out[-1][3]))  # where the line's last token ends
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
    last = out[-1][3] if out else 1  # the end of the file closes the last unit's blocks
    if not at_start:
        out.append((tokenize.NEWLINE, "", last, last))
    out.extend((tokenize.DEDENT, "", last, last) for _ in indents[1:])
    return out


@dataclass
class _Line:
    """One logical line: its indentation level and its tokens (INDENT and DEDENT left out)."""
    level: int
    tokens: list

    @property
    def first(self):
        return self.tokens[0][2]

    @property
    def last(self):
        return self.tokens[-1][3]

    def starts(self, *words):
        texts = [t[1] for t in self.tokens[:2]]
        return texts[0] in words or texts[:2] == ["async", "def"]


def _logical_lines(tokens):
    lines, level, current = [], 0, []
    for token in tokens:
        kind = token[0]
        if kind == tokenize.INDENT:
            level += 1
        elif kind == tokenize.DEDENT:
            level -= 1
        elif kind == tokenize.NEWLINE:
            if current:
                lines.append(_Line(level, current))
            current = []
        else:
            current.append(token)
    if current:
        lines.append(_Line(level, current))
    return lines


def _spans(module, lines, rows):
    """Units for the top-level functions, classes and methods (from their decorators on), and
    owner[row] = index of the unit holding that source row (the rest: the module level, index 0)."""
    units = [Unit(module, MODULE_LEVEL, 1, rows - 1)]
    owner = [0] * (rows + 1)
    top = method = None  # indices of the units being read
    in_class = False
    decorators = []  # decorator lines waiting for their def or class

    def open_unit(name, line):
        units.append(Unit(module, name, (decorators or [line])[0].first, line.last))
        for decorator in decorators:
            claim(len(units) - 1, decorator)
        decorators.clear()
        return len(units) - 1

    def claim(index, line):
        units[index].last_line = max(units[index].last_line, line.last)
        for row in range(line.first, min(line.last, rows) + 1):
            owner[row] = index

    for line in lines:
        if line.level == 0 or (in_class and line.level == 1):
            if line.starts("@"):
                decorators.append(line)
                continue
            if line.level == 0:
                top = method = None
                if line.starts("def", "class"):
                    in_class = line.starts("class")
                    top = open_unit(_defined_name(line), line)
            else:
                method = open_unit(f"{units[top].name}.{_defined_name(line)}", line) if line.starts("def") else None
            for decorator in decorators:  # decorators of no def or class: where they stand
                claim(method if method is not None else top if top is not None else 0, decorator)
            decorators.clear()
        holder = method if method is not None else top
        if holder is not None:
            claim(holder, line)
            if holder == method:
                units[top].last_line = max(units[top].last_line, line.last)
    return units, owner


def _defined_name(line):
    texts = [t[1] for t in line.tokens]
    at = texts.index("class") if "class" in texts[:2] else texts.index("def")
    return texts[at + 1] if at + 1 < len(texts) and texts[at + 1].isidentifier() else "?"


def _docstrings_and_imports(lines):
    """(rows holding a docstring, {name bound by an import: the module's own name}): `np` and
    `numpy` normalise alike. A docstring is a line of strings alone, first in the module or right
    after a def or class line."""
    rows, names, expecting = set(), {}, True
    for line in lines:
        if expecting and all(t[0] == tokenize.STRING for t in line.tokens):
            rows.update(range(line.first, line.last + 1))
        expecting = line.starts("def", "class")
        if line.starts("import"):
            names.update(_imported(line.tokens[1:], plain=True))
        elif line.starts("from") and "import" in [t[1] for t in line.tokens]:
            texts = [t[1] for t in line.tokens]
            names.update(_imported(line.tokens[texts.index("import") + 1:], plain=False))
    return rows, names


def _imported(tokens, plain):
    """{bound name: module name} of an import's names: `a.b as c, d` or `(x as y, z)`."""
    out, parts = {}, [[]]
    for token in tokens:
        if token[1] == ",":
            parts.append([])
        elif token[1] not in "()":
            parts[-1].append(token[1])
    for part in parts:
        if not part:
            continue
        name = "".join(part[:part.index("as")] if "as" in part else part)
        bound = part[-1] if "as" in part else (name.split(".")[0] if plain else name)
        out[bound] = name if "as" in part or not plain else name.split(".")[0]
    return out


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
