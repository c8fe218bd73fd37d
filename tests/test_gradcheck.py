import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import bp_lib
from problems import ACTIVATIONS, COSTS, batch
from bp_lib import Network


def test_relative_error_at_known_values():
    assert bp_lib.relative_error([3.0, 4.0], [3.0, 4.0]) == 0.0
    assert bp_lib.relative_error([0.0, 0.0], [0.0, 0.0]) == 0.0
    assert bp_lib.relative_error([1.0, 0.0], [0.0, 0.0]) == 1.0
    assert bp_lib.relative_error([3.0, 4.0], [3.0, 3.0]) == pytest.approx(1 / 5)
    with pytest.raises(ValueError, match=r"same shape; got \(2,\) and \(3,\)"):
        bp_lib.relative_error([1.0, 2.0], [1.0, 2.0, 3.0])


def test_five_point_central_difference_is_exact_for_quartics_and_far_more_accurate():
    theta = np.array([0.7])
    quartic = lambda: float(theta[0] ** 4)  # noqa: E731  (its fifth derivative is 0)
    assert bp_lib.numerical_gradient(quartic, theta, h=1e-2, order=4)[0] == pytest.approx(4 * 0.7**3, rel=1e-12)
    sine = lambda: float(np.sin(theta[0]))  # noqa: E731
    error2 = abs(bp_lib.numerical_gradient(sine, theta, h=1e-3)[0] - np.cos(0.7))
    error4 = abs(bp_lib.numerical_gradient(sine, theta, h=1e-3, order=4)[0] - np.cos(0.7))
    assert error4 < 1e-3 * error2
    with pytest.raises(ValueError, match=r"order must be 2 or 4 .* got 3"):
        bp_lib.numerical_gradient(sine, theta, order=3)


def test_numerical_gradient_of_a_known_function_restores_its_input():
    theta = np.array([[1.0, -2.0], [0.5, 3.0]])
    original = theta.copy()
    grad = bp_lib.numerical_gradient(lambda: float(np.sum(theta ** 3)), theta)
    np.testing.assert_allclose(grad, 3 * original ** 2, rtol=1e-9)
    np.testing.assert_array_equal(theta, original)
    with pytest.raises(ValueError, match=r"h must be a positive finite number; got -1e-05"):
        bp_lib.numerical_gradient(lambda: 0.0, theta, h=-1e-5)


def test_check_gradients_reports_every_layer_and_catches_a_broken_backprop():
    net = Network([4, 5, 3], seed=0)
    rng = np.random.default_rng(0)
    X, Y = rng.uniform(-1, 1, (4, 6)), rng.uniform(0, 1, (3, 6))
    result = bp_lib.check_gradients(net, X, Y)
    assert [r.layer for r in result.layers] == [1, 2]
    assert result.max_error < 1e-7
    assert str(result).splitlines()[0].startswith("layer")

    def forgets_the_activation_slope(X, Y):  # BP2 without s'(z): a classic bug
        zs, activations = net._forward(X)
        delta = net.cost.delta(zs[-1], activations[-1], Y)
        hidden = net.weights[1].T @ delta
        return [hidden @ X.T / 6, delta @ activations[1].T / 6], [hidden.mean(1, keepdims=True), delta.mean(1, keepdims=True)]

    broken = bp_lib.check_gradients(net, X, Y, backprop=forgets_the_activation_slope)
    assert broken.layers[0].weights > 1e-2 and broken.layers[1].weights < 1e-7


def test_a_nan_gradient_is_never_reported_as_a_pass():
    net = Network([2, 2, 1], seed=0)
    X, Y = np.ones((2, 3)), np.zeros((1, 3))

    def nan_in_the_first_layer(X, Y):
        nabla_w, nabla_b = net._backprop(X, Y)
        nabla_w[0] = np.full_like(nabla_w[0], np.nan)
        return nabla_w, nabla_b

    result = bp_lib.check_gradients(net, X, Y, backprop=nan_in_the_first_layer)
    assert np.isnan(result.max_error) and not result.max_error < 1e-7


@st.composite
def problems(draw):
    depth = draw(st.integers(2, 4))
    sizes = draw(st.lists(st.integers(1, 5), min_size=depth, max_size=depth))
    activation = draw(st.sampled_from(ACTIVATIONS))
    cost = draw(st.sampled_from(COSTS))
    if cost == "softmax_cross_entropy":
        sizes[-1] = max(sizes[-1], 2)
    m = draw(st.integers(1, 6))
    seed = draw(st.integers(0, 2**32 - 1))
    return sizes, activation, cost, m, seed


@settings(max_examples=80)
@given(problems())
def test_backprop_matches_finite_differences_everywhere(problem):
    """Over random layer sizes, batch sizes, activations and costs, in float64.

    The five-point central difference with h = 1e-4 is used: its O(h^4) error lets h be large
    enough that rounding in C (about eps |C| / h) stays far below 1e-7 of even a small gradient,
    which the three-point formula cannot promise for gradients of order 1e-5. A finite difference
    across ReLU's kink measures no derivative, so draws with a hidden weighted input within 2h of
    0 are set aside, as CS231n's notes advise.
    """
    sizes, activation, cost, m, seed = problem
    net = Network(sizes, activation=activation, cost=cost, seed=seed)
    X, Y = batch(sizes, m, cost, seed=seed)
    h = 1e-4
    if activation == "relu":
        zs, _ = net.forward(X)
        assume(all(np.all(np.abs(z) > 2 * h) for z in zs[:-1]))
    result = bp_lib.check_gradients(net, X, Y, h=h, order=4)
    assert result.max_error < 1e-7, f"{sizes} {activation} {cost} m={m}\n{result}"
