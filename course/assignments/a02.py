"""Visible checks of assignment a02 (activation and loss functions in NumPy).

The references are Keras itself (``keras.activations`` and ``keras.losses``,
computed in float64): a student's function is correct when it matches Keras on
the visible inputs, on extreme values (±1000, probabilities 0 and 1) and on
random inputs. Hidden tests (only in ``source_assignments/``) call the same
exercises with held-out inputs (``extra_inputs=``), a tighter tolerance
(``rtol=``/``tol=``) and the answer key of the scenarios (``key=``). Keras is
imported inside the reference functions only, which live in
:mod:`course.grading.references` (absent from the grading kernel: there the
visible checks compare with Keras's outputs on the visible inputs, stored here).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from course.assignments.a01 import _VisibleOutputs
from course.checks import (
    Correct,
    Exercise,
    Incorrect,
    check_array,
    check_function,
    check_number,
    is_placeholder,
    not_attempted,
)
from course.checks._codes import mistake
from course.checks._mistakes import (
    BCE,
    CCE,
    LEAKY_RELU_SLOPE,
    MAE,
    MSE,
    RELU,
    SIGMOID,
    SOFTMAX,
    TANH,
)

__all__ = [
    "ACTIVATIONS",
    "LOSSES",
    "ej1",
    "ej2",
    "ej3",
    "ej4",
    "ej5",
    "ej6",
    "ej7",
    "ej8",
    "ej9",
]

#: Options of the scenario exercise.
ACTIVATIONS = ("linear", "relu", "sigmoid", "softmax", "tanh")
LOSSES = (
    "mse",
    "mae",
    "binary_crossentropy",
    "categorical_crossentropy",
    "sparse_categorical_crossentropy",
)
SCENARIOS = ("escenario_precio", "escenario_spam", "escenario_digitos", "escenario_onehot")

_OVERFLOW_FIX = (
    "Con valores extremos `np.exp` desborda (`inf`) y aparece `nan`: reescribe la fórmula "
    "de forma estable (por ejemplo restando el máximo antes de `np.exp`)."
)


# --------------------------------------------------------------------------- #
# references: Keras itself, in course.grading.references (absent from the sandbox)
# --------------------------------------------------------------------------- #
#: Expected outputs of the Keras references on the visible inputs (plain data), for
#: the visible checks run in the grading kernel, where the references are absent.
_VISIBLE_OUTPUTS: dict[str, list[Any]] = {}  # filled after the visible inputs below


def _reference(name: str, inputs: Sequence[Any]) -> tuple[Callable, dict[str, Any]]:
    """The Keras reference of ``name`` and the options of ``check_function`` with it.

    With the references importable (the instructor, a student's own session, the
    trusted grading process), the full check: extreme values and random inputs
    too. In the grading kernel, the visible inputs only (their outputs are stored
    here as data): the full check runs outside it.
    """
    try:
        from course.grading import references
    except ImportError:
        label = _KERAS_NAMES[name]
        reference = _VisibleOutputs(label, list(inputs), _VISIBLE_OUTPUTS[name])
        return reference, {"edge_cases": None, "random_inputs": 0}
    found: dict[str, Callable] = {
        "sigmoid": references.a02_activation("sigmoid"),
        "tanh": references.a02_activation("tanh"),
        "relu": references.a02_activation("relu"),
        "softmax": references.a02_activation("softmax", axis=-1),
        "leaky_relu": references.a02_leaky_relu,
        "mse": references.a02_loss("MeanSquaredError"),
        "mae": references.a02_loss("MeanAbsoluteError"),
        "bce": references.a02_loss("BinaryCrossentropy"),
        "cce": references.a02_loss("CategoricalCrossentropy"),
    }
    return found[name], {}


_KERAS_NAMES = {
    "sigmoid": "keras.activations.sigmoid",
    "tanh": "keras.activations.tanh",
    "relu": "keras.activations.relu",
    "softmax": "keras.activations.softmax",
    "leaky_relu": "keras.activations.leaky_relu",
    "mse": "keras.losses.MeanSquaredError",
    "mae": "keras.losses.MeanAbsoluteError",
    "bce": "keras.losses.BinaryCrossentropy",
    "cce": "keras.losses.CategoricalCrossentropy",
}


def _numpy_answer(fn: Callable, sample: Any, name: str) -> None:
    """The statement asks for NumPy: a function that returns a Keras (or other
    framework's) tensor is Keras's own function, not the student's."""
    if is_placeholder(fn) or not callable(fn):
        return
    try:
        out = fn(*sample) if isinstance(sample, tuple) else fn(sample)
    except Exception:  # noqa: BLE001 - check_function reports the error itself
        return
    plain = (np.ndarray, np.generic, float, int)
    if isinstance(out, plain) and not isinstance(out, bool):
        return
    kind = getattr(out, "type_name", None) or f"{type(out).__module__}.{type(out).__name__}"
    if not any(word in str(kind).lower() for word in ("tensor", "keras", "torch", "jax")):
        return  # lists and other values: check_function words their own message
    raise Incorrect(
        f"`{name}`",
        f"devuelve un tensor (`{kind}`), no un array de NumPy",
        "tu propia función escrita con NumPy",
        "El enunciado pide programarla tú con NumPy y compararla con Keras: no uses "
        "`keras.activations` ni `keras.losses` dentro de tu función (ni como tu función).",
    )


def _function_check(
    reference: str,
    inputs: Sequence[Any],
    name: str,
    edge_cases: Any,
    *,
    overflow_fix: str | None = None,
    mistakes: Any = None,
) -> Callable[..., Correct]:
    def check(
        fn: Callable, *, extra_inputs: Sequence[Any] = (), rtol: float = 1e-5, atol: float = 1e-7
    ) -> Correct:
        _numpy_answer(fn, inputs[0], name)
        ref, options = _reference(reference, inputs)
        return check_function(
            fn,
            ref,
            list(inputs),
            extra_inputs=list(extra_inputs),
            **{"edge_cases": edge_cases, "random_inputs": 5, **options},
            rtol=rtol,
            atol=atol,
            name=name,
            overflow_fix=overflow_fix,
            mistakes=mistakes,
        )

    return check


_VECTOR = np.array([-3.0, -0.5, 0.0, 0.5, 3.0])
_MATRIX = np.array([[1.0, -2.0, 0.25], [4.0, 0.0, -1.5]])


def _probabilities_pairs() -> list[tuple[np.ndarray, np.ndarray]]:
    return [
        (np.array([1.0, 0.0, 1.0, 1.0]), np.array([0.9, 0.2, 0.7, 0.6])),
        (np.array([[1.0], [0.0], [1.0]]), np.array([[0.8], [0.3], [0.55]])),
    ]


def _categorical_pairs() -> list[tuple[np.ndarray, np.ndarray]]:
    return [
        (np.array([0.0, 1.0, 0.0]), np.array([0.2, 0.7, 0.1])),
        (np.eye(3)[[0, 2]], np.array([[0.6, 0.3, 0.1], [0.25, 0.25, 0.5]])),
    ]


#: Extreme one-hot cases (each row of ``y_pred`` sums to 1, as softmax outputs do).
_CATEGORICAL_EDGES = [
    (np.array([1.0, 0.0]), np.array([0.0, 1.0])),
    (np.array([0.0, 1.0, 0.0]), np.array([0.0, 1.0, 0.0])),
    (np.array([[0.0, 0.0, 1.0]]), np.array([[1.0 - 1e-12, 0.0, 1e-12]])),
    (np.eye(3)[[0, 2]], np.array([[0.0, 0.5, 0.5], [0.2, 0.8, 0.0]])),
]


def _regression_pairs() -> list[tuple[np.ndarray, np.ndarray]]:
    return [
        (np.array([3.0, -0.5, 2.0, 7.0]), np.array([2.5, 0.0, 2.0, 8.0])),
        (np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.5, 1.0], [2.0, 4.5]])),
    ]


