"""Forward mode (bp_lib.forward_mode, chapter 10): Dual's tangents are Value's gradients, its
errors are Value's sentences, network_jvp is the gradient along a direction, and every mutant
planted in Dual's rules is caught by the checks the chapter relies on."""

import math
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

import bp_lib
import bp_lib.forward_mode
from bp_lib.autodiff import Dual as DualFromAutodiff
from bp_lib.autodiff import Value
from bp_lib.forward_mode import Dual, network_jvp

# Each expression uses only operators and methods, so it runs on Value, Dual or a mutant Dual.
# Together they use every rule of Dual: + - * / ** (a whole, a fractional and a negative
# exponent, a base below 1), the reflected forms, unary minus, exp, log, tanh, sigmoid, relu.
EXPRESSIONS = {
    "sum, difference, product": lambda x, y: x * y + x - y / 2,
    "quotient": lambda x, y: (x + 3) / (y * y + 1),
    "reflected forms": lambda x, y: 2 - x + 3 / (y * y + 1) - (1 - y) * 2,
    "unary minus": lambda x, y: -(x * y) + (-x).exp(),
    "powers": lambda x, y: (x * x + 1) ** 1.5 - y**3 + (y * y + 0.2) ** -0.3,
    "a power of a small base": lambda x, y: (x * x * 0.5 + 0.01) ** 0.4 * y,
    "a number to the power of a Dual": lambda x, y: 2**x * 0.5**y,
    "exp and log": lambda x, y: (x.exp() + y * y + 1).log(),
    "tanh and sigmoid": lambda x, y: x.tanh() * y.sigmoid(),
    "relu on both sides": lambda x, y: (x - y).relu() + (y - x).relu() * 3,
}
POINTS = [(0.7, -1.3), (1.9, 0.4), (-0.6, 2.2), (0.3, 0.9)]


def value_gradient(build, point):
    leaves = [Value(p) for p in point]
    build(*leaves).backward()
    return [v.grad for v in leaves]


def dual_tangents(build, point, cls=Dual):
    """Each partial derivative by one forward pass, the input seeded with tangent 1."""
    out = []
    for i in range(len(point)):
        inputs = [cls(p, 1.0 if j == i else 0.0) for j, p in enumerate(point)]
        out.append(build(*inputs).tangent)
    return out


def central(build, point, cls=Dual, h=1e-6):
    out = []
    for i in range(len(point)):
        up, down = list(point), list(point)
        up[i] += h
        down[i] -= h
        f_up = build(*[cls(p) for p in up]).data
        f_down = build(*[cls(p) for p in down]).data
        out.append((f_up - f_down) / (2 * h))
    return out


def test_dual_is_importable_from_autodiff_and_the_package():
    assert DualFromAutodiff is Dual and bp_lib.Dual is Dual


@pytest.mark.parametrize("name", sorted(EXPRESSIONS))
def test_tangents_equal_value_gradients_and_central_differences(name):
    build = EXPRESSIONS[name]
    for point in POINTS:
        tangents = dual_tangents(build, point)
        np.testing.assert_allclose(
            tangents, value_gradient(build, point), rtol=1e-12, atol=1e-14
        )
        np.testing.assert_allclose(
            tangents, central(build, point), rtol=1e-6, atol=1e-8
        )
        assert build(*[Dual(p) for p in point]).data == pytest.approx(
            build(*[Value(p) for p in point]).data, rel=1e-15
        )


def test_tangents_agree_with_sympy():
    xs, ys = sp.symbols("x y")
    expr = sp.log(sp.exp(xs) + ys**2 + 1) * sp.tanh(xs * ys)
    build = lambda x, y: (x.exp() + y * y + 1).log() * (x * y).tanh()
    for point in [(0.3, -0.8), (1.2, 2.0)]:
        at = dict(zip((xs, ys), point))
        expected = [float(sp.diff(expr, s).subs(at)) for s in (xs, ys)]
        np.testing.assert_allclose(dual_tangents(build, point), expected, rtol=1e-12)


def test_a_direction_gives_the_directional_derivative():
    build = EXPRESSIONS["quotient"]
    point, direction = (0.7, -1.3), (0.6, -0.8)
    out = build(*[Dual(p, d) for p, d in zip(point, direction)])
    expected = np.dot(value_gradient(build, point), direction)
    assert out.tangent == pytest.approx(expected, rel=1e-13)


def test_constants_have_no_tangent_and_repr_shows_both():
    assert Dual(2.0).tangent == 0.0 and (Dual(2.0) * 3).tangent == 0.0
    assert repr(Dual(1.5, -2.0)) == "Dual(data=1.5, tangent=-2)"
    assert Dual(0.0, 1.0).relu().tangent == 0.0  # relu'(0) = 0, as for Value
    assert (Dual(3.0, 1.0) ** 0).tangent == 0.0 and (Dual(0.0, 1.0) ** 0).data == 1.0


