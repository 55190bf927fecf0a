"""Visible checks of assignment a05 (Fashion-MNIST MLP with callbacks).

Graded exercises carry no ``solution``: solutions are published by the
instructor after the deadline, never through the package.

Each exercise is a graded :class:`course.checks.Exercise`; the notebook's
visible test calls ``ejN.check_names(...)`` with the names of the student's
variables (a missing variable is "not attempted", never a ``NameError``). The
hidden tests (only in ``source_assignments/``) call the same exercises with
keyword extras:

- ``ej1``: ``extra_inputs=`` held-out images.
- ``ej2``: ``probe=`` held-out images whose outputs must be probabilities.
- ``ej4``: ``best_restored=True``: the model, evaluated on the validation
  data, must score what the best epoch scored (the best weights were reloaded).
- ``ej5``: ``heldout=(x, y)`` the test images reloaded independently of the
  student's variables, and ``agreement=True`` (the predictions come from the
  model).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from course.assignments.a04 import (
    StagedExercise,
    _check_model_behind,
    _class_predictions,
    _prediction_accuracy,
    _user_namespace,
)
from course.checks import (
    Correct,
    Exercise,
    Incorrect,
    check_activations,
    check_callbacks,
    check_checkpoint,
    check_input_shape,
    check_loss,
    check_metrics,
    check_trained,
    fmt_number,
    is_placeholder,
    show,
)
from course.checks._mistakes import IMAGE_SCALING

__all__ = [
    "IMAGE_SHAPE",
    "MAX_EPOCHS",
    "MAX_PARAMS",
    "N_CLASSES",
    "ej1",
    "ej2",
    "ej3",
    "ej4",
    "ej5",
]

#: Shape of one Fashion-MNIST image.
IMAGE_SHAPE = (28, 28)
#: Number of clothing classes.
N_CLASSES = 10
#: Largest model the assignment allows.
MAX_PARAMS = 300_000
#: Most epochs a submission may train (the whole notebook must grade in a minute).
MAX_EPOCHS = 5
#: The EarlyStopping patience the statement of exercise 3 fixes.
PATIENCE = 2


# --------------------------------------------------------------------------- #
# Ejercicio 1: scaling the images
# --------------------------------------------------------------------------- #
def _random_images(rng: np.random.Generator) -> np.ndarray:
    return rng.integers(0, 256, size=(3, 28, 28), dtype=np.uint8)


_FIXED_IMAGES = [
    np.arange(28 * 28, dtype=np.int64).reshape(28, 28).astype(np.uint8)[None],
    np.full((2, 28, 28), 255, dtype=np.uint8),
]

#: The reference's outputs on the fixed images (plain data), for the visible check in
#: the grading kernel, where the reference (course.grading.references) is absent.
_VISIBLE_OUTPUTS = [
    (np.arange(28 * 28).reshape(1, 28, 28) % 256).astype(np.float32) / np.float32(255.0),
    np.ones((2, 28, 28), dtype=np.float32),
]


def _check_scaling(
    preparar_imagenes: Any,
    *,
    extra_inputs: Sequence[Any] = (),
    rtol: float = 1e-6,
    atol: float = 1e-7,
) -> Any:
    """Compare the student's scaling with the reference (visible images only in the kernel)."""
    from course.checks import check_function

    options: dict[str, Any] = {"random_inputs": _random_images}
    try:
        from course.grading.references import a05_scaling as reference
    except ImportError:
        from course.assignments.a01 import _VisibleOutputs

        reference = _VisibleOutputs("escalado", _FIXED_IMAGES, _VISIBLE_OUTPUTS)
        options = {"random_inputs": 0}
    return check_function(
        preparar_imagenes,
        reference,
        list(_FIXED_IMAGES),
        extra_inputs=list(extra_inputs),
        edge_cases=None,
        mistakes=IMAGE_SCALING,
        rtol=rtol,
        atol=atol,
        **options,
    )


