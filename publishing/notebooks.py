"""The book's notebook conventions, each defined here and only here.

- **The chapters**: ``chapters/NN_name.ipynb``, in the order of NN (``CHAPTER_NAME``,
  ``chapters``, ``chapter_number``; ``not_chapters``, the notebooks there that are not).
- **Cells**: a cell's tags (``tags``), the code cells (``code_cells``) and a code cell's source as
  Python, IPython magics and shell escapes blanked (``python_source``).
- **Exercises**: an ``exercise-check`` cell and the ``solution`` cells since the previous one
  (``exercises``); the exercise's name is the one its first ``check(...)`` or
  ``check_function(...)`` call gives, positionally or as ``name=`` (``exercise_name``). The
  student edition, the grading plugin and the tests all read exercises through these.
- **Execution**: a notebook run top to bottom in a fresh kernel of this interpreter, whatever
  kernel its metadata names, consecutive printed outputs stored as one (``execute``,
  ``CurrentEnvKernelManager``, ``merge_streams``): the ``execute`` command, the grading plugin and
  the benchmark run notebooks this way.
- **The claims ledger**: a displayed equation's ``\\tag{X}`` (``equation_tags``) and the code cells
  that assert it, ``# proves (X)`` for an identity that holds for every value and ``# checks (X)
  on <samples>`` for a property asserted on stated samples (``claims``).
- **Marked blocks** of a text file, such as the README's tables (``between``,
  ``replace_between``).

Importing this module imports only the standard library, so the book's environment, the
publishing environment and the benchmark's workers can all import it; nbformat, nbclient,
jupyter_client and ipykernel (in both environments) are imported when a notebook is read or run.
"""

import ast
import functools
import re
import sys
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
CHAPTER_NAME = re.compile(r"(?P<number>\d\d)_[a-z0-9_]+\.ipynb")
SOLUTION = "solution"
EXERCISE_CHECK = "exercise-check"
CHECKERS = ("check", "check_function")  # bp_lib.exercises
CELL_TIMEOUT = 600  # seconds a cell may take when a notebook is executed


# The chapters


def chapters(root=ROOT):
    """The chapters of the book in the folder ``root``: every ``chapters/NN_name.ipynb`` (two
    digits, ``_``, then lower-case letters, digits and ``_``), in the order of NN."""
    return [p for p in _notebooks(root) if CHAPTER_NAME.fullmatch(p.name)]


def not_chapters(root=ROOT):
    """The other notebooks in ``root``'s chapters/ folder (``Untitled.ipynb``): no tool reads them
    as chapters, so tests/test_notebooks.py fails on them and the student edition refuses them."""
    return [p for p in _notebooks(root) if not CHAPTER_NAME.fullmatch(p.name)]


def _notebooks(root):
    return sorted((Path(root) / "chapters").glob("*.ipynb"))


def chapter_number(path):
    """The number of the chapter at ``path``, from its file name: 3 for ``03_activations.ipynb``."""
    found = CHAPTER_NAME.fullmatch(Path(path).name)
    if found is None:
        raise ValueError(
            f"{Path(path).name} is not a chapter: a chapter's file is named NN_name.ipynb "
            "(two digits, _, then lower-case letters, digits and _)"
        )
    return int(found["number"])


# Reading cells


def read(path):
    """The notebook at ``path``, as nbformat's version 4."""
    import nbformat

    return nbformat.read(path, as_version=4)


def write(notebook, path):
    """Write ``notebook`` to ``path``; a code cell tagged ``hide-input`` is also collapsed in
    JupyterLab (``metadata.jupyter.source_hidden``), so the tag is the one thing to set."""
    import nbformat

    for cell in notebook.cells:
        if cell.cell_type == "code":
            sync_folding(cell)
    nbformat.write(notebook, path)


# Story first: a cell that only draws a figure or sets up symbols is folded. Jupyter Book shows
# its output and folds its code behind a "Show code cell source" control; JupyterLab shows it
# collapsed. Proof and check cells stay open.
FOLDED = "hide-input"


def folded(cell):
    return FOLDED in tags(cell)


def sync_folding(cell):
    """Set ``metadata.jupyter.source_hidden`` from the ``hide-input`` tag."""
    jupyter = cell.metadata.setdefault("jupyter", {})
    if folded(cell):
        jupyter["source_hidden"] = True
    else:
        jupyter.pop("source_hidden", None)
    if not jupyter:
        del cell.metadata["jupyter"]


