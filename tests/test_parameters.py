"""Weights and biases as readers hand them in: every layout numpy allows either trains exactly as a
C-ordered float64 array would, or is refused with a sentence naming the array, before any update.
Likewise the arrays every entry point converts (inputs, targets, a module's input): real numbers of
any dtype go through as float64, and complex numbers, booleans, text and other objects are refused
with their dtype named, never converted with a warning."""

import numpy as np
import pytest
from problems import batch

from bp_lib import Network

SIZES = [4, 3, 3]


def trained(net, X, Y):
    net.sgd(X, Y, epochs=2, batch_size=3, eta=0.5, seed=0)
    return net


def reference_and_data():
    X, Y = batch(SIZES, 9, "quadratic")
    return trained(Network(SIZES, seed=1), X, Y), X, Y


def assert_unchanged(net, before):
    for got, want in zip(net.weights + net.biases, before.weights + before.biases):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize(
    "layout",
    [
        "fortran",
        "strided view",
        "reversed view",
        "big-endian",
        "writeable memmap",
        "copy-on-write memmap",
    ],
)
def test_every_writeable_float64_layout_trains_exactly_as_c_order(layout, tmp_path):
    reference, X, Y = reference_and_data()
    net = Network(SIZES, seed=1)
    w = net.weights[0]
    if layout == "fortran":
        net.weights[0] = np.asfortranarray(w)
    elif layout == "strided view":
        wide = np.zeros((3, 8))
        wide[:, 1::2] = w
        net.weights[0] = wide[:, 1::2]
    elif layout == "reversed view":
        net.weights[0] = w[::-1, ::-1].copy()[::-1, ::-1]
    elif layout == "big-endian":
        net.weights[0] = w.astype(">f8")
    else:
        np.save(tmp_path / "w.npy", w)
        net.weights[0] = np.load(
            tmp_path / "w.npy", mmap_mode="r+" if layout == "writeable memmap" else "c"
        )
    view = net.weights[0]
    trained(net, X, Y)
    assert net.weights[0] is view  # updated in place, not replaced
    for got, want in zip(
        net.weights + net.biases, reference.weights + reference.biases
    ):
        np.testing.assert_allclose(got, want, rtol=1e-14, atol=1e-15)
    if layout == "writeable memmap":
        np.testing.assert_array_equal(
            np.load(tmp_path / "w.npy"), net.weights[0]
        )  # the file holds the update
    if layout == "copy-on-write memmap":
        np.testing.assert_array_equal(
            np.load(tmp_path / "w.npy"), Network(SIZES, seed=1).weights[0]
        )


def test_read_only_and_memory_mapped_weights_are_refused_before_any_update(tmp_path):
    _, X, Y = reference_and_data()
    net = Network(SIZES, seed=1)
    w = net.weights[1]
    w.setflags(write=False)
    before = net.copy()
    for train in (
        lambda: net.sgd(X, Y, epochs=1, batch_size=3, eta=0.5),
        lambda: net.step(X, Y, 0.5),
    ):
        with pytest.raises(
            ValueError,
            match=r"weights\[1\] is read-only .* assign a writeable copy first",
        ):
            train()
    assert_unchanged(net, before)  # weights[0] and the biases were not stepped either
    np.save(tmp_path / "w.npy", before.weights[0])
    net.weights[0] = np.load(
        tmp_path / "w.npy", mmap_mode="r"
    )  # writing into it would crash the process
    net.weights[1] = before.weights[1].copy()
    with pytest.raises(ValueError, match=r"weights\[0\] is read-only .*mmap_mode='r'"):
        net.sgd(X, Y, epochs=1, batch_size=3, eta=0.5)
    np.testing.assert_array_equal(np.load(tmp_path / "w.npy"), before.weights[0])
    # reading them is fine
    np.testing.assert_array_equal(net.feedforward(X), before.feedforward(X))


def test_one_dimensional_biases_are_refused_everywhere():
    """PyTorch and scikit-learn store biases as 1-D arrays; with 3 columns and 3 neurons a (3,)
    bias would broadcast along the wrong axis and give silently wrong outputs."""
    net = Network(SIZES, seed=0)
    X, Y = batch(SIZES, 3, "quadratic")  # batch size equal to the layer width
    net.biases[0] = net.biases[0].ravel()
    message = r"biases\[0\] must have shape \(3, 1\); got shape \(3,\) \(a bias is a column .* b.reshape\(-1, 1\)"
    for call in (
        lambda: net.feedforward(X),
        lambda: net.forward(X),
        lambda: net.backprop(X, Y),
        lambda: net.deltas(X, Y),
        lambda: net.cost_value(X, Y),
        lambda: net.accuracy(X, Y),
        lambda: net.evaluate(X, Y),
        lambda: net.step(X, Y, 1.0),
        lambda: net.sgd(X, Y, epochs=1, batch_size=3, eta=1.0),
    ):
        with pytest.raises(ValueError, match=message):
            call()


