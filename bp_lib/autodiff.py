"""Reverse-mode automatic differentiation on scalars: backpropagation on any graph (chapter 8).

Every operation on :class:`Value` objects makes a new Value that remembers its parents and the
local derivative of its result with respect to each parent, evaluated there and then: one edge
of the computational graph per parent. ``backward()`` visits the graph from the output back to
the inputs (reverse topological order) and applies the chain rule once per edge,

    parent.grad += local * node.grad        (equation 8.11: add up every path),

so one backward pass gives the derivative of the output with respect to every node. In the
spirit of micrograd; chapter 8 derives each local rule with SymPy (equation 8.10) and checks the
whole against SymPy and against :mod:`bp_lib.modules`.
"""

import functools
import math
import numbers

import numpy as np

from bp_lib import _validate

_EXP_MAX = math.log(
    np.finfo(np.float64).max
)  # about 709.78: exp of anything larger overflows


def _real(name, x):
    """``x`` as a float if it is a finite real number; otherwise a ValueError sentence. A 0-d
    numpy array is the number it holds, as numpy's own arithmetic reads it."""
    if isinstance(x, np.ndarray) and x.ndim == 0:
        x = x.item()
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise ValueError(f"{name} must be a real number; got {type(x).__name__} {x!r}")
    if not math.isfinite(x):
        raise ValueError(f"{name} must be a finite number; got {x}")
    return float(x)


def _numpy_operand(operator):
    """A binary ``operator`` of Value (or Dual) that reads numpy's operands as numpy does.

    A 0-d array is the number it holds. An array of one or more dimensions is handed back to numpy
    (``NotImplemented``), which then applies the operator entry by entry and returns an object
    array of Values: ``x * array`` gives what ``array * x`` gives, as in ``W @ as_values(...)``.
    """

    @functools.wraps(operator)
    def with_numpy(self, other):
        if isinstance(other, np.ndarray) and other.ndim > 0:
            return NotImplemented  # numpy's reflected operator goes entry by entry
        if isinstance(other, np.ndarray):
            other = other.item()
        return operator(self, other)

    return with_numpy


def _division_by_zero(divisor, dividend):
    """The sentence for a division by zero, with ``divisor`` as it was given: a Value, a Dual or a
    number."""
    if isinstance(divisor, numbers.Real):
        given = f"the {type(divisor).__name__} {divisor}"
    else:
        given = f"a {type(divisor).__name__} with data 0"
    return ValueError(
        f"division by zero: the divisor is {given} (dividing {dividend:g})"
    )


