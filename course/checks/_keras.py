"""Checks of Keras 3 models through the public API only (Sequential and Functional).

Keras is imported lazily inside the functions: importing this module never
imports TensorFlow.
"""

from __future__ import annotations

import contextlib
import logging
import os
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from course.checks._codes import Mistake, tag
from course.checks._codes import mistake as _m
from course.checks._results import (
    CheckResult,
    CheckSpecError,
    Correct,
    Incorrect,
    NotAttempted,
    fmt_array,
    fmt_number,
    fmt_value,
)
from course.checks._values import is_placeholder, not_attempted

__all__ = [
    "TASKS",
    "check_accuracy",
    "check_activations",
    "check_callbacks",
    "check_checkpoint",
    "check_compiled",
    "check_input_shape",
    "check_layers",
    "check_loss",
    "check_metrics",
    "check_model",
    "check_optimizer",
    "check_param_count",
    "check_trained",
    "check_history",
    "check_mae",
    "check_prediction",
    "check_units",
    "label_format",
    "output_activation",
]

#: Accepted task names (English and Spanish) mapped to the canonical one.
TASKS = {
    "binary": "binary",
    "binaria": "binary",
    "multiclass": "multiclass",
    "multiclase": "multiclass",
    "regression": "regression",
    "regresion": "regression",
    "regresión": "regression",
}
_TASK_ES = {
    "binary": "clasificación binaria",
    "multiclass": "clasificación multiclase",
    "regression": "regresión",
}
_LOSS_ALIASES = {
    "mse": "mean_squared_error",
    "mae": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error",
    "bce": "binary_crossentropy",
    "cce": "categorical_crossentropy",
    "scce": "sparse_categorical_crossentropy",
}
_REGRESSION_LOSSES = {
    "mean_squared_error",
    "mean_absolute_error",
    "huber",
    "log_cosh",
    "mean_absolute_percentage_error",
    "mean_squared_logarithmic_error",
}
_OPTIMIZER_CLASSES = {
    "adam": "Adam",
    "adamw": "AdamW",
    "sgd": "SGD",
    "rmsprop": "RMSprop",
    "adagrad": "Adagrad",
    "adadelta": "Adadelta",
    "nadam": "Nadam",
    "adamax": "Adamax",
}
_ACTIVATION_LAYERS = {"Activation", "ReLU", "LeakyReLU", "ELU", "PReLU", "Softmax"}
_IDENTITY_LAYERS = {
    "Dropout",
    "GaussianNoise",
    "GaussianDropout",
    "AlphaDropout",
    "ActivityRegularization",
}


# --------------------------------------------------------------------------- #
# Introspection helpers (public Keras API only)
# --------------------------------------------------------------------------- #
def _require_model(model: Any, what: str = "tu modelo") -> Any:
    if is_placeholder(model):
        raise not_attempted(what)
    import keras

    if not isinstance(model, keras.Model):
        raise Incorrect(
            f"que {what} sea un modelo de Keras",
            f"un valor de tipo `{type(model).__name__}`",
            "un `keras.Sequential` o un `keras.Model` funcional",
            "Asigna a la variable el modelo que construyes, no el resultado de `fit` o "
            "`summary()`.",
        )
    return model


def _layers(model: Any) -> list:
    """The model's layers without InputLayer."""
    return [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]


def _kind(layer: Any) -> str:
    return type(layer).__name__


def _activation_name(fn: Any) -> str:
    if fn is None:
        return "linear"
    name = getattr(fn, "__name__", None) or getattr(fn, "name", None) or type(fn).__name__
    name = str(name).lower()
    return {"relu6": "relu6", "silu": "swish"}.get(name, name)


def _input_shape(model: Any) -> tuple | None:
    try:
        inputs = model.inputs
    except (AttributeError, ValueError):
        return None
    if not inputs:
        return None
    return tuple(inputs[0].shape[1:])


def output_activation(model: Any) -> tuple[str, int | None]:
    """The activation applied last and the number of output units.

    Looks from the output backwards, through Dropout-like layers, at an
    ``Activation``/``Softmax`` layer or the ``activation`` of a Dense layer.
    """
    layers = _layers(model)
    units = None
    try:
        units = int(model.outputs[0].shape[-1])
    except (AttributeError, ValueError, TypeError, IndexError):
        # not built yet (no keras.Input): the last Dense layer still knows its units
        dense = [layer for layer in layers if getattr(layer, "units", None)]
        units = int(dense[-1].units) if dense else None
    for layer in reversed(layers):
        kind = _kind(layer)
        if kind in _IDENTITY_LAYERS:
            continue
        if kind == "Softmax":
            return "softmax", units
        if kind in {"ReLU", "LeakyReLU", "ELU", "PReLU"}:
            return kind.lower(), units
        activation = getattr(layer, "activation", None)
        if kind == "Activation":
            return _activation_name(activation), units
        if activation is not None or hasattr(layer, "units"):
            return _activation_name(activation), units
        return "linear", units
    return "linear", units


@contextlib.contextmanager
def _quiet_keras() -> Iterator[None]:
    """No Python warnings or TensorFlow log lines on stderr (nbgrader fails such cells)."""
    loggers = [logging.getLogger(name) for name in ("tensorflow", "absl", "keras")]
    levels = [logger.level for logger in loggers]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for logger in loggers:
            logger.setLevel(logging.ERROR)
        try:
            yield
        finally:
            for logger, level in zip(loggers, levels, strict=True):
                logger.setLevel(level)


def _scalar(variable: Any, cast: type) -> Any:
    """A plain Python number from a Keras variable, tensor or number."""
    value = variable.numpy() if hasattr(variable, "numpy") else variable
    return cast(np.asarray(value).reshape(-1)[0])


def _loss_name(loss: Any) -> str | None:
    """Canonical snake_case name of a compiled loss (string, function or Loss)."""
    if loss is None:
        return None
    if isinstance(loss, str):
        name = loss.strip().lower()
        name = _LOSS_ALIASES.get(name, name)
        return name
    name = getattr(loss, "name", None)
    if isinstance(name, str) and not callable(getattr(loss, "__name__", None)):
        fn = getattr(loss, "fn", None)
        if fn is not None and getattr(fn, "__name__", None):
            return _LOSS_ALIASES.get(fn.__name__, fn.__name__)
        return _LOSS_ALIASES.get(name, name)
    fn_name = getattr(loss, "__name__", None)
    if fn_name:
        return _LOSS_ALIASES.get(fn_name, fn_name)
    return type(loss).__name__.lower()


def _from_logits(loss: Any) -> bool:
    try:
        return bool(loss.get_config().get("from_logits", False))
    except (AttributeError, TypeError):
        return False


def label_format(y: Any) -> str:
    """``"integer"`` (class indices), ``"onehot"`` or ``"continuous"`` labels."""
    arr = np.asarray(y)
    if arr.ndim >= 2 and arr.shape[-1] > 1:
        row_sums = arr.sum(axis=-1)
        if np.isin(arr, (0, 1)).all() and np.allclose(row_sums, 1.0):
            return "onehot"
        return "continuous"
    flat = arr.reshape(-1)
    if flat.dtype.kind in "biu":
        return "integer"
    if flat.dtype.kind == "f" and np.all(np.isfinite(flat)) and np.all(flat == np.round(flat)):
        return "integer"
    return "continuous"


def _task(task: str | None) -> str | None:
    if task is None:
        return None
    canonical = TASKS.get(str(task).strip().lower())
    if canonical is None:
        raise CheckSpecError(
            f"task={task!r} no es una tarea conocida; usa 'binary', 'multiclass' o 'regression'."
        )
    return canonical


def _infer_task(
    activation: str, units: int | None, loss_name: str | None = None, y: Any = None
) -> str:
    """Guess the task from the output, the loss and the labels (when not given)."""
    many = (units or 0) > 1
    if y is not None:
        labels = label_format(y)
        if labels == "onehot" or (labels == "integer" and np.asarray(y).max(initial=0) > 1):
            return "multiclass"
        if labels == "continuous":
            return "regression"
    if activation == "softmax" and many:
        return "multiclass"
    if activation == "sigmoid":
        return "binary"
    if loss_name in _REGRESSION_LOSSES or loss_name is None:
        return "regression"
    if "categorical" in loss_name:
        return "multiclass"
    if "binary" in loss_name:
        return "binary"
    return "regression"


