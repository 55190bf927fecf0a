"""Simulated submissions of a02_activaciones_y_perdidas: typical mistakes and a cheat.

Points per test cell: test_ej1 1, test_ej2 1, test_ej3 1, test_ej4 1,
test_ej5 2, test_ej6 1, test_ej7 2, test_ej8 1, test_ej9 2 (total 12).
Cells not listed in ``expected`` score full marks.
"""

from __future__ import annotations

from course.simulated.submissions import Variant

VARIANTS: list[Variant] = [
    Variant(
        name="softmax_inestable",
        description="Softmax sin restar el máximo: con entradas grandes da nan.",
        edits=[
            (
                "ej5_softmax",
                "np.exp(z - np.max(z, axis=-1, keepdims=True))",
                "np.exp(z)",
            )
        ],
        expected={"test_ej5": 0},
        message_words={"test_ej5": ["softmax", "máximo"]},
    ),
    Variant(
        name="bce_sin_recorte",
        description="Entropía cruzada binaria sin np.clip: log(0) con probabilidades 0 o 1.",
        edits=[
            (
                "ej7_bce",
                "p = np.clip(np.asarray(y_pred, dtype=float), eps, 1.0 - eps)",
                "p = np.asarray(y_pred, dtype=float)",
            )
        ],
        expected={"test_ej7": 0},
        message_words={"test_ej7": ["bce", "np.clip"]},
    ),
    Variant(
        name="mae_sin_valor_absoluto",
        description="MAE sin valor absoluto: los errores de signo contrario se compensan.",
        edits=[
            (
                "ej6_regresion",
                "np.mean(np.abs(np.asarray(y_true) - np.asarray(y_pred)))",
                "np.mean(np.asarray(y_true) - np.asarray(y_pred))",
            )
        ],
        expected={"test_ej6": 0},
        message_words={"test_ej6": ["mae"]},
    ),
    Variant(
        name="tanh_exponenciales",
        description="Tangente hiperbólica con cuatro exponenciales: inf/inf = nan con z = ±1000.",
        edits=[
            (
                "ej2_tanh",
                "return 2.0 * sigmoide(2.0 * z) - 1.0",
                "return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))",
            )
        ],
        expected={"test_ej2": 0},
        message_words={"test_ej2": ["tangente_hiperbolica", "nan"]},
    ),
    Variant(
        name="spam_con_mse",
        description="Elige el error cuadrático medio (MSE) como pérdida para el problema binario.",
        edits=[
            (
                "ej9_escenarios",
                'escenario_spam = ("sigmoid", "binary_crossentropy")',
                'escenario_spam = ("sigmoid", "mse")',
            )
        ],
        expected={"test_ej9": 0},
        message_words={"test_ej9": ["escenario_spam", "entropía cruzada"]},
    ),
    Variant(
        name="valores_copiados",
        description="Copia los valores de ejemplo redondeados en lugar de calcularlos.",
        edits=[
            (
                "ej5_softmax",
                "softmax_ejemplo = softmax(np.array([1.0, 2.0, 3.0]))",
                "softmax_ejemplo = np.array([0.0900, 0.2447, 0.6652])",
            ),
            (
                "ej7_bce",
                "bce_ejemplo = bce(np.array([1.0, 0.0, 1.0]), np.array([0.9, 0.2, 0.7]))",
                "bce_ejemplo = 0.2284",
            ),
        ],
        expected={"test_ej5": 0, "test_ej7": 0},
        message_words={"test_ej5": ["softmax_ejemplo"], "test_ej7": ["bce_ejemplo"]},
        cheat=True,
    ),
]