class Value:
    """A scalar in a computational graph.

    ``data``: its value. ``grad``: d(output)/d(this node), filled in by ``output.backward()``.
    ``parents`` and ``local_grads``: one entry per incoming edge, ``local_grads[i]`` being
    d(this)/d(parents[i]); a new operation is just a Value built with these two (chapter 8, exercise 8.4).
    ``op`` names the operation and ``label`` the quantity, for printing and for drawing the graph.
    A plain number, a numpy scalar or a 0-d array combined with a Value is a constant leaf; an
    array of one or more dimensions gives an object array of Values, entry by entry, on either
    side of the operator (as ``array * x`` does).
    """

    def __init__(self, data, parents=(), local_grads=(), op="", label=""):
        self.data = _real("data", data)
        self.parents, self.local_grads = tuple(parents), tuple(local_grads)
        if len(self.parents) != len(self.local_grads) or not all(
            isinstance(p, Value) for p in self.parents
        ):
            raise ValueError(
                f"give one local gradient per parent Value; got {len(self.parents)} parents "
                f"and {len(self.local_grads)} local gradients"
            )
        self.local_grads = tuple(_real("a local gradient", g) for g in self.local_grads)
        self.grad, self.op, self.label = 0.0, op, label

    def __repr__(self):
        name = f"{self.label}: " if self.label else ""
        return f"Value({name}data={self.data:.6g}, grad={self.grad:.6g})"

    # --- arithmetic: each result with its local derivatives (8.10) ------------------------

    @_numpy_operand
    def __add__(self, other):
        other = _as_value(other)
        return Value(
            _finite("+", self.data + other.data), (self, other), (1.0, 1.0), "+"
        )

    @_numpy_operand
    def __sub__(self, other):
        other = _as_value(other)
        return Value(
            _finite("-", self.data - other.data), (self, other), (1.0, -1.0), "-"
        )

    @_numpy_operand
    def __mul__(self, other):
        other = _as_value(other)
        return Value(
            _finite("*", self.data * other.data),
            (self, other),
            (other.data, self.data),
            "*",
        )

    @_numpy_operand
    def __truediv__(self, other):
        given, other = other, _as_value(other)
        if other.data == 0.0:
            raise _division_by_zero(given, self.data)
        q = _finite("/", self.data / other.data)
        dq = [
            _finite("/", d, "local derivative")
            for d in (1.0 / other.data, -q / other.data)
        ]  # 1/y, -x/y^2
        return Value(q, (self, other), dq, "/")

    @_numpy_operand
    def __pow__(self, n):
        if isinstance(n, Value):
            raise ValueError(
                "the exponent of ** must be a plain number; for x ** y with y a Value, "
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
            local = 0.0  # x ** 0 is the constant 1, also at x = 0 (where n * x ** (n - 1) is 0 * inf)
        elif 0 < abs(x) < 1 and n < 1:
            local = (
                n * y / x
            )  # = n x^(n-1), without x ** (n - 1) overflowing where the product does not
        else:
            local = n * x ** (
                n - 1
            )  # (8.10); here |x ** (n - 1)| <= max(|y|, 1), so ** cannot overflow
        return Value(
            y, (self,), (_finite("**", local, "local derivative"),), f"**{n:g}"
        )

    @_numpy_operand
    def __rpow__(self, c):
        """``c ** x`` for a plain number ``c``: the result c^x, with local derivative c^x ln c."""
        c, x = _real("the base of **", c), self.data
        if c < 0:
            raise ValueError(
                f"({c:g}) ** x is a real number only at whole x, so it has no derivative with "
                f"respect to x (here {x:g}); a base of ** with a Value exponent must be positive"
            )
        if c == 0 and x <= 0:
            raise ValueError(
                f"0 ** {x:g} has no derivative with respect to x (0 ** x is 0 for x > 0 and "
                "infinite for x < 0); a base of ** with a Value exponent must be positive"
            )
        y = _power("**", c, x)
        local = (
            0.0 if c == 0 else y * math.log(c)
        )  # 0 ** x is the constant 0 for every x > 0
        return Value(
            y, (self,), (_finite("**", local, "local derivative"),), f"{c:g}**"
        )

    def __neg__(self):
        return Value(-self.data, (self,), (-1.0,), "neg")

    @_numpy_operand
    def __radd__(self, other):
        return self + other

    @_numpy_operand
    def __rsub__(self, other):
        return _as_value(other) - self

    @_numpy_operand
    def __rmul__(self, other):
        return self * other

    @_numpy_operand
    def __rtruediv__(self, other):
        return _as_value(other) / self

    def exp(self):
        if self.data > _EXP_MAX:
            raise ValueError(
                f"exp({self.data:g}) overflows: it is larger than the largest float (about 1.8e308)"
            )
        e = math.exp(self.data)
        return Value(e, (self,), (e,), "exp")

    def log(self):
        if self.data <= 0:
            raise ValueError(f"log needs a positive argument; got {self.data:g}")
        return Value(
            math.log(self.data),
            (self,),
            (_finite("log", 1.0 / self.data, "local derivative"),),
            "log",
        )

    def tanh(self):
        t = math.tanh(self.data)
        return Value(t, (self,), (1.0 - t * t,), "tanh")

    def sigmoid(self):
        x = self.data  # 1/(1 + e^-x), written so that no exponential overflows
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))
        return Value(s, (self,), (s * (1.0 - s),), "sigmoid")

    def relu(self):
        return Value(
            max(self.data, 0.0), (self,), (1.0 if self.data > 0 else 0.0,), "relu"
        )  # relu'(0) = 0

    # --- reverse mode ---------------------------------------------------------------------

    def backward(self):
        """Fill in ``grad`` = d(self)/d(node) for every node of this Value's graph.

        Every grad of the graph is reset first, so calling backward twice gives the same result.
        """
        order = topological_order(self)
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(
            order
        ):  # a node is finished before any of its parents is visited
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad += (
                    local * node.grad
                )  # the chain rule, summed over every path (8.11)


def _as_value(x):
    return (
        x
        if isinstance(x, Value)
        else Value(x, label=f"{_real('a number combined with a Value', x):g}")
    )


def _finite(op, result, what="result"):
    if not math.isfinite(result):
        raise ValueError(
            f"the {what} of {op} overflowed to {result}; the numbers are too large for a float"
        )
    return result


def _power(op, x, n):
    """``x ** n``, overflowing into the package's sentence (float ** raises a bare OverflowError)."""
    try:
        return _finite(op, x**n)
    except OverflowError:  # the infinity x ** n would be, for the message
        return _finite(op, -math.inf if x < 0 and n % 2 == 1 else math.inf)


def topological_order(root):
    """Every node of ``root``'s graph, each after all of its parents: inputs first, root last."""
    order, seen, stack = [], set(), [(root, False)]
    while (
        stack
    ):  # depth-first, without recursion, so deep graphs do not hit Python's limit
        node, finished = stack.pop()
        if finished:
            order.append(node)
        elif node not in seen:
            seen.add(node)
            stack.append((node, True))
            stack.extend((p, False) for p in reversed(node.parents) if p not in seen)
    return order


def as_values(array, label=""):
    """An object array of leaf Values with the entries of the numeric ``array`` (same shape);
    entry (j, k) is labelled ``label_jk`` (counted from 1) when a label is given. Raises
    ``ValueError`` for entries that are not finite real numbers (complex, bool, text, NaN)."""
    array = _validate.finite_array(label or "the array given to as_values", array)
    out = np.empty(array.shape, dtype=object)
    for index in np.ndindex(array.shape):
        name = label + "_" + "".join(str(i + 1) for i in index) if label else ""
        out[index] = Value(float(array[index]), label=name)
    return out


def grads(values):
    """The ``grad`` of every Value in an object array, as a float array of the same shape."""
    values = np.asarray(values, dtype=object)
    return (
        np.vectorize(lambda v: v.grad, otypes=[np.float64])(values)
        if values.size
        else np.zeros(values.shape)
    )


# Forward mode, the other way to run the chain rule (chapter 10), lives in its own module;
# imported last, because it builds on the helpers above.
from bp_lib.forward_mode import Dual  # noqa: E402, F401
