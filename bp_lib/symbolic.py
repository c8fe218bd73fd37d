"""SymPy in the book's notation, and the cross-check that ties a derivation to bp_lib's numbers.

- :func:`symbol_matrix`: a matrix of symbols named as the book names them (``w^2_13``, ``b^1_2``,
  ``x_1^(2)``); :class:`SymbolicNetwork`: a whole network of given widths built from them, with
  its weighted inputs z^l, activations a^l and cost C, for any activation.
- :func:`prime` and :func:`with_primes`: sigma' of an unspecified activation sigma as a function
  of its own, which prints as sigma'(u) and which numpy can be handed.
- :func:`to_numpy` and :func:`cross_check`: a SymPy expression as a numpy function, and the
  assertion that it agrees with the package's function at seeded random points (a check on
  samples, which the chapters pair with a symbolic proof).
"""

import functools
from typing import NamedTuple

import numpy as np
import sympy
from sympy.core.function import UndefinedFunction

from bp_lib import _validate


class CrossCheck(NamedTuple):
    """What :func:`cross_check` measured."""

    n_points: int
    max_abs_error: float
    rtol: float
    atol: float

    def __str__(self):
        # the largest difference itself is rounding noise that varies between machines: not shown
        return f"agree at {self.n_points} seeded random points (tolerance rtol={self.rtol:g}, atol={self.atol:g})"


def cross_check(
    expr,
    symbols,
    numeric,
    *,
    functions=None,
    points=None,
    n_points=50,
    low=-4.0,
    high=4.0,
    seed=0,
    rtol=1e-9,
    atol=1e-12,
):
    """Assert that the SymPy expression ``expr`` and the function ``numeric`` agree.

    - ``symbols``: the symbol or sequence of symbols of ``expr``; ``numeric`` is called with one
      numpy array per symbol, in that order, and must return an array of the same length.
    - ``functions``: numpy implementations of the undefined functions in ``expr``, keyed by the
      function or its name, e.g. ``{sigma: bp_lib.sigmoid, prime(sigma): bp_lib.sigmoid_prime}``
      for an expression written with ``sigma = sympy.Function("sigma")``; derivatives of sigma
      that SymPy leaves unevaluated are read as ``prime(sigma)`` (see :func:`to_numpy`).
    - ``points``: optional dict from symbol to the values to use for it; every other symbol takes
      ``n_points`` values drawn uniformly from [low, high) by a generator seeded with ``seed``.

    Returns a :class:`CrossCheck`; raises AssertionError if any point differs by more than
    ``atol + rtol * |expected|``.
    """
    symbols = list(symbols) if isinstance(symbols, (list, tuple)) else [symbols]
    if not symbols or not all(isinstance(s, sympy.Symbol) for s in symbols):
        raise ValueError(
            f"symbols must be a SymPy Symbol or a list of them; got {symbols!r}"
        )
    expr = sympy.sympify(expr)
    missing = expr.free_symbols - set(symbols)
    if missing:
        raise ValueError(
            f"expr uses symbols {sorted(map(str, missing))} that are not in symbols {symbols}"
        )
    n_points = _validate.positive_int("n_points", n_points)

    rng = np.random.default_rng(seed)
    points = dict(points or {})
    values = []
    for s in symbols:
        if s in points:
            values.append(_validate.finite_array(f"points[{s}]", points[s]).reshape(-1))
        else:
            values.append(rng.uniform(low, high, size=n_points))
    n = max(v.size for v in values)

    expected = np.broadcast_to(
        np.asarray(to_numpy(expr, symbols, functions)(*values), dtype=np.float64), (n,)
    )
    got = np.asarray(numeric(*values), dtype=np.float64)
    if got.size != n:
        raise AssertionError(
            f"the numeric function returned {got.size} values for {n} points; it must return one per point"
        )
    got = got.reshape(n)

    error = np.abs(got - expected)
    bad = ~(
        error <= atol + rtol * np.abs(expected)
    )  # written so that a NaN counts as a disagreement
    if np.any(bad):
        i = int(np.argmax(np.where(bad, np.nan_to_num(error, nan=np.inf), -1.0)))
        where = ", ".join(f"{s}={v[i % v.size]:.6g}" for s, v in zip(symbols, values))
        raise AssertionError(
            f"{getattr(numeric, '__name__', 'the numeric function')} disagrees with {expr} at "
            f"{int(bad.sum())} of {n} points; worst at {where}: got {got[i]:.12g}, expected "
            f"{expected[i]:.12g} (tolerance rtol={rtol:g}, atol={atol:g})"
        )
    return CrossCheck(n, float(error.max()), rtol, atol)


