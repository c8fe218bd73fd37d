"""Checks at the package's boundary: bad input becomes a sentence, before any arithmetic.

Every public function that takes arrays or settings from a reader passes them through one of
these helpers first, so a mistake is reported as what was expected and what was given
("X has 63 rows but the network's input layer has 64 neurons"), never as a numpy traceback
from deep inside a matrix product.
"""

import numbers
import reprlib

import numpy as np


def choice(name, value, options):
    """Return ``value`` if it is one of ``options`` (a dict or a sequence of names)."""
    if not isinstance(value, str) or value not in options:
        expected = ", ".join(repr(o) for o in options)
        raise ValueError(f"unknown {name} {value!r}; expected one of {expected}")
    return value


def positive_int(name, value):
    """Return ``value`` as an int if it is a whole number >= 1."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be a positive whole number; got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive whole number; got {value}")
    return int(value)


def positive_float(name, value):
    """Return ``value`` as a float if it is a finite real number > 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a positive number; got {value!r}")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number; got {value}")
    return float(value)


def layer_sizes(sizes):
    """Return ``sizes`` as a list of ints: at least two layers, each with at least one neuron."""
    try:
        sizes = list(sizes)
    except TypeError:
        raise ValueError(
            f"sizes must be a list of layer widths such as [64, 30, 10]; got {sizes!r}"
        ) from None
    if len(sizes) < 2:
        raise ValueError(
            f"sizes must list at least two layers (an input and an output layer); got {sizes}"
        )
    for l, n in enumerate(sizes):
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
            raise ValueError(
                f"sizes[{l}] must be a positive whole number of neurons; got {n!r} in {sizes}"
            )
    return [int(n) for n in sizes]


def finite_array(name, value):
    """Return ``value`` as a float64 array, refusing entries that are not real numbers and NaN and
    infinite entries."""
    array = np.asarray(real_array(name, value), dtype=np.float64)
    # A NaN or an infinity makes the sum non-finite, and a sum of finite numbers is finite unless
    # it overflows; one pass over the array then clears almost every input, and only a non-finite
    # sum needs the entry-by-entry check.
    with np.errstate(over="ignore", invalid="ignore"):
        total_is_finite = np.isfinite(np.sum(array))
    if not total_is_finite and not np.all(np.isfinite(array)):
        bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
        raise ValueError(
            f"{name} must contain only finite numbers; it has {bad} NaN or infinite entries"
        )
    return array


def real_array(name, value):
    """Return ``value`` as a numpy array of real numbers, of the dtype it has: integers or floats
    of any size and byte order, or objects that are all real numbers (``numbers.Real``).

    Checked before any conversion to float, because numpy's conversion would keep the real part
    of a complex number with only a warning, read True as 1 and parse the text "1.5" as a number.
    Booleans are refused as the network's parameters and ``Value(True)`` are: a mask or a
    comparison is not a number until the reader says so (``.astype(float)``).
    """
    try:
        array = np.asarray(value)
    # ValueError: a ragged list; RuntimeError: a tensor that requires grad
    except (TypeError, ValueError, RuntimeError) as error:
        raise ValueError(
            f"{name} must be an array of real numbers; np.asarray could not read the "
            f"{type(value).__name__} given ({error})"
        ) from None
    given = "an array" if isinstance(value, np.ndarray) else f"a {type(value).__name__}"
    if array.dtype.kind == "O":
        for index in np.ndindex(array.shape):
            entry = array[index]
            if isinstance(entry, bool) or not isinstance(entry, numbers.Real):
                raise ValueError(
                    f"{name} must hold real numbers; got {given} of dtype object with the "
                    f"{type(entry).__name__} {reprlib.repr(entry)} at index {index}"
                )
    elif array.dtype.kind not in "iuf":
        read_as = "" if given == "an array" else " that numpy reads as an array"
        raise ValueError(
            f"{name} must hold real numbers; got {given}{read_as} of dtype {array.dtype}"
            + _NOT_REAL.get(array.dtype.kind, "")
        )
    return array


_NOT_REAL = {  # what converting each non-real kind of dtype to float would do, for the message
    "c": " (converting it would drop the imaginary parts; take .real if they are meant to be 0)",
    "b": " (a mask is not a number here; .astype(float) turns True and False into 1.0 and 0.0)",
    "U": " (numbers written as text; np.asarray(..., dtype=float) reads them)",
    "S": " (numbers written as text; np.asarray(..., dtype=float) reads them)",
}


def batch(name, value, rows, layer):
    """Return ``value`` as a finite float64 array of shape ``(rows, m)``: examples are columns.

    ``layer`` names the layer the rows must match, for the message ("input", "output").
    """
    array = finite_array(name, value)
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array of shape ({rows}, m) with one example per column; "
            f"got an array of shape {array.shape}"
        )
    if array.shape[0] != rows:
        raise ValueError(
            f"{name} has {array.shape[0]} rows but the network's {layer} layer has {rows} neurons "
            f"(examples are columns: {name} must have shape ({rows}, m))"
        )
    if array.shape[1] < 1:
        raise ValueError(
            f"{name} must hold at least one example (column); got shape {array.shape}"
        )
    return array


def same_columns(x_name, X, y_name, Y):
    """Refuse inputs and targets that hold different numbers of examples."""
    if X.shape[1] != Y.shape[1]:
        raise ValueError(
            f"{x_name} has {X.shape[1]} examples (columns) but {y_name} has {Y.shape[1]}; "
            "each input column needs one target column"
        )


