"""Simulated submissions of a03_keras_xor: typical mistakes and a cheat.

Points per test cell: test_ej1 2, test_ej2 1, test_ej3 3, test_ej4 3,
test_ej5 1 (total 10). Cells not listed in ``expected`` score full marks.
"""

from __future__ import annotations

from course.simulated.submissions import Variant

_HAND_WEIGHTS = (
    "modelo.set_weights([np.array([[10.0, 10.0, 0.0, 0.0], [10.0, 10.0, 0.0, 0.0]]), "
    "np.array([-5.0, -15.0, 0.0, 0.0]), np.array([[10.0], [-10.0], [0.0], [0.0]]), "
    "np.array([-5.0])])"
)

VARIANTS: list[Variant] = [
    Variant(
        name="salida_softmax",
        description="Neurona de salida con softmax: con una sola neurona siempre vale 1.",
        edits=[
            (
                "ej1_crear_modelo",
                'keras.layers.Dense(1, activation="sigmoid")',
                'keras.layers.Dense(1, activation="softmax")',
            )
        ],
        expected={"test_ej1": 0, "test_ej3": 0},
        message_words={"test_ej1": ["softmax"], "test_ej3": ["softmax"]},
    ),
    Variant(
        name="perdida_mse",
        description="Compila con el error cuadrático medio (mse) en lugar de la entropía cruzada binaria.",
        edits=[("ej3_entrenar", 'loss="binary_crossentropy"', 'loss="mse"')],
        expected={"test_ej3": 0, "test_ej4": 0},
        message_words={
            "test_ej3": ["mean_squared_error", "pérdida"],
            "test_ej4": ["mean_squared_error", "pérdida"],
        },
    ),
    Variant(
        name="sin_conexion_directa",
        description="El modelo funcional conecta la salida solo a la capa oculta (sin Concatenate).",
        edits=[
            (
                "ej4_funcional",
                'salida = keras.layers.Dense(1, activation="sigmoid")(unidas)',
                'salida = keras.layers.Dense(1, activation="sigmoid")(oculta)',
            )
        ],
        expected={"test_ej4": 0},
        message_words={"test_ej4": ["Concatenate", "conexión directa"]},
    ),
    Variant(
        name="parametros_sin_sesgos",
        description="Cuenta solo los pesos, sin los sesgos (8, 4, 12).",
        edits=[
            ("ej2_parametros", "n_parametros_oculta = 12", "n_parametros_oculta = 8"),
            ("ej2_parametros", "n_parametros_salida = 5", "n_parametros_salida = 4"),
            ("ej2_parametros", "n_parametros_total = 17", "n_parametros_total = 12"),
        ],
        expected={"test_ej2": 0},
        message_words={"test_ej2": ["sesgo"]},
    ),
    Variant(
        name="sin_metrica_accuracy",
        description="Compila sin la métrica `accuracy` que pide el enunciado.",
        edits=[
            (
                "ej3_entrenar",
                '        metrics=["accuracy"],\n',
                "",
            )
        ],
        expected={"test_ej3": 0},
        message_words={"test_ej3": ["accuracy", "métricas"]},
    ),
    Variant(
        name="oculta_relu_funcional",
        description="La capa oculta del modelo funcional usa relu en lugar de tanh.",
        edits=[
            (
                "ej4_funcional",
                'oculta = keras.layers.Dense(2, activation="tanh")(entradas)',
                'oculta = keras.layers.Dense(2, activation="relu")(entradas)',
            )
        ],
        expected={"test_ej4": 0},
        message_words={"test_ej4": ["tanh", "activation"]},
    ),
    Variant(
        name="pesos_a_mano",
        description="Fija a mano unos pesos que resuelven XOR y entrena una sola época para aparentar.",
        edits=[
            (
                "ej3_entrenar",
                "historia = compilar_y_entrenar(modelo, X_xor, y_xor)",
                'modelo.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-6), loss="binary_crossentropy", metrics=["accuracy"])\n'
                + _HAND_WEIGHTS
                + "\nhistoria = modelo.fit(X_xor, y_xor, epochs=1, verbose=0)",
            )
        ],
        expected={"test_ej3": 0},
        message_words={"test_ej3": ["época", "100 épocas"]},
        cheat=True,
    ),
]
