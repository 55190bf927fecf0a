"""Practice exercises of notebook 06 (callbacks and good training practice).

In the notebook::

    from course.practice import nb06 as practica
    practica.ej1.check(mis_callbacks)
"""

from __future__ import annotations

from typing import Any

from course.checks import (
    ChoiceExercise,
    Correct,
    Exercise,
    Incorrect,
    check_callbacks,
    check_number,
    fmt_number,
)
from course.practice._quiz import Question, SelfAssessment

__all__ = [
    "EXERCISES",
    "L2_OPTIONS",
    "OVERFITTING_OPTIONS",
    "VAL_LOSSES",
    "autoevaluacion",
    "ej1",
    "ej2",
    "ej3",
    "ej4",
    "experimento",
]


def _check_two_callbacks(callbacks: Any) -> Correct:
    """EarlyStopping and ModelCheckpoint both watching val_loss, as the statement asks."""
    return check_callbacks(
        callbacks,
        early_stopping=True,
        checkpoint=True,
        monitor="val_loss",
        patience=5,
        restore_best_weights=True,
        save_best_only=True,
    )


ej1 = Exercise(
    "ej1",
    check=_check_two_callbacks,
    title="Ejercicio 1: configurar EarlyStopping y ModelCheckpoint",
    hint=[
        "Crea los dos objetos de `keras.callbacks` y ponlos en una lista: "
        "`mis_callbacks = [parada, guardado]`.",
        '`EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)` y '
        '`ModelCheckpoint("mejor.weights.h5", monitor="val_loss", save_best_only=True, '
        "save_weights_only=True)`: en Keras 3 un archivo de pesos termina en `.weights.h5`.",
    ],
    solution="""import keras

parada = keras.callbacks.EarlyStopping(
    monitor="val_loss", patience=5, restore_best_weights=True
)
guardado = keras.callbacks.ModelCheckpoint(
    "mejor.weights.h5",
    monitor="val_loss",
    save_best_only=True,
    save_weights_only=True,
)
mis_callbacks = [parada, guardado]
""",
)

#: Validation losses of the exercise 2 statement, one per epoch (epoch 1 first).
VAL_LOSSES = (0.69, 0.52, 0.41, 0.38, 0.40, 0.39, 0.42, 0.45, 0.47, 0.50)


def _check_epochs(best_epoch: Any, stop_epoch: Any) -> Correct:
    """Best epoch (1-based argmin) and the epoch after which patience=3 stops training."""
    check_number(
        best_epoch,
        4,
        what="la mejor época (`mejor_epoca`)",
        mistakes={
            3: "Las épocas se cuentan desde 1: la pérdida mínima (0.38) es la cuarta de la lista.",
            0.38: "Se pide el número de la época, no el valor de la pérdida.",
            6: "0.39 no mejora el mínimo anterior (0.38): la mejor época sigue siendo la 4.",
        },
    )
    check_number(
        stop_epoch,
        7,
        what="la época en la que se detiene el entrenamiento (`epoca_parada`)",
        mistakes={
            10: "Con `patience=3` no se llega al final: se detiene tras 3 épocas seguidas sin "
            "mejorar el mínimo.",
            6: "La época 6 (0.39) tampoco mejora el mínimo 0.38: cuenta 5, 6 y 7 como las tres "
            "épocas sin mejora.",
            5: "Tras la mejor época hay que esperar `patience` épocas sin mejora: 4 + 3 = 7.",
            8: "La paciencia se agota al terminar la tercera época sin mejora, la 7: ahí se para.",
        },
    )
    return Correct(
        "la mejor época y la época de parada",
        f"mejor_epoca = {fmt_number(best_epoch)}, epoca_parada = {fmt_number(stop_epoch)}",
        "los valores correctos",
    )


