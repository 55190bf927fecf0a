"""Fast checks of the pieces that keep a submission away from the grader.

The whole-batch attacks live in ``autograder_tests/test_adversarial.py``; these
tests prove each building block on its own: nothing here starts a kernel.
"""

from __future__ import annotations

import base64
import codecs
import os

import nbformat
import pytest

from course.grading import sandbox, scoring


def test_json_nesting_is_measured_without_recursion():
    assert scoring.json_depth('{"a": [1, {"b": "[[[[[["}]}') == 3
    assert scoring.json_depth("[" * 100_000 + "]" * 100_000) == scoring.MAX_JSON_DEPTH + 1


def test_a_deeply_nested_notebook_is_unreadable_with_a_spanish_reason(tmp_path):
    path = tmp_path / "tarea.ipynb"
    path.write_text('{"cells": [], "x": ' + "[" * 50_000 + "]" * 50_000 + "}", encoding="utf-8")
    with pytest.raises(scoring.SubmissionUnreadable, match="anida sus datos"):
        scoring.read_submission(path)


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("x = " + "+".join(["1"] * 50_000), "encadena más de"),
        ("x = " + "(" * 150 + "1" + ")" * 150, "anida más de"),
        ("y = " + "-" * 5_000 + "1", "encadena más de"),
    ],
)
def test_source_that_would_crash_the_parser_is_refused(source, words):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    with pytest.raises(scoring.SubmissionUnreadable, match=words):
        scoring.check_nesting(nb, "tarea.ipynb")


def test_honest_code_and_long_data_lists_pass_the_nesting_check():
    data = "datos = [" + ", ".join(str(i) for i in range(20_000)) + "]"
    honest = "import numpy as np\nz = (w @ x + b) * 2 - np.tanh(x).sum()\n" + data
    assert scoring.source_nesting_problem(honest) == ""


def test_the_scan_survives_a_deep_expression():
    from course.grading.review import scan_source

    flags = scan_source("x = " + "+".join(["1"] * 50_000))
    assert any("anidado" in f.reason for f in flags)


HIDDEN = ["rng = np.random.default_rng(2024)", "assert np.allclose(salida, esperado)"]


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t,
        lambda t: codecs.encode(t, "rot13"),
        lambda t: t[::-1],
        lambda t: base64.b64encode(t.encode()).decode(),
        lambda t: "prefijo " + base64.b64encode(("xx" + t).encode()).decode(),
    ],
    ids=["tal_cual", "rot13", "al_reves", "base64", "base64_desplazado"],
)
def test_outputs_quoting_hidden_tests_in_any_known_encoding_are_withdrawn(encode):
    text = "celdas anteriores:\n" + "\n".join(HIDDEN) + "\nfin"
    outputs = [nbformat.v4.new_output("stream", name="stdout", text=encode(text))]
    assert scoring.scrub_hidden(outputs, HIDDEN)
    assert "retirada" in outputs[0]["text"]


def test_an_honest_output_is_kept():
    outputs = [nbformat.v4.new_output("stream", name="stdout", text="precisión: 0.93\n")]
    assert not scoring.scrub_hidden(outputs, HIDDEN)


def test_regular_files_are_read_without_following_links_or_waiting(tmp_path):
    from course.grading.safe_execute import copy_regular_files, read_regular_file

    (tmp_path / "bueno.json").write_text("{}")
    secret = tmp_path / "secreto.txt"
    secret.write_text("del instructor")
    (tmp_path / "enlace.json").symlink_to(secret)
    os.mkfifo(tmp_path / "tuberia.json")
    (tmp_path / "grande.npy").write_bytes(b"0" * 2048)
    assert read_regular_file(tmp_path / "bueno.json") == b"{}"
    for name in ("enlace.json", "tuberia.json"):  # a FIFO is refused at once, never opened
        with pytest.raises(OSError):
            read_regular_file(tmp_path / name)
    with pytest.raises(OSError):
        read_regular_file(tmp_path / "grande.npy", limit=1024)
    budget = [1024]
    copied = copy_regular_files(tmp_path, tmp_path / "copia", budget=budget)
    assert "bueno.json" in copied and "secreto.txt" in copied
    assert not {"enlace.json", "tuberia.json", "grande.npy"} & set(copied)


def test_permissions_never_follow_links(tmp_path):
    from course.grading.safe_execute import safe_set_permissions

    outside = tmp_path / "fuera.db"
    outside.write_text("libro de notas")
    outside.chmod(0o600)
    dest = tmp_path / "autograded"
    dest.mkdir()
    (dest / "tarea.ipynb").write_text("{}")
    (dest / "enlace.ipynb").symlink_to(outside)

    class Converter:
        permissions = 444

        def _format_dest(self, *_args):
            return str(dest)

    safe_set_permissions(Converter(), "a01", "ana")
    assert (dest / "tarea.ipynb").stat().st_mode & 0o777 == 0o444
    assert outside.stat().st_mode & 0o777 == 0o600


def test_the_answer_reader_refuses_links_and_fifos(tmp_path):
    from course.grading import witness as _witness

    record = tmp_path / "registro"
    record.mkdir()
    os.mkfifo(record / "record.json")
    with pytest.raises(_witness.Unrecordable):
        _witness._read_regular(_witness._inside(record, "record.json"), 1024)
    (tmp_path / "otro.npy").write_bytes(b"x")
    (record / "a.npy").symlink_to(tmp_path / "otro.npy")
    with pytest.raises(_witness.Unrecordable):
        _witness._inside(record, "a.npy")
    with pytest.raises(_witness.Unrecordable):
        _witness._inside(record, "../otro.npy")