ERRORS = [  # (what Dual is given, the sentence; the same as Value's, with "Dual" for "Value")
    (lambda: Dual("a"), r"data must be a real number; got str 'a'"),
    (lambda: Dual(1.0, float("nan")), r"tangent must be a finite number; got nan"),
    (lambda: Dual(True), r"data must be a real number; got bool"),
    (lambda: Dual(0.0, 1.0).log(), r"log needs a positive argument; got 0"),
    (
        lambda: Dual(1.0) / Dual(0.0),
        r"division by zero: the divisor is a Dual with data 0",
    ),
    (lambda: Dual(800.0).exp(), r"exp\(800\) overflows"),
    (lambda: Dual(2.0) ** Dual(2.0), r"the exponent of \*\* must be a plain number"),
    (lambda: Dual(-8.0) ** 0.5, r"-8 \*\* 0.5 is not a real number"),
    (lambda: Dual(0.0) ** 0.5, r"0 \*\* 0.5 has no finite derivative at 0"),
    (lambda: Dual(0.0) ** -1, r"0 \*\* -1 divides by zero"),
    (
        lambda: (-2) ** Dual(3.0),
        r"a base of \*\* with a Dual exponent must be positive",
    ),
    (lambda: 0 ** Dual(-1.0), r"0 \*\* -1 has no derivative with respect to x"),
    (lambda: Dual(1e200) * Dual(1e200), r"the result of \* overflowed to inf"),
    (lambda: Dual(1e155) ** 2, r"the result of \*\* overflowed to inf"),
    (lambda: Dual(1.0, 1e300) * 1e10, r"the tangent of \* overflowed to inf"),
    (lambda: Dual(1.0, 1e300) / Dual(1e-200), r"the tangent of / overflowed"),
    (lambda: Dual(1e-310, 1.0).log(), r"the slope of log overflowed to inf"),
    (lambda: Dual(1.0) + "2", r"a number combined with a Dual must be a real number"),
]


@pytest.mark.parametrize("case", range(len(ERRORS)))
def test_bad_input_is_a_sentence(case):
    operation, message = ERRORS[case]
    with pytest.raises(ValueError, match=message):
        operation()


@pytest.mark.parametrize(
    "divisor, described",
    [
        (0, "the int 0"),
        (0.0, "the float 0.0"),
        (-0.0, "the float -0.0"),
        (np.float64(0), "the float64 0.0"),
        (np.array(0), "the int 0"),  # a 0-d array is the number it holds
        (Dual(0.0, 1.0), "a Dual with data 0"),
    ],
)
def test_division_by_zero_describes_the_divisor_given(divisor, described):
    with pytest.raises(
        ValueError,
        match=rf"division by zero: the divisor is {described} \(dividing 2\)$",
    ):
        Dual(2.0, 1.0) / divisor


@pytest.mark.parametrize("cls", [Dual, Value])
def test_numpy_operands_on_either_side_give_the_same(cls):
    """A numpy scalar or 0-d array is a number; an array of one or more dimensions makes numpy
    apply the operator entry by entry, giving an object array, whichever side it is on."""
    x, c = cls(2.0), np.array([1.0, -3.0, 0.5])

    def entries(result):
        assert isinstance(result, np.ndarray) and result.dtype == object
        assert all(isinstance(r, cls) for r in result.ravel())
        return [r.data for r in result.ravel()]

    for op in ("+", "-", "*", "/", "**"):
        f = {
            "+": lambda a, b: a + b,
            "-": lambda a, b: a - b,
            "*": lambda a, b: a * b,
            "/": lambda a, b: a / b,
            "**": lambda a, b: a**b,
        }[op]
        assert entries(f(x, c)) == [f(x, float(k)).data for k in c], op
        if op != "**":  # an array to the power of a Value is an object array too
            assert entries(f(c, x)) == [f(float(k), x).data for k in c], op
        for scalar in (np.array(0.5), np.float64(0.5), np.float32(0.5)):
            assert f(x, scalar).data == f(x, 0.5).data
            assert f(scalar, x).data == f(0.5, x).data
    assert entries(x * np.ones((2, 3))) == [2.0] * 6
    assert cls(np.array(3.0)).data == 3.0
    name = cls.__name__
    with pytest.raises(
        ValueError,
        match=rf"a number combined with a {name} must be a real number; got complex",
    ):
        x * np.array([1.0, 1j])
    with pytest.raises(
        ValueError,
        match=rf"a number combined with a {name} must be a real number; got bool",
    ):
        x + np.array(True)
    with pytest.raises(
        ValueError, match=r"the exponent must be a real number; got str"
    ):
        x ** np.array("2")


