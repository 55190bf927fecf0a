"""Corpus answers of the exercises that train: a03 ej3-ej4, a04 ej2-ej5, a05 ej4-ej5.

Every answer is built the way a student's cells would build it (a model factory
and a trainer, a trained model and its predictions, a preparation function, a
split and a scaler, callbacks and a weights file) and then checked with the
visible call and the hidden call of ``source_assignments/``. The data are small
so that the whole group trains in about a minute:

- a03: the 4 XOR points, 100 epochs as the statement asks (the hidden test
  needs a final loss of at most 0.1, so the epochs are not cut);
- a04 Iris: the real 150 flowers (scikit-learn's copy), one trained model per
  style, shared by the cases that only change the predictions;
- a04 shipping: a synthetic table with the columns and categories of
  ``Train.csv`` (1 000 orders), so that no data file is needed;
- a05: synthetic 28 × 28 images whose class is a bright band (with 10 % of the
  labels flipped, so that a model is about 90 % accurate and copied labels
  differ from its predictions) and tiny models trained for a few epochs.

Every case here is marked ``slow`` (it trains Keras models); ``tmpdir`` cases
run inside a fresh temporary folder (the weights file of a05 ej4 must be a
relative path).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from .cases import HIDDEN, add, lazy


def _k() -> Any:
    import keras

    return keras


def _seed(value: int = 7) -> None:
    _k().utils.set_random_seed(value)


def _slow(exercise: str, name: str, answers: Any, verdict: str, cause: str | None = None, **kw):
    add(exercise, name, answers, verdict, cause, slow=True, **kw)


# --------------------------------------------------------------------------- #
# a03 ej3: compilar_y_entrenar (hidden: XNOR, final loss <= 0.1, >= 50 epochs)
# --------------------------------------------------------------------------- #
def _xor_data() -> tuple[np.ndarray, np.ndarray]:
    from course.assignments import a03

    return a03.XOR_X, a03.XOR_Y


def _crear_modelo(style: str = "sequential"):
    def crear_modelo():
        keras = _k()
        if style == "activation_layers":
            return keras.Sequential(
                [
                    keras.Input(shape=(2,)),
                    keras.layers.Dense(4),
                    keras.layers.Activation("tanh"),
                    keras.layers.Dense(1),
                    keras.layers.Activation("sigmoid"),
                ]
            )
        return keras.Sequential(
            [
                keras.Input(shape=(2,)),
                keras.layers.Dense(4, activation="tanh"),
                keras.layers.Dense(1, activation="sigmoid"),
            ]
        )

    return crear_modelo


def _trainer(kind: str = "ok"):
    """A student's ``compilar_y_entrenar(modelo, X, y)`` written in one style or with a mistake."""

    def compilar_y_entrenar(modelo, X, y):
        keras = _k()
        optimizer: Any = keras.optimizers.Adam(learning_rate=0.1)
        loss: Any = "binary_crossentropy"
        metrics: list = ["accuracy"]
        epochs = 100
        if kind == "objects":
            loss = keras.losses.binary_crossentropy
            metrics = [keras.metrics.BinaryAccuracy()]
        elif kind == "default_lr":
            optimizer = "adam"
        elif kind == "mse":
            loss = "mse"
        elif kind == "few_epochs":
            epochs = 10
        if kind == "keywords":
            modelo.compile(
                loss=keras.losses.BinaryCrossentropy(),
                optimizer=keras.optimizers.Adam(0.1),
                metrics=["acc"],
            )
            historia = modelo.fit(x=X, y=y, epochs=100, batch_size=4, verbose=0, shuffle=False)
            return historia
        modelo.compile(optimizer=optimizer, loss=loss, metrics=metrics)
        if kind == "globals":
            # trains on the notebook's XOR data whatever it receives
            gx, gy = _xor_data()
            return modelo.fit(gx, gy, epochs=100, verbose=0)
        return modelo.fit(X, y, epochs=epochs, verbose=0)

    return compilar_y_entrenar


@functools.cache
def _xor_trained(style: str = "sequential", trainer: str = "ok") -> tuple:
    """(modelo, historia) of the notebook cell, trained once and shared by several cases."""
    _seed()
    x, y = _xor_data()
    modelo = _crear_modelo(style)()
    return modelo, _trainer(trainer)(modelo, x, y)


def _a03_ej3(trainer: str = "ok", *, style: str = "sequential", variant: str = "") -> Any:
    def build() -> tuple:
        crear = _crear_modelo(style)
        entrenar = _trainer(trainer)
        if variant == "trained_other":
            # `modelo = crear_modelo()` and then another new model was trained
            _, historia = _xor_trained(style, trainer)
            return (crear(), historia, crear, entrenar)
        modelo, historia = _xor_trained(style, "ok" if trainer == "globals" else trainer)
        historia = {
            "": historia,
            "no_return": None,  # the trainer has no `return`: `historia` is None
            "returns_model": modelo,
            "returns_dict": historia.history,
            "history_string": "historia",
        }[variant]
        return (modelo, historia, crear, entrenar)

    return lazy(build)


def _register_a03() -> None:
    x, y = _xor_data()
    HIDDEN["a03.ej3"] = [
        {"heldout": [("XNOR (1 - XOR)", x, 1 - y)], "max_loss": 0.1, "min_epochs": 50}
    ]
    HIDDEN["a03.ej4"] = [{"max_loss": 0.1}]


_register_a03()

