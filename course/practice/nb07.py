"""Practice exercises of notebook 07 (practical cases: Iris, shipping delays, Fashion-MNIST).

In the notebook::

    from course.practice import nb07 as practica
    practica.ej1.check(modelo_fashion)
    practica.ej2.check(neuronas_salida, activacion_salida, perdida)
    practica.ej3.check(escalar)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from course.checks import (
    Correct,
    Exercise,
    Incorrect,
    ModelExercise,
    fmt_array,
    student_exception,
)
from course.practice._quiz import Question, SelfAssessment

__all__ = ["EXERCISES", "ej1", "ej2", "ej3", "ej4", "autoevaluacion"]

# --------------------------------------------------------------------------- #
# Exercise 1: a Fashion-MNIST MLP, checked through course.checks model checks
# --------------------------------------------------------------------------- #
#: Flatten(28×28) → Dense(64) → Dense(10): (784 + 1)·64 + (64 + 1)·10 parameters.
_EJ1_PARAMS = (28 * 28 + 1) * 64 + (64 + 1) * 10

ej1 = ModelExercise(
    "ej1",
    {
        "input_shape": (28, 28),
        "layers": ["Flatten", "Dense", "Dense"],
        "units": [64, 10],
        "task": "multiclass",
        "n_classes": 10,
        "hidden_activation": "relu",
        "output_activation": "softmax",
        "params": _EJ1_PARAMS,
        "loss": "sparse_categorical_crossentropy",
        # integer labels, as load_fashion_mnist() returns them
        "y": np.arange(10, dtype=np.uint8),
        "optimizer": "adam",
    },
    title="Ejercicio 1: un MLP más pequeño para Fashion-MNIST",
    hint=[
        "Empieza por `keras.Input(shape=(28, 28))` y una capa `Flatten`; después dos capas "
        "`Dense`: la oculta con 64 neuronas ReLU y la de salida con una neurona por clase.",
        "Las etiquetas de Fashion-MNIST son enteros 0-9: compila con `optimizer='adam'` y "
        "`loss='sparse_categorical_crossentropy'`. El modelo tiene "
        "(784 + 1)·64 + (64 + 1)·10 parámetros.",
    ],
    solution="""import keras

