"""Activation functions and their derivatives, applied to columns of weighted inputs z.

Every function takes ``z`` of any shape (a layer's weighted inputs are ``(n, m)``: one column per
example) and returns an array of the same shape. Each stays finite for every finite ``z``.
Derived and checked in chapter 0 (sigmoid) and chapter 3 (tanh, ReLU); softmax in chapter 5.
"""

from typing import Callable, NamedTuple, Optional

import numpy as np
from scipy.special import expit

from bp_lib import _validate
from bp_lib._validate import choice


def sigmoid(z):
    """s(z) = 1 / (1 + exp(-z)), evaluated without overflow for any finite z."""
    return expit(z)


def sigmoid_prime(z):
    """s'(z) = s(z) (1 - s(z)) = s(z) s(-z); largest at z = 0, where it is 1/4. Derived in chapter 0.

    Computed as s(z) s(-z): 1 - s(z) rounds to 0 for z above about 37 (and loses relative accuracy
    well before), while s(-z) keeps every digit, so the result has a small relative error for
    |z| up to about 709 (beyond, s(-|z|) is below the smallest normal float and comes out 0) and
    is even, s'(-z) = s'(z), to the last bit for every z (chapter 0's (0.2))."""
    return expit(z) * expit(np.negative(z))


def sigmoid_prime_from_output(a):
    """s'(z) written through the output a = s(z): a (1 - a). What the backward pass uses, since the
    forward pass holds a: right to about 1e-17 in absolute terms, but where a rounds to 1 (z above
    about 37) it gives 0 instead of a number below 1e-16."""
    return a * (1.0 - a)


def tanh(z):
    """tanh(z) = (e^z - e^-z) / (e^z + e^-z)."""
    return np.tanh(z)


def tanh_prime(z):
    """tanh'(z) = 1 - tanh(z)^2. Derived in chapter 3."""
    return tanh_prime_from_output(np.tanh(z))


def tanh_prime_from_output(a):
    """tanh'(z) written through the output a = tanh(z): 1 - a^2."""
    return 1.0 - a * a


def relu(z):
    """relu(z) = max(0, z)."""
    return np.maximum(z, 0.0)


def relu_prime(z):
    """relu'(z) = 1 for z > 0 and 0 for z < 0; at z = 0 the book's convention is 0 (chapter 3)."""
    return (np.asarray(z) > 0).astype(np.float64)


def identity(z):
    """identity(z) = z: a linear neuron (chapter 2)."""
    return np.array(z, dtype=np.float64, copy=True)


def identity_prime(z):
    """identity'(z) = 1."""
    return np.ones_like(z, dtype=np.float64)


def softmax(z):
    """softmax(z)_i = exp(z_i) / sum_k exp(z_k), taken down each column of ``z``: (n, m) -> (n, m).

    Softmax is unchanged by adding a constant to a column, so each column's largest entry is
    subtracted first: every exponent is then <= 0 and nothing overflows. Chapter 5.
    A 1-D ``z`` is treated as a single column.
    """
    z = _validate.real_array("z", z).astype(np.float64, copy=False)
    shifted = z - z.max(axis=0, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=0, keepdims=True)


def softmax_jacobian(z):
    """The Jacobian dq_i/dz_j = q_i (delta_ij - q_j) of q = softmax(z). Derived in chapter 5.

    ``z`` of shape (n,) or (n, 1) gives the (n, n) matrix; ``z`` of shape (n, m) gives an
    (m, n, n) stack, one Jacobian per column. Unlike an elementwise activation's Jacobian it is
    not diagonal, which is why softmax needs its full Jacobian in BP1 (chapter 5).
    """
    z = _validate.real_array("z", z).astype(np.float64, copy=False)
    if z.ndim == 1 or (z.ndim == 2 and z.shape[1] == 1):
        q = softmax(z.reshape(-1))
        return np.diag(q) - np.outer(q, q)
    if z.ndim != 2:
        raise ValueError(
            f"z must have shape (n,), (n, 1) or (n, m); got shape {z.shape}"
        )
    q = softmax(z).T  # (m, n): one row per column of z
    return q[:, :, None] * np.eye(z.shape[0]) - q[:, :, None] * q[:, None, :]


class Activation(NamedTuple):
    """An elementwise activation with its derivative, as a network layer uses them.

    ``prime(z)`` is s'(z). ``prime_from_output(a)`` is the same number written through the
    output a = s(z), which the forward pass has already computed: the backward pass (BP1, BP2)
    uses it instead of evaluating s(z) a second time, and gets identical values.
    """

    name: str
    fn: Callable
    prime: Callable
    prime_from_output: Optional[Callable] = None


ACTIVATIONS = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_prime, sigmoid_prime_from_output),
    "tanh": Activation("tanh", tanh, tanh_prime, tanh_prime_from_output),
    # a = max(0, z) is > 0 exactly where z > 0, and the identity's derivative is 1 everywhere,
    # so each of these two derivatives is the same function of a as of z
    "relu": Activation("relu", relu, relu_prime, relu_prime),
    "identity": Activation("identity", identity, identity_prime, identity_prime),
}


def get_activation(name):
    """The :class:`Activation` called ``name``; a clear ValueError for any other name."""
    return ACTIVATIONS[choice("activation", name, ACTIVATIONS)]