def figure_alt(cell):
    """The text alternative of the figure a code cell draws (MyST-NB's cell metadata
    ``mystnb.image.alt``), or None."""
    return cell.get("metadata", {}).get("mystnb", {}).get("image", {}).get("alt")


def set_figure_alt(cell, text):
    cell.metadata.setdefault("mystnb", {}).setdefault("image", {})["alt"] = text


def figures(cell):
    """The PNG figures a code cell's stored outputs hold, as bytes."""
    import base64

    return [
        base64.b64decode(output["data"]["image/png"])
        for output in cell.get("outputs", [])
        if "image/png" in output.get("data", {})
    ]


def tags(cell):
    """The cell's tags (``metadata.tags``), ``[]`` if it has none."""
    return cell.get("metadata", {}).get("tags", [])


def code_cells(notebook):
    """``[(index, cell)]``: the notebook's code cells with their indices in ``notebook.cells``."""
    return [
        (i, cell)
        for i, cell in enumerate(notebook["cells"])
        if cell["cell_type"] == "code"
    ]


def python_source(cell):
    """A code cell's source (or the source itself, a string) as Python for the ast module: every
    line that is an IPython magic or a shell escape (``%matplotlib inline``, ``%%time``,
    ``!pip ...``) blanked, so that the line numbers stay the cell's own."""
    source = cell if isinstance(cell, str) else cell["source"]
    if isinstance(source, list):  # a cell as stored in the file, not read by nbformat
        source = "".join(source)
    return "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line
        for line in source.split("\n")
    )


# Exercises


class Exercise(NamedTuple):
    """An exercise of a notebook: its ``exercise-check`` cell, its name and its ``solution``
    cells (indices in ``notebook.cells``)."""

    check: int
    name: str | None
    solutions: tuple[int, ...]


