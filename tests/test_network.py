import numpy as np
import pytest
from problems import ACTIVATIONS, COSTS, batch

import bp_lib
from bp_lib import Network


def test_shapes_follow_the_contract():
    net = Network([64, 30, 10], activation="sigmoid", cost="quadratic", seed=0)
    assert [w.shape for w in net.weights] == [(30, 64), (10, 30)]
    assert [b.shape for b in net.biases] == [(30, 1), (10, 1)]
    X, Y = batch([64, 30, 10], 7, "quadratic")
    assert net.feedforward(X).shape == (10, 7)
    nabla_w, nabla_b = net.backprop(X, Y)
    assert [g.shape for g in nabla_w] == [(30, 64), (10, 30)]
    assert [g.shape for g in nabla_b] == [(30, 1), (10, 1)]
    zs, activations = net.forward(X)
    assert [z.shape for z in zs] == [(30, 7), (10, 7)]
    assert [a.shape for a in activations] == [(64, 7), (30, 7), (10, 7)]
    assert [d.shape for d in net.deltas(X, Y)] == [(30, 7), (10, 7)]
    assert net.num_layers == 3


def test_feedforward_at_a_known_point():
    net = Network([2, 1], seed=0)
    net.weights[0][:] = [[np.log(3.0), 0.0]]
    net.biases[0][:] = 0.0
    np.testing.assert_allclose(net.feedforward(np.array([[1.0], [5.0]])), [[0.75]])


def test_linear_chain_gradient_at_a_known_point():
    # x0 -> x1 -> x2 with weights 2 and 3, no biases, identity activations: x2 = 6 x0.
    net = Network(
        [1, 1, 1],
        activation="identity",
        cost="quadratic",
        output_activation="identity",
        seed=0,
    )
    net.weights[0][:], net.weights[1][:] = 2.0, 3.0
    for b in net.biases:
        b[:] = 0.0
    X, Y = np.array([[1.0]]), np.array([[4.0]])  # x2 = 6, C = 1/2 (6 - 4)^2 = 2
    assert net.cost_value(X, Y) == pytest.approx(2.0)
    nabla_w, nabla_b = net.backprop(X, Y)
    # dC/dw12 = (x2 - y) x1 = 2 * 2; dC/dw01 = (x2 - y) w12 x0 = 2 * 3 * 1
    assert nabla_w[1][0, 0] == pytest.approx(4.0) and nabla_w[0][0, 0] == pytest.approx(
        6.0
    )
    assert nabla_b[1][0, 0] == pytest.approx(2.0) and nabla_b[0][0, 0] == pytest.approx(
        6.0
    )


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("cost", COSTS)
def test_backprop_matches_finite_differences(activation, cost):
    sizes = [3, 5, 4, 3]
    net = Network(sizes, activation=activation, cost=cost, seed=1)
    X, Y = batch(sizes, 6, cost, seed=2)
    assert bp_lib.check_gradients(net, X, Y).max_error < 1e-7


def test_backprop_averages_over_columns():
    net = Network([3, 4, 2], seed=0)
    X, Y = batch([3, 4, 2], 5, "quadratic")
    nabla_w, nabla_b = net.backprop(X, Y)
    per_example = [net.backprop(X[:, [i]], Y[:, [i]]) for i in range(5)]
    for l in range(2):
        np.testing.assert_allclose(
            nabla_w[l], np.mean([g[0][l] for g in per_example], axis=0)
        )
        np.testing.assert_allclose(
            nabla_b[l], np.mean([g[1][l] for g in per_example], axis=0)
        )


def test_deltas_give_the_gradients_by_bp3_and_bp4():
    net = Network([3, 4, 2], activation="tanh", seed=0)
    X, Y = batch([3, 4, 2], 5, "quadratic")
    deltas = net.deltas(X, Y)
    _, activations = net.forward(X)
    nabla_w, nabla_b = net.backprop(X, Y)
    for l in range(2):
        np.testing.assert_allclose(nabla_b[l], deltas[l].mean(axis=1, keepdims=True))
        np.testing.assert_allclose(nabla_w[l], deltas[l] @ activations[l].T / 5)


