"""The student edition of the book: the exercises' solutions taken out.

    python -m publishing student-edition                   # -> build/student-edition/
    python -m publishing student-edition path/to/folder    # anywhere else (it must not exist yet)

The student edition is a copy of the repository (without git, build products, virtualenvs and
the grader's hidden cases, publishing/hidden_cases/) in which, for every exercise
(publishing.notebooks.exercises, as the grader reads them):

- each code cell tagged `solution` is replaced by a stub: its imports are kept, and each function
  keeps its signature and docstring while its body becomes
  `raise NotImplementedError("Exercise N.k: fn_name")`, N.k being the exercise's name; the cell
  cannot be deleted (`"deletable": false`);
- the check cell keeps its source but loses its stored output (which said the book's answer was
  right), and can be neither edited nor deleted (`"editable": false, "deletable": false`, which
  JupyterLab honours);
- both cells are tagged `nbval-ignore-output`: the reader's plain `pytest` passes an exercise's
  cells when they run without an error, whatever they print.

Every other cell is kept as it is, outputs included. A `conftest.py` at the edition's root
(publishing/student_conftest.py) names each check cell's test item after its exercise,
`chapters/03_activations.ipynb::Exercise 3.2`, where nbval would say `Cell 26`. The reader fills
the functions in; `pytest` then fails on exactly the exercises still to do, and a teacher grades
with `python -m publishing grade` (README, "Publishing and coursework").
"""

import ast
import copy
import re
import shutil
import sys
from pathlib import Path

from publishing import notebooks

ROOT = notebooks.ROOT
DEFAULT_OUT = ROOT / "build" / "student-edition"
# Left out of the copy: version control, build products, environments, caches, artifacts.
IGNORED = shutil.ignore_patterns(
    ".git",
    "build",
    "_build",
    "artifacts",
    "node_modules",
    ".venv*",
    "venv*",
    "*.egg-info",
    "__pycache__",
    ".ipynb_checkpoints",
    ".pytest_cache",
    ".hypothesis",
    "hidden_cases",
)
IGNORE_OUTPUT = "nbval-ignore-output"
CONFTEST = (
    Path(__file__).resolve().parent / "student_conftest.py"
)  # the edition's conftest.py


def stub(source, name):
    """The source of a solution cell with each top-level function's body replaced by
    `raise NotImplementedError("Exercise {name}: {function}")`; signatures, docstrings, decorators,
    imports and comments outside the bodies kept."""
    lines = source.split("\n")
    tree = ast.parse(notebooks.python_source(source))
    functions = [
        n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
    ]
    if not functions:
        raise ValueError("a solution cell must define the function the reader writes")
    for node in reversed(functions):  # bottom up, so earlier line numbers stay valid
        body = node.body
        first = body[0]
        has_docstring = (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
        )
        header_end = first.lineno - 1  # 0-based index of the body's first line
        if header_end <= node.lineno - 1 or (
            has_docstring and len(body) > 1 and body[1].lineno == first.end_lineno
        ):
            raise ValueError(
                f"write the body of {node.name} on its own lines, below the `def` line"
            )
        indent = re.match(r"\s*", lines[header_end]).group(0)
        keep_until = (
            first.end_lineno if has_docstring else header_end
        )  # 0-based end (exclusive)
        raise_line = (
            f'{indent}raise NotImplementedError("Exercise {name}: {node.name}")'
        )
        lines[keep_until : node.end_lineno] = [raise_line]
    return "\n".join(lines)


def _tag(cell, tag):
    cell.metadata["tags"] = [
        *notebooks.tags(cell),
        *([tag] if tag not in notebooks.tags(cell) else []),
    ]


def student_notebook(notebook, where="notebook"):
    """The notebook with every `solution` cell stubbed and every exercise's cells cleaned and
    locked as the module's docstring says (a new notebook; the argument is kept)."""
    notebook = copy.deepcopy(notebook)
    names = {
        index: exercise.name
        for exercise in notebooks.exercises(notebook)
        for index in exercise.solutions
    }
    checks = {exercise.check for exercise in notebooks.exercises(notebook)}
    for index, cell in notebooks.code_cells(notebook):
        if notebooks.SOLUTION in notebooks.tags(cell):
            if names.get(index) is None:
                raise ValueError(
                    f"{where}: solution cell {index} has no exercise-check cell calling "
                    'check("N.k", ...) after it'
                )
            cell.source = stub(cell.source, names[index])
            cell.metadata["deletable"] = False
        elif index in checks:
            cell.metadata["editable"] = False
            cell.metadata["deletable"] = False
        else:
            continue
        cell.outputs = []  # its execution count stays: tests/test_notebooks.py wants every cell numbered
        _tag(cell, IGNORE_OUTPUT)
    return notebook


def make(out=DEFAULT_OUT):
    """Write the student edition into the folder `out` (replaced if it is the default one)."""
    out = Path(out).resolve()
    if out == DEFAULT_OUT:
        shutil.rmtree(out, ignore_errors=True)
    elif out.exists():
        sys.exit(f"{out} exists already: give a new folder")
    if out == ROOT or (
        ROOT in out.parents and out.relative_to(ROOT).parts[0] != "build"
    ):
        sys.exit("write the student edition under build/ or outside the repository")
    others = notebooks.not_chapters(ROOT)
    if others:  # copied as they are, they would give their solutions away
        sys.exit(
            f"chapters/ holds notebooks not named NN_name.ipynb: {', '.join(p.name for p in others)}"
        )
    if (ROOT / "conftest.py").exists():
        sys.exit(
            "the repository has a conftest.py of its own: the student edition writes one there "
            f"({CONFTEST.name}); merge the two"
        )
    shutil.copytree(ROOT, out, ignore=IGNORED, symlinks=True)
    shutil.copyfile(CONFTEST, out / "conftest.py")
    chapters = notebooks.chapters(out)
    count = 0
    for path in chapters:
        edition = student_notebook(notebooks.read(path), where=path.name)
        count += sum(
            notebooks.SOLUTION in notebooks.tags(c)
            for _, c in notebooks.code_cells(edition)
        )
        notebooks.write(edition, path)
    print(
        f"student edition: {len(chapters)} chapters, {count} solution cells stubbed, in {out}"
    )
    return out
