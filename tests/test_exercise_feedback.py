"""Every exercise's checker names the typical slips: at least three wrong answers per exercise, each
rejected with a sentence that says what the slip was, not only which number is off.

Cheap by design: no kernel, no notebook run. Each exercise's reference is its solution cell, read
from the chapter and exec'd with ``np``, ``bp_lib`` and ``sp``; its cases are small ones written
here (chapter 9's networks come from its hidden cases' preamble); ``check_function`` is called on
the wrong answer directly, without ``slips=``, as a check cell calls it: each exercise's own known
slips come from ``bp_lib.exercise_slips``, looked up by the exercise's name, so what is tested here
is what a reader and the grader see. The generic fingerprints (a factor 2, the batch size, a sign,
a transpose, a shape error, an overflow) need no entry there.
"""

import math
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

import bp_lib
from bp_lib.autodiff import Value
from bp_lib.exercise_slips import SLIPS, from_expected
from bp_lib.exercises import ExerciseError, check_function
from publishing import coursework, notebooks

pytestmark = pytest.mark.filterwarnings(
    "ignore::RuntimeWarning"
)  # the overflows are the point
CHAPTERS = Path(__file__).resolve().parents[1] / "chapters"


def _references():
    found = {}
    for path in sorted(CHAPTERS.glob("*.ipynb")):
        book = notebooks.read(path)
        for exercise in notebooks.exercises(book):
            namespace = {"np": np, "bp_lib": bp_lib, "sp": sp}
            for index in exercise.solutions:
                exec(notebooks.python_source(book.cells[index].source), namespace)
            name = coursework.DEF.findall(book.cells[exercise.solutions[-1]].source)[0]
            found[exercise.name] = namespace[name]
    return found


REF = _references()
NINE = {}
exec(
    coursework.read_hidden_cases(
        coursework.HIDDEN_CASES / "09_common_slips.py"
    ).preamble,
    NINE,
)
S, S1 = bp_lib.sigmoid, bp_lib.sigmoid_prime

# generic fingerprints, which check_function names without being told
TWICE, HALF, SIGN = (
    r"is twice the expected value",
    r"is half the expected value",
    r"opposite sign: a sign slip",
)
BATCH, FEWER = (
    r"m = \d+ times too large, m the batch size",
    r"m = \d+ times too small, m the batch size",
)
TRANSPOSE, SHAPE = (
    r"is the transpose of the expected value",
    r"failed with a shape error: given arguments of shapes",
)
OVERFLOW, INVERSE = (
    r"NaN or infinite values: an overflow",
    r"An inverse needs a square matrix",
)


def named(function, name):
    function.__name__ = name
    return function


def softplus_value_and_slope(softplus):
    """Exercise 8.4's check, for a given softplus: [softplus(u0), its slope by backward()]."""

    def value_and_slope(u0):
        leaf = Value(u0)
        out = softplus(leaf)
        if not any(p is leaf for p in out.parents):
            raise TypeError(
                "the Value softplus returns must have the input Value among its parents"
            )
        (2.0 * out).backward()
        return [out.data, leaf.grad / 2.0]

    return named(value_and_slope, "softplus_value_and_slope")


def central_jacobian(f, z, h=1e-6):
    return np.column_stack(
        [(f(z + h * e) - f(z - h * e)) / (2 * h) for e in np.eye(z.shape[0])]
    )


rng = np.random.default_rng(2024)
net_a, X_a, Y_a, net_b, X_b, Y_b, with_slip = (
    NINE[k] for k in ("net_a", "X_a", "Y_a", "net_b", "X_b", "Y_b", "with_slip")
)
ex_net = bp_lib.Network([4, 5, 3, 2], activation="sigmoid", seed=7)
ex_X, ex_Y = rng.normal(size=(4, 6)), rng.uniform(size=(2, 6))
ex_zs, ex_as = ex_net.forward(ex_X)
ex_deltas = ex_net.deltas(ex_X, ex_Y)
z_92 = rng.normal(size=4)


def batch_norm_args(u, dv, gamma):
    """Exercise 11.1's arguments (dv, u_hat, gamma, s) for the batch u."""
    s = np.sqrt(u.var(axis=1, keepdims=True) + 1e-5)
    return dv, (u - u.mean(axis=1, keepdims=True)) / s, gamma, s


