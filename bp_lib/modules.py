"""A network as a chain of modules, each a forward/backward pair (chapter 8).

Every module knows three things about itself and nothing about the rest of the network:
forward u -> v (keeping what backward needs); backward (u, v, dC/dv) -> dC/du, the chain rule
through this module alone; and, if it has weights, the weight gradient (u, dC/dv) -> dC/dw, dC/db.

Examples are columns: u is (n_in, m), v is (n_out, m), and every dC/dX has the shape of X. C is
the cost averaged over the m columns, so a loss module sends back 1/m times each example's
gradient: column x of dC/dz^l is delta^l_x / m (equation 8.8). A ``Sequential`` built from a
``Network`` shares its arrays and gives the gradients of ``Network.backprop``.

Modules cache one forward pass, so a module object may appear only once in a chain: a
``Sequential`` (or a ``Residual`` block) refuses a repeat. Two uses of one weight are two modules
over the same array, whose ``nabla_w`` add up (equation 8.12).

Chapter 11's modules, ``BatchNorm``, ``Dropout``, ``Residual`` and ``TransposedLinear``, live in
:mod:`bp_lib.layers` and are re-exported here.
"""

import numpy as np

from bp_lib import _validate
from bp_lib.activations import Activation, get_activation, sigmoid, softmax
from bp_lib.costs import CrossEntropyCost, SoftmaxCrossEntropyCost


class Module:
    """What every module shares: its layer number (for names) and the trace of backward steps."""

    layer = None  # the book's l, counted by the Linear modules of a Sequential
    trace = None  # a list shared by a Sequential: backward appends what it computes, in order
    _cache = None

    def __repr__(self):
        return f"{type(self).__name__}()"

    def _record(self, quantity, layer):  # e.g. "dC/dw^2": the gradient just computed
        if self.trace is not None:
            self.trace.append(
                f"dC/d{quantity}" + ("" if layer is None else f"^{layer}")
            )

    def _cached(self):
        if self._cache is None:
            raise ValueError(
                f"{self!r}.backward was called before forward; run forward first"
            )
        return self._cache

    def _check_input(self, u, rows=None):
        u = _validate.finite_array(f"the input of {self!r}", u)
        if u.ndim != 2 or u.shape[1] < 1 or rows not in (None, u.shape[0]):
            raise ValueError(
                f"{self!r} expects an input of shape ({rows or 'n'}, m), one example "
                f"per column; got shape {u.shape}"
            )
        return u

    def _check_parameter(self, name, shape):
        """Refuse a parameter (``self.w``, ``self.gamma``, ...) that is not a finite real numpy
        array of ``shape`` (a name such as "n_out" in it stands for any size): a reader may assign
        a parameter after construction, so forward checks them all before any arithmetic."""
        p, where = getattr(self, name), f"{self!r}.{name}"
        expected = "(" + ", ".join(map(str, shape)) + ")"
        if not isinstance(p, np.ndarray) or p.dtype.kind not in "iuf":
            kind = f"dtype {p.dtype}" if isinstance(p, np.ndarray) else type(p).__name__
            raise ValueError(
                f"{where} must be a numpy array of real numbers of shape {expected}; got {kind}"
            )
        if p.ndim != len(shape) or any(
            n != size for n, size in zip(p.shape, shape) if not isinstance(size, str)
        ):
            hint = ""
            if p.shape == shape[:1] and shape[1:] == (1,):
                hint = " (a column in this book: .reshape(-1, 1) turns a 1-D array into one)"
            raise ValueError(
                f"{where} must have shape {expected}; got shape {p.shape}{hint}"
            )
        _validate.finite_array(where, p)
        return p

    def _widths(self):
        """(rows it takes, rows it gives); None for a module that keeps the rows it is given."""
        return None, None

    def _check_upstream(self, dv, v):
        dv = _validate.finite_array(f"dC/dv given to {self!r}", dv)
        if dv.shape != v.shape:
            raise ValueError(
                f"{self!r}.backward got dC/dv of shape {dv.shape}, but forward returned v "
                f"of shape {v.shape}; a gradient has the shape of what it is taken with respect to"
            )
        return dv


class Linear(Module):
    """z = w a + b, the weighted input of one layer (chapter 4, equation 4.1).

    w: (n_out, n_in), b: (n_out, 1), held by reference when they are float64 numpy arrays (a
    list or a float32 array is copied to float64): a module built from a Network's arrays shares
    them, and two modules over the same float64 array share a weight. After backward,
    ``nabla_w`` (n_out, n_in) and ``nabla_b`` (n_out, 1) hold dC/dw and dC/db. Forward checks
    w and b first (finite real numpy arrays, b of shape (n_out, 1)), as a reader may assign them.

    forward(a):   a (n_in, m)       -> z (n_out, m)
    backward(dz): dC/dz (n_out, m)  -> dC/da (n_in, m)         (equations 8.1 and 8.2)
    """

    def __init__(self, w, b):
        w, b = _validate.finite_array("w", w), _validate.finite_array("b", b)
        if w.ndim != 2:
            raise ValueError(
                f"w must be a 2-D array of shape (n_out, n_in); got shape {w.shape}"
            )
        if b.shape != (w.shape[0], 1):
            raise ValueError(
                f"b must have shape ({w.shape[0]}, 1), one bias per row of w; got shape {b.shape}"
            )
        self.w, self.b, self.nabla_w, self.nabla_b = w, b, None, None

    def __repr__(self):
        shape = _shape(self.w)
        return f"Linear({shape[1]} -> {shape[0]})" if len(shape) == 2 else "Linear(?)"

    def _widths(self):
        return self.w.shape[1], self.w.shape[0]

    def forward(self, a):
        w = self._check_parameter("w", ("n_out", "n_in"))
        self._check_parameter("b", (w.shape[0], 1))
        a = self._check_input(a, self.w.shape[1])
        z = self.w @ a + self.b  # z^l = w^l a^(l-1) + b^l
        self._cache = (a, z)
        return z

    def backward(self, dz):
        a, z = self._cached()
        dz, l = self._check_upstream(dz, z), self.layer
        self.nabla_w = dz @ a.T  # dC/dw^l = dC/dz^l (a^(l-1))^T   (8.2, BP4)
        self._record("w", l)
        self.nabla_b = dz.sum(
            axis=1, keepdims=True
        )  # dC/db^l = dC/dz^l 1             (8.2, BP3)
        self._record("b", l)
        da = self.w.T @ dz  # dC/da^(l-1) = (w^l)^T dC/dz^l   (8.1)
        self._record("a", None if l is None else l - 1)
        return da


