"""Grade one student's chapters with pytest: one test item per exercise of the book.

From the book's repository (the teacher's copy, whose chapters are the release):

    python -m pytest -c publishing/grading.ini path/to/alice/chapters/

(publishing/grading.ini loads this plugin, and keeps pytest from reading the configuration and
the conftest.py files of the student's copy, which would run their code in pytest itself.) In
any copy of the book, ``python -m pytest -p publishing.grading chapters/`` grades that copy's own
chapters against itself.

Each notebook named like a chapter of the book this package belongs to (``notebooks.ROOT``) is
graded by ``publishing.coursework.grade_chapter``, as ``python -m publishing grade`` grades a
class: the released check cells run on the student's solution cells, then the hidden cases, in a
fresh kernel of the Python that runs pytest. Each exercise of the released chapter is a test
item, ``03_activations.ipynb::Exercise 3.1``, that passes when the exercise does, so pytest's
closing line, "N passed, M failed", counts the exercises done and not done; a check cell the
student changed or removed fails nothing by itself and is listed under "grading notes". Stored
outputs are not compared (that is what nbval, in the plain ``pytest``, is for). Options:
``--cases DIR`` (hidden cases, default publishing/hidden_cases/) and ``--time-limit SECONDS``
(per cell, default ``coursework.TIME_LIMIT``).
"""

from pathlib import Path

import pytest

from publishing import coursework, notebooks


def pytest_addoption(parser):
    group = parser.getgroup("grading", "grading exercises (publishing.grading)")
    group.addoption(
        "--cases",
        metavar="DIR",
        type=Path,
        default=coursework.HIDDEN_CASES,
        help="the folder of hidden cases, one NN_name.py per chapter (default: publishing/hidden_cases)",
    )
    group.addoption(
        "--time-limit",
        metavar="SECONDS",
        type=float,
        default=coursework.TIME_LIMIT,
        help=f"seconds each solution, check and hidden-cases cell may run (default {coursework.TIME_LIMIT})",
    )


def pytest_configure(config):
    # The project's pytest options switch nbval on; grading collects the notebooks instead.
    for option in ("nbval", "nbval_lax"):
        if hasattr(config.option, option):
            setattr(config.option, option, False)
    config.pluginmanager.register(Notes(), "grading-notes")


def pytest_collect_file(file_path, parent):
    if file_path.suffix != ".ipynb" or ".ipynb_checkpoints" in file_path.parts:
        return None
    release = notebooks.ROOT / "chapters" / file_path.name
    if not notebooks.CHAPTER_NAME.fullmatch(file_path.name) or not release.is_file():
        return None  # not a chapter of the book: nothing to grade
    return GradedNotebook.from_parent(parent, path=file_path)


class GradedNotebook(pytest.File):
    """A student's chapter: the exercises of the released chapter, graded by one run."""

    _outcomes = None

    @property
    def release(self):
        return notebooks.ROOT / "chapters" / self.path.name

    def collect(self):
        for label in coursework.labels(notebooks.read(self.release)):
            yield ExerciseItem.from_parent(self, name=f"Exercise {label}", label=label)

    def outcomes(self):
        """{label: Outcome} from one run of coursework.grade_chapter (cached)."""
        if self._outcomes is None:
            option = self.config.option
            graded = coursework.grade_chapter(
                self.release,
                self.path,
                cases_folder=option.cases,
                time_limit=option.time_limit,
            )
            self._outcomes = {o.name: o for o in graded}
        return self._outcomes


class ExerciseItem(pytest.Item):
    def __init__(self, *, label, **kwargs):
        super().__init__(**kwargs)
        self.label = label

    def runtest(self):
        outcome = self.parent.outcomes()[self.label]
        self.user_properties += [("grading note", note) for note in outcome.notes]
        if not outcome.passed:
            raise ExerciseFailed(outcome.message)

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, ExerciseFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, f"{self.path.name}::{self.name}"


class ExerciseFailed(Exception):
    """An exercise failed; the message says why, in a sentence."""


class Notes:
    """The notes on the students' copies, gathered from the tests' reports (an xdist worker's
    too) and listed after the tests, under "grading notes"."""

    def __init__(self):
        self.lines = []

    def pytest_runtest_logreport(self, report):
        if report.when == "call":
            self.lines += [
                f"{report.nodeid}: {value}"
                for key, value in report.user_properties
                if key == "grading note"
            ]

    def pytest_terminal_summary(self, terminalreporter):
        if self.lines:
            terminalreporter.write_sep("-", "grading notes")
            for line in self.lines:
                terminalreporter.write_line(line)