# Keras's outputs on the visible inputs above, in their order.
_VISIBLE_OUTPUTS.update(
    {
        "sigmoid": [
            np.array(
                [
                    0.04742587317756679,
                    0.37754066879814546,
                    0.5,
                    0.6224593312018546,
                    0.9525741268224333,
                ]
            ),
            np.array(
                [
                    [0.7310585786300049, 0.11920292202211755, 0.5621765008857981],
                    [0.9820137900379085, 0.5, 0.18242552380635632],
                ]
            ),
        ],
        "tanh": [
            np.array(
                [
                    -0.9950547536867305,
                    -0.4621171572600098,
                    0.0,
                    0.4621171572600098,
                    0.9950547536867305,
                ]
            ),
            np.array(
                [
                    [0.7615941559557649, -0.9640275800758169, 0.2449186624037091],
                    [0.9993292997390671, 0.0, -0.9051482536448664],
                ]
            ),
        ],
        "relu": [
            np.array([0.0, 0.0, 0.0, 0.5, 3.0]),
            np.array([[1.0, 0.0, 0.25], [4.0, 0.0, 0.0]]),
        ],
        "softmax": [
            np.array([0.09003057317038045, 0.2447284710547976, 0.6652409557748218]),
            np.array(
                [
                    [0.656963913584167, 0.03270830728083438, 0.3103277791349988],
                    [0.9780884609612482, 0.017914315052203998, 0.003997223986547706],
                ]
            ),
        ],
        "leaky_relu": [
            np.array([-0.6000000089406967, -0.10000000149011612, 0.0, 0.5, 3.0]),
            np.array([[1.0, -0.4000000059604645, 0.25], [4.0, 0.0, -0.30000000447034836]]),
            np.array([-0.30000000447034836, -0.05000000074505806, 0.0, 0.5, 3.0]),
            np.array([[1.0, -0.6000000238418579, 0.25], [4.0, 0.0, -0.45000001788139343]]),
        ],
        "mse": [0.375, 0.625],
        "mae": [0.5, 0.75],
        "bce": [0.2990011586691898, 0.3925518320028542],
        "cce": [0.3566749439387323, 0.601986402162968],
    }
)


