"""Grade report and LMS export, read from the course gradebook.

Scores are read through nbgrader's :class:`~nbgrader.api.Gradebook` API; tables
are built with pandas, the histogram with matplotlib (Agg, no display needed).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from course.grading.autograde import GradeRun, gradebook
from course.grading.coursedir import GradingError


@dataclass
class AssignmentReport:
    """Summary of one assignment's grades."""

    assignment: str
    max_score: float
    scores: dict[str, float]  # student -> total
    cells: dict[str, dict[str, float]]  # grade_id -> student -> score
    cell_max: dict[str, float]
    ungraded: dict[str, str]  # student -> reason
    pass_mark: float = 0.5

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
    ungraded = {r.student: r.reason for r in run.failed} if run else {}
    return AssignmentReport(assignment, max_score, scores, cells, cell_max, ungraded)


def format_table(report: AssignmentReport) -> str:
    """The grade table as plain text (Spanish headings)."""
    lines = [f"Notas de {report.assignment} (máximo {report.max_score:g} puntos)", ""]
    width = max([len("Estudiante")] + [len(s) for s in report.scores]) + 2
    lines.append(f"{'Estudiante':<{width}}{'Nota':>8}   Estado")
    for student in sorted(report.scores):
        state = (
            "NO CORREGIDA: " + report.ungraded[student]
            if student in report.ungraded
            else "corregida"
        )
        lines.append(f"{student:<{width}}{report.scores[student]:>8.2f}   {state}")
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
    for gid in sorted(rates, key=lambda g: rates[g]):
        bar = "█" * round(rates[gid] * 20)
        lines.append(f"  {gid:<28}{rates[gid]:>6.0%}  {bar}")
    if report.ungraded:
        lines += ["", "Entregas que no se pudieron corregir:"]
        lines += [f"  - {s}: {reason}" for s, reason in sorted(report.ungraded.items())]
    return "\n".join(lines)


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
        writer.writerow(["estudiante", "nota", "nota_maxima", "estado", *cell_ids])
        for student in sorted(report.scores):
            state = "no_corregida" if student in report.ungraded else "corregida"
            writer.writerow(
                [student, f"{report.scores[student]:g}", f"{report.max_score:g}", state]
                + [f"{report.cells[g].get(student, 0.0):g}" for g in cell_ids]
            )
    png_path = folder / f"{report.assignment}_histograma.png"
    fig = Figure(figsize=(7, 4.4), dpi=100)
    ax = fig.add_subplot(1, 1, 1)
    from matplotlib.ticker import MaxNLocator

    values = report.graded_scores()
    bins = max(5, min(20, int(report.max_score) or 5))
    counts, _edges, _patches = ax.hist(
        values, bins=bins, range=(0, report.max_score or 1), color="#3b7dd8", edgecolor="white"
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


def export_grades(course: Path, dest: Path, fmt: str = "csv") -> Path:
    """Export every assignment's total per student.

    ``csv``: one row per student, columns ``estudiante``, name, e-mail and one per
    assignment. ``moodle``: Moodle's gradebook CSV import format — an identifier
    column to map to Moodle's *username* field (nbgrader's student id is the
    JupyterHub user name, usually the same), an ``email`` column, and one grade
    column per assignment; empty cells for missing submissions, decimal point.
    """
    if fmt not in ("csv", "moodle"):
        raise GradingError(f"Formato de exportación desconocido: {fmt}. Use csv o moodle.")
    with gradebook(course) as gb:
        assignments = sorted(a.name for a in gb.assignments)
        rows = []
        for student in sorted(gb.students, key=lambda s: s.id):
            row = {
                "id": student.id,
                "first": student.first_name or "",
                "last": student.last_name or "",
                "email": student.email or "",
            }
            for assignment in assignments:
                try:
                    row[assignment] = (
                        f"{float(gb.find_submission(assignment, student.id).score):.2f}"
                    )
                except Exception:  # nbgrader.api.MissingEntry: no submission
                    row[assignment] = ""
            rows.append(row)
    withheld = _withheld(course)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with dest.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        if fmt == "moodle":
            writer.writerow(["username", "email", *assignments])
            for row in rows:
                grades = ["" if (row["id"], a) in withheld else row[a] for a in assignments]
                writer.writerow([row["id"], row["email"], *grades])
        else:
            writer.writerow(["estudiante", "nombre", "apellidos", "correo", *assignments])
            for row in rows:
                grades = ["" if (row["id"], a) in withheld else row[a] for a in assignments]
                writer.writerow([row["id"], row["first"], row["last"], row["email"], *grades])
    return dest


def _withheld(course: Path) -> set[tuple[str, str]]:
    """(student, assignment) pairs whose grade is withheld pending review, if any."""
    path = course / "revision.csv"
    if not path.is_file():
        return set()
    with path.open(encoding="utf-8") as fh:
        return {
            (r["estudiante"], r["tarea"])
            for r in csv.DictReader(fh)
            if r.get("estado", "pendiente") == "pendiente"
        }
