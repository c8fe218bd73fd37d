"""Grade exercises with pytest: one test item per exercise of the book.

    python -m pytest -p publishing.grading chapters/

run from a student's copy of the book (the student edition, its functions filled in). Each
notebook is executed once, top to bottom in a fresh kernel of the Python that runs pytest, every
cell run even after an error; then each exercise (publishing.notebooks.exercises: an
`exercise-check` cell and the `solution` cells before it, as the student edition reads them) is a
test item, `chapters/03_activations.ipynb::Exercise 3.1`, that passes when none of its cells
raised. So pytest's closing line, "N passed, M failed", counts the exercises done and not done.
Stored outputs are not compared (that is what nbval, in the plain `pytest`, is for). It needs
only the book's own environment.
"""

import pytest
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from publishing import notebooks


def pytest_configure(config):
    # The project's pytest options switch nbval on; grading collects the notebooks instead.
    for option in ("nbval", "nbval_lax"):
        if hasattr(config.option, option):
            setattr(config.option, option, False)


def pytest_collect_file(file_path, parent):
    if file_path.suffix == ".ipynb" and ".ipynb_checkpoints" not in file_path.parts:
        return GradedNotebook.from_parent(parent, path=file_path)
    return None


def _error(cell):
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    return f"{errors[0]['ename']}: {errors[0]['evalue']}" if errors else None


class GradedNotebook(pytest.File):
    """A chapter: its exercises, and one run of the whole notebook shared by them."""

    _executed = None

    def collect(self):
        seen = {}
        for check, name, solutions in notebooks.exercises(notebooks.read(self.path)):
            name = name or f"cell {check}"
            seen[name] = seen.get(name, 0) + 1
            label = f"Exercise {name}" + (f" ({seen[name]})" if seen[name] > 1 else "")
            yield ExerciseItem.from_parent(self, name=label, check=check, solutions=list(solutions))

    def executed(self):
        """The notebook after one run in a fresh kernel of this interpreter, working folder its
        own, every cell run even after an error (cached)."""
        if self._executed is None:
            notebook = notebooks.read(self.path)
            try:
                notebooks.execute(notebook, self.path.parent, allow_errors=True)
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
