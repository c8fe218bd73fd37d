"""Claims: a tagged equation of the book, asserted by SymPy and printed in the book's notation.

A proving cell states each equation it proves with :func:`claim`: the tag, the sides of the
equation as SymPy objects written in the book's notation (abstract: ``sigma``, ``w^l``,
``delta^l``), and ``where``, the definitions that make them concrete enough for SymPy to decide
(sigma = 1/(1 + e^-z), a symbolic network's matrices and derivatives). ``claim`` asserts that
the sides are equal once ``where`` is substituted, then shows the equation as
:func:`book_latex` prints it, tagged "proved (X)", under the proof. The book's test suite
compares that printed equation with the tagged equation of the prose (after
:func:`normalise`), so a sign, a digit or a transpose changed in either fails it.

The printer (:class:`BookLatexPrinter`) is SymPy's own, with the book's notation: a symbol whose
name is LaTeX already (``w^l_{jk}``, ``\\frac{\\partial C}{\\partial w^l}``) prints as written,
``delta^l`` as ``\\delta^l``; ``\\odot`` for the Hadamard product, ``(w^{l+1})^T`` for a
transpose, ``\\sigma'(z^l)`` for sigma' applied to a vector; and terms in the order they were
written (build sums and products with ``evaluate=False`` to keep it).
"""

import re

import sympy
from sympy.core.function import UndefinedFunction
from sympy.printing.latex import LatexPrinter

GREEK = (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma "
    "tau upsilon phi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi Omega"
).split()
LEADING_GREEK = re.compile(r"^(%s)(?![A-Za-z])" % "|".join(GREEK))


class BookLatexPrinter(LatexPrinter):
    """SymPy's LaTeX printer in the book's notation, terms in the order written."""

    def __init__(self, settings=None):
        super().__init__({"order": "none", **(settings or {})})

    def _print_Symbol(self, expr, style="plain"):
        name = expr.name
        if any(c in name for c in "^_\\{"):
            return LEADING_GREEK.sub(r"\\\1", name)
        return super()._print_Symbol(expr, style=style)

    def _print_Function(self, expr, exp=None):
        if isinstance(expr.func, UndefinedFunction) and exp is None:
            name = self._print(sympy.Symbol(expr.func.__name__))
            return f"{name}({', '.join(self._print(a) for a in expr.args)})"
        return super()._print_Function(expr, exp)

    def _print_Indexed(self, expr):
        base = self._print(expr.base.label)
        indices = [self._print(i) for i in expr.indices]
        glue = "" if all(len(i) == 1 for i in indices) else ","
        return f"{base}_{{{glue.join(indices)}}}"

    def _print_Mul(self, expr):
        factors = [a for a in expr.args if a != 1]
        if len(factors) == len(expr.args) or not factors:
            return super()._print_Mul(expr)
        if len(factors) == 1:
            return self._print(factors[0])
        return super()._print_Mul(sympy.Mul(*factors, evaluate=False))

    def _print_MatrixSymbol(self, expr):
        return self._print_Symbol(sympy.Symbol(expr.name))

    def _print_Transpose(self, expr):
        base = expr.arg
        text = self._print(base)
        if isinstance(base, (sympy.MatrixSymbol, sympy.Symbol)) and not any(
            c in text for c in "^_"
        ):
            return f"{text}^T"
        return f"({text})^T"

    def _print_HadamardProduct(self, expr):
        return r" \odot ".join(self._factor(arg) for arg in expr.args)

    def _factor(self, arg):
        text = self._print(arg)
        if isinstance(arg, (sympy.Add, sympy.MatAdd, sympy.MatMul, sympy.Mul)):
            return rf"\bigl({text}\bigr)"
        return text

    def _print_ElementwiseApplyFunction(self, expr):
        (variable,) = expr.function.variables
        return self._print(expr.function.expr.xreplace({variable: expr.expr}))

    def _print_Derivative(self, expr):
        if len(expr.variables) == 1:
            (x,) = expr.variables
            return rf"\frac{{\partial {self._print(expr.expr)}}}{{\partial {self._print(x)}}}"
        return super()._print_Derivative(expr)


def book_latex(expr):
    """``expr`` in the book's notation (:class:`BookLatexPrinter`)."""
    return BookLatexPrinter().doprint(expr)


_SPACING = re.compile(r"\\[,;:!]|\\q?quad\b|\\(?:left|right)\b|\\[bB]ig(?:g)?[lr]?\b")
_FRAC_DIGITS = re.compile(r"\\[dt]?frac\s*(\w)\s*(\w)")
_SINGLE = re.compile(r"\{(\\[A-Za-z]+|[^{}\\\s])\}")


def normalise(latex):
    """The LaTeX of an equation reduced to what a reader sees: no tag, spacing, sizing
    (``\\left``, ``\\bigl``), ``\\displaystyle`` or closing punctuation; ``\\tfrac`` and
    ``\\dfrac`` as ``\\frac``, ``\\frac12`` as ``\\frac{1}{2}``; no braces around a single token."""
    text = re.sub(r"\\tag\*?\{[^{}]*(\([^()]*\))?[^{}]*\}", "", latex)
    text = text.replace(r"\displaystyle", "").replace("$", "")
    text = _SPACING.sub(" ", text)
    text = _FRAC_DIGITS.sub(r"\\frac{\1}{\2}", text)
    text = re.sub(r"\\[dt]frac\b", r"\\frac", text)
    previous = None
    while previous != text:
        previous, text = text, _SINGLE.sub(r"\1", text)
    text = re.sub(r"\s+", "", text)
    text = re.sub(
        r"_\{(\w+(?:,\w+)+)\}", lambda m: "_{" + m.group(1).replace(",", "") + "}", text
    )
    return text.rstrip(".,")


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
      ``sympy.Lambda``; an explicit matrix for an IndexedBase, indexed from 1). A list of such
      dicts asserts the claim for each: every layer l, every neuron j.
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
    return None


__all__ = ["BookLatexPrinter", "Claim", "book_latex", "claim", "normalise"]