_slow("a03.ej3", "reference", _a03_ej3(), "pass")
_slow("a03.ej3", "loss_function_metric_object", _a03_ej3("objects"), "pass")
_slow(
    "a03.ej3",
    "activation_layers_keywords_loss_object_acc",
    _a03_ej3("keywords", style="activation_layers"),
    "pass",
)
_slow("a03.ej3", "default_learning_rate", _a03_ej3("default_lr"), "fail", "re:tasa de aprendizaje")
_slow("a03.ej3", "few_epochs", _a03_ej3("few_epochs"), "fail", "re:epocas")
_slow("a03.ej3", "mse_loss", _a03_ej3("mse"), "fail", "re:binary_crossentropy")
_slow("a03.ej3", "global_data", _a03_ej3("globals"), "fail", "re:variables globales")
_slow("a03.ej3", "no_return", _a03_ej3(variant="no_return"), "fail", "re:no devuelve nada")
_slow("a03.ej3", "returns_model", _a03_ej3(variant="returns_model"), "fail", "re:history")
_slow("a03.ej3", "returns_history_dict", _a03_ej3(variant="returns_dict"), "fail", "re:history")
_slow(
    "a03.ej3",
    "trained_another_model",
    _a03_ej3(variant="trained_other"),
    "fail",
    "re:otro modelo",
)
_slow("a03.ej3", "history_is_text", _a03_ej3(variant="history_string"), "hostile", "re:history")
_slow(
    "a03.ej3",
    "model_is_number",
    lazy(lambda: (3, _xor_trained()[1], _crear_modelo(), _trainer())),
    "hostile",
    "re:crear_modelo",
)
_slow("a03.ej3", "placeholder", (None, None, None, None), "not_attempted")


# --------------------------------------------------------------------------- #
# a03 ej4: the functional model with a skip connection (hidden: loss <= 0.1)
# --------------------------------------------------------------------------- #
def _crear_funcional(kind: str = "ok"):
    def crear_modelo_funcional():
        keras = _k()
        entradas = keras.Input(shape=(2,))
        if kind == "activation_layers":
            oculta = keras.layers.Activation("tanh")(keras.layers.Dense(2)(entradas))
        elif kind == "units_4":
            oculta = keras.layers.Dense(4, activation="tanh")(entradas)
        else:
            oculta = keras.layers.Dense(2, activation="tanh")(entradas)
        if kind == "activation_layers":
            unidas = keras.layers.concatenate([entradas, oculta])
        elif kind == "reversed":
            unidas = keras.layers.Concatenate(axis=-1)([oculta, entradas])
        elif kind == "no_skip":
            salida = keras.layers.Dense(1, activation="sigmoid")(oculta)
            return keras.Model(entradas, salida)
        elif kind == "hidden_twice":
            unidas = keras.layers.Concatenate()([oculta, oculta])
        elif kind == "raises":
            unidas = keras.layers.Concatenate(axis=0)([entradas, keras.layers.Dense(3)(entradas)])
        else:
            unidas = keras.layers.Concatenate()([entradas, oculta])
        if kind == "activation_layers":
            salida = keras.layers.Activation("sigmoid")(keras.layers.Dense(1)(unidas))
        elif kind == "linear_output":
            salida = keras.layers.Dense(1)(unidas)
        else:
            salida = keras.layers.Dense(1, activation="sigmoid")(unidas)
        if kind == "none":
            keras.Model(entradas, salida)
            return None
        return keras.Model(inputs=entradas, outputs=salida, name="xor_funcional")

    return crear_modelo_funcional


def _a03_ej4(kind: str = "ok", *, train: str = "ok", trained: str = "fresh") -> Any:
    """``trained="none"``: answers whose factory fails the check need no training."""

    def build() -> tuple:
        _seed()
        x, y = _xor_data()
        crear = _crear_funcional(kind)
        entrenar = _trainer(train)
        if trained == "sequential":
            modelo = _crear_modelo()()
        elif kind in ("raises", "none"):
            modelo = _crear_funcional()()
        else:
            modelo = crear()
        if trained == "fresh":
            entrenar(modelo, x, y)
        return (crear, modelo, entrenar)

    return lazy(build)


_slow("a03.ej4", "reference", _a03_ej4(), "pass")
_slow(
    "a03.ej4",
    "activation_layers_concatenate_function",
    _a03_ej4("activation_layers", train="keywords"),
    "pass",
)
_slow("a03.ej4", "hidden_first_loss_function", _a03_ej4("reversed", train="objects"), "pass")
_slow(
    "a03.ej4",
    "sequential_factory",
    lazy(lambda: (_crear_modelo(), _crear_modelo()(), _trainer())),
    "fail",
    "re:funcional",
)
_NO_FIT = {"trained": "none"}
_slow(
    "a03.ej4", "no_skip_connection", _a03_ej4("no_skip", **_NO_FIT), "fail", "re:conexion directa"
)
_slow(
    "a03.ej4",
    "hidden_concatenated_twice",
    _a03_ej4("hidden_twice", **_NO_FIT),
    "fail",
    "re:entrada",
)
_slow("a03.ej4", "hidden_4_units", _a03_ej4("units_4", **_NO_FIT), "fail", "re:× 4|unidades")
_slow("a03.ej4", "linear_output", _a03_ej4("linear_output", **_NO_FIT), "fail", "re:sigmoid")
_slow("a03.ej4", "not_trained", _a03_ej4(**_NO_FIT), "fail", "re:compil|entren")
_slow("a03.ej4", "few_epochs", _a03_ej4(train="few_epochs"), "fail", "re:perdida|epocas")
_slow(
    "a03.ej4",
    "trained_sequential",
    _a03_ej4(trained="sequential"),
    "fail",
    "re:conexion directa",
)
_slow("a03.ej4", "factory_raises", _a03_ej4("raises", **_NO_FIT), "hostile", "re:error|forma")
_slow("a03.ej4", "factory_returns_none", _a03_ej4("none", **_NO_FIT), "hostile", "re:return")
_slow(
    "a03.ej4",
    "model_is_text",
    lazy(lambda: (_crear_funcional(), "modelo", _trainer())),
    "hostile",
    "re:modelo_funcional",
)
_slow("a03.ej4", "placeholder", (None, None, None), "not_attempted")


