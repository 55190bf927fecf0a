"""Each assignment grades right: blank 0, solution full marks, each mistake its exact score.

Parametrised over every assignment in ``source_assignments/`` and every
simulated student of ``course/simulated/aNN.py`` (see conftest.py).
"""

from __future__ import annotations

import re

import harness
import pytest

pytestmark = pytest.mark.nbgrader

NOT_ATTEMPTED_LABEL = "Sin responder"
BARE_ERRORS = ("NameError", "Traceback (most recent call last)", "AttributeError", "TypeError")


def test_variants_are_defined(assignment_id, graded_course):
    """At least three typical mistakes and one cheat, naming real test cells."""
    graded = graded_course(assignment_id)
    mistakes = [v for v in graded.variants if not v.cheat]
    cheats = [v for v in graded.variants if v.cheat]
    assert len(mistakes) >= 3, f"{assignment_id}: only {len(mistakes)} typical mistakes"
    assert cheats, f"{assignment_id}: no cheat variant"
    for variant in graded.variants:
        scores = variant.expected_scores(graded.max_points)  # raises on unknown cells
        assert sum(scores.values()) < sum(graded.max_points.values()), variant.name
        assert set(variant.message_words) <= set(graded.max_points), variant.name
        assert set(variant.message_words) >= {
            g for g, p in scores.items() if p < graded.max_points[g]
        }, f"{variant.name}: every cell that loses points needs message words"


def test_total_points_are_stated_at_the_top(assignment_id, graded_course):
    """The first Markdown cell states the total, and it equals the cells' points."""
    graded = graded_course(assignment_id)
    first_md = next(c for c in graded.release_nb.cells if c.cell_type == "markdown")
    match = re.search(r"Puntuación total:\s*(\d+(?:[.,]\d+)?)\s*puntos", first_md.source)
    assert match, "the first Markdown cell must say 'Puntuación total: N puntos'"
    stated = float(match.group(1).replace(",", "."))
    total = sum(graded.max_points.values())
    manual = sum(
        float(c.metadata["nbgrader"].get("points", 0))
        for c in graded.source_nb.cells
        if c.metadata.get("nbgrader", {}).get("grade") and c.metadata["nbgrader"].get("solution")
    )
    assert stated == total + manual


def test_blank_submission_scores_zero_in_every_cell(assignment_id, graded_course):
    graded = graded_course(assignment_id)
    assert graded.scores[harness.BLANK] == {gid: 0.0 for gid in graded.max_points}


def test_blank_submission_shows_spanish_not_attempted_message(assignment_id, graded_course):
    """Every test cell of the unchanged release says 'Sin responder', never a bare traceback."""
    graded = graded_course(assignment_id)
    for gid, text in graded.outputs[harness.BLANK].items():
        assert NOT_ATTEMPTED_LABEL in text, f"{gid}: no 'Sin responder' message:\n{text[:800]}"
        for bare in BARE_ERRORS:
            assert bare not in text, f"{gid}: bare {bare} in the output:\n{text[:800]}"


def test_solution_scores_full_marks_in_every_cell(assignment_id, graded_course):
    graded = graded_course(assignment_id)
    assert graded.scores[harness.SOLUTION] == graded.max_points, graded.outputs[harness.SOLUTION]


def test_solution_outputs_have_no_error(assignment_id, graded_course):
    graded = graded_course(assignment_id)
    for gid, text in graded.outputs[harness.SOLUTION].items():
        assert "Incorrecto" not in text and NOT_ATTEMPTED_LABEL not in text, f"{gid}:\n{text}"


def test_grading_twice_gives_identical_scores(assignment_id, graded_course):
    graded = graded_course(assignment_id)
    assert graded.scores[harness.SOLUTION_AGAIN] == graded.scores[harness.SOLUTION]


def test_variant_scores_exactly_its_expected_partial_score(variant_case, graded_course):
    assignment_id, name = variant_case
    graded = graded_course(assignment_id)
    variant = graded.variant(name)
    expected = variant.expected_scores(graded.max_points)
    got = graded.scores[name]
    assert got == expected, {
        gid: graded.outputs[name][gid][:600] for gid in got if got[gid] != expected[gid]
    }


def test_variant_message_names_the_mistake(variant_case, graded_course):
    assignment_id, name = variant_case
    graded = graded_course(assignment_id)
    variant = graded.variant(name)
    for gid, words in variant.message_words.items():
        text = graded.outputs[name][gid].lower()
        assert "incorrecto" in text, f"{name}/{gid}: no 'Incorrecto' message:\n{text[:800]}"
        missing = [w for w in words if w.lower() not in text]
        assert not missing, f"{name}/{gid}: message lacks {missing}:\n{text[:1500]}"


def test_cheat_passes_visible_tests_but_loses_hidden_points(
    assignment_id, graded_course, validated
):
    """Hard-coding the visible expected values passes `nbgrader validate` (the
    visible tests) and still loses the points of the hidden tests."""
    graded = graded_course(assignment_id)
    cheats = [v for v in graded.variants if v.cheat]
    assert cheats
    for cheat in cheats:
        assert validated(graded, cheat.name) == {}, f"{cheat.name} fails a visible test"
        lost = [g for g, p in graded.scores[cheat.name].items() if p < graded.max_points[g]]
        assert lost, f"{cheat.name} kept every point"
        for gid in lost:
            cell = next(
                c
                for c in graded.source_nb.cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == gid
            )
            assert "BEGIN HIDDEN TESTS" in cell.source, f"{gid} lost points without a hidden test"
