"""Tests of course.checks: results, answer and function checks, exercises.

Keras model checks are in ``test_checks_keras.py``; the notebook-kernel
behaviour (display once, Spanish traceback) in ``test_checks_kernel.py``.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
import warnings

import numpy as np
import pytest

from course.checks import (
    CheckSpecError,
    ChoiceExercise,
    Correct,
    Exercise,
    FunctionExercise,
    Incorrect,
    NotAttempted,
    NumberExercise,
    check_array,
    check_choice,
    check_function,
    check_number,
    fmt_number,
    fmt_value,
    is_placeholder,
)


# --------------------------------------------------------------------------- #
# Reference and student functions
# --------------------------------------------------------------------------- #
def ref_sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))


def ref_softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def ref_bce(y_true, y_pred):
    p = np.clip(y_pred, 1e-7, 1 - 1e-7)
    return float(-np.mean(y_true * np.log(p) + (1 - y_true) * np.log(1 - p)))


def good_softmax(x):
    shifted = x - np.max(x, axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=-1, keepdims=True)


def softmax_overflows(x):
    e = np.exp(x)
    return e / np.sum(e, axis=-1, keepdims=True)


def softmax_whole_array(x):
    e = np.exp(x - np.max(x))
    return e / np.sum(e)


def softmax_no_keepdims(x):
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1)


def softmax_in_place(x):
    x -= np.max(x, axis=-1, keepdims=True)
    e = np.exp(x)
    return e / np.sum(e, axis=-1, keepdims=True)


def softmax_stub(x):
    # YOUR CODE HERE
    raise NotImplementedError()


def softmax_forgot_return(x):
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    e / np.sum(e, axis=-1, keepdims=True)  # noqa: B018 - the mistake under test


def sigmoid_math_exp(z):
    import math

    return 1 / (1 + math.exp(-z))


def sigmoid_wrong_sign(z):
    return 1 / (1 + np.exp(z))


def sigmoid_good(z):
    return 1 / (1 + np.exp(-z))


def bce_good(y_true, y_pred):
    p = np.clip(y_pred, 1e-7, 1 - 1e-7)
    return -np.mean(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))


def bce_no_clip(y_true, y_pred):
    return -np.mean(y_true * np.log(y_pred) + (1 - y_true) * np.log(1 - y_pred))


def bce_sum(y_true, y_pred):
    p = np.clip(y_pred, 1e-7, 1 - 1e-7)
    return -np.sum(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))


def bce_swapped(y_true, y_pred):
    p = np.clip(y_true, 1e-7, 1 - 1e-7)
    return -np.mean(y_pred * np.log(p) + (1 - y_pred) * np.log(1 - p))


SOFTMAX_INPUTS = [np.array([1.0, 2.0, 3.0]), np.array([[1.0, 2.0, 3.0], [0.5, 0.5, -1.0]])]


# --------------------------------------------------------------------------- #
# Results: text, HTML, traceback, pickling
# --------------------------------------------------------------------------- #
def test_failures_are_assertion_errors_and_correct_is_truthy():
    assert issubclass(Incorrect, AssertionError)
    assert issubclass(NotAttempted, AssertionError)
    assert Correct("x")
    assert not Incorrect("x", "y", "z", "w")
    assert Correct("x").passed and not NotAttempted("x").passed


def test_message_has_four_spanish_parts_in_order():
    result = Incorrect("la función", "nan", "valores finitos", "resta el máximo", title="Ej 1")
    text = str(result)
    labels = ["Qué se comprobó", "Qué se encontró", "Qué se esperaba", "Cómo arreglarlo"]
    positions = [text.index(label) for label in labels]
    assert positions == sorted(positions)
    assert text.splitlines()[0] == "✘ Incorrecto — Ej 1"
    assert "resta el máximo" in text


@pytest.mark.parametrize(
    ("result", "colour", "word"),
    [
        (Correct("a", "b", "c"), "#2e7d32", "Correcto"),
        (Incorrect("a", "b", "c", "d"), "#c62828", "Incorrecto"),
        (NotAttempted("a", "b", "c", "d"), "#b26a00", "Sin responder"),
    ],
)
def test_html_repr_is_a_coloured_box_with_the_headline(result, colour, word):
    html = result._repr_html_()
    assert colour in html and word in html
    assert "color:#1a1a1a" in html  # readable text colour on the light background
    assert html.count("<li") == len(result.parts())


def test_html_repr_escapes_student_content_and_renders_code():
    result = Incorrect("`f`", "<script>alert(1)</script>", "x & y", "usa `np.max`")
    html = result._repr_html_()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html and "x &amp; y" in html
    assert "<code" in html and "np.max</code>" in html


def test_render_traceback_shows_spanish_message_not_python_traceback():
    result = NotAttempted("la función", "el marcador", "tu código", "complétala")
    lines = result._render_traceback_()
    assert "Sin responder" in lines[0] and "\x1b[" in lines[0]
    assert any("Cómo arreglarlo: complétala" in line for line in lines)
    assert not any("Traceback" in line for line in lines)


def test_failures_pickle_round_trip_keeps_the_parts():
    result = Incorrect("a", "b", "c", "d", title="T", value=np.float64(0.5)).with_title("T")
    copy = pickle.loads(pickle.dumps(result))
    assert isinstance(copy, Incorrect) and str(copy) == str(result)
    assert copy.value == 0.5 and type(copy.value) is float


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (np.float64(0.25), "0.25"),
        (np.int64(26), "26"),
        (np.float32(0.1), "0.1"),
        (float("nan"), "nan"),
        (float("-inf"), "-inf"),
        (2.0, "2.0"),
    ],
)
def test_numbers_in_messages_never_show_numpy_reprs(value, text):
    assert fmt_number(value) == text
    assert "np." not in fmt_value(np.array([value, value]))


# --------------------------------------------------------------------------- #
# Placeholders
# --------------------------------------------------------------------------- #
def _pass_only(x):
    pass


def _return_none(x):
    """Docstring kept by the student."""
    return None


def _ellipsis_body(x): ...


def _real(x):
    return x + 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, True),
        (Ellipsis, True),
        (softmax_stub, True),
        (_pass_only, True),
        (_return_none, True),
        (_ellipsis_body, True),
        (lambda x: None, True),
        (_real, False),
        (good_softmax, False),
        (0, False),
        ("", False),
        (np.zeros(3), False),
    ],
)
def test_is_placeholder(value, expected):
    assert is_placeholder(value) is expected


# --------------------------------------------------------------------------- #
# check_function
# --------------------------------------------------------------------------- #
def test_check_function_accepts_a_stable_softmax_on_edge_cases():
    result = check_function(good_softmax, ref_softmax, SOFTMAX_INPUTS, edge_cases="softmax")
    assert isinstance(result, Correct)
    assert result.value >= 10 and type(result.value) is int
    assert "coincide con la referencia" in result.found


@pytest.mark.parametrize(
    ("student", "kind", "words"),
    [
        (softmax_overflows, Incorrect, ["nan", "1000", "caso extremo", "desborda", "máximo"]),
        (softmax_whole_array, Incorrect, ["cada fila", "posición"]),
        (softmax_no_keepdims, Incorrect, ["formas", "keepdims", "Detalle técnico: `ValueError"]),
        (softmax_in_place, Incorrect, ["modifica el array de entrada", "array nuevo"]),
        (softmax_stub, NotAttempted, ["marcador", "Sin responder"]),
        # real code without a return is a mistake, not an untouched placeholder
        (softmax_forgot_return, Incorrect, ["no devuelve nada", "return"]),
        (None, NotAttempted, ["marcador"]),
        (42, Incorrect, ["función", "`int`"]),
    ],
)
def test_check_function_reports_typical_softmax_mistakes(student, kind, words):
    with pytest.raises(kind) as info:
        check_function(student, ref_softmax, SOFTMAX_INPUTS, edge_cases="softmax", name="softmax")
    text = str(info.value)
    for word in words:
        assert word in text, (word, text)


@pytest.mark.parametrize(
    ("student", "kind", "words"),
    [
        (sigmoid_good, Correct, ["coincide"]),
        (sigmoid_math_exp, Incorrect, ["TypeError", "NumPy"]),
        (sigmoid_wrong_sign, Incorrect, ["signo"]),
        (lambda z: np.round(ref_sigmoid(z), 2), Incorrect, ["Qué se esperaba", "posición"]),
    ],
)
def test_check_function_sigmoid_with_automatic_edge_cases(student, kind, words):
    inputs = [np.array([0.0, 2.0, -3.0]), np.array([[0.5, -0.5], [4.0, -4.0]])]
    if kind is Correct:
        result = check_function(student, ref_sigmoid, inputs)
        text = str(result)
    else:
        with pytest.raises(kind) as info:
            check_function(student, ref_sigmoid, inputs)
        text = str(info.value)
    for word in words:
        assert word in text, (word, text)


def test_auto_edge_cases_include_extremes_and_batches():
    seen = []

    def spy(z):
        seen.append(np.array(z))
        return ref_sigmoid(z)

    check_function(spy, ref_sigmoid, [np.array([[0.5, -0.5]])], random_inputs=2)
    shapes = {s.shape for s in seen}
    assert (1, 2) in shapes and (64, 2) in shapes
    assert any(np.abs(s).max() >= 1000 for s in seen)
    assert any(not s.any() for s in seen)  # zeros


@pytest.mark.parametrize(
    ("student", "kind", "words"),
    [
        (bce_good, Correct, ["coincide"]),
        (bce_no_clip, Incorrect, ["inf", "caso extremo", "log(0)", "np.clip"]),
        (bce_sum, Incorrect, ["Qué se encontró", "Qué se esperaba"]),
        (bce_swapped, Incorrect, ["Qué se esperaba"]),
    ],
)
def test_check_function_cross_entropy_two_arguments(student, kind, words):
    inputs = [(np.array([1.0, 0.0, 1.0]), np.array([0.9, 0.2, 0.6]))]
    if kind is Correct:
        text = str(check_function(student, ref_bce, inputs, edge_cases="crossentropy"))
    else:
        with pytest.raises(kind) as info:
            check_function(student, ref_bce, inputs, edge_cases="crossentropy")
        text = str(info.value)
    for word in words:
        assert word in text, (word, text)


def test_check_function_reports_wrong_shape():
    with pytest.raises(Incorrect) as info:
        check_function(lambda x: ref_softmax(x).ravel(), ref_softmax, SOFTMAX_INPUTS[1:])
    assert "forma" in str(info.value) and "(2, 3)" in str(info.value)


def test_a_wrong_number_is_shown_once_and_an_array_also_in_full():
    """A scalar result is not repeated as its own "resultado completo"; an array is."""
    with pytest.raises(Incorrect) as info:
        check_function(lambda x: x - 1.0, lambda x: x + 1.0, [(2.0,)], random_inputs=0)
    assert "resultado completo" not in str(info.value), str(info.value)
    with pytest.raises(Incorrect) as info:
        check_function(lambda x: x - 1.0, lambda x: x + 1.0, [(np.array([2.0, 3.0]),)])
    assert "resultado completo: [1.0, 2.0]" in str(info.value), str(info.value)


def test_check_function_writes_nothing_to_stderr(capfd):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(Incorrect):
            check_function(softmax_overflows, ref_softmax, SOFTMAX_INPUTS, edge_cases="softmax")
    assert [str(w.message) for w in caught] == []
    assert capfd.readouterr().err == ""


def test_check_function_without_inputs_is_an_author_error():
    with pytest.raises(CheckSpecError):
        check_function(good_softmax, ref_softmax)
    with pytest.raises(CheckSpecError):
        check_function(good_softmax, ref_softmax, SOFTMAX_INPUTS, edge_cases="nope")


# --------------------------------------------------------------------------- #
# check_number / check_array / check_choice
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize(
    ("value", "kind", "words"),
    [
        (26, Correct, ["26"]),
        (np.int64(26), Correct, ["26"]),
        (26.0, Correct, ["26"]),
        (20, Incorrect, ["olvidado los sesgos"]),
        (-26, Incorrect, ["signo"]),
        ("26", Incorrect, ["formato", "`str`"]),
        (float("nan"), Incorrect, ["finito"]),
        (None, NotAttempted, ["marcador"]),
        (25, Incorrect, ["Repasa el cálculo"]),
    ],
)
def test_check_number(value, kind, words):
    mistakes = {20: "Parece que has olvidado los sesgos."}
    if kind is Correct:
        result = check_number(value, 26, what="los parámetros", mistakes=mistakes)
        assert type(result.value) is float
        text = str(result)
    else:
        with pytest.raises(kind) as info:
            check_number(value, 26, what="los parámetros", mistakes=mistakes)
        text = str(info.value)
    for word in words:
        assert word in text, (word, text)


def test_check_number_tolerance_and_percentage_hint():
    assert check_number(0.9991, 0.999, tol=1e-3)
    with pytest.raises(Incorrect) as info:
        check_number(93.0, 0.93, tol=1e-3, what="la exactitud")
    assert "porcentaje" in str(info.value)
    with pytest.raises(Incorrect) as info:
        check_number(0.72, 0.7216, tol=1e-3)
    assert "el valor correcto, con tolerancia ±0.001" in str(info.value)


def test_check_number_without_key_checks_only_the_format():
    result = check_number(np.float64(3.5), None, what="la pérdida")
    assert isinstance(result, Correct) and "al calificar" in str(result)
    assert result.value == 3.5 and type(result.value) is float
    with pytest.raises(Incorrect):
        check_number([3.5], None)


@pytest.mark.parametrize(
    ("value", "kind", "words"),
    [
        (np.array([[1.0, 2.0], [3.0, 4.0]]), Correct, ["valores correctos"]),
        (np.array([1.0, 2.0, 3.0, 4.0]), Incorrect, ["forma", "(4,)", "reshape"]),
        (np.array([[1.0, 2.0], [3.0, np.nan]]), Incorrect, ["nan", "(1, 1)"]),
        (np.array([[1.0, 2.0], [3.0, 5.0]]), Incorrect, ["5.0", "4.0"]),
        (None, NotAttempted, ["marcador"]),
    ],
)
def test_check_array(value, kind, words):
    expected = np.array([[1.0, 2.0], [3.0, 4.0]])
    if kind is Correct:
        text = str(check_array(value, expected))
    else:
        with pytest.raises(kind) as info:
            check_array(value, expected)
        text = str(info.value)
    for word in words:
        assert word in text, (word, text)


@pytest.mark.parametrize(
    ("value", "key", "kind", "words"),
    [
        ("b", None, Correct, ["al calificar"]),
        (" B ", "b", Correct, ["correcta"]),
        ("e", None, Incorrect, ["no es una de las opciones", "'a'"]),
        (2, None, Incorrect, ["formato"]),
        ("c", "b", Incorrect, ["otra opción", "sigmoid no suma 1"]),
        (None, "b", NotAttempted, ["marcador"]),
        (..., None, NotAttempted, ["marcador"]),
    ],
)
def test_check_choice(value, key, kind, words):
    options = ["a", "b", "c", "d"]
    mistakes = {"c": "Recuerda: sigmoid no suma 1 entre clases."}
    if kind is Correct:
        text = str(check_choice(value, options, key, mistakes=mistakes))
    else:
        with pytest.raises(kind) as info:
            check_choice(value, options, key, mistakes=mistakes)
        text = str(info.value)
    for word in words:
        assert word in text, (word, text)


def test_check_choice_multiple():
    assert check_choice(["a", "c"], "abcd", {"c", "a"}, multiple=True)
    with pytest.raises(Incorrect) as info:
        check_choice(["a"], "abcd", {"a", "c"}, multiple=True)
    assert "solo parte" in str(info.value)
    with pytest.raises(Incorrect):
        check_choice("a", "abcd", {"a"}, multiple=True)


# --------------------------------------------------------------------------- #
# Exercise
# --------------------------------------------------------------------------- #
def _softmax_exercise(graded: bool) -> FunctionExercise:
    return FunctionExercise(
        "softmax",
        ref_softmax,
        SOFTMAX_INPUTS,
        edge_cases="softmax",
        graded=graded,
        title="Ejercicio 2: softmax",
        hint=["Resta el máximo de cada fila.", "Usa keepdims=True."],
        solution="def softmax(x):\n    ...",
    )


def test_ungraded_exercise_prints_and_returns_without_raising(capsys):
    result = _softmax_exercise(graded=False).check(softmax_overflows)
    out = capsys.readouterr().out
    assert isinstance(result, Incorrect)
    assert "✘ Incorrecto — Ejercicio 2: softmax" in out and "Cómo arreglarlo" in out


def test_graded_exercise_raises_the_failure_after_printing_it(capsys):
    exercise = _softmax_exercise(graded=True)
    with pytest.raises(Incorrect) as info:
        exercise.check(softmax_overflows)
    assert "Ejercicio 2: softmax" in str(info.value)
    assert "Incorrecto" in capsys.readouterr().out
    with pytest.raises(NotAttempted):
        exercise.check(softmax_stub)
    assert isinstance(exercise.check(good_softmax), Correct)


def test_hidden_extra_inputs_catch_an_answer_fitted_to_the_visible_inputs():
    visible = np.array([[1.0, 2.0, 3.0]])

    def memorised(x):  # right on the visible input only
        return np.broadcast_to(ref_softmax(visible), np.shape(x)).copy()

    exercise = FunctionExercise(
        "memo", ref_softmax, [visible], edge_cases=None, random_inputs=0, graded=True
    )
    assert exercise.check(memorised).passed
    with pytest.raises(Incorrect) as info:
        exercise.check(memorised, extra_inputs=[np.array([[0.0, 0.0, 5.0]])])
    assert "[[0.0, 0.0, 5.0]]" in str(info.value)


def test_hidden_stricter_tolerance_overrides_the_visible_spec():
    exercise = FunctionExercise(
        "sig", ref_sigmoid, [np.array([0.3, 1.7])], rtol=1e-2, edge_cases=None, random_inputs=0
    )

    def rough(z):
        return np.round(ref_sigmoid(z), 3)

    assert exercise.evaluate(rough).passed
    assert isinstance(exercise.evaluate(rough, rtol=1e-6, atol=0.0), Incorrect)


def test_number_exercise_visible_checks_format_and_hidden_checks_key():
    exercise = NumberExercise(
        "params", what="los parámetros", graded=True, mistakes={20: "Olvidaste los sesgos."}
    )
    assert exercise.check(20).passed  # visible: format only, the key is not in the package
    with pytest.raises(Incorrect) as info:
        exercise.check(20, key=26)
    assert "Olvidaste los sesgos" in str(info.value)
    assert exercise.check(26, key=26).passed
    with pytest.raises(NotAttempted):
        exercise.check(None)


def test_choice_exercise_key_only_in_hidden_test():
    exercise = ChoiceExercise("q", ["a", "b", "c"], graded=True)
    assert exercise.check("c").passed
    with pytest.raises(Incorrect):
        exercise.check("c", key="b")
    with pytest.raises(Incorrect) as info:
        exercise.check("z")
    assert "opciones" in str(info.value)


def test_exercise_turns_a_crash_of_its_check_into_a_spanish_incorrect_without_internals():
    def check(value):
        return check_number(value["x"], 1)

    exercise = Exercise("crash", check)
    result = exercise.evaluate(3)
    assert isinstance(result, Incorrect) and "TypeError" not in str(result)
    assert "no ha podido analizarla" in str(result)


def test_exercise_check_callable_returning_none_is_correct_and_author_errors_propagate():
    assert Exercise("ok", lambda v: None).evaluate(1).passed
    bad = FunctionExercise("bad", ref_softmax, [], edge_cases=None)
    with pytest.raises(CheckSpecError):
        bad.evaluate(good_softmax)


def test_check_names_reports_a_missing_variable_as_not_attempted(capsys):
    exercise = NumberExercise("n", graded=True)
    with pytest.raises(NotAttempted) as info:
        exercise.check_names("n_params", namespace={})
    assert "`n_params` no existe todavía" in str(info.value)
    assert exercise.check_names("n_params", namespace={"n_params": 5}).passed


def test_hint_and_solution_print_spanish_text(capsys):
    exercise = _softmax_exercise(graded=False)
    exercise.hint()
    exercise.hint(2)
    exercise.solution()
    out = capsys.readouterr().out
    assert "Pista (Ejercicio 2: softmax): Resta el máximo" in out
    assert "hint(2)" in out and "keepdims" in out
    assert "Solución (Ejercicio 2: softmax):" in out and "def softmax" in out
    NumberExercise("x").solution()
    assert "no está disponible" in capsys.readouterr().out


def test_importing_checks_does_not_import_tensorflow():
    code = "import sys, course.checks; print('tensorflow' in sys.modules, 'keras' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"


def test_check_number_hides_the_expected_value_unless_revealed():
    with pytest.raises(Incorrect) as info:
        check_number(25, 26)
    assert "26" not in str(info.value) and "no se muestra" in str(info.value)
    with pytest.raises(Incorrect) as info:
        check_number(0.5, 0.7216, tol=1e-3, reveal=True, what="la salida")
    assert "Qué se esperaba: 0.7216, con tolerancia ±0.001" in str(info.value)


def test_function_arguments_show_by_name_not_by_address():
    def weighted(x, fn):
        return fn(x)

    with pytest.raises(Incorrect) as info:
        check_function(
            lambda x, fn: fn(x) + 1, weighted, [(np.array([1.0]), ref_sigmoid)], edge_cases=None
        )
    assert "la función ref_sigmoid" in str(info.value) and "0x" not in str(info.value)


def test_unknown_hidden_extras_are_an_author_error_not_a_student_failure():
    with pytest.raises(CheckSpecError) as info:
        Exercise("x", lambda v: None).evaluate(1, key=2)
    assert "key" in str(info.value)
    with pytest.raises(CheckSpecError):
        _softmax_exercise(graded=True).evaluate(good_softmax, held_out=[np.ones(3)])


def test_check_array_with_nan_writes_nothing_to_stderr(capfd):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(Incorrect):
            check_function(lambda x: np.log(x - 1), np.log1p, [np.array([0.0, 1.0])])
        with pytest.raises(Incorrect):
            check_array(np.array([np.nan, np.nan]), np.array([0.5, 0.5]))
    assert [str(w.message) for w in caught] == []
    assert capfd.readouterr().err == ""


class _AlwaysEqual(str):
    def __eq__(self, other):
        return True

    def __hash__(self):
        return hash("b")

    def strip(self, *args):
        return self

    def lower(self):
        return self


class _RiggedObject:
    def __eq__(self, other):
        return True

    def __hash__(self):
        return hash("b")


@pytest.mark.parametrize("answer", [_AlwaysEqual("z"), _RiggedObject()])
def test_check_choice_cannot_be_fooled_by_a_rigged_eq(answer):
    with pytest.raises(Incorrect):
        check_choice(answer, ["a", "b", "c"], "b")


def test_auto_edge_cases_turn_a_vector_input_into_batches():
    seen = []

    def spy(z):
        seen.append(np.array(z))
        return ref_softmax(z)

    check_function(spy, ref_softmax, [np.array([1.0, 2.0, 3.0])], random_inputs=0)
    shapes = {s.shape for s in seen}
    assert {(3,), (1, 3), (64, 3)} <= shapes
    with pytest.raises(Incorrect) as info:  # right for one vector, wrong for a batch
        check_function(softmax_whole_array, ref_softmax, [np.array([1.0, 2.0, 3.0])])
    assert "(forma (64, 3))" in str(info.value)


def test_check_without_answer_reads_the_answer_names_from_the_caller():
    exercise = NumberExercise("n", answer_names=["n_capas"], graded=True)
    with pytest.raises(NotAttempted):
        exercise.check()
    n_capas = 3  # noqa: F841 - read from this frame by check()
    assert exercise.check().passed
    with pytest.raises(CheckSpecError):
        NumberExercise("sin_nombres").check()


def test_a_one_element_array_counts_as_a_number_but_a_vector_does_not():
    def bce_keepdims(y_true, y_pred):
        return np.atleast_1d(bce_good(y_true, y_pred))

    inputs = [(np.array([1.0, 0.0]), np.array([0.8, 0.3]))]
    assert check_function(bce_keepdims, ref_bce, inputs, edge_cases=None)
    with pytest.raises(Incorrect) as info:
        check_function(lambda t, p: -(t * np.log(p)), ref_bce, inputs, edge_cases=None)
    assert "Devuelves" not in str(info.value) and "único número" in str(info.value)
