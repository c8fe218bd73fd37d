"""The handwritten digits that scikit-learn ships, in the book's column layout (chapter 6).

1,797 images of 8x8 pixels with values 0..16, read from scikit-learn's own files: nothing is
downloaded. Pixels are scaled to [0, 1]; each image is one column of 64 numbers; targets are
one-hot columns of 10.
"""

from typing import NamedTuple

import numpy as np

from bp_lib import _validate


class Digits(NamedTuple):
    """A train/test split: X_* of shape (64, m), Y_* one-hot (10, m), labels_* of shape (m,)."""

    X_train: np.ndarray
    Y_train: np.ndarray
    labels_train: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray
    labels_test: np.ndarray


def one_hot(labels, n_classes):
    """Labels 0..n_classes-1 of shape (m,) as one-hot columns of shape (n_classes, m)."""
    n_classes = _validate.positive_int("n_classes", n_classes)
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(
            f"labels must be a 1-D array of whole numbers; got dtype {labels.dtype}, shape {labels.shape}"
        )
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(
            f"labels must lie in 0..{n_classes - 1}; got values from {labels.min()} to {labels.max()}"
        )
    Y = np.zeros((n_classes, labels.size))
    Y[labels, np.arange(labels.size)] = 1.0
    return Y


def load_digits(test_fraction=0.2, seed=0):
    """The digits, scaled to [0, 1], split into train and test sets stratified by class.

    The same ``seed`` gives the same split. With the default 0.2, 1,437 images train and 360 test.
    """
    if (
        isinstance(test_fraction, bool)
        or not isinstance(test_fraction, float)
        or not 0 < test_fraction < 1
    ):
        raise ValueError(
            f"test_fraction must be a number strictly between 0 and 1; got {test_fraction!r}"
        )
    # imported here, not at the top: scikit-learn takes about a second to import, and only this
    # function needs it, while every chapter and test imports bp_lib
    from sklearn.datasets import load_digits as sklearn_digits
    from sklearn.model_selection import train_test_split

    images, labels = sklearn_digits(return_X_y=True)
    X_tr, X_te, l_tr, l_te = train_test_split(
        images / 16.0,
        labels,
        test_size=test_fraction,
        random_state=seed,
        stratify=labels,
    )
    # X_tr has one image per row, each image's 64 pixels side by side in memory; its transpose has
    # one image per column and keeps them side by side, which is how Network.sgd gathers a
    # mini-batch (in the other memory order sgd would first make a transposed copy)
    return Digits(X_tr.T, one_hot(l_tr, 10), l_tr, X_te.T, one_hot(l_te, 10), l_te)