# --------------------------------------------------------------------------- #
# a04 ej2: Iris predictions (hidden: reloaded test split, 0.93, agreement)
# --------------------------------------------------------------------------- #
@functools.cache
def _iris_data() -> tuple:
    from course.datasets import load_iris

    return load_iris()


@functools.cache
def _iris_model(style: str = "sequential", epochs: int = 40) -> Any:
    keras = _k()
    _seed(42)
    (x, y), _ = _iris_data()
    loss: Any = "sparse_categorical_crossentropy"
    if style == "functional":
        inputs = keras.Input(shape=(4,))
        hidden = keras.layers.Dense(16, activation="relu")(inputs)
        model = keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(hidden))
    elif style == "logits":
        model = keras.Sequential(
            [
                keras.Input(shape=(4,)),
                keras.layers.Dense(16, activation="relu"),
                keras.layers.Dense(3),
            ]
        )
        loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    else:
        model = keras.Sequential(
            [
                keras.Input(shape=(4,)),
                keras.layers.Dense(16, activation="relu"),
                keras.layers.Dense(3, activation="softmax"),
            ]
        )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.02), loss=loss, metrics=["accuracy"]
    )
    if epochs:
        model.fit(x, y, epochs=epochs, batch_size=16, verbose=0)
    return model


def _iris_answer(style: str = "sequential", pred: str = "argmax", epochs: int = 40) -> Any:
    def build() -> tuple:
        (x_train, y_train), (x_test, y_test) = _iris_data()
        model = _iris_model(style, epochs)
        probs = np.asarray(model.predict(x_test, verbose=0))
        classes = probs.argmax(axis=1)
        predictions: Any = {
            "argmax": classes,
            "np_argmax_int32": np.argmax(probs, axis=-1).astype("int32"),
            "list": classes.tolist(),
            "float": classes.astype("float64"),
            "column": classes.reshape(-1, 1),
            "probabilities": probs,
            "labels": y_test.copy(),
            "one_based": classes + 1,
            "train_set": np.asarray(model.predict(x_train, verbose=0)).argmax(axis=1),
            "zeros": np.zeros(len(y_test), dtype=int),
            "text": "setosa",
        }[pred]
        return (model, predictions, x_test, y_test)

    return lazy(build)


def _register_a04_ej2() -> None:
    _, (x_test, y_test) = _iris_data()
    HIDDEN["a04.ej2"] = [
        {"heldout": (x_test, y_test), "min_heldout_accuracy": 0.93, "agreement": True}
    ]


_register_a04_ej2()
_slow("a04.ej2", "reference", _iris_answer(), "pass")
_slow("a04.ej2", "argmax_int32", _iris_answer(pred="np_argmax_int32"), "pass")
_slow("a04.ej2", "list", _iris_answer(pred="list"), "pass")
_slow("a04.ej2", "float_classes", _iris_answer(pred="float"), "pass")
_slow("a04.ej2", "column_vector", _iris_answer(pred="column"), "pass")
_slow("a04.ej2", "functional_model", _iris_answer("functional"), "pass")
_slow("a04.ej2", "logits_from_logits", _iris_answer("logits"), "pass")
_slow("a04.ej2", "probabilities", _iris_answer(pred="probabilities"), "fail", "re:argmax")
# a model that misses some test flowers: the copied labels are not its predictions
_slow(
    "a04.ej2",
    "copied_labels",
    _iris_answer(pred="labels", epochs=8),
    "fail",
    "re:copies las etiquetas",
)
_slow("a04.ej2", "one_based_classes", _iris_answer(pred="one_based"), "fail", "re:no sumes 1")
_slow("a04.ej2", "train_set", _iris_answer(pred="train_set"), "fail", "re:forma \\(30,\\)")
_slow("a04.ej2", "always_zero", _iris_answer(pred="zeros"), "fail", "re:siempre la misma clase")
_slow("a04.ej2", "untrained", _iris_answer(epochs=0), "fail", "re:entrena")
_slow("a04.ej2", "under_trained", _iris_answer(epochs=2), "fail", "re:entrena mas epocas")
_slow("a04.ej2", "text", _iris_answer(pred="text"), "hostile", "re:array de 30 clases")
_slow(
    "a04.ej2",
    "model_is_dict",
    lazy(lambda: ({"loss": [1.0]}, _iris_answer()()[1], *_iris_data()[1])),
    "hostile",
    "re:modelo",
)
_slow("a04.ej2", "placeholder", (None, None, None, None), "not_attempted")


