"""Check results: Correct, Incorrect and NotAttempted, with Spanish four-part messages.

Every result carries four parts, all in Spanish:

``checked``
    what was checked ("la función ``softmax`` con entradas muy grandes");
``found``
    what was found in the student's answer;
``expected``
    what was expected;
``fix``
    one concrete step to fix it (a hint, never the solution).

A result shows as a short coloured box in a notebook (``_repr_html_``), as plain
text elsewhere (``str``). The two failures are ``AssertionError`` subclasses so
that nbgrader scores a test cell that raises them as failed, and they implement
``_render_traceback_`` so that IPython prints the Spanish message instead of a
long traceback.
"""

from __future__ import annotations

import html
import math
import numbers
import re
import textwrap
from typing import Any

import numpy as np

from course.errors import CourseError

__all__ = [
    "CheckResult",
    "CheckSpecError",
    "Correct",
    "Incorrect",
    "NotAttempted",
    "explain_exception",
    "fmt_array",
    "fmt_number",
    "fmt_value",
    "raised_by_student",
]

# Labels of the four parts, in the order they are shown.
_PART_LABELS = (
    ("checked", "Qué se comprobó"),
    ("found", "Qué se encontró"),
    ("expected", "Qué se esperaba"),
    ("fix", "Cómo arreglarlo"),
)

# Colours chosen for contrast on JupyterLab's light theme (and still legible on
# the dark one, because the box sets its own background and text colour).
_STYLES = {
    "correct": {"label": "Correcto", "icon": "✔", "border": "#2e7d32", "bg": "#e8f5e9"},
    "incorrect": {"label": "Incorrecto", "icon": "✘", "border": "#c62828", "bg": "#ffebee"},
    "not_attempted": {
        "label": "Sin responder",
        "icon": "…",
        "border": "#b26a00",
        "bg": "#fff8e1",
    },
}
_ANSI = {"correct": "\x1b[1;32m", "incorrect": "\x1b[1;31m", "not_attempted": "\x1b[1;33m"}
_ANSI_RESET = "\x1b[0m"
_CODE_SPAN = re.compile(r"`([^`\n]+)`")


class CheckSpecError(CourseError, ValueError):
    """The exercise author called a check with invalid arguments (not the student's fault)."""


# --------------------------------------------------------------------------- #
# Number and array formatting (never ``np.float64(...)`` in a message)
# --------------------------------------------------------------------------- #
def fmt_number(value: Any, digits: int = 6) -> str:
    """Format a number for a student message, without NumPy reprs.

    Integers (Python or NumPy, and floats that are whole and small) print as
    integers; other floats with ``digits`` significant digits; NaN and
    infinities by name.
    """
    if isinstance(value, (bool, np.bool_)):
        return "True" if value else "False"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return "nan"
    if math.isinf(number):
        return "inf" if number > 0 else "-inf"
    if number.is_integer() and abs(number) < 1e15:
        return f"{number:.1f}" if abs(number) < 1e6 else f"{number:.{digits}g}"
    return f"{number:.{digits}g}"


def fmt_array(value: Any, max_items: int = 12, digits: int = 4) -> str:
    """Format an array compactly: nested brackets, plain numbers, long axes cut with "…"."""
    array = np.asarray(value)
    if array.ndim == 0:
        return fmt_number(array.item(), digits + 2)
    if array.dtype.kind not in "biuf":
        text = np.array2string(array, separator=", ", threshold=max_items, edgeitems=3)
        return text if len(text) <= 400 else text[:400] + " …"
    summarize = array.size > max_items
    text = _fmt_nested(array, digits, summarize)
    return text if len(text) <= 400 else text[:400] + " …"


def _fmt_nested(array: np.ndarray, digits: int, summarize: bool, edge: int = 3) -> str:
    if array.ndim == 0:
        return fmt_number(array.item(), digits)
    n = array.shape[0]
    if summarize and n > 2 * edge:
        parts = [_fmt_nested(a, digits, summarize, edge) for a in array[:edge]]
        parts.append("…")
        parts += [_fmt_nested(a, digits, summarize, edge) for a in array[-edge:]]
    else:
        parts = [_fmt_nested(a, digits, summarize, edge) for a in array]
    return "[" + ", ".join(parts) + "]"


