"""Grade report and LMS export, read from the course gradebook.

Scores are read through nbgrader's :class:`~nbgrader.api.Gradebook` API; tables
are plain text and ``csv`` (no pandas), the histogram matplotlib (Agg, no display needed).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from course.grading.autograde import GradeRun
from course.grading.coursedir import GradingError
from course.grading.nbgrader_api import gradebook


@dataclass
class AssignmentReport:
    """Summary of one assignment's grades."""

    assignment: str
    max_score: float
    scores: dict[str, float]  # student -> total
    cells: dict[str, dict[str, float]]  # grade_id -> student -> score
    cell_max: dict[str, float]
    ungraded: dict[str, str]  # student -> reason (not graded: no corregida / sin entrega)
    pass_mark: float = 0.5
    # student -> (state, reason), states of course.grading.states
    states: dict[str, tuple[str, str]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)  # grade_id -> exercise title

    def state(self, student: str) -> tuple[str, str]:
        if student in self.states:
            return self.states[student]
        if student in self.ungraded:
            return "no_corregida", self.ungraded[student]
        return "corregida", ""

    def attention(self) -> list[tuple[str, str, str]]:
        """(student, state, reason) of every submission that is not simply graded."""
        rows = []
        for student in sorted(self.scores):
            state, reason = self.state(student)
            if state != "corregida":
                rows.append((student, state, reason))
        return rows

    def graded_scores(self) -> list[float]:
        """Totals of the students whose submission was graded (the statistics use these)."""
        return [v for s, v in self.scores.items() if s not in self.ungraded]

    @property
    def mean(self) -> float:
        values = self.graded_scores()
        return float(sum(values) / len(values)) if values else 0.0

    @property
    def median(self) -> float:
        values = sorted(self.graded_scores())
        if not values:
            return 0.0
        mid = len(values) // 2
        return float(values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2)

    def cell_pass_rates(self) -> dict[str, float]:
        """Fraction of graded students with full marks in each cell."""
        rates: dict[str, float] = {}
        for gid, per_student in self.cells.items():
            graded = [s for s in per_student if s not in self.ungraded]
            full = [s for s in graded if per_student[s] >= self.cell_max[gid] - 1e-9]
            rates[gid] = float(len(full) / len(graded)) if graded else 0.0
        return rates

    def pass_rate(self) -> float:
        graded = [s for s in self.scores if s not in self.ungraded]
        if not graded or not self.max_score:
            return 0.0
        passed = [s for s in graded if self.scores[s] >= self.pass_mark * self.max_score]
        return float(len(passed) / len(graded))


def build_report(course: Path, assignment: str, run: GradeRun | None = None) -> AssignmentReport:
    """Read every submission of ``assignment`` from the gradebook."""
    scores: dict[str, float] = {}
    cells: dict[str, dict[str, float]] = {}
    cell_max: dict[str, float] = {}
    with gradebook(course) as gb:
        try:
            db_assignment = gb.find_assignment(assignment)
        except Exception as exc:
            raise GradingError(
                f"La tarea {assignment} no está en el libro de notas: corrija primero "
                f"con «course grade {assignment}»."
            ) from exc
        max_score = float(db_assignment.max_score)
        for nb in db_assignment.notebooks:
            for cell in nb.grade_cells:
                cell_max[cell.name] = float(cell.max_score)
                cells.setdefault(cell.name, {})
        for submission in db_assignment.submissions:
            student = submission.student.id
            scores[student] = float(submission.score or 0.0)
            for snb in submission.notebooks:
                for grade in snb.grades:
                    cells.setdefault(grade.name, {})[student] = float(grade.score or 0.0)
    from course.grading.states import read_states, review_rows, submission_state

    recorded, review = read_states(course), review_rows(course)
    states = {
        student: submission_state(
            course, assignment, student, submitted=True, recorded=recorded, review=review
        )
        for student in scores
    }
    # ``run`` (this grading's results) is already recorded in estados.csv when published.
    del run
    ungraded = {
        s: reason
        for s, (state, reason) in states.items()
        if state in ("no_corregida", "sin_entrega")
    }
    report = AssignmentReport(
        assignment, max_score, scores, cells, cell_max, ungraded, states=states
    )
    report.titles = exercise_titles(course, assignment)
    return report


