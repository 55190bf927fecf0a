"""Check of the XOR back-propagation exercise (notebook 03, ejercicio 4).

The student writes two functions for the 2-2-1 sigmoid network of notebook 01, now
trained with binary cross-entropy:

- ``gradientes_bce(parametros, x, y)``: the gradient of the mean BCE with respect to
  every parameter, by back-propagation, as a dict with the keys of ``parametros``;
- ``gradiente_numerico(f, parametros, eps=...)``: the same dict of derivatives of any
  function ``f(parametros)``, by central differences.

Wrong answers are diagnosed by behaviour: the student's output is compared with
typical wrong versions (the MSE gradient of notebook 01, the sigmoid derivative
applied twice, a forgotten bias gradient, a forward difference...) on every test
case, and the message names the one that matches.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from course.checks import Correct, Incorrect, fmt_array, student_exception

__all__ = ["KEYS", "check_xor_backprop", "example_parameters", "reference_gradients"]

#: The parameters of the 2-2-1 network, in the order messages name them.
KEYS = ("W1", "b1", "W2", "b2")
_SHAPES = {"W1": (2, 2), "b1": (2,), "W2": (2, 1), "b2": (1,)}
_RTOL, _ATOL = 1e-4, 1e-7

_XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
_XOR_Y = np.array([[0.0], [1.0], [1.0], [0.0]])


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -z))


def example_parameters(seed: int) -> dict[str, np.ndarray]:
    """Random parameters of the 2-2-1 network (biases not zero, outputs not saturated)."""
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.normal(0.0, 1.0, size=(2, 2)),
        "b1": rng.normal(0.0, 0.5, size=2),
        "W2": rng.normal(0.0, 1.0, size=(2, 1)),
        "b2": rng.normal(0.0, 0.5, size=1),
    }


def _gradients(
    params: Mapping[str, np.ndarray], x: np.ndarray, y: np.ndarray, variant: str = ""
) -> dict[str, np.ndarray]:
    """The BCE gradients, or those of the typical wrong version ``variant``."""
    b1 = np.zeros(2) if variant == "no_bias_forward" else params["b1"]
    b2 = np.zeros(1) if variant == "no_bias_forward" else params["b2"]
    h = _sigmoid(x @ params["W1"] + b1)
    p = _sigmoid(h @ params["W2"] + b2)
    n = len(x)
    if variant == "mse":
        delta2 = 2.0 / n * (p - y) * p * (1 - p)
    elif variant == "sigmoid_twice":
        delta2 = (p - y) * p * (1 - p) / n
    elif variant == "no_mean":
        delta2 = p - y
    elif variant == "four":
        delta2 = (p - y) / 4.0
    else:
        delta2 = (p - y) / n
    if variant == "no_hidden_derivative":
        delta1 = delta2 @ params["W2"].T
    else:
        delta1 = (delta2 @ params["W2"].T) * h * (1 - h)
    grads = {
        "W1": x.T @ delta1,
        "b1": delta1.sum(axis=0),
        "W2": h.T @ delta2,
        "b2": delta2.sum(axis=0),
    }
    if variant == "sign":
        grads = {k: -v for k, v in grads.items()}
    return grads


def reference_gradients(
    params: Mapping[str, np.ndarray], x: np.ndarray, y: np.ndarray
) -> dict[str, np.ndarray]:
    """Gradient of the mean binary cross-entropy of the 2-2-1 network (back-propagation)."""
    return _gradients(params, np.asarray(x, dtype=float), np.asarray(y, dtype=float))


def _bce(params: Mapping[str, np.ndarray], x: np.ndarray, y: np.ndarray) -> float:
    h = _sigmoid(x @ params["W1"] + params["b1"])
    p = _sigmoid(h @ params["W2"] + params["b2"])
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def _backprop_cases() -> list[tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]]:
    """The XOR points with three parameter sets, and six other points (N is not 4)."""
    rng = np.random.default_rng(2024)
    x6 = rng.uniform(-1.0, 1.0, size=(6, 2))
    y6 = np.array([[1.0], [0.0], [0.0], [1.0], [1.0], [0.0]])
    cases = [(example_parameters(seed), _XOR_X, _XOR_Y) for seed in (0, 1, 3)]
    cases.append((example_parameters(7), x6, y6))
    return cases


#: Whole-answer mistakes: every gradient of the student equals that of the variant.
_VARIANT_CAUSES = {
    "sign": "Todos tus gradientes tienen el signo cambiado. El gradiente apunta hacia donde "
    "la pérdida sube: δ₂ = (p − y) / N, no (y − p) / N.",
    "mse": "Tus gradientes son los de la red del cuaderno 01, con el error cuadrático medio: "
    "δ₂ = 2 (p − y) p (1 − p) / N. Con la entropía cruzada binaria la derivada de la "
    "pérdida y la de la sigmoide se simplifican y queda δ₂ = (p − y) / N.",
    "sigmoid_twice": "Has multiplicado δ₂ por la derivada de la sigmoide, p (1 − p). Con la "
    "entropía cruzada binaria ese factor ya está dentro de la simplificación: "
    "δ₂ = (p − y) / N, sin más.",
    "no_mean": "Tus gradientes son N veces los esperados: la pérdida es una media, así que "
    "δ₂ = (p − y) / N. Falta dividir entre el número de ejemplos.",
    "four": "Has dividido entre 4 en lugar de entre el número de ejemplos: con los 4 puntos "
    "de XOR sale bien, pero la función debe servir para cualquier lote. Usa `len(x)`.",
    "no_bias_forward": "Tu propagación hacia delante no suma los sesgos: calcula "
    "z₁ = x W₁ + b₁ y z₂ = h W₂ + b₂ antes de cada sigmoide.",
}

_MAPPING_FIX = (
    'Devuelve un diccionario como `{"W1": ..., "b1": ..., "W2": ..., "b2": ...}`, '
    "con un array por parámetro."
)


def _as_gradient_dict(got: Any, what: str, fix_missing: str) -> dict[str, np.ndarray]:
    """The student's dict of gradients, checked for keys, numbers and shapes."""
    if not isinstance(got, Mapping):
        raise Incorrect(
            what,
            f"un valor de tipo `{type(got).__name__}`",
            "un diccionario con las claves 'W1', 'b1', 'W2' y 'b2'",
            _MAPPING_FIX,
        )
    missing = [k for k in KEYS if k not in got]
    if missing:
        names = ", ".join(f"'{k}'" for k in missing)
        fix = fix_missing
        if all(k.startswith("b") for k in missing):
            fix = (
                "Falta el gradiente de los sesgos. Como ∂z/∂b = 1, dL/db es la suma de δ "
                "sobre los ejemplos: `delta2.sum(axis=0)` y `delta1.sum(axis=0)`."
            )
        raise Incorrect(
            what, f"faltan las claves {names}", "las claves 'W1', 'b1', 'W2' y 'b2'", fix
        )
    arrays = {}
    for key in KEYS:
        try:
            arrays[key] = np.asarray(got[key], dtype=float)
        except (TypeError, ValueError):
            raise Incorrect(
                f"{what}, clave '{key}'",
                f"{got[key]!r}, que no es un array de números",
                f"un array de forma {_SHAPES[key]}",
                _MAPPING_FIX,
            ) from None
        if not np.all(np.isfinite(arrays[key])):
            raise Incorrect(
                f"{what}, clave '{key}'",
                f"valores NaN o infinitos: {fmt_array(arrays[key])}",
                "números finitos",
                "Busca una división entre cero o un logaritmo de 0 en tu código.",
            )
    for key in KEYS:
        shape = arrays[key].shape
        want = _SHAPES[key]
        if shape == want:
            continue
        if key.startswith("b") and len(shape) == 2 and shape[1] == want[0]:
            fix = (
                f"El gradiente de un sesgo tiene la forma del sesgo, {want}. "
                + (
                    "Quita `keepdims=True`: "
                    if shape[0] == 1
                    else "Parece que no has sumado δ sobre los ejemplos: "
                )
                + "usa `delta.sum(axis=0)`."
            )
        elif shape == () and key.startswith("b"):
            fix = (
                f"Tu gradiente de {key} es un número suelto: has sumado δ sobre todo. Suma solo "
                f"sobre los ejemplos, `delta.sum(axis=0)`: queda un valor por neurona, forma {want}."
            )
        elif key.startswith("W") and shape == want[::-1]:
            fix = (
                f"Tu matriz está traspuesta: el gradiente de {key} tiene la forma de {key}, "
                f"(entradas, neuronas) = {want}. Multiplica la entrada de la capa, traspuesta, "
                "por su δ: `x.T @ delta1` y `h.T @ delta2`."
            )
        else:
            fix = (
                f"Cada gradiente tiene la misma forma que su parámetro; con otra forma, el "
                f"paso `parametros['{key}'] -= tasa * gradiente` fallaría o cambiaría la forma "
                "del parámetro."
            )
        raise Incorrect(f"{what}, clave '{key}'", f"forma {shape}", f"forma {want}", fix)
    return arrays


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=_RTOL, atol=_ATOL))


