"""course.explain: every Keras-3 pitfall reproduced for real, and the IPython extension.

Each pitfall is triggered with today's Keras/TensorFlow (tiny models, one
TensorFlow import for the whole session), the real exception is checked to be
the one the curriculum describes, and its Spanish explanation is checked for
key words and the corrected line.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from course import explain as ex

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ("Qué ha pasado:", "Por qué:", "Cómo arreglarlo:", "Antes:", "Ahora:")


@pytest.fixture(scope="session")
def keras():
    """Keras 3 on TensorFlow, imported once per test session."""
    import keras as keras_module

    return keras_module


@pytest.fixture(scope="session")
def tf(keras):
    import tensorflow

    return tensorflow


def _raised(action: Callable[[], object]) -> BaseException:
    try:
        action()
    except Exception as exc:  # the real exception Keras raises
        return exc
    pytest.fail("la acción debía lanzar una excepción y no lo hizo")


def _softmax_model(keras, loss: str):
    model = keras.Sequential(
        [keras.Input(shape=(4,)), keras.layers.Dense(10, activation="softmax")]
    )
    model.compile(optimizer="adam", loss=loss)
    return model


# ---------------------------------------------------------------------------
# Each pitfall of the curriculum table, reproduced for real
# ---------------------------------------------------------------------------


def test_add_with_activation_keyword_is_explained_with_the_fixed_line(keras):
    model = keras.Sequential([keras.Input(shape=(3,))])
    exc = _raised(lambda: model.add(keras.layers.Dense(5), activation="sigmoid"))
    assert isinstance(exc, TypeError)
    assert "unexpected keyword argument 'activation'" in str(exc)

    text = ex.explain(exc)
    assert text is not None
    for section in SECTIONS:
        assert section in text
    assert "`activation` va dentro de la capa" in text
    assert "paréntesis" in text
    assert 'model.add(keras.layers.Dense(5, activation="sigmoid"))' in text
    assert ex.explanation_for(exc).key == "sequential_add_kwargs"


@pytest.mark.parametrize("optimizer", ["Adam", "SGD", "RMSprop"])
def test_optimizer_lr_is_explained_as_learning_rate(keras, optimizer):
    cls = getattr(keras.optimizers, optimizer)
    exc = _raised(lambda: cls(lr=0.001))
    assert isinstance(exc, ValueError)
    assert "not recognized" in str(exc)

    text = ex.explain(exc)
    assert text is not None
    assert "learning_rate" in text and "alias" in text
    assert "cls(learning_rate=0.001)" in text  # the student's own line, corrected
    assert "lr=0.001" in text  # and the original one


@pytest.mark.parametrize(
    ("function", "camel"),
    [
        ("categorical_crossentropy", "CategoricalCrossentropy"),
        ("binary_crossentropy", "BinaryCrossentropy"),
        ("mean_squared_error", "MeanSquaredError"),
    ],
)
def test_calling_a_loss_function_in_compile_is_explained(keras, function, camel):
    model = _softmax_model(keras, "categorical_crossentropy")
    loss = getattr(keras.losses, function)
    assert hasattr(keras.losses, camel)  # the suggested class really exists
    exc = _raised(lambda: model.compile(optimizer="adam", loss=loss()))
    assert isinstance(exc, TypeError)
    assert "y_true" in str(exc) and "y_pred" in str(exc)

    text = ex.explain(exc)
    assert text is not None
    assert f"`{function}()` se ha llamado sin datos" in text
    assert "sin llamar" in text
    assert f"loss='{function}'" in text
    assert f"model.compile(optimizer='adam', loss=keras.losses.{camel}())" in text


def test_concatenating_keras_tensors_with_tf_concat_is_explained(keras, tf):
    inputs = keras.Input(shape=(2,))
    hidden = keras.layers.Dense(1, activation="tanh")(inputs)
    exc = _raised(lambda: tf.concat([inputs, hidden], axis=1))
    assert isinstance(exc, ValueError)
    assert "KerasTensor" in str(exc)

    text = ex.explain(exc)
    assert text is not None
    assert "KerasTensor" in text and "keras.ops" in text and "simbólicos" in text
    assert "keras.layers.Concatenate(axis=1)([inputs, hidden])" in text
    # The suggested fix really works on today's Keras.
    merged = keras.layers.Concatenate(axis=1)([inputs, hidden])
    assert tuple(merged.shape) == (None, 3)


def test_checkpoint_with_plain_h5_weights_file_is_explained(keras):
    exc = _raised(
        lambda: keras.callbacks.ModelCheckpoint("best_weights.h5", save_weights_only=True)
    )
    assert isinstance(exc, ValueError)
    assert ".weights.h5" in str(exc)

    text = ex.explain(exc)
    assert text is not None
    assert "debe terminar en `.weights.h5`" in text
    assert ".keras" in text and "modelo completo" in text
    assert 'keras.callbacks.ModelCheckpoint("best.weights.h5", save_weights_only=True)' in text
    # The corrected call is accepted.
    keras.callbacks.ModelCheckpoint("best.weights.h5", save_weights_only=True)


def test_save_weights_with_plain_h5_file_is_explained(keras, tmp_path):
    model = _softmax_model(keras, "sparse_categorical_crossentropy")
    exc = _raised(lambda: model.save_weights(str(tmp_path / "pesos.h5")))
    assert isinstance(exc, ValueError)

    text = ex.explain(exc)
    assert text is not None
    assert 'model.save_weights(str(tmp_path / "pesos.weights.h5"))' in text


def test_save_without_extension_is_explained(keras, tmp_path):
    model = _softmax_model(keras, "sparse_categorical_crossentropy")
    exc = _raised(lambda: model.save(str(tmp_path / "modelo")))
    assert isinstance(exc, ValueError)

    text = ex.explain(exc)
    assert text is not None
    assert ".keras" in text and "SavedModel" in text
    assert 'model.save(str(tmp_path / "modelo.keras"))' in text


def test_bce_on_a_ten_class_softmax_with_integer_labels_is_explained(keras):
    model = _softmax_model(keras, "binary_crossentropy")
    x, y = np.zeros((8, 4), dtype="float32"), np.arange(8)
    exc = _raised(lambda: model.fit(x, y, epochs=1, verbose=0))
    assert isinstance(exc, ValueError)
    assert "same rank" in str(exc)

    text = ex.explain(exc)
    assert text is not None
    assert "entropía cruzada binaria" in text
    assert "10 neuronas" in text and "enteros" in text
    assert 'loss="sparse_categorical_crossentropy"' in text
    assert "(None,)" in text and "(None, 10)" in text


def test_categorical_crossentropy_with_integer_labels_is_explained(keras):
    model = _softmax_model(keras, "categorical_crossentropy")
    x, y = np.zeros((8, 4), dtype="float32"), np.arange(8)
    exc = _raised(lambda: model.fit(x, y, epochs=1, verbose=0))
    assert isinstance(exc, ValueError)

    text = ex.explain(exc)
    assert text is not None
    assert "one-hot" in text and "binaria" not in text.split("Por qué")[0]
    assert 'loss="sparse_categorical_crossentropy"' in text


def test_sparse_crossentropy_with_one_hot_labels_is_explained(keras):
    model = _softmax_model(keras, "sparse_categorical_crossentropy")
    x, y = np.zeros((8, 4), dtype="float32"), np.eye(10)[np.arange(8)]
    exc = _raised(lambda: model.fit(x, y, epochs=1, verbose=0))
    assert isinstance(exc, ValueError)

    text = ex.explain(exc)
    assert text is not None
    assert "one-hot" in text and "argmax" in text
    assert 'loss="categorical_crossentropy"' in text


def test_fit_nb_epoch_is_explained(keras):
    model = _softmax_model(keras, "sparse_categorical_crossentropy")
    x, y = np.zeros((8, 4), dtype="float32"), np.arange(8)
    exc = _raised(lambda: model.fit(x, y, nb_epoch=1, verbose=0))
    assert isinstance(exc, TypeError)

    text = ex.explain(exc)
    assert text is not None
    assert "model.fit(x, y, epochs=1, verbose=0)" in text


def test_predict_classes_is_explained_with_argmax(keras):
    model = _softmax_model(keras, "sparse_categorical_crossentropy")
    x = np.zeros((2, 4), dtype="float32")
    exc = _raised(lambda: model.predict_classes(x))
    assert isinstance(exc, AttributeError)

    text = ex.explain(exc)
    assert text is not None
    assert "np.argmax(model.predict(x), axis=1)" in text


def test_input_shape_warning_is_explained(keras):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        keras.Sequential([keras.layers.Dense(3, input_shape=(4,))])
    messages = [w for w in caught if issubclass(w.category, UserWarning)]
    shape_warnings = [w for w in messages if "input_shape" in str(w.message)]
    assert shape_warnings, "Keras ya no avisa de input_shape: revisa course.explain"

    text = ex.explain_warning(shape_warnings[0])
    assert text is not None
    assert "keras.Input(shape=(4,))" in text and "funciona" in text
    assert ex.explain_warning(str(shape_warnings[0].message)) == text
    assert ex.explain_warning(UserWarning("otra cosa")) is None


def test_accuracy_on_probabilities_raises_nothing_and_is_documented(keras):
    """No exception to explain: the module docstring sends the reader to course.checks."""
    metric = keras.metrics.Accuracy()
    metric.update_state(np.array([1.0, 0.0]), np.array([0.9, 0.2]))
    assert float(metric.result()) == 0.0
    assert "Accuracy()" in ex.__doc__ and "course.checks" in ex.__doc__


# ---------------------------------------------------------------------------
# Recognition rules
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "exc",
    [
        ZeroDivisionError("division by zero"),
        ValueError("could not convert string to float: 'abc'"),
        TypeError("f() got an unexpected keyword argument 'activation'"),
        TypeError("foo() missing 1 required positional argument: 'x'"),
        ValueError("Argument(s) not recognized: {'momentum2': 0.9}"),
        AttributeError("'Sequential' object has no attribute 'summary2'"),
        KeyError("loss"),
    ],
    ids=lambda e: type(e).__name__ + ":" + str(e)[:30],
)
def test_unknown_exceptions_get_no_explanation(exc):
    assert ex.explain(exc) is None
    assert ex.explain_html(exc) is None


@pytest.mark.parametrize(
    ("message", "key"),
    [
        ("Argument(s) not recognised: {'lr': 0.01}", "optimizer_lr"),
        ("Arguments not recognized: {\"lr\": 1e-3, 'foo': 1}", "optimizer_lr"),
        ("When saving weights the filepath must end with `.weights.h5`. Got x.h5", "weights_h5"),
        (
            "Arguments target and output must have the same rank (ndim). Received: "
            "target.shape=(None,), output.shape=(None, 3)",
            "loss_label_rank",
        ),
    ],
)
def test_recognition_tolerates_small_wording_changes(message, key):
    found = ex.explanation_for(ValueError(message))
    assert found is not None and found.key == key


def test_a_pitfall_wrapped_in_another_exception_is_still_found(keras):
    def build():
        try:
            keras.optimizers.Adam(lr=0.01)
        except ValueError as inner:
            raise RuntimeError("no se pudo crear el optimizador") from inner

    exc = _raised(build)
    assert isinstance(exc, RuntimeError)
    found = ex.explanation_for(exc)
    assert found is not None and found.key == "optimizer_lr"


def test_explain_rejects_non_exceptions_in_spanish():
    with pytest.raises(TypeError, match="espera una excepción"):
        ex.explain("Adam(lr=0.1)")
    with pytest.raises(TypeError, match="espera un aviso"):
        ex.explain_warning(3)


def test_html_rendering_escapes_code_and_keeps_sections(keras):
    exc = _raised(lambda: keras.optimizers.Adam(lr=0.001))
    html = ex.explain_html(exc)
    assert html is not None and html.startswith("<div")
    assert "Qué ha pasado" in html and "Cómo arreglarlo" in html
    assert "<code>learning_rate</code>" in html
    assert "Adam(learning_rate=0.001)" in html
    found = ex.explanation_for(exc)
    assert found._repr_html_() == html and str(found) == found.text() == repr(found)


def test_explain_is_importable_without_tensorflow():
    code = (
        "import sys\n"
        "import course.explain as e\n"
        "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules\n"
        "t = e.explain(ValueError(\"Argument(s) not recognized: {'lr': 0.1}\"))\n"
        "assert 'learning_rate=0.1' in t\n"
        "assert e.enable() is False  # no IPython running\n"
        "assert 'tensorflow' not in sys.modules\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


# ---------------------------------------------------------------------------
# The IPython extension, with a real InteractiveShell
# ---------------------------------------------------------------------------


@pytest.fixture
def shell(keras):
    """A real IPython shell with ``%load_ext course.explain``; restored afterwards."""
    from IPython.core.interactiveshell import InteractiveShell

    ip = InteractiveShell.instance()
    published: list[dict] = []
    original_publish = ip.display_pub.publish

    def record(data, *args, **kwargs):
        published.append(data)
        return original_publish(data, *args, **kwargs)

    ip.display_pub.publish = record
    ip.published = published
    with warnings.catch_warnings():
        ip.run_line_magic("load_ext", "course.explain")
        ip.run_cell("import numpy as np\nimport keras\nimport tensorflow as tf")
        yield ip
        ip.run_line_magic("unload_ext", "course.explain")
    ip.display_pub.publish = original_publish


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _run(ip, capsys, cell: str):
    capsys.readouterr()
    result = ip.run_cell(cell)
    captured = capsys.readouterr()
    return result, _ANSI.sub("", captured.out), _ANSI.sub("", captured.err)


def test_ipython_pitfall_shows_traceback_then_explanation(shell, capsys):
    result, out, _ = _run(shell, capsys, "opt = keras.optimizers.Adam(lr=0.001)")
    assert not result.success and isinstance(result.error_in_exec, ValueError)
    assert "ValueError" in out and "Traceback" in out
    assert "Explicación del curso" in out
    assert out.index("Traceback") < out.index("ValueError: Argument") < out.index("Explicación")
    assert "opt = keras.optimizers.Adam(learning_rate=0.001)" in out
    bundle = shell.published[-1]
    assert "text/html" in bundle and "text/plain" in bundle
    assert "course-explain" in bundle["text/html"]


def test_ipython_add_pitfall_fixes_the_cell_line(shell, capsys):
    cell = (
        "model = keras.Sequential([keras.Input(shape=(2,))])\n"
        "model.add(keras.layers.Dense(4), activation='relu')"
    )
    result, out, _ = _run(shell, capsys, cell)
    assert isinstance(result.error_in_exec, TypeError)
    assert "model.add(keras.layers.Dense(4, activation='relu'))" in out


@pytest.mark.parametrize(
    ("cell", "error"),
    [
        ("1 / 0", "ZeroDivisionError"),
        ("int('siete')", "ValueError"),
        ("len(5)", "TypeError"),
        ("assert 1 == 2, 'fallo'", "AssertionError"),
        ("keras.layers.Dense(3).nonexistent", "AttributeError"),
    ],
)
def test_ipython_unrelated_errors_keep_their_traceback_only(shell, capsys, cell, error):
    before = len(shell.published)
    result, out, _ = _run(shell, capsys, cell)
    assert not result.success
    assert type(result.error_in_exec).__name__ == error
    assert "Traceback" in out and error in out
    assert "Explicación del curso" not in out
    assert len(shell.published) == before


@pytest.mark.parametrize(
    ("cell", "fixed"),
    [
        (
            "m = keras.Sequential([keras.layers.Dense(3, input_shape=(4,))])",
            "m = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3)])",
        ),
        (
            "m = keras.Sequential([keras.layers.Dense(8, input_dim=5, activation='relu')])",
            "m = keras.Sequential([keras.Input(shape=(5,)), keras.layers.Dense(8, activation='relu')])",
        ),
        (
            "m = keras.Sequential()\nm.add(keras.layers.Flatten(input_shape=(28, 28)))",
            "m.add(keras.Input(shape=(28, 28)))\n            m.add(keras.layers.Flatten())",
        ),
    ],
)
def test_ipython_input_shape_warning_is_shown_as_explanation_not_stderr(shell, capsys, cell, fixed):
    from course._env import quiet_tensorflow

    quiet_tensorflow()  # as notebook_setup() does: Keras warnings are silenced ...
    shell.run_line_magic("unload_ext", "course.explain")
    shell.run_line_magic("load_ext", "course.explain")  # ... and enable() comes after
    result, out, err = _run(shell, capsys, cell)
    assert result.success
    assert "declara la entrada con `keras.Input`" in out
    assert fixed in out
    assert "input_shape" not in err and "input_dim" not in err
    # The corrected line really builds the same model without any warning.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first_lines = cell.rsplit("\n", 1)[0] + "\n" if "\n" in cell else ""
        rebuilt = shell.run_cell(first_lines + fixed.replace("\n            ", "\n"))
    assert rebuilt.success
    assert not [w for w in caught if "input_" in str(w.message)]


def test_rerunning_the_setup_cell_keeps_the_input_shape_explanation(shell, capsys):
    from course._env import quiet_tensorflow

    for _ in range(2):  # the first cell run twice: quiet_tensorflow(), then enable()
        quiet_tensorflow()
        assert ex.enable() is True
    result, out, err = _run(
        shell, capsys, "m = keras.Sequential([keras.layers.Dense(2, input_dim=3)])"
    )
    assert result.success
    assert "keras.Input(shape=(3,))" in out and "input_dim" not in err


def test_load_ext_is_idempotent_and_unload_restores_ipython(shell):
    from course import explain as module

    shell.run_line_magic("load_ext", "course.explain")
    module.load_ipython_extension(shell)
    assert ValueError in shell.custom_exceptions
    assert len(shell.custom_exceptions) == len(set(shell.custom_exceptions))
    module.unload_ipython_extension(shell)
    assert shell.custom_exceptions == ()
    assert module.enable() is True  # the InteractiveShell singleton is running
    assert ValueError in shell.custom_exceptions


@pytest.mark.slow
def test_in_a_real_jupyter_kernel_the_explanation_follows_the_error_as_html():
    """End to end, as in a notebook: nbclient runs cells in a fresh ipykernel."""
    import nbformat
    from nbclient import NotebookClient

    sources = [
        "%load_ext course.explain\nimport keras",
        "opt = keras.optimizers.Adam(lr=0.001)",
        "m = keras.Sequential([keras.layers.Dense(3, input_shape=(4,))])",
        "1 / 0",
    ]
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    NotebookClient(notebook, timeout=180, kernel_name="python3", allow_errors=True).execute()

    pitfall, warning_cell, unrelated = (cell.outputs for cell in notebook.cells[1:])
    kinds = [output.output_type for output in pitfall]
    assert kinds == ["error", "display_data"]
    assert pitfall[0].ename == "ValueError"
    html = pitfall[1].data["text/html"]
    assert "course-explain" in html and "Adam(learning_rate=0.001)" in html

    assert [output.output_type for output in warning_cell] == ["display_data"]
    assert "keras.Input(shape=(4,))" in warning_cell[0].data["text/plain"]

    assert [output.output_type for output in unrelated] == ["error"]
    assert unrelated[0].ename == "ZeroDivisionError"


def test_an_earlier_custom_exception_handler_is_chained_and_restored(keras, capsys):
    from IPython.core.interactiveshell import InteractiveShell

    ip = InteractiveShell.instance()
    calls = []

    def previous_handler(shell, etype, value, tb, tb_offset=None):
        calls.append(etype.__name__)
        print("manejador previo")

    ip.set_custom_exc((KeyError,), previous_handler)
    try:
        with warnings.catch_warnings():
            ex.load_ipython_extension(ip)
            try:
                result, out, _ = _run(ip, capsys, "{}['falta']")
                assert isinstance(result.error_in_exec, KeyError)
                assert calls == ["KeyError"] and "manejador previo" in out
                result, out, _ = _run(ip, capsys, "import keras\nkeras.optimizers.SGD(lr=0.1)")
                assert "SGD(learning_rate=0.1)" in out
            finally:
                ex.unload_ipython_extension(ip)
        assert ip.custom_exceptions == (KeyError,)
    finally:
        ip.set_custom_exc((), None)
