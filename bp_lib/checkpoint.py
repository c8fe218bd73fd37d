"""Gradient checkpointing: backpropagation that stores fewer activations and recomputes the rest.

The backward pass of a layered network reads the input a^(l-1) of every layer l: BP4 multiplies
by it, and BP2 takes s'(z^(l-1)) from it (bp_lib's ``prime_from_output``). Plain backpropagation
keeps all of them from the forward pass, m (n_0 + ... + n_(L-1)) floats, a number that grows
with the depth. With checkpoints every k layers the forward pass keeps only a^0, a^k, a^2k, ...
(and the inputs of the last segment, which the backward pass needs first); the backward pass
then goes back one segment of k layers at a time, recomputing that segment's inputs from its
checkpoint, and drops each input once it has been used. The gradient is the same, up to
rounding; the price is the recomputed layers, k - 1 per segment but the last.

Derived in chapter 10: the floats stored (10.10)-(10.11), the layers recomputed (10.12) and the
best k (10.13).
"""

from typing import NamedTuple

import numpy as np

from bp_lib import _validate


class CheckpointCounts(NamedTuple):
    """What :func:`backprop_checkpointed` stored and redid, counted, not timed."""

    peak_floats: (
        int  # the most floats of activations held for the backward pass at once
    )
    recomputed_layers: int  # layers whose forward step was done a second time
    extra_multiply_adds: int  # the multiply-adds of those steps' products w^l a^(l-1)


class _Store:
    """The activations kept for the backward pass, by layer, with the peak of their sizes."""

    def __init__(self):
        self.arrays, self.size, self.peak = {}, 0, 0

    def put(self, l, a):
        self.arrays[l] = a
        self.size += a.size
        self.peak = max(self.peak, self.size)

    def take(self, l):  # the last use of a^l: read it and drop it
        a = self.arrays.pop(l)
        self.size -= a.size
        return a


def backprop_checkpointed(net, X, Y, every):
    """``(nabla_w, nabla_b, counts)``: the gradient of ``net``'s cost averaged over the m columns
    of (X, Y), as ``Network.backprop`` gives it, with checkpoints every ``every`` layers, and
    the :class:`CheckpointCounts` of the pass. ``every`` >= the number of layers L is plain
    backpropagation (no recomputation, every input kept). Raises ``ValueError`` for a ``net`` that
    is not a :class:`bp_lib.Network`, a batch that does not fit it, or an ``every`` that is not a
    whole number >= 1."""
    X, Y = _validate.network("net", net).check_batch(X, Y)
    k = _validate.positive_int("every", every)
    w, b, L, m = net.weights, net.biases, len(net.weights), X.shape[1]
    f = net.activation
    last_start = (L - 1) // k * k  # the last segment is layers last_start + 1, ..., L
    store, recomputed, extra = _Store(), 0, 0
    store.put(0, X)
    a = X
    for l in range(1, L + 1):  # the book's layer l is list index l - 1
        z = w[l - 1] @ a + b[l - 1]
        a = net.cost.output.fn(z) if l == L else f.fn(z)
        if l < L and (
            l % k == 0 or l > last_start
        ):  # a checkpoint, or the last segment
            store.put(l, a)
    delta = net.cost.delta(z, a, Y)  # BP1
    nabla_w, nabla_b = [None] * L, [None] * L
    for start in range(last_start, -1, -k):  # segments from the output back
        end = min(start + k, L)
        if end < L:  # recompute the inputs a^(start+1), ..., a^(end-1) from a^start
            a = store.arrays[start]
            for l in range(start + 1, end):
                a = f.fn(w[l - 1] @ a + b[l - 1])
                store.put(l, a)
                recomputed, extra = recomputed + 1, extra + m * w[l - 1].size
        for l in range(end, start, -1):
            a_prev = store.take(l - 1)
            nabla_w[l - 1] = (delta / m) @ a_prev.T  # BP4
            nabla_b[l - 1] = delta.sum(axis=1, keepdims=True) / m  # BP3
            if l > 1:  # BP2, s'(z^(l-1)) from a^(l-1)
                delta = (w[l - 1].T @ delta) * f.prime_from_output(a_prev)
    return nabla_w, nabla_b, CheckpointCounts(store.peak, recomputed, extra)


def plain_floats(sizes, m):
    """m (n_0 + ... + n_(L-1)): the floats plain backpropagation keeps, the input of every layer
    for a batch of m, by (10.10). Raises ``ValueError`` for sizes that are not a list of layer
    widths or an ``m`` that is not a whole number >= 1."""
    sizes = _validate.layer_sizes(sizes)
    m = _validate.positive_int("m", m)
    return int(m * np.sum(sizes[:-1]))
