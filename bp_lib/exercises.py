"""Self-checking exercises: a checker that says what is wrong in a sentence.

An exercise in the book has two cells. The first, tagged ``solution``, defines one function that
the reader writes (the student edition replaces its body with a ``NotImplementedError``). The
second calls :func:`check` or :func:`check_function` on it; that cell passes or fails as a test
item, so a teacher's pytest report counts the exercises a student has done.
"""

import numbers

import numpy as np
import sympy


class ExerciseError(AssertionError):
    """An exercise's answer is wrong; the message says how."""


def _compare(what, got, expected, rtol, atol):
    """None if ``got`` matches ``expected``, else a sentence saying how it does not."""
    if isinstance(expected, sympy.Basic):
        try:
            got = sympy.sympify(got)
        except (sympy.SympifyError, TypeError):
            return f"{what} should be a SymPy expression; got {type(got).__name__}"
        if sympy.simplify(got - expected) != 0:
            return f"{what} is {got}, but expected an expression equal to {expected}"
        return None
    if isinstance(expected, (bool, np.bool_)):
        if not isinstance(got, (bool, np.bool_)):
            return f"{what} should be True or False; got {got!r}"
        return None if bool(got) == bool(expected) else f"{what} is {got}, expected {expected}"
    if isinstance(expected, str):
        return None if got == expected else f"{what} is {got!r}, expected {expected!r}"
    expected = np.asarray(expected, dtype=np.float64)
    try:
        got_array = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return f"{what} should be a number or an array of numbers; got {type(got).__name__}"
    if got_array.shape != expected.shape:
        kind = "a number" if expected.shape == () else f"shape {expected.shape}"
        return f"{what} has shape {got_array.shape}, expected {kind}"
    if not np.all(np.isfinite(got_array)):
        return f"{what} contains NaN or infinite values"
    if not np.allclose(got_array, expected, rtol=rtol, atol=atol):
        if expected.shape == ():
            return f"{what} is {float(got_array):.6g}, expected {float(expected):.6g}"
        i = np.unravel_index(np.argmax(np.abs(got_array - expected)), expected.shape)
        return (f"{what} differs from the expected value; the largest difference is at index "
                f"{tuple(int(k) for k in i)}: {got_array[i]:.6g} instead of {expected[i]:.6g}")
    return None


def check(name, got, expected, *, rtol=1e-7, atol=1e-10, what="your answer"):
    """Check one answer (a number, array, bool, string or SymPy expression) against the expected
    one; print a line when it is right, raise :class:`ExerciseError` with a sentence when not."""
    problem = _compare(what, got, expected, rtol, atol)
    if problem:
        raise ExerciseError(f"Exercise {name}: {problem}.")
    print(f"Exercise {name}: correct.")


def check_function(name, fn, cases, *, rtol=1e-7, atol=1e-10):
    """Check the function ``fn`` on ``cases``, a list of ``(args, expected)`` pairs (``args`` a
    tuple). Reports the first case it gets wrong, with its arguments."""
    for args, expected in cases:
        args = args if isinstance(args, tuple) else (args,)
        shown = ", ".join(_short(a) for a in args)
        try:
            got = fn(*args)
        except NotImplementedError:
            raise ExerciseError(f"Exercise {name}: {fn.__name__} is not written yet; fill it in above.") from None
        except Exception as error:  # the reader's function failed: say so in a sentence
            raise ExerciseError(
                f"Exercise {name}: {fn.__name__}({shown}) raised {type(error).__name__}: {error}"
            ) from error
        problem = _compare(f"{fn.__name__}({shown})", got, expected, rtol, atol)
        if problem:
            raise ExerciseError(f"Exercise {name}: {problem}.")
    print(f"Exercise {name}: correct on all {len(cases)} cases.")


def _short(value):
    if isinstance(value, np.ndarray):
        return f"<array of shape {value.shape}>"
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return f"{value:g}"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
