"""Keras 3 model checks of course.checks: a correct model and typical mistakes per checker.

Models are tiny (a few hundred parameters) and only one is trained, for a
handful of steps, so the whole file runs in seconds after Keras is imported.
"""

from __future__ import annotations

import os
import warnings

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
keras = pytest.importorskip("keras")

from course.checks import (  # noqa: E402
    Correct,
    Incorrect,
    ModelExercise,
    NotAttempted,
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
)

L = keras.layers


def image_mlp(*, flatten=True, output="softmax", n_out=10, hidden="relu", units=8):
    """A (6, 6) image classifier: Flatten → Dense(units) → Dense(n_out)."""
    layers = [keras.Input(shape=(6, 6))]
    if flatten:
        layers.append(L.Flatten())
    layers += [L.Dense(units, activation=hidden), L.Dense(n_out, activation=output)]
    return keras.Sequential(layers)


def functional_binary(output="sigmoid", n_out=1):
    inputs = keras.Input(shape=(4,))
    hidden = L.Dense(3, activation="relu")(inputs)
    outputs = L.Dense(n_out, activation=output)(hidden)
    return keras.Model(inputs, outputs)


def compiled(model, loss, optimizer="adam", metrics=("accuracy",)):
    model.compile(optimizer=optimizer, loss=loss, metrics=list(metrics))
    return model


def outcome(fn, *args, **kwargs):
    """(result or failure, its plain text) — never raises Incorrect/NotAttempted."""
    try:
        result = fn(*args, **kwargs)
    except (Incorrect, NotAttempted) as failure:
        return failure, str(failure)
    return result, str(result)


def assert_outcome(kind, words, fn, *args, **kwargs):
    result, text = outcome(fn, *args, **kwargs)
    assert isinstance(result, kind), text
    for word in words:
        assert word in text, (word, text)
    return result


Y_INT = np.array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1])
Y_ONEHOT = np.eye(10)[Y_INT]


@pytest.fixture(scope="module")
def xor_data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 4)).astype("float32")
    y = (x[:, 0] * x[:, 1] > 0).astype("int64") * 0 + (x[:, 0] > 0).astype("int64")
    return x, y


@pytest.fixture(scope="module")
def trained_binary(xor_data):
    """A functional binary classifier trained on a linearly separable rule."""
    keras.utils.set_random_seed(0)
    model = compiled(functional_binary(), "binary_crossentropy", keras.optimizers.Adam(0.05))
    x, y = xor_data
    model.fit(x, y, epochs=15, batch_size=32, verbose=0)
    return model


# --------------------------------------------------------------------------- #
# Structure
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize(
    ("model", "expected", "kind", "words"),
    [
        (image_mlp(), (6, 6), Correct, ["(6, 6)"]),
        (image_mlp(), (36,), Incorrect, ["forma de entrada", "(6, 6)", "keras.Input"]),
        (image_mlp(), (32, 6, 6), Incorrect, ["(32, 6, 6)"]),
        (keras.Sequential([L.Dense(3)]), (4,), Incorrect, ["no tiene todavía una entrada"]),
        (None, (4,), NotAttempted, ["marcador"]),
        ("modelo", (4,), Incorrect, ["modelo de Keras", "`str`"]),
    ],
)
def test_check_input_shape(model, expected, kind, words):
    assert_outcome(kind, words, check_input_shape, model, expected)


def test_input_shape_hint_for_batch_included():
    model = keras.Sequential([keras.Input(shape=(32, 6, 6)), L.Flatten(), L.Dense(1)])
    assert_outcome(Incorrect, ["número de ejemplos"], check_input_shape, model, (6, 6))


