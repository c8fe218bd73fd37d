"""Mutation tests of chapter 11's modules: each mutant plants one plausible slip in a backward pass
(a term left out, a scale forgotten, a path dropped) and the gradient check against central
differences must catch it, while the true module passes the same check.

A mutant is caught when the relative error of some gradient (dC/du, or a parameter's) is above
1e-2, the notes' "wrong" threshold (bp_lib.gradcheck); the true modules stay below 1e-6.
"""

import numpy as np
import pytest

import bp_lib
from bp_lib.modules import (
    BatchNorm,
    Dropout,
    Elementwise,
    Linear,
    QuadraticLoss,
    Residual,
    Sequential,
    TransposedLinear,
)

WRONG, RIGHT = 1e-2, 1e-6


def mutant(cls, backward):
    """``cls`` with its backward replaced by ``backward(self, dv)``."""
    return type(f"Mutant{cls.__name__}", (cls,), {"backward": backward})


# --- the mutants: one slip each ------------------------------------------------------------------


def _bn_parts(self, dv):
    u_hat, s, v, _ = self._cached()
    self.nabla_gamma = (dv * u_hat).sum(axis=1, keepdims=True)
    self.nabla_beta = dv.sum(axis=1, keepdims=True)
    mean = lambda a: a.mean(axis=1, keepdims=True)  # noqa: E731
    return u_hat, s, mean


def bn_without_the_path_through_s(self, dv):
    u_hat, s, mean = _bn_parts(self, dv)
    return self.gamma / s * (dv - mean(dv))


def bn_without_the_path_through_mu(self, dv):
    u_hat, s, mean = _bn_parts(self, dv)
    return self.gamma / s * (dv - u_hat * mean(dv * u_hat))


def bn_statistics_held_constant(self, dv):
    u_hat, s, mean = _bn_parts(self, dv)
    return self.gamma / s * dv


def bn_without_gamma(self, dv):
    u_hat, s, mean = _bn_parts(self, dv)
    return (dv - mean(dv) - u_hat * mean(dv * u_hat)) / s


def bn_over_the_variance(self, dv):
    u_hat, s, mean = _bn_parts(self, dv)
    return self.gamma / s**2 * (dv - mean(dv) - u_hat * mean(dv * u_hat))


def bn_sums_for_means(self, dv):
    u_hat, s, mean = _bn_parts(self, dv)
    total = lambda a: a.sum(axis=1, keepdims=True)  # noqa: E731
    return self.gamma / s * (dv - total(dv) - u_hat * total(dv * u_hat))


def bn_means_over_the_rows(self, dv):
    u_hat, s, _ = _bn_parts(self, dv)
    mean = lambda a: a.mean(axis=0, keepdims=True)  # noqa: E731
    return self.gamma / s * (dv - mean(dv) - u_hat * mean(dv * u_hat))


def bn_gamma_gradient_without_u_hat(self, dv):
    du = BatchNorm.backward(self, dv)
    self.nabla_gamma = dv.sum(axis=1, keepdims=True)
    return du


def bn_beta_gradient_with_u_hat(self, dv):
    du = BatchNorm.backward(self, dv)
    self.nabla_beta = self.nabla_gamma.copy()
    return du


def dropout_without_the_scale(self, dv):
    _, mask = self._cached()
    return dv * mask


def dropout_without_the_mask(self, dv):
    return dv / (1 - self.p)


def dropout_with_a_fresh_mask(self, dv):
    return dv * (self.rng.random(dv.shape) < 1 - self.p) / (1 - self.p)


def residual_without_the_identity(self, dv):
    return Residual.backward(self, dv) - dv


def residual_without_the_block(self, dv):
    Residual.backward(self, dv)
    return dv


def residual_block_in_forward_order(self, dv):
    grad = dv
    for module in self.modules:  # not reversed
        grad = module.backward(grad)
    return dv + grad


def transposed_gradient_not_transposed_back(self, dv):
    du = TransposedLinear.backward(self, dv)
    self.nabla_w = self.nabla_w.T  # dv u^T: the gradient of w^T, not of w
    return du


def transposed_backward_through_w_transposed(self, dv):
    TransposedLinear.backward(self, dv)
    return self.w.T @ dv


# --- the checks ------------------------------------------------------------------------------------


def worst_error(module, u, params, reset=None):
    """The largest relative error of dC/du and of each named parameter's gradient, against central
    differences of C = sum(G * v) (bp_lib.module_gradient_errors); ``reset`` runs before every
    forward pass (a dropout mask)."""
    if reset is not None:
        reset()
    G = np.random.default_rng(1).standard_normal(module.forward(u).shape)
    return max(bp_lib.module_gradient_errors(module, u, G, params, reset).values())


def batch_norm(cls=BatchNorm):
    rng = np.random.default_rng(21)
    module = cls(3)
    module.gamma[:] = rng.uniform(0.5, 2.0, (3, 1))
    module.beta[:] = rng.standard_normal((3, 1))
    return worst_error(module, rng.standard_normal((3, 5)), ["gamma", "beta"])


def dropout(cls=Dropout):
    module = cls(0.3)
    reset = lambda: setattr(module, "rng", np.random.default_rng(4))  # noqa: E731
    return worst_error(
        module, np.random.default_rng(22).standard_normal((4, 6)), [], reset
    )


