"""Data sets of the course: loaders, data-folder resolution and validation.

One function per data set, returning NumPy arrays (or a validated pandas
DataFrame for the raw shipping table) with documented shapes and dtypes:

=====================================  ===============================================
``load_xor()``                         ``x`` float32 (4, 2), ``y`` int64 (4,)
``make_xor_cloud(n, noise, seed)``     ``x`` float32 (n, 2), ``y`` int64 (n,)
``load_iris(test_size, seed)``         ``(x_train, y_train), (x_test, y_test)``
``load_shipping(path, data_dir)``      raw ``DataFrame``, 10,999 rows x 12 columns
``prepare_shipping(df, ...)``          ``(x_train, y_train), (x_test, y_test), names``
``load_fashion_mnist(data_dir, ...)``  the ``keras.datasets.fashion_mnist`` contract
=====================================  ===============================================

Where files come from, in this order (the first folder holding the files wins):

1. an explicit ``data_dir``/``path`` argument (then *only* that place is used,
   so that a typo is reported instead of silently reading another copy);
2. the folder named by the ``COURSE_DATA_DIR`` environment variable (files
   directly in it or in its ``fashion-mnist/`` / ``shipping/`` subfolder);
3. the project's ``datasets/`` folder (next to the installed package in an
   editable install, and ``./datasets`` in the current working directory);
4. the user cache: Keras' ``~/.keras/datasets/fashion-mnist/`` (``$KERAS_HOME``
   is honoured), so a copy Keras already downloaded is reused;
5. the official download (Fashion-MNIST only), checked against the published
   checksums and written atomically into the user cache.

Everything read is validated (IDX magic numbers, dimensions, label range and
counts; CSV columns, dtypes and value sets). Every failure raises
:class:`course.errors.DataError` with a Spanish message that names the file, the
folders searched and the fix. Nothing here imports TensorFlow: pandas and
scikit-learn are imported inside the functions that need them.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from course.errors import DataError

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas as pd

__all__ = [
    "DATA_DIR_ENV",
    "FASHION_CLASSES_EN",
    "FASHION_CLASSES_ES",
    "FASHION_FILES",
    "FASHION_MIRRORS",
    "FASHION_OFFICIAL_CHECKSUMS",
    "FASHION_URL",
    "IRIS_CLASSES",
    "IRIS_FEATURES_ES",
    "SHIPPING_CATEGORICAL",
    "SHIPPING_COLUMNS",
    "SHIPPING_FILE",
    "SHIPPING_KAGGLE_DATASET",
    "SHIPPING_KAGGLE_URL",
    "SHIPPING_ROWS",
    "SHIPPING_TARGET",
    "SHIPPING_TARGET_MEANING",
    "DatasetStatus",
    "dataset_status",
    "default_shipping_dir",
    "download_fashion_mnist",
    "fashion_mnist_cache_dir",
    "fetch_shipping_kaggle",
    "find_shipping_file",
    "load_fashion_mnist",
    "load_iris",
    "load_shipping",
    "load_xor",
    "make_xor_cloud",
    "prepare_shipping",
    "validate_all",
]

#: Environment variable naming a folder with the course's data files.
DATA_DIR_ENV = "COURSE_DATA_DIR"

_README_HINT = "Más información en datasets/README.md del proyecto."

# ---------------------------------------------------------------------------
# Data-folder resolution
# ---------------------------------------------------------------------------


def _project_dataset_dirs() -> list[tuple[str, Path]]:
    """The project's ``datasets/`` folders: next to the package, then the CWD."""
    candidates: list[tuple[str, Path]] = []
    from course._paths import project_datasets

    project = project_datasets()
    if project is not None:
        candidates.append(("carpeta datasets/ del proyecto", project))
    try:
        cwd_datasets = Path.cwd() / "datasets"
    except OSError:  # the working directory was deleted
        return candidates
    if all(not _same_dir(cwd_datasets, path) for _, path in candidates):
        candidates.append(("carpeta datasets/ del directorio actual", cwd_datasets))
    return candidates


def _keras_home() -> Path:
    value = os.environ.get("KERAS_HOME")
    return Path(value).expanduser() if value else Path.home() / ".keras"


def fashion_mnist_cache_dir() -> Path:
    """Keras' cache folder for Fashion-MNIST (``$KERAS_HOME`` or ``~/.keras``).

    ``keras.datasets.fashion_mnist.load_data()`` stores its download here, so
    both loaders share one copy.
    """
    return _keras_home() / "datasets" / "fashion-mnist"


def _search_dirs(subfolder: str, explicit: str | os.PathLike[str] | None) -> list[tuple[str, Path]]:
    """Folders to search, in order, each with a Spanish description.

    Each base folder is tried as given and with ``subfolder`` appended.
    """

    def both(label: str, base: Path) -> list[tuple[str, Path]]:
        return [(label, base), (label, base / subfolder)]

    if explicit is not None:
        return both("carpeta indicada como argumento", Path(explicit).expanduser())
    dirs: list[tuple[str, Path]] = []
    env_value = os.environ.get(DATA_DIR_ENV)
    if env_value:
        dirs += both(f"${DATA_DIR_ENV}", Path(env_value).expanduser())
    for label, base in _project_dataset_dirs():
        dirs += both(label, base)
    return dirs


def _describe_searched(searched: Sequence[tuple[str, Path]], note_env: bool = True) -> str:
    lines = [f"  {i}. {path}  ({label})" for i, (label, path) in enumerate(searched, 1)]
    if note_env and not os.environ.get(DATA_DIR_ENV):
        lines.append(f"  (la variable de entorno {DATA_DIR_ENV} no está definida)")
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# XOR
# ---------------------------------------------------------------------------

_XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
_XOR_Y = np.array([0, 1, 1, 0], dtype=np.int64)