modelo_fashion = keras.Sequential(
    [
        keras.Input(shape=(28, 28)),
        keras.layers.Flatten(),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ]
)
modelo_fashion.compile(
    optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]
)
# (784 + 1) * 64 + (64 + 1) * 10 = 50 240 + 650 = 50 890 parámetros
""",
)

# --------------------------------------------------------------------------- #
# Exercise 2: choose the output layer and the loss for a case
# --------------------------------------------------------------------------- #
_LOSS_ALIASES = {
    # key: the name in lower case without underscores (strings, functions or objects)
    "sparsecategoricalcrossentropy": "sparse_categorical_crossentropy",
    "categoricalcrossentropy": "categorical_crossentropy",
    "binarycrossentropy": "binary_crossentropy",
    "mse": "mean_squared_error",
    "meansquarederror": "mean_squared_error",
    "mae": "mean_absolute_error",
    "meanabsoluteerror": "mean_absolute_error",
}
_EJ2_CASE = (
    "la importancia del producto (`Product_importance`: 0 = low, 1 = medium, 2 = high, "
    "etiquetas enteras)"
)


def _as_name(value: Any) -> str:
    """A loss or activation given as a string, a Keras function or a Keras object."""
    if isinstance(value, str):
        text = value
    else:
        text = getattr(value, "name", None) or getattr(value, "__name__", None)
        text = text or type(value).__name__
    return str(text).strip().lower().replace("-", "_").replace(" ", "_")


def _check_output_and_loss(units: Any, activation: Any, loss: Any) -> Correct:
    """Three classes with integer labels → 3 softmax units + sparse categorical CE."""
    what = f"la capa de salida y la pérdida para predecir {_EJ2_CASE}"
    try:
        n_units = int(units)
    except (TypeError, ValueError):
        raise Incorrect(
            f"`neuronas_salida` en {what}",
            f"{units!r}",
            "un número entero de neuronas",
            "Escribe un entero, por ejemplo `neuronas_salida = 1`.",
        ) from None
    if isinstance(units, float) and not float(units).is_integer():
        raise Incorrect(
            f"`neuronas_salida` en {what}",
            f"{units!r}",
            "un número entero de neuronas",
            "Una capa tiene un número entero de neuronas.",
        )
    act = _as_name(activation)
    loss_name = _LOSS_ALIASES.get(_as_name(loss).replace("_", ""), _as_name(loss))
    found = (
        f"neuronas_salida = {n_units}, activacion_salida = {activation!r}, perdida = {loss_name!r}"
    )
    expected = "3 neuronas con softmax y la entropía cruzada categórica dispersa"
    if n_units != 3:
        fix = (
            "Hay tres clases posibles: en clasificación multiclase la salida tiene una "
            "neurona por clase."
        )
        if n_units == 1:
            fix += " Una sola neurona sirve para clasificación binaria o regresión, no para tres clases."
        raise Incorrect(f"el número de neuronas de salida para {_EJ2_CASE}", found, expected, fix)
    if act != "softmax":
        fix = "Con varias clases excluyentes la salida debe repartir una probabilidad que sume 1."
        if act == "sigmoid":
            fix += (
                " La sigmoide trata cada neurona como un sí/no independiente: las tres "
                "probabilidades no sumarían 1."
            )
        raise Incorrect(f"la activación de salida para {_EJ2_CASE}", found, expected, fix)
    if loss_name == "sparse_categorical_crossentropy":
        return Correct(what, found, expected)
    if loss_name == "categorical_crossentropy":
        fix = (
            "La entropía cruzada categórica espera etiquetas one-hot (`[0, 0, 1]`); aquí las "
            "etiquetas son enteros 0, 1, 2. Usa su versión *dispersa* o convierte las etiquetas "
            "con `keras.utils.to_categorical`."
        )
    elif loss_name == "binary_crossentropy":
        fix = (
            "La entropía cruzada binaria es para una única probabilidad sí/no; con tres clases "
            "y softmax necesitas una entropía cruzada categórica."
        )
    elif loss_name in ("mean_squared_error", "mean_absolute_error"):
        fix = "MSE y MAE son pérdidas de regresión; este es un problema de clasificación."
    else:
        fix = "Elige una de las pérdidas de clasificación multiclase que has visto en la lección."
    raise Incorrect(f"la función de pérdida para {_EJ2_CASE}", found, expected, fix)


ej2 = Exercise(
    "ej2",
    check=_check_output_and_loss,
    title="Ejercicio 2: salida y pérdida para un caso nuevo",
    hint=[
        "Cuenta las clases: ¿es un problema binario, multiclase o de regresión?",
        "Multiclase → una neurona por clase y softmax. Para la pérdida mira el formato de las "
        "etiquetas: ¿son enteros o vectores one-hot?",
    ],
    solution="""neuronas_salida = 3