def _check_output_rank(model: Any) -> None:
    """One prediction vector per example: output shape (batch, units)."""
    try:
        shape = tuple(model.outputs[0].shape)
    except (AttributeError, ValueError, TypeError, IndexError):
        return
    if len(shape) > 2:
        raise Incorrect(
            "la forma de la salida del modelo",
            f"forma {shape}: una salida por posición, no por ejemplo",
            f"forma (None, {shape[-1]}): un vector de salida por ejemplo",
            "Aplana la entrada con una capa `Flatten` antes de la primera `Dense`: con "
            "entradas de varias dimensiones `Dense` actúa solo sobre la última.",
        )


# --------------------------------------------------------------------------- #
# Structure
# --------------------------------------------------------------------------- #
def check_input_shape(model: Any, expected: Sequence[int | None]) -> Correct:
    """The model's input shape, without the batch dimension, e.g. ``(28, 28)``."""
    _require_model(model)
    expected_t = tuple(expected)
    shape = _input_shape(model)
    if shape is None:
        raise Incorrect(
            "la forma de entrada del modelo",
            "el modelo no tiene todavía una entrada definida",
            f"una entrada de forma {expected_t}",
            "Empieza el modelo con `keras.Input(shape=...)` indicando la forma de un ejemplo "
            "(sin la dimensión del lote).",
        )
    if shape != expected_t:
        hint = (
            "Indica en `keras.Input(shape=...)` la forma de un solo ejemplo, sin el tamaño del "
            "lote; revisa `x.shape[1:]` de tus datos."
        )
        if len(shape) == len(expected_t) + 1 and shape[1:] == expected_t:
            hint = (
                "Has incluido el número de ejemplos en la forma: `shape=` describe un solo "
                "ejemplo, así que quita la primera dimensión."
            )
        raise Incorrect("la forma de entrada del modelo", f"{shape}", f"{expected_t}", hint)
    return Correct("la forma de entrada del modelo", f"{shape}", f"{expected_t}")


def _expected_layer(item: Any) -> tuple[str, int | None]:
    if isinstance(item, str):
        return item, None
    if isinstance(item, type):
        return item.__name__, None
    if isinstance(item, Mapping):
        return str(item["kind"]), item.get("units")
    if isinstance(item, (tuple, list)) and len(item) == 2:
        kind = item[0].__name__ if isinstance(item[0], type) else str(item[0])
        return kind, None if item[1] is None else int(item[1])
    raise CheckSpecError(
        f"Capa esperada no válida: {item!r}; usa 'Dense', ('Dense', 8) o {{'kind': 'Dense', "
        "'units': 8}."
    )


def check_layers(model: Any, expected: Sequence[Any]) -> Correct:
    """Layer kinds (and units, where given) in order, InputLayer excluded.

    ``expected`` items are a kind (``"Flatten"``), a ``(kind, units)`` pair or a
    dict ``{"kind": ..., "units": ...}``; kinds compare case-insensitively.
    """
    _require_model(model)
    want = [_expected_layer(item) for item in expected]
    want_kinds = [kind for kind, _ in want]
    named = {k.lower() for k in want_kinds}
    # an activation written as its own layer (Dense + Activation/ReLU/Softmax) and a
    # Dropout-like layer compute what the specification describes: they are folded
    # into the layer before them unless the specification names them
    foldable = {k.lower() for k in _ACTIVATION_LAYERS | _IDENTITY_LAYERS} - named
    layers = [layer for layer in _layers(model) if _kind(layer).lower() not in foldable]
    got_kinds = [_kind(layer) for layer in layers]
    got_l = [k.lower() for k in got_kinds]
    want_l = [k.lower() for k in want_kinds]
    checked = "las capas del modelo (tipo y orden)"
    found = " → ".join(got_kinds) or "ninguna capa"
    expected_text = " → ".join(want_kinds)
    if got_l != want_l:
        missing = [k for k in want_kinds if got_l.count(k.lower()) < want_l.count(k.lower())]
        extra = [k for k in got_kinds if want_l.count(k.lower()) < got_l.count(k.lower())]
        if "flatten" in [m.lower() for m in missing]:
            fix = (
                "Falta una capa `Flatten`: las capas `Dense` esperan vectores, así que aplana "
                "cada imagen antes de la primera `Dense`."
            )
        elif missing:
            fix = f"Te falta una capa de tipo `{missing[0]}`: añádela en su sitio."
        elif extra:
            fix = f"Sobra una capa de tipo `{extra[0]}`: quítala o revisa el enunciado."
        else:
            fix = "Tienes las capas correctas pero en otro orden: reordénalas."
        raise Incorrect(checked, found, expected_text, fix)
    for position, (layer, (kind, units)) in enumerate(zip(layers, want, strict=False), start=1):
        if units is None:
            continue
        got_units = getattr(layer, "units", None)
        if got_units != units:
            raise Incorrect(
                f"el número de neuronas (units) de la capa {position} (`{kind}`)",
                f"{got_units}",
                f"{units}",
                "Cambia el primer argumento de esa capa `Dense` (sus unidades).",
            )
    return Correct(checked, found, expected_text)


def check_units(model: Any, expected: Sequence[int]) -> Correct:
    """Units of the model's Dense layers, in order."""
    _require_model(model)
    dense = [layer for layer in _layers(model) if hasattr(layer, "units")]
    got = [int(layer.units) for layer in dense]
    want = [int(u) for u in expected]
    checked = "el número de neuronas (units) de cada capa Dense"
    if len(got) != len(want):
        raise Incorrect(
            checked,
            f"{len(got)} capas Dense con unidades {got}",
            f"{len(want)} capas Dense",
            "Revisa cuántas capas `Dense` pide el enunciado (ocultas más la de salida).",
        )
    for position, (g, w) in enumerate(zip(got, want, strict=False), start=1):
        if g != w:
            role = "de salida" if position == len(want) else f"oculta {position}"
            fix = f"Cambia las unidades de la capa {role}."
            if position == len(want):
                fix += " La capa de salida tiene una neurona por clase (o 1 en binaria/regresión)."
            raise Incorrect(checked, f"unidades {got}", f"unidades {want}", fix)
    return Correct(checked, f"unidades {got}", f"unidades {want}")


def check_activations(
    model: Any,
    *,
    hidden: str | None = None,
    output: str | None = None,
    task: str | None = None,
    n_classes: int | None = None,
) -> Correct:
    """Hidden and output activations, against ``hidden``/``output`` or the task.

    ``task`` ("binary", "multiclass", "regression") sets the output rule:
    sigmoid with 1 unit (or softmax with 2), softmax with ``n_classes`` units,
    linear. Hidden Dense layers must not be linear (a stack of linear layers
    is one linear map) unless an Activation layer follows.
    """
    _require_model(model)
    task_c = _task(task)
    layers = _layers(model)
    out_act, out_units = output_activation(model)
    # hidden: every Dense except the last one that produces the output
    dense_positions = [i for i, layer in enumerate(layers) if hasattr(layer, "units")]
    hidden_found = []
    for i in dense_positions[:-1]:
        act = _activation_name(getattr(layers[i], "activation", None))
        nxt = layers[i + 1] if i + 1 < len(layers) else None
        if act == "linear" and nxt is not None and _kind(nxt) in _ACTIVATION_LAYERS:
            act = (
                _activation_name(getattr(nxt, "activation", None))
                if _kind(nxt) == "Activation"
                else _kind(nxt).lower()
            )
        hidden_found.append(act)
    if hidden_found:
        checked = "las activaciones de las capas ocultas"
        if hidden is not None:
            wrong = [a for a in hidden_found if a != hidden.lower()]
            if wrong:
                raise Incorrect(
                    checked,
                    ", ".join(hidden_found),
                    f"`{hidden}` en todas las capas ocultas",
                    f"Pasa `activation='{hidden}'` a cada capa `Dense` oculta.",
                )
        elif "linear" in hidden_found:
            raise Incorrect(
                checked,
                ", ".join(hidden_found) + " (alguna capa oculta sin activación)",
                "una activación no lineal (por ejemplo `relu`) en cada capa oculta",
                "Sin activación, varias capas lineales equivalen a una sola: añade "
                "`activation=...` a cada `Dense` oculta.",
            )
    if task_c is not None:
        _check_output_rank(model)
    checked = "la activación de la capa de salida"
    found = f"`{out_act}` con {_neurons(out_units)}"
    if hidden_found:
        checked = "las activaciones (capas ocultas y de salida)"
        found = f"ocultas: {', '.join(hidden_found)}; salida: {found}"
    if output is not None:
        if out_act != output.lower():
            fix = "Cambia la activación de la última capa `Dense` (o la capa `Activation` final)."
            if task_c is not None:
                try:
                    _output_for_task(task_c, out_act, out_units, n_classes, checked, found)
                except Incorrect as task_failure:
                    fix = task_failure.fix  # the task explains why this activation is wrong
            raise Incorrect(checked, found, f"`{output}`", fix)
        if task_c is None:
            return Correct(checked, found, f"`{output}`")
    if task_c is None:
        return Correct(checked, found, "una activación coherente")
    if out_act == "linear" and task_c in ("binary", "multiclass") and output is None:
        if _compiled_from_logits(model):
            # logits + a loss with from_logits=True compute the same probabilities
            effective = "sigmoid" if (out_units or 0) == 1 else "softmax"
            _output_for_task(task_c, effective, out_units, n_classes, checked, found)
            return Correct(checked, found + " (logits con `from_logits=True`)", "logits válidos")
        try:
            _output_for_task(task_c, out_act, out_units, n_classes, checked, found)
        except Incorrect as failure:
            failure.fix += (
                " (O, si prefieres dejar la salida lineal, compila con una pérdida creada con "
                "`from_logits=True`.)"
            )
            failure.args = (failure.message(),)
            raise
    return _output_for_task(task_c, out_act, out_units, n_classes, checked, found)


