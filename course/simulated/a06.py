"""Simulated submissions of a06_cuestionario: typical mistakes and a cheat.

Ten test cells ``test_p01`` ... ``test_p10`` of 1 point each (total 10).
Cells not listed in ``expected`` score full marks.
"""

from __future__ import annotations

from course.simulated.submissions import Variant


def _answer(question: str, old: str, new: str) -> tuple[str, str, str]:
    return (f"{question}_respuesta", f'{question} = "{old}"', f'{question} = "{new}"')


VARIANTS: list[Variant] = [
    Variant(
        name="texto_en_vez_de_letra",
        description="Copia el texto de la opción en lugar de la letra.",
        edits=[("p01_respuesta", 'p01 = "c"', 'p01 = "learning_rate"')],
        expected={"test_p01": 0},
        message_words={"test_p01": ["formato", "opción"]},
    ),
    Variant(
        name="sparse_confundida",
        description="Elige categorical_crossentropy para etiquetas enteras.",
        edits=[_answer("p05", "d", "b")],
        expected={"test_p05": 0},
        message_words={"test_p05": ["one-hot"]},
    ),
    Variant(
        name="sin_sesgos",
        description="Cuenta los pesos de Dense(10) sin los sesgos (7 840).",
        edits=[_answer("p06", "c", "b")],
        expected={"test_p06": 0},
        message_words={"test_p06": ["sesgos"]},
    ),
    Variant(
        name="lr_de_keras2",
        description="Cree que Adam(lr=0.01) sigue valiendo en Keras 3.",
        edits=[_answer("p09", "b", "a")],
        expected={"test_p09": 0},
        message_words={"test_p09": ["learning_rate"]},
    ),
    Variant(
        name="todo_a",
        description="Responde 'a' a todo: el formato es válido, así que pasa las pruebas visibles.",
        edits=[
            _answer(q, k, "a")
            for q, k in zip([f"p{i:02d}" for i in range(1, 11)], "cdcadcdabd", strict=True)
            if k != "a"
        ],
        expected={f"test_p{i:02d}": 0 for i, k in enumerate("cdcadcdabd", start=1) if k != "a"},
        message_words={
            "test_p01": ["epochs"],
            "test_p02": ["Adam"],
            "test_p03": ["softmax"],
            "test_p05": ["binaria"],
            "test_p06": ["784"],
            "test_p07": ["prueba"],
            "test_p09": ["learning_rate"],
            "test_p10": ["derivable"],
        },
        cheat=True,
    ),
]
