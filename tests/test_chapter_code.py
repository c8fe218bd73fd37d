"""The chapters' code is held to the package's rule: a helper lives in one place.

The repository's duplicate finder and most linters do not read notebooks, so this test reads
every chapter's code cells (through publishing.notebooks): a function or class may be defined in
one chapter only, no chapter may redefine what ``bp_lib.symbolic`` or ``bp_lib.claims``
provides (the claims' printing helpers included), and no two definitions anywhere in the book
may be the same code under different names.
"""

import ast
from collections import defaultdict
from pathlib import Path

import bp_lib.claims
import bp_lib.symbolic
from publishing.notebooks import chapters, code_cells, python_source, read, tags

CHAPTERS = chapters(Path(__file__).resolve().parent.parent)
PROVIDED = {
    "bp_lib.symbolic": {
        name for name in dir(bp_lib.symbolic) if not name.startswith("_")
    }
    - {"np", "sympy", "functools", "NamedTuple"},
    "bp_lib.claims": set(bp_lib.claims.__all__),
}


def definitions(solutions=True):
    """(chapter file name, cell index, node) for every top-level function and class of every chapter
    (without the cells tagged ``solution``, a reader's answers to exercises, if ``solutions`` is false)."""
    for path in CHAPTERS:
        for index, cell in code_cells(read(path)):
            if not solutions and "solution" in tags(cell):
                continue
            for node in ast.parse(python_source(cell)).body:
                if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                    yield path.name, index, node


def shape(node):
    """The definition's code with its own name, its arguments' names and its docstring left out."""
    node = ast.parse(ast.unparse(node)).body[0]
    node.name = "_"
    body = node.body
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
    ):
        node.body = body[1:] or [ast.Pass()]
    if isinstance(node, ast.FunctionDef):
        names = {a.arg: f"arg{i}" for i, a in enumerate(node.args.args)}
        for sub in ast.walk(node):
            if isinstance(sub, ast.arg):
                sub.arg = names.get(sub.arg, sub.arg)
            elif isinstance(sub, ast.Name) and sub.id in names:
                sub.id = names[sub.id]
    return ast.dump(node, annotate_fields=False, include_attributes=False)


def test_no_function_or_class_is_defined_in_two_chapters():
    where = defaultdict(set)
    for chapter, _, node in definitions():
        where[node.name].add(chapter)
    twice = {
        name: sorted(chapters) for name, chapters in where.items() if len(chapters) > 1
    }
    assert not twice, (
        f"defined in more than one chapter (move it into bp_lib, with a test): {twice}"
    )


def test_no_chapter_redefines_what_bp_lib_symbolic_or_claims_provides():
    clashes = sorted(
        f"{node.name} ({chapter}, cell {index}): import it from {module}"
        for chapter, index, node in definitions()
        for module, names in PROVIDED.items()
        if node.name in names
    )
    assert not clashes, f"use the package's instead of defining: {clashes}"


def test_no_two_definitions_are_the_same_code_under_other_names():
    """Worked solutions are left out: two exercises may ask for the same answer."""
    seen = defaultdict(list)
    for chapter, index, node in definitions(solutions=False):
        if len(node.body) > 1 or not isinstance(
            node.body[0], (ast.Return, ast.Pass, ast.Expr)
        ):  # one-liners may coincide
            seen[shape(node)].append(f"{node.name} ({chapter}, cell {index})")
    copies = [names for names in seen.values() if len(names) > 1]
    assert not copies, f"the same code is written more than once: {copies}"
