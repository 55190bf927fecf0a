"""Practice exercises of notebook 01 (the artificial neuron and the perceptron).

In the notebook::

    from course.practice import nb01 as practica
    practica.ej1.check(neurona)
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
    fmt_array,
)
from course.checks._mistakes import SIGMOID_NEURON
from course.practice._quiz import Question, SelfAssessment

__all__ = [
    "EXERCISES",
    "XOR_LOSS_OPTIONS",
    "autoevaluacion",
    "ej1",
    "ej2",
    "ej3",
    "ej4",
    "experimento",
]


def _reference_neuron(x: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    """Sigmoid neuron: 1 / (1 + exp(-(w·x + b))), written without overflow."""
    z = np.dot(x, w) + b
    return np.exp(-np.logaddexp(0.0, -z))


ej1 = FunctionExercise(
    "ej1",
    reference=_reference_neuron,
    inputs=[
        (np.array([2.0, 3.0]), np.array([0.0, 1.0]), 4.0),
        (np.array([1.0, -1.0, 0.5]), np.array([0.2, 0.4, -1.0]), -0.1),
        (np.array([0.5, 0.25, -2.0, 1.0]), np.array([1.5, -2.0, 0.1, 0.3]), 0.0),
    ],
    edge_cases=[
        (np.zeros(3), np.zeros(3), 0.0),
        (np.array([10.0, 20.0]), np.array([-50.0, -40.0]), 0.0),
        (np.array([10.0, 20.0]), np.array([50.0, 40.0]), 1.0),
    ],
    mistakes=SIGMOID_NEURON,
    title="Ejercicio 1: una neurona sigmoide",
    hint=[
        "Primero la suma ponderada `z = np.dot(x, w) + b`; después la sigmoide "
        "`1 / (1 + np.exp(-z))`.",
        "Comprueba tu función con el ejemplo de la lección: `neurona(np.array([2, 3]), "
        "np.array([0, 1]), 4)` debe dar unos 0.999.",
    ],
    solution='''import numpy as np


def neurona(x, w, b):
    """Salida de una neurona sigmoide con entradas x, pesos w y sesgo b."""
    z = np.dot(x, w) + b
    return 1 / (1 + np.exp(-z))
''',
)

ej2 = NumberExercise(
    "ej2",
    expected=61,
    what="el número de parámetros de la red 4-5-5-1",
    mistakes={
        50: "50 son solo los pesos de las conexiones: falta sumar un sesgo por cada neurona "
        "de las capas oculta y de salida.",
        15: "15 es el número de neuronas; se pide el de parámetros (pesos y sesgos).",
        11: "11 es el número de neuronas con sesgo; cuenta también los pesos de cada conexión.",
    },
    title="Ejercicio 2: contar los parámetros de un MLP",
    hint=[
        "Cada capa densa con `n_entradas` y `n_neuronas` tiene "
        "`n_entradas * n_neuronas` pesos y `n_neuronas` sesgos, es decir "
        "`(n_entradas + 1) * n_neuronas` parámetros.",
        "Son tres capas con parámetros: 4→5, 5→5 y 5→1. Suma las tres.",
    ],
    solution="""capas = [4, 5, 5, 1]
n_parametros = sum((n_in + 1) * n_out for n_in, n_out in zip(capas[:-1], capas[1:]))
# (4 + 1) * 5 + (5 + 1) * 5 + (5 + 1) * 1 = 25 + 30 + 6 = 61
""",
)

_NAND_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
_NAND_Y = np.array([1, 1, 1, 0])


def _check_nand(w: Any, b: Any) -> Correct:
    """The perceptron step(x·w + b) with the student's weights must compute NAND."""
    what = "el perceptrón `escalon(x @ w_nand + b_nand)` sobre la tabla de NAND"
    try:
        weights = np.asarray(w, dtype=float)
        bias = np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        raise Incorrect(
            what,
            f"valores que no son números: w_nand = {w!r}, b_nand = {b!r}",
            "`w_nand` con dos números y `b_nand` con un número",
            "Escribe, por ejemplo, `w_nand = np.array([?, ?])` y `b_nand = ?`.",
        ) from None
    if weights.shape != (2,):
        raise Incorrect(
            f"la forma de `w_nand` en {what}",
            f"forma {weights.shape}",
            "forma (2,): un peso por cada entrada",
            "La neurona tiene dos entradas, así que necesita exactamente dos pesos.",
        )
    if bias.size != 1:
        raise Incorrect(
            f"el sesgo `b_nand` en {what}",
            f"{bias.size} valores",
            "un único número",
            "Una neurona tiene un solo sesgo: usa un número, no una lista.",
        )
    if not (np.all(np.isfinite(weights)) and np.all(np.isfinite(bias))):
        raise Incorrect(
            what,
            "pesos o sesgo con NaN o infinito",
            "números finitos",
            "Elige pesos y sesgo normales, como -2 o 3.",
        )
    z = _NAND_X @ weights + float(bias.reshape(-1)[0])
    predicted = (z >= 0).astype(int)
    if np.array_equal(predicted, _NAND_Y):
        return Correct(
            what,
            f"salidas {fmt_array(predicted)} para (0,0), (0,1), (1,0), (1,1)",
            f"{fmt_array(_NAND_Y)}",
        )
    wrong = int(np.argmax(predicted != _NAND_Y))
    point = tuple(int(v) for v in _NAND_X[wrong])
    raise Incorrect(
        what,
        f"salidas {fmt_array(predicted)}; la entrada {point} da {predicted[wrong]} "
        f"(z = {z[wrong]:g})",
        f"{fmt_array(_NAND_Y)}: NAND solo vale 0 cuando las dos entradas valen 1",
        _nand_fix(point, float(z[wrong]), bool(predicted[-1] != _NAND_Y[-1])),
    )


