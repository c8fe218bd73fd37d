"""The coursework edition: `python -m publishing student-edition` takes the solutions out and
cleans every exercise (no stored output saying it passed, check cells locked), leaves the hidden
cases out, and its plain `pytest` (nbval, strict, as students run it) fails exactly its
exercise-check cells, each named after its exercise, and nothing else. The grading plugin counts
exercises: the book passes them all, a half-done copy exactly the half. Exercises are read as all
the tools read them (publishing.notebooks.exercises).

The notebooks run in the book's environment (BOOK_PYTHON, see conftest.py). test_grading.py
tests the grader itself on a small class.
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
    done = subprocess.run(
        command, cwd=folder, capture_output=True, text=True, timeout=RUN_TIMEOUT
    )
    assert Path(junit).exists(), (
        f"pytest did not run:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    results = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        failed = case.find("failure") is not None or case.find("error") is not None
        assert case.find("skipped") is None, f"skipped: {case.attrib}"
        results[(case.attrib["classname"], case.attrib["name"])] = not failed
    return results, done.stdout


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("coursework") / "student-edition"
    done = subprocess.run(
        [book_python(), "-m", "publishing", "student-edition", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return out


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_only_exercises_change_each_solution_becomes_a_stub_and_each_check_is_locked(
    edition, path
):
    book, student = read(path), read(edition / "chapters" / path.name)
    assert len(book.cells) == len(student.cells)
    names = {s: name for _, name, solutions in exercises(book) for s in solutions}
    checks = {check for check, _, _ in exercises(book)}
    for i, (ours, theirs) in enumerate(zip(book.cells, student.cells)):
        if i not in names and i not in checks:
            assert theirs == ours, f"cell {i} changed in the student edition"
            continue
        assert (
            theirs.outputs == [] and theirs.execution_count == ours.execution_count
        ), f"cell {i} keeps a stale output"
        assert tags(theirs) == tags(ours) + ["nbval-ignore-output"]
        assert theirs.metadata["deletable"] is False
        if i in checks:
            assert theirs.source == ours.source
            assert theirs.metadata["editable"] is False
            continue
        before, after = ast.parse(ours.source), ast.parse(theirs.source)
        assert [
            ast.dump(n)
            for n in before.body
            if isinstance(n, (ast.Import, ast.ImportFrom))
        ] == [
            ast.dump(n)
            for n in after.body
            if isinstance(n, (ast.Import, ast.ImportFrom))
        ]
        functions = [
            (b, a)
            for b, a in zip(before.body, after.body)
            if isinstance(b, ast.FunctionDef)
        ]
        assert functions, f"solution cell {i} defines no function"
        for b, a in functions:
            assert (
                a.name,
                ast.dump(a.args),
                [ast.dump(d) for d in a.decorator_list],
            ) == (b.name, ast.dump(b.args), [ast.dump(d) for d in b.decorator_list])
            assert ast.get_docstring(a) == ast.get_docstring(b)
            stub = a.body[-1]
            assert len(a.body) == (2 if ast.get_docstring(b) else 1), (
                f"{a.name} keeps more than a stub"
            )
            assert (
                ast.unparse(stub)
                == f"raise NotImplementedError('Exercise {names[i]}: {b.name}')"
            )


def test_the_edition_leaves_the_hidden_cases_out_and_names_its_checks(edition):
    assert (ROOT / "publishing" / "hidden_cases").is_dir()
    assert not list(edition.rglob("hidden_cases"))
    assert (edition / "conftest.py").read_text() == (
        ROOT / "publishing" / "student_conftest.py"
    ).read_text()


def test_student_edition_fails_exactly_the_exercise_checks(edition):
    """nbval in strict mode, as the student's plain `pytest` runs it: every exercise-check cell
    fails, under its exercise's name, and every other cell passes with its stored output."""
    results, log = pytest_run(edition, ["chapters"], edition.parent / "nbval.xml")
    expected_failures = {
        (path.name, f"Exercise {name}")
        for path in CHAPTERS
        for _, name, _ in exercises(read(path))
    }
    failures = {
        (
            cls.rsplit(".", 1)[0].rsplit("/", 1)[-1].removeprefix("chapters.")
            + ".ipynb",
            name,
        )
        for (cls, name), passed in results.items()
        if not passed
    }
    assert len(results) == sum(len(code_cells(read(p))) for p in CHAPTERS), log[-2000:]
    assert failures == expected_failures, log[-4000:]


def test_grading_counts_the_exercises_a_student_has_done(edition):
    """A student who has done every other exercise, graded by the README's command from the
    book's repository: the report passes exactly those, hidden cases included."""
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
                done.add(f"Exercise {name}")
            else:
                todo.add(f"Exercise {name}")
        nbformat.write(student, partly / "chapters" / path.name)
    results, log = pytest_run(
        ROOT,
        ["-c", "publishing/grading.ini", str(partly / "chapters")],
        edition.parent / "partly.xml",
    )
    graded = {name: ok for (_, name), ok in results.items()}
    assert {k for k, ok in graded.items() if ok} == done, log[-3000:]
    assert {k for k, ok in graded.items() if not ok} == todo, log[-3000:]
    closing = log.strip().splitlines()[-1]
    assert f"{len(todo)} failed" in closing and f"{len(done)} passed" in closing, (
        closing
    )


def test_grading_passes_every_exercise_of_the_book(artifacts):
    results, log = pytest_run(
        ROOT,
        ["-p", "publishing.grading", "chapters"],
        artifacts / "grading-the-book.xml",
    )
    expected = sum(len(exercises(read(p))) for p in CHAPTERS)
    assert len(results) == expected and all(results.values()), log[-3000:]
