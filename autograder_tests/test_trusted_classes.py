"""Every simulated class graded by ``course grade``: hidden tests in the trusted process.

``test_grading.py`` grades the simulated students with plain ``nbgrader
autograde`` (the hidden tests in the kernel, as nbgrader does). Here the same
students go through :func:`course.grading.autograde.grade_assignment`: sandboxed
kernel without hidden tests, every test cell checked again in full by the trusted
process of :mod:`course.grading.hidden_tests`. The scores must be exactly the
same: the blank notebook 0, the solution full marks, each variant its expected
partial score, and no honest submission held for review.

Run one assignment with ``pytest autograder_tests/test_trusted_classes.py -k a01``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.nbgrader, pytest.mark.grading, pytest.mark.slow]

ASSIGNMENTS = sorted(p.name for p in (Path(__file__).parents[1] / "source_assignments").iterdir())
_RUNS: dict[str, tuple] = {}


def _graded(assignment: str, tmp_path_factory) -> tuple:
    if assignment in _RUNS:
        return _RUNS[assignment]
    import nbformat

    from course.grading.autograde import grade_assignment
    from course.grading.coursedir import new_course
    from course.grading.workflow import generate, write_submission
    from course.simulated import load_variants
    from course.simulated.submissions import (
        autograded_points,
        solution_submission,
        variant_submission,
    )

    short = assignment.split("_", 1)[0]
    course = new_course(tmp_path_factory.mktemp(f"confianza-{short}") / "curso", [short])
    release = generate(course, assignment)
    source = nbformat.read(
        course / "source_assignments" / assignment / f"{assignment}.ipynb", as_version=4
    )
    released = nbformat.read(release / f"{assignment}.ipynb", as_version=4)
    full = autograded_points(source)
    expected = {"en_blanco": dict.fromkeys(full, 0.0), "solucion": dict(full)}
    write_submission(course, assignment, "en_blanco", {assignment: released})
    write_submission(
        course, assignment, "solucion", {assignment: solution_submission(source, released)}
    )
    for variant in load_variants(assignment):
        expected[variant.name] = variant.expected_scores(full)
        submission = variant_submission(source, released, variant)
        write_submission(course, assignment, variant.name, {assignment: submission})
    run = grade_assignment(course, assignment, jobs=2, progress=False, echo=print)
    _RUNS[assignment] = ({r.student: r for r in run.results}, expected)
    return _RUNS[assignment]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_simulated_class_keeps_its_exact_scores(assignment, tmp_path_factory):
    results, expected = _graded(assignment, tmp_path_factory)
    wrong = []
    for student, scores in expected.items():
        result = results[student]
        got = {c.grade_id: c.score for c in result.cells}
        for gid, want in scores.items():
            if got.get(gid) != pytest.approx(want):
                reason = next((c.reason for c in result.cells if c.grade_id == gid), "")
                wrong.append((student, gid, got.get(gid), want, reason[:300]))
    assert not wrong, wrong
    for student, result in results.items():
        # Honest work (and a blank notebook) is never held: only a check that passed
        # in the kernel and not outside it, or could not be completed, holds.
        held = {g: v for g, v in result.verdicts.items() if v in ("refuted", "unconfirmable")}
        assert not held, (student, held, result.flags)
