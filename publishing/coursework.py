"""Grading coursework: each exercise of a student's chapter graded by the book's own checks.

A chapter is graded (``grade_chapter``) by running a notebook the grader puts together:

1. **The released chapter**: the chapter as this repository publishes it (``notebooks.ROOT``;
   ``book`` in ``grade_class``), outputs cleared: every check cell is the teacher's.
2. **The student's answers**: each solution cell of the release is replaced by the student's cell
   tagged ``solution`` that defines the same function (``student_solutions``; the k-th such cell
   for the k-th solution cell of that exercise); an exercise whose cell is missing gets the
   student edition's stub, so it fails. Nothing else of the student's notebook is run: their
   check cells, their stored outputs and any cell they added count for nothing.
3. **Hidden cases**: after each check cell, the exercise's block of ``hidden_cases/NN_*.py``
   (``read_hidden_cases``), run in a copy of the notebook's namespace.

The notebook runs top to bottom in a fresh kernel of this interpreter (``notebooks.execute``),
in an empty working folder, every cell run even after an error. The student's cells, the checks
and the hidden cases each have ``time_limit`` seconds; a cell that runs longer, or a kernel that
dies, ends the run: that exercise and every exercise after it in the chapter fail. An exercise
passes when its solution cells, its check and its hidden cases all ran without an error.

A check cell of the student's copy that differs from the release, or is missing, is reported as
a note; so is a solution cell that refers to the checking machinery (``check_function``,
``sys._getframe``, ...), for the teacher to read: code in the kernel can do anything the kernel
can, so a grade is only as trustworthy as the solution cells are plain.

``grade_class`` grades a folder of students (one folder each) into a gradebook CSV and a markdown
feedback file per student; ``python -m publishing grade`` runs it, and the pytest plugin
``publishing.grading`` grades one student's chapters with the same ``grade_chapter``.
"""

import ast
import copy
import csv
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

from publishing import notebooks

HIDDEN_CASES = Path(__file__).resolve().parent / "hidden_cases"
TIME_LIMIT = 60  # seconds each solution cell, check cell and hidden-cases cell may take
MARKER = re.compile(r"^# %% exercise (?P<name>\S+)[ \t]*$", re.MULTILINE)
DEF = re.compile(r"^(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)", re.MULTILINE)
# Names a solution has no need of: the checker and ways to reach into the frames that call it.
SUSPECT = {
    "check",
    "check_function",
    "exercises",
    "ExerciseError",
    "_compare",
    "_getframe",
    "f_back",
    "f_locals",
    "f_globals",
    "__builtins__",
    "builtins",
    "settrace",
    "setprofile",
}
SHOWN = 600  # characters of an error message kept in a grade's message
NOT_HANDED_IN = "Not handed in."


class Outcome(NamedTuple):
    """The grade of one exercise: ``chapter`` (file name), ``name`` ("3.1"), whether it
    ``passed``, a ``message`` (the check's line, or what went wrong) and ``notes`` about the
    student's copy (a check cell changed or removed, a solution cell to read by hand)."""

    chapter: str
    name: str
    passed: bool
    message: str
    notes: tuple = ()


# Hidden cases


class HiddenCases(NamedTuple):
    """A hidden-cases file: its ``path``, its ``preamble`` (what comes before the first marker)
    and ``blocks``, {exercise name: the code between its marker and the next}."""

    path: Path
    preamble: str
    blocks: dict


def read_hidden_cases(path):
    """The hidden cases in the file at ``path``: a Python file in which each exercise's cases
    follow a line ``# %% exercise N.k``; the lines before the first such line (imports, helpers)
    run before each exercise's block. ValueError if an exercise has two blocks."""
    text = Path(path).read_text(encoding="utf-8")
    parts = MARKER.split(text)
    blocks = {}
    for name, code in zip(parts[1::2], parts[2::2]):
        if name in blocks:
            raise ValueError(
                f"{Path(path).name}: exercise {name} has two blocks of hidden cases"
            )
        blocks[name] = code
    return HiddenCases(Path(path), parts[0], blocks)