# --------------------------------------------------------------------------- #
# a04 ej3-ej5: a synthetic shipping table with the columns of Train.csv
# --------------------------------------------------------------------------- #
_TARGET = "Reached.on.Time_Y.N"
_CATEGORIES = {
    "Warehouse_block": ["A", "B", "C", "D", "F"],
    "Mode_of_Shipment": ["Flight", "Road", "Ship"],
    "Product_importance": ["high", "low", "medium"],
}


@functools.cache
def _shipping(n: int = 1000, seed: int = 5) -> Any:
    import pandas as pd

    rng = np.random.default_rng(seed)
    # as in Train.csv: a discount above 10 is always late, and about 60 % are late
    big = rng.random(n) < 0.45
    discount = np.where(big, rng.integers(11, 66, size=n), rng.integers(1, 11, size=n))
    weight = rng.permutation(np.arange(1000, 1000 + 7 * n, 7))[:n]  # unique rows
    late = np.where(big, 1, (rng.random(n) < 0.27).astype(int))
    frame = pd.DataFrame(
        {
            "ID": np.arange(1, n + 1),
            "Warehouse_block": rng.choice(_CATEGORIES["Warehouse_block"], size=n),
            "Mode_of_Shipment": rng.choice(_CATEGORIES["Mode_of_Shipment"], size=n),
            "Customer_care_calls": rng.integers(2, 8, size=n),
            "Customer_rating": rng.integers(1, 6, size=n),
            "Cost_of_the_Product": rng.integers(96, 311, size=n),
            "Prior_purchases": rng.integers(2, 11, size=n),
            "Product_importance": rng.choice(_CATEGORIES["Product_importance"], size=n),
            "Gender": rng.choice(["F", "M"], size=n),
            "Discount_offered": discount,
            "Weight_in_gms": weight,
            _TARGET: late,
        }
    )
    return frame


def _held_orders() -> Any:
    return _shipping().sample(n=120, random_state=2024).reset_index(drop=True)


def preparar_ok(df):
    import pandas as pd

    X = df.drop(columns=["ID", _TARGET])
    X["Gender"] = X["Gender"].map({"F": 0, "M": 1})
    X = pd.get_dummies(X, columns=list(_CATEGORIES), dtype=float)
    return X, df[_TARGET].to_numpy()


def preparar_ok_bool_dummies(df):
    import pandas as pd

    X = df.copy().drop(columns=["ID", _TARGET])
    X["Gender"] = (X["Gender"] == "M").astype(int)
    return pd.get_dummies(X), df[_TARGET]


def preparar_ok_onehot_encoder(df):
    import pandas as pd
    from sklearn.preprocessing import OneHotEncoder

    encoder = OneHotEncoder(sparse_output=False)
    onehot = encoder.fit_transform(df[list(_CATEGORIES)])
    numbers = df[
        [
            "Customer_care_calls",
            "Customer_rating",
            "Cost_of_the_Product",
            "Prior_purchases",
            "Discount_offered",
            "Weight_in_gms",
        ]
    ]
    gender = df["Gender"].replace({"F": 0, "M": 1}).astype(int)
    X = pd.concat(
        [
            pd.DataFrame(onehot, columns=encoder.get_feature_names_out(), index=df.index),
            numbers,
            gender,
        ],
        axis=1,
    )
    return X, df[[_TARGET]]


def preparar_ok_label_encoder(df):
    import pandas as pd
    from sklearn.preprocessing import LabelEncoder

    datos = df.drop(["ID", _TARGET], axis=1)
    datos["Gender"] = LabelEncoder().fit_transform(datos["Gender"])
    for columna in _CATEGORIES:
        datos = pd.concat([datos.drop(columns=columna), pd.get_dummies(datos[columna])], axis=1)
    return datos.astype("float32"), df[_TARGET].values


def preparar_bad_id(df):
    X, y = preparar_ok(df)
    X["ID"] = df["ID"]
    return X, y


def preparar_bad_target_in_x(df):
    X, y = preparar_ok(df)
    X[_TARGET] = df[_TARGET]
    return X, y


def preparar_bad_gender_inverted(df):
    X, y = preparar_ok(df)
    X["Gender"] = 1 - X["Gender"]
    return X, y


def preparar_bad_drop_first(df):
    import pandas as pd

    X = df.drop(columns=["ID", _TARGET])
    X["Gender"] = X["Gender"].map({"F": 0, "M": 1})
    return pd.get_dummies(X, columns=list(_CATEGORIES), drop_first=True, dtype=float), df[_TARGET]


def preparar_bad_scaled(df):
    from sklearn.preprocessing import StandardScaler

    X, y = preparar_ok(df)
    X[["Cost_of_the_Product", "Weight_in_gms"]] = StandardScaler().fit_transform(
        X[["Cost_of_the_Product", "Weight_in_gms"]]
    )
    return X, y


def preparar_bad_importance_text(df):
    import pandas as pd

    X = df.drop(columns=["ID", _TARGET])
    X["Gender"] = X["Gender"].map({"F": 0, "M": 1})
    X = pd.get_dummies(X, columns=["Warehouse_block", "Mode_of_Shipment"], dtype=float)
    return X, df[_TARGET]


def preparar_bad_importance_ordinal(df):
    import pandas as pd

    X = df.drop(columns=["ID", _TARGET])
    X["Gender"] = X["Gender"].map({"F": 0, "M": 1})
    X["Product_importance"] = X["Product_importance"].map({"low": 0, "medium": 1, "high": 2})
    X = pd.get_dummies(X, columns=["Warehouse_block", "Mode_of_Shipment"], dtype=float)
    return X, df[_TARGET]