def test_same_seed_same_network_and_history():
    digits = bp_lib.load_digits()
    runs = []
    for _ in range(2):
        net = Network([64, 12, 10], seed=5)
        history = net.sgd(
            digits.X_train[:, :300],
            digits.Y_train[:, :300],
            epochs=3,
            batch_size=10,
            eta=3.0,
            seed=7,
            test_data=(digits.X_test, digits.Y_test),
        )
        runs.append((net, history))
    (a, ha), (b, hb) = runs
    assert all(
        np.array_equal(x, y) for x, y in zip(a.weights + a.biases, b.weights + b.biases)
    )
    assert ha == hb
    assert set(ha) == {
        "epoch",
        "train_cost",
        "train_accuracy",
        "test_cost",
        "test_accuracy",
    }
    assert ha["epoch"] == [1, 2, 3]
    different = Network([64, 12, 10], seed=6)
    assert not np.array_equal(
        different.weights[0], Network([64, 12, 10], seed=5).weights[0]
    )


@pytest.mark.parametrize("cost", COSTS)
def test_sgd_learns_the_digits(cost):
    digits = bp_lib.load_digits()
    net = Network([64, 30, 10], cost=cost, seed=0)
    before = net.accuracy(digits.X_test, digits.Y_test)
    history = net.sgd(
        digits.X_train,
        digits.Y_train,
        epochs=5,
        batch_size=10,
        eta=1.0 if cost != "quadratic" else 3.0,
        seed=0,
        test_data=(digits.X_test, digits.Y_test),
    )
    assert before < 0.3
    assert history["test_accuracy"][-1] > 0.9
    assert history["train_cost"][-1] < history["train_cost"][0]


def test_one_sgd_step_is_w_minus_eta_gradient():
    net = Network([3, 4, 2], seed=0)
    X, Y = batch([3, 4, 2], 5, "quadratic")
    start = net.copy()
    nabla_w, nabla_b = start.backprop(X, Y)
    net.sgd(
        X, Y, epochs=1, batch_size=5, eta=0.5, seed=0
    )  # one mini-batch holding every column
    for l in range(2):
        np.testing.assert_allclose(
            net.weights[l], start.weights[l] - 0.5 * nabla_w[l], rtol=1e-13, atol=1e-15
        )
        np.testing.assert_allclose(
            net.biases[l], start.biases[l] - 0.5 * nabla_b[l], rtol=1e-13, atol=1e-15
        )


@pytest.mark.parametrize(
    "activation, cost", [("sigmoid", "quadratic"), ("relu", "softmax_cross_entropy")]
)
def test_an_epoch_is_one_step_per_shuffled_mini_batch(activation, cost):
    """7 columns in batches of 3 are three steps, on 3, 3 and 1 columns, each against the
    gradient averaged over its own columns, in the order the seeded generator shuffles them."""
    sizes = [4, 5, 3]
    net = Network(sizes, activation=activation, cost=cost, seed=1)
    X, Y = batch(sizes, 7, cost)
    expected = net.copy()
    order = np.random.default_rng(3).permutation(7)
    for columns in (order[0:3], order[3:6], order[6:7]):
        nabla_w, nabla_b = expected.backprop(X[:, columns], Y[:, columns])
        for param, nabla in zip(expected.weights + expected.biases, nabla_w + nabla_b):
            param -= 0.7 * nabla
    net.sgd(X, Y, epochs=1, batch_size=3, eta=0.7, seed=3)
    for got, want in zip(net.weights + net.biases, expected.weights + expected.biases):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