def hidden_cases_for(chapter, folder=HIDDEN_CASES):
    """The hidden cases of the chapter at ``chapter`` in ``folder``: the file named after the
    chapter's number, ``NN_anything.py``; None if there is none (or no folder)."""
    if folder is None or not Path(folder).is_dir():
        return None
    number = notebooks.chapter_number(chapter)
    found = sorted(Path(folder).glob(f"{number:02d}_*.py"))
    if len(found) > 1:
        raise ValueError(
            f"{folder} holds more than one file for chapter {number}: {[p.name for p in found]}"
        )
    return read_hidden_cases(found[0]) if found else None


def hidden_source(cases, name):
    """The Python that runs exercise ``name``'s hidden cases: the preamble, then its block, with
    the file's own line numbers (every other block blanked), compiled under the file's name."""
    kept = [cases.preamble]
    for other, code in cases.blocks.items():
        kept.append(
            f"# %% exercise {other}"
        )  # each block starts with the line break that ends its marker
        kept.append(code if other == name else "\n" * code.count("\n"))
    return "".join(kept)


def hidden_cell(cases, name):
    """A code cell that runs exercise ``name``'s hidden cases in a copy of the notebook's
    namespace: they see the student's function, and rebind none of the chapter's names."""
    source = hidden_source(cases, name)
    return (
        f"# hidden cases of exercise {name}, from {cases.path.name}\n"
        f"exec(compile({source!r}, {str(cases.path)!r}, 'exec'), dict(globals()))"
    )


def run_hidden_cases(chapter, name, solutions, cases):
    """Run exercise ``name``'s hidden ``cases`` on ``solutions`` (the sources of its solution
    cells) here, without a kernel, in a namespace holding what the chapter's first code cell
    imports: raises what the cases raise (``ExerciseError`` when an answer is wrong)."""
    book = notebooks.read(chapter)
    namespace = {"__name__": "__hidden_cases__"}
    first = notebooks.code_cells(book)[0][1]
    exec(
        compile(
            notebooks.python_source(first),
            f"{Path(chapter).name}, first code cell",
            "exec",
        ),
        namespace,
    )
    for source in solutions:
        exec(
            compile(notebooks.python_source(source), "solution cell", "exec"), namespace
        )
    exec(compile(hidden_source(cases, name), str(cases.path), "exec"), dict(namespace))


def check_cases(folder=HIDDEN_CASES, book=notebooks.ROOT, log=print):
    """Run every hidden case in ``folder`` on the book's own solutions (``run_hidden_cases``) and
    return ``(problems, missing)``: the blocks that fail or name no exercise of their chapter, as
    sentences, and the exercises of the book that have no hidden cases."""
    problems, missing = [], []
    numbers = {notebooks.chapter_number(p): p for p in notebooks.chapters(book)}
    for path in sorted(Path(folder).glob("*.py")):
        found = re.match(r"(\d\d)_", path.name)
        if not found or int(found[1]) not in numbers:
            problems.append(
                f"{path.name}: named after no chapter of the book (NN_name.py, NN a chapter's number)"
            )
    for chapter in numbers.values():
        release = notebooks.read(chapter)
        cases = hidden_cases_for(chapter, folder)
        blocks = cases.blocks if cases else {}
        exercises = {e.name: e for e in notebooks.exercises(release)}
        for name, code in blocks.items():
            if name not in exercises:
                problems.append(
                    f"{cases.path.name}: exercise {name} is not an exercise of {chapter.name}"
                )
                continue
            if notebooks.exercise_name(code) != name:
                problems.append(
                    f"{cases.path.name}: the block of exercise {name} must check it by name, "
                    f'check_function("{name}", ...)'
                )
                continue
            try:
                run_hidden_cases(
                    chapter,
                    name,
                    [release.cells[i].source for i in exercises[name].solutions],
                    cases,
                )
            except Exception as failure:  # noqa: BLE001 -- every block is tried and reported
                problems.append(
                    f"{cases.path.name}: exercise {name}, on the book's own solution: "
                    f"{type(failure).__name__}: {failure}"
                )
        missing += [name for name in exercises if name not in blocks]
    for problem in problems:
        log(f"problem: {problem}")
    log(f"exercises without hidden cases: {', '.join(missing) or 'none'}")
    return problems, missing


# Reading the student's notebook


def defined_functions(source):
    """The names of the functions a cell defines at its top level (``def`` at the start of a
    line), found even in a cell that does not parse."""
    return DEF.findall(source)