def preparar_bad_gender_two_columns(df):
    import pandas as pd

    X = df.drop(columns=["ID", _TARGET])
    return pd.get_dummies(X, dtype=float), df[_TARGET]


def preparar_bad_only_x(df):
    X, _ = preparar_ok(df)
    return X


def preparar_bad_swapped(df):
    X, y = preparar_ok(df)
    return y, X


def preparar_bad_target_inverted(df):
    X, y = preparar_ok(df)
    return X, 1 - y


def preparar_bad_global(df):
    return preparar_ok(_shipping())


def preparar_hostile_keyerror(df):
    X = df.drop(columns=["id"])
    return X, df[_TARGET]


def preparar_hostile_none(df):
    preparar_ok(df)


def preparar_stub(df):
    # TU CÓDIGO AQUÍ
    raise NotImplementedError()


_SHIP_VISIBLE = {"df": None}


def _register_a04_ej3() -> None:
    frame = _shipping()
    _SHIP_VISIBLE["df"] = frame
    HIDDEN["a04.ej3"] = [{"df": frame, "heldout_df": _held_orders()}]
    HIDDEN["a04.ej4"] = [{"partition": True}]
    HIDDEN["a04.ej5"] = [{"agreement": True, "min_model_accuracy": 0.64}]


_register_a04_ej3()
_PREP_CAUSES = {
    "id": "re:`id`",
    "target_in_x": "re:columna objetivo",
    "gender_inverted": "re:f → 1",
    "drop_first": "re:drop_first",
    "scaled": "re:sin cambios|tal cual",
    "importance_text": "re:product_importance.*one-hot|one-hot.*product_importance",
    "importance_ordinal": "re:codifica `product_importance` en one-hot",
    "gender_two_columns": "re:gender` aparece en dos columnas",
    "only_x": "re:return x, y",
    "swapped": "re:orden",
    "target_inverted": "re:sin transformarla",
    "global": "re:variables globales",
}
for _name, _fn in sorted(globals().copy().items()):
    if not _name.startswith("preparar_"):
        continue
    _rest = _name[len("preparar_") :]
    _kw = {"visible": _SHIP_VISIBLE}
    if _rest.startswith("ok"):
        _slow("a04.ej3", _rest, (_fn,), "pass", **_kw)
    elif _rest.startswith("bad_"):
        _slow("a04.ej3", _rest[4:], (_fn,), "fail", _PREP_CAUSES[_rest[4:]], **_kw)
    elif _rest.startswith("hostile_"):
        _slow("a04.ej3", _rest, (_fn,), "hostile", "re:preparar_envios", **_kw)
_slow("a04.ej3", "stub", (preparar_stub,), "not_attempted", visible=_SHIP_VISIBLE)
_slow(
    "a04.ej3", "dataframe", lazy(lambda: (_shipping(),)), "hostile", "re:def", visible=_SHIP_VISIBLE
)


# a04 ej4: split and scaler
def _a04_ej4(kind: str = "ok") -> Any:
    def build() -> tuple:
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import MinMaxScaler, StandardScaler

        X, y = preparar_ok(_shipping())
        size = 0.2 if kind == "test_20" else 0.3
        if kind == "numpy":
            X, y = X.to_numpy(), np.asarray(y)
        xtr, xte, ytr, yte = train_test_split(X, y, test_size=size, shuffle=True, random_state=42)
        if kind == "misaligned":
            ytr, yte = train_test_split(y, test_size=0.3, shuffle=True, random_state=7)
        scaler: Any = MinMaxScaler() if kind == "minmax" else StandardScaler()
        if kind == "leak":
            scaler.fit(X)
            return (X, y, scaler.transform(xtr), scaler.transform(xte), ytr, yte, scaler)
        if kind == "unfitted":
            return (X, y, xtr, xte, ytr, yte, scaler)
        if kind in ("fit_transform", "numpy", "minmax", "test_20", "misaligned"):
            xtr_s = scaler.fit_transform(xtr)
        elif kind == "chained":
            scaler = StandardScaler().fit(xtr)
            xtr_s = scaler.transform(xtr)
        else:
            scaler.fit(xtr)
            xtr_s = scaler.transform(xtr)
        if kind == "refit_test":
            xte_s = scaler.fit_transform(xte)
        elif kind == "test_raw":
            xte_s = xte
        else:
            xte_s = scaler.transform(xte)
        if kind == "train_raw":
            xtr_s = xtr
        return (X, y, xtr_s, xte_s, ytr, yte, scaler)

    return lazy(build)