@pytest.mark.filterwarnings("ignore:the matrix subclass:PendingDeprecationWarning")
@pytest.mark.parametrize(
    "bad, message",
    [
        (
            lambda w: w.astype(int),
            r"weights\[0\] has dtype int64, but training and gradient checks change the parameters in place in float64",
        ),
        (
            lambda w: w.astype(np.float32),
            r"weights\[0\] has dtype float32, but training",
        ),
        (
            lambda w: w.astype(complex),
            r"weights\[0\] must hold real numbers; got an array of dtype complex128",
        ),
        (
            lambda w: w.astype(bool),
            r"weights\[0\] must hold real numbers; got an array of dtype bool",
        ),
        (
            lambda w: np.asmatrix(w),
            r"weights\[0\] must be a numpy array of shape \(3, 4\); got a numpy.matrix",
        ),
        (
            lambda w: w.tolist(),
            r"weights\[0\] must be a numpy array of shape \(3, 4\); got a list of 3",
        ),
        (lambda w: w.T, r"weights\[0\] must have shape \(3, 4\); got shape \(4, 3\)"),
        (
            lambda w: np.where(w > 0, np.nan, w),
            r"weights\[0\] must contain only finite numbers; it has \d+ NaN",
        ),
        (
            lambda w: np.lib.stride_tricks.as_strided(
                w, strides=(0, 8), writeable=True
            ),
            r"weights\[0\] is a view whose entries overlap in memory",
        ),
    ],
)
def test_parameters_that_cannot_be_trained_are_refused_with_their_name(bad, message):
    _, X, Y = reference_and_data()
    net = Network(SIZES, seed=1)
    net.weights[0] = bad(net.weights[0])
    kept = [
        p.copy() if isinstance(p, np.ndarray) else p for p in net.weights + net.biases
    ]
    with pytest.raises(ValueError, match=message):
        net.sgd(X, Y, epochs=1, batch_size=3, eta=0.5)
    for got, want in zip(net.weights + net.biases, kept):
        np.testing.assert_array_equal(got, want)


def test_integer_weights_are_read_as_numbers():
    net = Network([2, 1], seed=0)
    net.weights[0] = np.array([[1, -1]])
    net.biases[0] = np.array([[0]])
    np.testing.assert_allclose(net.feedforward(np.array([[3.0], [3.0]])), [[0.5]])


def test_parameters_sharing_memory_are_refused_for_training():
    _, X, Y = batch([3, 3, 3], 4, "quadratic")[0], *batch([3, 3, 3], 4, "quadratic")
    net = Network([3, 3, 3], seed=0)
    net.weights[1] = net.weights[0]
    with pytest.raises(ValueError, match=r"weights\[0\] and weights\[1\] share memory"):
        net.sgd(X, Y, epochs=1, batch_size=2, eta=0.5)
    net.weights[1] = net.weights[0].copy()
    net.biases[1] = net.weights[0][:, :1]
    with pytest.raises(ValueError, match=r"weights\[0\] and biases\[1\] share memory"):
        net.step(X, Y, 0.5)


def test_wrong_number_of_layers_is_refused():
    net = Network(SIZES, seed=0)
    X, _ = batch(SIZES, 2, "quadratic")
    net.weights = net.weights[:1]
    with pytest.raises(
        ValueError,
        match=r"weights must be a list of 2 arrays, one per layer .* sizes \[4, 3, 3\]; got a list of 1",
    ):
        net.feedforward(X)


def test_step_is_w_minus_eta_times_the_averaged_gradient():
    net = Network([3, 4, 2], seed=0)
    X, Y = batch([3, 4, 2], 5, "quadratic")
    start = net.copy()
    deltas = start.deltas(X, Y)
    _, activations = start.forward(X)
    net.step(X, Y, 0.5)
    for l in range(2):
        np.testing.assert_allclose(
            net.weights[l],
            start.weights[l] - 0.5 * deltas[l] @ activations[l].T / 5,
            rtol=1e-13,
            atol=1e-15,
        )
        np.testing.assert_allclose(
            net.biases[l],
            start.biases[l] - 0.5 * deltas[l].sum(axis=1, keepdims=True) / 5,
            rtol=1e-13,
            atol=1e-15,
        )
    with pytest.raises(
        ValueError, match=r"eta must be a positive finite number; got -1"
    ):
        net.step(X, Y, -1)


