"""The book's notation in LaTeX: SymPy's own printer with the book's conventions, the objects
that print as the book writes where SymPy's do not, and the normal form in which a printed
equation is compared with the one in the prose (chapters 0-11 bind their equations so, through
:mod:`bp_lib.claims`).

The printer (:class:`BookLatexPrinter`) is SymPy's own, with the book's notation: a symbol whose
name is LaTeX already (``w^l_{jk}``, ``\\frac{\\partial C}{\\partial w^l}``) prints as written,
``delta^l`` as ``\\delta^l``; ``\\odot`` for the Hadamard product, ``(w^{l+1})^T`` for a
transpose, ``\\sigma'(z^l)`` for sigma' applied to a vector, ``\\ln`` for the natural logarithm,
``\\operatorname{diag}(q)`` for SymPy's ``DiagMatrix(q)``; and terms in the order they were
written (build sums and products with ``evaluate=False`` to keep it).

Where SymPy has no object that prints as the book writes, equations are built from these:
:func:`printed_as` (an undefined function printed by a template: C'(w), tanh^2 z, w^{l+1}),
:class:`SumOverExamples` (a sum over x = 1, ..., m whose ``doit`` avoids SymPy's slow paths),
:class:`Column` (column x of a matrix, A_x), and :func:`minus_as_written`,
:func:`product_as_written`, :func:`hadamard_as_written` (matrix expressions in the order
written). :func:`normalise` reduces an equation's LaTeX to what a reader sees.
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
    "Column",
    "SumOverExamples",
    "book_latex",
    "hadamard_as_written",
    "minus_as_written",
    "normalise",
    "printed_as",
    "product_as_written",
]
