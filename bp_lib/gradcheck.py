"""Gradient checking: backprop's gradient against central finite differences (chapter 6).

The numerical derivative of C with respect to one parameter theta is the central difference

    dC/dtheta ~ (C(theta + h) - C(theta - h)) / (2 h),

whose error shrinks like h^2 (``order=2``, the default). The five-point central difference

    dC/dtheta ~ (8 (C(theta + h) - C(theta - h)) - (C(theta + 2h) - C(theta - 2h))) / (12 h)

(``order=4``) has an error that shrinks like h^4, so it can use a larger h, and the rounding
error of C, which grows like eps |C| / h, matters less: what limits the check of a small gradient. The agreement is measured by the relative error of CS231n's notes,
|g_a - g_n| / max(|g_a|, |g_n|), taken over a whole parameter array with the Euclidean norm so
that entries which happen to be zero or tiny do not dominate it. Rough reading, as in those
notes: below 1e-7 the gradient is right; around 1e-2 or above it is wrong.
"""

from typing import NamedTuple

import numpy as np

from bp_lib import _validate


def relative_error(analytic, numeric):
    """||g_a - g_n|| / max(||g_a||, ||g_n||) for two arrays of the same shape; 0 when both are 0."""
    analytic = np.asarray(analytic, dtype=np.float64)
    numeric = np.asarray(numeric, dtype=np.float64)
    if analytic.shape != numeric.shape:
        raise ValueError(
            f"the two gradients must have the same shape; got {analytic.shape} and {numeric.shape}"
        )
    scale = max(np.linalg.norm(analytic), np.linalg.norm(numeric))
    if scale == 0.0:
        return 0.0
    return float(np.linalg.norm(analytic - numeric) / scale)


def numerical_gradient(f, theta, h=1e-5, order=2):
    """Central differences of the scalar function ``f()`` with respect to every entry of the array
    ``theta``, which ``f`` reads; each entry is restored after it is perturbed. ``order`` is 2 for
    the three-point formula, 4 for the five-point one (see the module's docstring)."""
    h = _validate.positive_float("h", h)
    if order not in (2, 4):
        raise ValueError(f"order must be 2 or 4 (the central difference's error shrinks like h^order); got {order!r}")

    def at(index, original, step):
        theta[index] = original + step
        return f()

    grad = np.zeros_like(theta, dtype=np.float64)
    for index in np.ndindex(theta.shape):
        original = theta[index]
        first = at(index, original, h) - at(index, original, -h)
        if order == 2:
            grad[index] = first / (2 * h)
        else:
            second = at(index, original, 2 * h) - at(index, original, -2 * h)
            grad[index] = (8 * first - second) / (12 * h)
        theta[index] = original
    return grad


def numerical_gradients(net, X, Y, h=1e-5, order=2):
    """Central-difference estimates ``(nabla_w, nabla_b)`` of the averaged cost of ``net`` on the
    batch (X, Y), for every weight and bias, shaped like ``net.backprop``'s result."""
    X, Y = net._check_batch(X, Y)
    cost = lambda: net._cost_value(X, Y)  # noqa: E731  (reads the parameters being perturbed)
    nabla_w = [numerical_gradient(cost, w, h, order) for w in net.weights]
    nabla_b = [numerical_gradient(cost, b, h, order) for b in net.biases]
    return nabla_w, nabla_b


class LayerCheck(NamedTuple):
    """The relative errors of one layer's gradients (layer counted as in the book, from 1)."""

    layer: int
    weights: float
    biases: float


class GradientCheck(NamedTuple):
    """The result of :func:`check_gradients`: one row per layer and the worst error."""

    layers: list
    max_error: float

    def __str__(self):
        rows = ["layer   rel. error dC/dw   rel. error dC/db"]
        rows += [f"{r.layer:>5}   {r.weights:>16.2e}   {r.biases:>16.2e}" for r in self.layers]
        return "\n".join(rows)


def check_gradients(net, X, Y, h=1e-5, backprop=None, order=2):
    """Compare ``net.backprop`` (or another ``backprop(X, Y)`` function) with central differences.

    Returns a :class:`GradientCheck` whose ``layers`` hold the relative error per layer and whose
    ``max_error`` is the largest; printing it gives a table.
    """
    X, Y = net._check_batch(X, Y)
    analytic_w, analytic_b = (backprop or net._backprop)(X, Y)
    numeric_w, numeric_b = numerical_gradients(net, X, Y, h, order)
    layers = [
        LayerCheck(i + 1, relative_error(aw, nw), relative_error(ab, nb))
        for i, (aw, nw, ab, nb) in enumerate(zip(analytic_w, numeric_w, analytic_b, numeric_b))
    ]
    worst = float(np.max([[r.weights, r.biases] for r in layers]))  # NaN, if any, propagates
    return GradientCheck(layers, worst)