def fmt_value(value: Any) -> str:
    """Format any answer value for a message: numbers, arrays, strings, others."""
    if isinstance(value, (bool, np.bool_)):
        return "True" if value else "False"
    if isinstance(value, (numbers.Number, np.generic)) and not isinstance(value, np.str_):
        return fmt_number(value)
    if isinstance(value, np.ndarray):
        return fmt_array(value)
    if isinstance(value, str):
        return repr(value) if len(value) < 200 else repr(value[:200]) + "…"
    if isinstance(value, (list, tuple)) and len(value) < 50:
        try:
            array = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            return repr(value)[:300]
        return fmt_array(array)
    if value is None:
        return "None"
    if value is Ellipsis:
        return "..."
    if callable(value) and hasattr(value, "__name__"):
        return f"la función {value.__name__}"  # never a memory address in a message
    text = repr(value)
    return text if len(text) < 300 else text[:300] + "…"


# --------------------------------------------------------------------------- #
# A student's exception, explained in Spanish
# --------------------------------------------------------------------------- #
#: (exception type name or None, regular expression on the message, Spanish explanation).
#: The first matching row explains the error; the original text is kept as a detail.
_EXCEPTION_RULES: tuple[tuple[str | None, str, str], ...] = (
    (
        "ValueError",
        r"truth value of an array",
        "usas `if`, `and`/`or` o `max()`/`min()` de Python con un array, y esas "
        "operaciones necesitan un único valor. Trabaja elemento a elemento con "
        "`np.where(condición, a, b)`, `np.maximum` o `np.minimum`",
    ),
    (
        "TypeError",
        r"positional argument|required positional|unexpected keyword argument|"
        r"takes no arguments",
        "tu función no acepta los argumentos con los que se la llama: revisa cuántos "
        "parámetros tiene su `def` (el enunciado fija cuáles y en qué orden)",
    ),
    (
        None,
        r"could not be broadcast|not aligned|matmul|mismatch in its core dimension|"
        r"shapes? .* (?:incompatible|mismatch)",
        "las formas (shape) de los arrays no encajan: revisa el orden de la multiplicación "
        "(`W @ x`), el eje de las sumas y máximos (`axis=`) y `keepdims=True`",
    ),
    (
        "OverflowError",
        r"",
        "un número se ha hecho demasiado grande (`math.exp` desborda con valores grandes y "
        "solo admite números sueltos); usa `np.exp` y escribe la fórmula de forma estable",
    ),
    (
        "TypeError",
        r"only (?:length-1|size-1|integer scalar)|can be converted to Python scalars",
        "usas una función de `math` (como `math.exp`) con un array: usa la de NumPy "
        "(`np.exp`, `np.log`...), que trabaja con arrays completos",
    ),
    (
        "TypeError",
        r"unsupported operand|can't multiply|can only concatenate|must be str|not supported "
        r"between",
        "operas con tipos que no se pueden combinar (por ejemplo una lista y un número, o "
        "texto): convierte las entradas con `np.asarray(...)` y devuelve números",
    ),
    (
        "NameError",
        r"",
        "usas una variable que no existe dentro de la función: calcula todo a partir de "
        "los argumentos de la función (o ejecuta antes la celda que la define)",
    ),
    (
        "IndexError",
        r"",
        "accedes a una posición que no existe: revisa los índices y la forma de los arrays "
        "(no supongas un tamaño fijo)",
    ),
    (
        "ZeroDivisionError",
        r"",
        "divides por cero: usa operaciones de NumPy sobre arrays o comprueba el denominador",
    ),
    (
        "AttributeError",
        r"",
        "usas un atributo o método que ese objeto no tiene: comprueba el tipo de cada "
        "variable (¿una lista en lugar de un array?)",
    ),
    (
        "KeyError",
        r"",
        "buscas una clave o columna que no existe: revisa su nombre exacto",
    ),
    (
        "RecursionError",
        r"",
        "la función se llama a sí misma sin fin: quita la llamada recursiva",
    ),
)

_DEFAULT_EXPLANATION = (
    "se produjo un error al ejecutar tu código: ejecútalo en una celda aparte con esta misma "
    "entrada y corrige la línea que señala el error"
)


