"""Diagnosis of the student's actual mistake (issue 14).

- every typical mistake of a NumPy-function exercise is named by behaviour, and
  its cause never fires on another mistake;
- a student's exception is explained in Spanish first, the original as a detail;
  an internal error of a check never reaches the student as such;
- real code returning ``None`` is Incorrect, only the placeholder is "Sin responder";
- float32 answers, labels' domain, free text without case or accents;
- Keras answers compared by what they compute (activation layers, metric and
  loss aliases, logits with ``from_logits=True``) and values the statement fixes.
"""

from __future__ import annotations

import numpy as np
import pytest

from course.assignments import a01, a02, a05
from course.checks import (
    Exercise,
    Incorrect,
    NotAttempted,
    check_array,
    check_choice,
    check_function,
    check_number,
    explain_exception,
    normalize_text,
)
from course.checks import _mistakes as catalogue
from course.checks._values import _random_like
from course.practice import nb01, nb02, nb03, nb04, nb05

_H = 1 / (1 + np.exp(-3.0))
_SOFTMAX_EXAMPLE = np.exp([1.0, 2.0, 3.0]) / np.exp([1.0, 2.0, 3.0]).sum()

#: (catalogue, exercise, extra answers after the function)
CATALOGUES = [
    (catalogue.SIGMOID, a01.ej3, ()),
    (catalogue.SIGMOID, a02.ej1, ()),
    (catalogue.STEP, a01.ej2, ()),
    (catalogue.WEIGHTED_SUM, a01.ej1, ()),
    (catalogue.NEURON, a01.ej4, (float(1 / (1 + np.exp(-7.0))),)),
    (catalogue.LAYER, a01.ej5, (np.array([_H, _H]), float(1 / (1 + np.exp(-_H))))),
    (catalogue.TANH, a02.ej2, ()),
    (catalogue.RELU, a02.ej3, ()),
    (catalogue.LEAKY_RELU_SLOPE, a02.ej4, ()),
    (catalogue.SOFTMAX, a02.ej5, (_SOFTMAX_EXAMPLE,)),
    (catalogue.SOFTMAX, nb02.ej1, ()),
    (catalogue.LEAKY_RELU_001, nb02.ej2, ()),
    (catalogue.MSE, nb03.ej1, ()),
    (catalogue.BCE, nb03.ej2, ()),
    (catalogue.BCE, a02.ej7, (0.22839300363692283,)),
    (catalogue.CCE, a02.ej8, ()),
    (catalogue.GRADIENT_STEP, nb04.ej3, ()),
    (catalogue.SIGMOID_NEURON, nb01.ej1, ()),
    (catalogue.IMAGE_SCALING, a05.ej1, ()),
]


def _cases():
    for mistakes, exercise, extra in CATALOGUES:
        for index, (wrong, cause) in enumerate(mistakes):
            yield pytest.param(
                exercise, wrong, cause, mistakes, extra, id=f"{exercise.title}-{index}"
            )


@pytest.mark.parametrize(("exercise", "wrong", "cause", "mistakes", "extra"), _cases())
def test_each_typical_mistake_is_named_and_no_other_cause_fires(
    exercise, wrong, cause, mistakes, extra
):
    result = exercise.evaluate(wrong, *extra)
    assert isinstance(result, Incorrect), result
    assert result.fix == cause
    for _, other in mistakes:
        if other != cause:
            assert other not in result.message()


def test_each_function_exercise_knows_at_least_five_mistakes():
    for mistakes, exercise, _ in CATALOGUES:
        assert len({cause for _, cause in mistakes}) >= 4 or len(mistakes) >= 5, exercise.title
        assert len(mistakes) >= 4, exercise.title


def test_a_correct_function_is_never_diagnosed():
    def sigmoide(z):
        return 1 / (1 + np.exp(-z))

    assert a01.ej3.evaluate(sigmoide).passed


def test_an_unknown_mistake_keeps_the_value_hint():
    def sigmoide(z):
        return 1 / (1 + np.exp(-2 * np.asarray(z)))

    result = a01.ej3.evaluate(sigmoide)
    assert isinstance(result, Incorrect)
    assert all(result.fix != cause for _, cause in catalogue.SIGMOID)


# --------------------------------------------------------------------------- #
# exceptions
# --------------------------------------------------------------------------- #
def test_student_exception_is_explained_in_spanish_with_the_original_as_detail():
    def relu(z):
        return z if z > 0 else 0 * z

    result = a02.ej3.evaluate(relu)
    assert isinstance(result, Incorrect)
    found = result.found
    assert found.index("`if`") < found.index("Detalle técnico: `ValueError: The truth value")
    assert "np.where" in found


