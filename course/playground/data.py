"""The playground's 2-D data sets and input features.

Every data set lives in the square ``[-3, 3] x [-3, 3]`` (:data:`EXTENT`) with
labels 0/1, so that the same picture frame, the same input features
(``sin x1`` covers about one period) and the same learning rates work for all.
The XOR cloud reuses :func:`course.datasets.make_xor_cloud` (corners 0/1), moved
and scaled onto corners at ``±1.5``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from course.datasets import load_xor, make_xor_cloud
from course.playground.engine import PlaygroundError

#: Half-width of the square every data set lives in.
EXTENT = 3.0

#: Data set key -> Spanish label shown in the app.
DATASETS: dict[str, str] = {
    "xor": "XOR (4 puntos)",
    "nube_xor": "Nube XOR",
    "circulos": "Círculos",
    "espirales": "Dos espirales",
    "manchas": "Manchas gaussianas",
}

#: Feature key -> label (the order is the order of the input columns).
FEATURES: dict[str, str] = {
    "x1": "x₁",
    "x2": "x₂",
    "x1^2": "x₁²",
    "x2^2": "x₂²",
    "x1*x2": "x₁·x₂",
    "sin(x1)": "sen(x₁)",
    "sin(x2)": "sen(x₂)",
}

_FEATURE_FUNCS: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "x1": lambda a, b: a,
    "x2": lambda a, b: b,
    "x1^2": lambda a, b: a * a,
    "x2^2": lambda a, b: b * b,
    "x1*x2": lambda a, b: a * b,
    "sin(x1)": lambda a, b: np.sin(a),
    "sin(x2)": lambda a, b: np.sin(b),
}
# Other spellings a student may type (compared lower-case and without spaces).
_FEATURE_ALIASES = {
    "x1²": "x1^2",
    "x2²": "x2^2",
    "x1**2": "x1^2",
    "x2**2": "x2^2",
    "x1x2": "x1*x2",
    "x1·x2": "x1*x2",
    "sinx1": "sin(x1)",
    "sinx2": "sin(x2)",
    "sen(x1)": "sin(x1)",
    "sen(x2)": "sin(x2)",
    "senx1": "sin(x1)",
    "senx2": "sin(x2)",
}


@dataclass(frozen=True)
class Split:
    """Train and test points of a data set: ``x`` float64 (n, 2), ``y`` int64 (n,)."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    name: str


def feature_keys(features: Sequence[str] | str) -> tuple[str, ...]:
    """Canonical feature keys, in the fixed column order, with a Spanish error."""
    if isinstance(features, str):
        features = [features]
    keys = []
    for f in features:
        key = str(f).strip().lower().replace(" ", "")
        key = _FEATURE_ALIASES.get(key, key)
        if key not in FEATURES:
            raise PlaygroundError(
                f"Característica desconocida: {f!r}. Elige entre: {', '.join(FEATURES)}."
            )
        keys.append(key)
    if not keys:
        raise PlaygroundError(
            "Hace falta al menos una característica de entrada, por ejemplo ['x1', 'x2']."
        )
    return tuple(k for k in FEATURES if k in keys)


def make_features(points: np.ndarray, features: Sequence[str]) -> np.ndarray:
    """The network's input matrix: one column per feature of the 2-D ``points``."""
    a, b = points[:, 0], points[:, 1]
    return np.stack([_FEATURE_FUNCS[k](a, b) for k in features], axis=1)


def _check_fraction(value: float, name: str, low: float, high: float) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise PlaygroundError(f"{name} debe ser un número y se recibió {value!r}.") from None
    if not (np.isfinite(v) and low <= v <= high):
        raise PlaygroundError(f"{name} debe estar entre {low} y {high}; se recibió {value!r}.")
    return v


def _circles(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    y = np.arange(n) % 2
    radius = np.where(y == 1, rng.uniform(0.0, 1.2, n), rng.uniform(1.9, 2.7, n))
    angle = rng.uniform(0.0, 2 * np.pi, n)
    x = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    return x + rng.normal(0.0, noise * EXTENT / 2, (n, 2)), y


def _spirals(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    y = np.arange(n) % 2
    t = rng.uniform(0.0, 1.0, n)
    radius = 0.2 + 2.6 * t
    angle = 3.5 * np.pi * t + np.pi * y
    x = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    return x + rng.normal(0.0, noise * EXTENT / 3, (n, 2)), y


def _blobs(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    y = np.arange(n) % 2
    centres = np.where(y[:, None] == 1, [1.3, 1.3], [-1.3, -1.3])
    return centres + rng.normal(0.0, 0.45 + noise * EXTENT, (n, 2)), y


def make_dataset(
    name: str = "nube_xor",
    n: int = 200,
    noise: float = 0.1,
    test_fraction: float = 0.5,
    seed: int | None = 0,
) -> Split:
    """Points of one playground data set, split into train and test.

    Args:
        name: a key of :data:`DATASETS`.
        n: number of points (train + test); the 4-point XOR ignores it.
        noise: 0 to 0.5, fraction of the half-width used as Gaussian noise.
        test_fraction: 0 to 0.9, share of the points kept for the test set.
        seed: NumPy seed (same seed, same points and same split).

    The 4-point XOR has no spare points: its test set is the same 4 points.
    """
    key = str(name).strip().lower()
    if key not in DATASETS:
        raise PlaygroundError(
            f"Conjunto de datos desconocido: {name!r}. Elige uno de: {', '.join(DATASETS)}."
        )
    noise = _check_fraction(noise, "ruido", 0.0, 0.5)
    test_fraction = _check_fraction(test_fraction, "proporcion_test", 0.0, 0.9)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 4 <= n <= 5000:
        raise PlaygroundError(f"n_puntos debe ser un entero entre 4 y 5000; se recibió {n!r}.")
    if key == "xor":
        x, y = load_xor()
        x = (x.astype(np.float64) * 2.0 - 1.0) * 1.5
        return Split(x, y, x.copy(), y.copy(), key)
    rng = np.random.default_rng(seed)
    if key == "nube_xor":
        x01, y = make_xor_cloud(n=int(n), noise=noise, seed=int(rng.integers(2**31)))
        x = (x01.astype(np.float64) * 2.0 - 1.0) * 1.5
    elif key == "circulos":
        x, y = _circles(int(n), noise, rng)
    elif key == "espirales":
        x, y = _spirals(int(n), noise, rng)
    else:
        x, y = _blobs(int(n), noise, rng)
    x = np.clip(x, -EXTENT, EXTENT).astype(np.float64)
    y = np.asarray(y, dtype=np.int64)
    order = rng.permutation(len(x))
    n_test = int(round(test_fraction * len(x)))
    test, train = order[:n_test], order[n_test:]
    return Split(x[train], y[train], x[test], y[test], key)