def test_sgd_updates_weights_of_any_memory_layout():
    """Weights a reader put in place as a column-major array or a strided view train the same."""
    sizes = [6, 4, 3]
    X, Y = batch(sizes, 20, "quadratic")
    reference = Network(sizes, seed=2)
    reference.sgd(X, Y, epochs=2, batch_size=5, eta=1.0, seed=0)
    net = Network(sizes, seed=2)
    net.weights[0] = np.asfortranarray(net.weights[0])
    wide = np.zeros((3, 8))
    wide[:, ::2] = net.weights[1]
    net.weights[1] = wide[
        :, ::2
    ]  # a view with a stride: updating it must update `wide`
    net.sgd(X, Y, epochs=2, batch_size=5, eta=1.0, seed=0)
    for got, want in zip(
        net.weights + net.biases, reference.weights + reference.biases
    ):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)
    np.testing.assert_array_equal(wide[:, ::2], net.weights[1])
    assert not np.allclose(net.weights[1], Network(sizes, seed=2).weights[1])


def test_copy_is_independent():
    net = Network([2, 3, 1], seed=0)
    twin = net.copy()
    twin.weights[0][0, 0] += 1.0
    assert net.weights[0][0, 0] != twin.weights[0][0, 0]
    assert (
        repr(twin)
        == repr(net)
        == "Network([2, 3, 1], activation='sigmoid', cost='quadratic', output='sigmoid')"
    )


def test_accuracy_for_one_and_many_outputs():
    assert Network._accuracy(
        np.array([[0.9, 0.2, 0.6]]), np.array([[1.0, 0.0, 0.0]])
    ) == pytest.approx(2 / 3)
    A = np.array([[0.1, 0.7], [0.9, 0.3]])
    assert Network._accuracy(A, np.array([[0.0, 0.0], [1.0, 1.0]])) == 0.5


def test_count_parameters():
    assert bp_lib.count_parameters([784, 30, 10]) == 23860
    net = Network([5, 4, 3, 2], seed=0)
    assert bp_lib.count_parameters(net.sizes) == sum(
        p.size for p in net.weights + net.biases
    )


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("cost", COSTS)
def test_extreme_inputs_stay_finite(activation, cost):
    net = Network([2, 3, 2], activation=activation, cost=cost, seed=0)
    X = np.array([[1e3, -1e3, 0.0], [-1e3, 1e3, 1e3]])  # weighted inputs of order 1e3
    Y = bp_lib.one_hot(np.array([0, 1, 1]), 2)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        nabla_w, nabla_b = net.backprop(X, Y)
        value = net.cost_value(X, Y)
        A = net.feedforward(X)
    assert np.isfinite(value) and np.all(np.isfinite(A))
    assert all(np.all(np.isfinite(g)) for g in nabla_w + nabla_b)


# --- bad input: a ValueError that names the argument, what was expected and what was given ---


def test_layer_sizes_are_checked():
    with pytest.raises(ValueError, match=r"at least two layers .* got \[64\]"):
        Network([64])
    with pytest.raises(
        ValueError,
        match=r"sizes\[1\] must be a positive whole number of neurons; got 0 in \[64, 0, 10\]",
    ):
        Network([64, 0, 10])
    with pytest.raises(
        ValueError,
        match=r"sizes\[2\] must be a positive whole number of neurons; got -3",
    ):
        Network([4, 2, -3])
    with pytest.raises(
        ValueError,
        match=r"sizes\[0\] must be a positive whole number of neurons; got 2.5",
    ):
        Network([2.5, 3])
    with pytest.raises(ValueError, match=r"sizes must be a list of layer widths"):
        Network(None)


def test_unknown_names_are_rejected():
    with pytest.raises(
        ValueError, match=r"unknown activation 'softplus'; expected one of"
    ):
        Network([2, 2], activation="softplus")
    with pytest.raises(
        ValueError,
        match=r"unknown cost 'hinge'; expected one of 'quadratic', 'cross_entropy', 'softmax_cross_entropy'",
    ):
        Network([2, 2], cost="hinge")


def test_batch_shapes_are_checked():
    net = Network([64, 30, 10], seed=0)
    X, Y = batch([64, 30, 10], 4, "quadratic")
    with pytest.raises(
        ValueError, match=r"X has 63 rows but the network's input layer has 64 neurons"
    ):
        net.feedforward(X[:63])
    with pytest.raises(
        ValueError, match=r"Y has 9 rows but the network's output layer has 10 neurons"
    ):
        net.backprop(X, Y[:9])
    with pytest.raises(ValueError, match=r"X has 4 examples \(columns\) but Y has 3"):
        net.backprop(X, Y[:, :3])
    with pytest.raises(
        ValueError,
        match=r"X must be a 2-D array of shape \(64, m\) .* got an array of shape \(64,\)",
    ):
        net.feedforward(X[:, 0])
    with pytest.raises(ValueError, match=r"at least one example"):
        net.feedforward(X[:, :0])


