"""The XOR back-propagation exercise of notebook 03 (ej4): right answers written in other
styles pass, and each typical mistake gets the message that names it."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from course.checks import Correct, Incorrect, NotAttempted
from course.practice import nb03


def _solution() -> tuple[Callable, Callable]:
    namespace: dict[str, Any] = {}
    exec(nb03.ej4._solution, namespace)
    return namespace["gradientes_bce"], namespace["gradiente_numerico"]


GRADIENTS, NUMERIC = _solution()


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


def _backprop(
    delta2: Callable = lambda p, y, n: (p - y) / n,
    *,
    hidden_derivative: bool = True,
    forward_bias: bool = True,
    transpose_w1: bool = False,
    keys: tuple[str, ...] = ("W1", "b1", "W2", "b2"),
    bias: str = "sum",
    dtype: Any = float,
) -> Callable:
    """A back-propagation written like a student's, with one chosen mistake."""

    def gradientes_bce(parametros, x, y):
        p_ = {k: np.asarray(v, dtype=dtype) for k, v in parametros.items()}
        x, y = np.asarray(x, dtype=dtype), np.asarray(y, dtype=dtype)
        h = _sigmoid(x @ p_["W1"] + (p_["b1"] if forward_bias else 0))
        p = _sigmoid(h @ p_["W2"] + (p_["b2"] if forward_bias else 0))
        d2 = delta2(p, y, len(x))
        d1 = d2 @ p_["W2"].T
        if hidden_derivative:
            d1 = d1 * h * (1 - h)
        reduce = {
            "sum": lambda d: d.sum(axis=0),
            "mean": lambda d: d.mean(axis=0),
            "keepdims": lambda d: d.sum(axis=0, keepdims=True),
            "total": lambda d: d.sum(),
            "zero": lambda d: np.zeros(d.shape[1]),
        }[bias]
        grads = {
            "W1": d1.T @ x if transpose_w1 else x.T @ d1,
            "b1": reduce(d1),
            "W2": h.T @ d2,
            "b2": reduce(d2),
        }
        return {k: grads[k] for k in keys}

    return gradientes_bce


def _divided_twice(parametros, x, y):
    """δ₂ already carries 1/N and the weight gradients are divided by N again."""
    grads = GRADIENTS(parametros, x, y)
    return {k: v / len(x) if k.startswith("W") else v for k, v in grads.items()}


def _backprop_with_loops(parametros, x, y):
    """Example by example, with outer products (another valid style)."""
    grads = {k: np.zeros_like(v) for k, v in parametros.items()}
    for xi, yi in zip(x, y, strict=True):
        h = _sigmoid(xi @ parametros["W1"] + parametros["b1"])
        p = _sigmoid(h @ parametros["W2"] + parametros["b2"])
        d2 = (p - yi) / len(x)
        d1 = (parametros["W2"] @ d2) * h * (1 - h)
        grads["W2"] += np.outer(h, d2)
        grads["b2"] += d2
        grads["W1"] += np.outer(xi, d1)
        grads["b1"] += d1
    return grads


def _numeric(kind: str = "central", eps_default: float = 1e-6) -> Callable:
    """A numerical gradient written like a student's, with one chosen mistake."""

    def gradiente_numerico(f, parametros, eps=eps_default):
        derivadas = {}
        for nombre, valor in parametros.items():
            d = np.zeros_like(valor)
            for i in np.ndindex(valor.shape):
                original = valor[i]
                f_cero = f(parametros)
                valor[i] = original + eps
                f_mas = f(parametros)
                valor[i] = original - eps
                f_menos = f(parametros)
                if kind != "no_restore":
                    valor[i] = original
                d[i] = {
                    "central": (f_mas - f_menos) / (2 * eps),
                    "no_restore": (f_mas - f_menos) / (2 * eps),
                    "forward": (f_mas - f_cero) / eps,
                    "backward": (f_cero - f_menos) / eps,
                    "sign": (f_menos - f_mas) / (2 * eps),
                    "one_eps": (f_mas - f_menos) / eps,
                }[kind]
            derivadas[nombre] = d
        return derivadas

    return gradiente_numerico


def _numeric_without_default(f, parametros, eps):
    """Right, but `eps` has no default value (the check calls it with two arguments)."""
    return NUMERIC(f, parametros, eps)


def _numeric_on_copies(f, parametros, eps=1e-5):
    """Perturbs deep copies instead of the parameters themselves (another valid style)."""
    out = {}
    for nombre, valor in parametros.items():
        g = np.zeros(valor.shape)
        for i in range(valor.size):
            mas, menos = copy.deepcopy(parametros), copy.deepcopy(parametros)
            mas[nombre].flat[i] += eps
            menos[nombre].flat[i] -= eps
            g.flat[i] = (f(mas) - f(menos)) / (2 * eps)
        out[nombre] = g
    return out


@pytest.mark.parametrize(
    ("gradients", "numeric"),
    [
        (GRADIENTS, NUMERIC),
        (_backprop_with_loops, _numeric_on_copies),
        (_backprop(dtype=np.float32), NUMERIC),
        (GRADIENTS, _numeric(eps_default=1e-5)),
    ],
    ids=["solution", "loops-and-copies", "float32", "eps-1e-5"],
)
def test_right_answers_in_other_styles_pass(gradients: Callable, numeric: Callable) -> None:
    """Vectorised or example by example, float64 or float32, copies or in place: Correct."""
    result = nb03.ej4.evaluate(gradients, numeric)
    assert isinstance(result, Correct), str(result)