# the arguments of each exercise's cases; the expected values are the reference's
ARGS = {
    "0.1": [(np.array([-3.0, 1.5]),), (0.0,), (2.0,), (np.array([-1000.0, 1000.0]),)],
    "0.2": [()],
    "0.3": [
        (rng.normal(size=(4, 3)),),
        (rng.normal(size=(1, 6)),),
        (rng.normal(size=(3, 3)),),
    ],
    "1.1": [
        (np.array([0.45, -0.30, 1.2, 0.20, 0.00, 0.55]),),
        (np.array([[0.1, -0.2], [0.0, 5.0]]),),
    ],
    "1.2": [
        (np.array([0.45, -0.30, 1.2, 0.20, 0.00, 0.55]),),
        (np.array([-3.0, 2.0, 0.5]),),
        (np.array([0.1, -0.2, 0.15]),),
    ],
    "1.3": [([784, 30, 10],), ([2, 1],), ([5, 4, 3, 2],)],
    "1.4": [([1.0, 2.0, 3.0],), ([-1.0, 1.0],), ([0.0, 2.0, 4.0],)],
    "2.1": [(1.0, [2.0, -0.5, 3.0]), (0.7, [1.3])],
    "2.2": [(1.0, 0.5, [2.0, -0.5, 3.0]), (-1.2, 0.3, [0.4, 1.1, -0.8, 1.4])],
    "2.3": [(rng.uniform(-2, 2, (1, 4)), rng.uniform(-2, 2, (1, 4)), [0.9, -1.2, 0.5])],
    "2.4": [(1.0, 0.2, [2.0, -0.5, 3.0]), (0.7, 0.9, [1.3])],
    "3.1": [(float(np.tanh(0.8)),), (np.tanh(np.array([-3.0, -0.5, 2.5])),)],
    "3.2": [(0.5, 1.2, -0.3, 1.0), (-1.5, 0.4, 0.8, 0.0)],
    "3.3": [("sigmoid", 0.1), ("tanh", 0.1), ("sigmoid", 0.01), ("tanh", 0.5)],
    "3.4": [
        (1.0, 0.0, [0.8, -1.1, 0.6], [0.1, 0.9, -0.2]),
        (-0.5, 0.3, [1.5, 0.7, -0.4, 1.2], [0.2, 0.1, 0.6, -0.3]),
    ],
    "4.1": [(ex_zs[-1], ex_Y)],
    "4.2": [
        (ex_net.weights[2], ex_deltas[2], ex_zs[1]),
        (ex_net.weights[1], ex_deltas[1], ex_zs[0]),
    ],
    "4.3": [(ex_deltas[l], ex_as[l]) for l in range(3)],
    "4.4": [
        (rng.normal(size=(3, 1)), np.eye(3)[:, [1]]),
        (rng.normal(size=(3, 1)), np.eye(3)[:, [0]]),
    ],
    "5.1": [(0.0,), (4.0,), (-6.0,)],
    "5.2": [
        (np.array([0.8, 0.1, 0.1]), np.array([1.0, 0, 0])),
        (np.array([0.8, 0.1, 0.1]), np.array([0.5, 0.5, 0])),
    ],
    "5.3": [
        (rng.normal(size=3), np.array([1.0, 1.0, 0.0])),
        (np.array([800.0, 0.0, -800.0]), np.array([0.0, 1.0, 0.0])),
    ],
    "5.4": [
        (np.array([1.0, 2.0, 3.0]),),
        (np.array([1000.0, 999.0, 0.0]),),
        (np.array([1000.0, -1000.0]),),
    ],
    "5.5": [(rng.normal(size=3),), (np.array([1000.0, 0.0, -1000.0]),)],
    "6.1": [(lambda v: v**3, 2.0, 0.1), (np.sin, 1.0, 1e-3)],
    "6.2": [(rng.normal(size=(3, 4)), rng.normal(size=(3, 4)), 0.5, 5.0, 1437)],
    "6.3": [
        (np.array([0, 1, 2, 2, 2]), np.array([0, 2, 2, 0, 2]), 3),
        (np.array([0, 1, 2, 2, 2]), np.array([0, 2, 2, 0, 2]), 5),
    ],
    "6.4": [(1437, 10, 30), (100, 30, 2)],
    "7.1": [
        (np.array([[0.0, 0, 0], [0.5, 0, 0], [0, 0, 0], [0, 0, 1]]),),
        (np.array([[1.0, -1.0], [0, 0], [2, 0]]),),
    ],
    "7.2": [
        ([1.3, -0.7], [0.2, 0.1], 0.8, 1.0),
        ([0.9, -1.1, 2.0, 0.5], [0.3, 0.2, -0.4, 0.1], 0.8, 0.0),
    ],
    "7.3": [(np.array([[-5.0, 0.0], [3.0, 4.0]]),), (4 * rng.normal(size=(5, 7)),)],
    "8.1": [
        (rng.normal(size=(2, 4)), rng.normal(size=(3, 4))),
        (rng.normal(size=(4, 7)), rng.normal(size=(2, 7))),
    ],
    "8.2": [
        (rng.normal(size=(2, 4)), rng.normal(size=(3, 4))),
        (rng.normal(size=(6, 3)), rng.normal(size=(4, 3))),
    ],
    "8.3": [(S(rng.uniform(-4, 4, (3, 4))), rng.normal(size=(3, 4)))],
    "8.4": [(-3.0,), (2.5,), (800.0,), (-40.0,)],
    "9.1": [
        (net_a, X_a, Y_a, net_a.backprop, with_slip(net_a, "s'(a)")),
        (net_b, X_b, Y_b, with_slip(net_b, "inverse"), net_b.backprop),
    ],
    "9.2": [(S, z_92), (bp_lib.softmax, z_92), (lambda v: v - v.mean(), z_92)],
    "9.3": [
        (net_a, X_a, Y_a, with_slip(net_a, "no 1/m")),
        (net_a, X_a, Y_a, with_slip(net_a, "sign")),
        (net_b, X_b, Y_b, net_b.backprop),
    ],
    "9.4": [(2.0,), (0.5,), (-3.0,), (-1.0,)],
    "10.1": [
        (lambda p: (p[0] * p[1]).tanh() + p[2].exp(), np.array([0.3, -1.2, 0.5])),
        (
            lambda p: 0.5 * ((1.5 * p[0] + p[1]).sigmoid() - 1) ** 2,
            np.array([0.8, -0.5]),
        ),
    ],
    # a square w first: the slips that only a square w lets through are named there
    "10.2": [
        (rng.normal(size=(3, 3)), rng.normal(size=(3, 1)), *rng.normal(size=(2, 3, 1)))
    ]
    + [(rng.normal(size=(2, 4)), rng.normal(size=(2, 1)), *rng.normal(size=(2, 4, 1)))],
    "10.3": [
        (rng.normal(size=(3, 3)), rng.normal(size=(3, 1)), *rng.normal(size=(2, 3, 1)))
    ]
    + [
        (
            rng.normal(size=(2, 4)),
            rng.normal(size=(2, 1)),
            rng.normal(size=(4, 1)),
            rng.normal(size=(2, 1)),
        )
    ],
    "10.4": [(12, 3), (10, 4), (7, 3), (5, 5)],
    "11.1": [
        batch_norm_args(
            rng.normal(1, 2, (3, 5)),
            rng.normal(size=(3, 5)),
            rng.uniform(0.5, 2, (3, 1)),
        ),
        batch_norm_args(
            rng.normal(0, 1, (2, 8)), rng.normal(size=(2, 8)), np.array([[1.3], [-0.6]])
        ),
    ],
    # p = 1/2 first, where 1/p and 1/(1 - p) agree; then p = 0.2, where they do not
    "11.2": [
        (rng.normal(size=(3, 4)), rng.uniform(size=(3, 4)) < 0.5, 0.5),
        (rng.normal(size=(2, 6)), rng.uniform(size=(2, 6)) < 0.8, 0.2),
    ],
    "11.3": [
        (
            rng.normal(size=(3, 3)),
            rng.normal(size=(3, 1)),
            rng.normal(size=(3, 4)),
            rng.normal(size=(3, 4)),
        ),
        (
            rng.normal(size=(2, 2)),
            rng.normal(size=(2, 1)),
            rng.normal(size=(2, 5)),
            rng.normal(size=(2, 5)),
        ),
    ],
    "11.4": [
        (rng.normal(size=(2, 3)), rng.uniform(-1, 1, (3, 4))),
        (rng.normal(size=(3, 3)), rng.uniform(-1, 1, (3, 2))),
    ],
}
FUNCTION = dict(REF)
FUNCTION["8.4"] = softplus_value_and_slope(REF["8.4"])


