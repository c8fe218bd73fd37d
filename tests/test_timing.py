import pytest

from bp_lib.timing import best_time


def test_best_time_is_the_shortest_of_the_runs():
    calls = []
    took = best_time(lambda: calls.append(1), repeats=4)
    assert len(calls) == 4 and 0 <= took < 1


@pytest.mark.parametrize("repeats", [0, -1, 2.5, True, "3"])
def test_best_time_refuses_a_count_that_is_not_a_positive_whole_number(repeats):
    with pytest.raises(ValueError, match="repeats must be a whole number >= 1"):
        best_time(lambda: None, repeats=repeats)
