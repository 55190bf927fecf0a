"""Simulated submissions of a01_perceptron: typical mistakes and a cheat.

Points per test cell: test_ej1 1, test_ej2 1, test_ej3 1, test_ej4 1,
test_ej5 2, test_ej6 2, test_ej7 2 (total 10). Cells not listed in
``expected`` score full marks.
"""

from __future__ import annotations

from course.simulated.submissions import Variant

VARIANTS: list[Variant] = [
    Variant(
        name="suma_sin_sesgo",
        description="Olvida sumar el sesgo en la suma ponderada (la neurona hereda el error).",
        edits=[("ej1_suma_ponderada", "return np.dot(w, x) + b", "return np.dot(w, x)")],
        expected={"test_ej1": 0, "test_ej4": 0},
        message_words={"test_ej1": ["suma_ponderada"], "test_ej4": ["neurona"]},
    ),
    Variant(
        name="escalon_estricto",
        description="Escalón con z > 0 en lugar de z >= 0: escalon(0) devuelve 0.",
        edits=[("ej2_escalon", "np.where(z >= 0, 1.0, 0.0)", "np.where(z > 0, 1.0, 0.0)")],
        expected={"test_ej2": 0},
        message_words={"test_ej2": ["escalon", "0.0"]},
    ),
    Variant(
        name="sigmoide_signo",
        description="Sigmoide con el signo del exponente cambiado: 1 / (1 + e^z).",
        edits=[("ej3_sigmoide", "1 / (1 + np.exp(-z))", "1 / (1 + np.exp(z))")],
        expected={"test_ej3": 0, "test_ej4": 0, "test_ej5": 0},
        message_words={
            "test_ej3": ["sigmoide"],
            "test_ej4": ["salida_ejemplo"],
            "test_ej5": ["h"],
        },
    ),
    Variant(
        name="perceptron_sin_sesgo",
        description="La regla del perceptrón no actualiza el sesgo: no puede aprender AND.",
        edits=[("ej6_perceptron", "b = b + tasa * error", "b = b")],
        expected={"test_ej6": 0},
        message_words={"test_ej6": ["AND", "sesgo"]},
    ),
    Variant(
        name="capa_sin_activacion",
        description="La capa devuelve W @ x + b sin aplicar la función de activación.",
        edits=[("ej5_capa", "return activacion(W @ x + b)", "return W @ x + b")],
        expected={"test_ej5": 0},
        message_words={"test_ej5": ["capa"]},
    ),
    Variant(
        name="valores_copiados",
        description="Copia los valores del enunciado (0.999, 0.9526, 0.7216) sin calcularlos.",
        edits=[
            (
                "ej4_neurona",
                "salida_ejemplo = neurona(np.array([2.0, 3.0]), np.array([0.0, 1.0]), 4.0, sigmoide)",
                "salida_ejemplo = 0.999",
            ),
            ("ej5_capa", "h = capa(x_red, W1, b1, sigmoide)", "h = np.array([0.9526, 0.9526])"),
            ("ej5_capa", "salida = float(capa(h, W2, b2, sigmoide)[0])", "salida = 0.7216"),
        ],
        expected={"test_ej4": 0, "test_ej5": 0},
        message_words={"test_ej4": ["salida_ejemplo"], "test_ej5": ["h"]},
        cheat=True,
    ),
]
