"""The corpus: answers, expected verdicts and causes; the runner and its table.

Every case names an exercise, the answer (the values the notebook passes to
``check``), the verdict an instructor would give and, for a wrong answer, a
regular expression for the cause its message must name. The runner calls the
exercise the way the notebooks do: the visible call, then each hidden call
with its extras (copied from ``source_assignments/``). ``Exercise.evaluate`` is
used so that a failure is returned instead of raised.

Measured per case:

- false rejection: a correct answer that some call does not accept;
- false acceptance: a wrong answer that every call accepts;
- generic: the message of a wrong answer is only "compare your formula";
- wrong cause: the message does not name the expected cause, or names the
  cause of another known mistake of the same exercise;
- raw English: an exception's English text is the whole explanation;
- crash: the checker itself raised.

Run ``python -m tests.corpus.cases`` for the table (``-v`` lists every flagged
answer, ``--fast`` leaves out the answers that train Keras models).
"""

from __future__ import annotations

import contextlib
import re
import sys
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import students as s

# --------------------------------------------------------------------------- #
# how each exercise is called (visible call options, hidden call options)
# --------------------------------------------------------------------------- #


def _exercise(path: str) -> Any:
    module_name, name = path.split(".")
    package = "course.practice" if module_name.startswith("nb") else "course.assignments"
    module = __import__(f"{package}.{module_name}", fromlist=[name])
    return getattr(module, name)


_A01_EXTRA = {
    "a01.ej1": [
        {
            "extra_inputs": [
                (np.array([0.3, -1.2, 2.5, 4.0, -0.7]), np.array([1.5, 0.2, -0.4, 0.1, 2.0]), 0.75),
                (np.array([1, 2]), np.array([3, -4]), 0),
                (np.array([10.0]), np.array([-0.5]), -2.5),
            ]
        }
    ],
    "a01.ej2": [
        {"extra_inputs": [np.array([[0.0, -1e-9, 1e-9], [-7.0, 7.0, 0.0]]), np.array([-0.0, 0.0])]}
    ],
    "a01.ej3": [{"extra_inputs": [np.array([[-6.5, 0.1], [2.2, 9.0]]), np.array([-30.0, 30.0])]}],
    "a01.ej4": [
        {
            "extra_inputs": [
                (np.array([-1.0, 0.5, 2.0, 0.0]), np.array([0.3, -0.6, 0.2, 5.0]), -0.1, np.tanh)
            ],
            "tol": 1e-9,
        }
    ],
    "a01.ej5": [
        {
            "extra_inputs": [
                (
                    np.array([1.0, -1.0, 0.5, 2.0]),
                    np.arange(12.0).reshape(3, 4) / 10 - 0.5,
                    np.array([0.1, -0.2, 0.3]),
                    np.tanh,
                )
            ],
            "tol": 1e-9,
        }
    ],
}

HIDDEN: dict[str, list[dict[str, Any]]] = {
    **_A01_EXTRA,
    "a02.ej1": [{"extra_inputs": [np.linspace(-40.0, 40.0, 17).reshape(1, 17, 1)], "rtol": 1e-7}],
    "a02.ej2": [{"extra_inputs": [np.array([[-355.0, 0.001], [-0.001, 355.0]])], "rtol": 1e-7}],
    "a02.ej3": [{"extra_inputs": [np.array([[-1e-12, 1e-12], [-5.5, 5.5]])], "rtol": 1e-12}],
    "a02.ej4": [
        {
            "extra_inputs": [(np.array([-10.0, -0.5, 2.0]), 0.05), (np.array([[-3.0, 3.0]]), 0.5)],
            "rtol": 1e-7,
        }
    ],
    "a02.ej5": [
        {
            "extra_inputs": [
                np.array([[[-745.0, 0.0, 709.0]], [[3.0, 3.0, 3.0]]]),
                np.array([50.0, -50.0, 2.0, 1e-3]),
            ],
            "rtol": 1e-7,
            "tol": 1e-9,
        }
    ],
    "a02.ej6": [
        {
            "extra_inputs": [
                (np.array([[100.0], [-100.0]]), np.array([[99.0], [-98.0]])),
                (np.zeros(6), np.linspace(-1.0, 1.0, 6)),
            ],
            "rtol": 1e-7,
        }
    ],
    "a02.ej7": [
        {
            "extra_inputs": [
                (np.array([0.0, 1.0, 1.0, 0.0]), np.array([1.0, 0.0, 1.0, 0.0])),
                (np.array([[1.0], [0.0]]), np.array([[0.999999], [1e-9]])),
            ],
            "rtol": 1e-7,
            "tol": 1e-9,
        }
    ],
    "a02.ej8": [
        {
            "extra_inputs": [
                (np.eye(4), np.full((4, 4), 0.25)),
                (
                    np.array([[0.0, 1.0], [1.0, 0.0], [0.0, 1.0]]),
                    np.array([[0.0, 1.0], [0.4, 0.6], [0.999, 0.001]]),
                ),
            ],
            "rtol": 1e-7,
        }
    ],
    "a02.ej9": [
        {
            "key": {
                "escenario_precio": [("linear", "mse"), ("linear", "mae")],
                "escenario_spam": [("sigmoid", "binary_crossentropy")],
                "escenario_digitos": [("softmax", "sparse_categorical_crossentropy")],
                "escenario_onehot": [("softmax", "categorical_crossentropy")],
            }
        }
    ],
    "a03.ej2": [{"key": (12, 5, 17)}],
    "a03.ej5": [{"key": (6, 5)}],
    "a05.ej1": [
        {
            "extra_inputs": [
                np.array([[[0, 1, 127], [128, 254, 255]]], dtype="uint8"),
                np.random.default_rng(3).integers(0, 256, size=(7, 28, 28)).astype("uint8"),
            ]
        }
    ],
    "a06.p01": [{"key": "c", "mistakes": {"a": "`epochs` es el número de pasadas."}}],
    "a01.ej7": [{"key": "b"}],
}

