"""More modules, each a forward/backward pair like those of :mod:`bp_lib.modules` (chapter 11).

- ``BatchNorm``: each row (neuron) normalised over the batch's columns, then scaled and shifted.
- ``Dropout``: inverted dropout, each unit kept with probability 1 - p and scaled by 1/(1 - p).
- ``Residual``: v = u + block(u), the block a list of modules.
- ``TransposedLinear``: v = w^T u + b with another module's w, for tied weights:
  ``TransposedLinear(encoder, b)`` with the ``Linear`` itself, or with its float64 array.
- ``parameters(model)``: every ``(module, name)`` of a chain; ``set_training(model, training)``:
  training or evaluation mode for all its BatchNorm and Dropout modules (``model.train()`` and
  ``model.eval()`` on a ``Sequential``).

A module object appears at most once in a chain (a ``Sequential`` or a ``Residual`` block): it
caches one forward pass. Parameters assigned by hand are checked by the next forward pass.

Examples are columns, as everywhere in the book: u is (n, m) and every dC/dX has the shape of X.
``bp_lib.modules`` re-exports these classes, so ``bp_lib.modules.BatchNorm`` is this one.
"""

import numbers

import numpy as np

from bp_lib import _validate
from bp_lib.modules import Linear, Module
from bp_lib.sequential import (
    Sequential,
    _chain_width,
    _describe,
    _module_list,
    _refuse_repeats,
    _walk,
)


def _check_mode(name, mode):
    if not isinstance(mode, (bool, np.bool_)):
        raise ValueError(
            f"{name} must be True (training mode) or False (evaluation mode); got {mode!r}"
        )
    return bool(mode)


class _TrainingMode:
    """``train()`` and ``eval()``, as in PyTorch, for the modules that act differently while
    training: ``BatchNorm`` (batch statistics, or the running ones) and ``Dropout`` (a random
    mask, or the identity)."""

    training = True

    def train(self, mode=True):
        """Training mode if ``mode`` (a bool), else evaluation mode; returns self."""
        self.training = _check_mode("mode", mode)
        return self

    def eval(self):
        """Evaluation mode; returns self."""
        return self.train(False)


