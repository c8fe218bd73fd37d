import numpy as np
import pytest

import bp_lib


def test_digits_split_in_the_column_layout():
    d = bp_lib.load_digits()
    assert d.X_train.shape == (64, 1437) and d.X_test.shape == (64, 360)
    assert d.Y_train.shape == (10, 1437) and d.Y_test.shape == (10, 360)
    assert d.X_train.min() == 0.0 and d.X_train.max() == 1.0
    np.testing.assert_array_equal(d.Y_train.argmax(axis=0), d.labels_train)
    np.testing.assert_array_equal(d.Y_test.sum(axis=0), np.ones(360))
    assert (
        np.bincount(d.labels_test).min() >= 35
    )  # stratified: every digit is in the test set
    # each image's pixels side by side in memory, the order in which sgd gathers a mini-batch
    assert d.X_train.flags.f_contiguous and d.X_test.flags.f_contiguous


def test_same_seed_same_split_other_seed_other_split():
    a, b, c = (
        bp_lib.load_digits(seed=1),
        bp_lib.load_digits(seed=1),
        bp_lib.load_digits(seed=2),
    )
    np.testing.assert_array_equal(a.X_test, b.X_test)
    assert not np.array_equal(a.X_test, c.X_test)
    assert bp_lib.load_digits(test_fraction=0.5).X_test.shape == (64, 899)


def test_one_hot():
    np.testing.assert_array_equal(
        bp_lib.one_hot(np.array([2, 0]), 3), [[0, 1], [0, 0], [1, 0]]
    )
    with pytest.raises(
        ValueError, match=r"labels must lie in 0..2; got values from 0 to 3"
    ):
        bp_lib.one_hot(np.array([0, 3]), 3)
    with pytest.raises(
        ValueError, match=r"labels must be a 1-D array of whole numbers"
    ):
        bp_lib.one_hot(np.array([0.5]), 3)


@pytest.mark.parametrize("fraction", [0.0, 1.0, 2, "0.2"])
def test_test_fraction_is_checked(fraction):
    with pytest.raises(
        ValueError, match=r"test_fraction must be a number strictly between 0 and 1"
    ):
        bp_lib.load_digits(test_fraction=fraction)
