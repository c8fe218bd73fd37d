"""Grading coursework: a grade comes from the book's own check cells and its hidden cases, run on
the student's solution cells, whatever the student did to the check cells of their copy
(publishing/coursework.py; `python -m publishing grade`; the pytest plugin publishing.grading).

The class test grades, with the README's command, five students made here from the book, each
handing in chapter 0 or chapter 3 or both (cheap chapters with a few exercises): the book itself
(a full solution), an untouched student edition, a student who edits one check cell into
a fake pass and deletes another, one whose code kills the kernel and one whose code never returns
(under a short time limit). Every cell of the gradebook is asserted, and the feedback's key
lines. The notebooks run in the book's environment (BOOK_PYTHON, see conftest.py).
"""

import csv
import re
import subprocess
import xml.etree.ElementTree as ET

import nbformat
import pytest

from conftest import CHAPTERS, ROOT, book_python
from publishing import coursework, edition
from publishing.notebooks import code_cells, exercises, read

PRE = ROOT / "chapters" / "00_preface.ipynb"
ACT = ROOT / "chapters" / "03_activations.ipynb"
# Exercises being rewritten as these tests were written: their hidden cases are still to come.
PENDING = set()
TIME_LIMIT = 5  # seconds per graded cell for the class below: the looping student costs this much
FAKE_PASS = 'print("Exercise {name}: correct on all 6 cases.")'

pytestmark = pytest.mark.skipif(
    not (PRE.exists() and ACT.exists()), reason="chapters 0 and 3 are needed"
)


def run(command, **kwargs):
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=900, **kwargs
    )


def answered(student, book, exercise, body=None):
    """The student's notebook with ``exercise`` answered: the book's solution, or, with ``body``,
    the stub with its ``raise NotImplementedError(...)`` line replaced by ``body``."""
    for index in exercise.solutions:
        if body is None:
            student.cells[index].source = book.cells[index].source
        else:
            student.cells[index].source = re.sub(
                r'raise NotImplementedError\(".*"\)', body, student.cells[index].source
            )
    return student


def tampered(path):
    """The student edition of the chapter at ``path``, its last exercise done, the check cell of
    its first exercise made to print a pass, the check cell of its second deleted."""
    book = read(path)
    student = edition.student_notebook(book)
    found = exercises(book)
    answered(student, book, found[-1])
    student.cells[found[0].check].source = FAKE_PASS.format(name=found[0].name)
    del student.cells[found[1].check]
    return student


def failing_at(path, k, body):
    """The chapter at ``path`` with every exercise done but the k-th, whose function runs ``body``."""
    book = read(path)
    student = edition.student_notebook(book)
    for j, exercise in enumerate(exercises(book)):
        answered(student, book, exercise, body if j == k else None)
    return student


def names(path):
    return [e.name for e in exercises(read(path))]


# Without a kernel: what the grader runs, made from the release and the student's copy


def test_the_grader_runs_the_released_checks_on_the_students_solutions():
    book, student = read(ACT), tampered(ACT)
    cases = coursework.hidden_cases_for(ACT)
    graded, plans, notes = coursework.graded_notebook(book, student, cases)
    found = exercises(book)
    assert [p.name for p in plans] == [e.name for e in found]
    for plan, exercise in zip(plans, found):
        assert graded.cells[plan.check].source == book.cells[exercise.check].source, (
            "the released check runs"
        )
        expected = (
            book.cells[exercise.solutions[0]].source
            if exercise is found[-1]
            else edition.stub(book.cells[exercise.solutions[0]].source, exercise.name)
        )
        assert graded.cells[plan.solutions[0]].source == expected, (
            "the student's solution (here a stub) runs"
        )
        if exercise.name in cases.blocks:
            assert (
                plan.hidden == plan.check + 1
                and "hidden cases of exercise" in graded.cells[plan.hidden].source
            )
        assert all(not cell.outputs for _, cell in code_cells(graded))
    assert notes[found[0].name] == [
        "the check cell was changed in your copy; graded by the released check."
    ]
    assert notes[found[1].name] == [
        "the check cell was removed from your copy; graded by the released check."
    ]
    assert not any(notes[e.name] for e in found[2:])


def test_the_book_handed_in_as_it_is_gets_no_notes():
    for path in CHAPTERS:
        book = read(path)
        _, plans, notes = coursework.graded_notebook(
            book, book, coursework.hidden_cases_for(path)
        )
        assert [p.name for p in plans] == [e.name for e in exercises(book)]
        assert not any(notes.values()), f"{path.name}: {notes}"


