"""The shipping-delay data set: Kaggle's "E-commerce Shipping Data" ``Train.csv``.

One job: the schema of the shipping table (used everywhere the table is read,
including assignment a04), finding ``Train.csv`` on the search path, reading and
validating it, the course's preparation into arrays, and the optional Kaggle
fetch. It cannot be downloaded anonymously, so the search stops at the
project's ``datasets/`` folder. pandas and scikit-learn are imported inside the
functions.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import numpy as np

from course.datasets import _base
from course.datasets._base import (
    DATA_DIR_ENV,
    README_HINT,
    DatasetStatus,
    check_test_size,
    describe_searched,
    search_dirs,
    write_atomically,
)
from course.errors import DataError

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas as pd


# ---------------------------------------------------------------------------
# Schema
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
#: Numeric feature columns (integers in the file), which reach the model unscaled
#: by :func:`prepare_shipping` before its ``StandardScaler``.
SHIPPING_NUMERIC: tuple[str, ...] = (
    "Customer_care_calls",
    "Customer_rating",
    "Cost_of_the_Product",
    "Prior_purchases",
    "Discount_offered",
    "Weight_in_gms",
)
#: The text columns of the file: the categorical ones and ``Gender``.
_SHIPPING_TEXT = (*SHIPPING_CATEGORICAL, "Gender")
_SHIPPING_INTEGER = ("ID", *SHIPPING_NUMERIC, SHIPPING_TARGET)
_SHIPPING_VALUE_SETS: dict[str, set[Any]] = {
    **{column: set(values) for column, values in SHIPPING_CATEGORICAL.items()},
    "Gender": {"F", "M"},
    SHIPPING_TARGET: {0, 1},
    "Customer_rating": {1, 2, 3, 4, 5},
}


def _shipping_manual_fix() -> str:
    env_value = os.environ.get(DATA_DIR_ENV)
    project = _base.project_dataset_dirs()
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
        "la orden `course data --descargar envios` lo descarga por ti. " + README_HINT
    )


def find_shipping_file(
    path: str | os.PathLike[str] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
) -> Path:
    """Where :func:`load_shipping` would read ``Train.csv`` from (not validated).

    Same search order as :func:`load_shipping`; raises :class:`DataError` (with
    the folders searched and the manual-download instructions) when absent.
    """
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
    searched = search_dirs("shipping", data_dir)
    for _, folder in searched:
        candidate = folder / SHIPPING_FILE
        if candidate.is_file():
            return candidate
    raise DataError(
        f"No se encontró el archivo de datos de envíos {SHIPPING_FILE} (Kaggle "
        '"E-commerce Shipping Data").\n'
        "Carpetas buscadas, en este orden:\n"
        + describe_searched(searched, note_env=data_dir is None)
        + "\n"
        + _shipping_manual_fix()
    )


def default_shipping_dir() -> Path:
    """Default destination of :func:`fetch_shipping_kaggle`.

    The project's ``datasets/shipping/`` (editable install), else
    ``./datasets/shipping/``; both are searched by :func:`load_shipping`.
    """
    project = _base.project_dataset_dirs()
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
    for column in _SHIPPING_TEXT:
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

    file = find_shipping_file(path, data_dir)
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

    size = check_test_size(test_size, "prepare_shipping")
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
    content = source.read_bytes()

    def cannot_write(reason: str) -> str:
        return (
            f"No se puede escribir en la carpeta {dest} ({reason}). "
            f"Comprueba los permisos o elige otra carpeta con {DATA_DIR_ENV}."
        )

    def write(handle: IO[bytes]) -> None:
        handle.write(content)

    return write_atomically(
        dest / SHIPPING_FILE, write, lambda tmp: load_shipping(path=tmp), cannot_write
    )


def status(data_dir: str | os.PathLike[str] | None = None) -> DatasetStatus:
    """Whether ``Train.csv`` is on the search path and valid (never downloads)."""
    description = (
        'Retrasos de envío: Train.csv de Kaggle "E-commerce Shipping Data" '
        "(requiere cuenta de Kaggle; no se descarga automáticamente)."
    )
    try:
        file = find_shipping_file(None, data_dir)
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
