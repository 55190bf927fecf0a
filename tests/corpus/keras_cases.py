"""Keras answers of the corpus: models and callbacks in every valid style, and typical mistakes.

Models are built lazily (only when a case runs), never trained: the exercises
here check architecture, compilation and callbacks.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .cases import HIDDEN, add, lazy


def _k() -> Any:
    import keras

    return keras


def _iris(
    *,
    style: str = "sequential",
    hidden_act: Any = "relu",
    out: str = "softmax",
    units: int = 16,
    n_out: int = 3,
    loss: Any = "sparse_categorical_crossentropy",
    metrics: Any = ("accuracy",),
    optimizer: Any = "adam",
    compile: bool = True,
) -> Any:
    keras = _k()
    if style == "sequential":
        layers = [keras.Input(shape=(4,)), keras.layers.Dense(units, activation=hidden_act)]
        layers.append(keras.layers.Dense(n_out, activation=None if out == "logits" else out))
        model = keras.Sequential(layers)
    elif style == "activation_layers":
        model = keras.Sequential(
            [
                keras.Input(shape=(4,)),
                keras.layers.Dense(units),
                keras.layers.ReLU(),
                keras.layers.Dense(n_out),
                keras.layers.Activation("softmax"),
            ]
        )
    elif style == "functional":
        inputs = keras.Input(shape=(4,))
        h = keras.layers.Dense(units, activation=hidden_act)(inputs)
        outputs = keras.layers.Dense(n_out, activation=out)(h)
        model = keras.Model(inputs, outputs)
    elif style == "softmax_layer":
        model = keras.Sequential(
            [
                keras.Input(shape=(4,)),
                keras.layers.Dense(units, activation="relu"),
                keras.layers.Dropout(0.1),
                keras.layers.Dense(n_out),
                keras.layers.Softmax(),
            ]
        )
    else:  # pragma: no cover
        raise ValueError(style)
    if compile:
        model.compile(optimizer=optimizer, loss=loss, metrics=list(metrics))
    return model


def _fashion(
    *,
    hidden: tuple = (64,),
    out: str = "softmax",
    flatten: bool = True,
    loss: Any = "sparse_categorical_crossentropy",
    metrics: Any = ("accuracy",),
    optimizer: Any = "adam",
    style: str = "sequential",
) -> Any:
    keras = _k()
    if style == "functional":
        inputs = keras.Input(shape=(28, 28))
        h = keras.layers.Flatten()(inputs)
        for n in hidden:
            h = keras.layers.Dense(n, activation="relu")(h)
        outputs = keras.layers.Dense(10, activation=out)(h)
        model = keras.Model(inputs, outputs)
    elif style == "activation_layers":
        model = keras.Sequential(
            [
                keras.Input(shape=(28, 28)),
                keras.layers.Flatten(),
                keras.layers.Dense(hidden[0]),
                keras.layers.Activation("relu"),
                keras.layers.Dense(10),
                keras.layers.Activation("softmax"),
            ]
        )
    else:
        layers: list = [keras.Input(shape=(28, 28))]
        if flatten:
            layers.append(keras.layers.Flatten())
        for n in hidden:
            layers.append(keras.layers.Dense(n, activation="relu"))
        layers.append(keras.layers.Dense(10, activation=None if out == "logits" else out))
        model = keras.Sequential(layers)
    model.compile(optimizer=optimizer, loss=loss, metrics=list(metrics))
    return model


def _model(fn, **kw):
    return lazy(lambda: (fn(**kw),))


_Y3 = np.array([0, 1, 2, 1, 0], dtype=np.int64)
_Y10 = np.arange(10, dtype=np.uint8)
_FLOWERS = np.array(
    [[5.0, 3.4, 1.5, 0.2], [6.1, 2.8, 4.7, 1.2], [7.2, 3.0, 5.8, 1.6], [4.9, 2.5, 4.5, 1.7]],
    dtype="float32",
)
_IMAGES = np.random.default_rng(0).uniform(0, 1, size=(6, 28, 28)).astype("float32")
HIDDEN["a04.ej1"] = [{"y": _Y3, "probe": _FLOWERS}]
HIDDEN["a05.ej2"] = [{"y": _Y10, "probe": _IMAGES}]
_V_IRIS = {"y": _Y3}
_V_FASHION = {"y": _Y10}


def _sce_logits() -> Any:
    return _k().losses.SparseCategoricalCrossentropy(from_logits=True)


def _add_iris_cases(exercise: str, visible: dict[str, Any]) -> None:
    kw = {"visible": visible}
    add(exercise, "sequential", _model(_iris), "pass", **kw)
    add(exercise, "functional", _model(_iris, style="functional"), "pass", **kw)
    add(exercise, "activation_layers", _model(_iris, style="activation_layers"), "pass", **kw)
    add(exercise, "softmax_layer_dropout", _model(_iris, style="softmax_layer"), "pass", **kw)
    add(exercise, "metric_acc", _model(_iris, metrics=("acc",)), "pass", **kw)
    add(
        exercise,
        "metric_object",
        lazy(lambda: (_iris(metrics=(_k().metrics.SparseCategoricalAccuracy(),)),)),
        "pass",
        **kw,
    )
    add(
        exercise,
        "loss_object",
        lazy(lambda: (_iris(loss=_k().losses.SparseCategoricalCrossentropy()),)),
        "pass",
        **kw,
    )
    add(
        exercise,
        "optimizer_object",
        lazy(lambda: (_iris(optimizer=_k().optimizers.Adam(learning_rate=0.01)),)),
        "pass",
        **kw,
    )
    add(exercise, "sigmoid_out", _model(_iris, out="sigmoid"), "fail", "re:sigmoid", **kw)
    add(exercise, "two_units", _model(_iris, n_out=2), "fail", "re:una neurona por clase|3", **kw)
    add(
        exercise,
        "cce_int_labels",
        _model(_iris, loss="categorical_crossentropy"),
        "fail",
        "re:sparse|one-hot",
        **kw,
    )
    add(exercise, "mse", _model(_iris, loss="mse"), "fail", "re:regresion|entropia cruzada", **kw)
    add(exercise, "linear_hidden", _model(_iris, hidden_act=None), "fail", "re:activacion", **kw)
    add(exercise, "not_compiled", _model(_iris, compile=False), "fail", "re:compil", **kw)
    add(exercise, "history_object", lazy(lambda: ({"loss": [1.0]},)), "hostile", "re:modelo", **kw)
    add(exercise, "placeholder", (None,), "not_attempted", **kw)


_add_iris_cases("nb05.ej2", {})
add(
    "nb05.ej2",
    "logits_where_softmax_fixed",
    _model(_iris, out="logits", loss="sparse_categorical_crossentropy"),
    "fail",
    "re:softmax",
)
add("nb05.ej2", "sgd", _model(_iris, optimizer="sgd"), "fail", "re:adam")
add("nb05.ej2", "units_8", _model(_iris, units=8), "fail", "re:16|unidades|neuronas")

_add_iris_cases("a04.ej1", _V_IRIS)
add(
    "a04.ej1",
    "logits_from_logits",
    lazy(lambda: (_iris(out="logits", loss=_sce_logits()),)),
    "pass",
    visible=_V_IRIS,
)
add(
    "a04.ej1",
    "logits_without_from_logits",
    _model(_iris, out="logits"),
    "fail",
    "re:from_logits",
    visible=_V_IRIS,
)
add("a04.ej1", "no_metric", _model(_iris, metrics=()), "fail", "re:accuracy", visible=_V_IRIS)


def _add_fashion_cases(exercise: str, visible: dict[str, Any], *, free: bool) -> None:
    kw = {"visible": visible}
    add(exercise, "sequential", _model(_fashion), "pass", **kw)
    add(exercise, "functional", _model(_fashion, style="functional"), "pass", **kw)
    add(exercise, "activation_layers", _model(_fashion, style="activation_layers"), "pass", **kw)
    add(exercise, "metric_acc", _model(_fashion, metrics=("acc",)), "pass", **kw)
    add(
        exercise,
        "metric_object",
        lazy(lambda: (_fashion(metrics=(_k().metrics.SparseCategoricalAccuracy(),)),)),
        "pass",
        **kw,
    )
    add(
        exercise,
        "loss_object",
        lazy(lambda: (_fashion(loss=_k().losses.SparseCategoricalCrossentropy()),)),
        "pass",
        **kw,
    )
    add(exercise, "no_flatten", _model(_fashion, flatten=False), "fail", "re:flatten", **kw)
    add(exercise, "sigmoid_out", _model(_fashion, out="sigmoid"), "fail", "re:sigmoid", **kw)
    add(
        exercise,
        "cce_int_labels",
        _model(_fashion, loss="categorical_crossentropy"),
        "fail",
        "re:sparse|one-hot",
        **kw,
    )
    add(exercise, "placeholder", (None,), "not_attempted", **kw)
    add(exercise, "string", ("modelo",), "hostile", "re:modelo", **kw)
    if free:
        add(exercise, "two_hidden", _model(_fashion, hidden=(128, 64)), "pass", **kw)
        add(
            exercise,
            "logits_from_logits",
            lazy(lambda: (_fashion(out="logits", loss=_sce_logits()),)),
            "pass",
            **kw,
        )
        add(exercise, "too_big", _model(_fashion, hidden=(512, 256)), "fail", "re:parametros", **kw)
        add(
            exercise,
            "categorical_accuracy",
            lazy(lambda: (_fashion(metrics=(_k().metrics.CategoricalAccuracy(),)),)),
            "fail",
            "re:sparse|one-hot",
            **kw,
        )


_add_fashion_cases("nb07.ej1", {}, free=False)
add("nb07.ej1", "units_128", _model(_fashion, hidden=(128,)), "fail", "re:64|unidades")
_add_fashion_cases("a05.ej2", _V_FASHION, free=True)


# --------------------------------------------------------------------------- #
# callbacks
# --------------------------------------------------------------------------- #
def _cb(kind: str, **kw: Any) -> Any:
    keras = _k()
    if kind == "stop":
        return keras.callbacks.EarlyStopping(**kw)
    path = kw.pop("filepath", "mejor.weights.h5")
    return keras.callbacks.ModelCheckpoint(path, **kw)


def _nb06(stop: dict[str, Any], ckpt: dict[str, Any], order: str = "sc") -> Any:
    def build() -> tuple:
        a, b = _cb("stop", **stop), _cb("ckpt", **ckpt)
        return ([a, b] if order == "sc" else [b, a],)

    return lazy(build)


_STOP6 = {"monitor": "val_loss", "patience": 5, "restore_best_weights": True}
_CK6 = {"monitor": "val_loss", "save_best_only": True, "save_weights_only": True}
add("nb06.ej1", "right", _nb06(_STOP6, _CK6), "pass")
add("nb06.ej1", "right_reversed", _nb06(_STOP6, _CK6, order="cs"), "pass")
add(
    "nb06.ej1",
    "right_keras_file",
    _nb06(_STOP6, {**_CK6, "save_weights_only": False, "filepath": "mejor.keras"}),
    "pass",
)
add("nb06.ej1", "patience_3", _nb06({**_STOP6, "patience": 3}, _CK6), "fail", "re:patience")
add(
    "nb06.ej1",
    "no_restore",
    _nb06({**_STOP6, "restore_best_weights": False}, _CK6),
    "fail",
    "re:restore_best_weights",
)
add("nb06.ej1", "monitor_loss", _nb06({**_STOP6, "monitor": "loss"}, _CK6), "fail", "re:monitor")
add(
    "nb06.ej1",
    "legacy_h5",
    _nb06(_STOP6, {**_CK6, "filepath": "mejor.h5", "save_weights_only": False}),
    "fail",
    "re:weights\\.h5",
)
add(
    "nb06.ej1",
    "not_best_only",
    _nb06(_STOP6, {**_CK6, "save_best_only": False}),
    "fail",
    "re:save_best_only",
)
add("nb06.ej1", "only_stop", lazy(lambda: ([_cb("stop", **_STOP6)],)), "fail", "re:modelcheckpoint")
add("nb06.ej1", "string", ("callbacks",), "hostile", "re:lista")
add("nb06.ej1", "placeholder", (None,), "not_attempted")


def _a05(path: Any, stop: dict[str, Any], ckpt: dict[str, Any]) -> Any:
    def build() -> tuple:
        return (
            path,
            _cb("stop", **stop),
            _cb("ckpt", filepath=path if isinstance(path, str) else "x.weights.h5", **ckpt),
        )

    return lazy(build)


_STOP5 = {"monitor": "val_loss", "patience": 2, "restore_best_weights": True}
_CK5 = {"monitor": "val_loss", "save_best_only": True, "save_weights_only": True}
_P = "mejor_modelo.weights.h5"
add("a05.ej3", "right", _a05(_P, _STOP5, _CK5), "pass")
add(
    "a05.ej3", "right_no_restore", _a05(_P, {**_STOP5, "restore_best_weights": False}, _CK5), "pass"
)
add("a05.ej3", "right_other_name", _a05("pesos/mejor.weights.h5", _STOP5, _CK5), "pass")
add("a05.ej3", "patience_5", _a05(_P, {**_STOP5, "patience": 5}, _CK5), "fail", "re:patience")
add("a05.ej3", "patience_default", _a05(_P, {"monitor": "val_loss"}, _CK5), "fail", "re:patience")
add(
    "a05.ej3",
    "monitor_val_accuracy",
    _a05(_P, {**_STOP5, "monitor": "val_accuracy"}, _CK5),
    "fail",
    "re:val_loss",
)
add(
    "a05.ej3",
    "monitor_loss",
    _a05(_P, {**_STOP5, "monitor": "loss"}, _CK5),
    "fail",
    "re:validacion",
)
add(
    "a05.ej3",
    "not_weights_only",
    lazy(
        lambda: (
            _P,
            _cb("stop", **_STOP5),
            _cb("ckpt", filepath=_P, monitor="val_loss", save_best_only=True),
        )
    ),
    "fail",
    "re:save_weights_only",
)
add(
    "a05.ej3",
    "keras_path",
    lazy(
        lambda: (
            "mejor.keras",
            _cb("stop", **_STOP5),
            _cb("ckpt", filepath="mejor.keras", monitor="val_loss", save_best_only=True),
        )
    ),
    "fail",
    "re:weights\\.h5",
)
add("a05.ej3", "absolute_path", _a05("/tmp/mejor.weights.h5", _STOP5, _CK5), "fail", "re:relativa")
add(
    "a05.ej3",
    "swapped",
    lazy(lambda: (_P, _cb("ckpt", filepath=_P, **_CK5), _cb("stop", **_STOP5))),
    "fail",
    "re:earlystopping|modelcheckpoint",
)
add(
    "a05.ej3",
    "path_number",
    lazy(lambda: (5, _cb("stop", **_STOP5), _cb("ckpt", filepath=_P, **_CK5))),
    "hostile",
    "re:comillas",
)


# --------------------------------------------------------------------------- #
# a03 ej1: a model factory
# --------------------------------------------------------------------------- #
def _xor_factory(kind: str) -> Any:
    def crear_modelo():
        keras = _k()
        if kind == "ok":
            return keras.Sequential(
                [
                    keras.Input(shape=(2,)),
                    keras.layers.Dense(4, activation="tanh"),
                    keras.layers.Dense(1, activation="sigmoid"),
                ]
            )
        if kind == "ok_layers":
            return keras.Sequential(
                [
                    keras.Input(shape=(2,)),
                    keras.layers.Dense(4),
                    keras.layers.Activation("tanh"),
                    keras.layers.Dense(1),
                    keras.layers.Activation("sigmoid"),
                ]
            )
        if kind == "relu":
            return keras.Sequential(
                [
                    keras.Input(shape=(2,)),
                    keras.layers.Dense(4, activation="relu"),
                    keras.layers.Dense(1, activation="sigmoid"),
                ]
            )
        if kind == "units":
            return keras.Sequential(
                [
                    keras.Input(shape=(2,)),
                    keras.layers.Dense(8, activation="tanh"),
                    keras.layers.Dense(1, activation="sigmoid"),
                ]
            )
        if kind == "none":
            keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
            return None
        raise ValueError(kind)

    return crear_modelo


add("a03.ej1", "sequential", _xor_factory("ok"), "pass")
add("a03.ej1", "activation_layers", _xor_factory("ok_layers"), "pass")
add("a03.ej1", "relu_hidden", _xor_factory("relu"), "fail", "re:tanh")
add("a03.ej1", "units_8", _xor_factory("units"), "fail", "re:4|unidades|neuronas")
add("a03.ej1", "returns_none", _xor_factory("none"), "hostile", "re:return")
