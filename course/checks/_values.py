"""Checks of plain answers: placeholders, numbers, arrays, multiple choice, functions."""

from __future__ import annotations

import ast
import contextlib
import inspect
import math
import numbers
import textwrap
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from course.checks._codes import tag
from course.checks._results import (
    CheckSpecError,
    Correct,
    Incorrect,
    NotAttempted,
    explain_exception,
    fmt_array,
    fmt_number,
    fmt_value,
)

__all__ = [
    "AUTO",
    "EDGE_CASES",
    "check_array",
    "check_choice",
    "check_function",
    "check_number",
    "is_placeholder",
    "normalize_text",
    "not_attempted",
    "student_exception",
]

#: Sentinel: "derive the edge cases from the inputs" (the default of check_function).
AUTO = "auto"

_FIX_PLACEHOLDER = (
    "Sustituye el marcador (`None`, `...` o `raise NotImplementedError()`) por tu "
    "respuesta y vuelve a ejecutar la celda de tu solución antes que esta."
)


# --------------------------------------------------------------------------- #
# Placeholders
# --------------------------------------------------------------------------- #
def is_placeholder(value: Any) -> bool:
    """Whether ``value`` is an untouched exercise placeholder.

    ``None`` and ``...`` are placeholders, and so is a function whose body does
    nothing but ``pass``, ``...``, ``return``/``return None`` or
    ``raise NotImplementedError`` (what nbgrader leaves in a released notebook),
    judged from its source code without calling it.
    """
    if value is None or value is Ellipsis:
        return True
    if inspect.isfunction(value) or inspect.ismethod(value):
        return _function_is_stub(value)
    return False


