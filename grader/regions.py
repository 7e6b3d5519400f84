"""The solution regions (nbgrader's markers) of a reference module, and the stub text that replaces
them: what `nngrade release` writes, what nbgrader strips, what the judge knows a student left untouched."""
import ast
from dataclasses import dataclass

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"


@dataclass(frozen=True)
class Region:
    begin: int  # 0-based line index of the BEGIN marker
    end: int  # 0-based line index of the END marker
    indent: str
    owner: str  # qualified name of the enclosing function, e.g. "LinearModel.forward"


def _owners(tree):
    """(first_line, last_line, qualname) for every function, outermost first."""
    spans = []

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    spans.append((child.lineno, child.end_lineno, name))
                visit(child, name + ".")

    visit(tree, "")
    return spans


def find_regions(source, filename="<source>"):
    """Every BEGIN/END pair in `source`, with the function it belongs to."""
    lines = source.splitlines()
    spans = _owners(ast.parse(source, filename))
    regions, begin = [], None
    for i, line in enumerate(lines):
        marker = line.strip()
        if marker == BEGIN:
            if begin is not None:
                raise ValueError(f"{filename}:{i + 1}: nested {BEGIN}")
            begin = i
        elif marker == END:
            if begin is None:
                raise ValueError(f"{filename}:{i + 1}: {END} without {BEGIN}")
            owners = [name for first, last, name in spans if first <= begin + 1 <= last]
            if not owners:
                raise ValueError(f"{filename}:{begin + 1}: solution region outside a function")
            indent = lines[begin][: len(lines[begin]) - len(lines[begin].lstrip())]
            regions.append(Region(begin, i, indent, owners[-1]))
            begin = None
    if begin is not None:
        raise ValueError(f"{filename}:{begin + 1}: {BEGIN} without {END}")
    return regions


def solution_lines(source):
    """The stripped code lines inside solution regions (what students must not see)."""
    lines = source.splitlines()
    found = set()
    for region in find_regions(source):
        for line in lines[region.begin + 1 : region.end]:
            if line.strip():
                found.add(line.strip())
    return found


STUB_HINT = "not implemented yet - replace this line with your code (see the docstring)"


def stub_source(source, filename="<source>"):
    """The reference source with every solution region replaced by a NotImplementedError."""
    lines = source.splitlines()
    out, cursor = [], 0
    for region in find_regions(source, filename):
        out.extend(lines[cursor : region.begin])
        out.append(f'{region.indent}raise NotImplementedError("{region.owner}: {STUB_HINT}")')
        cursor = region.end + 1
    out.extend(lines[cursor:])
    return "\n".join(out) + "\n"
