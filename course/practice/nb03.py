"""Practice exercises of notebook 03 (loss functions).

In the notebook::

    from course.practice import nb03 as practica
    practica.ej1.check(mse)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from course.checks import (
    Correct,
    Exercise,
    FunctionExercise,
    Incorrect,
    normalize_text,
    not_attempted,
)
from course.checks._mistakes import BCE, MSE
from course.practice._backprop import check_xor_backprop
from course.practice._quiz import Question, SelfAssessment

__all__ = ["EXERCISES", "ej1", "ej2", "ej3", "ej4", "autoevaluacion"]

_CLIP = 1e-7


def _reference_mse(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Mean squared error over every element."""
    diff = np.asarray(y_true, dtype=float) - np.asarray(y_pred, dtype=float)
    return float(np.mean(diff**2))


def _reference_bce(y_true: np.ndarray, p: np.ndarray) -> float:
    """Binary cross-entropy with the probabilities clipped to [1e-7, 1 - 1e-7]."""
    y = np.asarray(y_true, dtype=float)
    q = np.clip(np.asarray(p, dtype=float), _CLIP, 1 - _CLIP)
    return float(-np.mean(y * np.log(q) + (1 - y) * np.log(1 - q)))


def _random_regression(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    n = int(rng.integers(1, 12))
    return rng.normal(scale=5.0, size=n), rng.normal(scale=5.0, size=n)


def _random_binary(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    n = int(rng.integers(1, 12))
    return rng.integers(0, 2, size=n).astype(float), rng.uniform(0.001, 0.999, size=n)


ej1 = FunctionExercise(
    "ej1",
    reference=_reference_mse,
    inputs=[
        (np.array([4.0, 1.0, 4.0, 2.0, 0.0]), np.array([3.0, 3.0, 4.0, 3.0, 3.0])),
        (np.array([0.5, -1.5, 2.0]), np.array([0.0, -1.0, 2.5])),
    ],
    edge_cases=[
        (np.array([2.0, 2.0]), np.array([2.0, 2.0])),
        (np.array([7.0]), np.array([-3.0])),
        (np.array([1e3, -1e3, 0.0]), np.array([-1e3, 1e3, 0.0])),
    ],
    random_inputs=_random_regression,
    mistakes=MSE,
    title="Ejercicio 1: error cuadrático medio (MSE)",
    hint=[
        "Resta, eleva al cuadrado y haz la media: todo con operaciones de NumPy sobre el "
        "array completo, sin bucles.",
        "Con el ejemplo de la lección, `mse(np.array([4, 1, 4, 2, 0]), "
        "np.array([3, 3, 4, 3, 3]))` debe dar 3.0.",
    ],
    solution='''import numpy as np


def mse(y_true, y_pred):
    """Error cuadrático medio."""
    return np.mean((np.asarray(y_true) - np.asarray(y_pred)) ** 2)
''',
)

ej2 = FunctionExercise(
    "ej2",
    reference=_reference_bce,
    inputs=[
        (np.array([1.0, 0.0, 1.0, 1.0]), np.array([0.9, 0.2, 0.6, 0.99])),
        (np.array([0.0, 1.0]), np.array([0.5, 0.5])),
    ],
    edge_cases=[
        (np.array([1.0, 0.0]), np.array([1.0, 0.0])),
        (np.array([1.0, 0.0]), np.array([0.0, 1.0])),
        (np.array([1.0]), np.array([1e-12])),
        (np.array([0.0, 1.0, 0.0]), np.array([1e-9, 1.0 - 1e-9, 0.5])),
    ],
    random_inputs=_random_binary,
    mistakes=BCE,
    overflow_fix="Recorta las probabilidades antes del logaritmo: "
    "`p = np.clip(p, 1e-7, 1 - 1e-7)`.",
    title="Ejercicio 2: entropía cruzada binaria (BCE)",
    hint=[
        "La fórmula es −media( y·log(p) + (1 − y)·log(1 − p) ).",
        "log(0) es −infinito: recorta antes `p = np.clip(p, 1e-7, 1 - 1e-7)`, como hace Keras.",
    ],
    solution='''import numpy as np


def bce(y_true, p):
    """Entropía cruzada binaria, con las probabilidades recortadas como en Keras."""
    y_true = np.asarray(y_true, dtype=float)
    p = np.clip(np.asarray(p, dtype=float), 1e-7, 1 - 1e-7)
    return -np.mean(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))
''',
)

_LOSS_KEY = {
    "precio": "mse",
    "spam": "binary_crossentropy",
    "digito": "sparse_categorical_crossentropy",
    "prenda_one_hot": "categorical_crossentropy",
}
_LOSS_OPTIONS = (
    "mse",
    "binary_crossentropy",
    "categorical_crossentropy",
    "sparse_categorical_crossentropy",
    "hinge",
    "poisson",
)
#: Other spellings Keras accepts for the same loss.
_LOSS_SYNONYMS = {
    "mean_squared_error": "mse",
    "meansquarederror": "mse",
    "bce": "binary_crossentropy",
    "cce": "categorical_crossentropy",
    "scce": "sparse_categorical_crossentropy",
}

_LOSS_WHY = {
    "precio": "la salida es un número real: una pérdida de regresión",
    "spam": "dos clases con una salida sigmoide: la entropía cruzada binaria",
    "digito": "10 clases con etiquetas enteras (0 a 9): la entropía cruzada categórica dispersa",
    "prenda_one_hot": "10 clases con etiquetas one-hot: la entropía cruzada categórica",
}


def _check_losses(answer: Any) -> Correct:
    """The loss chosen for each of the four scenarios."""
    what = "la función de pérdida elegida para cada escenario"
    if not isinstance(answer, Mapping):
        raise Incorrect(
            what,
            f"un valor de tipo `{type(answer).__name__}`",
            f"un diccionario con las claves {', '.join(repr(k) for k in _LOSS_KEY)}",
            "Completa el diccionario de la celda, sin cambiar sus claves.",
        )
    answer = {normalize_text(k) if isinstance(k, str) else k: v for k, v in answer.items()}
    missing = [k for k in _LOSS_KEY if k not in answer]
    if missing:
        raise Incorrect(
            what,
            f"faltan las claves {missing}",
            f"las claves {', '.join(repr(k) for k in _LOSS_KEY)}",
            "No cambies las claves del diccionario: rellena solo los valores.",
        )
    for scenario, expected in _LOSS_KEY.items():
        value = answer[scenario]
        if value is None or value is Ellipsis:
            raise not_attempted(f"la pérdida del escenario «{scenario}»")
        if not isinstance(value, str):
            raise Incorrect(
                f"la pérdida del escenario «{scenario}»",
                f"un valor de tipo `{type(value).__name__}`",
                "el nombre de la pérdida como texto, por ejemplo 'mse'",
                "Escribe el nombre entre comillas, tal como lo aceptaría compile(loss=...).",
            )
        chosen = normalize_text(value).replace(" ", "_")
        chosen = _LOSS_SYNONYMS.get(chosen, chosen)
        if chosen not in _LOSS_OPTIONS:
            raise Incorrect(
                f"la pérdida del escenario «{scenario}»",
                repr(value),
                f"uno de los nombres {', '.join(repr(o) for o in _LOSS_OPTIONS)}",
                "Copia el nombre exactamente de la lista del enunciado.",
            )
        if chosen != expected:
            raise Incorrect(
                f"la pérdida del escenario «{scenario}»",
                repr(value),
                _LOSS_WHY[scenario],
                "Repasa la tabla de los tres escenarios: tipo de salida, activación y formato "
                "de las etiquetas.",
            )
    return Correct(what, "las cuatro elecciones", "MSE, BCE, CCE dispersa y CCE")


ej3 = Exercise(
    "ej3",
    check=_check_losses,
    title="Ejercicio 3: elegir la función de pérdida",
    hint=[
        "Primero decide si es regresión, clasificación binaria o multiclase.",
        "En multiclase mira el formato de las etiquetas: un entero por ejemplo (3) o un "
        "vector one-hot ([0, 0, 0, 1, 0, ...]).",
    ],
    solution="""perdidas = {
    "precio": "mse",                                # regresión
    "spam": "binary_crossentropy",                  # binaria, 1 sigmoide
    "digito": "sparse_categorical_crossentropy",    # multiclase, etiquetas enteras
    "prenda_one_hot": "categorical_crossentropy",   # multiclase, etiquetas one-hot
}
""",
)

ej4 = Exercise(
    "ej4",
    check=check_xor_backprop,
    title="Ejercicio 4: retropropagación de la red XOR con entropía cruzada",
    hint=[
        "Con sigmoide y entropía cruzada binaria, δ₂ = ∂L/∂z₂ = (p − y) / N (el factor "
        "p (1 − p) de la sigmoide se cancela). Lo demás es como en la sección 6 del cuaderno "
        "01: dL/dW₂ = hᵀ δ₂, dL/db₂ = suma de δ₂ sobre los ejemplos, δ₁ = (δ₂ W₂ᵀ) ⊙ h ⊙ (1 − h), "
        "dL/dW₁ = xᵀ δ₁ y dL/db₁ = suma de δ₁ sobre los ejemplos.",
        "Para `gradiente_numerico` recorre cada parámetro y cada posición con "
        "`np.ndindex(valor.shape)`: guarda el valor, pon valor + ε y evalúa f, pon valor − ε "
        "y evalúa f, restaura el valor y guarda (f₊ − f₋) / (2ε). Después compara los dos "
        "diccionarios con `np.allclose`.",
    ],
    solution='''import numpy as np


def gradientes_bce(parametros, x, y):
    """Gradiente de la entropía cruzada binaria media de la red 2-2-1 (retropropagación)."""
    h = 1 / (1 + np.exp(-(x @ parametros["W1"] + parametros["b1"])))
    p = 1 / (1 + np.exp(-(h @ parametros["W2"] + parametros["b2"])))
    delta2 = (p - y) / len(x)                                # dL/dz2 con sigmoide + BCE
    delta1 = (delta2 @ parametros["W2"].T) * h * (1 - h)     # dL/dz1 (regla de la cadena)
    return {
        "W1": x.T @ delta1,
        "b1": delta1.sum(axis=0),
        "W2": h.T @ delta2,
        "b2": delta2.sum(axis=0),
    }


def gradiente_numerico(f, parametros, eps=1e-6):
    """Derivadas de f(parametros) por diferencias centrales, posición a posición."""
    derivadas = {}
    for nombre, valor in parametros.items():
        derivada = np.zeros_like(valor)
        for indice in np.ndindex(valor.shape):
            original = valor[indice]
            valor[indice] = original + eps
            f_mas = f(parametros)
            valor[indice] = original - eps
            f_menos = f(parametros)
            valor[indice] = original                         # deja el parámetro como estaba
            derivada[indice] = (f_mas - f_menos) / (2 * eps)
        derivadas[nombre] = derivada
    return derivadas
''',
)

#: (exercise, names of the variables its solution defines and its check takes)
EXERCISES: list[tuple[Exercise, tuple[str, ...]]] = [
    (ej1, ("mse",)),
    (ej2, ("bce",)),
    (ej3, ("perdidas",)),
    (ej4, ("gradientes_bce", "gradiente_numerico")),
]


#: The self-assessment quiz that closes the notebook (apart from EXERCISES).
autoevaluacion = SelfAssessment(
    [
        Question(
            {
                "a": "`binary_crossentropy`",
                "b": "`categorical_crossentropy`",
                "c": "`sparse_categorical_crossentropy`",
                "d": "`mse`",
            },
            "c",
            "Multiclase con etiquetas enteras: la entropía cruzada categórica dispersa.",
        ),
        Question(
            {"a": "4/3", "b": "2/3", "c": "4", "d": "2"},
            "a",
            "Errores 0, 0 y 2; al cuadrado 0, 0 y 4; y después la media de los tres.",
        ),
        Question(
            {
                "a": "según la pérdida",
                "b": "según las formas de las etiquetas y de la salida",
                "c": "siempre `BinaryAccuracy`",
                "d": "siempre `CategoricalAccuracy`",
            },
            "b",
            "Repasa el final de la sección de BCE con softmax: una salida, etiquetas enteras o one-hot.",
        ),
    ],
    title="Autoevaluación del cuaderno 03",
)