class BatchNorm(_TrainingMode, Module):
    """Batch normalisation. Derived in chapter 11, equations 11.1 to 11.4.

    For each row (neuron) of the batch u (n, m), over its m columns: mu_B, the row's mean;
    s_B = sqrt(its variance, divided by m, + eps), the book's name for what other notes call
    sigma_B (sigma is the activation here); u_hat = (u - mu_B) / s_B; and v = gamma (.) u_hat + beta,
    with gamma and beta of shape (n, 1), initialised to ones and zeros. After backward,
    ``nabla_gamma`` and ``nabla_beta`` (n, 1) hold dC/dgamma and dC/dbeta.

    forward(u):   u (n, m)      -> v (n, m)
    backward(dv): dC/dv (n, m)  -> dC/du (n, m) = (gamma / s_B) (dv - mean(dv) - u_hat mean(dv u_hat)),
                  the means along each row

    Training mode (the default, ``train()``) needs m >= 2 columns: a batch of one has no variance
    (its u_hat would be 0 whatever u is), so it is refused with a ValueError. ``eval()`` switches
    to the running statistics, updated by every training forward pass as in PyTorch
    (``momentum`` 0.1, the running variance unbiased, divided by m - 1); there mu_B and s_B are
    constants, so backward is (gamma / s_B) (.) dv and any m works.

    Every forward pass first checks gamma, beta, running_mean and running_var (each a finite real
    numpy array of shape (n, 1), running_var >= 0), eps and momentum, so a parameter assigned by
    hand (``bn.gamma = np.ones(3)``) is refused with a ValueError before any arithmetic and before
    the running statistics change.
    """

    def __init__(self, n, eps=1e-5, momentum=0.1):
        self.n = _validate.positive_int("n", n)
        self.eps, self.momentum = _check_eps_momentum(eps, momentum)
        self.gamma, self.beta = np.ones((self.n, 1)), np.zeros((self.n, 1))
        self.running_mean, self.running_var = (
            np.zeros((self.n, 1)),
            np.ones((self.n, 1)),
        )
        self.nabla_gamma = self.nabla_beta = None
        self.training = True

    def __repr__(self):
        return f"BatchNorm({self.n})"

    def _widths(self):
        return self.n, self.n

    def forward(self, u):
        for name in ("gamma", "beta", "running_mean", "running_var"):
            self._check_parameter(name, (self.n, 1))
        if np.any(self.running_var < 0):
            raise ValueError(
                f"{self!r}.running_var must be >= 0, a variance; it has "
                f"{np.count_nonzero(self.running_var < 0)} negative entries"
            )
        _check_eps_momentum(self.eps, self.momentum, prefix=f"{self!r}.")
        u = self._check_input(u, self.n)
        m = u.shape[1]
        if self.training:
            if m < 2:
                raise ValueError(
                    f"{self!r} in training mode needs a batch of at least 2 columns to measure "
                    f"a variance; got shape {u.shape}. Call .eval() to use the running statistics"
                )
            mu = u.mean(axis=1, keepdims=True)  # mu_B, one per row
            var = ((u - mu) ** 2).mean(axis=1, keepdims=True)  # divided by m
            k = self.momentum
            self.running_mean = (1 - k) * self.running_mean + k * mu
            self.running_var = (1 - k) * self.running_var + k * var * m / (m - 1)
        else:
            mu, var = self.running_mean, self.running_var
        s = np.sqrt(var + self.eps)  # s_B = sqrt(variance + eps)
        u_hat = (u - mu) / s  # u_hat = (u - mu_B) / s_B
        v = self.gamma * u_hat + self.beta  # v = gamma u_hat + beta
        self._cache = (u_hat, s, v, self.training)
        return v

    def backward(self, dv):
        u_hat, s, v, batch_statistics = self._cached()
        dv = self._check_upstream(dv, v)
        self.nabla_gamma = (dv * u_hat).sum(axis=1, keepdims=True)  # (11.1)
        self.nabla_beta = dv.sum(axis=1, keepdims=True)  # (11.2)
        if not batch_statistics:  # mu_B and s_B are constants
            return self.gamma / s * dv
        mean_dv = dv.mean(axis=1, keepdims=True)
        mean_dv_u_hat = (dv * u_hat).mean(axis=1, keepdims=True)
        return self.gamma / s * (dv - mean_dv - u_hat * mean_dv_u_hat)  # (11.3)


def _check_eps_momentum(eps, momentum, prefix=""):
    eps = _validate.positive_float(prefix + "eps", eps)
    momentum = _validate.positive_float(prefix + "momentum", momentum)
    if momentum > 1:
        raise ValueError(f"{prefix}momentum must be in (0, 1]; got {momentum}")
    return eps, momentum


class Dropout(_TrainingMode, Module):
    """Inverted dropout. Derived in chapter 11, equations 11.5 and 11.6.

    In training mode (the default, ``train()``) each entry of u is kept with probability 1 - p and
    scaled by 1/(1 - p), or set to 0: v = u (.) mask / (1 - p), the mask drawn afresh by each
    forward pass from the generator seeded with ``seed`` (None for fresh randomness, or a whole
    number >= 0) and kept in ``mask`` (booleans, (n, m)).
    Then E[v] = u, so ``eval()`` mode passes u through unchanged. Every forward pass checks p
    first, in case it was assigned by hand.

    forward(u):   u (n, m)      -> v (n, m)
    backward(dv): dC/dv (n, m)  -> dC/du = dv (.) mask / (1 - p), with the forward pass's mask
    """

    def __init__(self, p, seed=None):
        self.p, self.mask, self.training = _check_p(p), None, True
        if seed is not None and (
            isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0
        ):
            raise ValueError(
                f"seed must be None (fresh randomness) or a whole number >= 0 that fixes the "
                f"masks; got {seed!r}"
            )
        self.rng = np.random.default_rng(seed)

    def __repr__(self):
        p = self.p
        return f"Dropout({p:g})" if isinstance(p, numbers.Real) else f"Dropout({p!r})"

    def forward(self, u):
        _check_p(self.p, f"{self!r}.p")
        u = self._check_input(u)
        if not self.training:
            self.mask = None
            self._cache = (u, None)
            return u
        self.mask = self.rng.random(u.shape) < 1 - self.p  # kept with probability 1 - p
        v = u * self.mask / (1 - self.p)
        self._cache = (v, self.mask)
        return v

    def backward(self, dv):
        v, mask = self._cached()
        dv = self._check_upstream(dv, v)
        if mask is None:  # evaluation mode: the identity
            return dv
        return dv * mask / (1 - self.p)  # (11.5)


