"""Forward-mode automatic differentiation: dual numbers, and the JVP of a network (chapter 10).

A :class:`Dual` carries a value and its **tangent**, the derivative of that value along one
chosen direction of the inputs: seed an input with tangent 1 and every other input with 0, and
the tangent of the output is the partial derivative with respect to that input. Each operation
computes its result and, at once, the result's tangent by the chain rule read forwards,

    v = f(u):          tangent(v) = f'(u) tangent(u)                              (10.1)
    v = g(u_1, u_2):   tangent(v) = dg/du_1 tangent(u_1) + dg/du_2 tangent(u_2)   (10.2)

with the local derivatives of chapter 8's (8.10). Nothing is stored: no graph, no backward pass.
One pass gives one Jacobian-vector product, so the whole gradient of a cost of P parameters takes
P passes, against one backward pass for :class:`bp_lib.autodiff.Value`. The interface, the input
checks and the error sentences mirror ``Value``'s; chapter 10 derives each rule with SymPy and
checks that the tangents equal ``Value``'s gradients on the same expressions.

:func:`network_jvp` is the same idea on arrays: one forward pass of a :class:`bp_lib.Network`
carrying the tangents of every z^l and a^l along a direction (dw, db) of the parameters.
"""

import math

import numpy as np

from bp_lib import _validate
from bp_lib.autodiff import (
    _EXP_MAX,
    _division_by_zero,
    _finite,
    _numpy_operand,
    _power,
    _real,
)


class Dual:
    """A scalar and its tangent: ``Dual(data, tangent=0.0)``.

    ``data``: the value, a finite float. ``tangent``: d(data)/dt along the direction the inputs
    were seeded with, a finite float (0 for a constant). Operations (``+ - * / **``, their
    reflected forms, unary minus, ``exp``, ``log``, ``tanh``, ``sigmoid``, ``relu``) return a new
    Dual; a plain number combined with a Dual is a constant, tangent 0, and so is a numpy
    scalar or 0-d array, while an array of one or more dimensions gives an object array of Duals,
    entry by entry, on either side of the operator (as ``array * x`` does). Bad input raises
    ``ValueError`` with the sentence ``Value`` gives (a non-number, a division by zero, the log of
    a number <= 0, an overflow). Derived in chapter 10, rules (10.1) and (10.2).
    """

    __slots__ = ("data", "tangent")

    def __init__(self, data, tangent=0.0):
        self.data = _real("data", data)
        self.tangent = _real("tangent", tangent)

    def __repr__(self):
        return f"Dual(data={self.data:.6g}, tangent={self.tangent:.6g})"

    # --- two arguments: tangent = dv/du_1 tangent_1 + dv/du_2 tangent_2 (10.2) ----------

    @_numpy_operand
    def __add__(self, other):
        other = _as_dual(other)
        v = _finite("+", self.data + other.data)
        return Dual(v, _tangent("+", self.tangent + other.tangent))

    @_numpy_operand
    def __sub__(self, other):
        other = _as_dual(other)
        v = _finite("-", self.data - other.data)
        return Dual(v, _tangent("-", self.tangent - other.tangent))

    @_numpy_operand
    def __mul__(self, other):
        other = _as_dual(other)
        v = _finite("*", self.data * other.data)
        # the product rule: u_2 tangent_1 + u_1 tangent_2
        return Dual(
            v, _tangent("*", other.data * self.tangent + self.data * other.tangent)
        )

    @_numpy_operand
    def __truediv__(self, other):
        given, other = other, _as_dual(other)
        if other.data == 0.0:
            raise _division_by_zero(given, self.data)
        q = _finite("/", self.data / other.data)
        # the quotient rule: (tangent_1 - q tangent_2) / u_2
        return Dual(q, _tangent("/", (self.tangent - q * other.tangent) / other.data))

    @_numpy_operand
    def __radd__(self, other):
        return self + other

    @_numpy_operand
    def __rsub__(self, other):
        return _as_dual(other) - self

    @_numpy_operand
    def __rmul__(self, other):
        return self * other

    @_numpy_operand
    def __rtruediv__(self, other):
        return _as_dual(other) / self

    # --- one argument: tangent = f'(u) tangent (10.1) -----------------------------------

    def __neg__(self):
        return Dual(-self.data, -self.tangent)

    @_numpy_operand
    def __pow__(self, n):
        if isinstance(n, Dual):
            raise ValueError(
                "the exponent of ** must be a plain number; for x ** y with y a Dual, "
                "write (y * x.log()).exp()"
            )
        n, x = _real("the exponent", n), self.data
        if x < 0 and not n.is_integer():
            raise ValueError(
                f"{x:g} ** {n:g} is not a real number: a negative base needs a whole exponent"
            )
        if x == 0 and n < 0:
            raise ValueError(
                f"0 ** {n:g} divides by zero: a negative exponent needs a nonzero base"
            )
        if x == 0 and 0 < n < 1:
            raise ValueError(f"0 ** {n:g} has no finite derivative at 0")
        y = _power("**", x, n)
        if n == 0:
            slope = 0.0  # x ** 0 is the constant 1
        elif 0 < abs(x) < 1 and n < 1:
            slope = n * y / x  # n x^(n-1), without x ** (n - 1) overflowing
        else:
            slope = n * x ** (n - 1)
        return Dual(y, _tangent("**", _finite("**", slope, "slope") * self.tangent))

    @_numpy_operand
    def __rpow__(self, c):
        """``c ** x`` for a plain number ``c > 0``: tangent c^x ln(c) tangent(x)."""
        c, x = _real("the base of **", c), self.data
        if c < 0:
            raise ValueError(
                f"({c:g}) ** x is a real number only at whole x, so it has no derivative with "
                f"respect to x (here {x:g}); a base of ** with a Dual exponent must be positive"
            )
        if c == 0 and x <= 0:
            raise ValueError(
                f"0 ** {x:g} has no derivative with respect to x (0 ** x is 0 for x > 0 and "
                "infinite for x < 0); a base of ** with a Dual exponent must be positive"
            )
        y = _power("**", c, x)
        slope = 0.0 if c == 0 else _finite("**", y * math.log(c), "slope")
        return Dual(y, _tangent("**", slope * self.tangent))

    def exp(self):
        if self.data > _EXP_MAX:
            raise ValueError(
                f"exp({self.data:g}) overflows: it is larger than the largest float (about 1.8e308)"
            )
        e = math.exp(self.data)
        return Dual(e, _tangent("exp", e * self.tangent))  # (e^u)' = e^u

    def log(self):
        if self.data <= 0:
            raise ValueError(f"log needs a positive argument; got {self.data:g}")
        slope = _finite("log", 1.0 / self.data, "slope")  # (ln u)' = 1/u
        return Dual(math.log(self.data), _tangent("log", slope * self.tangent))

    def tanh(self):
        t = math.tanh(self.data)
        return Dual(t, (1.0 - t * t) * self.tangent)  # tanh' = 1 - tanh^2

    def sigmoid(self):
        x = self.data  # 1/(1 + e^-x), written so that no exponential overflows
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))
        return Dual(s, s * (1.0 - s) * self.tangent)  # sigma' = sigma (1 - sigma)

    def relu(self):
        slope = 1.0 if self.data > 0 else 0.0  # relu'(0) = 0, as for Value
        return Dual(max(self.data, 0.0), slope * self.tangent)


