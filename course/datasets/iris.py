"""The Iris data set (scikit-learn's bundled copy), split for the course.

One job: load Iris as ``(x_train, y_train), (x_test, y_test)`` with a stratified,
seeded split, and report its status. scikit-learn is imported inside the functions.
"""

from __future__ import annotations

import numpy as np

from course.datasets._base import DatasetStatus, check_test_size
from course.errors import DataError

#: Spanish names of the four Iris features, in scikit-learn's column order.
IRIS_FEATURES_ES: tuple[str, ...] = (
    "largo del sépalo (cm)",
    "ancho del sépalo (cm)",
    "largo del pétalo (cm)",
    "ancho del pétalo (cm)",
)
#: Iris class names (label 0, 1, 2); species names are the same in Spanish.
IRIS_CLASSES: tuple[str, ...] = ("setosa", "versicolor", "virginica")


def load_iris(
    test_size: float = 0.2, seed: int = 42
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Iris (scikit-learn's copy) split into stratified, seeded train/test parts.

    Args:
        test_size: fraction of the 150 flowers kept for the test part.
        seed: ``random_state`` of the split (same seed, same split).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``x`` float32 (n, 4) in the
        order of :data:`IRIS_FEATURES_ES`, ``y`` int64 (n,) with labels 0-2 named
        by :data:`IRIS_CLASSES`. With the defaults: 120 train and 30 test rows,
        10 test flowers per class.
    """
    size = check_test_size(test_size, "load_iris")
    try:
        from sklearn.datasets import load_iris as sk_load_iris
        from sklearn.model_selection import train_test_split
    except ImportError as exc:  # pragma: no cover - scikit-learn is a dependency
        raise DataError(
            "load_iris necesita scikit-learn, que no está instalado. "
            "Instálalo con: pip install scikit-learn"
        ) from exc
    bunch = sk_load_iris()
    x = np.asarray(bunch.data, dtype=np.float32)
    y = np.asarray(bunch.target, dtype=np.int64)
    if x.shape != (150, 4) or set(np.unique(y).tolist()) != {0, 1, 2}:
        raise DataError(
            f"La copia de Iris de scikit-learn tiene una forma inesperada {x.shape}; "
            "reinstala scikit-learn (pip install --force-reinstall scikit-learn)."
        )
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=size, random_state=seed, stratify=y, shuffle=True
    )
    return (x_train, y_train), (x_test, y_test)


def status() -> DatasetStatus:
    """Whether scikit-learn's copy loads and splits as expected."""
    description = "Iris (150 flores, 4 medidas, 3 especies), copia incluida en scikit-learn."
    try:
        (x_train, _), (x_test, _) = load_iris()
        import sklearn
    except (DataError, ImportError) as exc:
        return DatasetStatus("iris", "Iris", description, False, None, str(exc))
    return DatasetStatus(
        "iris",
        "Iris",
        description,
        True,
        f"scikit-learn {sklearn.__version__}",
        f"válido: {len(x_train)} filas de entrenamiento y {len(x_test)} de prueba",
    )
