"""Self-checking exercises: a checker that says what is wrong in a sentence.

An exercise in the book has two cells. The first, tagged ``solution``, defines one function that
the reader writes (the student edition replaces its body with a ``NotImplementedError``). The
second calls :func:`check` or :func:`check_function` on it; that cell passes or fails as a test
item, so a teacher's pytest report counts the exercises a student has done.

A wrong answer is diagnosed before it is reported: the slips of chapter 9 leave fingerprints, and
the checker names them ("twice the expected value", "m = 6 times too large: the 1/m of the batch
average is missing", "the transpose of the expected value"), as do the exercise's own known
slips, kept in :mod:`bp_lib.exercise_slips` and looked up by the exercise's name. A scalar's
expected value is never shown to more digits than the reader's error needs.
"""

import numbers

import numpy as np
import sympy

from bp_lib.exercise_slips import SLIPS, wrong_answer


class ExerciseError(AssertionError):
    """An exercise's answer is wrong; the message says how."""


def _close(got, expected, rtol, atol):
    try:
        got, expected = (
            np.asarray(got, dtype=np.float64),
            np.asarray(expected, dtype=np.float64),
        )
    except (TypeError, ValueError):
        return False
    return got.shape == expected.shape and bool(
        np.allclose(got, expected, rtol=rtol, atol=atol)
    )


def _batch_sizes(args):
    """Batch sizes m the arguments reveal: the number of columns of each 2-D array with more than one."""
    sizes = []
    for value in args:
        if (
            isinstance(value, np.ndarray)
            and value.ndim == 2
            and value.shape[1] > 1
            and value.shape[1] not in sizes
        ):
            sizes.append(value.shape[1])
    return sizes


def _factor(got, expected, args, rtol, atol):
    """A sentence naming the constant factor between ``got`` and ``expected``, or None."""
    named = [
        (
            m,
            f"m = {m} times too large, m the batch size (the number of columns): the 1/m of the "
            "batch average is missing",
        )
        for m in _batch_sizes(args)
    ]
    named += [
        (
            1 / m,
            f"m = {m} times too small, m the batch size (the number of columns): it is divided "
            "by m once too often",
        )
        for m in _batch_sizes(args)
    ]
    named += [
        (2.0, "twice the expected value: a factor 2 too many"),
        (0.5, "half the expected value: a factor 2 missing"),
        (-1.0, "the expected value with the opposite sign: a sign slip"),
        (-2.0, "-2 times the expected value: a sign slip and a factor 2"),
        (-0.5, "-1/2 times the expected value: a sign slip and a factor 1/2"),
    ]
    if not np.any(expected):
        return None
    for c, sentence in named:
        if np.allclose(got, c * expected, rtol=max(rtol, 1e-9), atol=atol):
            return sentence
    if expected.size > 1 and np.count_nonzero(expected) > 1:
        c = float(np.sum(got * expected) / np.sum(expected * expected))
        if c != 0 and np.allclose(got, c * expected, rtol=max(rtol, 1e-9), atol=atol):
            return f"{c:.3g} times the expected value in every entry: a constant factor slipped in"
    return None


def _digits(got, expected):
    """The number of significant digits at which ``got`` and ``expected`` first differ."""
    for k in range(1, 17):
        if float(f"{got:.{k}g}") != float(f"{expected:.{k}g}"):
            return k
    return 17


def _scalar_gap(what, got, expected):
    """How far the number ``got`` is from ``expected``, without giving ``expected`` away."""
    if expected == 0:
        return f"{what} is {got:.3g}, expected 0"
    if got == 0:
        return f"{what} is 0, expected a nonzero number"
    if np.sign(got) != np.sign(expected):
        return f"{what} is {got:.3g}: it has the wrong sign"
    ratio = got / expected
    if ratio > 1.5 or ratio < 1 / 1.5:
        return f"{what} is {got:.3g}, about {ratio:.2g} times the expected value"
    gap = abs(ratio - 1)
    side = "large" if ratio > 1 else "small"
    if gap >= 0.01:
        return f"{what} is {got:.3g}: too {side} by about {gap:.0%}"
    k = _digits(got, expected)
    return (
        f"{what} is {got:.{k}g}: off in the significant digit {k} (too {side} by a relative "
        f"{gap:.1g})"
    )


