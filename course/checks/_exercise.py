"""Exercise objects: ``check()``, ``hint()`` and ``solution()`` (the learntools model)."""

from __future__ import annotations

import contextlib
import functools
import inspect
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Protocol

from course.checks._results import (
    CheckResult,
    CheckSpecError,
    Correct,
    Incorrect,
    NotAttempted,
    raised_by_student,
)
from course.checks._values import (
    AUTO,
    check_choice,
    check_function,
    check_number,
    is_placeholder,
    not_attempted,
    student_exception,
)

__all__ = [
    "CheckHook",
    "ChoiceExercise",
    "Exercise",
    "FunctionExercise",
    "ModelExercise",
    "NumberExercise",
    "Problem",
    "hooked",
    "install_hook",
    "remove_hook",
    "show",
]


def _in_ipython() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency of Jupyter
        return False
    return get_ipython() is not None


def show(result: CheckResult) -> None:
    """Display a result: HTML box in IPython/Jupyter, plain text otherwise."""
    if _in_ipython():
        from IPython.display import display

        display(result)
    else:
        print(result.message())
        sys.stdout.flush()


def _show_markdown(markdown: str, plain: str) -> None:
    if _in_ipython():
        from IPython.display import Markdown, display

        display(Markdown(markdown))
    else:
        print(plain)


class CheckHook(Protocol):
    """Something installed around every :meth:`Exercise.check` (grading's trusted process).

    ``around(exercise, answer, hidden, proceed)`` returns the result of the call:
    ``proceed(answer)`` runs the check as usual (display included, and raising a
    failure of a graded exercise); ``answer`` is ``None`` when the answer is still
    to be looked up in the notebook by name (:meth:`Exercise.check_names`).
    """

    def around(
        self,
        exercise: Exercise,
        answer: tuple | None,
        hidden: dict[str, Any],
        proceed: Callable[[tuple | None], Any],
    ) -> Any: ...


_HOOKS: list[CheckHook] = []


def install_hook(hook: CheckHook) -> None:
    """Install ``hook`` around every exercise check (the last installed runs first)."""
    _HOOKS.append(hook)


def remove_hook(hook: CheckHook) -> None:
    """Remove a hook installed with :func:`install_hook` (no error if absent)."""
    if hook in _HOOKS:
        _HOOKS.remove(hook)


@contextlib.contextmanager
def hooked(hook: CheckHook) -> Iterator[CheckHook]:
    """Within this block ``hook`` is installed."""
    install_hook(hook)
    try:
        yield hook
    finally:
        remove_hook(hook)


def _through_hooks(
    exercise: Exercise, answer: tuple | None, hidden: dict[str, Any], run: Callable
) -> Any:
    proceed = run
    for hook in list(_HOOKS):
        proceed = functools.partial(_call_hook, hook, exercise, hidden, proceed)
    return proceed(answer)


def _call_hook(
    hook: CheckHook, exercise: Exercise, hidden: dict[str, Any], proceed: Callable, answer: Any
) -> Any:
    return hook.around(exercise, answer, hidden, proceed)