@pytest.mark.parametrize(
    ("model", "kind", "words"),
    [
        (image_mlp(), Correct, ["Flatten → Dense → Dense"]),
        (image_mlp(flatten=False), Incorrect, ["Falta una capa `Flatten`", "Dense → Dense"]),
        (
            keras.Sequential(
                [keras.Input((6, 6)), L.Flatten(), L.Dense(8), L.Dense(8), L.Dense(10)]
            ),
            Incorrect,
            ["Sobra una capa de tipo `Dense`"],
        ),
        (image_mlp(units=16), Incorrect, ["neuronas (units) de la capa 2", "16"]),
        (
            keras.Sequential([keras.Input((6, 6)), L.Dense(8), L.Flatten(), L.Dense(10)]),
            Incorrect,
            ["otro orden"],
        ),
    ],
)
def test_check_layers(model, kind, words):
    assert_outcome(kind, words, check_layers, model, ["Flatten", ("Dense", 8), ("Dense", 10)])


def test_check_layers_functional_ignores_the_input_layer():
    assert_outcome(
        Correct, ["Dense → Dense"], check_layers, functional_binary(), ["Dense", "Dense"]
    )


@pytest.mark.parametrize(
    ("model", "kind", "words"),
    [
        (image_mlp(), Correct, ["[8, 10]"]),
        (image_mlp(n_out=1), Incorrect, ["capa de salida", "una neurona por clase"]),
        (image_mlp(units=4), Incorrect, ["oculta 1"]),
        (functional_binary(), Incorrect, ["[3, 1]"]),
    ],
)
def test_check_units(model, kind, words):
    assert_outcome(kind, words, check_units, model, [8, 10])


@pytest.mark.parametrize(
    ("model", "task", "kind", "words"),
    [
        (image_mlp(), "multiclass", Correct, ["`softmax` con 10"]),
        (image_mlp(output="sigmoid"), "multiclass", Incorrect, ["sí/no independiente", "softmax"]),
        (image_mlp(output=None), "multiclass", Incorrect, ["`linear`", "suman 1"]),
        (image_mlp(n_out=5), "multiclass", Incorrect, ["hay 10 clases"]),
        (image_mlp(hidden=None), "multiclass", Incorrect, ["capas ocultas", "una sola"]),
        (functional_binary(), "binary", Correct, ["`sigmoid` con 1"]),
        (functional_binary(output="softmax"), "binary", Incorrect, ["`softmax` con 1"]),
        (functional_binary(output=None), "binaria", Incorrect, ["no es una probabilidad"]),
        (functional_binary(output=None), "regression", Correct, ["linear"]),
        (functional_binary(output="sigmoid"), "regresión", Incorrect, ["limita los valores"]),
    ],
)
def test_check_activations_against_the_task(model, task, kind, words):
    assert_outcome(kind, words, check_activations, model, task=task, n_classes=10)


def test_check_activations_explicit_hidden_and_separate_activation_layer():
    model = keras.Sequential(
        [keras.Input((4,)), L.Dense(5), L.Activation("tanh"), L.Dense(3), L.Softmax()]
    )
    assert_outcome(Correct, ["softmax"], check_activations, model, hidden="tanh", task="multiclass")
    assert_outcome(Incorrect, ["`relu`", "tanh"], check_activations, model, hidden="relu")


@pytest.mark.parametrize(
    ("value", "kwargs", "kind", "words"),
    [
        (image_mlp(), {"expected_total": 386}, Correct, ["(36 + 1) × 8 = 296", "386"]),
        (image_mlp(units=6), {"expected_total": 386}, Incorrect, ["(entradas + 1) × unidades"]),
        (26, {"layer_sizes": [3, 4, 2]}, Correct, ["26"]),
        (20, {"layer_sizes": [3, 4, 2]}, Incorrect, ["olvidado los sesgos", "(entradas + 1)"]),
        (6, {"layer_sizes": [3, 4, 2]}, Incorrect, ["contado neuronas"]),
        (30, {"expected_total": 26}, Incorrect, ["(entradas + 1) × unidades", "30"]),
        ("26", {"expected_total": 26}, Incorrect, ["formato"]),
        (None, {"expected_total": 26}, NotAttempted, ["marcador"]),
        (np.int64(26), {}, Correct, ["al calificar"]),
    ],
)
def test_check_param_count(value, kwargs, kind, words):
    result = assert_outcome(kind, words, check_param_count, value, **kwargs)
    if kind is Correct and result.value is not None:
        assert type(result.value) is int