_slow("a04.ej4", "reference", _a04_ej4(), "pass")
_slow("a04.ej4", "fit_transform_train", _a04_ej4("fit_transform"), "pass")
_slow("a04.ej4", "numpy_arrays", _a04_ej4("numpy"), "pass")
_slow("a04.ej4", "chained_fit", _a04_ej4("chained"), "pass")
_slow("a04.ej4", "leak_fit_all", _a04_ej4("leak"), "fail", "re:fuga de datos")
_slow("a04.ej4", "refit_on_test", _a04_ej4("refit_test"), "fail", "re:volviste a ajustar")
_slow("a04.ej4", "test_not_scaled", _a04_ej4("test_raw"), "fail", "re:escalador\\.transform")
_slow("a04.ej4", "train_not_scaled", _a04_ej4("train_raw"), "fail", "re:estandarizado")
_slow("a04.ej4", "test_size_20", _a04_ej4("test_20"), "fail", "re:test_size=0\\.3")
_slow("a04.ej4", "minmax_scaler", _a04_ej4("minmax"), "fail", "re:standardscaler")
_slow("a04.ej4", "labels_split_apart", _a04_ej4("misaligned"), "fail", "re:misma llamada")
_slow("a04.ej4", "scaler_not_fitted", _a04_ej4("unfitted"), "fail", "re:\\.fit\\(")
_slow(
    "a04.ej4",
    "scaler_is_text",
    lazy(lambda: (*_a04_ej4()()[:6], "StandardScaler")),
    "hostile",
    "re:standardscaler",
)
_slow(
    "a04.ej4",
    "train_is_text",
    lazy(lambda: (*_a04_ej4()()[:2], "x", "y", *_a04_ej4()()[4:])),
    "hostile",
    "re:numeric|numeros",
)
_slow("a04.ej4", "placeholder", (None,) * 7, "not_attempted")


# a04 ej5: the shipping model
@functools.cache
def _shipping_split() -> tuple:
    from sklearn import model_selection, preprocessing

    X, y = preparar_ok(_shipping())
    xtr, xte, ytr, yte = model_selection.train_test_split(
        X, y, test_size=0.3, shuffle=True, random_state=42
    )
    scaler = preprocessing.StandardScaler().fit(xtr)
    return scaler.transform(xtr), scaler.transform(xte), ytr, yte


@functools.cache
def _shipping_model(kind: str = "ok", epochs: int = 8) -> Any:
    keras = _k()
    _seed(3)
    xtr, _, ytr, _ = _shipping_split()
    n = xtr.shape[1]
    out_act: Any = "sigmoid"
    loss: Any = "binary_crossentropy"
    units = 1
    metrics: list = ["accuracy"]
    if kind == "logits":
        out_act, loss = None, keras.losses.BinaryCrossentropy(from_logits=True)
    elif kind == "objects":
        loss, metrics = keras.losses.BinaryCrossentropy(), [keras.metrics.BinaryAccuracy()]
    elif kind == "mse":
        loss = "mse"
    elif kind == "softmax_1":
        out_act = "softmax"
    elif kind == "relu_out":
        out_act = "relu"
    elif kind == "cce":
        loss = "categorical_crossentropy"
    if kind == "functional":
        inputs = keras.Input(shape=(n,))
        h = keras.layers.Dense(16, activation="relu")(inputs)
        model = keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid")(h))
    elif kind == "activation_layers":
        model = keras.Sequential(
            [
                keras.Input(shape=(n,)),
                keras.layers.Dense(16),
                keras.layers.ReLU(),
                keras.layers.Dense(1),
                keras.layers.Activation("sigmoid"),
            ]
        )
    else:
        model = keras.Sequential(
            [
                keras.Input(shape=(n,)),
                keras.layers.Dense(16, activation="relu"),
                keras.layers.Dense(units, activation=out_act),
            ]
        )
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss=loss, metrics=metrics)
    if epochs:
        model.fit(xtr, ytr, epochs=epochs, batch_size=32, verbose=0)
    return model


def _a04_ej5(kind: str = "ok", pred: str = "threshold", epochs: int = 8) -> Any:
    def build() -> tuple:
        _, xte, _, yte = _shipping_split()
        model = _shipping_model(kind, epochs)
        raw = np.asarray(model.predict(xte, verbose=0))
        cut = 0.0 if kind == "logits" else 0.5
        classes = (raw > cut).astype(int).ravel()
        predictions: Any = {
            "threshold": classes,
            "bool": (raw > cut).ravel(),
            "column": (raw > cut).astype("int32"),
            "round": np.round(raw).astype(int).ravel(),
            "where": np.where(raw >= cut, 1, 0).ravel(),
            "probabilities": raw.ravel(),
            "zeros": np.zeros(len(yte), dtype=int),
            "ones": np.ones(len(yte), dtype=int),
            "labels": np.asarray(yte).copy(),
            "text": "tarde",
        }[pred]
        return (model, predictions, xte, yte)

    return lazy(build)


_slow("a04.ej5", "reference", _a04_ej5(), "pass")
_slow("a04.ej5", "bool_predictions", _a04_ej5(pred="bool"), "pass")
_slow("a04.ej5", "column_predictions", _a04_ej5(pred="column"), "pass")
_slow("a04.ej5", "np_round", _a04_ej5(pred="round"), "pass")
_slow("a04.ej5", "np_where", _a04_ej5(pred="where"), "pass")
_slow("a04.ej5", "logits_from_logits", _a04_ej5("logits"), "pass")
_slow("a04.ej5", "loss_metric_objects", _a04_ej5("objects"), "pass")
_slow("a04.ej5", "functional", _a04_ej5("functional"), "pass")
_slow("a04.ej5", "activation_layers", _a04_ej5("activation_layers"), "pass")
_slow("a04.ej5", "probabilities", _a04_ej5(pred="probabilities"), "fail", "re:umbral")
_slow("a04.ej5", "always_on_time", _a04_ej5(pred="zeros"), "fail", "re:siempre la misma clase")
_slow("a04.ej5", "always_late", _a04_ej5(pred="ones"), "fail", "re:siempre la misma clase")
_slow("a04.ej5", "copied_labels", _a04_ej5(pred="labels"), "fail", "re:copies las etiquetas")
_slow("a04.ej5", "mse_loss", _a04_ej5("mse"), "fail", "re:regresion.*entropia cruzada")
_slow("a04.ej5", "softmax_one_unit", _a04_ej5("softmax_1"), "fail", "re:softmax")
_slow(
    "a04.ej5",
    "relu_output",
    _a04_ej5("relu_out"),
    "fail",
    "re:salida `relu` no es una probabilidad",
)
_slow("a04.ej5", "categorical_loss", _a04_ej5("cce"), "fail", "re:binary_crossentropy")
_slow("a04.ej5", "untrained", _a04_ej5(epochs=0), "fail", "re:entrena|fit")
_slow(
    "a04.ej5",
    "wrong_input_width",
    lazy(
        lambda: (
            _iris_model(),
            np.zeros(len(_shipping_split()[3]), dtype=int),
            _shipping_split()[1],
            _shipping_split()[3],
        )
    ),
    "fail",
    "re:entrada|input",
)
_slow("a04.ej5", "text", _a04_ej5(pred="text"), "hostile", "re:clases")
_slow("a04.ej5", "placeholder", (None, None, None, None), "not_attempted")