def _nand_fix(point: tuple[int, ...], z: float, one_one_wrong: bool) -> str:
    """The inequality that the first wrong input of the NAND table breaks."""
    if point == (0, 0):
        fix = "Con (0, 0) la salida es el escalón del sesgo: b_nand debe ser >= 0."
        if one_one_wrong:
            fix += (
                " Y (1, 1) también falla: con un sesgo >= 0 solo dará 0 con pesos negativos "
                "(w₁ + w₂ + b < 0)."
            )
        return fix
    if point == (0, 1):
        return "Con (0, 1) la salida debe ser 1: necesitas w₂ + b >= 0 (segundo peso más sesgo)."
    if point == (1, 0):
        return "Con (1, 0) la salida debe ser 1: necesitas w₁ + b >= 0 (primer peso más sesgo)."
    if z == 0:
        return (
            "Con (1, 1) te sale z = 0 justo, y el escalón responde 1 cuando z >= 0: necesitas "
            "w₁ + w₂ + b < 0 estrictamente. Baja un poco el sesgo o los pesos."
        )
    return (
        "Con (1, 1) la salida debe ser 0: necesitas w₁ + w₂ + b < 0. Prueba pesos negativos "
        "cuya suma pese más que el sesgo."
    )


ej3 = Exercise(
    "ej3",
    check=_check_nand,
    title="Ejercicio 3: un perceptrón que calcula NAND",
    hint=[
        "NAND es la negación de AND: vale 1 siempre, salvo con la entrada (1, 1).",
        "Fíjate en las desigualdades: (0,0) → b >= 0; (0,1) → w₂ + b >= 0; "
        "(1,0) → w₁ + b >= 0; (1,1) → w₁ + w₂ + b < 0. Por ejemplo, pesos iguales y "
        "negativos y un sesgo algo mayor que uno de ellos en valor absoluto.",
    ],
    solution="""import numpy as np

w_nand = np.array([-2.0, -2.0])
b_nand = 3.0
# (0,0): 3 >= 0 -> 1;  (0,1) y (1,0): 1 >= 0 -> 1;  (1,1): -1 < 0 -> 0
""",
)


def _reference_gradients(x: float, w: float, b: float, y: float) -> tuple[float, float]:
    """(dL/dw, dL/db) of L = (sigmoid(w x + b) - y)^2, by the chain rule."""
    z = w * x + b
    p = float(np.exp(-np.logaddexp(0.0, -z)))
    common = 2.0 * (p - y) * p * (1.0 - p)
    return common * x, common


def _sig(z: float) -> float:
    return float(np.exp(-np.logaddexp(0.0, -z)))


#: Typical wrong versions of ej4, each with the link of the chain it gets wrong.
_GRADIENT_MISTAKES = (
    (
        lambda x, w, b, y: _reference_gradients(x, w, b, y)[::-1],
        "Tus dos valores están en el orden cambiado: devuelve primero dL/dw y después dL/db.",
    ),
    (
        lambda x, w, b, y: tuple(g / 2 for g in _reference_gradients(x, w, b, y)),
        "Tus gradientes son la mitad de lo esperado: la derivada de (p − y)² es 2 (p − y), "
        "no (p − y).",
    ),
    (
        lambda x, w, b, y: (_reference_gradients(x, w, b, y)[1],) * 2,
        "Tu dL/dw es igual que tu dL/db: falta el último eslabón de dL/dw, dz/dw = x.",
    ),
    (
        lambda x, w, b, y: (2 * (_sig(w * x + b) - y) * x, 2 * (_sig(w * x + b) - y)),
        "Falta el eslabón de la sigmoide: multiplica también por dp/dz = p (1 − p).",
    ),
)