ej2 = Exercise(
    "ej2",
    check=_check_epochs,
    title="Ejercicio 2: leer una curva de validación",
    hint=[
        "La mejor época es la de menor pérdida de validación; las épocas se numeran desde 1.",
        "`EarlyStopping` cuenta las épocas seguidas sin mejorar el mínimo (con "
        "`min_delta=0`, igualar o quedarse cerca no es mejorar). Cuando la cuenta llega a "
        "`patience`, el entrenamiento se detiene al final de esa época.",
    ],
    solution="""perdidas_val = [0.69, 0.52, 0.41, 0.38, 0.40, 0.39, 0.42, 0.45, 0.47, 0.50]
mejor_epoca = perdidas_val.index(min(perdidas_val)) + 1  # 4 (pérdida 0.38)
epoca_parada = mejor_epoca + 3  # épocas 5, 6 y 7 sin mejora -> se detiene tras la 7
""",
)

OVERFITTING_OPTIONS = (
    "añadir Dropout",
    "añadir regularización L2",
    "parar antes con EarlyStopping",
    "entrenar muchas más épocas",
)

ej3 = ChoiceExercise(
    "ej3",
    options=OVERFITTING_OPTIONS,
    expected="entrenar muchas más épocas",
    what="la opción que no ayuda contra el sobreajuste",
    mistakes={
        "añadir Dropout": "Dropout apaga neuronas al azar al entrenar: la red no puede "
        "depender de unas pocas, y eso reduce el sobreajuste.",
        "añadir regularización L2": "L2 penaliza los pesos grandes y lleva a fronteras más "
        "suaves: sí ayuda contra el sobreajuste.",
        "parar antes con EarlyStopping": "Parar cuando la validación deja de mejorar evita "
        "justo las épocas en las que el modelo memoriza.",
    },
    title="Ejercicio 3: ¿qué no ayuda contra el sobreajuste?",
    hint=[
        "Recuerda las curvas de la sección 1: ¿qué pasaba con la pérdida de validación al "
        "seguir entrenando?",
    ],
    solution="""respuesta = "entrenar muchas más épocas"
# Seguir entrenando un modelo que ya sobreajusta hace que memorice aún más el
# entrenamiento: la pérdida de validación sigue subiendo.
""",
)


def _check_careful_layer(layer: Any) -> Correct:
    """A Dense(32, relu) with He-normal initializer, L2(1e-3) regularizer and MaxNorm(3)."""
    import keras

    what = "`capa_cuidada`"
    if not isinstance(layer, keras.layers.Dense):
        raise Incorrect(
            what,
            f"un valor de tipo `{type(layer).__name__}`",
            "una capa `keras.layers.Dense`",
            'Crea la capa con `keras.layers.Dense(32, activation="relu", ...)`.',
        )
    activation = getattr(layer.activation, "__name__", "")
    if layer.units != 32 or activation != "relu":
        raise Incorrect(
            f"las neuronas y la activación de {what}",
            f"{layer.units} neuronas, activación {activation}",
            "32 neuronas con ReLU",
            'Empieza por `keras.layers.Dense(32, activation="relu", ...)`.',
        )
    if not isinstance(layer.kernel_initializer, keras.initializers.HeNormal):
        raise Incorrect(
            f"el inicializador de los pesos de {what}",
            type(layer.kernel_initializer).__name__,
            "HeNormal, el pensado para ReLU",
            'Añade `kernel_initializer="he_normal"`.',
        )
    regularizer = layer.kernel_regularizer
    l2 = float(getattr(regularizer, "l2", 0.0) or 0.0)
    l1 = float(getattr(regularizer, "l1", 0.0) or 0.0)
    if regularizer is None or abs(l2 - 1e-3) > 1e-9 or l1 != 0.0:
        found = (
            "ninguno"
            if regularizer is None
            else f"{type(regularizer).__name__} (l1={l1:g}, l2={l2:g})"
        )
        raise Incorrect(
            f"el regularizador de los pesos de {what}",
            found,
            "una penalización L2 de 0.001",
            "Añade `kernel_regularizer=keras.regularizers.L2(0.001)`.",
        )
    constraint = layer.kernel_constraint
    if not isinstance(constraint, keras.constraints.MaxNorm) or float(constraint.max_value) != 3.0:
        if constraint is None:
            found = "ninguna"
        elif isinstance(constraint, keras.constraints.MaxNorm):
            found = f"MaxNorm con máximo {float(constraint.max_value):g}"
        else:
            found = type(constraint).__name__
        raise Incorrect(
            f"la restricción de los pesos de {what}",
            found,
            "MaxNorm con máximo 3 (la norma de los pesos de cada neurona no pasa de 3)",
            "Añade `kernel_constraint=keras.constraints.MaxNorm(3)`.",
        )
    return Correct(
        f"la configuración de {what}",
        "HeNormal, L2(0.001) y MaxNorm(3)",
        "inicializador, regularizador y restricción de los pesos",
    )


