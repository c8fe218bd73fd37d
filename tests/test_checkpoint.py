"""Gradient checkpointing (bp_lib.checkpoint, chapter 10): the gradient of plain backpropagation,
with the floats stored and the layers recomputed that (10.10)-(10.12) count."""

import numpy as np
import pytest

import bp_lib
from bp_lib.checkpoint import backprop_checkpointed, plain_floats

CASES = [
    ("sigmoid", "quadratic"),
    ("tanh", "cross_entropy"),
    ("relu", "softmax_cross_entropy"),
]


def batch(net, m, seed):
    rng = np.random.default_rng(seed)
    n_out = net.sizes[-1]
    return rng.normal(size=(net.sizes[0], m)), bp_lib.one_hot(
        rng.integers(0, n_out, m), n_out
    )


@pytest.mark.parametrize("activation, cost", CASES)
def test_the_gradient_is_plain_backprops_for_every_k(activation, cost):
    net = bp_lib.Network([4, 6, 5, 6, 3, 5, 4, 3], activation, cost, seed=1)
    X, Y = batch(net, 5, seed=2)
    expected = net.backprop(X, Y)
    for k in range(1, 9):
        nabla_w, nabla_b, _ = backprop_checkpointed(net, X, Y, every=k)
        for got, want in zip(nabla_w + nabla_b, expected[0] + expected[1]):
            assert got.shape == want.shape
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)


def test_the_counts_of_equal_widths_are_the_chapters_formulas():
    n, m = 4, 3
    for L in range(1, 13):
        net = bp_lib.Network([n] * (L + 1), "tanh", "quadratic", seed=L)
        X, Y = np.ones((n, m)) * 0.3, np.ones((n, m)) * 0.5
        for k in range(1, L + 2):
            _, _, counts = backprop_checkpointed(net, X, Y, every=k)
            segments = -(-L // k)
            last = L - (segments - 1) * k  # layers in the last segment
            # (10.11) when k divides L; in general the peak is at the end of the forward
            # pass or while the second-to-last segment is recomputed
            peak = max(segments + last - 1, segments + k - 2 if segments > 1 else 0)
            assert counts.peak_floats == peak * n * m
            if L % k == 0:
                assert counts.peak_floats == (L // k + k - 1) * n * m
            # (10.12): k - 1 layers recomputed in every segment but the last
            assert counts.recomputed_layers == (segments - 1) * (k - 1)
            assert counts.extra_multiply_adds == counts.recomputed_layers * m * n * n


def test_plain_backprop_stores_the_input_of_every_layer():
    sizes, m = [7, 5, 3, 2], 4
    net = bp_lib.Network(sizes, seed=0)
    X, Y = batch(net, m, seed=3)
    _, _, counts = backprop_checkpointed(net, X, Y, every=len(sizes) - 1)
    assert counts == (plain_floats(sizes, m), 0, 0) == ((7 + 5 + 3) * 4, 0, 0)


def test_bad_arguments_are_refused_with_a_sentence():
    net = bp_lib.Network([3, 2], seed=0)
    X, Y = np.zeros((3, 2)), np.zeros((2, 2))
    for every in (0, 1.5, True):
        with pytest.raises(ValueError, match=r"every must be a positive whole number"):
            backprop_checkpointed(net, X, Y, every=every)
    with pytest.raises(ValueError, match=r"X"):
        backprop_checkpointed(net, np.zeros((4, 2)), Y, every=1)


@pytest.mark.parametrize(
    "sizes, m, message",
    [
        ([4, 6], -3, r"m must be a positive whole number; got -3"),
        ([4, 6], 0, r"m must be a positive whole number; got 0"),
        ([4, 6], 2.5, r"m must be a positive whole number; got 2.5"),
        ([4, 6], True, r"m must be a positive whole number; got True"),
        ([4, 6], "4", r"m must be a positive whole number; got '4'"),
        ([4], 3, r"sizes must list at least two layers"),
        ([4, -6, 2], 3, r"sizes\[1\] must be a positive whole number of neurons"),
        (None, 3, r"sizes must be a list of layer widths"),
    ],
)
def test_plain_floats_refuses_bad_arguments_with_a_sentence(sizes, m, message):
    with pytest.raises(ValueError, match=message):
        plain_floats(sizes, m)


def test_plain_floats_takes_numpy_whole_numbers():
    assert plain_floats(np.array([7, 5, 3, 2]), np.int64(4)) == (7 + 5 + 3) * 4


def test_backprop_checkpointed_refuses_what_is_not_a_network_or_not_real():
    net = bp_lib.Network([3, 2], seed=0)
    X, Y = np.zeros((3, 2)), np.zeros((2, 2))
    with pytest.raises(
        ValueError, match=r"net must be a bp_lib.Network; got Sequential"
    ):
        backprop_checkpointed(bp_lib.Sequential.from_network(net), X, Y, every=1)
    with pytest.raises(
        ValueError, match=r"X must hold real numbers; got an array of dtype complex128"
    ):
        backprop_checkpointed(net, X + 1j, Y, every=1)