activacion_salida = "softmax"
perdida = "sparse_categorical_crossentropy"  # etiquetas enteras 0, 1, 2
""",
)

# --------------------------------------------------------------------------- #
# Exercise 3: standardise without leaking the test set
# --------------------------------------------------------------------------- #


def _ej3_data() -> tuple[np.ndarray, np.ndarray]:
    """A training and a test table whose statistics differ on purpose."""
    rng = np.random.default_rng(7)
    x_train = rng.normal(loc=[10.0, -3.0, 200.0], scale=[2.0, 0.5, 40.0], size=(40, 3))
    x_test = rng.normal(loc=[13.0, -2.0, 150.0], scale=[3.0, 1.0, 20.0], size=(15, 3))
    return x_train, x_test


def _standardise(x: np.ndarray, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    return (x - mean) / std


def _check_scaler(escalar: Callable[..., Any]) -> Correct:
    """``escalar(x_train, x_test)`` returns both parts standardised with train statistics."""
    what = "la función `escalar(x_train, x_test)` sobre dos tablas de prueba"
    if not callable(escalar):
        raise Incorrect(
            what,
            f"un objeto de tipo `{type(escalar).__name__}`",
            "una función",
            "Define la función con `def escalar(x_train, x_test):` y devuelve las dos tablas.",
        )
    x_train, x_test = _ej3_data()
    try:
        result = escalar(x_train.copy(), x_test.copy())
    except NotImplementedError:
        raise
    except Exception as exc:
        raise student_exception(
            what,
            exc,
            "dos arrays escalados",
            "Ejecuta tu función con dos arrays pequeños y lee el error.",
        ) from None
    if not (isinstance(result, tuple | list) and len(result) == 2):
        raise Incorrect(
            what,
            f"devuelve {type(result).__name__}",
            "una pareja `(x_train_escalado, x_test_escalado)`",
            "Termina con `return x_train_escalado, x_test_escalado`.",
        )
    got_train, got_test = (np.asarray(part, dtype=float) for part in result)
    if got_train.shape != x_train.shape or got_test.shape != x_test.shape:
        raise Incorrect(
            what,
            f"formas {got_train.shape} y {got_test.shape}",
            f"formas {x_train.shape} y {x_test.shape}",
            "Escala cada tabla entera, sin quitar ni añadir filas o columnas.",
        )
    mean, std = x_train.mean(axis=0), x_train.std(axis=0)
    want_train = _standardise(x_train, mean, std)
    want_test = _standardise(x_test, mean, std)
    if np.allclose(got_train, want_train, atol=1e-6) and np.allclose(
        got_test, want_test, atol=1e-6
    ):
        return Correct(
            what,
            "las dos tablas escaladas con la media y la desviación del entrenamiento",
            "media y desviación calculadas solo con x_train",
        )
    both = np.vstack([x_train, x_test])
    leaked_all = _standardise(x_test, both.mean(axis=0), both.std(axis=0))
    leaked_own = _standardise(x_test, x_test.mean(axis=0), x_test.std(axis=0))
    if not np.allclose(got_train, want_train, atol=1e-6):
        low, high = x_train.min(axis=0), x_train.max(axis=0)
        known = (
            (
                _standardise(x_train, both.mean(0), both.std(0)),
                "Has calculado la media y la desviación con entrenamiento y prueba juntos: eso "
                "filtra información del conjunto de prueba. Usa solo `x_train`.",
            ),
            (
                _standardise(x_train, mean, x_train.std(axis=0, ddof=1)),
                "Divides por la desviación muestral (`ddof=1`); `StandardScaler` usa la de "
                "población, `x_train.std(axis=0)` con `ddof=0`.",
            ),
            (
                x_train - mean,
                "Solo restas la media: falta dividir por la desviación típica de cada columna.",
            ),
            (
                (x_train - x_train.mean()) / x_train.std(),
                "Calculas una sola media y una sola desviación para toda la tabla: se estandariza "
                "cada columna por separado, con `axis=0`.",
            ),
            (
                (x_train - low) / (high - low),
                "Escalas con el mínimo y el máximo (como `MinMaxScaler`): aquí se pide "
                "estandarizar, restando la media y dividiendo por la desviación.",
            ),
        )
        fix = next(
            (message for wrong, message in known if np.allclose(got_train, wrong, atol=1e-6)),
            "Ajusta el escalador con `x_train` y transforma `x_train` con él.",
        )
        raise Incorrect(
            f"el entrenamiento escalado de {what}",
            f"medias por columna {fmt_array(got_train.mean(axis=0))} y desviaciones "
            f"{fmt_array(got_train.std(axis=0))}",
            "media 0 y desviación 1 en cada columna del entrenamiento",
            fix,
        )
    if np.allclose(got_test, leaked_own, atol=1e-6):
        fix = (
            "Has vuelto a ajustar el escalador con `x_test` (fuga de datos): usa `transform`, "
            "no `fit_transform`, con el conjunto de prueba."
        )
    elif np.allclose(got_test, leaked_all, atol=1e-6):
        fix = (
            "Has calculado la media y la desviación con entrenamiento y prueba juntos (fuga de "
            "datos): usa solo las de `x_train`."
        )
    elif np.allclose(got_test, x_test, atol=1e-6):
        fix = (
            "Devuelves `x_test` sin transformar: aplícale la misma media y desviación del "
            "entrenamiento."
        )
    else:
        fix = (
            "Transforma `x_test` con el mismo escalador (la misma media y desviación) de `x_train`."
        )
    raise Incorrect(
        f"la prueba escalada de {what}",
        f"medias por columna {fmt_array(got_test.mean(axis=0))}",
        f"medias {fmt_array(want_test.mean(axis=0))}: no tienen por qué ser 0",
        fix,
    )


ej3 = Exercise(
    "ej3",
    check=_check_scaler,
    title="Ejercicio 3: escalar sin fuga de datos",
    hint=[
        "Usa `StandardScaler` de `sklearn.preprocessing`: `fit` (o `fit_transform`) solo con "
        "el entrenamiento.",
        "Con el conjunto de prueba solo `transform`: la media y la desviación deben ser las "
        "del entrenamiento.",
    ],
    solution="""from sklearn.preprocessing import StandardScaler