def _exercise(name: str, title: str, check: Callable, hint: str) -> Exercise:
    return Exercise(name, check, title=title, hint=hint, graded=True)


# --------------------------------------------------------------------------- #
# Activations
# --------------------------------------------------------------------------- #
ej1 = _exercise(
    "ej1",
    "Ejercicio 1: sigmoide",
    _function_check(
        "sigmoid",
        [_VECTOR, _MATRIX],
        "sigmoide",
        "activation",
        mistakes=SIGMOID,
    ),
    "σ(z) = 1 / (1 + e^(−z)), elemento a elemento con `np.exp`.",
)

ej2 = _exercise(
    "ej2",
    "Ejercicio 2: tangente hiperbólica",
    _function_check(
        "tanh",
        [_VECTOR, _MATRIX],
        "tangente_hiperbolica",
        "activation",
        mistakes=TANH,
        overflow_fix="La fórmula con cuatro exponenciales da `inf/inf = nan` con valores "
        "grandes: usa `np.tanh` o escribe tanh a partir de la sigmoide, 2σ(2z) − 1.",
    ),
    "La fórmula directa desborda cuando |z| es grande: escribe tanh con exponenciales de "
    "números no positivos, o a partir de la sigmoide.",
)

ej3 = _exercise(
    "ej3",
    "Ejercicio 3: ReLU",
    _function_check("relu", [_VECTOR, _MATRIX], "relu", "activation", mistakes=RELU),
    "ReLU(z) = max(0, z) elemento a elemento: `np.maximum`, no `max`.",
)


def _check_leaky(
    leaky_relu: Callable, *, extra_inputs: Sequence[Any] = (), rtol: float = 1e-5
) -> Correct:
    inputs = [_VECTOR, _MATRIX, (_VECTOR, 0.1), (_MATRIX, 0.3)]
    _numpy_answer(leaky_relu, inputs[0], "leaky_relu")
    reference, options = _reference("leaky_relu", inputs)
    return check_function(
        leaky_relu,
        reference,
        inputs,
        extra_inputs=list(extra_inputs),
        **{"edge_cases": "activation", "random_inputs": 5, **options},
        rtol=rtol,
        name="leaky_relu",
        mistakes=LEAKY_RELU_SLOPE,
    )


ej4 = _exercise(
    "ej4",
    "Ejercicio 4: Leaky ReLU",
    _check_leaky,
    "Para z < 0 devuelve `pendiente * z`; usa el argumento `pendiente`, no un número fijo.",
)