def test_check_param_count_detects_use_bias_false_and_per_layer():
    model = keras.Sequential([keras.Input((3,)), L.Dense(4, use_bias=False), L.Dense(2)])
    assert_outcome(Incorrect, ["no tiene sesgos", "use_bias=False"], check_param_count, model, 26)
    assert_outcome(Correct, ["104"], check_param_count, image_mlp(units=2), None, [74, 30])
    assert_outcome(
        Incorrect, ["de la capa", "296"], check_param_count, image_mlp(), None, [200, 90]
    )


# --------------------------------------------------------------------------- #
# Compilation: loss, optimiser, metrics
# --------------------------------------------------------------------------- #
def test_check_compiled():
    assert_outcome(Incorrect, ["no está compilado", "model.compile"], check_compiled, image_mlp())
    assert_outcome(Correct, ["compilado"], check_compiled, compiled(image_mlp(), "mse"))


@pytest.mark.parametrize(
    ("model", "loss", "y", "task", "kind", "words"),
    [
        (image_mlp(), "sparse_categorical_crossentropy", Y_INT, None, Correct, ["etiquetas enteras"]),
        (image_mlp(), "categorical_crossentropy", Y_ONEHOT, None, Correct, ["one-hot"]),
        (image_mlp(), "binary_crossentropy", Y_INT, None, Incorrect, ["ni siquiera encaja"]),
        (image_mlp(), "binary_crossentropy", Y_ONEHOT, None, Incorrect, ["sí/no independiente"]),
        (image_mlp(), "categorical_crossentropy", Y_INT, None, Incorrect, ["espera etiquetas one-hot"]),
        (image_mlp(), "sparse_categorical_crossentropy", Y_ONEHOT, None, Incorrect, ["índice de la clase"]),
        (image_mlp(), "mse", Y_INT, "multiclass", Incorrect, ["sirve para regresión"]),
        (image_mlp(output="sigmoid"), "sparse_categorical_crossentropy", Y_INT, None, Incorrect, ["sumen 1", "`softmax`"]),
        (image_mlp(output=None), "sparse_categorical_crossentropy", Y_INT, "multiclass", Incorrect, ["from_logits=True"]),
        (image_mlp(output=None), keras.losses.SparseCategoricalCrossentropy(from_logits=True), Y_INT, "multiclass", Correct, ["sparse"]),
        (image_mlp(), keras.losses.SparseCategoricalCrossentropy(from_logits=True), Y_INT, None, Incorrect, ["quita `from_logits=True`"]),
        (functional_binary(), keras.losses.BinaryCrossentropy(), np.array([0, 1]), None, Correct, ["binary_crossentropy"]),
        (functional_binary(), "sparse_categorical_crossentropy", np.array([0, 1]), None, Incorrect, ["binary_crossentropy"]),
        (functional_binary(output=None), "mse", np.array([0.5, 2.5]), "regression", Correct, ["mean_squared_error", "continuos"]),
        (functional_binary(output=None), "binary_crossentropy", np.array([0.5, 2.5]), "regression", Incorrect, ["para predecir un número"]),
    ],
)  # fmt: skip
def test_check_loss_three_scenarios_and_label_formats(model, loss, y, task, kind, words):
    compiled(model, loss)
    assert_outcome(kind, words, check_loss, model, task=task, y=y)


def test_check_loss_uncompiled_and_expected_name():
    assert_outcome(Incorrect, ["no está compilado"], check_loss, image_mlp())
    model = compiled(image_mlp(), keras.losses.categorical_crossentropy)
    assert_outcome(Correct, ["categorical_crossentropy"], check_loss, model, expected="cce")
    assert_outcome(
        Incorrect,
        ["versión `sparse_`"],
        check_loss,
        model,
        expected="sparse_categorical_crossentropy",
    )
    assert_outcome(Incorrect, ["`loss=`"], check_loss, model, expected="mean_absolute_error")