ej1 = Exercise(
    "ej1",
    _check_scaling,
    graded=True,
    title="Ejercicio 1: escalar las imágenes",
    hint=[
        "Los píxeles son enteros de 0 a 255: pásalos a decimales y divide entre 255.",
        "`x.astype('float32') / 255.0` conserva la forma del array.",
    ],
)


# --------------------------------------------------------------------------- #
# Ejercicio 2: the model
# --------------------------------------------------------------------------- #
def _inner_layers(model: Any) -> list:
    return [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]


def _check_fashion_model(
    model: Any, *, y: Any = None, max_params: int = MAX_PARAMS, probe: Any = None
) -> Correct:
    check_input_shape(model, IMAGE_SHAPE)
    layers = _inner_layers(model)
    kinds = [type(layer).__name__ for layer in layers]
    if not kinds or kinds[0] != "Flatten":
        raise Incorrect(
            "la primera capa después de la entrada",
            " → ".join(kinds) or "ninguna capa",
            "`Flatten` y después las capas `Dense`",
            "Falta una capa `Flatten` al principio: cada imagen es una matriz 28 × 28 y las "
            "capas `Dense` esperan un vector de 784 valores.",
        )
    check_activations(model, task="multiclass", n_classes=N_CLASSES)
    total = int(model.count_params())
    if total > max_params:
        raise Incorrect(
            "el tamaño del modelo",
            f"{total:,} parámetros".replace(",", "."),
            f"como mucho {max_params:,} parámetros".replace(",", "."),
            "Usa menos neuronas en las capas ocultas: la primera `Dense` ya tiene "
            "(784 + 1) × unidades parámetros.",
        )
    check_loss(model, task="multiclass", y=y)
    check_metrics(model, required=["accuracy"], y=y)
    if probe is not None:
        from course.checks._keras import predict_probabilities

        probs = predict_probabilities(model, np.asarray(probe, dtype=np.float32))
        n = len(probe)
        if probs.shape != (n, N_CLASSES) or not np.allclose(probs.sum(axis=1), 1.0, atol=1e-4):
            raise Incorrect(
                "las salidas del modelo para imágenes nuevas",
                f"forma {probs.shape}",
                f"forma ({n}, {N_CLASSES}) con probabilidades que suman 1 en cada fila",
                "La salida debe ser `Dense(10, activation='softmax')` después de `Flatten`.",
            )
    return Correct(
        "la arquitectura y la compilación",
        f"Flatten desde (28, 28), salida softmax de 10 clases, {total} parámetros",
        f"como mucho {max_params} parámetros, pérdida y métrica coherentes",
        value=total,
    )


ej2 = Exercise(
    "ej2",
    _check_fashion_model,
    graded=True,
    title="Ejercicio 2: el perceptrón multicapa",
    answer_names=["modelo"],
    hint=[
        "`keras.Input(shape=(28, 28))`, `keras.layers.Flatten()`, una o dos `Dense` ocultas con "
        "`relu` y `Dense(10, activation='softmax')`.",
        "Con etiquetas enteras (0-9) la pérdida es `sparse_categorical_crossentropy`.",
    ],
)


# --------------------------------------------------------------------------- #
# Ejercicio 3: callbacks
# --------------------------------------------------------------------------- #
def _check_path(path: Any) -> str:
    checked = "la ruta `ruta_pesos` del archivo de pesos"
    if not isinstance(path, (str, os.PathLike)):
        raise Incorrect(
            checked,
            f"un valor de tipo `{type(path).__name__}`",
            "un texto como `'mejor_modelo.weights.h5'`",
            "Escribe la ruta entre comillas.",
        )
    text = os.fspath(path)
    if not text.endswith(".weights.h5"):
        if text.endswith(".h5"):
            fix = (
                "En Keras 3 un archivo de pesos (`save_weights_only=True`) debe terminar en "
                "`.weights.h5`; `.h5` a secas es el formato antiguo y `ModelCheckpoint` lo rechaza "
                "con un ValueError."
            )
        elif text.endswith(".keras"):
            fix = (
                "`.keras` guarda el modelo completo; en esta tarea guardamos solo los pesos, en un "
                "archivo que termine en `.weights.h5`."
            )
        else:
            fix = "Termina el nombre del archivo en `.weights.h5` (pesos de Keras 3)."
        raise Incorrect(checked, f"'{text}'", "un nombre que termine en `.weights.h5`", fix)
    if Path(text).is_absolute():
        raise Incorrect(
            checked,
            f"la ruta absoluta '{text}'",
            "una ruta relativa, por ejemplo `'mejor_modelo.weights.h5'`",
            "Guarda los pesos junto al cuaderno (ruta relativa): así el archivo viaja con tu "
            "entrega y no choca con el de otros.",
        )
    return text


