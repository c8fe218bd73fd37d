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


class Sequential:
    """Modules applied in turn, then a loss: the network as a chain (chapter 8).

    ``modules``: a non-empty list of modules (``Linear``, ``Elementwise``, chapter 11's
    ``BatchNorm``, ``Dropout``, ``Residual``, ``TransposedLinear``), each object at most once, the
    blocks of ``Residual`` modules included; ``loss``: a ``Loss`` module.

    forward(x): x (n_0, m) -> the last module's output; ``loss(x, y)`` -> C; ``backward()`` ->
    dC/dx (n_0, m), after which every module with parameters holds their gradients (``nabla_w``,
    ``nabla_b``, ``nabla_gamma``, ...). For a chain whose only parameters are those of its Linear
    modules (a network of chapter 4), ``gradients(x, y)`` does both and returns ``(nabla_w,
    nabla_b)`` laid out as by ``Network.backprop``, and ``linears`` lists those modules, layer 1
    first; for any chain, ``bp_lib.layers.parameters(seq)`` lists every parameter. ``train()`` and
    ``eval()`` set the mode of every BatchNorm and Dropout (``bp_lib.layers.set_training``).
    ``trace`` lists the gradients of the last backward pass in the order they were computed.
    """

    def __init__(self, modules, loss):
        self.modules = _module_list("modules", modules, "Sequential([module], loss)")
        if not isinstance(loss, Loss):
            raise ValueError(
                f"loss must be a Loss module such as QuadraticLoss(); got {loss!r}"
            )
        _refuse_repeats(self.modules)
        _chain_width(self.modules, lambda i: f"module {i}")
        self.loss_module, self.trace, l = loss, [], 0
        for module in self.modules:
            l += isinstance(module, Linear)  # the book's l counts the Linear layers
            module.layer, module.trace = l, self.trace
        loss.layer, loss.trace = l, self.trace

    @classmethod
    def from_network(cls, net):
        """The modules of a ``Network``, sharing its weight and bias arrays (not copies). The
        network's parameters are checked first, so a bad one is named (``biases[0]``)."""
        net.check_parameters()
        modules = []
        for w, b in zip(net.weights, net.biases):
            modules += [Linear(w, b), Elementwise(net.activation)]
        modules.pop()  # the output layer's activation belongs to the cost
        if net.cost.name == "quadratic":
            return cls(modules + [Elementwise(net.cost.output)], QuadraticLoss())
        fused = {
            "cross_entropy": CrossEntropyLoss,
            "softmax_cross_entropy": SoftmaxCrossEntropyLoss,
        }
        return cls(modules, fused[net.cost.name]())

    def __repr__(self):
        return f"Sequential({self.modules!r}, loss={self.loss_module!r})"

    @property
    def linears(self):
        """The Linear modules, layer 1 first, if they hold every parameter of the chain."""
        return self._network_layout("linears")

    def _network_layout(self, what):
        others = [
            f"{module!r} at {path}"
            for path, module in _walk(self.modules)
            if _holds_parameters(module)
            and not (isinstance(module, Linear) and "." not in path)
        ]
        if others:
            raise ValueError(
                f"{what} lays the parameters out as Network.backprop does, one nabla_w and one "
                "nabla_b per Linear layer of the chain, but parameters are also held by "
                f"{', '.join(others)}; bp_lib.layers.parameters(model) lists every parameter as "
                "(module, name), its gradient getattr(module, 'nabla_' + name) after backward()"
            )
        return [m for m in self.modules if isinstance(m, Linear)]

    def train(self, mode=True):
        """Training mode for every BatchNorm and Dropout if ``mode`` (a bool), else evaluation
        mode (``bp_lib.layers.set_training``); returns self."""
        set_training(self, _check_mode("mode", mode))
        return self

    def eval(self):
        """Evaluation mode for every BatchNorm and Dropout; returns self."""
        return self.train(False)

    def forward(self, x):
        for module in self.modules:
            x = module.forward(x)
        return x

    def loss(self, x, y):
        return self.loss_module.forward(self.forward(x), y)

    def backward(self):
        self.trace.clear()
        grad = self.loss_module.backward()
        for module in reversed(self.modules):
            grad = module.backward(grad)
        return grad

    def gradients(self, x, y):
        linears = self._network_layout("gradients()")
        self.loss(x, y)
        self.backward()
        return [m.nabla_w for m in linears], [m.nabla_b for m in linears]


def _shape(a):
    try:
        return np.shape(a)
    except ValueError:  # a ragged list
        return ()


def _holds_parameters(module):  # as bp_lib.layers.parameters counts them
    return hasattr(module, "gamma") or hasattr(module, "w")


def _module_list(name, given, usage):
    """``given`` (a list or tuple of modules, not losses) as a list, else a ValueError."""
    expected = f"{name} must be a non-empty list of modules (not losses)"
    if isinstance(given, Module):
        raise ValueError(
            f"{expected}; got the single module {given!r}: put it in a list, {usage}"
        )
    if not isinstance(given, (list, tuple)) or not given:
        raise ValueError(f"{expected}; got {_describe(given)}")
    for i, module in enumerate(given):
        if isinstance(module, Loss):
            raise ValueError(
                f"{expected}; {name}[{i}] is the loss {module!r}, which only ends a "
                "Sequential, as its second argument"
            )
        if not isinstance(module, Module):
            raise ValueError(f"{expected}; {name}[{i}] is {_describe(module)}")
    return list(given)


def _describe(value):
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)} items"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    text = repr(value)
    return f"{text if len(text) <= 60 else text[:57] + '...'}, of type {type(value).__name__}"


def _walk(modules, where="modules"):
    """(path, module) for each module of the chain, the blocks of Residual modules included."""
    for i, module in enumerate(modules):
        yield f"{where}[{i}]", module
        if isinstance(module, Residual):
            yield from _walk(module.modules, f"{where}[{i}].modules")


def _refuse_repeats(modules, where="modules"):
    """A module caches one forward pass: refuse an object that appears twice in the chain."""
    seen = {}
    for path, module in _walk(modules, where):
        seen.setdefault(id(module), (module, []))[1].append(path)
    for module, paths in seen.values():
        if len(paths) > 1:
            at = ", ".join(paths[:-1]) + " and " + paths[-1]
            times = "twice" if len(paths) == 2 else f"{len(paths)} times"
            raise ValueError(
                f"the module {module!r} is used {times}, at {at}; a module keeps the "
                "cache of one forward pass, so a second use overwrites the first's and the "
                "gradients would be wrong. Give each use a module of its own; to share a weight, "
                "build two modules over the same float64 array (Linear(w, b1) and Linear(w, b2)) "
                "or a TransposedLinear(encoder, b) for w^T, and add their nabla_w (equation 8.12; "
                "chapter 11's tied weights)"
            )


def _chain_width(modules, label):
    """Check that each module takes the rows the modules before it give, and return (the rows
    the chain takes, the rows it gives), None where no module fixes them."""
    first = width = None
    for i, module in enumerate(modules):
        n_in, n_out = module._widths()
        if None not in (width, n_in) and n_in != width:
            raise ValueError(
                f"{label(i)}, {module!r}, expects {n_in} inputs but the modules before it "
                f"output {width}"
            )
        first = first if first is not None or width is not None else n_in
        width = n_out if n_out is not None else width
    return first, width


# chapter 11's modules live in bp_lib.layers, to keep this file to chapter 8's; re-exported here
from bp_lib.layers import (  # noqa: E402, F401
    BatchNorm,
    Dropout,
    Residual,
    TransposedLinear,
    _check_mode,
    set_training,
)