@pytest.mark.parametrize(
    ("exc", "words"),
    [
        (TypeError("f() takes 1 positional argument but 2 were given"), "parámetros"),
        (ValueError("operands could not be broadcast together"), "formas"),
        (OverflowError("math range error"), "math.exp"),
        (NameError("name 'x' is not defined"), "variable que no existe"),
        (RuntimeError("something odd"), "celda aparte"),
    ],
)
def test_explain_exception_rules(exc, words):
    explanation, detail = explain_exception(exc)
    assert words in explanation
    assert detail.startswith("Detalle técnico: `") and type(exc).__name__ in detail


def test_an_internal_error_of_a_check_never_reaches_the_student():
    def buggy_check(answer):
        return answer.history["loss"]  # the checker's bug: a dict has no .history

    result = Exercise("x", buggy_check).evaluate({"loss": [1.0]})
    assert isinstance(result, Incorrect)
    text = result.message()
    assert "AttributeError" not in text and "history" not in text
    assert "no ha podido analizarla" in text


def test_an_exception_of_the_students_object_is_the_students():
    class Weird:
        def __array__(self, dtype=None, copy=None):
            raise TypeError("no soy un array")

    def sigmoide(z):
        return Weird()

    result = a01.ej3.evaluate(sigmoide)
    assert isinstance(result, Incorrect)
    assert "números" in result.fix and "Traceback" not in result.message()


def test_code_without_return_is_incorrect_and_only_the_placeholder_is_not_attempted():
    def sigmoide(z):
        s = 1 / (1 + np.exp(-z))  # noqa: F841 - the mistake under test

    def untouched(z):
        raise NotImplementedError()

    missing = a01.ej3.evaluate(sigmoide)
    assert isinstance(missing, Incorrect) and "return" in missing.fix
    assert isinstance(a01.ej3.evaluate(untouched), NotAttempted)


# --------------------------------------------------------------------------- #
# tolerances, display and domains
# --------------------------------------------------------------------------- #
def test_a_float32_answer_passes_a_tight_tolerance_but_a_float64_as_far_off_does_not():
    exact = float(1 / (1 + np.exp(-7.0)))
    check_number(np.float32(exact), exact, tol=1e-9)
    with pytest.raises(Incorrect):
        check_number(float(np.float32(exact)), exact, tol=1e-9)
    check_array(np.float32([exact, 0.5]), np.array([exact, 0.5]), rtol=1e-9, atol=0.0)
    with pytest.raises(Incorrect):
        check_array(
            np.array([float(np.float32(exact)), 0.5]), np.array([exact, 0.5]), rtol=1e-9, atol=0.0
        )


def test_found_and_expected_never_print_the_same_digits():
    with pytest.raises(Incorrect) as info:
        check_array(np.array([0.1234567891]), np.array([0.1234567890]), rtol=1e-12, atol=0.0)
    failure = info.value
    assert failure.found.split(" ")[0] != failure.expected.split(" ")[0]


def test_generated_inputs_keep_the_labels_domain():
    rng = np.random.default_rng(0)
    (labels, probs) = _random_like((np.array([1.0, 0.0, 1.0]), np.array([0.9, 0.2, 0.7])), rng)
    assert set(np.unique(labels)) <= {0.0, 1.0}
    assert np.all((probs > 0) & (probs < 1))
    (onehot,) = _random_like((np.eye(3)[[0, 2, 1, 1]],), rng)
    assert np.isin(onehot, (0.0, 1.0)).all() and np.allclose(onehot.sum(axis=1), 1.0)


def test_a_bce_using_the_labels_as_booleans_is_accepted():
    def bce(y_true, p):
        p = np.clip(np.asarray(p, dtype=float), 1e-7, 1 - 1e-7)
        return float(np.mean(np.where(np.asarray(y_true) == 1, -np.log(p), -np.log(1 - p))))

    assert nb03.ej2.evaluate(bce).passed


def test_free_text_ignores_case_and_accents():
    assert normalize_text("  Entrenar muchas MÁS  épocas ") == "entrenar muchas mas epocas"
    options = ("añadir Dropout", "entrenar muchas más épocas")
    check_choice("ENTRENAR muchas mas epocas", options, "entrenar muchas más épocas")
    with pytest.raises(Incorrect):
        check_choice("anadir dropout", options, "entrenar muchas más épocas")


def test_check_function_accepts_mistakes_for_any_function():
    def ref(x):
        return 2 * x

    with pytest.raises(Incorrect) as info:
        check_function(
            lambda x: 3 * x, ref, [np.array([1.0, 2.0])], mistakes=[(lambda x: 3 * x, "Triple.")]
        )
    assert info.value.fix == "Triple."


