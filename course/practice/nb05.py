"""Practice exercises of notebook 05 (the Keras workflow).

In the notebook::

    from course.practice import nb05 as practica
    practica.ej2.check(modelo_iris)
"""

from __future__ import annotations

from typing import Any

from course.checks import Exercise, FunctionExercise, ModelExercise, NumberExercise
from course.practice._quiz import Question, SelfAssessment

__all__ = ["EXERCISES", "ej1", "ej2", "ej3", "ej4", "autoevaluacion"]


ej1 = NumberExercise(
    "ej1",
    expected=129,
    what="el número de parámetros de la red 10 → Dense(8) → Dense(4) → Dense(1)",
    mistakes={
        116: "116 son solo los pesos (10·8 + 8·4 + 4·1): cada neurona tiene además un sesgo.",
        13: "13 es el número de neuronas; se piden los parámetros (pesos y sesgos).",
        138: "138 sale de poner un sesgo por cada entrada de la capa (10·8 + 10, 8·4 + 8, "
        "4·1 + 4); el sesgo es uno por neurona: (entradas + 1) × unidades.",
        124: "124 = 88 + 36 son solo las dos primeras capas: la de salida tiene 4 entradas y "
        "1 neurona, (4 + 1) × 1 = 5 parámetros más.",
    },
    title="Ejercicio 1: contar parámetros",
    hint=[
        "Cada `Dense` tiene (entradas + 1) × unidades parámetros: un peso por conexión y un "
        "sesgo por neurona.",
        "Las entradas de una capa son las unidades de la anterior: 10 → 8, 8 → 4 y 4 → 1.",
    ],
    solution="""n_parametros = (10 + 1) * 8 + (8 + 1) * 4 + (4 + 1) * 1
# 88 + 36 + 5 = 129
""",
)

ej2 = ModelExercise(
    "ej2",
    {
        "input_shape": (4,),
        "layers": [("Dense", 16), ("Dense", 3)],
        "hidden_activation": "relu",
        "output_activation": "softmax",
        "task": "multiclass",
        "n_classes": 3,
        "params": 131,
        "compiled": True,
        "loss": "sparse_categorical_crossentropy",
        "optimizer": "adam",
    },
    title="Ejercicio 2: un modelo Sequential para 3 clases",
    hint=[
        "Empieza con `keras.Input(shape=(4,))` y añade dos capas `keras.layers.Dense`: la "
        "oculta con 16 unidades y ReLU, la de salida con una unidad por clase y softmax.",
        'Después llama a `modelo_iris.compile(optimizer="adam", '
        'loss="sparse_categorical_crossentropy", metrics=["accuracy"])`: las etiquetas '
        "son enteros 0, 1, 2.",
    ],
    solution="""import keras

modelo_iris = keras.Sequential(
    [
        keras.Input(shape=(4,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(3, activation="softmax"),
    ]
)
modelo_iris.compile(
    optimizer="adam",
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
""",
)

ej3 = ModelExercise(
    "ej3",
    {
        "input_shape": (2,),
        "layers": [("Dense", 2), "Concatenate", ("Dense", 1)],
        "hidden_activation": "tanh",
        "output_activation": "sigmoid",
        "params": 11,
    },
    title="Ejercicio 3: un modelo funcional con conexión directa",
    hint=[
        "Con la API funcional cada capa se llama sobre un tensor: "
        '`oculta = keras.layers.Dense(2, activation="tanh")(entrada)`.',
        "Une la entrada y la capa oculta con `keras.layers.Concatenate()([entrada, oculta])` "
        "y crea el modelo con `keras.Model(inputs=entrada, outputs=salida)`.",
    ],
    solution="""import keras

entrada = keras.Input(shape=(2,))
oculta = keras.layers.Dense(2, activation="tanh")(entrada)
unidas = keras.layers.Concatenate()([entrada, oculta])
salida = keras.layers.Dense(1, activation="sigmoid")(unidas)
modelo_conexion = keras.Model(inputs=entrada, outputs=salida)
# parámetros: (2 + 1) * 2 = 6 en la capa oculta y (4 + 1) * 1 = 5 en la salida -> 11
""",
)


def _reference_collapse(w1: Any, b1: Any, w2: Any, b2: Any) -> tuple[Any, Any]:
    """The single Dense layer equal to two linear ones: W = W1 W2, b = b1 W2 + b2."""
    import numpy as np

    w1, b1, w2, b2 = (np.asarray(a, dtype=float) for a in (w1, b1, w2, b2))
    return w1 @ w2, b1 @ w2 + b2