# --------------------------------------------------------------------------- #
# Softmax (and its worked example)
# --------------------------------------------------------------------------- #
def _check_softmax(
    softmax: Callable,
    softmax_ejemplo: Any,
    *,
    extra_inputs: Sequence[Any] = (),
    rtol: float = 1e-5,
    tol: float = 1e-3,
) -> Correct:
    inputs = [np.array([1.0, 2.0, 3.0]), _MATRIX]
    _numpy_answer(softmax, inputs[0], "softmax")
    reference, options = _reference("softmax", inputs)
    result = check_function(
        softmax,
        reference,
        inputs,
        extra_inputs=list(extra_inputs),
        **{"edge_cases": "softmax", "random_inputs": 5, **options},
        rtol=rtol,
        name="softmax",
        mistakes=SOFTMAX,
        overflow_fix="Resta a cada fila su máximo antes de `np.exp` "
        "(`z - np.max(z, axis=-1, keepdims=True)`): el resultado no cambia y ya no desborda.",
    )
    exact = np.exp([1.0, 2.0, 3.0]) / np.exp([1.0, 2.0, 3.0]).sum()
    check_array(
        softmax_ejemplo,
        np.array([0.0900, 0.2447, 0.6652]) if tol >= 1e-3 else exact,
        rtol=0.0,
        atol=tol,
        what="`softmax_ejemplo` (softmax de [1, 2, 3])",
    )
    return result


ej5 = _exercise(
    "ej5",
    "Ejercicio 5: softmax estable",
    _check_softmax,
    "softmax(z)_i = e^(z_i) / Σ_j e^(z_j) sobre el último eje; resta antes el máximo de cada fila.",
)


# --------------------------------------------------------------------------- #
# Losses
# --------------------------------------------------------------------------- #
def _check_regression_losses(
    mse: Callable, mae: Callable, *, extra_inputs: Sequence[Any] = (), rtol: float = 1e-5
) -> Correct:
    for fn, name, mistakes in ((mse, "mse", MSE), (mae, "mae", MAE)):
        inputs = _regression_pairs()
        _numpy_answer(fn, inputs[0], name)
        reference, options = _reference(name, inputs)
        check_function(
            fn,
            reference,
            inputs,
            extra_inputs=list(extra_inputs),
            **{"edge_cases": None, "random_inputs": 5, **options},
            rtol=rtol,
            name=name,
            mistakes=mistakes,
        )
    return Correct("`mse` y `mae`", "coinciden con keras.losses", "los valores de Keras")


ej6 = _exercise(
    "ej6",
    "Ejercicio 6: MSE y MAE",
    _check_regression_losses,
    "Media de los errores al cuadrado (MSE) y de sus valores absolutos (MAE), con `np.mean`.",
)


def _check_bce(
    bce: Callable,
    bce_ejemplo: Any,
    *,
    extra_inputs: Sequence[Any] = (),
    rtol: float = 1e-5,
    tol: float = 1e-3,
) -> Correct:
    inputs = _probabilities_pairs()
    _numpy_answer(bce, inputs[0], "bce")
    reference, options = _reference("bce", inputs)
    result = check_function(
        bce,
        reference,
        inputs,
        extra_inputs=list(extra_inputs),
        **{"edge_cases": "crossentropy", "random_inputs": 5, **options},
        rtol=rtol,
        name="bce",
        mistakes=BCE,
        overflow_fix="Con probabilidades 0 o 1 aparece `log(0) = -inf`: recorta `y_pred` con "
        "`np.clip(y_pred, eps, 1 - eps)` antes del logaritmo.",
    )
    p = np.clip(np.array([0.9, 0.2, 0.7]), 1e-7, 1 - 1e-7)
    exact = float(-np.mean(np.array([1, 0, 1]) * np.log(p) + np.array([0, 1, 0]) * np.log(1 - p)))
    check_number(
        bce_ejemplo,
        0.2284 if tol >= 1e-3 else exact,
        tol=tol,
        what="`bce_ejemplo` (la BCE del ejemplo)",
        mistakes={
            3 * exact: mistake(
                "suma_no_media",
                "suma en lugar de media",
                "Usas la suma en lugar de la media de las pérdidas de los tres ejemplos.",
            ),
            -exact: mistake(
                "sin_signo_menos",
                "falta el signo menos",
                "Falta el signo menos delante de la media: la BCE es un número positivo.",
            ),
        },
    )
    return result


ej7 = _exercise(
    "ej7",
    "Ejercicio 7: entropía cruzada binaria",
    _check_bce,
    "BCE = −media(y·log(p) + (1 − y)·log(1 − p)); recorta p a [eps, 1 − eps] con `np.clip`.",
)


