import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from problems import ACTIVATIONS, COSTS, batch

import bp_lib
from bp_lib import Network
from bp_lib.gradcheck import KinkCheck, LayerCheck


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
    assert bp_lib.numerical_gradient(quartic, theta, h=1e-2, order=4)[
        0
    ] == pytest.approx(4 * 0.7**3, rel=1e-12)
    sine = lambda: float(np.sin(theta[0]))  # noqa: E731
    error2 = abs(bp_lib.numerical_gradient(sine, theta, h=1e-3)[0] - np.cos(0.7))
    error4 = abs(
        bp_lib.numerical_gradient(sine, theta, h=1e-3, order=4)[0] - np.cos(0.7)
    )
    assert error4 < 1e-3 * error2
    with pytest.raises(ValueError, match=r"order must be 2 or 4 .* got 3"):
        bp_lib.numerical_gradient(sine, theta, order=3)


def test_numerical_gradient_of_a_known_function_restores_its_input():
    theta = np.array([[1.0, -2.0], [0.5, 3.0]])
    original = theta.copy()
    grad = bp_lib.numerical_gradient(lambda: float(np.sum(theta**3)), theta)
    np.testing.assert_allclose(grad, 3 * original**2, rtol=1e-9)
    np.testing.assert_array_equal(theta, original)
    with pytest.raises(
        ValueError, match=r"h must be a positive finite number; got -1e-05"
    ):
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
        zs, activations = net.forward(X)
        delta = net.cost.delta(zs[-1], activations[-1], Y)
        hidden = net.weights[1].T @ delta
        return [hidden @ X.T / 6, delta @ activations[1].T / 6], [
            hidden.mean(1, keepdims=True),
            delta.mean(1, keepdims=True),
        ]

    broken = bp_lib.check_gradients(net, X, Y, backprop=forgets_the_activation_slope)
    assert broken.layers[0].weights > 1e-2 and broken.layers[1].weights < 1e-7


def test_a_nan_gradient_is_never_reported_as_a_pass():
    net = Network([2, 2, 1], seed=0)
    X, Y = np.ones((2, 3)), np.zeros((1, 3))

    def nan_in_the_first_layer(X, Y):
        nabla_w, nabla_b = net.backprop(X, Y)
        nabla_w[0] = np.full_like(nabla_w[0], np.nan)
        return nabla_w, nabla_b

    result = bp_lib.check_gradients(net, X, Y, backprop=nan_in_the_first_layer)
    assert np.isnan(result.max_error) and not result.max_error < 1e-7


# --- kinks: entries whose central difference straddles ReLU's kink are reported apart ---------


def relu_net_on_its_kink():
    """Network([2, 3, 2], relu) with b^1 = 0, on the blank input x = 0: z^1 = w^1 0 + 0 = 0 for
    every hidden neuron, exactly where relu'(z) jumps from 0 to 1."""
    net = Network([2, 3, 2], activation="relu", seed=0)
    net.biases[0][:] = 0.0
    return net, np.zeros((2, 1))


@pytest.mark.parametrize("order", [2, 4])
@pytest.mark.parametrize(
    "Y",
    [np.array([[1.0], [0.0]]), np.array([[0.3], [0.8]])],
    ids=["one-hot", "in [0, 1]"],
)
def test_a_stencil_across_relus_kink_is_set_aside_not_reported_as_a_wrong_gradient(
    order, Y
):
    net, X = relu_net_on_its_kink()
    result = bp_lib.check_gradients(net, X, Y, order=order)
    # Which stencils reach the kink: a step of b^1_j moves z^1_j from 0 to +-h (and +-2h), across
    # it, so all 3 biases of layer 1. A step of w^1_jk moves z^1_j by step * x_k = 0: it stays on
    # the kink without crossing, and C does not change at all. w^2 and b^2 never touch z^1, and
    # the output layer is sigmoid. So 3 entries are set aside, all of them b^1.
    assert result.kinks == [
        KinkCheck(1, 0, 3, None, 1.0),
        KinkCheck(2, 0, 0, None, None),
    ]
    kink_w, kink_b = result.at_kink
    assert [k.all() for k in kink_b] == [True, False] and not any(
        k.any() for k in kink_w
    )
    assert [k.shape for k in kink_w + kink_b] == [
        w.shape for w in net.weights + net.biases
    ]
    # every b^1_j is at the kink, so none of it was checked: None, not a 0 that reads as a pass
    assert result.layers[0] == LayerCheck(
        1, 0.0, None
    )  # dC/dw^1 = delta^1 x^T = 0, exactly so
    assert (
        result.layers[1].weights == 0.0 and result.layers[1].biases < 1e-9
    )  # a^1 = 0 (BP4)
    assert result.max_error < 1e-9
    table = str(result)
    assert (
        "at a kink" in table.splitlines()[0]
        and "all at a kink" in table.splitlines()[1]
    )
    assert "b: 3 (1.00e+00)" in table.splitlines()[1]


