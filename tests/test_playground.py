"""The neural-network playground: NumPy engine against Keras, data, API, app, static mode."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import numpy as np
import pytest

from course.playground import (
    STATIC_ENV,
    PlaygroundError,
    entrenar_en_playground,
    make_dataset,
    make_features,
    playground,
    sesion_playground,
)
from course.playground.engine import Network


# --------------------------------------------------------------------------- #
# The engine has the same maths as Keras
# --------------------------------------------------------------------------- #
@pytest.fixture(scope="module")
def keras():
    """Keras computing in float64 (so a 1e-6 tolerance measures the maths, not rounding)."""
    keras = pytest.importorskip("keras")
    previous = keras.config.floatx()
    keras.config.set_floatx("float64")
    yield keras
    keras.config.set_floatx(previous)


def _keras_twin(keras, net: Network, activation: str, regularization: str | None, rate: float):
    """A Keras model with the network's architecture and weights, in float64."""
    reg = None
    if regularization == "L1":
        reg = keras.regularizers.L1(rate)
    elif regularization == "L2":
        reg = keras.regularizers.L2(rate)
    layers = [keras.Input(shape=(net.n_inputs,), dtype="float64")]
    for units in net.hidden:
        layers.append(
            keras.layers.Dense(
                units, activation=activation, kernel_regularizer=reg, dtype="float64"
            )
        )
    layers.append(
        keras.layers.Dense(1, activation="sigmoid", kernel_regularizer=reg, dtype="float64")
    )
    model = keras.Sequential(layers)
    for layer, w, b in zip(model.layers, net.weights, net.biases, strict=True):
        layer.set_weights([w, b])
    return model


KERAS_CASES = [
    pytest.param((3, 2), act, reg, rate, id=f"3-2-{act}-{reg or 'ninguna'}")
    for act in ("relu", "tanh", "sigmoid", "linear")
    for reg, rate in ((None, 0.0), ("L1", 0.01), ("L2", 0.03))
] + [
    pytest.param((), "tanh", "L2", 0.03, id="sin-ocultas-L2"),
    pytest.param((8,), "relu", "L1", 0.01, id="8-relu-L1"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("hidden", "activation", "regularization", "rate"), KERAS_CASES)
def test_one_sgd_step_equals_keras_sgd_step(keras, hidden, activation, regularization, rate):
    """Same weights, same batch, binary cross-entropy (+ regulariser), SGD(0.1): the loss before
    the step and every weight after it agree with Keras to 1e-6."""
    rng = np.random.default_rng(7)
    x = rng.normal(0.0, 1.5, size=(16, 3))
    y = (x[:, 0] * x[:, 1] > 0).astype(np.int64)
    net = Network.create(3, hidden, activation, regularization, rate, seed=3)
    for b in net.biases:  # non-zero biases so that they are checked too
        b += rng.normal(0.0, 0.3, size=b.shape)
    model = _keras_twin(keras, net, activation, regularization, rate)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="binary_crossentropy")
    np.testing.assert_allclose(
        model.predict(x, verbose=0)[:, 0], net.predict(x), atol=1e-9, err_msg="forward pass"
    )
    keras_loss = float(model.train_on_batch(x, y.astype(np.float64)))
    engine_loss = net.loss(x, y)
    before = [w.copy() for w in net.weights]
    net.sgd_step(x, y, 0.1)
    assert not np.allclose(before[-1], net.weights[-1])  # the step moved the weights
    assert abs(keras_loss - engine_loss) < 1e-6
    for layer, w, b in zip(model.layers, net.weights, net.biases, strict=True):
        kw, kb = layer.get_weights()
        np.testing.assert_allclose(w, kw, atol=1e-6, rtol=0)
        np.testing.assert_allclose(b, kb, atol=1e-6, rtol=0)


def test_regularisation_gradients_are_keras_formulas():
    """L2 adds 2·r·W and L1 adds r·sign(W) (no 1/2 factor, biases untouched)."""
    x = np.array([[0.5, -1.0], [1.0, 2.0]])
    y = np.array([0, 1])
    plain = Network.create(2, (2,), "tanh", None, 0.0, seed=1)
    gw0, gb0 = plain.gradients(x, y)
    for kind, extra in (("L2", lambda w: 2 * 0.1 * w), ("L1", lambda w: 0.1 * np.sign(w))):
        net = plain.copy()
        net.regularization, net.reg_rate = kind, 0.1
        gw, gb = net.gradients(x, y)
        for g, g0, w in zip(gw, gw0, net.weights, strict=True):
            np.testing.assert_allclose(g, g0 + extra(w))
        for g, g0 in zip(gb, gb0, strict=True):
            np.testing.assert_allclose(g, g0)


