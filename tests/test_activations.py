import numpy as np
import pytest

import bp_lib
from bp_lib.activations import ACTIVATIONS

Z = np.array([-3.0, -0.5, 0.0, 0.7, 2.0])


def central_difference(f, z, h=1e-6):
    return (f(z + h) - f(z - h)) / (2 * h)


def test_sigmoid_known_values():
    assert bp_lib.sigmoid(0.0) == 0.5
    np.testing.assert_allclose(bp_lib.sigmoid(np.log(3.0)), 0.75, rtol=1e-15)
    np.testing.assert_allclose(bp_lib.sigmoid(Z), 1 / (1 + np.exp(-Z)), rtol=1e-15)


def test_sigmoid_prime_peaks_at_a_quarter():
    assert bp_lib.sigmoid_prime(0.0) == 0.25
    grid = np.linspace(-10, 10, 2001)
    assert bp_lib.sigmoid_prime(grid).max() == 0.25


def test_tanh_and_relu_known_values():
    np.testing.assert_allclose(bp_lib.tanh(Z), np.tanh(Z))
    assert bp_lib.tanh_prime(0.0) == 1.0
    np.testing.assert_allclose(bp_lib.relu(Z), [0, 0, 0, 0.7, 2.0])
    np.testing.assert_array_equal(
        bp_lib.relu_prime(Z), [0, 0, 0, 1, 1]
    )  # relu'(0) = 0 by convention


def test_identity_copies_and_has_slope_one():
    z = Z.copy()
    out = bp_lib.identity(z)
    out[0] = 99.0
    assert z[0] == -3.0
    np.testing.assert_array_equal(bp_lib.identity_prime(Z), np.ones_like(Z))


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_derivative_matches_central_difference(name):
    act = ACTIVATIONS[name]
    z = Z[Z != 0]  # relu has a kink at 0
    np.testing.assert_allclose(
        act.prime(z), central_difference(act.fn, z), rtol=1e-7, atol=1e-9
    )


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activations_keep_shape(name):
    z = np.arange(12.0).reshape(3, 4) - 6
    act = ACTIVATIONS[name]
    assert act.fn(z).shape == (3, 4) and act.prime(z).shape == (3, 4)


def test_get_activation_rejects_unknown_names():
    assert bp_lib.get_activation("tanh").name == "tanh"
    with pytest.raises(
        ValueError,
        match=r"unknown activation 'sigmod'; expected one of 'sigmoid', 'tanh'",
    ):
        bp_lib.get_activation("sigmod")


def test_softmax_columns_are_distributions_and_shift_invariant():
    z = np.array([[1.0, -2.0], [2.0, 0.0], [3.0, 5.0]])
    q = bp_lib.softmax(z)
    np.testing.assert_allclose(q.sum(axis=0), [1.0, 1.0])
    np.testing.assert_allclose(q[:, 0], np.exp([1, 2, 3]) / np.exp([1, 2, 3]).sum())
    np.testing.assert_allclose(
        bp_lib.softmax(z + np.array([[100.0, -50.0]])), q, rtol=1e-12
    )


def test_softmax_jacobian_matches_formula_and_central_differences():
    z = np.array([0.3, -1.2, 2.0, 0.1])
    q = bp_lib.softmax(z)
    J = bp_lib.softmax_jacobian(z)
    np.testing.assert_allclose(J, np.diag(q) - np.outer(q, q))
    numeric = np.column_stack(
        [
            central_difference(lambda t, e=e: bp_lib.softmax(z + t * e), 0.0)
            for e in np.eye(4)
        ]
    )
    np.testing.assert_allclose(J, numeric, rtol=1e-6, atol=1e-10)
    np.testing.assert_allclose(
        J.sum(axis=0), 0.0, atol=1e-15
    )  # columns of q always sum to 1


def test_softmax_jacobian_of_a_batch_is_one_matrix_per_column():
    z = np.array([[0.3, 1.0], [-1.2, 0.0], [2.0, -1.0]])
    stack = bp_lib.softmax_jacobian(z)
    assert stack.shape == (2, 3, 3)
    for i in range(2):
        np.testing.assert_allclose(stack[i], bp_lib.softmax_jacobian(z[:, i]))
    assert bp_lib.softmax_jacobian(z[:, :1]).shape == (3, 3)


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_prime_from_output_is_prime_of_z(name):
    """The backward pass reads s'(z) off the stored output a = s(z): the same number, except that
    the sigmoid's a (1 - a) is right in absolute terms only (it is 0 where a rounds to 1)."""
    act = ACTIVATIONS[name]
    z = np.concatenate(
        [np.linspace(-40.0, 40.0, 801), [-1e3, -700.0, -0.0, 1e-300, 700.0, 1e3]]
    )
    if name == "sigmoid":
        np.testing.assert_allclose(
            act.prime_from_output(act.fn(z)), act.prime(z), rtol=0, atol=4e-16
        )
    else:
        np.testing.assert_array_equal(act.prime_from_output(act.fn(z)), act.prime(z))


@pytest.mark.filterwarnings("error")
def test_sigmoid_prime_has_a_small_relative_error_and_is_even_for_every_z():
    """s'(z) = e^-|z| / (1 + e^-|z|)^2 written without cancellation, against s(z) s(-z)."""
    z = np.linspace(-700.0, 700.0, 14001)
    t = np.exp(-np.abs(z))
    reference = t / (1.0 + t) ** 2
    got = bp_lib.sigmoid_prime(z)
    np.testing.assert_allclose(got, reference, rtol=1e-13)
    np.testing.assert_array_equal(
        got, bp_lib.sigmoid_prime(-z)
    )  # even, to the last bit
    assert np.all(
        bp_lib.sigmoid_prime(np.array([-1e3, -745.0, 745.0, 1e3])) >= 0
    )  # underflow to 0, no warning
    assert bp_lib.sigmoid_prime(40.0) == pytest.approx(4.248354255291589e-18, rel=1e-14)


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_extreme_inputs_stay_finite(name):
    z = np.array([-1e3, -700.0, -40.0, 0.0, 40.0, 700.0, 1e3])
    act = ACTIVATIONS[name]
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert np.all(np.isfinite(act.fn(z))) and np.all(np.isfinite(act.prime(z)))


@pytest.mark.filterwarnings("error")
def test_extreme_softmax_stays_finite():
    z = np.array([[-1e3, 1e3], [0.0, 999.0], [1e3, -1e3]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        q = bp_lib.softmax(z)
        J = bp_lib.softmax_jacobian(z)
    assert np.all(np.isfinite(q)) and np.all(np.isfinite(J))
    np.testing.assert_allclose(q[:, 0], [0, 0, 1])
    np.testing.assert_allclose(q[:, 1], [np.e / (1 + np.e), 1 / (1 + np.e), 0])
