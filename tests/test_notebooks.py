"""The book's notebooks are complete, executed and honest about their claims.

nbval compares stored outputs but silently skips a code cell that was never executed, so these
tests make sure every cell ran, in order, in one fresh kernel, and that every tagged equation of
a chapter has a cell that proves it with an assert.
"""

import ast
import re
from pathlib import Path

import pytest

from publishing import notebooks
from publishing.notebooks import chapters, exercises, not_chapters, python_source, read, tags

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = chapters(ROOT)
TAG = re.compile(r"\\tag\{([^}]*)\}")
PROVES = re.compile(r"#\s*proves\s*((?:\([^)]*\)[\s,]*)+)")


def code_cells(notebook):
    """The code cells that hold code (nbclient runs no empty cell), with their indices."""
    return [(i, c) for i, c in notebooks.code_cells(notebook) if c.source.strip()]


def test_there_are_chapters():
    assert CHAPTERS, "chapters/ holds no notebooks"


@pytest.fixture(params=CHAPTERS, ids=lambda p: p.name)
def notebook(request):
    return read(request.param)


def test_chapter_file_names_are_numbered():
    others = [p.name for p in not_chapters(ROOT)]
    assert not others, f"{others} not named NN_name.ipynb: no tool reads them as chapters"


def test_every_code_cell_was_executed_in_order(notebook):
    counts = []
    for i, cell in code_cells(notebook):
        assert cell.execution_count is not None, f"code cell {i} was never executed, so nbval would skip it"
        counts.append(cell.execution_count)
    assert counts == list(range(1, len(counts) + 1)), (
        f"execution counts {counts[:8]}... are not 1, 2, 3, ...: "
        "re-execute the notebook top to bottom with python -m publishing execute"
    )


def test_no_stored_errors(notebook):
    for i, cell in code_cells(notebook):
        if "raises-exception" in tags(cell):
            continue
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert not errors, f"code cell {i} stores an error: {errors[0].ename}: {errors[0].evalue}"
        streams = [o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stderr"]
        assert not any("Warning" in s for s in streams), f"code cell {i} stores a warning: {streams}"


def test_first_code_cell_sets_up_inline_figures(notebook):
    first = code_cells(notebook)[0][1]
    assert "%matplotlib inline" in first.source, "the first code cell must say %matplotlib inline"


def test_every_tagged_equation_is_proved_by_an_assert(notebook):
    tags = [t for c in notebook.cells if c.cell_type == "markdown" for t in TAG.findall(c.source)]
    assert len(tags) == len(set(tags)), f"equation tags must be unique within a chapter; got {tags}"
    proved = {}
    for i, cell in code_cells(notebook):
        for group in PROVES.findall(cell.source):
            for tag in re.findall(r"\(([^)]*)\)", group):
                proved.setdefault(tag, []).append((i, cell))
    for tag in tags:
        assert tag in proved, f"equation ({tag}) has no code cell marked '# proves ({tag})'"
        assert any(re.search(r"\bassert\b|cross_check\(|check_gradients\(", c.source) for _, c in proved[tag]), (
            f"the cell marked '# proves ({tag})' has no assert"
        )
    unknown = set(proved) - set(tags)
    assert not unknown, f"cells claim to prove {sorted(unknown)}, which no equation is tagged with"


def test_solution_cells_define_a_function(notebook):
    """The student edition replaces the body of each function in a solution cell with a stub."""
    for i, cell in code_cells(notebook):
        if "solution" not in tags(cell):
            continue
        tree = ast.parse(python_source(cell))
        defs = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
        assert defs, f"solution cell {i} must define the function the reader writes"
        assert all(isinstance(n, (ast.FunctionDef, ast.Import, ast.ImportFrom)) for n in tree.body), (
            f"solution cell {i} must hold only imports and function definitions"
        )


def test_every_exercise_is_named_and_every_solution_checked(notebook):
    """The student edition names each stub after its exercise, and the grading plugin grades each
    exercise by that name, so each check cell must name one and each solution cell come before one."""
    found = exercises(notebook)
    names = [e.name for e in found]
    assert None not in names, (f"exercise-check cell {found[names.index(None)].check} calls no "
                               "check(\"N.k\", ...) or check_function(\"N.k\", ...)")
    assert len(names) == len(set(names)), f"exercise names must be unique within a chapter; got {names}"
    checked = {i for e in found for i in e.solutions}
    unchecked = [i for i, cell in code_cells(notebook) if "solution" in tags(cell) and i not in checked]
    assert not unchecked, f"solution cells {unchecked} have no exercise-check cell after them"
