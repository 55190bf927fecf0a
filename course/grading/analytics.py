"""What the class got wrong: mistake analytics and item statistics of one assignment.

Grading classifies every graded cell of every submission (the trusted process
names the recognised mistake, see ``course/checks/_codes.py``; the confirm stage
adds ``correcto``, ``parcial``, ``error_ejecucion``...). The main process alone
stores those outcomes, one JSON file per assignment:
``resultados/<assignment>_errores.json`` in the course folder (student id ->
grade id -> outcome code, and the Spanish label of each code). Nothing leaves the
instructor's machine.

From that file and the gradebook this module builds:

- the table of the most frequent outcomes per exercise (``course grade`` and
  ``course informe aNN`` print it);
- ``<assignment>_errores.csv``: one row per student and exercise;
- ``<assignment>_mapa_errores.png``: a heat map, students × exercises, coloured
  by outcome;
- item statistics (:func:`item_statistics`): difficulty and discrimination per
  exercise, as a table and ``<assignment>_items.png``.
"""

from __future__ import annotations

import contextlib
import csv
import json
import math
import os
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course.checks._codes import (
    CORRECT,
    GENERIC,
    NOT_ANSWERED,
    OTHER,
    PARTIAL,
    RUN_ERROR,
    UNCONFIRMED,
    label_of,
)

#: Folder of the course where the per-assignment outcome files live.
RESULTS_DIRNAME = "resultados"
#: Discrimination below this value is flagged (a common rule of thumb in item analysis).
LOW_DISCRIMINATION = 0.2


# --------------------------------------------------------------------------- storage
def outcomes_path(course: Path, assignment: str) -> Path:
    return course / RESULTS_DIRNAME / f"{assignment}_errores.json"


@dataclass
class ClassOutcomes:
    """The stored outcome of each graded cell of each student of one assignment."""

    assignment: str
    students: dict[str, dict[str, str]]  # student -> grade_id -> outcome code
    labels: dict[str, str]  # outcome code -> Spanish label

    def label(self, code: str) -> str:
        return self.labels.get(code) or label_of(code)


def read_outcomes(course: Path, assignment: str) -> ClassOutcomes:
    """The stored outcomes of ``assignment`` (empty if it was never graded)."""
    path = outcomes_path(course, assignment)
    data: dict[str, Any] = {}
    with contextlib.suppress(OSError, ValueError):
        loaded = json.loads(path.read_text(encoding="utf-8"))
        data = loaded if isinstance(loaded, dict) else {}
    students = {
        str(s): {str(g): str(c) for g, c in cells.items()}
        for s, cells in dict(data.get("estudiantes", {})).items()
        if isinstance(cells, dict)
    }
    labels = {str(k): str(v) for k, v in dict(data.get("etiquetas", {})).items()}
    return ClassOutcomes(assignment, students, labels)


