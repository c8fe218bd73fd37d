import numpy as np
import pytest
import sympy as sp

from bp_lib.exercises import ExerciseError, check, check_function


def test_a_right_answer_prints_one_line(capsys):
    check("1.1", np.array([[1.0], [2.0]]), np.array([[1.0], [2.0]]))
    check("1.2", True, True)
    z = sp.Symbol("z")
    check("1.3", sp.exp(z) * sp.exp(-z), sp.Integer(1))
    assert capsys.readouterr().out.splitlines() == ["Exercise 1.1: correct.", "Exercise 1.2: correct.", "Exercise 1.3: correct."]


def test_a_wrong_shape_is_named():
    with pytest.raises(ExerciseError, match=r"Exercise 4.2: your dC/db has shape \(3,\), expected shape \(3, 1\)\."):
        check("4.2", np.zeros(3), np.zeros((3, 1)), what="your dC/db")


def test_wrong_values_name_the_worst_entry():
    with pytest.raises(ExerciseError, match=r"largest difference is at index \(1, 0\): 5 instead of 2"):
        check("1.1", np.array([[1.0], [5.0]]), np.array([[1.0], [2.0]]))
    with pytest.raises(ExerciseError, match=r"your answer is 0.2, expected 0.223144"):
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
    with pytest.raises(ExerciseError, match=r"should be a number or an array of numbers; got dict"):
        check("1.6", {}, 1.0)
    with pytest.raises(ExerciseError, match=r"is 'left', expected 'right'"):
        check("1.7", "left", "right")


def test_check_function_reports_the_failing_case_and_unwritten_functions(capsys):
    def double(x):
        return 2 * x

    check_function("2.1", double, [((1.0,), 2.0), ((np.ones(2),), 2 * np.ones(2))])
    assert capsys.readouterr().out == "Exercise 2.1: correct on all 2 cases.\n"
    with pytest.raises(ExerciseError, match=r"Exercise 2.1: double\(3\) is 6, expected 7\."):
        check_function("2.1", double, [(3.0, 7.0)])

    def todo(x):
        raise NotImplementedError("Exercise 2.2: todo")

    with pytest.raises(ExerciseError, match=r"Exercise 2.2: todo is not written yet; fill it in above\."):
        check_function("2.2", todo, [((1.0,), 1.0)])


def test_an_error_inside_the_readers_function_becomes_a_sentence():
    def transposes_wrongly(w, delta):
        return w @ delta

    with pytest.raises(ExerciseError, match=r"Exercise 4.2: transposes_wrongly\(<array of shape \(3, 2\)>, <array of shape \(3, 1\)>\) raised ValueError: matmul"):
        check_function("4.2", transposes_wrongly, [((np.ones((3, 2)), np.ones((3, 1))), np.ones((2, 1)))])
