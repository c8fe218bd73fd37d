import numpy as np
import pytest
from problems import ACTIVATIONS, COSTS, batch

import bp_lib
from bp_lib import Network
from bp_lib.modules import (
    BatchNorm,
    CrossEntropyLoss,
    Dropout,
    Elementwise,
    Linear,
    QuadraticLoss,
    Residual,
    Sequential,
    SoftmaxCrossEntropyLoss,
    TransposedLinear,
)


def probe(module, u, G):
    """The scalar C = sum(G * v) of the module's output v: its dC/dv is exactly G."""
    return float(np.sum(G * module.forward(u)))


# --- values and gradients at known points ---------------------------------------------------


def test_linear_at_a_known_point():
    w, b = (
        np.array([[1.0, 2.0], [3.0, -1.0], [0.0, 1.0]]),
        np.array([[0.5], [0.0], [-1.0]]),
    )
    lin = Linear(w, b)
    a = np.array([[1.0, 0.0], [2.0, -1.0]])  # two examples, as columns
    np.testing.assert_array_equal(
        lin.forward(a), [[5.5, -1.5], [1.0, 1.0], [1.0, -2.0]]
    )
    dz = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]])
    da = lin.backward(dz)
    np.testing.assert_array_equal(da, w.T @ dz)
    np.testing.assert_array_equal(lin.nabla_w, [[1.0, 2.0], [0.0, -2.0], [1.0, 1.0]])
    np.testing.assert_array_equal(lin.nabla_b, [[1.0], [2.0], [2.0]])


def test_elementwise_and_losses_at_known_points():
    act = Elementwise("sigmoid")
    np.testing.assert_array_equal(act.forward(np.zeros((2, 3))), np.full((2, 3), 0.5))
    np.testing.assert_array_equal(act.backward(np.ones((2, 3))), np.full((2, 3), 0.25))
    quad = QuadraticLoss()
    assert quad.forward(
        np.array([[1.0, 3.0]]), np.array([[0.0, 1.0]])
    ) == pytest.approx((0.5 + 2.0) / 2)
    np.testing.assert_allclose(quad.backward(), [[0.5, 1.0]])
    ce = CrossEntropyLoss()
    assert ce.forward(np.zeros((1, 2)), np.array([[1.0, 0.0]])) == pytest.approx(
        np.log(2)
    )
    np.testing.assert_allclose(ce.backward(), [[-0.25, 0.25]])
    sce = SoftmaxCrossEntropyLoss()
    assert sce.forward(
        np.zeros((3, 1)), np.array([[0.0], [1.0], [0.0]])
    ) == pytest.approx(np.log(3))
    np.testing.assert_allclose(sce.backward(), [[1 / 3], [-2 / 3], [1 / 3]])


def test_linear_gradients_match_central_differences():
    rng = np.random.default_rng(0)
    lin = Linear(rng.standard_normal((3, 4)), rng.standard_normal((3, 1)))
    u, G = rng.standard_normal((4, 5)), rng.standard_normal((3, 5))
    lin.forward(u)
    du = lin.backward(G)
    f = lambda: probe(lin, u, G)  # noqa: E731
    np.testing.assert_allclose(
        du, bp_lib.numerical_gradient(f, u), rtol=1e-7, atol=1e-9
    )
    np.testing.assert_allclose(
        lin.nabla_w, bp_lib.numerical_gradient(f, lin.w), rtol=1e-7, atol=1e-9
    )
    np.testing.assert_allclose(
        lin.nabla_b, bp_lib.numerical_gradient(f, lin.b), rtol=1e-7, atol=1e-9
    )


@pytest.mark.parametrize("name", ACTIVATIONS + ["identity"])
def test_elementwise_gradient_matches_central_differences(name):
    rng = np.random.default_rng(1)
    u = rng.uniform(-3, 3, (4, 6))
    u[np.abs(u) < 1e-3] = 0.5  # keep away from relu's kink
    G = rng.standard_normal((4, 6))
    act = Elementwise(name)
    act.forward(u)
    du = act.backward(G)
    np.testing.assert_allclose(
        du, bp_lib.numerical_gradient(lambda: probe(act, u, G), u), rtol=1e-7, atol=1e-9
    )


@pytest.mark.parametrize(
    "loss, cost",
    [
        (QuadraticLoss, "quadratic"),
        (CrossEntropyLoss, "cross_entropy"),
        (SoftmaxCrossEntropyLoss, "softmax_cross_entropy"),
    ],
)
def test_loss_gradients_match_central_differences(loss, cost):
    rng = np.random.default_rng(2)
    v = rng.uniform(-2, 2, (3, 5))
    _, y = batch([1, 3], 5, cost, seed=3)
    module = loss()
    module.forward(v, y)
    dv = module.backward()
    np.testing.assert_allclose(
        dv,
        bp_lib.numerical_gradient(lambda: module.forward(v, y), v),
        rtol=1e-7,
        atol=1e-10,
    )


