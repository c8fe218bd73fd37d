import numpy as np
import pytest
import sympy as sp

import bp_lib

z, y = sp.symbols("z y", real=True)
sigma = sp.Function("sigma")


def test_agreeing_expressions_pass_and_report():
    ds = sp.diff(1 / (1 + sp.exp(-z)), z)
    report = bp_lib.cross_check(ds, z, bp_lib.sigmoid_prime, n_points=30)
    assert report.n_points == 30 and report.max_abs_error < 1e-15
    assert "agree at 30 seeded random points" in str(report)


def test_abstract_functions_take_their_numpy_implementation():
    report = bp_lib.cross_check(1 - sigma(z) ** 2, z, bp_lib.tanh_prime, functions={"sigma": np.tanh})
    assert report.max_abs_error < 1e-15


def test_several_symbols_are_passed_in_order():
    expr = (sigma(z) - y) * sigma(z) * (1 - sigma(z))
    numeric = lambda z_, y_: bp_lib.QuadraticCost().delta(z_, bp_lib.sigmoid(z_), y_)  # noqa: E731
    bp_lib.cross_check(expr, [z, y], numeric, functions={"sigma": bp_lib.sigmoid})


def test_a_wrong_formula_fails_with_a_sentence():
    with pytest.raises(AssertionError, match=r"sigmoid_prime disagrees with 2\*\(1 - sigma\(z\)\)\*sigma\(z\) at 50 of 50 points; worst at z="):
        bp_lib.cross_check(2 * sigma(z) * (1 - sigma(z)), z, bp_lib.sigmoid_prime, functions={"sigma": bp_lib.sigmoid})


def test_explicit_points_and_constant_expressions():
    bp_lib.cross_check(sp.Integer(0), z, bp_lib.relu_prime, points={z: [-2.0, -0.5, 0.0]})
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
    with pytest.raises(ValueError, match=r"expr uses symbols \['y'\] that are not in symbols"):
        bp_lib.cross_check(z + y, z, np.sin)
    with pytest.raises(AssertionError, match=r"returned 1 values for 50 points"):
        bp_lib.cross_check(z, z, lambda v: np.array([1.0]))
    with pytest.raises(ValueError, match=r"n_points must be a positive whole number; got 0"):
        bp_lib.cross_check(z, z, np.sin, n_points=0)


def test_nan_from_either_side_is_a_disagreement():
    with pytest.raises(AssertionError, match=r"at 50 of 50 points; .* got nan"):
        bp_lib.cross_check(z, z, lambda v: np.full_like(v, np.nan))
    with np.errstate(invalid="ignore"), pytest.raises(AssertionError, match=r"expected nan"):
        bp_lib.cross_check(sp.log(z), z, np.abs, points={z: [-1.0, 1.0]})  # log(-1) is NaN in numpy


def test_with_primes_names_first_derivatives_at_symbols_and_compound_arguments():
    sigma_prime = sp.Function("sigma_prime")
    w, b = sp.symbols("w b", real=True)
    expr = sp.diff(sigma(w * sigma(z) + b), z)  # sigma'(w sigma(z) + b) * w * sigma'(z), unevaluated
    named = bp_lib.symbolic.with_primes(expr, {sigma: sigma_prime})
    assert named == w * sigma_prime(z) * sigma_prime(w * sigma(z) + b)
    assert not named.atoms(sp.Derivative) and not named.atoms(sp.Subs)
    with pytest.raises(ValueError, match=r"first derivatives only"):
        bp_lib.symbolic.with_primes(sp.diff(sigma(z), z, 2), {sigma: sigma_prime})
    assert bp_lib.symbolic.with_primes(sp.diff(sp.sin(z), z), {sigma: sigma_prime}) == sp.cos(z)
