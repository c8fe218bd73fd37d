import numpy as np
import pytest
import sympy as sp

from bp_lib.exercises import ExerciseError, check, check_function


def test_a_right_answer_prints_one_line(capsys):
    check("1.1", np.array([[1.0], [2.0]]), np.array([[1.0], [2.0]]))
    check("1.2", True, True)
    z = sp.Symbol("z")
    check("1.3", sp.exp(z) * sp.exp(-z), sp.Integer(1))
    assert capsys.readouterr().out.splitlines() == [
        "Exercise 1.1: correct.",
        "Exercise 1.2: correct.",
        "Exercise 1.3: correct.",
    ]


def test_a_wrong_shape_is_named():
    with pytest.raises(
        ExerciseError,
        match=r"Exercise 4.2: your dC/db has shape \(3,\), expected shape \(3, 1\)\.",
    ):
        check("4.2", np.arange(3.0), np.ones((3, 1)), what="your dC/db")
    with pytest.raises(
        ExerciseError,
        match=r"shape \(3,\), expected shape \(3, 1\); the numbers are right",
    ):
        check("4.2", np.arange(3.0), np.arange(3.0)[:, None], what="your dC/db")


def test_wrong_values_name_the_worst_entry():
    with pytest.raises(
        ExerciseError, match=r"largest difference is at index \(1, 0\): 5 instead of 2"
    ):
        check("1.1", np.array([[1.0], [5.0]]), np.array([[1.0], [2.0]]))
    with pytest.raises(
        ExerciseError, match=r"your answer is 0.2: too small by about 10%\.$"
    ):
        check("5.1", 0.2, -np.log(0.8))


def test_other_kinds_of_wrong_answer():
    z = sp.Symbol("z")
    with pytest.raises(ExerciseError, match=r"expected an expression equal to"):
        check("3.1", 2 * z, z)
    with pytest.raises(ExerciseError, match=r"should be True or False; got 1"):
        check("1.4", 1, True)
    with pytest.raises(ExerciseError, match=r"is False, expected True"):
        check("1.4", False, True)
    with pytest.raises(ExerciseError, match=r"contains NaN"):
        check("1.5", np.array([np.nan]), np.array([0.0]))
    with pytest.raises(
        ExerciseError, match=r"should be a number or an array of numbers; got dict"
    ):
        check("1.6", {}, 1.0)
    with pytest.raises(ExerciseError, match=r"is 'left', expected 'right'"):
        check("1.7", "left", "right")


def test_check_function_reports_the_failing_case_and_unwritten_functions(capsys):
    def double(x):
        return 2 * x

    check_function("2.1", double, [((1.0,), 2.0), ((np.ones(2),), 2 * np.ones(2))])
    assert capsys.readouterr().out == "Exercise 2.1: correct on all 2 cases.\n"
    with pytest.raises(
        ExerciseError, match=r"Exercise 2.1: double\(3\) is 6: too small by about 14%\."
    ):
        check_function("2.1", double, [(3.0, 7.0)])

    def todo(x):
        raise NotImplementedError("Exercise 2.2: todo")

    with pytest.raises(
        ExerciseError,
        match=r"Exercise 2.2: todo is not written yet; fill it in above\.",
    ):
        check_function("2.2", todo, [((1.0,), 1.0)])


def test_an_error_inside_the_readers_function_becomes_a_sentence():
    def transposes_wrongly(w, delta):
        return w @ delta

    with pytest.raises(
        ExerciseError,
        match=r"Exercise 4.2: transposes_wrongly\(<array of shape \(3, 5\)>, \[\[1\], \[1\], \[1\]\]\) failed "
        r"with a shape error: given arguments of shapes \(3, 5\), \(3, 1\), numpy said \"matmul",
    ):
        check_function(
            "4.2",
            transposes_wrongly,
            [((np.ones((3, 5)), np.ones((3, 1))), np.ones((5, 1)))],
        )


def test_a_constant_factor_names_its_slip():
    expected = np.array([[1.0, -2.0, 0.5], [0.25, 3.0, -1.0]])
    delta = np.ones((2, 6))  # six columns: the batch size m = 6
    for factor, words in [
        (6, r"m = 6 times too large, m the batch size .*1/m .* missing"),
        (1 / 6, r"m = 6 times too small"),
        (2, r"twice the expected value"),
        (0.5, r"half the expected value"),
        (-1, r"opposite sign: a sign slip"),
        (3.7, r"3.7 times the expected value in every entry"),
    ]:
        with pytest.raises(ExerciseError, match=words):
            check_function(
                "4.3",
                lambda d, factor=factor: factor * expected,
                [((delta,), expected)],
            )
    with pytest.raises(ExerciseError, match=r"is twice the expected value"):
        check("3.2", 2 * np.pi, np.pi)


def test_a_transpose_is_named():
    expected = np.arange(6.0).reshape(2, 3)
    with pytest.raises(
        ExerciseError,
        match=r"is the transpose of the expected value \(your answer has shape \(3, 2\)",
    ):
        check("0.3", expected.T, expected)
    square = np.array([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(
        ExerciseError, match=r"is the transpose of the expected value\.$"
    ):
        check("0.3", square.T, square)


def test_a_named_slip_is_recognised():
    def slope(z):
        return bp_lib_sigmoid(z) * (1 - bp_lib_sigmoid(z))

    def slope_of_a(z):
        a = bp_lib_sigmoid(z)
        return bp_lib_sigmoid(a) * (1 - bp_lib_sigmoid(a))

    z = np.array([-1.0, 0.5, 2.0])
    with pytest.raises(
        ExerciseError,
        match=r"slope_of_a\(\[-1, 0.5, 2\]\) looks like this slip: sigma'\(a\) instead of sigma'\(z\)\.",
    ):
        check_function(
            "9.0",
            slope_of_a,
            [((z,), slope(z))],
            slips={"sigma'(a) instead of sigma'(z)": slope_of_a},
        )
    with pytest.raises(ExerciseError, match=r"looks like this slip: the wrong one"):
        check("9.1", "b", "a", slips={"the wrong one": lambda: "b"})


def bp_lib_sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_a_scalar_keeps_its_expected_value_to_itself():
    for got, expected, words in [
        (3.6, 3.63689, r"is 3.6: too small by about 1%\.$"),
        (3.6369, 3.63689, r"is 3.6369: off in the significant digit 6 \(too large"),
        (-0.5, 0.7, r"is -0.5: it has the wrong sign"),
        (30.0, 3.63689, r"is 30, about 8.2 times the expected value"),
    ]:
        with pytest.raises(ExerciseError, match=words) as raised:
            check("0.2", got, expected)
        assert "3.637" not in str(raised.value) and "3.63689" not in str(raised.value)


def test_arguments_are_shown_in_full_when_small():
    def wrong(x, xs, f):
        return 0.0

    with pytest.raises(ExerciseError, match=r"wrong\(\[0.123, 2\], \[1.5, -2\], sin\)"):
        check_function(
            "6.1", wrong, [((np.array([0.12345, 2.0]), [1.5, -2.0], np.sin), 1.0)]
        )
