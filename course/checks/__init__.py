"""Exercise checkers with Spanish feedback: results, exercises, function/model/answer checks.

Every check says, in Spanish, what was checked, what was found, what was
expected and one concrete step to fix it. Results are :class:`Correct`,
:class:`Incorrect` (an ``AssertionError``, so nbgrader scores the test cell 0)
and :class:`NotAttempted` (the placeholder — ``None``, ``...``,
``raise NotImplementedError`` — is untouched). In a notebook a result shows as a
short coloured box; elsewhere as plain text; raised in a cell, IPython prints
the Spanish message instead of a traceback.

Low-level checks raise ``Incorrect``/``NotAttempted`` and return ``Correct``::

    from course.checks import check_function, check_model
    check_function(softmax, reference_softmax, [np.array([1.0, 2.0, 3.0])],
                   edge_cases="softmax")
    check_model(model, input_shape=(28, 28), task="multiclass", n_classes=10,
                y=y_train, trained=True, x=x_test, min_accuracy=0.85)

One specification drives the visible and the hidden test. The exercise is
defined once, in the package (``course/assignments/a02.py``)::

    from course.checks import FunctionExercise, NumberExercise

    ej1 = FunctionExercise(
        "ej1", reference=_sigmoid, inputs=[np.array([0.0, 2.0, -3.0])],
        edge_cases="activation", graded=True, title="Ejercicio 1: sigmoide",
        hint="Usa np.exp y opera con el array completo.",
    )
    ej2 = NumberExercise("ej2", what="el número de parámetros", graded=True,
                         mistakes={20: "Parece que has olvidado los sesgos."})

The visible test cell in the notebook runs ``ej1.check(sigmoid)`` and
``ej2.check(n_params)`` (for ``ej2`` only the format is checked: the key is
not in the package). The hidden test region of the source notebook calls the
same exercise with keyword-only extras that override the specification::

    ### BEGIN HIDDEN TESTS
    ej1.check(sigmoid, extra_inputs=[np.array([[-745.0, 709.0]])], rtol=1e-9)
    ej2.check(n_params, key=26)
    ### END HIDDEN TESTS

For a model: ``ModelExercise("ej3", {"task": "multiclass", "min_accuracy": 0.8,
...})``, visible ``ej3.check(model, x=x_val, y=y_val)`` and, hidden,
``ej3.check(model, x=x_heldout, y=y_heldout, min_accuracy=0.85)``. A hidden
extra that the check does not accept raises :class:`CheckSpecError` (the
author's mistake), never a student-facing Incorrect.

When nbgrader replaces a solution by ``raise NotImplementedError()`` at cell
level the answer variable never exists; ``ej2.check_names("n_params")`` looks
it up in the notebook's namespace and reports NotAttempted instead of a
``NameError``. Expected numbers are not shown in a failure message unless
``reveal=True`` (for worked examples whose value the statement gives). With ``graded=True`` a failure is raised (after being
displayed) so nbgrader scores the cell 0; lecture notebooks use
``graded=False`` so that "Run All" never stops at an unsolved exercise.

Keras is imported inside the model checks only: importing this module never
imports TensorFlow.
"""

from __future__ import annotations

from course.checks._exercise import (
    CheckHook,
    ChoiceExercise,
    Exercise,
    FunctionExercise,
    ModelExercise,
    NumberExercise,
    Problem,
    hooked,
    install_hook,
    remove_hook,
    show,
)
from course.checks._keras import (
    TASKS,
    check_accuracy,
    check_activations,
    check_callbacks,
    check_checkpoint,
    check_compiled,
    check_history,
    check_input_shape,
    check_layers,
    check_loss,
    check_mae,
    check_metrics,
    check_model,
    check_optimizer,
    check_param_count,
    check_prediction,
    check_trained,
    check_units,
    label_format,
    model_checks,
    output_activation,
)
from course.checks._results import (
    CheckResult,
    CheckSpecError,
    Correct,
    Incorrect,
    NotAttempted,
    explain_exception,
    fmt_array,
    fmt_number,
    fmt_value,
)
from course.checks._values import (
    AUTO,
    EDGE_CASES,
    check_array,
    check_choice,
    check_function,
    check_number,
    is_placeholder,
    normalize_text,
    not_attempted,
    student_exception,
)

__all__ = [
    "AUTO",
    "EDGE_CASES",
    "TASKS",
    "CheckHook",
    "CheckResult",
    "CheckSpecError",
    "ChoiceExercise",
    "Correct",
    "Exercise",
    "FunctionExercise",
    "Incorrect",
    "ModelExercise",
    "NotAttempted",
    "NumberExercise",
    "Problem",
    "check_accuracy",
    "check_activations",
    "check_array",
    "check_callbacks",
    "check_checkpoint",
    "check_choice",
    "check_compiled",
    "check_function",
    "check_history",
    "check_input_shape",
    "check_layers",
    "check_loss",
    "check_mae",
    "check_metrics",
    "check_model",
    "check_number",
    "check_optimizer",
    "check_param_count",
    "check_prediction",
    "check_trained",
    "check_units",
    "explain_exception",
    "fmt_array",
    "fmt_number",
    "fmt_value",
    "hooked",
    "install_hook",
    "is_placeholder",
    "label_format",
    "model_checks",
    "normalize_text",
    "not_attempted",
    "output_activation",
    "remove_hook",
    "show",
    "student_exception",
]