def escalar(x_train, x_test):
    \"\"\"Estandariza x_train y x_test con la media y la desviación de x_train.\"\"\"
    escalador = StandardScaler().fit(x_train)
    return escalador.transform(x_train), escalador.transform(x_test)
""",
)


def _target_curve(x: np.ndarray) -> np.ndarray:
    """The function of the universal-approximation demo: sin(2x) + 0.3 x."""
    return np.sin(2 * x) + 0.3 * x


def _check_approximator(model: Any, *, max_mse: float = 0.05) -> Correct:
    """One hidden layer, a linear output, and an MSE <= max_mse on a fine grid of [-3, 3]."""
    import keras

    what = "`red_aproximadora`"
    if not isinstance(model, keras.Model):
        raise Incorrect(
            what,
            f"un valor de tipo `{type(model).__name__}`",
            "un modelo de Keras ya entrenado",
            "Crea el modelo con `keras.Sequential([...])` y entrénalo con `fit`.",
        )
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    if len(dense) != 2 or dense[1].units != 1 or model.inputs[0].shape[-1] != 1:
        raise Incorrect(
            f"la arquitectura de {what}",
            f"entrada {tuple(model.inputs[0].shape)}, capas Dense de "
            f"{[layer.units for layer in dense]} neuronas",
            "una entrada de 1 valor, **una** capa oculta y una neurona de salida",
            'El teorema habla de una sola capa oculta: `Dense(H, activation="tanh")` y `Dense(1)`.',
        )
    if getattr(dense[1].activation, "__name__", "") != "linear":
        raise Incorrect(
            f"la activación de salida de {what}",
            getattr(dense[1].activation, "__name__", "?"),
            "lineal (sin activación)",
            "La salida suma los «escalones» con sus pesos: no le pongas activación.",
        )
    grid = np.linspace(-3, 3, 401, dtype="float32").reshape(-1, 1)
    predicted = np.asarray(model.predict(grid, verbose=0), dtype=float).reshape(-1, 1)
    mse = float(np.mean((predicted - _target_curve(grid)) ** 2))
    if not np.isfinite(mse) or mse > max_mse:
        optimizer = getattr(model, "optimizer", None)
        steps = getattr(optimizer, "iterations", None)
        trained = steps is not None and int(keras.ops.convert_to_numpy(steps)) > 0
        if not trained:
            fix = (
                'Tu red todavía no se ha entrenado: compílala (Adam y `loss="mse"`) y '
                "entrénala con `fit` sobre los puntos de [-3, 3] antes de comprobarla."
            )
        else:
            fix = (
                "Usa más neuronas ocultas (16 o 32) o entrena más pasos (repite los puntos como "
                "en la lección y usa Adam con `learning_rate=0.05`)."
            )
        raise Incorrect(
            f"el error cuadrático medio (MSE) de {what} en 401 puntos de [-3, 3]",
            f"{mse:.4f}",
            f"como mucho {max_mse:g}",
            fix,
        )
    return Correct(
        f"el MSE de {what} en [-3, 3]",
        f"{mse:.4f} con {dense[0].units} neuronas ocultas",
        f"como mucho {max_mse:g}",
    )


ej4 = Exercise(
    "ej4",
    check=_check_approximator,
    title="Ejercicio 4: aproximación universal con una capa oculta",
    hint=[
        "Copia la preparación de la sección 4: 256 puntos de [-3, 3] repetidos 40 veces, "
        'y la red `Dense(H, activation="tanh")` + `Dense(1)`.',
        "Con 4 neuronas la lección obtiene un MSE de unos 0.03; con 16 o 32 y 15 épocas "
        "(Adam, `learning_rate=0.05`, lotes de 256) queda bien por debajo de 0.05.",
    ],
    solution="""import keras