def as_slip(name, sentence):
    """The slip ``sentence`` of exercise ``name`` as a student's function (named like the reference)."""
    slip = SLIPS[name][sentence]
    if isinstance(slip, from_expected):
        return named(
            lambda *args: slip.function(FUNCTION[name](*args), *args),
            FUNCTION[name].__name__,
        )
    return named(slip, FUNCTION[name].__name__)


def wrong(name, body):
    return named(body, FUNCTION[name].__name__)


# the wrong answers the generic fingerprints catch:
# (exercise, what the student did, function, what the message must say)
GENERIC = [
    (
        "0.1",
        "the slope with the wrong sign",
        wrong("0.1", lambda z: -S(z) * (1 - S(z))),
        SIGN,
    ),
    (
        "0.1",
        "e^-z / (1 + e^-z)^2, which overflows",
        wrong("0.1", lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2),
        OVERFLOW,
    ),
    (
        "0.2",
        "the smaller root of s^2 - s + 1/40",
        wrong("0.2", lambda: np.log((1 - np.sqrt(0.9)) / (1 + np.sqrt(0.9)))),
        SIGN,
    ),
    (
        "0.2",
        "3.6, rounded",
        wrong("0.2", lambda: 3.6),
        r"is 3.6: too small by about 1%\.$",
    ),
    ("0.3", "W itself", wrong("0.3", lambda W: W), TRANSPOSE),
    (
        "0.3",
        "an inverse for the transpose",
        wrong("0.3", lambda W: np.linalg.inv(W)),
        INVERSE,
    ),
    ("1.1", "the sign of the gradient", wrong("1.1", lambda g: np.sign(g)), SIGN),
    (
        "1.4",
        "1 / largest eigenvalue",
        wrong("1.4", lambda xs: REF["1.4"](xs) / 2),
        HALF,
    ),
    (
        "2.2",
        "delta_0 = y - x_n",
        wrong("2.2", lambda x0, y, ws: -REF["2.2"](x0, y, ws)),
        SIGN,
    ),
    (
        "2.3",
        "a sum over the batch",
        wrong("2.3", lambda X, Y, ws: X.shape[1] * REF["2.3"](X, Y, ws)),
        BATCH,
    ),
    (
        "2.3",
        "x_n - y written y - x_n",
        wrong("2.3", lambda X, Y, ws: -REF["2.3"](X, Y, ws)),
        SIGN,
    ),
    (
        "2.4",
        "2 (a - y), the derivative of (a - y)^2",
        wrong("2.4", lambda x0, y, ws: 2 * REF["2.4"](x0, y, ws)),
        TWICE,
    ),
    ("3.1", "-(1 - a^2)", wrong("3.1", lambda a: a**2 - 1), SIGN),
    (
        "3.2",
        "(a - y) s'(z) without the 2",
        wrong("3.2", lambda x, w, b, y: REF["3.2"](x, w, b, y) / 2),
        HALF,
    ),
    ("3.2", "y - a", wrong("3.2", lambda x, w, b, y: -REF["3.2"](x, w, b, y)), SIGN),
    (
        "3.3",
        "the root below 1/2",
        wrong("3.3", lambda act, f: -REF["3.3"](act, f)),
        SIGN,
    ),
    (
        "3.4",
        "2 (a - y)",
        wrong("3.4", lambda x, y, w, b: 2 * REF["3.4"](x, y, w, b)),
        TWICE,
    ),
    ("4.1", "y - a", wrong("4.1", lambda z, y: (y - S(z)) * S1(z)), SIGN),
    (
        "4.2",
        "w delta, without the transpose",
        wrong("4.2", lambda w, d, z: (w @ d) * S1(z)),
        SHAPE,
    ),
    (
        "4.2",
        "an inverse for the transpose",
        wrong("4.2", lambda w, d, z: (np.linalg.inv(w) @ d) * S1(z)),
        INVERSE,
    ),
    ("4.3", "no 1/m", wrong("4.3", lambda d, a: d @ a.T), BATCH),
    (
        "4.3",
        "a_prev delta^T / m",
        wrong("4.3", lambda d, a: a @ d.T / d.shape[1]),
        TRANSPOSE,
    ),
    (
        "4.3",
        "delta a_prev, without the transpose",
        wrong("4.3", lambda d, a: d @ a / d.shape[1]),
        SHAPE,
    ),
    (
        "4.3",
        "divided by m twice",
        wrong("4.3", lambda d, a: d @ a.T / d.shape[1] ** 2),
        FEWER,
    ),
    ("4.4", "y - q", wrong("4.4", lambda z, y: -REF["4.4"](z, y)), SIGN),
    (
        "5.1",
        "the quadratic's delta over the cross-entropy's, negated",
        wrong("5.1", lambda z: -REF["5.1"](z)),
        SIGN,
    ),
    (
        "5.2",
        "no minus sign",
        wrong("5.2", lambda q, y: float(np.sum(y * np.log(q)))),
        SIGN,
    ),
    ("5.3", "y - q sum(y)", wrong("5.3", lambda z, y: -REF["5.3"](z, y)), SIGN),
    (
        "5.3",
        "softmax without the shift, which overflows",
        wrong("5.3", lambda z, y: np.exp(z) / np.exp(z).sum() * y.sum() - y),
        OVERFLOW,
    ),
    (
        "5.4",
        "the shift by the mean of z (passed the public checks)",
        wrong(
            "5.4", lambda z: float(np.mean(z) + np.log(np.sum(np.exp(z - np.mean(z)))))
        ),
        OVERFLOW,
    ),
    (
        "5.4",
        "no shift at all",
        wrong("5.4", lambda z: float(np.log(np.sum(np.exp(z))))),
        OVERFLOW,
    ),
    ("5.5", "q q^T - diag(q)", wrong("5.5", lambda z: -REF["5.5"](z)), SIGN),
    (
        "5.5",
        "softmax without the shift",
        wrong(
            "5.5",
            lambda z: (lambda q: np.diag(q) - np.outer(q, q))(
                np.exp(z) / np.exp(z).sum()
            ),
        ),
        OVERFLOW,
    ),
    (
        "6.1",
        "divided by h, not 2 h",
        wrong("6.1", lambda f, t, h: (f(t + h) - f(t - h)) / h),
        TWICE,
    ),
    (
        "6.1",
        "f(theta - h) - f(theta + h)",
        wrong("6.1", lambda f, t, h: (f(t - h) - f(t + h)) / (2 * h)),
        SIGN,
    ),
    (
        "6.3",
        "predictions as rows",
        wrong("6.3", lambda t, p, k: REF["6.3"](p, t, k)),
        TRANSPOSE,
    ),
    ("7.2", "y - a", wrong("7.2", lambda w, b, x, y: -REF["7.2"](w, b, x, y)), SIGN),
    (
        "8.1",
        "divided by m, which dz already holds",
        wrong("8.1", lambda dz, a: dz @ a.T / dz.shape[1]),
        FEWER,
    ),
    ("8.1", "a_prev dz^T", wrong("8.1", lambda dz, a: a @ dz.T), TRANSPOSE),
    (
        "8.1",
        "dz a_prev, without the transpose",
        wrong("8.1", lambda dz, a: dz @ a),
        SHAPE,
    ),
    (
        "8.2",
        "the book's layout dZ A_prev^T",
        wrong("8.2", lambda dZ, A: dZ @ A.T),
        TRANSPOSE,
    ),
    (
        "8.2",
        "A_prev dZ, without the transpose",
        wrong("8.2", lambda dZ, A: A @ dZ),
        SHAPE,
    ),
    ("8.2", "divided by m", wrong("8.2", lambda dZ, A: A @ dZ.T / dZ.shape[1]), FEWER),
    ("8.3", "-da a (1 - a)", wrong("8.3", lambda a, da: -da * a * (1 - a)), SIGN),
    (
        "8.4",
        "ln(1 + e^v) as written, which overflows",
        softplus_value_and_slope(
            lambda v: Value(
                math.log(1 + math.exp(v.data)),
                parents=(v,),
                local_grads=(float(S(v.data)),),
            )
        ),
        r"overflowed \(math range error\)",
    ),
    (
        "8.4",
        "a Value without its input among its parents",
        softplus_value_and_slope(lambda v: Value(math.log1p(math.exp(v.data)))),
        r"must have the input Value among its parents",
    ),
    (
        "9.1",
        "0 or 1, not 'a' or 'b'",
        wrong("9.1", lambda *a: 0),
        r"should be a string such as 'b'; got int",
    ),
    (
        "9.1",
        "the backprop function, not its letter",
        wrong("9.1", lambda net, X, Y, a, b: b),
        r"should be a string such as 'b'; got function",
    ),
    (
        "9.2",
        "the whole test array, not one True or False",
        wrong("9.2", lambda f, z: np.abs(central_jacobian(f, z)) <= 1e-8),
        r"should be True or False; got <array of shape \(4, 4\)>",
    ),
    (
        "10.1",
        "the partial derivatives with the wrong sign",
        wrong("10.1", lambda f, theta: -REF["10.1"](f, theta)),
        SIGN,
    ),
    (
        "10.2",
        "twice the JVP",
        wrong("10.2", lambda w, b, x, u: 2 * REF["10.2"](w, b, x, u)),
        TWICE,
    ),
    (
        "10.3",
        "half the VJP",
        wrong("10.3", lambda w, b, x, v: REF["10.3"](w, b, x, v) / 2),
        HALF,
    ),
    ("10.4", "a sign slip", wrong("10.4", lambda L, k: -REF["10.4"](L, k)), SIGN),
    (
        "11.1",
        "g_j - ... written the other way round, a sign slip",
        wrong("11.1", lambda dv, u_hat, gamma, s: -REF["11.1"](dv, u_hat, gamma, s)),
        SIGN,
    ),
    (
        "11.4",
        "summed over the batch, without the 1/m",
        wrong("11.4", lambda w, x: x.shape[1] * REF["11.4"](w, x)),
        BATCH,
    ),
    (
        "11.4",
        "the transpose",
        wrong("11.4", lambda w, x: REF["11.4"](w, x).T),
        TRANSPOSE,
    ),
]

