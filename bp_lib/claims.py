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
transpose, ``\\sigma'(z^l)`` for sigma' applied to a vector, ``\\ln`` for the natural logarithm,
``\\operatorname{diag}(q)`` for SymPy's ``DiagMatrix(q)``; and terms in the order they were
written (build sums and products with ``evaluate=False`` to keep it).

Where SymPy has no object that prints as the book writes, the sides are built from these:
:func:`printed_as` (an undefined function printed by a template: C'(w), tanh^2 z, w^{l+1}),
:class:`SumOverExamples` (a sum over x = 1, ..., m whose ``doit`` avoids SymPy's slow paths),
:class:`Column` (column x of a matrix, A_x), and :func:`minus_as_written`,
:func:`product_as_written`, :func:`hadamard_as_written` (matrix expressions in the order
written).
"""

import re
from string import Formatter

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

    def _print_DiagMatrix(self, expr):
        # SymPy's DiagMatrix(q), the square matrix with the vector q on its diagonal
        return rf"\operatorname{{diag}}({self._print(expr.args[0])})"

    def _print_log(self, expr, exp=None):
        # the natural logarithm as the book writes it: \ln 10, \ln \frac{5}{4}, \ln(1 - a)
        (arg,) = expr.args
        power = "" if exp is None else f"^{{{exp}}}"
        text = self._print(arg)
        if isinstance(arg, (sympy.Symbol, sympy.Indexed)) or (
            arg.is_Number and arg.is_nonnegative
        ):
            return rf"\ln{power} {text}"
        return rf"\ln{power}\left({text}\right)"


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
    return None


# The book's notation where SymPy's objects print otherwise: the sides of a claim are built from
# these, so that the chapters define no printing of their own.


def printed_as(template):
    """An undefined function of one argument, printed by ``template``: a format string of the
    argument ``{u}`` and, optionally, its power ``{p}`` (``^{2}`` when squared, empty
    otherwise), where SymPy would print ``f(u)``.

    - ``printed_as("C'({u}){p}")``: C'(w), and C'(w)^2 (chapter 1);
    - ``printed_as(r"\\tanh{p} {u}")``: tanh z, and tanh^2 z (chapter 3);
    - ``printed_as("w^{{{u}}}")``: w^{l+1}, a layer's quantity as a function of a symbolic
      layer l, so that a product over layers reads as written (chapters 3 and 7). Without
      ``{p}`` in the template a power prints around parentheses, (w^{l})^2.

    Like ``sympy.Function("f")`` it means nothing by itself: a claim's ``where`` defines it
    (a ``sympy.Lambda``, or a Python function of the argument). Raises ``ValueError`` for a
    template without ``{u}`` or with another field.
    """
    fields = {
        field for _, field, _, _ in Formatter().parse(template) if field is not None
    }
    if "u" not in fields or not fields <= {"u", "p"}:
        raise ValueError(
            f"printed_as: the template {template!r} must show the argument as {{u}} and may "
            f"show its power as {{p}}, with no other field (double a brace written literally: "
            f"'w^{{{{{{u}}}}}}' for w^{{l}})"
        )

    def _latex(self, printer, exp=None):
        argument = printer._print(self.args[0])
        if "p" in fields or exp is None:
            power = "" if exp is None else f"^{{{exp}}}"
            return template.format(u=argument, p=power)
        return rf"\left({template.format(u=argument)}\right)^{{{exp}}}"

    return type(template, (sympy.Function,), {"_latex": _latex, "nargs": 1})


class SumOverExamples(sympy.Sum):
    """A sum over the examples x = 1, ..., m: ``sympy.Sum``, printed as one, with one index
    and a ``doit`` that proves what the book needs without SymPy's slow paths.

    - With numbers for limits, ``doit`` adds the terms, as ``Sum.doit`` does, but without first
      trying ``apart`` on each entry of a matrix summand (slow on a network's large entries,
      and of no use there: chapter 6).
    - With a symbolic m, ``doit`` works out the summand (the derivative inside) and keeps the
      sum, or adds m equal terms as m times one, instead of SymPy's search for a closed form in
      m, which fails for data x_i, y_i and an abstract sigma (chapter 1): two such sums are
      then compared summand by summand, as they would be after that search.
    """

    def __new__(cls, function, *limits, **assumptions):
        total = super().__new__(cls, function, *limits, **assumptions)
        if len(total.limits) != 1:
            raise ValueError(
                f"SumOverExamples: a sum over the examples has one index, x = 1, ..., m; "
                f"got the limits {total.limits}"
            )
        return total

    def doit(self, **hints):
        ((x, first, last),) = self.limits
        if first.is_Integer and last.is_Integer:
            terms = [self.function.xreplace({x: i}) for i in range(first, last + 1)]
            return sympy.Add(*terms).doit(**hints)
        summand = self.function.doit(**hints)
        if x not in summand.free_symbols:  # m equal terms
            return summand * (last - first + 1)
        return self.func(summand, *self.limits)


class Column(sympy.MatrixExpr):
    """Column x of the matrix A, printed A_x, as the book writes the column of example x:
    delta^l_x, a^{l-1}_x (chapter 6). Examples count from 1: once A is an explicit matrix and
    x a number, ``doit`` gives ``A[:, x - 1]``."""

    def __new__(cls, A, x):
        return sympy.Basic.__new__(cls, A, sympy.sympify(x))

    @property
    def shape(self):
        return (self.args[0].shape[0], 1)

    def doit(self, **hints):
        A, x = (arg.doit(**hints) for arg in self.args)
        if isinstance(A, sympy.MatrixBase) and x.is_Integer:
            return A[:, int(x) - 1]
        return Column(A, x)

    def _latex(self, printer):
        return f"{printer._print(self.args[0])}_{printer._print(self.args[1])}"


# Matrix expressions as written: SymPy would reorder their terms or multiply out the scalars.


def minus_as_written(p, q):
    """The matrix expression p - q, in that order: ``a - y``, not ``-y + a``."""
    return sympy.MatAdd(p, -q, evaluate=False)


def product_as_written(*factors):
    """The matrix product of ``factors`` in the order given, a scalar first if any:
    ``\\frac{1}{m} \\delta^l (a^{l-1})^T``."""
    return sympy.MatMul(*factors, evaluate=False)


def hadamard_as_written(*factors):
    """The entry-by-entry (Hadamard) product of ``factors``, p ⊙ q, in the order given."""
    return sympy.HadamardProduct(*factors, evaluate=False)


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