def to_numpy(exprs, symbols, functions=None):
    """``sympy.lambdify(symbols, exprs)`` with numpy, for the book's expressions: ``functions`` maps
    undefined functions (or their names) to numpy implementations, and every first derivative of
    one that SymPy leaves unevaluated is first written as :func:`prime` of it, so that
    ``{sigma: f, prime(sigma): f_prime}`` evaluates an expression holding sigma'."""
    functions = {getattr(k, "__name__", k): v for k, v in (functions or {}).items()}
    as_primes = lambda e: with_primes(sympy.sympify(e))  # noqa: E731
    exprs = (
        [as_primes(e) for e in exprs]
        if isinstance(exprs, (list, tuple))
        else as_primes(exprs)
    )
    return sympy.lambdify(symbols, exprs, [functions, "numpy"], cse=True)


def symbol_matrix(name, rows, columns=1, layer=None, examples=False):
    """A (rows, columns) matrix of symbols named in the book's notation, counted from 1.

    ``symbol_matrix("w", 3, 2, layer=1)`` has entries ``w^1_11 ... w^1_32`` (w^l_jk: row j, column
    k); one column gives ``b^1_1, b^1_2, ...``; without ``layer``, ``x_1, x_2, ...`` or ``d_11,
    d_12, ...``; with ``examples=True`` the columns are examples, ``x_1^(1), x_1^(2), ...``.
    """
    top = f"^{layer}" if layer is not None else ""

    def entry(j, k):
        if examples:
            return sympy.Symbol(f"{name}{top}_{j + 1}^({k + 1})")
        return sympy.Symbol(
            f"{name}{top}_{j + 1}" + (f"{k + 1}" if columns > 1 else "")
        )

    return sympy.Matrix(rows, columns, entry)


@functools.lru_cache(maxsize=None)
def prime(f):
    """sigma' for an undefined function sigma (``sympy.Function("sigma")``): a function of its own,
    named ``sigma_prime``, that prints as sigma'(u) in LaTeX. The same f gives the same function."""
    name = f.__name__
    latex_name = sympy.latex(sympy.Symbol(name))

    def _latex(self, printer, exp=None):
        text = r"%s'\!\left(%s\right)" % (latex_name, printer._print(self.args[0]))
        return text if exp is None else r"%s^{%s}" % (text, exp)  # sigma'(u)^2

    return type(f"{name}_prime", (sympy.Function,), {"_latex": _latex, "nargs": 1})


def with_primes(expr, primes=None):
    """Write each first derivative of an undefined function that SymPy leaves unevaluated as a
    function of its own: ``primes`` maps ``sigma`` (a ``sympy.Function("sigma")``) to the function
    standing for sigma' (by default :func:`prime` of each undefined function), and every
    ``Derivative(sigma(u), u)``, or ``Subs(Derivative(sigma(t), t), t, u)`` at a compound argument
    u, becomes ``primes[sigma](u)``. Then a neuron's slope is one term a derivation can point at,
    or set to 0 (chapters 4 and 7). By default the functions of one argument are renamed; the
    partial derivatives of a function of several, such as a cost Phi(v_11, v_12, ...), are kept.
    A higher derivative of a renamed function is refused with a ValueError rather than renamed
    wrongly.
    """
    if (
        primes is None
    ):  # every undefined function of one argument, like an activation sigma
        wanted = lambda applied: (
            isinstance(applied.func, UndefinedFunction) and len(applied.args) == 1
        )  # noqa: E731
        pick = prime
    else:
        wanted, pick = (lambda applied: applied.func in primes), (lambda f: primes[f])  # noqa: E731
    replace = {}
    for s in expr.atoms(sympy.Subs):  # sigma' at a compound argument u
        inner = s.expr
        if isinstance(inner, sympy.Derivative) and wanted(inner.expr):
            if not inner.variables == s.variables == inner.expr.args:
                raise ValueError(f"with_primes renames first derivatives only; got {s}")
            replace[s] = pick(inner.expr.func)(*s.point)
    for d in expr.atoms(sympy.Derivative):  # sigma' at a plain symbol
        if wanted(d.expr):
            if d.variables != d.expr.args:
                raise ValueError(f"with_primes renames first derivatives only; got {d}")
            replace.setdefault(d, pick(d.expr.func)(*d.variables))
    return expr.xreplace(replace)