def predict_probabilities(model: Any, x: Any) -> np.ndarray:
    """``model.predict(x)`` as probabilities: a logits output compiled with a
    ``from_logits=True`` loss goes through softmax (or sigmoid for one unit)."""
    with _quiet_keras():
        out = np.asarray(model.predict(x, verbose=0), dtype=np.float64)
    if output_activation(model)[0] == "linear" and _compiled_from_logits(model):
        if out.ndim == 2 and out.shape[1] > 1:
            shifted = np.exp(out - out.max(axis=1, keepdims=True))
            return shifted / shifted.sum(axis=1, keepdims=True)
        return np.exp(-np.logaddexp(0.0, -out))
    return out


def _compiled_from_logits(model: Any) -> bool:
    """Whether the model is compiled with a loss that takes logits (from_logits=True)."""
    if not getattr(model, "compiled", False):
        return False
    return _from_logits(getattr(model, "loss", None))


def _neurons(n: int | None) -> str:
    if n is None:
        return "? neuronas"
    return "1 neurona" if n == 1 else f"{n} neuronas"


def _output_for_task(
    task_c: str,
    out_act: str,
    out_units: int | None,
    n_classes: int | None,
    checked: str,
    found: str,
) -> Correct:
    """The output activation rule of each task (raises Incorrect with the reason)."""
    if task_c == "binary":
        ok = (out_act == "sigmoid" and out_units == 1) or (out_act == "softmax" and out_units == 2)
        expected = "`sigmoid` con 1 neurona (la probabilidad de la clase 1)"
        if not ok:
            if out_act == "sigmoid":
                fix = "En clasificación binaria basta 1 neurona de salida con `sigmoid`."
            elif out_act == "softmax":
                fix = (
                    "`softmax` reparte la probabilidad entre varias clases; para una salida "
                    "binaria usa 1 neurona con `sigmoid`."
                )
            else:
                kind = "lineal" if out_act == "linear" else f"`{out_act}`"
                fix = (
                    f"Una salida {kind} no es una probabilidad: usa `sigmoid` en la última capa "
                    "para clasificación binaria."
                )
                fix = _m("binaria_sin_probabilidad", "salida binaria sin sigmoide", fix)
            raise tag(Incorrect(checked, found, expected, fix), fix)
        return Correct(checked, found, expected)
    if task_c == "multiclass":
        expected = f"`softmax` con {n_classes or 'una neurona por clase'} neuronas"
        if out_act == "sigmoid" and (out_units or 0) > 1:
            raise Incorrect(
                checked,
                found,
                expected,
                "`sigmoid` trata cada clase como un sí/no independiente y las probabilidades no "
                "suman 1; con clases excluyentes usa `softmax` en la salida.",
            ).tagged(_SIGMOID_MULTICLASS)
        if out_act != "softmax":
            raise Incorrect(
                checked,
                found,
                expected,
                "Para elegir una clase entre varias, la salida debe usar `softmax`, que da "
                "probabilidades que suman 1.",
            )
        if n_classes is not None and out_units != n_classes:
            raise Incorrect(
                checked,
                found,
                expected,
                f"La capa de salida necesita una neurona por clase: hay {n_classes} clases.",
            )
        return Correct(checked, found, expected)
    expected = "`linear` (sin activación) en regresión"
    if out_act != "linear":
        raise Incorrect(
            checked,
            found,
            expected,
            f"`{out_act}` limita los valores que puede predecir; en regresión deja la última "
            "`Dense` sin activación.",
        )
    return Correct(checked, found, expected)


def _dense_breakdown(model: Any) -> list[tuple[str, int, int, int, bool]]:
    """(name, inputs, units, params, use_bias) for each Dense-like layer."""
    rows = []
    for layer in _layers(model):
        units = getattr(layer, "units", None)
        if units is None:
            continue
        try:
            n_in = int(layer.input.shape[-1])
        except (AttributeError, ValueError, TypeError):
            continue
        use_bias = bool(getattr(layer, "use_bias", True))
        rows.append((layer.name, n_in, int(units), int(layer.count_params()), use_bias))
    return rows


def _sizes_params(sizes: Sequence[int], bias: bool = True) -> int:
    return int(
        sum((a + (1 if bias else 0)) * b for a, b in zip(sizes[:-1], sizes[1:], strict=False))
    )


_PARAM_RULE = (
    "Cada capa `Dense` tiene (entradas + 1) × unidades parámetros: un peso por cada "
    "conexión más un sesgo (bias) por neurona."
)


def check_param_count(
    model_or_value: Any,
    expected_total: int | None = None,
    per_layer: Sequence[int] | Mapping[str, int] | None = None,
    *,
    layer_sizes: Sequence[int] | None = None,
    what: str = "el número de parámetros",
) -> Correct:
    """Parameter count of a model, or a student's computed count.

    With a model: ``model.count_params()`` against ``expected_total`` and
    ``per_layer`` (a list over the layers that have parameters, or a dict by
    layer name). With a number (the student's answer): compared with
    ``expected_total`` or with the count of the fully connected network
    ``layer_sizes`` (e.g. ``[3, 4, 2]``); a count without biases is detected.
    """
    import keras

    if is_placeholder(model_or_value):
        raise not_attempted(what)
    if not isinstance(model_or_value, keras.Model):
        if isinstance(model_or_value, (bool, np.bool_)) or not isinstance(
            model_or_value, (int, float, np.integer, np.floating)
        ):
            raise Incorrect(
                f"el formato de {what}",
                f"un valor de tipo `{type(model_or_value).__name__}`",
                "un número entero",
                "Escribe el número de parámetros como un entero (por ejemplo `n = 10`).",
            )
        value = float(model_or_value)
        if expected_total is None and layer_sizes is None:
            if value != int(value) or value < 0:
                raise Incorrect(
                    f"el formato de {what}",
                    fmt_number(value),
                    "un entero no negativo",
                    "Los parámetros se cuentan: el resultado es un número entero.",
                )
            return Correct(
                f"el formato de {what}",
                fmt_number(int(value)),
                "un entero; su valor se comprueba al calificar",
                value=int(value),
            )
        total = (
            int(expected_total) if expected_total is not None else _sizes_params(layer_sizes or [])
        )
        if value == total:
            return Correct(what, fmt_number(int(value)), fmt_number(total), value=int(value))
        fix = _PARAM_RULE + " Aplica la regla capa a capa y suma."
        if layer_sizes is not None:
            if value == _sizes_params(layer_sizes, bias=False):
                fix = (
                    "Parece que has olvidado los sesgos: tu número coincide con entradas × "
                    "unidades. " + _PARAM_RULE
                )
            elif value == sum(layer_sizes[1:]):
                fix = "Has contado neuronas, no parámetros. " + _PARAM_RULE
        shown = fmt_number(int(value)) if value.is_integer() else fmt_number(value)
        raise Incorrect(
            what, shown, "el valor correcto (no se muestra: es la respuesta)", fix, value=value
        )

    model = model_or_value
    try:
        total = int(model.count_params())
    except ValueError:
        raise Incorrect(
            what,
            "el modelo aún no está construido, así que no tiene parámetros",
            "un modelo con su forma de entrada definida",
            "Empieza el modelo con `keras.Input(shape=...)`.",
        ) from None
    rows = _dense_breakdown(model)
    breakdown = "; ".join(
        f"{name}: ({n_in} + {1 if bias else 0}) × {units} = {params}"
        if bias
        else f"{name}: {n_in} × {units} = {params} (sin sesgo)"
        for name, n_in, units, params, bias in rows
    )
    if expected_total is not None and total != int(expected_total):
        fix = _PARAM_RULE + " Revisa las unidades de cada capa y la forma de entrada."
        no_bias = [name for name, _, _, _, bias in rows if not bias]
        if no_bias:
            fix = f"La capa `{no_bias[0]}` no tiene sesgos (`use_bias=False`). " + _PARAM_RULE
        raise Incorrect(
            f"{what} del modelo",
            f"{total} en total ({breakdown})",
            f"{int(expected_total)} en total",
            fix,
            value=total,
        )
    if per_layer is not None:
        with_params = [layer for layer in _layers(model) if layer.count_params() > 0]
        if isinstance(per_layer, Mapping):
            pairs = [(model.get_layer(name), int(n)) for name, n in per_layer.items()]
        else:
            if len(per_layer) != len(with_params):
                raise Incorrect(
                    f"{what} por capa",
                    f"{len(with_params)} capas con parámetros",
                    f"{len(per_layer)} capas con parámetros",
                    "Revisa cuántas capas con pesos (como `Dense`) pide el enunciado.",
                )
            pairs = list(zip(with_params, (int(n) for n in per_layer), strict=False))
        for layer, want in pairs:
            got = int(layer.count_params())
            if got != want:
                raise Incorrect(
                    f"{what} de la capa `{layer.name}`",
                    f"{got}",
                    f"{want}",
                    _PARAM_RULE + " Ajusta las unidades de esa capa o de la anterior.",
                    value=got,
                )
    return Correct(f"{what} del modelo", f"{total} en total ({breakdown})", "", value=total)