def student_solutions(release, student):
    """``(answers, extra)``: ``answers`` maps the index of each solution cell of the release to
    the index of the student's cell tagged ``solution`` that defines one of the same functions
    (taken in order, each student cell used once); ``extra`` lists the indices of the student's
    solution cells that match none."""
    released = [
        index
        for exercise in notebooks.exercises(release)
        for index in exercise.solutions
    ]
    wanted = {
        index: set(defined_functions(release.cells[index].source)) for index in released
    }
    answers, extra = {}, []
    for position, cell in notebooks.code_cells(student):
        if notebooks.SOLUTION not in notebooks.tags(cell):
            continue
        names = set(defined_functions(cell.source))
        match = next(
            (i for i in released if i not in answers and wanted[i] & names), None
        )
        if match is None:
            extra.append(position)
        else:
            answers[match] = position
    return answers, extra


def _name_of(cell):
    try:
        return notebooks.exercise_name(cell)
    except SyntaxError:
        return None


def check_cell_notes(release, student, answers=None):
    """{exercise name: a note} for each check cell of the release that the student's copy has
    changed or removed. The student's cells tagged ``exercise-check`` are each taken for the
    exercise they name, or, naming none of the release's, for the exercise whose solution cell
    (``answers``, from ``student_solutions``) comes last before them. An exercise none of them
    is taken for, whose released check's source is in no cell of the copy, had it removed; one
    with a taken cell of another source had it changed."""
    if answers is None:
        answers, _ = student_solutions(release, student)
    exercises = notebooks.exercises(release)
    names = {e.name for e in exercises}
    solved_at = sorted(
        (answers[i], e.name) for e in exercises for i in e.solutions if i in answers
    )
    theirs = {}
    for position, cell in notebooks.code_cells(student):
        if notebooks.EXERCISE_CHECK not in notebooks.tags(cell):
            continue
        name = _name_of(cell)
        if name not in names:
            before = [n for at, n in solved_at if at < position]
            name = before[-1] if before else None
        theirs.setdefault(name, []).append(cell.source.strip())
    sources = {cell.source.strip() for _, cell in notebooks.code_cells(student)}
    notes = {}
    for exercise in exercises:
        released = release.cells[exercise.check].source.strip()
        if released in theirs.get(exercise.name, []) or (
            exercise.name not in theirs and released in sources
        ):
            continue
        how = "changed in" if exercise.name in theirs else "removed from"
        notes[exercise.name] = (
            f"the check cell was {how} your copy; graded by the released check."
        )
    return notes


def suspect_names(source):
    """The names of ``SUSPECT`` that a solution's source uses (as a name, an attribute or an
    import), sorted; [] for a source that does not parse."""
    try:
        tree = ast.parse(notebooks.python_source(source))
    except SyntaxError:
        return []
    used = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            used.add(node.id)
        elif isinstance(node, ast.Attribute):
            used.add(node.attr)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            used |= {part for alias in node.names for part in alias.name.split(".")}
            used |= set((getattr(node, "module", None) or "").split("."))
    return sorted(used & SUSPECT)


# The notebook the grader runs


class Plan(NamedTuple):
    """Where exercise ``name``'s cells are in the graded notebook."""

    name: str
    solutions: tuple
    check: int
    hidden: int | None


def labels(release):
    """The label of each exercise of a notebook, in order: its name, "3.1", or, for a name seen
    before in the notebook, the name and its count, "3.1 (2)"."""
    seen, found = {}, []
    for exercise in notebooks.exercises(release):
        name = exercise.name or f"cell {exercise.check}"
        seen[name] = seen.get(name, 0) + 1
        found.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return found