def test_gradient_matches_finite_differences():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(9, 2))
    y = rng.integers(0, 2, 9)
    net = Network.create(2, (4, 3), "tanh", "L2", 0.01, seed=5)
    gw, _ = net.gradients(x, y)
    eps = 1e-6
    for layer in range(3):
        w = net.weights[layer]
        i, j = 0, w.shape[1] - 1
        w[i, j] += eps
        up = net.loss(x, y)
        w[i, j] -= 2 * eps
        down = net.loss(x, y)
        w[i, j] += eps
        assert abs((up - down) / (2 * eps) - gw[layer][i, j]) < 1e-6


# --------------------------------------------------------------------------- #
# Data sets and features
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("name", ["nube_xor", "circulos", "espirales", "manchas"])
def test_data_sets_are_seeded_balanced_split_and_inside_the_square(name):
    a = make_dataset(name, n=200, noise=0.2, test_fraction=0.3, seed=4)
    b = make_dataset(name, n=200, noise=0.2, test_fraction=0.3, seed=4)
    c = make_dataset(name, n=200, noise=0.2, test_fraction=0.3, seed=5)
    np.testing.assert_array_equal(a.x_train, b.x_train)
    assert not np.array_equal(a.x_train, c.x_train)
    assert a.x_train.shape == (140, 2) and a.x_test.shape == (60, 2)
    y = np.concatenate([a.y_train, a.y_test])
    assert set(np.unique(y)) == {0, 1} and abs(int(y.sum()) - 100) == 0
    assert np.all(np.abs(np.concatenate([a.x_train, a.x_test])) <= 3.0)


def test_noise_spreads_the_xor_cloud_which_reuses_course_datasets():
    quiet = make_dataset("nube_xor", n=400, noise=0.0, seed=1)
    noisy = make_dataset("nube_xor", n=400, noise=0.3, seed=1)
    corners = {(-1.5, -1.5), (-1.5, 1.5), (1.5, -1.5), (1.5, 1.5)}
    assert {tuple(p) for p in np.round(quiet.x_train, 6)} <= corners
    assert np.std(np.abs(noisy.x_train)) > 0.5


def test_four_point_xor_is_the_truth_table_for_train_and_test():
    split = make_dataset("xor")
    assert split.x_train.shape == (4, 2)
    np.testing.assert_array_equal(split.y_train, [0, 1, 1, 0])
    np.testing.assert_array_equal(split.x_test, split.x_train)


def test_features_are_the_seven_playground_inputs_in_fixed_order():
    points = np.array([[1.0, 2.0], [-0.5, 0.25]])
    f = make_features(points, ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"))
    np.testing.assert_allclose(f[0], [1, 2, 1, 4, 2, np.sin(1), np.sin(2)])
    s = sesion_playground("xor", caracteristicas=["sen(x2)", "x1²", "x1"], capas_ocultas=[])
    assert s.features == ("x1", "x1^2", "sin(x2)")


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"datos": "lunas"}, "Conjunto de datos desconocido"),
        ({"capas_ocultas": [4, 4, 4, 4, 4]}, "Como mucho 4 capas"),
        ({"capas_ocultas": [9]}, "entre 1 y 8 neuronas"),
        ({"activacion": "softmax"}, "Activación desconocida"),
        ({"regularizacion": "L3"}, "Regularización desconocida"),
        ({"tasa_aprendizaje": 0}, "tasa_aprendizaje debe ser un número mayor que 0"),
        ({"tamano_lote": 0}, "tamano_lote debe ser un entero positivo"),
        ({"ruido": 2}, "ruido debe estar entre"),
        ({"caracteristicas": ["x3"]}, "Característica desconocida"),
        ({"caracteristicas": []}, "al menos una característica"),
        ({"epocas": -1}, "epocas debe ser un entero"),
        ({"velocidad": 3}, "Argumento desconocido"),
    ],
)
def test_bad_settings_give_a_spanish_error(kwargs, fragment):
    with pytest.raises(PlaygroundError, match=fragment):
        entrenar_en_playground(**{"epocas": 1, **kwargs})


# --------------------------------------------------------------------------- #
# The function API
# --------------------------------------------------------------------------- #
def test_history_is_keras_like_plain_floats_and_reproducible():
    h = entrenar_en_playground("circulos", capas_ocultas=[4], epocas=5, semilla=2)
    assert set(h) == {"loss", "val_loss", "accuracy", "val_accuracy"}
    assert all(len(v) == 6 and all(type(x) is float for x in v) for v in h.values())
    assert h == entrenar_en_playground("circulos", capas_ocultas=[4], epocas=5, semilla=2)