def _check_p(p, name="p"):
    if isinstance(p, bool) or not isinstance(p, numbers.Real) or not 0 <= p < 1:
        raise ValueError(
            f"{name}, the probability of dropping a unit, must be a number in [0, 1); got {p!r}"
        )
    return float(p)


class Residual(Module):
    """v = u + F(u), F the block: ``modules`` applied in turn. Derived in chapter 11, (11.7).

    The block must keep the shape of u. Its backward adds the two paths, the identity and the
    block, by the fan-out rule (8.11): dC/du = dC/dv + (the block's backward of dC/dv). Each of the
    block's modules keeps its own gradients (``nabla_w``, ``nabla_gamma``, ...). ``modules`` is a
    non-empty list of modules, each object at most once (nested blocks included): a module caches
    one forward pass.

    forward(u):   u (n, m)      -> v (n, m)
    backward(dv): dC/dv (n, m)  -> dC/du (n, m)
    """

    def __init__(self, modules):
        self.modules = _module_list(
            "the block of a Residual", modules, "Residual([module])"
        )
        _refuse_repeats(self.modules)
        n_in, n_out = _chain_width(self.modules, lambda i: f"module {i} of the block")
        if n_in != n_out:
            raise ValueError(
                f"the block of {self!r} maps {n_in} rows to {n_out}; a residual connection "
                "adds the block's output to its input, so the block must keep the shape"
            )

    def __repr__(self):
        return f"Residual({self.modules!r})"

    def _widths(self):
        n = _chain_width(self.modules, lambda i: f"module {i} of the block")[0]
        return n, n

    def forward(self, u):
        u = self._check_input(u)
        h = u
        for module in self.modules:
            h = module.forward(h)
        if h.shape != u.shape:
            raise ValueError(
                f"the block of {self!r} maps shape {u.shape} to {h.shape}; a residual "
                "connection adds the block's output to its input, so the block must keep the shape"
            )
        v = u + h  # v = u + F(u)
        self._cache = (v,)
        return v

    def backward(self, dv):
        (v,) = self._cached()
        dv = self._check_upstream(dv, v)
        grad = dv
        for module in reversed(self.modules):
            grad = module.backward(grad)  # the path through the block
        return dv + grad  # (11.7): the identity path plus the block's, by (8.11)