# --------------------------------------------------------------------------- #
# Compilation
# --------------------------------------------------------------------------- #
def check_compiled(model: Any) -> Correct:
    """The model has been compiled (``model.compile(...)``)."""
    _require_model(model)
    if not getattr(model, "compiled", False) or getattr(model, "optimizer", None) is None:
        raise Incorrect(
            "si el modelo está compilado",
            "el modelo no está compilado",
            "un modelo compilado con optimizador y función de pérdida",
            "Llama a `model.compile(optimizer=..., loss=..., metrics=[...])` antes de entrenar.",
        )
    return Correct("si el modelo está compilado", "compilado", "compilado")


def check_loss(
    model: Any,
    *,
    task: str | None = None,
    y: Any = None,
    expected: str | None = None,
) -> Correct:
    """The compiled loss is coherent with the output activation and the labels.

    The three scenarios: regression (MSE/MAE/Huber, linear output), binary
    (binary cross-entropy, sigmoid output) and multiclass (softmax output,
    categorical cross-entropy with one-hot labels or sparse categorical
    cross-entropy with integer labels). ``task`` is inferred from the output
    when not given; ``y`` (the training labels) enables the label-format
    check; ``expected`` names one required loss.
    """
    check_compiled(model)
    loss = model.loss
    name = _loss_name(loss)
    logits = _from_logits(loss)
    out_act, out_units = output_activation(model)
    _check_output_rank(model)
    task_c = _task(task) or _infer_task(out_act, out_units, name, y)
    labels = label_format(y) if y is not None else None
    checked = "la función de pérdida"
    found = f"`{name}` con salida `{out_act}` de {_neurons(out_units)}"
    if labels:
        found += {
            "integer": " y etiquetas enteras",
            "onehot": " y etiquetas one-hot",
            "continuous": " y objetivos continuos",
        }[labels]
    if name is None:
        raise Incorrect(
            checked,
            "el modelo está compilado sin función de pérdida",
            "una pérdida adecuada a la tarea",
            "Pasa `loss=...` a `model.compile`.",
        )
    if isinstance(loss, (list, tuple, dict)):
        raise Incorrect(
            checked,
            "varias pérdidas",
            "una sola pérdida",
            "Este ejercicio tiene una única salida: pasa una sola pérdida.",
        )
    if expected is not None:
        want = _LOSS_ALIASES.get(expected.lower(), expected.lower())
        if name != want:
            fix = "Cambia el argumento `loss=` de `model.compile`."
            if name in _REGRESSION_LOSSES and want not in _REGRESSION_LOSSES:
                fix = (
                    "El error cuadrático medio (o el absoluto medio) sirve para regresión; para clasificar usa "
                    "la entropía cruzada que pide el enunciado."
                )
            elif name.replace("sparse_", "") == want.replace("sparse_", ""):
                fix = (
                    "La versión `sparse_` es para etiquetas enteras (0, 1, 2...) y la otra para "
                    "etiquetas one-hot: elige la que corresponde al formato de tus etiquetas."
                )
            raise Incorrect(checked, found, f"`{want}`", fix)
    crossentropies = {
        "binary_crossentropy",
        "categorical_crossentropy",
        "sparse_categorical_crossentropy",
        "binary_focal_crossentropy",
        "categorical_focal_crossentropy",
    }
    if task_c == "regression":
        expected_text = "una pérdida de regresión (`mean_squared_error`, `mean_absolute_error`...)"
        if name not in _REGRESSION_LOSSES:
            raise Incorrect(
                checked,
                found,
                expected_text,
                "La entropía cruzada compara probabilidades de clases; para predecir un número "
                "usa el error cuadrático medio (`'mse'`) o el absoluto (`'mae'`).",
            )
        return Correct(checked, found, expected_text)
    if name in _REGRESSION_LOSSES:
        raise Incorrect(
            checked,
            found,
            f"una entropía cruzada para {_TASK_ES[task_c]}",
            "El error cuadrático medio sirve para regresión; para clasificar usa la entropía cruzada "
            "que corresponde a tu salida.",
        )
    if name not in crossentropies:
        return Correct(checked, found, f"una pérdida para {_TASK_ES[task_c]}")
    # probabilities vs logits
    if out_act == "linear" and not logits:
        raise Incorrect(
            checked,
            found,
            "probabilidades a la salida (sigmoid/softmax) o `from_logits=True` en la pérdida",
            "Tu salida es lineal (logits): añade la activación de salida o crea la pérdida con "
            "`from_logits=True`.",
        )
    if logits and out_act in {"softmax", "sigmoid"}:
        raise Incorrect(
            checked,
            found + ", `from_logits=True`",
            "`from_logits=False` (la salida ya son probabilidades)",
            "Tu salida ya aplica la activación: quita `from_logits=True` de la pérdida.",
        ).tagged(_LOGITS_TWICE)
    if task_c == "binary":
        expected_text = "`binary_crossentropy` con salida `sigmoid` de 1 neurona"
        if out_act == "softmax" and out_units == 2:
            ok_names = {"sparse_categorical_crossentropy", "categorical_crossentropy"}
            expected_text = "entropía cruzada categórica con salida `softmax` de 2 neuronas"
            if name not in ok_names:
                raise Incorrect(
                    checked,
                    found,
                    expected_text,
                    "Con `softmax` de 2 neuronas usa `sparse_categorical_crossentropy`; o bien "
                    "1 neurona `sigmoid` con `binary_crossentropy`.",
                )
            return _label_coherence(name, labels, checked, found, expected_text)
        if name != "binary_crossentropy" and name != "binary_focal_crossentropy":
            raise Incorrect(
                checked,
                found,
                expected_text,
                "Con una sola probabilidad de salida (sigmoid) usa `binary_crossentropy`.",
            )
        if labels == "onehot":
            raise Incorrect(
                checked,
                found,
                "etiquetas 0/1 en una sola columna",
                "Con 1 neurona de salida las etiquetas deben ser un vector de 0 y 1, no one-hot.",
            )
        return Correct(checked, found, expected_text)
    # multiclass
    expected_text = (
        "`sparse_categorical_crossentropy` (etiquetas enteras) o `categorical_crossentropy` "
        "(etiquetas one-hot) con salida `softmax`"
    )
    if name in {"binary_crossentropy", "binary_focal_crossentropy"}:
        if labels == "integer":
            fix = (
                "Con etiquetas enteras, `binary_crossentropy` ni siquiera encaja en forma con "
                "una salida de varias clases: usa `sparse_categorical_crossentropy`."
            )
        else:
            fix = (
                "`binary_crossentropy` trata cada clase como un problema sí/no independiente; "
                "con clases excluyentes usa la entropía cruzada categórica."
            )
        raise Incorrect(checked, found, expected_text, fix).tagged(_BINARY_LOSS_MULTICLASS)
    if out_act == "sigmoid" and not logits:
        raise Incorrect(
            checked,
            found,
            expected_text,
            "La entropía cruzada categórica espera probabilidades que sumen 1 entre las clases, "
            "y `sigmoid` no las da: usa `softmax` en la capa de salida.",
        ).tagged(_SIGMOID_MULTICLASS)
    return _label_coherence(name, labels, checked, found, expected_text)


