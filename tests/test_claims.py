"""bp_lib.claims: a claim holds or raises, prints in the book's notation, and the normalised
comparison tells a typo from a difference in spacing; the helpers for the book's notation
(printed_as, SumOverExamples, Column, DiagMatrix, the matrix expressions as written, ln) print
as the prose writes and mean what SymPy proves."""

import pytest
import sympy as sp
from sympy.matrices.expressions.diagonal import DiagMatrix

from bp_lib.claims import (
    Claim,
    Column,
    SumOverExamples,
    book_latex,
    claim,
    hadamard_as_written,
    minus_as_written,
    normalise,
    printed_as,
    product_as_written,
)
from bp_lib.symbolic import prime

z = sp.Symbol("z")
sigma = sp.Function("sigma")
LOGISTIC = sp.Lambda(z, 1 / (1 + sp.exp(-z)))
DEFINITIONS = {sigma: LOGISTIC, prime(sigma): sp.Lambda(z, sp.diff(LOGISTIC(z), z))}


def test_a_true_claim_passes_and_a_false_one_raises():
    claim("0.1", prime(sigma)(z), sigma(z) * (1 - sigma(z)), where=DEFINITIONS)
    with pytest.raises(AssertionError, match=r"\(0\.1\) does not hold"):
        claim("0.1", prime(sigma)(z), sigma(z) * (1 + sigma(z)), where=DEFINITIONS)


def test_a_matrix_claim_with_hadamard_and_transpose():
    n = 3
    w = sp.MatrixSymbol("w^{l+1}", n, n)
    delta_next = sp.MatrixSymbol("delta^{l+1}", n, 1)
    z_l = sp.MatrixSymbol("z^l", n, 1)
    delta = sp.MatrixSymbol("delta^l", n, 1)
    W = sp.Matrix(n, n, lambda j, k: sp.Symbol(f"w_{j}{k}"))
    D = sp.Matrix(n, 1, lambda j, _: sp.Symbol(f"d_{j}"))
    Z = sp.Matrix(n, 1, lambda j, _: sp.Symbol(f"z_{j}"))
    by_entries = sp.Matrix(
        n, 1, lambda j, _: sum(W[k, j] * D[k] for k in range(n)) * prime(sigma)(Z[j])
    )
    bp2 = sp.HadamardProduct(w.T * delta_next, z_l.applyfunc(prime(sigma)))
    where = {w: W, delta_next: D, z_l: Z, delta: by_entries}
    claim("BP2", delta, bp2, where=where)
    dropped = sp.HadamardProduct(w * delta_next, z_l.applyfunc(prime(sigma)))
    with pytest.raises(AssertionError):
        claim("BP2", delta, dropped, where=where)
    assert (
        book_latex(bp2)
        == r"\bigl((w^{l+1})^T \delta^{l+1}\bigr) \odot \sigma'\!\left(z^l\right)"
    )


def test_terms_print_in_the_order_written():
    a, y = sp.symbols("a y")
    written = sp.Add(a, -y, evaluate=False)
    assert book_latex(written) == "a - y"
    assert book_latex(sp.Add(-y, a, evaluate=False)) == "- y + a"
    assert Claim("5.5", (sp.Symbol("delta^L"), written)).latex == r"\delta^L = a - y"


def test_normalise_ignores_spacing_sizes_and_braces_not_meaning():
    written = (
        r"\delta^l = \big((w^{l+1})^T \delta^{l+1}\big) \odot \sigma'(z^l). \tag{BP2}"
    )
    printed = r"$$\displaystyle \bigl((w^{l+1})^{T} \delta^{l+1}\bigr) \odot \sigma'\!\left(z^{l}\right)$$"
    assert normalise(written) == normalise(r"\delta^{l} = " + printed[2:-2])
    assert normalise(r"\tfrac12 x") == normalise(r"\frac{1}{2}\,x")
    for typo in (
        written.replace("^T", ""),  # a dropped transpose
        written.replace("l+1", "l-1", 1),  # a sign
        written.replace("\\odot", "+"),
    ):
        assert normalise(typo) != normalise(written)
    assert normalise(r"\frac{1}{m}") != normalise(r"\frac{1}{n}")


def test_claim_refuses_bad_input():
    with pytest.raises(ValueError, match="two or more sides"):
        claim("0.1", z)
    with pytest.raises(ValueError, match="tag must be"):
        claim(1, z, z)


