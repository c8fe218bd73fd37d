"""More modules, each a forward/backward pair like those of :mod:`bp_lib.modules` (chapter 11).

- ``BatchNorm``: each row (neuron) normalised over the batch's columns, then scaled and shifted.
- ``Dropout``: inverted dropout, each unit kept with probability 1 - p and scaled by 1/(1 - p).
- ``Residual``: v = u + block(u), the block a list of modules.
- ``TransposedLinear``: v = w^T u + b with another module's w, for tied weights.

Examples are columns, as everywhere in the book: u is (n, m) and every dC/dX has the shape of X.
``bp_lib.modules`` re-exports these classes, so ``bp_lib.modules.BatchNorm`` is this one.
"""

import numbers

import numpy as np

from bp_lib import _validate
from bp_lib.modules import Loss, Module


class BatchNorm(Module):
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
    """

    def __init__(self, n, eps=1e-5, momentum=0.1):
        self.n = _validate.positive_int("n", n)
        self.eps = _validate.positive_float("eps", eps)
        self.momentum = _validate.positive_float("momentum", momentum)
        if self.momentum > 1:
            raise ValueError(f"momentum must be in (0, 1]; got {momentum}")
        self.gamma, self.beta = np.ones((self.n, 1)), np.zeros((self.n, 1))
        self.running_mean, self.running_var = (
            np.zeros((self.n, 1)),
            np.ones((self.n, 1)),
        )
        self.nabla_gamma = self.nabla_beta = None
        self.training = True

    def __repr__(self):
        return f"BatchNorm({self.n})"

    def train(self, mode=True):
        """Training mode (batch statistics) if ``mode``, else evaluation mode; returns self."""
        self.training = bool(mode)
        return self

    def eval(self):
        """Evaluation mode: the running statistics, fixed; returns self."""
        return self.train(False)

    def forward(self, u):
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


class Dropout(Module):
    """Inverted dropout. Derived in chapter 11, equations 11.5 and 11.6.

    In training mode (the default, ``train()``) each entry of u is kept with probability 1 - p and
    scaled by 1/(1 - p), or set to 0: v = u (.) mask / (1 - p), the mask drawn afresh by each
    forward pass from the generator seeded with ``seed`` and kept in ``mask`` (booleans, (n, m)).
    Then E[v] = u, so ``eval()`` mode passes u through unchanged.

    forward(u):   u (n, m)      -> v (n, m)
    backward(dv): dC/dv (n, m)  -> dC/du = dv (.) mask / (1 - p), with the forward pass's mask
    """

    def __init__(self, p, seed=None):
        if isinstance(p, bool) or not isinstance(p, numbers.Real) or not 0 <= p < 1:
            raise ValueError(
                f"p, the probability of dropping a unit, must be a number in [0, 1); got {p!r}"
            )
        self.p, self.mask, self.training = float(p), None, True
        self.rng = np.random.default_rng(seed)

    def __repr__(self):
        return f"Dropout({self.p:g})"

    def train(self, mode=True):
        """Training mode (a random mask) if ``mode``, else evaluation mode; returns self."""
        self.training = bool(mode)
        return self

    def eval(self):
        """Evaluation mode: v = u; returns self."""
        return self.train(False)

    def forward(self, u):
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


class Residual(Module):
    """v = u + F(u), F the block: ``modules`` applied in turn. Derived in chapter 11, (11.7).

    The block must keep the shape of u. Its backward adds the two paths, the identity and the
    block, by the fan-out rule (8.11): dC/du = dC/dv + (the block's backward of dC/dv). Each of the
    block's modules keeps its own gradients (``nabla_w``, ``nabla_gamma``, ...).

    forward(u):   u (n, m)      -> v (n, m)
    backward(dv): dC/dv (n, m)  -> dC/du (n, m)
    """

    def __init__(self, modules):
        self.modules = list(modules) if isinstance(modules, (list, tuple)) else None
        if not self.modules or not all(
            isinstance(m, Module) and not isinstance(m, Loss) for m in self.modules
        ):
            raise ValueError(
                f"Residual needs a non-empty list of modules (not losses) for its block; got {modules!r}"
            )

    def __repr__(self):
        return f"Residual({self.modules!r})"

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

    Give it the array of another module, ``Linear(w, b1)``, to use the same w twice; the gradient
    of the shared w is then the sum of the two modules' ``nabla_w`` (equation 8.12).
    w: (r, c), the array of a Linear that maps c inputs to r outputs; this module maps r inputs
    back to c outputs. b: (c, 1). After backward, ``nabla_w`` = u (dC/dv)^T, of the shape of w,
    and ``nabla_b`` = dC/dv 1.

    forward(u):   u (w.shape[0], m)      -> v (w.shape[1], m)
    backward(dv): dC/dv (w.shape[1], m)  -> dC/du = w dC/dv
    """

    def __init__(self, w, b):
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
        return f"TransposedLinear({self.w.shape[0]} -> {self.w.shape[1]})"

    def forward(self, u):
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


def parameters(modules):
    """Every parameter of ``modules`` (a list of modules, or a ``Sequential``), the blocks of
    ``Residual`` modules included, in forward order: a list of ``(module, name)`` pairs such as
    ``(Linear, "w")``, ``(Linear, "b")``, ``(BatchNorm, "gamma")``. The array is
    ``getattr(module, name)`` and, after a backward pass, its gradient is
    ``getattr(module, "nabla_" + name)``. An array shared by two modules (tied weights) is listed
    once per module, each with that module's share of its gradient."""
    found = []
    for module in getattr(modules, "modules", modules):
        if isinstance(module, Residual):
            found += parameters(module.modules)
        elif hasattr(module, "gamma"):
            found += [(module, "gamma"), (module, "beta")]
        elif hasattr(module, "w"):
            found += [(module, "w"), (module, "b")]
    return found


def set_training(modules, training=True):
    """Put every module of ``modules`` (a list, or a ``Sequential``) that has a training mode,
    ``BatchNorm`` and ``Dropout``, the blocks of ``Residual`` modules included, in training mode
    (``training=True``) or evaluation mode."""
    for module in getattr(modules, "modules", modules):
        if isinstance(module, Residual):
            set_training(module.modules, training)
        elif hasattr(module, "train"):
            module.train(training)


__all__ = [
    "BatchNorm",
    "Dropout",
    "Residual",
    "TransposedLinear",
    "parameters",
    "set_training",
]
