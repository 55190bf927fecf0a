"""Reference implementations of graded exercises (never inside the grading sandbox).

The visible checks of an assignment (``course.assignments.aNN``) use these when
they are importable: on the instructor's machine, in a student's own session and
in the trusted process of :mod:`course.grading.hidden_tests`. The package copy
a grading kernel sees leaves ``course.grading`` out, so there a visible check
compares the student's function with its expected outputs on the visible inputs
only (plain data), and a submission cannot use these functions as its answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np


# --------------------------------------------------------------------------- a01
def a01_weighted_sum(x: Any, w: Any, b: Any) -> Any:
    return np.dot(np.asarray(w, dtype=float), np.asarray(x, dtype=float)) + b


def a01_step(z: Any) -> Any:
    return np.where(np.asarray(z, dtype=float) >= 0.0, 1.0, 0.0)


def a01_sigmoid(z: Any) -> Any:
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def a01_neuron(x: Any, w: Any, b: Any, activation: Callable) -> Any:
    return activation(a01_weighted_sum(x, w, b))


def a01_layer(x: Any, w: Any, b: Any, activation: Callable) -> Any:
    return activation(np.asarray(w, dtype=float) @ np.asarray(x, dtype=float) + b)


def a01_predict(x: Any, w: Any, b: Any) -> Any:
    return a01_step(np.asarray(x, dtype=float) @ np.asarray(w, dtype=float) + b)


# --------------------------------------------------------------------------- a02
# Keras itself, computed in float64 (Keras is imported inside the functions only).
def _a02_tensor(x: Any) -> Any:
    import keras

    return keras.ops.convert_to_tensor(np.asarray(x, dtype="float64"))


def _a02_numpy(x: Any) -> np.ndarray:
    import keras

    return np.asarray(keras.ops.convert_to_numpy(x), dtype="float64")


def a02_activation(name: str, **kwargs: Any) -> Callable[[Any], np.ndarray]:
    """``keras.activations.<name>`` on NumPy arrays, in float64."""

    def reference(z: Any) -> np.ndarray:
        import keras

        return _a02_numpy(getattr(keras.activations, name)(_a02_tensor(z), **kwargs))

    reference.__name__ = f"keras.activations.{name}"
    return reference


def a02_leaky_relu(z: Any, pendiente: float = 0.2) -> np.ndarray:
    import keras

    return _a02_numpy(keras.activations.leaky_relu(_a02_tensor(z), negative_slope=float(pendiente)))


a02_leaky_relu.__name__ = "keras.activations.leaky_relu"


def a02_loss(cls_name: str) -> Callable[[Any, Any], float]:
    """``keras.losses.<cls_name>`` on NumPy arrays, in float64, as a float."""

    def reference(y_true: Any, y_pred: Any, *_: Any) -> float:
        import keras

        loss = getattr(keras.losses, cls_name)(dtype="float64")
        return float(_a02_numpy(loss(_a02_tensor(y_true), _a02_tensor(y_pred))))

    reference.__name__ = f"keras.losses.{cls_name}"
    return reference


# --------------------------------------------------------------------------- a04
def a04_expected_columns(frame: Any) -> list[tuple[str, np.ndarray]]:
    """(description, column) of every feature the shipping preparation must produce."""
    from course.assignments.a04 import CATEGORICAL, NUMERIC

    cols: list[tuple[str, np.ndarray]] = [
        (f"`{name}` sin cambios", frame[name].to_numpy(dtype=np.float64)) for name in NUMERIC
    ]
    cols.append(
        ("`Gender` codificada como F → 0, M → 1", (frame["Gender"] == "M").to_numpy(np.float64))
    )
    for column in CATEGORICAL:
        for value in sorted(frame[column].unique()):
            cols.append(
                (
                    f"la columna one-hot de `{column}` = '{value}'",
                    (frame[column] == value).to_numpy(np.float64),
                )
            )
    return cols


# --------------------------------------------------------------------------- a05
def a05_scaling(x: Any) -> np.ndarray:
    return np.asarray(x, dtype=np.float32) / np.float32(255.0)