@pytest.mark.parametrize(
    ("gradients", "numeric", "named"),
    [
        (
            _backprop(lambda p, y, n: 2 / n * (p - y) * p * (1 - p)),
            NUMERIC,
            "error cuadrático medio",
        ),
        (_backprop(lambda p, y, n: (p - y) * p * (1 - p) / n), NUMERIC, "derivada de la sigmoide"),
        (_backprop(lambda p, y, n: (y - p) / n), NUMERIC, "signo cambiado"),
        (_backprop(lambda p, y, n: p - y), NUMERIC, "dividir entre el número de ejemplos"),
        (_backprop(lambda p, y, n: (p - y) / 4), NUMERIC, "`len(x)`"),
        (_backprop(forward_bias=False), NUMERIC, "no suma los sesgos"),
        (_backprop(keys=("W1", "W2")), NUMERIC, "Falta el gradiente de los sesgos"),
        (_backprop(bias="zero"), NUMERIC, "los de los sesgos valen 0"),
        (_backprop(bias="mean"), NUMERIC, "has hecho la media de δ"),
        (
            _backprop(lambda p, y, n: p - y, bias="mean"),
            NUMERIC,
            "los de los pesos son N veces los esperados",
        ),
        (_divided_twice, NUMERIC, "has dividido entre N dos veces"),
        (_backprop(bias="keepdims"), NUMERIC, "Quita `keepdims=True`"),
        (_backprop(bias="total"), NUMERIC, "número suelto"),
        (_backprop(transpose_w1=True), NUMERIC, "gradiente de W1 está traspuesto"),
        (_backprop(hidden_derivative=False), NUMERIC, "falta la derivada de su sigmoide"),
        (GRADIENTS, _numeric("forward"), "diferencia hacia delante"),
        (GRADIENTS, _numeric("backward"), "diferencia hacia atrás"),
        (GRADIENTS, _numeric("sign"), "signo cambiado"),
        (GRADIENTS, _numeric("one_eps"), "divide entre 2ε, no entre ε"),
        (GRADIENTS, _numeric("no_restore"), "vuelve a poner el valor original"),
        (GRADIENTS, _numeric(eps_default=0.5), "Revisa el tamaño de ε"),
        (GRADIENTS, _numeric_without_default, "valor por defecto"),
    ],
    ids=[
        "mse-gradient",
        "sigmoid-twice",
        "sign",
        "no-mean",
        "divided-by-4",
        "no-bias-in-forward",
        "bias-gradient-missing",
        "bias-gradient-zero",
        "bias-gradient-mean",
        "weights-summed-biases-averaged",
        "weights-divided-twice",
        "bias-keepdims",
        "bias-summed-to-a-number",
        "w1-transposed",
        "no-hidden-derivative",
        "forward-difference",
        "backward-difference",
        "numeric-sign",
        "divided-by-eps",
        "not-restored",
        "eps-too-large",
        "eps-without-default",
    ],
)
def test_each_typical_mistake_is_named(gradients: Callable, numeric: Callable, named: str) -> None:
    """The message of a wrong answer names the mistake actually made."""
    result = nb03.ej4.evaluate(gradients, numeric)
    assert isinstance(result, Incorrect), str(result)
    assert named in str(result), str(result)


def test_backprop_that_moves_the_weights_is_reported() -> None:
    """A gradient function that updates the parameters in place is told to leave them alone."""

    def gradientes_bce(parametros, x, y):
        grads = GRADIENTS(parametros, x, y)
        for k in parametros:
            parametros[k] -= 0.1 * grads[k]
        return grads

    result = nb03.ej4.evaluate(gradientes_bce, NUMERIC)
    assert isinstance(result, Incorrect) and "tu función los modifica" in str(result), str(result)


def test_one_function_still_a_stub_is_not_attempted() -> None:
    """With one of the two functions still `raise NotImplementedError`, nothing is judged."""

    def gradiente_numerico(f, parametros, eps=1e-6):
        raise NotImplementedError

    assert isinstance(nb03.ej4.evaluate(GRADIENTS, gradiente_numerico), NotAttempted)


def test_student_exception_is_explained_and_names_the_function() -> None:
    """A crash in the student's code is reported in Spanish with the function's name."""

    def broken(parametros, x, y):
        return parametros["W3"]

    result = nb03.ej4.evaluate(broken, NUMERIC)
    assert isinstance(result, Incorrect) and "`gradientes_bce`" in str(result), str(result)


def test_answers_passed_by_keyword_are_checked() -> None:
    """`check(gradientes_bce=..., gradiente_numerico=...)` is judged, not taken as unanswered."""
    result = nb03.ej4.check(gradientes_bce=GRADIENTS, gradiente_numerico=NUMERIC)
    assert isinstance(result, Correct), str(result)


def test_functions_passed_in_the_wrong_order_are_named() -> None:
    """The two functions swapped in the call get a message about their order."""
    result = nb03.ej4.evaluate(NUMERIC, GRADIENTS)
    assert isinstance(result, Incorrect), str(result)
    assert "practica.ej4.check(gradientes_bce, gradiente_numerico)" in str(result), str(result)
