import numpy as np
import pytest

import bp_lib
from bp_lib.costs import CrossEntropyCost, QuadraticCost, SoftmaxCrossEntropyCost


def per_column_gradient(cost, z, y, h=1e-6):
    """Central differences of m * C (the sum over columns) with respect to every entry of z."""
    m = z.shape[1]
    grad = np.zeros_like(z)
    for index in np.ndindex(z.shape):
        step = np.zeros_like(z)
        step[index] = h
        grad[index] = m * (cost.value(z + step, y) - cost.value(z - step, y)) / (2 * h)
    return grad


def test_quadratic_value_at_known_points():
    cost = QuadraticCost()
    z = np.zeros((2, 2))  # a = 1/2 everywhere
    y = np.array([[1.0, 0.0], [0.5, 0.5]])
    assert cost.value(z, y) == pytest.approx(0.5 * (0.25 + 0.25) / 2)


def test_cross_entropy_value_at_known_points():
    cost = CrossEntropyCost()
    assert cost.value(np.zeros((1, 1)), np.ones((1, 1))) == pytest.approx(np.log(2))
    z = np.array([[np.log(4.0)]])  # a = 0.8
    assert cost.value(z, np.array([[1.0]])) == pytest.approx(-np.log(0.8))
    assert cost.value(z, np.array([[0.0]])) == pytest.approx(-np.log(0.2))


def test_softmax_cross_entropy_worked_numbers():
    cost = SoftmaxCrossEntropyCost()
    z = np.log(np.array([[0.8], [0.15], [0.05]]))  # q = (0.8, 0.15, 0.05)
    assert cost.value(z, np.array([[1.0], [0.0], [0.0]])) == pytest.approx(0.223, abs=5e-4)
    z = np.log(np.array([[0.1], [0.6], [0.3]]))
    assert cost.value(z, np.array([[1.0], [0.0], [0.0]])) == pytest.approx(2.303, abs=5e-4)


@pytest.mark.parametrize("cost", [QuadraticCost(), CrossEntropyCost(), SoftmaxCrossEntropyCost(),
                                  bp_lib.get_cost("quadratic", "identity")], ids=repr)
def test_delta_is_the_derivative_of_each_examples_cost(cost):
    rng = np.random.default_rng(3)
    z = rng.normal(size=(4, 3))
    if isinstance(cost, SoftmaxCrossEntropyCost):
        y = bp_lib.one_hot(np.array([0, 3, 1]), 4)
    else:
        y = rng.uniform(size=(4, 3))
    a = cost.output.fn(z)
    np.testing.assert_allclose(cost.delta(z, a, y), per_column_gradient(cost, z, y), rtol=1e-6, atol=1e-9)


def test_cross_entropy_delta_is_a_minus_y():
    z, y = np.array([[2.0, -1.0]]), np.array([[0.0, 1.0]])
    a = bp_lib.sigmoid(z)
    np.testing.assert_array_equal(CrossEntropyCost().delta(z, a, y), a - y)


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("cost", [QuadraticCost(), CrossEntropyCost(), SoftmaxCrossEntropyCost()], ids=repr)
def test_extreme_weighted_inputs_give_finite_costs_and_deltas(cost):
    z = np.array([[1e3, -1e3], [-1e3, 1e3]])
    y = np.array([[0.0, 0.0], [1.0, 1.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        value = cost.value(z, y)
        delta = cost.delta(z, cost.output.fn(z), y)
    assert np.isfinite(value) and np.all(np.isfinite(delta))
    if not isinstance(cost, QuadraticCost):
        assert value == pytest.approx(1e3)  # one confidently wrong column costs ~1000, the other ~0


def test_targets_are_checked():
    with pytest.raises(ValueError, match=r"one-hot targets .* column 1 of Y is \[0.5, 0.5\]"):
        SoftmaxCrossEntropyCost().check_target(np.array([[1.0, 0.5], [0.0, 0.5]]))
    with pytest.raises(ValueError, match=r"column 0 of Y is \[1.0, 1.0\]"):
        SoftmaxCrossEntropyCost().check_target(np.array([[1.0], [1.0]]))
    with pytest.raises(ValueError, match=r"targets in \[0, 1\]; Y has entries from -1 to 2"):
        CrossEntropyCost().check_target(np.array([[-1.0, 2.0]]))
    QuadraticCost().check_target(np.array([[-7.0, 12.0]]))


def test_get_cost_names_and_output_activation():
    assert isinstance(bp_lib.get_cost("cross_entropy"), CrossEntropyCost)
    assert bp_lib.get_cost("quadratic", "identity").output.name == "identity"
    with pytest.raises(ValueError, match=r"unknown cost 'mse'; expected one of 'quadratic', 'cross_entropy'"):
        bp_lib.get_cost("mse")
    with pytest.raises(ValueError, match=r"output_activation can only be chosen with the quadratic cost"):
        bp_lib.get_cost("cross_entropy", "identity")
    with pytest.raises(ValueError, match=r"unknown output_activation 'softplus'"):
        bp_lib.get_cost("quadratic", "softplus")
    with pytest.raises(ValueError, match=r"output must be an elementwise Activation"):
        QuadraticCost("sigmoid")
    with pytest.raises(ValueError, match=r"output must be an elementwise Activation.*softmax"):
        QuadraticCost(SoftmaxCrossEntropyCost.output)  # softmax has no elementwise derivative