class Problem:
    """A pure check: the specification and the function that checks an answer.

    :meth:`evaluate` returns a :class:`CheckResult` and never displays, raises a
    failure or records anything (learntools' ``Problem``). ``check`` is a
    callable ``check(*answer, **options)`` that returns a :class:`Correct` (or
    ``None``, taken as correct) or raises :class:`Incorrect` /
    :class:`NotAttempted`; ``options`` are ``spec`` updated with the keyword
    extras of a hidden test.
    """

    def __init__(
        self,
        name: str,
        check: Callable[..., Any],
        *,
        title: str | None = None,
        spec: Mapping[str, Any] | None = None,
    ) -> None:
        if not callable(check):
            raise TypeError("Exercise necesita `check=`, una función que compruebe la respuesta.")
        self.name = name
        self.title = title or name
        self.check = check
        self.spec = dict(spec or {})

    def evaluate(self, *answer: Any, **hidden: Any) -> CheckResult:
        """Run the check and return the result without displaying or raising."""
        options = {**self.spec, **hidden}
        self._validate_call(answer, options, hidden)
        if not answer or any(is_placeholder(a) for a in answer):
            result: CheckResult = not_attempted(self.what())
            return result.with_title(self.title)
        try:
            outcome = self.check(*answer, **options)
        except (Incorrect, NotAttempted) as failure:
            return failure.with_title(self.title)
        except NotImplementedError:
            return not_attempted(self.what()).with_title(self.title)
        except CheckSpecError:
            raise
        except Exception as exc:
            text = str(exc)
            if (
                isinstance(exc, TypeError)
                and "unexpected keyword argument" in text
                and any(f"'{key}'" in text for key in options)
            ):
                raise CheckSpecError(
                    f"La prueba de {self.name!r} pasa una opción que la comprobación no acepta: "
                    f"{text}. Revisa la celda de pruebas."
                ) from None
            return _crash(exc, self.check).with_title(self.title)
        if outcome is None:
            outcome = Correct(self.what(), "", "")
        if not isinstance(outcome, CheckResult):
            raise TypeError(
                f"La función de comprobación de {self.name!r} devolvió {type(outcome).__name__}; "
                "debe devolver Correct o lanzar Incorrect/NotAttempted."
            )
        return outcome.with_title(self.title)

    def _validate_call(self, answer: tuple, options: dict, hidden: dict) -> None:
        """A test cell that passes unknown extras is the author's mistake: say so."""
        try:
            signature = inspect.signature(self.check)
        except (TypeError, ValueError):
            return
        try:
            signature.bind(*answer, **options)
        except TypeError as exc:
            unknown = sorted(set(hidden) - set(signature.parameters))
            detail = f" (opciones desconocidas: {', '.join(unknown)})" if unknown else ""
            raise CheckSpecError(
                f"La prueba de {self.name!r} llama a check() con argumentos que su comprobación "
                f"no acepta{detail}: {exc}. Revisa la celda de pruebas."
            ) from None

    def what(self) -> str:
        return f"«{self.title}»"