#: Mistakes the activation and loss checks recognise (codes for the grade report).
_SIGMOID_MULTICLASS = _m("sigmoide_multiclase", "sigmoid en salida multiclase", "")
_BINARY_LOSS_MULTICLASS = _m("binaria_multiclase", "entropía binaria en multiclase", "")
_CCE_INTEGER_LABELS = _m("cce_etiquetas_enteras", "categorical_crossentropy con enteros", "")
_SPARSE_ONEHOT_LABELS = _m("sparse_etiquetas_onehot", "sparse_ con etiquetas one-hot", "")
_LOGITS_TWICE = _m("from_logits_con_activacion", "from_logits=True tras softmax/sigmoid", "")


def _label_coherence(
    name: str, labels: str | None, checked: str, found: str, expected_text: str
) -> Correct:
    if labels == "integer" and name == "categorical_crossentropy":
        raise Incorrect(
            checked,
            found,
            "`sparse_categorical_crossentropy` para etiquetas enteras",
            "`categorical_crossentropy` espera etiquetas one-hot: usa la versión `sparse_` "
            "con tus etiquetas enteras (o conviértelas a one-hot).",
        ).tagged(_CCE_INTEGER_LABELS)
    if labels == "onehot" and name == "sparse_categorical_crossentropy":
        raise Incorrect(
            checked,
            found,
            "`categorical_crossentropy` para etiquetas one-hot",
            "La versión `sparse_` espera el índice de la clase: con etiquetas one-hot usa "
            "`categorical_crossentropy`.",
        ).tagged(_SPARSE_ONEHOT_LABELS)
    return Correct(checked, found, expected_text)


def check_optimizer(
    model: Any,
    kind: str | None = None,
    learning_rate: float | None = None,
    *,
    rtol: float = 1e-4,
) -> Correct:
    """Optimiser class (``"adam"``, ``"sgd"``, ...) and learning rate."""
    check_compiled(model)
    optimizer = model.optimizer
    name = type(optimizer).__name__
    try:
        lr = _scalar(optimizer.learning_rate, float)
    except (TypeError, ValueError):
        lr = None
    checked = "el optimizador"
    found = f"`{name}` con learning_rate = {fmt_number(lr, 4) if lr is not None else '?'}"
    if kind is not None and name.lower() != kind.lower().replace("_", ""):
        raise Incorrect(
            checked,
            found,
            f"`{kind}`",
            "Pasa a `model.compile` el optimizador pedido, por ejemplo "
            f"`optimizer=keras.optimizers.{_OPTIMIZER_CLASSES.get(kind.lower(), kind)}"
            "(learning_rate=...)`.",
        )
    if learning_rate is not None:
        if lr is None or abs(lr - learning_rate) > rtol * abs(learning_rate):
            fix = (
                "Crea el optimizador con `learning_rate=...` (en Keras 3 el argumento `lr=` ya "
                "no existe)."
            )
            if lr is not None and abs(lr - 0.001) < 1e-9:
                fix = (
                    "Tienes la tasa por defecto (0.001), que es lo que da `optimizer='adam'` "
                    "como texto: crea el objeto del optimizador con `learning_rate=...`."
                )
            raise Incorrect(
                checked,
                found,
                f"learning_rate = {fmt_number(learning_rate, 4)}",
                fix,
            )
    return Correct(checked, found, found)


def check_trained(model: Any, *, min_steps: int = 1) -> Correct:
    """The model has taken at least ``min_steps`` optimiser steps (``fit`` ran)."""
    _require_model(model)
    checked = "si el modelo está entrenado"
    if not getattr(model, "compiled", False) or getattr(model, "optimizer", None) is None:
        raise Incorrect(
            checked,
            "el modelo ni siquiera está compilado",
            "un modelo compilado y entrenado con `fit`",
            "Compila el modelo y después llama a `model.fit(x, y, epochs=...)`.",
        )
    steps = _scalar(model.optimizer.iterations, int)
    if steps < min_steps:
        raise Incorrect(
            checked,
            f"el optimizador ha dado {steps} pasos: el modelo no se ha entrenado",
            f"al menos {min_steps} paso(s) de entrenamiento",
            "Ejecuta la celda con `model.fit(...)` antes de esta (si reconstruiste el modelo, "
            "vuelve a entrenarlo).",
        )
    return Correct(checked, f"{steps} pasos de entrenamiento", f"al menos {min_steps}", value=steps)


def _predicted_classes(model: Any, x: Any) -> np.ndarray:
    _check_output_rank(model)
    with _quiet_keras():
        probs = np.asarray(model.predict(x, verbose=0))
    act, _ = output_activation(model)
    if probs.ndim == 1 or probs.shape[-1] == 1:
        threshold = 0.0 if act == "linear" else 0.5
        return (probs.reshape(len(probs), -1)[:, 0] > threshold).astype(np.int64)
    return probs.argmax(axis=-1)


def _true_classes(y: Any) -> np.ndarray:
    arr = np.asarray(y)
    if arr.ndim >= 2 and arr.shape[-1] > 1:
        return arr.argmax(axis=-1)
    return arr.reshape(-1).astype(np.int64)


def _largest_input(x: Any) -> float | None:
    """The largest absolute input value, or ``None`` when ``x`` is not numeric."""
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if arr.size == 0 or not np.all(np.isfinite(arr)):
        return None
    return float(np.max(np.abs(arr)))


def check_accuracy(
    model: Any,
    x: Any,
    y: Any,
    min_accuracy: float,
    *,
    what: str = "la exactitud (accuracy) del modelo",
) -> Correct:
    """Accuracy on ``(x, y)``, computed with NumPy from ``model.predict``.

    Returns a Correct whose ``value`` is the measured accuracy (a plain float).
    """
    _require_model(model)
    try:
        predicted = _predicted_classes(model, x)
    except Incorrect:
        raise
    except Exception as exc:
        raise Incorrect(
            f"{what} sobre {len(np.asarray(y))} ejemplos",
            f"`model.predict` falló con `{type(exc).__name__}`: {str(exc).splitlines()[0][:200]}",
            "predicciones para cada ejemplo",
            "Comprueba que la forma de entrada del modelo coincide con la de los datos "
            "(`x.shape[1:]`) y que los has preprocesado igual que al entrenar.",
        ) from None
    true = _true_classes(y)
    if predicted.shape[0] != true.shape[0]:
        raise Incorrect(
            what,
            f"{predicted.shape[0]} predicciones para {true.shape[0]} etiquetas",
            "una predicción por etiqueta",
            "Pasa a la comprobación los mismos ejemplos que etiquetas.",
        )
    accuracy = float(np.mean(predicted == true))
    checked = f"{what} sobre {true.shape[0]} ejemplos"
    found = f"{fmt_number(accuracy, 4)} ({int(np.sum(predicted == true))} aciertos)"
    expected = f"al menos {fmt_number(min_accuracy, 4)}"
    if accuracy < min_accuracy:
        fix = "Entrena más épocas o ajusta la tasa de aprendizaje (`learning_rate`)."
        largest = _largest_input(x)
        if largest is not None and largest > 10:
            # only inputs far from [-1, 1] make normalisation a likely cause
            fix += (
                f" Tus entradas llegan hasta {fmt_number(largest, 4)}: normalízalas (por "
                "ejemplo, píxeles divididos entre 255 o `StandardScaler`)."
            )
        steps = None
        try:
            steps = _scalar(model.optimizer.iterations, int)
        except (AttributeError, TypeError, ValueError):
            pass
        if not steps:
            fix = "El modelo no se ha entrenado: ejecuta `model.fit(...)` antes de esta celda."
        elif len(np.unique(predicted)) == 1 and len(np.unique(true)) > 1:
            fix = (
                "El modelo predice siempre la misma clase: revisa la pérdida y la activación de "
                "salida, normaliza las entradas y prueba otra tasa de aprendizaje."
            )
        raise Incorrect(checked, found, expected, fix, value=accuracy)
    return Correct(checked, found, expected, value=accuracy)