# --------------------------------------------------------------------------- #
# structure: a pure Problem, hooks around the view, named model checks
# --------------------------------------------------------------------------- #
def test_problem_evaluates_without_display_and_exercise_checks_through_hooks(capsys):
    from course.checks import Problem, hooked

    problem = Problem("p", lambda v: check_number(v, 2), title="Doble")
    assert problem.evaluate(2).passed and not problem.evaluate(3).passed
    assert capsys.readouterr().out == ""

    seen = []

    class Spy:
        def around(self, exercise, answer, hidden, proceed):
            seen.append((exercise.name, answer, hidden))
            return proceed(answer)

    exercise = Exercise("e", lambda v: check_number(v, 2), title="Doble")
    with hooked(Spy()):
        assert exercise.check(2).passed
    assert exercise.check(2).passed  # the hook is gone after the block
    assert seen == [("e", (2,), {})]
    assert "Correcto" in capsys.readouterr().out


def test_model_checks_are_a_list_of_small_named_checks():
    from course.checks import model_checks

    names = [label for label, _ in model_checks(input_shape=(4,), task="multiclass", loss="mse")]
    assert names == ["entrada", "activaciones", "compilado", "pérdida"]
    assert model_checks() == []


# --------------------------------------------------------------------------- #
# several returned values: any sequence of them; in-place edits name the parameter
# --------------------------------------------------------------------------- #
def _gradients_tuple(x, w, b, y):
    p = 1 / (1 + np.exp(-(w * x + b)))
    common = 2 * (p - y) * p * (1 - p)
    return common * x, common


def _collapse_tuple(W1, b1, W2, b2):
    return W1 @ W2, b1 @ W2 + b2


@pytest.mark.parametrize(
    ("exercise", "student"),
    [
        (nb01.ej4, _gradients_tuple),
        (nb01.ej4, lambda x, w, b, y: list(_gradients_tuple(x, w, b, y))),
        (nb01.ej4, lambda x, w, b, y: np.array(_gradients_tuple(x, w, b, y))),
        (nb05.ej4, _collapse_tuple),
        (nb05.ej4, lambda W1, b1, W2, b2: list(_collapse_tuple(W1, b1, W2, b2))),
    ],
    ids=["nb01-tuple", "nb01-list", "nb01-array", "nb05-tuple", "nb05-list"],
)
def test_several_values_are_accepted_as_any_sequence(exercise, student):
    result = exercise.evaluate(student)
    assert result.passed, result.message()


def test_several_values_still_need_the_right_count_and_order():
    three = nb01.ej4.evaluate(lambda x, w, b, y: [*_gradients_tuple(x, w, b, y), 0.0])
    assert not three.passed and "3 valores" in three.message()
    assert "un solo array" in nb05.ej4.evaluate(lambda W1, b1, W2, b2: W1 @ W2).message()
    swapped = nb01.ej4.evaluate(lambda x, w, b, y: list(_gradients_tuple(x, w, b, y))[::-1])
    assert not swapped.passed and "orden cambiado" in swapped.message()
    single = nb05.ej4.evaluate(lambda W1, b1, W2, b2: W1 @ W2)
    assert not single.passed


def test_in_place_message_names_the_students_parameter():
    def paso(pesos, gradiente, eta):
        pesos -= eta * gradiente
        return pesos

    def paso_varargs(*valores):
        valores[0][...] = valores[0] - valores[2] * valores[1]
        return valores[0]

    def scale(imagenes):
        imagenes /= 2
        return imagenes

    text = nb04.ej3.evaluate(paso).message()
    assert "`pesos`" in text and "`pesos -= ...`" in text and "`x`" not in text
    text = nb04.ej3.evaluate(paso_varargs).message()
    assert "`valores[0]`" in text and "`x`" not in text
    with pytest.raises(Incorrect) as info:
        check_function(scale, lambda x: x / 2, [np.array([2.0, 4.0])])
    assert "`imagenes`" in str(info.value) and "`x`" not in str(info.value)


@pytest.mark.parametrize(("scale", "names_normalising"), [(1.0, False), (500.0, True)])
def test_low_accuracy_names_normalisation_only_for_large_inputs(scale, names_normalising):
    import keras

    from course.checks import check_accuracy

    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(2, activation="softmax")])
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=0.0), loss="sparse_categorical_crossentropy"
    )
    model.set_weights([np.array([[1.0, -1.0], [0.0, 0.0]]), np.zeros(2)])
    x = scale * np.array([[1.0, 0.0], [-1.0, 0.0], [0.5, 1.0], [-0.5, 1.0]])
    model.fit(x, np.array([0, 1, 0, 1]), epochs=1, verbose=0)  # one step, weights unchanged
    with pytest.raises(Incorrect) as info:
        check_accuracy(model, x, np.array([1, 0, 1, 0]), 1.0)
    text = str(info.value)
    assert "tasa de aprendizaje" in text
    assert ("normalízalas" in text) is names_normalising
    assert "255" not in text or names_normalising
