"""bp_lib.claims: a claim holds or raises, prints in the book's notation, and the normalised
comparison tells a typo from a difference in spacing."""

import pytest
import sympy as sp

from bp_lib.claims import Claim, book_latex, claim, normalise
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
