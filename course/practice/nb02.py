"""Practice exercises of notebook 02 (activation functions).

In the notebook::

    from course.practice import nb02 as practica
    practica.ej1.check(softmax_estable)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from course.checks import (
    ChoiceExercise,
    Correct,
    Exercise,
    FunctionExercise,
    Incorrect,
    normalize_text,
    not_attempted,
)
from course.checks._mistakes import LEAKY_RELU_001, SOFTMAX
from course.practice._quiz import Question, SelfAssessment

__all__ = [
    "CIRCLES_ACTIVATIONS",
    "EXERCISES",
    "autoevaluacion",
    "ej1",
    "ej2",
    "ej3",
    "ej4",
    "experimento",
]


def _reference_softmax(z: np.ndarray) -> np.ndarray:
    """Softmax over the last axis, shifted by the maximum so exp never overflows."""
    z = np.asarray(z, dtype=float)
    shifted = np.exp(z - z.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def _reference_leaky_relu(z: np.ndarray) -> np.ndarray:
    """Leaky ReLU with slope 0.01 for negative inputs."""
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, 0.01 * z)


ej1 = FunctionExercise(
    "ej1",
    reference=_reference_softmax,
    inputs=[
        np.array([2.0, 1.0, 0.1]),
        np.array([[1.0, 2.0, 3.0, 4.0], [-1.0, 0.0, 1.0, 0.5]]),
    ],
    edge_cases="softmax",
    mistakes=SOFTMAX,
    overflow_fix="Resta el máximo de cada fila antes de aplicar np.exp: "
    "`np.exp(z - z.max(axis=-1, keepdims=True))`.",
    title="Ejercicio 1: softmax numéricamente estable",
    hint=[
        "softmax(z) no cambia si restas la misma constante a todas las componentes de z. "
        "Resta el máximo para que el mayor exponente sea exp(0) = 1.",
        "Para que funcione también con una matriz (una fila por ejemplo), usa "
        "`axis=-1, keepdims=True` en `max` y en `sum`.",
    ],
    solution='''import numpy as np


def softmax_estable(z):
    """Softmax por filas (último eje) sin desbordamientos."""
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
''',
)

ej2 = FunctionExercise(
    "ej2",
    reference=_reference_leaky_relu,
    inputs=[np.array([-3.0, -0.5, 0.0, 0.5, 3.0]), np.array([[-100.0, 2.0], [7.0, -0.01]])],
    edge_cases="activation",
    mistakes=LEAKY_RELU_001,
    title="Ejercicio 2: Leaky ReLU",
    hint=[
        "Leaky ReLU es `z` cuando z > 0 y `0.01 * z` cuando no.",
        "`np.where(condición, valor_si_cierto, valor_si_falso)` trabaja elemento a elemento "
        "sobre arrays de cualquier forma.",
    ],
    solution='''import numpy as np


def leaky_relu(z):
    """Leaky ReLU con pendiente 0.01 para entradas negativas."""
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, 0.01 * z)
''',
)

_OUTPUT_KEY = {"binaria": "sigmoid", "multiclase": "softmax", "regresion": "linear"}
_OUTPUT_OPTIONS = ("sigmoid", "softmax", "linear", "relu", "tanh")
_WHY = {
    "binaria": "una sola neurona que dé la probabilidad de la clase 1, entre 0 y 1",
    "multiclase": "una probabilidad por clase, y que todas sumen 1",
    "regresion": "cualquier número real, sin recortar ni aplastar la salida",
}


def _check_outputs(answer: Any) -> Correct:
    """The output activation chosen for each of the three kinds of problem."""
    what = "la activación de salida elegida para cada problema"
    if not isinstance(answer, Mapping):
        raise Incorrect(
            what,
            f"un valor de tipo `{type(answer).__name__}`",
            "un diccionario con las claves 'binaria', 'multiclase' y 'regresion'",
            "Completa el diccionario de la celda, sin cambiar sus claves.",
        )
    # keys and values compare without case or accents ("regresión" is "regresion")
    answer = {normalize_text(k) if isinstance(k, str) else k: v for k, v in answer.items()}
    missing = [k for k in _OUTPUT_KEY if k not in answer]
    if missing:
        raise Incorrect(
            what,
            f"faltan las claves {missing}",
            "las claves 'binaria', 'multiclase' y 'regresion'",
            "No cambies las claves del diccionario: rellena solo los valores.",
        )
    for problem, expected in _OUTPUT_KEY.items():
        value = answer[problem]
        if value is None or value is Ellipsis:
            raise not_attempted(f"la activación de salida para el problema «{problem}»")
        chosen = normalize_text(str(value))
        if chosen not in _OUTPUT_OPTIONS:
            raise Incorrect(
                f"la activación para el problema «{problem}»",
                repr(value),
                f"uno de los nombres {', '.join(repr(o) for o in _OUTPUT_OPTIONS)}",
                "Escribe el nombre tal como lo acepta Keras, entre comillas.",
            )
        if chosen != expected:
            raise Incorrect(
                f"la activación para el problema «{problem}»",
                repr(value),
                f"una activación que produzca {_WHY[problem]}",
                "Repasa la tabla de reglas prácticas de la lección.",
            )
    return Correct(what, "las tres elecciones", "sigmoide, softmax y lineal")


ej3 = Exercise(
    "ej3",
    check=_check_outputs,
    title="Ejercicio 3: la activación de la capa de salida",
    hint=[
        "Piensa en qué valores debe poder producir la salida en cada caso: una "
        "probabilidad, un reparto de probabilidad entre clases o un número cualquiera.",
        "Una regresión que predice, por ejemplo, temperaturas bajo cero no puede usar una "
        "salida que solo dé valores positivos o acotados.",
    ],
    solution="""activaciones_salida = {
    "binaria": "sigmoid",     # una probabilidad entre 0 y 1
    "multiclase": "softmax",  # probabilidades que suman 1
    "regresion": "linear",    # cualquier número real
}
""",
)


def _check_custom_activation(activation: Any, model: Any) -> Correct:
    """A swish written with keras.ops (works on symbolic tensors) used in an Activation layer."""
    import keras

    what = "tu activación `swish_propia`"
    if not callable(activation):
        raise Incorrect(
            what,
            f"un valor de tipo `{type(activation).__name__}`",
            "una función de Python que recibe un tensor",
            "Define `def swish_propia(x): return ...` con operaciones de `keras.ops`.",
        )
    z = np.array([[-3.0, -0.5, 0.0, 0.5, 3.0]], dtype="float32")
    try:
        got = np.asarray(keras.ops.convert_to_numpy(activation(keras.ops.convert_to_tensor(z))))
    except Exception as exc:
        raise Incorrect(
            what,
            f"un error al aplicarla a un tensor: {type(exc).__name__}: {exc}"[:300],
            "que funcione con tensores de Keras",
            "Usa `keras.ops.sigmoid(x)` (o `keras.ops.exp`) en lugar de funciones de NumPy.",
        ) from None
    want = z / (1.0 + np.exp(-z))
    if got.shape != want.shape or not np.allclose(got, want, rtol=1e-5, atol=1e-6):
        raise Incorrect(
            f"{what} sobre z = [-3, -0.5, 0, 0.5, 3]",
            np.array2string(np.round(got, 4)),
            "z · sigmoide(z) = " + np.array2string(np.round(want, 4)),
            "Multiplica la entrada por su sigmoide: `x * keras.ops.sigmoid(x)`.",
        )
    try:
        activation(keras.Input(shape=(3,)))
    except Exception:
        raise Incorrect(
            what,
            "falla con un tensor simbólico (`keras.Input`), como los de un modelo",
            "una función escrita solo con `keras.ops`",
            "Cambia `np.exp`, `np.maximum`... por `keras.ops.exp`, `keras.ops.maximum`...",
        ) from None
    if not isinstance(model, keras.Model):
        raise Incorrect(
            "`modelo_swish`",
            f"un valor de tipo `{type(model).__name__}`",
            "un modelo de Keras",
            "Crea el modelo con `keras.Sequential([...])`.",
        )
    act_layers = [layer for layer in model.layers if isinstance(layer, keras.layers.Activation)]
    if not act_layers or act_layers[0].activation is not activation:
        raise Incorrect(
            "las capas de `modelo_swish`",
            ", ".join(type(layer).__name__ for layer in model.layers),
            "una capa `keras.layers.Activation(swish_propia)` tras la capa `Dense` oculta",
            "Deja la `Dense` oculta sin `activation` y añade después "
            "`keras.layers.Activation(swish_propia)`.",
        )
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    if [layer.units for layer in dense] != [8, 1] or model.inputs[0].shape[-1] != 3:
        raise Incorrect(
            "la forma de `modelo_swish`",
            f"entrada {tuple(model.inputs[0].shape)}, capas Dense de "
            f"{[layer.units for layer in dense]} neuronas",
            "entrada de 3 valores, Dense(8), la capa Activation y Dense(1)",
            "Repasa el enunciado: `keras.Input(shape=(3,))`, `Dense(8)`, la activación y "
            "`Dense(1)`.",
        )
    x = np.random.default_rng(0).normal(size=(4, 3)).astype("float32")
    kernel, bias = dense[0].get_weights()
    pre = x @ kernel + bias
    pre_activation_of_dense = dense[0](x)
    if not np.allclose(keras.ops.convert_to_numpy(pre_activation_of_dense), pre, atol=1e-5):
        raise Incorrect(
            "la capa `Dense(8)` de `modelo_swish`",
            "aplica ya una activación propia",
            "una capa lineal (sin `activation`) seguida de la capa `Activation`",
            "Quita el argumento `activation` de la `Dense(8)`: de eso se encarga `Activation`.",
        )
    return Correct(
        "tu activación y el modelo que la usa",
        "swish con `keras.ops` en una capa `Activation`",
        "z · sigmoide(z), válida también con tensores simbólicos",
    )


ej4 = Exercise(
    "ej4",
    check=_check_custom_activation,
    title="Ejercicio 4: una activación propia con `keras.ops`",
    hint=[
        "La activación swish es z · sigmoide(z): `return x * keras.ops.sigmoid(x)`.",
        "El modelo: `keras.Input(shape=(3,))`, `keras.layers.Dense(8)` (sin activación), "
        "`keras.layers.Activation(swish_propia)` y `keras.layers.Dense(1)`.",
    ],
    solution="""import keras


