import numpy as np
import pytest
import sympy as sp

import bp_lib
from bp_lib.symbolic import prime

z, y = sp.symbols("z y", real=True)
sigma = sp.Function("sigma")


def test_agreeing_expressions_pass_and_report():
    ds = sp.diff(1 / (1 + sp.exp(-z)), z)
    report = bp_lib.cross_check(ds, z, bp_lib.sigmoid_prime, n_points=30)
    assert report.n_points == 30 and report.max_abs_error < 1e-15
    assert "agree at 30 seeded random points" in str(report)


def test_abstract_functions_take_their_numpy_implementation():
    report = bp_lib.cross_check(
        1 - sigma(z) ** 2, z, bp_lib.tanh_prime, functions={"sigma": np.tanh}
    )
    assert report.max_abs_error < 1e-15


def test_several_symbols_are_passed_in_order():
    expr = (sigma(z) - y) * sigma(z) * (1 - sigma(z))
    numeric = lambda z_, y_: bp_lib.QuadraticCost().delta(z_, bp_lib.sigmoid(z_), y_)  # noqa: E731
    bp_lib.cross_check(expr, [z, y], numeric, functions={"sigma": bp_lib.sigmoid})


def test_a_wrong_formula_fails_with_a_sentence():
    with pytest.raises(
        AssertionError,
        match=r"sigmoid_prime disagrees with 2\*\(1 - sigma\(z\)\)\*sigma\(z\) at 50 of 50 points; worst at z=",
    ):
        bp_lib.cross_check(
            2 * sigma(z) * (1 - sigma(z)),
            z,
            bp_lib.sigmoid_prime,
            functions={"sigma": bp_lib.sigmoid},
        )


def test_explicit_points_and_constant_expressions():
    bp_lib.cross_check(
        sp.Integer(0), z, bp_lib.relu_prime, points={z: [-2.0, -0.5, 0.0]}
    )
    with pytest.raises(AssertionError, match=r"worst at z=2"):
        bp_lib.cross_check(sp.Integer(0), z, bp_lib.relu_prime, points={z: [-1.0, 2.0]})


def test_seeded_points_are_reproducible():
    seen = []
    bp_lib.cross_check(z, z, lambda v: seen.append(v.copy()) or v, seed=4)
    bp_lib.cross_check(z, z, lambda v: seen.append(v.copy()) or v, seed=4)
    np.testing.assert_array_equal(seen[0], seen[1])


def test_bad_arguments_are_explained():
    with pytest.raises(ValueError, match=r"symbols must be a SymPy Symbol"):
        bp_lib.cross_check(z, "z", np.sin)
    with pytest.raises(
        ValueError, match=r"expr uses symbols \['y'\] that are not in symbols"
    ):
        bp_lib.cross_check(z + y, z, np.sin)
    with pytest.raises(AssertionError, match=r"returned 1 values for 50 points"):
        bp_lib.cross_check(z, z, lambda v: np.array([1.0]))
    with pytest.raises(
        ValueError, match=r"n_points must be a positive whole number; got 0"
    ):
        bp_lib.cross_check(z, z, np.sin, n_points=0)


def test_nan_from_either_side_is_a_disagreement():
    with pytest.raises(AssertionError, match=r"at 50 of 50 points; .* got nan"):
        bp_lib.cross_check(z, z, lambda v: np.full_like(v, np.nan))
    with (
        np.errstate(invalid="ignore"),
        pytest.raises(AssertionError, match=r"expected nan"),
    ):
        bp_lib.cross_check(
            sp.log(z), z, np.abs, points={z: [-1.0, 1.0]}
        )  # log(-1) is NaN in numpy


def test_with_primes_names_first_derivatives_at_symbols_and_compound_arguments():
    sigma_prime = sp.Function("sigma_prime")
    w, b = sp.symbols("w b", real=True)
    expr = sp.diff(
        sigma(w * sigma(z) + b), z
    )  # sigma'(w sigma(z) + b) * w * sigma'(z), unevaluated
    named = bp_lib.symbolic.with_primes(expr, {sigma: sigma_prime})
    assert named == w * sigma_prime(z) * sigma_prime(w * sigma(z) + b)
    assert not named.atoms(sp.Derivative) and not named.atoms(sp.Subs)
    with pytest.raises(ValueError, match=r"first derivatives only"):
        bp_lib.symbolic.with_primes(sp.diff(sigma(z), z, 2), {sigma: sigma_prime})
    assert bp_lib.symbolic.with_primes(
        sp.diff(sp.sin(z), z), {sigma: sigma_prime}
    ) == sp.cos(z)


def test_symbol_matrices_are_named_in_the_books_notation():
    from bp_lib.symbolic import symbol_matrix

    assert [str(s) for s in symbol_matrix("w", 2, 2, layer=3)] == [
        "w^3_11",
        "w^3_12",
        "w^3_21",
        "w^3_22",
    ]
    assert [str(s) for s in symbol_matrix("b", 2, layer=1)] == ["b^1_1", "b^1_2"]
    assert [str(s) for s in symbol_matrix("x", 2)] == ["x_1", "x_2"]
    assert [str(s) for s in symbol_matrix("x", 1, 2, examples=True)] == [
        "x_1^(1)",
        "x_1^(2)",
    ]


