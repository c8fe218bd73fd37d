"""Grade exercises with pytest: one test item per exercise of the book.

    python -m pytest -p publishing.grading chapters/

run from a student's copy of the book (the student edition, its functions filled in). Each
notebook is executed once, top to bottom in a fresh kernel, every cell run even after an error;
then each `exercise-check` cell is a test item, `chapters/03_activations.ipynb::Exercise 3.1`,
that passes when neither it nor the `solution` cells it checks raised. So pytest's closing line,
"N passed, M failed", counts the exercises done and not done. Stored outputs are not compared
(that is what nbval, in the plain `pytest`, is for). It needs only the book's own environment.
"""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

CELL_TIMEOUT = 600


def pytest_configure(config):
    # The project's pytest options switch nbval on; grading collects the notebooks instead.
    for option in ("nbval", "nbval_lax"):
        if hasattr(config.option, option):
            setattr(config.option, option, False)


def pytest_collect_file(file_path, parent):
    if file_path.suffix == ".ipynb" and ".ipynb_checkpoints" not in file_path.parts:
        return GradedNotebook.from_parent(parent, path=file_path)
    return None


def tags(cell):
    return cell.metadata.get("tags", [])


def exercise_name(source):
    """The exercise's name from a check cell's check("N.k", ...) call (tools/student_edition.py)."""
    import ast

    for node in sorted((n for n in ast.walk(ast.parse(_python(source))) if isinstance(n, ast.Call)),
                       key=lambda n: (n.lineno, n.col_offset)):
        func = node.func
        called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        args = list(node.args[:1]) + [k.value for k in node.keywords if k.arg == "name"]
        if called in ("check", "check_function") and args and isinstance(args[0], ast.Constant):
            return str(args[0].value)
    return None


def _python(source):
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.split("\n"))


def _error(cell):
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    return f"{errors[0]['ename']}: {errors[0]['evalue']}" if errors else None


class GradedNotebook(pytest.File):
    """A chapter: its exercises, and one run of the whole notebook shared by them."""

    _executed = None

    def collect(self):
        notebook = nbformat.read(self.path, as_version=4)
        seen = {}
        solutions = []
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code":
                continue
            if "solution" in tags(cell):
                solutions.append(index)
            if "exercise-check" in tags(cell):
                name = exercise_name(cell.source) or f"cell {index}"
                seen[name] = seen.get(name, 0) + 1
                label = f"Exercise {name}" + (f" ({seen[name]})" if seen[name] > 1 else "")
                yield ExerciseItem.from_parent(self, name=label, check=index, solutions=solutions)
                solutions = []

    def executed(self):
        """The notebook after one run in a fresh kernel, working folder its own (cached)."""
        if self._executed is None:
            notebook = nbformat.read(self.path, as_version=4)
            client = NotebookClient(
                notebook, timeout=CELL_TIMEOUT, kernel_name="python3", allow_errors=True,
                resources={"metadata": {"path": str(Path(self.path).parent)}},
            )
            try:
                client.execute()
                self._executed = (notebook, None)
            except (CellTimeoutError, DeadKernelError) as failure:
                self._executed = (notebook, f"the notebook did not run to its end: {failure}")
        return self._executed


class ExerciseItem(pytest.Item):
    def __init__(self, *, check, solutions, **kwargs):
        super().__init__(**kwargs)
        self.check = check
        self.solutions = solutions

    def runtest(self):
        notebook, failure = self.parent.executed()
        for index in self.solutions + [self.check]:
            cell = notebook.cells[index]
            error = _error(cell)
            if error:
                raise ExerciseFailed(error)
            if cell.get("execution_count") is None:
                raise ExerciseFailed(failure or "its cell was not run")

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, ExerciseFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, f"{self.path.name}::{self.name}"


class ExerciseFailed(Exception):
    """An exercise's check (or its solution cell) raised; the message is the error's sentence."""
