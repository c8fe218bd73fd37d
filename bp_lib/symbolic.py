"""Tie a SymPy derivation to bp_lib's numbers: the cross-check every chapter uses.

A chapter derives a formula with SymPy and asserts it symbolically; :func:`cross_check` then
evaluates that expression (through ``sympy.lambdify``) and the package's numpy function at the
same seeded random points and raises an AssertionError, with a sentence saying where and by how
much they differ, unless they agree to the stated tolerance.
"""

from typing import NamedTuple

import numpy as np
import sympy

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


def cross_check(expr, symbols, numeric, *, functions=None, points=None, n_points=50,
                low=-4.0, high=4.0, seed=0, rtol=1e-9, atol=1e-12):
    """Assert that the SymPy expression ``expr`` and the function ``numeric`` agree.

    - ``symbols``: the symbol or sequence of symbols of ``expr``; ``numeric`` is called with one
      numpy array per symbol, in that order, and must return an array of the same length.
    - ``functions``: numpy implementations of undefined functions in ``expr``, by name, e.g.
      ``{"sigma": bp_lib.sigmoid}`` for an expression written with ``sympy.Function("sigma")``.
    - ``points``: optional dict from symbol to the values to use for it; every other symbol takes
      ``n_points`` values drawn uniformly from [low, high) by a generator seeded with ``seed``.

    Returns a :class:`CrossCheck`; raises AssertionError if any point differs by more than
    ``atol + rtol * |expected|``.
    """
    symbols = list(symbols) if isinstance(symbols, (list, tuple)) else [symbols]
    if not symbols or not all(isinstance(s, sympy.Symbol) for s in symbols):
        raise ValueError(f"symbols must be a SymPy Symbol or a list of them; got {symbols!r}")
    expr = sympy.sympify(expr)
    missing = expr.free_symbols - set(symbols)
    if missing:
        raise ValueError(f"expr uses symbols {sorted(map(str, missing))} that are not in symbols {symbols}")
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

    modules = [dict(functions or {}), "numpy"]
    expected = np.broadcast_to(np.asarray(sympy.lambdify(symbols, expr, modules)(*values), dtype=np.float64), (n,))
    got = np.asarray(numeric(*values), dtype=np.float64)
    if got.size != n:
        raise AssertionError(
            f"the numeric function returned {got.size} values for {n} points; it must return one per point"
        )
    got = got.reshape(n)

    error = np.abs(got - expected)
    bad = ~(error <= atol + rtol * np.abs(expected))  # written so that a NaN counts as a disagreement
    if np.any(bad):
        i = int(np.argmax(np.where(bad, np.nan_to_num(error, nan=np.inf), -1.0)))
        where = ", ".join(f"{s}={v[i % v.size]:.6g}" for s, v in zip(symbols, values))
        raise AssertionError(
            f"{getattr(numeric, '__name__', 'the numeric function')} disagrees with {expr} at "
            f"{int(bad.sum())} of {n} points; worst at {where}: got {got[i]:.12g}, expected "
            f"{expected[i]:.12g} (tolerance rtol={rtol:g}, atol={atol:g})"
        )
    return CrossCheck(n, float(error.max()), rtol, atol)


def with_primes(expr, primes):
    """Write each first derivative of an undefined function that SymPy leaves unevaluated as a
    function of its own: ``primes`` maps ``sigma`` (a ``sympy.Function("sigma")``) to the function
    standing for sigma', and every ``Derivative(sigma(u), u)``, or ``Subs(Derivative(sigma(t), t),
    t, u)`` at a compound argument u, becomes ``primes[sigma](u)``. Then a neuron's slope is one
    term a derivation can point at, or set to 0 (chapters 4 and 7). A higher derivative of such a
    function is refused with a ValueError rather than renamed wrongly.
    """
    replace = {}
    for s in expr.atoms(sympy.Subs):  # sigma' at a compound argument u
        inner = s.expr
        if isinstance(inner, sympy.Derivative) and inner.expr.func in primes:
            if not inner.variables == s.variables == inner.expr.args:
                raise ValueError(f"with_primes renames first derivatives only; got {s}")
            replace[s] = primes[inner.expr.func](*s.point)
    for d in expr.atoms(sympy.Derivative):  # sigma' at a plain symbol
        if d.expr.func in primes:
            if d.variables != d.expr.args:
                raise ValueError(f"with_primes renames first derivatives only; got {d}")
            replace.setdefault(d, primes[d.expr.func](*d.variables))
    return expr.xreplace(replace)
