"""Gradient checking: backprop's gradient against central finite differences (chapter 6).

The numerical derivative of C with respect to one parameter theta is the central difference

    dC/dtheta ~ (C(theta + h) - C(theta - h)) / (2 h),

whose error shrinks like h^2 (``order=2``, the default). The five-point central difference

    dC/dtheta ~ (8 (C(theta + h) - C(theta - h)) - (C(theta + 2h) - C(theta - 2h))) / (12 h)

(``order=4``) has an error that shrinks like h^4, so it can use a larger h, and the rounding
error of C, which grows like eps |C| / h, matters less: what limits the check of a small
gradient. The agreement is measured by the relative error of CS231n's notes,
|g_a - g_n| / max(|g_a|, |g_n|), taken over a whole parameter array with the Euclidean norm so
that entries which happen to be zero or tiny do not dominate it. Rough reading, as in those
notes: below 1e-7 the gradient is right; around 1e-2 or above it is wrong.

Both formulas assume that C is smooth across the points they evaluate. ReLU is not: its slope
jumps from 0 to 1 at z = 0 ((3.3) of chapter 3), and across that kink a central difference is
not the derivative on either side ((relu(h) - relu(-h)) / (2 h) = 1/2, while backprop takes
relu'(0) = 0). So ``check_gradients`` sets aside every entry whose *stencil* (theta +- h, and
theta +- 2h for ``order=4``) reaches a kink: some step of it changes the sign of a weighted input
z^l_j of a ReLU layer, for some example of the batch, or moves it to or from 0. The signs are
read off the same forward passes that give the cost, so the check costs no extra pass per
parameter. For a network without ReLU (sigmoid, tanh) nothing is set aside and nothing extra is
computed.
"""

from typing import NamedTuple, Optional

import numpy as np

from bp_lib import _validate


def _same_shape(analytic, numeric):
    analytic = _validate.real_array("analytic", analytic).astype(np.float64, copy=False)
    numeric = _validate.real_array("numeric", numeric).astype(np.float64, copy=False)
    if analytic.shape != numeric.shape:
        raise ValueError(
            f"the two gradients must have the same shape; got {analytic.shape} and {numeric.shape}"
        )
    return analytic, numeric


def relative_error(analytic, numeric):
    """||g_a - g_n|| / max(||g_a||, ||g_n||) for two arrays of the same shape; 0 when both are 0."""
    analytic, numeric = _same_shape(analytic, numeric)
    scale = max(np.linalg.norm(analytic), np.linalg.norm(numeric))
    if scale == 0.0:
        return 0.0
    return float(np.linalg.norm(analytic - numeric) / scale)


def _stencil(evaluate, theta, h, order, reference=None):
    """Central differences of ``evaluate()[0]`` with respect to every entry of ``theta``, and a
    boolean array shaped like ``theta``: True where some point of that entry's stencil gives
    signs ``evaluate()[1]`` (a list of arrays) that differ from ``reference`` (with no
    ``reference``, never)."""
    h = _validate.positive_float("h", h)
    if order not in (2, 4):
        raise ValueError(
            f"order must be 2 or 4 (the central difference's error shrinks like h^order); got {order!r}"
        )
    steps = (h, -h) if order == 2 else (h, -h, 2 * h, -2 * h)
    grad = np.zeros_like(theta, dtype=np.float64)
    at_kink = np.zeros(theta.shape, dtype=bool)
    for index in np.ndindex(theta.shape):
        original = theta[index]
        values = []
        try:
            for step in steps:
                theta[index] = original + step
                value, signs = evaluate()
                values.append(value)
                if reference is not None and not at_kink[index]:
                    at_kink[index] = any(
                        np.any(s != r) for s, r in zip(signs, reference)
                    )
        finally:
            theta[index] = original
        first = values[0] - values[1]
        if order == 2:
            grad[index] = first / (2 * h)
        else:
            second = values[2] - values[3]
            grad[index] = (8 * first - second) / (12 * h)
    return grad, at_kink


def numerical_gradient(f, theta, h=1e-5, order=2):
    """Central differences of the scalar function ``f()`` with respect to every entry of the array
    ``theta``, which ``f`` reads; each entry is restored after it is perturbed. ``order`` is 2 for
    the three-point formula, 4 for the five-point one (see the module's docstring)."""
    return _stencil(lambda: (f(), None), theta, h, order)[0]


