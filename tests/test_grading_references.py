"""References and keys of graded exercises stay out of the grading kernel.

The grading kernel imports a copy of ``course`` without ``course.grading`` (so
without :mod:`course.grading.references`): there each visible check compares
with stored outputs on its visible inputs only, and the package's reference
functions cannot be handed in as answers. Also: checks that enforce what their
statement fixes (a02 in NumPy, a03 ej4's tanh, a04 ej4's shuffled split).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from course.checks import Incorrect

# Run inside a copy of the package as the grading kernel sees it.
KERNEL_PROBE = r"""
import json
import numpy as np
import course

report = {"course": course.__file__}
try:
    import course.grading.references  # noqa: F401
    report["references"] = True
except ImportError:
    report["references"] = False

from course.assignments import a02, a04, a05

report["a02_keras_helpers"] = [n for n in dir(a02) if "keras" in n.lower() and n.startswith("_k")]
report["a05_reference"] = [n for n in dir(a05) if "reference" in n.lower()]
report["a04_columns"] = a04._expected_columns.__name__ and a04._expected_columns(None) is None


def sigmoide(z):
    return 1.0 / (1.0 + np.exp(-z))


def clip(p):
    return np.clip(p, 1e-7, 1 - 1e-7)


answers = {
    "ej1": (sigmoide,),
    "ej2": (np.tanh,),
    "ej3": (lambda z: np.maximum(z, 0.0),),
    "ej4": (lambda z, pendiente=0.2: np.where(z >= 0, z, pendiente * z),),
    "ej5": (
        lambda z: np.exp(z - z.max(axis=-1, keepdims=True))
        / np.exp(z - z.max(axis=-1, keepdims=True)).sum(axis=-1, keepdims=True),
        np.array([0.0900, 0.2447, 0.6652]),
    ),
    "ej6": (
        lambda t, p: float(np.mean((t - p) ** 2)),
        lambda t, p: float(np.mean(np.abs(t - p))),
    ),
    "ej7": (
        lambda t, p: float(-np.mean(t * np.log(clip(p)) + (1 - t) * np.log(1 - clip(p)))),
        0.2284,
    ),
    "ej8": (lambda t, p: float(np.mean(-np.sum(t * np.log(clip(p)), axis=-1))),),
}
results = {}
for name, args in answers.items():
    result = getattr(a02, name).evaluate(*args)
    results[name] = [bool(result.passed), str(result.message())[:300]]
scaled = a05.ej1.evaluate(lambda x: x.astype("float32") / 255.0)
results["a05_ej1"] = [bool(scaled.passed), str(scaled.message())[:300]]
wrong = a02.ej1.evaluate(lambda z: 1.0 / (1.0 + np.exp(z)))
results["a02_wrong"] = [bool(wrong.passed), str(wrong.message())[:300]]
report["results"] = results
print(json.dumps(report))
"""


@pytest.fixture(scope="module")
def kernel_report(tmp_path_factory):
    from course.grading.sandbox import sandbox_package

    copy = sandbox_package(tmp_path_factory.mktemp("paquete"))
    env = dict(os.environ, PYTHONPATH=str(copy), MPLBACKEND="Agg")
    done = subprocess.run(
        [sys.executable, "-c", KERNEL_PROBE],
        capture_output=True,
        text=True,
        env=env,
        cwd=str(tmp_path_factory.mktemp("cuaderno")),
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["course"].startswith(str(copy))
    return report


def test_no_reference_of_a02_a04_a05_is_importable_in_the_kernel(kernel_report):
    """On main ``a02._keras_activation``, ``a04._expected_columns`` and
    ``a05._reference_scaling`` were there to be assigned as the answers."""
    assert kernel_report["references"] is False
    assert kernel_report["a02_keras_helpers"] == []
    assert kernel_report["a05_reference"] == []
    assert kernel_report["a04_columns"] is True


def test_visible_checks_still_pass_right_answers_in_the_kernel(kernel_report):
    results = kernel_report["results"]
    for name in ("ej1", "ej2", "ej3", "ej4", "ej5", "ej6", "ej7", "ej8", "a05_ej1"):
        assert results[name][0], (name, results[name][1])
    assert not results["a02_wrong"][0]
    assert "sigmoide" in results["a02_wrong"][1]


# --------------------------------------------------------------------------- statements
def test_a_keras_function_is_not_an_a02_answer():
    """The statement asks for NumPy: Keras's own sigmoid handed in is refused, by name."""
    import keras

    from course.assignments import a02

    result = a02.ej1.evaluate(keras.activations.sigmoid)
    assert not result.passed
    assert "NumPy" in result.message() and "keras.activations" in result.message()
    loss = a02.ej8.evaluate(keras.losses.categorical_crossentropy)
    assert not loss.passed and "NumPy" in loss.message()


def test_a_keras_tensor_that_left_the_kernel_is_refused_too():
    """Outside the kernel a tensor arrives as an opaque value naming its type."""
    from course.assignments import a02
    from course.grading.witness import Opaque

    with pytest.raises(Incorrect, match="NumPy"):
        a02._numpy_answer(
            lambda z: Opaque("tensorflow.python.framework.ops.EagerTensor"), a02._VECTOR, "x"
        )


def test_a03_functional_model_needs_the_tanh_hidden_layer():
    import keras

    from course.assignments import a03

    def crear_modelo_funcional():
        entradas = keras.Input(shape=(2,))
        oculta = keras.layers.Dense(2, activation="relu")(entradas)
        unidas = keras.layers.Concatenate()([entradas, oculta])
        salida = keras.layers.Dense(1, activation="sigmoid")(unidas)
        return keras.Model(inputs=entradas, outputs=salida)

    def compilar_y_entrenar(modelo, x, y):
        modelo.compile(optimizer="adam", loss="binary_crossentropy")
        return modelo.fit(x, y, epochs=1, verbose=0)

    result = a03.ej4.evaluate(crear_modelo_funcional, crear_modelo_funcional(), compilar_y_entrenar)
    assert not result.passed
    assert "tanh" in result.message() and "activation" in result.message()


def _split(shuffle: bool):
    from sklearn import model_selection, preprocessing

    rng = np.random.default_rng(0)
    features = rng.integers(0, 50, size=(200, 3)).astype(float)
    target = rng.integers(0, 2, size=200)
    x_tr, x_te, y_tr, y_te = model_selection.train_test_split(
        features, target, test_size=0.3, shuffle=shuffle, random_state=42 if shuffle else None
    )
    scaler = preprocessing.StandardScaler().fit(x_tr)
    return features, target, scaler.transform(x_tr), scaler.transform(x_te), y_tr, y_te, scaler


def test_a04_split_without_shuffling_is_named():
    from course.assignments import a04

    assert a04.ej4.evaluate(*_split(shuffle=True)).passed
    result = a04.ej4.evaluate(*_split(shuffle=False))
    assert not result.passed
    assert "shuffle=True" in result.message() and "barajaron" in result.message()
