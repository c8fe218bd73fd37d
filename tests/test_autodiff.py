import math

import mpmath
import numpy as np
import pytest
import sympy as sp

import bp_lib
from bp_lib.autodiff import Value, as_values, grads, topological_order
from bp_lib.modules import Sequential


def grad_of(build, *xs):
    """The value and gradient of the expression ``build(*values)`` at the numbers ``xs``."""
    inputs = [Value(x) for x in xs]
    out = build(*inputs)
    out.backward()
    return out.data, [v.grad for v in inputs]


def numeric_grad(build, *xs):
    theta = np.array(xs, dtype=np.float64)
    return bp_lib.numerical_gradient(
        lambda: build(*[Value(t) for t in theta]).data, theta, h=1e-6
    )


EXPRESSIONS = {
    "sum and product": lambda x, y: x * y + x - y / 2,
    "quotient": lambda x, y: (x + 3) / (y * y + 1),
    "power": lambda x, y: (x * x + 1) ** 1.5 - y**3,
    "exp and log": lambda x, y: (x.exp() + y * y + 1).log(),
    "activations": lambda x, y: x.tanh() * y.sigmoid() + (x - y).relu(),
    "a node used twice": lambda x, y: (x * y).tanh() * (x * y) - 2 / x,
    "negative and fractional powers": lambda x, y: (
        (x * x + 0.5) ** -0.3 * y**-2 + (y * y) ** 0.75
    ),
    "a number to the power of a Value": lambda x, y: (
        2**x * 0.5**y + 3 ** (x * y) + 0 ** (x * x + 1)
    ),
}


@pytest.mark.parametrize("name", sorted(EXPRESSIONS))
def test_gradients_match_central_differences(name):
    build = EXPRESSIONS[name]
    for point in [(0.7, -1.3), (1.9, 0.4), (-0.6, 2.2)]:
        _, g = grad_of(build, *point)
        np.testing.assert_allclose(g, numeric_grad(build, *point), rtol=1e-7, atol=1e-9)


def test_values_at_known_points():
    x, y = Value(3.0), Value(-2.0)
    assert [(x + y).data, (x - y).data, (x * y).data, (x / y).data, (-x).data] == [
        1.0,
        5.0,
        -6.0,
        -1.5,
        -3.0,
    ]
    assert (
        (x**2).data == 9.0
        and (2 - x).data == -1.0
        and (1 / y).data == -0.5
        and (2 * x).data == 6.0
    )
    assert Value(0.0).exp().data == 1.0 and Value(math.e).log().data == 1.0
    assert Value(0.0).sigmoid().data == 0.5 and Value(0.0).tanh().data == 0.0
    assert y.relu().data == 0.0 and x.relu().data == 3.0


def test_local_rules_at_known_points():
    assert grad_of(lambda v: v.sigmoid(), 0.0) == (0.5, [0.25])
    assert grad_of(lambda v: v.tanh(), 0.0) == (0.0, [1.0])
    assert grad_of(lambda v: v.relu(), 0.0)[1] == [0.0]  # the book's relu'(0) = 0
    assert grad_of(lambda v: v**3, 2.0) == (8.0, [12.0])
    assert grad_of(lambda v: v.log(), 4.0)[1] == [0.25]
    assert grad_of(lambda a, b: a / b, 1.0, 4.0) == (0.25, [0.25, -0.0625])


def test_a_node_used_twice_collects_both_paths():
    x = Value(3.0)
    f = x * x + x  # df/dx = 2x + 1
    f.backward()
    assert x.grad == 7.0
    f.backward()  # backward resets the graph's grads first: the same answer again
    assert x.grad == 7.0


def test_gradient_agrees_with_sympy():
    xs, ys = sp.symbols("x y")
    expr = sp.log(sp.exp(xs) + ys**2 + 1) * sp.tanh(xs * ys)
    build = lambda x, y: (x.exp() + y * y + 1).log() * (x * y).tanh()  # noqa: E731
    for point in [(0.3, -0.8), (1.2, 2.0)]:
        value, g = grad_of(build, *point)
        at = dict(zip((xs, ys), point))
        assert value == pytest.approx(float(expr.subs(at)), rel=1e-13)
        np.testing.assert_allclose(
            g, [float(sp.diff(expr, s).subs(at)) for s in (xs, ys)], rtol=1e-12
        )


