"""The book's notebooks are complete, executed and honest about their claims.

nbval compares stored outputs but silently skips a code cell that was never executed, so these
tests make sure every cell ran, in order, in one fresh kernel, and that every tagged equation of
a chapter has a cell that proves it with an assert.
"""

import ast
import re
from pathlib import Path

import pytest

from bp_lib.claims import normalise
from publishing import notebooks
from publishing.notebooks import (
    chapters,
    exercises,
    not_chapters,
    python_source,
    read,
    tags,
)

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = chapters(ROOT)


def code_cells(notebook):
    """The code cells that hold code (nbclient runs no empty cell), with their indices."""
    return [(i, c) for i, c in notebooks.code_cells(notebook) if c.source.strip()]


def test_there_are_chapters():
    assert CHAPTERS, "chapters/ holds no notebooks"


@pytest.fixture(scope="module", params=CHAPTERS, ids=lambda p: p.name)
def notebook(request):
    """Each chapter, read once for all the tests below (they only read it)."""
    return read(request.param)


def test_chapter_file_names_are_numbered():
    others = [p.name for p in not_chapters(ROOT)]
    assert not others, (
        f"{others} not named NN_name.ipynb: no tool reads them as chapters"
    )


def test_every_code_cell_was_executed_in_order(notebook):
    counts = []
    for i, cell in code_cells(notebook):
        assert cell.execution_count is not None, (
            f"code cell {i} was never executed, so nbval would skip it"
        )
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
        assert not errors, (
            f"code cell {i} stores an error: {errors[0].ename}: {errors[0].evalue}"
        )
        streams = [
            o.text
            for o in cell.outputs
            if o.output_type == "stream" and o.name == "stderr"
        ]
        assert not any("Warning" in s for s in streams), (
            f"code cell {i} stores a warning: {streams}"
        )


def test_first_code_cell_sets_up_inline_figures(notebook):
    first = code_cells(notebook)[0][1]
    assert "%matplotlib inline" in first.source, (
        "the first code cell must say %matplotlib inline"
    )


# An assert is symbolic when its condition is decided by SymPy: it calls SymPy (sp., sympy.,
# .expand(, .simplify(, .equals(, .is_zero, with_primes) or a helper of the chapter that does.
SYMPY = re.compile(
    r"\b(?:sp|sympy)\.|\.(?:expand|simplify|equals|doit|subs|xreplace|diff)\(|\.is_zero\b|\bwith_primes\("
)
CHECKED = re.compile(
    r"\bassert\b|cross_check\(|check_gradients\(|np\.testing\.assert|\bclaim\("
)


def symbolic_helpers(notebook):
    """Names of the chapter's functions whose bodies use SymPy, so an assert may call them."""
    names = set()
    for _, cell in code_cells(notebook):
        for node in ast.parse(python_source(cell)).body:
            if isinstance(node, ast.FunctionDef) and SYMPY.search(ast.unparse(node)):
                names.add(node.name)
    return names


def symbolic_asserts(cell, helpers):
    """The cell's asserts decided by SymPy, and its calls of bp_lib.claims.claim (which assert
    with SymPy)."""
    tree = ast.parse(python_source(cell))
    claimed = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call)
        and (getattr(n.func, "id", None) or getattr(n.func, "attr", None)) == "claim"
    ]
    asserts = [n for n in ast.walk(tree) if isinstance(n, ast.Assert)]
    calls = lambda n: {
        c.func.id
        for c in ast.walk(n)
        if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)
    }  # noqa: E731
    return claimed + [
        a
        for a in asserts
        if SYMPY.search(ast.unparse(a.test)) or calls(a.test) & helpers
    ]


def test_every_tagged_equation_is_proved_or_checked(notebook):
    """The claims ledger (README, CONTRIBUTING): every tagged equation has a cell that proves it
    with a symbolic assert (``# proves (X)``, for every value) or checks it on samples it names
    (``# checks (X) on 300 random chains``); nothing else may be called proved."""
    tags = notebooks.equation_tags(notebook)
    assert len(tags) == len(set(tags)), (
        f"equation tags must be unique within a chapter; got {tags}"
    )
    ledger = notebooks.claims(notebook)
    cells = dict(code_cells(notebook))
    helpers = symbolic_helpers(notebook)
    for claim in ledger:
        source = cells[claim.cell].source
        if claim.kind == "proof":
            assert symbolic_asserts(cells[claim.cell], helpers), (
                f"code cell {claim.cell} is marked '# proves ({claim.tag})' but no assert in it is decided by "
                f"SymPy: a claim asserted on numbers is '# checks ({claim.tag}) on <the samples>'"
            )
        else:
            assert len(re.sub(r"\W", "", claim.samples)) >= 3, (
                f"code cell {claim.cell} checks ({claim.tag}) but does not say on what: "
                f"'# checks ({claim.tag}) on <the samples, e.g. 300 random chains>'"
            )
            assert CHECKED.search(source), (
                f"code cell {claim.cell} checks ({claim.tag}) but asserts nothing"
            )
    marked = {c.tag for c in ledger}
    missing = [t for t in tags if t not in marked]
    assert not missing, (
        f"equations {missing} have no cell marked '# proves (X)' or '# checks (X) on ...'"
    )
    unknown = marked - set(tags)
    assert not unknown, (
        f"cells claim {sorted(unknown)}, which no equation is tagged with"
    )


