"""Claims: a tagged equation of the book, asserted by SymPy and printed in the book's notation.

A proving cell states each equation it proves with :func:`claim`: the tag, the sides of the
equation as SymPy objects written in the book's notation (abstract: ``sigma``, ``w^l``,
``delta^l``), and ``where``, the definitions that make them concrete enough for SymPy to decide
(sigma = 1/(1 + e^-z), a symbolic network's matrices and derivatives). ``claim`` asserts that
the sides are equal once ``where`` is substituted, then shows the equation as
:func:`book_latex` prints it, tagged "proved (X)", under the proof. The book's test suite
compares that printed equation with the tagged equation of the prose (after
:func:`normalise`), so a sign, a digit or a transpose changed in either fails it.

The printer and the objects that print as the book writes (:func:`printed_as`,
:class:`SumOverExamples`, :class:`Column`, the ``*_as_written`` matrix expressions) live in
:mod:`bp_lib.notation`; they are imported here too, so a chapter takes everything it needs to
state a claim from this module.
"""

import sympy

from bp_lib.notation import (
    BookLatexPrinter,
    Column,
    SumOverExamples,
    book_latex,
    hadamard_as_written,
    minus_as_written,
    normalise,
    printed_as,
    product_as_written,
)


class Claim:
    """A proved equation: its tag, sides and printed LaTeX; shown as the cell's output."""

    def __init__(self, tag, sides):
        self.tag = tag
        self.sides = sides
        self.latex = " = ".join(book_latex(side) for side in sides)

    def _repr_latex_(self):
        return rf"$$\displaystyle {self.latex} \tag*{{proved ({self.tag})}}$$"

    def __repr__(self):
        return f"proved ({self.tag}): {self.latex}"


def _entry(matrix, indices):
    """``matrix`` at the book's 1-based ``indices``; one index reads a column or row vector."""
    at = tuple(int(i) - 1 for i in indices)
    return matrix[at[0]] if len(at) == 1 else matrix[at]


UNEVALUATED = (
    sympy.Sum,
    sympy.Product,
    sympy.Derivative,
    sympy.Integral,
    sympy.Subs,
    sympy.MatrixExpr,
)


def _doit(expr):
    """``expr.doit()``, skipped when nothing in it is left to evaluate (most definitions in
    ``where`` are large expressions SymPy has already worked out)."""
    return expr.doit() if expr.has(*UNEVALUATED) else expr


def _replace_applied(expr, function, definition):
    """Every application ``function(u)`` in ``expr`` by ``definition(u)``, innermost first."""
    while True:
        found = expr.atoms(function)
        if not found:
            return expr
        expr = expr.xreplace({a: definition(*a.args) for a in found})


def _concrete(expr, where):
    """``expr`` with the definitions of ``where`` substituted: symbols and matrix symbols first
    (sizes and limits too), then undefined functions, then the entries ``w[j, k]`` of an
    ``IndexedBase`` defined as an explicit matrix (the book's indices count from 1)."""
    indexed = {k: v for k, v in where.items() if isinstance(k, sympy.IndexedBase)}
    functions = {k: v for k, v in where.items() if isinstance(k, type)}
    plain = {k: v for k, v in where.items() if k not in indexed and k not in functions}
    expr = _doit(expr.xreplace(plain))
    for function, definition in functions.items():
        expr = _replace_applied(expr, function, definition)
    for base, matrix in indexed.items():
        entries = {
            e: _entry(matrix, e.indices)
            for e in expr.atoms(sympy.Indexed)
            if e.base == base
        }
        expr = expr.xreplace(entries)
    return _doit(expr)


def _is_zero(difference):
    if isinstance(difference, sympy.MatrixBase):
        return all(_is_zero(entry) for entry in difference)
    expanded = sympy.expand(difference)
    # most identities of the book expand to 0; simplify only what does not
    return expanded == 0 or sympy.simplify(expanded) == 0


def claim(tag, *sides, where=None):
    """Assert that ``sides`` (two or more SymPy expressions) are equal once ``where`` is
    substituted, and show the equation, tagged "proved (tag)", as the cell's output.

    - ``where``: a dict from what the sides are written in (a symbol, a matrix symbol, an
      undefined function such as ``sympy.Function("sigma")`` or :func:`bp_lib.symbolic.prime`
      of one, an ``IndexedBase``) to its definition (an expression, an explicit matrix, a
      ``sympy.Lambda``; an explicit matrix for an IndexedBase, indexed from 1). A key may also
      be a whole expression as written, replaced where it occurs: a difference quotient by its
      series, ``O(h^4)`` by 0 (a truncated expansion, chapter 6). A list of such dicts asserts
      the claim for each: every layer l, every neuron j.
    - Raises ``ValueError`` for fewer than two sides or a tag that is not a string, and
      ``AssertionError`` with the sides when SymPy does not find them equal.

    Returns None: the claim is shown, once, as the cell's output. Chapters 0-9 state their
    proved equations with it.
    """
    if not isinstance(tag, str) or not tag:
        raise ValueError(
            f"claim: tag must be the equation's tag as a string, got {tag!r}"
        )
    if len(sides) < 2:
        raise ValueError(f"claim ({tag}): expected two or more sides, got {len(sides)}")
    cases = where if isinstance(where, (list, tuple)) else [where or {}]
    if not cases:
        raise ValueError(f"claim ({tag}): where is an empty list: nothing to assert")
    for number, case in enumerate(cases, 1):
        # the sides may be built unevaluated, to print as written; SymPy decides evaluated
        with sympy.evaluate(True):
            concrete = [_concrete(sympy.sympify(side), dict(case)) for side in sides]
            holds = [_is_zero(concrete[0] - value) for value in concrete[1:]]
        for side, ok in zip(sides[1:], holds):
            if not ok:
                which = f" (case {number} of {len(cases)})" if len(cases) > 1 else ""
                raise AssertionError(
                    f"({tag}) does not hold{which}: {book_latex(sides[0])} = "
                    f"{book_latex(side)} is false once the definitions are substituted"
                )
    stated = Claim(tag, sides)
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # IPython comes with Jupyter; without it, nowhere to show
        return None
    if get_ipython() is not None:
        display(stated)


__all__ = [
    "BookLatexPrinter",
    "Claim",
    "Column",
    "SumOverExamples",
    "book_latex",
    "claim",
    "hadamard_as_written",
    "minus_as_written",
    "normalise",
    "printed_as",
    "product_as_written",
]
