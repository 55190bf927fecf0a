"""``course grade --cluster``: grading on a real Dask scheduler and two workers.

Every test that needs a cluster is in THIS file, so that ``pytest -n 2 --dist
loadfile`` starts one cluster only: the module fixture :func:`cluster` starts
``dask scheduler`` and two ``dask worker --nworkers 1 --nthreads 1`` as separate
OS processes (each in its own session) on 127.0.0.1 with free ports, and kills
their process groups afterwards, whatever the tests did.

The scheduler runs with ``allowed-failures=1`` (a task is given up after killing
two workers, to keep the test short; Dask's default is 3); the workers run with
``daemon=False`` so that nbgrader starts from the fork server, as locally.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("distributed")

pytestmark = [pytest.mark.cluster, pytest.mark.grading, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
A01 = "a01_perceptron"
A03 = "a03_keras_xor"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _dask() -> str:
    return str(Path(sys.executable).with_name("dask"))


def _kill_group(proc: subprocess.Popen) -> None:
    """SIGTERM the process group of ``proc``, SIGKILL what is left after 5 s."""
    for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            break
        try:
            proc.wait(wait)
        except subprocess.TimeoutExpired:
            continue
    # Children outlive the leader: kill the group whether or not the leader exited.
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


@dataclass
class Cluster:
    address: str
    processes: list[subprocess.Popen]
    logs: Path

    def client(self):
        from distributed import Client

        return Client(self.address, timeout=10, set_as_default=False)


#: The workers' temporary folder (short: sockets live there), removed after the module.
_WORKER_TMP = Path(tempfile.mkdtemp(prefix="dk-", dir="/tmp" if os.path.isdir("/tmp") else None))


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        TMPDIR=str(_WORKER_TMP),
        DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES="1",
        DASK_DISTRIBUTED__WORKER__DAEMON="False",
        PYTHONUNBUFFERED="1",
    )
    return env


def _start(argv: list[str], log: Path) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=_env(),
            start_new_session=True,  # its own process group: killed as a whole
            cwd=log.parent,  # nowhere near the course folders
        )


def _scheduler(logs: Path) -> tuple[str, subprocess.Popen]:
    port = _free_port()
    proc = _start(
        [_dask(), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
        logs / "scheduler.log",
    )
    return f"tcp://127.0.0.1:{port}", proc


def _worker(address: str, logs: Path, name: str) -> subprocess.Popen:
    return _start(
        [
            _dask(),
            "worker",
            address,
            "--nworkers",
            "1",
            "--nthreads",
            "1",
            "--host",
            "127.0.0.1",
            "--no-dashboard",
            "--name",
            name,
            "--local-directory",
            str(logs / name),
        ],
        logs / f"{name}.log",
    )


@pytest.fixture(scope="module", autouse=True)
def _worker_tmp() -> Iterator[None]:
    """Removes the workers' temporary folder after every process of the module is gone
    (with what a killed worker could not clean up: its workspace)."""
    yield
    shutil.rmtree(_WORKER_TMP, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[Cluster]:
    logs = tmp_path_factory.mktemp("dask")
    processes: list[subprocess.Popen] = []
    try:
        address, scheduler = _scheduler(logs)
        processes.append(scheduler)
        processes += [_worker(address, logs, f"w{i}") for i in (1, 2)]
        deadline = time.monotonic() + 120
        while True:
            try:
                found = Cluster(address, processes, logs)
                with found.client() as client:
                    client.wait_for_workers(2, timeout=60)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)
        yield found
    finally:
        for proc in reversed(processes):
            _kill_group(proc)


# --------------------------------------------------------------------------- classes


def _course(root: Path) -> Path:
    """A course with a01 and a03 generated and their simulated classes submitted."""
    from course.grading.coursedir import new_course
    from course.grading.nbgrader_api import ensure_generated
    from course.grading.workflow import _demo_students, write_submission

    course = new_course(root, ["a01", "a03"])
    for index, aid in enumerate((A01, A03)):
        ensure_generated(course, aid)
        for student, (_what, notebooks) in _demo_students(course, aid, unusual=index == 0).items():
            folder = write_submission(course, aid, student, notebooks)
            if not notebooks:
                (folder / "entrega.pdf").write_bytes(b"%PDF-1.4\n")
    return course


def _row(result) -> tuple:
    """What must be identical between executors: everything but the time taken."""
    cells = tuple(
        (c.notebook, c.grade_id, c.score, c.max_score, c.reason, c.needs_manual_grade)
        for c in sorted(result.cells, key=lambda c: (c.notebook, c.grade_id))
    )
    return (
        result.student,
        result.status,
        result.state,
        result.score,
        result.reason,
        tuple(result.flags),
        tuple(sorted(result.verdicts.items())),
        result.review,
        cells,
    )


def _lines(lines: list[str]) -> list[str]:
    return sorted(re.sub(r"\(\d+\.\d s\)", "(… s)", line) for line in lines)


def _gradebook_rows(course: Path, assignment: str) -> list[tuple[str, float]]:
    from course.grading.nbgrader_api import gradebook

    with gradebook(course) as gb:
        return sorted((s.student.id, s.score) for s in gb.find_assignment(assignment).submissions)


_LOCAL: dict[str, tuple] = {}


@pytest.fixture(scope="module")
def courses(tmp_path_factory) -> dict[str, Path]:
    """The same simulated course three times: graded locally, on the cluster, with a kill."""
    base = _course(tmp_path_factory.mktemp("local") / "curso")
    copies = {"local": base}
    for name in ("cluster", "kill"):
        copies[name] = tmp_path_factory.mktemp(name) / "curso"
        shutil.copytree(base, copies[name])
    return copies


def _local(courses: dict[str, Path], assignment: str):
    from course.grading.autograde import grade_assignment

    if assignment not in _LOCAL:
        lines: list[str] = []
        run = grade_assignment(
            courses["local"], assignment, jobs=2, progress=False, echo=lines.append
        )
        _LOCAL[assignment] = (run, lines)
    return _LOCAL[assignment]


@pytest.mark.parametrize("assignment", [A01, A03])
def test_a_simulated_class_grades_on_the_cluster_as_locally(cluster, courses, assignment):
    from course.grading.autograde import grade_assignment
    from course.grading.cluster import DaskExecutor
    from course.grading.states import read_states

    local, local_lines = _local(courses, assignment)
    lines: list[str] = []
    remote = grade_assignment(
        courses["cluster"],
        assignment,
        progress=False,
        echo=lines.append,
        executor=DaskExecutor(cluster.address),
    )
    assert [_row(r) for r in remote.results] == [_row(r) for r in local.results]
    assert _lines(lines) == _lines(local_lines)
    assert _gradebook_rows(courses["cluster"], assignment) == _gradebook_rows(
        courses["local"], assignment
    )
    states = {k: v for k, v in read_states(courses["cluster"]).items() if k[1] == assignment}
    assert states == {k: v for k, v in read_states(courses["local"]).items() if k[1] == assignment}
    # Something is at stake: the class has full marks, zeros and failures.
    scores = {r.student: r.score for r in remote.results}
    assert scores["ana"] == local.results[0].max_score and scores["bruno"] == 0
    assert any(not r.ok for r in remote.results)


def _worker_pids(client) -> dict[str, int]:
    return client.run(os.getpid)


def test_a_worker_killed_mid_batch_loses_no_submission(cluster, courses):
    """``kill -9`` of the worker process running a submission: Dask reruns that task on
    a worker (the nanny restarts the dead one); every student is graded exactly once."""
    from course.grading.autograde import grade_assignment
    from course.grading.cluster import DaskExecutor
    from course.grading.nbgrader_api import gradebook

    local, _ = _local(courses, A01)
    killed: list[tuple[str, int]] = []
    stop = threading.Event()

    def killer() -> None:
        with cluster.client() as client:
            while not stop.is_set() and not killed:
                busy = [w for w, keys in client.processing().items() if keys]
                if busy:
                    time.sleep(2.0)  # well inside the submission
                    pids = _worker_pids(client)
                    busy = [w for w, keys in client.processing().items() if keys and w in pids]
                    if busy:
                        os.kill(pids[busy[0]], signal.SIGKILL)
                        killed.append((busy[0], pids[busy[0]]))
                        return
                time.sleep(0.2)

    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    lines: list[str] = []
    try:
        run = grade_assignment(
            courses["kill"],
            A01,
            progress=False,
            echo=lines.append,
            executor=DaskExecutor(cluster.address),
        )
    finally:
        stop.set()
        thread.join(30)
    assert killed, "no worker was killed during the batch"
    students = [r.student for r in run.results]
    assert sorted(students) == sorted(r.student for r in local.results)
    assert len(set(students)) == len(students) == len(lines)
    assert [_row(r) for r in run.results] == [_row(r) for r in local.results]
    with gradebook(courses["kill"]) as gb:
        ids = [s.student.id for s in gb.find_assignment(A01).submissions]
    assert sorted(ids) == sorted(set(ids))
    with cluster.client() as client:  # the nanny brought the worker back
        client.wait_for_workers(2, timeout=60)


def test_a_submission_that_kills_its_workers_is_no_corregida(cluster, courses, tmp_path):
    """The task of one student kills every worker that runs it: after
    ``allowed-failures`` + 1 dead workers Dask gives up (KilledWorker) and the student
    ends NO CORREGIDA with a Spanish reason; the batch goes on."""
    from course.grading.autograde import grade_assignment
    from course.grading.cluster import DaskExecutor, _ClusterTask
    from course.grading.contracts import State

    def kills_its_worker(files):  # nested: Dask sends it by value
        import os

        os._exit(1)

    class KillerExecutor(DaskExecutor):
        def submit(self, fn, /, *args):
            if args[1].student != "bruno":
                return super().submit(fn, *args)
            task = _ClusterTask((kills_its_worker, args[1]), args[0], "bruno")
            self._tasks.append(task)
            return task

    course = tmp_path / "curso"
    shutil.copytree(courses["local"], course, ignore=shutil.ignore_patterns("autograded"))
    run = grade_assignment(
        course,
        A01,
        students=["ana", "bruno", "carla"],
        progress=False,
        echo=lambda _m: None,
        executor=KillerExecutor(cluster.address),
    )
    by = {r.student: r for r in run.results}
    assert by["bruno"].state is State.NO_CORREGIDA
    assert "terminó de golpe 2 veces" in by["bruno"].reason
    assert all(c.score == 0 and c.reason for c in by["bruno"].cells)
    assert by["ana"].state is State.CORREGIDA and by["ana"].score == by["ana"].max_score
    assert by["carla"].state is not State.NO_CORREGIDA
    with cluster.client() as client:
        client.wait_for_workers(2, timeout=60)


# --------------------------------------------------------------------------- set-up errors


def _tree_state(path: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(path)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(path.rglob("*"))
        if p.is_file()
    }


def test_an_unreachable_scheduler_is_one_spanish_error_and_nothing_is_written(courses, tmp_path):
    course = tmp_path / "curso"
    shutil.copytree(courses["local"], course, ignore=shutil.ignore_patterns("autograded"))
    before = _tree_state(course)
    address = f"tcp://127.0.0.1:{_free_port()}"
    start = time.monotonic()
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("course")), "grade", "a01", "--curso", str(course)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COURSE_DASK_SCHEDULER": address},
    )
    seconds = time.monotonic() - start
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"No se pudo conectar con el planificador de Dask en {address}" in proc.stderr
    assert "Solución: arranque el planificador" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert seconds < 15, seconds
    assert _tree_state(course) == before


def test_a_scheduler_without_workers_is_one_spanish_error(tmp_path):
    from course.grading.cluster import DaskExecutor
    from course.grading.coursedir import GradingError

    address, proc = _scheduler(tmp_path)
    try:
        time.sleep(3)  # the scheduler is up (the error below names the missing workers)
        start = time.monotonic()
        with pytest.raises(GradingError) as err:
            DaskExecutor(address)
        assert time.monotonic() - start < 15
    finally:
        _kill_group(proc)
    assert "no tiene ningún trabajador" in str(err.value)
    assert "Solución: arranque al menos uno" in str(err.value)


def test_workers_with_another_course_or_none_are_refused():
    """Reports as the probe gives them; the probe itself runs where ``course`` is missing."""
    import pickle

    import cloudpickle

    import course
    from course.grading.cluster import _probe, code_fingerprint, worker_issues, worker_problems

    here = {"version": course.__version__, "code": code_fingerprint(), "host": "h"}
    reports = {
        "tcp://a:1": here,
        "tcp://b:1": {**here, "version": "0.0.9"},
        "tcp://c:1": {**here, "code": "000000000000"},
        "tcp://d:1": {"host": "d", "error": "ModuleNotFoundError: No module named 'course'"},
    }
    issues = worker_issues(reports)
    assert set(issues) == {"tcp://b:1", "tcp://c:1", "tcp://d:1"}
    assert "0.0.9" in issues["tcp://b:1"] and course.__version__ in issues["tcp://b:1"]
    assert "sin el paquete «course»" in issues["tcp://d:1"]
    assert len(worker_problems(reports)) == 3
    # The probe travels by value: it runs in an interpreter that cannot import course.
    payload = cloudpickle.dumps(_probe())
    code = (
        "import pickle, sys; sys.modules['course'] = None; "
        "print(repr(pickle.loads(sys.stdin.buffer.read())()))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], input=payload, capture_output=True, timeout=60, check=True
    )
    info = eval(out.stdout.decode())  # noqa: S307 - the repr of a dict of plain values
    assert "version" not in info and "course" in info["error"]
    assert "tcp://x:1" in worker_issues({"tcp://x:1": info})
    assert pickle.loads(payload)()["version"] == course.__version__


def test_doctor_reports_each_workers_protections(cluster):
    from course.grading.cluster import doctor_report
    from course.grading.sandbox import doctor_lines

    lines, problems = doctor_report(cluster.address)
    assert problems == 0, lines
    assert f"planificador {cluster.address}: 2 trabajador(es)" in lines[0]
    assert sum(line.startswith("Trabajador tcp://127.0.0.1:") for line in lines) == 2
    for protection in doctor_lines():
        assert lines.count(f"  {protection}") == 2
    bad, problems = doctor_report(f"tcp://127.0.0.1:{_free_port()}")
    assert problems == 1 and "No se pudo conectar" in bad[0]


# --------------------------------------------------------------------------- adversarial


#: A sample of the adversarial corpus (autograder_tests/test_adversarial.py): controls,
#: sandbox escapes, attacks on the trusted hidden tests and limit attacks.
SAMPLE = [
    "control_1",
    "control_archivos_extra",
    "lee_soluciones_y_pruebas",
    "escribe_en_el_curso",
    "red",
    "perfil_cambia_la_respuesta",
    "alias_parchea_la_comprobacion",
    "parche_que_el_escaneo_no_ve",
    "os_exit",
    "memoria_agotada",
    "fork_masivo",
]


@pytest.mark.adversarial
def test_an_adversarial_sample_gets_the_same_verdicts_on_the_cluster(cluster, tmp_path):
    """Design: the full corpus (~60 cases, ~320 s) already runs locally in
    ``autograder_tests/test_adversarial.py``; a second full pass through the cluster
    would push CI past its limit. The cluster changes WHERE a task runs, not what it
    does (same :func:`grade_submission` from the same bundle), so what can differ is the
    worker's set-up: its workspace, package copy, trusted process and limits. A sample
    covering each kind of attack (sandbox escapes, attacks on the trusted hidden tests,
    limit attacks, plus controls) is graded locally and on the cluster: every row must be
    identical, and the cluster's rows must meet the corpus's own per-attack expectations.
    The local executor stays proven by the full corpus and the simulated classes."""
    sys.path.insert(0, str(ROOT / "autograder_tests"))
    import nbformat
    import test_adversarial as adv

    from course.grading.autograde import grade_assignment
    from course.grading.cluster import DaskExecutor
    from course.grading.coursedir import new_course
    from course.grading.nbgrader_api import ensure_generated
    from course.simulated.submissions import solution_submission

    cases = [c for c in adv.CASES if c[0] in SAMPLE]
    assert sorted(c[0] for c in cases) == sorted(SAMPLE)
    course = new_course(tmp_path / "local" / "curso", ["a01"])
    ensure_generated(course, A01)
    source_nb = nbformat.read(course / "source_assignments" / A01 / f"{A01}.ipynb", as_version=4)
    release_nb = nbformat.read(course / "release" / A01 / f"{A01}.ipynb", as_version=4)
    solution = solution_submission(source_nb, release_nb)
    marker = tmp_path / "marca.txt"
    marker.write_text("MARCA_INTACTA\n", encoding="utf-8")
    for name, _kind, edit, _att, _flag, extra in cases:
        adv._write_case(course, name, edit, extra, solution, marker)
    remote_course = tmp_path / "cluster" / "curso"
    shutil.copytree(course, remote_course)
    local = grade_assignment(
        course, A01, jobs=2, timeout=300, progress=False, echo=lambda _m: None, limits=adv.LIMITS
    )
    remote = grade_assignment(
        remote_course,
        A01,
        timeout=300,
        progress=False,
        echo=lambda _m: None,
        limits=adv.LIMITS,
        executor=DaskExecutor(cluster.address),
    )
    assert [_row(r) for r in remote.results] == [_row(r) for r in local.results]
    assert marker.read_text(encoding="utf-8") == "MARCA_INTACTA\n"
    for case in cases:
        if case[1] == "control":
            result = adv._by_student(remote)[case[0]]
            assert result.score == adv.MAX_A01 and result.review != "pendiente", case[0]
        else:
            adv.test_exploits_score_zero_or_are_withheld({"run": remote}, case)


def test_the_cluster_option_and_variable_pick_the_executor(monkeypatch):
    from course.cli import build_parser
    from course.cli.instructor import _grading_executor
    from course.grading.cluster import SCHEDULER_ENV, scheduler_address

    monkeypatch.delenv(SCHEDULER_ENV, raising=False)
    args = build_parser().parse_args(["grade", "a01", "--jobs", "2"])
    assert args.cluster is None and _grading_executor(args) is None  # LocalExecutor(--jobs)
    args = build_parser().parse_args(["grade", "a01", "--cluster", "tcp://sala:8786"])
    assert scheduler_address(args.cluster) == "tcp://sala:8786"
    monkeypatch.setenv(SCHEDULER_ENV, " tcp://lab:8786 ")
    assert scheduler_address(None) == "tcp://lab:8786"
    assert scheduler_address("tcp://sala:8786") == "tcp://sala:8786"
    assert build_parser().parse_args(["doctor", "--cluster", "tcp://x:1"]).cluster == "tcp://x:1"