def _check_callback_set(path: Any, stop: Any, checkpoint: Any) -> Correct:
    import keras

    text = _check_path(path)
    if not isinstance(stop, keras.callbacks.EarlyStopping):
        raise Incorrect(
            "`parada_temprana`",
            f"un `{type(stop).__name__}`",
            "un `keras.callbacks.EarlyStopping`",
            "Crea `parada_temprana` con `keras.callbacks.EarlyStopping(...)`.",
        )
    if not isinstance(checkpoint, keras.callbacks.ModelCheckpoint):
        raise Incorrect(
            "`punto_control`",
            f"un `{type(checkpoint).__name__}`",
            "un `keras.callbacks.ModelCheckpoint`",
            "Crea `punto_control` con `keras.callbacks.ModelCheckpoint(ruta_pesos, ...)`.",
        )
    for name, callback in (("parada_temprana", stop), ("punto_control", checkpoint)):
        if not str(callback.monitor).startswith("val_"):
            raise Incorrect(
                f"lo que vigila `{name}`",
                f"monitor = '{callback.monitor}'",
                "la pérdida de validación, `'val_loss'`",
                "Vigila los datos de validación (`monitor='val_loss'`): la pérdida de "
                "entrenamiento casi siempre baja y no avisa del sobreajuste.",
            )
        if str(callback.monitor) != "val_loss":
            raise Incorrect(
                f"lo que vigila `{name}`",
                f"monitor = '{callback.monitor}'",
                "monitor = 'val_loss', como pide el enunciado",
                f"El enunciado pide vigilar la pérdida de validación: pasa `monitor='val_loss'` "
                f"a `{name}`.",
            )
    # every value the statement fixes: patience 2, only the best, only the weights
    check_callbacks(
        [stop, checkpoint],
        early_stopping=True,
        checkpoint=True,
        patience=PATIENCE,
        save_best_only=True,
    )
    if os.fspath(checkpoint.filepath) != text:
        raise Incorrect(
            "el archivo de `punto_control`",
            f"'{checkpoint.filepath}'",
            f"'{text}' (la variable `ruta_pesos`)",
            "Pasa `ruta_pesos` como primer argumento de `ModelCheckpoint`.",
        )
    if not checkpoint.save_weights_only:
        raise Incorrect(
            "qué guarda `punto_control`",
            "save_weights_only = False",
            "save_weights_only = True",
            "Guarda solo los pesos con `save_weights_only=True` (por eso el archivo es "
            "`.weights.h5`).",
        )
    return Correct(
        "los callbacks",
        f"EarlyStopping y ModelCheckpoint vigilando '{stop.monitor}', pesos en '{text}'",
        "parada temprana y guardado del mejor modelo",
    )


class _CallbackExercise(Exercise):
    """Checks ``ruta_pesos`` first, so that a legacy ``.h5`` path (which makes
    ``ModelCheckpoint`` raise before ``punto_control`` exists) is named as the
    mistake instead of "``punto_control`` does not exist"."""

    def check_names(
        self, *names: str, namespace: Mapping[str, Any] | None = None, **hidden: Any
    ) -> Any:
        names = names or tuple(self.answer_names)
        ns = namespace if namespace is not None else _user_namespace()
        if names and names[0] in ns and not is_placeholder(ns[names[0]]):
            try:
                _check_path(ns[names[0]])
            except Incorrect as failure:
                result = failure.with_title(self.title)
                show(result)
                if self.graded:
                    raise result from None
                return result
        return super().check_names(*names, namespace=ns, **hidden)