ej4 = Exercise(
    "ej4",
    check=_check_careful_layer,
    title="Ejercicio 4: inicializador, regularizador y restricción",
    hint=[
        "Los tres van en los argumentos de la capa: `kernel_initializer`, "
        "`kernel_regularizer` y `kernel_constraint`.",
        '`keras.layers.Dense(32, activation="relu", kernel_initializer="he_normal", '
        "kernel_regularizer=keras.regularizers.L2(0.001), "
        "kernel_constraint=keras.constraints.MaxNorm(3))`.",
    ],
    solution="""import keras

capa_cuidada = keras.layers.Dense(
    32,
    activation="relu",
    kernel_initializer="he_normal",  # pensado para ReLU
    kernel_regularizer=keras.regularizers.L2(0.001),  # penaliza los pesos grandes
    kernel_constraint=keras.constraints.MaxNorm(3),  # norma de cada neurona <= 3
)
""",
)


#: Options of the playground experiment of notebook 06 (the two networks compared).
L2_OPTIONS = ("sin regularización", "con L2")

experimento = ChoiceExercise(
    "experimento",
    options=L2_OPTIONS,
    expected="con L2",
    what="la red con menor pérdida de prueba al final del experimento",
    mistakes={
        "sin regularización": "La red sin regularización tiene la menor pérdida de "
        "entrenamiento, pero se pide la de prueba: en los puntos que no ha visto lo hace peor, "
        "porque ha memorizado el ruido.",
    },
    title="Experimento: sobreajuste y L2 en el playground",
    hint=[
        "Compara la columna de la pérdida de prueba, no la de entrenamiento.",
        "L2 hace caros los pesos grandes; la frontera queda más suave y generaliza mejor.",
    ],
    solution="""menor_perdida_prueba = "con L2"
# Sin regularización la pérdida de entrenamiento llega casi a 0 pero la de prueba sube
# (sobreajuste); con L2 la de entrenamiento queda más alta y la de prueba más baja.
""",
)


#: (exercise, names of the variables its solution defines and its check takes)
EXERCISES: list[tuple[Exercise, tuple[str, ...]]] = [
    (ej1, ("mis_callbacks",)),
    (ej2, ("mejor_epoca", "epoca_parada")),
    (ej3, ("respuesta",)),
    (ej4, ("capa_cuidada",)),
    (experimento, ("menor_perdida_prueba",)),
]


#: The self-assessment quiz that closes the notebook (apart from EXERCISES).
autoevaluacion = SelfAssessment(
    [
        Question(
            {"a": "3", "b": "10", "c": "13", "d": "200"},
            "c",
            "Espera `patience` épocas sin mejora después de la mejor.",
        ),
        Question(
            {"a": "0", "b": "1", "c": "el valor de `patience`", "d": "el número de lotes"},
            "a",
            "Compara la tabla del CSV con la «época (desde 1)» que añadimos.",
        ),
        Question(
            {"a": "`.h5`", "b": "`.keras`", "c": "`.weights.h5`", "d": "`.ckpt`"},
            "c",
            "Con `save_weights_only=True` Keras 3 exige una terminación concreta.",
        ),
    ],
    title="Autoevaluación del cuaderno 06",
)