ej4 = FunctionExercise(
    "ej4",
    reference=_reference_gradients,
    inputs=[(2.0, 0.5, -1.0, 1.0), (1.5, 0.8, -0.5, 1.0), (-1.0, 2.0, 0.5, 0.0)],
    edge_cases=[(0.0, 0.0, 0.0, 0.0), (3.0, -1.0, 2.0, 1.0)],
    random_inputs=0,
    mistakes=_GRADIENT_MISTAKES,
    title="Ejercicio 4: la regla de la cadena en una neurona",
    hint=[
        "Tres eslabones: dL/dp = 2 (p − y), dp/dz = p (1 − p) y dz/dw = x (dz/db = 1). "
        "Multiplícalos.",
        "Comprueba tu resultado con el ejemplo de la lección: x = 2, w = 0.5, b = −1, y = 1 "
        "da (−0.5, −0.25). También puedes compararlo con una derivada numérica "
        "(L(w + ε) − L(w − ε)) / (2ε).",
    ],
    solution='''import numpy as np


def gradientes_neurona(x, w, b, y):
    """(dL/dw, dL/db) para p = sigmoide(w·x + b) y L = (p − y)²."""
    z = w * x + b
    p = 1 / (1 + np.exp(-z))
    dL_dp = 2 * (p - y)
    dp_dz = p * (1 - p)
    return dL_dp * dp_dz * x, dL_dp * dp_dz
''',
)


#: Options of the playground experiment (what the loss of the network without a hidden
#: layer does on the 4-point XOR).
XOR_LOSS_OPTIONS = ("baja hasta casi 0", "se estanca cerca de 0.69", "sube sin parar")

experimento = ChoiceExercise(
    "experimento",
    options=XOR_LOSS_OPTIONS,
    expected="se estanca cerca de 0.69",
    what="lo que hace la pérdida de la red sin capa oculta con los 4 puntos de XOR",
    mistakes={
        "baja hasta casi 0": "Eso le pasa a la red con una capa oculta. La red sin capa oculta "
        "solo puede separar las clases con una recta, y ninguna recta separa los puntos de XOR.",
        "sube sin parar": "La pérdida no sube: baja un poco al principio y después se queda "
        "quieta. Mira los números que imprime el experimento para la red sin capa oculta.",
    },
    title="Experimento: ¿hace falta una capa oculta para XOR?",
    hint=[
        "Vuelve a mirar la primera y la última pérdida de `sin_oculta` que imprime el experimento.",
        "0.69 es la pérdida de una red que responde 0.5 (no sé) para todos los puntos.",
    ],
    solution="""perdida_sin_oculta = "se estanca cerca de 0.69"
# Sin capa oculta la red solo traza una recta y ninguna recta separa XOR: lo mejor que puede
# hacer es responder 0.5 en los cuatro puntos, y esa respuesta tiene pérdida ln 2 = 0.69.
""",
)

_choice_check = experimento.problem.check


def _check_phrase(value: Any, **options: Any) -> Any:
    """An answer that is not one of the phrases is told to copy a phrase (the generic
    choice message suggests a letter, and this question has no letters)."""
    if not isinstance(value, str) or value.strip().lower() not in XOR_LOSS_OPTIONS:
        raise Incorrect(
            "el formato de lo que hace la pérdida de la red sin capa oculta",
            f"{value!r}, que no es una de las opciones",
            "una de: " + ", ".join(repr(o) for o in XOR_LOSS_OPTIONS),
            "Copia una de las tres frases tal como aparece en el enunciado, entre comillas: "
            'por ejemplo `perdida_sin_oculta = "sube sin parar"`.',
        )
    return _choice_check(value, **options)


experimento.problem.check = _check_phrase


#: (exercise, names of the variables its solution defines and its check takes)
EXERCISES: list[tuple[Exercise, tuple[str, ...]]] = [
    (ej1, ("neurona",)),
    (ej2, ("n_parametros",)),
    (ej3, ("w_nand", "b_nand")),
    (ej4, ("gradientes_neurona",)),
    (experimento, ("perdida_sin_oculta",)),
]


#: The self-assessment quiz that closes the notebook (apart from EXERCISES).
autoevaluacion = SelfAssessment(
    [
        Question(
            {"a": "OR", "b": "AND", "c": "XOR", "d": "NAND"},
            "b",
            "Se dispara cuando x1 + x2 ≥ 1.5 (el umbral es −b): ¿con qué entradas ocurre?",
        ),
        Question(
            {
                "a": "tiene pocos pesos",
                "b": "su frontera es una recta y las dos clases de XOR no se separan con una recta",
                "c": "su tasa de aprendizaje es demasiado pequeña",
                "d": "le falta el sesgo",
            },
            "b",
            "Dibuja los cuatro puntos de XOR e intenta separarlos con una sola recta.",
        ),
        Question(
            {
                "a": "la pérdida antes y después de entrenar",
                "b": "el gradiente de la retropropagación con $(L(w+\\varepsilon) - L(w-\\varepsilon)) / (2\\varepsilon)$",
                "c": "los pesos de Keras con los de NumPy",
                "d": "la salida de la red con la etiqueta",
            },
            "b",
            "Repasa la sección 6: se mueve un peso un poquito hacia cada lado.",
        ),
        Question(
            {"a": "12 parámetros", "b": "7 parámetros", "c": "16 parámetros", "d": "15 parámetros"},
            "c",
            "(entradas + 1) × neuronas: un peso por conexión y un sesgo por neurona.",
        ),
    ],
    title="Autoevaluación del cuaderno 01",
)
