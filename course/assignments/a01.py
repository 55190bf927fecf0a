"""Visible checks of assignment a01 (the artificial neuron and the perceptron).

Graded exercises carry no ``solution``: solutions are published by the
instructor after the deadline, never through the package.

Each exercise is a graded :class:`course.checks.Exercise`: the notebook's
visible test calls ``ejN.check(...)`` with the student's answer, and the hidden
test (only in ``source_assignments/``) calls the same exercise with keyword
extras: held-out inputs (``extra_inputs=``, ``extra_datasets=``), stricter
tolerances (``tol=``) and the answer key (``key=``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from course.checks import (
    CheckSpecError,
    Correct,
    Exercise,
    Incorrect,
    check_array,
    check_choice,
    check_function,
    check_number,
    is_placeholder,
    not_attempted,
    student_exception,
)
from course.checks._codes import mistake
from course.checks._mistakes import LAYER, NEURON, SIGMOID, STEP, WEIGHTED_SUM

__all__ = [
    "AND_X",
    "AND_Y",
    "XOR_X",
    "XOR_Y",
    "ej1",
    "ej2",
    "ej3",
    "ej4",
    "ej5",
    "ej6",
    "ej7",
]

#: The four binary inputs, in the order 00, 01, 10, 11.
AND_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
AND_Y = np.array([0, 0, 0, 1])
XOR_X = AND_X.copy()
XOR_Y = np.array([0, 1, 1, 0])

XOR_OPTIONS = ("a", "b", "c")

#: The perceptron does not separate separable data (usually: the bias is never updated).
_NOT_SEPARATED = mistake("no_separa", "no separa datos separables", "")


# --------------------------------------------------------------------------- #
# references: in course.grading.references, absent from the grading sandbox
# --------------------------------------------------------------------------- #
#: Expected outputs of the references on the visible inputs (plain data), for the
#: visible checks run in the grading kernel, where the references are absent.
_VISIBLE_OUTPUTS: dict[str, list[Any]] = {
    "weighted_sum": [7.0, -1.75],
    "step": [np.array([0.0, 0.0, 1.0, 1.0])],
    "sigmoid": [
        np.array(
            [0.04742587317756678, 0.2689414213699951, 0.5, 0.7310585786300049, 0.9525741268224334]
        )
    ],
    "neuron": [0.9999983369439447, -1.0, -0.6043677771171634],
    "layer": [
        np.array([0.9950547536867305, 0.9950547536867305]),
        np.array([1.0, 1.0, 1.0]),
        np.array([-0.197375320224904]),
    ],
    "predict": [np.array([0.0, 0.0, 0.0, 1.0]), np.array([0.0, 1.0, 1.0, 1.0])],
}
#: σ(7), σ(3) and σ(σ(3)): the values of the worked examples of exercises 4 and 5.
_SIGMOID_7 = 0.9990889488055994
_SIGMOID_3 = 0.9525741268224334
_SIGMOID_OF_SIGMOID_3 = 0.7216325609518421


def _same(a: Any, b: Any) -> bool:
    if callable(b) or callable(a):
        return a is b
    if isinstance(a, tuple) or isinstance(b, tuple):
        return (
            isinstance(a, tuple)
            and isinstance(b, tuple)
            and len(a) == len(b)
            and all(_same(x, y) for x, y in zip(a, b, strict=True))
        )
    x, y = np.asarray(a), np.asarray(b)
    return x.shape == y.shape and x.dtype.kind == y.dtype.kind and bool(np.array_equal(x, y))


class _VisibleOutputs:
    """A reference known only on the visible inputs: their expected outputs as data."""

    def __init__(self, name: str, inputs: Sequence[Any], outputs: Sequence[Any]) -> None:
        self.__name__ = self.__qualname__ = name
        self._pairs = list(zip(inputs, outputs, strict=True))

    def __call__(self, *args: Any) -> Any:
        given = args[0] if len(args) == 1 else tuple(args)
        for inputs, output in self._pairs:
            if _same(given, inputs):
                return np.copy(output) if isinstance(output, np.ndarray) else output
        raise CheckSpecError(
            "Esta comprobación solo conoce los resultados de sus propias entradas de prueba."
        )


def _reference(name: str, inputs: Sequence[Any]) -> tuple[Callable, dict[str, Any]]:
    """The reference of ``name`` and the options of ``check_function`` that go with it.

    With the references importable (the instructor, a student's own session, the
    trusted grading process), the full check. In the grading kernel, the visible
    inputs only: no random inputs and no edge cases, whose outputs are not stored.
    """
    try:
        from course.grading import references
    except ImportError:
        reference = _VisibleOutputs(name, inputs, _VISIBLE_OUTPUTS[name])
        return reference, {"edge_cases": None, "random_inputs": 0}
    return getattr(references, f"a01_{name}"), {}


def _call(fn: Callable, args: tuple, what: str, fix: str) -> Any:
    """Call a student's function; a stub is NotAttempted, an error Incorrect."""
    if is_placeholder(fn):
        raise not_attempted(what)
    try:
        return fn(*args)
    except NotImplementedError:
        raise not_attempted(what) from None
    except Exception as exc:
        raise student_exception(what, exc, "que se ejecute sin errores", fix) from None


