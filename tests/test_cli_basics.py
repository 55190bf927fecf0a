"""`course --help`, `course doctor` and `course data` as a user runs them, and the
promise that neither `import course` nor `course --help` imports TensorFlow."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

COURSE = [sys.executable, "-m", "course.cli"]


def run(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=300, env=env)


@pytest.mark.parametrize(
    "statement",
    [
        "import course",
        "import course.datasets",
        "import course.checks",
        "import course.plots",
        "import course.explain",
        "import course.cli; course.cli.build_parser()",
    ],
)
def test_importing_the_package_does_not_import_tensorflow(statement):
    code = f"import sys; {statement}; print('tensorflow' in sys.modules, 'keras' in sys.modules)"
    result = run([sys.executable, "-c", code])
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]


def test_help_is_spanish_lists_every_command_and_does_not_import_tensorflow():
    code = (
        "import sys, runpy\n"
        "sys.argv = ['course', '--help']\n"
        "try:\n    runpy.run_module('course.cli', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print('TF' if 'tensorflow' in sys.modules else 'SIN-TF')"
    )
    result = run([sys.executable, "-c", code])
    assert result.returncode == 0, result.stderr
    for word in (
        "uso:",
        "órdenes",
        "doctor",
        "data",
        "release",
        "grade",
        "feedback",
        "export",
        "demo",
        "lab",
        "collect",
        "comprobar",
    ):
        assert word in result.stdout
    assert result.stdout.strip().endswith("SIN-TF")


def test_unknown_command_fails_with_a_spanish_hint():
    result = run([*COURSE, "nada"])
    assert result.returncode == 2
    assert "course --help" in result.stderr and "uso:" in result.stderr


def test_doctor_reports_versions_extensions_and_data(course_data_dir):
    env = dict(os.environ, COURSE_DATA_DIR=str(course_data_dir))
    result = run([*COURSE, "doctor"], env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    for word in ("Python", "tensorflow", "keras", "jupyterlab", "nbgrader", "nbval"):
        assert word in out
    assert "@jupyter/nbgrader" in out
    assert "Fashion-MNIST: " + str(course_data_dir / "fashion-mnist") in out
    assert "Todo listo" in out


def test_doctor_fails_and_explains_when_data_is_missing(tmp_path):
    env = dict(os.environ, HOME=str(tmp_path), COURSE_DATA_DIR=str(tmp_path / "vacio"))
    (tmp_path / "vacio").mkdir()
    result = subprocess.run(
        [*COURSE, "doctor", "--rapido"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "Envíos (Pick&Deliver): no disponible" in result.stdout
    assert "kaggle.com" in result.stdout and "COURSE_DATA_DIR" in result.stdout
    assert "problema(s)" in result.stdout


def test_data_validates_every_data_set(course_data_dir):
    env = dict(os.environ, COURSE_DATA_DIR=str(course_data_dir))
    result = run([*COURSE, "data"], env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "60000 imágenes de entrenamiento" in result.stdout
    assert "10999 filas" in result.stdout
