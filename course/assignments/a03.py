"""Visible checks of assignment a03 (Keras learns XOR).

Graded exercises: the notebook's visible test calls ``ejN.check(...)``; the
hidden test (only in ``source_assignments/``) calls the same exercise with
keyword extras: held-out data (``heldout=``: the student's training function
must also learn XNOR, which no hand-set XOR weights solve), stricter
thresholds (``max_loss=``) and the answer keys of the parameter counts
(``key=``). Keras is imported inside the checks only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from course.checks import (
    Correct,
    Exercise,
    Incorrect,
    check_accuracy,
    check_metrics,
    check_model,
    check_number,
    is_placeholder,
    not_attempted,
    student_exception,
)
from course.checks._codes import mistake

__all__ = ["XOR_X", "XOR_Y", "ej1", "ej2", "ej3", "ej4", "ej5", "skip_connection"]

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], dtype=np.float32)
XOR_Y = np.array([0, 1, 1, 0])

_SEQUENTIAL_SPEC: dict[str, Any] = {
    "input_shape": (2,),
    "layers": [("Dense", 4), ("Dense", 1)],
    "hidden_activation": "tanh",
    "output_activation": "sigmoid",
}


def _build(crear: Callable[[], Any], name: str) -> Any:
    """Call the student's model factory; a stub is NotAttempted, an error Incorrect."""
    import keras

    what = f"la función `{name}`"
    if is_placeholder(crear):
        raise not_attempted(what)
    if not callable(crear):
        raise Incorrect(
            f"que `{name}` sea una función",
            f"un valor de tipo `{type(crear).__name__}`",
            "una función definida con `def` que devuelva un modelo nuevo",
            f"Define `{name}()` con `def` y no reutilices ese nombre para otra cosa (por "
            f"ejemplo, `{name} = {name}()` lo cambia por un modelo): guarda el modelo en "
            "otra variable.",
        )
    try:
        model = crear()
    except NotImplementedError:
        raise not_attempted(what) from None
    except Exception as exc:
        raise student_exception(
            f"{what} al llamarla",
            exc,
            "que devuelva un modelo de Keras",
            "Ejecuta la función en una celda aparte y lee el error: revisa `keras.Input(shape=...)` "
            "y cómo encadenas las capas.",
        ) from None
    if model is None:
        raise Incorrect(
            what,
            f"{what} se ejecuta pero devuelve `None`: le falta el `return`",
            "que devuelva el modelo que construye",
            "Termina la función con `return modelo`.",
        )
    if not isinstance(model, keras.Model):
        raise Incorrect(
            what,
            f"devuelve un valor de tipo `{type(model).__name__}`",
            "un modelo de Keras (`keras.Sequential` o `keras.Model`)",
            "Termina la función con `return` seguido del modelo que has construido.",
        )
    return model


def _train_fresh(
    crear: Callable[[], Any],
    entrenar: Callable,
    x: np.ndarray,
    y: np.ndarray,
    label: str,
    name: str,
) -> Any:
    """Build a new model with the student's factory and train it with their function."""
    model = _build(crear, name)
    try:
        entrenar(model, x.copy(), y.copy())
    except NotImplementedError:
        raise not_attempted("la función `compilar_y_entrenar`") from None
    except Exception as exc:
        raise student_exception(
            f"`compilar_y_entrenar` con los datos {label}",
            exc,
            "que compile y entrene el modelo que recibe",
            "La función debe compilar y entrenar el modelo que recibe como argumento, con los "
            "datos que recibe, no con variables globales.",
        ) from None
    return model


def skip_connection(model: Any) -> bool:
    """Whether a Concatenate layer receives the model's input tensor directly."""
    if not getattr(model, "inputs", None):
        return False
    model_input = model.inputs[0]
    for layer in model.layers:
        if type(layer).__name__ != "Concatenate":
            continue
        incoming = layer.input if isinstance(layer.input, (list, tuple)) else [layer.input]
        if any(t is model_input for t in incoming):
            return True
    return False