def exercise_name(cell):
    """The name of the exercise a check cell (or its source) checks, ``"3.1"``: the name its first
    call of ``check(...)`` or ``check_function(...)`` (bare or as an attribute, ``exercises.check``)
    gives as a string, positionally, ``check("3.1", ...)``, or by keyword,
    ``check(name="3.1", ...)``. None if no call names one."""
    calls = []
    for node in ast.walk(ast.parse(python_source(cell))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = (
            func.id
            if isinstance(func, ast.Name)
            else func.attr
            if isinstance(func, ast.Attribute)
            else None
        )
        if called not in CHECKERS:
            continue
        given = node.args[:1] + [k.value for k in node.keywords if k.arg == "name"]
        names = [
            a.value
            for a in given
            if isinstance(a, ast.Constant) and isinstance(a.value, str)
        ]
        if names:
            calls.append((node.lineno, node.col_offset, names[0]))
    return min(calls)[2] if calls else None


def exercises(notebook):
    """The notebook's exercises, in order: each code cell tagged ``exercise-check``, with its
    name (``exercise_name``, None if it names none) and the code cells tagged ``solution`` since
    the previous ``exercise-check`` cell. A solution cell after the last check cell belongs to no
    exercise."""
    found, solutions = [], []
    for index, cell in code_cells(notebook):
        if SOLUTION in tags(cell):
            solutions.append(index)
        if EXERCISE_CHECK in tags(cell):
            found.append(Exercise(index, exercise_name(cell), tuple(solutions)))
            solutions = []
    return found


# Executing a notebook

# The claims ledger

EQUATION_TAG = re.compile(r"\\tag\{([^}]*)\}")
_TAGS = r"((?:\([^)]*\)[\s,]*(?:and\s+)?)+)"
PROVES = re.compile(r"#\s*proves\s*" + _TAGS)
CHECKS = re.compile(r"#\s*checks\s*" + _TAGS + r"\bon\b\s*(.*)")


class Claim(NamedTuple):
    """One marker of the ledger in a code cell: ``kind`` is "proof" (``# proves (X)``, an identity
    asserted for every value) or "check" (``# checks (X) on ...``, asserted on the samples named
    after "on")."""

    tag: str
    kind: str
    cell: int
    samples: str


def equation_tags(notebook):
    """The ``\\tag{X}`` of every displayed equation in the notebook's markdown, in order."""
    return [
        t
        for c in notebook.cells
        if c.cell_type == "markdown"
        for t in EQUATION_TAG.findall(c.source)
    ]


def claims(notebook):
    """Every ledger marker of the notebook's code cells, as :class:`Claim` s, in order."""
    found = []
    for index, cell in code_cells(notebook):
        for line in cell.source.splitlines():
            for kind, pattern in (("proof", PROVES), ("check", CHECKS)):
                match = pattern.search(line)
                if match:
                    samples = match.group(2).strip() if kind == "check" else ""
                    found += [
                        Claim(t, kind, index, samples)
                        for t in re.findall(r"\(([^)]*)\)", match.group(1))
                    ]
    return found


# Equations bound to their proofs: a proving cell that calls bp_lib.claims.claim("X", ...)
# shows the equation SymPy proved, tagged "proved (X)"; the tagged equation of the prose must read
# the same (bp_lib.claims.normalise). An equation that cannot be printed from SymPy is named in
# its cell with a reason: "# unbound (X): a definition in words".
DISPLAY_MATH = re.compile(r"\$\$(.*?)\$\$", re.S)
PROVED_OUTPUT = re.compile(r"\\tag\*\{proved \(([^)]*)\)\}")
UNBOUND = re.compile(r"#\s*unbound\s*" + _TAGS + r":\s*(.*)")


def tagged_equations(notebook):
    """``{tag: LaTeX}``: each tagged display equation of the markdown, as written."""
    found = {}
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for math in DISPLAY_MATH.findall(cell.source):
                for tag in EQUATION_TAG.findall(math):
                    found[tag] = math.strip()
    return found


def proved_equations(notebook):
    """``{tag: (cell index, LaTeX)}``: each equation a code cell's stored output shows as proved
    by ``bp_lib.claims.claim``."""
    found = {}
    for index, cell in code_cells(notebook):
        for output in cell.get("outputs", []):
            latex = output.get("data", {}).get("text/latex", "")
            latex = "".join(latex) if isinstance(latex, list) else latex
            for tag in PROVED_OUTPUT.findall(latex):
                found[tag] = (index, latex)
    return found


def unbound_equations(notebook):
    """``{tag: reason}``: the equations a code cell declares unbound, ``# unbound (X): why``."""
    found = {}
    for _, cell in code_cells(notebook):
        for line in cell.source.splitlines():
            match = UNBOUND.search(line)
            if match:
                for tag in re.findall(r"\(([^)]*)\)", match.group(1)):
                    found[tag] = match.group(2).strip()
    return found


class LedgerRow(NamedTuple):
    """One chapter's line of the claims ledger."""

    chapter: str
    tags: int
    proved: int  # proved for every value (# proves)
    checked_only: int  # checked on samples and never proved (# checks)
    bound: int  # printed from the SymPy that proves it (bp_lib.claims.claim)
    unbound: dict  # tag -> why it is not bound


def ledger(paths):
    """The claims ledger of the chapters at ``paths``: per chapter, its tagged equations, how many
    are proved or only checked, how many are bound to their proof and why the rest are not."""
    rows = []
    for path in paths:
        notebook = read(path)
        tags = equation_tags(notebook)
        marked = claims(notebook)
        proved = {c.tag for c in marked if c.kind == "proof"}
        checked = {c.tag for c in marked if c.kind == "check"} - proved
        bound = set(proved_equations(notebook)) & set(tags)
        unbound = {
            t: why for t, why in unbound_equations(notebook).items() if t in tags
        }
        rows.append(
            LedgerRow(
                path.stem,
                len(tags),
                len(proved & set(tags)),
                len(checked & set(tags)),
                len(bound),
                unbound,
            )
        )
    return rows


def merge_streams(outputs):
    """The outputs with each run of consecutive stream outputs of one name (stdout, stderr) merged
    into the first of them. A display or an error between two prints keeps them apart."""
    merged = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            output.get("output_type") == "stream"
            and previous is not None
            and previous.get("output_type") == "stream"
            and previous.get("name") == output.get("name")
        ):
            previous["text"] = _text(previous["text"]) + _text(output["text"])
        else:
            merged.append(output)
    return merged


def _text(text):
    return "".join(text) if isinstance(text, list) else text