@pytest.mark.parametrize(
    ("optimizer", "kind", "words"),
    [
        (keras.optimizers.Adam(learning_rate=0.01), Correct, ["`Adam`", "0.01"]),
        (keras.optimizers.SGD(learning_rate=0.01), Incorrect, ["`SGD`", "`adam`"]),
        (keras.optimizers.Adam(learning_rate=0.1), Incorrect, ["learning_rate = 0.01", "`lr=`"]),
        ("adam", Incorrect, ["tasa por defecto (0.001)"]),
    ],
)
def test_check_optimizer(optimizer, kind, words):
    model = compiled(image_mlp(), "sparse_categorical_crossentropy", optimizer)
    assert_outcome(kind, words, check_optimizer, model, "adam", 0.01)


@pytest.mark.parametrize(
    ("model", "metrics", "y", "kind", "words"),
    [
        (image_mlp(), ["accuracy"], Y_INT, Correct, ["`accuracy`"]),
        (image_mlp(), [keras.metrics.SparseCategoricalAccuracy()], Y_INT, Correct, ["Sparse"]),
        (image_mlp(), [keras.metrics.Accuracy()], Y_INT, Incorrect, ["da 0.0 sin avisar"]),
        (functional_binary(), [keras.metrics.Accuracy()], None, Incorrect, ["compara valores exactos"]),
        (image_mlp(), [keras.metrics.CategoricalAccuracy()], Y_INT, Incorrect, ["etiquetas enteras"]),
        (image_mlp(), [keras.metrics.BinaryAccuracy()], Y_INT, Incorrect, ["por separado"]),
        (image_mlp(), [], Y_INT, Incorrect, ["ninguna métrica", "metrics=['accuracy']"]),
        (image_mlp(), [keras.metrics.SparseCategoricalAccuracy()], Y_ONEHOT, Incorrect, ["one-hot"]),
    ],
)  # fmt: skip
def test_check_metrics(model, metrics, y, kind, words):
    compiled(model, "sparse_categorical_crossentropy", metrics=metrics)
    assert_outcome(kind, words, check_metrics, model, y=y)


# --------------------------------------------------------------------------- #
# Training and accuracy
# --------------------------------------------------------------------------- #
def test_check_trained(trained_binary):
    untrained = compiled(functional_binary(), "binary_crossentropy")
    assert_outcome(Incorrect, ["0 pasos", "model.fit"], check_trained, untrained)
    assert_outcome(Incorrect, ["ni siquiera está compilado"], check_trained, functional_binary())
    result = assert_outcome(Correct, ["pasos de entrenamiento"], check_trained, trained_binary)
    assert type(result.value) is int and result.value > 0


def test_check_accuracy_returns_the_measured_value_as_a_plain_float(trained_binary, xor_data):
    x, y = xor_data
    result = assert_outcome(
        Correct, ["exactitud", "aciertos"], check_accuracy, trained_binary, x, y, 0.85
    )
    assert type(result.value) is float and result.value >= 0.85
    # computed with numpy from predict: must match a manual computation
    manual = float(np.mean((trained_binary.predict(x, verbose=0)[:, 0] > 0.5) == y))
    assert result.value == pytest.approx(manual)


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("untrained", ["no se ha entrenado"]),
        ("too_strict", ["al menos 1.0", "Entrena más épocas"]),
        ("wrong_shape", ["`model.predict` falló", "forma de entrada"]),
        ("mismatch", ["predicciones para"]),
    ],
)
def test_check_accuracy_failures(case, words, trained_binary, xor_data):
    x, y = xor_data
    model, args = trained_binary, (x, y, 0.85)
    if case == "untrained":
        model = compiled(functional_binary(), "binary_crossentropy")
        args = (x, y, 0.99)
    elif case == "too_strict":
        args = (x, y, 1.01)
    elif case == "wrong_shape":
        args = (x[:, :3], y, 0.5)
    elif case == "mismatch":
        args = (x, y[:10], 0.5)
    assert_outcome(Incorrect, words, check_accuracy, model, *args)


def test_check_accuracy_one_hot_labels_and_softmax():
    model = compiled(image_mlp(), "categorical_crossentropy")
    x = np.zeros((12, 6, 6), dtype="float32")
    result, _ = outcome(check_accuracy, model, x, Y_ONEHOT, 0.0)
    assert isinstance(result, Correct) and 0.0 <= result.value <= 1.0