def parameters(weights, biases, sizes, for_training=False):
    """Check a network's ``weights`` and ``biases`` lists against its layer widths ``sizes``.

    Each ``weights[i]`` must be a numpy array of shape (sizes[i+1], sizes[i]) and each
    ``biases[i]`` one of shape (sizes[i+1], 1), of a real dtype, with finite entries. With
    ``for_training`` (``step``, ``sgd`` and the gradient check, which change them in place) each must moreover be a
    writeable float64 array that shares no memory with another parameter or with itself, so that
    training updates exactly what a C-ordered float64 array would and never writes into memory
    that is read-only (a read-only view, a file opened with ``mmap_mode="r"``).
    """
    layers = len(sizes) - 1
    for name, given in (("weights", weights), ("biases", biases)):
        if not isinstance(given, (list, tuple)) or len(given) != layers:
            raise ValueError(
                f"{name} must be a list of {layers} arrays, one per layer after the input layer of "
                f"a network with sizes {sizes}; got {_describe(given)}"
            )
    named = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        named.append(
            (
                f"weights[{i}]",
                _parameter(f"weights[{i}]", weights[i], (n_out, n_in), for_training),
            )
        )
        named.append(
            (
                f"biases[{i}]",
                _parameter(f"biases[{i}]", biases[i], (n_out, 1), for_training),
            )
        )
    if for_training:
        for k, (name, p) in enumerate(named):
            for other_name, q in named[k + 1 :]:
                if np.may_share_memory(p, q) and np.shares_memory(p, q):
                    raise ValueError(
                        f"{name} and {other_name} share memory, so a training step would update each "
                        f"twice; give each parameter an array of its own (np.array(...) copies one)"
                    )


def direction(name, given, like, network_name):
    """Check ``given``, a direction along the parameters ``like`` (a network's weights or biases,
    called ``network_name``), as :func:`parameters` checks them: a list of one numpy array per
    layer, each of its parameter's shape, of a real dtype, with finite entries."""
    shapes = [p.shape for p in like]
    if not isinstance(given, (list, tuple)) or len(given) != len(like):
        raise ValueError(
            f"{name} must hold one array per layer, shaped like the network's {network_name}: "
            f"a list of {len(like)} arrays of shapes {shapes}; got {_describe(given)}"
        )
    for i, (g, shape) in enumerate(zip(given, shapes)):
        _parameter(f"{name}[{i}]", g, shape, for_training=False)


def network(name, net):
    """Return ``net`` if it is a :class:`bp_lib.Network`."""
    # imported here, not at the top, because bp_lib.network imports this module
    from bp_lib.network import Network

    if not isinstance(net, Network):
        raise ValueError(f"{name} must be a bp_lib.Network; got {_describe(net)}")
    return net


def as_array(name, value):
    """``value`` as a numpy array (unchanged if it is one), for parameters handed in from elsewhere."""
    if isinstance(value, np.ndarray):
        return value
    try:
        return np.asarray(value)
    except (
        TypeError,
        ValueError,
        RuntimeError,
    ) as error:  # RuntimeError: a tensor that requires grad
        raise ValueError(
            f"{name} must be an array of numbers; np.asarray could not read the "
            f"{type(value).__name__} given ({error})"
        ) from None


def _describe(value):
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)}"
    return type(value).__name__


def _parameter(name, p, shape, for_training):
    """Check one weight or bias array; see :func:`parameters`."""
    expected = f"a numpy array of shape {shape}"
    if type(p) not in (np.ndarray, np.memmap):
        kind = (
            f"a {type(p).__module__}.{type(p).__name__}"
            if isinstance(p, np.ndarray)
            else _describe(p)
        )
        hint = (
            "pass a plain numpy.ndarray"
            if isinstance(p, np.ndarray)
            else "np.asarray(...) turns it into an array"
        )
        raise ValueError(f"{name} must be {expected}; got {kind} ({hint})")
    if p.dtype.kind not in "iuf":
        raise ValueError(
            f"{name} must hold real numbers; got an array of dtype {p.dtype}"
        )
    if p.shape != shape:
        hint = ""
        if p.ndim == 1 and p.shape[0] == shape[0]:
            hint = (
                " (a bias is a column in this book: PyTorch and scikit-learn store it as a 1-D "
                "array, which b.reshape(-1, 1) turns into one)"
            )
        raise ValueError(f"{name} must have shape {shape}; got shape {p.shape}{hint}")
    finite_array(name, p)
    if not for_training:
        return p
    if p.dtype.kind != "f" or p.dtype.itemsize != 8:
        raise ValueError(
            f"{name} has dtype {p.dtype}, but training and gradient checks change the parameters in place in float64; "
            f"assign a float64 copy first ({name.split('[')[0]}[i] = array.astype(np.float64))"
        )
    if not p.flags.writeable:
        raise ValueError(
            f"{name} is read-only (a read-only view, or a file opened with mmap_mode='r'), but "
            f"training and gradient checks change the parameters in place; assign a writeable copy first "
            f"({name} = np.array({name}))"
        )
    span = sum((n - 1) * abs(s) for n, s in zip(p.shape, p.strides)) + p.itemsize
    if (
        p.size and span < p.nbytes
    ):  # more entries than distinct places: some entries are one place
        raise ValueError(
            f"{name} is a view whose entries overlap in memory (strides {p.strides}), so a training "
            f"step would update one number several times; assign a copy first ({name} = np.array({name}))"
        )
    return p