def _compare(what, got, expected, rtol, atol, args=(), slips=None):
    """None if ``got`` matches ``expected``, else a sentence saying how it does not. ``args`` are the
    arguments the answer came from (they may reveal a batch size); ``slips`` maps a sentence to the
    wrong answer that slip gives."""
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
            return f"{what} should be True or False; got {_short(got)}"
        if bool(got) == bool(expected):
            return None
    elif isinstance(expected, str):
        if not isinstance(got, str):
            return f"{what} should be a string such as {expected!r}; got {type(got).__name__}"
        if got == expected:
            return None
    else:
        problem = _compare_numbers(what, got, expected, rtol, atol, args)
        if problem is None:
            return None
    for sentence, wrong in (slips or {}).items():
        if (isinstance(expected, (bool, np.bool_, str)) and got == wrong) or (
            not isinstance(expected, (bool, np.bool_, str))
            and _close(got, wrong, rtol, atol)
        ):
            return f"{what} looks like this slip: {sentence}"
    if isinstance(expected, str):
        return f"{what} is {got!r}, expected {expected!r}"
    if isinstance(expected, (bool, np.bool_)):
        return f"{what} is {got}, expected {expected}"
    return problem


def _compare_numbers(what, got, expected, rtol, atol, args):
    expected = np.asarray(expected, dtype=np.float64)
    try:
        got_array = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return f"{what} should be a number or an array of numbers; got {type(got).__name__}"
    if got_array.shape != expected.shape:
        kind = "a number" if expected.shape == () else f"shape {expected.shape}"
        sentence = f"{what} has shape {got_array.shape}, expected {kind}"
        if expected.ndim == 2 and got_array.shape == expected.T.shape:
            if np.allclose(got_array, expected.T, rtol=rtol, atol=atol):
                return f"{what} is the transpose of the expected value ({sentence})"
            return f"{sentence}, its transpose: check which factor of the product is transposed"
        if got_array.size == expected.size and np.allclose(
            got_array.reshape(expected.shape), expected, rtol=rtol, atol=atol
        ):
            return f"{sentence}; the numbers are right, the shape is not (a column (n, 1) is not a vector (n,))"
        return sentence
    if not np.all(np.isfinite(got_array)):
        return (
            f"{what} contains NaN or infinite values: an overflow (e^710 is past the largest float; "
            "shift so that exp only sees numbers at most 0) or a division by zero?"
        )
    if np.allclose(got_array, expected, rtol=rtol, atol=atol):
        return None
    factor = _factor(got_array, expected, args, rtol, atol)
    if factor:
        return f"{what} is {factor}"
    if (
        expected.ndim == 2
        and expected.shape[0] == expected.shape[1]
        and np.allclose(got_array, expected.T, rtol=rtol, atol=atol)
    ):
        return f"{what} is the transpose of the expected value"
    if expected.shape == ():
        return _scalar_gap(what, float(got_array), float(expected))
    i = np.unravel_index(np.argmax(np.abs(got_array - expected)), expected.shape)
    k = max(3, _digits(float(got_array[i]), float(expected[i])))
    return (
        f"{what} differs from the expected value; the largest difference is at index "
        f"{tuple(int(j) for j in i)}: {got_array[i]:.{k}g} instead of {expected[i]:.{k}g}"
    )


def _known_slips(name, slips):
    if slips is not None:
        return dict(slips)
    return dict(SLIPS.get(name, {}))


def check(
    name, got, expected, *, rtol=1e-7, atol=1e-10, what="your answer", slips=None
):
    """Check one answer (a number, array, bool, string or SymPy expression) against the expected
    one; print a line when it is right, raise :class:`ExerciseError` with a sentence when not.
    ``slips`` maps a sentence naming a known slip to a function of no arguments giving the wrong
    answer it gives; by default, exercise ``name``'s slips in :mod:`bp_lib.exercise_slips`."""
    wrong = {}
    for sentence, slip in _known_slips(name, slips).items():
        try:
            wrong[sentence] = wrong_answer(slip, expected, ())
        except Exception:  # a slip that cannot happen here names nothing
            pass
    problem = _compare(what, got, expected, rtol, atol, slips=wrong)
    if problem:
        raise ExerciseError(f"Exercise {name}: {problem}.")
    print(f"Exercise {name}: correct.")