def record_outcomes(course: Path, assignment: str, result: Any) -> None:
    """Store the outcomes of one published result (main process only).

    A result without outcomes (not graded, no submission) removes the student's
    earlier ones, so a stale classification never survives a regrade.
    """
    stored = read_outcomes(course, assignment)
    outcomes = dict(getattr(result, "outcomes", {}) or {})
    if outcomes and result.ok:
        stored.students[result.student] = outcomes
        stored.labels.update(dict(getattr(result, "outcome_labels", {}) or {}))
    else:
        stored.students.pop(result.student, None)
    path = outcomes_path(course, assignment)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "tarea": assignment,
        "estudiantes": dict(sorted(stored.students.items())),
        "etiquetas": dict(sorted(stored.labels.items())),
    }
    fd, tmp = tempfile.mkstemp(prefix=".errores-", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(payload, fh, ensure_ascii=False, indent=1)
    os.replace(tmp, path)


# --------------------------------------------------------------------------- mistakes
@dataclass(frozen=True)
class OutcomeCount:
    code: str
    label: str
    count: int
    share: float  # of the students classified in this exercise


def outcome_counts(outcomes: ClassOutcomes, grade_id: str) -> list[OutcomeCount]:
    """Every outcome of one exercise, most frequent first (``correcto`` included)."""
    codes = [cells[grade_id] for cells in outcomes.students.values() if grade_id in cells]
    total = len(codes)
    counted = Counter(codes).most_common()
    return [OutcomeCount(c, outcomes.label(c), n, n / total) for c, n in counted]


def grade_ids(outcomes: ClassOutcomes, order: list[str] | None = None) -> list[str]:
    """The exercises with stored outcomes, in ``order`` (the notebook's) when given."""
    seen = {g for cells in outcomes.students.values() for g in cells}
    ordered = [g for g in (order or []) if g in seen]
    return ordered + sorted(seen - set(ordered))


def format_mistakes(
    outcomes: ClassOutcomes, titles: dict[str, str], order: list[str] | None = None, top: int = 3
) -> list[str]:
    """The most frequent mistakes of each exercise, with count and percentage (Spanish)."""
    from course.grading.report import exercise_label

    if not outcomes.students:
        return [
            f"No hay errores clasificados de {outcomes.assignment}: corrija la tarea con "
            f"«course grade {outcomes.assignment.split('_')[0]}»."
        ]
    lines = [
        f"Errores más frecuentes por ejercicio ({len(outcomes.students)} entrega(s) corregida(s)):"
    ]
    for gid in grade_ids(outcomes, order):
        counts = outcome_counts(outcomes, gid)
        total = sum(c.count for c in counts)
        right = sum(c.count for c in counts if c.code == CORRECT)
        lines.append(
            f"  {exercise_label(titles, gid, 60)}: {right} de {total} correctas ({right / total:.0%})"
        )
        wrong = [c for c in counts if c.code != CORRECT]
        for item in wrong[:top]:
            lines.append(f"    {item.count:>3}  {item.share:>4.0%}  {item.label}  [{item.code}]")
        if len(wrong) > top:
            rest = sum(c.count for c in wrong[top:])
            more = len(wrong) - top
            lines.append(
                f"    {rest:>3}  {rest / total:>4.0%}  ({more} resultado(s) distinto(s) más)"
            )
    return lines


def save_mistakes_csv(
    outcomes: ClassOutcomes, titles: dict[str, str], folder: Path, order: list[str] | None = None
) -> Path:
    """``<assignment>_errores.csv``: one row per student and exercise."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{outcomes.assignment}_errores.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["estudiante", "celda", "ejercicio", "resultado", "descripcion"])
        for student in sorted(outcomes.students):
            cells = outcomes.students[student]
            for gid in grade_ids(outcomes, order):
                if gid in cells:
                    code = cells[gid]
                    writer.writerow(
                        [student, gid, titles.get(gid, gid), code, outcomes.label(code)]
                    )
    return path


#: Heat-map colour of each kind of outcome (recognised mistakes share one colour).
_COLOURS = {
    CORRECT: "#2e9e44",
    PARTIAL: "#a6d96a",
    "catalogado": "#f08c00",
    OTHER: "#c62828",
    NOT_ANSWERED: "#bdbdbd",
    RUN_ERROR: "#6a3d9a",
    UNCONFIRMED: "#1f78b4",
}
_KIND_LABELS = {
    CORRECT: "correcto",
    PARTIAL: "puntuación parcial",
    "catalogado": "error reconocido (código en la casilla)",
    OTHER: "otro error",
    NOT_ANSWERED: "sin responder",
    RUN_ERROR: "error de ejecución",
    UNCONFIRMED: "no confirmada (en revisión)",
}


def _kind(code: str) -> str:
    return code if code in GENERIC else "catalogado"


def _short(gid: str) -> str:
    return gid.removeprefix("test_")


def _wrapped(code: str, width: int = 12) -> str:
    """The mistake's own part of a code, broken at ``_`` to fit in a heat-map cell."""
    words = code.rsplit(".", 1)[-1].split("_")
    lines = [words[0]]
    for word in words[1:]:
        if len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += "_" + word
        else:
            lines.append("_" + word)
    return "\n".join(lines)


def save_heatmap(outcomes: ClassOutcomes, folder: Path, order: list[str] | None = None) -> Path:
    """``<assignment>_mapa_errores.png``: students (rows) × exercises (columns) by outcome."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.colors import ListedColormap
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{outcomes.assignment}_mapa_errores.png"
    students = sorted(outcomes.students)
    gids = grade_ids(outcomes, order)
    kinds = list(_COLOURS)
    matrix = [
        [kinds.index(_kind(outcomes.students[s].get(g, NOT_ANSWERED))) for g in gids]
        for s in students
    ]
    width = min(18.0, 5.0 + 1.5 * max(1, len(gids)))
    height = min(30.0, 2.6 + 0.38 * max(1, len(students)))
    fig = Figure(figsize=(width, height), dpi=100)
    ax = fig.add_subplot(1, 1, 1)
    if students and gids:
        ax.imshow(
            matrix,
            cmap=ListedColormap([_COLOURS[k] for k in kinds]),
            vmin=-0.5,
            vmax=len(kinds) - 0.5,
            aspect="auto",
            interpolation="nearest",
        )
        for i, student in enumerate(students):
            for j, gid in enumerate(gids):
                code = outcomes.students[student].get(gid, "")
                if code and code not in GENERIC:
                    ax.text(j, i, _wrapped(code), ha="center", va="center", fontsize=7)
    ax.set_xticks(range(len(gids)), [_short(g) for g in gids])
    ax.set_yticks(range(len(students)), students)
    ax.set_xticks([x - 0.5 for x in range(1, len(gids))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(students))], minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)
    ax.set_xlabel("Ejercicio")
    ax.set_ylabel("Estudiante")
    ax.set_title(f"Resultado de cada ejercicio — {outcomes.assignment}")
    present = {_kind(c) for cells in outcomes.students.values() for c in cells.values()}
    handles = [Patch(facecolor=_COLOURS[k], label=_KIND_LABELS[k]) for k in kinds if k in present]
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
        fontsize=8,
    )
    fig.tight_layout()
    fig.savefig(path)
    return path


# --------------------------------------------------------------------------- item statistics
@dataclass(frozen=True)
class ItemStatistic:
    """Difficulty and discrimination of one exercise.

    ``difficulty`` is the mean score divided by the maximum (1 = everyone got full
    marks: an *easy* item, as in classical test theory's p-value).
    ``discrimination`` is the corrected item–rest correlation: the Pearson
    correlation between the item's score and the total of the *other* items, so
    the item does not correlate with itself; ``None`` when it is undefined (the
    item or the rest has zero variance, or fewer than 3 students).
    """

    grade_id: str
    students: int
    difficulty: float
    discrimination: float | None
    reason: str = ""  # why the discrimination is undefined (Spanish)

    @property
    def low(self) -> bool:
        return self.discrimination is not None and self.discrimination < LOW_DISCRIMINATION


def _pearson(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return sxy / math.sqrt(sxx * syy)


def item_statistics(
    cells: dict[str, dict[str, float]], cell_max: dict[str, float], students: list[str]
) -> list[ItemStatistic]:
    """Difficulty and corrected item–rest discrimination of each item, over ``students``.

    ``cells`` is grade_id -> student -> score (a missing score counts 0),
    ``students`` the graded students (ungraded submissions are left out).
    Plain Python: a few dozen students and items need no NumPy.
    """
    stats: list[ItemStatistic] = []
    gids = [g for g in cell_max if cell_max[g] > 0]
    totals = {s: sum(cells.get(g, {}).get(s, 0.0) for g in gids) for s in students}
    for gid in gids:
        item = [cells.get(gid, {}).get(s, 0.0) for s in students]
        n = len(item)
        if n == 0:
            stats.append(ItemStatistic(gid, 0, 0.0, None, "ninguna entrega corregida"))
            continue
        difficulty = sum(item) / n / cell_max[gid]
        rest = [totals[s] - v for s, v in zip(students, item, strict=True)]
        reason = ""
        disc: float | None = None
        if n < 3:
            reason = "menos de 3 entregas"
        elif max(item) - min(item) <= 1e-12:
            reason = "todos tienen la misma nota en este ejercicio"
        else:
            disc = _pearson(item, rest)
            if disc is None:
                reason = "todos tienen la misma nota en el resto de la tarea"
        stats.append(ItemStatistic(gid, n, difficulty, disc, reason))
    return stats


def format_items(stats: list[ItemStatistic], titles: dict[str, str]) -> list[str]:
    """The item-statistics table (Spanish)."""
    from course.grading.report import exercise_label

    lines = [
        "Estadística de ítems (dificultad = nota media / máximo; discriminación = "
        "correlación del ejercicio con el resto de la tarea):",
    ]
    labels = {s.grade_id: exercise_label(titles, s.grade_id, 52) for s in stats}
    width = max([30] + [len(v) + 2 for v in labels.values()])
    lines.append(f"  {'Ejercicio':<{width}}{'Dificultad':>11}{'Discriminación':>16}  Aviso")
    for s in stats:
        disc = "—" if s.discrimination is None else f"{s.discrimination:+.2f}"
        if s.discrimination is None:
            note = f"indefinida: {s.reason}"
        elif s.low:
            note = f"baja (< {LOW_DISCRIMINATION:g}): no separa a quien domina la tarea"
        else:
            note = ""
        lines.append(f"  {labels[s.grade_id]:<{width}}{s.difficulty:>11.2f}{disc:>16}  {note}")
    return lines


def save_items_plot(stats: list[ItemStatistic], assignment: str, folder: Path) -> Path:
    """``<assignment>_items.png``: difficulty and discrimination of each exercise."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{assignment}_items.png"
    names = [_short(s.grade_id) for s in stats]
    y = list(range(len(stats)))
    fig = Figure(figsize=(10, 1.6 + 0.45 * max(1, len(stats))), dpi=100)
    left, right = fig.subplots(1, 2, sharey=True)
    left.barh(y, [s.difficulty for s in stats], color="#3b7dd8")
    for yi, s in zip(y, stats, strict=True):
        inside = s.difficulty > 0.86
        left.text(
            s.difficulty - 0.02 if inside else s.difficulty + 0.02,
            yi,
            f"{s.difficulty:.2f}",
            va="center",
            ha="right" if inside else "left",
            fontsize=8,
            color="white" if inside else "#1a1a1a",
        )
    left.set_xlim(0, 1)
    left.set_xlabel("Dificultad (nota media / máximo; 1 = todos aciertan)")
    left.set_yticks(y, names)
    left.invert_yaxis()
    left.set_title("Dificultad")
    colours = [
        "#bdbdbd" if s.discrimination is None else ("#d83b3b" if s.low else "#2e9e44")
        for s in stats
    ]
    right.barh(y, [s.discrimination or 0.0 for s in stats], color=colours)
    right.axvline(LOW_DISCRIMINATION, color="#d83b3b", linestyle="--", linewidth=1)
    right.axvline(0, color="#555555", linewidth=0.8)
    right.set_xlim(-1, 1.15)
    right.set_xlabel("Discriminación (correlación ítem-resto)")
    right.set_title(f"Discriminación (rojo: < {LOW_DISCRIMINATION:g}; gris: indefinida)")
    for yi, s in zip(y, stats, strict=True):
        if s.discrimination is None:
            right.text(0.03, yi, "indefinida", va="center", fontsize=8, color="#555555")
        else:
            x = s.discrimination + (0.03 if s.discrimination >= 0 else -0.03)
            side = "left" if s.discrimination >= 0 else "right"
            right.text(x, yi, f"{s.discrimination:+.2f}", va="center", ha=side, fontsize=8)
    fig.suptitle(
        f"Estadística de ítems — {assignment} ({stats[0].students if stats else 0} entregas)"
    )
    fig.tight_layout()
    fig.savefig(path)
    return path


# --------------------------------------------------------------------------- the report
@dataclass(frozen=True)
class AnalyticsFiles:
    csv: Path
    heatmap: Path
    items: Path


def analytics_lines(course: Path, report: Any) -> list[str]:
    """The mistake table and the item-statistics table of ``report``'s assignment."""
    outcomes = read_outcomes(course, report.assignment)
    order = list(report.cell_max)
    graded = [s for s in report.scores if s not in report.ungraded]
    stats = item_statistics(report.cells, report.cell_max, sorted(graded))
    return [
        *format_mistakes(outcomes, report.titles, order),
        "",
        *format_items(stats, report.titles),
    ]


def save_analytics(course: Path, report: Any, folder: Path) -> AnalyticsFiles:
    """Write the mistakes CSV, the heat map and the item-statistics figure."""
    outcomes = read_outcomes(course, report.assignment)
    order = list(report.cell_max)
    graded = [s for s in report.scores if s not in report.ungraded]
    stats = item_statistics(report.cells, report.cell_max, sorted(graded))
    return AnalyticsFiles(
        save_mistakes_csv(outcomes, report.titles, folder, order),
        save_heatmap(outcomes, folder, order),
        save_items_plot(stats, report.assignment, folder),
    )