def test_solution_cells_define_a_function(notebook):
    """The student edition replaces the body of each function in a solution cell with a stub."""
    for i, cell in code_cells(notebook):
        if "solution" not in tags(cell):
            continue
        tree = ast.parse(python_source(cell))
        defs = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
        assert defs, f"solution cell {i} must define the function the reader writes"
        assert all(
            isinstance(n, (ast.FunctionDef, ast.Import, ast.ImportFrom))
            for n in tree.body
        ), f"solution cell {i} must hold only imports and function definitions"


def test_every_exercise_is_named_and_every_solution_checked(notebook):
    """The student edition names each stub after its exercise, and the grading plugin grades each
    exercise by that name, so each check cell must name one and each solution cell come before one."""
    found = exercises(notebook)
    names = [e.name for e in found]
    assert None not in names, (
        f"exercise-check cell {found[names.index(None)].check} calls no "
        'check("N.k", ...) or check_function("N.k", ...)'
    )
    assert len(names) == len(set(names)), (
        f"exercise names must be unique within a chapter; got {names}"
    )
    checked = {i for e in found for i in e.solutions}
    unchecked = [
        i
        for i, cell in code_cells(notebook)
        if "solution" in tags(cell) and i not in checked
    ]
    assert not unchecked, (
        f"solution cells {unchecked} have no exercise-check cell after them"
    )


# The reader's book (CONTRIBUTING, "Story first"): figures drawn for the HTML book's column (about
# 690 px) and described in words; cells that only draw or set up folded, proofs left open.
# px, at the book style's 100 dpi: shown at 90% or more of its width
MAX_FIGURE_WIDTH = 760
FILENAME_LIKE = re.compile(r"\.(png|jpe?g|svg)\b|^[0-9a-f]{16,}", re.IGNORECASE)


def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_figures_are_drawn_for_the_column(notebook):
    too_wide = [
        (i, png_size(png))
        for i, cell in code_cells(notebook)
        for png in notebooks.figures(cell)
        if png_size(png)[0] > MAX_FIGURE_WIDTH
    ]
    assert not too_wide, (
        f"figures wider than {MAX_FIGURE_WIDTH} px (cell, (width, height)): {too_wide}; the "
        "HTML book shows them shrunk and their labels unreadable: draw for a 7-inch column "
        "(figsize width <= 7.5 at 100 dpi), stacking or splitting panels"
    )


def test_every_figure_has_a_description(notebook):
    """Alt text (MyST-NB's ``mystnb.image.alt``) that says what the figure shows, for a reader who
    cannot see it: a sentence or more, not a file name, no two figures alike."""
    seen = {}
    for i, cell in code_cells(notebook):
        if not notebooks.figures(cell):
            continue
        alt = notebooks.figure_alt(cell) or ""
        assert len(alt.split()) >= 12 and not FILENAME_LIKE.search(alt), (
            f"code cell {i} draws a figure without a description in its metadata "
            f"(mystnb.image.alt, at least 12 words; publishing.notebooks.set_figure_alt): {alt!r}"
        )
        assert alt not in seen, (
            f"code cells {seen[alt]} and {i} describe their figures alike"
        )
        seen[alt] = i


def test_cells_that_only_draw_are_folded_and_proofs_are_open(notebook):
    claimed = {claim.cell for claim in notebooks.claims(notebook)}
    exercise_cells = {
        i for e in notebooks.exercises(notebook) for i in (e.check, *e.solutions)
    }
    for i, cell in code_cells(notebook):
        if i in claimed or i in exercise_cells:
            assert not notebooks.folded(cell), (
                f"code cell {i} proves, checks or is an exercise: keep it open"
            )
        elif notebooks.figures(cell) and not CHECKED.search(cell.source):
            assert notebooks.folded(cell), (
                f"code cell {i} only draws a figure: tag it '{notebooks.FOLDED}' so the "
                "book shows the figure and folds the code"
            )


def test_folded_cells_are_collapsed_in_jupyterlab(notebook):
    for i, cell in code_cells(notebook):
        hidden = cell.metadata.get("jupyter", {}).get("source_hidden", False)
        assert hidden == notebooks.folded(cell), (
            f"code cell {i}: the '{notebooks.FOLDED}' tag and JupyterLab's source_hidden "
            "disagree; write the notebook with publishing.notebooks.write"
        )


