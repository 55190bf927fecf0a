"""The plain-data codec of the answers that leave the student's kernel.

During ``course grade`` the student's kernel hands its answers to the trusted
process of :mod:`course.grading.hidden_tests` through
:mod:`course.grading.answers`, which describes them with :func:`encode`:

- Python scalars and strings in JSON with their exact type, NumPy arrays and
  scalars as ``.npy`` files written with ``allow_pickle=False``, Keras models as
  ``.keras`` files (loaded back with ``safe_mode=True``, which refuses Python
  lambdas and unknown classes);
- pandas tables column by column (numbers as ``.npy``, text as unicode
  arrays), a fitted scikit-learn ``StandardScaler`` and Keras' ``EarlyStopping``
  / ``ModelCheckpoint`` by their parameters, a training ``History`` by its
  numbers, rebuilt from those trusted classes;
- anything else (an object of the student's own class, for instance) only as
  its type name: an :class:`Opaque` stand-in that fails every check.

:func:`decode` never unpickles and never runs code of the student's. Nothing
here imports TensorFlow; Keras is only touched when a Keras model is actually
encoded or decoded.
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import itertools
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

_counter = itertools.count()


class Unrecordable(Exception):
    """A value that has no faithful plain-data form."""


# --------------------------------------------------------------------------- keys
def fingerprint(value: Any) -> Any:
    """A JSON-able description of ``value`` equal only for the same type and data."""
    kind = type(value)
    if value is None or kind in (bool, int, str):
        return [kind.__name__, value]
    if kind is float:
        return ["float", repr(value)]
    if kind in (tuple, list):
        return [kind.__name__, [fingerprint(v) for v in value]]
    if kind is dict:
        return ["dict", sorted([repr(k), fingerprint(v)] for k, v in value.items())]
    if isinstance(value, np.ndarray):
        if value.dtype.hasobject:
            return ["opaque", "ndarray[object]"]
        data = np.ascontiguousarray(value)
        digest = hashlib.sha256(data.tobytes()).hexdigest()
        return ["ndarray", data.dtype.str, list(data.shape), digest]
    if isinstance(value, np.generic):
        return ["npscalar", value.dtype.str, np.asarray(value).tobytes().hex()]
    if isinstance(value, Opaque):
        return ["opaque", value.type_name]
    frame = _frame_parts(value)
    if frame is not None:
        kind_name, columns, arrays = frame
        return [kind_name, [repr(c) for c in columns], [fingerprint(a) for a in arrays]]
    if inspect.isroutine(value) or isinstance(value, np.ufunc):
        return [
            "routine",
            str(getattr(value, "__module__", None)),
            str(getattr(value, "__qualname__", getattr(value, "__name__", ""))),
        ]
    return ["opaque", _type_name(value)]


def _type_name(value: Any) -> str:
    kind = type(value)
    return f"{kind.__module__}.{kind.__qualname__}"


def _key(args: tuple, kwargs: dict) -> str:
    return json.dumps([fingerprint(list(args)), fingerprint(dict(kwargs))], sort_keys=True)


# --------------------------------------------------------------------------- encoding
def _is_keras_model(value: Any) -> bool:
    keras = sys.modules.get("keras")
    return keras is not None and isinstance(value, keras.Model)


def encode(value: Any, folder: Path) -> dict[str, Any]:
    """Describe ``value`` as plain data, writing arrays and models into ``folder``."""
    kind = type(value)
    if value is None:
        return {"t": "none"}
    if kind in (bool, int, str, float):
        return {"t": kind.__name__, "v": value}
    if kind in (tuple, list):
        return {"t": kind.__name__, "items": [encode(v, folder) for v in value]}
    if kind is dict and all(type(k) is str for k in value):
        return {"t": "dict", "items": {k: encode(v, folder) for k, v in value.items()}}
    if isinstance(value, (np.ndarray, np.generic)) and not np.asarray(value).dtype.hasobject:
        name = f"{next(_counter)}.npy"
        np.save(folder / name, np.asarray(value), allow_pickle=False)
        return {"t": "ndarray" if isinstance(value, np.ndarray) else "npscalar", "file": name}
    frame = _frame_parts(value)
    if frame is not None:
        kind_name, columns, arrays = frame
        return {
            "t": kind_name,
            "columns": list(columns),
            "arrays": [encode(a, folder) for a in arrays],
        }
    plain = _plain_object(value)
    if plain is not None:
        kind_name, params = plain
        return {"t": kind_name, "params": {k: encode(v, folder) for k, v in params.items()}}
    if _is_keras_model(value):
        name = f"{next(_counter)}.keras"
        try:
            value.save(folder / name)
        except Exception as exc:  # noqa: BLE001 - recorded, then fails the re-check
            return {"t": "opaque", "type": _type_name(value), "why": f"{type(exc).__name__}"}
        return {"t": "keras", "file": name}
    return {"t": "opaque", "type": _type_name(value)}


def _frame_parts(value: Any) -> tuple[str, list[Any], list[np.ndarray]] | None:
    """A pandas DataFrame/Series as (kind, column names, [index, *columns]) arrays.

    Text columns (``object`` holding only ``str``) travel as NumPy unicode arrays;
    anything else in an ``object`` or extension column makes the table opaque.
    """
    pandas = sys.modules.get("pandas")
    if pandas is None or type(value) not in (pandas.DataFrame, pandas.Series):
        return None
    if type(value) is pandas.Series:
        columns = [value.name]
        series = [value]
    else:
        columns = list(value.columns)
        series = [value.iloc[:, i] for i in range(value.shape[1])]
    if not all(c is None or type(c) in (str, int) for c in columns):
        return None
    arrays = [_plain_array(value.index)]
    arrays += [_plain_array(s) for s in series]
    if any(a is None for a in arrays):
        return None
    kind = "series" if type(value) is pandas.Series else "frame"
    return kind, columns, arrays  # type: ignore[return-value]


def _plain_array(values: Any) -> np.ndarray | None:
    dtype = getattr(values, "dtype", None)
    if isinstance(dtype, np.dtype) and not dtype.hasobject:
        return np.asarray(values)
    if not (isinstance(dtype, np.dtype) or str(dtype) in ("str", "string")):
        return None  # other pandas extension types (categorical, nullable...)
    array = np.asarray(values, dtype=object)
    if not all(type(v) is str for v in array.reshape(-1)):
        return None
    return array.astype(str)


#: Plain objects rebuilt from their parameters: class -> attributes recorded.
_SCALER_FIELDS = ("mean_", "scale_", "var_", "n_samples_seen_", "n_features_in_")
_CALLBACKS = ("EarlyStopping", "ModelCheckpoint")


def _plain_object(value: Any) -> tuple[str, dict[str, Any]] | None:
    """A fitted StandardScaler or a Keras callback as (kind, plain parameters)."""
    kind = type(value)
    if kind.__module__.startswith("sklearn") and kind.__name__ == "StandardScaler":
        params = dict(value.get_params())
        params.update({k: getattr(value, k) for k in _SCALER_FIELDS if hasattr(value, k)})
        return "StandardScaler", params
    keras = sys.modules.get("keras")
    if (
        keras is not None
        and kind.__name__ in _CALLBACKS
        and kind is getattr(keras.callbacks, kind.__name__, None)
    ):
        names = inspect.signature(kind.__init__).parameters
        params = {n: getattr(value, n) for n in names if n != "self" and hasattr(value, n)}
        params = {
            n: v for n, v in params.items() if v is None or type(v) in (str, int, float, bool)
        }
        if "filepath" in names:
            params["filepath"] = os.fspath(value.filepath)
        return kind.__name__, params
    return None


def _rebuild(kind: str, params: dict[str, Any]) -> Any:
    """The object :func:`_plain_object` described, built from trusted classes only."""
    if kind == "StandardScaler":
        from sklearn.preprocessing import StandardScaler

        settings = {k: params[k] for k in ("copy", "with_mean", "with_std") if k in params}
        scaler = StandardScaler(**settings)
        for name in _SCALER_FIELDS:
            if name in params:
                setattr(scaler, name, params[name])
        return scaler
    import keras

    return getattr(keras.callbacks, kind)(**params)


class Opaque:
    """Stand-in for a value that could not be recorded (fails every check)."""

    def __init__(self, type_name: str) -> None:
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<valor no comprobable de tipo {self.type_name}>"


def decode(desc: dict[str, Any], folder: Path) -> Any:
    """The value described by :func:`encode` (never unpickles, never runs code)."""
    kind = desc.get("t")
    if kind == "none":
        return None
    if kind == "ellipsis":
        return Ellipsis
    if kind == "History":
        import keras

        history = keras.callbacks.History()
        logs = decode(desc["params"]["history"], folder)
        if not isinstance(logs, dict):
            raise Unrecordable("historial de entrenamiento incoherente")
        history.history = {str(k): [float(v) for v in values] for k, values in logs.items()}
        return history
    if kind in ("bool", "int", "str", "float"):
        value = desc["v"]
        wanted = {"bool": bool, "int": int, "str": str, "float": float}[kind]
        if kind == "float" and type(value) is int:
            value = float(value)
        if type(value) is not wanted:
            raise Unrecordable(f"registro incoherente: {kind} con {type(value).__name__}")
        return value
    if kind in ("tuple", "list"):
        items = [decode(d, folder) for d in desc["items"]]
        return tuple(items) if kind == "tuple" else items
    if kind == "dict":
        return {str(k): decode(d, folder) for k, d in desc["items"].items()}
    if kind in ("ndarray", "npscalar"):
        import io

        data = _read_regular(_inside(folder, desc["file"]), MAX_ARRAY_BYTES)
        array = np.load(io.BytesIO(data), allow_pickle=False)
        return array if kind == "ndarray" else array[()]
    if kind == "keras":
        import keras

        return keras.saving.load_model(_inside(folder, desc["file"]), safe_mode=True)
    if kind in ("frame", "series"):
        import pandas

        columns = list(desc["columns"])
        arrays = [decode(d, folder) for d in desc["arrays"]]
        if len(arrays) != len(columns) + 1 or not all(isinstance(a, np.ndarray) for a in arrays):
            raise Unrecordable("tabla de pandas incoherente")
        index = pandas.Index(_as_object(arrays[0]))
        if kind == "series":
            return pandas.Series(_as_object(arrays[1]), index=index, name=columns[0])
        data = {i: _as_object(a) for i, a in enumerate(arrays[1:])}
        frame = pandas.DataFrame(data, index=index)
        frame.columns = columns
        return frame
    if kind in ("StandardScaler", *_CALLBACKS):
        return _rebuild(kind, {str(k): decode(d, folder) for k, d in desc["params"].items()})
    if kind == "opaque":
        return Opaque(str(desc.get("type", "?")))
    raise Unrecordable(f"tipo de registro desconocido: {kind!r}")


def _as_object(array: np.ndarray) -> np.ndarray:
    """Text columns back to pandas' usual ``object`` dtype."""
    return array.astype(object) if array.dtype.kind == "U" else array