def test_across_the_kink_the_central_difference_sees_half_the_slope_of_the_right_side():
    net, X = relu_net_on_its_kink()
    Y = np.array([[1.0], [0.0]])
    numeric_b1 = bp_lib.numerical_gradients(net, X, Y)[1][0]
    delta2 = net.deltas(X, Y)[1]
    right_slope = (
        net.weights[1].T @ delta2
    )  # BP2 with relu'(0+) = 1; backprop takes relu'(0) = 0
    np.testing.assert_allclose(numeric_b1, 0.5 * right_slope, rtol=1e-4)
    assert np.all(net.backprop(X, Y)[1][0] == 0.0) and np.all(numeric_b1 != 0.0)


def relu_net_with_one_kink():
    """Only b^1_1 = 0 and only the first of four examples blank: one stencil crosses the kink."""
    net = Network([2, 3, 2], activation="relu", seed=0)
    net.biases[0][0] = 0.0
    X = np.hstack([np.zeros((2, 1)), np.random.default_rng(1).uniform(-1, 1, (2, 3))])
    Y = bp_lib.one_hot(np.array([0, 1, 1, 0]), 2)
    zs, _ = net.forward(X)
    assert np.all(np.abs(zs[0][:, 1:]) > 1e-2) and np.all(zs[0][1:, 0] != 0), (
        "no other kink in reach"
    )
    return net, X, Y


@pytest.mark.parametrize("order", [2, 4])
def test_a_broken_backprop_is_still_caught_when_kinks_are_present_elsewhere(order):
    net, X, Y = relu_net_with_one_kink()
    result = bp_lib.check_gradients(net, X, Y, order=order)
    assert [(k.weights, k.biases) for k in result.kinks] == [(0, 1), (0, 0)]
    assert result.at_kink[1][0].ravel().tolist() == [True, False, False]
    assert (
        result.kinks[0].biases_error > 1e-2
    )  # the set-aside entry would have failed the check
    assert (
        all(e < 1e-7 for row in result.layers for e in row[1:])
        and result.max_error < 1e-7
    )

    def forgets_the_activation_slope(X, Y):  # BP2 without relu'(z^1)
        zs, activations = net.forward(X)
        delta = net.cost.delta(zs[-1], activations[-1], Y)
        hidden = net.weights[1].T @ delta
        m = X.shape[1]
        return [hidden @ X.T / m, delta @ activations[1].T / m], [
            hidden.mean(1, keepdims=True),
            delta.mean(1, keepdims=True),
        ]

    broken = bp_lib.check_gradients(
        net, X, Y, backprop=forgets_the_activation_slope, order=order
    )
    assert broken.max_error > 1e-2
    assert (
        broken.layers[0].weights > 1e-2
        and broken.layers[0].biases > 1e-2
        and broken.layers[1].weights < 1e-7
    )

    def nan_at_the_kink(X, Y):  # a NaN is never set aside
        nabla_w, nabla_b = net.backprop(X, Y)
        nabla_b[0][0, 0] = np.nan
        return nabla_w, nabla_b

    assert np.isnan(
        bp_lib.check_gradients(
            net, X, Y, backprop=nan_at_the_kink, order=order
        ).max_error
    )


def test_when_every_entry_is_at_a_kink_nothing_passes():
    # one ReLU output neuron with z = 0.5 * 1 - 0.5 = 0: a step of w or of b moves z across 0
    net = Network.from_parameters(
        [[[0.5]]], [[[-0.5]]], cost="quadratic", output_activation="relu"
    )
    result = bp_lib.check_gradients(net, np.ones((1, 1)), np.zeros((1, 1)))
    assert result.layers == [LayerCheck(1, None, None)]
    assert result.kinks == [KinkCheck(1, 1, 1, 1.0, 1.0)]
    assert np.isnan(result.max_error) and not result.max_error < 1e-7


# The numbers the check reported before kinks were set aside, for networks with no kink in reach.
# h = 1e-2 makes them truncation errors, the same on every machine, not round-off.
BEFORE = {
    ("sigmoid", "quadratic", 2): (
        [6.048029702435667e-06, 1.1024693503787046e-05],
        [8.661296640755317e-06, 1.918357777803091e-05],
    ),
    ("sigmoid", "quadratic", 4): (
        [3.0302348210833454e-10, 5.870423788815852e-10],
        [3.5910674303171483e-10, 1.426393674808042e-09],
    ),
    ("tanh", "cross_entropy", 2): (
        [2.5568316365404766e-05, 3.523224164828647e-05],
        [3.214902602253237e-06, 4.781916058434983e-06],
    ),
}