def test_prime_prints_as_sigma_prime_and_evaluates_with_numpy():
    from bp_lib.symbolic import prime, to_numpy, with_primes

    sigma, u = sp.Function("sigma"), sp.Symbol("u")
    assert prime(sigma) is prime(sigma) and prime(sigma).__name__ == "sigma_prime"
    assert sp.latex(prime(sigma)(u)) == r"\sigma'\!\left(u\right)"
    assert sp.latex(prime(sp.Function("sigma_L"))(u)) == r"\sigma_{L}'\!\left(u\right)"
    expr = sp.diff(
        sigma(2 * u) ** 2, u
    )  # 4 sigma(2u) sigma'(2u), with a Subs SymPy leaves unevaluated
    assert with_primes(expr) == 4 * sigma(2 * u) * prime(sigma)(2 * u)
    f = to_numpy(expr, [u], {sigma: bp_lib.sigmoid, prime(sigma): bp_lib.sigmoid_prime})
    np.testing.assert_allclose(
        f(np.array([0.0, 1.0])),
        4
        * bp_lib.sigmoid(np.array([0.0, 2.0]))
        * bp_lib.sigmoid_prime(np.array([0.0, 2.0])),
    )
    # cross_check takes the functions as they are, and reads the derivative as prime(sigma)
    bp_lib.cross_check(
        sp.diff(sigma(u), u),
        u,
        bp_lib.sigmoid_prime,
        functions={prime(sigma): bp_lib.sigmoid_prime},
    )


def test_symbolic_network_is_the_network_of_bp_lib():
    from bp_lib.symbolic import SymbolicNetwork, to_numpy

    sym = SymbolicNetwork([2, 3, 2], examples=2)
    assert (
        sym.w[1].shape == (3, 2)
        and sym.b[2].shape == (2, 1)
        and sym.z[2].shape == (2, 2)
    )
    assert len(sym.params) == bp_lib.count_parameters([2, 3, 2])
    net = bp_lib.Network([2, 3, 2], seed=0)
    X, Y = np.array([[0.5, -1.0], [2.0, 0.3]]), np.array([[0.2, 0.9], [0.7, 0.1]])
    sigma = sym.activation
    cost = to_numpy(
        sym.C, sym.params + list(sym.x) + list(sym.y), {sigma: bp_lib.sigmoid}
    )
    assert cost(*sym.parameter_values(net), *X.ravel(), *Y.ravel()) == pytest.approx(
        net.cost_value(X, Y), rel=1e-13
    )
    gradient = to_numpy(
        [sp.diff(sym.C, p) for p in sym.params],
        sym.params + list(sym.x) + list(sym.y),
        {sigma: bp_lib.sigmoid, prime(sigma): bp_lib.sigmoid_prime},
    )
    nabla_w, nabla_b = net.backprop(X, Y)
    expected = [
        v for nw, nb in zip(nabla_w, nabla_b) for v in [*nw.ravel(), *nb.ravel()]
    ]
    np.testing.assert_allclose(
        gradient(*sym.parameter_values(net), *X.ravel(), *Y.ravel()),
        expected,
        rtol=1e-12,
    )
    with pytest.raises(ValueError, match=r"the network has sizes \[2, 3, 3\]"):
        sym.parameter_values(bp_lib.Network([2, 3, 3], seed=0))


def test_cost_from_a_layer_gives_delta_by_its_definition():
    from bp_lib.symbolic import SymbolicNetwork, symbol_matrix, with_primes

    sym = SymbolicNetwork([2, 2, 2], examples=1)
    zeta = symbol_matrix("zeta", 2)
    assert sp.expand(sym.cost_from(1, sym.z[1]) - sym.C) == 0
    at_z = dict(zip(zeta, sym.z[2]))
    delta_2 = [
        with_primes(sp.diff(sym.cost_from(2, zeta), zj)).xreplace(at_z) for zj in zeta
    ]
    sigma_prime = prime(sym.activation)
    bp1 = [
        (sym.a[2][j] - sym.y[j]) * sigma_prime(sym.z[2][j]) for j in range(2)
    ]  # BP1, quadratic cost
    assert all(sp.expand(d - e) == 0 for d, e in zip(delta_2, bp1))
    with pytest.raises(ValueError, match=r"zeta must stand for z\^2 of shape \(2, 1\)"):
        sym.cost_from(2, symbol_matrix("zeta", 3))


def test_with_primes_keeps_the_partial_derivatives_of_a_function_of_several_arguments():
    from bp_lib.symbolic import with_primes

    Phi, u, v = sp.Function("Phi"), sp.Symbol("u"), sp.Symbol("v")
    expr = sp.diff(Phi(sigma(u), v), u)  # dPhi/dsigma(u) * sigma'(u)
    renamed = with_primes(expr)
    assert renamed == sp.Derivative(Phi(sigma(u), v), sigma(u)) * prime(sigma)(u)
    with pytest.raises(ValueError, match=r"first derivatives only"):
        with_primes(sp.diff(sigma(u), u, 2))


def test_prime_prints_as_a_power_too():
    """sigma'(u)^2 prints (SymPy's printer hands a power's exponent to _latex)."""
    sigma, u = sp.Function("sigma"), sp.Symbol("u")
    assert sp.latex(prime(sigma)(u) ** 2) == r"\sigma'\!\left(u\right)^{2}"