# --------------------------------------------------------------------------- #
# Ejercicio 1: suma ponderada
# --------------------------------------------------------------------------- #
def _check_weighted_sum(suma_ponderada: Callable, *, extra_inputs: Sequence = ()) -> Correct:
    inputs = [
        (np.array([2.0, 3.0]), np.array([0.0, 1.0]), 4.0),
        (np.array([1.0, -1.0, 0.5]), np.array([0.5, 0.25, -2.0]), -1.0),
    ]
    reference, options = _reference("weighted_sum", inputs)
    return check_function(
        suma_ponderada,
        reference,
        inputs,
        extra_inputs=list(extra_inputs),
        **{"edge_cases": None, "random_inputs": 5, **options},
        name="suma_ponderada",
        mistakes=WEIGHTED_SUM,
    )


ej1 = Exercise(
    "ej1",
    _check_weighted_sum,
    title="Ejercicio 1: suma ponderada",
    hint="Multiplica cada entrada por su peso, suma los productos y añade el sesgo: "
    "`np.dot(w, x)` hace la primera parte.",
    graded=True,
)


# --------------------------------------------------------------------------- #
# Ejercicio 2: función escalón
# --------------------------------------------------------------------------- #
def _check_step(escalon: Callable, *, extra_inputs: Sequence = ()) -> Correct:
    inputs = [np.array([-3.0, -0.5, 0.25, 2.0])]
    reference, options = _reference("step", inputs)
    return check_function(
        escalon,
        reference,
        inputs,
        extra_inputs=list(extra_inputs),
        **{"random_inputs": 5, **options},
        name="escalon",
        mistakes=STEP,
    )


ej2 = Exercise(
    "ej2",
    _check_step,
    title="Ejercicio 2: función escalón",
    hint="`np.where(condición, 1.0, 0.0)` trabaja elemento a elemento. Fíjate en qué "
    "debe devolver la función exactamente en 0.",
    graded=True,
)


# --------------------------------------------------------------------------- #
# Ejercicio 3: sigmoide
# --------------------------------------------------------------------------- #
def _check_sigmoid(sigmoide: Callable, *, extra_inputs: Sequence = ()) -> Correct:
    inputs = [np.array([-3.0, -1.0, 0.0, 1.0, 3.0])]
    reference, options = _reference("sigmoid", inputs)
    return check_function(
        sigmoide,
        reference,
        inputs,
        extra_inputs=list(extra_inputs),
        **{"random_inputs": 5, **options},
        name="sigmoide",
        mistakes=SIGMOID,
    )


ej3 = Exercise(
    "ej3",
    _check_sigmoid,
    title="Ejercicio 3: sigmoide",
    hint="σ(z) = 1 / (1 + e^(−z)); usa `np.exp` para que funcione con arrays.",
    graded=True,
)


