"""A fully connected network and the four equations of backpropagation, vectorised over a batch.

Notation (chapter 4): ``weights[l - 1]`` is the book's w^l, of shape (n_l, n_(l-1)), with
w^l_jk the weight *to* neuron j of layer l *from* neuron k of layer l-1; ``biases[l - 1]`` is
b^l, of shape (n_l, 1). The book counts layers from 1 (the input layer is layer 0); the lists
here count from 0, so list index i holds the book's layer i + 1. Examples are columns: a batch
X has shape (n_0, m), and every z^l, a^l and delta^l has shape (n_l, m).

    z^l     = w^l a^(l-1) + b^l
    a^l     = s(z^l)                                   (the cost's output activation at l = L)
    delta^L = dC_x/dz^L                                (BP1, the cost's ``delta``)
    delta^l = ((w^(l+1))^T delta^(l+1)) (.) s'(z^l)    (BP2)
    dC/db^l = mean over examples of delta^l            (BP3)
    dC/dw^l = mean over examples of delta^l (a^(l-1))^T  (BP4)

Derived in chapter 4; the same steps one example at a time are in chapter 6.
"""

import numpy as np

from bp_lib import _validate
from bp_lib.activations import get_activation
from bp_lib.costs import get_cost
from bp_lib.training import sgd as _sgd


