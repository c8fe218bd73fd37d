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
    assert cost.value(z, np.array([[1.0], [0.0], [0.0]])) == pytest.approx(
        0.223, abs=5e-4
    )
    z = np.log(np.array([[0.1], [0.6], [0.3]]))
    assert cost.value(z, np.array([[1.0], [0.0], [0.0]])) == pytest.approx(
        2.303, abs=5e-4
    )


@pytest.mark.parametrize(
    "cost",
    [
        QuadraticCost(),
        CrossEntropyCost(),
        SoftmaxCrossEntropyCost(),
        bp_lib.get_cost("quadratic", "identity"),
    ],
    ids=repr,
)
def test_delta_is_the_derivative_of_each_examples_cost(cost):
    rng = np.random.default_rng(3)
    z = rng.normal(size=(4, 3))
    if isinstance(cost, SoftmaxCrossEntropyCost):
        y = bp_lib.one_hot(np.array([0, 3, 1]), 4)
    else:
        y = rng.uniform(size=(4, 3))
    a = cost.output.fn(z)
    np.testing.assert_allclose(
        cost.delta(z, a, y), per_column_gradient(cost, z, y), rtol=1e-6, atol=1e-9
    )


def test_cross_entropy_delta_is_a_minus_y():
    z, y = np.array([[2.0, -1.0]]), np.array([[0.0, 1.0]])
    a = bp_lib.sigmoid(z)
    np.testing.assert_array_equal(CrossEntropyCost().delta(z, a, y), a - y)


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize(
    "cost", [QuadraticCost(), CrossEntropyCost(), SoftmaxCrossEntropyCost()], ids=repr
)
def test_extreme_weighted_inputs_give_finite_costs_and_deltas(cost):
    z = np.array([[1e3, -1e3], [-1e3, 1e3]])
    y = np.array([[0.0, 0.0], [1.0, 1.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        value = cost.value(z, y)
        delta = cost.delta(z, cost.output.fn(z), y)
    assert np.isfinite(value) and np.all(np.isfinite(delta))
    if not isinstance(cost, QuadraticCost):
        assert value == pytest.approx(
            1e3
        )  # one confidently wrong column costs ~1000, the other ~0


def test_targets_are_checked():
    with pytest.raises(ValueError, match=r"column 1 of Y sums to 1.5: \[1.0, 0.5\]"):
        SoftmaxCrossEntropyCost().check_target(np.array([[1.0, 1.0], [0.0, 0.5]]))
    with pytest.raises(
        ValueError,
        match=r"sum to 1 \(to within 1e-06\).*column 0 of Y sums to 2: \[1.0, 1.0\]",
    ):
        SoftmaxCrossEntropyCost().check_target(np.array([[1.0], [1.0]]))
    with pytest.raises(
        ValueError,
        match=r"probability vector .* column 0 of Y has a negative entry: \[1.5, -0.5\]",
    ):
        SoftmaxCrossEntropyCost().check_target(np.array([[1.5], [-0.5]]))
    with pytest.raises(
        ValueError, match=r"targets in \[0, 1\]; Y has entries from -1 to 2"
    ):
        CrossEntropyCost().check_target(np.array([[-1.0, 2.0]]))
    QuadraticCost().check_target(np.array([[-7.0, 12.0]]))


def test_get_cost_names_and_output_activation():
    assert isinstance(bp_lib.get_cost("cross_entropy"), CrossEntropyCost)
    assert bp_lib.get_cost("quadratic", "identity").output.name == "identity"
    with pytest.raises(
        ValueError,
        match=r"unknown cost 'mse'; expected one of 'quadratic', 'cross_entropy'",
    ):
        bp_lib.get_cost("mse")
    with pytest.raises(
        ValueError,
        match=r"output_activation can only be chosen with the quadratic cost",
    ):
        bp_lib.get_cost("cross_entropy", "identity")
    with pytest.raises(ValueError, match=r"unknown output_activation 'softplus'"):
        bp_lib.get_cost("quadratic", "softplus")
    with pytest.raises(ValueError, match=r"output must be an elementwise Activation"):
        QuadraticCost("sigmoid")
    with pytest.raises(
        ValueError, match=r"output must be an elementwise Activation.*softmax"
    ):
        QuadraticCost(
            SoftmaxCrossEntropyCost.output
        )  # softmax has no elementwise derivative


def test_softmax_cross_entropy_takes_probability_targets():
    """Label smoothing and soft targets: any columns of non-negative entries summing to 1
    (chapter 5: q - y needs only sum_i y_i = 1)."""
    cost = SoftmaxCrossEntropyCost()
    smoothed = 0.9 * bp_lib.one_hot(np.array([0, 2]), 3) + 0.1 / 3
    soft = np.array([[0.2, 0.0], [0.3, 0.5], [0.5, 0.5]])
    near = np.array([[0.5 + 5e-7], [0.5]])  # off by 5e-7, inside the tolerance
    for y in (smoothed, soft, near):
        cost.check_target(y)
    with pytest.raises(ValueError, match=r"column 0 of Y sums to 1.000002"):
        cost.check_target(np.array([[0.5 + 2e-6], [0.5]]))
    # delta = q - y is the gradient of C_x for a soft target too (central differences of C)
    z = np.array([[0.3, -1.0], [1.2, 0.4], [-0.7, 2.0]])
    y = soft
    numeric = np.zeros_like(z)
    h = 1e-6
    for index in np.ndindex(z.shape):
        up, down = z.copy(), z.copy()
        up[index] += h
        down[index] -= h
        numeric[index] = (
            (cost.value(up, y) - cost.value(down, y)) * z.shape[1] / (2 * h)
        )
    np.testing.assert_allclose(cost.delta(z, cost.output.fn(z), y), numeric, atol=1e-8)
    # a network trains on them
    net = bp_lib.Network([4, 3], cost="softmax_cross_entropy", seed=0)
    X = np.random.default_rng(0).standard_normal((4, 2))
    before = net.cost_value(X, soft)
    net.sgd(X, soft, epochs=20, batch_size=2, eta=0.5, seed=0)
    assert net.cost_value(X, soft) < before