# --------------------------------------------------------------------------- #
# Ejercicio 4: la neurona completa y el ejemplo x = (2, 3)
# --------------------------------------------------------------------------- #
def _check_neuron(
    neurona: Callable,
    salida_ejemplo: Any,
    *,
    extra_inputs: Sequence = (),
    tol: float = 1e-3,
) -> Correct:
    # The activations are NumPy functions: a check outside the kernel sends them to
    # the student's function by name (see course.grading.hidden_tests).
    inputs = [
        (np.array([2.0, 3.0]), np.array([0.0, 1.0]), 4.0, np.tanh),
        (np.array([1.0, -2.0]), np.array([0.5, 0.5]), 0.0, np.sign),
        (np.array([0.5, 0.5, -1.0]), np.array([1.0, -2.0, 0.5]), 0.3, np.tanh),
    ]
    reference, options = _reference("neuron", inputs)
    result = check_function(
        neurona,
        reference,
        inputs,
        extra_inputs=list(extra_inputs),
        **{"edge_cases": None, "random_inputs": 0, **options},
        name="neurona",
        mistakes=NEURON,
    )
    check_number(
        salida_ejemplo,
        0.999 if tol >= 1e-3 else _SIGMOID_7,
        tol=tol,
        what="`salida_ejemplo` (la salida de la neurona del ejemplo)",
        mistakes={
            _SIGMOID_3: mistake(
                "sin_sesgo",
                "olvida el sesgo",
                "Ese es σ(3): te has olvidado de sumar el sesgo b = 4.",
            )
        },
    )
    return result


ej4 = Exercise(
    "ej4",
    _check_neuron,
    title="Ejercicio 4: la neurona completa",
    hint="La neurona aplica la activación a la suma ponderada: reutiliza tu "
    "`suma_ponderada`. En el ejemplo, z = 0·2 + 1·3 + 4 = 7.",
    graded=True,
)


# --------------------------------------------------------------------------- #
# Ejercicio 5: una capa y la red 2-2-1
# --------------------------------------------------------------------------- #
def _check_network(
    capa: Callable,
    h: Any,
    salida: Any,
    *,
    extra_inputs: Sequence = (),
    tol: float = 1e-4,
) -> Correct:
    inputs = [
        (np.array([2.0, 3.0]), np.array([[0.0, 1.0], [0.0, 1.0]]), np.zeros(2), np.tanh),
        (
            np.array([1.0, 2.0]),
            np.array([[1.0, 0.0], [2.0, -1.0], [0.5, 0.5]]),
            np.ones(3),
            np.sign,
        ),
        (np.array([0.5, -1.0, 2.0]), np.array([[0.2, 0.4, -0.1]]), np.array([0.3]), np.tanh),
    ]
    reference, options = _reference("layer", inputs)
    result = check_function(
        capa,
        reference,
        inputs,
        extra_inputs=list(extra_inputs),
        **{"edge_cases": None, "random_inputs": 0, **options},
        name="capa",
        mistakes=LAYER,
    )
    exact_h = _SIGMOID_3
    loose = tol >= 1e-4
    check_array(
        h,
        np.array([0.9526, 0.9526]) if loose else np.array([exact_h, exact_h]),
        rtol=0.0,
        atol=tol,
        what="`h` (las salidas de la capa oculta)",
    )
    check_number(
        salida,
        0.7216 if loose else _SIGMOID_OF_SIGMOID_3,
        tol=tol,
        what="`salida` (la salida de la red)",
        mistakes={
            exact_h: mistake(
                "sin_neurona_salida",
                "falta la neurona de salida",
                "Ese es el valor de h2: falta aplicar la neurona de salida.",
            )
        },
    )
    return result


ej5 = Exercise(
    "ej5",
    _check_network,
    title="Ejercicio 5: una capa densa y la red 2-2-1",
    hint="Con W de forma (neuronas, entradas), la capa calcula `activacion(W @ x + b)`. "
    "La red aplica dos capas seguidas: la salida de la primera es la entrada de la segunda.",
    graded=True,
)


# --------------------------------------------------------------------------- #
# Ejercicio 6: regla del perceptrón (AND)
# --------------------------------------------------------------------------- #
def _check_perceptron_data(
    entrenar: Callable, predecir: Callable, x: np.ndarray, y: np.ndarray, name: str, epochs: int
) -> None:
    what = f"`entrenar_perceptron` con los datos {name}"
    fix = (
        "Recorre los ejemplos uno a uno: predicción con el escalón, error = y − ŷ, "
        "`w += tasa * error * x` y `b += tasa * error`."
    )
    trained = _call(entrenar, (x.copy(), y.copy(), 0.1, epochs), what, fix)
    if not isinstance(trained, tuple) or len(trained) != 2:
        raise Incorrect(
            what,
            f"un resultado de tipo `{type(trained).__name__}`",
            "una tupla `(w, b)` con los pesos y el sesgo",
            "Termina la función con `return w, b`.",
        )
    w, b = trained
    predicted = _call(
        predecir,
        (x.copy(), w, b),
        f"`predecir` con los pesos aprendidos ({name})",
        "`predecir` debe devolver el escalón de `X @ w + b`, una predicción por fila.",
    )
    predicted = np.asarray(predicted).reshape(-1)
    if predicted.shape != y.shape or not np.array_equal(predicted.astype(float), y.astype(float)):
        raise Incorrect(
            what,
            f"tras {epochs} épocas, las predicciones {predicted.tolist()} "
            f"(w = {np.round(np.asarray(w, dtype=float), 3).tolist()}, b = {np.round(float(np.asarray(b, dtype=float).reshape(-1)[0]), 3)})",
            f"las etiquetas {y.tolist()}: los datos {name} son linealmente separables, así "
            "que la regla del perceptrón debe acertarlos todos",
            fix + " ¿Actualizas también el sesgo?",
        ).tagged(_NOT_SEPARATED)