class TransposedLinear(Module):
    """v = w^T u + b, with w held by reference: tied weights. Derived in chapter 11, (11.9).

    ``TransposedLinear(encoder, b)``, given the ``Linear`` module itself, uses ``encoder.w``, the
    very array the encoder computes with and training updates; ``TransposedLinear(w, b)``, given
    an array, requires one it can hold by reference, a float64 numpy array (the one the encoder
    holds, ``encoder.w``), and refuses anything else (a list, a float32 array) with a ValueError,
    as a copy would silently untie the weights. The gradient of the shared w is then the sum of
    the two modules' ``nabla_w`` (equation 8.12).
    w: (r, c), the array of a Linear that maps c inputs to r outputs; this module maps r inputs
    back to c outputs. b: (c, 1). After backward, ``nabla_w`` = u (dC/dv)^T, of the shape of w,
    and ``nabla_b`` = dC/dv 1.

    forward(u):   u (w.shape[0], m)      -> v (w.shape[1], m)
    backward(dv): dC/dv (w.shape[1], m)  -> dC/du = w dC/dv
    """

    def __init__(self, w, b):
        if isinstance(w, Linear):
            w = w.w  # the encoder's own array
        elif not isinstance(w, np.ndarray) or w.dtype != np.float64:
            given = (
                f"an array of dtype {w.dtype}"
                if isinstance(w, np.ndarray)
                else _describe(w)
            )
            raise ValueError(
                "w must be the Linear module whose weight this one ties to, or its float64 numpy "
                f"array, held by reference so that both modules use one w; got {given}, which "
                "would be copied and so untied. Pass the encoder itself, TransposedLinear(encoder, "
                "b), or its array, TransposedLinear(encoder.w, b)"
            )
        w, b = _validate.finite_array("w", w), _validate.finite_array("b", b)
        if w.ndim != 2:
            raise ValueError(f"w must be a 2-D array; got shape {w.shape}")
        if b.shape != (w.shape[1], 1):
            raise ValueError(
                f"b must have shape ({w.shape[1]}, 1), one bias per column of w (a row of "
                f"w^T); got shape {b.shape}"
            )
        self.w, self.b, self.nabla_w, self.nabla_b = w, b, None, None

    def __repr__(self):
        shape = np.shape(self.w) if isinstance(self.w, np.ndarray) else ()
        if len(shape) != 2:
            return "TransposedLinear(?)"
        return f"TransposedLinear({shape[0]} -> {shape[1]})"

    def _widths(self):
        return self.w.shape[0], self.w.shape[1]

    def forward(self, u):
        w = self._check_parameter("w", ("r", "c"))
        self._check_parameter("b", (w.shape[1], 1))
        u = self._check_input(u, self.w.shape[0])
        v = self.w.T @ u + self.b
        self._cache = (u, v)
        return v

    def backward(self, dv):
        u, v = self._cached()
        dv = self._check_upstream(dv, v)
        self.nabla_w = u @ dv.T  # the gradient of w^T is dv u^T; of w, its transpose
        self.nabla_b = dv.sum(axis=1, keepdims=True)
        return self.w @ dv  # (w^T)^T dC/dv


def _modules_of(caller, modules):
    """The list of modules in ``modules`` (a list or tuple of them, a Sequential or a Residual)."""
    if isinstance(modules, (Sequential, Residual)):
        return modules.modules
    expected = f"{caller} expects a Sequential or a list of modules"
    if isinstance(modules, Module):
        raise ValueError(
            f"{expected}; got the single module {modules!r}: put it in a list, {caller}([module])"
        )
    if not isinstance(modules, (list, tuple)):
        raise ValueError(f"{expected}; got {_describe(modules)}")
    for i, module in enumerate(modules):
        if not isinstance(module, Module):
            raise ValueError(f"{expected}; item {i} is {_describe(module)}")
    return modules


def parameters(modules):
    """Every parameter of ``modules`` (a list of modules, or a ``Sequential``), the blocks of
    ``Residual`` modules included, in forward order: a list of ``(module, name)`` pairs such as
    ``(Linear, "w")``, ``(Linear, "b")``, ``(BatchNorm, "gamma")``. The array is
    ``getattr(module, name)`` and, after a backward pass, its gradient is
    ``getattr(module, "nabla_" + name)``. An array shared by two modules (tied weights) is listed
    once per module, each with that module's share of its gradient. Anything else than a list of
    modules or a Sequential, and a module listed twice, is refused with a ValueError."""
    modules = _modules_of("parameters", modules)
    _refuse_repeats(modules)
    found = []
    for _, module in _walk(modules):
        if isinstance(module, Residual):
            continue  # its block's modules come next in the walk
        if hasattr(module, "gamma"):
            found += [(module, "gamma"), (module, "beta")]
        elif hasattr(module, "w"):
            found += [(module, "w"), (module, "b")]
    return found


def set_training(modules, training=True):
    """Put every module of ``modules`` (a list, or a ``Sequential``) that has a training mode,
    ``BatchNorm`` and ``Dropout``, the blocks of ``Residual`` modules included, in training mode
    (``training=True``) or evaluation mode (``False``); ``training`` must be a bool, and both are
    checked before any module changes."""
    training = _check_mode("training", training)
    for _, module in _walk(_modules_of("set_training", modules)):
        if hasattr(module, "train"):
            module.train(training)


__all__ = [
    "BatchNorm",
    "Dropout",
    "Residual",
    "TransposedLinear",
    "parameters",
    "set_training",
]