def load_xor() -> tuple[np.ndarray, np.ndarray]:
    """The XOR truth table in the order 00, 01, 10, 11.

    Returns:
        ``x``: float32 array of shape (4, 2); ``y``: int64 array of shape (4,)
        with values ``[0, 1, 1, 0]``. Fresh copies on every call.
    """
    return _XOR_X.copy(), _XOR_Y.copy()


def make_xor_cloud(
    n: int = 200, noise: float = 0.2, seed: int | None = 0
) -> tuple[np.ndarray, np.ndarray]:
    """A noisy 2-D XOR problem: points scattered around the four corners.

    The corners of the unit square are used in turn (so the four corners, and
    hence the two classes, are as balanced as ``n`` allows), Gaussian noise of
    standard deviation ``noise`` is added and the rows are shuffled. The label
    is the XOR of the corner's coordinates.

    Args:
        n: number of points (>= 1).
        noise: standard deviation of the Gaussian noise (>= 0).
        seed: seed of NumPy's ``default_rng`` (same seed, same cloud).

    Returns:
        ``x``: float32 array (n, 2); ``y``: int64 array (n,) of 0/1.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise DataError(
            f"make_xor_cloud: n debe ser un entero positivo (número de puntos) y se recibió {n!r}. "
            "Ejemplo: make_xor_cloud(n=200)."
        )
    try:
        noise_value = float(noise)
    except (TypeError, ValueError) as exc:
        raise DataError(
            f"make_xor_cloud: noise debe ser un número (desviación típica del ruido) y se recibió {noise!r}."
        ) from exc
    if not np.isfinite(noise_value) or noise_value < 0:
        raise DataError(
            f"make_xor_cloud: noise debe ser un número mayor o igual que 0 y se recibió {noise!r}. "
            "Ejemplo: make_xor_cloud(noise=0.2)."
        )
    rng = np.random.default_rng(seed)
    corners = _XOR_X[np.arange(int(n)) % 4]
    labels = _XOR_Y[np.arange(int(n)) % 4]
    order = rng.permutation(int(n))
    x = corners[order] + rng.normal(0.0, noise_value, size=(int(n), 2))
    return x.astype(np.float32), labels[order].astype(np.int64)


# ---------------------------------------------------------------------------
# Iris
# ---------------------------------------------------------------------------

#: Spanish names of the four Iris features, in scikit-learn's column order.
IRIS_FEATURES_ES: tuple[str, ...] = (
    "largo del sépalo (cm)",
    "ancho del sépalo (cm)",
    "largo del pétalo (cm)",
    "ancho del pétalo (cm)",
)
#: Iris class names (label 0, 1, 2); species names are the same in Spanish.
IRIS_CLASSES: tuple[str, ...] = ("setosa", "versicolor", "virginica")


def _check_test_size(test_size: float, function: str) -> float:
    try:
        value = float(test_size)
    except (TypeError, ValueError) as exc:
        raise DataError(
            f"{function}: test_size debe ser una fracción entre 0 y 1 y se recibió {test_size!r}."
        ) from exc
    if not 0.0 < value < 1.0:
        raise DataError(
            f"{function}: test_size debe ser una fracción entre 0 y 1 (por ejemplo 0.2) "
            f"y se recibió {test_size!r}."
        )
    return value


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
    size = _check_test_size(test_size, "load_iris")
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


# ---------------------------------------------------------------------------
# Shipping (Kaggle "E-commerce Shipping Data", Train.csv)
# ---------------------------------------------------------------------------

#: File name of the shipping data set, as Kaggle distributes it.
SHIPPING_FILE = "Train.csv"
#: Kaggle handle of the data set (``kagglehub.dataset_download``).
SHIPPING_KAGGLE_DATASET = "prachi13/customer-analytics"
#: Kaggle page where the file can be downloaded (a free account is needed).
SHIPPING_KAGGLE_URL = "https://www.kaggle.com/datasets/prachi13/customer-analytics"
#: Number of rows of the published ``Train.csv``.
SHIPPING_ROWS = 10_999
#: Target column. **1 means the order was NOT delivered on time**, 0 that it was.
SHIPPING_TARGET = "Reached.on.Time_Y.N"
#: Spanish meaning of the target values (for notebooks and plots).
SHIPPING_TARGET_MEANING: dict[int, str] = {
    0: "entregado a tiempo",
    1: "NO entregado a tiempo (retraso)",
}
#: The 12 columns of ``Train.csv``, in file order.
SHIPPING_COLUMNS: tuple[str, ...] = (
    "ID",
    "Warehouse_block",
    "Mode_of_Shipment",
    "Customer_care_calls",
    "Customer_rating",
    "Cost_of_the_Product",
    "Prior_purchases",
    "Product_importance",
    "Gender",
    "Discount_offered",
    "Weight_in_gms",
    SHIPPING_TARGET,
)
#: Categorical columns one-hot encoded by :func:`prepare_shipping`, with their
#: categories in the order of the resulting features.
SHIPPING_CATEGORICAL: dict[str, tuple[str, ...]] = {
    "Warehouse_block": ("A", "B", "C", "D", "F"),
    "Mode_of_Shipment": ("Flight", "Road", "Ship"),
    "Product_importance": ("high", "low", "medium"),
}
_SHIPPING_INTEGER = (
    "ID",
    "Customer_care_calls",
    "Customer_rating",
    "Cost_of_the_Product",
    "Prior_purchases",
    "Discount_offered",
    "Weight_in_gms",
    SHIPPING_TARGET,
)
_SHIPPING_VALUE_SETS: dict[str, set[Any]] = {
    **{column: set(values) for column, values in SHIPPING_CATEGORICAL.items()},
    "Gender": {"F", "M"},
    SHIPPING_TARGET: {0, 1},
    "Customer_rating": {1, 2, 3, 4, 5},
}


def _shipping_manual_fix() -> str:
    env_value = os.environ.get(DATA_DIR_ENV)
    project = _project_dataset_dirs()
    if env_value:
        target = Path(env_value) / "shipping" / SHIPPING_FILE
    elif project:
        target = project[0][1] / "shipping" / SHIPPING_FILE
    else:
        target = Path("datasets") / "shipping" / SHIPPING_FILE
    return (
        "Cómo solucionarlo: el archivo no se puede descargar de forma anónima. Entra (con una "
        f"cuenta gratuita de Kaggle) en {SHIPPING_KAGGLE_URL}, descarga el conjunto "
        f'"E-commerce Shipping Data" y copia su archivo {SHIPPING_FILE} (sin cambiarle el nombre) '
        f"en {target} "
        f"(o en cualquier carpeta, indicándola con la variable de entorno {DATA_DIR_ENV}, "
        f"p. ej. export {DATA_DIR_ENV}=/ruta/a/datos con el archivo en /ruta/a/datos/shipping/"
        f"{SHIPPING_FILE}). Con el paquete opcional kagglehub y tus credenciales de Kaggle, "
        "la orden `course data --descargar envios` lo descarga por ti. " + _README_HINT
    )


def _find_shipping(
    path: str | os.PathLike[str] | None, data_dir: str | os.PathLike[str] | None
) -> Path:
    if path is not None:
        file = Path(path).expanduser()
        if file.is_dir():
            file = file / SHIPPING_FILE
        if not file.is_file():
            raise DataError(
                f"No se encontró el archivo de datos de envíos {file} (indicado con path=).\n"
                "Comprueba la ruta.\n" + _shipping_manual_fix()
            )
        return file
    searched = _search_dirs("shipping", data_dir)
    for _, folder in searched:
        candidate = folder / SHIPPING_FILE
        if candidate.is_file():
            return candidate
    raise DataError(
        f"No se encontró el archivo de datos de envíos {SHIPPING_FILE} (Kaggle "
        '"E-commerce Shipping Data").\n'
        "Carpetas buscadas, en este orden:\n"
        + _describe_searched(searched, note_env=data_dir is None)
        + "\n"
        + _shipping_manual_fix()
    )


def find_shipping_file(
    path: str | os.PathLike[str] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
) -> Path:
    """Where :func:`load_shipping` would read ``Train.csv`` from (not validated).

    Same search order as :func:`load_shipping`; raises :class:`DataError` (with
    the folders searched and the manual-download instructions) when absent.
    """
    return _find_shipping(path, data_dir)


def default_shipping_dir() -> Path:
    """Default destination of :func:`fetch_shipping_kaggle`.

    The project's ``datasets/shipping/`` (editable install), else
    ``./datasets/shipping/``; both are searched by :func:`load_shipping`.
    """
    project = _project_dataset_dirs()
    base = project[0][1] if project else Path.cwd() / "datasets"
    return base / "shipping"


def _validate_shipping(df: pd.DataFrame, source: str, *, check_rows: bool) -> pd.DataFrame:
    """Check columns, missing values, dtypes and value sets; return a clean copy.

    ``source`` is the Spanish subject of the error messages, e.g.
    ``"El archivo de envíos /ruta/Train.csv"``.
    """
    import pandas as pd

    fix_file = (
        f"Cómo solucionarlo: vuelve a descargar el archivo original {SHIPPING_FILE} de "
        f"{SHIPPING_KAGGLE_URL} y no lo edites (ábrelo solo con pandas, no lo guardes desde una "
        "hoja de cálculo)."
    )
    columns = [str(c).strip().lstrip("\ufeff") for c in df.columns]
    expected = list(SHIPPING_COLUMNS)
    if columns != expected:
        missing = [c for c in expected if c not in columns]
        extra = [c for c in columns if c not in expected]
        parts = []
        if missing:
            parts.append("faltan las columnas " + ", ".join(missing))
        if extra:
            parts.append("sobran las columnas " + ", ".join(extra))
        if not parts:
            parts.append("las columnas están en otro orden")
        if len(columns) == 1 and ";" in columns[0]:
            parts.append(
                "el archivo usa ';' como separador en vez de ',' (suele pasar al guardarlo "
                "con una hoja de cálculo en español)"
            )
        raise DataError(
            f"{source} no tiene las 12 columnas esperadas: "
            + "; ".join(parts)
            + ".\nColumnas esperadas, en orden: "
            + ", ".join(expected)
            + ".\n"
            + fix_file
        )
    df = df.copy()
    df.columns = expected
    if len(df) == 0:
        raise DataError(f"{source} no tiene filas de datos.\n{fix_file}")
    if check_rows and len(df) != SHIPPING_ROWS:
        raise DataError(
            f"{source} tiene {len(df)} filas y se esperaban {SHIPPING_ROWS} "
            "(¿archivo incompleto o de otra versión?).\n" + fix_file
        )
    missing_counts = df.isna().sum()
    if missing_counts.any():
        detail = ", ".join(f"{col} ({int(n)})" for col, n in missing_counts.items() if n)
        raise DataError(f"{source} tiene valores vacíos (faltantes) en: {detail}.\n{fix_file}")
    for column in _SHIPPING_INTEGER:
        series = df[column]
        if not pd.api.types.is_integer_dtype(series):
            numeric = pd.to_numeric(series, errors="coerce")
            values = numeric.to_numpy(dtype=np.float64, na_value=np.nan)
            bad = ~np.isfinite(values) | (values != np.round(values))
            if bad.any():
                position = int(np.flatnonzero(bad)[0])
                raise DataError(
                    f"{source} tiene un valor no numérico o no entero en la columna "
                    f"{column}, fila {position + 1} de datos: {series.iloc[position]!r} "
                    f"(se esperaba un número entero).\n{fix_file}"
                )
            df[column] = numeric.astype(np.int64)
        else:
            df[column] = series.astype(np.int64)
    for column in ("Warehouse_block", "Mode_of_Shipment", "Product_importance", "Gender"):
        df[column] = df[column].astype(str).str.strip()
    for column, allowed in _SHIPPING_VALUE_SETS.items():
        unexpected = sorted({v for v in df[column].unique().tolist() if v not in allowed}, key=str)
        if unexpected:
            raise DataError(
                f"{source} tiene valores no válidos en la columna {column}: "
                f"{', '.join(map(repr, unexpected[:5]))} (valores permitidos: "
                f"{', '.join(map(str, sorted(allowed, key=str)))}).\n{fix_file}"
            )
    if check_rows and not df["ID"].is_unique:
        raise DataError(f"{source} tiene identificadores (columna ID) repetidos.\n{fix_file}")
    return df


def load_shipping(
    path: str | os.PathLike[str] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """The raw, validated shipping-delay table (Kaggle "E-commerce Shipping Data").

    The file ``Train.csv`` is looked up at ``path`` (a file, or a folder holding
    it); else in ``data_dir`` (or its ``shipping/`` subfolder); else in
    ``$COURSE_DATA_DIR``, the project's ``datasets/`` and ``./datasets`` (each
    as given and with ``shipping/``). It cannot be downloaded anonymously; see
    :func:`fetch_shipping_kaggle`.

    Validation: the 12 columns of :data:`SHIPPING_COLUMNS` in order (a UTF-8
    byte-order mark, which the Kaggle file has, is handled; a file without it
    loads too), exactly :data:`SHIPPING_ROWS` (10,999) rows with unique IDs,
    no missing values, integer columns that are integers and the known value
    sets (``Gender`` F/M, target 0/1, ratings 1-5, warehouse blocks A-D, F,
    shipment modes, importance low/medium/high).

    Returns:
        A ``pandas.DataFrame`` of 10,999 rows x 12 columns: the integer columns
        as int64, the text columns as strings. The target
        :data:`SHIPPING_TARGET` (``"Reached.on.Time_Y.N"``) is **1 when the order
        was NOT delivered on time** and 0 when it was.
    """
    import pandas as pd

    file = _find_shipping(path, data_dir)
    if file.stat().st_size == 0:
        raise DataError(
            f"El archivo de envíos {file} está vacío (0 bytes).\n" + _shipping_manual_fix()
        )
    try:
        df = pd.read_csv(file, encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"El archivo de envíos {file} no está codificado en UTF-8 (¿guardado desde una hoja de "
            "cálculo?).\n" + _shipping_manual_fix()
        ) from exc
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, OSError) as exc:
        raise DataError(
            f"No se pudo leer el archivo de envíos {file} como CSV ({type(exc).__name__}).\n"
            + _shipping_manual_fix()
        ) from exc
    return _validate_shipping(df, f"El archivo de envíos {file}", check_rows=True)


def prepare_shipping(
    df: pd.DataFrame | None = None, test_size: float = 0.3, seed: int = 42
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray], list[str]]:
    """Train/test arrays of the shipping-delay problem, prepared as in the course.

    Steps: drop ``ID``; ``Gender`` F/M -> 0/1; one-hot encode
    ``Warehouse_block``, ``Mode_of_Shipment`` and ``Product_importance`` (all
    categories of :data:`SHIPPING_CATEGORICAL`, so always 18 features); shuffled,
    seeded split (``test_size`` = 0.3 -> 70/30); a ``StandardScaler`` fitted on
    the training part only and applied to both parts (no leakage from test).

    Args:
        df: the raw table of :func:`load_shipping` (loaded when ``None``). It is
            validated again (without the row-count check, so a subset works).
        test_size: fraction kept for the test part.
        seed: ``random_state`` of the split.

    Returns:
        ``(x_train, y_train), (x_test, y_test), feature_names``: ``x`` float32
        (n, 18), ``y`` int64 (n,) where **1 = NOT delivered on time**, and the 18
        feature names in column order.
    """
    import pandas as pd

    size = _check_test_size(test_size, "prepare_shipping")
    if df is None:
        raw = load_shipping()
    elif isinstance(df, pd.DataFrame):
        raw = _validate_shipping(df, "El DataFrame de envíos recibido", check_rows=False)
    else:
        raise DataError(
            f"prepare_shipping: df debe ser el DataFrame que devuelve load_shipping() (o None) "
            f"y se recibió un objeto de tipo {type(df).__name__}."
        )
    from sklearn.model_selection import train_test_split

    features = raw.drop(columns=["ID", SHIPPING_TARGET])
    features["Gender"] = features["Gender"].map({"F": 0, "M": 1}).astype(np.int64)
    for column, categories in SHIPPING_CATEGORICAL.items():
        features[column] = pd.Categorical(features[column], categories=list(categories))
    encoded = pd.get_dummies(features, columns=list(SHIPPING_CATEGORICAL), dtype=np.float32)
    feature_names = [str(c) for c in encoded.columns]
    if len(feature_names) != 18:  # pragma: no cover - guaranteed by the fixed categories
        raise DataError(f"prepare_shipping produjo {len(feature_names)} variables en vez de 18.")
    x = encoded.to_numpy(dtype=np.float64)
    y = raw[SHIPPING_TARGET].to_numpy(dtype=np.int64)
    if len(y) < 4:
        raise DataError(
            f"prepare_shipping necesita al menos 4 filas para separar entrenamiento y prueba "
            f"y el DataFrame tiene {len(y)}."
        )
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=size, random_state=seed, shuffle=True
    )
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(x_train)
    x_train = scaler.transform(x_train).astype(np.float32)
    x_test = scaler.transform(x_test).astype(np.float32)
    return (x_train, y_train), (x_test, y_test), feature_names


def fetch_shipping_kaggle(dest_dir: str | os.PathLike[str] | None = None) -> Path:
    """Download ``Train.csv`` through the optional ``kagglehub`` package.

    Needs ``pip install kagglehub`` and, unless Kaggle serves the data set
    anonymously, Kaggle credentials (``~/.kaggle/kaggle.json``, the
    ``KAGGLE_USERNAME``/``KAGGLE_KEY`` variables or ``kagglehub.login()``). The
    downloaded file is validated with :func:`load_shipping` and copied atomically
    (temporary file, then rename) to ``dest_dir/Train.csv`` (default:
    :func:`default_shipping_dir`, where :func:`load_shipping` finds it).

    Returns:
        The path of the copied file.

    Raises:
        DataError: in Spanish, explaining the manual download, when kagglehub
        or the credentials are missing or the download fails.
    """
    dest = Path(dest_dir).expanduser() if dest_dir is not None else default_shipping_dir()
    try:
        import kagglehub
    except ImportError as exc:
        raise DataError(
            "No se puede descargar el archivo de envíos automáticamente: el paquete opcional "
            "kagglehub no está instalado (pip install kagglehub) y Kaggle exige una cuenta.\n"
            + _shipping_manual_fix()
        ) from exc
    has_env = bool(os.environ.get("KAGGLE_USERNAME") and os.environ.get("KAGGLE_KEY"))
    config_dir = Path(os.environ.get("KAGGLE_CONFIG_DIR", Path.home() / ".kaggle")).expanduser()
    has_credentials = has_env or (config_dir / "kaggle.json").is_file()
    try:
        downloaded = Path(kagglehub.dataset_download(SHIPPING_KAGGLE_DATASET))
    except Exception as exc:  # kagglehub raises many types (HTTP, auth, I/O)
        credentials = (
            "Comprueba que tus credenciales de Kaggle son válidas."
            if has_credentials
            else f"No hay credenciales de Kaggle (ni {config_dir / 'kaggle.json'} ni las "
            "variables KAGGLE_USERNAME y KAGGLE_KEY): créalas en tu cuenta de Kaggle "
            "(Settings > API > Create New Token)."
        )
        raise DataError(
            f"La descarga de {SHIPPING_KAGGLE_DATASET} con kagglehub falló "
            f"({type(exc).__name__}: {exc}). {credentials}\n" + _shipping_manual_fix()
        ) from exc
    if downloaded.is_file():
        source = downloaded
    else:
        matches = sorted(downloaded.rglob(SHIPPING_FILE)) if downloaded.is_dir() else []
        if not matches:
            found = sorted(p.name for p in downloaded.rglob("*.csv")) if downloaded.is_dir() else []
            raise DataError(
                f"kagglehub descargó {downloaded} pero no contiene {SHIPPING_FILE} "
                f"(archivos CSV encontrados: {', '.join(found) or 'ninguno'}).\n"
                + _shipping_manual_fix()
            )
        source = matches[0]
    load_shipping(path=source)
    return _atomic_copy(
        source.read_bytes(), dest / SHIPPING_FILE, lambda tmp: load_shipping(path=tmp)
    )


# ---------------------------------------------------------------------------
# Fashion-MNIST
# ---------------------------------------------------------------------------

#: English class names, as in the official release (label 0 to 9).
FASHION_CLASSES_EN: tuple[str, ...] = (
    "T-shirt/top",  # 0
    "Trouser",  # 1
    "Pullover",  # 2
    "Dress",  # 3
    "Coat",  # 4
    "Sandal",  # 5
    "Shirt",  # 6
    "Sneaker",  # 7
    "Bag",  # 8
    "Ankle boot",  # 9
)
#: Spanish class names used in the course (label 0 to 9).
FASHION_CLASSES_ES: tuple[str, ...] = (
    "Camiseta/top",
    "Pantalón",
    "Jersey",
    "Vestido",
    "Abrigo",
    "Sandalia",
    "Camisa",
    "Zapatilla",
    "Bolso",
    "Bota",
)
#: Base URL of Keras' mirror of the official files (the one ``keras.datasets`` uses).
FASHION_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
#: Where downloads are tried, in order: Keras' mirror, then Zalando's own bucket
#: (plain HTTP, which is acceptable because every download is checked by SHA-256).
FASHION_MIRRORS: tuple[str, ...] = (
    FASHION_URL,
    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
)
#: The four official file names, keyed by role.
FASHION_FILES: dict[str, str] = {
    "train_images": "train-images-idx3-ubyte.gz",
    "train_labels": "train-labels-idx1-ubyte.gz",
    "test_images": "t10k-images-idx3-ubyte.gz",
    "test_labels": "t10k-labels-idx1-ubyte.gz",
}
#: Size in bytes, SHA-256 and MD5 of the official gzip files. MD5s: the table of
#: github.com/zalandoresearch/fashion-mnist (README, "Get the Data"); sizes and
#: SHA-256: tensorflow/datasets ``url_checksums/fashion_mnist.txt``. Only a
#: *download* is checked against them: other faithful copies (e.g. an offline
#: mirror) may have different gzip bytes, so local files are validated by content.
FASHION_OFFICIAL_CHECKSUMS: dict[str, tuple[int, str, str]] = {
    "train-images-idx3-ubyte.gz": (
        26421880,
        "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
        "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
    ),
    "train-labels-idx1-ubyte.gz": (
        29515,
        "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
        "25c81989df183df01b3e8a0aad5dffbe",
    ),
    "t10k-images-idx3-ubyte.gz": (
        4422102,
        "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
        "bef4ecab320f06d8554ea6380940ec79",
    ),
    "t10k-labels-idx1-ubyte.gz": (
        5148,
        "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
        "bb300cfdad3c16e7a12a480ee83cd310",
    ),
}
_FASHION_COUNTS = {"train": 60_000, "test": 10_000}
_IDX_IMAGES_MAGIC = 0x00000803  # unsigned byte, 3 dimensions
_IDX_LABELS_MAGIC = 0x00000801  # unsigned byte, 1 dimension
_DOWNLOAD_TIMEOUT = 60.0
_CHUNK = 1 << 20


def _fashion_fix(folders_hint: str = "") -> str:
    cache = fashion_mnist_cache_dir()
    return (
        "Cómo solucionarlo: conecta el equipo a internet y vuelve a ejecutar, o ejecuta "
        f"`course data --descargar fashion-mnist` (los archivos se descargan una sola vez en "
        f"{cache}), o copia los cuatro archivos "
        f"({', '.join(FASHION_FILES.values())}) en una carpeta y apunta a ella la variable de "
        f"entorno {DATA_DIR_ENV} (los archivos pueden estar en ella o en su subcarpeta "
        f"fashion-mnist/), o cópialos en {cache}. {folders_hint}" + _README_HINT
    )


def _decompress_gzip(path: Path) -> bytes:
    """Whole-file gzip decompression with Spanish errors (empty, not gzip, truncated)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(
            f"No se pudo leer el archivo {path} ({exc.strerror or exc}).\n{_fashion_fix()}"
        ) from exc
    if not raw:
        raise DataError(
            f"El archivo {path} está vacío (0 bytes): probablemente una descarga interrumpida. "
            f"Bórralo.\n{_fashion_fix()}"
        )
    if raw[:2] != b"\x1f\x8b":
        raise DataError(
            f"El archivo {path} no es un archivo gzip (.gz) válido: debe ser el archivo oficial "
            f"comprimido, sin descomprimir ni renombrar. Bórralo o sustitúyelo.\n{_fashion_fix()}"
        )
    try:
        decompressor = zlib.decompressobj(wbits=31)
        data = decompressor.decompress(raw)
        data += decompressor.flush()
        truncated = not decompressor.eof
        if not truncated and decompressor.unused_data:
            # A multi-member gzip file: let the gzip module handle the general case.
            data = gzip.decompress(raw)
    except (zlib.error, gzip.BadGzipFile, EOFError, OSError) as exc:
        raise DataError(
            f"El archivo {path} está dañado: no se puede descomprimir ({exc}). "
            f"Bórralo y vuelve a obtenerlo.\n{_fashion_fix()}"
        ) from exc
    if truncated:
        raise DataError(
            f"El archivo {path} está truncado (incompleto): el gzip termina antes de tiempo, "
            f"probablemente por una descarga interrumpida. Bórralo y vuelve a obtenerlo.\n"
            f"{_fashion_fix()}"
        )
    return data