def count_parameters(sizes):
    """The number of weights and biases of a fully connected network with these layer widths.

    Layer l has n_l * n_(l-1) weights and n_l biases (chapter 1): for [784, 30, 10] that is
    784*30 + 30 + 30*10 + 10 = 23,860.
    """
    sizes = _validate.layer_sizes(sizes)
    return sum(n_out * n_in + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


class Network:
    """A fully connected feedforward network trained by backpropagation.

    ``Network([64, 30, 10], activation="sigmoid", cost="quadratic", seed=0)``

    - ``activation``: "sigmoid", "tanh", "relu" or "identity", for the hidden layers.
    - ``cost``: "quadratic" (sigmoid output layer, C_x = 1/2 ||a - y||^2), "cross_entropy"
      (sigmoid output layer) or "softmax_cross_entropy" (softmax output layer).
    - ``output_activation``: with the quadratic cost only, another elementwise output activation
      (e.g. "identity" for the linear chain of chapter 2).
    - ``seed``: weights are drawn from N(0, 1/n_(l-1)) and biases from N(0, 1) by a numpy
      generator with this seed, so the same seed gives the same network.
    """

    def __init__(self, sizes, activation="sigmoid", cost="quadratic", seed=None, output_activation=None):
        self.sizes = _validate.layer_sizes(sizes)
        self.activation = get_activation(activation)
        self.cost = get_cost(cost, output_activation)
        rng = np.random.default_rng(seed)
        self.weights = [
            rng.standard_normal((n_out, n_in)) / np.sqrt(n_in)
            for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:])
        ]
        self.biases = [rng.standard_normal((n_out, 1)) for n_out in self.sizes[1:]]

    def __repr__(self):
        return (
            f"Network({self.sizes}, activation={self.activation.name!r}, "
            f"cost={self.cost.name!r}, output={self.cost.output.name!r})"
        )

    @property
    def num_layers(self):
        """The number of layers, the input layer included."""
        return len(self.sizes)

    def copy(self):
        """An independent copy with the same weights and biases."""
        twin = object.__new__(Network)
        twin.sizes, twin.activation, twin.cost = list(self.sizes), self.activation, self.cost
        twin.weights = [w.copy() for w in self.weights]
        twin.biases = [b.copy() for b in self.biases]
        return twin

    # --- checked entry points: validate, then compute --------------------------------------

    def feedforward(self, X):
        """The output activations a^L for a batch X: (sizes[0], m) -> (sizes[-1], m)."""
        X = self._check_input(X)
        return self._forward(X)[1][-1]

    def forward(self, X):
        """Every layer's weighted inputs and activations: ``(zs, activations)``.

        ``zs[i]`` is z^(i+1), shape (sizes[i+1], m); ``activations[i]`` is a^i, with a^0 = X.
        """
        return self._forward(self._check_input(X))

    def deltas(self, X, Y):
        """The error delta^l = dC_x/dz^l of every layer and example: ``deltas[i]`` is delta^(i+1),
        of shape (sizes[i+1], m), one column per example (not yet averaged)."""
        X, Y = self._check_batch(X, Y)
        zs, activations = self._forward(X)
        return self._backward(zs, activations, Y)

    def backprop(self, X, Y):
        """The gradient of the cost averaged over the m columns of X: ``(nabla_w, nabla_b)``.

        ``nabla_w[i]`` has the shape of ``weights[i]`` and ``nabla_b[i]`` that of ``biases[i]``.
        """
        X, Y = self._check_batch(X, Y)
        return self._backprop(X, Y)

    def cost_value(self, X, Y):
        """The cost C averaged over the columns of the batch."""
        X, Y = self._check_batch(X, Y)
        return self._cost_value(X, Y)

    def accuracy(self, X, Y):
        """The fraction of examples classified correctly: the largest output is the target's
        largest entry (with one output neuron: output and target on the same side of 1/2)."""
        X, Y = self._check_batch(X, Y)
        return self._accuracy(self._forward(X)[1][-1], Y)

    def sgd(self, X, Y, epochs, batch_size, eta, seed=None, test_data=None):
        """Mini-batch stochastic gradient descent; returns the per-epoch history. See
        :func:`bp_lib.training.sgd`."""
        return _sgd(self, X, Y, epochs=epochs, batch_size=batch_size, eta=eta, seed=seed, test_data=test_data)

    # --- the equations, on arrays already checked ------------------------------------------

    def _forward(self, X):
        zs, activations = [], [X]
        a = X
        last = len(self.weights) - 1
        for l, (w, b) in enumerate(zip(self.weights, self.biases)):
            z = w @ a + b  # z^l = w^l a^(l-1) + b^l
            a = self.cost.output.fn(z) if l == last else self.activation.fn(z)  # a^l = s(z^l)
            zs.append(z)
            activations.append(a)
        return zs, activations

    def _backward(self, zs, activations, Y):
        delta = self.cost.delta(zs[-1], activations[-1], Y)  # BP1
        deltas = [delta]
        for l in range(len(self.weights) - 2, -1, -1):  # list index l is the book's layer l + 1
            # BP2, with s'(z^l) computed from a^l = s(z^l), which the forward pass already holds
            delta = (self.weights[l + 1].T @ delta) * self.activation.prime_from_output(activations[l + 1])
            deltas.append(delta)
        deltas.reverse()
        return deltas

    def _backprop(self, X, Y):
        zs, activations = self._forward(X)
        deltas = self._backward(zs, activations, Y)
        m = X.shape[1]
        nabla_b = [delta.sum(axis=1, keepdims=True) / m for delta in deltas]  # BP3
        nabla_w = [delta @ a.T / m for delta, a in zip(deltas, activations[:-1])]  # BP4
        return nabla_w, nabla_b

    def _cost_value(self, X, Y):
        return self.cost.value(self._forward(X)[0][-1], Y)

    @staticmethod
    def _accuracy(A, Y):
        if A.shape[0] == 1:
            return float(np.mean((A > 0.5) == (Y > 0.5)))
        return float(np.mean(A.argmax(axis=0) == Y.argmax(axis=0)))

    def _check_input(self, X):
        return _validate.batch("X", X, self.sizes[0], "input")

    def _check_batch(self, X, Y, x_name="X", y_name="Y"):
        X = _validate.batch(x_name, X, self.sizes[0], "input")
        Y = _validate.batch(y_name, Y, self.sizes[-1], "output")
        _validate.same_columns(x_name, X, y_name, Y)
        self.cost.check_target(Y)
        return X, Y
