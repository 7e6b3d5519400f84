"""Split a reference module into the pieces a notebook is made of.

A reference module is: a docstring (the teaching text), header code (imports),
then top-level functions and classes. Those holding a solution region are
exercises (one notebook solution cell each); the others are given code that
students receive as-is (e.g. ex04's ready-made sigmoid).
"""
import ast
from dataclasses import dataclass
from pathlib import Path

from grader.regions import find_regions


@dataclass(frozen=True)
class Block:
    name: str  # function or class name
    source: str  # the exact source text of the definition
    docstring: str  # "" when it has none
    is_exercise: bool  # holds a solution region
    is_class: bool


@dataclass(frozen=True)
class ModuleAnatomy:
    name: str  # e.g. "ex03_activations"
    docstring: str
    header: str  # the import lines between docstring and first definition
    blocks: tuple  # Block, in file order

    @property
    def exercises(self):
        return [b for b in self.blocks if b.is_exercise]

    @property
    def given(self):
        return [b for b in self.blocks if not b.is_exercise]


def _text(lines, first, last):
    """Lines first..last (1-based, inclusive) joined, without trailing blank lines."""
    return "\n".join(lines[first - 1 : last]).rstrip()


def _block_end(lines, last):
    """The last line of a definition ending at `last` (1-based), including the
    indented comments that follow its final statement, such as ### END SOLUTION
    (the AST ends a function at its last statement)."""
    while last < len(lines) and (not lines[last].strip() or lines[last][:1].isspace()):
        last += 1
    return last


def parse_module(path):
    """The anatomy of the reference module at `path`."""
    path = Path(path)
    source = path.read_text()
    tree = ast.parse(source, str(path))
    lines = source.splitlines()
    owners = {region.owner.split(".")[0] for region in find_regions(source, str(path))}
    blocks, imports = [], []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            blocks.append(Block(
                name=node.name,
                source=_text(lines, node.lineno, _block_end(lines, node.end_lineno)),
                docstring=ast.get_docstring(node) or "",
                is_exercise=node.name in owners,
                is_class=isinstance(node, ast.ClassDef),
            ))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            if blocks:
                raise ValueError(f"{path}:{node.lineno}: imports must come before the first definition")
            imports.append(node)
        elif not (isinstance(node, ast.Expr) and node is tree.body[0]):
            # Anything else (constants, statements) would need a home in the
            # notebook layout; refuse rather than silently drop it.
            raise ValueError(f"{path}:{node.lineno}: unsupported top-level statement for the notebook builder")
    # Keep the blank line between plain and `from` imports, as the module has it.
    header_text = _text(lines, imports[0].lineno, imports[-1].end_lineno) if imports else ""
    return ModuleAnatomy(path.stem, ast.get_docstring(tree) or "", header_text, tuple(blocks))