def _check_cce(cce: Callable, *, extra_inputs: Sequence[Any] = (), rtol: float = 1e-5) -> Correct:
    inputs = _categorical_pairs()
    _numpy_answer(cce, inputs[0], "cce")
    reference, options = _reference("cce", inputs)
    return check_function(
        cce,
        reference,
        inputs,
        extra_inputs=list(extra_inputs),
        **{"edge_cases": _CATEGORICAL_EDGES, "random_inputs": 5, **options},
        rtol=rtol,
        name="cce",
        mistakes=CCE,
        overflow_fix="Recorta `y_pred` con `np.clip(y_pred, eps, 1 - eps)` antes del logaritmo.",
    )


ej8 = _exercise(
    "ej8",
    "Ejercicio 8: entropía cruzada categórica",
    _check_cce,
    "Suma −y·log(p) sobre las clases (último eje) y promedia sobre los ejemplos.",
)


# --------------------------------------------------------------------------- #
# Scenarios: output activation + loss
# --------------------------------------------------------------------------- #
def _check_scenarios(
    escenario_precio: Any,
    escenario_spam: Any,
    escenario_digitos: Any,
    escenario_onehot: Any,
    *,
    key: Mapping[str, Sequence[tuple[str, str]]] | None = None,
) -> Correct:
    answers = dict(
        zip(
            SCENARIOS,
            (escenario_precio, escenario_spam, escenario_digitos, escenario_onehot),
            strict=True,
        )
    )
    normalized: dict[str, tuple[str, str]] = {}
    for name, value in answers.items():
        if is_placeholder(value):
            raise not_attempted(f"`{name}`")
        if (
            not isinstance(value, (tuple, list))
            or len(value) != 2
            or not all(isinstance(v, str) for v in value)
        ):
            raise Incorrect(
                f"el formato de `{name}`",
                repr(value)[:200],
                'una tupla (activación, pérdida), por ejemplo ("relu", "mse")',
                "Escribe dos textos entre paréntesis separados por una coma.",
            )
        act, loss = (v.strip().lower() for v in value)
        if act not in ACTIVATIONS or loss not in LOSSES:
            raise Incorrect(
                f"el formato de `{name}`",
                repr(value)[:200],
                f"una activación de {list(ACTIVATIONS)} y una pérdida de {list(LOSSES)}",
                "Copia los nombres exactamente como aparecen en el enunciado.",
            )
        normalized[name] = (act, loss)
    if key is None:
        return Correct(
            "el formato de tus cuatro respuestas",
            "cuatro pares (activación, pérdida) válidos",
            "pares válidos; si son los adecuados se comprueba al calificar",
        )
    for name, pair in normalized.items():
        accepted = {tuple(p) for p in key[name]}
        if pair not in accepted:
            act, loss = pair
            hint = "Piensa qué valores puede tomar la salida y cómo vienen las etiquetas."
            if loss in ("mse", "mae") and act in ("sigmoid", "softmax"):
                hint = (
                    "Para clasificar, la pérdida adecuada es una entropía cruzada: el error "
                    "cuadrático medio casi no corrige una probabilidad muy equivocada."
                )
            elif loss == "categorical_crossentropy" and name == "escenario_digitos":
                hint = (
                    "Las etiquetas son enteros 0-9, no vectores one-hot: ¿qué pérdida los acepta?"
                )
            elif act in ("sigmoid", "tanh") and name == "escenario_precio":
                hint = (
                    "sigmoid y tanh están acotadas (entre 0 y 1, entre −1 y 1): no pueden dar "
                    "un precio de miles de euros. Usa una salida sin límites."
                )
            elif act == "relu" and name == "escenario_precio":
                hint = (
                    "ReLU no está acotada por arriba, pero convierte en 0 todo valor negativo y "
                    "ahí su gradiente es 0: si la neurona de salida cae en esa zona deja de "
                    "aprender. Para un número real, la salida habitual es lineal."
                )
            raise Incorrect(f"`{name}`", repr(pair), "otro par (activación, pérdida)", hint)
    return Correct("los cuatro escenarios", "todos adecuados", "los pares adecuados")


ej9 = _exercise(
    "ej9",
    "Ejercicio 9: activación de salida y pérdida para cada problema",
    _check_scenarios,
    "Regresión: salida sin acotar. Binaria: una probabilidad. Varias clases: una "
    "distribución; y mira el formato de las etiquetas.",
)