def _parse_idx(data: bytes, path: Path, kind: str, split: str) -> np.ndarray:
    """Validate an IDX payload (magic number, dimensions, size, label range)."""
    expected_count = _FASHION_COUNTS[split]
    magic_expected = _IDX_IMAGES_MAGIC if kind == "images" else _IDX_LABELS_MAGIC
    header_len = 16 if kind == "images" else 8
    what = "imágenes" if kind == "images" else "etiquetas"
    fix = f"Bórralo y vuelve a obtener el archivo oficial.\n{_fashion_fix()}"
    if len(data) < header_len:
        raise DataError(
            f"El archivo {path} es demasiado corto para ser un archivo IDX de {what} "
            f"({len(data)} bytes descomprimidos, la cabecera ocupa {header_len}). {fix}"
        )
    header = np.frombuffer(data, dtype=">u4", count=header_len // 4)
    magic = int(header[0])
    if magic != magic_expected:
        raise DataError(
            f"El archivo {path} no es un archivo IDX de {what}: su número mágico es "
            f"0x{magic:08x} y se esperaba 0x{magic_expected:08x}"
            " (¿has intercambiado los archivos de imágenes y etiquetas?). " + fix
        )
    count = int(header[1])
    if count != expected_count:
        raise DataError(
            f"El archivo {path} declara {count} {what} y el conjunto de "
            f"{'entrenamiento' if split == 'train' else 'prueba'} de Fashion-MNIST tiene "
            f"{expected_count}. {fix}"
        )
    if kind == "images":
        rows, cols = int(header[2]), int(header[3])
        if (rows, cols) != (28, 28):
            raise DataError(
                f"El archivo {path} tiene imágenes de {rows}x{cols} píxeles y se esperaban "
                f"28x28. {fix}"
            )
        expected_bytes = header_len + count * 28 * 28
    else:
        expected_bytes = header_len + count
    if len(data) != expected_bytes:
        raise DataError(
            f"El archivo {path} tiene {len(data) - header_len} bytes de datos y se esperaban "
            f"{expected_bytes - header_len} ({count} {what}): está incompleto o tiene datos de "
            f"más. {fix}"
        )
    array = np.frombuffer(data, dtype=np.uint8, offset=header_len)
    if kind == "images":
        return array.reshape(count, 28, 28)
    top = int(array.max())
    if top > 9:
        raise DataError(
            f"El archivo {path} tiene etiquetas fuera del rango 0-9 (máximo {top}); las 10 "
            f"clases de Fashion-MNIST son 0-9. {fix}"
        )
    return array


def _read_fashion_file(path: Path, role: str) -> np.ndarray:
    split, kind = role.split("_")
    return _parse_idx(_decompress_gzip(path), path, kind, split)


def _read_fashion_dir(
    folder: Path,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    # Small label files first, so that a bad one is reported without decompressing 47 MB.
    order = ("train_labels", "test_labels", "train_images", "test_images")
    arrays = {role: _read_fashion_file(folder / FASHION_FILES[role], role) for role in order}
    return (arrays["train_images"], arrays["train_labels"]), (
        arrays["test_images"],
        arrays["test_labels"],
    )


def _fashion_search_dirs(data_dir: str | os.PathLike[str] | None) -> list[tuple[str, Path]]:
    dirs = _search_dirs("fashion-mnist", data_dir)
    if data_dir is None:
        dirs.append(("caché de Keras", fashion_mnist_cache_dir()))
    return dirs


def _locate_fashion(
    data_dir: str | os.PathLike[str] | None,
) -> tuple[Path | None, list[tuple[str, Path]]]:
    """The first searched folder holding all four files, and the list searched."""
    searched = _fashion_search_dirs(data_dir)
    for _, folder in searched:
        if all((folder / name).is_file() for name in FASHION_FILES.values()):
            return folder, searched
    return None, searched


def _same_dir(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:  # pragma: no cover - unresolvable paths are simply different
        return False


def _partial_note(searched: Iterable[tuple[str, Path]]) -> str:
    notes = []
    for _, folder in searched:
        present = [name for name in FASHION_FILES.values() if (folder / name).is_file()]
        if present:
            missing = [n for n in FASHION_FILES.values() if n not in present]
            notes.append(
                f"  {folder} tiene {len(present)} de 4 archivos; faltan: {', '.join(missing)}"
            )
    return ("Carpetas incompletas:\n" + "\n".join(notes) + "\n") if notes else ""


def _atomic_copy(content: bytes, dest: Path, validate: Callable[[Path], Any]) -> Path:
    """Write ``content`` to a temp file next to ``dest``, validate it, then rename."""
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    except OSError as exc:
        raise DataError(
            f"No se puede escribir en la carpeta {dest.parent} ({exc.strerror or exc}). "
            f"Comprueba los permisos o elige otra carpeta con {DATA_DIR_ENV}."
        ) from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        validate(tmp)
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return dest


def _download_file(name: str, dest: Path) -> Path:
    """Download one official file into ``dest``, trying each mirror in turn."""
    failures: list[str] = []
    for base in FASHION_MIRRORS:
        try:
            return _download_from(base, name, dest)
        except DataError as exc:
            failures.append(str(exc))
    raise DataError(" / ".join(failures))


def _download_from(base: str, name: str, dest: Path) -> Path:
    """Download ``base + name`` into ``dest`` atomically, checking size and SHA-256."""
    import http.client
    import urllib.error
    import urllib.request

    size, sha256, _md5 = FASHION_OFFICIAL_CHECKSUMS[name]
    url = base + name
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=dest.parent)
    except OSError as exc:
        raise DataError(
            f"No se puede escribir en la caché {dest.parent} ({exc.strerror or exc}) para "
            f"descargar {name}. Comprueba los permisos, o define KERAS_HOME o {DATA_DIR_ENV}."
        ) from exc
    tmp = Path(tmp_name)
    print(f"Descargando {name} ({size / 1e6:.1f} MB) desde {base} en {dest.parent} ...")
    try:
        digest = hashlib.sha256()
        written = 0
        try:
            with (
                os.fdopen(fd, "wb") as handle,
                urllib.request.urlopen(url, timeout=_DOWNLOAD_TIMEOUT) as response,
            ):
                while True:
                    chunk = response.read(_CHUNK)
                    if not chunk:
                        break
                    handle.write(chunk)
                    digest.update(chunk)
                    written += len(chunk)
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", None) or exc
            raise DataError(
                f"No se pudo descargar {url} ({type(exc).__name__}: {reason}). "
                "¿Hay conexión a internet?"
            ) from exc
        if written != size or digest.hexdigest() != sha256:
            raise DataError(
                f"La descarga de {url} no coincide con el archivo oficial ({written} bytes, "
                f"SHA-256 {digest.hexdigest()[:16]}...; se esperaban {size} bytes y SHA-256 "
                f"{sha256[:16]}...). Se ha descartado; vuelve a intentarlo más tarde."
            )
        role = next(r for r, n in FASHION_FILES.items() if n == name)
        _read_fashion_file(tmp, role)
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return dest


def download_fashion_mnist(cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """Download the official Fashion-MNIST files that are missing or invalid.

    Files go to ``cache_dir`` (default: Keras' cache, :func:`fashion_mnist_cache_dir`),
    each through a temporary file in the same folder that is checked (size,
    SHA-256, IDX content) before it is renamed into place; a failed or corrupt
    download leaves nothing behind. Valid files already there are kept.

    Returns:
        The folder holding the four files.
    """
    folder = Path(cache_dir).expanduser() if cache_dir is not None else fashion_mnist_cache_dir()
    for role, name in FASHION_FILES.items():
        target = folder / name
        if target.is_file():
            try:
                _read_fashion_file(target, role)
                continue
            except DataError:
                pass  # replaced by a fresh download below
        _download_file(name, target)
    return folder


def load_fashion_mnist(
    data_dir: str | os.PathLike[str] | None = None, download: bool = True
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Fashion-MNIST with the ``keras.datasets.fashion_mnist.load_data()`` contract.

    Reads the four official IDX gzip files with NumPy (no TensorFlow import).
    Search order: ``data_dir`` (only there when given; files in it or in its
    ``fashion-mnist/`` subfolder), ``$COURSE_DATA_DIR``, the project's
    ``datasets/``, ``./datasets``, Keras' cache ``~/.keras/datasets/fashion-mnist/``
    and, when ``download`` is true and nothing was found, the official download
    into Keras' cache. Each file is validated (gzip integrity, IDX magic number,
    dimensions 28x28, 60,000/10,000 items, labels 0-9).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 arrays of shapes
        (60000, 28, 28), (60000,), (10000, 28, 28), (10000,); labels 0-9 named
        by :data:`FASHION_CLASSES_EN` / :data:`FASHION_CLASSES_ES`. As with
        Keras, the arrays are read-only views of the decompressed bytes
        (``x_train / 255.0`` works; call ``.copy()`` before editing in place).
    """
    folder, searched = _locate_fashion(data_dir)
    if folder is not None:
        try:
            return _read_fashion_dir(folder)
        except DataError as exc:
            cache = fashion_mnist_cache_dir()
            if not (download and data_dir is None and _same_dir(folder, cache)):
                raise
            # A damaged copy in the user cache (e.g. an interrupted download) is
            # replaced by a fresh download; anywhere else the user must fix it.
            try:
                download_fashion_mnist(cache)
            except DataError as again:
                raise DataError(
                    f"{exc}\nSe intentó sustituirlo por una descarga nueva, que también falló: "
                    f"{again}"
                ) from again
            return _read_fashion_dir(cache)
    listing = "Carpetas buscadas, en este orden:\n" + _describe_searched(
        searched, note_env=data_dir is None
    )
    if data_dir is not None or not download:
        reason = (
            "en la carpeta indicada"
            if data_dir is not None
            else "localmente (descarga desactivada)"
        )
        raise DataError(
            f"No se encontraron los cuatro archivos de Fashion-MNIST {reason}.\n{listing}\n"
            f"{_partial_note(searched)}{_fashion_fix()}"
        )
    try:
        cache = download_fashion_mnist()
    except DataError as exc:
        raise DataError(
            "No se encontraron los archivos de Fashion-MNIST en el equipo y la descarga oficial "
            f"falló.\n{listing}\n{_partial_note(searched)}Descarga: {exc}\n{_fashion_fix()}"
        ) from exc
    return _read_fashion_dir(cache)


# ---------------------------------------------------------------------------
# Status for `course doctor` / `course data`
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DatasetStatus:
    """Where a data set was found and whether it is valid (for the CLI).

    Attributes:
        key: identifier (``"xor"``, ``"iris"``, ``"shipping"``, ``"fashion_mnist"``).
        nombre: Spanish display name.
        description: one Spanish line saying what it is and where it comes from.
        found: true when the data set is available *and* passed validation.
        location: the file or folder used (``None`` when not found).
        detail: Spanish detail: what was validated, or why not and how to fix it.
        required: whether the course needs it (notebooks/assignments use it).
    """

    key: str
    nombre: str
    description: str
    found: bool
    location: str | None
    detail: str
    required: bool = True


def _status_xor() -> DatasetStatus:
    x, y = load_xor()
    return DatasetStatus(
        "xor",
        "XOR",
        "Tabla de verdad de XOR y nube de puntos con ruido, generadas por código.",
        True,
        "generado por course.datasets",
        f"tabla de verdad {x.shape[0]} filas; no necesita archivos",
    )


def _status_iris() -> DatasetStatus:
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


def _status_shipping(data_dir: str | os.PathLike[str] | None) -> DatasetStatus:
    description = (
        'Retrasos de envío: Train.csv de Kaggle "E-commerce Shipping Data" '
        "(requiere cuenta de Kaggle; no se descarga automáticamente)."
    )
    try:
        file = _find_shipping(None, data_dir)
        df = load_shipping(path=file)
    except DataError as exc:
        return DatasetStatus(
            "shipping", "Envíos (Pick&Deliver)", description, False, None, str(exc)
        )
    late = float(df[SHIPPING_TARGET].mean())
    return DatasetStatus(
        "shipping",
        "Envíos (Pick&Deliver)",
        description,
        True,
        str(file),
        f"válido: {len(df)} filas x {df.shape[1]} columnas; {late:.1%} de pedidos con retraso",
    )


def _status_fashion(data_dir: str | os.PathLike[str] | None) -> DatasetStatus:
    description = "Fashion-MNIST (Zalando, licencia MIT): 70.000 imágenes 28x28 de ropa, 10 clases."
    folder, searched = _locate_fashion(data_dir)
    if folder is None:
        detail = (
            "No se encontraron los cuatro archivos.\nCarpetas buscadas, en este orden:\n"
            + _describe_searched(searched, note_env=data_dir is None)
            + "\n"
            + _partial_note(searched)
            + "Se descargarán automáticamente la primera vez que se carguen si hay internet.\n"
            + _fashion_fix()
        )
        return DatasetStatus("fashion_mnist", "Fashion-MNIST", description, False, None, detail)
    try:
        (x_train, _), (x_test, _) = _read_fashion_dir(folder)
    except DataError as exc:
        return DatasetStatus(
            "fashion_mnist", "Fashion-MNIST", description, False, str(folder), str(exc)
        )
    return DatasetStatus(
        "fashion_mnist",
        "Fashion-MNIST",
        description,
        True,
        str(folder),
        f"válido: {len(x_train)} imágenes de entrenamiento y {len(x_test)} de prueba",
    )


def dataset_status(data_dir: str | os.PathLike[str] | None = None) -> list[DatasetStatus]:
    """Locate and validate every data set, without downloading anything.

    Args:
        data_dir: optional folder to use instead of the usual search order.

    Returns:
        One :class:`DatasetStatus` per data set (XOR, Iris, shipping,
        Fashion-MNIST). Never raises :class:`DataError`: problems go to ``detail``.
    """
    return [
        _status_xor(),
        _status_iris(),
        _status_shipping(data_dir),
        _status_fashion(data_dir),
    ]


def validate_all(
    data_dir: str | os.PathLike[str] | None = None, download: bool = False
) -> list[DatasetStatus]:
    """Like :func:`dataset_status`, but may first fetch what can be fetched.

    With ``download=True`` a missing Fashion-MNIST is downloaded into Keras'
    cache before the check (the shipping file cannot be fetched anonymously;
    see :func:`fetch_shipping_kaggle`). A failed download is reported in the
    Fashion-MNIST ``detail``.
    """
    download_error: str | None = None
    if download and _locate_fashion(data_dir)[0] is None:
        try:
            download_fashion_mnist()
        except DataError as exc:
            download_error = str(exc)
    statuses = dataset_status(data_dir)
    if download_error is not None:
        statuses = [
            DatasetStatus(
                s.key,
                s.nombre,
                s.description,
                s.found,
                s.location,
                f"{s.detail}\nDescarga fallida: {download_error}",
                s.required,
            )
            if s.key == "fashion_mnist"
            else s
            for s in statuses
        ]
    return statuses