def test_the_kernel_environment_is_an_allowlist():
    env = {
        "PATH": "/usr/bin",
        "HOME": "/tmp/x",
        "LC_ALL": "es_ES.UTF-8",
        "COURSE_DATA_DIR": "/datos",
        "GITHUB_TOKEN": "ghp_secreto",
        "AWS_SECRET_ACCESS_KEY": "secreto",
        "MOODLE_PASSWORD": "secreto",
        "JPY_PARENT_PID": "1",
    }
    kept = sandbox.allowed_environment(env)
    assert set(kept) == {"PATH", "HOME", "LC_ALL", "COURSE_DATA_DIR"}


def test_the_kernelspec_holds_no_folder_list_on_its_command_line(tmp_path):
    import json

    spec = sandbox.write_kernelspec(
        tmp_path / "jupyter",
        writable=[tmp_path / "runtime"],
        work=tmp_path / "work",
        home=tmp_path / "home",
        tmp=tmp_path / "tmp",
        package=tmp_path / "pkg",
        readable=[(tmp_path / "datos_del_curso", tmp_path / "datos_del_curso")],
        isolate=True,
    )
    argv = " ".join(json.loads(spec.read_text())["argv"])
    assert "datos_del_curso" not in argv and "runtime" not in argv and "--hide" not in argv
    config = json.loads((spec.parent / "sandbox.json").read_text())
    assert config["readable"] and config["isolate"] is True


def test_the_kernel_package_copy_leaves_the_grader_out(tmp_path):
    dest = sandbox.sandbox_package(tmp_path)
    assert (dest / "course" / "checks").is_dir() and (dest / "course" / "assignments").is_dir()
    # Only the answer exporter of the grading package and its codec go in; nothing
    # else of the grader: no hidden test, no key and no reference implementation.
    grading = sorted(p.name for p in (dest / "course" / "grading").iterdir())
    assert grading == ["__init__.py", "answers.py", "witness.py"]
    a01 = (dest / "course" / "assignments" / "a01.py").read_text(encoding="utf-8")
    assert "def _sigmoid" not in a01 and "def _weighted_sum" not in a01
    assert not list(dest.rglob("*.ipynb")) and not list(dest.rglob(".git"))
    for path in dest.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "### BEGIN SOLUTION" not in text, path


def test_doctor_lists_each_protection_with_its_state():
    lines = sandbox.doctor_lines()
    text = "\n".join(lines)
    for topic in ("aislamiento", "cgroup" if sandbox.cgroup_support() else "memoria", "entorno"):
        assert topic in text, text
    assert all(line.startswith(("✔", "✘")) for line in lines)
    if not sandbox.cgroup_support():
        assert "Consecuencia" in text


@pytest.mark.skipif(not sandbox.namespaces_available(), reason="sin espacios de nombres")
def test_the_sandbox_shows_only_its_allowlist(tmp_path):
    """A process in the sandbox sees no course, no /sys, a minimal /dev, no secrets."""
    import json
    import subprocess
    import sys

    scratch = tmp_path / "s"
    for name in ("kernel_work", "home", "tmp", "runtime", "witness"):
        (scratch / name).mkdir(parents=True)
    (scratch / "kernel_work" / "datos.csv").write_text("1,2\n")
    secret_dir = tmp_path / "curso_secreto"
    secret_dir.mkdir()
    (secret_dir / "gradebook.db").write_text("notas")
    package = sandbox.sandbox_package(tmp_path / "pkg")
    group = f"test-{os.getpid()}-"
    spec = sandbox.write_kernelspec(
        scratch / "jupyter",
        writable=[scratch / "runtime", scratch / "witness"],
        work=scratch / "kernel_work",
        home=scratch / "home",
        tmp=scratch / "tmp",
        package=package,
        limits=sandbox.Limits(writable_mb=16),
        cgroup=group + "1" if sandbox.cgroup_support() else "",
    )
    probe = (
        "import os, json, course\n"
        "def writes(p):\n"
        "    try:\n        open(p, 'w').write('x' * 1024)\n        return True\n"
        "    except OSError:\n        return False\n"
        "big = 0\n"
        "try:\n    with open(os.path.expanduser('~/lleno'), 'wb') as f:\n"
        "        for _ in range(64):\n            f.write(b'0' * 2**20)\n            big += 1\n"
        "except OSError:\n    pass\n"
        "print(json.dumps({'cwd': os.listdir('.'), 'root': sorted(os.listdir('/')),\n"
        "  'dev': sorted(os.listdir('/dev')), 'env': sorted(os.environ),\n"
        f"  'secret': os.path.exists({str(secret_dir)!r}), 'course': course.__file__,\n"
        "  'w_dev': writes('/dev/x'), 'w_usr': writes('/usr/x'), 'w_home': writes('~x'),\n"
        "  'cgroup': open('/proc/self/cgroup').read(), 'mb': big}))\n"
    )
    argv = json.loads(spec.read_text())["argv"]
    argv = argv[: argv.index("--") + 1] + [sys.executable, "-c", probe]
    env = dict(os.environ, INSTRUCTOR_TOKEN="secreto", **json.loads(spec.read_text())["env"])
    try:
        done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120)
    finally:
        sandbox.remove_cgroups_named(group)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["cwd"] == ["datos.csv"]
    assert "sys" not in seen["root"] and not seen["secret"]
    assert set(seen["dev"]) <= {"null", "zero", "full", "random", "urandom", "shm", "fd"} | {
        "stdin",
        "stdout",
        "stderr",
    }
    assert "INSTRUCTOR_TOKEN" not in seen["env"]
    assert seen["course"].startswith(str(package))
    assert not seen["w_dev"] and not seen["w_usr"]
    assert seen["mb"] < 16  # the writable area is a 16 MB tmpfs here
    if sandbox.cgroup_support():
        assert group + "1" in seen["cgroup"]