def _inside(folder: Path, name: str) -> Path:
    """``folder/name`` if it is a regular file directly in ``folder`` (links refused)."""
    import stat

    path = folder / str(name)
    try:
        regular = stat.S_ISREG(os.lstat(path).st_mode)
    except (OSError, ValueError):
        regular = False
    if "/" in str(name) or str(name) in ("", ".", "..") or not regular:
        raise Unrecordable(f"archivo de registro no válido: {name!r}")
    return path


#: Size caps of what the re-check reads from a record (bytes).
MAX_RECORD_BYTES = 16 * 1024 * 1024
MAX_ARRAY_BYTES = 512 * 1024 * 1024
#: Seconds the re-check may spend on one record (decoding and checking it).
RECORD_SECONDS = 120


def _read_regular(path: Path, limit: int) -> bytes:
    """Read ``path`` only if it is a regular file of at most ``limit`` bytes.

    ``O_NOFOLLOW | O_NONBLOCK`` and an ``fstat`` of the open descriptor: a link
    fails to open and a FIFO or device is refused at once, never waited on.
    """
    import stat

    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            raise Unrecordable(f"archivo de registro no válido: {path.name!r}")
        with os.fdopen(os.dup(fd), "rb") as fh:
            data = fh.read(limit + 1)
        if len(data) > limit:
            raise Unrecordable(f"archivo de registro demasiado grande: {path.name!r}")
        return data
    finally:
        os.close(fd)


class RecordTimeout(BaseException):
    """One record took longer than :data:`RECORD_SECONDS` (not catchable as Exception)."""


@contextlib.contextmanager
def _record_deadline(seconds: float) -> Iterator[None]:
    """Raise :class:`RecordTimeout` after ``seconds`` (main thread of a process only)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread() or seconds <= 0:
        yield
        return

    def expired(_signum: int, _frame: Any) -> None:
        raise RecordTimeout

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
