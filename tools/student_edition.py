"""Make the student edition of the book: the exercises' solutions taken out.

    python tools/student_edition.py                    # -> build/student-edition/
    python tools/student_edition.py path/to/folder     # anywhere else (it must not exist yet)

The student edition is a copy of the repository (without git, build products and virtualenvs)
in which every code cell tagged `solution` is replaced by a stub: its imports are kept, and each
function keeps its signature and docstring while its body becomes
`raise NotImplementedError("Exercise N.k: fn_name")`, the exercise's name taken from the
`check(...)`/`check_function(...)` call of the next cell tagged `exercise-check`. Every other
cell is kept as it is, outputs included. The reader fills the functions in; `pytest` then
fails on exactly the exercises still to do, and a teacher grades with the grading plugin
(README, "Publishing and coursework").
"""

import ast
import copy
import re
import shutil
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "build" / "student-edition"
CHECKERS = {"check", "check_function"}
# Left out of the copy: version control, build products, environments, caches, artifacts.
IGNORED = shutil.ignore_patterns(
    ".git", "build", "_build", "artifacts", "node_modules", ".venv*", "venv*", "*.egg-info",
    "__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".hypothesis",
)


def tags(cell):
    return cell.metadata.get("tags", [])


def python_source(source):
    """The cell's source with IPython magics blanked (line numbers kept), for the ast module."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.split("\n"))


def exercise_name(check_source):
    """The exercise's name, "N.k", from the first check(...)/check_function(...) call in the
    source of an exercise-check cell; None if there is none."""
    calls = []
    for node in ast.walk(ast.parse(python_source(check_source))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if called not in CHECKERS:
            continue
        args = list(node.args[:1]) + [k.value for k in node.keywords if k.arg == "name"]
        for arg in args:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                calls.append((node.lineno, node.col_offset, arg.value))
                break
    return min(calls)[2] if calls else None


def stub(source, name):
    """The source of a solution cell with each top-level function's body replaced by
    `raise NotImplementedError("Exercise {name}: {function}")`; signatures, docstrings, decorators,
    imports and comments outside the bodies kept."""
    lines = source.split("\n")
    tree = ast.parse(python_source(source))
    functions = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    if not functions:
        raise ValueError("a solution cell must define the function the reader writes")
    for node in reversed(functions):  # bottom up, so earlier line numbers stay valid
        body = node.body
        first = body[0]
        has_docstring = (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                         and isinstance(first.value.value, str))
        header_end = first.lineno - 1  # 0-based index of the body's first line
        if header_end <= node.lineno - 1 or (has_docstring and len(body) > 1 and body[1].lineno == first.end_lineno):
            raise ValueError(f"write the body of {node.name} on its own lines, below the `def` line")
        indent = re.match(r"\s*", lines[header_end]).group(0)
        keep_until = first.end_lineno if has_docstring else header_end  # 0-based end (exclusive)
        raise_line = f'{indent}raise NotImplementedError("Exercise {name}: {node.name}")'
        lines[keep_until:node.end_lineno] = [raise_line]
    return "\n".join(lines)


def student_notebook(notebook, where="notebook"):
    """The notebook with every `solution` cell stubbed (a new notebook; the argument is kept)."""
    notebook = copy.deepcopy(notebook)
    cells = notebook.cells
    for i, cell in enumerate(cells):
        if cell.cell_type != "code" or "solution" not in tags(cell):
            continue
        check = next((c for c in cells[i + 1:] if c.cell_type == "code" and "exercise-check" in tags(c)), None)
        name = exercise_name(check.source) if check is not None else None
        if name is None:
            raise ValueError(f"{where}: solution cell {i} has no exercise-check cell calling check(\"N.k\", ...) after it")
        cell.source = stub(cell.source, name)
        cell.outputs = []
    return notebook


def make(out=DEFAULT_OUT):
    """Write the student edition into the folder `out` (replaced if it is the default one)."""
    out = Path(out).resolve()
    if out == DEFAULT_OUT:
        shutil.rmtree(out, ignore_errors=True)
    elif out.exists():
        sys.exit(f"{out} exists already: give a new folder")
    if out == ROOT or (ROOT in out.parents and out.relative_to(ROOT).parts[0] != "build"):
        sys.exit("write the student edition under build/ or outside the repository")
    shutil.copytree(ROOT, out, ignore=IGNORED, symlinks=True)
    chapters = sorted((out / "chapters").glob("*.ipynb"))
    count = 0
    for path in chapters:
        notebook = nbformat.read(path, as_version=4)
        edition = student_notebook(notebook, where=path.name)
        count += sum("solution" in tags(c) for c in edition.cells if c.cell_type == "code")
        nbformat.write(edition, path)
    print(f"student edition: {len(chapters)} chapters, {count} solution cells stubbed, in {out}")
    return out


if __name__ == "__main__":
    make(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT)