def _collapse_inputs() -> list[tuple[Any, ...]]:
    import numpy as np

    rng = np.random.default_rng(5)
    cases = []
    # The first case has as many hidden neurons as outputs, so that a wrong bias such as
    # b1 + b2 still has the right shape and its mistake can be named.
    for n_in, n_mid, n_out in ((3, 2, 2), (3, 4, 2), (2, 2, 1), (5, 3, 4)):
        cases.append(
            (
                rng.normal(size=(n_in, n_mid)),
                rng.normal(size=n_mid),
                rng.normal(size=(n_mid, n_out)),
                rng.normal(size=n_out),
            )
        )
    return cases


def _arrays(*values: Any) -> tuple[Any, ...]:
    import numpy as np

    return tuple(np.asarray(v, dtype=float) for v in values)


def _bias_sum(w1: Any, b1: Any, w2: Any, b2: Any) -> tuple[Any, Any]:
    w1, b1, w2, b2 = _arrays(w1, b1, w2, b2)
    return w1 @ w2, b1 + b2


def _bias_second_only(w1: Any, b1: Any, w2: Any, b2: Any) -> tuple[Any, Any]:
    w1, b1, w2, b2 = _arrays(w1, b1, w2, b2)
    return w1 @ w2, b2


def _bias_without_b2(w1: Any, b1: Any, w2: Any, b2: Any) -> tuple[Any, Any]:
    w1, b1, w2, b2 = _arrays(w1, b1, w2, b2)
    return w1 @ w2, b1 @ w2


def _bias_column_order(w1: Any, b1: Any, w2: Any, b2: Any) -> tuple[Any, Any]:
    w1, b1, w2, b2 = _arrays(w1, b1, w2, b2)
    return w1 @ w2, w2 @ b1 + b2


#: Typical wrong biases (the kernel W1 W2 right), each with its cause.
_COLLAPSE_MISTAKES = (
    (
        _bias_sum,
        "Tu sesgo es b1 + b2, pero b1 pasa también por la segunda capa: en "
        "(x W1 + b1) W2 + b2 el sesgo b1 queda multiplicado por W2.",
    ),
    (
        _bias_second_only,
        "Tu sesgo es solo b2: falta lo que aporta b1 después de atravesar la segunda capa.",
    ),
    (
        _bias_without_b2,
        "Falta sumar b2, el sesgo de la segunda capa.",
    ),
    (
        _bias_column_order,
        "Multiplicas W2 @ b1: con el kernel de forma (entradas, neuronas) los vectores se "
        "multiplican por la izquierda, como x W; revisa el orden del producto.",
    ),
)

ej4 = FunctionExercise(
    "ej4",
    reference=_reference_collapse,
    inputs=_collapse_inputs(),
    edge_cases=None,
    random_inputs=0,
    mistakes=_COLLAPSE_MISTAKES,
    title="Ejercicio 4: dos capas lineales son una",
    hint=[
        "Sustituye h = x W1 + b1 en y = h W2 + b2 y agrupa lo que multiplica a x y lo que no.",
        "Con `get_weights()` cada `Dense` da (kernel, sesgo) con el kernel de forma "
        "(entradas, neuronas): W = W1 @ W2 y b = b1 @ W2 + b2.",
    ],
    solution='''def colapsar(W1, b1, W2, b2):
    """Pesos y sesgo de la única capa lineal equivalente a dos capas lineales."""
    W = W1 @ W2
    b = b1 @ W2 + b2
    return W, b
''',
)


#: (exercise, names of the variables its solution defines and its check takes)
EXERCISES: list[tuple[Exercise, tuple[str, ...]]] = [
    (ej1, ("n_parametros",)),
    (ej2, ("modelo_iris",)),
    (ej3, ("modelo_conexion",)),
    (ej4, ("colapsar",)),
]


#: The self-assessment quiz that closes the notebook (apart from EXERCISES).
autoevaluacion = SelfAssessment(
    [
        Question(
            {
                "a": "56 parámetros",
                "b": "67 parámetros",
                "c": "59 parámetros",
                "d": "64 parámetros",
            },
            "b",
            "(4 + 1)·8 + (8 + 1)·3.",
        ),
        Question(
            {
                "a": "un 20 % elegido al azar",
                "b": "el 20 % final de los datos, sin barajar",
                "c": "el 20 % inicial",
                "d": "un 20 % de cada clase",
            },
            "b",
            "Repasa la lista de argumentos de `fit` de la sección 6.",
        ),
        Question(
            {
                "a": "`keras.Sequential`",
                "b": "la API funcional",
                "c": "un callback",
                "d": "una capa `Flatten`",
            },
            "b",
            "Una capa que recibe dos tensores no cabe en una pila lineal de capas.",
        ),
    ],
    title="Autoevaluación del cuaderno 05",
)