class Thing:
    def __array__(self, dtype=None, copy=None):
        raise RuntimeError("no numbers here")


def test_from_parameters_builds_a_checked_copy():
    w1, b1 = [[1, 2, 3], [4, 5, 6]], np.zeros((2, 1))
    w2, b2 = np.ones((1, 2)), np.array([[0.5]])
    net = Network.from_parameters(
        [w1, w2], [b1, b2], activation="tanh", cost="cross_entropy"
    )
    assert (
        net.sizes == [3, 2, 1]
        and repr(net)
        == "Network([3, 2, 1], activation='tanh', cost='cross_entropy', output='sigmoid')"
    )
    assert all(
        p.dtype == np.float64 and p.flags.c_contiguous and p.flags.writeable
        for p in net.weights + net.biases
    )
    assert not np.shares_memory(net.weights[1], w2)
    np.testing.assert_array_equal(net.weights[0], w1)
    with pytest.raises(
        ValueError, match=r"biases\[1\] must have shape \(1, 1\); got shape \(1,\)"
    ):
        Network.from_parameters([w1, w2], [b1, np.array([0.5])])
    with pytest.raises(
        ValueError,
        match=r"weights\[1\] has shape \(1, 3\), but weights\[0\] has shape \(2, 3\): .* needs 2 columns",
    ):
        Network.from_parameters([w1, np.ones((1, 3))], [b1, b2])
    with pytest.raises(ValueError, match=r"could not read the Thing given"):
        Network.from_parameters([Thing(), w2], [b1, b2])
    with pytest.raises(ValueError, match=r"biases must be a list of 2 arrays"):
        Network.from_parameters([w1, w2], [b1])
    with pytest.raises(ValueError, match=r"each weights\[i\] must be a 2-D array"):
        Network.from_parameters([np.ones(3)], [b1])
    with pytest.raises(
        ValueError, match=r"weights\[0\] must contain only finite numbers"
    ):
        Network.from_parameters([np.full((2, 3), np.inf), w2], [b1, b2])


def test_parameters_from_scikit_learn_give_its_outputs():
    """MLPClassifier stores coefs_[i] as (n_i, n_(i+1)) and 1-D intercepts_[i]: transposed and as
    columns they give a Network with the same predicted probabilities."""
    import warnings

    from sklearn.neural_network import MLPClassifier

    rng = np.random.default_rng(0)
    X, labels = rng.standard_normal((30, 4)), np.arange(30) % 3
    with warnings.catch_warnings():
        warnings.simplefilter(
            "ignore"
        )  # it has not converged after 5 iterations, as wanted
        clf = MLPClassifier(
            hidden_layer_sizes=(5,), activation="tanh", max_iter=5, random_state=0
        ).fit(X, labels)
    with pytest.raises(ValueError, match=r"pass coefs_\[i\]\.T"):
        Network.from_parameters(clf.coefs_, clf.intercepts_)
    net = Network.from_parameters(
        [c.T for c in clf.coefs_],
        [b.reshape(-1, 1) for b in clf.intercepts_],
        activation="tanh",
        cost="softmax_cross_entropy",
    )
    np.testing.assert_allclose(
        net.feedforward(X.T), clf.predict_proba(X).T, rtol=1e-12, atol=1e-15
    )


def test_modules_from_a_network_name_its_bad_parameter():
    from bp_lib import Sequential

    net = Network(SIZES, seed=0)
    net.biases[1] = net.biases[1].ravel()
    with pytest.raises(
        ValueError, match=r"biases\[1\] must have shape \(3, 1\); got shape \(3,\)"
    ):
        Sequential.from_network(net)


def test_unchecked_forward_and_cost_give_the_checked_results():
    """What a gradient check's loop uses after checking its batch once."""
    net = Network(SIZES, seed=0)
    X, Y = batch(SIZES, 4, "quadratic")
    assert net.cost_value(X, Y, check_input=False) == net.cost_value(X, Y)
    for got, want in zip(net.forward(X, check_input=False)[1], net.forward(X)[1]):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize(
    "make", [lambda w: w.astype(int), lambda w: w.astype(np.float32), "read-only"]
)
def test_a_gradient_check_refuses_parameters_it_cannot_nudge_exactly(make):
    """Central differences nudge each parameter in place: an integer array would round the nudge
    away (a gradient of 0), a read-only one would fail midway."""
    import bp_lib

    net = Network(SIZES, seed=1)
    X, Y = batch(SIZES, 3, "quadratic")
    if make == "read-only":
        net.weights[0].setflags(write=False)
    else:
        net.weights[0] = make(net.weights[0])
    kept = net.weights[0].copy()
    with pytest.raises(
        ValueError,
        match=r"weights\[0\] (has dtype|is read-only).*gradient checks change the parameters",
    ):
        bp_lib.check_gradients(net, X, Y)
    np.testing.assert_array_equal(net.weights[0], kept)


