"""publishing.notebooks, where the book's notebook conventions are defined once: the chapters and
their order, tags, a cell's Python, what an exercise is and its name, marked blocks of a file.

No kernel is started here (tests/test_execute_notebooks.py runs one).
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from publishing import edition, notebooks

ROOT = Path(__file__).resolve().parent.parent


def test_chapters_are_the_numbered_notebooks_in_the_order_of_their_numbers(tmp_path):
    folder = tmp_path / "chapters"
    folder.mkdir()
    for name in (
        "10_later.ipynb",
        "02_b.ipynb",
        "01_z_last_letter.ipynb",
        "Untitled.ipynb",
        "3_one_digit.ipynb",
        "04_Capital.ipynb",
        "05-dash.ipynb",
        "06_notes.md",
    ):
        (folder / name).write_text("{}")
    assert [p.name for p in notebooks.chapters(tmp_path)] == [
        "01_z_last_letter.ipynb",
        "02_b.ipynb",
        "10_later.ipynb",
    ]
    assert [p.name for p in notebooks.not_chapters(tmp_path)] == [
        "04_Capital.ipynb",
        "05-dash.ipynb",
        "3_one_digit.ipynb",
        "Untitled.ipynb",
    ]
    assert notebooks.chapter_number(folder / "10_later.ipynb") == 10
    assert notebooks.chapter_number("chapters/03_activations.ipynb") == 3
    with pytest.raises(
        ValueError, match="Untitled.ipynb is not a chapter: .*NN_name.ipynb"
    ):
        notebooks.chapter_number(folder / "Untitled.ipynb")


def test_the_books_chapters_are_found_from_the_repository():
    found = notebooks.chapters(ROOT)
    assert found and found == sorted(found, key=notebooks.chapter_number)
    assert notebooks.chapters() == found  # the default root is this repository


def test_tags_of_a_cell_with_and_without_them():
    assert notebooks.tags(new_code_cell("x = 1", metadata={"tags": ["solution"]})) == [
        "solution"
    ]
    assert notebooks.tags(new_code_cell("x = 1")) == []
    assert (
        notebooks.tags({"cell_type": "code", "source": []}) == []
    )  # a cell as stored, no metadata


def test_code_cells_keep_their_indices_in_the_notebook():
    notebook = new_notebook(
        cells=[
            new_markdown_cell("# T"),
            new_code_cell("a = 1"),
            new_markdown_cell("x"),
            new_code_cell(""),
        ]
    )
    assert [(i, c.source) for i, c in notebooks.code_cells(notebook)] == [
        (1, "a = 1"),
        (3, ""),
    ]


def test_magics_are_blanked_and_line_numbers_kept():
    source = "%matplotlib inline\nimport sys\n%%capture\n  !pip install x\nx = '%d' % 3\n%time y = x"
    python = notebooks.python_source(new_code_cell(source))
    assert python.split("\n") == ["", "import sys", "", "", "x = '%d' % 3", ""]
    assigned = [n for n in ast.parse(python).body if isinstance(n, ast.Assign)]
    assert [n.lineno for n in assigned] == [
        5
    ]  # line 5 of the cell, as the reader sees it
    assert notebooks.python_source(source) == python  # the source itself will do
    assert (
        notebooks.python_source({"source": ["%pwd\n", "z = 1\n"]}) == "\nz = 1\n"
    )  # as stored in the file


@pytest.mark.parametrize(
    "source, name",
    [
        ('check("3.1", got, expected)', "3.1"),
        ('check_function("3.2", f, [((0.0,), 0.25)])', "3.2"),
        ('check(name="3.3", got=got, expected=expected)', "3.3"),
        ('check_function(fn=f, cases=[], name="3.4")', "3.4"),
        ('bp_lib.exercises.check("3.5", got, expected)', "3.5"),
        (
            '%time check("3.6", a, b)\ncheck("3.7", a, b)',
            "3.7",
        ),  # a magic line is not Python
        (
            'result = 1\ncheck("3.8", a, b)\ncheck("3.9", a, b)',
            "3.8",
        ),  # the first call in the source
        (
            'name = "4.1"\ncheck(name, a, b)\ncheck("4.2", a, b)',
            "4.2",
        ),  # the first that names one literally
        ('print("hello")\ncheck_gradients(net)', None),
        ("check(got, expected)", None),
    ],
)
def test_exercise_name_positional_or_keyword(source, name):
    assert notebooks.exercise_name(new_code_cell(source)) == name
    assert notebooks.exercise_name(source) == name


def exercise_notebook():
    """Markdown, a solution and its check, a plain cell, two solutions and a keyword-named check,
    a check with no solution, and a solution that no check follows."""
    solution = lambda source: new_code_cell(source, metadata={"tags": ["solution"]})  # noqa: E731
    check = lambda source: new_code_cell(source, metadata={"tags": ["exercise-check"]})  # noqa: E731
    return new_notebook(
        cells=[
            new_markdown_cell("## Exercises"),  # 0
            solution('def f(x):\n    """Twice x."""\n    return 2 * x'),  # 1
            check('check_function("1.1", f, [((1,), 2)])'),  # 2
            new_code_cell("plain = 1"),  # 3
            solution("import math\n\ndef g(x):\n    return math.sqrt(x)"),  # 4
            solution("def h(x):\n    return g(x) + 1"),  # 5
            check('check(name="1.2", got=h(4), expected=3)'),  # 6
            check('check("1.3", plain, 1)'),  # 7
            solution("def left_over():\n    return 0"),  # 8
        ]
    )


def test_exercises_are_check_cells_with_the_solutions_since_the_previous_check():
    found = notebooks.exercises(exercise_notebook())
    assert found == [(2, "1.1", (1,)), (6, "1.2", (4, 5)), (7, "1.3", ())]
    assert (
        found[1].check == 6 and found[1].name == "1.2" and found[1].solutions == (4, 5)
    )


def test_the_student_edition_names_each_stub_after_its_exercise():
    notebook = exercise_notebook()
    del notebook.cells[8]  # a solution with no check after it is refused (below)
    student = edition.student_notebook(notebook)
    assert (
        student.cells[1].source
        == 'def f(x):\n    """Twice x."""\n    raise NotImplementedError("Exercise 1.1: f")'
    )
    assert (
        student.cells[4].source
        == 'import math\n\ndef g(x):\n    raise NotImplementedError("Exercise 1.2: g")'
    )
    assert (
        student.cells[5].source
        == 'def h(x):\n    raise NotImplementedError("Exercise 1.2: h")'
    )
    assert [c.source for i, c in enumerate(student.cells) if i not in (1, 4, 5)] == [
        c.source for i, c in enumerate(notebook.cells) if i not in (1, 4, 5)
    ]
    with pytest.raises(ValueError, match="solution cell 8 has no exercise-check cell"):
        edition.student_notebook(exercise_notebook())


README = """# Title

