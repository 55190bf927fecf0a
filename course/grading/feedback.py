"""The student's feedback page: nbgrader's GenerateFeedback with the course's own template.

nbgrader 0.9 renders feedback with ``HTMLExporter`` and its English ``feedback``
template (``Score``, ``Test cell``, ``Student's answer``, ``(Top)``), loads MathJax
from a CDN and shows every message of a failed check three times (the check's
box, the raw exception and the grading note). This module replaces that page:

- :func:`configure` wires everything into an nbgrader configuration (it is
  called by ``nbgrader_config.py``, so ``course feedback`` and a plain
  ``nbgrader generate_feedback`` produce the same page): the preprocessors, the
  Spanish template shipped in ``course/grading/templates/feedback/`` and
  the Markdown filter below.
- :class:`StudentFeedback` (a preprocessor, after nbgrader's ``GetGrades`` and
  :class:`~course.grading.preprocessors.HideHiddenTests`) gathers what the page
  shows: the student's name from the gradebook, the assignment's and each
  exercise's title from the *source* notebook (the instructor's headings, never
  the student's copy), one verdict per exercise, and the grading note only when
  it says something the check's message does not.
- :func:`markdown2html` renders Markdown like nbconvert's filter, but turns
  every formula into MathML with ``latex2mathml`` (MIT licence, pure Python):
  browsers draw MathML natively, so the page needs no script, no font and no
  network. MathJax or KaTeX would have to be inlined into every page (hundreds
  of kilobytes of script and fonts) to work offline.

nbgrader and nbconvert are imported at module level on purpose: this module is
only imported by nbgrader's configuration and by the feedback step, never by
``import course``.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import jinja2
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbconvert.preprocessors import Preprocessor
from nbformat.notebooknode import NotebookNode
from traitlets import Bool

__all__ = [
    "GENERATOR",
    "NOTE_PREFIX",
    "StudentFeedback",
    "assignment_title",
    "check_feedback_page",
    "clean_title",
    "configure",
    "exercise_titles",
    "latex_to_mathml",
    "markdown2html",
]

#: Folder holding the course's nbconvert template (package data).
TEMPLATES = Path(__file__).with_name("templates")
#: The template's name: nbgrader's own name on purpose, because ``NbGraderAPI.generate_feedback``
#: forces ``HTMLExporter.template_name = "feedback"``; with :data:`TEMPLATES` as the only extra
#: base folder, that name finds the course's template and never nbgrader's English one.
TEMPLATE_NAME = "feedback"
#: Written into every page's ``<meta name="generator">``: proves which template made it.
GENERATOR = "course-feedback"
#: How :mod:`course.grading.autograde` starts the note it writes under a graded cell.
NOTE_PREFIX = "[Corrección] "

#: Spanish labels of a graded cell's verdict (also the CSS class suffix).
STATUS_LABELS = {
    "correct": "Correcto",
    "partial": "Puntuación parcial",
    "incorrect": "Incorrecto",
    "not_attempted": "Sin responder",
    "manual": "Pendiente de revisión manual",
}

#: Active content in HTML a student's code or Markdown produced: never rendered as HTML.
_ACTIVE_HTML = re.compile(
    r"<\s*(script|iframe|object|embed|link|meta|base)\b|<[^>]+\son\w+\s*=|javascript:",
    re.IGNORECASE,
)
_CHECK_BOX = re.compile(r'class="course-check course-check-(correct|incorrect|not_attempted)"')
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
_POINTS = re.compile(r"\s*\((?:[^()]*\bpuntos?\b[^()]*)\)", re.IGNORECASE)


# --------------------------------------------------------------------------- configuration


def configure(c: Any) -> Any:
    """Set the feedback pipeline and template on an nbgrader ``Config``; returns it.

    Used by ``nbgrader_config.py`` (``configure(get_config())``).
    """
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import GetGrades

    from course.grading.preprocessors import HideHiddenTests

    c.GenerateFeedback.preprocessors = [
        GetGrades,
        HideHiddenTests,
        StudentFeedback,
        CSSHTMLHeaderPreprocessor,
    ]
    c.HTMLExporter.template_name = TEMPLATE_NAME
    c.HTMLExporter.extra_template_basedirs = [str(TEMPLATES)]
    c.HTMLExporter.filters = {"markdown2html": markdown2html}
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    return c


def check_feedback_page(page: str) -> str:
    """A Spanish problem with a generated page, or ``""`` when it is the course's page."""
    metas = re.findall(r"<meta\b[^>]*>", page, re.IGNORECASE)
    if not any('name="generator"' in m and f'content="{GENERATOR}"' in m for m in metas):
        return (
            "no se generó con la plantilla del curso (nbgrader_config.py no llama a "
            "course.grading.feedback.configure): copie nbgrader_config.py del proyecto "
            "en la carpeta del curso y repita"
        )
    if re.search(r"<script[^>]+src=", page, re.IGNORECASE):
        return "la página carga un script externo"
    return ""


