"""What students receive: a release without solutions or keys, feedback without hidden
tests, and `nbgrader validate` telling a solution from a mistake."""

from __future__ import annotations

import json
import re

import harness
import pytest

pytestmark = pytest.mark.nbgrader

MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")


def _release_text(graded: harness.GradedAssignment) -> str:
    return (graded.release_dir / f"{graded.assignment_id}.ipynb").read_text(encoding="utf-8")


def test_release_has_no_markers(assignment_id, graded_course):
    text = _release_text(graded_course(assignment_id))
    for marker in MARKERS:
        assert marker not in text


def test_release_has_no_solution_code_hidden_tests_or_keys(assignment_id, graded_course):
    """No line of a solution region or of a hidden-test region (where the answer
    keys and held-out inputs live) appears anywhere in the released notebook."""
    graded = graded_course(assignment_id)
    secret = harness.hidden_lines(graded.source_nb)
    assert secret, "the source notebook has no solution or hidden-test lines to look for"
    released_sources = "\n".join(c.source for c in graded.release_nb.cells if c.cell_type == "code")
    leaked = [line for line in secret if line in released_sources]
    assert not leaked, f"released notebook contains: {leaked[:5]}"


def test_release_uses_spanish_stub_and_has_no_outputs(assignment_id, graded_course):
    graded = graded_course(assignment_id)
    solution_cells = [
        c for c in graded.release_nb.cells if c.metadata.get("nbgrader", {}).get("solution")
    ]
    code_cells = [c for c in solution_cells if c.cell_type == "code"]
    assert code_cells and all("# TU CÓDIGO AQUÍ" in c.source for c in code_cells)
    assert all(not c.get("outputs") for c in graded.release_nb.cells if c.cell_type == "code")


def test_feedback_has_no_hidden_test_code(assignment_id, graded_course):
    graded = graded_course(assignment_id)
    # Distinctive lines only: an argument line such as `softmax_ejemplo,` also
    # occurs in the statement's prose.
    hidden = [
        line
        for line in harness.hidden_lines(graded.source_nb, regions=("HIDDEN TESTS",))
        if len(line) >= 12 and not re.fullmatch(r"[\w.]+,", line)
    ]
    assert hidden, "the assignment has no hidden tests"
    for student, page in graded.feedback_html.items():
        text = harness.plain_text(page)
        assert "HIDDEN TESTS" not in text, student
        leaked = [line for line in hidden if line in text]
        assert not leaked, f"feedback of {student} shows hidden code: {leaked[:3]}"


def test_feedback_shows_scores_and_spanish_messages(assignment_id, graded_course):
    """The course's Spanish page: every exercise by its title, each message once."""
    graded = graded_course(assignment_id)
    page = graded.feedback_html[harness.BLANK]
    text = harness.plain_text(page)
    assert "Sin responder" in text and "Puntos por ejercicio" in text
    for label in ("Score", "Test cell", "Student's answer", "(Top)"):
        assert label not in text
    assert "$$" not in page and "mathjax" not in page.lower()
    summary = text.split("Puntos por ejercicio", 1)[1].split("Total", 1)[0]
    for grade_id in graded.max_points:
        assert grade_id not in summary, f"{grade_id} shown instead of the exercise's title"
    # The blank notebook fails each check once: its message is not repeated.
    lines = harness.plain_text(re.sub(r"<[^>]+>", "\n", page))
    headlines = set(re.findall(r"… Sin responder — [^\n]+", lines))
    assert headlines
    for headline in headlines:
        shown = re.findall(re.escape(headline) + r"(?!\w)", lines)
        assert len(shown) == 1, f"{headline!r} is shown {len(shown)} times"


def test_validate_passes_the_solution(assignment_id, graded_course, validated):
    graded = graded_course(assignment_id)
    assert validated(graded, harness.SOLUTION) == {}


def test_validate_reports_failures_on_a_mistake(assignment_id, graded_course, validated):
    """The first typical mistake that a visible test can see (variants are
    validated in order) is reported by `nbgrader validate` with its message."""
    graded = graded_course(assignment_id)
    for mistake in (v for v in graded.variants if not v.cheat):
        result = validated(graded, mistake.name)
        if result:
            break
    assert result.get("failed"), json.dumps(result, ensure_ascii=False)[:1000]
    assert any("Incorrecto" in f.get("raw_error", "") for f in result["failed"])