#: Options of the visible call (the notebooks pass these as keywords too).
VISIBLE: dict[str, dict[str, Any]] = {}

# --------------------------------------------------------------------------- #
# causes: for every exercise, a regular expression per known mistake
# (matched against the message without accents, in lower case)
# --------------------------------------------------------------------------- #
_SIGMOID = {
    "sign": r"signo del exponente",
    "minus": r"resta en el denominador",
    "no_one": r"falta el 1 \+",
    "tanh": r"tanh",
    "step": r"escalon",
}
_MSE = {
    "sum": r"en lugar de la media|suma en lugar",
    "no_square": r"elevar al cuadrado",
    "abs": r"valor absoluto",
    "sqrt": r"raiz",
    "n_minus_1": r"n - 1",
    "half": r"mitad",
}
_MAE = {
    "no_abs": r"valor absoluto",
    "sum": r"en lugar de la media|suma en lugar",
    "square": r"elevas el error al cuadrado",
    "median": r"mediana",
}
_BCE = {
    "no_clip": r"np\.clip",
    "sign": r"signo menos",
    "sum": r"en lugar de la media|suma en lugar",
    "one_term": r"\(1 - y\)",
    "log10": r"logaritmo natural",
    "swapped": r"orden de los argumentos",
}
_SOFTMAX = {
    "overflow": r"maximo",
    "global_sum": r"por filas",
    "axis0": r"axis=0|primer eje",
    "no_norm": r"no suman 1|dividir por la suma|divide por la suma",
    "sum_z": r"suma de las exponenciales",
    "sigmoid": r"sigmoide",
    "sign": r"signo",
}
_LEAKY001 = {
    "slope": r"pendiente",
    "relu": r"eso es relu",
    "positive_side": r"lado positivo|parte positiva",
    "abs": r"signo",
    "max_one": r"maximum\(z, 1\)|max\(z, 1\)",
}
CAUSES: dict[str, dict[str, str]] = {
    "a01.ej1": {
        "no_bias": r"olvidado el sesgo",
        "minus_bias": r"restas el sesgo",
        "elementwise": r"sumar los productos",
        "mean": r"media",
        "no_weights": r"sin multiplicar por los pesos",
        "times_bias": r"multiplicas por el sesgo",
    },
    "a01.ej2": {
        "strict": r"en z = 0",
        "inverted": r"invertid",
        "sign": r"-1 en lugar de 0",
        "relu": r"eso es relu",
        "half": r"umbral",
    },
    "a01.ej3": _SIGMOID,
    "a02.ej1": _SIGMOID,
    "a01.ej4": {
        "no_bias": r"olvidado el sesgo",
        "fixed_sigmoid": r"argumento `activacion`",
        "no_activation": r"sin aplicar la activacion",
        "bias_after": r"despues de la activacion",
        "activate_inputs": r"a las entradas",
    },
    "a01.ej5": {
        "no_bias": r"olvidado el sesgo",
        "no_activation": r"sin aplicar la activacion",
        "transpose": r"traspuesta|\.t\b",
        "bias_after": r"despues de la activacion",
        "fixed_sigmoid": r"argumento `activacion`",
    },
    "a02.ej2": {
        "naive": r"np\.tanh",
        "sigmoid": r"sigmoide en lugar",
        "half": r"argumento es 2z",
        "sign": r"signo",
        "sinh": r"seno hiperbolico",
    },
    "a02.ej3": {
        "max_one": r"maximum\(z, 1\)|max\(z, 1\)",
        "abs": r"valor absoluto",
        "minimum": r"minimum",
        "step": r"escalon",
        "leaky": r"leaky",
    },
    "a02.ej4": {
        "fixed": r"argumento `pendiente`",
        "001": r"argumento `pendiente`",
        "relu": r"eso es relu",
        "positive_side": r"lado positivo|parte positiva",
        "abs": r"signo",
    },
    "nb02.ej2": _LEAKY001,
    "nb02.ej1": _SOFTMAX,
    "a02.ej5": _SOFTMAX,
    "nb03.ej1": _MSE,
    "a02.ej6": {**_MSE, **{f"mae_{k}": v for k, v in _MAE.items()}},
    "nb03.ej2": _BCE,
    "a02.ej7": _BCE,
    "a02.ej8": {
        "no_clip": r"np\.clip",
        "mean_all": r"media sobre las clases|tambien entre las clases",
        "sum_all": r"en lugar de la media|suma en lugar",
        "sign": r"signo menos",
        "binary": r"binaria",
        "log10": r"logaritmo natural",
    },
    "nb04.ej3": {
        "plus": r"sumas el gradiente",
        "no_eta": r"tasa de aprendizaje",
        "inplace": r"modifica el array de entrada",
        "divide": r"divides",
        "grad_only": r"falta `w`|sin partir de `w`",
    },
    "nb01.ej1": {
        "no_bias": r"olvidado el sesgo",
        "sign": r"signo del exponente",
        "no_activation": r"sin aplicar la (activacion|sigmoide)",
        "minus_bias": r"restas el sesgo",
        "tanh": r"tanh",
        "math_exp": r"math\.exp",
    },
    "a05.ej1": {
        "no_scale": r"sin dividir entre 255|no has dividido",
        "256": r"256",
        "int_div": r"division entera",
        "flatten": r"cambias la forma",
        "centered": r"\[-1, 1\]",
        "standardised": r"estandariz",
    },
    "nb07.ej3": {
        "ddof": r"ddof",
        "refit": r"volver a ajustar|vuelto a ajustar",
        "all": r"entrenamiento y prueba juntos",
        "minmax": r"minimo y (el )?maximo",
        "test_untouched": r"sin transformar|no has transformado",
        "no_std": r"solo restas la media",
    },
}