# --------------------------------------------------------------------------- formulas


def latex_to_mathml(tex: str, display: bool) -> str:
    """One formula as MathML; if ``latex2mathml`` cannot read it, its TeX as code."""
    from latex2mathml.converter import convert

    try:
        mathml = convert(tex.strip(), display="block" if display else "inline")
    except Exception:  # noqa: BLE001 - any parse error: show the source instead
        kind = "math-tex math-tex-block" if display else "math-tex"
        return f'<code class="{kind}">{html.escape(tex.strip())}</code>'
    alt = html.escape(" ".join(tex.split()), quote=True)
    return mathml.replace("<math ", f'<math alttext="{alt}" ', 1)


class _MathMLRenderer(IPythonRenderer):
    """nbconvert's Markdown renderer with formulas rendered as MathML."""

    def block_math(self, body: str) -> str:
        return latex_to_mathml(body, display=True)

    def inline_math(self, body: str) -> str:
        return latex_to_mathml(body, display=False)

    def latex_environment(self, name: str, body: str) -> str:
        return latex_to_mathml(f"\\begin{{{name}}}{body}\\end{{{name}}}", display=True)


@jinja2.pass_context
def markdown2html(context: Any, source: str) -> str:
    """Jinja filter: Markdown to HTML as nbconvert does it, formulas as MathML.

    Cell attachments are embedded as ``data:`` images like nbconvert's own filter;
    headings get no ``¶`` anchor links; Markdown holding scripts or event handlers
    has its HTML escaped (shown as text).
    """
    cell = context.get("cell", {}) or {}
    attachments = cell.get("attachments", {}) if hasattr(cell, "get") else {}
    # Raw HTML is kept (the statements use it) unless it is active content.
    escape = bool(_ACTIVE_HTML.search(source))
    renderer = _MathMLRenderer(escape=escape, attachments=attachments, exclude_anchor_links=True)
    return MarkdownWithMath(renderer=renderer).render(source)


# --------------------------------------------------------------------------- titles


def clean_title(heading: str) -> str:
    """A heading without its points: ``Ejercicio 1 (2 puntos): el modelo`` -> ``Ejercicio 1: el modelo``."""
    text = _POINTS.sub("", heading)
    text = re.sub(r"\s+([:;,.])", r"\1", text)
    text = re.sub(r"[*_`]", "", text)
    return " ".join(text.split()).strip(" :—-") or " ".join(heading.split())


def _headings(source: str) -> list[tuple[int, str]]:
    found = []
    for line in source.splitlines():
        match = _HEADING.match(line)
        if match:
            found.append((len(match.group(1)), match.group(2)))
    return found