class Exercise:
    """An exercise as the notebook sees it (learntools' ``ProblemView``).

    It wraps a pure :class:`Problem` (``self.problem``) and adds what a notebook
    needs: displaying the result, hints and solution, looking the answer up by
    name in the notebook (``answer_names``), raising failures of graded
    exercises so nbgrader scores the cell 0, and the hooks grading installs
    around every check in its trusted process (see :func:`install_hook`).

    With ``graded=False`` (lecture notebooks) :meth:`check` only displays the
    result; with ``graded=True`` (assignments) it also raises failures.
    """

    def __init__(
        self,
        name: str,
        check: Callable[..., Any],
        *,
        hint: str | Sequence[str] = "",
        solution: str = "",
        graded: bool = False,
        title: str | None = None,
        spec: Mapping[str, Any] | None = None,
        answer_names: Sequence[str] | None = None,
    ) -> None:
        self.problem = Problem(name, check, title=title, spec=spec)
        self.hints = [hint] if isinstance(hint, str) else list(hint)
        self._solution = solution
        self.graded = graded
        self.answer_names = list(answer_names or [])

    # -- the problem ---------------------------------------------------------
    @property
    def name(self) -> str:
        return self.problem.name

    @property
    def title(self) -> str:
        return self.problem.title

    @property
    def spec(self) -> dict[str, Any]:
        return self.problem.spec

    def evaluate(self, *answer: Any, **hidden: Any) -> CheckResult:
        """Run the check and return the result without displaying or raising."""
        return self.problem.evaluate(*answer, **hidden)

    # -- checking ------------------------------------------------------------
    def check(self, *answer: Any, **hidden: Any) -> Any:
        """Check the answer, display the result and return it.

        Keyword-only ``hidden`` extras override the specification (hidden
        tests). With ``graded=True`` a failure is raised after being shown.
        Called without an answer, an exercise created with ``answer_names``
        looks those variables up in the notebook (see :meth:`check_names`).
        """
        if not answer and hidden:
            answer, hidden = self._answer_from_keywords(hidden)
        if not answer and self.answer_names:
            return self.check_names(namespace=_caller_namespace(), **hidden)
        return _through_hooks(self, tuple(answer), hidden, lambda a: self._show(a, hidden))

    def _answer_from_keywords(self, given: dict[str, Any]) -> tuple[tuple, dict[str, Any]]:
        """``check(nombre=valor, ...)``: the answers passed by keyword, in positional order.

        A student may name the answers (``check(gradientes_bce=gradientes_bce, ...)``);
        keywords that match the leading positional parameters of the check function
        are the answer, every other keyword stays a hidden-test option.
        """
        try:
            parameters = list(inspect.signature(self.problem.check).parameters.values())
        except (TypeError, ValueError):
            return (), given
        names = []
        for parameter in parameters:
            if parameter.kind is not inspect.Parameter.POSITIONAL_OR_KEYWORD:
                break
            if parameter.name not in given:
                break
            names.append(parameter.name)
        required = [
            p.name
            for p in parameters
            if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD and p.default is p.empty
        ]
        if not names or any(name not in names for name in required):
            return (), given
        rest = {k: v for k, v in given.items() if k not in names}
        return tuple(given[name] for name in names), rest

    def _show(self, answer: tuple, hidden: dict[str, Any]) -> CheckResult:
        result = self.evaluate(*answer, **hidden)
        show(result)
        if self.graded and not result.passed:
            raise result  # type: ignore[misc]
        return result

    def check_names(
        self, *names: str, namespace: Mapping[str, Any] | None = None, **hidden: Any
    ) -> Any:
        """Check the variables called ``names`` from the notebook's namespace.

        A variable that does not exist yet (the student's cell raised
        ``NotImplementedError`` before assigning it) is reported as not
        attempted instead of a ``NameError``.
        """
        names = names or tuple(self.answer_names)
        ns = namespace if namespace is not None else _caller_namespace()
        return _through_hooks(self, None, hidden, lambda _: self._lookup(names, ns, hidden))

    def _lookup(self, names: tuple[str, ...], ns: Mapping[str, Any], hidden: dict[str, Any]) -> Any:
        missing = [n for n in names if n not in ns]
        if missing:
            result = NotAttempted(
                f"la variable `{missing[0]}`",
                f"`{missing[0]}` no existe todavía",
                f"que tu solución defina `{missing[0]}`",
                "Completa la celda de tu solución y ejecútala antes de esta comprobación.",
            ).with_title(self.title)
            show(result)
            if self.graded:
                raise result
            return result
        return self.check(*(ns[n] for n in names), **hidden)

    # -- help ---------------------------------------------------------------
    def hint(self, n: int = 1) -> None:
        """Display hint number ``n`` (1-based)."""
        if not self.hints or not any(self.hints):
            text = "Este ejercicio no tiene pistas: relee la explicación anterior."
        else:
            index = min(max(n, 1), len(self.hints)) - 1
            text = self.hints[index]
            if len(self.hints) > 1 and index + 1 < len(self.hints):
                text += f"\n\n(Hay más pistas: `hint({index + 2})`.)"
        _show_markdown(f"**Pista ({self.title}):** {text}", f"Pista ({self.title}): {text}")

    def solution(self) -> None:
        """Display the solution code (or say there is none, e.g. in assignments)."""
        if not self._solution:
            text = "La solución de este ejercicio no está disponible aquí."
            _show_markdown(f"**Solución ({self.title}):** {text}", f"Solución: {text}")
            return
        code = self._solution.strip("\n")
        _show_markdown(
            f"**Solución ({self.title}):**\n\n```python\n{code}\n```",
            f"Solución ({self.title}):\n{code}",
        )

    def _what(self) -> str:
        return self.problem.what()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, graded={self.graded})"

    def _repr_markdown_(self) -> str:
        return (
            f"**{self.title}** — comprueba tu respuesta con `.check(...)`; "
            "pide una pista con `.hint()` o la solución con `.solution()`."
        )


def _crash(exc: Exception, check: Callable[..., Any] | None = None) -> Incorrect:
    """The Spanish result for an exception that escaped a check.

    Raised by the student's code (a function or an object of the answer): its
    explanation in Spanish, the original as a detail. Raised by the checker
    itself: never shown to the student as such.
    """
    try:
        checker_file = inspect.getsourcefile(check) if check is not None else None
    except TypeError:
        checker_file = None
    if raised_by_student(exc, checker_files=(checker_file,)):
        return student_exception(
            "tu respuesta",
            exc,
            "una respuesta que se pueda comprobar sin errores",
            "Ejecuta tu solución en una celda aparte, corrige el error y vuelve a ejecutar la "
            "celda de tu solución antes que esta.",
        )
    return Incorrect(
        "tu respuesta",
        "la comprobación no ha podido analizarla: no tiene la forma que pide el enunciado",
        "una respuesta del tipo que pide el enunciado (función, número, lista, modelo...)",
        "Revisa qué tipo de valor pide el enunciado y que tu celda lo asigna a la variable "
        "indicada; si crees que tu respuesta es correcta, enséñasela a tu profesor.",
    )