# --- the chain of modules is the network ----------------------------------------------------


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("cost", COSTS)
@pytest.mark.parametrize("m", [1, 5, 8])
def test_sequential_gives_the_gradients_of_network_backprop(activation, cost, m):
    sizes = [4, 5, 3, 2]
    net = Network(sizes, activation=activation, cost=cost, seed=1)
    X, Y = batch(sizes, m, cost, seed=m)
    seq = Sequential.from_network(net)
    nabla_w, nabla_b = seq.gradients(X, Y)
    expected_w, expected_b = net.backprop(X, Y)
    for got, expected in zip(
        nabla_w + nabla_b, expected_w + expected_b
    ):  # rounding relative to each array's scale
        np.testing.assert_allclose(
            got, expected, rtol=1e-12, atol=1e-12 * np.abs(expected).max()
        )
    assert seq.loss(X, Y) == pytest.approx(net.cost_value(X, Y), rel=1e-14)
    np.testing.assert_allclose(
        seq.forward(X)
        if cost == "quadratic"
        else bp_lib.softmax(seq.forward(X))
        if cost == "softmax_cross_entropy"
        else bp_lib.sigmoid(seq.forward(X)),
        net.feedforward(X),
        rtol=1e-14,
    )


def test_each_dC_dz_is_delta_over_m():
    sizes = [3, 4, 4, 2]
    net = Network(sizes, activation="tanh", cost="quadratic", seed=2)
    X, Y = batch(sizes, 6, "quadratic", seed=2)
    seq = Sequential.from_network(net)
    seq.loss(X, Y)
    grad, dz = seq.loss_module.backward(), {}
    for module in reversed(seq.modules):
        grad = module.backward(grad)
        if isinstance(module, Elementwise):
            dz[module.layer] = grad
    for l, delta in enumerate(net.deltas(X, Y), start=1):
        np.testing.assert_allclose(dz[l] * 6, delta, rtol=1e-12)


def test_modules_share_the_networks_arrays():
    net = Network([2, 3, 1], seed=0)
    seq = Sequential.from_network(net)
    assert [m.w for m in seq.linears][0] is net.weights[0] and seq.linears[
        1
    ].b is net.biases[1]
    X, Y = batch([2, 3, 1], 4, "quadratic")
    net.weights[0] -= (
        0.5 * net.backprop(X, Y)[0][0]
    )  # an SGD step on the network, in place
    np.testing.assert_array_equal(seq.forward(X), net.feedforward(X))


def test_the_backward_pass_runs_from_the_output_back():
    net = Network([4, 5, 3, 2], activation="relu", cost="softmax_cross_entropy", seed=0)
    seq = Sequential.from_network(net)
    seq.gradients(*batch([4, 5, 3, 2], 3, "softmax_cross_entropy"))
    assert seq.trace == [
        "dC/dz^3",
        "dC/dw^3",
        "dC/db^3",
        "dC/da^2",
        "dC/dz^2",
        "dC/dw^2",
        "dC/db^2",
        "dC/da^1",
        "dC/dz^1",
        "dC/dw^1",
        "dC/db^1",
        "dC/da^0",
    ]
    quad = Sequential.from_network(Network([2, 2], seed=0))
    quad.gradients(*batch([2, 2], 2, "quadratic"))
    assert quad.trace == ["dC/da^1", "dC/dz^1", "dC/dw^1", "dC/db^1", "dC/da^0"]


# --- bad input, in sentences ------------------------------------------------------------------