SHAPE_ERRORS = ("matmul", "shape", "broadcast", "dimension", "aligned", "index")


def check_function(name, fn, cases, *, rtol=1e-7, atol=1e-10, slips=None):
    """Check the function ``fn`` on ``cases``, a list of ``(args, expected)`` pairs (``args`` a
    tuple). Reports the first case it gets wrong, with its arguments and, when the answer matches
    one, the slip: a constant factor, a transpose, or one of ``slips``, a dictionary from a sentence
    ("sigma'(a) instead of sigma'(z)") to a function of the same arguments computing that wrong
    answer (by default, exercise ``name``'s slips in :mod:`bp_lib.exercise_slips`)."""
    alive = _known_slips(
        name, slips
    )  # the slips that agree with fn on every case it got right so far
    for args, expected in cases:
        args = args if isinstance(args, tuple) else (args,)
        shown = ", ".join(_short(a) for a in args)
        if len(shown) > 160:  # too long to read: arrays by their shapes
            shown = ", ".join(_short(a, 3) for a in args)
        try:
            got = fn(*args)
        except NotImplementedError:
            raise ExerciseError(
                f"Exercise {name}: {fn.__name__} is not written yet; fill it in above."
            ) from None
        except Exception as error:  # the reader's function failed: say so in a sentence
            raise ExerciseError(
                f"Exercise {name}: {_failure(fn, args, shown, error)}"
            ) from error
        wrong = {}
        for sentence, slip in list(alive.items()):
            try:
                wrong[sentence] = wrong_answer(slip, expected, args)
            except (
                Exception
            ):  # a slip that cannot happen on these arguments names nothing
                del alive[sentence]
        problem = _compare(
            f"{fn.__name__}({shown})", got, expected, rtol, atol, args, wrong
        )
        if problem:
            raise ExerciseError(f"Exercise {name}: {problem}.")
        for (
            sentence,
            value,
        ) in wrong.items():  # fn was right here: a slip that was not is not fn's
            if _compare("", value, expected, rtol, atol, args) is not None:
                del alive[sentence]
    print(f"Exercise {name}: correct on all {len(cases)} cases.")


def _failure(fn, args, shown, error):
    text = str(error).splitlines()[0] if str(error) else ""
    if isinstance(error, np.linalg.LinAlgError) and "square" in text:
        return (
            f"{fn.__name__}({shown}) raised LinAlgError: {text}. An inverse needs a square matrix; "
            "the formula asks for the transpose (slip 6 of chapter 9: the transpose is not an inverse)"
        )
    if isinstance(error, OverflowError):
        return (
            f"{fn.__name__}({shown}) overflowed ({text}): a float ends near 1.8e308, e^710 is past it. "
            "Rewrite the formula so that exp only ever sees numbers at most 0 (shift by the maximum)"
        )
    if isinstance(error, (ValueError, IndexError)) and any(
        w in text.lower() for w in SHAPE_ERRORS
    ):
        shapes = ", ".join(
            str(np.shape(a)) if isinstance(a, np.ndarray) else type(a).__name__
            for a in args
        )
        return (
            f"{fn.__name__}({shown}) failed with a shape error: given arguments of shapes {shapes}, "
            f'numpy said "{text}". Check the shape of each product: is a matrix transposed that '
            "should not be, or not transposed that should be?"
        )
    return f"{fn.__name__}({shown}) raised {type(error).__name__}: {text}"


def _number(x):
    """A number in few digits: a whole number in full (up to a million), others to 3 digits."""
    return f"{x:.0f}" if float(x).is_integer() and abs(x) < 1e6 else f"{x:.3g}"


def _short(value, entries=12):
    """An argument as the reader should see it: small arrays in full, larger ones by shape."""
    if isinstance(value, np.ndarray):
        if value.size <= entries:
            return np.array2string(
                value, separator=", ", formatter={"float_kind": _number}
            ).replace("\n", "")
        return f"<array of shape {value.shape}>"
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return _number(value) if abs(value) >= 1e-3 or value == 0 else f"{value:.3g}"
    if callable(value):
        return getattr(value, "__name__", type(value).__name__)
    if (
        isinstance(value, (list, tuple))
        and len(value) <= 12
        and all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in value)
    ):
        return "[" + ", ".join(_number(v) for v in value) + "]"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