def _metric_entries(model: Any) -> list[str]:
    """Class or function names of the compiled metrics (public get_compile_config)."""
    try:
        config = model.get_compile_config() or {}
    except Exception:
        return []
    names: list[str] = []

    def walk(item: Any) -> None:
        if item is None:
            return
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, Mapping) and "class_name" in item:
            if item.get("class_name") == "function":
                names.append(str(item.get("config")))
            else:
                names.append(str(item["class_name"]))
        elif isinstance(item, Mapping):
            for v in item.values():
                walk(v)
        elif isinstance(item, (list, tuple)):
            for v in item:
                walk(v)

    walk(config.get("metrics"))
    walk(config.get("weighted_metrics"))
    return names


def check_metrics(
    model: Any,
    *,
    required: Sequence[str] = ("accuracy",),
    y: Any = None,
) -> Correct:
    """Compiled metrics: an accuracy is monitored, and the right kind of accuracy.

    Catches ``keras.metrics.Accuracy()`` on probabilities (it compares values
    for exact equality and silently gives 0.0), categorical vs sparse
    accuracy against the label format (``y``) and binary accuracy on a
    multiclass softmax output.
    """
    check_compiled(model)
    names = _metric_entries(model)
    out_act, out_units = output_activation(model)
    labels = label_format(y) if y is not None else None
    checked = "las métricas del modelo"
    found = ", ".join(f"`{n}`" for n in names) or "ninguna métrica"
    lowered = [n.lower() for n in names]
    for req in required:
        r = req.lower()
        ok = any(
            r == n or (r in {"accuracy", "acc"} and ("accuracy" in n or n == "acc"))
            for n in lowered
        )
        if not ok:
            raise Incorrect(
                checked,
                found,
                f"que se mida `{req}`",
                f"Añade `metrics=['{req}']` a `model.compile`.",
            )
    for name in names:
        if name == "Accuracy" and out_act in {"sigmoid", "softmax", "linear"}:
            raise Incorrect(
                checked,
                found + f" con salida `{out_act}`",
                "una métrica que convierta probabilidades en clases",
                "`keras.metrics.Accuracy()` compara valores exactos y con probabilidades da 0.0 "
                "sin avisar: usa `'accuracy'` o `BinaryAccuracy`/`SparseCategoricalAccuracy`.",
            )
        if name in {"CategoricalAccuracy", "categorical_accuracy"} and labels == "integer":
            raise Incorrect(
                checked,
                found + " y etiquetas enteras",
                "`SparseCategoricalAccuracy` para etiquetas enteras",
                "La versión categórica espera etiquetas one-hot: usa la `Sparse...` o `'accuracy'`.",
            )
        if name in {"SparseCategoricalAccuracy", "sparse_categorical_accuracy"} and (
            labels == "onehot"
        ):
            raise Incorrect(
                checked,
                found + " y etiquetas one-hot",
                "`CategoricalAccuracy` para etiquetas one-hot",
                "La versión `Sparse` espera índices de clase: usa `CategoricalAccuracy` o "
                "`'accuracy'`.",
            )
        if (
            name in {"BinaryAccuracy", "binary_accuracy"}
            and out_act == "softmax"
            and (out_units or 0) > 2
        ):
            raise Incorrect(
                checked,
                found + f" con salida softmax de {out_units} clases",
                "una exactitud multiclase",
                "`BinaryAccuracy` compara cada probabilidad con 0.5 por separado: usa `'accuracy'` "
                "o `SparseCategoricalAccuracy`.",
            )
    return Correct(checked, found, "métricas coherentes con la salida")


# --------------------------------------------------------------------------- #
# Callbacks and checkpoints
# --------------------------------------------------------------------------- #
def check_callbacks(
    callbacks: Any,
    *,
    early_stopping: bool = True,
    checkpoint: bool = False,
    monitor: str | None = None,
    patience: int | None = None,
    restore_best_weights: bool | None = None,
    save_best_only: bool | None = None,
) -> Correct:
    """A list of callbacks with EarlyStopping and/or ModelCheckpoint configured.

    A ModelCheckpoint must write a ``.weights.h5`` file (with
    ``save_weights_only=True``) or a ``.keras`` file (whole model); a bare
    ``.h5`` path is the legacy format.
    """
    import keras

    if is_placeholder(callbacks):
        raise not_attempted("la lista de callbacks")
    if isinstance(callbacks, keras.callbacks.Callback):
        callbacks = [callbacks]
    if not isinstance(callbacks, (list, tuple)):
        raise Incorrect(
            "el formato de los callbacks",
            f"un valor de tipo `{type(callbacks).__name__}`",
            "una lista de callbacks",
            "Pon los callbacks en una lista: `callbacks = [cb1, cb2]`.",
        )
    kinds = [type(cb).__name__ for cb in callbacks]
    found = ", ".join(kinds) or "una lista vacía"
    stops = [cb for cb in callbacks if isinstance(cb, keras.callbacks.EarlyStopping)]
    ckpts = [cb for cb in callbacks if isinstance(cb, keras.callbacks.ModelCheckpoint)]
    if early_stopping:
        if not stops:
            raise Incorrect(
                "los callbacks: parada temprana",
                found,
                "un `EarlyStopping`",
                "Añade `keras.callbacks.EarlyStopping(...)` a la lista que pasas a `fit`.",
            )
        es = stops[0]
        if monitor is not None and es.monitor != monitor:
            raise Incorrect(
                "lo que vigila `EarlyStopping`",
                f"monitor = '{es.monitor}'",
                f"monitor = '{monitor}'",
                "Cambia el argumento `monitor=` de `EarlyStopping`.",
            )
        if patience is not None and int(es.patience) != int(patience):
            raise Incorrect(
                "la paciencia de `EarlyStopping`",
                f"patience = {es.patience}",
                f"patience = {patience}",
                "Cambia el argumento `patience=`: cuántas épocas sin mejora se esperan.",
            )
        if restore_best_weights is not None and bool(es.restore_best_weights) != bool(
            restore_best_weights
        ):
            raise Incorrect(
                "si `EarlyStopping` recupera los mejores pesos",
                f"restore_best_weights = {bool(es.restore_best_weights)}",
                f"restore_best_weights = {bool(restore_best_weights)}",
                "Ajusta `restore_best_weights=` para quedarte con los pesos de la mejor época.",
            )
    if checkpoint:
        if not ckpts:
            raise Incorrect(
                "los callbacks: guardado del modelo",
                found,
                "un `ModelCheckpoint`",
                "Añade `keras.callbacks.ModelCheckpoint(ruta, ...)` a la lista de callbacks.",
            )
        cb = ckpts[0]
        path = str(cb.filepath)
        if not (path.endswith(".weights.h5") or path.endswith(".keras")):
            raise Incorrect(
                "la ruta de `ModelCheckpoint`",
                f"'{path}'",
                "una ruta que termine en `.weights.h5` (solo pesos) o `.keras` (modelo completo)",
                "Keras 3 guarda los pesos en `.weights.h5` (con `save_weights_only=True`) y el "
                "modelo completo en `.keras`; `.h5` a secas es el formato antiguo.",
            )
        if path.endswith(".weights.h5") and not cb.save_weights_only:
            raise Incorrect(
                "la configuración de `ModelCheckpoint`",
                f"ruta '{path}' con save_weights_only = False",
                "`save_weights_only=True` para un archivo `.weights.h5`",
                "Sin `save_weights_only=True` Keras guarda el modelo completo en el formato "
                "antiguo HDF5 aunque el nombre diga `.weights.h5`: añade ese argumento (o usa "
                "una ruta `.keras` para el modelo completo).",
            )
        if monitor is not None and cb.monitor != monitor:
            raise Incorrect(
                "lo que vigila `ModelCheckpoint`",
                f"monitor = '{cb.monitor}'",
                f"monitor = '{monitor}'",
                "Cambia el argumento `monitor=` de `ModelCheckpoint`.",
            )
        if save_best_only is not None and bool(cb.save_best_only) != bool(save_best_only):
            raise Incorrect(
                "si `ModelCheckpoint` guarda solo el mejor modelo",
                f"save_best_only = {bool(cb.save_best_only)}",
                f"save_best_only = {bool(save_best_only)}",
                "Ajusta `save_best_only=` para guardar solo cuando mejora la métrica vigilada.",
            )
    return Correct("los callbacks", found, "callbacks bien configurados")