def graded_notebook(release, student, cases=None):
    """``(notebook, plans, notes)``: the notebook to run (the release, its solution cells
    replaced by the student's or stubs, a hidden-cases cell after each check cell that has
    cases, outputs cleared), the ``Plan`` of each exercise, and the notes on the student's copy,
    {label: [note, ...]}."""
    from publishing import edition

    answers, extra = student_solutions(release, student)
    changed = check_cell_notes(release, student, answers)
    exercises = notebooks.exercises(release)
    names = labels(release)
    graded = copy.deepcopy(release)
    notes = {label: [] for label in names}
    role = {}
    for label, exercise in zip(names, exercises):
        if exercise.name in changed:
            notes[label].append(changed[exercise.name])
        for index in exercise.solutions:
            cell = graded.cells[index]
            if index in answers:
                cell.source = student.cells[answers[index]].source
                suspect = suspect_names(cell.source)
                if suspect:
                    notes[label].append(
                        f"your solution cell uses {', '.join(suspect)}: your teacher will read it."
                    )
            else:
                cell.source = edition.stub(release.cells[index].source, exercise.name)
                wanted = ", ".join(defined_functions(release.cells[index].source))
                notes[label].append(
                    f"your copy has no cell tagged `solution` defining {wanted}: graded as not done."
                )
            role[index] = (label, "solution")
        role[exercise.check] = (label, "check")
    if extra and names:
        functions = sorted(
            {f for i in extra for f in defined_functions(student.cells[i].source)}
        ) or ["no function"]
        notes[names[-1]].append(
            f"cells tagged `solution` defining {', '.join(functions)} belong to no exercise "
            "and were not run."
        )

    cells, where = [], {}
    for index, cell in enumerate(graded.cells):
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        if index in role:
            cell.metadata["grading"] = {
                "exercise": role[index][0],
                "role": role[index][1],
            }
        where[index] = len(cells)
        cells.append(cell)
        label, what = role.get(index, (None, None))
        if what == "check" and cases is not None:
            exercise = exercises[names.index(label)]
            if exercise.name in cases.blocks:
                import nbformat

                hidden = nbformat.v4.new_code_cell(hidden_cell(cases, exercise.name))
                hidden.metadata["grading"] = {"exercise": label, "role": "hidden"}
                where[("hidden", label)] = len(cells)
                cells.append(hidden)
    graded.cells = cells
    plans = [
        Plan(
            label,
            tuple(where[i] for i in exercise.solutions),
            where[exercise.check],
            where.get(("hidden", label)),
        )
        for label, exercise in zip(names, exercises)
    ]
    return graded, plans, notes


# Running it


def _error(cell):
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    return (errors[0]["ename"], errors[0]["evalue"]) if errors else None


def _printed(cell):
    text = "".join(
        o.get("text", "") if isinstance(o.get("text", ""), str) else "".join(o["text"])
        for o in cell.get("outputs", [])
        if o.get("output_type") == "stream" and o.get("name") == "stdout"
    )
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def _short(text):
    text = " ".join(str(text).split())
    return text if len(text) <= SHOWN else text[: SHOWN - 3] + "..."


WHAT = {
    "solution": "your solution cell",
    "check": "the check",
    "hidden": "the hidden cases",
}
STOPS = {
    "timeout": "ran longer than the time limit of {limit:g} s per cell",
    "died": "made the kernel die (the code exited or crashed)",
}


def _verdict(notebook, plan, stopped):
    """(passed, message) for one exercise of an executed graded notebook; ``stopped`` is
    ``(index of the cell that was running or None, "timeout" or "died", time limit)`` if the
    run ended early."""
    cells = [(i, "solution") for i in plan.solutions] + [(plan.check, "check")]
    if plan.hidden is not None:
        cells.append((plan.hidden, "hidden"))
    if (
        stopped is not None
    ):  # a run that ended after this exercise's cells leaves its grade standing
        at, kind, limit = stopped
        mine = dict(cells)
        if at in mine:
            what = WHAT[mine[at]]
            return False, (
                f"{what[0].upper()}{what[1:]} {STOPS[kind].format(limit=limit)}: the exercises after "
                "it in this chapter were not graded."
            )
        if at is None or at < cells[-1][0]:
            where = (
                notebook.cells[at].metadata.get("grading", {}).get("exercise")
                if at is not None
                else None
            )
            return False, (
                f"Not graded: the run of this chapter stopped at exercise {where}."
                if where
                else "Not graded: the run of this chapter stopped before it."
            )
    for index, role in cells:
        error = _error(notebook.cells[index])
        if error is None:
            continue
        ename, evalue = error
        if role == "solution":
            return False, _short(f"Your solution cell raised {ename}: {evalue}")
        prefix = "Hidden cases: " if role == "hidden" else ""
        if ename == "ExerciseError":
            return False, _short(prefix + evalue)
        return False, _short(
            f"{WHAT[role][0].upper()}{WHAT[role][1:]} raised {ename}: {evalue}"
        )
    said = _printed(notebook.cells[plan.check])
    if plan.hidden is not None:
        said += " Hidden cases: " + _printed(notebook.cells[plan.hidden])
    return True, _short(said.strip() or "Its check ran without an error.")