def test_a_solution_is_found_by_the_function_it_defines_and_an_odd_one_is_noted():
    book = read(PRE)
    student = edition.student_notebook(book)
    first, second = exercises(book)[:2]
    answered(student, book, second)
    moved = student.cells.pop(
        second.solutions[0]
    )  # the second answer moved to the end of the notebook
    student.cells.append(moved)
    student.cells[first.solutions[0]].metadata[
        "tags"
    ] = []  # the first one's tag removed
    cheat = nbformat.v4.new_code_cell(
        "from bp_lib import exercises\n\ndef helper():\n    return exercises.check\n",
        metadata={"tags": ["solution"]},
    )
    student.cells.append(cheat)
    graded, plans, notes = coursework.graded_notebook(book, student)
    assert (
        graded.cells[plans[1].solutions[0]].source
        == book.cells[second.solutions[0]].source
    )
    assert "NotImplementedError" in graded.cells[plans[0].solutions[0]].source
    assert any("no cell tagged `solution` defining" in n for n in notes[first.name])
    assert any(
        "defining helper belong to no exercise" in n for n in notes[names(PRE)[-1]]
    )
    assert coursework.suspect_names(cheat.source) == ["check", "exercises"]


def test_hidden_cases_are_blocks_named_after_the_exercises_of_their_chapter(tmp_path):
    path = tmp_path / "03_whatever.py"
    path.write_text(
        "import numpy as np\n\n# %% exercise 3.1\nx = 1\n\n# %% exercise 3.2\ny = 2\n"
    )
    cases = coursework.hidden_cases_for(ACT, tmp_path)
    assert cases.preamble == "import numpy as np\n\n" and cases.blocks == {
        "3.1": "\nx = 1\n\n",
        "3.2": "\ny = 2\n",
    }
    source = coursework.hidden_source(cases, "3.2")
    assert source.splitlines()[6] == "y = 2" == path.read_text().splitlines()[6], (
        "the file's line numbers"
    )
    assert "x = 1" not in source
    assert coursework.hidden_cases_for(PRE, tmp_path) is None
    assert coursework.hidden_cases_for(ACT, tmp_path / "none") is None


def test_a_relative_book_python_is_taken_from_the_repository(monkeypatch):
    import conftest

    monkeypatch.setenv("BOOK_PYTHON", ".venv/bin/python")
    assert conftest.book_python() == str(ROOT / ".venv" / "bin" / "python")
    monkeypatch.setenv("BOOK_PYTHON", "/opt/env/bin/python")
    assert conftest.book_python() == "/opt/env/bin/python"


# In the book's environment


def test_the_command_lists_grade_and_check_cases():
    done = run([book_python(), "-m", "publishing", "--help"])
    assert (
        done.returncode == 0 and "grade" in done.stdout and "check-cases" in done.stdout
    ), done.stderr


def test_hidden_cases_pass_on_the_books_solutions_and_cover_every_exercise_but_the_pending():
    done = run([book_python(), "-m", "publishing", "check-cases"])
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    missing = re.search(r"exercises without hidden cases: (.*)", done.stdout).group(1)
    assert set(missing.split(", ")) - {"none"} <= PENDING, (
        f"write hidden cases for {missing}"
    )


FLAWED = {  # answers that pass the book's public cases; their hidden cases catch them
    "0.1": "def sigmoid_slope(z):\n    return np.exp(-z) / (1 + np.exp(-z)) ** 2\n",
    "5.4": "def log_sum_exp(z):\n    c = z[0]\n    return float(c + np.log(np.sum(np.exp(z - c))))\n",
    "7.1": "def silent_pixels(X):\n    return np.flatnonzero(np.asarray(X).sum(axis=1) == 0)\n",
    "8.4": (
        "import math\nfrom bp_lib.autodiff import Value\n\ndef softplus(v):\n    x = v.data\n"
        "    data = max(x, 0.0) + math.log1p(math.exp(-abs(x)))\n"
        "    return Value(data, parents=(v,), local_grads=(1 / (1 + math.exp(-x)),), op='softplus')\n"
    ),
    # floor for ceiling: right whenever k divides L, as in the public cases
    "10.4": "def recomputed_layers(L, k):\n    return (L // k - 1) * (k - 1)\n",
    # 1/p for 1/(1 - p): right at p = 1/2, the only p of the public cases
    "11.2": "def dropout_backward(dv, mask, p):\n    return dv * mask / p\n",
}


