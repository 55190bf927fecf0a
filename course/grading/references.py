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