def grade_chapter(
    release_path, student_path, *, cases_folder=HIDDEN_CASES, time_limit=TIME_LIMIT
):
    """The ``Outcome`` of each exercise of the released chapter at ``release_path`` for the
    student's notebook at ``student_path`` (see the module's docstring), in order."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    release_path, student_path = Path(release_path), Path(student_path)
    release = notebooks.read(release_path)
    names = labels(release)
    try:
        student = notebooks.read(student_path)
    except Exception as failure:  # not a notebook: JSON broken by hand, an empty file
        message = _short(
            f"Not graded: {student_path.name} could not be read as a notebook "
            f"({type(failure).__name__}: {failure})."
        )
        return [Outcome(release_path.name, name, False, message) for name in names]
    cases = hidden_cases_for(release_path, cases_folder)
    graded, plans, notes = graded_notebook(release, student, cases)

    def limit(cell):
        return (
            time_limit
            if "grading" in cell.metadata
            else max(notebooks.CELL_TIMEOUT, time_limit)
        )

    stopped = None
    with tempfile.TemporaryDirectory(prefix="grading-") as folder:
        try:
            notebooks.execute(graded, folder, allow_errors=True, timeout=limit)
        except CellTimeoutError as failure:
            stopped = (getattr(failure, "cell_index", None), "timeout", time_limit)
        except DeadKernelError as failure:
            stopped = (getattr(failure, "cell_index", None), "died", time_limit)
    outcomes = []
    for plan in plans:
        passed, message = _verdict(graded, plan, stopped)
        outcomes.append(
            Outcome(
                release_path.name, plan.name, passed, message, tuple(notes[plan.name])
            )
        )
    return outcomes


# A class


class Column(NamedTuple):
    """A column of the gradebook: the exercise's ``label`` and its chapter's file ``name``."""

    label: str
    chapter: str


def book_columns(book=notebooks.ROOT):
    """The gradebook's exercise columns: every exercise of the book's chapters, in order.
    ValueError if two chapters name an exercise alike."""
    columns = [
        Column(label, path.name)
        for path in notebooks.chapters(book)
        for label in labels(notebooks.read(path))
    ]
    seen = [c.label for c in columns]
    twice = sorted({label for label in seen if seen.count(label) > 1})
    if twice:
        raise ValueError(f"exercises named alike in two chapters: {twice}")
    return columns


def student_folders(submissions):
    """The students' folders in ``submissions``, sorted by name (hidden folders left out)."""
    return sorted(
        (
            p
            for p in Path(submissions).iterdir()
            if p.is_dir() and not p.name.startswith((".", "_"))
        ),
        key=lambda p: p.name,
    )


def handed_in(folder):
    """{file name: path} of the notebooks a student handed in: ``chapters/*.ipynb`` in their
    folder, or ``*.ipynb`` in the folder itself if it has no ``chapters/``."""
    where = folder / "chapters" if (folder / "chapters").is_dir() else folder
    return {p.name: p for p in sorted(where.glob("*.ipynb"))}


def grade_student(
    folder,
    *,
    book=notebooks.ROOT,
    cases_folder=HIDDEN_CASES,
    time_limit=TIME_LIMIT,
    log=print,
):
    """``(outcomes, not_graded)``: the ``Outcome`` of every exercise of the book for the student
    whose work is in ``folder`` (a chapter not handed in fails each of its exercises), and the
    names of the notebooks they handed in that are not chapters of the book."""
    notebooks_in = handed_in(folder)
    outcomes = []
    for path in notebooks.chapters(book):
        if path.name not in notebooks_in:
            outcomes += [
                Outcome(path.name, label, False, NOT_HANDED_IN)
                for label in labels(notebooks.read(path))
            ]
            continue
        start = time.perf_counter()
        try:
            graded = grade_chapter(
                path,
                notebooks_in[path.name],
                cases_folder=cases_folder,
                time_limit=time_limit,
            )
        except Exception as failure:  # noqa: BLE001 -- one chapter that cannot be graded must not stop the class
            message = _short(
                f"Not graded: the grader failed ({type(failure).__name__}: {failure})."
            )
            print(f"{folder.name}: {path.name} {message}", file=sys.stderr)
            graded = [
                Outcome(path.name, label, False, message)
                for label in labels(notebooks.read(path))
            ]
        outcomes += graded
        log(
            f"{folder.name:<24} {path.name:<40} {sum(o.passed for o in graded)}/{len(graded)}"
            f"  {time.perf_counter() - start:5.1f} s"
        )
    chapters = {p.name for p in notebooks.chapters(book)}
    return outcomes, sorted(set(notebooks_in) - chapters)