class SymbolicNetwork:
    """A fully connected network written in SymPy symbols, in the book's notation (chapter 4).

    ``SymbolicNetwork([2, 3, 2])`` holds, for l = 1, ..., L (dicts keyed by the book's layer):
    ``w[l]`` (n_l, n_(l-1)) and ``b[l]`` (n_l, 1) of symbols w^l_jk and b^l_j; the input ``x``
    (n_0, m) and target ``y`` (n_L, m), with m = ``examples`` (one column per example, named
    x_k^(i) when m > 1); ``z[l] = w[l] a[l-1] + b[l]`` (b^l added to every column),
    ``a[l] = s(z[l])`` with ``a[0] = x``; and ``C``, the quadratic cost averaged over the
    columns, (1/m) sum_x 1/2 ||a^L_x - y_x||^2. ``activation`` is the hidden layers' s, an
    undefined ``sympy.Function("sigma")`` by default so that what is proved holds for any
    activation; ``output_activation`` is the output layer's (the same unless given).
    ``params`` lists w^1 row by row, then b^1, then w^2, ..., the order of ``Network``'s arrays
    raveled layer by layer.
    """

    def __init__(self, sizes, activation=None, output_activation=None, examples=1):
        self.sizes = _validate.layer_sizes(sizes)
        self.examples = m = _validate.positive_int("examples", examples)
        self.L = L = len(self.sizes) - 1
        self.activation = (
            activation if activation is not None else sympy.Function("sigma")
        )
        self.output_activation = (
            output_activation if output_activation is not None else self.activation
        )
        self.w = {
            l: symbol_matrix("w", self.sizes[l], self.sizes[l - 1], layer=l)
            for l in range(1, L + 1)
        }
        self.b = {
            l: symbol_matrix("b", self.sizes[l], layer=l) for l in range(1, L + 1)
        }
        self.x = symbol_matrix("x", self.sizes[0], m, examples=m > 1)
        self.y = symbol_matrix("y", self.sizes[L], m, examples=m > 1)
        ones = sympy.ones(1, m)
        self.z, self.a = {}, {0: self.x}
        for l in range(1, L + 1):
            self.z[l] = (
                self.w[l] * self.a[l - 1] + self.b[l] * ones
            )  # z^l = w^l a^(l-1) + b^l
            self.a[l] = self.z[l].applyfunc(self.activation_of(l))  # a^l = s(z^l)
        self.C = self._cost(self.a[L])
        self.params = [p for l in range(1, L + 1) for p in [*self.w[l], *self.b[l]]]

    def _cost(self, a_L):
        squares = sum(
            (a_L[j, i] - self.y[j, i]) ** 2
            for j in range(self.sizes[self.L])
            for i in range(self.examples)
        )
        return sympy.Rational(1, 2 * self.examples) * squares

    def cost_from(self, l, zeta):
        """The cost as a function of stand-ins ``zeta`` (n_l, m) for layer l's weighted inputs: the
        forward pass from layer l on. At ``zeta = z[l]`` it is ``C``, and its derivative with
        respect to ``zeta[j, i]`` is delta^l_j of example i by the definition delta^l = dC/dz^l
        (chapter 4), before any equation of backpropagation is used."""
        if not 1 <= l <= self.L or zeta.shape != self.z[l].shape:
            raise ValueError(
                f"zeta must stand for z^{l} of shape {self.z.get(l, zeta).shape}, with 1 <= l <= {self.L}; "
                f"got l = {l} and shape {zeta.shape}"
            )
        a = zeta.applyfunc(self.activation_of(l))
        for k in range(l + 1, self.L + 1):
            a = (self.w[k] * a + self.b[k] * sympy.ones(1, self.examples)).applyfunc(
                self.activation_of(k)
            )
        return self._cost(a)

    def activation_of(self, l):
        """The activation of layer l: the output activation at l = L, the hidden one below."""
        return self.output_activation if l == self.L else self.activation

    def parameter_values(self, net):
        """The numbers of a ``bp_lib.Network`` of the same widths, in the order of ``params``."""
        if list(net.sizes) != self.sizes:
            raise ValueError(
                f"the network has sizes {net.sizes}; this symbolic network has {self.sizes}"
            )
        return [
            v
            for w_l, b_l in zip(net.weights, net.biases)
            for v in [*np.ravel(w_l), *np.ravel(b_l)]
        ]

    def __repr__(self):
        return f"SymbolicNetwork({self.sizes}, examples={self.examples})"