<!-- table: one line per row -->
| a |
| 1 |
<!-- end of table -->
after
"""


def test_between_and_replace_between_keep_the_markers_lines():
    assert (
        notebooks.between(README, "<!-- table", "<!-- end of table -->")
        == "| a |\n| 1 |\n"
    )
    new = notebooks.replace_between(
        README, "<!-- table", "<!-- end of table -->", "| b |\n| 2 |"
    )
    assert new == README.replace("| a |\n| 1 |\n", "| b |\n| 2 |\n")
    assert (
        notebooks.replace_between(
            new, "<!-- table", "<!-- end of table -->", "| b |\n| 2 |\n"
        )
        == new
    )
    emptied = notebooks.replace_between(
        README, "<!-- table", "<!-- end of table -->", ""
    )
    assert "<!-- table: one line per row -->\n<!-- end of table -->\nafter" in emptied


@pytest.mark.parametrize(
    "begin, end, message",
    [
        (
            "<!-- benchmark table -->",
            "<!-- end of table -->",
            "no line holds the marker '<!-- benchmark table -->'",
        ),
        (
            "<!-- table",
            "<!-- end benchmark table -->",
            "no line after the marker '<!-- table' holds the marker '<!-- end benchmark table -->'",
        ),
        (
            "after",
            "<!-- end of table -->",
            "no line after the marker 'after' holds",
        ),  # the end before the beginning
    ],
)
def test_replace_between_with_a_missing_marker_says_which(begin, end, message):
    with pytest.raises(ValueError, match=message):
        notebooks.replace_between(README, begin, end, "new")
    with pytest.raises(ValueError, match=message):
        notebooks.between(README, begin, end)


def test_importing_the_conventions_loads_neither_environments_packages():
    """The book's environment and the publishing environment both import publishing.notebooks."""
    heavy = [
        "nbformat",
        "nbclient",
        "jupyter_client",
        "ipykernel",
        "yaml",
        "numpy",
        "sphinx",
        "jupyter_book",
    ]
    probe = f"import sys, publishing.notebooks; print([m for m in {heavy!r} if m in sys.modules])"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "[]"


def test_the_command_lists_its_subcommands():
    done = subprocess.run(
        [sys.executable, "-m", "publishing", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    for command in ("execute", "links", "student-edition", "build"):
        assert command in done.stdout


def test_the_ledger_counts_proved_checked_bound_and_unbound(tmp_path):
    proved = r"$$\delta^L = a^L - y \tag{5.5}$$"
    checked = r"$$\lVert x \rVert \le 1 \tag{5.6}$$"
    book = new_notebook(
        cells=[
            new_markdown_cell(f"Two equations:\n\n{proved}\n\nand\n\n{checked}"),
            new_code_cell("# proves (5.5)\nclaim('5.5', d, a - y)"),
            new_code_cell(
                "# checks (5.6) on 10 points\n# unbound (5.6): an inequality"
            ),
        ]
    )
    book.cells[1].outputs = [
        new_output(
            "display_data",
            data={"text/latex": r"$$\delta^L = a^L - y \tag*{proved (5.5)}$$"},
        )
    ]
    path = tmp_path / "05_costs.ipynb"
    notebooks.write(book, path)
    (row,) = notebooks.ledger([path])
    assert (row.tags, row.proved, row.checked_only, row.bound) == (2, 1, 1, 1)
    assert row.unbound == {"5.6": "an inequality"}
    assert notebooks.tagged_equations(notebooks.read(path))["5.5"].startswith(
        r"\delta^L"
    )