def _caller_namespace() -> Mapping[str, Any]:
    if _in_ipython():
        from IPython import get_ipython

        return get_ipython().user_ns
    frame = sys._getframe(2)
    return {**frame.f_globals, **frame.f_locals}


# --------------------------------------------------------------------------- #
# Factories for the common kinds
# --------------------------------------------------------------------------- #
class FunctionExercise(Exercise):
    """A NumPy function compared with a reference (see ``check_function``).

    Hidden tests add ``extra_inputs=[...]`` or tighten ``rtol``/``atol``.
    ``mistakes`` are typical wrong versions with their Spanish cause (see
    :mod:`course.checks._mistakes`).
    """

    def __init__(
        self,
        name: str,
        reference: Callable,
        inputs: Sequence[Any] | None = None,
        *,
        edge_cases: str | Sequence[Any] | None = AUTO,
        random_inputs: int = 5,
        rtol: float = 1e-5,
        atol: float = 1e-7,
        overflow_fix: str | None = None,
        mistakes: Sequence[tuple[Callable, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        spec = {
            "inputs": list(inputs or []),
            "edge_cases": edge_cases,
            "random_inputs": random_inputs,
            "rtol": rtol,
            "atol": atol,
            "overflow_fix": overflow_fix,
            "mistakes": mistakes,
        }
        spec.update(kwargs.pop("spec", {}) or {})
        self.reference = reference

        def _check(student_fn: Callable, **options: Any) -> CheckResult:
            return check_function(student_fn, reference, **options)

        super().__init__(name, _check, spec=spec, **kwargs)


class NumberExercise(Exercise):
    """A numeric answer. ``expected=None`` checks only the format (visible
    test); the hidden test passes ``key=`` with the true value."""

    def __init__(
        self,
        name: str,
        expected: float | None = None,
        *,
        tol: float | None = None,
        rtol: float | None = None,
        what: str = "el resultado",
        mistakes: Mapping[float, str] | None = None,
        reveal: bool = False,
        **kwargs: Any,
    ) -> None:
        spec = {
            "key": expected,
            "tol": tol,
            "rtol": rtol,
            "what": what,
            "mistakes": mistakes,
            "reveal": reveal,
        }

        def _check(value: Any, *, key: Any = None, **options: Any) -> CheckResult:
            return check_number(value, key, **options)

        super().__init__(name, _check, spec=spec, **kwargs)


class ChoiceExercise(Exercise):
    """Multiple choice. The visible test checks the format; the hidden test
    passes ``key=`` (the correct option)."""

    def __init__(
        self,
        name: str,
        options: Sequence[Any],
        expected: Any = None,
        *,
        multiple: bool = False,
        what: str = "la respuesta",
        mistakes: Mapping[Any, str] | None = None,
        **kwargs: Any,
    ) -> None:
        spec = {
            "options": list(options),
            "key": expected,
            "multiple": multiple,
            "what": what,
            "mistakes": mistakes,
        }

        def _check(value: Any, *, key: Any = None, options: Sequence[Any], **rest: Any):
            return check_choice(value, options, key, **rest)

        super().__init__(name, _check, spec=spec, **kwargs)


class ModelExercise(Exercise):
    """A Keras model checked with ``check_model(**expectations)``.

    Hidden tests pass held-out ``x=``/``y=`` and a stricter ``min_accuracy=``.
    """

    def __init__(self, name: str, expectations: Mapping[str, Any], **kwargs: Any) -> None:
        from course.checks._keras import check_model

        def _check(model: Any, **options: Any) -> CheckResult:
            return check_model(model, **options)

        super().__init__(name, _check, spec=dict(expectations), **kwargs)