def _function_is_stub(fn: Callable) -> bool:
    try:
        source = textwrap.dedent(inspect.getsource(fn))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError, IndentationError):
        return False
    nodes = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    if not nodes:  # a lambda: ``lambda x: None``
        lambdas = [n for n in ast.walk(tree) if isinstance(n, ast.Lambda)]
        return len(lambdas) == 1 and _is_none_or_ellipsis(lambdas[0].body)
    body = list(nodes[0].body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        if isinstance(body[0].value.value, str):
            body = body[1:]  # docstring
    if not body:
        return True
    return all(_is_stub_statement(stmt) for stmt in body)


def _is_none_or_ellipsis(node: ast.AST | None) -> bool:
    return node is None or (isinstance(node, ast.Constant) and node.value in (None, Ellipsis))


def _is_stub_statement(stmt: ast.stmt) -> bool:
    if isinstance(stmt, ast.Pass):
        return True
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
        return stmt.value.value is Ellipsis or isinstance(stmt.value.value, str)
    if isinstance(stmt, ast.Return):
        return _is_none_or_ellipsis(stmt.value)
    if isinstance(stmt, ast.Raise) and stmt.exc is not None:
        exc = stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc
        return isinstance(exc, ast.Name) and exc.id == "NotImplementedError"
    return False


def not_attempted(what: str, *, found: str = "", fix: str = "") -> NotAttempted:
    """Build the standard NotAttempted result for ``what`` (not raised)."""
    return NotAttempted(
        f"tu respuesta para {what}",
        found or "el marcador sin cambiar: todavía no hay respuesta",
        "tu propia respuesta en lugar del marcador",
        fix or _FIX_PLACEHOLDER,
    )


def student_exception(
    checked: str, exc: BaseException, expected: str, fix: str | None = None
) -> Incorrect:
    """An Incorrect for an exception raised by the student's code.

    The Spanish explanation comes first; the original type and message follow as
    a detail (never the whole explanation).
    """
    explanation, detail = explain_exception(exc)
    failure = Incorrect(
        checked,
        f"tu código lanzó un error: {explanation}. {detail}",
        expected,
        fix
        or "Ejecuta tu código en una celda aparte con esta misma entrada, lee el error y "
        "corrige la línea que señala.",
    )
    failure.raised = True  # the student's code raised: a run error in the analytics
    return failure


def normalize_text(value: str) -> str:
    """Lower case, no accents, single spaces: how a free-text answer is compared."""
    decomposed = unicodedata.normalize("NFKD", str.strip(str(value)))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


# --------------------------------------------------------------------------- #
# Numbers
# --------------------------------------------------------------------------- #
def _as_number(value: Any) -> float | None:
    """A real number from a Python/NumPy scalar or a size-1 array, else None."""
    if isinstance(value, (bool, np.bool_, str, bytes)):
        return None
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "iuf":
        return float(value.reshape(-1)[0])
    return None


def check_number(
    value: Any,
    expected: float | int | None = None,
    *,
    tol: float | None = None,
    rtol: float | None = None,
    what: str = "el resultado",
    mistakes: Mapping[float, str] | None = None,
    fix: str | None = None,
    reveal: bool = False,
) -> Correct:
    """Check a numeric answer, within an absolute ``tol`` or relative ``rtol``.

    With ``expected=None`` only the format is checked (a finite real number):
    that is how a visible test works when the answer key is kept for the hidden
    test. ``mistakes`` maps known wrong answers to a targeted Spanish hint,
    e.g. ``{20: "Parece que no has contado los sesgos."}``. Default tolerance:
    exact for integers, relative 1e-6 otherwise. The expected value appears in
    a failure message only with ``reveal=True`` (e.g. a worked example whose
    result the statement already gives): otherwise the message would be the
    solution.
    """
    if is_placeholder(value):
        raise not_attempted(what)
    number = _as_number(value)
    if number is None:
        raise Incorrect(
            f"el formato de {what}",
            f"un valor de tipo `{type(value).__name__}`: {fmt_value(value)}",
            "un número (int o float)",
            "Asigna un único número, sin comillas ni listas; si lo has calculado con NumPy, "
            "un escalar vale.",
        )
    if not math.isfinite(number):
        raise Incorrect(
            f"{what}",
            f"{fmt_number(number)}, que no es un número finito",
            "un número finito" + (f" (cerca de {fmt_number(expected)})" if expected else ""),
            "Busca en tu cálculo una división por cero o un `np.log`/`np.exp` de un valor extremo.",
        )
    if expected is None:
        return Correct(
            f"el formato de {what}",
            f"el número {fmt_number(number)}",
            "un número finito; su valor se comprueba al calificar",
            value=number,
        )
    expected_f = float(expected)
    if tol is None and rtol is None:
        if isinstance(expected, numbers.Integral):
            tol = 0.0
        else:
            rtol = 1e-6
    allowed = max(tol or 0.0, (rtol or 0.0) * abs(expected_f), 1e-12)
    if _single_precision(value):  # a float32 answer is as exact as float32 allows
        allowed = max(allowed, _FLOAT32_RTOL * abs(expected_f))
    if abs(number - expected_f) <= allowed:
        shown = fmt_number(value) if isinstance(value, numbers.Integral) else fmt_number(number)
        return Correct(
            what,
            shown,
            f"{fmt_number(expected)}{'' if allowed <= 1e-12 else ' (con tolerancia)'}",
            value=number,
        )
    hint = fix or _number_hint(number, expected_f, allowed, mistakes)
    tolerance = "" if allowed <= 1e-12 else f", con tolerancia ±{fmt_number(allowed, 3)}"
    shown = fmt_number(value) if isinstance(value, numbers.Integral) else fmt_number(number)
    if reveal:
        wanted = f"{fmt_number(expected)}{tolerance}"
    else:
        wanted = f"el valor correcto{tolerance} (no se muestra: es la respuesta)"
    raise tag(Incorrect(what, shown, wanted, hint, value=number), hint)


#: Relative tolerance granted to a float32 answer (a few units of float32 rounding).
_FLOAT32_RTOL = 8 * float(np.finfo(np.float32).eps)


def _single_precision(value: Any) -> bool:
    dtype = getattr(value, "dtype", None)
    return dtype is not None and np.dtype(dtype).kind == "f" and np.dtype(dtype).itemsize <= 4


def _number_hint(
    number: float, expected: float, allowed: float, mistakes: Mapping[float, str] | None
) -> str:
    for wrong, message in (mistakes or {}).items():
        if abs(number - float(wrong)) <= max(allowed, 1e-3 * abs(float(wrong)), 1e-9):
            return message
    if expected != 0 and abs(number + expected) <= allowed:
        return "Tienes el valor correcto con el signo cambiado: revisa el signo de tu fórmula."
    if expected != 0 and (
        abs(number - 100 * expected) <= 100 * allowed or abs(100 * number - expected) <= allowed
    ):
        return "Tu número difiere en un factor 100: ¿mezclas porcentaje (0-100) con fracción (0-1)?"
    if expected != 0 and abs(number - expected) <= 1e-3 * max(abs(expected), 1.0):
        return (
            "Estás muy cerca, pero no es exacto: calcula el valor con tu código (por ejemplo con tu "
            "función) y no lo escribas a mano ni redondees los pasos intermedios."
        )
    if expected != 0 and round(number) == round(expected) and allowed < 0.5:
        return "Estás cerca: no redondees los pasos intermedios, usa el valor completo."
    return "Repasa el cálculo paso a paso con la fórmula del enunciado y compara cada paso."


# --------------------------------------------------------------------------- #
# Arrays
# --------------------------------------------------------------------------- #
def check_array(
    value: Any,
    expected: Any,
    *,
    rtol: float = 1e-5,
    atol: float = 1e-8,
    what: str = "el array",
    check_dtype: bool = False,
    fix: str | None = None,
) -> Correct:
    """Check an array answer: type, shape, dtype kind, NaN/inf and values."""
    if is_placeholder(value):
        raise not_attempted(what)
    expected_arr = np.asarray(expected)
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged lists etc.
        raise Incorrect(
            f"el formato de {what}",
            f"un valor que NumPy no puede convertir en array ({type(exc).__name__})",
            f"un array de forma {tuple(expected_arr.shape)}",
            "Construye la respuesta con `np.array(...)` y comprueba que todas las filas "
            "tienen la misma longitud.",
        ) from None
    with _quiet_numpy():
        _compare_arrays(arr, expected_arr, rtol, atol, what, context="", fix=fix)
    if check_dtype and arr.dtype.kind != expected_arr.dtype.kind:
        raise Incorrect(
            f"el tipo de datos (dtype) de {what}",
            f"dtype {arr.dtype}",
            f"dtype {expected_arr.dtype}",
            fix or f"Convierte el resultado con `.astype({expected_arr.dtype.name!r})`.",
        )
    return Correct(what, f"forma {tuple(arr.shape)}, valores correctos", "los valores esperados")


def _compare_arrays(
    got: np.ndarray,
    want: np.ndarray,
    rtol: float,
    atol: float,
    what: str,
    context: str,
    fix: str | None,
    overflow_fix: str | None = None,
    args: tuple = (),
) -> None:
    """Raise Incorrect describing the first difference between got and want."""
    if got.dtype.kind in "OUSVc" and want.dtype.kind in "biuf":
        raise Incorrect(
            f"{what}{context}",
            f"un resultado de tipo {got.dtype} ({fmt_value(got)})",
            f"números reales de forma {tuple(want.shape)}",
            fix or "Devuelve un array de NumPy con números, no texto ni objetos.",
        )
    if want.ndim == 0 and got.size == 1 and got.dtype.kind in "biuf":
        got = got.reshape(())  # a one-element array is as good as a number
    if got.shape != want.shape:
        hint = fix or _shape_hint(got.shape, want.shape)
        raise Incorrect(
            f"la forma (shape) de {what}{context}",
            f"forma {tuple(got.shape)}",
            f"forma {tuple(want.shape)}",
            hint,
        )
    if want.dtype.kind not in "biufc" or got.dtype.kind not in "biufc":
        if not np.array_equal(got, want):
            raise Incorrect(f"{what}{context}", fmt_value(got), fmt_value(want), fix or "")
        return
    got_f = got.astype(float)
    want_f = want.astype(float)
    if got.dtype.kind == "f" and got.dtype.itemsize <= 4:
        rtol = max(rtol, _FLOAT32_RTOL)  # a float32 answer is as exact as float32 allows
    bad_got = ~np.isfinite(got_f) & np.isfinite(want_f)
    if bad_got.any():
        index = tuple(int(i) for i in np.argwhere(bad_got)[0])
        where = _where(index)
        raise Incorrect(
            f"{what}{context}",
            f"{fmt_number(got_f[index])}{where} (el resultado completo: {fmt_array(got)})",
            f"valores finitos, por ejemplo {fmt_number(want_f[index])}{where}",
            fix or overflow_fix or _non_finite_hint(args),
        )
    close = np.isclose(got_f, want_f, rtol=rtol, atol=atol, equal_nan=True)
    if not close.all():
        index = tuple(int(i) for i in np.argwhere(~close)[0])
        where = _where(index)
        n_bad = int((~close).sum())
        extra = f" ({n_bad} de {close.size} valores difieren)" if close.size > 1 else ""
        shown_got, shown_want = _distinct_digits(got_f[index], want_f[index])
        # A single number is already the whole result: no "resultado completo" repeating it.
        whole_got = f"; resultado completo: {fmt_array(got)}" if close.size > 1 else ""
        whole_want = f"; resultado completo: {fmt_array(want)}" if close.size > 1 else ""
        raise Incorrect(
            f"{what}{context}",
            f"{shown_got}{where}{extra}{whole_got}",
            f"{shown_want}{where}{whole_want}",
            fix or _value_hint(got_f, want_f),
        )


def _distinct_digits(got: float, want: float) -> tuple[str, str]:
    """The two numbers with enough significant digits to print differently."""
    for digits in (6, 8, 10, 12, 14, 17):
        a, b = fmt_number(got, digits), fmt_number(want, digits)
        if a != b:
            return a, b
    return fmt_number(got, 17), fmt_number(want, 17)


def _where(index: tuple) -> str:
    if not index:
        return ""
    return f" en la posición {index[0] if len(index) == 1 else index}"


def _non_finite_hint(args: tuple) -> str:
    """Say why nan/inf appear, judged from the input that produced them."""
    arrays = []
    for a in args:
        try:
            arr = np.asarray(a, dtype=float)
        except (TypeError, ValueError):
            continue
        if arr.size:
            arrays.append(arr)
    if any(np.nanmax(np.abs(a)) >= 100 for a in arrays):
        return (
            "Con entradas grandes (como ±1000) `np.exp` desborda a `inf` y aparecen `nan`: "
            "reescribe la fórmula para no calcular nunca la exponencial de un número grande "
            "(por ejemplo, restando antes el máximo)."
        )
    if any(((a == 0) | (a == 1)).any() and a.min() >= 0 and a.max() <= 1 for a in arrays):
        return (
            "Con probabilidades exactamente 0 o 1 aparece `log(0) = -inf`: recorta las "
            "probabilidades lejos de 0 y 1 (con `np.clip`) antes del logaritmo."
        )
    return (
        "Aparecen `nan` o `inf`: busca divisiones por cero, logaritmos de 0 o exponenciales "
        "de números grandes y reescribe la fórmula de forma numéricamente estable."
    )


def _shape_hint(got: tuple, want: tuple) -> str:
    if int(np.prod(got)) == int(np.prod(want)):
        return (
            "Tienes el número correcto de valores pero organizados en otra forma: revisa "
            "`axis=` y `keepdims=True` en sumas y máximos, o si hace falta un `reshape`."
        )
    if len(got) == 0 and len(want) > 0:
        return (
            "Devuelves un único número: la operación debe hacerse elemento a elemento o por "
            "filas; revisa si has sumado o promediado sobre todo el array."
        )
    if len(want) == 0:
        return "Se espera un único número: reduce el resultado (por ejemplo con una media)."
    return "Revisa sobre qué eje (`axis=`) reduces y si tu resultado conserva una fila por ejemplo."


def _value_hint(got: np.ndarray, want: np.ndarray) -> str:
    if np.allclose(got, want, rtol=1e-3, atol=5e-4):
        return (
            "Estás muy cerca, pero no es exacto: calcula el resultado con tu código en lugar de "
            "copiarlo redondeado (no lo escribas a mano)."
        )
    if np.allclose(got, -want):
        return "Tu resultado tiene el signo cambiado: revisa el signo de la fórmula."
    if np.allclose(got, 1.0 - want) and not np.allclose(want, 0.5):
        return (
            "Tu resultado es 1 menos el esperado: revisa el signo dentro de la exponencial "
            "(¿`exp(z)` en lugar de `exp(-z)`?)."
        )
    if want.ndim >= 1 and want.size > 1:
        sums = want.sum(axis=-1)
        if np.allclose(sums, 1.0, atol=1e-3) and not np.allclose(got.sum(axis=-1), 1.0, atol=1e-3):
            return (
                "Tus valores no suman 1 en cada fila: normaliza dividiendo por la suma sobre "
                "el último eje (`axis=-1, keepdims=True`)."
            )
        if np.allclose(sums, 1.0) and np.allclose(got.sum(), 1.0) and want.ndim == 2:
            return (
                "Tu resultado suma 1 en total, pero debe sumar 1 en cada fila: normaliza por "
                "filas (`axis=-1, keepdims=True`)."
            )
    return "Compara tu fórmula con la del enunciado, término a término, con este mismo ejemplo."


# --------------------------------------------------------------------------- #
# Multiple choice
# --------------------------------------------------------------------------- #
class _NotAChoice:
    """Marker for an answer of a type an option can never have (never equal to one)."""

    def __repr__(self) -> str:
        return "<no es una opción>"


_PLAIN_CHOICE_TYPES = (str, int, float, bool)


def _normalize_choice(value: Any) -> Any:
    """Plain, type-strict form of an option: an object whose ``__eq__`` or
    ``__hash__`` is rigged cannot match an option."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, str):
        # base-class methods: a str subclass cannot cheat; case and accents never decide
        return normalize_text(str.__str__(value))
    if type(value) in _PLAIN_CHOICE_TYPES:
        return value
    return _NotAChoice()


def check_choice(
    value: Any,
    options: Sequence[Any],
    expected: Any = None,
    *,
    what: str = "la respuesta",
    multiple: bool = False,
    mistakes: Mapping[Any, str] | None = None,
    fix: str | None = None,
) -> Correct:
    """Check a multiple-choice answer.

    The format (one of ``options``; with ``multiple=True`` a list or set of
    them) is always checked; correctness only when ``expected`` is given,
    which is how a hidden test holds the answer key. Strings compare without
    case or surrounding spaces. ``mistakes`` maps wrong options to a hint.
    """
    if is_placeholder(value):
        raise not_attempted(what)
    allowed = [_normalize_choice(o) for o in options]
    shown = ", ".join(repr(o) for o in options)
    if multiple:
        if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
            raise Incorrect(
                f"el formato de {what}",
                f"{fmt_value(value)}",
                f"una lista con una o más opciones de: {shown}",
                f"Escribe tu respuesta como una lista, por ejemplo `{list(options[:2])!r}`.",
            )
        chosen = {_normalize_choice(v) for v in value}
    else:
        chosen = {_normalize_choice(value)}
    unknown = [c for c in chosen if c not in allowed]
    if unknown or not chosen:
        raise Incorrect(
            f"el formato de {what}",
            f"{fmt_value(value)}, que no es una de las opciones",
            f"{'opciones' if multiple else 'una opción'} de: {shown}",
            f"Copia la opción tal como aparece en el enunciado, entre comillas (así se escribe la primera: {options[0]!r}).",
        )
    if expected is None:
        return Correct(
            f"el formato de {what}",
            f"la opción {fmt_value(value)}",
            f"una opción válida de: {shown}; si es la correcta se comprueba al calificar",
        )
    if multiple:
        key = {_normalize_choice(e) for e in expected}
    else:
        key = {_normalize_choice(expected)}
    if chosen == key:
        return Correct(what, f"la opción {fmt_value(value)}", "la opción correcta")
    hint = fix
    if hint is None and mistakes:
        for wrong, message in mistakes.items():
            if _normalize_choice(wrong) in chosen:
                hint = message
                break
    if hint is None:
        hint = (
            "Vuelve a leer la parte de la lección sobre esta pregunta y descarta cada opción con "
            "un argumento."
        )
    named = hint
    if multiple and chosen < key:
        hint = "Has elegido solo parte de las opciones correctas: " + hint
    raise tag(Incorrect(what, f"la opción {fmt_value(value)}", "otra opción", hint), named)


# --------------------------------------------------------------------------- #
# Functions
# --------------------------------------------------------------------------- #
def _edge_activation() -> list[np.ndarray]:
    return [
        np.array([0.0]),
        np.zeros((3, 4)),
        np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0]),
        np.array([[1000.0, 1001.0, 1002.0]]),
        np.array([[-1000.0, -1000.0, -999.0], [0.5, -0.5, 0.0]]),
        np.linspace(-20, 20, 41).reshape(1, -1),
    ]


def _edge_softmax() -> list[np.ndarray]:
    return [
        np.array([0.0, 0.0, 0.0]),
        np.array([1000.0, 1001.0, 1002.0]),
        np.array([-1000.0, -1001.0, -1002.0]),
        np.array([[1.0, 2.0, 3.0]]),
        np.array([[1000.0, 0.0, -1000.0], [5.0, 5.0, 5.0]]),
        np.random.default_rng(7).normal(scale=3.0, size=(64, 10)),
    ]


def _edge_crossentropy() -> list[tuple[np.ndarray, np.ndarray]]:
    """(y_true, y_pred) pairs with predictions of exactly 0 and 1 (log(0) traps)."""
    eye = np.eye(3)
    return [
        (np.array([1, 0, 1], dtype=float), np.array([1, 0, 0.999])),
        (np.array([1, 0], dtype=float), np.array([0, 1], dtype=float)),
        (np.ones(1), np.full(1, 1e-12)),
        (eye[1:2], eye[1:2].copy()),
        (eye[[0, 2]], np.array([[0, 0.5, 0.5], [0.2, 0.8, 0]])),
    ]


#: Named sets of edge cases for check_function(edge_cases=...).
EDGE_CASES: dict[str, Callable[[], list[Any]]] = {
    "activation": _edge_activation,
    "softmax": _edge_softmax,
    "crossentropy": _edge_crossentropy,
}


def _as_args(item: Any) -> tuple:
    """An input is one positional argument, or a tuple of them."""
    return item if isinstance(item, tuple) else (item,)


def _copy_args(args: tuple) -> tuple:
    return tuple(np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args)


def _auto_edge_cases(inputs: list[tuple]) -> list[tuple[tuple, str]]:
    """Extreme values, zeros and batches of 1 and many, shaped like the inputs.

    Returns ``(args, label)`` pairs; the label says in Spanish what the case tests.
    """
    cases: list[tuple[tuple, str]] = []
    seen: set = set()
    for args in inputs:
        if len(args) != 1:
            continue  # several arguments: their domain is unknown, ask for edge_cases
        arr = np.asarray(args[0])
        if arr.dtype.kind != "f" or arr.ndim == 0 or arr.shape in seen:
            continue
        seen.add(arr.shape)
        big = np.resize(np.array([1000.0, -1000.0, 999.0, 0.0, -998.0]), arr.shape)
        cases.append(((np.zeros_like(arr),), "caso extremo: ceros"))
        cases.append(((big.astype(arr.dtype),), "caso extremo: valores de ±1000"))
        cases.append(((np.full_like(arr, 800.0),), "caso extremo: valores muy grandes"))
        cases.append(((np.full_like(arr, -800.0),), "caso extremo: valores muy negativos"))
        width = arr.shape[-1]
        rng = np.random.default_rng(width)
        if arr.ndim == 1:
            cases.append(((arr.reshape(1, -1),), "la misma entrada como lote de 1 fila"))
        else:
            one = rng.normal(size=(1, *arr.shape[1:])).astype(arr.dtype)
            cases.append(((one,), "lote de 1 ejemplo"))
        row = arr.shape if arr.ndim == 1 else arr.shape[1:]
        many = rng.normal(scale=3.0, size=(64, *row)).astype(arr.dtype)
        cases.append(((many,), "lote de 64 ejemplos"))
    return cases


def _random_like(args: tuple, rng: np.random.Generator) -> tuple:
    out = []
    for a in args:
        arr = np.asarray(a) if isinstance(a, (np.ndarray, list)) else None
        if arr is None or arr.dtype.kind not in "iuf" or arr.size == 0:
            out.append(a)
            continue
        if arr.dtype.kind in "iu":
            low, high = int(arr.min()), int(arr.max())
            out.append(rng.integers(low, high + 1, size=arr.shape).astype(arr.dtype))
        elif np.isin(arr, (0.0, 1.0)).all() and arr.size > 1:
            # labels: keep the statement's domain (0/1 values, one-hot rows stay one-hot)
            if arr.ndim >= 2 and arr.shape[-1] > 1 and np.allclose(arr.sum(axis=-1), 1.0):
                classes = rng.integers(0, arr.shape[-1], size=arr.shape[:-1])
                out.append(np.eye(arr.shape[-1], dtype=arr.dtype)[classes])
            else:
                out.append(rng.integers(0, 2, size=arr.shape).astype(arr.dtype))
        elif arr.min() >= 0.0 and arr.max() <= 1.0:
            new = rng.uniform(0.01, 0.99, size=arr.shape)
            if arr.ndim >= 1 and np.allclose(arr.sum(axis=-1), 1.0):
                new = new / new.sum(axis=-1, keepdims=True)
            out.append(new.astype(arr.dtype))
        else:
            scale = float(np.std(arr)) * 3.0 or 3.0
            out.append(rng.normal(scale=scale, size=arr.shape).astype(arr.dtype))
    return tuple(out)


def _fmt_args(args: tuple) -> str:
    """The input of a test case, short enough for one line of a message."""
    parts = []
    for a in args:
        if isinstance(a, np.ndarray) and a.ndim >= 1:
            text = fmt_array(a, max_items=8)
            if a.ndim >= 2 or a.size > 8:
                text += f" (forma {tuple(a.shape)})"
        else:
            text = fmt_value(a)
        parts.append(text if len(text) <= 220 else text[:220] + " …")
    return ", ".join(parts)


def _fn_name(fn: Any, name: str | None) -> str:
    return name or getattr(fn, "__name__", "tu función")


def _parameter_name(fn: Callable, position: int) -> str:
    """The name the student gave to positional argument ``position`` of ``fn``.

    Read from the signature (:func:`inspect.signature`); ``*args`` gives
    ``args[i]`` and a callable without a readable signature gives a neutral
    description, so that a message never names a parameter the function does
    not have.
    """
    try:
        parameters = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return f"argumento {position + 1}"
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    for index, parameter in enumerate(parameters):
        if parameter.kind == inspect.Parameter.VAR_POSITIONAL:
            return f"{parameter.name}[{position - index}]"
        if parameter.kind not in positional:
            break
        if index == position:
            return parameter.name
    return f"argumento {position + 1}"


def check_function(
    student_fn: Callable,
    reference_fn: Callable,
    inputs: Sequence[Any] | None = None,
    *,
    edge_cases: str | Sequence[Any] | None = AUTO,
    random_inputs: int | Callable[[np.random.Generator], Any] = 5,
    rtol: float = 1e-5,
    atol: float = 1e-7,
    name: str | None = None,
    seed: int = 0,
    overflow_fix: str | None = None,
    extra_inputs: Sequence[Any] | None = None,
    mistakes: Sequence[tuple[Callable, str]] | None = None,
) -> Correct:
    """Compare a student's NumPy function with a reference implementation.

    ``inputs`` are the fixed inputs: each is one positional argument, or a
    ``tuple`` of positional arguments. Then come ``extra_inputs`` (held-out
    inputs a hidden test adds), the edge cases — ``"auto"`` derives zeros,
    ±1000, single-row and 64-row batches from the inputs' shapes, a name from
    :data:`EDGE_CASES` (``"activation"``, ``"softmax"``, ``"crossentropy"``)
    or an explicit list — and ``random_inputs`` random inputs shaped like the
    fixed ones (or produced by a callable taking a NumPy ``Generator``).
    Inputs on which the reference itself fails or returns non-finite values
    are skipped. The first failing input is reported with expected and
    obtained outputs. Every input is passed as a fresh copy, and a function
    that modifies its input in place is reported.

    ``mistakes`` lists typical wrong versions of the function as
    ``(wrong_function, Spanish cause)``. When the student's function gives a
    wrong value, the cause shown is the one of the wrong version that behaves
    exactly like it on every input tried (diagnosis by behaviour, never by
    reading the code); if none does, the generic hints apply.
    """
    fname = _fn_name(student_fn, name)
    what = f"la función `{fname}`"
    if is_placeholder(student_fn):
        raise not_attempted(what)
    if not callable(student_fn):
        raise Incorrect(
            f"que {what} sea una función",
            f"un valor de tipo `{type(student_fn).__name__}`",
            "una función definida con `def`",
            "Define la función con `def` y pasa su nombre sin paréntesis, sin llamarla.",
        )
    fixed = [_as_args(i) for i in (inputs or [])]
    fixed += [_as_args(i) for i in (extra_inputs or [])]
    if not fixed and edge_cases in (AUTO, None):
        raise CheckSpecError(
            "check_function necesita `inputs` o una lista/nombre en `edge_cases` para probar "
            "la función."
        )
    if edge_cases == AUTO:
        edges = _auto_edge_cases(fixed)
    elif isinstance(edge_cases, str):
        if edge_cases not in EDGE_CASES:
            raise CheckSpecError(
                f"edge_cases={edge_cases!r} no existe; usa 'auto', None, una lista o uno de "
                f"{sorted(EDGE_CASES)}."
            )
        edges = [(_as_args(i), "caso extremo") for i in EDGE_CASES[edge_cases]()]
    else:
        edges = [(_as_args(i), "caso extremo") for i in (edge_cases or [])]
    rng = np.random.default_rng(seed)
    randoms: list[tuple] = []
    if callable(random_inputs):
        randoms = [_as_args(random_inputs(rng)) for _ in range(5)]
    elif random_inputs and fixed:
        randoms = [_random_like(fixed[i % len(fixed)], rng) for i in range(int(random_inputs))]

    cases = [(args, "") for args in fixed] + edges
    cases += [(args, "entrada aleatoria") for args in randoms]
    n_checked = 0
    for args, label in cases:
        try:
            with _quiet_numpy():
                expected = reference_fn(*_copy_args(args))
        except Exception:
            if label == "":
                raise
            continue  # the reference does not accept this generated input
        if label and not _all_finite(expected):
            continue
        try:
            _check_one(student_fn, args, expected, what, label, rtol, atol, overflow_fix)
        except Incorrect as failure:
            if getattr(failure, "diagnosable", False):
                cause = _diagnose(student_fn, mistakes or (), [a for a, _ in cases])
                if cause is not None:
                    failure.fix = cause
                    tag(failure, cause)
                    failure.args = (failure.message(),)
            raise
        n_checked += 1
    return Correct(
        what,
        f"coincide con la referencia en las {n_checked} entradas probadas",
        "los mismos resultados que la referencia, incluidos casos extremos",
        value=n_checked,
    )


@contextlib.contextmanager
def _quiet_numpy() -> Iterator[None]:
    """No RuntimeWarning on stderr (nbgrader fails a cell that writes to stderr)."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        yield


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    try:
        return bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    except TypeError:
        return bool(np.array_equal(a, b))


def _all_finite(value: Any) -> bool:
    values = value if isinstance(value, tuple) else (value,)
    try:
        return all(np.all(np.isfinite(np.asarray(v, dtype=float))) for v in values)
    except (TypeError, ValueError):
        return True


def _check_one(
    fn: Callable,
    args: tuple,
    expected: Any,
    what: str,
    group: str,
    rtol: float,
    atol: float,
    overflow_fix: str | None,
) -> None:
    call_args = _copy_args(args)
    context = f" con la entrada {_fmt_args(args)}" + (f" ({group})" if group else "")
    try:
        with _quiet_numpy():
            got = fn(*call_args)
    except NotImplementedError:
        raise not_attempted(what) from None
    except Exception as exc:
        raise student_exception(
            f"{what}{context}",
            exc,
            "que devuelva un resultado sin errores",
            "Ejecuta tu función con esta misma entrada en una celda aparte y lee el error; "
            "usa operaciones de NumPy sobre el array completo.",
        ) from None
    if got is None or got is Ellipsis:
        raise Incorrect(
            f"{what}{context}",
            f"la función no devuelve nada (`{fmt_value(got)}`): calcula, pero le falta el `return`",
            "un resultado devuelto con `return`",
            "Termina la función con `return` seguido del resultado que has calculado.",
        )
    for position, (original, after) in enumerate(zip(args, call_args, strict=False)):
        if isinstance(original, np.ndarray) and isinstance(after, np.ndarray):
            if after.shape == original.shape and not _same(after, original):
                arg = _parameter_name(fn, position)
                raise Incorrect(
                    f"{what}{context}",
                    f"la función modifica el array de entrada `{arg}` (operaciones como "
                    f"`{arg} -= ...` o `{arg}[...] = ...` cambian el array de quien llama)",
                    "que la entrada quede intacta",
                    f"Crea un array nuevo (`nuevo = {arg} - ...`) en lugar de modificar `{arg}` "
                    "en el sitio.",
                )
    try:
        _compare_result(got, expected, what, context, rtol, atol, overflow_fix, args)
    except Incorrect as failure:
        failure.diagnosable = True  # a wrong value: check_function may name the mistake
        raise


_FAILED = object()


def _diagnose(
    fn: Callable, mistakes: Sequence[tuple[Callable, str]], cases: list[tuple]
) -> str | None:
    """The cause of the first known mistake that behaves like ``fn`` on every case.

    Without one, an exception the function raises on another input of the test
    is a better explanation than a generic hint: it is named instead.
    """
    outputs: list[Any] = []
    raised: BaseException | None = None
    for args in cases:
        try:
            with _quiet_numpy():
                outputs.append(fn(*_copy_args(args)))
        except Exception as exc:  # noqa: BLE001 - the student's function: compared as "failed"
            outputs.append(_FAILED)
            raised = raised or exc
    for wrong, cause in mistakes:
        compared = 0
        for args, got in zip(cases, outputs, strict=True):
            try:
                with _quiet_numpy():
                    value = wrong(*_copy_args(args))
            except Exception:  # noqa: BLE001 - the wrong version fails here: so must the student's
                if got is _FAILED:
                    continue
                break
            if not _all_finite(value):
                continue
            if got is _FAILED or not _behaves_like(got, value):
                break
            compared += 1
        else:
            if compared >= 1:
                return cause
    if raised is not None and not isinstance(raised, NotImplementedError):
        explanation, detail = explain_exception(raised)
        return f"Con otra entrada de la prueba se produce un error: {explanation}. {detail}"
    return None


def _is_sequence(value: Any) -> bool:
    """A tuple, a list or an array with at least one axis (several values in order)."""
    if isinstance(value, np.ndarray):
        return value.ndim >= 1
    return isinstance(value, (tuple, list))


def _behaves_like(got: Any, value: Any) -> bool:
    if isinstance(value, tuple) and _is_sequence(got):
        got = tuple(got)
    gots = got if isinstance(got, tuple) else (got,)
    values = value if isinstance(value, tuple) else (value,)
    if len(gots) != len(values):
        return False
    for g, v in zip(gots, values, strict=True):
        try:
            g_arr = np.asarray(g, dtype=float)
            v_arr = np.asarray(v, dtype=float)
        except (TypeError, ValueError):
            return False
        if g_arr.size == 1 and v_arr.size == 1:
            g_arr, v_arr = g_arr.reshape(()), v_arr.reshape(())
        if g_arr.shape != v_arr.shape:
            return False
        with _quiet_numpy():
            # float32 rounding of the student's arithmetic must not hide the match
            scale = float(np.nanmax(np.abs(v_arr), initial=1.0)) if v_arr.size else 1.0
            if not np.allclose(g_arr, v_arr, rtol=1e-5, atol=1e-6 * scale, equal_nan=True):
                return False
    return True


def _compare_result(
    got: Any,
    expected: Any,
    what: str,
    context: str,
    rtol: float,
    atol: float,
    overflow_fix: str | None,
    args: tuple,
) -> None:
    if isinstance(expected, tuple):
        # the statements ask for several values, not for a tuple: a list or an
        # array of the same values (``return [a, b]``) is the same answer
        if not _is_sequence(got) or len(got) != len(expected):
            if isinstance(got, np.ndarray) and got.ndim >= 2:
                found = f"un solo array, de forma {tuple(got.shape)}"
            elif _is_sequence(got):
                found = f"un resultado de tipo `{type(got).__name__}` con {len(got)} valores"
            else:
                found = f"un solo valor, de tipo `{type(got).__name__}`"
            raise Incorrect(
                f"{what}{context}",
                found,
                f"{len(expected)} valores, por ejemplo la tupla `a, b` de `return a, b`",
                f"Devuelve los {len(expected)} valores separados por comas: `return a, b`.",
            )
        pairs = list(zip(got, expected, strict=False))
    else:
        pairs = [(got, expected)]
    for g, e in pairs:
        try:
            g_arr = np.asarray(g)
        except Exception:  # noqa: BLE001 - an object NumPy cannot read: compared as an object
            g_arr = np.empty((), dtype=object)
            g_arr[()] = g
        with _quiet_numpy():
            _compare_arrays(
                g_arr,
                np.asarray(e),
                rtol,
                atol,
                what,
                context,
                fix=None,
                overflow_fix=overflow_fix,
                args=args,
            )