# --------------------------------------------------------------------------- #
# a05 ej4-ej5: synthetic 28 x 28 images, callbacks and a weights file
# --------------------------------------------------------------------------- #
def _images(n: int, seed: int, *, flip: float = 0.1, shift: int = 0) -> tuple:
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, size=n)
    x = rng.uniform(0.0, 0.3, size=(n, 28, 28)).astype("float32")
    for i, c in enumerate(labels):
        x[i, 2 * c + 2 : 2 * c + 5, :] += 0.7
    noisy = labels.copy()
    flipped = rng.random(n) < flip
    noisy[flipped] = (labels[flipped] + 1 + shift) % 10
    return x, noisy.astype("uint8")


@functools.cache
def _fashion_data() -> dict[str, tuple]:
    return {
        "train": _images(600, 1),
        "val": _images(200, 2),
        # validation whose labels are all shifted: the model gets worse on it
        # every epoch, so the best epoch is the first one
        "val_worse": _images(200, 2, flip=1.0),
        "test": _images(400, 3),
        "heldout": _images(400, 4),
    }


def _fashion_mlp() -> Any:
    keras = _k()
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(0.01),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


_PATH = "mejor_modelo.weights.h5"


def _a05_ej4(kind: str = "ok", *, val: str = "val", restore: bool = False) -> Any:
    """Train with callbacks in the current (temporary) folder, as the notebook does."""

    def build() -> tuple:
        keras = _k()
        _seed(11)
        data = _fashion_data()
        (x, y), (xv, yv) = data["train"], data[val]
        model = _fashion_mlp()
        path = "pesos/mejor.weights.h5" if kind == "subfolder" else _PATH
        stop = keras.callbacks.EarlyStopping(
            monitor="val_loss", patience=2, restore_best_weights=restore
        )
        checkpoint = keras.callbacks.ModelCheckpoint(
            filepath=path, monitor="val_loss", save_best_only=True, save_weights_only=True
        )
        callbacks = [checkpoint, stop] if kind == "reversed" else [stop, checkpoint]
        if kind == "only_stop":
            callbacks = [stop]
        fit: dict[str, Any] = {"epochs": 5, "batch_size": 128, "verbose": 0}
        if kind == "no_validation":
            history = model.fit(x, y, callbacks=callbacks, **fit)
        else:
            if kind == "too_many_epochs":
                fit["epochs"] = 8
                stop.patience = 10
            history = model.fit(x, y, validation_data=(xv, yv), callbacks=callbacks, **fit)
        if kind not in ("forgot_load", "no_validation", "only_stop"):
            model.load_weights(path)
        if kind == "trained_after_load":
            model.fit(x, y, epochs=1, batch_size=128, verbose=0)
        if kind == "history_dict":
            return (history.history, model, path, checkpoint, xv, yv)
        if kind == "history_is_model":
            return (model, model, path, checkpoint, xv, yv)
        if kind == "path_number":
            return (history, model, 5, checkpoint, xv, yv)
        return (history, model, path, checkpoint, xv, yv)

    return lazy(build)


HIDDEN["a05.ej4"] = [{"best_restored": True}]
_TMP = {"tmpdir": True}
_slow("a05.ej4", "reference", _a05_ej4(), "pass", **_TMP)
_slow("a05.ej4", "checkpoint_first", _a05_ej4("reversed"), "pass", **_TMP)
_slow("a05.ej4", "subfolder_path", _a05_ej4("subfolder"), "pass", **_TMP)
_slow("a05.ej4", "best_epoch_first_loaded", _a05_ej4(val="val_worse"), "pass", **_TMP)
_slow(
    "a05.ej4",
    "restore_best_weights_only",
    _a05_ej4("forgot_load", val="val_worse", restore=True),
    "pass",
    **_TMP,
)
_slow(
    "a05.ej4",
    "forgot_load_weights",
    _a05_ej4("forgot_load", val="val_worse"),
    "fail",
    "re:load_weights",
    **_TMP,
)
_slow(
    "a05.ej4",
    "trained_after_load",
    _a05_ej4("trained_after_load"),
    "fail",
    "re:seguido entrenando",
    **_TMP,
)
_slow("a05.ej4", "no_validation", _a05_ej4("no_validation"), "fail", "re:validation_data", **_TMP)
_slow("a05.ej4", "too_many_epochs", _a05_ej4("too_many_epochs"), "fail", "re:epochs=5", **_TMP)
_slow("a05.ej4", "checkpoint_not_passed", _a05_ej4("only_stop"), "fail", "re:callbacks=", **_TMP)
_slow(
    "a05.ej4",
    "history_dict",
    _a05_ej4("history_dict"),
    "fail",
    "re:historia = modelo\\.fit",
    **_TMP,
)
_slow("a05.ej4", "history_is_model", _a05_ej4("history_is_model"), "hostile", "re:history", **_TMP)
_slow("a05.ej4", "path_number", _a05_ej4("path_number"), "hostile", "re:comillas", **_TMP)
_slow("a05.ej4", "placeholder", (None,) * 6, "not_attempted", **_TMP)


