"""The slips each exercise of the book is known for, named in a sentence when a reader makes one.

:func:`bp_lib.exercises.check_function` and :func:`bp_lib.exercises.check` look an exercise up here
by its name ("4.1"), so a check cell, the grader's hidden cases and the reader all get the same
diagnosis. ``SLIPS[name]`` maps a sentence ("sigma'(a) instead of sigma'(z)") to a function of the
case's arguments that computes the wrong answer the slip gives; a slip most simply said in terms of
the right answer is wrapped in :func:`from_expected` and gets the expected value first. The generic
fingerprints (a factor 2, the batch size m, a sign, a transpose, a shape error, an overflow) need no
entry: the checker finds them for every exercise. ``tests/test_exercise_feedback.py`` plants each
slip below and asserts that its sentence is the message.
"""

import math

import numpy as np

from bp_lib.activations import relu, sigmoid, sigmoid_prime, softmax
from bp_lib.forward_mode import Dual
from bp_lib.gradcheck import check_gradients


class from_expected:  # noqa: N801  (used like a function, as a marker)
    """Marks a slip computed from the expected answer: ``function(expected, *args)``."""

    def __init__(self, function):
        self.function = function


def wrong_answer(slip, expected, args):
    """The answer ``slip`` gives on a case with arguments ``args`` and right answer ``expected``.

    A slip may have no finite answer on a case (a square root of a negative number); numpy's
    warnings about it are silenced, since the comparison then simply names nothing."""
    with np.errstate(all="ignore"):
        if isinstance(slip, from_expected):
            return slip.function(expected, *args)
        return slip(*args)


def _sigmoid_chain(x0, y, weights, slope_at_a=False, output_slope=True):
    """Exercise 2.4's gradient, with sigma'(a) for sigma'(z) or without the output's slope."""
    xs, zs = [x0], [None]
    for w in weights:
        zs.append(w * xs[-1])
        xs.append(sigmoid(zs[-1]))
    n = len(weights)
    delta = (xs[n] - y) * (
        sigmoid_prime(xs[n] if slope_at_a else zs[n]) if output_slope else 1.0
    )
    grads = np.zeros(n)
    for i in range(n - 1, -1, -1):
        grads[i] = delta * xs[i]
        if i > 0:
            delta = weights[i] * delta * sigmoid_prime(xs[i] if slope_at_a else zs[i])
    return grads


def _relu_chain(x, y, weights, biases, hidden_slope):
    """Exercise 3.4's gradients with ``hidden_slope`` in place of relu'."""
    n, a, zs = len(weights), [x], []
    for l in range(1, n + 1):
        zs.append(weights[l - 1] * a[-1] + biases[l - 1])
        a.append(sigmoid(zs[-1]) if l == n else relu(zs[-1]))
    deltas = [(a[n] - y) * sigmoid_prime(zs[n - 1])]
    for l in range(n - 1, 0, -1):
        deltas.insert(0, weights[l] * deltas[0] * hidden_slope(zs[l - 1]))
    return np.array([d * a[l] for l, d in enumerate(deltas)])


def _first_error(w, b, x, y, hidden_slope):
    """Exercise 7.2's delta^1 with ``hidden_slope(z, a)`` for the hidden layers' sigma'(z)."""
    a, zs = x, []
    for w_l, b_l in zip(w, b):
        zs.append(w_l * a + b_l)
        a = sigmoid(zs[-1])
    result = (a - y) * sigmoid_prime(zs[-1])
    for l in range(len(w) - 1):
        result *= w[l + 1] * hidden_slope(zs[l], sigmoid(zs[l]))
    return result


def _means_product(X, Y, weights):
    """Exercise 2.3 with the product of the batch means for the mean of the products."""
    xs = [np.asarray(X, dtype=float)[0]]
    for w in weights:
        xs.append(w * xs[-1])
    n = len(weights)
    deltas = [xs[n] - np.asarray(Y, dtype=float)[0]]
    for w in weights[:0:-1]:
        deltas.append(w * deltas[-1])
    return np.array([np.mean(deltas[n - 1 - i]) * np.mean(xs[i]) for i in range(n)])


def _fancy_add(labels, predictions, n_classes):
    """Exercise 6.3 with ``counts[labels, predictions] += 1``, which counts a repeated pair once."""
    counts = np.zeros((n_classes, n_classes), dtype=int)
    counts[np.asarray(labels), np.asarray(predictions)] += 1
    return counts


def _softplus(x):
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def _central_jacobian(f, z, h=1e-6):
    return np.column_stack(
        [(f(z + h * e) - f(z - h * e)) / (2 * h) for e in np.eye(z.shape[0])]
    )