def test_hidden_cases_catch_answers_that_the_public_cases_let_through():
    script = (
        "import sys\nfrom publishing import coursework, notebooks\nfrom bp_lib.exercises import ExerciseError\n"
        f"flawed = {FLAWED!r}\nmissed = []\n"
        "for path in notebooks.chapters():\n"
        "    cases = coursework.hidden_cases_for(path)\n"
        "    for name in set(flawed) & set(cases.blocks):\n"
        "        try:\n"
        "            coursework.run_hidden_cases(path, name, [flawed[name]], cases)\n"
        "            missed.append(name)\n"
        "        except ExerciseError as caught:\n"
        "            print('caught', caught)\n"
        "print('missed', sorted(missed))\n"
    )
    done = run([book_python(), "-c", script])
    assert done.returncode == 0, done.stderr[-3000:]
    assert "missed []" in done.stdout, done.stdout
    assert done.stdout.count("caught Exercise") == len(FLAWED), done.stdout


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    """Five students graded by the README's command: (their folder, the gradebook's rows,
    {student: feedback}, the command's output)."""
    submissions = tmp_path_factory.mktemp("class")
    students = {
        "full": {PRE: read(PRE), ACT: read(ACT)},
        "untouched": {PRE: edition.student_notebook(read(PRE))},
        "tamper": {ACT: tampered(ACT)},
        "killer": {PRE: failing_at(PRE, 1, "import os; os._exit(1)")},
        "looper": {PRE: failing_at(PRE, len(names(PRE)) - 1, "while True: pass")},
    }
    for student, chapters in students.items():
        (submissions / student / "chapters").mkdir(parents=True)
        for path, notebook in chapters.items():
            nbformat.write(notebook, submissions / student / "chapters" / path.name)
    out = tmp_path_factory.mktemp("graded")
    done = run(
        [
            book_python(),
            "-m",
            "publishing",
            "grade",
            str(submissions),
            "--out",
            str(out / "gradebook.csv"),
            "--feedback",
            str(out / "feedback"),
            "--time-limit",
            str(TIME_LIMIT),
        ]
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    with (out / "gradebook.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    feedback = {
        p.stem: p.read_text(encoding="utf-8") for p in (out / "feedback").glob("*.md")
    }
    return submissions, rows, feedback, done.stdout


def test_the_gradebook_has_a_row_per_student_and_a_column_per_exercise_of_the_book(
    graded_class,
):
    _, rows, feedback, log = graded_class
    book = [name for path in CHAPTERS for name in names(path)]
    pre, act = names(PRE), names(ACT)
    scores = {
        "full": {**dict.fromkeys(pre, 1), **dict.fromkeys(act, 1)},
        "killer": {pre[0]: 1},  # the kernel died in the second: it and the third fail
        "looper": dict.fromkeys(pre[:-1], 1),  # the last never returns
        "tamper": {act[-1]: 1},  # the fake pass and the deleted check count for nothing
        "untouched": {},
    }
    assert rows[0] == ["student", *book, "total"]
    expected = [
        [s, *(str(scores[s].get(n, 0)) for n in book), str(sum(scores[s].values()))]
        for s in sorted(scores)
    ]
    assert rows[1:] == expected, log
    assert sorted(feedback) == sorted(scores)


def test_the_feedback_says_what_each_exercise_got_and_what_was_changed(graded_class):
    _, _, feedback, _ = graded_class
    pre, act = names(PRE), names(ACT)
    function = re.search(
        r"def (\w+)", read(ACT).cells[exercises(read(ACT))[0].solutions[0]].source
    ).group(1)
    tamper = feedback["tamper"].splitlines()
    assert (
        f"- {act[0]}: failed. Exercise {act[0]}: {function} is not written yet; fill it in above."
        in tamper
    )
    assert (
        f"- {act[0]}: the check cell was changed in your copy; graded by the released check."
        in tamper
    )
    assert (
        f"- {act[1]}: the check cell was removed from your copy; graded by the released check."
        in tamper
    )
    assert any(
        line.startswith(f"- {act[-1]}: passed. Exercise {act[-1]}: correct")
        for line in tamper
    )
    assert "- 00_preface.ipynb" in tamper and "## Not handed in" in tamper
    assert (
        "## 00_preface.ipynb: 0 of" in feedback["untouched"]
        and "- 03_activations.ipynb" in feedback["untouched"]
    )
    killer = feedback["killer"].splitlines()
    assert (
        f"- {pre[1]}: failed. The check made the kernel die (the code exited or crashed): the exercises "
        "after it in this chapter were not graded."
    ) in killer
    assert (
        f"- {pre[2]}: failed. Not graded: the run of this chapter stopped at exercise {pre[1]}."
        in killer
    )
    looper = feedback["looper"].splitlines()
    assert (
        f"- {pre[-1]}: failed. The check ran longer than the time limit of {TIME_LIMIT} s per cell: the "
        "exercises after it in this chapter were not graded."
    ) in looper
    full = feedback["full"]
    assert f"{len(pre) + len(act)} of " in full.splitlines()[2]
    assert re.search(
        rf"- {re.escape(pre[0])}: passed\. Exercise {re.escape(pre[0])}: correct.* Hidden cases: "
        rf"Exercise {re.escape(pre[0])}: correct",
        full,
    )
    assert (
        "Notes on your copy" not in full
        and "Notes on your copy" not in feedback["untouched"]
    )


def test_the_pytest_plugin_grades_a_student_as_the_gradebook_does(
    graded_class, tmp_path
):
    """The README's command for one student, from the book's repository."""
    submissions, rows, _, _ = graded_class
    junit = tmp_path / "tamper.xml"
    done = run(
        [
            book_python(),
            "-m",
            "pytest",
            "-c",
            "publishing/grading.ini",
            "--time-limit",
            str(TIME_LIMIT),
            f"--junitxml={junit}",
            str(submissions / "tamper" / "chapters"),
        ]
    )
    assert junit.exists(), done.stdout[-3000:] + done.stderr[-3000:]
    plugin = {
        case.attrib["name"]: case.find("failure") is None
        for case in ET.parse(junit).getroot().iter("testcase")
    }
    row = dict(zip(rows[0], next(r for r in rows if r[0] == "tamper")))
    assert plugin == {f"Exercise {n}": row[n] == "1" for n in names(ACT)}
    assert (
        "grading notes" in done.stdout
        and "the check cell was removed from your copy" in done.stdout
    )
