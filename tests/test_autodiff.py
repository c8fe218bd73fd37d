import math

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
    return bp_lib.numerical_gradient(lambda: build(*[Value(t) for t in theta]).data, theta, h=1e-6)


EXPRESSIONS = {
    "sum and product": lambda x, y: x * y + x - y / 2,
    "quotient": lambda x, y: (x + 3) / (y * y + 1),
    "power": lambda x, y: (x * x + 1) ** 1.5 - y ** 3,
    "exp and log": lambda x, y: (x.exp() + y * y + 1).log(),
    "activations": lambda x, y: x.tanh() * y.sigmoid() + (x - y).relu(),
    "a node used twice": lambda x, y: (x * y).tanh() * (x * y) - 2 / x,
}


@pytest.mark.parametrize("name", sorted(EXPRESSIONS))
def test_gradients_match_central_differences(name):
    build = EXPRESSIONS[name]
    for point in [(0.7, -1.3), (1.9, 0.4), (-0.6, 2.2)]:
        _, g = grad_of(build, *point)
        np.testing.assert_allclose(g, numeric_grad(build, *point), rtol=1e-7, atol=1e-9)


def test_values_at_known_points():
    x, y = Value(3.0), Value(-2.0)
    assert [(x + y).data, (x - y).data, (x * y).data, (x / y).data, (-x).data] == [1.0, 5.0, -6.0, -1.5, -3.0]
    assert (x ** 2).data == 9.0 and (2 - x).data == -1.0 and (1 / y).data == -0.5 and (2 * x).data == 6.0
    assert Value(0.0).exp().data == 1.0 and Value(math.e).log().data == 1.0
    assert Value(0.0).sigmoid().data == 0.5 and Value(0.0).tanh().data == 0.0
    assert y.relu().data == 0.0 and x.relu().data == 3.0


def test_local_rules_at_known_points():
    assert grad_of(lambda v: v.sigmoid(), 0.0) == (0.5, [0.25])
    assert grad_of(lambda v: v.tanh(), 0.0) == (0.0, [1.0])
    assert grad_of(lambda v: v.relu(), 0.0)[1] == [0.0]  # the book's relu'(0) = 0
    assert grad_of(lambda v: v ** 3, 2.0) == (8.0, [12.0])
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
    expr = sp.log(sp.exp(xs) + ys ** 2 + 1) * sp.tanh(xs * ys)
    build = lambda x, y: (x.exp() + y * y + 1).log() * (x * y).tanh()  # noqa: E731
    for point in [(0.3, -0.8), (1.2, 2.0)]:
        value, g = grad_of(build, *point)
        at = dict(zip((xs, ys), point))
        assert value == pytest.approx(float(expr.subs(at)), rel=1e-13)
        np.testing.assert_allclose(g, [float(sp.diff(expr, s).subs(at)) for s in (xs, ys)], rtol=1e-12)


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
    with pytest.raises(ValueError, match=r"the exponent of \*\* must be a plain number"):
        Value(2.0) ** Value(2.0)
    with pytest.raises(ValueError, match=r"-8 \*\* 0.5 is not a real number"):
        Value(-8.0) ** 0.5
    with pytest.raises(ValueError, match=r"0 \*\* 0.5 has no finite derivative at 0"):
        Value(0.0) ** 0.5
    with pytest.raises(ValueError, match=r"overflowed to inf"):
        Value(1e200) * Value(1e200)
    with pytest.raises(ValueError, match=r"one local gradient per parent Value; got 1 parents and 2"):
        Value(1.0, parents=(Value(2.0),), local_grads=(1.0, 2.0))
    with pytest.raises(ValueError, match=r"a number combined with a Value must be a real number; got str"):
        Value(1.0) + "2"


def test_extreme_inputs_give_finite_values_and_gradients():
    for x in [-1000.0, -40.0, 40.0, 1000.0, 1e300, -1e300]:
        for op in ("sigmoid", "tanh", "relu"):
            value, (g,) = grad_of(lambda v: getattr(v, op)(), x)
            assert math.isfinite(value) and math.isfinite(g)
    assert grad_of(lambda v: v.sigmoid(), -1000.0) == (0.0, [0.0])
    assert grad_of(lambda v: v.sigmoid(), 1000.0) == (1.0, [0.0])
    value, (g,) = grad_of(lambda v: v.exp(), 709.0)
    assert math.isfinite(value) and g == value