def _check_perceptron(
    entrenar_perceptron: Callable,
    predecir: Callable,
    *,
    extra_datasets: Sequence[tuple[str, np.ndarray, np.ndarray]] = (),
) -> Correct:
    rng = np.random.default_rng(1)
    w_test, b_test = rng.normal(size=2), -0.2
    inputs = [(AND_X, np.array([1.0, 1.0]), -1.5), (AND_X, w_test, b_test)]
    reference, options = _reference("predict", inputs)
    check_function(
        predecir,
        reference,
        inputs,
        **{"edge_cases": None, "random_inputs": 0, **options},
        name="predecir",
    )
    datasets = [("AND", AND_X, AND_Y, 20), *[(n, x, y, 100) for n, x, y in extra_datasets]]
    for name, x, y, epochs in datasets:
        _check_perceptron_data(entrenar_perceptron, predecir, x, y, name, epochs)
    return Correct(
        "`predecir` y `entrenar_perceptron`",
        f"el perceptrón aprende {', '.join(d[0] for d in datasets)} sin errores",
        "que aprenda datos linealmente separables",
    )


ej6 = Exercise(
    "ej6",
    _check_perceptron,
    title="Ejercicio 6: la regla de aprendizaje del perceptrón",
    hint="Empieza con w = 0 y b = 0. En cada época recorre los ejemplos; si la "
    "predicción falla, mueve los pesos en la dirección del error.",
    graded=True,
)


# --------------------------------------------------------------------------- #
# Ejercicio 7: XOR
# --------------------------------------------------------------------------- #
def _check_xor(
    predecir: Callable,
    w_xor: Any,
    b_xor: Any,
    aciertos_xor: Any,
    respuesta_xor: Any,
    *,
    key: str | None = None,
) -> Correct:
    for value, label in ((w_xor, "`w_xor`"), (b_xor, "`b_xor`")):
        if is_placeholder(value):
            raise not_attempted(label)
    check_number(aciertos_xor, None, what="`aciertos_xor`")
    what = "`aciertos_xor` (aciertos del perceptrón entrenado sobre XOR)"
    predicted = _call(
        predecir,
        (XOR_X.copy(), w_xor, b_xor),
        "`predecir` con `w_xor` y `b_xor`",
        "Comprueba que `w_xor, b_xor` son lo que devuelve `entrenar_perceptron`.",
    )
    actual = int((np.asarray(predicted).reshape(-1) == XOR_Y).sum())
    check_number(
        aciertos_xor,
        actual,
        what=what,
        fix="Cuenta las predicciones iguales a `y_xor`: `int((predecir(X_xor, w_xor, b_xor) "
        "== y_xor).sum())`. No escribas el número a mano.",
    )
    if actual == 4:
        raise Incorrect(
            what,
            "4 aciertos de 4",
            "menos de 4: ninguna recta separa las clases de XOR",
            "Entrena con `entrenar_perceptron` sobre `X_xor, y_xor` tal como indica el "
            "enunciado y usa sus pesos.",
        )
    check_choice(respuesta_xor, XOR_OPTIONS, key, what="`respuesta_xor`")
    return Correct(
        "el perceptrón sobre XOR",
        f"{actual} aciertos de 4 y la respuesta {respuesta_xor!r}",
        "menos de 4 aciertos y una explicación válida",
    )


ej7 = Exercise(
    "ej7",
    _check_xor,
    title="Ejercicio 7: el perceptrón no puede aprender XOR",
    hint="Dibuja los cuatro puntos de XOR: ¿puedes trazar una recta que deje los dos "
    "unos a un lado y los dos ceros al otro?",
    graded=True,
)