def execute(notebook, folder, *, allow_errors=False, timeout=CELL_TIMEOUT):
    """Run ``notebook`` (changed in place) top to bottom in a fresh kernel of this interpreter
    (``CurrentEnvKernelManager``), working folder ``folder``, at most ``timeout`` seconds per cell
    (or ``timeout(cell)`` seconds, if ``timeout`` is a function of the cell); then merge each code
    cell's consecutive printed outputs (``merge_streams``), however the kernel happened to flush
    them. Returns the seconds the run took, the kernel's start included.

    An error in a cell stops the run with nbclient's ``CellExecutionError``, unless
    ``allow_errors``: then every cell runs and each error is stored as the cell's output. A cell
    that times out raises ``CellTimeoutError``, a kernel that dies ``DeadKernelError``; the
    notebook then holds the outputs so far, and the error's ``cell_index`` is the index (in
    ``notebook.cells``) of the cell that was running, None if none was."""
    from nbclient import NotebookClient

    running = [None]

    def started(cell, cell_index, **_):
        running[0] = cell_index

    client = NotebookClient(
        notebook,
        timeout=None if callable(timeout) else timeout,
        timeout_func=timeout if callable(timeout) else None,
        allow_errors=allow_errors,
        kernel_manager_class=_kernel_managers()["CurrentEnvKernelManager"],
        resources={"metadata": {"path": str(folder)}},
        record_timing=False,
        on_cell_execute=started,
    )
    start = time.perf_counter()
    try:
        client.execute()
        return time.perf_counter() - start
    except Exception as failure:
        failure.cell_index = running[0]
        raise
    finally:
        for _, cell in code_cells(notebook):
            cell["outputs"] = merge_streams(cell["outputs"])


def __getattr__(name):
    # CurrentEnvKernelManager and CurrentEnvKernelSpecManager subclass jupyter_client's classes,
    # so they are made on first use: reading cells does not import the Jupyter client.
    if name in ("CurrentEnvKernelManager", "CurrentEnvKernelSpecManager"):
        return _kernel_managers()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def _kernel_managers():
    import ipykernel.kernelspec
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class CurrentEnvKernelSpecManager(KernelSpecManager):
        """Resolves every kernel name to an IPython kernel run by this interpreter
        (``sys.executable -m ipykernel_launcher``), as nbval's ``--nbval-current-env`` does,
        whatever ``python3`` kernelspec comes first on the Jupyter path (another virtualenv's
        ``ipykernel install --user`` leaves one behind)."""

        def get_kernel_spec(self, kernel_name):
            return KernelSpec(
                argv=[
                    sys.executable,
                    "-m",
                    "ipykernel_launcher",
                    "-f",
                    "{connection_file}",
                ],
                display_name="Python 3 (this environment)",
                language="python",
                name=kernel_name,
                resource_dir=ipykernel.kernelspec.RESOURCES,
            )

    class CurrentEnvKernelManager(AsyncKernelManager):
        """nbclient's kernel manager, with the kernelspecs of ``CurrentEnvKernelSpecManager``."""

        @default("kernel_spec_manager")
        def _default_kernel_spec_manager(self):
            return CurrentEnvKernelSpecManager(parent=self)

    for cls in (CurrentEnvKernelSpecManager, CurrentEnvKernelManager):
        cls.__module__, cls.__qualname__ = __name__, cls.__name__
    return {
        cls.__name__: cls
        for cls in (CurrentEnvKernelSpecManager, CurrentEnvKernelManager)
    }


# Marked blocks of a text file


def _block(text, begin, end):
    """The offsets ``(start, stop)`` of the lines strictly between the first line holding
    ``begin`` and the next line holding ``end``."""
    at = text.find(begin)
    if at < 0:
        raise ValueError(f"no line holds the marker {begin!r} that starts the block")
    start = text.find("\n", at) + 1 or len(text)
    at = text.find(end, start)
    if at < 0:
        raise ValueError(
            f"no line after the marker {begin!r} holds the marker {end!r} that ends the block"
        )
    return start, text.rfind("\n", 0, at) + 1


def between(text, begin, end):
    """The lines of ``text`` between the line holding the marker ``begin`` and the next line
    holding the marker ``end``, the markers' lines left out. ValueError if either is missing."""
    start, stop = _block(text, begin, end)
    return text[start:stop]


def replace_between(text, begin, end, new):
    """``text`` with the lines between the line holding the marker ``begin`` and the next line
    holding the marker ``end`` replaced by ``new`` (a line break added at its end if it lacks
    one); the markers' lines are kept. ValueError if either marker is missing."""
    start, stop = _block(text, begin, end)
    if new and not new.endswith("\n"):
        new += "\n"
    return text[:start] + new + text[stop:]