def exercise_titles(course: Path, assignment: str) -> dict[str, str]:
    """grade_id -> the title of its exercise, read from the source notebooks.

    The title is the first Markdown heading above the cell (``## Ejercicio 3 —
    ...``), as the student sees it in JupyterLab.
    """
    import json

    from course.grading.coursedir import SOURCE_DIRNAME

    titles: dict[str, str] = {}
    for path in sorted((course / SOURCE_DIRNAME / assignment).glob("*.ipynb")):
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        heading = ""
        for cell in nb.get("cells", []):
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else str(source)
            if cell.get("cell_type") == "markdown":
                for line in source.splitlines():
                    if line.lstrip().startswith("#"):
                        heading = line.lstrip("# ").strip()
                        break
            gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if gid and heading:
                titles[gid] = heading
    return titles


def exercise_label(titles: dict[str, str], grade_id: str, width: int = 60) -> str:
    """«Ejercicio 3 — Preparar los datos (test_ej3)», shortened to ``width``."""
    title = titles.get(grade_id, "")
    if not title:
        return grade_id
    if len(title) + len(grade_id) + 3 > width:
        title = title[: max(10, width - len(grade_id) - 4)].rstrip() + "…"
    return f"{title} ({grade_id})"


def format_table(report: AssignmentReport) -> str:
    """The grade table as plain text (Spanish headings)."""
    from course.grading.states import STATES

    lines = [f"Notas de {report.assignment} (máximo {report.max_score:g} puntos)", ""]
    width = max([len("Estudiante")] + [len(s) for s in report.scores]) + 2
    lines.append(f"{'Estudiante':<{width}}{'Nota':>8}   Estado")
    for student in sorted(report.scores):
        state, _reason = report.state(student)
        shown = "—" if state in ("no_corregida", "sin_entrega") else f"{report.scores[student]:.2f}"
        lines.append(f"{student:<{width}}{shown:>8}   {STATES[state]}")
    graded = len(report.graded_scores())
    lines += [
        "",
        f"Media: {report.mean:.2f}   Mediana: {report.median:.2f}   "
        f"Aprobados (≥ {report.pass_mark:.0%}): {report.pass_rate():.0%}   "
        f"(sobre {graded} entrega(s) corregida(s))",
        "",
        "Porcentaje de la clase con la máxima nota en cada ejercicio (de más difícil a más fácil):",
    ]
    rates = report.cell_pass_rates()
    labels = {gid: exercise_label(report.titles, gid, 56) for gid in rates}
    label_width = max([28] + [len(v) + 2 for v in labels.values()])
    for gid in sorted(rates, key=lambda g: rates[g]):
        bar = "█" * round(rates[gid] * 20)
        lines.append(f"  {labels[gid]:<{label_width}}{rates[gid]:>6.0%}  {bar}")
    lines += ["", *format_attention(report)]
    return "\n".join(lines).rstrip()


def format_attention(report: AssignmentReport) -> list[str]:
    """The end-of-grading table: every submission not simply graded, with its reason."""
    from course.grading.states import STATES

    rows = report.attention()
    if not rows:
        return [f"Todas las entregas de {report.assignment} se corrigieron sin incidencias."]
    ungraded = [s for s, state, _r in rows if state in ("no_corregida", "sin_entrega")]
    lines = [f"Entregas que requieren su atención ({len(rows)}):"]
    if ungraded:
        lines.append(
            f"  (Entregas que no se pudieron corregir: {len(ungraded)}; su nota no se exporta "
            "como 0 salvo con «course export --sin-entrega-cero».)"
        )
    width = max([len("Estudiante")] + [len(s) for s, _st, _r in rows]) + 2
    state_width = max(len(STATES[st]) for _s, st, _r in rows) + 2
    lines.append(f"  {'Estudiante':<{width}}{'Estado':<{state_width}}Motivo")
    for student, state, reason in rows:
        lines.append(f"  {student:<{width}}{STATES[state]:<{state_width}}{reason}")
    if any(state == "retenida" for _s, state, _r in rows):
        lines.append(
            f"  Revise las retenidas con «course review {report.assignment.split('_')[0]}» y "
            "apruebe cada una con «--aprobar ID» para que su nota se exporte."
        )
    return lines


