"""Costs at the output layer: each knows its value and its own output error (BP1).

A cost pairs a formula for C with the activation of the output layer it is meant for, as in
Nielsen's ``network2.py``. Shapes: ``z``, ``a`` and ``y`` are ``(n_L, m)``, one column per example.

- ``value(z, y)``: the cost averaged over the m columns, C = (1/m) sum_x C_x, computed from the
  output layer's weighted input z so that no logarithm of 0 is ever taken.
- ``delta(z, a, y)``: the output error delta^L_x = dC_x/dz^L of each example x, one column per
  example (BP1). The gradient of the averaged cost divides by m once, in BP3 and BP4.

Derived in chapter 5 (and chapter 3 for the quadratic cost of a single neuron).
"""

import numpy as np

from bp_lib._validate import choice
from bp_lib.activations import ACTIVATIONS, Activation, softmax

_SIGMOID = ACTIVATIONS["sigmoid"]


class QuadraticCost:
    """C_x = 1/2 ||a - y||^2, with an elementwise output activation (sigmoid unless given).

    The factor 1/2 is the book's convention: it cancels the 2 of the derivative, so BP1 reads
    delta^L = (a - y) * s'(z^L). With C_x = ||a - y||^2 every gradient doubles (chapter 3).
    """

    name = "quadratic"

    def __init__(self, output=_SIGMOID):
        if not isinstance(output, Activation) or output.prime_from_output is None:
            raise ValueError(
                "output must be an elementwise Activation such as ACTIVATIONS['sigmoid']; "
                f"got {output!r}"
            )
        self.output = output

    def value(self, z, y):
        a = self.output.fn(z)
        return float(0.5 * np.sum((a - y) ** 2) / z.shape[-1])

    def delta(self, z, a, y):
        return (a - y) * self.output.prime_from_output(
            a
        )  # BP1: grad_a C (.) s'(z^L), s'(z^L) from a = s(z^L)

    def check_target(self, Y):
        """Any finite target is allowed."""

    def __repr__(self):
        return f"QuadraticCost(output={self.output.name!r})"


class CrossEntropyCost:
    """C_x = -sum_j [y_j ln a_j + (1 - y_j) ln(1 - a_j)] for sigmoid outputs a = s(z).

    With a sigmoid output the s'(z) of BP1 cancels and delta^L = a - y (chapter 5): a saturated
    output neuron that is wrong still learns fast. Targets must lie in [0, 1].
    """

    name = "cross_entropy"
    output = _SIGMOID

    def value(self, z, y):
        # ln a = -softplus(-z) and ln(1 - a) = -softplus(z), with softplus(t) = ln(1 + e^t)
        per_entry = y * np.logaddexp(0.0, -z) + (1.0 - y) * np.logaddexp(0.0, z)
        return float(np.sum(per_entry) / z.shape[-1])

    def delta(self, z, a, y):
        return a - y  # BP1, after s'(z) cancels against the cost's derivative

    def check_target(self, Y):
        if np.any((Y < 0) | (Y > 1)):
            raise ValueError(
                "the cross_entropy cost needs targets in [0, 1]; "
                f"Y has entries from {Y.min():g} to {Y.max():g}"
            )

    def __repr__(self):
        return "CrossEntropyCost()"


def _logsumexp_columns(z):
    """ln sum_i e^(z_i) down each column, as softmax computes it (chapter 5): with each column's
    largest entry t taken out first, t + ln sum_i e^(z_i - t), every exponent is <= 0 and the
    sum is at least 1, so nothing overflows and no logarithm of 0 is taken."""
    top = z.max(axis=0)
    return top + np.log(np.sum(np.exp(z - top), axis=0))


class SoftmaxCrossEntropyCost:
    """C_x = -sum_i y_i ln q_i with q = softmax(z) and a target y that is a probability vector.

    Computed as logsumexp(z) - y . z, so no exponential overflows and no logarithm of 0 is
    taken. Because sum_i y_i = 1, delta^L = q - y (chapter 5). The target need not be one-hot:
    any column of non-negative entries that sum to 1 will do (a smoothed label, a soft target
    from another model). The sum is checked to within ``SUM_TOLERANCE``: the exact gradient of C_x
    is (sum_i y_i) q - y, so a sum off by t moves each entry of q - y by at most t.
    """

    name = "softmax_cross_entropy"
    output = Activation(
        "softmax", softmax, None
    )  # not elementwise: see activations.softmax_jacobian
    SUM_TOLERANCE = 1e-6

    def value(self, z, y):
        # -sum_i y_i ln q_i = -sum_i y_i (z_i - logsumexp(z)) = logsumexp(z) - y . z when sum_i y_i = 1
        per_column = _logsumexp_columns(z) - np.sum(y * z, axis=0)
        return float(np.sum(per_column) / z.shape[-1])

    def delta(self, z, a, y):
        return a - y  # BP1 for softmax + cross-entropy; needs sum_i y_i = 1

    def check_target(self, Y):
        negative = np.any(Y < 0, axis=0)
        if np.any(negative):
            bad = int(np.flatnonzero(negative)[0])
            raise ValueError(
                "the softmax_cross_entropy cost needs each column of Y to be a probability vector "
                f"(entries >= 0 that sum to 1); column {bad} of Y has a negative entry: {Y[:, bad].tolist()}"
            )
        sums = Y.sum(axis=0)
        off = np.abs(sums - 1.0) > self.SUM_TOLERANCE
        if np.any(off):
            bad = int(np.flatnonzero(off)[0])
            raise ValueError(
                "the softmax_cross_entropy cost needs each column of Y to sum to 1 (to within "
                f"{self.SUM_TOLERANCE:g}), because delta^L = q - y uses sum_i y_i = 1; column {bad} of Y "
                f"sums to {sums[bad]:.12g}: {Y[:, bad].tolist()}"
            )

    def __repr__(self):
        return "SoftmaxCrossEntropyCost()"


COSTS = {
    "quadratic": QuadraticCost,
    "cross_entropy": CrossEntropyCost,
    "softmax_cross_entropy": SoftmaxCrossEntropyCost,
}


def get_cost(name, output_activation=None):
    """A cost object by name. ``output_activation`` (a name) only applies to the quadratic cost."""
    cls = COSTS[choice("cost", name, COSTS)]
    if output_activation is None:
        return cls()
    if cls is not QuadraticCost:
        raise ValueError(
            f"output_activation can only be chosen with the quadratic cost; the {name} cost "
            f"fixes its output layer to {cls.output.name}, got output_activation={output_activation!r}"
        )
    return QuadraticCost(
        ACTIVATIONS[choice("output_activation", output_activation, ACTIVATIONS)]
    )