# --------------------------------------------------------------------------- #
# Ejercicio 1: el modelo secuencial
# --------------------------------------------------------------------------- #
def _check_sequential(crear_modelo: Callable[[], Any]) -> Correct:
    import keras

    model = _build(crear_modelo, "crear_modelo")
    if not isinstance(model, keras.Sequential):
        raise Incorrect(
            "el tipo de modelo de `crear_modelo`",
            f"un `{type(model).__name__}`",
            "un `keras.Sequential`",
            "En este ejercicio construye el modelo con `keras.Sequential([...])`.",
        )
    result = check_model(model, params=17, **_SEQUENTIAL_SPEC)
    again = _build(crear_modelo, "crear_modelo")
    if again is model:
        raise Incorrect(
            "`crear_modelo` llamada dos veces",
            "devuelve el mismo objeto las dos veces",
            "un modelo nuevo (sin entrenar) en cada llamada",
            "Crea el modelo dentro de la función, no fuera de ella.",
        )
    return result


ej1 = Exercise(
    "ej1",
    _check_sequential,
    title="Ejercicio 1: el modelo secuencial",
    hint="`keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(4, activation=...), "
    "keras.layers.Dense(1, activation=...)])`.",
    graded=True,
)


# --------------------------------------------------------------------------- #
# Ejercicio 2: parámetros del modelo secuencial (respuesta calculada a mano)
# --------------------------------------------------------------------------- #
def _check_counts(
    values: Sequence[Any],
    names: Sequence[str],
    key: Sequence[int] | None,
    no_bias: Sequence[int],
    other: Sequence[dict[int, str]] | None = None,
) -> Correct:
    for value, name in zip(values, names, strict=True):
        check_number(value, None, what=f"`{name}`")
        number = float(value)
        if not number.is_integer() or number < 0:
            raise Incorrect(
                f"`{name}`",
                f"{number:g}",
                "un número entero de parámetros, mayor o igual que 0",
                "Cuenta pesos y sesgos: cada uno es un parámetro entero.",
            )
    if key is None:
        return Correct(
            "el formato de tus respuestas",
            ", ".join(f"{n} = {int(float(v))}" for n, v in zip(names, values, strict=True)),
            "números enteros; si son correctos se comprueba al calificar",
        )
    extra = list(other or [{} for _ in values])
    for value, name, right, wrong, known in zip(values, names, key, no_bias, extra, strict=True):
        check_number(
            int(float(value)),
            int(right),
            what=f"`{name}`",
            mistakes={
                int(wrong): mistake(
                    "sin_sesgos",
                    "cuenta solo los pesos, sin sesgos",
                    "Parece que has contado solo los pesos: cada neurona tiene además "
                    "un sesgo (un parámetro más por neurona).",
                ),
                **known,
            },
        )
    return Correct("los números de parámetros", "todos correctos", "los de la fórmula")


def _check_sequential_counts(
    n_parametros_oculta: Any,
    n_parametros_salida: Any,
    n_parametros_total: Any,
    *,
    key: Sequence[int] | None = None,
) -> Correct:
    values = (n_parametros_oculta, n_parametros_salida, n_parametros_total)
    names = ("n_parametros_oculta", "n_parametros_salida", "n_parametros_total")
    return _check_counts(values, names, key, no_bias=(8, 4, 12))


ej2 = Exercise(
    "ej2",
    _check_sequential_counts,
    title="Ejercicio 2: parámetros del modelo secuencial",
    hint="Una capa Dense con n entradas y m neuronas tiene n·m pesos y m sesgos.",
    graded=True,
)