# the wrong answers an exercise's own slips name: every sentence of SLIPS, as a student's function
NAMED = [(name, sentence) for name, slips in SLIPS.items() for sentence in slips]


def cases(name):
    return [(args, FUNCTION[name](*args)) for args in ARGS[name]]


@pytest.mark.parametrize("name", sorted(ARGS))
def test_the_reference_passes_its_cases(name, capsys):
    check_function(name, FUNCTION[name], cases(name))
    assert capsys.readouterr().out.endswith(
        "correct on all %d cases.\n" % len(ARGS[name])
    )


@pytest.mark.parametrize(
    "name, what, function, words", GENERIC, ids=[f"{g[0]}: {g[1]}" for g in GENERIC]
)
def test_a_generic_slip_is_named(name, what, function, words):
    with pytest.raises(ExerciseError, match=rf"^Exercise {name}: .*{words}"):
        check_function(name, function, cases(name))


@pytest.mark.parametrize(
    "name, sentence", NAMED, ids=[f"{n}: {s[:40]}" for n, s in NAMED]
)
def test_an_exercises_own_slip_is_named(name, sentence):
    with pytest.raises(ExerciseError) as raised:
        check_function(name, as_slip(name, sentence), cases(name))
    assert f"looks like this slip: {sentence}." in str(raised.value)