def entry_points():
    """Every kind of bp_lib entry point that converts a reader's array to float64, each as
    (what it calls the array, a function of the array)."""
    from bp_lib.autodiff import as_values
    from bp_lib.layers import BatchNorm, Dropout
    from bp_lib.modules import Linear

    net, square = Network(SIZES, seed=0), Network([4, 4], seed=0)
    Y = batch(SIZES, 2, "quadratic")[1]
    linear = Linear(np.ones((3, 4)), np.zeros((3, 1)))
    return [
        ("X", lambda X: net.feedforward(X)),
        ("X", lambda X: net.backprop(X, Y)),
        ("Y", lambda Y: square.cost_value(np.ones((4, 2)), Y)),
        (r"the input of Linear\(.*\)", lambda X: linear.forward(X)),
        (r"the input of BatchNorm\(4\)", lambda X: BatchNorm(4).forward(X)),
        (r"the input of Dropout\(0.5\)", lambda X: Dropout(0.5, seed=0).forward(X)),
        ("the array given to as_values", as_values),
    ]


X_REAL = np.array([[0.5, -1.0], [2.0, 0.25], [-0.75, 1.5], [1.0, 0.0]])


@pytest.mark.parametrize(
    "bad, message",
    [
        (
            X_REAL + 0j,  # numpy's float() would keep the real parts with a warning
            r"must hold real numbers; got an array of dtype complex128 \(converting it would "
            r"drop the imaginary parts",
        ),
        (
            X_REAL.astype(np.complex64),
            r"must hold real numbers; got an array of dtype complex64",
        ),
        (
            X_REAL > 0,
            r"must hold real numbers; got an array of dtype bool \(a mask is not a number here",
        ),
        (
            X_REAL.astype(str).tolist(),  # numpy's float() would parse the text
            r"must hold real numbers; got a list that numpy reads as an array of dtype <U",
        ),
        (X_REAL.astype("S8"), r"must hold real numbers; got an array of dtype \|S8"),
        (
            np.where(X_REAL > 0, X_REAL, None),
            r"must hold real numbers; got an array of dtype object with the NoneType None "
            r"at index \(0, 1\)",
        ),
        (
            X_REAL.astype(object) * np.array([[1, 1j]] * 4, dtype=object),
            r"must hold real numbers; got an array of dtype object with the complex",
        ),
        (
            np.array([[True, 1.0]] * 4, dtype=object),
            r"must hold real numbers; got an array of dtype object with the bool True",
        ),
        (
            X_REAL.astype("datetime64[s]"),
            r"must hold real numbers; got an array of dtype",
        ),
        (
            [[1.0, 2.0]] * 3 + [[1.0]],
            r"must be an array of real numbers; np.asarray could not read the list given",
        ),
    ],
)
def test_arrays_that_are_not_real_numbers_are_refused_by_every_entry_point(
    bad, message
):
    for name, call in entry_points():
        with pytest.raises(ValueError, match=rf"^{name} {message}"):
            call(bad)


@pytest.mark.parametrize(
    "layout",
    [
        lambda X: X.astype(int),
        lambda X: X.astype(np.float32),
        lambda X: X.astype(np.float16),
        lambda X: X.astype(">f8"),
        lambda X: np.asfortranarray(X),
        lambda X: np.repeat(X, 2, axis=1)[:, ::2],
        lambda X: X.astype(object),
        lambda X: X.tolist(),
        "memmap",
    ],
)
def test_arrays_of_real_numbers_go_through_as_float64(layout, tmp_path):
    X = np.round(X_REAL)  # exactly representable in every dtype above
    if layout == "memmap":
        np.save(tmp_path / "X.npy", X)
        given = np.load(tmp_path / "X.npy", mmap_mode="r")
    else:
        given = layout(X)
    for _, call in entry_points():
        want, got = call(X), call(given)
        if isinstance(want, np.ndarray) and want.dtype == object:  # as_values
            want, got = [v.data for v in want.ravel()], [v.data for v in got.ravel()]
        if isinstance(want, tuple):  # backprop's (nabla_w, nabla_b)
            want, got = want[0] + want[1], got[0] + got[1]
        else:
            want, got = [want], [got]
        for w, g in zip(want, got, strict=True):
            np.testing.assert_array_equal(g, w)