# --------------------------------------------------------------------------- #
# Ejercicio 3: compilar y entrenar
# --------------------------------------------------------------------------- #
def _check_training(
    modelo: Any,
    historia: Any,
    crear_modelo: Callable[[], Any],
    compilar_y_entrenar: Callable,
    *,
    heldout: Sequence[tuple[str, np.ndarray, np.ndarray]] = (),
    max_loss: float | None = None,
    min_epochs: int | None = None,
) -> Correct:
    import keras

    if not isinstance(modelo, keras.Model):
        raise Incorrect(
            "`modelo`",
            f"un valor de tipo `{type(modelo).__name__}`",
            "el modelo devuelto por `crear_modelo()`",
            "Asigna `modelo = crear_modelo()` antes de entrenarlo.",
        )
    trained = getattr(historia, "model", None)
    if isinstance(trained, keras.Model) and trained is not modelo:
        raise Incorrect(
            "`historia` y `modelo`",
            "`historia` es el entrenamiento de otro modelo, no del que guardas en `modelo`",
            "el entrenamiento del mismo modelo",
            "Entrena el modelo de la variable: `modelo = crear_modelo()` y después "
            "`historia = compilar_y_entrenar(modelo, X_xor, y_xor)`.",
        )
    result = check_model(
        modelo,
        **_SEQUENTIAL_SPEC,
        compiled=True,
        loss="binary_crossentropy",
        trained=True,
        x=XOR_X,
        y=XOR_Y,
        min_accuracy=1.0,
    )
    logs = None if isinstance(historia, keras.Model) else getattr(historia, "history", None)
    losses = logs.get("loss") if isinstance(logs, dict) else None
    if not losses:
        raise Incorrect(
            "`historia`",
            "`None`: `compilar_y_entrenar` no devuelve nada"
            if historia is _NO_HISTORY
            else f"un valor de tipo `{type(historia).__name__}`",
            "el objeto History que devuelve `modelo.fit(...)`",
            "Haz que `compilar_y_entrenar` termine con `return modelo.fit(...)`.",
        )
    if min_epochs is not None and len(losses) < min_epochs:
        raise Incorrect(
            "el entrenamiento registrado en `historia`",
            f"{len(losses)} época(s)",
            f"al menos {min_epochs} épocas de entrenamiento con `compilar_y_entrenar`",
            "Entrena durante 100 épocas en `compilar_y_entrenar` (`epochs=100`), como pide "
            "el enunciado.",
        )
    if max_loss is not None and float(losses[-1]) > max_loss:
        raise Incorrect(
            "la pérdida al final del entrenamiento",
            f"{float(losses[-1]):.4f}",
            f"como mucho {max_loss:g}",
            "Entrena más épocas o sube la tasa de aprendizaje (por ejemplo Adam con 0.1).",
        )
    for label, x, y in heldout:
        fresh = _train_fresh(crear_modelo, compilar_y_entrenar, x, y, label, "crear_modelo")
        try:
            check_accuracy(
                fresh,
                x,
                y,
                1.0,
                what=f"la exactitud de un modelo nuevo entrenado con tu función sobre los datos "
                f"{label}",
            )
        except Incorrect as failure:
            learned_xor = check_accuracy(fresh, XOR_X, XOR_Y, 0.0).value == 1.0
            if learned_xor and not np.array_equal(np.asarray(y).reshape(-1), XOR_Y):
                failure.fix = (
                    "El modelo nuevo ha aprendido XOR aunque tu función recibió otras etiquetas: "
                    "`compilar_y_entrenar` debe entrenar con sus argumentos `X` e `y`, no con "
                    "variables globales como `X_xor` e `y_xor`."
                )
                failure.args = (failure.message(),)
            raise
    # The statement fixes the metric too (``metrics=["accuracy"]``): checked last, so a
    # model that does not learn is told that first.
    check_metrics(modelo, required=["accuracy"], y=XOR_Y)
    return result


class _TrainingExercise(Exercise):
    """Real work whose trainer returns nothing (``historia`` is ``None``) is Incorrect.

    ``historia = None`` is also the untouched placeholder; with a trained
    ``modelo`` and a written ``compilar_y_entrenar`` it is the missing
    ``return`` of the trainer, which the check must name.
    """

    def evaluate(self, *answer: Any, **hidden: Any) -> Any:
        if (
            len(answer) == 4
            and answer[1] is None
            and not is_placeholder(answer[0])
            and not is_placeholder(answer[3])
        ):
            answer = (answer[0], _NO_HISTORY, *answer[2:])
        return super().evaluate(*answer, **hidden)


#: Stands for ``historia = None`` returned by a trainer without ``return``.
_NO_HISTORY = object()


ej3 = _TrainingExercise(
    "ej3",
    _check_training,
    title="Ejercicio 3: compilar y entrenar",
    hint="Para XOR con 4 ejemplos: Adam con `learning_rate=0.1`, pérdida "
    "`binary_crossentropy` y 100 épocas con `verbose=0`.",
    graded=True,
)