def explain_exception(exc: BaseException) -> tuple[str, str]:
    """A Spanish explanation of a student's exception and the original as a detail.

    Returns ``(explanation, detail)``: ``explanation`` says what the error usually
    means in these exercises and how to fix it; ``detail`` is
    ``"Detalle técnico: `TypeError: ...`"`` (one line, at most 200 characters).
    """
    kind = type(exc).__name__
    text = str(exc).splitlines()[0][:200] if str(exc) else ""
    explanation = _DEFAULT_EXPLANATION
    for rule_kind, pattern, spanish in _EXCEPTION_RULES:
        if rule_kind is not None and not any(k.__name__ == rule_kind for k in type(exc).__mro__):
            continue
        if pattern and not re.search(pattern, text):
            continue
        explanation = spanish
        break
    detail = f"Detalle técnico: `{kind}: {text}`" if text else f"Detalle técnico: `{kind}`"
    return explanation, detail


def raised_by_student(exc: BaseException, checker_files: Any = ()) -> bool:
    """Whether ``exc`` was raised by code outside the checker (the student's).

    The innermost frame that belongs neither to the standard library nor to an
    installed library decides: inside ``course`` or in one of ``checker_files``
    (where the check itself is defined) it is the checker's own error.
    """
    import os
    import sysconfig

    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    libraries = {
        os.path.abspath(p)
        for p in (sysconfig.get_paths().get("stdlib"), sysconfig.get_paths().get("purelib"))
        if p
    }
    tb = exc.__traceback__
    owner = None
    while tb is not None:
        filename = os.path.abspath(tb.tb_frame.f_code.co_filename)
        if not any(filename.startswith(lib + os.sep) for lib in libraries):
            owner = filename
        tb = tb.tb_next
    if owner is None:
        return False
    own = {os.path.abspath(f) for f in checker_files if f}
    return not owner.startswith(package + os.sep) and owner not in own


# --------------------------------------------------------------------------- #
# Results
# --------------------------------------------------------------------------- #
class CheckResult:
    """Behaviour shared by the three results (mixed into each of them).

    Attributes: ``kind`` (``"correct"``, ``"incorrect"``, ``"not_attempted"``),
    ``checked``, ``found``, ``expected``, ``fix`` (Spanish text), ``title``
    (exercise title or ``None``) and ``value`` (a measured value such as an
    accuracy, as a plain Python number, or ``None``).
    """

    kind: str = ""
    checked: str
    found: str
    expected: str
    fix: str
    title: str | None
    value: Any
    #: The recognised mistake (a :class:`course.checks._codes.Mistake`) the check
    #: named, or ``None``; read by the grader's mistake analytics.
    mistake: Any = None

    def _init_parts(
        self,
        checked: str,
        found: str,
        expected: str,
        fix: str,
        title: str | None,
        value: Any,
    ) -> None:
        self.checked = str(checked or "")
        self.found = str(found or "")
        self.expected = str(expected or "")
        self.fix = str(fix or "")
        self.title = title
        self.value = _plain(value)
        self._shown_in: int | None = None

    # -- introspection -----------------------------------------------------
    @property
    def passed(self) -> bool:
        """``True`` only for :class:`Correct`."""
        return self.kind == "correct"

    @property
    def label(self) -> str:
        """The Spanish headline word: Correcto, Incorrecto or Sin responder."""
        return _STYLES[self.kind]["label"]

    def parts(self) -> list[tuple[str, str]]:
        """The non-empty (label, text) parts in display order."""
        return [(label, getattr(self, key)) for key, label in _PART_LABELS if getattr(self, key)]

    def tagged(self, mistake: Any) -> CheckResult:
        """Record the recognised mistake this result names (returns ``self``)."""
        self.mistake = mistake
        return self

    def with_title(self, title: str | None) -> CheckResult:
        """Set the exercise title shown in the headline (returns ``self``)."""
        if title and not self.title:
            self.title = title
        return self

    # -- text --------------------------------------------------------------
    def headline(self) -> str:
        style = _STYLES[self.kind]
        head = f"{style['icon']} {style['label']}"
        return f"{head} — {self.title}" if self.title else head

    def message(self) -> str:
        """The plain-text message: headline then one line per part."""
        lines = [self.headline()]
        lines += [f"  {label}: {text}" for label, text in self.parts()]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.message()

    def __bool__(self) -> bool:
        return self.passed

    # -- notebook display ----------------------------------------------------
    def _repr_html_(self) -> str:
        style = _STYLES[self.kind]
        title = f" — {_inline_html(self.title)}" if self.title else ""
        items = "".join(
            f'<li style="margin:2px 0"><b>{html.escape(label)}:</b> {_inline_html(text)}</li>'
            for label, text in self.parts()
        )
        return (
            f'<div class="course-check course-check-{self.kind}" style="'
            f"border-left:6px solid {style['border']};background:{style['bg']};"
            "color:#1a1a1a;padding:6px 12px;margin:4px 0;border-radius:4px;"
            'font-family:sans-serif;font-size:14px;line-height:1.45">'
            f'<div style="font-weight:bold;color:{style["border"]}">'
            f"{style['icon']} {style['label']}{title}</div>"
            f'<ul style="margin:4px 0 2px 0;padding-left:20px">{items}</ul></div>'
        )

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.message())

    def _ipython_display_(self) -> None:
        """Display once per cell: ``Exercise.check`` shows the result itself, so
        the same object returned as the cell's value is not shown a second time."""
        from IPython import get_ipython
        from IPython.display import display

        shell = get_ipython()
        count = getattr(shell, "execution_count", None)
        if count is not None and self._shown_in == count:
            return
        self._shown_in = count
        display(
            {"text/html": self._repr_html_(), "text/plain": self.message()},
            raw=True,
        )

    def _render_traceback_(self) -> list[str]:
        """Lines IPython shows when this result is raised in a cell."""
        color = _ANSI[self.kind]
        lines = [f"{color}{self.headline()}{_ANSI_RESET}"]
        for label, text in self.parts():
            # Wrapped, because nbgrader's Validate dialog shows these lines in a
            # <pre> block that cuts long lines off instead of wrapping them.
            lines += textwrap.wrap(
                f"{label}: {text}",
                width=_WRAP,
                initial_indent="  ",
                subsequent_indent="    ",
                break_long_words=False,
                break_on_hyphens=False,
            ) or [f"  {label}:"]
        return lines