def test_an_indexed_sum_claimed_for_every_neuron():
    """(BP2c) with indices: one claim asserted for j = 1, 2, 3, the sum over k expanded."""
    k, j, n = sp.symbols("k j n", integer=True)
    w, d = sp.IndexedBase("w^{l+1}"), sp.IndexedBase("delta^{l+1}")
    z_l, delta = sp.IndexedBase("z^l"), sp.IndexedBase("delta^l")
    W = sp.Matrix(3, 3, lambda a, b: sp.Symbol(f"W_{a}{b}"))
    D = sp.Matrix(3, 1, lambda a, _: sp.Symbol(f"D_{a}"))
    Z = sp.Matrix(3, 1, lambda a, _: sp.Symbol(f"Z_{a}"))
    by_matrices = sp.Matrix(3, 1, lambda a, _: (W.T * D)[a] * prime(sigma)(Z[a]))
    with sp.evaluate(False):
        bp2c = sp.Sum(w[k, j] * d[k] * prime(sigma)(z_l[j]), (k, 1, n))
    each = [{j: i, n: 3, w: W, d: D, z_l: Z, delta: by_matrices} for i in (1, 2, 3)]
    claim("BP2c", delta[j], bp2c, where=each)
    transposed = [{**case, w: W.T} for case in each]
    with pytest.raises(AssertionError, match=r"case 1 of 3"):
        claim("BP2c", delta[j], bp2c, where=transposed)
    written = (
        r"\delta^l_j = \sum_{k=1}^{n} w^{l+1}_{kj}\,\delta^{l+1}_k\,\sigma'(z^l_j)"
    )
    assert normalise(written) == normalise(
        book_latex(delta[j]) + " = " + book_latex(bp2c)
    )


# The book's notation where SymPy's objects print otherwise (chapters 1, 3, 5-8)


def test_printed_as_prints_by_its_template_and_means_what_where_says():
    w, l = sp.symbols("w l")
    slope = printed_as("C'({u}){p}")
    assert book_latex(slope(w)) == "C'(w)"
    assert book_latex(slope(w) ** 2) == "C'(w)^{2}"
    tanh_ = printed_as(r"\tanh{p} {u}")
    assert book_latex(sp.Add(1, -(tanh_(z) ** 2), evaluate=False)) == r"1 - \tanh^{2} z"
    w_of = printed_as("w^{{{u}}}")  # a layer's weights as a function of a symbolic l
    assert book_latex(w_of(sp.Add(l, 1, evaluate=False))) == "w^{l + 1}"
    assert (
        book_latex(w_of(l) ** 2) == r"\left(w^{l}\right)^{2}"
    )  # no {p}: parenthesised
    tanh_z = (sp.exp(z) - sp.exp(-z)) / (sp.exp(z) + sp.exp(-z))
    slope_of_tanh = printed_as(r"\tanh'({u})")
    where = {
        tanh_: sp.Lambda(z, tanh_z),
        slope_of_tanh: sp.Lambda(z, sp.diff(tanh_z, z)),
    }
    claim("3.1", slope_of_tanh(z), 1 - tanh_(z) ** 2, where=where)
    with pytest.raises(AssertionError):
        claim("3.1", slope_of_tanh(z), 1 + tanh_(z) ** 2, where=where)
    for template in ("w^{l}", "C'({u}) {q}", "C'(x)"):
        with pytest.raises(ValueError, match="must show the argument as {u}"):
            printed_as(template)


def test_a_sum_over_examples_adds_numbered_terms_and_keeps_a_symbolic_sum():
    i, m = sp.Symbol("i", integer=True), sp.Symbol("m", integer=True, positive=True)
    x, y = sp.IndexedBase("x"), sp.IndexedBase("y")
    w = sp.Symbol("w")
    assert (
        SumOverExamples(y[i] ** 2, (i, 1, 3)).doit()
        == y[1] ** 2 + y[2] ** 2 + y[3] ** 2
    )
    # with a symbolic m: the summand worked out, the sum kept; m equal terms are m times one
    cost = SumOverExamples((w * x[i] - y[i]) ** 2 / 2, (i, 1, m))
    slope = sp.diff(cost, w).doit()
    assert isinstance(slope, SumOverExamples)
    assert sp.expand(slope.function - (w * x[i] - y[i]) * x[i]) == 0
    assert SumOverExamples(sp.Derivative(w**2, w), (i, 1, m)).doit() == 2 * m * w
    assert book_latex(cost / m).startswith(r"\frac{\sum_{i=1}^{m}")
    with pytest.raises(ValueError, match="one index"):
        SumOverExamples(y[i], (i, 1, 3), (m, 1, 2))