def _check_error(net, X, Y, backprop):
    return check_gradients(net, X, Y, backprop=backprop).max_error


SLIPS = {
    "0.1": {
        "sigma'(a) instead of sigma'(z): the slope taken at sigma(z)": lambda z: (
            sigmoid_prime(sigmoid(z))
        ),
        "z (1 - z): the shortcut a (1 - a) wants a = sigma(z), not z": lambda z: (
            z * (1 - z)
        ),
    },
    "0.2": {
        "sigma'(z) = 1/10, not a tenth of sigma'(0) = 1/4": lambda: np.log(
            (1 + np.sqrt(0.6)) / (1 - np.sqrt(0.6))
        ),
        "sigma(z) at the threshold, not z itself": lambda: (1 + np.sqrt(0.9)) / 2,
    },
    "0.3": {
        "a reshape: W.reshape(n_out, n_in) reorders the entries; the book's w is W transposed": lambda W: (
            np.asarray(W).reshape(np.shape(W)[::-1])
        ),
    },
    "1.1": {
        "the step -grad itself, not its direction (its sign)": lambda g: -g,
        "a parameter whose gradient is 0 does not move: its direction is 0, not +-1": lambda g: (
            np.where(g > 0, -1.0, 1.0)
        ),
    },
    "1.2": {
        "the largest gradient, not the largest in size |grad|": lambda g: int(
            np.argmax(g)
        ),
        "the position counted from 1, not from 0": lambda g: (
            int(np.argmax(np.abs(g))) + 1
        ),
        "the smallest step, not the largest": lambda g: int(np.argmin(np.abs(g))),
    },
    "1.3": {
        "the weights only: each layer's n_out biases are missing": lambda s: sum(
            a * b for a, b in zip(s, s[1:])
        ),
        "a bias for the input layer too: it has none": lambda s: (
            sum(a * b for a, b in zip(s, s[1:])) + sum(s)
        ),
        "biases counted by a layer's inputs, not its outputs": lambda s: sum(
            a * b + a for a, b in zip(s, s[1:])
        ),
    },
    "1.4": {
        "2 / smallest eigenvalue: the largest curvature sets the limit": lambda xs: (
            2
            / np.linalg.eigvalsh(
                [[np.mean(np.square(xs)), np.mean(xs)], [np.mean(xs), 1.0]]
            ).min()
        ),
        "2 / mean(x^2): the curvature in w alone, without the bias": lambda xs: (
            2 / np.mean(np.square(xs))
        ),
    },
    "2.1": {
        "x_0 is left out: the chain starts at x_0": from_expected(
            lambda expected, x0, ws: expected[1:]
        ),
        "w + x instead of w x: each link multiplies": lambda x0, ws: np.cumsum(
            [x0, *ws]
        ),
        "only x_n, not the whole chain [x_0, ..., x_n]": from_expected(
            lambda expected, x0, ws: expected[-1]
        ),
    },
    "2.2": {
        "one delta too many: the first weight w_01 feeds no delta": from_expected(
            lambda expected, x0, y, ws: np.append(expected, ws[0] * expected[-1])
        ),
        "the deltas in reverse order: delta_0 = x_n - y comes first": from_expected(
            lambda expected, x0, y, ws: expected[::-1]
        ),
    },
    "2.3": {
        "the product of the means, not the mean of the products delta x": _means_product,
    },
    "2.4": {
        "sigma'(a) instead of sigma'(z)": lambda x0, y, ws: _sigmoid_chain(
            x0, y, ws, slope_at_a=True
        ),
        "sigma'(z_n) is missing at the output node": lambda x0, y, ws: _sigmoid_chain(
            x0, y, ws, output_slope=False
        ),
    },
    "3.1": {
        "1 - tanh(a)^2: a is already tanh(z)": lambda a: 1 - np.tanh(a) ** 2,
        "a (1 - a), the sigmoid's shortcut, not tanh's 1 - a^2": lambda a: a * (1 - a),
        "1 - a: the square is missing": lambda a: 1 - a,
    },
    "3.2": {
        "[dC0/db, dC0/dw]: the two in the wrong order": from_expected(
            lambda expected, x, w, b, y: expected[::-1]
        ),
    },
    "3.3": {
        "tanh(z) = 1 - fraction: the square root is missing": from_expected(
            lambda expected, act, f: np.arctanh(1 - f) if act == "tanh" else expected
        ),
        "slope = fraction, not fraction times the peak slope 1/4": from_expected(
            lambda expected, act, f: (
                np.log((1 + np.sqrt(1 - 4 * f)) / (1 - np.sqrt(1 - 4 * f)))
                if act == "sigmoid"
                else expected
            )
        ),
    },
    "3.4": {
        "relu(z) in place of relu'(z) in the hidden layers": lambda x, y, w, b: (
            _relu_chain(x, y, w, b, relu)
        ),
        "sigma'(z) in the ReLU hidden layers": lambda x, y, w, b: _relu_chain(
            x, y, w, b, sigmoid_prime
        ),
    },
    "4.1": {
        "sigma'(z^L) is missing: (a - y) alone is the cross-entropy's error": lambda z, y: (
            sigmoid(z) - y
        ),
        "sigma'(a) instead of sigma'(z)": lambda z, y: (
            (sigmoid(z) - y) * sigmoid_prime(sigmoid(z))
        ),
    },
    "4.2": {
        "sigma'(a) instead of sigma'(z)": lambda w, d, z: (
            (w.T @ d) * sigmoid_prime(sigmoid(z))
        ),
    },
    "4.4": {
        "(q - y) alone: that is the softmax cross-entropy's error, "
        "the quadratic cost keeps the Jacobian": lambda z, y: softmax(z) - y,
        "only the k = j term of the sum (slip 3 of chapter 9): softmax's Jacobian is not diagonal": lambda z, y: (
            (softmax(z) - y) * softmax(z) * (1 - softmax(z))
        ),
    },
    "5.1": {
        "sigma'(z), not 1 / sigma'(z): the ratio is upside down": lambda z: (
            sigmoid_prime(z)
        ),
        "1 / sigma(z): the slope is sigma (1 - sigma)": lambda z: 1 / sigmoid(z),
    },
    "5.2": {
        "ln q summed over every class: each ln q_i is weighted by y_i": lambda q, y: (
            float(-np.sum(np.log(q)))
        ),
        "the two-class cross-entropy, -sum y ln q + (1 - y) ln(1 - q)": lambda q, y: (
            float(-np.sum(y * np.log(q) + (1 - y) * np.log(1 - q)))
        ),
    },
    "5.3": {
        "q - y: that holds only when the targets add up to 1": lambda z, y: (
            softmax(z) - y
        ),
    },
    "5.4": {
        "the shift c is not added back: ln sum e^(z - c) + c": lambda z: float(
            np.log(np.sum(np.exp(z - np.max(z))))
        ),
    },
    "5.5": {
        "diag(q) alone: the - q q^T term is missing": lambda z: np.diag(softmax(z)),
    },
    "6.1": {
        "a forward difference (f(theta + h) - f(theta)) / h, not the central one": lambda f, t, h: (
            (f(t + h) - f(t)) / h
        ),
    },
    "6.2": {
        "the decay without eta: (1 - lambda / n) w": lambda w, g, eta, lam, n: (
            (1 - lam / n) * w - eta * g
        ),
        "+ eta grad: a step up the gradient": lambda w, g, eta, lam, n: (
            (1 - eta * lam / n) * w + eta * g
        ),
        "eta lambda without the 1/n": lambda w, g, eta, lam, n: (
            (1 - eta * lam) * w - eta * g
        ),
    },
    "6.3": {
        "counts[labels, predictions] += 1 counts a repeated pair once: use np.add.at": _fancy_add,
        "n_classes ignored: the matrix is as large as the labels seen": lambda t, p, k: (
            _fancy_add_all(t, p, max(np.max(t), np.max(p)) + 1)
        ),
    },
    "6.4": {
        "m // batch_size drops the last, smaller batch": lambda m, b, e: e * (m // b),
        "m / batch_size is not a whole number of batches": lambda m, b, e: e * m / b,
        "one update per example, not per mini-batch": lambda m, b, e: e * m,
    },
    "7.1": {
        "rows whose sum is 0: entries of opposite signs cancel": lambda X: (
            np.flatnonzero(X.sum(axis=1) == 0)
        ),
        "columns, not rows: a pixel is a row of X": lambda X: np.flatnonzero(
            np.all(X == 0, axis=0)
        ),
        "a mask of True and False, not the indices": lambda X: np.all(X == 0, axis=1),
    },
    "7.2": {
        "the hidden layers' sigma'(z) left out: only the weights multiply": lambda w, b, x, y: (
            _first_error(w, b, x, y, lambda z, a: 1.0)
        ),
        "sigma'(a) instead of sigma'(z)": lambda w, b, x, y: _first_error(
            w, b, x, y, lambda z, a: sigmoid_prime(a)
        ),
    },
    "7.3": {
        "a count, not a fraction": lambda Z: float(np.sum(sigmoid_prime(Z) < 1 / 40)),
        "the fraction that is not saturated": lambda Z: float(
            np.mean(sigmoid_prime(Z) >= 1 / 40)
        ),
        "sigma'(z) < 1/10: a tenth of sigma'(0) = 1/4 is 1/40": lambda Z: float(
            np.mean(sigmoid_prime(Z) < 1 / 10)
        ),
    },
    "8.3": {
        "sigma'(a): a is already sigma(z)": lambda a, da: da * sigmoid_prime(a),
        "the upstream gradient da is not multiplied in": lambda a, da: a * (1 - a),
    },
    "8.4": {
        "softplus(v) as its own local derivative: the slope of ln(1 + e^v) is sigma(v)": lambda u0: [
            _softplus(u0),
            _softplus(u0),
        ],
        "sigma(-v) as the local derivative: the slope is sigma(v)": lambda u0: [
            _softplus(u0),
            float(sigmoid(-u0)),
        ],
    },
    "9.1": {
        "the candidate the gradient check accepts (the smaller relative error), "
        "not the one it rejects": lambda net, X, Y, a, b: (
            "a" if _check_error(net, X, Y, a) < _check_error(net, X, Y, b) else "b"
        ),
    },
    "9.2": {
        "True and False swapped: True means the Jacobian is diagonal": from_expected(
            lambda expected, f, z: not expected
        ),
        "symmetric is not diagonal: softmax's Jacobian is symmetric and full": lambda f, z: (
            bool(np.allclose(_central_jacobian(f, z), _central_jacobian(f, z).T))
        ),
    },
    "9.3": {
        "numeric over backprop: the factor is inverted": from_expected(
            lambda expected, *args: 1 / expected
        ),
        "a ratio of norms loses the sign of c": from_expected(
            lambda expected, *args: abs(expected)
        ),
        "net.backprop, not the backprop it was given": lambda net, X, Y, backprop: 1.0,
    },
    "9.4": {
        "max(c, 1) where max(|c|, 1) belongs: a negative c": lambda c: (
            abs(c - 1) / max(c, 1)
        ),
        "|c - 1| not divided by max(|c|, 1)": lambda c: abs(c - 1),
        "divided by |c| alone, not max(|c|, 1)": lambda c: abs(c - 1) / abs(c),
    },
    "10.1": {
        "one pass with every tangent 1: the derivative along (1, ..., 1), the sum of "
        "the partial derivatives": lambda f, theta: np.full(
            len(theta), f([Dual(float(x), 1.0) for x in theta]).tangent
        ),
        "the value f(theta) read for each partial derivative, not the tangent": lambda f, theta: (
            np.full(len(theta), f([Dual(float(x)) for x in theta]).data)
        ),
        "every input but theta_i seeded with 1: the sum of the other partial derivatives": lambda f, theta: (
            np.array([_seeded_all_but(f, theta, i) for i in range(len(theta))])
        ),
    },
    "10.2": {
        "w^T u: the transpose belongs to the VJP, not the JVP": lambda w, b, x, u: (
            sigmoid_prime(w @ x + b) * (w.T @ u)
        ),
        "sigma(z) for sigma'(z): the activation, not its slope": lambda w, b, x, u: (
            sigmoid(w @ x + b) * (w @ u)
        ),
        "sigma'(a) instead of sigma'(z)": lambda w, b, x, u: (
            sigmoid_prime(sigmoid(w @ x + b)) * (w @ u)
        ),
        "the slope left out: w u alone": lambda w, b, x, u: w @ u,
    },
    "10.3": {
        "w for w^T: the gradient of the input needs the transpose": lambda w, b, x, v: (
            w @ (sigmoid_prime(w @ x + b) * v)
        ),
        "the slope applied after the transpose, sigma'(z) (.) (w^T v)": lambda w, b, x, v: (
            sigmoid_prime(w @ x + b) * (w.T @ v)
        ),
        "sigma'(a) instead of sigma'(z)": lambda w, b, x, v: (
            w.T @ (sigmoid_prime(sigmoid(w @ x + b)) * v)
        ),
        "the slope left out: w^T v alone": lambda w, b, x, v: w.T @ v,
    },
    "10.4": {
        "L // k segments: a shorter last segment is not counted when k does not divide L": lambda L, k: (
            (L // k - 1) * (k - 1)
        ),
        "the last segment recomputed too: its inputs are kept from the forward pass": lambda L, k: (
            math.ceil(L / k) * (k - 1)
        ),
        "k layers recomputed per segment, not k - 1: the checkpoint is stored": lambda L, k: (
            (math.ceil(L / k) - 1) * k
        ),
        "L/k - 1 segments with L/k not rounded up: a fraction of a segment": lambda L, k: (
            (L / k - 1) * (k - 1)
        ),
    },
    "11.1": {
        "(gamma / s) dv alone: the batch's mean and spread held constant, as in "
        "evaluation mode": lambda dv, u_hat, gamma, s: gamma / s * dv,
        "the path through s_B, u_hat mean(dv u_hat), is missing": lambda dv, u_hat, gamma, s: (
            gamma / s * (dv - _row_mean(dv))
        ),
        "the path through mu_B, mean(dv), is missing": lambda dv, u_hat, gamma, s: (
            gamma / s * (dv - u_hat * _row_mean(dv * u_hat))
        ),
        "sums over the batch where (11.3) has means: the 1/m is missing": lambda dv, u_hat, gamma, s: (
            gamma
            / s
            * (
                dv
                - dv.sum(axis=1, keepdims=True)
                - u_hat * (dv * u_hat).sum(axis=1, keepdims=True)
            )
        ),
        "means down each column (axis 0), not along each row over the batch (axis 1)": lambda dv, u_hat, gamma, s: (
            gamma
            / s
            * (
                dv
                - dv.mean(axis=0, keepdims=True)
                - u_hat * (dv * u_hat).mean(axis=0, keepdims=True)
            )
        ),
    },
    "11.2": {
        "the 1/(1 - p) scale is missing: the forward pass scaled the kept entries up": lambda dv, mask, p: (
            dv * mask
        ),
        "scaled by 1/p, p the probability of dropping, not by 1/(1 - p)": lambda dv, mask, p: (
            dv * mask * (1 / float(p))
        ),
        "multiplied by 1 - p, not divided by it": lambda dv, mask, p: (
            dv * mask * (1 - p)
        ),
        "the mask is not applied: a dropped entry sent nothing forward and gets no gradient": lambda dv, mask, p: (
            dv / (1 - p)
        ),
    },
    "11.3": {
        "the identity path is missing: dC/du = dC/dv + the block's backward": lambda w, b, u, dv: (
            w.T @ (dv * (1 - np.tanh(w @ u + b) ** 2))
        ),
        "the block's path is missing: dC/dv alone is the identity's share": lambda w, b, u, dv: (
            dv
        ),
        "tanh'(u) where the slope belongs at the block's weighted input w u + b": lambda w, b, u, dv: (
            dv + w.T @ (dv * (1 - np.tanh(u) ** 2))
        ),
        "w where w^T belongs in the block's backward (8.1)": lambda w, b, u, dv: (
            dv + w @ (dv * (1 - np.tanh(w @ u + b) ** 2))
        ),
    },
    "11.4": {
        "the encoder's use alone, delta^1 x^T / m: the decoder uses w too": lambda w, x: (
            _tied_uses(w, x)[0]
        ),
        "the decoder's use alone, a^1 (delta^2)^T / m: the encoder uses w too": lambda w, x: (
            _tied_uses(w, x)[1]
        ),
        "sigma'(a^1) instead of sigma'(z^1) in delta^1": lambda w, x: sum(
            _tied_uses(w, x, slope_at_a=True)
        ),
    },
}


def _seeded_all_but(f, theta, i):
    """Exercise 10.1's pass i with the seeds swapped: every input but theta_i has tangent 1."""
    return f(
        [Dual(float(x), 0.0 if j == i else 1.0) for j, x in enumerate(theta)]
    ).tangent


def _fancy_add_all(labels, predictions, n_classes):
    """Exercise 6.3's counts (np.add.at) in a matrix of the given size."""
    counts = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(counts, (np.asarray(labels), np.asarray(predictions)), 1)
    return counts


def _row_mean(a):
    """Exercise 11.1's mean along each row, over the batch."""
    return a.mean(axis=1, keepdims=True)


def _tied_uses(w, x, slope_at_a=False):
    """Exercise 11.4's two uses of w, (delta^1 x^T / m, a^1 (delta^2)^T / m), the first with
    sigma'(a^1) for sigma'(z^1) if ``slope_at_a``."""
    z1 = w @ x
    a1 = sigmoid(z1)
    delta2 = w.T @ a1 - x
    delta1 = (w @ delta2) * sigmoid_prime(a1 if slope_at_a else z1)
    m = x.shape[1]
    return delta1 @ x.T / m, a1 @ delta2.T / m