def test_bad_input_is_rejected_with_a_sentence():
    with pytest.raises(
        ValueError,
        match=r"b must have shape \(2, 1\), one bias per row of w; got shape \(2,\)",
    ):
        Linear(np.zeros((2, 3)), np.zeros(2))
    with pytest.raises(
        ValueError,
        match=r"w must be a 2-D array of shape \(n_out, n_in\); got shape \(3,\)",
    ):
        Linear(np.zeros(3), np.zeros((3, 1)))
    lin = Linear(np.zeros((2, 3)), np.zeros((2, 1)))
    with pytest.raises(ValueError, match=r"backward was called before forward"):
        lin.backward(np.ones((2, 1)))
    with pytest.raises(
        ValueError,
        match=r"Linear\(3 -> 2\) expects an input of shape \(3, m\), one example per column; got shape \(2, 4\)",
    ):
        lin.forward(np.ones((2, 4)))
    with pytest.raises(
        ValueError, match=r"must contain only finite numbers; it has 1 NaN"
    ):
        lin.forward(np.array([[1.0], [np.nan], [0.0]]))
    lin.forward(np.ones((3, 4)))
    with pytest.raises(
        ValueError,
        match=r"got dC/dv of shape \(3, 4\), but forward returned v of shape \(2, 4\)",
    ):
        lin.backward(np.ones((3, 4)))
    with pytest.raises(ValueError, match=r"unknown activation 'sigmod'"):
        Elementwise("sigmod")
    with pytest.raises(ValueError, match=r"got 'softmax' \(softmax is not elementwise"):
        Elementwise(bp_lib.SoftmaxCrossEntropyCost.output)
    with pytest.raises(
        ValueError,
        match=r"module 1, Linear\(3 -> 2\), expects 3 inputs but the modules before it output 2",
    ):
        Sequential(
            [
                Linear(np.zeros((2, 3)), np.zeros((2, 1))),
                Linear(np.zeros((2, 3)), np.zeros((2, 1))),
            ],
            QuadraticLoss(),
        )
    with pytest.raises(ValueError, match=r"loss must be a Loss module"):
        Sequential([lin], "quadratic")
    with pytest.raises(
        ValueError, match=r"y has shape \(2, 3\) but the output has shape \(2, 4\)"
    ):
        QuadraticLoss().forward(np.zeros((2, 4)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"needs each column of Y to sum to 1"):
        SoftmaxCrossEntropyLoss().forward(np.zeros((2, 1)), np.ones((2, 1)))
    with pytest.raises(ValueError, match=r"needs targets in \[0, 1\]"):
        CrossEntropyLoss().forward(np.zeros((2, 1)), np.full((2, 1), 2.0))


# --- extreme inputs stay finite ----------------------------------------------------------------


def test_extreme_weighted_inputs_give_finite_values_and_gradients():
    z = np.array([[-1000.0, -40.0, 0.0, 40.0, 1000.0]] * 3)
    y_one_hot = np.eye(3)[:, [0, 1, 2, 0, 1]]
    with np.errstate(
        over="raise", invalid="raise", divide="raise"
    ):  # underflow to 0 is harmless
        for name in ACTIVATIONS:
            act = Elementwise(name)
            assert np.all(np.isfinite(act.forward(z))) and np.all(
                np.isfinite(act.backward(np.ones_like(z)))
            )
        for loss, y in [
            (CrossEntropyLoss(), y_one_hot),
            (SoftmaxCrossEntropyLoss(), y_one_hot),
        ]:
            assert np.isfinite(loss.forward(z * np.arange(1, 4)[:, None], y))
            assert np.all(np.isfinite(loss.backward()))


# --- chapter 11's modules: BatchNorm, Dropout, Residual, TransposedLinear ------------------------


def central(f, theta):
    return bp_lib.numerical_gradient(f, theta)


def test_batch_norm_gradients_match_central_differences():
    rng = np.random.default_rng(11)
    bn = BatchNorm(3)
    bn.gamma[:] = rng.uniform(0.5, 2.0, (3, 1))
    bn.beta[:] = rng.standard_normal((3, 1))
    u, G = rng.standard_normal((3, 5)), rng.standard_normal((3, 5))
    bn.forward(u)
    du = bn.backward(G)
    f = lambda: probe(bn, u, G)  # noqa: E731
    for got, theta in [(du, u), (bn.nabla_gamma, bn.gamma), (bn.nabla_beta, bn.beta)]:
        np.testing.assert_allclose(got, central(f, theta), rtol=1e-6, atol=1e-9)
    # each row of dC/du sums to 0 (11.4)
    np.testing.assert_allclose(du.sum(axis=1), 0, atol=1e-12)


def test_batch_norm_normalises_each_row_and_keeps_running_statistics():
    rng = np.random.default_rng(12)
    u = rng.normal(3.0, 2.0, (2, 50))
    bn = BatchNorm(2, eps=0.0 + 1e-12)
    v = bn.forward(u)
    np.testing.assert_allclose(v.mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(v.var(axis=1), 1, rtol=1e-9)
    mu, var = u.mean(axis=1, keepdims=True), u.var(axis=1, ddof=1, keepdims=True)
    np.testing.assert_allclose(bn.running_mean, 0.1 * mu)
    np.testing.assert_allclose(bn.running_var, 0.9 + 0.1 * var)
    bn.eval()
    one = bn.forward(u[:, :1])  # a batch of one is fine in evaluation mode
    expected = (u[:, :1] - bn.running_mean) / np.sqrt(bn.running_var + 1e-12)
    np.testing.assert_allclose(one, expected)
    G, four = rng.standard_normal((2, 4)), u[:, :4].copy()
    bn.forward(four)
    du = bn.backward(G)
    np.testing.assert_allclose(du, central(lambda: probe(bn, four, G), four), rtol=1e-6)
    assert bn.train() is bn and bn.training


def test_batch_norm_eval_gradient_matches_central_differences():
    rng = np.random.default_rng(13)
    bn = BatchNorm(2)
    bn.forward(rng.standard_normal((2, 6)))  # running statistics from one batch
    bn.eval()
    u, G = rng.standard_normal((2, 3)), rng.standard_normal((2, 3))
    bn.forward(u)
    du = bn.backward(G)
    np.testing.assert_allclose(
        du, central(lambda: probe(bn, u, G), u), rtol=1e-7, atol=1e-10
    )


def test_dropout_keeps_scales_and_reuses_its_mask():
    rng = np.random.default_rng(14)
    drop = Dropout(0.3, seed=5)
    u, G = rng.standard_normal((4, 6)), rng.standard_normal((4, 6))
    v = drop.forward(u)
    mask = drop.mask.copy()
    np.testing.assert_array_equal(v, np.where(mask, u / 0.7, 0.0))
    du = drop.backward(G)
    np.testing.assert_array_equal(du, np.where(mask, G / 0.7, 0.0))
    # the same mask, held fixed, against central differences of C = sum(G * u * mask / 0.7)
    f = lambda: float(np.sum(G * u * mask / 0.7))  # noqa: E731
    np.testing.assert_allclose(du, central(f, u), rtol=1e-7, atol=1e-10)
    assert Dropout(0.3, seed=5).forward(u).tolist() == v.tolist()  # seeded
    drop.eval()
    np.testing.assert_array_equal(drop.forward(u), u)
    np.testing.assert_array_equal(drop.backward(G), G)
    assert drop.mask is None
    # E[v] = u (11.6), on 20,000 masks
    many = Dropout(0.5, seed=0)
    mean = np.mean([many.forward(np.ones((1, 1)))[0, 0] for _ in range(20000)])
    assert abs(mean - 1) < 0.03


def test_residual_adds_the_two_paths():
    rng = np.random.default_rng(15)
    lin = Linear(rng.standard_normal((3, 3)), rng.standard_normal((3, 1)))
    block = [lin, Elementwise("tanh")]
    res = Residual(block)
    u, G = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    np.testing.assert_allclose(res.forward(u), u + np.tanh(lin.w @ u + lin.b))
    du = res.backward(G)
    f = lambda: probe(res, u, G)  # noqa: E731
    np.testing.assert_allclose(du, central(f, u), rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(lin.nabla_w, central(f, lin.w), rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(lin.nabla_b, central(f, lin.b), rtol=1e-7, atol=1e-9)
    # a Residual inside a Sequential, with a BatchNorm in its block
    seq = Sequential(
        [
            Linear(rng.standard_normal((3, 2)), rng.standard_normal((3, 1))),
            Residual([BatchNorm(3), Elementwise("sigmoid"), lin]),
        ],
        QuadraticLoss(),
    )
    X, Y = rng.standard_normal((2, 5)), rng.uniform(0, 1, (3, 5))
    seq.loss(X, Y)
    seq.backward()
    np.testing.assert_allclose(
        lin.nabla_w, central(lambda: seq.loss(X, Y), lin.w), rtol=1e-6, atol=1e-9
    )


def test_tied_weights_get_the_sum_of_both_uses():
    rng = np.random.default_rng(16)
    w = rng.standard_normal((2, 4))
    encoder, decoder = (
        Linear(w, np.zeros((2, 1))),
        TransposedLinear(w, np.zeros((4, 1))),
    )
    seq = Sequential([encoder, Elementwise("sigmoid"), decoder], QuadraticLoss())
    X = rng.standard_normal((4, 3))
    seq.loss(X, X)
    dx = seq.backward()
    numeric = central(lambda: seq.loss(X, X), w)
    np.testing.assert_allclose(encoder.nabla_w + decoder.nabla_w, numeric, rtol=1e-7)
    assert decoder.nabla_w.shape == w.shape and dx.shape == X.shape
    u, G = rng.standard_normal((2, 3)), rng.standard_normal((4, 3))
    decoder.forward(u)
    du = decoder.backward(G)
    f = lambda: probe(decoder, u, G)  # noqa: E731
    np.testing.assert_allclose(du, central(f, u), rtol=1e-7, atol=1e-10)
    np.testing.assert_allclose(decoder.nabla_b, central(f, decoder.b), rtol=1e-7)


def test_chapter_11_modules_reject_bad_input_with_a_sentence():
    with pytest.raises(ValueError, match=r"needs a batch of at least 2 columns"):
        BatchNorm(3).forward(np.ones((3, 1)))
    with pytest.raises(
        ValueError, match=r"BatchNorm\(3\) expects an input of shape \(3, m\)"
    ):
        BatchNorm(3).forward(np.ones((2, 4)))
    with pytest.raises(ValueError, match=r"n must be a positive whole number; got 0"):
        BatchNorm(0)
    with pytest.raises(ValueError, match=r"eps must be a positive finite number"):
        BatchNorm(2, eps=-1.0)
    with pytest.raises(ValueError, match=r"backward was called before forward"):
        BatchNorm(2).backward(np.ones((2, 3)))
    for p in (1.0, -0.1, "0.5", True, float("nan")):
        with pytest.raises(ValueError, match=r"must be a number in \[0, 1\)"):
            Dropout(p)
    with pytest.raises(ValueError, match=r"got dC/dv of shape \(2, 2\)"):
        drop = Dropout(0.5, seed=0)
        drop.forward(np.ones((2, 3)))
        drop.backward(np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"non-empty list of modules"):
        Residual([])
    with pytest.raises(ValueError, match=r"non-empty list of modules"):
        Residual([QuadraticLoss()])
    with pytest.raises(ValueError, match=r"the block must keep the shape"):
        Residual([Linear(np.ones((2, 3)), np.zeros((2, 1)))]).forward(np.ones((3, 4)))
    with pytest.raises(
        ValueError, match=r"b must have shape \(4, 1\), one bias per column"
    ):
        TransposedLinear(np.ones((2, 4)), np.zeros((2, 1)))
    assert bp_lib.modules.BatchNorm is bp_lib.layers.BatchNorm


def test_parameters_and_training_mode_reach_into_residual_blocks():
    lin = Linear(np.ones((2, 2)), np.zeros((2, 1)))
    bn, drop = BatchNorm(2), Dropout(0.5, seed=0)
    first = Linear(np.ones((2, 3)), np.zeros((2, 1)))
    seq = Sequential([first, Residual([bn, drop, lin])], QuadraticLoss())
    assert bp_lib.layers.parameters(seq) == [
        (first, "w"),
        (first, "b"),
        (bn, "gamma"),
        (bn, "beta"),
        (lin, "w"),
        (lin, "b"),
    ]
    bp_lib.layers.set_training(seq, False)
    assert not bn.training and not drop.training
    bp_lib.layers.set_training(seq.modules)
    assert bn.training and drop.training


# --- a module object is used once; shared weights are shared arrays ----------------------------


def square_linear(seed=0, n=3):
    rng = np.random.default_rng(seed)
    return Linear(rng.standard_normal((n, n)), rng.standard_normal((n, 1)))


def test_a_module_used_twice_is_refused_with_its_positions():
    lin, tanh = square_linear(), Elementwise("tanh")
    advice = r"to share a weight, build two modules over the same float64 array"
    with pytest.raises(
        ValueError,
        match=r"the module Linear\(3 -> 3\) is used twice, at modules\[0\] and modules\[2\]; "
        r"a module keeps the cache of one forward pass.*" + advice,
    ):
        Sequential([lin, tanh, lin], QuadraticLoss())
    with pytest.raises(
        ValueError,
        match=r"Elementwise\('tanh'\) is used 3 times, at modules\[1\], modules\[3\] and modules\[5\]",
    ):
        Sequential(
            [square_linear(1), tanh, square_linear(2), tanh, square_linear(3), tanh],
            QuadraticLoss(),
        )
    bn = BatchNorm(3)
    with pytest.raises(
        ValueError,
        match=r"BatchNorm\(3\) is used twice, at modules\[0\]\.modules\[0\] and "
        r"modules\[1\]\.modules\[0\].*TransposedLinear\(encoder, b\)",
    ):
        Sequential([Residual([bn]), Residual([bn])], QuadraticLoss())
    with pytest.raises(
        ValueError, match=r"BatchNorm\(3\) is used twice, at modules\[0\] and"
    ):
        Sequential([bn, Residual([Elementwise("relu"), bn])], QuadraticLoss())
    with pytest.raises(ValueError, match=r"at modules\[0\] and modules\[2\]"):
        Residual([bn, Elementwise("relu"), bn])
    res = Residual([square_linear()])
    with pytest.raises(
        ValueError, match=r"Residual\(\[Linear\(3 -> 3\)\]\) is used twice"
    ):
        Sequential([res, res], QuadraticLoss())
    with pytest.raises(ValueError, match=r"Linear\(3 -> 3\) is used twice"):
        bp_lib.layers.parameters([lin, lin])
    assert lin.layer is None and lin.trace is None  # a refused chain claims nothing


def test_two_modules_over_one_array_still_share_it():
    w = np.random.default_rng(3).standard_normal((3, 3))
    first, second = Linear(w, np.zeros((3, 1))), Linear(w, np.ones((3, 1)))
    seq = Sequential([first, Elementwise("tanh"), second], QuadraticLoss())
    X, Y = np.random.default_rng(4).standard_normal((3, 5)), np.zeros((3, 5))
    (use_1, use_2), _ = seq.gradients(X, Y)
    np.testing.assert_allclose(
        use_1 + use_2, central(lambda: seq.loss(X, Y), w), rtol=1e-7, atol=1e-10
    )


# --- gradients() and linears: Network.backprop's layout, or a refusal ---------------------------


def test_gradients_refuse_parameters_outside_the_network_layout():
    rng = np.random.default_rng(5)
    lin_1 = Linear(rng.standard_normal((3, 4)), np.zeros((3, 1)))
    lin_2 = Linear(rng.standard_normal((2, 3)), np.zeros((2, 1)))
    bn = BatchNorm(3)
    seq = Sequential(
        [lin_1, bn, Elementwise("relu"), Dropout(0.5, seed=0), lin_2], QuadraticLoss()
    )
    assert len(bp_lib.layers.parameters(seq)) == 6
    X, Y = rng.standard_normal((4, 5)), rng.standard_normal((2, 5))
    expected = (
        r"lays the parameters out as Network\.backprop does, one nabla_w and one nabla_b per "
        r"Linear layer of the chain, but parameters are also held by BatchNorm\(3\) at "
        r"modules\[1\]; bp_lib\.layers\.parameters\(model\) lists every parameter"
    )
    with pytest.raises(ValueError, match=r"gradients\(\) " + expected):
        seq.gradients(X, Y)
    assert bn.running_mean.tolist() == [[0.0]] * 3  # refused before the forward pass
    with pytest.raises(ValueError, match=r"linears " + expected):
        _ = seq.linears
    with pytest.raises(ValueError, match=r"held by BatchNorm\(3\) at modules\[0\]"):
        Sequential([BatchNorm(3)], QuadraticLoss()).gradients(np.eye(3), np.eye(3))
    inner = square_linear()
    with pytest.raises(
        ValueError, match=r"Linear\(3 -> 3\) at modules\[1\]\.modules\[0\]"
    ):
        Sequential([square_linear(1), Residual([inner])], QuadraticLoss()).gradients(
            np.eye(3), np.eye(3)
        )
    w = rng.standard_normal((2, 3))
    encoder, decoder = (
        Linear(w, np.zeros((2, 1))),
        TransposedLinear(w, np.zeros((3, 1))),
    )
    tied = Sequential([encoder, Elementwise("sigmoid"), decoder], QuadraticLoss())
    with pytest.raises(ValueError, match=r"TransposedLinear\(2 -> 3\) at modules\[2\]"):
        tied.gradients(np.eye(3), np.eye(3))
    # a chain of Linear, Elementwise and Dropout modules keeps the layout
    plain = Sequential(
        [lin_1, Dropout(0.2, seed=1), Elementwise("tanh"), lin_2], QuadraticLoss()
    )
    nabla_w, nabla_b = plain.gradients(X, Y)
    assert plain.linears == [lin_1, lin_2] and [g.shape for g in nabla_w] == [
        (3, 4),
        (2, 3),
    ]


def test_the_width_check_knows_every_module():
    rng = np.random.default_rng(6)
    w = rng.standard_normal((2, 4))
    # 4 -> 2 -> 4 -> 3: the TransposedLinear maps back to 4 rows
    Sequential(
        [
            Linear(w, np.zeros((2, 1))),
            TransposedLinear(w, np.zeros((4, 1))),
            Linear(rng.standard_normal((3, 4)), np.zeros((3, 1))),
        ],
        QuadraticLoss(),
    )
    with pytest.raises(
        ValueError,
        match=r"module 1, BatchNorm\(3\), expects 3 inputs but the modules before it output 2",
    ):
        Sequential([Linear(w, np.zeros((2, 1))), BatchNorm(3)], QuadraticLoss())
    with pytest.raises(
        ValueError,
        match=r"module 2, Residual\(.*expects 3 inputs but the modules before it output 2",
    ):
        Sequential(
            [
                Linear(w, np.zeros((2, 1))),
                Elementwise("tanh"),
                Residual([square_linear()]),
            ],
            QuadraticLoss(),
        )
    with pytest.raises(
        ValueError,
        match=r"module 1 of the block, Linear\(3 -> 3\), expects 3 inputs but the modules "
        r"before it output 2",
    ):
        Residual([Linear(w, np.zeros((2, 1))), square_linear()])
    with pytest.raises(
        ValueError,
        match=r"the block of Residual\(\[Linear\(4 -> 2\)\]\) maps 4 rows to 2; .* the block "
        r"must keep the shape",
    ):
        Residual([Linear(w, np.zeros((2, 1)))])


# --- tied weights: the encoder itself, or its float64 array ------------------------------------


def test_transposed_linear_ties_to_the_encoder_itself():
    rng = np.random.default_rng(7)
    for given in (
        rng.standard_normal((2, 4)).astype(np.float32),
        rng.standard_normal((2, 4)).tolist(),
    ):
        encoder = Linear(given, np.zeros((2, 1)))  # a float64 copy, the encoder's own
        decoder = TransposedLinear(encoder, np.zeros((4, 1)))
        assert decoder.w is encoder.w
        seq = Sequential([encoder, Elementwise("sigmoid"), decoder], QuadraticLoss())
        X = rng.standard_normal((4, 3))
        seq.loss(X, X)
        seq.backward()
        numeric = central(lambda: seq.loss(X, X), encoder.w)  # noqa: B023
        np.testing.assert_allclose(
            encoder.nabla_w + decoder.nabla_w, numeric, rtol=1e-6
        )
    w = rng.standard_normal((2, 4))  # a float64 array is held as it is
    assert TransposedLinear(w, np.zeros((4, 1))).w is w


def test_transposed_linear_refuses_an_array_it_would_copy():
    w32 = np.ones((2, 4), dtype=np.float32)
    expected = (
        r"w must be the Linear module whose weight this one ties to, or its float64 numpy array, "
        r"held by reference so that both modules use one w; got {}, which would be copied and so "
        r"untied\. Pass the encoder itself, TransposedLinear\(encoder, b\), or its array, "
        r"TransposedLinear\(encoder\.w, b\)"
    )
    with pytest.raises(ValueError, match=expected.format("an array of dtype float32")):
        TransposedLinear(w32, np.zeros((4, 1)))
    with pytest.raises(ValueError, match=expected.format("a list of 2 items")):
        TransposedLinear([[1.0, 2.0], [3.0, 4.0]], np.zeros((2, 1)))
    with pytest.raises(ValueError, match=expected.format("an array of dtype int64")):
        TransposedLinear(np.ones((2, 2), dtype=np.int64), np.zeros((2, 1)))


# --- parameters assigned by hand are checked before the forward pass uses them ------------------


@pytest.mark.parametrize(
    "name, value, message",
    [
        (
            "gamma",
            np.ones(3),
            r"BatchNorm\(3\)\.gamma must have shape \(3, 1\); got shape \(3,\) \(a column",
        ),
        (
            "gamma",
            np.ones((3, 5)),
            r"BatchNorm\(3\)\.gamma must have shape \(3, 1\); got shape \(3, 5\)$",
        ),
        (
            "beta",
            [[0.0], [0.0], [0.0]],
            r"BatchNorm\(3\)\.beta must be a numpy array of real numbers of shape \(3, 1\); got list",
        ),
        (
            "beta",
            np.full((3, 1), np.nan),
            r"BatchNorm\(3\)\.beta must contain only finite numbers",
        ),
        (
            "gamma",
            np.ones((3, 1), dtype=complex),
            r"BatchNorm\(3\)\.gamma must be a numpy array of real numbers .* got dtype complex128",
        ),
        (
            "running_mean",
            np.zeros(3),
            r"BatchNorm\(3\)\.running_mean must have shape \(3, 1\); got shape \(3,\)",
        ),
        (
            "running_var",
            np.array([[1.0], [-0.5], [1.0]]),
            r"BatchNorm\(3\)\.running_var must be >= 0, a variance; it has 1 negative entries",
        ),
        (
            "running_var",
            np.full((3, 1), np.inf),
            r"BatchNorm\(3\)\.running_var must contain only finite numbers",
        ),
        (
            "eps",
            -1.0,
            r"BatchNorm\(3\)\.eps must be a positive finite number; got -1\.0",
        ),
        ("momentum", 2.0, r"BatchNorm\(3\)\.momentum must be in \(0, 1\]; got 2\.0"),
    ],
)
@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_checks_its_parameters_before_any_state_changes(
    name, value, message, training
):
    bn = BatchNorm(3).train(training)
    setattr(bn, name, value)
    before = {
        k: np.array(getattr(bn, k), copy=True) for k in ("running_mean", "running_var")
    }
    with pytest.raises(ValueError, match=message):
        bn.forward(np.random.default_rng(8).standard_normal((3, 4)))
    for k, array in before.items():
        np.testing.assert_array_equal(getattr(bn, k), array)
    assert bn._cache is None


def test_linear_modules_check_parameters_assigned_after_construction():
    lin = square_linear()
    lin.b = np.zeros(3)
    with pytest.raises(
        ValueError,
        match=r"Linear\(3 -> 3\)\.b must have shape \(3, 1\); got shape \(3,\)",
    ):
        lin.forward(np.ones((3, 2)))
    lin = square_linear()
    lin.w = np.ones(3)
    with pytest.raises(
        ValueError,
        match=r"Linear\(\?\)\.w must have shape \(n_out, n_in\); got shape \(3,\)",
    ):
        lin.forward(np.ones((3, 2)))
    decoder = TransposedLinear(np.ones((2, 3)), np.zeros((3, 1)))
    decoder.b = np.zeros((2, 1))
    with pytest.raises(
        ValueError,
        match=r"TransposedLinear\(2 -> 3\)\.b must have shape \(3, 1\); got shape \(2, 1\)",
    ):
        decoder.forward(np.ones((2, 2)))
    drop = Dropout(0.5, seed=0)
    drop.p = 1.0
    with pytest.raises(
        ValueError,
        match=r"Dropout\(1\)\.p, the probability of dropping a unit, must be a number in \[0, 1\); got 1\.0",
    ):
        drop.forward(np.ones((2, 2)))


# --- training mode: a bool, and a Sequential switches all its modules ---------------------------


def test_training_mode_must_be_a_bool():
    message = (
        r"{} must be True \(training mode\) or False \(evaluation mode\); got 'no'"
    )
    for module in (BatchNorm(3), Dropout(0.5)):
        module.eval()
        with pytest.raises(ValueError, match=message.format("mode")):
            module.train("no")
        assert module.training is False  # unchanged
        assert module.train(np.bool_(True)).training is True
    bn, drop = BatchNorm(3), Dropout(0.5)
    seq = Sequential([square_linear(), Residual([bn]), drop], QuadraticLoss())
    for bad in ("no", 0, None):
        with pytest.raises(
            ValueError, match=message.format("training").replace("'no'", repr(bad))
        ):
            bp_lib.layers.set_training(seq, bad)
        assert bn.training and drop.training  # nothing changed
    with pytest.raises(ValueError, match=message.format("mode")):
        seq.train("no")


def test_sequential_train_and_eval_return_the_chain():
    bn, drop = BatchNorm(3), Dropout(0.5, seed=0)
    seq = Sequential(
        [square_linear(), Residual([bn, Elementwise("tanh")]), drop], QuadraticLoss()
    )
    assert seq.eval() is seq and not bn.training and not drop.training
    assert seq.train() is seq and bn.training and drop.training
    assert seq.train(False) is seq and not bn.training


# --- errors from bp_lib, not from numpy or Python ------------------------------------------------


def test_dropout_seed_is_checked():
    for seed in (-1, 1.5, True, "3", np.random.default_rng(0)):
        with pytest.raises(
            ValueError,
            match=r"seed must be None \(fresh randomness\) or a whole number >= 0 that fixes the masks; got ",
        ):
            Dropout(0.5, seed=seed)
    assert (
        Dropout(0.5, seed=np.int64(3)).forward(np.ones((2, 2))).tolist()
        == Dropout(0.5, seed=3).forward(np.ones((2, 2))).tolist()
    )


def test_containers_of_modules_say_what_they_expected():
    lin = square_linear()
    with pytest.raises(
        ValueError,
        match=r"modules must be a non-empty list of modules \(not losses\); got the single module "
        r"Linear\(3 -> 3\): put it in a list, Sequential\(\[module\], loss\)",
    ):
        Sequential(lin, QuadraticLoss())
    with pytest.raises(
        ValueError,
        match=r"modules\[1\] is the loss QuadraticLoss\(\), which only ends a Sequential",
    ):
        Sequential([lin, QuadraticLoss()], QuadraticLoss())
    with pytest.raises(
        ValueError,
        match=r"modules must be a non-empty list of modules \(not losses\); got a list of 0 items",
    ):
        Sequential([], QuadraticLoss())
    with pytest.raises(ValueError, match=r"modules\[0\] is 'tanh', of type str"):
        Sequential(["tanh"], QuadraticLoss())
    with pytest.raises(
        ValueError,
        match=r"got the single module Linear\(3 -> 3\): put it in a list, Residual\(\[module\]\)",
    ):
        Residual(lin)
    for function in ("parameters", "set_training"):
        call = getattr(bp_lib.layers, function)
        expected = rf"{function} expects a Sequential or a list of modules; "
        with pytest.raises(
            ValueError,
            match=expected
            + rf"got the single module Linear\(3 -> 3\): put it in a list, {function}\(\[module\]\)",
        ):
            call(lin)
        with pytest.raises(ValueError, match=expected + r"item 0 is 1, of type int"):
            call([1, 2])
        with pytest.raises(ValueError, match=expected + r"got 'abc', of type str"):
            call("abc")
    assert bp_lib.layers.parameters([lin]) == [(lin, "w"), (lin, "b")]
    res = Residual([lin])
    assert bp_lib.layers.parameters(res) == [(lin, "w"), (lin, "b")]