def save_report(report: AssignmentReport, folder: Path) -> tuple[Path, Path]:
    """Write ``<assignment>_notas.csv`` and ``<assignment>_histograma.png``; return both paths."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    folder.mkdir(parents=True, exist_ok=True)
    csv_path = folder / f"{report.assignment}_notas.csv"
    cell_ids = list(report.cell_max)
    with csv_path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["estudiante", "nota", "nota_maxima", "estado", "motivo", *cell_ids])
        for student in sorted(report.scores):
            state, reason = report.state(student)
            writer.writerow(
                [student, f"{report.scores[student]:g}", f"{report.max_score:g}", state, reason]
                + [f"{report.cells[g].get(student, 0.0):g}" for g in cell_ids]
            )
    png_path = folder / f"{report.assignment}_histograma.png"
    fig = Figure(figsize=(7, 4.4), dpi=100)
    ax = fig.add_subplot(1, 1, 1)
    from matplotlib.ticker import MaxNLocator

    values = report.graded_scores()
    counts, _edges, _patches = ax.hist(
        values, bins=histogram_edges(report.max_score), color="#3b7dd8", edgecolor="white"
    )
    ax.axvline(report.mean, color="#d83b3b", linestyle="--", label=f"media = {report.mean:.2f}")
    ax.axvline(
        report.median, color="#2e9e44", linestyle=":", label=f"mediana = {report.median:.2f}"
    )
    title = f"Distribución de notas — {report.assignment} ({len(values)} corregidas"
    title += f", {len(report.ungraded)} sin corregir)" if report.ungraded else ")"
    ax.set_title(title)
    ax.set_xlabel(f"Nota (sobre {report.max_score:g})")
    ax.set_ylabel("Número de estudiantes")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, max(1, int(max(counts, default=0))) + 1)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2, frameon=False)
    fig.tight_layout()
    fig.savefig(png_path)
    return csv_path, png_path


def histogram_edges(max_score: float) -> list[float]:
    """Bin edges for the grade histogram: each bin holds the grades it is labelled with.

    With whole points (up to 20) there is one bin per point, centred on it, so the
    full score has a bin of its own instead of sharing the one below it; otherwise
    20 equal bins on [0, max], the last one closed.
    """
    top = float(max_score or 1)
    if top.is_integer() and top <= 20:
        return [k - 0.5 for k in range(int(top) + 2)]
    return [top * k / 20 for k in range(21)]


def export_grades(
    course: Path,
    dest: Path,
    fmt: str = "csv",
    *,
    scale: float | None = None,
    assignments: list[str] | None = None,
    zero_missing: bool = False,
    echo: Callable[[str], None] | None = None,
) -> Path:
    """Export each assignment's grade per student; say what was left blank and why.

    ``csv``: one row per student, columns ``estudiante``, name, e-mail and one per
    assignment. ``moodle``: Moodle's gradebook CSV import format — an identifier
    column to map to Moodle's *username* field (nbgrader's student id is the
    JupyterHub user name, usually the same), an ``email`` column (from the
    gradebook, or the id itself when it is an e-mail address), and one grade
    column per assignment; decimal point.

    ``scale``: grades out of this number (``10`` -> 0-10) instead of raw points.
    ``assignments``: only these (default: every assignment somebody submitted;
    an assignment nobody submitted gets no column). A grade is exported only
    for a ``corregida`` submission (see :mod:`course.grading.states`); the others
    are left empty, and ``no_corregida`` / ``sin_entrega`` become 0 only with
    ``zero_missing``. ``echo`` receives one Spanish line per state left blank.
    A late penalty recorded by ``course collect`` (:mod:`course.grading.moodle`) is
    subtracted from the grade.
    """
    from course.grading.moodle import late_penalty
    from course.grading.states import STATES, read_states, review_rows, submission_state

    if fmt not in ("csv", "moodle"):
        raise GradingError(f"Formato de exportación desconocido: {fmt}. Use csv o moodle.")
    if scale is not None and not scale > 0:
        raise GradingError(f"--sobre debe ser un número positivo (se recibió {scale:g}).")
    recorded, review = read_states(course), review_rows(course)
    blank: dict[str, list[str]] = {}  # state -> "student (assignment)"
    zeroed: list[str] = []
    with gradebook(course) as gb:
        known = {a.name: a for a in gb.assignments}
        if assignments:
            unknown = [a for a in assignments if a not in known]
            if unknown:
                raise GradingError(
                    f"No hay notas de {', '.join(unknown)} en el libro de notas: corrija "
                    f"primero con «course grade {unknown[0].split('_')[0]}»."
                )
            names = list(assignments)
        else:
            names = sorted(n for n, a in known.items() if a.num_submissions)
        if not names:
            raise GradingError(
                "No hay ninguna entrega corregida que exportar: corrija primero con "
                "«course grade aNN»."
            )
        maxima = {n: float(known[n].max_score or 0.0) for n in names}
        rows = []
        for student in sorted(gb.students, key=lambda s: s.id):
            email = student.email or (student.id if _EMAIL.fullmatch(student.id) else "")
            row = {
                "id": student.id,
                "first": student.first_name or "",
                "last": student.last_name or "",
                "email": email,
            }
            for name in names:
                try:
                    score: float | None = float(gb.find_submission(name, student.id).score or 0.0)
                except Exception:  # nbgrader.api.MissingEntry: no submission
                    score = None
                state, _reason = submission_state(
                    course,
                    name,
                    student.id,
                    submitted=score is not None,
                    recorded=recorded,
                    review=review,
                )
                if state == "corregida" and score is not None:
                    # Late penalty recorded by ``course collect`` (course.grading.moodle).
                    score *= 1 - late_penalty(course, name, student.id)[1] / 100
                if state != "corregida":
                    if zero_missing and state in ("no_corregida", "sin_entrega"):
                        score = 0.0
                        zeroed.append(f"{student.id} ({name})")
                    else:
                        blank.setdefault(state, []).append(f"{student.id} ({name})")
                        score = None
                if score is None:
                    row[name] = ""
                elif scale is not None:
                    row[name] = f"{score / maxima[name] * scale if maxima[name] else 0.0:.2f}"
                else:
                    row[name] = f"{score:.2f}"
            rows.append(row)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with dest.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        if fmt == "moodle":
            writer.writerow(["username", "email", *names])
            for row in rows:
                writer.writerow([row["id"], row["email"], *(row[a] for a in names)])
        else:
            writer.writerow(["estudiante", "nombre", "apellidos", "correo", *names])
            for row in rows:
                writer.writerow(
                    [row["id"], row["first"], row["last"], row["email"], *(row[a] for a in names)]
                )
    say = echo or (lambda _line: None)
    if scale is not None:
        say(f"Notas sobre {scale:g} (la máxima de cada tarea equivale a {scale:g}).")
    else:
        listing = ", ".join(f"{n} sobre {maxima[n]:g}" for n in names)
        say(
            f"Notas en puntos ({listing}): en Moodle, la calificación máxima de cada ítem debe "
            "coincidir, o exporte con «--sobre 10»."
        )
    fixes = {
        "retenida": "hasta que la apruebe con «course review aNN --aprobar ID»",
        "no_corregida": "no se pudieron corregir: vuelva a corregirlas o use --sin-entrega-cero "
        "para exportar un 0",
        "sin_entrega": "no hay nada que corregir: use --sin-entrega-cero para exportar un 0",
    }
    for state in ("retenida", "no_corregida", "sin_entrega"):
        who = blank.get(state, [])
        if who:
            say(
                f"⚠ {len(who)} nota(s) en blanco por estar «{STATES[state]}» ({fixes[state]}): "
                + ", ".join(who)
            )
    if zeroed:
        say(f"⚠ {len(zeroed)} nota(s) exportadas como 0 (--sin-entrega-cero): " + ", ".join(zeroed))
    return dest


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