@pytest.mark.filterwarnings("error")
def test_huge_finite_inputs_are_accepted_and_mixed_infinities_refused():
    """The finiteness check sums the entries first; a sum that overflows must not refuse finite
    numbers, and inf + (-inf) must not slip through as a finite total."""
    huge = np.full((3, 4), 1e308)
    assert bp_lib._validate.finite_array("X", huge) is huge
    mixed = np.zeros((3, 4))
    mixed[0, 0], mixed[2, 3] = np.inf, -np.inf
    with pytest.raises(
        ValueError,
        match=r"X must contain only finite numbers; it has 2 NaN or infinite entries",
    ):
        bp_lib._validate.finite_array("X", mixed)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_inputs_are_rejected(bad):
    net = Network([3, 2], seed=0)
    X, Y = batch([3, 2], 4, "quadratic")
    X[1, 2] = bad
    with pytest.raises(
        ValueError,
        match=r"X must contain only finite numbers; it has 1 NaN or infinite entries",
    ):
        net.backprop(X, Y)
    X[1, 2] = 0.0
    Y[0, 0] = bad
    with pytest.raises(ValueError, match=r"Y must contain only finite numbers"):
        net.sgd(X, Y, epochs=1, batch_size=2, eta=1.0)


def test_softmax_targets_must_be_probability_vectors():
    net = Network([3, 2], cost="softmax_cross_entropy", seed=0)
    X, _ = batch([3, 2], 2, "quadratic")
    net.backprop(
        X, np.array([[0.3, 1.0], [0.7, 0.0]])
    )  # a soft target: q - y needs only sum_i y_i = 1
    with pytest.raises(
        ValueError, match=r"to sum to 1 .* column 1 of Y sums to 0.5: \[0.5, 0.0\]"
    ):
        net.backprop(X, np.array([[0.3, 0.5], [0.7, 0.0]]))


@pytest.mark.parametrize(
    "argument, value, message",
    [
        ("eta", 0.0, r"eta must be a positive finite number; got 0.0"),
        ("eta", -3.0, r"eta must be a positive finite number; got -3.0"),
        ("eta", float("nan"), r"eta must be a positive finite number; got nan"),
        ("eta", "3", r"eta must be a positive number; got '3'"),
        ("epochs", 0, r"epochs must be a positive whole number; got 0"),
        ("epochs", 2.5, r"epochs must be a positive whole number; got 2.5"),
        ("batch_size", -10, r"batch_size must be a positive whole number; got -10"),
        ("batch_size", True, r"batch_size must be a positive whole number; got True"),
    ],
)
def test_training_settings_are_checked_before_any_update(argument, value, message):
    net = Network([3, 4, 2], seed=0)
    before = [p.copy() for p in net.weights + net.biases]
    X, Y = batch([3, 4, 2], 6, "quadratic")
    settings = dict(epochs=2, batch_size=3, eta=1.0)
    settings[argument] = value
    with pytest.raises(ValueError, match=message):
        net.sgd(X, Y, **settings)
    assert all(np.array_equal(p, q) for p, q in zip(before, net.weights + net.biases))


def test_test_data_is_checked():
    net = Network([3, 2], seed=0)
    X, Y = batch([3, 2], 4, "quadratic")
    with pytest.raises(
        ValueError, match=r"test_data must be a pair \(X_test, Y_test\)"
    ):
        net.sgd(X, Y, epochs=1, batch_size=2, eta=1.0, test_data=X)
    with pytest.raises(
        ValueError,
        match=r"X_test has 2 rows but the network's input layer has 3 neurons",
    ):
        net.sgd(X, Y, epochs=1, batch_size=2, eta=1.0, test_data=(X[:2], Y))