def check_checkpoint(path: Any, model: Any = None) -> Correct:
    """The checkpoint file exists and loads (into a clone of ``model`` for weights).

    ``.keras`` files load with ``keras.models.load_model`` (safe mode);
    ``.weights.h5`` files load into a clone of ``model``, whose parameter
    count must match; the student's model is never modified.
    """
    import keras

    if is_placeholder(path):
        raise not_attempted("la ruta del archivo guardado")
    p = Path(os.fspath(path))
    checked = f"el archivo guardado `{p.name}`"
    name = p.name
    if not (name.endswith(".weights.h5") or name.endswith(".keras")):
        raise Incorrect(
            checked,
            f"la ruta '{p}'",
            "una ruta que termine en `.weights.h5` (solo pesos) o `.keras` (modelo completo)",
            "Keras 3 ya no acepta `.h5` a secas para los pesos: usa `.weights.h5` con "
            "`save_weights_only=True`, o `.keras` para el modelo completo.",
        )
    if not p.exists():
        raise Incorrect(
            checked,
            f"no existe el archivo '{p}'",
            "un archivo creado al entrenar",
            "Pasa el `ModelCheckpoint` en `callbacks=[...]` de `fit` y entrena; comprueba la "
            "ruta (carpeta incluida).",
        )
    try:
        with _quiet_keras():
            _load_checkpoint(keras, p, name, model, checked)
    except (Incorrect, NotAttempted, CheckSpecError):
        raise

    except ValueError:
        raise Incorrect(
            checked,
            "no se puede cargar en este modelo: los pesos guardados no encajan con sus capas "
            "(`ValueError` de Keras)",
            "un archivo que se cargue en este modelo",
            "El archivo no corresponde a esta arquitectura: bórralo y vuelve a entrenar con el "
            "`ModelCheckpoint`.",
        ) from None
    except Exception as exc:
        raise Incorrect(
            checked,
            f"no se puede cargar: `{type(exc).__name__}`: {str(exc).splitlines()[0][:200]}",
            "un archivo de Keras válido",
            "Vuelve a generar el archivo entrenando con el `ModelCheckpoint` y no lo edites a mano.",
        ) from None
    return Correct(checked, "existe y se carga correctamente", "un archivo que se cargue")


def _load_checkpoint(keras: Any, p: Path, name: str, model: Any, checked: str) -> None:
    if name.endswith(".keras"):
        loaded = keras.models.load_model(p)
        if model is not None and loaded.count_params() != model.count_params():
            raise Incorrect(
                checked,
                f"un modelo con {loaded.count_params()} parámetros",
                f"el mismo modelo ({model.count_params()} parámetros)",
                "Guarda el modelo de este ejercicio (borra el archivo viejo y vuelve a entrenar).",
            )
    else:
        if model is None:
            raise CheckSpecError("check_checkpoint necesita `model` para cargar un .weights.h5")
        clone = keras.models.clone_model(model)
        clone.load_weights(p)


# --------------------------------------------------------------------------- #
# Regression predictions and training histories
# --------------------------------------------------------------------------- #
def _predict_values(model: Any, x: Any, what: str) -> np.ndarray:
    try:
        with _quiet_keras():
            return np.asarray(model.predict(np.asarray(x), verbose=0), dtype=float)
    except Exception as exc:
        raise Incorrect(
            what,
            f"`model.predict` falló con `{type(exc).__name__}`: {str(exc).splitlines()[0][:200]}",
            "una predicción por ejemplo",
            "Comprueba que la forma de los datos coincide con `keras.Input(shape=...)`.",
        ) from None


def check_prediction(
    model: Any,
    x: Any,
    expected: Any,
    *,
    tol: float,
    what: str | None = None,
) -> Correct:
    """Predictions of ``model`` on ``x`` within ``tol`` of ``expected`` (regression).

    E.g. ``check_prediction(model, [[10.0]], [[19.0]], tol=0.5)``. The
    measured predictions are the result's ``value`` (a list of floats).
    """
    _require_model(model)
    what = what or f"la predicción del modelo para x = {fmt_value(np.asarray(x).tolist())}"
    got = _predict_values(model, x, what)
    want = np.asarray(expected, dtype=float)
    if got.size != want.size:
        raise Incorrect(
            what,
            f"{got.size} valores predichos",
            f"{want.size} valores",
            "La capa de salida debe tener una neurona por valor que se predice.",
        )
    got_flat, want_flat = got.reshape(-1), want.reshape(-1)
    error = float(np.max(np.abs(got_flat - want_flat)))
    found = fmt_array(got_flat) if got_flat.size > 1 else fmt_number(got_flat[0], 4)
    expected_text = (
        f"{fmt_array(want_flat) if want_flat.size > 1 else fmt_number(want_flat[0], 4)} "
        f"± {fmt_number(tol, 3)}"
    )
    values = [float(v) for v in got_flat]
    if not np.all(np.isfinite(got_flat)):
        raise Incorrect(
            what,
            found,
            expected_text,
            "El entrenamiento ha divergido (`nan`): baja la tasa de aprendizaje y vuelve a "
            "crear y entrenar el modelo.",
            value=values,
        )
    if error > tol:
        raise Incorrect(
            what,
            f"{found} (error {fmt_number(error, 3)})",
            expected_text,
            "Entrena más épocas o ajusta la tasa de aprendizaje, y mira si la pérdida sigue "
            "bajando al final del entrenamiento.",
            value=values,
        )
    return Correct(what, found, expected_text, value=values if len(values) > 1 else values[0])


def check_mae(
    model: Any,
    x: Any,
    y: Any,
    max_mae: float,
    *,
    what: str = "el error absoluto medio (MAE) del modelo",
) -> Correct:
    """Mean absolute error of a regression model on ``(x, y)``, at most ``max_mae``."""
    _require_model(model)
    got = _predict_values(model, x, what).reshape(-1)
    want = np.asarray(y, dtype=float).reshape(-1)
    if got.shape != want.shape:
        raise Incorrect(
            what,
            f"{got.size} predicciones para {want.size} valores",
            "una predicción por ejemplo",
            "La regresión necesita una sola neurona de salida y los mismos ejemplos que etiquetas.",
        )
    mae = float(np.mean(np.abs(got - want)))
    checked = f"{what} sobre {want.size} ejemplos"
    if not np.isfinite(mae) or mae > max_mae:
        raise Incorrect(
            checked,
            f"MAE = {fmt_number(mae, 4)}",
            f"como mucho {fmt_number(max_mae, 4)}",
            "Entrena más épocas, normaliza las entradas o ajusta la tasa de aprendizaje.",
            value=mae,
        )
    return Correct(
        checked, f"MAE = {fmt_number(mae, 4)}", f"como mucho {fmt_number(max_mae, 4)}", value=mae
    )


