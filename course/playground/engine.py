"""A small multilayer perceptron in NumPy with the same maths as Keras.

The network is ``Dense(units, activation)`` hidden layers followed by one
``Dense(1, activation="sigmoid")`` output, trained on binary cross-entropy with
plain SGD (``keras.optimizers.SGD(learning_rate)``, no momentum):

* a layer computes ``a @ W + b`` with ``W`` of shape (inputs, units), like
  ``keras.layers.Dense`` (weights in the same layout, so they can be copied
  across with ``layer.set_weights([W, b])``);
* initial kernels are Glorot-uniform (Keras' default ``glorot_uniform``:
  ``U(-l, l)``, ``l = sqrt(6 / (fan_in + fan_out))``) and biases zero;
* the loss is Keras' ``binary_crossentropy`` averaged over the batch
  (``sum_over_batch_size``), computed from the logits as Keras does when the
  output comes straight from a sigmoid;
* ``kernel_regularizer=keras.regularizers.L1(r)`` adds ``r * sum(|W|)`` and
  ``L2(r)`` adds ``r * sum(W**2)`` (no factor 1/2) for every kernel; biases
  are not regularised;
* derivatives follow TensorFlow's: ReLU'(0) = 0 and sign(0) = 0 for L1.

NumPy instead of TensorFlow: nothing heavy to import and a step of a network
this small costs microseconds, which is what keeps the playground interactive
on two cores. ``tests/test_playground.py`` compares one step with Keras.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from course.errors import CourseError

#: Activation names as the student picks them (Spanish labels) -> Keras names.
ACTIVATIONS: dict[str, str] = {
    "relu": "relu",
    "tanh": "tanh",
    "sigmoide": "sigmoid",
    "sigmoid": "sigmoid",
    "lineal": "linear",
    "linear": "linear",
}
#: Regularisation choices: Spanish label -> Keras regulariser class name (or None).
REGULARIZATIONS: dict[str, str | None] = {"ninguna": None, "l1": "L1", "l2": "L2"}

MAX_HIDDEN_LAYERS = 4
MAX_NEURONS = 8


class PlaygroundError(CourseError, ValueError):
    """A playground setting that cannot be used; the message says how to fix it."""


def keras_activation(name: str) -> str:
    """The Keras activation name for a playground activation (``"sigmoide"`` -> ``"sigmoid"``)."""
    key = str(name).strip().lower()
    if key not in ACTIVATIONS:
        raise PlaygroundError(
            f"Activación desconocida: {name!r}. Elige una de: relu, tanh, sigmoide, lineal."
        )
    return ACTIVATIONS[key]


def regularization_kind(name: str | None) -> str | None:
    """``"L1"``, ``"L2"`` or ``None`` for a playground regularisation label."""
    key = "ninguna" if name is None else str(name).strip().lower()
    if key not in REGULARIZATIONS:
        raise PlaygroundError(
            f"Regularización desconocida: {name!r}. Elige una de: ninguna, L1, L2."
        )
    return REGULARIZATIONS[key]


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # exp(-logaddexp(0, -z)) = 1 / (1 + exp(-z)) without overflow warnings.
    return np.exp(-np.logaddexp(0.0, -z))


def _forward_activation(kind: str, z: np.ndarray) -> np.ndarray:
    if kind == "relu":
        return np.maximum(z, 0.0)
    if kind == "tanh":
        return np.tanh(z)
    if kind == "sigmoid":
        return _sigmoid(z)
    return z


def _activation_grad(kind: str, z: np.ndarray, a: np.ndarray) -> np.ndarray | None:
    """d a / d z given z and a = f(z); ``None`` means 1 (linear)."""
    if kind == "relu":
        return (z > 0.0).astype(z.dtype)
    if kind == "tanh":
        return 1.0 - a * a
    if kind == "sigmoid":
        return a * (1.0 - a)
    return None


def binary_crossentropy(logits: np.ndarray, y: np.ndarray) -> float:
    """Mean binary cross-entropy from logits: ``max(z, 0) - z*y + log(1 + exp(-|z|))``."""
    z = logits.reshape(-1)
    t = y.reshape(-1).astype(z.dtype)
    if z.size == 0:
        return float("nan")
    return float(np.mean(np.maximum(z, 0.0) - z * t + np.log1p(np.exp(-np.abs(z)))))


@dataclass
class Network:
    """Weights and settings of a playground network.

    Attributes:
        n_inputs: number of input features.
        hidden: neurons of each hidden layer (0 to 4 layers of 1 to 8).
        activation: Keras name of the hidden activation.
        regularization: ``"L1"``, ``"L2"`` or ``None``; ``reg_rate`` its factor.
        weights, biases: one ``(fan_in, fan_out)`` kernel and ``(fan_out,)`` bias per
            layer, the last one being the sigmoid output.
    """

    n_inputs: int
    hidden: tuple[int, ...]
    activation: str = "tanh"
    regularization: str | None = None
    reg_rate: float = 0.0
    weights: list[np.ndarray] = field(default_factory=list)
    biases: list[np.ndarray] = field(default_factory=list)

    @classmethod
    def create(
        cls,
        n_inputs: int,
        hidden: Sequence[int] = (4,),
        activation: str = "tanh",
        regularization: str | None = None,
        reg_rate: float = 0.0,
        seed: int | None = 0,
        dtype: type = np.float64,
    ) -> Network:
        """A new network with Glorot-uniform kernels and zero biases."""
        hidden = validate_hidden(hidden)
        if not isinstance(n_inputs, (int, np.integer)) or n_inputs < 1:
            raise PlaygroundError(
                "La red necesita al menos una característica de entrada: activa x1 o x2."
            )
        net = cls(
            int(n_inputs),
            hidden,
            keras_activation(activation),
            regularization_kind(regularization),
            float(reg_rate),
        )
        rng = np.random.default_rng(seed)
        sizes = [int(n_inputs), *hidden, 1]
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True):
            limit = np.sqrt(6.0 / (fan_in + fan_out))
            net.weights.append(rng.uniform(-limit, limit, size=(fan_in, fan_out)).astype(dtype))
            net.biases.append(np.zeros(fan_out, dtype=dtype))
        return net

    @property
    def layer_sizes(self) -> list[int]:
        return [self.n_inputs, *self.hidden, 1]

    def copy(self) -> Network:
        return Network(
            self.n_inputs,
            self.hidden,
            self.activation,
            self.regularization,
            self.reg_rate,
            [w.copy() for w in self.weights],
            [b.copy() for b in self.biases],
        )

    # ----------------------------------------------------------------- forward
    def forward(self, x: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Pre-activations ``zs`` and activations ``acts`` (``acts[0]`` is ``x``).

        The last ``zs`` entry holds the output logits; ``acts`` has no entry for
        the output (its sigmoid is folded into the loss).
        """
        acts = [x]
        zs = []
        a = x
        last = len(self.weights) - 1
        for i, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            z = a @ w
            z += b
            zs.append(z)
            if i < last:
                a = _forward_activation(self.activation, z)
                acts.append(a)
        return zs, acts

    def hidden_outputs(self, x: np.ndarray) -> list[np.ndarray]:
        """Output of every hidden layer for inputs ``x`` (one array per layer)."""
        return self.forward(x)[1][1:]

    def logits(self, x: np.ndarray) -> np.ndarray:
        return self.forward(x)[0][-1][:, 0]

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Probability of class 1 for each row of ``x``."""
        return _sigmoid(self.logits(x))

    # -------------------------------------------------------------- the loss
    def regularization_loss(self) -> float:
        if self.regularization is None or self.reg_rate == 0.0:
            return 0.0
        if self.regularization == "L1":
            return float(self.reg_rate * sum(np.abs(w).sum() for w in self.weights))
        return float(self.reg_rate * sum(np.square(w).sum() for w in self.weights))

    def data_loss(self, x: np.ndarray, y: np.ndarray) -> float:
        """Binary cross-entropy on ``(x, y)``, without the regularisation term."""
        if len(x) == 0:
            return float("nan")
        return binary_crossentropy(self.logits(x), y)

    def loss(self, x: np.ndarray, y: np.ndarray) -> float:
        """The loss Keras minimises: cross-entropy plus the regularisation terms."""
        return self.data_loss(x, y) + self.regularization_loss()

    def accuracy(self, x: np.ndarray, y: np.ndarray) -> float:
        if len(x) == 0:
            return float("nan")
        return float(np.mean((self.logits(x) > 0.0) == (y.reshape(-1) == 1)))

    # ---------------------------------------------------------- the gradient
    def gradients(self, x: np.ndarray, y: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Gradients of :meth:`loss` on the batch ``(x, y)`` for kernels and biases."""
        zs, acts = self.forward(x)
        n = x.shape[0]
        # d loss / d logits for the mean sigmoid cross-entropy.
        delta = (_sigmoid(zs[-1]) - y.reshape(-1, 1)) / n
        grads_w: list[np.ndarray] = [None] * len(self.weights)  # type: ignore[list-item]
        grads_b: list[np.ndarray] = [None] * len(self.weights)  # type: ignore[list-item]
        for i in range(len(self.weights) - 1, -1, -1):
            grads_w[i] = acts[i].T @ delta
            grads_b[i] = delta.sum(axis=0)
            if i > 0:
                delta = delta @ self.weights[i].T
                d = _activation_grad(self.activation, zs[i - 1], acts[i])
                if d is not None:
                    delta *= d
        if self.regularization is not None and self.reg_rate != 0.0:
            for i, w in enumerate(self.weights):
                if self.regularization == "L1":
                    grads_w[i] = grads_w[i] + self.reg_rate * np.sign(w)
                else:
                    grads_w[i] = grads_w[i] + 2.0 * self.reg_rate * w
        return grads_w, grads_b

    def sgd_step(self, x: np.ndarray, y: np.ndarray, learning_rate: float) -> None:
        """One step of ``keras.optimizers.SGD(learning_rate)`` on the batch ``(x, y)``."""
        grads_w, grads_b = self.gradients(x, y)
        for w, g in zip(self.weights, grads_w, strict=True):
            w -= learning_rate * g
        for b, g in zip(self.biases, grads_b, strict=True):
            b -= learning_rate * g

    def train_epoch(
        self,
        x: np.ndarray,
        y: np.ndarray,
        learning_rate: float,
        batch_size: int,
        rng: np.random.Generator,
    ) -> None:
        """One epoch of mini-batch SGD over a shuffled copy of ``(x, y)``."""
        n = x.shape[0]
        order = rng.permutation(n)
        xs, ys = x[order], y[order]
        for start in range(0, n, batch_size):
            self.sgd_step(
                xs[start : start + batch_size], ys[start : start + batch_size], learning_rate
            )


def validate_hidden(hidden: Sequence[int] | int) -> tuple[int, ...]:
    """The hidden layer sizes as a tuple, with a Spanish error when out of range."""
    if isinstance(hidden, (int, np.integer)) and not isinstance(hidden, bool):
        hidden = [int(hidden)] if hidden > 0 else []
    try:
        sizes = tuple(int(h) for h in hidden)
    except (TypeError, ValueError):
        raise PlaygroundError(
            f"capas_ocultas debe ser una lista de números de neuronas, por ejemplo [4, 2]; "
            f"se recibió {hidden!r}."
        ) from None
    if len(sizes) > MAX_HIDDEN_LAYERS:
        raise PlaygroundError(
            f"Como mucho {MAX_HIDDEN_LAYERS} capas ocultas; se pidieron {len(sizes)}. "
            "Quita capas de la lista capas_ocultas."
        )
    bad = [h for h in sizes if not 1 <= h <= MAX_NEURONS]
    if bad:
        raise PlaygroundError(
            f"Cada capa oculta tiene entre 1 y {MAX_NEURONS} neuronas; se pidió {bad[0]}. "
            "Usa, por ejemplo, capas_ocultas=[4]."
        )
    return sizes