@pytest.mark.parametrize("activation, cost, order", sorted(BEFORE))
def test_without_kinks_the_numbers_are_those_of_before(activation, cost, order):
    net = Network([3, 4, 2], activation=activation, cost=cost, seed=0)
    rng = np.random.default_rng(0)
    X, Y = rng.uniform(-1, 1, (3, 5)), rng.uniform(0, 1, (2, 5))
    result = bp_lib.check_gradients(net, X, Y, h=1e-2, order=order)
    np.testing.assert_allclose(
        [list(row[1:]) for row in result.layers],
        BEFORE[activation, cost, order],
        rtol=1e-6,
    )
    assert result.max_error == max(row.biases for row in result.layers)
    assert result.kinks == [
        KinkCheck(1, 0, 0, None, None),
        KinkCheck(2, 0, 0, None, None),
    ]
    assert "kink" not in str(result)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("order", [2, 4])
def test_without_kinks_every_error_is_exactly_the_whole_arrays_relative_error(
    activation, order
):
    net = Network([4, 5, 3], activation=activation, seed=1)
    X, Y = batch([4, 5, 3], 6, "quadratic", seed=1)
    if activation == "relu":
        assert all(np.all(np.abs(z) > 1e-3) for z in net.forward(X)[0]), (
            "no kink in reach"
        )
    result = bp_lib.check_gradients(net, X, Y, order=order)
    analytic_w, analytic_b = net.backprop(X, Y)
    numeric_w, numeric_b = bp_lib.numerical_gradients(net, X, Y, order=order)
    expected = [
        LayerCheck(
            l + 1,
            bp_lib.relative_error(analytic_w[l], numeric_w[l]),
            bp_lib.relative_error(analytic_b[l], numeric_b[l]),
        )
        for l in range(2)
    ]
    assert result.layers == expected and result.max_error == max(
        e for row in expected for e in row[1:]
    )
    assert not any(mask.any() for masks in result.at_kink for mask in masks)


def test_a_backprop_with_a_layer_missing_is_refused_with_a_sentence():
    net = Network([2, 3, 2], seed=0)
    X, Y = np.ones((2, 1)), np.zeros((2, 1))

    def forgets_a_layer(X, Y):
        nabla_w, nabla_b = net.backprop(X, Y)
        return nabla_w[:1], nabla_b

    with pytest.raises(
        ValueError,
        match=r"one gradient per layer, 2 for the weights and 2 for the biases; got 1 and 2",
    ):
        bp_lib.check_gradients(net, X, Y, backprop=forgets_a_layer)


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
    across ReLU's kink measures no derivative; ``check_gradients`` sets those entries aside, so
    ReLU draws get kinks planted on purpose (a blank first example, every other b^1_j = 0) and
    the entries away from them must still agree.
    """
    sizes, activation, cost, m, seed = problem
    net = Network(sizes, activation=activation, cost=cost, seed=seed)
    X, Y = batch(sizes, m, cost, seed=seed)
    planted = activation == "relu" and len(sizes) > 2
    if (
        planted
    ):  # z^1_j = 0 for the first example and every even j: b^1_j's stencil crosses 0
        X[:, 0] = 0.0
        net.biases[0][::2] = 0.0
    result = bp_lib.check_gradients(net, X, Y, h=1e-4, order=4)
    assert result.max_error < 1e-7, f"{sizes} {activation} {cost} m={m}\n{result}"
    if planted:
        assert result.kinks[0].biases >= len(net.biases[0][::2]), result
    else:
        assert all(k.weights == k.biases == 0 for k in result.kinks), result


def test_module_gradient_errors_are_small_for_a_right_backward_and_large_for_a_wrong_one():
    from bp_lib.modules import Linear

    rng = np.random.default_rng(5)
    module = Linear(rng.standard_normal((3, 4)), rng.standard_normal((3, 1)))
    u, dv = rng.standard_normal((4, 6)), rng.standard_normal((3, 6))
    errors = bp_lib.module_gradient_errors(module, u, dv, ["w", "b"])
    assert set(errors) == {"u", "w", "b"} and max(errors.values()) < 1e-8

    class TransposeSlip(Linear):  # dC/du = w dz, the transpose dropped
        def backward(self, dz):
            Linear.backward(self, dz)
            return self.w @ dz

    square = TransposeSlip(rng.standard_normal((4, 4)), rng.standard_normal((4, 1)))
    wrong = bp_lib.module_gradient_errors(square, u, rng.standard_normal((4, 6)))
    assert wrong["u"] > 1e-2
    with pytest.raises(ValueError, match="dv must contain only finite numbers"):
        bp_lib.module_gradient_errors(module, u, np.full((3, 6), np.nan))
