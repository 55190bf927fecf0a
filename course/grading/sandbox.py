"""The kernel launcher that runs a student's code during ``course grade``.

Every grading worker gets a private kernelspec (``python3``, found first through
``JUPYTER_PATH``) whose command is ``python -m course.grading.sandbox ... --
python -m ipykernel_launcher ...``. The launcher, before it starts the kernel:

- where Linux allows it (``unshare`` with user namespaces), enters new user,
  network, mount and PID namespaces: no network at all (the kernel talks to
  nbgrader through IPC sockets in the scratch folder), the whole filesystem
  read-only except the submission's own working folder, HOME, TMPDIR and the
  socket folder; the course's ``source_assignments/``, ``submitted/``,
  ``autograded/``, ``feedback/`` and ``release/`` folders, its gradebook and review
  list, and the other students' scratch folders hidden behind empty mounts;
  capabilities dropped so none of this can be undone; any process the student
  starts dies with the kernel (PID namespace);
- sets ``resource`` limits: address space, file size, CPU time, no core dumps,
  open files, processes (and, inside the PID namespace, a watchdog that stops the
  kernel when it holds more than ``processes`` processes);
- starts the kernel with ``PYTHONSAFEPATH`` and ``IPKernelApp.ignore_cwd``, so a
  file beside the notebook (``course.py``, ``numpy.py``...) never shadows a module.

:func:`doctor_lines` says in Spanish which of these protections are active here.
This module must stay importable without nbgrader or TensorFlow.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

UNSHARE_ARGS = [
    "--user",
    "--map-root-user",
    "--net",
    "--mount",
    "--pid",
    "--fork",
    "--mount-proc",
    "--kill-child",
    "--propagation",
    "private",
]


@dataclass(frozen=True)
class Limits:
    """Resource limits for one grading kernel (calibrated on a05, Fashion-MNIST)."""

    memory_mb: int = 8192  # address space; TensorFlow maps ~2.5 GB at import
    file_mb: int = 64
    cpu_seconds: int = 900
    processes: int = 64
    open_files: int = 1024
    notebook_seconds: float = 480.0
    output_bytes: int = 100_000


DEFAULT_LIMITS = Limits()


@lru_cache(maxsize=1)
def namespaces_available() -> bool:
    """True when ``unshare`` can create the user/net/mount/pid namespaces here."""
    exe = shutil.which("unshare")
    if exe is None or not sys.platform.startswith("linux"):
        return False
    try:
        done = subprocess.run(
            [exe, *UNSHARE_ARGS, "true"], capture_output=True, timeout=20, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def kernel_argv(
    *,
    writable: list[Path],
    hidden: list[Path],
    limits: Limits = DEFAULT_LIMITS,
    isolate: bool | None = None,
    own_folder: Path | None = None,
) -> list[str]:
    """The kernelspec ``argv`` of a sandboxed kernel.

    ``own_folder``: the submission's scratch folder; its siblings (the other
    students' scratch folders of the batch) are hidden when the kernel starts.
    """
    if isolate is None:
        isolate = namespaces_available()
    launcher = [sys.executable, "-m", "course.grading.sandbox"]
    launcher += ["--limits", json.dumps(asdict(limits))]
    for path in writable:
        launcher += ["--writable", str(path)]
    for path in hidden:
        launcher += ["--hide", str(path)]
    if own_folder is not None:
        launcher += ["--own", str(own_folder)]
    if isolate:
        launcher.append("--isolated")
        launcher = [shutil.which("unshare") or "unshare", *UNSHARE_ARGS, "--", *launcher]
    kernel = [
        sys.executable,
        "-m",
        "ipykernel_launcher",
        "-f",
        "{connection_file}",
        "--IPKernelApp.ignore_cwd=True",
    ]
    return [*launcher, "--", *kernel]


def write_kernelspec(
    jupyter_dir: Path,
    *,
    writable: list[Path],
    hidden: list[Path],
    limits: Limits = DEFAULT_LIMITS,
    isolate: bool | None = None,
    own_folder: Path | None = None,
    env: dict[str, str] | None = None,
) -> Path:
    """Write the private ``python3`` kernelspec under ``jupyter_dir/kernels``."""
    spec_dir = jupyter_dir / "kernels" / "python3"
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": kernel_argv(
            writable=writable, hidden=hidden, limits=limits, isolate=isolate, own_folder=own_folder
        ),
        "display_name": "Python 3 (corrección aislada)",
        "language": "python",
        "interrupt_mode": "signal",
        "env": {"PYTHONSAFEPATH": "1", "PYTHONDONTWRITEBYTECODE": "1", **(env or {})},
        "metadata": {"debugger": False},
    }
    path = spec_dir / "kernel.json"
    path.write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return path


def doctor_lines() -> list[str]:
    """Spanish lines for ``course doctor`` describing the isolation active here."""
    lim = DEFAULT_LIMITS
    lines = [
        f"límites por núcleo: memoria {lim.memory_mb} MB, archivos {lim.file_mb} MB, "
        f"CPU {lim.cpu_seconds} s, {lim.processes} procesos, sin volcados de memoria",
        f"tiempo máximo por cuaderno {lim.notebook_seconds:.0f} s; salida guardada por celda "
        f"≤ {lim.output_bytes // 1000} kB",
        "cada entrega se corrige en una copia temporal del curso, sin soluciones ni otras "
        "entregas; la carpeta del cuaderno no está en sys.path",
        "cada celda con puntos se confirma después en un proceso aparte que nunca ejecuta "
        "código del alumnado (modelos cargados con safe_mode); las que no pueden repetirse "
        "fuera del cuaderno se indican en docs/guia_instructor.md (apartado «Corrección "
        "segura y entregas retenidas»)",
    ]
    if namespaces_available():
        lines.append(
            "✔ aislamiento del sistema activo (unshare): sin red, sistema de archivos de solo "
            "lectura, curso y otras entregas ocultos, procesos encerrados con el núcleo"
        )
    else:
        lines.append(
            "✘ sin aislamiento del sistema: este equipo no permite «unshare» con espacios de "
            "nombres de usuario, así que el código del alumnado PUEDE usar la red y leer o "
            "escribir archivos del instructor. Corrija en un equipo Linux que lo permita."
        )
    return lines


# --------------------------------------------------------------------------- launcher

_PR_SET_NO_NEW_PRIVS = 38
_PR_CAPBSET_DROP = 24


def _run_mount(*args: str, pass_fds: tuple[int, ...] = ()) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True, pass_fds=pass_fds)


#: Shared scratch areas replaced by empty private ones inside the sandbox (other
#: courses, other students' scratch folders and test copies live there).
SCRATCH_AREAS = ("/tmp", "/var/tmp", "/dev/shm")


def _under_scratch_area(path: Path) -> bool:
    """True for a folder strictly inside /tmp, /var/tmp or /dev/shm.

    A scratch area itself is never kept: binding all of /tmp back would undo the
    isolation from other courses' and students' temporary folders.
    """
    return any(Path(area) in path.parents for area in SCRATCH_AREAS)


def runtime_paths() -> list[Path]:
    """Folders the kernel needs to start that may live in a scratch area.

    The interpreter and its packages (``sys.prefix``...) and the folder the
    ``course`` package is imported from (an editable install points there): a
    project cloned or a virtual environment created under /tmp must still run.
    """
    import course

    found = {Path(p).resolve() for p in (sys.prefix, sys.exec_prefix, sys.base_prefix)}
    found.add(Path(course.__file__).resolve().parents[1])
    return sorted(p for p in found if p.is_dir() and _under_scratch_area(p))


def _isolate_filesystem(writable: list[Path], hidden: list[Path]) -> None:
    """Inside the new mount namespace: read-only world, own folders writable.

    The writable folders usually live under /tmp, which is replaced by an empty
    tmpfs: they are opened first and bind-mounted back from their descriptors
    (and so are, read-only, the interpreter and the ``course`` package when they
    live there too).
    """
    cwd = os.getcwd()
    keep = [p for p in runtime_paths() if p not in writable]
    fds = {
        path: os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        for path in [*keep, *writable]
        if path.is_dir()
    }
    for area in SCRATCH_AREAS:
        if os.path.isdir(area):
            _run_mount("-t", "tmpfs", "-o", "size=16m,mode=1777", "tmpfs", area)
    # Shallower folders first, so a folder inside a kept one is mounted on top.
    for path in sorted(fds, key=lambda p: len(p.parts)):
        fd = fds[path]
        path.mkdir(parents=True, exist_ok=True)
        _run_mount("--no-canonicalize", "--bind", f"/proc/self/fd/{fd}", str(path), pass_fds=(fd,))
        os.close(fd)
    _run_mount("-o", "remount,bind,ro", "/")
    for path in keep:
        if path in fds:
            _run_mount("-o", "remount,bind,ro", str(path))
    for path in hidden:
        if path.is_dir():
            _run_mount("-t", "tmpfs", "-o", "size=64k,mode=0555", "tmpfs", str(path))
        elif path.is_file():
            _run_mount("--bind", "/dev/null", str(path))
    # Re-enter the working folder through the new mounts: ``..`` must not lead
    # back into the hidden original tree.
    os.chdir(cwd)


def _drop_capabilities() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    for cap in range(64):
        libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0)


def _set_limits(limits: Limits) -> None:
    mb = 1024 * 1024
    wanted = {
        resource.RLIMIT_AS: limits.memory_mb * mb,
        resource.RLIMIT_FSIZE: limits.file_mb * mb,
        resource.RLIMIT_CPU: limits.cpu_seconds,
        resource.RLIMIT_CORE: 0,
        resource.RLIMIT_NOFILE: limits.open_files,
    }
    for kind, value in wanted.items():
        soft, hard = resource.getrlimit(kind)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(kind, (value, value))


def _count_processes() -> int:
    return sum(1 for p in os.listdir("/proc") if p.isdigit())


def main(argv: list[str] | None = None) -> int:
    """Entry point of the launcher (``python -m course.grading.sandbox``)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if "--" not in args:
        print("uso: python -m course.grading.sandbox [opciones] -- orden...", file=sys.stderr)
        return 2
    split = args.index("--")
    parser = argparse.ArgumentParser(prog="course.grading.sandbox")
    parser.add_argument("--limits", default=json.dumps(asdict(DEFAULT_LIMITS)))
    parser.add_argument("--writable", action="append", default=[], type=Path)
    parser.add_argument("--hide", action="append", default=[], type=Path)
    parser.add_argument("--own", type=Path, default=None)
    parser.add_argument("--isolated", action="store_true")
    opts = parser.parse_args(args[:split])
    command = args[split + 1 :]
    limits = Limits(**json.loads(opts.limits))
    if opts.isolated:
        hidden = list(opts.hide)
        if opts.own is not None and opts.own.parent.is_dir():
            hidden += [p for p in opts.own.parent.iterdir() if p != opts.own]
        _isolate_filesystem(opts.writable, hidden)
        _drop_capabilities()
    pid = os.fork()
    if pid == 0:
        # The grading process' PID means nothing inside a PID namespace (ipykernel
        # would think its parent died); the namespace ends with the launcher anyway.
        if opts.isolated:
            os.environ.pop("JPY_PARENT_PID", None)
        _set_limits(limits)
        os.execvp(command[0], command)
    # Parent. jupyter_client signals the whole process group (the kernel gets its
    # SIGINT directly), so ignore interrupts here; watch the process count; reap.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: os.kill(pid, signal.SIGKILL))
    while True:
        try:
            done, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return 0
        if done == pid:
            return os.waitstatus_to_exitcode(status)
        if done == 0:
            if opts.isolated and _count_processes() > limits.processes + 2:
                print(
                    f"[corrección] más de {limits.processes} procesos: núcleo detenido",
                    file=sys.stderr,
                )
                os.kill(pid, signal.SIGKILL)
            time.sleep(0.05)


if __name__ == "__main__":
    sys.exit(main())