ej3 = _CallbackExercise(
    "ej3",
    _check_callback_set,
    graded=True,
    title="Ejercicio 3: parada temprana y punto de control",
    answer_names=["ruta_pesos", "parada_temprana", "punto_control"],
    hint=[
        "`keras.callbacks.EarlyStopping(monitor='val_loss', patience=2, "
        "restore_best_weights=True)`.",
        "`keras.callbacks.ModelCheckpoint(ruta_pesos, monitor='val_loss', save_best_only=True, "
        "save_weights_only=True)` con una ruta que termine en `.weights.h5`.",
    ],
)


# --------------------------------------------------------------------------- #
# Ejercicio 4: training with validation, best weights reloaded
# --------------------------------------------------------------------------- #
def _check_training(
    history: Any,
    model: Any,
    path: Any,
    checkpoint: Any,
    x_val: Any,
    y_val: Any,
    *,
    max_epochs: int = MAX_EPOCHS,
    best_restored: bool = False,
) -> Correct:
    import keras

    if not isinstance(history, keras.callbacks.History):
        raise Incorrect(
            "`historia`",
            f"un valor de tipo `{type(history).__name__}`",
            "el objeto `History` que devuelve `fit`",
            "Guarda lo que devuelve el entrenamiento: `historia = modelo.fit(...)`.",
        )
    logs = history.history
    if "val_loss" not in logs:
        raise Incorrect(
            "si el entrenamiento usó datos de validación",
            "`historia.history` no tiene `val_loss`: no hubo validación",
            "las curvas de validación (`val_loss`, `val_accuracy`)",
            "Pasa `validation_data=(x_val, y_val)` a `fit`: sin validación, la parada temprana "
            "y el punto de control no tienen nada que vigilar.",
        )
    epochs = len(logs.get("loss", []))
    if epochs > max_epochs:
        raise Incorrect(
            "el número de épocas entrenadas",
            f"{epochs} épocas",
            f"como mucho {max_epochs}",
            f"Usa `epochs={max_epochs}` o menos: la tarea completa debe ejecutarse en un minuto.",
        )
    check_trained(model)
    text = _check_path(path)
    check_checkpoint(text, model)
    reloaded = keras.models.clone_model(model)
    reloaded.load_weights(text)
    same = all(
        np.allclose(np.asarray(a), np.asarray(b), rtol=0, atol=1e-6)
        for a, b in zip(model.get_weights(), reloaded.get_weights(), strict=True)
    )
    if not same:
        fix = (
            "Después de entrenar, recupera los mejores pesos con `modelo.load_weights(ruta_pesos)` "
            "(y vuelve a ejecutar el entrenamiento si el archivo es de una ejecución anterior)."
        )
        params = getattr(history, "params", None) or {}
        steps = params.get("steps") if isinstance(params, dict) else None
        if isinstance(steps, int) and int(model.optimizer.iterations.numpy()) > steps * epochs:
            fix = (
                "`modelo` ha seguido entrenando después de `historia = modelo.fit(...)`: carga "
                "los mejores pesos con `modelo.load_weights(ruta_pesos)` al final, después de "
                "todo el entrenamiento."
            )
        raise Incorrect(
            "si el modelo tiene los pesos del mejor punto de control",
            f"los pesos de `modelo` no coinciden con los guardados en '{text}'",
            "el modelo con los mejores pesos guardados",
            fix,
        )
    if best_restored:
        monitor = str(getattr(checkpoint, "monitor", "val_loss"))
        values = [float(v) for v in logs.get(monitor, [])]
        key = monitor[len("val_") :] if monitor.startswith("val_") else monitor
        if values:
            best = min(values) if "loss" in monitor else max(values)
            scores = model.evaluate(x_val, y_val, verbose=0, return_dict=True)
            now = scores.get(key)
            if now is not None and not math.isclose(float(now), best, rel_tol=2e-3, abs_tol=2e-4):
                raise Incorrect(
                    f"'{monitor}' del modelo final sobre los datos de validación",
                    fmt_number(float(now), 4),
                    f"{fmt_number(best, 4)}, el de la mejor época",
                    "Recarga los pesos guardados por el punto de control después de entrenar.",
                )
    return Correct(
        "el entrenamiento",
        f"{epochs} épocas con validación; '{text}' existe, se carga y el modelo tiene sus pesos",
        "entrenamiento con validación y los mejores pesos recuperados",
    )