# --------------------------------------------------------------------------- #
# Ejercicio 4: modelo funcional con conexión directa entrada → salida
# --------------------------------------------------------------------------- #
def _check_functional(
    crear_modelo_funcional: Callable[[], Any],
    modelo_funcional: Any,
    compilar_y_entrenar: Callable,
    *,
    max_loss: float | None = None,
) -> Correct:
    import keras

    model = _build(crear_modelo_funcional, "crear_modelo_funcional")
    if isinstance(model, keras.Sequential):
        raise Incorrect(
            "el tipo de modelo de `crear_modelo_funcional`",
            "un `keras.Sequential`",
            "un modelo funcional `keras.Model(inputs, outputs)`",
            "Un modelo secuencial no puede tener conexiones directas: usa la API funcional.",
        )
    if not skip_connection(model):
        raise Incorrect(
            "la conexión directa entrada → salida",
            "ninguna capa `Concatenate` recibe directamente la entrada del modelo",
            "`keras.layers.Concatenate()([entradas, oculta])` antes de la capa de salida",
            "Une la entrada original con la salida de la capa oculta y conecta el resultado "
            "a la neurona de salida.",
        )
    check_model(
        model,
        input_shape=(2,),
        hidden_activation="tanh",
        output_activation="sigmoid",
        params=11,
    )
    hidden = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    if len(hidden) != 2 or hidden[0].units != 2:
        raise Incorrect(
            "las capas Dense del modelo funcional",
            f"unidades {[layer.units for layer in hidden]}",
            "una capa oculta de 2 neuronas y una de salida de 1",
            "Usa `Dense(2, activation='tanh')` para la capa oculta.",
        )
    if not isinstance(modelo_funcional, keras.Model) or not skip_connection(modelo_funcional):
        raise Incorrect(
            "`modelo_funcional`",
            "un modelo sin la conexión directa"
            if isinstance(modelo_funcional, keras.Model)
            else f"un valor de tipo `{type(modelo_funcional).__name__}`",
            "el modelo devuelto por `crear_modelo_funcional()`, ya entrenado",
            "Asigna `modelo_funcional = crear_modelo_funcional()` y entrénalo con "
            "`compilar_y_entrenar`.",
        )
    result = check_model(
        modelo_funcional,
        compiled=True,
        loss="binary_crossentropy",
        trained=True,
        x=XOR_X,
        y=XOR_Y,
        min_accuracy=1.0,
    )
    if max_loss is not None:
        p = np.clip(modelo_funcional.predict(XOR_X, verbose=0).reshape(-1), 1e-7, 1 - 1e-7)
        loss = float(-np.mean(XOR_Y * np.log(p) + (1 - XOR_Y) * np.log(1 - p)))
        if loss > max_loss:
            raise Incorrect(
                "la pérdida (entropía cruzada binaria) del modelo funcional sobre XOR",
                f"{loss:.4f}",
                f"como mucho {max_loss:g}",
                "Entrena el modelo con `compilar_y_entrenar` hasta que la pérdida sea pequeña; "
                "no fijes los pesos a mano.",
            )
    return result


ej4 = Exercise(
    "ej4",
    _check_functional,
    title="Ejercicio 4: modelo funcional con conexión directa",
    hint="`entradas = keras.Input(shape=(2,))`, `oculta = Dense(2, ...)(entradas)`, "
    "`unidas = keras.layers.Concatenate()([entradas, oculta])`, salida = Dense(1, ...)(unidas).",
    graded=True,
)


# --------------------------------------------------------------------------- #
# Ejercicio 5: parámetros del modelo funcional
# --------------------------------------------------------------------------- #
def _check_functional_counts(
    n_parametros_oculta_funcional: Any,
    n_parametros_salida_funcional: Any,
    *,
    key: Sequence[int] | None = None,
) -> Correct:
    values = (n_parametros_oculta_funcional, n_parametros_salida_funcional)
    names = ("n_parametros_oculta_funcional", "n_parametros_salida_funcional")
    skip = {
        3: "La neurona de salida recibe 4 entradas: las 2 originales (por la conexión directa) "
        "y las 2 de la capa oculta; cuenta (4 + 1) × 1."
    }
    return _check_counts(values, names, key, no_bias=(4, 4), other=[{}, skip])


ej5 = Exercise(
    "ej5",
    _check_functional_counts,
    title="Ejercicio 5: parámetros del modelo funcional",
    hint="La neurona de salida recibe las 2 entradas originales y las 2 salidas de la "
    "capa oculta: ¿cuántas entradas tiene en total?",
    graded=True,
)
