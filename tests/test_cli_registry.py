"""The ``course`` command's registry, its one error handler and its ``-v``/``-q`` logging.

Run in-process through :func:`course.cli.main` (fast), except where the point is
what a fresh interpreter imports.
"""

from __future__ import annotations

import argparse
import io
import logging
import subprocess
import sys

import pytest

from course import cli
from course.cli import logs

STUDENT_COMMANDS = ["doctor", "data", "lab", "comprobar"]
INSTRUCTOR_COMMANDS = [
    "release",
    "collect",
    "grade",
    "informe",
    "review",
    "feedback",
    "export",
    "demo",
]
#: Option strings that are English words, whose default dest is English too.
ENGLISH_DESTS = {"help", "jobs", "version", "cluster"}


@pytest.fixture(autouse=True)
def _restore_course_logger():
    """main() installs a handler on the ``course`` logger: leave it as it was."""
    logger = logging.getLogger(logs.ROOT_LOGGER)
    saved = (list(logger.handlers), logger.level, logger.propagate)
    yield
    logger.handlers[:] = saved[0]
    logger.setLevel(saved[1])
    logger.propagate = saved[2]


def _section(text: str, title: str) -> str:
    """The lines of one section of ``--help``, up to the next blank line."""
    start = text.index(title + ":")
    return text[start:].split("\n\n", 1)[0]


def _names(section: str) -> list[str]:
    """The command names a help section lists (continuation lines left out)."""
    return [line.split()[0] for line in section.splitlines()[1:] if line[2:3] != " "]


def test_help_lists_student_and_instructor_commands_apart(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    text = capsys.readouterr().out
    student = _section(text, "órdenes del alumnado")
    instructor = _section(text, "órdenes del profesorado")
    assert _names(student) == STUDENT_COMMANDS
    assert _names(instructor) == INSTRUCTOR_COMMANDS
    assert "-v, --detallado" in text and "-q, --silencioso" in text


def test_student_commands_do_not_live_in_the_grading_package():
    code = (
        "import sys, course.cli.student, course.lab, course.comprobar\n"
        "print(sorted(m for m in sys.modules if m.startswith('course.grading')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
    assert {c.name for c in cli.load_commands().values() if c.group == cli.STUDENT} == set(
        STUDENT_COMMANDS
    )
    for name in STUDENT_COMMANDS:
        assert cli.REGISTRY[name].handler.__module__ == "course.cli.student"


def test_every_option_has_an_english_dest_and_keeps_its_spanish_spelling():
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    seen = set()
    for name, subparser in sub.choices.items():
        for action in subparser._actions:
            long_options = [s for s in action.option_strings if s.startswith("--")]
            seen.update(long_options)
            if long_options and action.dest not in ENGLISH_DESTS:
                derived = long_options[0][2:].replace("-", "_")
                assert action.dest != derived, (name, long_options, "dest not named in English")
            if not action.option_strings:
                assert action.dest.isascii() and action.dest in {
                    "assignment",
                    "notebook",
                    "zip",
                }, (name, action.dest)
    for spanish in ("--curso", "--fecha-limite", "--penalizacion-max", "--sin-entrega-cero"):
        assert spanish in seen


def test_an_option_or_a_command_is_added_in_one_place(capsys):
    calls = []

    @cli.command(
        "prueba-registro",
        cli.INSTRUCTOR,
        "orden de prueba",
        options=(cli.ASSIGNMENT, cli.Option("--veces", dest="times", type=int, default=1)),
    )
    def probe(args: argparse.Namespace) -> int:
        calls.append((args.assignment, args.times))
        return 3

    try:
        assert cli.main(["prueba-registro", "a01", "--veces", "2"]) == 3
        assert calls == [("a01", 2)]
        with pytest.raises(SystemExit):
            cli.main(["--help"])
        assert "prueba-registro" in _section(capsys.readouterr().out, "órdenes del profesorado")
        with pytest.raises(ValueError, match="twice"):
            cli.command("prueba-registro", cli.INSTRUCTOR, "otra")(lambda args: 0)
    finally:
        del cli.REGISTRY["prueba-registro"]


def test_a_course_error_is_reported_once_in_spanish_with_status_1(tmp_path, capsys):
    status = cli.main(["review", "a01", "--curso", str(tmp_path)])
    captured = capsys.readouterr()
    assert status == 1
    assert captured.out == ""
    assert captured.err.startswith(f"✘ {tmp_path} no es una carpeta de curso")
    assert "--curso" in captured.err and "Traceback" not in captured.err


def test_verbose_adds_the_module_and_the_traceback_quiet_keeps_the_error(tmp_path, capsys):
    assert cli.main(["-v", "review", "a01", "--curso", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "[error] course.cli: " in err and "no es una carpeta de curso" in err
    assert "[depuración] course.cli: Origen del error" in err and "Traceback" in err
    assert cli.main(["-q", "review", "a01", "--curso", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("✘ ") and "no es una carpeta de curso" in err


def test_verbose_and_quiet_cannot_be_combined(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["-v", "-q", "doctor"])
    assert stop.value.code == 2
    assert "uso:" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("verbosity", "shown", "hidden", "progress"),
    [
        (-1, ["⚠ aviso", "✘ fallo"], ["progreso", "detalle"], False),
        (0, ["progreso", "⚠ aviso", "✘ fallo"], ["detalle"], True),
        (
            1,
            ["[depuración] course.prueba: detalle", "[información] course.prueba: progreso"],
            [],
            True,
        ),
    ],
)
def test_log_levels_follow_v_and_q(verbosity, shown, hidden, progress):
    stream = io.StringIO()
    logs.configure(verbosity, stream=stream)
    logs.configure(verbosity, stream=stream)  # idempotent: one handler, one copy of each line
    logger = logging.getLogger("course.prueba")
    logger.debug("detalle")
    logger.info("progreso")
    logger.warning("aviso")
    logger.error("fallo")
    text = stream.getvalue()
    for line in shown:
        assert text.count(line) == 1, text
    for word in hidden:
        assert word not in text, text
    assert cli.show_progress() is progress


def test_course_setup_is_still_importable_for_released_copies():
    from course.notebook_setup import notebook_setup
    from course.setup import notebook_setup as old_name

    assert old_name is notebook_setup