# --------------------------------------------------------------------------- #
# Callbacks and checkpoints
# --------------------------------------------------------------------------- #
CB = keras.callbacks


@pytest.mark.parametrize(
    ("callbacks", "kind", "words"),
    [
        ([CB.EarlyStopping(patience=3, restore_best_weights=True), CB.ModelCheckpoint("m.keras")], Correct, ["EarlyStopping, ModelCheckpoint"]),
        ([CB.EarlyStopping(patience=3), CB.ModelCheckpoint("best.weights.h5", save_weights_only=True)], Correct, ["callbacks"]),
        ([CB.EarlyStopping(patience=3), CB.ModelCheckpoint("best.h5")], Incorrect, ["'best.h5'", "`.weights.h5`", "formato antiguo"]),
        ([CB.EarlyStopping(patience=3), CB.ModelCheckpoint("best.weights.h5")], Incorrect, ["save_weights_only = False", "HDF5"]),
        ([CB.ModelCheckpoint("m.keras")], Incorrect, ["`EarlyStopping`"]),
        ([CB.EarlyStopping(patience=3)], Incorrect, ["`ModelCheckpoint`"]),
        ([CB.EarlyStopping(patience=10), CB.ModelCheckpoint("m.keras")], Incorrect, ["patience = 10", "patience = 3"]),
        (CB.EarlyStopping(patience=3), Incorrect, ["`ModelCheckpoint`"]),
        ("EarlyStopping", Incorrect, ["una lista"]),
        (None, NotAttempted, ["marcador"]),
    ],
)  # fmt: skip
def test_check_callbacks(callbacks, kind, words):
    assert_outcome(kind, words, check_callbacks, callbacks, checkpoint=True, patience=3)


def test_check_callbacks_monitor_and_restore():
    cbs = [CB.EarlyStopping(monitor="loss", patience=2)]
    assert_outcome(
        Incorrect, ["monitor = 'loss'", "'val_loss'"], check_callbacks, cbs, monitor="val_loss"
    )
    assert_outcome(
        Incorrect, ["restore_best_weights"], check_callbacks, cbs, restore_best_weights=True
    )


