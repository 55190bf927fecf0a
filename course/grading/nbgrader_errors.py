"""nbgrader's failures, explained in Spanish with the fix.

nbgrader reports problems in English (a log, often a traceback). Every place the
``course`` commands call nbgrader passes the log through :func:`explain_nbgrader`,
so the instructor reads what happened and what to do; nbgrader's own last error
line follows as the detail.
"""

from __future__ import annotations

import re

from course.grading.hidden import BEGIN as HIDDEN_BEGIN
from course.grading.hidden import END as HIDDEN_END

#: nbgrader's messages (English) -> what happened and the fix, in Spanish.
_NBGRADER_ERRORS: list[tuple[str, str]] = [
    (
        r"no end solution statement|nested begin solution",
        "una celda del cuaderno fuente tiene «### BEGIN SOLUTION» sin su «### END SOLUTION» "
        "(o dos BEGIN seguidos). Solución: cierre cada bloque de solución en el cuaderno fuente.",
    ),
    (
        r"no end hidden tests|nested begin hidden tests",
        f"una celda del cuaderno fuente tiene «### {HIDDEN_BEGIN}» sin su «### {HIDDEN_END}» "
        "(o dos BEGIN seguidos). Solución: cierre cada bloque de pruebas ocultas.",
    ),
    (
        r"Solution region detected in a non-solution cell",
        "hay un bloque «### BEGIN SOLUTION» en una celda que no está marcada como solución. "
        "Solución: márquela como «Autograded answer» en la barra de nbgrader o quite el bloque.",
    ),
    (
        r"Hidden test region detected in a non-grade cell",
        f"hay un bloque «### {HIDDEN_BEGIN}» en una celda que no es de prueba. Solución: "
        "márquela como «Autograder tests» en la barra de nbgrader o quite el bloque.",
    ),
    (
        r"Cannot add or remove cells for notebook",
        "la tarea ya tiene entregas en el libro de notas y el cuaderno fuente añade o quita "
        "celdas calificadas. Solución: deje las celdas calificadas como estaban o publique "
        "la tarea con otro nombre.",
    ),
    (
        r"failed to validate|metadata may be corrupted",
        "los metadatos de nbgrader de un cuaderno están dañados. Solución: revise las celdas "
        "del cuaderno fuente en la barra de nbgrader de JupyterLab.",
    ),
    (
        r"old version of the nbgrader metadata|nbgrader update",
        "el cuaderno usa metadatos de una versión antigua de nbgrader. Solución: haga una copia "
        "del curso y ejecute «nbgrader update .».",
    ),
    (
        r"newer version of the nbgrader metadata",
        "el cuaderno se creó con una versión más nueva de nbgrader. Solución: actualice "
        "nbgrader (pip install -U 'nbgrader>=0.9,<0.10').",
    ),
    (
        r"error accessing the nbgrader database|nbgrader db upgrade",
        "no se pudo leer el libro de notas (gradebook.db). Solución: haga una copia de "
        "gradebook.db y ejecute «nbgrader db upgrade».",
    ),
    (
        r"database is locked",
        "el libro de notas está bloqueado por otra orden en marcha. Solución: espere a que "
        "termine (o ciérrela) y repita.",
    ),
    (
        r"Inconsistent checksums",
        "una celda bloqueada cambió después de publicar la tarea. Solución: publique de nuevo "
        "con «course release aNN --forzar».",
    ),
    (
        r"No notebooks were matched|No submitted file",
        "nbgrader no encontró los cuadernos que esperaba. Solución: compruebe que la carpeta y "
        "los nombres de los cuadernos coinciden con la tarea.",
    ),
    (
        r"Permission denied",
        "falta permiso para escribir en la carpeta del curso. Solución: revise los permisos.",
    ),
]


def explain_nbgrader(log: str) -> str:
    """A Spanish explanation (with the fix) of a failed nbgrader operation.

    The last line of nbgrader's own (English) log follows as the detail.
    """
    lines = [line.strip() for line in log.strip().splitlines() if line.strip()]
    errors = [
        line
        for line in lines
        if re.search(r"(Error|Exception)\b", line) and "NbGraderException" not in line
    ]
    detail = (errors or lines or [""])[-1][:300]
    text = next(
        (t for pattern, t in _NBGRADER_ERRORS if re.search(pattern, log, re.IGNORECASE)),
        "error inesperado de nbgrader. Solución: revise el detalle y el cuaderno fuente.",
    )
    return f"{text}" + (f"\nDetalle (nbgrader, en inglés): {detail}" if detail else "")
