"""Fixtures of the autograder suite: every assignment graded as a simulated class.

Decision (binding for whoever adds an assignment): the suite is GENERIC. The
test modules here are parametrised over every folder of ``source_assignments/``
(``aNN_name/aNN_name.ipynb``); an assignment's simulated students come from
``course/simulated/aNN.py`` (``VARIANTS``). Adding an assignment means
adding its source folder and its variants module, nothing in this folder.
Run one assignment with ``pytest autograder_tests -m nbgrader -k a01``.

For each assignment, :func:`harness.grade_assignment` builds ONE temporary
nbgrader course directory, generates the release once, and autogrades all the
simulated students in it (blank, solution, each variant, solution_again). The
result is cached for the whole session, so every test reads the same grading.
Per-student autograde times are printed at the end of the run.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import harness
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("MPLBACKEND", "Agg")

ASSIGNMENT_IDS = harness.assignment_ids()

_GRADED: dict[str, harness.GradedAssignment | BaseException] = {}
_VALIDATED: dict[tuple[str, str], dict] = {}


def _variant_cases() -> list[tuple[str, str]]:
    from course.simulated import load_variants

    cases = []
    for aid in ASSIGNMENT_IDS:
        try:
            variants = load_variants(aid)
        except Exception:  # reported by test_variants_are_defined
            continue
        cases += [(aid, v.name) for v in variants]
    return cases


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "assignment_id" in metafunc.fixturenames:
        metafunc.parametrize("assignment_id", ASSIGNMENT_IDS)
    if "variant_case" in metafunc.fixturenames:
        cases = _variant_cases()
        metafunc.parametrize("variant_case", cases, ids=[f"{a}-{v}" for a, v in cases])


@pytest.fixture(scope="session")
def graded_course(
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[[str], harness.GradedAssignment]:
    """Return ``get(assignment_id)``: the assignment graded as a class (cached)."""

    def get(assignment_id: str) -> harness.GradedAssignment:
        if assignment_id not in _GRADED:
            workdir = tmp_path_factory.mktemp(assignment_id)
            try:
                _GRADED[assignment_id] = harness.grade_assignment(assignment_id, workdir)
            except BaseException as exc:  # cache the failure: do not regrade per test
                _GRADED[assignment_id] = exc
        outcome = _GRADED[assignment_id]
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    return get


@pytest.fixture(scope="session")
def validated() -> Callable[[harness.GradedAssignment, str], dict]:
    """Return ``run(graded, student)``: ``nbgrader validate`` on a submission (cached)."""

    def run(graded: harness.GradedAssignment, student: str) -> dict:
        key = (graded.assignment_id, student)
        if key not in _VALIDATED:
            _VALIDATED[key] = harness.validate(graded, student)
        return _VALIDATED[key]

    return run


_RUN_ENV = "COURSE_AUTOGRADER_RUN_DIR"


def pytest_configure(config: pytest.Config) -> None:
    """Give the whole run (controller and pytest-xdist workers) one folder for results.

    Workers are started after the controller's ``pytest_configure`` and inherit
    its environment, so they all see the same folder.
    """
    if not hasattr(config, "workerinput") and _RUN_ENV not in os.environ:
        import tempfile

        os.environ[_RUN_ENV] = tempfile.mkdtemp(prefix="autograder-run-")
        config._course_created_run_dir = os.environ[_RUN_ENV]  # removed at unconfigure


def pytest_unconfigure(config: pytest.Config) -> None:
    """The controller removes the results folder it created (after the terminal summary)."""
    folder = getattr(config, "_course_created_run_dir", None)
    if folder:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
        os.environ.pop(_RUN_ENV, None)


def _summaries() -> dict[str, dict]:
    return {
        aid: {"seconds": g.seconds, "scores": g.scores, "max_points": g.max_points}
        for aid, g in _GRADED.items()
        if isinstance(g, harness.GradedAssignment)
    }


def pytest_sessionfinish(session: pytest.Session) -> None:
    """A pytest-xdist worker hands its graded assignments to the controller."""
    folder = os.environ.get(_RUN_ENV)
    worker = getattr(session.config, "workerinput", {}).get("workerid")
    if folder and worker and _summaries():
        import json

        Path(folder, f"{worker}.json").write_text(json.dumps(_summaries()), encoding="utf-8")


def _collected_summaries() -> dict[str, dict]:
    import json

    found = _summaries()
    folder = os.environ.get(_RUN_ENV)
    if folder and Path(folder).is_dir():
        for path in sorted(Path(folder).glob("*.json")):
            found.update(json.loads(path.read_text(encoding="utf-8")))
    return found


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ARG001
    if hasattr(config, "workerinput"):
        return
    graded = _collected_summaries()
    if not graded:
        return
    tr = terminalreporter
    tr.section("autograde times (seconds per submission)")
    for aid, g in sorted(graded.items()):
        seconds, scores, max_points = g["seconds"], g["scores"], g["max_points"]
        others = [s for s in seconds if s not in (harness.SOLUTION, harness.SOLUTION_AGAIN)]
        mean_others = sum(seconds[s] for s in others) / max(len(others), 1)
        tr.write_line(
            f"{aid}: solution {seconds[harness.SOLUTION]:.1f} s, "
            f"solution_again {seconds[harness.SOLUTION_AGAIN]:.1f} s, "
            f"others mean {mean_others:.1f} s, {len(seconds)} submissions, "
            f"total points {sum(max_points.values()):g}"
        )
        for student, marks in scores.items():
            tr.write_line(
                f"    {student:<24} {sum(marks.values()):>5g} / {sum(max_points.values()):g}  "
                + " ".join(f"{gid}={marks[gid]:g}" for gid in max_points)
            )
    out = os.environ.get("AUTOGRADER_TIMES_JSON")
    if out:
        import json

        Path(out).write_text(json.dumps(graded, indent=2))