def test_check_checkpoint(tmp_path, trained_binary):
    weights = tmp_path / "best.weights.h5"
    whole = tmp_path / "best.keras"
    trained_binary.save_weights(weights)
    trained_binary.save(whole)
    before = [w.copy() for w in trained_binary.get_weights()]
    assert_outcome(Correct, ["se carga"], check_checkpoint, weights, trained_binary)
    assert_outcome(Correct, ["se carga"], check_checkpoint, str(whole), trained_binary)
    # the student's model is never modified by loading
    for a, b in zip(before, trained_binary.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert_outcome(
        Incorrect,
        ["`.weights.h5`", "`.keras`"],
        check_checkpoint,
        tmp_path / "best.h5",
        trained_binary,
    )
    assert_outcome(
        Incorrect,
        ["no existe el archivo"],
        check_checkpoint,
        tmp_path / "x.weights.h5",
        trained_binary,
    )
    other = image_mlp()
    assert_outcome(Incorrect, ["no se puede cargar"], check_checkpoint, weights, other)
    assert_outcome(Incorrect, ["parámetros"], check_checkpoint, whole, other)
    (tmp_path / "broken.keras").write_bytes(b"not a zip")
    assert_outcome(Incorrect, ["no se puede cargar"], check_checkpoint, tmp_path / "broken.keras")
    assert_outcome(NotAttempted, ["marcador"], check_checkpoint, None)


def test_check_checkpoint_writes_nothing_to_stderr(tmp_path, capfd):
    """Loading another model's weights makes Keras warn about the optimizer; not on stderr."""
    source = compiled(functional_binary(), "binary_crossentropy", "sgd")
    weights = tmp_path / "w.weights.h5"
    source.save_weights(weights)
    target = compiled(image_mlp(), "sparse_categorical_crossentropy")
    target.fit(np.zeros((12, 6, 6)), Y_INT, epochs=1, verbose=0)
    capfd.readouterr()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert_outcome(Incorrect, ["no encajan con sus capas"], check_checkpoint, weights, target)
    assert [str(w.message) for w in caught] == []
    assert capfd.readouterr().err == ""


# --------------------------------------------------------------------------- #
# Aggregate and ModelExercise
# --------------------------------------------------------------------------- #
def test_check_model_runs_every_given_check_in_order(trained_binary, xor_data):
    x, y = xor_data
    result = check_model(
        trained_binary,
        input_shape=(4,),
        layers=["Dense", "Dense"],
        task="binary",
        params=19,
        y=y,
        trained=True,
        metrics=["accuracy"],
        x=x,
        min_accuracy=0.85,
    )
    assert isinstance(result, Correct)
    assert "9 comprobaciones superadas" in result.found
    assert type(result.value) is float


@pytest.mark.parametrize(
    ("model", "words"),
    [
        (image_mlp(flatten=False), ["Falta una capa `Flatten`"]),
        (image_mlp(output="sigmoid"), ["sí/no independiente"]),
        (compiled(image_mlp(), "binary_crossentropy"), ["ni siquiera encaja"]),
        (compiled(image_mlp(), "sparse_categorical_crossentropy"), ["0 pasos"]),
    ],
)
def test_check_model_raises_the_first_failure(model, words):
    expectations = dict(
        input_shape=(6, 6),
        layers=["Flatten", "Dense", "Dense"],
        task="multiclass",
        n_classes=10,
        y=Y_INT,
        trained=True,
    )
    assert_outcome(Incorrect, words, check_model, model, **expectations)


def test_model_exercise_hidden_test_is_stricter(trained_binary, xor_data, capsys):
    x, y = xor_data
    exercise = ModelExercise(
        "modelo",
        {"input_shape": (4,), "task": "binary", "trained": True, "min_accuracy": 0.5},
        graded=True,
        title="Ejercicio 3",
    )
    assert exercise.check(trained_binary, x=x, y=y).passed
    with pytest.raises(Incorrect) as info:
        exercise.check(trained_binary, x=x, y=y, min_accuracy=1.01)
    assert "Ejercicio 3" in str(info.value) and "al menos 1.01" in str(info.value)
    with pytest.raises(NotAttempted):
        exercise.check(None, x=x, y=y)


@pytest.mark.parametrize(
    ("y", "fmt"),
    [
        (np.array([0, 2, 1]), "integer"),
        (np.array([[0.0], [1.0]]), "integer"),
        (np.eye(3), "onehot"),
        (np.array([0.5, 1.2]), "continuous"),
    ],
)
def test_label_format(y, fmt):
    assert label_format(y) == fmt


def test_missing_flatten_is_reported_by_the_output_shape_in_later_checks():
    model = compiled(image_mlp(flatten=False), "sparse_categorical_crossentropy")
    words = ["(None, 6, 10)", "`Flatten`"]
    assert_outcome(Incorrect, words, check_loss, model, y=Y_INT)
    assert_outcome(Incorrect, words, check_activations, model, task="multiclass")
    x = np.zeros((12, 6, 6), dtype="float32")
    assert_outcome(Incorrect, words, check_accuracy, model, x, Y_INT, 0.5)


def test_task_is_inferred_from_integer_labels_when_the_output_is_sigmoid():
    model = compiled(image_mlp(output="sigmoid"), "binary_crossentropy")
    assert_outcome(Incorrect, ["ni siquiera encaja"], check_loss, model, y=Y_INT)
    binary = compiled(functional_binary(), "binary_crossentropy")
    assert_outcome(Correct, ["binary_crossentropy"], check_loss, binary, y=np.array([0, 1, 1]))


# --------------------------------------------------------------------------- #
# Regression and histories
# --------------------------------------------------------------------------- #
def linear_model(weight, bias):
    """y = weight * x + bias, set by hand (no training needed)."""
    model = keras.Sequential([keras.Input(shape=(1,)), L.Dense(1)])
    model.layers[0].set_weights([np.array([[weight]]), np.array([bias])])
    return model


@pytest.mark.parametrize(
    ("weight", "bias", "kind", "words"),
    [
        (2.0, -1.0, Correct, ["19.0", "± 0.5"]),
        (2.0, -0.8, Correct, ["19.2"]),
        (1.0, 0.0, Incorrect, ["10.0", "error 9.0", "Entrena más épocas"]),
        (float("nan"), 0.0, Incorrect, ["divergido"]),
    ],
)
def test_check_prediction_hello_world_regression(weight, bias, kind, words):
    result = assert_outcome(
        kind, words, check_prediction, linear_model(weight, bias), [[10.0]], [[19.0]], tol=0.5
    )
    if kind is Correct:
        assert type(result.value) is float


def test_check_prediction_wrong_input_and_size():
    model = linear_model(2.0, -1.0)
    assert_outcome(
        Incorrect, ["`model.predict` falló"], check_prediction, model, [[1.0, 2.0]], [3.0], tol=1
    )
    assert_outcome(Incorrect, ["2 valores"], check_prediction, model, [[1.0]], [1.0, 2.0], tol=1)


@pytest.mark.parametrize(
    ("weight", "kind", "words"),
    [(2.0, Correct, ["MAE = 0.0"]), (2.5, Incorrect, ["MAE = 1.0", "como mucho 0.5"])],
)
def test_check_mae(weight, kind, words):
    x = np.array([[1.0], [2.0], [3.0]])
    y = 2.0 * x[:, 0] - 1.0
    result = assert_outcome(kind, words, check_mae, linear_model(weight, -1.0), x, y, 0.5)
    assert type(result.value) is float


@pytest.mark.parametrize(
    ("history", "kwargs", "kind", "words"),
    [
        ({"loss": [1.0, 0.5], "val_loss": [1.1, 0.7]}, {"keys": ["loss", "val_loss"]}, Correct, ["2 épocas"]),
        ({"loss": [1.0, 0.5]}, {"keys": ["val_loss"]}, Incorrect, ["validation_data"]),
        ({"loss": [1.0] * 30}, {"max_epochs": 20}, Incorrect, ["EarlyStopping", "30"]),
        ({"loss": [1.0, 0.9]}, {"min_epochs": 5}, Incorrect, ["al menos 5"]),
        ({"loss": [0.7, 0.9, 1.5]}, {}, Incorrect, ["nunca baja"]),
        ({"loss": [0.7, float("nan")]}, {}, Incorrect, ["divergido"]),
        (None, {}, NotAttempted, ["marcador"]),
        ([1, 2], {}, Incorrect, ["model.fit"]),
    ],
)  # fmt: skip
def test_check_history(history, kwargs, kind, words):
    assert_outcome(kind, words, check_history, history, **kwargs)


def test_check_history_accepts_a_keras_history(xor_data):
    x, y = xor_data
    model = compiled(functional_binary(), "binary_crossentropy")
    history = model.fit(x[:32], y[:32], epochs=2, verbose=0, validation_split=0.25)
    assert_outcome(Correct, ["2 épocas", "`val_loss`"], check_history, history, keys=["val_loss"])


def test_explicit_output_activation_failure_explains_with_the_task():
    model = image_mlp(output="sigmoid")
    assert_outcome(
        Incorrect,
        ["Qué se esperaba: `softmax`", "sí/no independiente"],
        check_activations,
        model,
        output="softmax",
        task="multiclass",
    )
    assert_outcome(Incorrect, ["última capa `Dense`"], check_activations, model, output="softmax")


def test_optimizer_hint_names_the_expected_class():
    model = compiled(image_mlp(), "sparse_categorical_crossentropy", "sgd")
    assert_outcome(Incorrect, ["keras.optimizers.RMSprop("], check_optimizer, model, "rmsprop")


def test_an_unbuilt_sequential_model_still_gets_precise_messages():
    model = keras.Sequential([L.Dense(4, activation="relu"), L.Dense(1, activation="sigmoid")])
    assert_outcome(Correct, ["`sigmoid` con 1 neurona"], check_activations, model, task="binary")
    assert_outcome(Incorrect, ["no tiene todavía una entrada"], check_input_shape, model, (3,))
    assert_outcome(Incorrect, ["no está construido", "keras.Input"], check_param_count, model, 21)