import numpy as np

x = np.linspace(-3, 3, 256, dtype="float32").reshape(-1, 1)
y = np.sin(2 * x) + 0.3 * x
keras.utils.set_random_seed(0)
red_aproximadora = keras.Sequential(
    [
        keras.Input(shape=(1,)),
        keras.layers.Dense(16, activation="tanh"),
        keras.layers.Dense(1),
    ]
)
red_aproximadora.compile(optimizer=keras.optimizers.Adam(learning_rate=0.05), loss="mse")
red_aproximadora.fit(
    np.tile(x, (40, 1)), np.tile(y, (40, 1)), epochs=15, batch_size=256, verbose=0
)
""",
)


#: (exercise, names of the variables its solution defines and its check takes)
EXERCISES: list[tuple[Exercise, tuple[str, ...]]] = [
    (ej1, ("modelo_fashion",)),
    (ej2, ("neuronas_salida", "activacion_salida", "perdida")),
    (ej3, ("escalar",)),
    (ej4, ("red_aproximadora",)),
]


#: The self-assessment quiz that closes the notebook (apart from EXERCISES).
autoevaluacion = SelfAssessment(
    [
        Question(
            {"a": "0.6", "b": "1.0", "c": "0.0", "d": "0.5"},
            "b",
            "Exhaustividad = VP / (VP + FN): ¿deja escapar algún retraso?",
        ),
        Question(
            {"a": "0.4", "b": "0.8", "c": "0.5", "d": "no se puede saber sin la exhaustividad"},
            "b",
            "Precisión (*precision*) = VP / (VP + FP).",
        ),
        Question(
            {
                "a": "ordena los pedidos como el azar",
                "b": "acierta la mitad de los pedidos",
                "c": "es perfecto",
                "d": "tiene una precisión (*precision*) de 0.5",
            },
            "a",
            "La ROC-AUC no depende del umbral: mide cómo ordena las puntuaciones.",
        ),
        Question(
            {
                "a": "se ajusta el escalador con todos los datos",
                "b": "se ajusta solo con el entrenamiento y se aplica a las dos partes",
                "c": "cada parte se escala con su propia media",
                "d": "no se escala",
            },
            "b",
            "La parte de prueba representa datos futuros: no puede influir en el escalador.",
        ),
    ],
    title="Autoevaluación del cuaderno 07",
)
