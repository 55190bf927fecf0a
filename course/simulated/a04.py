"""Simulated submissions of a04_iris_y_envios: typical mistakes and a cheat.

Points per test cell: test_ej1 2, test_ej2 2, test_ej3 2, test_ej4 2,
test_ej5 2 (total 10). Cells not listed in ``expected`` score full marks.
"""

from __future__ import annotations

from course.simulated.submissions import Variant

_IRIS_FIT = """historia_iris = modelo_iris.fit(
    x_entreno_iris, y_entreno_iris, epochs=40, batch_size=16, verbose=0
)"""

VARIANTS: list[Variant] = [
    Variant(
        name="iris_sigmoide",
        description="Salida de Iris con sigmoid en lugar de softmax (las probabilidades no suman 1).",
        edits=[
            (
                "ej1_modelo_iris",
                'keras.layers.Dense(3, activation="softmax")',
                'keras.layers.Dense(3, activation="sigmoid")',
            )
        ],
        expected={"test_ej1": 0},
        message_words={"test_ej1": ["sigmoid", "softmax"]},
    ),
    Variant(
        name="iris_categorica_enteros",
        description=(
            "Compila Iris con categorical_crossentropy y etiquetas enteras: fit falla y el "
            "modelo no se entrena."
        ),
        edits=[
            (
                "ej1_modelo_iris",
                'loss="sparse_categorical_crossentropy"',
                'loss="categorical_crossentropy"',
            )
        ],
        expected={"test_ej1": 0, "test_ej2": 0},
        message_words={
            "test_ej1": ["sparse_categorical_crossentropy", "enteras"],
            "test_ej2": ["predicciones_iris"],
        },
    ),
    Variant(
        name="sin_quitar_id",
        description="Deja la columna ID entre las variables del modelo de envíos.",
        edits=[
            (
                "ej3_preparar",
                'X = df.drop(columns=["ID", "Reached.on.Time_Y.N"])',
                'X = df.drop(columns=["Reached.on.Time_Y.N"])',
            )
        ],
        expected={"test_ej3": 0},
        message_words={"test_ej3": ["ID"]},
    ),
    Variant(
        name="escalador_con_todo",
        description=(
            "Ajusta el StandardScaler con todas las filas (entrenamiento + prueba): fuga de datos."
        ),
        edits=[("ej4_reparto", "escalador.fit(x_entreno_env)", "escalador.fit(X_envios)")],
        expected={"test_ej4": 0},
        message_words={"test_ej4": ["fuga", "entrenamiento"]},
    ),
    Variant(
        name="escalador_reajustado_en_prueba",
        description="Usa fit_transform también en la parte de prueba (reajusta el escalador).",
        edits=[
            (
                "ej4_reparto",
                "x_prueba_env = escalador.transform(x_prueba_env)",
                "x_prueba_env = escalador.fit_transform(x_prueba_env)",
            )
        ],
        expected={"test_ej4": 0},
        message_words={"test_ej4": ["prueba", "transform"]},
    ),
    Variant(
        name="predicciones_copiadas",
        description=(
            "No entrena Iris y copia las etiquetas de prueba como predicciones en las dos partes."
        ),
        edits=[
            ("ej2_entrenar_iris", _IRIS_FIT, "historia_iris = None"),
            (
                "ej2_entrenar_iris",
                "predicciones_iris = modelo_iris.predict(x_prueba_iris, verbose=0).argmax(axis=1)",
                "predicciones_iris = np.array(y_prueba_iris)",
            ),
            (
                "ej5_modelo_envios",
                "predicciones_envios = (modelo_envios.predict(x_prueba_env, verbose=0) > 0.5)"
                ".astype(int).ravel()",
                "predicciones_envios = np.array(y_prueba_env)",
            ),
        ],
        expected={"test_ej2": 0, "test_ej5": 0},
        message_words={"test_ej2": ["entrenado"], "test_ej5": ["modelo"]},
        cheat=True,
    ),
]