class Elementwise(Module):
    """a = s(z) entry by entry (chapter 3). Its Jacobian is diagonal, so backward is a Hadamard
    product with s'(z), taken at the weighted input z (equation 8.3).

    ``activation``: "sigmoid", "tanh", "relu", "identity" or an ``Activation``.
    forward(z):   z (n, m)      -> a (n, m)
    backward(da): dC/da (n, m)  -> dC/dz (n, m)
    """

    def __init__(self, activation):
        if isinstance(activation, str):
            activation = get_activation(activation)
        if not isinstance(activation, Activation) or activation.prime is None:
            name = getattr(activation, "name", activation)
            raise ValueError(
                f"Elementwise needs an elementwise activation such as 'sigmoid'; got "
                f"{name!r} (softmax is not elementwise: use SoftmaxCrossEntropyLoss)"
            )
        self.activation = activation

    def __repr__(self):
        return f"Elementwise({self.activation.name!r})"

    def forward(self, z):
        z = self._check_input(z)
        a = self.activation.fn(z)  # a^l = s(z^l)
        self._cache = (z, a)
        return a

    def backward(self, da):
        z, a = self._cached()
        dz = self._check_upstream(da, a) * self.activation.prime(
            z
        )  # dC/dz^l = dC/da^l (.) s'(z^l)  (8.3)
        self._record("z", self.layer)
        return dz


class Loss(Module):
    """A cost at the end of the chain: forward(v, y) -> C (a float), backward() -> dC/dv.

    v and y are (n_L, m). C is averaged over the m columns, hence the 1/m in every backward.
    """

    quantity = (
        "a"  # backward's gradient is with respect to a^L, or z^L for a fused loss
    )

    def forward(self, v, y):
        v, y = self._check_input(v), _validate.finite_array("y", y)
        if y.shape != v.shape:
            raise ValueError(
                f"y has shape {y.shape} but the output has shape {v.shape}; y needs one "
                "target column per example and one row per output neuron"
            )
        self._check_target(y)
        self._cache = (v, y)
        return self._value(v, y)

    def _check_target(self, y):
        """Any finite target is allowed."""

    def backward(self):
        v, y = self._cached()
        dv = self._gradient(v, y, v.shape[1])
        self._record(self.quantity, self.layer)
        return dv


class QuadraticLoss(Loss):
    """C = (1/m) sum_x 1/2 ||a_x - y_x||^2 of the output activations a; dC/da = (a - y)/m (8.4)."""

    def _value(self, a, y):
        return float(0.5 * np.sum((a - y) ** 2) / a.shape[1])

    def _gradient(self, a, y, m):
        return (a - y) / m  # dC/da^L = (a^L - y)/m           (8.4)


class CrossEntropyLoss(Loss):
    """Sigmoid outputs and the cross-entropy cost in one module, fed z^L (chapter 5):
    C = -(1/m) sum_x sum_j [y_j ln a_j + (1 - y_j) ln(1 - a_j)], a = s(z); dC/dz = (a - y)/m (8.5)."""

    quantity = "z"
    _check_target = staticmethod(CrossEntropyCost().check_target)
    _value = staticmethod(CrossEntropyCost().value)

    def _gradient(self, z, y, m):
        return (sigmoid(z) - y) / m  # dC/dz^L = (s(z^L) - y)/m        (8.5)


class SoftmaxCrossEntropyLoss(Loss):
    """Softmax outputs and the cross-entropy cost in one module, fed z^L (chapter 5):
    C = -(1/m) sum_x sum_i y_i ln q_i, q = softmax(z), y a probability vector (one-hot, smoothed
    or soft); dC/dz = (q - y)/m (8.6)."""

    quantity = "z"
    _check_target = staticmethod(SoftmaxCrossEntropyCost().check_target)
    _value = staticmethod(SoftmaxCrossEntropyCost().value)

    def _gradient(self, z, y, m):
        return (softmax(z) - y) / m  # dC/dz^L = (q - y)/m, as sum_i y_i = 1  (8.6)


def _shape(a):
    try:
        return np.shape(a)
    except ValueError:  # a ragged list
        return ()


# The chain (Sequential, chapter 8) lives in bp_lib.sequential and chapter 11's modules in
# bp_lib.layers, to keep this file to chapter 8's modules; both are re-exported here.
from bp_lib.layers import (  # noqa: E402, F401
    BatchNorm,
    Dropout,
    Residual,
    TransposedLinear,
    set_training,
)
from bp_lib.sequential import Sequential  # noqa: E402, F401
