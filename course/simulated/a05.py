"""Simulated submissions of a05_fashion_mnist_callbacks: typical mistakes and a cheat.

Points per autograded test cell: test_ej1 1, test_ej2 3, test_ej3 2, test_ej4 2,
test_ej5 2 (total 10; the training-curve plot ``ej6_grafica`` is graded by hand,
2 more points). Cells not listed in ``expected`` score full marks.
"""

from __future__ import annotations

from course.simulated.submissions import Variant

VARIANTS: list[Variant] = [
    Variant(
        name="salida_sigmoide",
        description="Salida de 10 neuronas con sigmoid en lugar de softmax.",
        edits=[
            (
                "ej2_modelo",
                'keras.layers.Dense(10, activation="softmax")',
                'keras.layers.Dense(10, activation="sigmoid")',
            )
        ],
        expected={"test_ej2": 0},
        message_words={"test_ej2": ["sigmoid", "softmax"]},
    ),
    Variant(
        name="sin_flatten",
        description=(
            "Olvida la capa Flatten: las Dense reciben matrices 28 × 28, fit falla y las "
            "predicciones no son clases."
        ),
        edits=[("ej2_modelo", "        keras.layers.Flatten(),\n", "")],
        expected={"test_ej2": 0, "test_ej4": 0, "test_ej5": 0},
        message_words={
            "test_ej2": ["Flatten"],
            "test_ej4": ["historia", "error"],
            "test_ej5": ["exactitud_test", "error"],
        },
    ),
    Variant(
        name="bce_enteros",
        description="Compila con binary_crossentropy y etiquetas enteras de 10 clases: fit falla.",
        edits=[
            (
                "ej2_modelo",
                'loss="sparse_categorical_crossentropy"',
                'loss="binary_crossentropy"',
            )
        ],
        expected={"test_ej2": 0, "test_ej4": 0, "test_ej5": 0},
        message_words={
            "test_ej2": ["binary_crossentropy", "sparse_categorical_crossentropy"],
            "test_ej4": ["historia", "error"],
            "test_ej5": ["exactitud"],
        },
    ),
    Variant(
        name="ruta_h5",
        description=(
            "Ruta del punto de control terminada en .h5: ModelCheckpoint falla en Keras 3 y no "
            "se entrena."
        ),
        edits=[
            (
                "ej3_callbacks",
                'ruta_pesos = "mejor_modelo.weights.h5"',
                'ruta_pesos = "mejor_modelo.h5"',
            )
        ],
        expected={"test_ej3": 0, "test_ej4": 0, "test_ej5": 0},
        message_words={
            "test_ej3": [".weights.h5"],
            "test_ej4": ["historia"],
            "test_ej5": ["exactitud"],
        },
    ),
    Variant(
        name="sin_validacion",
        description="Entrena sin validation_data: no hay val_loss que vigilar ni pesos guardados.",
        edits=[("ej4_entrenar", "    validation_data=(x_val, y_val),\n", "")],
        expected={"test_ej4": 0},
        message_words={"test_ej4": ["validation_data"]},
    ),
    Variant(
        name="predicciones_copiadas",
        description="Copia las etiquetas de prueba como predicciones (exactitud 1.0 sin modelo).",
        edits=[
            (
                "ej5_prediccion",
                "predicciones_test = modelo.predict(x_prueba_n, verbose=0).argmax(axis=1)",
                "predicciones_test = np.array(y_prueba)",
            )
        ],
        expected={"test_ej5": 0},
        message_words={"test_ej5": ["modelo"]},
        cheat=True,
    ),
]
