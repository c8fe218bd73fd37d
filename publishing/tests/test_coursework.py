"""The coursework edition: `python -m publishing student-edition` takes the solutions out, the
edition then fails exactly its exercise-check cells (nbval, strict, as students run it) and
nothing else, and the grading plugin counts exercises: the book passes them all, a half-done copy
exactly the half. Exercises are read as both tools read them (publishing.notebooks.exercises).

The notebooks run in the book's environment (BOOK_PYTHON, see conftest.py).
"""

import ast
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import nbformat
import pytest

from conftest import CHAPTERS, ROOT, book_python
from publishing.notebooks import code_cells, exercises, read, tags

pytestmark = pytest.mark.skipif(not CHAPTERS, reason="chapters/ holds no notebooks")
RUN_TIMEOUT = 1800


def pytest_run(folder, arguments, junit):
    """Run pytest in the book's environment in `folder`; returns {(file, test name): passed}."""
    command = [book_python(), "-m", "pytest", *arguments, f"--junitxml={junit}", "-q"]
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=RUN_TIMEOUT)
    assert Path(junit).exists(), f"pytest did not run:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    results = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        failed = case.find("failure") is not None or case.find("error") is not None
        assert case.find("skipped") is None, f"skipped: {case.attrib}"
        results[(case.attrib["classname"], case.attrib["name"])] = not failed
    return results, done.stdout


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("coursework") / "student-edition"
    done = subprocess.run([book_python(), "-m", "publishing", "student-edition", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return out


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_only_solution_cells_change_and_each_becomes_a_stub(edition, path):
    book, student = read(path), read(edition / "chapters" / path.name)
    assert len(book.cells) == len(student.cells)
    names = {s: name for _, name, solutions in exercises(book) for s in solutions}
    for i, (ours, theirs) in enumerate(zip(book.cells, student.cells)):
        if not (ours.cell_type == "code" and "solution" in tags(ours)):
            assert theirs == ours, f"cell {i} changed in the student edition"
            continue
        assert theirs.metadata == ours.metadata
        before, after = ast.parse(ours.source), ast.parse(theirs.source)
        assert [ast.dump(n) for n in before.body if isinstance(n, (ast.Import, ast.ImportFrom))] == \
               [ast.dump(n) for n in after.body if isinstance(n, (ast.Import, ast.ImportFrom))]
        functions = [(b, a) for b, a in zip(before.body, after.body) if isinstance(b, ast.FunctionDef)]
        assert functions, f"solution cell {i} defines no function"
        for b, a in functions:
            assert (a.name, ast.dump(a.args), [ast.dump(d) for d in a.decorator_list]) == \
                   (b.name, ast.dump(b.args), [ast.dump(d) for d in b.decorator_list])
            assert ast.get_docstring(a) == ast.get_docstring(b)
            stub = a.body[-1]
            assert len(a.body) == (2 if ast.get_docstring(b) else 1), f"{a.name} keeps more than a stub"
            assert ast.unparse(stub) == f"raise NotImplementedError('Exercise {names[i]}: {b.name}')"


def test_student_edition_fails_exactly_the_exercise_checks(edition):
    """nbval in strict mode, as the student's plain `pytest` runs it: every exercise-check cell
    fails, and every other cell passes with its stored output."""
    results, log = pytest_run(edition, ["chapters"], edition.parent / "nbval.xml")
    expected_failures = set()
    for path in CHAPTERS:
        code = [c for _, c in code_cells(read(path))]
        expected_failures |= {(path.name, f"Cell {n}") for n, c in enumerate(code) if "exercise-check" in tags(c)}
    failures = {(cls.rsplit(".", 1)[0].rsplit("/", 1)[-1].removeprefix("chapters.") + ".ipynb", name)
                for (cls, name), passed in results.items() if not passed}
    assert len(results) == sum(len(code_cells(read(p))) for p in CHAPTERS), log[-2000:]
    assert failures == expected_failures, log[-4000:]


def test_grading_counts_the_exercises_a_student_has_done(edition):
    """A student who has done every other exercise: the grading report passes exactly those."""
    partly = edition.parent / "partly-done"
    shutil.copytree(edition, partly)
    done, todo = set(), set()
    for path in CHAPTERS:
        book = read(path)
        student = read(partly / "chapters" / path.name)
        for k, (_, name, solutions) in enumerate(exercises(book)):
            if k % 2 == 0:
                for s in solutions:
                    student.cells[s].source = book.cells[s].source
                done.add((path.name, f"Exercise {name}"))
            else:
                todo.add((path.name, f"Exercise {name}"))
        nbformat.write(student, partly / "chapters" / path.name)
    results, log = pytest_run(partly, ["-p", "publishing.grading", "chapters"], edition.parent / "partly.xml")
    graded = {(cls.rsplit("/", 1)[-1].removeprefix("chapters."), name): ok for (cls, name), ok in results.items()}
    assert {k for k, ok in graded.items() if ok} == done, log[-3000:]
    assert {k for k, ok in graded.items() if not ok} == todo, log[-3000:]
    closing = log.strip().splitlines()[-1]
    assert f"{len(todo)} failed" in closing and f"{len(done)} passed" in closing, closing


def test_grading_passes_every_exercise_of_the_book(artifacts):
    results, log = pytest_run(ROOT, ["-p", "publishing.grading", "chapters"], artifacts / "grading-the-book.xml")
    expected = sum(len(exercises(read(p))) for p in CHAPTERS)
    assert len(results) == expected and all(results.values()), log[-3000:]