def module_gradient_errors(module, u, dv, parameters=(), reset=None):
    """Check one module's backward pass against central differences (chapters 8 and 11).

    The cost is C = sum(dv (.) module.forward(u)), whose dC/dv is exactly ``dv``; the module's
    ``backward(dv)`` gives dC/du and sets ``nabla_<name>`` for each name in ``parameters``
    (``"w"``, ``"b"``, ``"gamma"``, ...), each compared with central differences of C.
    ``reset()``, if given, runs before every forward pass (to draw a dropout mask afresh from
    the same seed). u: the module's input (n_in, m); dv: the shape of its output.

    Returns {"u": relative error of dC/du, name: relative error of dC/d<name>, ...}; the module
    is left holding the forward pass at u. Below about 1e-7 the backward pass is right.
    """
    dv = _validate.finite_array("dv", dv)

    def cost():
        if reset is not None:
            reset()
        return float(np.sum(dv * module.forward(u)))

    cost()
    analytic = {"u": module.backward(dv)}
    analytic |= {name: getattr(module, "nabla_" + name) for name in parameters}
    arrays = {"u": u} | {name: getattr(module, name) for name in parameters}
    numeric = {name: numerical_gradient(cost, array) for name, array in arrays.items()}
    cost()  # the module's cache at the unperturbed point again
    return {name: relative_error(analytic[name], numeric[name]) for name in arrays}


def _relu_layers(net):
    """List indices i (the book's layer i + 1) of the layers whose activation is ReLU."""
    last = len(net.weights) - 1
    return [
        i
        for i in range(last + 1)
        if (net.cost.output if i == last else net.activation).name == "relu"
    ]


def numerical_gradients(net, X, Y, h=1e-5, order=2, kinks=False):
    """Central-difference estimates ``(nabla_w, nabla_b)`` of the averaged cost of ``net`` on the
    batch (X, Y), for every weight and bias, shaped like ``net.backprop``'s result.

    With ``kinks=True`` the result is ``(nabla_w, nabla_b, kink_w, kink_b)``: ``kink_w[i]`` and
    ``kink_b[i]`` are boolean arrays shaped like ``weights[i]`` and ``biases[i]``, True for the
    entries whose stencil reaches a kink of ReLU (see the module's docstring); all False for a
    network without ReLU layers.
    """
    # each parameter is nudged in place: refuse, before any nudge, an array that cannot hold the
    # nudge exactly (read-only, integer, float32) rather than fail midway or round it away
    X, Y = net.check_batch(X, Y, for_training=True)
    relu = _relu_layers(net) if kinks else []
    if relu:

        def evaluate():  # one forward pass gives the cost and the signs of the ReLU layers' z^l
            zs, _ = net.forward(
                X, check_input=False
            )  # X and Y were checked once, above
            return net.cost.value(zs[-1], Y), [np.sign(zs[i]) for i in relu]

        reference = evaluate()[1]  # the signs of the unperturbed network
    else:
        evaluate = lambda: (net.cost_value(X, Y, check_input=False), None)  # noqa: E731  (reads the parameters being perturbed)
        reference = None
    nabla_w, kink_w = zip(
        *[_stencil(evaluate, w, h, order, reference) for w in net.weights]
    )
    nabla_b, kink_b = zip(
        *[_stencil(evaluate, b, h, order, reference) for b in net.biases]
    )
    if kinks:
        return list(nabla_w), list(nabla_b), list(kink_w), list(kink_b)
    return list(nabla_w), list(nabla_b)


class LayerCheck(NamedTuple):
    """The relative errors of one layer's gradients (layer counted as in the book, from 1), over
    the entries away from kinks; None for an array whose every entry is at a kink (not checked)."""

    layer: int
    weights: Optional[float]
    biases: Optional[float]


class KinkCheck(NamedTuple):
    """The entries of one layer set aside because their stencil reaches a kink of ReLU: how many
    weights and biases, and the relative error over them (None when there are none). For
    information only: across a kink the central difference measures no derivative."""

    layer: int
    weights: int
    biases: int
    weights_error: Optional[float]
    biases_error: Optional[float]