# a05 ej5: test accuracy
@functools.cache
def _fashion_trained(epochs: int = 4) -> Any:
    _seed(13)
    model = _fashion_mlp()
    if epochs:
        x, y = _fashion_data()["train"]
        model.fit(x, y, epochs=epochs, batch_size=32, verbose=0)
    return model


def _a05_ej5(pred: str = "argmax", accuracy: str = "mean", epochs: int = 4) -> Any:
    def build() -> tuple:
        x, y = _fashion_data()["test"]
        model = _fashion_trained(epochs)
        probs = np.asarray(model.predict(x, verbose=0))
        classes = probs.argmax(axis=1)
        predictions: Any = {
            "argmax": classes,
            "list": classes.tolist(),
            "probabilities": probs,
            "labels": y.copy(),
            "half": classes[: len(classes) // 2],
        }[pred]
        measured = float(np.mean(classes == y))
        value: Any = {
            "mean": float(np.mean(predictions == y)) if pred in ("argmax", "labels") else measured,
            "numpy": np.mean(classes == y),
            "evaluate": model.evaluate(x, y, verbose=0, return_dict=True)["accuracy"],
            "sklearn": None,
            "typed": 0.9 if abs(measured - 0.9) > 0.01 else 0.8,
            "percent": 100 * measured,
            "text": f"{measured:.3f}",
        }[accuracy]
        if accuracy == "sklearn":
            from sklearn.metrics import accuracy_score

            value = accuracy_score(y, classes)
        return (model, predictions, value, x, y)

    return lazy(build)


HIDDEN["a05.ej5"] = [{"heldout": _fashion_data()["heldout"], "agreement": True}]
_slow("a05.ej5", "reference", _a05_ej5(), "pass")
_slow("a05.ej5", "list_predictions", _a05_ej5("list"), "pass")
_slow("a05.ej5", "numpy_float", _a05_ej5(accuracy="numpy"), "pass")
_slow("a05.ej5", "keras_evaluate", _a05_ej5(accuracy="evaluate"), "pass")
_slow("a05.ej5", "sklearn_accuracy_score", _a05_ej5(accuracy="sklearn"), "pass")
_slow("a05.ej5", "typed_accuracy", _a05_ej5(accuracy="typed"), "fail", "re:no la escribas a mano")
_slow("a05.ej5", "percentage", _a05_ej5(accuracy="percent"), "fail", "re:porcentaje")
_slow("a05.ej5", "probabilities", _a05_ej5("probabilities"), "fail", "re:argmax")
_slow("a05.ej5", "copied_labels", _a05_ej5("labels"), "fail", "re:copies las etiquetas")
_slow("a05.ej5", "half_of_test", _a05_ej5("half"), "fail", "re:una prediccion por ejemplo")
_slow("a05.ej5", "untrained", _a05_ej5(epochs=0), "fail", "re:entrena")
_slow("a05.ej5", "accuracy_text", _a05_ej5(accuracy="text"), "hostile", "re:numero entre 0 y 1")
_slow("a05.ej5", "placeholder", (None,) * 5, "not_attempted")


# --------------------------------------------------------------------------- #
# more hostile values (no training: they stop before any model is used)
# --------------------------------------------------------------------------- #
def preparar_three_values(df):
    X, y = preparar_ok(df)
    return X, y, list(X.columns)


_slow(
    "a04.ej3",
    "returns_three_values",
    (preparar_three_values,),
    "hostile",
    "re:3 valores",
    visible=_SHIP_VISIBLE,
)
_slow(
    "a04.ej3",
    "returns_text",
    (lambda df: ("X", "y"),),
    "hostile",
    "re:numer",
    visible=_SHIP_VISIBLE,
)
_slow(
    "a04.ej4",
    "features_are_text",
    lazy(lambda: ("X_envios", *_a04_ej4()()[1:])),
    "hostile",
    "re:tabla numerica",
)
_slow(
    "a04.ej5",
    "model_is_text",
    lazy(lambda: ("modelo", *_a04_ej5()()[1:])),
    "hostile",
    "re:modelo",
)
_slow(
    "a05.ej5",
    "accuracy_is_bool",
    lazy(lambda: (*_a05_ej5()()[:2], True, *_a05_ej5()()[3:])),
    "hostile",
    "re:numero entre 0 y 1",
)
_slow(
    "a05.ej5",
    "predictions_dict",
    lazy(lambda: (_a05_ej5()()[0], {"clases": [1, 2]}, 0.9, *_a05_ej5()()[3:])),
    "hostile",
    "re:array de 400 clases",
)
_slow(
    "a03.ej4",
    "factory_is_number",
    lazy(lambda: (5, _crear_funcional()(), _trainer())),
    "hostile",
    "re:sea una funcion",
)