def assignment_title(nb: Any) -> str:
    """The first level-1 heading of a notebook (``""`` if it has none)."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            for level, text in _headings(_text(cell.get("source", ""))):
                if level == 1:
                    return clean_title(text)
    return ""


def exercise_titles(nb: Any) -> dict[str, str]:
    """``grade_id`` -> the last heading above that cell (level 2 or deeper), cleaned.

    The assignment's own level-1 heading never counts as an exercise's title.
    """
    titles: dict[str, str] = {}
    current = ""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            for level, text in _headings(_text(cell.get("source", ""))):
                if level >= 2:
                    current = clean_title(text)
        meta = cell.get("metadata", {}).get("nbgrader", {})
        gid = meta.get("grade_id") if isinstance(meta, dict) else None
        if isinstance(gid, str) and current:
            titles[gid] = current
    return titles


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def _normal(text: str) -> str:
    return " ".join(_ANSI.sub("", text).split())


def _points(value: float) -> str:
    """A score the Spanish way: ``1,5``, ``2``."""
    return f"{value:g}".replace(".", ",")


# --------------------------------------------------------------------------- preprocessor


class StudentFeedback(Preprocessor):
    """Prepare an autograded notebook for the course's feedback template.

    Adds ``resources["course_feedback"]`` (student, titles, score, one row per
    graded cell) and ``cell.metadata["course_feedback"]`` on graded and answer
    cells; in test cells, keeps one message per exercise: the check's final box,
    an error only when no box already says it, the grading note only when it
    adds something. Every output and note is screened again for hidden-test
    lines (the gradebook's copy of the source cells).
    """

    enabled = Bool(True).tag(config=True)

    def preprocess(
        self, nb: NotebookNode, resources: dict[str, Any]
    ) -> tuple[NotebookNode, dict[str, Any]]:
        info = resources.get("nbgrader", {})
        student = str(info.get("student", ""))
        assignment = str(info.get("assignment", ""))
        notebook = str(info.get("notebook", ""))
        people, grades, hidden = self._gradebook(info, student, assignment, notebook)
        source = self._source_notebook(assignment, notebook)
        titles = exercise_titles(nb)
        titles.update(exercise_titles(source) if source else {})
        title = (assignment_title(source) if source else "") or assignment_title(nb) or assignment

        rows: list[dict[str, Any]] = []
        current = ""
        for cell in nb.cells:
            cell.metadata.pop("course_feedback", None)
            if cell.cell_type == "markdown":
                for level, text in _headings(cell.source):
                    if level >= 2:
                        current = clean_title(text)
            meta = cell.metadata.get("nbgrader", {})
            gid = meta.get("grade_id")
            if cell.cell_type == "code":
                self._scrub(cell, hidden)
            if not gid:
                continue
            exercise = titles.get(gid) or current or gid
            if meta.get("grade"):
                row = self._graded_cell(cell, gid, exercise, grades.get(gid, {}), hidden)
                rows.append(row)
            elif meta.get("solution"):
                cell.metadata["course_feedback"] = {"role": "answer", "title": exercise}

        name = " ".join(p for p in people if p).strip()
        score = float(info.get("score", sum(r["score"] for r in rows)) or 0.0)
        max_score = float(info.get("max_score", sum(r["points"] for r in rows)) or 0.0)
        resources["course_feedback"] = {
            "generator": GENERATOR,
            "student_id": student,
            "student_name": name,
            "assignment": assignment,
            "assignment_title": title,
            "notebook": notebook,
            "score": _points(round(score, 2)),
            "max_score": _points(round(max_score, 2)),
            "percent": round(100 * score / max_score) if max_score else 0,
            "late_penalty": _points(float(info.get("late_penalty", 0) or 0)),
            "has_late_penalty": float(info.get("late_penalty", 0) or 0) > 0,
            "pending_manual": any(r["status"] == "manual" for r in rows),
            "rows": rows,
        }
        return nb, resources

    # -- trusted data ------------------------------------------------------------------

    def _gradebook(
        self, info: dict[str, Any], student: str, assignment: str, notebook: str
    ) -> tuple[tuple[str, str], dict[str, dict[str, Any]], list[str]]:
        """(first and last name, grade_id -> grade facts, hidden-test lines) from the gradebook."""
        from nbgrader.api import Gradebook, MissingEntry

        from course.grading.scoring import hidden_test_lines

        people: tuple[str, str] = ("", "")
        grades: dict[str, dict[str, Any]] = {}
        hidden: list[str] = []
        db_url = info.get("db_url")
        if not db_url:
            return people, grades, hidden
        with Gradebook(db_url) as gb:
            try:
                record = gb.find_student(student)
                people = (record.first_name or "", record.last_name or "")
            except MissingEntry:
                pass
            try:
                source_nb = gb.find_notebook(notebook, assignment)
                for cell in source_nb.source_cells:
                    if cell.source:
                        hidden.extend(hidden_test_lines(cell.source))
                submission = gb.find_submission_notebook(notebook, assignment, student)
                for grade in submission.grades:
                    grades[grade.name] = {
                        "score": float(grade.score or 0.0),
                        "points": float(grade.max_score or 0.0),
                        "manual": bool(grade.needs_manual_grade),
                    }
            except MissingEntry:
                pass
        return people, grades, hidden

    def _source_notebook(self, assignment: str, notebook: str) -> dict[str, Any] | None:
        """The instructor's source notebook (for titles), or None when it is not there."""
        from nbgrader.coursedir import CourseDirectory

        try:
            coursedir = CourseDirectory(config=self.config)
            folder = Path(coursedir.format_path(coursedir.source_directory, ".", assignment))
            path = folder / f"{notebook}.ipynb"
            if not path.is_file():
                return None
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    # -- cells -------------------------------------------------------------------------

    @staticmethod
    def _scrub(cell: NotebookNode, hidden: list[str]) -> None:
        """Withdraw outputs quoting hidden tests; keep active HTML out of the page.

        A student's output can hold a script (loaded from anywhere) or an event
        handler: such HTML is dropped and the output's other forms (plain text,
        image) are shown instead.
        """
        from course.grading.scoring import scrub_hidden

        outputs = cell.get("outputs", [])
        scrub_hidden(outputs, hidden)
        for output in outputs:
            data = output.get("data")
            if not isinstance(data, dict):
                continue
            data.pop("application/javascript", None)
            for mime in ("text/html", "image/svg+xml", "text/markdown"):
                if mime in data and _ACTIVE_HTML.search(_text(data[mime])):
                    del data[mime]
            if not data:
                data["text/plain"] = "[Salida retirada: contenía código activo (scripts).]"

    def _graded_cell(
        self,
        cell: NotebookNode,
        gid: str,
        exercise: str,
        grade: dict[str, Any],
        hidden: list[str],
    ) -> dict[str, Any]:
        meta = cell.metadata.get("nbgrader", {})
        points = float(grade.get("points", meta.get("points", 0.0)) or 0.0)
        score = float(grade.get("score", meta.get("score", 0.0)) or 0.0)
        manual = bool(meta.get("solution"))  # a written answer, graded by hand
        reason = ""
        kinds: list[str] = []
        if cell.cell_type == "code" and not meta.get("solution"):
            reason, kinds = self._one_message_per_check(cell, hidden)
        if grade.get("manual") or (manual and not grade):
            status = "manual"
        elif points and score >= points:
            status = "correct"
        elif score > 0:
            status = "partial"
        elif "not_attempted" in kinds:
            status = "not_attempted"
        else:
            status = "incorrect"
        row = {
            "anchor": f"celda-{gid}",
            "grade_id": gid,
            "title": exercise,
            "score": score,
            "points": points,
            "score_text": "—" if status == "manual" else _points(round(score, 2)),
            "points_text": _points(round(points, 2)),
            "status": status,
            "status_label": STATUS_LABELS[status],
        }
        cell.metadata["course_feedback"] = {
            "role": "manual" if meta.get("solution") else "test",
            "reason": reason,
            **row,
        }
        return row

    def _one_message_per_check(
        self, cell: NotebookNode, hidden: list[str]
    ) -> tuple[str, list[str]]:
        """Drop repeated messages from a test cell; return (note worth showing, box kinds)."""
        kept: list[Any] = []
        seen: set[str] = set()
        note = ""
        boxes: list[tuple[int, str, str]] = []  # (index in kept, kind, exercise title)
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "stream" and _text(output.get("text")).startswith(NOTE_PREFIX):
                note = _text(output.get("text"))[len(NOTE_PREFIX) :].strip()
                continue
            if kind in ("display_data", "execute_result"):
                data = output.get("data", {})
                plain = _normal(_text(data.get("text/plain", "")))
                key = plain or _normal(_text(data.get("text/html", "")))
                if key and key in seen:
                    continue
                seen.add(key)
                match = _CHECK_BOX.search(_text(data.get("text/html", "")))
                if match:
                    headline = _text(data.get("text/plain", "")).split("\n", 1)[0]
                    title = headline.split(" — ", 1)[1] if " — " in headline else ""
                    boxes.append((len(kept), match.group(1), _normal(title)))
            elif kind == "error":
                key = _normal(_text(output.get("evalue", "")))
                if key and key in seen:
                    continue
                seen.add(key)
            kept.append(output)
        kept, boxes = self._final_verdicts(kept, boxes)
        cell.outputs = kept
        kinds = [k for _i, k, _h in boxes]
        return self._note_to_show(note, kept, kinds, hidden), kinds

    @staticmethod
    def _final_verdicts(
        kept: list[Any], boxes: list[tuple[int, str, str]]
    ) -> tuple[list[Any], list[tuple[int, str, str]]]:
        """Of consecutive boxes of one titled exercise, keep the last (the strictest check).

        A visible check and the hidden one of the same exercise both show a box;
        the student needs the final verdict only. When earlier checks passed and
        the last one failed, the failure box is kept with a sentence saying so.
        """
        drop: set[int] = set()
        passed_before: dict[int, int] = {}
        for (i, kind, head), nxt in zip(boxes, boxes[1:], strict=False):
            j, _kind, next_head = nxt
            if kind == "correct" and head and head == next_head:
                drop.add(i)
                passed_before[j] = passed_before.pop(i, 0) + 1
        result: list[Any] = []
        new_boxes: list[tuple[int, str, str]] = []
        index_map: dict[int, int] = {}
        for i, output in enumerate(kept):
            if i in drop:
                continue
            index_map[i] = len(result)
            result.append(output)
        for i, kind, head in boxes:
            if i in drop:
                continue
            new_boxes.append((index_map[i], kind, head))
            if kind != "correct" and passed_before.get(i):
                result[index_map[i]] = _with_earlier_passes(result[index_map[i]])
        return result, new_boxes

    @staticmethod
    def _note_to_show(note: str, kept: list[Any], kinds: list[str], hidden: list[str]) -> str:
        """The grading note, unless the messages already shown say the same."""
        from course.grading.scoring import REASON_ERROR

        if not note:
            return ""
        # "0 de 2 puntos: <reason>": the score is in the cell's header already.
        reason = note.split(" puntos: ", 1)[1] if " puntos: " in note else note
        reason = reason.strip()
        shown_error = any(o.get("output_type") == "error" for o in kept)
        shown_failure = any(k != "correct" for k in kinds)
        if reason.startswith(REASON_ERROR):
            if shown_error or shown_failure:
                return ""
            # The detail quoted the error (cut at 200 characters): not shown.
            reason = REASON_ERROR
        if any(line in reason for line in hidden):
            return "La prueba falló (el detalle citaba las pruebas ocultas y se ha retirado)."
        reason = reason[:1].upper() + reason[1:]
        return reason if reason.endswith((".", "!", "?", "…")) else reason + "."


def _with_earlier_passes(output: Any) -> Any:
    """A failure box preceded by a sentence: the earlier checks of the exercise passed."""
    import copy

    new = copy.deepcopy(output)
    data = new.get("data", {})
    sentence = (
        "Las comprobaciones anteriores de este ejercicio salieron bien; "
        "esta es la primera que falla."
    )
    if "text/html" in data:
        data["text/html"] = f'<p class="earlier-passes">{html.escape(sentence)}</p>' + _text(
            data["text/html"]
        )
    if "text/plain" in data:
        data["text/plain"] = sentence + "\n" + _text(data["text/plain"])
    return new