class GradientCheck(NamedTuple):
    """The result of :func:`check_gradients`.

    - ``layers``: one :class:`LayerCheck` per layer, the relative errors over the entries *away
      from kinks*. ``None`` in place of an error means that every entry of that array was set
      aside, so nothing of it was checked: neither a pass nor a failure.
    - ``max_error``: the largest of those errors, the number to compare with 1e-7 and 1e-2. It is
      NaN if a gradient holds a NaN (anywhere, kinks included) or if no entry at all was checked.
    - ``kinks``: one :class:`KinkCheck` per layer, what was set aside. Their relative errors are
      large for a correct backprop too (1.0 when z^l_j = 0 sits in the middle of the stencil:
      backprop takes relu'(0) = 0, the difference sees the slope 1/2), so read them as "these
      entries were not checked", never as a verdict. To check them, move the point off the kink
      (other data, another seed) or, if the kink is merely near, take a smaller h.
    - ``at_kink``: ``(kink_w, kink_b)``, boolean arrays shaped like the gradients, True for the
      entries set aside. All False, and everything as before, for a network without ReLU.

    Printing it gives a table; a column for the entries set aside appears when there are any.
    """

    layers: list
    max_error: float
    kinks: list
    at_kink: tuple

    def __str__(self):
        shown = lambda e: "all at a kink" if e is None else f"{e:.2e}"  # noqa: E731
        header = "layer   rel. error dC/dw   rel. error dC/db"
        if not any(k.weights or k.biases for k in self.kinks):
            rows = [
                f"{r.layer:>5}   {shown(r.weights):>16}   {shown(r.biases):>16}"
                for r in self.layers
            ]
            return "\n".join([header] + rows)
        aside = lambda n, e: f"{n}" + (f" ({e:.2e})" if n else "")  # noqa: E731
        rows = [header + "   at a kink: w, b (their rel. error)"]
        rows += [
            f"{r.layer:>5}   {shown(r.weights):>16}   {shown(r.biases):>16}   "
            f"w: {aside(k.weights, k.weights_error)}, b: {aside(k.biases, k.biases_error)}"
            for r, k in zip(self.layers, self.kinks)
        ]
        rows.append(
            "entries at a kink are left out of the errors and of max_error: across a kink of ReLU"
        )
        rows.append(
            "a central difference measures no derivative, so those entries are not checked"
        )
        return "\n".join(rows)


def _split_error(analytic, numeric, at_kink):
    """(relative error away from kinks, relative error at kinks) of one array; None for a part
    with no entries."""
    analytic, numeric = _same_shape(analytic, numeric)
    if not at_kink.any():
        return relative_error(
            analytic, numeric
        ), None  # the whole array, exactly as without kinks
    away = (
        None if at_kink.all() else relative_error(analytic[~at_kink], numeric[~at_kink])
    )
    return away, relative_error(analytic[at_kink], numeric[at_kink])


def check_gradients(net, X, Y, h=1e-5, backprop=None, order=2):
    """Compare ``net.backprop`` (or another ``backprop(X, Y)`` function) with central differences.

    Entries whose stencil reaches a kink of ReLU are set aside (see the module's docstring).
    Returns a :class:`GradientCheck` whose ``layers`` hold the relative error per layer over the
    other entries, whose ``max_error`` is the largest, and whose ``kinks`` and ``at_kink`` say what
    was set aside; printing it gives a table. Chapter 6 shows how to read it.
    """
    X, Y = net.check_batch(X, Y, for_training=True)  # see numerical_gradients
    analytic_w, analytic_b = (backprop or net.backprop)(X, Y)
    if len(analytic_w) != len(net.weights) or len(analytic_b) != len(net.biases):
        raise ValueError(
            f"backprop must return one gradient per layer, {len(net.weights)} for the weights and "
            f"{len(net.biases)} for the biases; got {len(analytic_w)} and {len(analytic_b)}"
        )
    numeric_w, numeric_b, kink_w, kink_b = numerical_gradients(
        net, X, Y, h, order, kinks=True
    )
    layers, kinks = [], []
    for i in range(len(numeric_w)):
        w_away, w_kink = _split_error(analytic_w[i], numeric_w[i], kink_w[i])
        b_away, b_kink = _split_error(analytic_b[i], numeric_b[i], kink_b[i])
        layers.append(LayerCheck(i + 1, w_away, b_away))
        kinks.append(
            KinkCheck(i + 1, int(kink_w[i].sum()), int(kink_b[i].sum()), w_kink, b_kink)
        )
    checked = [e for r in layers for e in (r.weights, r.biases) if e is not None]
    at_kinks = [
        e for k in kinks for e in (k.weights_error, k.biases_error) if e is not None
    ]
    if not checked or np.isnan(at_kinks).any():
        return GradientCheck(layers, float("nan"), kinks, (kink_w, kink_b))
    worst = float(np.max(checked))  # NaN, if any, propagates
    return GradientCheck(layers, worst, kinks, (kink_w, kink_b))
