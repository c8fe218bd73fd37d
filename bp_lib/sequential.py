"""A chain of modules ending in a loss: ``Sequential``, the network of chapter 8 as modules.

``Sequential(modules, loss)`` runs its modules' forward passes in turn, then the loss, and the
backward passes in reverse order (chapter 8). It checks the chain where it is built: a list of
modules (not losses), each taking the rows the one before gives, no module object twice (a
module caches one forward pass). The helpers that check a chain serve ``Residual`` blocks
(:mod:`bp_lib.layers`) too. ``bp_lib.modules.Sequential`` is this class.
"""

import numpy as np

from bp_lib.modules import (
    CrossEntropyLoss,
    Elementwise,
    Linear,
    Loss,
    Module,
    QuadraticLoss,
    SoftmaxCrossEntropyLoss,
)


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
        from bp_lib.layers import _check_mode, set_training  # chapter 11's modes

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
    from bp_lib.layers import Residual  # bp_lib.layers builds on this module

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