def swish_propia(x):
    return x * keras.ops.sigmoid(x)


modelo_swish = keras.Sequential(
    [
        keras.Input(shape=(3,)),
        keras.layers.Dense(8),
        keras.layers.Activation(swish_propia),
        keras.layers.Dense(1),
    ]
)
""",
)


#: Options of the playground experiment: the hidden activations tried on the circles.
CIRCLES_ACTIVATIONS = ("relu", "tanh", "sigmoide", "lineal")

experimento = ChoiceExercise(
    "experimento",
    options=CIRCLES_ACTIVATIONS,
    expected="lineal",
    what="la activación oculta con la que la red no puede separar los círculos",
    mistakes={
        "relu": "Con ReLU la pérdida baja bien y la frontera rodea el círculo interior: "
        "ReLU no es lineal, así que la red puede doblar la frontera.",
        "tanh": "Con tanh la red separa los círculos: su pérdida baja mucho. Busca la "
        "activación cuya pérdida se queda cerca de 0.69.",
        "sigmoide": "La sigmoide aprende más despacio (su derivada nunca pasa de 0.25), pero su "
        "pérdida sí baja, y con más épocas acaba separando los círculos. Hay una activación "
        "con la que no lo conseguirá nunca, entrene lo que entrene.",
    },
    title="Experimento: la activación y la forma de la frontera",
    hint=[
        "Compara la pérdida final de cada activación en la tabla del experimento.",
        "Recuerda la sección 1: varias capas sin función no lineal equivalen a una sola capa "
        "lineal, y una capa lineal solo traza una recta.",
    ],
    solution="""activacion_sin_exito = "lineal"