def _copy(params: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {k: np.array(v, dtype=float, copy=True) for k, v in params.items()}


def _unchanged(before: Mapping[str, np.ndarray], after: Mapping[str, Any]) -> bool:
    try:
        return all(
            np.shape(after[k]) == before[k].shape
            and np.allclose(np.asarray(after[k], dtype=float), before[k], rtol=0, atol=1e-12)
            for k in before
        )
    except (KeyError, TypeError, ValueError):
        return False


def _call(fn: Callable, args: tuple, name: str, expected: str) -> Any:
    try:
        with np.errstate(all="ignore"):
            return fn(*args)
    except NotImplementedError:
        raise
    except Exception as exc:  # the student's code failed: explained in Spanish
        raise student_exception(
            f"la función `{name}`",
            exc,
            expected,
            "Ejecuta tu función en una celda aparte con `parametros_xor`, `x_xor` e `y_xor`, "
            "lee el error y corrige la línea que señala.",
        ) from None


def _check_backprop(gradientes_bce: Callable) -> int:
    what = "el diccionario que devuelve `gradientes_bce(parametros, x, y)`"
    cases = _backprop_cases()
    answers = []
    for params, x, y in cases:
        given = _copy(params)
        got = _call(
            gradientes_bce,
            (given, x.copy(), y.copy()),
            "gradientes_bce",
            "un diccionario con el gradiente de cada parámetro",
        )
        if not _unchanged(params, given):
            raise Incorrect(
                "los parámetros que recibe `gradientes_bce`",
                "tu función los modifica",
                "que los deje como estaban: calcular el gradiente no debe mover los pesos",
                "Calcula los gradientes en variables nuevas; la actualización "
                "`parametros[...] -= ...` es un paso aparte del entrenamiento.",
            )
        answers.append(
            _as_gradient_dict(
                got,
                what,
                "Pon en el diccionario un gradiente por cada parámetro de la red: "
                "'W1', 'b1', 'W2' y 'b2'.",
            )
        )
    wrong = []
    for (params, x, y), got in zip(cases, answers, strict=True):
        expected = reference_gradients(params, x, y)
        bad = [k for k in KEYS if not _close(got[k], expected[k])]
        if bad:
            wrong.append((params, x, y, got, expected, bad))
    if not wrong:
        return len(cases)
    raise _backprop_failure(cases, answers, wrong[0])


def _backprop_failure(cases: list, answers: list, first: tuple) -> Incorrect:
    params, x, y, got, expected, bad = first
    where = "con los 4 puntos de XOR" if len(x) == 4 else f"con un lote de {len(x)} puntos"
    checked = f"los gradientes de `gradientes_bce` {where}"
    found = "; ".join(f"{k} = {fmt_array(got[k])}" for k in bad)
    wanted = "; ".join(f"{k} = {fmt_array(expected[k])}" for k in bad)
    for variant, cause in _VARIANT_CAUSES.items():
        if all(
            all(_close(a[k], _gradients(p, xx, yy, variant)[k]) for k in KEYS)
            for (p, xx, yy), a in zip(cases, answers, strict=True)
        ):
            return Incorrect(checked, found, wanted, cause)
    refs = [reference_gradients(p, xx, yy) for p, xx, yy in cases]

    def every_case(test: Callable[[dict, dict, tuple], bool]) -> bool:
        return all(test(a, r, c) for a, r, c in zip(answers, refs, cases, strict=True))

    weights_ok = every_case(lambda a, r, c: _close(a["W1"], r["W1"]) and _close(a["W2"], r["W2"]))
    if weights_ok and every_case(lambda a, r, c: not a["b1"].any() and not a["b2"].any()):
        cause = (
            "Los gradientes de los pesos están bien, pero los de los sesgos valen 0. Como "
            "∂z/∂b = 1, dL/db es la suma de δ sobre los ejemplos: `delta2.sum(axis=0)` y "
            "`delta1.sum(axis=0)`."
        )
    elif weights_ok and every_case(
        lambda a, r, c: (
            _close(a["b1"] * len(c[1]), r["b1"]) and _close(a["b2"] * len(c[1]), r["b2"])
        )
    ):
        cause = (
            "Los gradientes de los sesgos son N veces más pequeños: has hecho la media de δ "
            "sobre los ejemplos, pero el 1/N ya está dentro de δ₂. Suma: `delta.sum(axis=0)`."
        )
    elif every_case(
        lambda a, r, c: (
            _close(a["b1"], r["b1"])
            and _close(a["b2"], r["b2"])
            and _close(a["W1"], r["W1"] * len(c[1]))
            and _close(a["W2"], r["W2"] * len(c[1]))
        )
    ):
        cause = (
            "Los gradientes de los sesgos están bien, pero los de los pesos son N veces los "
            "esperados: el producto hᵀ δ ya suma sobre los ejemplos, así que también a los "
            "pesos les falta el 1/N de la media. Divide entre N una sola vez y en todos los "
            "gradientes."
        )
    elif every_case(
        lambda a, r, c: (
            _close(a["b1"], r["b1"])
            and _close(a["b2"], r["b2"])
            and _close(a["W1"] * len(c[1]), r["W1"])
            and _close(a["W2"] * len(c[1]), r["W2"])
        )
    ):
        cause = (
            "Los gradientes de los sesgos están bien, pero los de los pesos son N veces más "
            "pequeños: has dividido entre N dos veces. El 1/N de la media va una sola vez, "
            "en δ₂ o al final, no en los dos sitios."
        )
    elif every_case(
        lambda a, r, c: (
            _close(a["W2"], r["W2"])
            and _close(a["b2"], r["b2"])
            and _close(a["W1"].T, r["W1"])
            and not _close(a["W1"], r["W1"])
        )
    ):
        cause = (
            "Tu gradiente de W1 está traspuesto: es `x.T @ delta1` (forma (entradas, "
            "neuronas), como W1), no `delta1.T @ x`."
        )
    elif every_case(
        lambda a, r, c: (
            _close(a["W2"], r["W2"])
            and _close(a["b2"], r["b2"])
            and all(
                _close(a[k], _gradients(c[0], c[1], c[2], "no_hidden_derivative")[k])
                for k in ("W1", "b1")
            )
        )
    ):
        cause = (
            "Al pasar δ₂ a la capa oculta falta la derivada de su sigmoide: "
            "δ₁ = (δ₂ W₂ᵀ) ⊙ h ⊙ (1 − h)."
        )
    elif every_case(lambda a, r, c: _close(a["W2"], r["W2"]) and _close(a["b2"], r["b2"])):
        cause = (
            "La capa de salida (W2, b2) está bien; el fallo está en la capa oculta. Repasa "
            "δ₁ = (δ₂ W₂ᵀ) ⊙ h ⊙ (1 − h), dL/dW₁ = xᵀ δ₁ y dL/db₁ = suma de δ₁."
        )
    else:
        cause = (
            "Empieza por la salida: con sigmoide y entropía cruzada binaria, "
            "δ₂ = (p − y) / N; después dL/dW₂ = hᵀ δ₂ y dL/db₂ = suma de δ₂. Compara cada "
            "gradiente con tu `gradiente_numerico` para ver cuál falla."
        )
    return Incorrect(checked, found, wanted, cause)


def _squares(params: Mapping[str, np.ndarray]) -> float:
    """Sum of squares of every parameter (even in each one: its derivative at 0 is 0)."""
    return float(sum(np.sum(np.asarray(v, dtype=float) ** 2) for v in params.values()))


def _numeric_cases() -> list[tuple[str, Callable, dict[str, np.ndarray], dict[str, np.ndarray]]]:
    """(label, f, parameters, exact gradient) for the numerical-gradient check."""
    zeros = {k: np.zeros(s) for k, s in _SHAPES.items()}
    weights = {k: np.linspace(-1.5, 1.2, int(np.prod(s))).reshape(s) for k, s in _SHAPES.items()}
    slope = {k: np.full(s, 0.5) for k, s in _SHAPES.items()}

    def quadratic(p: Mapping[str, np.ndarray]) -> float:
        return _squares(p) + float(sum(np.sum(slope[k] * np.asarray(p[k])) for k in KEYS))

    exact_quadratic = {k: 2 * weights[k] + slope[k] for k in KEYS}
    params = example_parameters(5)
    return [
        (
            "la suma de los cuadrados de los parámetros, en θ = 0",
            _squares,
            zeros,
            {k: np.zeros(s) for k, s in _SHAPES.items()},
        ),
        ("una función cuadrática de los parámetros", quadratic, weights, exact_quadratic),
        (
            "la entropía cruzada de la red en los 4 puntos de XOR",
            lambda p: _bce(p, _XOR_X, _XOR_Y),
            params,
            reference_gradients(params, _XOR_X, _XOR_Y),
        ),
    ]


def _check_numeric(gradiente_numerico: Callable) -> None:
    for label, f, params, exact in _numeric_cases():
        given = _copy(params)
        what = f"`gradiente_numerico(f, parametros)` con f = {label}"
        try:
            with np.errstate(all="ignore"):
                got = gradiente_numerico(f, given)
        except NotImplementedError:
            raise
        except TypeError as exc:
            if "missing" in str(exc) and "eps" in str(exc):
                raise Incorrect(
                    "la llamada `gradiente_numerico(f, parametros)`",
                    "tu función exige el argumento `eps`",
                    "que `eps` tenga un valor por defecto",
                    "Define la función como `def gradiente_numerico(f, parametros, eps=1e-6):`.",
                ) from None
            raise student_exception(what, exc, "un diccionario de derivadas") from None
        except Exception as exc:
            raise student_exception(
                what,
                exc,
                "un diccionario de derivadas",
                "Prueba tu función en una celda aparte con "
                "`gradiente_numerico(lambda p: perdida_red(p, x_xor, y_xor), parametros_xor)`.",
            ) from None
        if not _unchanged(params, given):
            raise Incorrect(
                "los parámetros después de llamar a `gradiente_numerico`",
                "han quedado cambiados",
                "los mismos valores que antes de la llamada",
                "Después de evaluar f con θ + ε y con θ − ε, vuelve a poner el valor original "
                "en esa posición; si no, la derivada de la siguiente posición se calcula en "
                "otro punto.",
            )
        arrays = _as_gradient_dict(
            got, f"el diccionario que devuelve {what}", "Devuelve una derivada por parámetro."
        )
        # At θ = 0 a central difference of an even function is exactly 0 (f(ε) == f(−ε)),
        # whatever ε: a one-sided difference leaves ±ε there, however small.
        atol = 1e-12 if label.endswith("θ = 0") else 1e-6
        bad = [k for k in KEYS if not np.allclose(arrays[k], exact[k], rtol=_RTOL, atol=atol)]
        if not bad:
            continue
        found = "; ".join(f"{k} = {fmt_array(arrays[k])}" for k in bad)
        wanted = "; ".join(f"{k} = {fmt_array(exact[k])}" for k in bad)
        raise Incorrect(what, found, wanted, _numeric_cause(arrays, exact, label))


def _numeric_cause(got: dict[str, np.ndarray], exact: dict[str, np.ndarray], label: str) -> str:
    diff = np.concatenate([(got[k] - exact[k]).ravel() for k in KEYS])
    true = np.concatenate([exact[k].ravel() for k in KEYS])
    value = np.concatenate([got[k].ravel() for k in KEYS])
    central = (
        "Usa la diferencia central, (f(θ + ε) − f(θ − ε)) / (2ε), como en el cuaderno 01: "
        "es simétrica y su error es mucho menor."
    )
    if not true.any() and np.all(diff > 0) and np.allclose(diff, diff[0], rtol=0.01):
        return (
            "En θ = 0 la suma de cuadrados tiene derivada 0 y a ti te sale "
            f"{diff[0]:.2g} en todas las posiciones, justo lo que da la diferencia hacia "
            "delante, (f(θ + ε) − f(θ)) / ε. " + central
        )
    if not true.any() and np.all(diff < 0) and np.allclose(diff, diff[0], rtol=0.01):
        return (
            "En θ = 0 la suma de cuadrados tiene derivada 0 y a ti te sale "
            f"{diff[0]:.2g} en todas las posiciones, justo lo que da la diferencia hacia "
            "atrás, (f(θ) − f(θ − ε)) / ε. " + central
        )
    if true.any() and np.allclose(value, -true, rtol=1e-3, atol=1e-6):
        return (
            "Tus derivadas tienen el signo cambiado: el numerador es f(θ + ε) − f(θ − ε), "
            "en ese orden."
        )
    if true.any() and np.allclose(value, 2 * true, rtol=1e-3, atol=1e-6):
        return (
            "Tus derivadas son el doble de las correctas: entre θ − ε y θ + ε hay una distancia "
            "de 2ε, así que divide entre 2ε, no entre ε."
        )
    if true.any() and np.allclose(value, true / 2, rtol=1e-3, atol=1e-6):
        return (
            "Tus derivadas son la mitad de las correctas: divide la diferencia "
            "f(θ + ε) − f(θ − ε) entre 2ε, una sola vez."
        )
    if "entropía" in label:
        return (
            "Con funciones sencillas tu derivada numérica funciona, pero con la pérdida de la red "
            "se aleja demasiado. Revisa el tamaño de ε: entre 1e-7 y 1e-4 va bien en float64; "
            "mucho mayor, la aproximación es mala, y mucho menor (o en float32), domina el "
            "redondeo."
        )
    return (
        "Para cada posición de cada parámetro: guarda el valor, evalúa f con el valor + ε y "
        "con el valor − ε, restaura el original y guarda (f₊ − f₋) / (2ε) en esa misma "
        "posición de un array de ceros con la forma del parámetro. Usa `f(parametros)`, la "
        "función que recibes, no otra pérdida."
    )


def check_xor_backprop(gradientes_bce: Callable, gradiente_numerico: Callable) -> Correct:
    """Check both functions of the exercise (back-propagation first)."""
    for fn, name in (
        (gradientes_bce, "gradientes_bce"),
        (gradiente_numerico, "gradiente_numerico"),
    ):
        if not callable(fn):
            raise Incorrect(
                f"que `{name}` sea una función",
                f"un valor de tipo `{type(fn).__name__}`",
                "una función definida con `def`",
                "Define la función con `def` y pasa su nombre sin paréntesis.",
            )
    if (
        getattr(gradientes_bce, "__name__", "") == "gradiente_numerico"
        and getattr(gradiente_numerico, "__name__", "") == "gradientes_bce"
    ):
        raise Incorrect(
            "el orden de las dos funciones en `check`",
            "primero `gradiente_numerico` y después `gradientes_bce`",
            "primero `gradientes_bce` y después `gradiente_numerico`",
            "Llama a `practica.ej4.check(gradientes_bce, gradiente_numerico)`, en ese orden.",
        )
    n_cases = _check_backprop(gradientes_bce)
    _check_numeric(gradiente_numerico)
    return Correct(
        "`gradientes_bce` y `gradiente_numerico`",
        f"tus gradientes coinciden con la retropropagación de referencia en {n_cases} casos, "
        "y tu derivada numérica es exacta en una función cuadrática y coincide con la "
        "retropropagación en la red",
        "los gradientes de la entropía cruzada binaria y una diferencia central",
    )