def test_extreme_inputs_give_finite_values_and_tangents():
    for x in [-1000.0, -40.0, 40.0, 1000.0, 1e300, -1e300]:
        for op in ("sigmoid", "tanh", "relu"):
            out = getattr(Dual(x, 1.0), op)()
            assert math.isfinite(out.data) and math.isfinite(out.tangent)
    assert Dual(-1000.0, 1.0).sigmoid().tangent == 0.0


def test_network_jvp_is_the_gradient_along_the_direction():
    rng = np.random.default_rng(5)
    for activation, cost in [
        ("sigmoid", "quadratic"),
        ("tanh", "cross_entropy"),
        ("relu", "softmax_cross_entropy"),
    ]:
        net = bp_lib.Network([3, 5, 4, 2], activation=activation, cost=cost, seed=2)
        X = rng.normal(size=(3, 6))
        Y = bp_lib.one_hot(rng.integers(0, 2, 6), 2)
        dw = [rng.normal(size=w.shape) for w in net.weights]
        db = [rng.normal(size=b.shape) for b in net.biases]
        C, dC = network_jvp(net, X, Y, dw, db)
        nabla_w, nabla_b = net.backprop(X, Y)
        expected = sum(np.sum(g * d) for g, d in zip(nabla_w + nabla_b, dw + db))
        assert C == net.cost_value(X, Y)
        assert dC == pytest.approx(expected, rel=1e-12)


def test_network_jvp_refuses_a_direction_that_does_not_fit():
    net = bp_lib.Network([3, 2], seed=0)
    X, Y = np.zeros((3, 1)), np.zeros((2, 1))
    with pytest.raises(
        ValueError, match=r"dw\[0\] must have shape \(2, 3\); got shape \(3, 2\)"
    ):
        network_jvp(net, X, Y, [np.zeros((3, 2))], [np.zeros((2, 1))])
    with pytest.raises(ValueError, match=r"db must hold one array per layer"):
        network_jvp(net, X, Y, [np.zeros((2, 3))], [])


NET_45 = bp_lib.Network([4, 5, 3], seed=0)
DW = [np.ones(w.shape) for w in NET_45.weights]
DB = [np.ones(b.shape) for b in NET_45.biases]
BAD_DIRECTIONS = [  # (dw, db, the sentence): checked as the network's own parameters are
    (
        [w * np.nan for w in DW],
        DB,
        r"dw\[0\] must contain only finite numbers; it has 20 NaN or infinite entries",
    ),
    (
        DW,
        [DB[0], np.full((3, 1), np.inf)],
        r"db\[1\] must contain only finite numbers; it has 3 NaN or infinite entries",
    ),
    (
        None,
        DB,
        r"dw must hold one array per layer, shaped like the network's weights: a list of 2 "
        r"arrays of shapes \[\(5, 4\), \(3, 5\)\]; got NoneType",
    ),
    (
        DW,
        DB[:1],
        r"db must hold one array per layer, shaped like the network's biases: a list of 2 "
        r"arrays of shapes \[\(5, 1\), \(3, 1\)\]; got a list of 1",
    ),
    (
        [w.T for w in DW],
        DB,
        r"dw\[0\] must have shape \(5, 4\); got shape \(4, 5\)",
    ),
    (
        DW,
        [b.ravel() for b in DB],
        r"db\[0\] must have shape \(5, 1\); got shape \(5,\) \(a bias is a column",
    ),
    (
        [DW[0], DW[1] + 1j],
        DB,
        r"dw\[1\] must hold real numbers; got an array of dtype complex128",
    ),
    (
        [DW[0].tolist(), DW[1]],
        DB,
        r"dw\[0\] must be a numpy array of shape \(5, 4\); got a list of 5",
    ),
    (
        DW,
        [b > 0 for b in DB],
        r"db\[0\] must hold real numbers; got an array of dtype bool",
    ),
]


@pytest.mark.parametrize("case", range(len(BAD_DIRECTIONS)))
def test_network_jvp_checks_the_direction_like_the_parameters(case):
    dw, db, message = BAD_DIRECTIONS[case]
    X, Y = np.ones((4, 2)), np.full((3, 2), 0.5)
    with pytest.raises(ValueError, match=message):
        network_jvp(NET_45, X, Y, dw, db)