def _as_dual(x):
    if isinstance(x, Dual):
        return x
    return Dual(_real("a number combined with a Dual", x))


def _tangent(op, t):
    return _finite(op, t, "tangent")


def network_jvp(net, X, Y, dw, db):
    """``(C, dC)``: the cost of ``net`` averaged over the columns of (X, Y), and its derivative
    along the direction (dw, db) of the parameters, sum_l <dC/dw^l, dw^l> + <dC/db^l, db^l>.

    ``dw[i]`` and ``db[i]`` have the shapes of ``net.weights[i]`` and ``net.biases[i]``. One
    forward pass carries the tangent of each z^l, dz^l = dw^l a^(l-1) + w^l da^(l-1) + db^l (the
    product rule; da^0 = 0, the input does not move), and da^l = s'(z^l) dz^l; at the output,
    dC = (1/m) sum of delta^L (.) dz^L, with delta^L the cost's BP1. Multiply-adds: F for the
    values and 2F - m n_1 n_0 for the tangents (chapter 10, (10.7)). Raises ``ValueError`` for a
    batch or a direction that does not fit the network: the direction is checked as the network's
    own parameters are, one finite real numpy array per layer of its parameter's shape.
    """
    X, Y = _validate.network("net", net).check_batch(X, Y)
    _validate.direction("dw", dw, net.weights, "weights")
    _validate.direction("db", db, net.biases, "biases")
    a, da, last = X, None, len(net.weights) - 1
    for l, (w, b, dw_l, db_l) in enumerate(zip(net.weights, net.biases, dw, db)):
        z = w @ a + b
        dz = dw_l @ a + db_l if da is None else dw_l @ a + w @ da + db_l
        if l < last:
            a, da = net.activation.fn(z), net.activation.prime(z) * dz  # (10.1)
    delta = net.cost.delta(z, net.cost.output.fn(z), Y)  # BP1: dC_x/dz^L
    return net.cost.value(z, Y), float(np.sum(delta * dz)) / X.shape[1]
