"""Practice exercises of notebook 04 (optimisers and training).

In the notebook::

    from course.practice import nb04 as practica
    practica.ej1.check(iteraciones)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from course.checks import (
    ChoiceExercise,
    Correct,
    Exercise,
    FunctionExercise,
    Incorrect,
    NumberExercise,
    check_trained,
)
from course.checks._mistakes import GRADIENT_STEP
from course.practice._quiz import Question, SelfAssessment

__all__ = [
    "EXERCISES",
    "LEARNING_RATE_OPTIONS",
    "PLAYGROUND_RATES",
    "autoevaluacion",
    "ej1",
    "ej2",
    "ej3",
    "ej4",
    "experimento",
]


ej1 = NumberExercise(
    "ej1",
    expected=40,
    what="las iteraciones por época con 2500 ejemplos y batch_size=64",
    mistakes={
        39: "39 lotes completos no cubren los 2500 ejemplos: quedan 4 ejemplos en un último "
        "lote más pequeño, y ese lote también es una iteración. Redondea hacia arriba.",
        39.0625: "El número de iteraciones es un entero: cada lote, aunque esté incompleto, es "
        "un paso. Redondea hacia arriba con `math.ceil`.",
        160000: "Has multiplicado: el número de iteraciones es ejemplos / tamaño del lote.",
        2500: "2500 sería el número de iteraciones con batch_size=1 (descenso estocástico puro).",
    },
    title="Ejercicio 1: iteraciones por época",
    hint=[
        "Una iteración procesa un lote; una época recorre todos los ejemplos una vez.",
        "2500 / 64 no es un número entero: el último lote tiene menos ejemplos, pero cuenta "
        "como una iteración. `math.ceil` redondea hacia arriba.",
    ],
    solution="""import math

iteraciones = math.ceil(2500 / 64)  # 39 lotes de 64 y uno final de 4 ejemplos -> 40
""",
)

LEARNING_RATE_OPTIONS = ("demasiado baja", "adecuada", "demasiado alta")

ej2 = ChoiceExercise(
    "ej2",
    options=LEARNING_RATE_OPTIONS,
    expected="demasiado alta",
    what="el diagnóstico de la tasa de aprendizaje",
    mistakes={
        "demasiado baja": "Con una tasa demasiado baja la pérdida baja, aunque muy despacio; "
        "aquí la pérdida sube de una época a otra.",
        "adecuada": "Con una tasa adecuada la pérdida baja rápido y se estabiliza; aquí crece "
        "sin parar hasta `nan`.",
    },
    title="Ejercicio 2: diagnosticar la tasa de aprendizaje",
    hint=[
        "Fíjate en la dirección de la pérdida: ¿baja despacio, baja bien o sube?",
        "Si cada paso es tan largo que salta al otro lado del valle y más arriba, la pérdida "
        "crece en cada iteración: eso es divergencia.",
    ],
    solution="""diagnostico = "demasiado alta"