def test_columns_print_as_the_book_writes_an_example_and_sum_to_the_matrix_product():
    """(6.1) for 2 neurons and 3 examples: dC/dw^l as a sum over the columns x."""
    n, m = 2, sp.Symbol("m", integer=True, positive=True)
    x = sp.Symbol("x", integer=True, positive=True)
    delta, a = sp.MatrixSymbol("delta^l", n, m), sp.MatrixSymbol("a^{l-1}", n, m)
    column = Column(delta, x)
    assert column.shape == (n, 1)
    assert book_latex(column) == r"\delta^l_x"
    D = sp.Matrix(n, 3, lambda j, c: sp.Symbol(f"d_{j}{c}"))
    A = sp.Matrix(n, 3, lambda j, c: sp.Symbol(f"a_{j}{c}"))
    assert Column(sp.ImmutableMatrix(D), 2).doit() == D[:, 1]  # examples count from 1
    dC_dw = sp.MatrixSymbol(r"\frac{\partial C}{\partial w^l}", n, n)
    by_examples = SumOverExamples(column * Column(a, x).T, (x, 1, m))
    where = {
        m: 3,
        dC_dw: D * A.T,
        delta: sp.ImmutableMatrix(D),
        a: sp.ImmutableMatrix(A),
    }
    claim("6.1", dC_dw, by_examples, product_as_written(delta, a.T), where=where)
    assert book_latex(by_examples) == r"\sum_{x=1}^{m} \delta^l_x (a^{l-1}_x)^T"


def test_diag_and_matrix_expressions_print_as_written():
    """(5.8), diag(q) - q q^T, for a softmax of two classes, and the terms of chapter 8."""
    q = sp.MatrixSymbol("q", 2, 1)
    a, y = sp.MatrixSymbol("a", 2, 3), sp.MatrixSymbol("y", 2, 3)
    m = sp.Symbol("m")
    jacobian_form = minus_as_written(DiagMatrix(q), product_as_written(q, q.T))
    assert book_latex(jacobian_form) == r"\operatorname{diag}(q) - q q^T"
    assert book_latex(product_as_written(1 / m, minus_as_written(a, y))) == (
        r"\frac{1}{m} \left(a - y\right)"
    )
    assert book_latex(hadamard_as_written(y, a)) == r"y \odot a"
    z1, z2 = sp.symbols("z_1 z_2")
    softmax = sp.Matrix([sp.exp(z1), sp.exp(z2)]) / (sp.exp(z1) + sp.exp(z2))
    dq_dz = sp.MatrixSymbol(r"\frac{\partial q}{\partial z}", 2, 2)
    where = {dq_dz: softmax.jacobian([z1, z2]), q: sp.ImmutableMatrix(softmax)}
    claim("5.8", dq_dz, jacobian_form, where=where)
    with pytest.raises(AssertionError):
        claim("5.8", dq_dz, DiagMatrix(q), where=where)


def test_logarithms_print_as_ln_and_a_worked_value_is_exact():
    """(5.12): C_x = -ln(4/5) = ln(5/4), from C_x = -sum_i y_i ln q_i."""
    assert book_latex(sp.log(10)) == r"\ln 10"
    assert book_latex(sp.log(1 - z)) == r"\ln\left(1 - z\right)"
    assert book_latex(sp.log(z) ** 2) == r"\ln^{2} z"
    C_x = sp.Symbol("C_x")
    q = [sp.Rational(4, 5), sp.Rational(1, 10), sp.Rational(1, 10)]
    cost = -sum(y_i * sp.log(q_i) for y_i, q_i in zip([1, 0, 0], q))
    with sp.evaluate(False):
        minus_ln = -sp.log(sp.Rational(4, 5))
    claim("5.12", C_x, minus_ln, sp.log(sp.Rational(5, 4)), where={C_x: cost})
    assert Claim("5.12", (C_x, minus_ln)).latex == r"C_x = - \ln \frac{4}{5}"
    with pytest.raises(AssertionError):
        claim("5.12", C_x, sp.log(sp.Rational(4, 5)), where={C_x: cost})


def test_a_truncated_expansion_is_claimed_through_its_series():
    """(6.4): the forward difference is C' + (h/2) C'' + O(h^2), by SymPy's series."""
    C, theta, h = sp.Function("C"), sp.Symbol("theta"), sp.Symbol("h")
    with sp.evaluate(False):
        forward = (C(theta + h) - C(theta)) / h
    series = sp.series(forward, h, 0, 2)
    C1, C2 = printed_as("C'({u}){p}"), printed_as("C''({u}){p}")
    O2 = sp.O(h**2)
    assert series.getO() == O2
    with sp.evaluate(False):
        expansion = sp.Add(C1(theta), h / 2 * C2(theta), O2)
    slopes = {
        Ck: sp.Lambda(theta, sp.diff(C(theta), theta, k))
        for k, Ck in ((1, C1), (2, C2))
    }
    where = {forward: series.removeO(), O2: 0, **slopes}
    claim("6.4", forward, expansion, where=where)
    assert Claim("6.4", (forward, expansion)).latex == (
        r"\frac{C(\theta + h) - C(\theta)}{h} = C'(\theta) + \frac{h}{2} C''(\theta)"
        r" + O\left(h^{2}\right)"
    )
    with pytest.raises(AssertionError):
        claim("6.4", forward, sp.Add(C1(theta), h * C2(theta), O2), where=where)