def test_xor_needs_a_hidden_layer():
    """Without a hidden layer the XOR loss stays at log 2; with one it falls near 0."""
    flat = entrenar_en_playground("xor", capas_ocultas=[], epocas=300, tasa_aprendizaje=0.1)
    deep = entrenar_en_playground(
        "xor", capas_ocultas=[4], epocas=500, tasa_aprendizaje=0.1, tamano_lote=4
    )
    assert flat["loss"][-1] > 0.69 and flat["accuracy"][-1] <= 0.75
    assert deep["loss"][-1] < 0.1 and deep["accuracy"][-1] == 1.0


def test_too_large_a_learning_rate_blows_up_and_too_small_barely_moves():
    small = entrenar_en_playground("nube_xor", capas_ocultas=[4], epocas=30, tasa_aprendizaje=1e-5)
    good = entrenar_en_playground("nube_xor", capas_ocultas=[4], epocas=30, tasa_aprendizaje=0.03)
    assert abs(small["loss"][-1] - small["loss"][0]) < 0.01
    assert good["loss"][-1] < good["loss"][0] - 0.3


def test_playground_and_engine_never_import_tensorflow():
    code = (
        "import sys, course.playground, course.playground.app, course.playground.render\n"
        "from course.playground import entrenar_en_playground, playground\n"
        "entrenar_en_playground('xor', epocas=2)\n"
        "playground('xor', estatico=True)\n"
        "bad = [m for m in ('tensorflow', 'keras') if m in sys.modules]\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


# --------------------------------------------------------------------------- #
# Static mode and the widget app
# --------------------------------------------------------------------------- #
def test_static_mode_from_the_environment_gives_a_figure_of_the_same_state(monkeypatch):
    from matplotlib.figure import Figure

    monkeypatch.setenv(STATIC_ENV, "1")
    fig = playground("nube_xor", capas_ocultas=[3, 2], epocas=3)
    assert isinstance(fig, Figure)
    texts = " ".join(t.get_text() for ax in fig.axes for t in ax.texts)
    assert "Época: 3" in texts and "Capas ocultas: 3, 2" in texts
    titles = [ax.get_title() for ax in fig.axes]
    assert "Frontera de decisión" in titles


@pytest.fixture
def app(monkeypatch):
    pytest.importorskip("ipywidgets")
    monkeypatch.delenv(STATIC_ENV, raising=False)
    return playground("nube_xor", capas_ocultas=[2], semilla=1)


def test_widget_app_changes_neurons_and_layers_with_the_buttons(app):
    from course.playground.app import PlaygroundApp

    assert isinstance(app, PlaygroundApp)
    before = app.w_network.value
    plus = app.w_neuron_rows.children[0].children[1]
    plus.click()
    assert app.session.settings.capas_ocultas == (3,)
    assert app.session.network.weights[0].shape == (2, 3)
    assert app.w_network.value != before and "capa 1, neurona 3" in app.w_network.value
    app.w_layer_plus.click()
    assert app.session.settings.capas_ocultas == (3, 3)
    assert len(app.w_neuron_rows.children) == 2
    app.w_layer_minus.click()
    app.w_layer_minus.click()
    app.w_layer_minus.click()  # nothing left to remove: stays at 0 layers
    assert app.session.settings.capas_ocultas == ()


def test_widget_app_trains_by_frames_and_steps_and_resets(app):
    first = app.w_boundary.value
    app.w_step.click()
    assert app.session.epoch == 1 and "Época: <b>1</b>" in app.w_epoch.value
    done = app.train_frame(budget=0.01)
    assert app.session.epoch == 1 + done
    assert app.w_boundary.value != first
    assert "polyline" in app.w_curve.value
    app.w_reset.click()
    assert app.session.epoch == 0 and len(app.session.history["loss"]) == 1
    assert app.w_boundary.value == first  # same seed, same initial weights


def test_widget_settings_apply_and_errors_show_in_spanish(app):
    app.w_data.value = "xor"
    assert app.w_noise.disabled and app.w_test.disabled  # 4 fixed points: no noise, no split
    app.w_data.value = "espirales"
    assert app.session.split.name == "espirales" and app.session.epoch == 0
    assert not app.w_noise.disabled
    app.w_lr.value = 0.3
    assert app.session.settings.tasa_aprendizaje == 0.3
    for key, box in app.w_features.items():
        box.value = key == "x1"
    app.w_features["x1"].value = False
    assert "al menos una característica" in app.w_message.value
    assert app.session.features == ("x1",)


def test_diverging_training_pauses_with_a_spanish_message(app):
    app.w_lr.value = 10.0
    app.w_activation.value = "relu"
    for w in app.session.network.weights:  # weights so large that the outputs overflow
        w[:] = 1e300
    app.running = True
    app.train_frame(budget=0.0)
    assert not app.running
    assert "tasa de aprendizaje es demasiado alta" in app.w_message.value


def test_training_runs_as_an_asyncio_task_and_leaves_the_loop_free(app):
    """While 'Entrenar' is on, other coroutines still run (the kernel stays responsive)."""

    async def scenario():
        ticks = 0
        app.w_train.click()
        assert app.w_train.description == "Pausa"
        for _ in range(10):
            await asyncio.sleep(0.02)
            ticks += 1
        app.w_train.click()
        await asyncio.sleep(0.1)
        return ticks

    ticks = asyncio.run(scenario())
    assert ticks == 10
    assert app.session.epoch > 0 and app.w_train.description == "Entrenar"
    assert app._task is not None and app._task.done()


def test_training_outside_an_event_loop_runs_in_a_thread_until_paused(app):
    import time

    app.w_train.click()
    deadline = time.monotonic() + 10
    while app.session.epoch < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    app.w_train.click()
    time.sleep(0.3)
    stopped_at = app.session.epoch
    time.sleep(0.3)
    assert stopped_at >= 3 and app.session.epoch == stopped_at


# --------------------------------------------------------------------------- #
# The notebooks' experiment questions: the answer key is what the experiment shows
# --------------------------------------------------------------------------- #
def test_nb01_answer_key_matches_the_xor_experiment():
    from course.practice import nb01

    settings = dict(datos="xor", epocas=500, tasa_aprendizaje=0.1, tamano_lote=4)
    flat = entrenar_en_playground(capas_ocultas=[], **settings)
    deep = entrenar_en_playground(capas_ocultas=[4], **settings)
    assert abs(flat["loss"][-1] - np.log(2)) < 0.01 and deep["loss"][-1] < 0.1
    assert nb01.experimento.check("se estanca cerca de 0.69").__class__.__name__ == "Correct"


def test_nb02_answer_key_matches_the_activation_experiment():
    settings = dict(datos="circulos", ruido=0.05, capas_ocultas=[4], epocas=150)
    final = {
        a: entrenar_en_playground(activacion=a, tasa_aprendizaje=0.03, **settings)["loss"][-1]
        for a in ("relu", "tanh", "sigmoide", "lineal")
    }
    assert max(final, key=final.get) == "lineal" and final["lineal"] > 0.67
    longer = entrenar_en_playground(
        activacion="sigmoide", tasa_aprendizaje=0.03, **{**settings, "epocas": 600}
    )
    assert longer["loss"][-1] < 0.4  # the hint: sigmoid gets there with more epochs


def test_nb04_answer_key_matches_the_learning_rate_experiment():
    settings = dict(datos="circulos", ruido=0.05, capas_ocultas=[4], activacion="relu", epocas=100)
    ups = {}
    for rate in (0.0001, 0.3, 10):
        loss = np.array(entrenar_en_playground(tasa_aprendizaje=rate, **settings)["loss"])
        ups[rate] = int(np.sum(np.diff(loss) > 0))
    assert ups[10] > 30 and ups[0.0001] == 0 and ups[0.3] < 5


def test_nb06_answer_key_matches_the_l2_experiment():
    settings = dict(
        datos="nube_xor",
        n_puntos=60,
        proporcion_test=0.5,
        ruido=0.35,
        capas_ocultas=[8, 8],
        epocas=1000,
        tasa_aprendizaje=0.03,
    )
    plain = entrenar_en_playground(**settings)
    l2 = entrenar_en_playground(regularizacion="L2", tasa_regularizacion=0.01, **settings)
    assert l2["val_loss"][-1] < plain["val_loss"][-1] and plain["loss"][-1] < l2["loss"][-1]
    assert plain["val_loss"][-1] > min(plain["val_loss"]) + 0.05  # it overfits


@pytest.mark.parametrize("module_name", ["nb01", "nb02", "nb04", "nb06"])
def test_experiment_question_wrong_options_get_their_own_spanish_hint(module_name):
    import importlib

    from course.checks import Correct, Incorrect

    exercise = importlib.import_module(f"course.practice.{module_name}").experimento
    spec = exercise.spec
    for option in spec["options"]:
        result = exercise.check(option)
        if option == spec["key"]:
            assert isinstance(result, Correct)
        else:
            assert isinstance(result, Incorrect)
            assert spec["mistakes"][option][:40] in str(result)