def residual(cls=Residual):
    rng = np.random.default_rng(23)
    lin = Linear(rng.standard_normal((3, 3)), rng.standard_normal((3, 1)))
    module = cls([lin, Elementwise("tanh")])
    u = rng.standard_normal((3, 4))
    block_w = worst_error(
        lin, np.tanh(u), ["w"]
    )  # the block's own module, for reference
    assert block_w < RIGHT
    G = rng.standard_normal((3, 4))
    module.forward(u)
    du = module.backward(G)
    cost = lambda: float(np.sum(G * module.forward(u)))  # noqa: E731
    return max(
        bp_lib.relative_error(du, bp_lib.numerical_gradient(cost, u)),
        bp_lib.relative_error(lin.nabla_w, bp_lib.numerical_gradient(cost, lin.w)),
    )


def tied(
    cls=TransposedLinear,
    uses=lambda encoder, decoder: encoder + decoder,
    to_the_module=False,
):
    """An autoencoder x -> sigmoid(w x) -> w^T a with one square w: the relative error of the
    gradient of w that ``uses`` assembles from the two modules' nabla_w. The decoder is given the
    array w, or the encoder itself (``to_the_module``)."""
    rng = np.random.default_rng(24)
    w = rng.standard_normal((3, 3))
    encoder = Linear(w, np.zeros((3, 1)))
    decoder = cls(encoder if to_the_module else w, np.zeros((3, 1)))
    seq = Sequential([encoder, Elementwise("sigmoid"), decoder], QuadraticLoss())
    X = rng.standard_normal((3, 4))
    seq.loss(X, X)
    seq.backward()
    numeric = bp_lib.numerical_gradient(lambda: seq.loss(X, X), w)
    return bp_lib.relative_error(uses(encoder.nabla_w, decoder.nabla_w), numeric)


MUTANTS = {
    "BatchNorm without the mean(dv u_hat) term": lambda: batch_norm(
        mutant(BatchNorm, bn_without_the_path_through_s)
    ),
    "BatchNorm without the mean(dv) term": lambda: batch_norm(
        mutant(BatchNorm, bn_without_the_path_through_mu)
    ),
    "BatchNorm with the batch statistics held constant": lambda: batch_norm(
        mutant(BatchNorm, bn_statistics_held_constant)
    ),
    "BatchNorm without gamma": lambda: batch_norm(mutant(BatchNorm, bn_without_gamma)),
    "BatchNorm divided by s_B^2": lambda: batch_norm(
        mutant(BatchNorm, bn_over_the_variance)
    ),
    "BatchNorm with sums for means": lambda: batch_norm(
        mutant(BatchNorm, bn_sums_for_means)
    ),
    "BatchNorm with means over the rows": lambda: batch_norm(
        mutant(BatchNorm, bn_means_over_the_rows)
    ),
    "BatchNorm's dC/dgamma without u_hat": lambda: batch_norm(
        mutant(BatchNorm, bn_gamma_gradient_without_u_hat)
    ),
    "BatchNorm's dC/dbeta with u_hat": lambda: batch_norm(
        mutant(BatchNorm, bn_beta_gradient_with_u_hat)
    ),
    "Dropout without the 1/(1 - p) scale": lambda: dropout(
        mutant(Dropout, dropout_without_the_scale)
    ),
    "Dropout without the mask": lambda: dropout(
        mutant(Dropout, dropout_without_the_mask)
    ),
    "Dropout with a fresh mask in backward": lambda: dropout(
        mutant(Dropout, dropout_with_a_fresh_mask)
    ),
    "Residual without the identity path": lambda: residual(
        mutant(Residual, residual_without_the_identity)
    ),
    "Residual without the block's path": lambda: residual(
        mutant(Residual, residual_without_the_block)
    ),
    "Residual with its block run backward in forward order": lambda: residual(
        mutant(Residual, residual_block_in_forward_order)
    ),
    "tied weights with the encoder's gradient alone": lambda: tied(uses=lambda e, d: e),
    "tied weights with the decoder's gradient alone": lambda: tied(uses=lambda e, d: d),
    "TransposedLinear's dC/dw not transposed back": lambda: tied(
        mutant(TransposedLinear, transposed_gradient_not_transposed_back)
    ),
    "TransposedLinear's backward through w^T": lambda: tied(
        mutant(TransposedLinear, transposed_backward_through_w_transposed)
    ),
    "tied to the encoder, with the decoder's gradient alone": lambda: tied(
        uses=lambda e, d: d, to_the_module=True
    ),
}


def tied_to_the_module():
    return tied(to_the_module=True)


@pytest.mark.parametrize(
    "check", [batch_norm, dropout, residual, tied, tied_to_the_module]
)
def test_the_true_modules_pass_the_gradient_check(check):
    assert check() < RIGHT


@pytest.mark.parametrize("name", MUTANTS)
def test_the_gradient_check_catches_the_mutant(name):
    assert MUTANTS[name]() > WRONG, f"the mutant '{name}' passed the gradient check"


def test_every_mutant_is_caught(capsys):
    caught = [name for name, run in MUTANTS.items() if run() > WRONG]
    print(f"{len(caught)} of {len(MUTANTS)} mutants caught")
    assert len(caught) == len(MUTANTS) >= 15