def check_history(
    history: Any,
    *,
    keys: Sequence[str] = ("loss",),
    min_epochs: int | None = None,
    max_epochs: int | None = None,
    decreasing: str | None = "loss",
) -> Correct:
    """A training history (``keras.callbacks.History`` or its ``.history`` dict).

    Checks the recorded ``keys`` (e.g. ``"val_loss"`` proves validation data
    was used), the number of epochs (``max_epochs`` below the requested
    epochs shows that EarlyStopping stopped the training) and that
    ``decreasing`` went down from the first to the best epoch.
    """
    if is_placeholder(history):
        raise not_attempted("el historial de entrenamiento")
    data = getattr(history, "history", history)
    if not isinstance(data, Mapping):
        raise Incorrect(
            "el historial de entrenamiento",
            f"un valor de tipo `{type(history).__name__}`",
            "lo que devuelve `model.fit(...)`",
            "Guarda el resultado de `fit`: `historia = model.fit(...)`.",
        )
    found_keys = ", ".join(f"`{k}`" for k in data) or "ninguna métrica"
    for key in keys:
        if key not in data:
            fix = f"Añade lo necesario para que `fit` registre `{key}`."
            if key.startswith("val_"):
                fix = (
                    "Pasa datos de validación a `fit` (`validation_data=(x_val, y_val)` o "
                    "`validation_split=...`) para que se registren las métricas `val_`."
                )
            raise Incorrect("lo que registra el historial", found_keys, f"`{key}`", fix)
    epochs = max((len(v) for v in data.values()), default=0)
    if min_epochs is not None and epochs < min_epochs:
        raise Incorrect(
            "el número de épocas entrenadas",
            f"{epochs}",
            f"al menos {min_epochs}",
            "Aumenta `epochs=` en `fit` (o la paciencia de `EarlyStopping`).",
        )
    if max_epochs is not None and epochs > max_epochs:
        raise Incorrect(
            "el número de épocas entrenadas",
            f"{epochs}",
            f"como mucho {max_epochs}",
            "La parada temprana no ha actuado: pasa `callbacks=[...]` con tu `EarlyStopping` "
            "a `fit`.",
        )
    if decreasing is not None and decreasing in data and len(data[decreasing]) > 1:
        series = np.asarray(data[decreasing], dtype=float)
        if not np.all(np.isfinite(series)):
            raise Incorrect(
                f"la evolución de `{decreasing}`",
                "aparecen valores `nan` o `inf`",
                "valores finitos que bajan",
                "El entrenamiento ha divergido: baja la tasa de aprendizaje.",
            )
        if not series.min() < series[0]:
            raise Incorrect(
                f"la evolución de `{decreasing}`",
                f"empieza en {fmt_number(series[0], 4)} y nunca baja de ahí",
                "que baje durante el entrenamiento",
                "Revisa la tasa de aprendizaje (prueba una menor) y que la pérdida corresponde a "
                "la tarea.",
            )
    return Correct(
        "el historial de entrenamiento",
        f"{epochs} épocas; métricas {found_keys}",
        "un entrenamiento registrado",
        value=epochs,
    )


# --------------------------------------------------------------------------- #
# Aggregate
# --------------------------------------------------------------------------- #
def check_model(
    model: Any,
    *,
    input_shape: Sequence[int | None] | None = None,
    layers: Sequence[Any] | None = None,
    units: Sequence[int] | None = None,
    task: str | None = None,
    n_classes: int | None = None,
    hidden_activation: str | None = None,
    output_activation: str | None = None,
    params: int | None = None,
    per_layer: Sequence[int] | Mapping[str, int] | None = None,
    compiled: bool | None = None,
    loss: str | None = None,
    y: Any = None,
    optimizer: str | None = None,
    learning_rate: float | None = None,
    metrics: Sequence[str] | None = None,
    trained: bool | None = None,
    x: Any = None,
    min_accuracy: float | None = None,
) -> Correct:
    """Run the single-property checks of :func:`model_checks` in order; raise the first failure.

    Only the checks whose expectations are given run. The order follows how a
    model is written: input, layers, units, activations, parameters, compile
    (loss, optimiser, metrics), training, accuracy on ``(x, y)``. Returns a
    Correct listing what was checked; its ``value`` is the accuracy when one
    was measured.
    """
    _require_model(model)
    checks = model_checks(
        input_shape=input_shape,
        layers=layers,
        units=units,
        task=task,
        n_classes=n_classes,
        hidden_activation=hidden_activation,
        output_activation=output_activation,
        params=params,
        per_layer=per_layer,
        compiled=compiled,
        loss=loss,
        y=y,
        optimizer=optimizer,
        learning_rate=learning_rate,
        metrics=metrics,
        trained=trained,
        x=x,
        min_accuracy=min_accuracy,
    )
    if not checks:
        raise CheckSpecError(
            "check_model necesita al menos una expectativa (input_shape=, layers=...)."
        )
    done: list[str] = []
    accuracy = None
    for label, run in checks:
        try:
            result = run(model)
        except Incorrect as failure:
            if failure.mistake is None and label in _CHECK_MISTAKES:
                failure.mistake = _CHECK_MISTAKES[label]
            raise
        if label == "exactitud":
            accuracy = result.value
            label = f"exactitud {fmt_number(accuracy, 4)}"
        done.append(label)
    return Correct(
        "el modelo completo",
        f"{len(done)} comprobaciones superadas: " + ", ".join(done),
        "todas las comprobaciones",
        value=accuracy,
    )


#: One named single-property check of a model: (Spanish label, check taking the model).
ModelCheck = tuple[str, Callable[[Any], CheckResult]]

#: The mistake recorded when a named check of :func:`check_model` fails for a reason
#: it does not name more precisely (mistake analytics, see ``course/checks/_codes.py``).
_CHECK_MISTAKES: dict[str, Mistake] = {
    label: _m(code, text, text)
    for label, code, text in (
        ("entrada", "modelo_entrada", "forma de entrada incorrecta"),
        ("capas", "modelo_capas", "capas incorrectas"),
        ("unidades", "modelo_unidades", "número de neuronas incorrecto"),
        ("activaciones", "modelo_activaciones", "activaciones incorrectas"),
        ("parámetros", "modelo_parametros", "número de parámetros incorrecto"),
        ("compilado", "modelo_sin_compilar", "modelo sin compilar"),
        ("pérdida", "modelo_perdida", "pérdida incorrecta"),
        ("optimizador", "modelo_optimizador", "optimizador incorrecto"),
        ("métricas", "modelo_metricas", "métricas incorrectas"),
        ("entrenado", "modelo_sin_entrenar", "modelo sin entrenar"),
        ("exactitud", "exactitud_baja", "exactitud insuficiente"),
    )
}


def model_checks(
    *,
    input_shape: Sequence[int | None] | None = None,
    layers: Sequence[Any] | None = None,
    units: Sequence[int] | None = None,
    task: str | None = None,
    n_classes: int | None = None,
    hidden_activation: str | None = None,
    output_activation: str | None = None,
    params: int | None = None,
    per_layer: Sequence[int] | Mapping[str, int] | None = None,
    compiled: bool | None = None,
    loss: str | None = None,
    y: Any = None,
    optimizer: str | None = None,
    learning_rate: float | None = None,
    metrics: Sequence[str] | None = None,
    trained: bool | None = None,
    x: Any = None,
    min_accuracy: float | None = None,
) -> list[ModelCheck]:
    """The small named checks an expectation set asks for, in the order they run.

    Assembled the way scikit-learn assembles its estimator checks: each item is
    a ``(label, check)`` pair and ``check(model)`` returns a Correct or raises.
    """
    checks: list[ModelCheck] = []
    if input_shape is not None:
        checks.append(("entrada", lambda m: check_input_shape(m, input_shape)))
    if layers is not None:
        checks.append(("capas", lambda m: check_layers(m, layers)))
    if units is not None:
        checks.append(("unidades", lambda m: check_units(m, units)))
    if task is not None or hidden_activation is not None or output_activation is not None:
        checks.append(
            (
                "activaciones",
                lambda m: check_activations(
                    m,
                    hidden=hidden_activation,
                    output=output_activation,
                    task=task,
                    n_classes=n_classes,
                ),
            )
        )
    if params is not None or per_layer is not None:
        checks.append(("parámetros", lambda m: check_param_count(m, params, per_layer)))
    needs_compile = any(v is not None for v in (loss, optimizer, learning_rate, metrics)) or bool(
        compiled or trained
    )
    if needs_compile:
        checks.append(("compilado", check_compiled))
    if loss is not None or (needs_compile and (task is not None or y is not None)):
        checks.append(("pérdida", lambda m: check_loss(m, task=task, y=y, expected=loss)))
    if optimizer is not None or learning_rate is not None:
        checks.append(("optimizador", lambda m: check_optimizer(m, optimizer, learning_rate)))
    if metrics is not None:
        checks.append(("métricas", lambda m: check_metrics(m, required=metrics, y=y)))
    if trained:
        checks.append(("entrenado", check_trained))
    if min_accuracy is not None:
        if x is None or y is None:
            raise CheckSpecError("check_model necesita `x` e `y` para comprobar `min_accuracy`.")
        checks.append(("exactitud", lambda m: check_accuracy(m, x, y, min_accuracy)))
    return checks