def test_topological_order_puts_parents_first_and_survives_deep_graphs():
    x = Value(1.0)
    f = (x * 2 + x.exp()) * x
    order = topological_order(f)
    position = {id(node): i for i, node in enumerate(order)}
    assert order[-1] is f and len(order) == len({id(n) for n in order})
    assert all(position[id(p)] < position[id(n)] for n in order for p in n.parents)
    deep = x
    for _ in range(5000):  # far beyond Python's recursion limit
        deep = deep + 1
    deep.backward()
    assert x.grad == 1.0 and deep.data == 5001.0


def test_matches_the_modules_on_a_small_network():
    net = bp_lib.Network([3, 4, 2], activation="tanh", cost="quadratic", seed=0)
    rng = np.random.default_rng(1)
    X, Y = rng.uniform(-1, 1, (3, 5)), rng.uniform(0, 1, (2, 5))
    W = [as_values(w) for w in net.weights]
    B = [as_values(b) for b in net.biases]
    a1 = np.frompyfunc(Value.tanh, 1, 1)(W[0] @ X + B[0])
    a2 = np.frompyfunc(Value.sigmoid, 1, 1)(W[1] @ a1 + B[1])
    C = sum(((a2 - Y) ** 2).ravel()) * 0.5 / 5
    C.backward()
    nabla_w, nabla_b = Sequential.from_network(net).gradients(X, Y)
    assert C.data == pytest.approx(net.cost_value(X, Y), rel=1e-13)
    for l in range(2):
        np.testing.assert_allclose(grads(W[l]), nabla_w[l], rtol=1e-10)
        np.testing.assert_allclose(grads(B[l]), nabla_b[l], rtol=1e-10)


def test_as_values_and_grads_keep_shapes_and_labels():
    V = as_values(np.arange(6.0).reshape(2, 3), label="w")
    assert V.shape == (2, 3) and V[1, 2].label == "w_23" and V[1, 2].data == 5.0
    assert grads(V).shape == (2, 3) and grads(V).dtype == np.float64


def test_bad_input_is_rejected_with_a_sentence():
    with pytest.raises(ValueError, match=r"data must be a real number; got str 'a'"):
        Value("a")
    with pytest.raises(ValueError, match=r"data must be a finite number; got nan"):
        Value(float("nan"))
    with pytest.raises(ValueError, match=r"data must be a real number; got bool"):
        Value(True)
    with pytest.raises(ValueError, match=r"log needs a positive argument; got 0"):
        Value(0.0).log()
    with pytest.raises(ValueError, match=r"division by zero"):
        Value(1.0) / Value(0.0)
    with pytest.raises(ValueError, match=r"exp\(800\) overflows"):
        Value(800.0).exp()
    with pytest.raises(
        ValueError, match=r"the exponent of \*\* must be a plain number"
    ):
        Value(2.0) ** Value(2.0)
    with pytest.raises(ValueError, match=r"-8 \*\* 0.5 is not a real number"):
        Value(-8.0) ** 0.5
    with pytest.raises(ValueError, match=r"0 \*\* 0.5 has no finite derivative at 0"):
        Value(0.0) ** 0.5
    with pytest.raises(ValueError, match=r"overflowed to inf"):
        Value(1e200) * Value(1e200)
    with pytest.raises(
        ValueError, match=r"one local gradient per parent Value; got 1 parents and 2"
    ):
        Value(1.0, parents=(Value(2.0),), local_grads=(1.0, 2.0))
    with pytest.raises(
        ValueError,
        match=r"a number combined with a Value must be a real number; got str",
    ):
        Value(1.0) + "2"


@pytest.mark.parametrize(
    "divisor, described",
    [
        (0, "the int 0"),
        (0.0, "the float 0.0"),
        (np.array(0.0), "the float 0.0"),
        (Value(0.0), "a Value with data 0"),
    ],
)
def test_division_by_zero_describes_the_divisor_given(divisor, described):
    with pytest.raises(
        ValueError,
        match=rf"division by zero: the divisor is {described} \(dividing 2\)$",
    ):
        Value(2.0) / divisor
    with pytest.raises(
        ValueError, match=r"division by zero: the divisor is a Value with data 0"
    ):
        1 / Value(0.0)