def test_every_exercise_has_three_named_wrong_answers():
    count = {name: 0 for name in REF}
    for name, *_ in GENERIC + NAMED:
        count[name] += 1
    assert set(ARGS) == set(REF)
    assert set(SLIPS) <= set(REF), (
        "bp_lib.exercise_slips names an exercise the book does not have"
    )
    assert {name: n for name, n in count.items() if n < 3} == {}


def test_the_answers_that_passed_the_public_checks_are_caught():
    """5.4's shift by the mean overflows at z = (1000, -1000); 9.4's max(c, 1) is wrong at c = -3."""
    by_mean = wrong(
        "5.4", lambda z: float(np.mean(z) + np.log(np.sum(np.exp(z - np.mean(z)))))
    )
    with pytest.raises(
        ExerciseError,
        match=r"log_sum_exp\(\[1000, -1000\]\) contains NaN or infinite values: an overflow",
    ):
        check_function("5.4", by_mean, cases("5.4"))
    with pytest.raises(
        ExerciseError,
        match=r"fingerprint\(-3\) looks like this slip: max\(c, 1\) where max\(\|c\|, 1\)",
    ):
        check_function(
            "9.4",
            as_slip("9.4", "max(c, 1) where max(|c|, 1) belongs: a negative c"),
            cases("9.4"),
        )
