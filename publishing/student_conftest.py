"""Plain `pytest` in the student edition names each exercise's check by its exercise.

`python -m publishing student-edition` copies this file to the edition's root as conftest.py.
nbval names a notebook's test items after the code cell's position, "Cell 26", which a reader
cannot find in JupyterLab; nbval has no option to name them otherwise (computationalmodelling/nbval
issue #111). Here every item of a cell tagged `exercise-check` is made again, with nbval's own
class and the cell nbval read, under the name of its exercise:

    chapters/03_activations.ipynb::Exercise 3.2 FAILED

Every other cell keeps nbval's name. The exercise's name is the one the grader uses
(publishing.notebooks.exercise_name).
"""

from nbval.plugin import IPyNbCell

from publishing import notebooks


class ExerciseCell(IPyNbCell):
    """nbval's test item for one cell, reported under the exercise's name."""

    def reportinfo(self):
        return self.path, 0, self.nodeid


def exercise_label(cell):
    """ "Exercise N.k" for an exercise-check cell that names its exercise, else None."""
    if notebooks.EXERCISE_CHECK not in notebooks.tags(cell):
        return None
    try:
        name = notebooks.exercise_name(cell)
    except SyntaxError:
        return None
    return f"Exercise {name}" if name else None


def pytest_collection_modifyitems(items):
    for position, item in enumerate(items):
        if not isinstance(item, IPyNbCell) or isinstance(item, ExerciseCell):
            continue
        label = exercise_label(item.cell)
        if label is not None:
            items[position] = ExerciseCell.from_parent(
                item.parent,
                name=label,
                cell_num=item.cell_num,
                cell=item.cell,
                options=item.options,
            )