#: Column at which raised messages are wrapped.
_WRAP = 88


class Correct(CheckResult):
    """A passed check. Truthy; ``value`` holds a measured number if any."""

    kind = "correct"

    def __init__(
        self,
        checked: str = "",
        found: str = "",
        expected: str = "",
        fix: str = "",
        *,
        title: str | None = None,
        value: Any = None,
    ) -> None:
        self._init_parts(checked, found, expected, fix, title, value)

    def __repr__(self) -> str:
        return f"Correct({self.checked!r})"


class _Failure(CheckResult, AssertionError):
    def __init__(
        self,
        checked: str = "",
        found: str = "",
        expected: str = "",
        fix: str = "",
        *,
        title: str | None = None,
        value: Any = None,
    ) -> None:
        self._init_parts(checked, found, expected, fix, title, value)
        AssertionError.__init__(self, self.message())

    def with_title(self, title: str | None) -> CheckResult:
        super().with_title(title)
        self.args = (self.message(),)
        return self

    def __str__(self) -> str:
        return self.message()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.found or self.checked!r})"

    def __reduce__(self):  # picklable although __init__ takes keyword-only args
        return (_rebuild, (type(self), self.__dict__.copy()))


def _rebuild(cls: type, state: dict) -> _Failure:
    obj = cls.__new__(cls)
    obj.__dict__.update(state)
    AssertionError.__init__(obj, obj.message())
    return obj


class Incorrect(_Failure):
    """The answer is wrong. An ``AssertionError``, so nbgrader scores the cell 0."""

    kind = "incorrect"


class NotAttempted(_Failure):
    """The placeholder is untouched (``None``, ``...``, ``raise NotImplementedError``)."""

    kind = "not_attempted"


# --------------------------------------------------------------------------- #
# helpers
# --------------------------------------------------------------------------- #
def _inline_html(text: str) -> str:
    """Escape user-controlled text, then render `code` spans."""
    escaped = html.escape(str(text))
    return _CODE_SPAN.sub(
        r'<code style="background:rgba(0,0,0,0.06);padding:0 3px;border-radius:3px">\1</code>',
        escaped,
    ).replace("\n", "<br>")


def _plain(value: Any) -> Any:
    """Turn NumPy scalars into plain Python numbers (nbgrader prints them)."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value.item()
    return value