GENERIC = re.compile(
    r"compara tu formula|repasa el calculo paso a paso|revisa ese paso|revisa el tipo de tu "
    r"respuesta|relee la explicacion"
)
RAW_ENGLISH = re.compile(r"\b[A-Z][A-Za-z]*(Error|Exception)\b: ")


def plain(text: str) -> str:
    """Lower case without accents (the causes are matched on this form)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


# --------------------------------------------------------------------------- #
# cases
# --------------------------------------------------------------------------- #
@dataclass
class Case:
    exercise: str
    name: str
    answers: tuple | Callable[[], tuple]
    verdict: str  # "pass", "fail", "not_attempted", "hostile"
    cause: str | None = None  # key into CAUSES[exercise] (or a regex with "re:")
    visible: dict[str, Any] = field(default_factory=dict)
    hidden: list[dict[str, Any]] | None = None
    slow: bool = False  # trains Keras models (run by the ``slow`` corpus test)
    tmpdir: bool = False  # built and checked inside a fresh temporary folder

    @property
    def id(self) -> str:
        return f"{self.exercise}:{self.name}"


CASES: list[Case] = []


def add(exercise: str, name: str, answers: Any, verdict: str, cause: str | None = None, **kw):
    if not isinstance(answers, tuple) and not callable(answers):
        answers = (answers,)
    elif callable(answers) and not getattr(answers, "_lazy", False):
        answers = (answers,)
    CASES.append(Case(exercise, name, answers, verdict, cause, **kw))


def lazy(fn: Callable[[], tuple]) -> Callable[[], tuple]:
    """Mark a factory of answers (built only when the case runs: Keras models)."""
    fn._lazy = True  # type: ignore[attr-defined]
    return fn


def _function_group(exercise: str, prefix: str, n_args: int, extra: tuple = ()) -> None:
    """Correct, wrong and hostile answers of one NumPy-function exercise."""
    for attr in dir(s):
        if not attr.startswith(prefix + "_"):
            continue
        fn = getattr(s, attr)
        rest = attr[len(prefix) + 1 :]
        if rest.startswith("ok"):
            add(exercise, attr, (fn, *extra), "pass")
        elif rest.startswith("bad_"):
            add(exercise, attr, (fn, *extra), "fail", rest[4:])
    add(exercise, "hostile_stub", (s.hostile_stub, *extra), "not_attempted")
    add(exercise, "hostile_no_return", (s.hostile_no_return, *extra), "hostile", "re:return")
    add(exercise, "hostile_string", (s.hostile_string, *extra), "hostile")
    add(exercise, "hostile_raises", (s.hostile_raises, *extra), "hostile", "re:esto no funciona")
    add(exercise, "hostile_truth", (s.hostile_truth, *extra), "hostile", "re:\\bif\\b")
    add(exercise, "hostile_dict", (s.hostile_dict, *extra), "hostile")
    add(exercise, "hostile_liar", (s.hostile_liar, *extra), "hostile")
    wrong_arity = s.hostile_many_args if n_args == 1 else s.hostile_one_arg
    add(exercise, "hostile_arity", (wrong_arity, *extra), "hostile", "re:argumento")


_function_group("a01.ej1", "ws", 3)
_function_group("a01.ej2", "step", 1)
_function_group("a01.ej3", "sig", 1)
_function_group("a02.ej1", "sig", 1)
# worked examples computed the way the statement asks (with the student's own functions)
_H = 1 / (1 + np.exp(-3.0))
_function_group("a01.ej4", "neu", 4, extra=(float(1 / (1 + np.exp(-7.0))),))
_function_group("a01.ej5", "capa", 4, extra=(np.array([_H, _H]), float(1 / (1 + np.exp(-_H)))))
_function_group("a02.ej2", "tanh", 1)
_function_group("a02.ej3", "relu", 1)
_function_group("a02.ej4", "leaky", 2)
_function_group("nb02.ej2", "lk", 1)
_function_group("nb02.ej1", "sm", 1)
_function_group("a02.ej5", "sm", 1, extra=(s.sm_ok(np.array([1.0, 2.0, 3.0])),))
_function_group("nb03.ej1", "mse", 2)
_function_group("nb03.ej2", "bce", 2)
_BCE_EXAMPLE = float(s.bce_ok(np.array([1.0, 0.0, 1.0]), np.array([0.9, 0.2, 0.7])))
_function_group("a02.ej7", "bce", 2, extra=(_BCE_EXAMPLE,))
_function_group("a02.ej8", "cce", 2)
_function_group("nb04.ej3", "gd", 3)
_function_group("nb01.ej1", "n1", 3)
_function_group("a05.ej1", "img", 1)
_function_group("nb07.ej3", "esc", 2)

# a02 ej6 takes mse and mae together
for _attr in dir(s):
    if _attr.startswith("mse_ok"):
        add("a02.ej6", _attr, (getattr(s, _attr), s.mae_ok), "pass")
    elif _attr.startswith("mse_bad_"):
        add("a02.ej6", _attr, (getattr(s, _attr), s.mae_ok), "fail", _attr[8:])
    elif _attr.startswith("mae_ok"):
        add("a02.ej6", _attr, (s.mse_ok, getattr(s, _attr)), "pass")
    elif _attr.startswith("mae_bad_"):
        add("a02.ej6", _attr, (s.mse_ok, getattr(s, _attr)), "fail", "mae_" + _attr[8:])
add("a02.ej6", "hostile_stub", (s.hostile_stub, s.hostile_stub), "not_attempted")
add("a02.ej6", "hostile_no_return", (s.mse_ok, s.hostile_no_return), "hostile", "re:return")
add("a02.ej6", "hostile_truth", (s.hostile_truth, s.mae_ok), "hostile", "re:\\bif\\b")

# worked examples inside function exercises
add("a01.ej4", "example_float32", (s.neu_ok, np.float32(0.99908894)), "pass")
add("a01.ej4", "example_sigma3", (s.neu_ok, 0.9526), "fail", "re:sesgo")
add(
    "a02.ej5",
    "example_float32",
    (s.sm_ok, s.sm_ok(np.array([1.0, 2.0, 3.0])).astype("float32")),
    "pass",
)
add("a02.ej5", "example_list", (s.sm_ok, s.sm_ok(np.array([1.0, 2.0, 3.0])).tolist()), "pass")
add(
    "a02.ej5",
    "example_typed",
    (s.sm_ok, [0.09, 0.2447, 0.6652]),
    "fail",
    "re:no lo escribas a mano|calcula",
)
add("a01.ej4", "example_typed", (s.neu_ok, 0.999), "fail", "re:no lo escribas a mano|calcula")
add(
    "a02.ej5",
    "example_unnormalised",
    (s.sm_ok, np.exp([1.0, 2.0, 3.0])),
    "fail",
    "re:suman 1|normaliz",
)
add("a02.ej7", "example_float32", (s.bce_ok, np.float32(0.22839300363692283)), "pass")
add(
    "a02.ej7", "example_sum", (s.bce_ok, 0.6851790109107685), "fail", "re:en lugar de la media|suma"
)


# several returned values: a tuple, a list or an array of them (nb01 ej4, nb05 ej4)
def _grads(x, w, b, y):
    p = 1 / (1 + np.exp(-(w * x + b)))
    return 2 * (p - y) * p * (1 - p) * x, 2 * (p - y) * p * (1 - p)


add("nb01.ej4", "tuple", (_grads,), "pass")
add("nb01.ej4", "list", (lambda x, w, b, y: list(_grads(x, w, b, y)),), "pass")
add("nb01.ej4", "array", (lambda x, w, b, y: np.array(_grads(x, w, b, y)),), "pass")
add("nb01.ej4", "swapped", (lambda x, w, b, y: _grads(x, w, b, y)[::-1],), "fail", "re:orden")
add(
    "nb01.ej4",
    "single_value",
    (lambda x, w, b, y: _grads(x, w, b, y)[0],),
    "hostile",
    "re:un solo valor",
)
add(
    "nb01.ej4",
    "three_values",
    (lambda x, w, b, y: [*_grads(x, w, b, y), 0.0],),
    "hostile",
    "re:2 valores",
)
add("nb05.ej4", "tuple", (lambda W1, b1, W2, b2: (W1 @ W2, b1 @ W2 + b2),), "pass")
add("nb05.ej4", "list", (lambda W1, b1, W2, b2: [W1 @ W2, b1 @ W2 + b2],), "pass")
add("nb05.ej4", "only_w", (lambda W1, b1, W2, b2: W1 @ W2,), "fail", "re:un solo array")

# --------------------------------------------------------------------------- #
# numbers, choices and free text
# --------------------------------------------------------------------------- #
add("nb01.ej2", "right", 61, "pass")
add("nb01.ej2", "right_float", 61.0, "pass")
add("nb01.ej2", "right_numpy", np.int64(61), "pass")
add("nb01.ej2", "weights_only", 50, "fail", "re:sesgo")
add("nb01.ej2", "neurons", 15, "fail", "re:neuronas")
add("nb01.ej2", "text", "61", "hostile", "re:numero")
add("nb01.ej2", "nan", float("nan"), "hostile")
add("nb04.ej1", "right", 40, "pass")
add("nb04.ej1", "ceil_float", 40.0, "pass")
add("nb04.ej1", "floor", 39, "fail", "re:redondea hacia arriba")
add("nb04.ej1", "division", 2500 / 64, "fail", "re:entero")
add("nb04.ej1", "product", 160000, "fail", "re:multiplicado")
add("nb05.ej1", "right", 129, "pass")
add("nb05.ej1", "no_bias", 116, "fail", "re:sesgo")
add("nb05.ej1", "neurons", 13, "fail", "re:neuronas")
add("nb05.ej1", "list", [129], "hostile")
add("nb06.ej2", "right", (4, 7), "pass")
add("nb06.ej2", "right_numpy", (np.int64(4), np.int64(7)), "pass")
add("nb06.ej2", "zero_based", (3, 7), "fail", "re:desde 1")
add("nb06.ej2", "loss_value", (0.38, 7), "fail", "re:numero de la epoca")
add("nb06.ej2", "no_patience", (4, 10), "fail", "re:patience")
add("nb06.ej2", "stop_early", (4, 5), "fail", "re:4 \\+ 3")
add("nb01.ej3", "right", (np.array([-2.0, -2.0]), 3.0), "pass")
add("nb01.ej3", "right_list", ([-1, -1], 1.5), "pass")
add("nb01.ej3", "right_int_bias", (np.array([-0.5, -0.5]), np.array([0.7])), "pass")
add("nb01.ej3", "and_gate", (np.array([1.0, 1.0]), -1.5), "fail", "re:pesos negativos")
add("nb01.ej3", "negative_bias", (np.array([-1.0, -1.0]), -0.5), "fail", "re:b_nand debe ser >= 0")
add("nb01.ej3", "three_weights", (np.array([-1.0, -1.0, 1.0]), 1.0), "fail", "re:dos pesos")
add("nb01.ej3", "text", ("a", "b"), "hostile")
add("nb04.ej2", "right", "demasiado alta", "pass")
add("nb04.ej2", "right_upper", "Demasiado Alta", "pass")
add("nb04.ej2", "right_spaces", "  demasiado alta ", "pass")
add("nb04.ej2", "low", "demasiado baja", "fail", "re:despacio")
add("nb04.ej2", "ok", "adecuada", "fail", "re:crece")
add("nb04.ej2", "number", 3, "hostile")
add("nb06.ej3", "right", "entrenar muchas más épocas", "pass")
add("nb06.ej3", "right_no_accents", "entrenar muchas mas epocas", "pass")
add("nb06.ej3", "right_upper", "Entrenar muchas MÁS épocas", "pass")
add("nb06.ej3", "dropout", "añadir Dropout", "fail", "re:dropout")
add("nb06.ej3", "dropout_no_tilde", "anadir dropout", "fail", "re:dropout")
add("nb06.ej3", "early", "parar antes con EarlyStopping", "fail", "re:validacion deja de mejorar")
add(
    "nb02.ej3",
    "right",
    {"binaria": "sigmoid", "multiclase": "softmax", "regresion": "linear"},
    "pass",
)
add(
    "nb02.ej3",
    "right_case",
    {"binaria": "Sigmoid", "multiclase": "SOFTMAX", "regresion": " linear "},
    "pass",
)
add(
    "nb02.ej3",
    "right_accent_key",
    {"binaria": "sigmoid", "multiclase": "softmax", "regresión": "linear"},
    "pass",
)
add(
    "nb02.ej3",
    "regression_relu",
    {"binaria": "sigmoid", "multiclase": "softmax", "regresion": "relu"},
    "fail",
    "re:cualquier numero real",
)
add(
    "nb02.ej3",
    "multi_sigmoid",
    {"binaria": "sigmoid", "multiclase": "sigmoid", "regresion": "linear"},
    "fail",
    "re:sumen 1",
)
add("nb02.ej3", "list", ["sigmoid", "softmax", "linear"], "hostile", "re:diccionario")
_LOSS_OK = {
    "precio": "mse",
    "spam": "binary_crossentropy",
    "digito": "sparse_categorical_crossentropy",
    "prenda_one_hot": "categorical_crossentropy",
}
add("nb03.ej3", "right", _LOSS_OK, "pass")
add("nb03.ej3", "right_alias", {**_LOSS_OK, "precio": "mean_squared_error"}, "pass")
add("nb03.ej3", "right_upper", {**_LOSS_OK, "spam": "Binary_CrossEntropy"}, "pass")
add(
    "nb03.ej3",
    "sparse_onehot",
    {**_LOSS_OK, "prenda_one_hot": "sparse_categorical_crossentropy"},
    "fail",
    "re:one-hot",
)
add(
    "nb03.ej3",
    "cce_int",
    {**_LOSS_OK, "digito": "categorical_crossentropy"},
    "fail",
    "re:dispersa|sparse",
)
add("nb03.ej3", "mse_spam", {**_LOSS_OK, "spam": "mse"}, "fail", "re:sigmoide")
add("nb03.ej3", "none_value", {**_LOSS_OK, "spam": None}, "not_attempted")
_SCEN = (
    ("linear", "mse"),
    ("sigmoid", "binary_crossentropy"),
    ("softmax", "sparse_categorical_crossentropy"),
    ("softmax", "categorical_crossentropy"),
)
add("a02.ej9", "right", _SCEN, "pass")
add("a02.ej9", "right_mae", (("linear", "mae"), *_SCEN[1:]), "pass")
add("a02.ej9", "right_case", (("Linear", "MSE"), *_SCEN[1:]), "pass")
add("a02.ej9", "right_list", (["linear", "mse"], *_SCEN[1:]), "pass")
add(
    "a02.ej9",
    "cce_digits",
    (_SCEN[0], _SCEN[1], ("softmax", "categorical_crossentropy"), _SCEN[3]),
    "fail",
    "re:enteros",
)
add(
    "a02.ej9",
    "mse_spam",
    (_SCEN[0], ("sigmoid", "mse"), _SCEN[2], _SCEN[3]),
    "fail",
    "re:entropia cruzada",
)
add(
    "a02.ej9",
    "relu_price",
    (("relu", "mse"), *_SCEN[1:]),
    "fail",
    "re:gradiente es 0|salida habitual es lineal",
)
add("a02.ej9", "string", ("linear mse", *_SCEN[1:]), "hostile", "re:tupla")
add("a03.ej2", "right", (12, 5, 17), "pass")
add("a03.ej2", "right_float", (12.0, 5.0, 17.0), "pass")
add("a03.ej2", "no_bias", (8, 4, 12), "fail", "re:sesgo")
add("a03.ej2", "negative", (-12, 5, 17), "hostile", "re:entero")
add("a03.ej5", "right", (6, 5), "pass")
add("a03.ej5", "no_bias", (4, 4), "fail", "re:sesgo")
add("a03.ej5", "forgot_skip", (6, 3), "fail", "re:4 entradas|entradas originales")
add("a06.p01", "right", "c", "pass")
add("a06.p01", "right_upper", " C ", "pass")
add("a06.p01", "wrong", "a", "fail", "re:pasadas")
add("a06.p01", "not_option", "e", "hostile", "re:opcion")
add("a06.p01", "placeholder", None, "not_attempted")
add("nb07.ej2", "right", (3, "softmax", "sparse_categorical_crossentropy"), "pass")
add("nb07.ej2", "right_case", (3, "Softmax", "Sparse_Categorical_Crossentropy"), "pass")
add("nb07.ej2", "right_float", (3.0, "softmax", "sparse_categorical_crossentropy"), "pass")
add(
    "nb07.ej2",
    "one_unit",
    (1, "sigmoid", "binary_crossentropy"),
    "fail",
    "re:una neurona por clase",
)
add(
    "nb07.ej2",
    "sigmoid",
    (3, "sigmoid", "sparse_categorical_crossentropy"),
    "fail",
    "re:sumarian 1|sumen 1|suma 1",
)
add("nb07.ej2", "cce", (3, "softmax", "categorical_crossentropy"), "fail", "re:one-hot")
add("nb07.ej2", "mse", (3, "softmax", "mse"), "fail", "re:regresion")
add("nb07.ej2", "text_units", ("tres", "softmax", "mse"), "hostile", "re:entero")


def _a01_ej7(w: Any, b: Any, hits: Any, answer: Any) -> tuple:

    def predecir(X, w, b):
        return np.where(np.asarray(X, dtype=float) @ np.asarray(w, dtype=float) + b >= 0, 1, 0)

    return (predecir, w, b, hits, answer)


_W, _B = np.array([-0.1, 0.0]), 0.0
add("a01.ej7", "right", lazy(lambda: _a01_ej7(_W, _B, 2, "b")), "pass")
add("a01.ej7", "right_upper", lazy(lambda: _a01_ej7(_W, _B, np.int64(2), "B")), "pass")
add(
    "a01.ej7",
    "typed_hits",
    lazy(lambda: _a01_ej7(_W, _B, 3, "b")),
    "fail",
    "re:no escribas el numero",
)
add(
    "a01.ej7",
    "wrong_answer",
    lazy(lambda: _a01_ej7(_W, _B, 2, "a")),
    "fail",
    "re:recta|lee la parte|argumento|leccion",
)
add("a01.ej7", "hostile_hits", lazy(lambda: _a01_ej7(_W, _B, "dos", "b")), "hostile", "re:numero")


# --------------------------------------------------------------------------- #
# runner
# --------------------------------------------------------------------------- #
@dataclass
class Outcome:
    case: Case
    passed: bool
    kind: str
    message: str
    crash: str = ""
    false_rejection: bool = False
    false_acceptance: bool = False
    generic: bool = False
    wrong_cause: bool = False
    raw_english: bool = False
    wrong_kind: bool = False


def _causes(case: Case) -> tuple[str | None, list[str]]:
    table = CAUSES.get(case.exercise, {})
    if case.cause is None:
        return None, []
    if case.cause.startswith("re:"):
        return case.cause[3:], []
    want = table[case.cause]
    others = [rx for key, rx in table.items() if key != case.cause and rx != want]
    return want, others


def run_case(case: Case) -> Outcome:
    if not case.tmpdir:
        return _run_case(case)
    with tempfile.TemporaryDirectory(prefix="corpus-") as folder, contextlib.chdir(folder):
        return _run_case(case)


def _run_case(case: Case) -> Outcome:
    exercise = _exercise(case.exercise)
    answers = case.answers() if callable(case.answers) else case.answers
    calls = [dict(case.visible)]
    calls += case.hidden if case.hidden is not None else HIDDEN.get(case.exercise, [])
    results = []
    try:
        for options in calls:
            results.append(exercise.evaluate(*answers, **options))
    except Exception as exc:  # noqa: BLE001 - the checker crashed: reported in the table
        return Outcome(case, False, "crash", "", crash=f"{type(exc).__name__}: {exc}")
    failing = [r for r in results if not r.passed]
    passed = not failing
    shown = failing[0] if failing else results[-1]
    message = shown.message()
    out = Outcome(case, passed, shown.kind, message)
    text = plain(message)
    out.raw_english = bool(RAW_ENGLISH.search(message)) and "detalle tecnico" not in text
    if case.verdict == "pass":
        out.false_rejection = not passed
        return out
    if passed:
        out.false_acceptance = case.verdict in ("fail", "hostile", "not_attempted")
        return out
    if case.verdict == "not_attempted":
        out.wrong_kind = shown.kind != "not_attempted"
        return out
    if case.verdict in ("fail", "hostile") and shown.kind == "not_attempted":
        out.wrong_kind = True
    if case.verdict == "fail":
        out.generic = bool(GENERIC.search(text))
    want, others = _causes(case)
    if want is not None:
        named = re.search(want, text) is not None
        confused = any(re.search(rx, text) for rx in others)
        if not named or confused:
            out.wrong_cause = not out.generic
            if not named and out.generic:
                out.generic = True
    return out


def run_all(cases: list[Case] | None = None, *, slow: bool | None = None) -> list[Outcome]:
    """Run ``cases`` (default: the whole corpus; ``slow=False``/``True``: one group)."""
    chosen = cases if cases is not None else CASES
    if slow is not None:
        chosen = [c for c in chosen if c.slow == slow]
    return [run_case(c) for c in chosen]


def table(outcomes: list[Outcome]) -> dict[str, int]:
    wrong = [o for o in outcomes if o.case.verdict == "fail"]
    return {
        "answers": len(outcomes),
        "must_pass": sum(o.case.verdict == "pass" for o in outcomes),
        "must_fail": len(wrong),
        "hostile": sum(o.case.verdict in ("hostile", "not_attempted") for o in outcomes),
        "false_rejections": sum(o.false_rejection for o in outcomes),
        "false_acceptances": sum(o.false_acceptance for o in outcomes),
        "generic": sum(o.generic for o in outcomes),
        "wrong_cause": sum(o.wrong_cause for o in outcomes),
        "raw_english": sum(o.raw_english for o in outcomes),
        "wrong_kind": sum(o.wrong_kind for o in outcomes),
        "crashes": sum(o.kind == "crash" for o in outcomes),
    }


def print_report(outcomes: list[Outcome], verbose: bool = False) -> None:
    numbers = table(outcomes)
    n_wrong = max(numbers["must_fail"], 1)
    print(
        f"{numbers['answers']} respuestas: {numbers['must_pass']} correctas, "
        f"{numbers['must_fail']} con un error, {numbers['hostile']} hostiles o sin responder"
    )
    trained = sorted({o.case.exercise for o in outcomes if o.case.slow})
    if trained:
        print(
            f"  de ellas, {sum(o.case.slow for o in outcomes)} entrenan modelos de Keras "
            f"({', '.join(trained)})"
        )
    rows = [
        ("falsos rechazos", numbers["false_rejections"]),
        ("falsas aceptaciones", numbers["false_acceptances"]),
        (
            f"mensajes genéricos ({100 * numbers['generic'] / n_wrong:.1f} % de los errores)",
            numbers["generic"],
        ),
        ("causa equivocada o no nombrada", numbers["wrong_cause"]),
        ("excepción en inglés como explicación", numbers["raw_english"]),
        ("tipo de resultado equivocado (Sin responder/Incorrecto)", numbers["wrong_kind"]),
        ("fallos del propio comprobador", numbers["crashes"]),
    ]
    for label, value in rows:
        print(f"  {label:<60} {value:>4}")
    if verbose:
        for o in outcomes:
            flags = [
                k
                for k in (
                    "false_rejection",
                    "false_acceptance",
                    "generic",
                    "wrong_cause",
                    "raw_english",
                    "wrong_kind",
                )
                if getattr(o, k)
            ]
            if o.kind == "crash":
                flags.append("crash")
            if flags:
                first = (o.crash or o.message).replace("\n", " | ")[:400]
                print(f"- {o.case.id} [{', '.join(flags)}] {first}")


# register the Keras cases and the cases that train
from . import keras_cases, training_cases  # noqa: E402, F401

if __name__ == "__main__":  # pragma: no cover - manual report
    import os

    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    # run as a script this file is ``__main__``; the Keras cases registered
    # themselves in the package module, so report from that one
    from . import cases as _registered

    fast = "--fast" in sys.argv
    _registered.print_report(
        _registered.run_all(slow=False if fast else None), verbose="-v" in sys.argv
    )
