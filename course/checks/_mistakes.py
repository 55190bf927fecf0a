"""Typical wrong versions of the course's NumPy functions, each with its Spanish cause.

``check_function(..., mistakes=SIGMOID)`` names the cause of the wrong version
that behaves exactly like the student's function on every input tried: the
diagnosis is by behaviour, never by reading the code. Every cause says what
the answer does and what the statement asks; none gives the solution away
beyond the formula the statement already shows.

Each catalogue is a tuple of ``(wrong_function, cause)`` pairs; a test checks
that the cause of each wrong version fires on that version only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from course.checks._codes import mistake as _m

__all__ = [
    "BCE",
    "CCE",
    "GRADIENT_STEP",
    "IMAGE_SCALING",
    "LAYER",
    "LEAKY_RELU_001",
    "LEAKY_RELU_SLOPE",
    "MAE",
    "MSE",
    "NEURON",
    "RELU",
    "SIGMOID",
    "SIGMOID_NEURON",
    "SOFTMAX",
    "STEP",
    "TANH",
    "WEIGHTED_SUM",
]

Mistakes = tuple[tuple[Callable[..., Any], str], ...]

_EPS = 1e-7


def _f(x: Any) -> np.ndarray:
    return np.asarray(x, dtype=float)


def _sig(z: Any) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -_f(z)))


# --------------------------------------------------------------------------- #
# activations
# --------------------------------------------------------------------------- #
SIGMOID: Mistakes = (
    (
        lambda z: _sig(-_f(z)),
        _m(
            "signo_exponente",
            "signo del exponente cambiado",
            "Tu resultado es σ(−z): revisa el signo del exponente, la fórmula lleva `np.exp(-z)`.",
        ),
    ),
    (
        lambda z: 1.0 / (1.0 - np.exp(-_f(z))),
        _m(
            "resta_denominador",
            "resta en el denominador",
            "Hay una resta en el denominador: la sigmoide es 1 / (1 + e^(−z)), con una suma.",
        ),
    ),
    (
        lambda z: np.exp(_f(z)),
        _m(
            "falta_uno_mas",
            "falta el 1 + del denominador",
            "Falta el 1 + del denominador: σ(z) = 1 / (1 + e^(−z)), no 1 / e^(−z).",
        ),
    ),
    (
        lambda z: np.tanh(_f(z)),
        _m(
            "usa_tanh",
            "calcula tanh",
            "Has calculado la tangente hiperbólica (`np.tanh`), que va de −1 a 1; la sigmoide es "
            "1 / (1 + e^(−z)), con valores entre 0 y 1.",
        ),
    ),
    (
        lambda z: np.where(_f(z) >= 0, 1.0, 0.0),
        _m(
            "usa_escalon",
            "devuelve un escalón",
            "Devuelves un escalón (0 o 1); la sigmoide es una curva suave: 1 / (1 + e^(−z)).",
        ),
    ),
)

STEP: Mistakes = (
    (
        lambda z: np.where(_f(z) > 0, 1.0, 0.0),
        _m(
            "umbral_estricto",
            "z > 0 en lugar de z >= 0",
            "Con z exactamente 0 tu función devuelve 0: el escalón del enunciado vale 1 en z = 0 "
            "(compara con `>=`, no con `>`).",
        ),
    ),
    (
        lambda z: np.where(_f(z) >= 0, 0.0, 1.0),
        _m(
            "salidas_invertidas",
            "salidas invertidas",
            "Tus salidas están invertidas: debe dar 1 cuando z >= 0 y 0 cuando z < 0.",
        ),
    ),
    (
        lambda z: np.where(_f(z) >= 0, 1.0, -1.0),
        _m(
            "usa_signo",
            "devuelve -1 (np.sign)",
            "Devuelves -1 en lugar de 0 para z < 0 (eso es `np.sign`); el escalón da 0 o 1.",
        ),
    ),
    (
        lambda z: np.maximum(_f(z), 0.0),
        _m(
            "usa_relu",
            "calcula ReLU",
            "Devuelves el propio z cuando es positivo (eso es ReLU); el escalón da siempre 1 "
            "cuando z >= 0.",
        ),
    ),
    (
        lambda z: np.where(_f(z) >= 0.5, 1.0, 0.0),
        _m(
            "umbral_distinto",
            "umbral distinto de 0",
            "Usas un umbral distinto de 0: el escalón cambia de 0 a 1 justo cuando z pasa a ser "
            "mayor o igual que 0.",
        ),
    ),
)

TANH: Mistakes = (
    (
        lambda z: _sig(z),
        _m(
            "usa_sigmoide",
            "calcula la sigmoide",
            "Has calculado la sigmoide en lugar de la tangente hiperbólica: la sigmoide va de 0 a 1 "
            "y tanh de −1 a 1.",
        ),
    ),
    (
        lambda z: 2.0 * _sig(z) - 1.0,
        _m(
            "tanh_mitad",
            "tanh(z/2)",
            "Tu resultado es tanh(z/2): en la fórmula con la sigmoide el argumento es 2z, "
            "tanh(z) = 2σ(2z) − 1.",
        ),
    ),
    (
        lambda z: -np.tanh(_f(z)),
        _m(
            "signo_cambiado",
            "signo cambiado",
            "Tu resultado tiene el signo cambiado: tanh(z) es positiva cuando z > 0.",
        ),
    ),
    (
        lambda z: np.sinh(_f(z)),
        _m(
            "usa_sinh",
            "seno hiperbólico",
            "Has calculado el seno hiperbólico (falta dividir): tanh(z) = (e^z − e^(−z)) / "
            "(e^z + e^(−z)).",
        ),
    ),
)

RELU: Mistakes = (
    (
        lambda z: np.maximum(_f(z), 1.0),
        _m(
            "corte_en_uno",
            "corte en 1 en lugar de 0",
            "Usas `np.maximum(z, 1)`: el corte está en 0, no en 1 (`np.maximum(0, z)`).",
        ),
    ),
    (
        lambda z: np.abs(_f(z)),
        _m(
            "valor_absoluto",
            "valor absoluto",
            "Devuelves el valor absoluto: para z < 0 la salida debe ser 0, no −z.",
        ),
    ),
    (
        lambda z: np.minimum(_f(z), 0.0),
        _m(
            "usa_minimo",
            "np.minimum en lugar de np.maximum",
            "Usas `np.minimum`: la función se queda con el mayor entre 0 y z, no con el menor.",
        ),
    ),
    (
        lambda z: np.where(_f(z) > 0, 1.0, 0.0),
        _m(
            "usa_escalon",
            "devuelve un escalón",
            "Devuelves 0 o 1 (un escalón): para z > 0 la salida es el propio z.",
        ),
    ),
    (
        lambda z: np.where(_f(z) > 0, _f(z), 0.01 * _f(z)),
        _m(
            "usa_leaky_relu",
            "calcula Leaky ReLU",
            "Para z < 0 devuelves un valor pequeño distinto de 0 (eso es Leaky ReLU): aquí la "
            "salida debe ser exactamente 0.",
        ),
    ),
)


def _leaky(slope: float) -> Callable[..., np.ndarray]:
    def wrong(z: Any, pendiente: float = 0.2) -> np.ndarray:
        z = _f(z)
        return np.where(z > 0, z, slope * z)

    return wrong


_FIXED_SLOPE = _m(
    "pendiente_fija",
    "usa una pendiente fija",
    "Usas una pendiente fija: multiplica los valores negativos por el argumento `pendiente`, "
    "que cambia de una llamada a otra.",
)

LEAKY_RELU_SLOPE: Mistakes = (
    (_leaky(0.2), _FIXED_SLOPE),
    (_leaky(0.01), _FIXED_SLOPE),
    (_leaky(0.1), _FIXED_SLOPE),
    (
        lambda z, pendiente=0.2: np.maximum(_f(z), 0.0),
        _m(
            "usa_relu",
            "calcula ReLU",
            "Para z < 0 devuelves 0 (eso es ReLU): aquí la salida es `pendiente * z`.",
        ),
    ),
    (
        lambda z, pendiente=0.2: np.where(_f(z) > 0, pendiente * _f(z), _f(z)),
        _m(
            "pendiente_lado_positivo",
            "pendiente en el lado positivo",
            "Aplicas la pendiente en el lado positivo: los valores positivos pasan sin cambios y "
            "solo los negativos se multiplican.",
        ),
    ),
    (
        lambda z, pendiente=0.2: np.where(_f(z) > 0, _f(z), -pendiente * _f(z)),
        _m(
            "signo_negativos",
            "signo cambiado en los negativos",
            "Para z < 0 tu resultado tiene el signo cambiado: debe ser negativo, `pendiente * z`.",
        ),
    ),
)

_WRONG_SLOPE = _m(
    "pendiente_erronea",
    "pendiente distinta de 0.01",
    "La pendiente para z < 0 debe ser 0.01: devuelve `0.01 * z` en los negativos.",
)

LEAKY_RELU_001: Mistakes = (
    *((_leaky(s), _WRONG_SLOPE) for s in (0.1, 0.2, 0.02, 0.001, 0.3)),
    (
        lambda z: np.maximum(_f(z), 0.0),
        _m(
            "usa_relu",
            "calcula ReLU",
            "Para z < 0 devuelves 0 (eso es ReLU): aquí la salida es 0.01 · z.",
        ),
    ),
    (
        lambda z: np.where(_f(z) > 0, 0.01 * _f(z), _f(z)),
        _m(
            "pendiente_lado_positivo",
            "pendiente en el lado positivo",
            "Multiplicas por 0.01 el lado positivo: los valores positivos pasan sin cambios y solo "
            "los negativos se multiplican.",
        ),
    ),
    (
        lambda z: np.where(_f(z) > 0, _f(z), -0.01 * _f(z)),
        _m(
            "signo_negativos",
            "signo cambiado en los negativos",
            "Para z < 0 tu resultado tiene el signo cambiado: debe ser negativo, 0.01 · z.",
        ),
    ),
    (
        lambda z: np.maximum(_f(z), 1.0),
        _m(
            "corte_en_uno",
            "corte en 1 en lugar de 0",
            "Usas `np.maximum(z, 1)`: los valores por debajo de 1 se convierten en 1; para z > 0 "
            "la salida es z y para z <= 0, 0.01 · z.",
        ),
    ),
)


def _softmax(z: Any, axis: int = -1) -> np.ndarray:
    z = _f(z)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _softmax_global(z: Any) -> np.ndarray:
    z = _f(z)
    e = np.exp(z - z.max())
    return e / e.sum()


def _softmax_sum_z(z: Any) -> np.ndarray:
    z = _f(z)
    shifted = z - z.max(axis=-1, keepdims=True)
    return np.exp(shifted) / np.sum(shifted + 1.0, axis=-1, keepdims=True)


SOFTMAX: Mistakes = (
    (
        _softmax_global,
        _m(
            "normaliza_todo",
            "normaliza con todo el array",
            "Normalizas con la suma de todo el array: cada ejemplo debe sumar 1 por separado; suma "
            "por filas con `axis=-1, keepdims=True`.",
        ),
    ),
    (
        lambda z: _softmax(z, axis=0),
        _m(
            "eje_equivocado",
            "suma sobre axis=0",
            "Sumas sobre el primer eje (`axis=0`, por columnas): las clases de cada ejemplo están "
            "en el último eje, usa `axis=-1`.",
        ),
    ),
    (
        lambda z: np.exp(_f(z) - _f(z).max(axis=-1, keepdims=True)),
        _m(
            "sin_normalizar",
            "no normaliza",
            "Tus valores no suman 1: te falta normalizar, dividiendo cada exponencial entre el "
            "total de su fila.",
        ),
    ),
    (
        _softmax_sum_z,
        _m(
            "denominador_z",
            "suma z en el denominador",
            "En el denominador va la suma de las exponenciales, no la de los valores z.",
        ),
    ),
    (
        lambda z: _sig(z),
        _m(
            "usa_sigmoide",
            "calcula la sigmoide",
            "Has aplicado la sigmoide a cada valor por separado: softmax divide cada exponencial "
            "entre el total de la fila.",
        ),
    ),
    (
        lambda z: _softmax(-_f(z)),
        _m(
            "signo_exponente",
            "signo del exponente cambiado",
            "Tu resultado corresponde a softmax(−z): revisa el signo dentro de la exponencial.",
        ),
    ),
)


# --------------------------------------------------------------------------- #
# neurons and layers
# --------------------------------------------------------------------------- #
WEIGHTED_SUM: Mistakes = (
    (
        lambda x, w, b: np.dot(_f(w), _f(x)),
        _m(
            "sin_sesgo",
            "olvida el sesgo",
            "Has olvidado el sesgo: suma `b` al producto escalar de pesos y entradas.",
        ),
    ),
    (
        lambda x, w, b: np.dot(_f(w), _f(x)) - b,
        _m(
            "resta_sesgo",
            "resta el sesgo",
            "Restas el sesgo: la suma ponderada es w·x + b, con el sesgo sumado.",
        ),
    ),
    (
        lambda x, w, b: _f(w) * _f(x) + b,
        _m(
            "sin_sumar",
            "no suma los productos",
            "Devuelves un valor por cada entrada: falta sumar los productos (`np.dot` o `np.sum`) "
            "para obtener un único número.",
        ),
    ),
    (
        lambda x, w, b: np.mean(_f(w) * _f(x)) + b,
        _m(
            "media_productos",
            "media en lugar de suma",
            "Calculas la media de los productos en vez de sumarlos: usa `np.dot` o `np.sum`.",
        ),
    ),
    (
        lambda x, w, b: np.sum(_f(x)) + b,
        _m(
            "sin_pesos",
            "no multiplica por los pesos",
            "Sumas las entradas sin multiplicar por los pesos: cada x_i va multiplicada por su w_i.",
        ),
    ),
    (
        lambda x, w, b: np.dot(_f(w), _f(x)) * b,
        _m(
            "multiplica_sesgo",
            "multiplica por el sesgo",
            "Multiplicas por el sesgo en lugar de sumarlo: la suma ponderada es w·x + b.",
        ),
    ),
)

NEURON: Mistakes = (
    (
        lambda x, w, b, act: act(np.dot(_f(w), _f(x))),
        _m(
            "sin_sesgo",
            "olvida el sesgo",
            "Has olvidado el sesgo: la activación se aplica a w·x + b. Si tu `neurona` usa tu "
            "`suma_ponderada`, revisa antes el ejercicio 1.",
        ),
    ),
    (
        lambda x, w, b, act: act(np.dot(_f(w), _f(x)) - b),
        _m(
            "resta_sesgo",
            "resta el sesgo",
            "Restas el sesgo: la activación se aplica a w·x + b. Si tu `neurona` usa tu "
            "`suma_ponderada`, revisa antes el ejercicio 1.",
        ),
    ),
    (
        lambda x, w, b, act: _sig(np.dot(_f(w), _f(x)) + b),
        _m(
            "siempre_sigmoide",
            "ignora la activación dada",
            "Aplicas siempre la sigmoide: usa la función que llega en el argumento `activacion`.",
        ),
    ),
    (
        lambda x, w, b, act: np.dot(_f(w), _f(x)) + b,
        _m(
            "sin_activacion",
            "no aplica la activación",
            "Devuelves la suma ponderada sin aplicar la activación: termina con `activacion(z)`.",
        ),
    ),
    (
        lambda x, w, b, act: act(np.dot(_f(w), _f(x))) + b,
        _m(
            "sesgo_tras_activacion",
            "sesgo después de la activación",
            "Sumas el sesgo después de la activación: la activación se aplica a la suma completa, "
            "w·x + b.",
        ),
    ),
    (
        lambda x, w, b, act: np.dot(_f(w), act(_f(x))) + b,
        _m(
            "activa_entradas",
            "activa las entradas",
            "Aplicas la activación a las entradas: primero la suma ponderada w·x + b y después la "
            "activación.",
        ),
    ),
)

LAYER: Mistakes = (
    (
        lambda x, W, b, act: act(_f(W) @ _f(x)),
        _m(
            "sin_sesgo",
            "olvida el sesgo",
            "Has olvidado el sesgo: la capa calcula activacion(W @ x + b).",
        ),
    ),
    (
        lambda x, W, b, act: _f(W) @ _f(x) + b,
        _m(
            "sin_activacion",
            "no aplica la activación",
            "Devuelves W @ x + b sin aplicar la activación: termina con `activacion(...)`.",
        ),
    ),
    (
        lambda x, W, b, act: act(_f(W).T @ _f(x) + b),
        _m(
            "traspuesta",
            "usa W.T",
            "Usas la traspuesta de W: con W de forma (neuronas, entradas) la capa calcula "
            "`W @ x`, no `W.T @ x`.",
        ),
    ),
    (
        lambda x, W, b, act: act(_f(W) @ _f(x)) + b,
        _m(
            "sesgo_tras_activacion",
            "sesgo después de la activación",
            "Sumas el sesgo después de la activación: la activación se aplica a W @ x + b.",
        ),
    ),
    (
        lambda x, W, b, act: _sig(_f(W) @ _f(x) + b),
        _m(
            "siempre_sigmoide",
            "ignora la activación dada",
            "Aplicas siempre la sigmoide: usa la función que llega en el argumento `activacion`.",
        ),
    ),
)

SIGMOID_NEURON: Mistakes = (
    (
        lambda x, w, b: _sig(np.dot(_f(x), _f(w))),
        _m(
            "sin_sesgo",
            "olvida el sesgo",
            "Has olvidado el sesgo: la sigmoide se aplica a z = w·x + b.",
        ),
    ),
    (
        lambda x, w, b: _sig(-(np.dot(_f(x), _f(w)) + b)),
        _m(
            "signo_exponente",
            "signo del exponente cambiado",
            "Tu resultado es σ(−z): revisa el signo del exponente, la sigmoide lleva `np.exp(-z)`.",
        ),
    ),
    (
        lambda x, w, b: np.dot(_f(x), _f(w)) + b,
        _m(
            "sin_activacion",
            "no aplica la activación",
            "Devuelves la suma ponderada z sin aplicar la sigmoide: termina con 1 / (1 + e^(−z)).",
        ),
    ),
    (
        lambda x, w, b: _sig(np.dot(_f(x), _f(w)) - b),
        _m("resta_sesgo", "resta el sesgo", "Restas el sesgo: la neurona calcula z = w·x + b."),
    ),
    (
        lambda x, w, b: np.tanh(np.dot(_f(x), _f(w)) + b),
        _m(
            "usa_tanh",
            "calcula tanh",
            "Has usado `np.tanh` como activación: esta neurona es sigmoide, 1 / (1 + e^(−z)).",
        ),
    ),
)


# --------------------------------------------------------------------------- #
# losses
# --------------------------------------------------------------------------- #
def _err(y_true: Any, y_pred: Any) -> np.ndarray:
    return _f(y_true) - _f(y_pred)


_SUM_NOT_MEAN = _m(
    "suma_no_media",
    "suma en lugar de media",
    "Usas la suma en lugar de la media: divide entre el número de valores (`np.mean`).",
)


def _n_minus_1(y_true: Any, y_pred: Any) -> float:
    d = _err(y_true, y_pred).reshape(-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.sum(d**2) / np.float64(d.size - 1))


MSE: Mistakes = (
    (lambda t, p: float(np.sum(_err(t, p) ** 2)), _SUM_NOT_MEAN),
    (
        lambda t, p: float(np.mean(_err(t, p))),
        _m(
            "sin_cuadrado",
            "falta el cuadrado",
            "Falta elevar al cuadrado: los errores positivos y negativos se cancelan entre sí.",
        ),
    ),
    (
        lambda t, p: float(np.mean(np.abs(_err(t, p)))),
        _m(
            "usa_mae",
            "calcula el MAE",
            "Usas el valor absoluto del error (eso es el MAE): el MSE usa el error multiplicado por "
            "sí mismo, `(y_true - y_pred) ** 2`.",
        ),
    ),
    (
        lambda t, p: float(np.sqrt(np.mean(_err(t, p) ** 2))),
        _m(
            "usa_rmse",
            "calcula el RMSE",
            "Tomas la raíz cuadrada (eso es el RMSE): el MSE es la media de los errores, sin raíz.",
        ),
    ),
    (
        _n_minus_1,
        _m(
            "divide_n_menos_1",
            "divide entre n - 1",
            "Divides entre n - 1: el MSE es la media simple, divide entre el número de valores n.",
        ),
    ),
    (
        lambda t, p: float(0.5 * np.mean(_err(t, p) ** 2)),
        _m(
            "mitad_mse",
            "multiplica por 1/2",
            "Multiplicas por 1/2: esa es la mitad del MSE (una convención de algunos libros); aquí "
            "no lleva ese factor.",
        ),
    ),
)

MAE: Mistakes = (
    (
        lambda t, p: float(np.mean(_err(t, p))),
        _m(
            "sin_valor_absoluto",
            "falta el valor absoluto",
            "Falta el valor absoluto: los errores positivos y negativos se cancelan (`np.abs`).",
        ),
    ),
    (lambda t, p: float(np.sum(np.abs(_err(t, p)))), _SUM_NOT_MEAN),
    (
        lambda t, p: float(np.mean(_err(t, p) ** 2)),
        _m(
            "usa_mse",
            "calcula el MSE",
            "Elevas el error al cuadrado (eso es el MSE): el MAE usa `np.abs` del error.",
        ),
    ),
    (
        lambda t, p: float(np.median(np.abs(_err(t, p)))),
        _m(
            "usa_mediana",
            "usa la mediana",
            "Usas la mediana: el MAE es la media de los errores absolutos (`np.mean`).",
        ),
    ),
)


def _bce_terms(y_true: Any, p: Any, log: Callable = np.log) -> np.ndarray:
    y = _f(y_true)
    q = np.clip(_f(p), _EPS, 1 - _EPS)
    return y * log(q) + (1 - y) * log(1 - q)


def _bce_swapped(y_true: Any, p: Any) -> float:
    return float(-np.mean(_bce_terms(p, y_true)))


_NATURAL_LOG = _m(
    "log_no_natural",
    "logaritmo en base 10 o 2",
    "Usas un logaritmo en base 10 o 2: la entropía cruzada usa el logaritmo natural, `np.log`.",
)

BCE: Mistakes = (
    (
        lambda y, p: float(np.mean(_bce_terms(y, p))),
        _m(
            "sin_signo_menos",
            "falta el signo menos",
            "Falta el signo menos delante: la entropía cruzada es −media(y·log(p) + (1 − y)·"
            "log(1 − p)), un número positivo.",
        ),
    ),
    (lambda y, p: float(-np.sum(_bce_terms(y, p))), _SUM_NOT_MEAN),
    (
        lambda y, p: float(-np.mean(_f(y) * np.log(np.clip(_f(p), _EPS, 1 - _EPS)))),
        _m(
            "sin_termino_clase_0",
            "falta el término (1 - y)",
            "Falta el término (1 - y)·log(1 - p): sin él, los ejemplos de la clase 0 no cuentan.",
        ),
    ),
    (lambda y, p: float(-np.mean(_bce_terms(y, p, np.log10))), _NATURAL_LOG),
    (lambda y, p: float(-np.mean(_bce_terms(y, p, np.log2))), _NATURAL_LOG),
    (
        _bce_swapped,
        _m(
            "argumentos_invertidos",
            "argumentos al revés",
            "Tienes los argumentos al revés: respeta el orden de los argumentos, primero `y_true` "
            "(las etiquetas) y después las probabilidades.",
        ),
    ),
)


def _cce_rows(y_true: Any, y_pred: Any, log: Callable = np.log) -> np.ndarray:
    y = np.atleast_2d(_f(y_true))
    p = np.clip(np.atleast_2d(_f(y_pred)), _EPS, 1 - _EPS)
    return -(y * log(p)).sum(axis=-1)


CCE: Mistakes = (
    (
        lambda y, p: float(-np.mean(_f(y) * np.log(np.clip(_f(p), _EPS, 1 - _EPS)))),
        _m(
            "media_entre_clases",
            "promedia también entre clases",
            "Haces la media también entre las clases: suma −y·log(p) sobre las clases de cada "
            "ejemplo y promedia solo entre ejemplos.",
        ),
    ),
    (lambda y, p: float(np.sum(_cce_rows(y, p))), _SUM_NOT_MEAN),
    (
        lambda y, p: float(-np.mean(_cce_rows(y, p))),
        _m(
            "sin_signo_menos",
            "falta el signo menos",
            "Falta el signo menos: la entropía cruzada es −Σ y·log(p), un número positivo.",
        ),
    ),
    (
        lambda y, p: float(
            np.mean(
                -(
                    np.atleast_2d(_f(y)) * np.log(np.clip(np.atleast_2d(_f(p)), _EPS, 1 - _EPS))
                    + (1 - np.atleast_2d(_f(y)))
                    * np.log(1 - np.clip(np.atleast_2d(_f(p)), _EPS, 1 - _EPS))
                ).sum(axis=-1)
            )
        ),
        _m(
            "formula_binaria",
            "fórmula binaria en multiclase",
            "Usas la fórmula binaria, con el término de la clase 0: la categórica solo suma "
            "−y·log(p) sobre las clases.",
        ),
    ),
    (lambda y, p: float(np.mean(_cce_rows(y, p, np.log10))), _NATURAL_LOG),
)


# --------------------------------------------------------------------------- #
# optimisation and data
# --------------------------------------------------------------------------- #
GRADIENT_STEP: Mistakes = (
    (
        lambda w, g, eta: _f(w) + eta * _f(g),
        _m(
            "suma_gradiente",
            "suma el gradiente",
            "Sumas el gradiente: para bajar la pérdida hay que moverse en contra del gradiente, "
            "restándolo.",
        ),
    ),
    (
        lambda w, g, eta: _f(w) - _f(g),
        _m(
            "sin_tasa",
            "olvida la tasa de aprendizaje",
            "Falta multiplicar el gradiente por la tasa de aprendizaje `eta`.",
        ),
    ),
    (
        lambda w, g, eta: _f(w) - _f(g) / eta,
        _m(
            "divide_tasa",
            "divide entre la tasa",
            "Divides el gradiente entre `eta`: el paso es `eta` veces el gradiente.",
        ),
    ),
    (
        lambda w, g, eta: -eta * _f(g),
        _m(
            "solo_paso",
            "devuelve solo el paso",
            "Devuelves solo el paso, sin partir de `w`: los pesos nuevos son los anteriores menos "
            "el paso.",
        ),
    ),
)

IMAGE_SCALING: Mistakes = (
    (
        lambda x: np.asarray(x, dtype=np.float32),
        _m(
            "sin_dividir",
            "no divide entre 255",
            "Has convertido a decimales sin dividir entre 255: los píxeles deben quedar entre 0 y 1.",
        ),
    ),
    (
        lambda x: np.asarray(x, dtype=np.float32) / np.float32(256.0),
        _m(
            "divide_256",
            "divide entre 256",
            "Divides entre 256: el valor máximo de un píxel es 255, así que divide entre 255 para "
            "que el blanco valga 1.",
        ),
    ),
    (
        lambda x: np.asarray(x) // 255,
        _m(
            "division_entera",
            "división entera //",
            "Usas la división entera `//`: todos los píxeles salvo el 255 se quedan en 0; usa `/`.",
        ),
    ),
    (
        lambda x: (np.asarray(x, dtype=np.float32) / np.float32(255.0)).reshape(len(x), -1),
        _m(
            "cambia_forma",
            "cambia la forma",
            "Cambias la forma de las imágenes: devuelve un array con la misma forma que la entrada "
            "(el aplanado lo hará después la capa `Flatten`).",
        ),
    ),
    (
        lambda x: (np.asarray(x, dtype=np.float32) - np.float32(127.5)) / np.float32(127.5),
        _m(
            "intervalo_simetrico",
            "escala a [-1, 1]",
            "Llevas los píxeles al intervalo [-1, 1]: aquí se piden valores entre 0 y 1, "
            "dividiendo entre 255.",
        ),
    ),
    (
        lambda x: (_f(x) - _f(x).mean()) / (_f(x).std() + 1e-7),
        _m(
            "estandariza",
            "estandariza",
            "Has estandarizado (media 0 y desviación 1): aquí solo se pide dividir entre 255.",
        ),
    ),
)