# Con activación lineal la red entera es una función lineal de (x1, x2): su frontera es una
# recta, y ninguna recta separa un círculo del anillo que lo rodea.
""",
)

_choice_check = experimento.problem.check
#: Keras' English names, which the student has just used in ej3, for the options' Spanish ones.
_KERAS_NAMES = {"linear": "lineal", "sigmoid": "sigmoide"}


def _check_activation_name(value: Any, **options: Any) -> Any:
    """Names outside the four options get a hint about the option's spelling (the generic
    choice message suggests a letter, and this question has no letters)."""
    key = value.strip().lower() if isinstance(value, str) else None
    if key not in CIRCLES_ACTIVATIONS:
        if key in _KERAS_NAMES:
            fix = (
                f'Aquí las opciones van en español: escribe `"{_KERAS_NAMES[key]}"` en lugar '
                f'del nombre de Keras `"{key}"`.'
            )
        else:
            fix = (
                "Escribe entre comillas una de las cuatro activaciones del enunciado, por "
                'ejemplo `activacion_sin_exito = "tanh"`.'
            )
        raise Incorrect(
            "el formato de la activación oculta con la que la red no puede separar los círculos",
            f"{value!r}, que no es una de las opciones",
            "una de: " + ", ".join(repr(o) for o in CIRCLES_ACTIVATIONS),
            fix,
        )
    return _choice_check(value, **options)


experimento.problem.check = _check_activation_name


#: (exercise, names of the variables its solution defines and its check takes)
EXERCISES: list[tuple[Exercise, tuple[str, ...]]] = [
    (ej1, ("softmax_estable",)),
    (ej2, ("leaky_relu",)),
    (ej3, ("activaciones_salida",)),
    (ej4, ("swish_propia", "modelo_swish")),
    (experimento, ("activacion_sin_exito",)),
]


#: The self-assessment quiz that closes the notebook (apart from EXERCISES).
autoevaluacion = SelfAssessment(
    [
        Question(
            {
                "a": "la red ya puede aprender XOR",
                "b": "equivalen a una sola capa lineal",
                "c": "el gradiente se desvanece",
                "d": "Keras da un error",
            },
            "b",
            "Sustituye una capa en la siguiente: (xW1 + b1)W2 + b2 = x(W1W2) + (b1W2 + b2).",
        ),
        Question(
            {"a": "1", "b": "0.5", "c": "0.25", "d": "0"},
            "c",
            "σ'(z) = σ(z)(1 − σ(z)) es máxima en z = 0, donde σ(0) = 0.5.",
        ),
        Question(
            {"a": "ReLU", "b": "sigmoide", "c": "softmax con una neurona", "d": "lineal"},
            "b",
            "¿Qué activación da un número entre 0 y 1 con una sola neurona? (softmax con una neurona da siempre 1).",
        ),
        Question(
            {
                "a": "NumPy",
                "b": "`keras.ops`",
                "c": "el módulo `math` de Python",
                "d": "cualquier función con bucles `for`",
            },
            "b",
            "Dentro de un modelo los tensores son simbólicos: solo las operaciones de Keras saben tratarlos.",
        ),
    ],
    title="Autoevaluación del cuaderno 02",
)