# La pérdida crece en cada época (0.9 -> 4.7 -> 310 -> nan): los pasos son tan largos
# que cada uno acaba más arriba que el anterior. Hay que reducir learning_rate.
""",
)

_ej2_choice_check = ej2.problem.check


def _check_diagnosis(value: Any, **options: Any) -> Any:
    """An answer outside the three phrases is told to copy a phrase (the generic choice
    message suggests a letter, and this exercise has no letters)."""
    if not isinstance(value, str) or value.strip().lower() not in LEARNING_RATE_OPTIONS:
        raise Incorrect(
            "el formato del diagnóstico de la tasa de aprendizaje",
            f"{value!r}, que no es una de las opciones",
            "una de: " + ", ".join(repr(o) for o in LEARNING_RATE_OPTIONS),
            "Copia una de las tres opciones tal como aparece en el enunciado, entre comillas: "
            'por ejemplo `diagnostico = "adecuada"`.',
        )
    return _ej2_choice_check(value, **options)


ej2.problem.check = _check_diagnosis


def _reference_step(w: np.ndarray, grad: np.ndarray, eta: float) -> np.ndarray:
    """One gradient-descent update: w - eta * grad."""
    return w - eta * grad


ej3 = FunctionExercise(
    "ej3",
    reference=_reference_step,
    inputs=[
        (np.array([2.0, -1.0]), np.array([0.5, -4.0]), 0.1),
        (np.array([0.0, 0.0, 0.0]), np.array([1.0, 2.0, 3.0]), 0.01),
        (np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[0.1, -0.2], [0.3, -0.4]]), 1.0),
    ],
    edge_cases=[
        (np.array([1.0, 1.0]), np.array([0.0, 0.0]), 0.5),
        (np.array([5.0]), np.array([-2.0]), 0.0),
        (np.array([-3.0, 7.0, 0.25]), np.array([1000.0, -1000.0, 0.0]), 1e-4),
    ],
    mistakes=GRADIENT_STEP,
    title="Ejercicio 3: un paso de descenso del gradiente",
    hint=[
        "La regla es w_nuevo = w − η · ∇J(w): resta al peso el gradiente multiplicado por "
        "la tasa de aprendizaje.",
        "Devuelve un array nuevo (`return w - eta * grad`); no modifiques `w` con `-=`.",
    ],
    solution='''from typing import Any

import numpy as np


def paso_descenso(w, grad, eta):
    """Pesos tras un paso de descenso del gradiente con tasa de aprendizaje eta."""
    return w - eta * grad
''',
)


def _check_line_model(model: Any) -> Correct:
    """One linear Dense(1) neuron trained on y = 2x - 1: weight ~ 2, bias ~ -1, f(10) ~ 19."""
    import keras

    what = "`modelo_recta`"
    if not isinstance(model, keras.Model):
        raise Incorrect(
            what,
            f"un valor de tipo `{type(model).__name__}`",
            "un modelo de Keras con una sola neurona",
            "Crea `keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])`.",
        )
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    if len(dense) != 1 or dense[0].units != 1 or model.count_params() != 2:
        raise Incorrect(
            f"la arquitectura de {what}",
            f"{model.count_params()} parámetros en {len(dense)} capa(s) Dense",
            "una sola capa `Dense(1)`: un peso y un sesgo (2 parámetros)",
            "La recta y = w·x + b es una única neurona lineal: `keras.layers.Dense(1)`.",
        )
    if getattr(dense[0].activation, "__name__", "") != "linear":
        raise Incorrect(
            f"la activación de {what}",
            getattr(dense[0].activation, "__name__", repr(dense[0].activation)),
            "ninguna (lineal)",
            "Quita el argumento `activation`: una recta no se aplasta.",
        )
    check_trained(model)
    kernel, bias = dense[0].get_weights()
    w, b = float(kernel.ravel()[0]), float(bias.ravel()[0])
    prediction = float(np.ravel(model.predict(np.array([[10.0]]), verbose=0))[0])
    if abs(w - 2) > 0.05 or abs(b + 1) > 0.05 or abs(prediction - 19) > 0.5:
        raise Incorrect(
            f"lo que ha aprendido {what}",
            f"peso {w:.3f}, sesgo {b:.3f}, predicción para x = 10: {prediction:.2f}",
            "peso 2 ± 0.05, sesgo −1 ± 0.05 y una predicción para x = 10 a menos de 0.5 de 19",
            "Entrena más épocas o sube la tasa de aprendizaje (SGD con 0.05 y 300 épocas "
            "basta con estos seis puntos).",
        )
    return Correct(
        f"lo que ha aprendido {what}",
        f"peso {w:.3f}, sesgo {b:.3f}",
        "peso ≈ 2 y sesgo ≈ −1, la recta y = 2x − 1",
    )


ej4 = Exercise(
    "ej4",
    check=_check_line_model,
    title="Ejercicio 4: el «hola mundo», otra vez y sin mirar",
    hint=[
        "Datos: `xs = np.array([[-1.0], [0.0], [1.0], [2.0], [3.0], [4.0]])` e "
        "`ys = 2 * xs - 1`. Modelo: una sola `Dense(1)` sin activación.",
        'Compila con `keras.optimizers.SGD(learning_rate=0.05)` y `loss="mse"`, y entrena '
        "300 épocas con `verbose=0`.",
    ],
    solution="""import keras
