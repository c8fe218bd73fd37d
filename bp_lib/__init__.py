"""bp_lib: the numeric companion to the executable textbook on backpropagation.

Columns are examples: a batch X has shape (n_in, m). Each module has one job:

- ``activations``: sigmoid, tanh, ReLU, identity and their derivatives; softmax and its Jacobian
- ``costs``: quadratic, cross-entropy and softmax cross-entropy, each with its output error (BP1)
- ``network``: ``Network`` with feedforward and the four equations (BP1-BP4), vectorised
- ``training``: mini-batch stochastic gradient descent
- ``gradcheck``: central finite differences and the relative error, of a network or one module
- ``timing``: ``best_time``, the shortest of a few runs (chapters 6 and 10)
- ``symbolic``: ``cross_check``, tying a SymPy derivation to the numbers
- ``data``: the handwritten digits shipped with scikit-learn, as columns
- ``plotting``: the book's figure style and shared figures
- ``exercises``: checkers that explain what is wrong, naming the slips of ``exercise_slips``
- ``modules``: the forward/backward modules of a network (chapter 8); ``sequential``, their chain
- ``autodiff``: scalar reverse-mode automatic differentiation (chapter 8)
- ``forward_mode``: ``Dual``, forward-mode automatic differentiation, and a network's JVP (chapter 10)
- ``checkpoint``: backpropagation with gradient checkpointing, its memory and recomputation counted (chapter 10)
- ``layers``: ``BatchNorm``, ``Dropout``, ``Residual`` and ``TransposedLinear`` modules (chapter 11)
- ``claims``: ``claim``, a tagged equation asserted by SymPy and shown as printed (every chapter)
- ``notation``: the book's notation in LaTeX, the printer ``claims`` shows equations with
"""

from bp_lib.activations import (
    ACTIVATIONS,
    Activation,
    get_activation,
    identity,
    identity_prime,
    relu,
    relu_prime,
    sigmoid,
    sigmoid_prime,
    softmax,
    softmax_jacobian,
    tanh,
    tanh_prime,
)
from bp_lib.autodiff import Dual, Value
from bp_lib.costs import (
    COSTS,
    CrossEntropyCost,
    QuadraticCost,
    SoftmaxCrossEntropyCost,
    get_cost,
)
from bp_lib.data import Digits, load_digits, one_hot
from bp_lib.gradcheck import (
    check_gradients,
    module_gradient_errors,
    numerical_gradient,
    numerical_gradients,
    relative_error,
)
from bp_lib.modules import (
    BatchNorm,
    CrossEntropyLoss,
    Dropout,
    Elementwise,
    Linear,
    QuadraticLoss,
    Residual,
    Sequential,
    SoftmaxCrossEntropyLoss,
    TransposedLinear,
)
from bp_lib.network import Network, count_parameters
from bp_lib.symbolic import cross_check
from bp_lib.training import sgd

__version__ = "0.1.0"
