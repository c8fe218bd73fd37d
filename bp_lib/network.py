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

and one step of gradient descent on a mini-batch of m examples (chapter 1, chapter 6):

    w^l <- w^l - eta dC/dw^l,    b^l <- b^l - eta dC/db^l.

Derived in chapter 4; the same steps one example at a time are in chapter 6.

Every public method checks what it is given, and the network's own parameters, before any
arithmetic: an array of the wrong shape or dtype, a NaN, a read-only array that training would
have to write into, is refused with a ``ValueError`` that names it (``weights[1]``, ``Y``).
"""

import numpy as np

from bp_lib import _validate
from bp_lib.activations import get_activation
from bp_lib.costs import get_cost


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

    def __init__(
        self,
        sizes,
        activation="sigmoid",
        cost="quadratic",
        seed=None,
        output_activation=None,
    ):
        self.sizes = _validate.layer_sizes(sizes)
        self.activation = get_activation(activation)
        self.cost = get_cost(cost, output_activation)
        rng = np.random.default_rng(seed)
        self.weights = [
            rng.standard_normal((n_out, n_in)) / np.sqrt(n_in)
            for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:])
        ]
        self.biases = [rng.standard_normal((n_out, 1)) for n_out in self.sizes[1:]]

    @classmethod
    def from_parameters(
        cls,
        weights,
        biases,
        activation="sigmoid",
        cost="quadratic",
        output_activation=None,
    ):
        """A network with the given weights and biases (copied, as float64 arrays): numpy arrays,
        nested lists, or anything ``np.asarray`` reads (a detached PyTorch tensor, say).

        ``weights[i]`` is the book's w^(i+1), of shape (n_(i+1), n_i), and ``biases[i]`` is
        b^(i+1), of shape (n_(i+1), 1); the layer widths are read from the weights' shapes. Raises
        ``ValueError`` naming the first array that does not fit, e.g. a 1-D bias of shape (3,).
        The other arguments are those of ``Network``.
        """
        try:
            weights, biases = list(weights), list(biases)
        except TypeError:
            raise ValueError(
                "weights and biases must each be a list of arrays, one per layer"
            ) from None
        if not weights:
            raise ValueError(
                "weights must hold at least one array (a network has at least one layer of weights)"
            )
        shapes = [
            np.shape(_validate.as_array(f"weights[{i}]", w))
            for i, w in enumerate(weights)
        ]
        if any(len(shape) != 2 for shape in shapes):
            raise ValueError(
                f"each weights[i] must be a 2-D array of shape (n_(i+1), n_i); got shapes {shapes}"
            )
        for i in range(1, len(shapes)):
            if shapes[i][1] != shapes[i - 1][0]:
                raise ValueError(
                    f"weights[{i}] has shape {shapes[i]}, but weights[{i - 1}] has shape {shapes[i - 1]}: "
                    f"weights[i] has shape (n_(i+1), n_i), so weights[{i}] needs {shapes[i - 1][0]} columns "
                    "(scikit-learn's coefs_[i] is the transpose: pass coefs_[i].T)"
                )
        sizes = [shapes[0][1]] + [shape[0] for shape in shapes]
        net = cls(
            sizes, activation=activation, cost=cost, output_activation=output_activation
        )
        weights = [
            _validate.as_array(f"weights[{i}]", w) for i, w in enumerate(weights)
        ]
        biases = [_validate.as_array(f"biases[{i}]", b) for i, b in enumerate(biases)]
        _validate.parameters(weights, biases, net.sizes)
        net.weights = [np.array(w, dtype=np.float64) for w in weights]
        net.biases = [np.array(b, dtype=np.float64) for b in biases]
        return net

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
        twin.sizes, twin.activation, twin.cost = (
            list(self.sizes),
            self.activation,
            self.cost,
        )
        twin.weights = [w.copy() for w in self.weights]
        twin.biases = [b.copy() for b in self.biases]
        return twin

    # --- checked entry points: validate, then compute --------------------------------------

    def check_batch(self, X, Y, for_training=False, names=("X", "Y")):
        """Check a batch against this network and return it as float64 arrays ``(X, Y)``.

        X must have shape (sizes[0], m) and Y shape (sizes[-1], m), finite, and Y must be a
        target the cost accepts. The network's weights and biases are checked too (with
        ``for_training``, also that they can be updated in place). Raises ``ValueError``, naming
        the arrays by ``names``.
        """
        X, Y = self._check_batch(X, Y, *names)
        self.check_parameters(for_training)
        return X, Y

    def check_parameters(self, for_training=False):
        """Refuse weights and biases that do not fit the layer widths (see ``bp_lib._validate``)."""
        _validate.parameters(self.weights, self.biases, self.sizes, for_training)

    def feedforward(self, X):
        """The output activations a^L for a batch X: (sizes[0], m) -> (sizes[-1], m)."""
        X = self._check_input(X)
        return self._forward(X)[1][-1]

    def forward(self, X, check_input=True):
        """Every layer's weighted inputs and activations: ``(zs, activations)``.

        ``zs[i]`` is z^(i+1), shape (sizes[i+1], m); ``activations[i]`` is a^i, with a^0 = X.
        ``check_input=False`` skips the checks, for a loop over an X already checked (see ``step``).
        """
        return self._forward(self._check_input(X) if check_input else X)

    def deltas(self, X, Y):
        """The error delta^l = dC_x/dz^l of every layer and example: ``deltas[i]`` is delta^(i+1),
        of shape (sizes[i+1], m), one column per example (not yet averaged)."""
        X, Y = self.check_batch(X, Y)
        zs, activations = self._forward(X)
        return self._backward(zs, activations, Y)

    def backprop(self, X, Y):
        """The gradient of the cost averaged over the m columns of X: ``(nabla_w, nabla_b)``.

        ``nabla_w[i]`` has the shape of ``weights[i]`` and ``nabla_b[i]`` that of ``biases[i]``.
        """
        X, Y = self.check_batch(X, Y)
        return self._gradient(X, Y, 1.0 / X.shape[1])

    def step(self, X, Y, eta, check_input=True):
        """One step of gradient descent on the mini-batch (X, Y), in place:
        w^l <- w^l - eta dC/dw^l and b^l <- b^l - eta dC/db^l, with the gradient of ``backprop``.

        Every check (the batch, ``eta``, and that each parameter is a writeable float64 array) is
        made before any parameter changes, so a refused step leaves the network as it was. The
        checks read every entry of X, Y and the parameters, which at batch 10 takes as long as the
        step itself: ``check_input=False`` skips them, for a loop that has checked its data and
        the network once with ``check_batch(X, Y, for_training=True)``, as ``sgd`` does (the
        parameter's name is scikit-learn's, for the same purpose).
        """
        if check_input:
            X, Y = self.check_batch(X, Y, for_training=True)
            eta = _validate.positive_float("eta", eta)
        self._step(X, Y, eta)

    def cost_value(self, X, Y, check_input=True):
        """The cost C averaged over the columns of the batch. ``check_input=False`` skips the
        checks, for a loop over a batch already checked, such as a gradient check's thousands of
        evaluations (see ``step``)."""
        if check_input:
            X, Y = self.check_batch(X, Y)
        return self._cost_value(X, Y)

    def accuracy(self, X, Y):
        """The fraction of examples classified correctly: the largest output is the target's
        largest entry (with one output neuron: output and target on the same side of 1/2)."""
        X, Y = self.check_batch(X, Y)
        return self._accuracy(self._forward(X)[1][-1], Y)

    def evaluate(self, X, Y, check_input=True):
        """``(cost, accuracy)`` on the batch, from one forward pass (see ``cost_value`` and
        ``accuracy``). ``check_input=False`` skips the checks, for a batch already checked: ``sgd``
        evaluates its training data every epoch, and checking 10,000 MNIST-sized columns again
        each time costs an eighth of an epoch at batch 1000."""
        if check_input:
            X, Y = self.check_batch(X, Y)
        zs, activations = self._forward(X)
        return self.cost.value(zs[-1], Y), self._accuracy(activations[-1], Y)

    def sgd(self, X, Y, epochs, batch_size, eta, seed=None, test_data=None):
        """Mini-batch stochastic gradient descent; returns the per-epoch history. See
        :func:`bp_lib.training.sgd`."""
        from bp_lib.training import (
            sgd,
        )  # training builds on this class's public methods

        return sgd(
            self,
            X,
            Y,
            epochs=epochs,
            batch_size=batch_size,
            eta=eta,
            seed=seed,
            test_data=test_data,
        )

    # --- the equations, on arrays already checked ------------------------------------------

    def _forward(self, X):
        zs, activations = [], [X]
        a = X
        last = len(self.weights) - 1
        for l, (w, b) in enumerate(zip(self.weights, self.biases)):
            z = w @ a + b  # z^l = w^l a^(l-1) + b^l
            a = (
                self.cost.output.fn(z) if l == last else self.activation.fn(z)
            )  # a^l = s(z^l)
            zs.append(z)
            activations.append(a)
        return zs, activations

    def _backward(self, zs, activations, Y):
        delta = self.cost.delta(zs[-1], activations[-1], Y)  # BP1
        deltas = [delta]
        for l in range(
            len(self.weights) - 2, -1, -1
        ):  # list index l is the book's layer l + 1
            # BP2, with s'(z^l) computed from a^l = s(z^l), which the forward pass already holds
            delta = (self.weights[l + 1].T @ delta) * self.activation.prime_from_output(
                activations[l + 1]
            )
            deltas.append(delta)
        deltas.reverse()
        return deltas

    def _gradient(self, X, Y, scale, nabla_w=None):
        """``scale`` times the gradient of the cost summed over the columns: BP3 and BP4 with the
        average's 1/m (and a step's eta) in ``scale``, applied to the n_l numbers of each example's
        delta^l before BP4's product rather than to the (n_l, n_(l-1)) product after it.
        ``nabla_w``, if given, is a list of arrays shaped like the weights to write BP4 into."""
        zs, activations = self._forward(X)
        deltas = self._backward(zs, activations, Y)
        if nabla_w is None:
            nabla_w = [np.empty(w.shape) for w in self.weights]
        nabla_b = []
        for delta, a, nw in zip(deltas, activations, nabla_w):
            delta = scale * delta
            np.matmul(
                delta, a.T, out=nw
            )  # BP4: sum over examples of delta^l (a^(l-1))^T
            nabla_b.append(
                delta.sum(axis=1, keepdims=True)
            )  # BP3: sum over examples of delta^l
        return nabla_w, nabla_b

    def _step(self, X, Y, eta):
        """``step`` on a checked batch. The product of BP4 is written into one array per layer
        that the network keeps from step to step: a new one each step would cost as much as the
        product itself at batch 10 (a fresh 30 x 784 block of memory from the system)."""
        nabla_w, nabla_b = self._gradient(X, Y, eta / X.shape[1], self._step_buffers())
        for w, b, nw, nb in zip(self.weights, self.biases, nabla_w, nabla_b):
            w -= nw  # w^l <- w^l - eta dC/dw^l
            b -= nb  # b^l <- b^l - eta dC/db^l

    def _step_buffers(self):
        buffers = self.__dict__.get("_buffers")
        if buffers is None or [nw.shape for nw in buffers] != [
            w.shape for w in self.weights
        ]:
            buffers = self._buffers = [np.empty(w.shape) for w in self.weights]
        return buffers

    def _cost_value(self, X, Y):
        return self.cost.value(self._forward(X)[0][-1], Y)

    @staticmethod
    def _accuracy(A, Y):
        if A.shape[0] == 1:
            return float(np.mean((A > 0.5) == (Y > 0.5)))
        return float(np.mean(A.argmax(axis=0) == Y.argmax(axis=0)))

    def _check_input(self, X):
        X = _validate.batch("X", X, self.sizes[0], "input")
        self.check_parameters()
        return X

    def _check_batch(
        self, X, Y, x_name="X", y_name="Y"
    ):  # the arrays only; check_batch adds the parameters
        X = _validate.batch(x_name, X, self.sizes[0], "input")
        Y = _validate.batch(y_name, Y, self.sizes[-1], "output")
        _validate.same_columns(x_name, X, y_name, Y)
        self.cost.check_target(Y)
        return X, Y