def feedback(student, outcomes, not_graded=()):
    """The markdown feedback for one student: the count, then per chapter each exercise's result
    and message, and the notes on their copy."""
    passed = sum(o.passed for o in outcomes)
    lines = [
        f"# Feedback for {student}",
        "",
        f"{passed} of {len(outcomes)} exercises pass. Each exercise was graded by the book's own check "
        "cell, then by hidden cases, whatever the check cells of your copy say.",
        "",
    ]
    chapters = list(dict.fromkeys(o.chapter for o in outcomes))
    missing = [
        c
        for c in chapters
        if all(o.message == NOT_HANDED_IN for o in outcomes if o.chapter == c)
    ]
    for chapter in chapters:
        if chapter in missing:
            continue
        mine = [o for o in outcomes if o.chapter == chapter]
        lines += [f"## {chapter}: {sum(o.passed for o in mine)} of {len(mine)}", ""]
        lines += [
            f"- {o.name}: {'passed' if o.passed else 'failed'}. {o.message}"
            for o in mine
        ]
        notes = [f"- {o.name}: {note}" for o in mine for note in o.notes]
        if notes:
            lines += ["", "Notes on your copy:", ""] + notes
        lines.append("")
    if missing:
        lines += ["## Not handed in", "", *(f"- {c}" for c in missing), ""]
    if not_graded:
        lines += [
            "## Not graded",
            "",
            *(f"- {name}: not a chapter of the book." for name in not_graded),
            "",
        ]
    return "\n".join(lines)


def grade_class(
    submissions,
    out,
    *,
    feedback_folder=None,
    book=notebooks.ROOT,
    cases_folder=HIDDEN_CASES,
    time_limit=TIME_LIMIT,
    log=print,
):
    """Grade every student's folder in ``submissions``: write the gradebook CSV ``out`` (one row
    per student: the folder's name, 1 or 0 per exercise of the book, the total) and
    ``<student>.md`` feedback files into ``feedback_folder`` (default: next to the CSV). Returns
    the rows, {student: {column: value}}."""
    submissions, out = Path(submissions), Path(out)
    feedback_folder = (
        Path(feedback_folder) if feedback_folder is not None else out.parent
    )
    if not submissions.is_dir():
        raise ValueError(
            f"{submissions} is not a folder (one folder per student, each with its chapters/)"
        )
    columns = book_columns(book)
    students = student_folders(submissions)
    if not students:
        raise ValueError(f"{submissions} holds no student folders")
    feedback_folder.mkdir(parents=True, exist_ok=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = {}
    for folder in students:
        outcomes, not_graded = grade_student(
            folder, book=book, cases_folder=cases_folder, time_limit=time_limit, log=log
        )
        scores = {(o.chapter, o.name): int(o.passed) for o in outcomes}
        row = {"student": folder.name}
        row.update({c.label: scores.get((c.chapter, c.label), 0) for c in columns})
        row["total"] = sum(row[c.label] for c in columns)
        rows[folder.name] = row
        (feedback_folder / f"{folder.name}.md").write_text(
            feedback(folder.name, outcomes, not_graded), encoding="utf-8"
        )
        for o in outcomes:
            for note in o.notes:
                if "your teacher will read it" in note:
                    log(f"{folder.name:<24} read by hand: exercise {o.name}: {note}")
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=["student", *(c.label for c in columns), "total"]
        )
        writer.writeheader()
        writer.writerows(rows.values())
    log(
        f"gradebook: {out} ({len(rows)} students, {len(columns)} exercises); feedback in {feedback_folder}"
    )
    return rows