MAX_OPEN_CELL_LINES = (
    40  # a code cell the reader meets unfolded: one step, read at a glance
)


def test_open_code_cells_are_short(notebook):
    exercise_cells = {
        i for e in notebooks.exercises(notebook) for i in (e.check, *e.solutions)
    }
    long = [
        (i, len(cell.source.splitlines()))
        for i, cell in code_cells(notebook)
        if not notebooks.folded(cell)
        and i not in exercise_cells
        and len(cell.source.splitlines()) > MAX_OPEN_CELL_LINES
    ]
    assert not long, (
        f"open code cells longer than {MAX_OPEN_CELL_LINES} lines (cell, lines): {long}; "
        "split each into steps, a sentence of prose between them where it helps"
    )


# Equations bound to their proofs (CONTRIBUTING, "Claims"): a cell that proves a tagged equation
# with bp_lib.claims.claim shows the equation SymPy proved; the prose's equation must read the same.
MUST_BE_BOUND = {
    "04_four_equations": ["BP1", "BP2", "BP3", "BP4"],
    "05_costs": ["5.8", "5.10"],  # the softmax Jacobian; q - y
    # every correction of a slip, and the facts the corrections rest on
    "09_common_slips": [f"9.{n}" for n in range(1, 17)],
}


def binding_problems(notebook, written=None):
    """Each bound equation whose prose and proof differ, with both forms shown; ``written``
    stands for the prose's tagged equations, when a test plants a change in them."""
    if written is None:
        written = notebooks.tagged_equations(notebook)
    problems = []
    for tag, (cell, printed) in notebooks.proved_equations(notebook).items():
        if tag not in written:
            problems.append(
                f"code cell {cell} proves ({tag}), but no equation is tagged so"
            )
        elif normalise(written[tag]) != normalise(printed):
            problems.append(
                f"({tag}) as written in the prose:\n    {written[tag]}\n"
                f"  as proved in code cell {cell}:\n    {printed}"
            )
    return problems


def test_bound_equations_read_as_proved(notebook):
    problems = binding_problems(notebook)
    assert not problems, "\n".join(problems)


def test_every_tagged_equation_is_bound_or_says_why_not(notebook):
    tags = notebooks.equation_tags(notebook)
    bound = notebooks.proved_equations(notebook)
    unbound = notebooks.unbound_equations(notebook)
    loose = [t for t in tags if t not in bound and t not in unbound]
    assert not loose, (
        f"equations {loose} are neither proved by bp_lib.claims.claim nor declared "
        "'# unbound (X): why' in the cell that proves or checks them"
    )
    vague = [t for t, why in unbound.items() if len(why.split()) < 3]
    assert not vague, f"say why (a few words) each of {vague} is unbound"
    assert not set(bound) & set(unbound), "an equation is either bound or unbound"


def test_the_central_equations_are_bound(notebook, request):
    stem = request.node.callspec.id.removesuffix(".ipynb")
    missing = [
        t
        for t in MUST_BE_BOUND.get(stem, [])
        if t not in notebooks.proved_equations(notebook)
    ]
    assert not missing, f"{missing} must be printed from the SymPy that proves them"


PLANTED = {
    "a sign flipped": lambda tex: (
        tex.replace(" - ", " + ", 1) if " - " in tex else tex.replace(" + ", " - ", 1)
    ),
    "a digit changed": lambda tex: re.sub(
        r"\d", lambda m: str((int(m.group()) + 1) % 10), tex, count=1
    ),
    "a transpose dropped": lambda tex: tex.replace("^T", "", 1),
}


def test_a_typo_planted_in_a_bound_equation_fails():
    """In every chapter, each bound equation is changed in the prose (a sign, a digit outside
    its tag, a transpose) and the comparison must report it with both forms."""
    caught = missed = 0
    for path in CHAPTERS:
        book = notebooks.read(path)
        written = notebooks.tagged_equations(book)
        bound = notebooks.proved_equations(book)
        for tag, equation in written.items():
            if tag not in bound:
                continue
            body = notebooks.EQUATION_TAG.sub("", equation)
            for slip, plant in PLANTED.items():
                changed = plant(body)
                if changed == body or normalise(changed) == normalise(body):
                    continue
                planted = {**written, tag: equation.replace(body, changed)}
                problems = [
                    p
                    for p in binding_problems(book, planted)
                    if p.startswith(f"({tag})")
                ]
                if problems and changed.strip()[:20] in problems[0]:
                    caught += 1
                else:
                    missed += 1
                    print(f"{path.name}: {slip} in ({tag}) not reported")
    assert missed == 0 and caught > 0, f"{missed} planted typos missed, {caught} caught"