def test_network_jvp_takes_directions_of_any_real_dtype_and_refuses_a_non_network():
    X, Y = np.ones((4, 2)), np.full((3, 2), 0.5)
    expected = network_jvp(NET_45, X, Y, DW, DB)
    as_ints = network_jvp(NET_45, X, Y, [w.astype(int) for w in DW], tuple(DB))
    big_endian = network_jvp(NET_45, X, Y, [w.astype(">f8") for w in DW], DB)
    assert as_ints == big_endian == expected
    with pytest.raises(
        ValueError, match=r"net must be a bp_lib.Network; got Sequential"
    ):
        network_jvp(bp_lib.Sequential.from_network(NET_45), X, Y, DW, DB)


# Mutation testing: each mutant is Dual's source with one rule changed, the kind of slip a
# hand-written forward mode makes. The chapter's two checks, tangents against Value's gradients
# and against central differences of Dual's own values, must catch every one.
SOURCE = Path(bp_lib.forward_mode.__file__).read_text(encoding="utf-8")
MUTANTS = {
    "+: the second tangent dropped": (
        "self.tangent + other.tangent",
        "self.tangent",
    ),
    "-: the tangents added": (
        "self.tangent - other.tangent",
        "self.tangent + other.tangent",
    ),
    "*: one term of the product rule dropped": (
        "other.data * self.tangent + self.data * other.tangent",
        "other.data * self.tangent",
    ),
    "*: the tangents multiplied": (
        "other.data * self.tangent + self.data * other.tangent",
        "self.tangent * other.tangent",
    ),
    "/: a sign in the quotient rule": (
        "(self.tangent - q * other.tangent) / other.data",
        "(self.tangent + q * other.tangent) / other.data",
    ),
    "/: not divided by the divisor": (
        "(self.tangent - q * other.tangent) / other.data",
        "(self.tangent - q * other.tangent)",
    ),
    "unary minus: the tangent kept": (
        "Dual(-self.data, -self.tangent)",
        "Dual(-self.data, self.tangent)",
    ),
    "**: n x^n for n x^(n-1)": ("slope = n * x ** (n - 1)", "slope = n * x ** n"),
    "**: the small-base slope without n": ("slope = n * y / x", "slope = y / x"),
    "c ** x: the ln c left out": (
        '_finite("**", y * math.log(c), "slope")',
        '_finite("**", y, "slope")',
    ),
    "reflected -: the operands swapped": (
        "return _as_dual(other) - self",
        "return self - _as_dual(other)",
    ),
    "reflected /: the operands swapped": (
        "return _as_dual(other) / self",
        "return self / _as_dual(other)",
    ),
    "exp: the tangent not scaled": ('"exp", e * self.tangent', '"exp", self.tangent'),
    "log: u for 1/u": ('1.0 / self.data, "slope"', 'self.data, "slope"'),
    "tanh: 1 + tanh^2": (
        "(1.0 - t * t) * self.tangent",
        "(1.0 + t * t) * self.tangent",
    ),
    "tanh: 1 - tanh": ("(1.0 - t * t) * self.tangent", "(1.0 - t) * self.tangent"),
    "sigmoid: s for s (1 - s)": ("s * (1.0 - s) * self.tangent", "s * self.tangent"),
    "relu: slope 1 everywhere": ("1.0 if self.data > 0 else 0.0", "1.0"),
}


def compiled(source, name):
    """The class Dual of ``source``, a version of bp_lib/forward_mode.py."""
    namespace = {"__name__": "bp_lib.forward_mode_mutant"}
    exec(compile(source, name, "exec"), namespace)
    return namespace["Dual"]


def mutant(name):
    old, new = MUTANTS[name]
    assert SOURCE.count(old) == 1, f"mutant {name!r}: {old!r} must occur once"
    return compiled(SOURCE.replace(old, new), f"mutant: {name}")


def caught(cls):
    """True if the chapter's checks reject ``cls``: a tangent that differs from Value's gradient
    or from central differences, on any expression at any point, or an error raised."""
    for build in EXPRESSIONS.values():
        for point in POINTS:
            try:
                tangents = dual_tangents(build, point, cls)
                numeric = central(build, point, cls)
            except (ValueError, ZeroDivisionError, OverflowError):
                return True
            if not np.allclose(
                tangents, value_gradient(build, point), rtol=1e-9, atol=1e-12
            ) or not np.allclose(tangents, numeric, rtol=1e-5, atol=1e-7):
                return True
    return False


def test_the_unmutated_dual_passes_the_checks():
    assert not caught(Dual)
    assert not caught(compiled(SOURCE, "forward_mode.py, unmutated"))


@pytest.mark.parametrize("name", sorted(MUTANTS))
def test_every_mutant_of_duals_rules_is_caught(name):
    assert caught(mutant(name)), f"the mutant {name!r} passed every check"


def test_mutants_caught_count():
    found = [name for name in MUTANTS if caught(mutant(name))]
    print(f"{len(found)} of {len(MUTANTS)} mutants caught")
    assert len(found) == len(MUTANTS) == 18