def test_a_value_and_a_numpy_array_give_an_object_array_whose_gradients_add_up():
    x = Value(2.0)
    left, right = x * np.arange(1.0, 4.0), np.arange(1.0, 4.0) * x
    assert left.dtype == right.dtype == object and left.shape == (3,)
    assert [v.data for v in left] == [v.data for v in right] == [2.0, 4.0, 6.0]
    sum(left).backward()
    assert x.grad == 6.0  # d/dx (x + 2x + 3x)
    y = x * np.array(3.0)  # a 0-d array is a number: the result is a Value
    assert isinstance(y, Value) and y.data == 6.0
    y.backward()
    assert x.grad == 3.0


@pytest.mark.parametrize(
    "array, message",
    [
        (
            [1.0, 2j],
            r"the array given to as_values must hold real numbers; got a list that numpy "
            r"reads as an array of dtype complex128 \(converting it would drop the imaginary",
        ),
        (np.eye(2) > 0, r"must hold real numbers; got an array of dtype bool"),
        (["1.5"], r"must hold real numbers; got a list .* of dtype <U3"),
        (np.array([np.nan, 1.0]), r"must contain only finite numbers; it has 1 NaN"),
    ],
)
def test_as_values_refuses_what_is_not_a_real_number(array, message):
    with pytest.raises(ValueError, match=message):
        as_values(array)
    with pytest.raises(ValueError, match=r"^w must "):  # named by its label
        as_values(array, label="w")


def test_extreme_inputs_give_finite_values_and_gradients():
    for x in [-1000.0, -40.0, 40.0, 1000.0, 1e300, -1e300]:
        for op in ("sigmoid", "tanh", "relu"):
            value, (g,) = grad_of(lambda v, op=op: getattr(v, op)(), x)
            assert math.isfinite(value) and math.isfinite(g)
    assert grad_of(lambda v: v.sigmoid(), -1000.0) == (0.0, [0.0])
    assert grad_of(lambda v: v.sigmoid(), 1000.0) == (1.0, [0.0])
    value, (g,) = grad_of(lambda v: v.exp(), 709.0)
    assert math.isfinite(value) and g == value


def test_power_with_a_zero_exponent_or_a_zero_base():
    for x in [0.0, -0.0, 3.0, -2.0, 1e300]:
        assert grad_of(lambda v: v**0, x) == (
            1.0,
            [0.0],
        )  # x ** 0 is the constant 1, also at 0
    assert grad_of(lambda v: v**1, 0.0) == (0.0, [1.0])
    assert grad_of(lambda v: v**2, 0.0) == (0.0, [0.0])
    assert grad_of(lambda v: v**3, -0.0) == (0.0, [0.0])
    assert grad_of(lambda v: v**1.5, 0.0) == (0.0, [0.0])
    for n in [-1, -2, -0.5]:
        with pytest.raises(
            ValueError,
            match=rf"0 \*\* {n:g} divides by zero: a negative exponent needs a nonzero",
        ):
            Value(0.0) ** n


def test_power_derivative_where_x_to_the_n_minus_1_alone_would_overflow():
    # for |x| < 1 and n < 1, n x^(n-1) is computed as n x^n / x, since x ** (n - 1) alone may overflow where
    # n x^(n-1) does not: it does for the first two (x subnormal, n small)
    for x, n in [(1e-310, 0.001), (5e-324, 1e-20), (1e-200, -0.5), (-1e-5, -3)]:
        value, (g,) = grad_of(lambda v, n=n: v**n, x)
        X, N = mpmath.mpf(x), mpmath.mpf(n)
        assert value == pytest.approx(float(X**N), rel=1e-14)
        assert g == pytest.approx(float(N * X ** (N - 1)), rel=1e-14)
    assert grad_of(lambda v: v**2, 1e-200) == (
        0.0,
        [2e-200],
    )  # x ** 2 underflows, its derivative does not


def test_a_number_to_the_power_of_a_value():
    value, (g,) = grad_of(lambda v: 2**v, 3.0)
    assert value == 8.0 and g == pytest.approx(
        8 * math.log(2), rel=1e-15
    )  # d(c^x)/dx = c^x ln c
    value, (g,) = grad_of(lambda v: 0.5**v, -1.0)
    assert value == 2.0 and g == pytest.approx(-2 * math.log(2), rel=1e-15)
    value, (g,) = grad_of(lambda v: math.e**v, 1.3)
    assert value == pytest.approx(math.exp(1.3), rel=1e-15) and g == pytest.approx(
        value, rel=1e-15
    )
    assert grad_of(lambda v: 1**v, 5.0) == (1.0, [0.0])
    assert grad_of(lambda v: 0**v, 2.0) == (
        0.0,
        [0.0],
    )  # 0 ** x is the constant 0 for every x > 0
    # Value ** Value is refused with a recipe; the recipe gives x^y and its two partial derivatives
    value, (gx, gy) = grad_of(lambda x, y: (y * x.log()).exp(), 2.0, 3.0)
    assert (value, gx, gy) == pytest.approx(
        (8.0, 3 * 2.0**2, 8 * math.log(2)), rel=1e-14
    )


