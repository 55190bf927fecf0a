"""Visible checks of assignment a04 (Iris and the shipping-delay model).

Graded exercises carry no ``solution``: solutions are published by the
instructor after the deadline, never through the package.

Each exercise is a graded :class:`course.checks.Exercise`. The notebook's
visible test calls ``ejN.check_names(...)`` with the names of the student's
variables (a missing variable is "not attempted", never a ``NameError``); the
hidden test (only in ``source_assignments/``) calls the same exercise with
keyword extras:

- ``ej1``: ``probe=`` held-out flowers the model must map to probabilities.
- ``ej2``: ``heldout=(x, y)`` the test split reloaded independently of the
  student's variables, ``min_heldout_accuracy=`` (stricter) and
  ``agreement=True`` (the predictions must come from the model).
- ``ej3``: ``heldout_df=`` rows the preparation function has not seen.
- ``ej4``: ``partition=True`` (train and test rows are exactly the rows of
  ``X``, no row in both, labels aligned) and the scaler's variance.
- ``ej5``: ``agreement=True`` and ``min_model_accuracy=``: the model itself is
  re-evaluated on the test rows.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from course.checks import (
    Correct,
    Exercise,
    Incorrect,
    check_accuracy,
    check_activations,
    check_input_shape,
    check_loss,
    check_model,
    check_trained,
    fmt_number,
    not_attempted,
    show,
    student_exception,
)
from course.datasets.shipping import (
    SHIPPING_CATEGORICAL,
    SHIPPING_FILE,
    SHIPPING_NUMERIC,
    SHIPPING_TARGET,
)
from course.errors import DataError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "CATEGORICAL",
    "SHIPPING_FILE",
    "NUMERIC",
    "TARGET",
    "ej1",
    "ej2",
    "ej3",
    "ej4",
    "StagedExercise",
    "ej5",
    "load_assignment_shipping",
]

# The shipping table's schema is course.datasets.shipping's, under this module's names.
#: Target column of the shipping table: 1 = the order was NOT delivered on time.
TARGET = SHIPPING_TARGET
#: Columns that must reach the model unchanged.
NUMERIC = SHIPPING_NUMERIC
#: Columns that must be one-hot encoded.
CATEGORICAL = tuple(SHIPPING_CATEGORICAL)


def load_assignment_shipping(folder: str | os.PathLike[str] = ".") -> pd.DataFrame:
    """The raw shipping table for the assignment, validated by ``course.datasets``.

    The instructor places ``Train.csv`` in the assignment's source folder, so
    nbgrader releases it beside the notebook: that copy (in ``folder``, the
    notebook's working directory) is used first. Otherwise the file is found
    the way :func:`course.datasets.load_shipping` finds it (``$COURSE_DATA_DIR``,
    the project's ``datasets/``...). With neither, a :class:`course.DataError`
    says in Spanish where the file must go.
    """
    from course.datasets import load_shipping

    beside = Path(folder) / SHIPPING_FILE
    if beside.is_file():
        return load_shipping(path=beside)
    try:
        return load_shipping()
    except DataError as exc:
        raise DataError(
            f"No encuentro el archivo de datos {SHIPPING_FILE} junto a este cuaderno "
            f"({beside.resolve().parent}) ni en las carpetas de datos del curso. Si eres "
            f"estudiante, pide a tu profesor el archivo {SHIPPING_FILE} y guárdalo en la misma "
            "carpeta que este cuaderno, sin cambiarle el nombre; después vuelve a ejecutar esta "
            f"celda.\n\nDetalles de la búsqueda:\n{exc}"
        ) from None


def _user_namespace(depth: int = 2) -> Mapping[str, Any]:
    """The notebook's variables (IPython's user namespace), else the caller's."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency of Jupyter
        shell = None
    else:
        shell = get_ipython()
    if shell is not None:
        return shell.user_ns
    frame = sys._getframe(depth)
    return {**frame.f_globals, **frame.f_locals}


class StagedExercise(Exercise):
    """An exercise whose answer is built on an earlier one (``upstream``).

    When the upstream variable (e.g. the model) exists but a later one (e.g.
    the predictions) does not, the student's cell did run and failed (or was
    left unfinished): that is reported as :class:`Incorrect` with a message
    pointing at the failing cell, instead of "not attempted". With the
    upstream variable missing too, the answer is not attempted.
    """

    def __init__(self, *args: Any, upstream: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.upstream = upstream

    def check_names(
        self, *names: str, namespace: Mapping[str, Any] | None = None, **hidden: Any
    ) -> Any:
        names = names or tuple(self.answer_names)
        ns = namespace if namespace is not None else _user_namespace()
        missing = [n for n in names if n not in ns]
        if missing and self.upstream in ns and self.upstream not in missing:
            result = Incorrect(
                f"la variable `{missing[0]}`",
                f"`{self.upstream}` existe, pero `{missing[0]}` no: la celda que debía crearla "
                "no terminó",
                f"que tu solución defina `{missing[0]}`",
                "Mira el error que aparece debajo de la celda de tu solución, corrígelo y vuelve "
                "a ejecutarla (si no la has completado, complétala).",
            ).with_title(self.title)
            show(result)
            if self.graded:
                raise result
            return result
        return super().check_names(*names, namespace=ns, **hidden)


# --------------------------------------------------------------------------- #
# shared helpers
# --------------------------------------------------------------------------- #
def _class_predictions(pred: Any, n: int, n_classes: int, name: str) -> np.ndarray:
    """Validate a vector of predicted classes and return it as int64."""
    try:
        arr = np.asarray(pred)
    except Exception:
        arr = np.asarray([])
    checked = f"el formato de `{name}`"
    if arr.dtype.kind not in "biuf":
        raise Incorrect(
            checked,
            f"un valor de tipo `{type(pred).__name__}`",
            f"un array de {n} clases (enteros de 0 a {n_classes - 1})",
            "Calcula las predicciones con `modelo.predict(...)` y conviértelas en clases.",
        )
    if arr.ndim == 2 and arr.shape == (n, n_classes) and n_classes > 1:
        raise Incorrect(
            checked,
            f"un array de forma {arr.shape}: probabilidades, no clases",
            f"un array de forma ({n},) con la clase de cada ejemplo",
            "Elige la clase más probable de cada fila con `.argmax(axis=1)`.",
        )
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.shape != (n,):
        raise Incorrect(
            checked,
            f"forma {arr.shape}",
            f"forma ({n},): una predicción por ejemplo de prueba",
            "Predice sobre todos los ejemplos de prueba, sin cambiar su orden.",
        )
    if arr.dtype.kind == "f" and not np.all(np.isfinite(arr)):
        raise Incorrect(
            checked,
            "valores NaN o infinitos",
            "clases enteras",
            "Revisa el entrenamiento: un modelo que produce NaN no ha aprendido.",
        )
    integers = bool(np.all(arr == np.round(arr)))
    if integers and arr.min() >= 1 and arr.max() == n_classes:
        raise Incorrect(
            checked,
            f"clases de 1 a {n_classes}",
            f"clases enteras de 0 a {n_classes - 1}",
            "Las clases empiezan en 0, como las etiquetas: no sumes 1 a lo que da `argmax`.",
        )
    if not integers or arr.min() < 0 or arr.max() > n_classes - 1:
        fix = "Las predicciones deben ser clases, no probabilidades."
        if n_classes == 2:
            fix += " Con una salida sigmoid, aplica el umbral: `(probabilidades > 0.5)`."
        else:
            fix += " Usa `.argmax(axis=1)` sobre las probabilidades."
        raise Incorrect(
            checked,
            f"valores entre {fmt_number(float(arr.min()), 4)} y {fmt_number(float(arr.max()), 4)}",
            f"clases enteras de 0 a {n_classes - 1}",
            fix,
        )
    return arr.astype(np.int64)


def _labels(y: Any, n: int | None, name: str) -> np.ndarray:
    arr = np.asarray(y).reshape(-1)
    if n is not None and arr.shape[0] != n:
        raise Incorrect(
            f"el tamaño de `{name}`",
            f"{arr.shape[0]} etiquetas",
            f"{n} etiquetas",
            "No modifiques las etiquetas de prueba: vuelve a ejecutar la celda que las crea.",
        )
    return arr.astype(np.int64)


def _model_classes(model: Any, x: Any) -> np.ndarray:
    from course.checks._keras import predict_probabilities

    probs = predict_probabilities(model, x)
    if probs.ndim == 2 and probs.shape[1] > 1:
        return probs.argmax(axis=1)
    return (probs.reshape(-1) > 0.5).astype(np.int64)


def _check_agreement(model: Any, x: Any, pred: np.ndarray, name: str) -> None:
    model_pred = _model_classes(model, x)
    agree = float(np.mean(model_pred == pred))
    if agree < 0.99:
        raise Incorrect(
            f"que `{name}` salga de tu modelo",
            f"tu modelo, evaluado de nuevo, coincide con `{name}` solo en el "
            f"{fmt_number(100 * agree, 3)} % de los ejemplos",
            "las mismas clases que predice el modelo (al menos el 99 %)",
            f"Calcula `{name}` con `modelo.predict(...)` sobre los datos de prueba: no escribas "
            "las clases a mano ni copies las etiquetas.",
        )


def _check_model_behind(
    model: Any,
    x: Any,
    pred: np.ndarray,
    name: str,
    *,
    agreement: bool,
    heldout: tuple[Any, Any] | None,
    min_heldout_accuracy: float,
    heldout_what: str,
) -> None:
    """Hidden-test checks that the predictions ``name`` really come from ``model``.

    With ``agreement`` the trained model is evaluated again on ``x`` and must give
    the same classes; with ``heldout`` it must reach ``min_heldout_accuracy`` on
    examples the student never saw.
    """
    if agreement or heldout is not None:
        check_trained(model)
    if agreement:
        _check_agreement(model, x, pred, name)
    if heldout is not None:
        x_h, y_h = heldout
        check_accuracy(model, x_h, y_h, min_heldout_accuracy, what=heldout_what)


def _prediction_accuracy(pred: np.ndarray, y: np.ndarray, min_accuracy: float, name: str) -> float:
    accuracy = float(np.mean(pred == y))
    hits = int(np.sum(pred == y))
    if accuracy < min_accuracy:
        fix = (
            "Entrena más épocas o ajusta la tasa de aprendizaje, y comprueba que predices sobre "
            "los datos de prueba preparados igual que los de entrenamiento."
        )
        if len(np.unique(pred)) == 1:
            fix = (
                "Predices siempre la misma clase: revisa la activación de salida, la pérdida y "
                "que el modelo se haya entrenado."
            )
        raise Incorrect(
            f"la exactitud de `{name}` sobre {len(y)} ejemplos de prueba",
            f"{fmt_number(accuracy, 4)} ({hits} aciertos)",
            f"al menos {fmt_number(min_accuracy, 4)}",
            fix,
            value=accuracy,
        )
    return accuracy


# --------------------------------------------------------------------------- #
# Ejercicio 1: Iris model
# --------------------------------------------------------------------------- #
def _check_iris_model(model: Any, *, y: Any = None, probe: Any = None) -> Correct:
    check_model(
        model,
        input_shape=(4,),
        task="multiclass",
        n_classes=3,
        y=y,
        metrics=["accuracy"],
    )
    if probe is not None:
        from course.checks._keras import predict_probabilities

        probs = predict_probabilities(model, np.asarray(probe, dtype=np.float32))
        n = len(probe)
        if probs.shape != (n, 3) or not np.allclose(probs.sum(axis=1), 1.0, atol=1e-4):
            raise Incorrect(
                "las salidas del modelo para flores nuevas",
                f"forma {probs.shape}",
                f"forma ({n}, 3) con probabilidades que suman 1 en cada fila",
                "La salida debe ser una `Dense(3, activation='softmax')`.",
            )
    return Correct(
        "el modelo de Iris",
        "entrada (4,), salida softmax de 3 clases, compilado con pérdida y métrica adecuadas",
        "un clasificador de 3 clases listo para entrenar",
    )


ej1 = Exercise(
    "ej1",
    _check_iris_model,
    graded=True,
    title="Ejercicio 1: modelo para Iris",
    answer_names=["modelo_iris"],
    hint=[
        "Empieza con `keras.Input(shape=(4,))`: cada flor tiene 4 medidas.",
        "Las etiquetas son enteros 0, 1, 2: la pérdida que los acepta tal cual es "
        "`sparse_categorical_crossentropy`, con una salida `Dense(3, activation='softmax')`.",
    ],
)


# --------------------------------------------------------------------------- #
# Ejercicio 2: Iris predictions
# --------------------------------------------------------------------------- #
def _check_iris_predictions(
    model: Any,
    pred: Any,
    x: Any,
    y: Any,
    *,
    min_accuracy: float = 0.90,
    heldout: tuple[Any, Any] | None = None,
    min_heldout_accuracy: float | None = None,
    agreement: bool = False,
) -> Correct:
    y_arr = _labels(y, None, "y_prueba_iris")
    pred_arr = _class_predictions(pred, len(y_arr), 3, "predicciones_iris")
    accuracy = _prediction_accuracy(pred_arr, y_arr, min_accuracy, "predicciones_iris")
    _check_model_behind(
        model,
        x,
        pred_arr,
        "predicciones_iris",
        agreement=agreement,
        heldout=heldout,
        min_heldout_accuracy=(
            min_heldout_accuracy if min_heldout_accuracy is not None else min_accuracy
        ),
        heldout_what="la exactitud del modelo sobre las flores de prueba reservadas",
    )
    return Correct(
        "la exactitud de tus predicciones de Iris",
        f"{fmt_number(accuracy, 4)}",
        f"al menos {fmt_number(min_accuracy, 4)}",
        value=accuracy,
    )


ej2 = StagedExercise(
    "ej2",
    _check_iris_predictions,
    graded=True,
    title="Ejercicio 2: entrenar y predecir Iris",
    answer_names=["modelo_iris", "predicciones_iris", "x_prueba_iris", "y_prueba_iris"],
    upstream="modelo_iris",
    hint=[
        "Entrena con `modelo_iris.fit(x_entreno_iris, y_entreno_iris, epochs=..., verbose=0)`.",
        "`modelo_iris.predict(x_prueba_iris, verbose=0)` da una fila de 3 probabilidades por "
        "flor; `.argmax(axis=1)` elige la clase.",
    ],
)


# --------------------------------------------------------------------------- #
# Ejercicio 3: preparing the shipping table
# --------------------------------------------------------------------------- #
def _expected_count(frame: Any) -> int:
    """How many features the preparation must produce (numeric, Gender, one-hot)."""
    return len(NUMERIC) + 1 + sum(len(frame[c].unique()) for c in CATEGORICAL)


def _expected_columns(frame: Any) -> list[tuple[str, np.ndarray]] | None:
    """(description, column) of every feature, from the reference preparation.

    ``None`` in the grading kernel, where the reference (``course.grading.references``)
    is absent: there the visible check stops at the number of columns, and the
    trusted process compares them one by one.
    """
    try:
        from course.grading.references import a04_expected_columns
    except ImportError:
        return None
    return a04_expected_columns(frame)


def _text_columns(features: Any) -> list[str]:
    import pandas as pd

    if not isinstance(features, pd.DataFrame):
        return []
    return [
        str(c)
        for c in features.columns
        if not (
            pd.api.types.is_numeric_dtype(features[c]) or pd.api.types.is_bool_dtype(features[c])
        )
    ]


def _check_prepared(fn: Any, frame: Any, label: str) -> int:
    """Run the student's preparation on ``frame`` and compare column by column."""

    checked = f"`preparar_envios` aplicada a {label}"
    try:
        out = fn(frame.copy(deep=True))
    except NotImplementedError:
        raise not_attempted("la función `preparar_envios`") from None
    except Exception as exc:
        raise student_exception(
            checked,
            exc,
            "que devuelva `X, y` sin errores",
            "Prueba tu función paso a paso en una celda aparte con `df_envios.head()`.",
        ) from None
    if not isinstance(out, tuple) or len(out) != 2:
        raise Incorrect(
            f"lo que devuelve {checked}",
            f"una tupla de {len(out)} valores"
            if isinstance(out, tuple)
            else f"un valor de tipo `{type(out).__name__}`",
            "una pareja `X, y`",
            "Termina la función con `return X, y`.",
        )
    features, target = out
    n = len(frame)
    text = _text_columns(features)
    if text:
        fix = f"La columna `{text[0]}` sigue teniendo texto: "
        if text[0] == "Gender":
            fix += "conviértela en números con F → 0 y M → 1 (por ejemplo con `.map`)."
        elif text[0] in CATEGORICAL:
            fix += "codifícala en one-hot con `pd.get_dummies(..., columns=[...])`."
        else:
            fix += "la red solo acepta números."
        raise Incorrect(
            checked, f"columnas de texto: {', '.join(text)}", "solo columnas numéricas", fix
        )
    try:
        x = np.asarray(features, dtype=np.float64)
    except (TypeError, ValueError):
        raise Incorrect(
            checked,
            f"`X` de tipo `{type(features).__name__}` que no se puede convertir en números",
            "una tabla numérica (DataFrame o array)",
            "Codifica todas las columnas de texto (`Gender` y las tres categóricas).",
        ) from None
    if x.ndim != 2 or x.shape[0] != n:
        fix = "No quites ni añadas filas: solo transforma columnas."
        if x.ndim == 1 and np.ndim(target) == 2:
            fix = "Devuelves `y, X` en el orden cambiado: termina la función con `return X, y`."
        elif x.ndim == 2:
            fix = (
                f"Tu función recibe una tabla de {n} pedidos y devuelve {x.shape[0]} filas: "
                "trabaja con el argumento `df` de la función, no con variables globales como `df_envios`, y no "
                "quites ni añadas filas."
            )
        raise Incorrect(
            f"la forma de `X` en {checked}",
            f"{x.shape}",
            f"({n}, número de variables): una fila por pedido",
            fix,
        )
    y = np.asarray(target).reshape(-1)
    if y.shape != (n,) or not np.array_equal(y.astype(np.float64), frame[TARGET].to_numpy(float)):
        raise Incorrect(
            f"`y` en {checked}",
            f"forma {y.shape}" if y.shape != (n,) else "valores distintos de la columna objetivo",
            f"la columna `{TARGET}` (1 = NO llegó a tiempo), {n} valores",
            f"Devuelve como `y` la columna `df['{TARGET}']` sin transformarla.",
        )
    columns = [x[:, j] for j in range(x.shape[1])]

    def has(vector: np.ndarray) -> bool:
        return any(np.array_equal(c, vector) for c in columns)

    if has(frame["ID"].to_numpy(np.float64)):
        raise Incorrect(
            checked,
            "`X` contiene la columna `ID`",
            "sin `ID`: el identificador del pedido no describe el envío",
            "Quita `ID` con `df.drop(columns=[...])`: un número de orden no debe usarse para "
            "predecir.",
        )
    if has(frame[TARGET].to_numpy(np.float64)):
        raise Incorrect(
            checked,
            f"`X` contiene la columna objetivo `{TARGET}`",
            "el objetivo solo en `y`",
            "Quita la columna objetivo de `X`: si el modelo la ve, hace trampa.",
        )
    male = (frame["Gender"] == "M").to_numpy(np.float64)
    if not has(male) and has(1.0 - male):
        raise Incorrect(
            checked,
            "`Gender` codificada como F → 1, M → 0",
            "F → 0, M → 1",
            "Sigue la codificación del enunciado: `{'F': 0, 'M': 1}`.",
        )
    used = [False] * len(columns)
    for description, vector in _expected_columns(frame) or []:
        match = next(
            (j for j, c in enumerate(columns) if not used[j] and np.array_equal(c, vector)), None
        )
        if match is None:
            fix = "Revisa ese paso de la preparación."
            if "one-hot" in description:
                column = description.split("`")[1]
                others = [
                    (frame[column] == value).to_numpy(np.float64)
                    for value in frame[column].unique()
                ]
                fix = (
                    f"Codifica `{column}` en one-hot: una columna 0/1 por categoría con "
                    "`pd.get_dummies(df, columns=[...])`."
                )
                if any(has(other) for other in others):
                    fix = (
                        "Crea una columna 0/1 por cada categoría con "
                        "`pd.get_dummies(df, columns=[...])` sin `drop_first`."
                    )
            elif "sin cambios" in description:
                fix = (
                    "Deja las columnas numéricas tal cual: el escalado se hace después del reparto."
                )
            raise Incorrect(checked, f"no encuentro {description}", description, fix)
        used[match] = True
    expected_n = _expected_count(frame)
    if x.shape[1] != expected_n:
        fix = (
            "Sobran columnas: `X` debe tener solo las variables numéricas, `Gender` y las "
            "columnas one-hot."
        )
        if has(1.0 - male):
            fix = (
                "`Gender` aparece en dos columnas (una para F y otra para M): codifícala en una "
                "sola columna con F → 0 y M → 1, sin one-hot."
            )
        raise Incorrect(
            f"el número de variables de {checked}",
            f"{x.shape[1]} columnas",
            f"{expected_n} columnas",
            fix,
        )
    return expected_n


def _check_preparation(fn: Any, *, df: Any, heldout_df: Any = None) -> Correct:
    if not callable(fn):
        raise Incorrect(
            "que `preparar_envios` sea una función",
            f"un valor de tipo `{type(fn).__name__}`",
            "una función definida con `def`",
            "Define `preparar_envios(df)` con `def` y termina con `return X, y`.",
        )
    n_features = _check_prepared(fn, df, "la tabla completa")
    if heldout_df is not None:
        _check_prepared(fn, heldout_df, "pedidos reservados")
    return Correct(
        "la preparación de la tabla de envíos",
        f"{len(df)} filas × {n_features} variables numéricas; `y` es la columna objetivo",
        "sin `ID`, `Gender` en 0/1 y one-hot de las tres columnas de categorías",
    )


ej3 = Exercise(
    "ej3",
    _check_preparation,
    graded=True,
    title="Ejercicio 3: preparar la tabla de envíos",
    answer_names=["preparar_envios"],
    hint=[
        "`df.drop(columns=['ID', ...])` quita columnas; `df['Gender'].map({'F': 0, 'M': 1})` "
        "codifica el género.",
        "`pd.get_dummies(X, columns=[...], dtype=float)` crea una columna 0/1 por categoría.",
    ],
)


# --------------------------------------------------------------------------- #
# Ejercicio 4: split and scaler (no leakage)
# --------------------------------------------------------------------------- #
def _row_keys(values: np.ndarray) -> list[bytes]:
    return [row.tobytes() for row in np.rint(values).astype(np.int64)]


def _check_split(
    features: Any,
    target: Any,
    x_train: Any,
    x_test: Any,
    y_train: Any,
    y_test: Any,
    scaler: Any,
    *,
    test_size: float = 0.3,
    tol: float = 0.01,
    partition: bool = False,
) -> Correct:
    try:
        from sklearn.preprocessing import StandardScaler
    except ImportError:  # pragma: no cover - scikit-learn is a dependency
        StandardScaler = None  # noqa: N806
    try:
        x_all = np.asarray(features, dtype=np.float64)
    except (TypeError, ValueError):
        x_all = np.empty(0)
    if x_all.ndim != 2:
        raise Incorrect(
            "`X_envios`",
            f"un valor de tipo `{type(features).__name__}` que no es una tabla numérica",
            "la tabla numérica `X` que devuelve `preparar_envios(df_envios)`",
            "Obtén `X_envios, y_envios = preparar_envios(df_envios)` antes de repartir.",
        )
    y_all = np.asarray(target).reshape(-1)
    n, p = x_all.shape
    if StandardScaler is not None and not isinstance(scaler, StandardScaler):
        raise Incorrect(
            "el tipo de `escalador`",
            f"un valor de tipo `{type(scaler).__name__}`",
            "un `StandardScaler` de scikit-learn",
            "Crea el escalador con `StandardScaler()` y ajústalo con `.fit(...)`.",
        )
    if not hasattr(scaler, "mean_"):
        raise Incorrect(
            "si `escalador` está ajustado",
            "el escalador no se ha ajustado",
            "un escalador ajustado con los datos de entrenamiento",
            "Llama a `escalador.fit(...)` con la parte de entrenamiento antes de transformar.",
        )
    try:
        xtr = np.asarray(x_train, dtype=np.float64)
        xte = np.asarray(x_test, dtype=np.float64)
    except (TypeError, ValueError):
        raise Incorrect(
            "el tipo de `x_entreno_env` y `x_prueba_env`",
            "valores que no son números",
            "arrays numéricos",
            "Usa lo que devuelve `escalador.transform(...)`.",
        ) from None
    ytr = np.asarray(y_train).reshape(-1)
    yte = np.asarray(y_test).reshape(-1)
    if xtr.ndim != 2 or xte.ndim != 2 or xtr.shape[1] != p or xte.shape[1] != p:
        raise Incorrect(
            "la forma de `x_entreno_env` y `x_prueba_env`",
            f"{xtr.shape} y {xte.shape}",
            f"dos tablas con las {p} columnas de `X_envios`",
            "Reparte `X_envios` por filas, sin quitar ni añadir columnas.",
        )
    if xtr.shape[0] + xte.shape[0] != n:
        raise Incorrect(
            "el reparto de filas",
            f"{xtr.shape[0]} + {xte.shape[0]} = {xtr.shape[0] + xte.shape[0]} filas",
            f"las {n} filas de `X_envios`, cada una en una sola parte",
            "Usa `train_test_split(X_envios, y_envios, ...)` una sola vez.",
        )
    share = xte.shape[0] / n
    if abs(share - test_size) > tol:
        raise Incorrect(
            "la proporción de prueba",
            f"{fmt_number(share, 3)} ({xte.shape[0]} filas)",
            f"{fmt_number(test_size, 3)}",
            f"Pasa `test_size={test_size}` a `train_test_split`.",
        )
    if ytr.shape != (xtr.shape[0],) or yte.shape != (xte.shape[0],):
        raise Incorrect(
            "las etiquetas del reparto",
            f"{ytr.shape[0]} y {yte.shape[0]} etiquetas para {xtr.shape[0]} y {xte.shape[0]} filas",
            "una etiqueta por fila en cada parte",
            "Reparte `X_envios` e `y_envios` en la misma llamada a `train_test_split`.",
        )
    seen = int(np.max(np.asarray(scaler.n_samples_seen_)))
    checked = "con qué filas se ajustó (fit) el escalador"
    if seen != xtr.shape[0]:
        if seen == n:
            found = f"se ajustó con las {n} filas (entrenamiento + prueba)"
            fix = (
                "Fuga de datos: la media y la desviación de la parte de prueba se cuelan en "
                "el entrenamiento. Ajusta el escalador solo con la parte de entrenamiento "
                "(`escalador.fit(x_entreno)`) y usa `transform` en las dos partes."
            )
        elif seen == xte.shape[0]:
            found = f"se ajustó con las {seen} filas de prueba"
            fix = (
                "Lo volviste a ajustar con los datos de prueba (¿`fit_transform` sobre la prueba?): "
                "ajústalo solo con la parte de entrenamiento y usa `transform` en la de prueba."
            )
        else:
            found = f"se ajustó con {seen} filas"
            fix = "Ajusta el escalador exactamente con la parte de entrenamiento."
        raise Incorrect(checked, found, f"solo las {xtr.shape[0]} filas de entrenamiento", fix)
    means = xtr.mean(axis=0)
    stds = xtr.std(axis=0)
    varying = np.asarray(scaler.scale_) > 0
    if np.max(np.abs(means)) > 1e-3 or np.max(np.abs(stds[varying] - 1.0)) > 1e-3:
        raise Incorrect(
            "si `x_entreno_env` está estandarizado",
            f"medias por columna hasta {fmt_number(float(np.max(np.abs(means))), 4)}",
            "media 0 y desviación 1 en cada columna",
            "Guarda en `x_entreno_env` el resultado de `escalador.transform(...)` de la parte de "
            "entrenamiento.",
        )
    raw_train = scaler.inverse_transform(xtr)
    scale = np.maximum(np.abs(np.asarray(scaler.mean_)), 1.0)
    if np.max(np.abs(raw_train.mean(axis=0) - scaler.mean_) / scale) > 1e-6:
        raise Incorrect(
            checked,
            "`escalador.mean_` no coincide con la media de las filas de entrenamiento",
            "las medias de la parte de entrenamiento",
            "Ajusta el escalador con la parte de entrenamiento, antes de transformarla.",
        )
    known = set(_row_keys(x_all))
    raw_test = scaler.inverse_transform(xte)
    inside = float(np.mean([key in known for key in _row_keys(raw_test)]))
    if inside < 0.99:
        raise Incorrect(
            "si `x_prueba_env` está transformado con el mismo escalador",
            f"al deshacer la transformación, solo el {fmt_number(100 * inside, 3)} % de sus filas "
            "son pedidos de `X_envios`",
            "la parte de prueba transformada con `escalador.transform` (sin volver a ajustar)",
            "Aplica a la parte de prueba el escalador ajustado con el entrenamiento: "
            "`escalador.transform(x_prueba)`, nunca `fit` ni `fit_transform`.",
        )
    n_test = xte.shape[0]
    if n_test and _row_keys(raw_test) == _row_keys(x_all[n - n_test :]):
        raise Incorrect(
            "si el reparto barajó las filas",
            f"la parte de prueba son las últimas {n_test} filas de `X_envios`, en su orden: "
            "no se barajaron",
            "filas elegidas al azar, como pide el enunciado",
            "Pasa `shuffle=True, random_state=42` a `train_test_split`: sin barajar, la prueba "
            "son solo los últimos pedidos de la tabla y no representan a todos.",
        )
    if partition:
        _check_partition(x_all, y_all, raw_train, raw_test, ytr, yte, scaler)
    return Correct(
        "el reparto y el escalado",
        f"{xtr.shape[0]} filas de entrenamiento y {xte.shape[0]} de prueba; escalador ajustado "
        "solo con el entrenamiento",
        "70/30 y sin fuga de datos",
    )


def _check_partition(
    x_all: np.ndarray,
    y_all: np.ndarray,
    raw_train: np.ndarray,
    raw_test: np.ndarray,
    y_train: np.ndarray,
    y_test: np.ndarray,
    scaler: Any,
) -> None:
    label_of = dict(zip(_row_keys(x_all), y_all.tolist(), strict=True))
    train_keys = _row_keys(raw_train)
    test_keys = _row_keys(raw_test)
    if len(set(train_keys) | set(test_keys)) != len(label_of) or set(train_keys) & set(test_keys):
        raise Incorrect(
            "que cada pedido esté en una sola parte",
            "hay pedidos repetidos o en las dos partes",
            "entrenamiento y prueba disjuntos que juntos forman `X_envios`",
            "Usa `train_test_split` una sola vez sobre `X_envios` e `y_envios`.",
        )
    aligned = [label_of.get(k) for k in train_keys] == y_train.tolist() and [
        label_of.get(k) for k in test_keys
    ] == y_test.tolist()
    if not aligned:
        raise Incorrect(
            "que cada etiqueta siga a su fila",
            "las etiquetas no corresponden a sus pedidos",
            "`y_entreno_env` e `y_prueba_env` en el mismo orden que sus filas",
            "Reparte `X_envios` e `y_envios` en la misma llamada a `train_test_split`.",
        )
    var = raw_train.var(axis=0)
    if not np.allclose(np.asarray(scaler.var_), var, rtol=1e-6, atol=1e-9):
        raise Incorrect(
            "la varianza del escalador",
            "no coincide con la de las filas de entrenamiento",
            "la varianza de la parte de entrenamiento",
            "Ajusta el escalador una sola vez, con la parte de entrenamiento.",
        )


ej4 = Exercise(
    "ej4",
    _check_split,
    graded=True,
    title="Ejercicio 4: reparto y escalado sin fuga",
    answer_names=[
        "X_envios",
        "y_envios",
        "x_entreno_env",
        "x_prueba_env",
        "y_entreno_env",
        "y_prueba_env",
        "escalador",
    ],
    hint=[
        "`train_test_split(X, y, test_size=0.3, shuffle=True, random_state=42)` devuelve "
        "`x_entreno, x_prueba, y_entreno, y_prueba` en ese orden.",
        "El escalador aprende la media y la desviación: `fit` solo con el entrenamiento; "
        "`transform` en las dos partes.",
    ],
)


# --------------------------------------------------------------------------- #
# Ejercicio 5: shipping model
# --------------------------------------------------------------------------- #
def _check_shipping_model(
    model: Any,
    pred: Any,
    x_test: Any,
    y_test: Any,
    *,
    min_accuracy: float = 0.64,
    agreement: bool = False,
    min_model_accuracy: float | None = None,
) -> Correct:
    x_arr = np.asarray(x_test)
    y_arr = _labels(y_test, x_arr.shape[0], "y_prueba_env")
    check_input_shape(model, (x_arr.shape[1],))
    check_activations(model, task="binary")
    check_loss(model, task="binary", y=y_arr)
    pred_arr = _class_predictions(pred, len(y_arr), 2, "predicciones_envios")
    accuracy = _prediction_accuracy(pred_arr, y_arr, min_accuracy, "predicciones_envios")
    if agreement or min_model_accuracy is not None:
        check_trained(model)
    if agreement:
        _check_agreement(model, x_arr, pred_arr, "predicciones_envios")
    if min_model_accuracy is not None:
        check_accuracy(
            model,
            x_arr,
            y_arr,
            min_model_accuracy,
            what="la exactitud del modelo de envíos, evaluado de nuevo",
        )
    return Correct(
        "el modelo de retrasos de envío",
        f"exactitud de tus predicciones: {fmt_number(accuracy, 4)}",
        f"al menos {fmt_number(min_accuracy, 4)}",
        value=accuracy,
    )


ej5 = StagedExercise(
    "ej5",
    _check_shipping_model,
    graded=True,
    title="Ejercicio 5: modelo de retrasos de envío",
    answer_names=["modelo_envios", "predicciones_envios", "x_prueba_env", "y_prueba_env"],
    upstream="modelo_envios",
    hint=[
        "Problema binario: una neurona de salida con `sigmoid` y `binary_crossentropy`.",
        "`(modelo_envios.predict(x_prueba_env, verbose=0) > 0.5).astype(int).ravel()` da las "
        "clases 0/1.",
    ],
)