import numpy as np

keras.utils.set_random_seed(0)
xs = np.array([[-1.0], [0.0], [1.0], [2.0], [3.0], [4.0]])
ys = 2 * xs - 1
modelo_recta = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
modelo_recta.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05), loss="mse")
modelo_recta.fit(xs, ys, epochs=300, verbose=0)
""",
)


#: Learning rates tried in the playground experiment of notebook 04.
PLAYGROUND_RATES = (0.0001, 0.3, 10.0)

experimento = ChoiceExercise(
    "experimento",
    options=PLAYGROUND_RATES,
    expected=10.0,
    what="la tasa de aprendizaje con la que la pérdida sube y baja a saltos",
    mistakes={
        0.0001: "Con 0.0001 la pérdida casi no se mueve: los pasos son tan cortos que la red "
        "apenas avanza. Es demasiado baja, pero no salta.",
        0.3: "Con 0.3 la pérdida baja deprisa y se queda abajo: es una tasa adecuada.",
    },
    title="Experimento: la tasa de aprendizaje en el playground",
    hint=[
        "Mira la gráfica del experimento: ¿qué curva no baja de forma regular?",
        "Con pasos demasiado largos la red salta de un lado a otro del valle de la pérdida.",
    ],
    solution="""tasa_a_saltos = 10
# Con 10 cada paso se pasa de largo: la pérdida sube y baja sin asentarse (0.0001 apenas
# se mueve y 0.3 baja deprisa y se estabiliza).
""",
)

_choice_check = experimento.problem.check


def _check_rate(value: Any, **options: Any) -> Any:
    """The rate is a number: a quoted answer (``"10"``) gets its own hint, not the generic
    "copy the option between quotes" of the choice check."""
    if isinstance(value, str):
        raise Incorrect(
            "el formato de la tasa de aprendizaje con la que la pérdida sube y baja a saltos",
            f"{value!r}, un texto entre comillas",
            "uno de estos números: 0.0001, 0.3 o 10",
            "Escribe la tasa como un número, sin comillas: por ejemplo `tasa_a_saltos = 0.3`.",
        )
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not any(np.isclose(float(value), rate) for rate in PLAYGROUND_RATES):
            raise Incorrect(
                "el formato de la tasa de aprendizaje con la que la pérdida sube y baja a saltos",
                f"{value!r}, que no es una de las tres tasas del experimento",
                "uno de estos números: 0.0001, 0.3 o 10",
                "Elige una de las tres tasas que se probaron en el experimento.",
            )
    return _choice_check(value, **options)


experimento.problem.check = _check_rate


#: (exercise, names of the variables its solution defines and its check takes)
EXERCISES: list[tuple[Exercise, tuple[str, ...]]] = [
    (ej1, ("iteraciones",)),
    (ej2, ("diagnostico",)),
    (ej3, ("paso_descenso",)),
    (ej4, ("modelo_recta",)),
    (experimento, ("tasa_a_saltos",)),
]


#: The self-assessment quiz that closes the notebook (apart from EXERCISES).
autoevaluacion = SelfAssessment(
    [
        Question(
            {"a": "31", "b": "32", "c": "31.25", "d": "1000"},
            "b",
            "⌈N / B⌉: el último lote, más pequeño, también cuenta.",
        ),
        Question(
            {
                "a": "la tasa de aprendizaje sea demasiado baja",
                "b": "la tasa de aprendizaje sea demasiado alta",
                "c": "haya pocos datos",
                "d": "falte el sesgo",
            },
            "b",
            "Cada paso rebota más lejos que el anterior: ¿pasos largos o cortos?",
        ),
        Question(
            {
                "a": "corrigen las medias móviles, que al principio se quedan cortas porque empiezan en 0",
                "b": "son los pesos finales de la red",
                "c": "son una regularización L2",
                "d": "hacen que la tasa de aprendizaje sea constante",
            },
            "a",
            "Mira la división entre 1 − β^k en la fórmula de Adam.",
        ),
    ],
    title="Autoevaluación del cuaderno 04",
)