ej4 = StagedExercise(
    "ej4",
    _check_training,
    graded=True,
    title="Ejercicio 4: entrenar y recuperar los mejores pesos",
    answer_names=["historia", "modelo", "ruta_pesos", "punto_control", "x_val", "y_val"],
    upstream="modelo",
    hint=[
        "`historia = modelo.fit(x_entreno, y_entreno, validation_data=(x_val, y_val), "
        "epochs=5, batch_size=128, callbacks=[...], verbose=0)`.",
        "Al terminar, `modelo.load_weights(ruta_pesos)` recupera los pesos de la mejor época.",
    ],
)


# --------------------------------------------------------------------------- #
# Ejercicio 5: test accuracy
# --------------------------------------------------------------------------- #
def _check_test_accuracy(
    model: Any,
    pred: Any,
    accuracy: Any,
    x_test: Any,
    y_test: Any,
    *,
    min_accuracy: float = 0.85,
    heldout: tuple[Any, Any] | None = None,
    agreement: bool = False,
) -> Correct:
    y_arr = np.asarray(y_test).reshape(-1).astype(np.int64)
    pred_arr = _class_predictions(pred, len(y_arr), N_CLASSES, "predicciones_test")
    measured = _prediction_accuracy(pred_arr, y_arr, min_accuracy, "predicciones_test")
    if isinstance(accuracy, (bool, np.bool_)) or not isinstance(
        accuracy, (int, float, np.integer, np.floating)
    ):
        raise Incorrect(
            "`exactitud_test`",
            f"un valor de tipo `{type(accuracy).__name__}`",
            "un número entre 0 y 1",
            "Calcula la exactitud como la proporción de aciertos: "
            "`float(np.mean(predicciones_test == y_prueba))`.",
        )
    if abs(float(accuracy) - measured) > 0.005:
        fix = "Calcula `exactitud_test` a partir de tus predicciones, no la escribas a mano."
        if abs(float(accuracy) / 100 - measured) <= 0.005:
            fix = (
                "`exactitud_test` está en porcentaje: se pide como proporción entre 0 y 1, sin "
                "multiplicar por 100."
            )
        raise Incorrect(
            "`exactitud_test`",
            fmt_number(float(accuracy), 4),
            f"{fmt_number(measured, 4)}, la proporción de aciertos de `predicciones_test`",
            fix,
        )
    _check_model_behind(
        model,
        x_test,
        pred_arr,
        "predicciones_test",
        agreement=agreement,
        heldout=heldout,
        min_heldout_accuracy=min_accuracy,
        heldout_what="la exactitud del modelo sobre las imágenes de prueba reservadas",
    )
    return Correct(
        "la exactitud en la parte de prueba",
        fmt_number(measured, 4),
        f"al menos {fmt_number(min_accuracy, 4)}",
        value=measured,
    )


ej5 = StagedExercise(
    "ej5",
    _check_test_accuracy,
    graded=True,
    title="Ejercicio 5: exactitud en la parte de prueba",
    answer_names=["modelo", "predicciones_test", "exactitud_test", "x_prueba_n", "y_prueba"],
    upstream="modelo",
    hint=[
        "`modelo.predict(x_prueba_n, verbose=0)` da 10 probabilidades por imagen; "
        "`.argmax(axis=1)` elige la clase.",
        "La exactitud es la proporción de aciertos: `np.mean(predicciones_test == y_prueba)`.",
    ],
)