def test_a_number_to_the_power_of_a_value_refuses_with_a_sentence():
    with pytest.raises(
        ValueError,
        match=r"\(-2\) \*\* x is a real number only at whole x, so it has no "
        r"derivative with respect to x \(here 3\); a base of \*\* with a Value "
        r"exponent must be positive",
    ):
        (-2) ** Value(3.0)
    for x in [0.0, -1.0]:
        with pytest.raises(
            ValueError,
            match=rf"0 \*\* {x:g} has no derivative with respect to x \(0 \*\* x is 0 "
            r"for x > 0 and infinite for x < 0\); a base of \*\* with a Value",
        ):
            0 ** Value(x)
    with pytest.raises(
        ValueError, match=r"the base of \*\* must be a real number; got str '2'"
    ):
        "2" ** Value(1.0)
    with pytest.raises(
        ValueError, match=r"the base of \*\* must be a finite number; got inf"
    ):
        math.inf ** Value(1.0)


OVERFLOWS = [  # (operation, sentence) where float arithmetic gives inf or a bare OverflowError
    (
        lambda: Value(1e155) ** 2,
        r"the result of \*\* overflowed to inf; the numbers are too large for a float",
    ),
    (lambda: Value(-1e155) ** 3, r"the result of \*\* overflowed to -inf"),
    (lambda: Value(1e-200) ** -2, r"the result of \*\* overflowed to inf"),
    (
        lambda: Value(2.0) ** 1023,
        r"the local derivative of \*\* overflowed to inf",
    ),  # 2^1023 itself is finite
    (
        lambda: Value(1e-300) ** -0.1,
        r"the local derivative of \*\* overflowed to -inf",
    ),  # 1e30 itself is finite
    (lambda: 10 ** Value(400.0), r"the result of \*\* overflowed to inf"),
    (
        lambda: 1e300 ** Value(1.02),
        r"the local derivative of \*\* overflowed to inf",
    ),  # 1e306 itself is finite
    (lambda: Value(1e308) + Value(1e308), r"the result of \+ overflowed to inf"),
    (lambda: Value(-1e308) - Value(1e308), r"the result of - overflowed to -inf"),
    (lambda: Value(1e300) / Value(1e-10), r"the result of / overflowed to inf"),
    (
        lambda: Value(1.0) / Value(1e-200),
        r"the local derivative of / overflowed to -inf",
    ),  # -x/y^2; 1e200 is finite
    (lambda: Value(1e-310).log(), r"the local derivative of log overflowed to inf"),
    (lambda: Value(710.0).exp(), r"exp\(710\) overflows"),
]


@pytest.mark.parametrize("case", range(len(OVERFLOWS)))
def test_overflow_is_a_sentence(case):
    operation, message = OVERFLOWS[case]
    with pytest.raises(ValueError, match=message):
        operation()


def test_extreme_inputs_give_a_value_or_a_sentence_never_a_bare_error():
    xs = [
        0.0,
        -0.0,
        5e-324,
        1e-310,
        1e-300,
        0.3,
        -0.3,
        1.0,
        -1.0,
        2.0,
        -2.0,
        1e155,
        -1e155,
        1e300,
        -1e300,
        710.0,
    ]
    ns = [0, 1, 2, 3, 1023, 0.5, 1.5, 2.5, -1, -2, -0.5, -0.1, 1e-20, 1e300, -1e300]
    builds = [
        lambda a, b: a + b,
        lambda a, b: a - b,
        lambda a, b: a * b,
        lambda a, b: a / b,
    ]
    builds += [lambda a, b, n=n: a**n for n in ns] + [
        lambda a, b, n=n: n**a for n in ns
    ]
    builds += [
        lambda a, b, op=op: getattr(a, op)()
        for op in ("exp", "log", "tanh", "sigmoid", "relu")
    ]
    for build in builds:
        for x, y in [(x, y) for x in xs for y in xs[:8]]:
            try:
                value, g = grad_of(build, x, y)
            except ValueError:
                continue
            assert math.isfinite(value) and all(math.isfinite(d) for d in g)
