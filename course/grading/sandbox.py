"""The kernel launcher that runs a student's code during ``course grade``.

Every grading worker gets a private kernelspec (``python3``, found first through
``JUPYTER_PATH``) whose command is ``python -m course.grading.sandbox --config
FILE -- python -m ipykernel_launcher ...``. Everything the launcher needs (which
folders, which limits) is in ``FILE``, never on a command line a kernel could
read through ``/proc``. The launcher:

1. on the host, puts itself (and so the whole kernel tree) in a memory and
   process cgroup of its own (cgroup v2, else v1's ``memory`` and ``pids``
   controllers) where the machine allows it: the kernel and every child it starts
   share one memory limit and one task limit;
2. where Linux allows it (``unshare`` with user namespaces), enters new user,
   network, mount and PID namespaces (no network at all: the kernel talks to
   nbgrader through IPC sockets) and builds a **new root** from an allowlist,
   then ``pivot_root``s into it and detaches the old one. The new root holds,
   read-only (every mount of each bound tree remounted read-only): the system
   folders (``/usr``, ``/lib``...), a few files of ``/etc``, the interpreter's
   prefixes, a copy of the ``course`` package without ``course.grading`` (never
   the project checkout, its ``.git`` or ``source_assignments/``), the data
   folders; a private ``/proc``; a minimal ``/dev`` (``null``, ``zero``,
   ``full``, ``random``, ``urandom``); no ``/sys`` and no cgroup filesystem.
   Writable: one size-capped tmpfs holding HOME, TMPDIR (also ``/tmp`` and
   ``/dev/shm``) and the kernel's working folder, plus the socket and
   witness-record folders. The course folder, the other students' scratch
   folders, sibling courses and everything else of the host are simply absent.
   Capabilities are dropped so none of this can be undone;
3. replaces the environment by an allowlist (no token or password of the
   instructor reaches the kernel) and sets ``resource`` limits (address space,
   file size, CPU time, no core dumps, open files) and, inside the PID namespace,
   a watchdog on the process count;
4. starts the kernel with ``PYTHONSAFEPATH`` and ``IPKernelApp.ignore_cwd``, so a
   file beside the notebook (``course.py``, ``numpy.py``...) never shadows a module.

:func:`doctor_lines` says in Spanish which of these protections are active here
and what follows when one is not. This module must stay importable without
nbgrader or TensorFlow.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, fields
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

    memory_mb: int = 8192  # address space per process; TensorFlow maps ~2.5 GB at import
    file_mb: int = 64
    cpu_seconds: int = 900
    processes: int = 64
    open_files: int = 1024
    notebook_seconds: float = 480.0
    output_bytes: int = 100_000
    tree_memory_mb: int = 4096  # memory of the whole kernel tree (cgroup), tmpfs included
    tree_tasks: int = 512  # processes and threads of the whole kernel tree (cgroup)
    writable_mb: int = 512  # the tmpfs holding HOME, TMPDIR and the working folder


DEFAULT_LIMITS = Limits()

#: Environment variables a kernel may inherit (everything else is dropped).
ENV_ALLOWLIST = frozenset(
    {
        "PATH",
        "LANG",
        "LANGUAGE",
        "TZ",
        "TERM",
        "HOME",
        "TMPDIR",
        "PYTHONSAFEPATH",
        "PYTHONPATH",
        "PYTHONDONTWRITEBYTECODE",
        "PYTHONWARNINGS",
        "PYTHONHASHSEED",
        "PYTHONIOENCODING",
        "TF_CPP_MIN_LOG_LEVEL",
        "TF_ENABLE_ONEDNN_OPTS",
        "KERAS_BACKEND",
        "KERAS_HOME",
        "MPLBACKEND",
        "OMP_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
        "MKL_NUM_THREADS",
        "CUDA_VISIBLE_DEVICES",
        "COURSE_DATA_DIR",
        "JPY_SESSION_NAME",
        "JUPYTER_PATH",
        "JUPYTER_RUNTIME_DIR",
        "JUPYTER_CONFIG_DIR",
        "JUPYTER_DATA_DIR",
        "PYDEVD_DISABLE_FILE_VALIDATION",
        "IPYTHONDIR",
        # Flags, never secrets: nbgrader's documented "this run is the grader" signal
        # and course comprobar's own run, which the "check before handing in" cell of
        # each assignment reads to stay quiet.
        "NBGRADER_EXECUTION",
        "NBGRADER_VALIDATING",
        "COURSE_COMPROBAR",
    }
)
_ENV_PREFIXES = ("LC_",)


def allowed_environment(env: dict[str, str]) -> dict[str, str]:
    """Only the allowlisted variables of ``env`` (see :data:`ENV_ALLOWLIST`)."""
    return {k: v for k, v in env.items() if k in ENV_ALLOWLIST or k.startswith(_ENV_PREFIXES)}


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


# --------------------------------------------------------------------------- cgroups
_CGROUP_ROOT = Path("/sys/fs/cgroup")
#: Name of the folder, under this process' own cgroup, holding the kernels' cgroups.
CGROUP_PARENT = "course-grading"


def _own_cgroup(controller: str) -> str:
    """This process' cgroup path for ``controller`` ("" for the v2 unified one)."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return "/"
    for line in lines:
        _id, names, path = line.split(":", 2)
        if controller in names.split(","):
            return path
    return "/"


def _cgroup_dirs() -> tuple[str, list[Path]]:
    """("v2" or "v1", the folders under which kernel cgroups go), or ("", [])."""
    if (_CGROUP_ROOT / "cgroup.controllers").is_file():
        base = _CGROUP_ROOT / _own_cgroup("").lstrip("/") / CGROUP_PARENT
        return "v2", [base]
    memory, pids = _CGROUP_ROOT / "memory", _CGROUP_ROOT / "pids"
    if (memory / "cgroup.procs").is_file() and (pids / "cgroup.procs").is_file():
        return "v1", [
            memory / _own_cgroup("memory").lstrip("/") / CGROUP_PARENT,
            pids / _own_cgroup("pids").lstrip("/") / CGROUP_PARENT,
        ]
    return "", []


def _write(path: Path, value: str) -> None:
    with open(path, "w") as fh:  # noqa: PTH123 - cgroup files want one plain write
        fh.write(value)


def create_cgroup(name: str, limits: Limits) -> list[Path]:
    """Create the cgroup(s) ``name`` with the tree limits; [] when not possible.

    cgroup v2: one cgroup with ``memory.max``, ``memory.swap.max`` and
    ``pids.max`` (the controllers are enabled in the parent's
    ``cgroup.subtree_control``); v1: one cgroup in ``memory``
    (``memory.limit_in_bytes``, ``memory.memsw.limit_in_bytes``) and one in
    ``pids``.
    """
    kind, bases = _cgroup_dirs()
    memory = str(limits.tree_memory_mb * 1024 * 1024)
    made: list[Path] = []
    try:
        if kind == "v2":
            base = bases[0]
            base.mkdir(exist_ok=True)
            with contextlib.suppress(OSError):
                _write(base.parent / "cgroup.subtree_control", "+memory +pids")
            _write(base / "cgroup.subtree_control", "+memory +pids")
            group = base / name
            group.mkdir(exist_ok=True)
            made.append(group)
            _write(group / "memory.max", memory)
            with contextlib.suppress(OSError):
                _write(group / "memory.swap.max", "0")
            _write(group / "pids.max", str(limits.tree_tasks))
        elif kind == "v1":
            for base in bases:
                base.mkdir(exist_ok=True)
                group = base / name
                group.mkdir(exist_ok=True)
                made.append(group)
            _write(made[0] / "memory.limit_in_bytes", memory)
            with contextlib.suppress(OSError):
                _write(made[0] / "memory.memsw.limit_in_bytes", memory)
            _write(made[1] / "pids.max", str(limits.tree_tasks))
    except OSError:
        remove_cgroup(made)
        return []
    return made


def remove_cgroup(groups: list[Path]) -> None:
    """Remove kernel cgroups (their processes are killed first)."""
    for group in groups:
        with contextlib.suppress(OSError):
            for pid in (group / "cgroup.procs").read_text().split():
                with contextlib.suppress(OSError, ValueError):
                    os.kill(int(pid), signal.SIGKILL)
        for _ in range(50):
            try:
                group.rmdir()
                break
            except FileNotFoundError:
                break
            except OSError:
                time.sleep(0.02)


def remove_cgroups_named(prefix: str) -> None:
    """Remove every leftover kernel cgroup whose name starts with ``prefix``."""
    _kind, bases = _cgroup_dirs()
    for base in bases:
        with contextlib.suppress(OSError):
            remove_cgroup([p for p in base.iterdir() if p.name.startswith(prefix)])


@lru_cache(maxsize=1)
def cgroup_support() -> str:
    """ "v2" or "v1" if this process can give a kernel tree its own limits, else ""."""
    if not sys.platform.startswith("linux"):
        return ""
    probe = f"probe-{os.getpid()}"
    groups = create_cgroup(probe, Limits(tree_memory_mb=64, tree_tasks=8))
    if not groups:
        return ""
    remove_cgroup(groups)
    return _cgroup_dirs()[0]


def _join_cgroup(groups: list[Path]) -> None:
    for group in groups:
        _write(group / "cgroup.procs", str(os.getpid()))


# --------------------------------------------------------------------------- kernelspec
def sandbox_package(dest: Path) -> Path:
    """Copy the ``course`` package a kernel may import into ``dest``; returns ``dest``.

    ``course.grading`` (the grader, with the references and keys of graded exercises)
    apart from its answer exporter ``answers.py`` and codec ``witness.py``,
    ``course.simulated`` (the simulated students: edits of the solutions), caches and anything
    that is not Python source or package data are left out; so are the project
    checkout around it (``.git``, ``source_assignments/``, tests). The kernel gets
    this copy on ``PYTHONPATH`` and never sees the original.
    """
    import course

    src = Path(course.__file__).resolve().parent
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".*", "tests", "test_*")

    def skip(folder: str, names: list[str]) -> set[str]:
        skipped = set(ignore(folder, names))
        if Path(folder).resolve() == src:
            skipped.update({"grading", "simulated"})  # the grader; the simulated students
        return skipped

    shutil.copytree(src, dest / "course", ignore=skip, dirs_exist_ok=True)
    # The grading modules a kernel needs: the exporter that hands the student's
    # answers out as plain data (course.grading.answers) and its codec
    # (course.grading.witness). They hold no key and no test.
    grading = dest / "course" / "grading"
    grading.mkdir(exist_ok=True)
    (grading / "__init__.py").write_text(
        '"""Only the answer exporter of the grader is available inside the sandbox."""\n',
        encoding="utf-8",
    )
    for name in ("answers.py", "witness.py"):
        shutil.copy2(src / "grading" / name, grading / name)
    (dest / "datasets").mkdir(exist_ok=True)  # where the project's data folder is bound
    return dest


def data_folders(package: Path) -> list[tuple[Path, Path]]:
    """The read-only data folders of a kernel: ``COURSE_DATA_DIR`` and the project's."""
    from course._paths import project_datasets

    pairs: list[tuple[Path, Path]] = []
    env_dir = os.environ.get("COURSE_DATA_DIR", "")
    if env_dir and Path(env_dir).is_dir():
        resolved = Path(env_dir).resolve()
        pairs.append((resolved, resolved))
        if Path(env_dir).absolute() != resolved:
            pairs.append((resolved, Path(env_dir).absolute()))
    project_data = project_datasets()
    if project_data is not None and project_data.is_dir():
        pairs.append((project_data, package / "datasets"))
    return pairs


def kernel_argv(config_file: Path) -> list[str]:
    """The kernelspec ``argv`` of a sandboxed kernel configured by ``config_file``."""
    # ``-I``: the launcher ignores PYTHONPATH (set for the kernel, pointing at the
    # package copy, which holds only the recorder of course.grading) and imports
    # the installed grader.
    launcher = [sys.executable, "-I", "-m", "course.grading.sandbox", "--config", str(config_file)]
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
    work: Path,
    home: Path,
    tmp: Path,
    package: Path | None,
    readable: list[tuple[Path, Path]] = (),  # type: ignore[assignment]
    limits: Limits = DEFAULT_LIMITS,
    isolate: bool | None = None,
    cgroup: str = "",
    env: dict[str, str] | None = None,
) -> Path:
    """Write the private ``python3`` kernelspec and its sandbox configuration.

    ``writable``: host folders bound writable (sockets, witness records);
    ``work``, ``home``, ``tmp``: the kernel's working folder (its files are
    copied into the tmpfs when the kernel starts), HOME and TMPDIR, all on the
    size-capped tmpfs; ``package``: the folder holding the copy of ``course``
    (:func:`sandbox_package`); ``readable``: extra read-only folders (data);
    ``cgroup``: name of the kernel tree's cgroup ("" for none).
    """
    if isolate is None:
        isolate = namespaces_available()
    spec_dir = jupyter_dir / "kernels" / "python3"
    spec_dir.mkdir(parents=True, exist_ok=True)
    config_file = spec_dir / "sandbox.json"
    config = {
        "limits": asdict(limits),
        "isolate": bool(isolate),
        "writable": [str(p) for p in writable],
        "work": str(work),
        "home": str(home),
        "tmp": str(tmp),
        "package": str(package) if package else "",
        "readable": [[str(src), str(dst)] for src, dst in readable],
        "cgroup": cgroup,
        "runtime": [str(p) for p in runtime_paths()],
    }
    config_file.write_text(json.dumps(config, indent=1), encoding="utf-8")
    base_env = {"PYTHONSAFEPATH": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    if package:
        base_env["PYTHONPATH"] = str(package)
    spec = {
        "argv": kernel_argv(config_file),
        "display_name": "Python 3 (corrección aislada)",
        "language": "python",
        "interrupt_mode": "signal",
        "env": {**base_env, **(env or {})},
        "metadata": {"debugger": False},
    }
    path = spec_dir / "kernel.json"
    path.write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return path


def runtime_paths() -> list[Path]:
    """Folders holding the interpreter and its installed packages (bound read-only)."""
    found = {Path(p).resolve() for p in (sys.prefix, sys.exec_prefix, sys.base_prefix)}
    return sorted(p for p in found if p.is_dir())


def doctor_lines() -> list[str]:
    """Spanish lines for ``course doctor``: each protection, active or not, and why it matters."""
    lim = DEFAULT_LIMITS
    ok, no = "✔", "✘"
    lines = [
        f"{ok} límites por proceso: memoria {lim.memory_mb} MB, archivos {lim.file_mb} MB, "
        f"CPU {lim.cpu_seconds} s, sin volcados de memoria",
        f"{ok} tiempo máximo por cuaderno {lim.notebook_seconds:.0f} s; salida guardada por "
        f"celda ≤ {lim.output_bytes // 1000} kB",
        f"{ok} el núcleo trabaja en una carpeta distinta de aquella donde se guarda el cuaderno "
        "corregido; se copian solo archivos normales (sin seguir enlaces, con tamaño máximo)",
        f"{ok} entorno limpio: el núcleo recibe solo variables de una lista permitida (ninguna "
        "contraseña ni token del instructor)",
        f"{ok} cada celda con puntos se confirma después en un proceso aparte que nunca ejecuta "
        "código del alumnado (registros leídos sin seguir enlaces, con tamaño y tiempo máximos)",
        f"{ok} una entrega que no se puede leer, analizar o guardar queda «NO CORREGIDA» con su "
        "motivo; el resto del lote se corrige",
        f"{ok} las celdas de prueba no quedan en el historial del núcleo (In, _ih); una salida "
        "con código de las pruebas ocultas (tal cual, ROT13, base64 o al revés) se retira y la "
        "entrega queda retenida",
    ]
    if namespaces_available():
        lines.append(
            f"{ok} aislamiento del sistema activo (unshare + pivot_root): sin red; raíz nueva de "
            "solo lectura con /usr, el intérprete y una copia del paquete course; sin el curso, "
            "el proyecto ni su .git, ni otras entregas; /dev mínimo, /proc propio, sin /sys; "
            f"escritura solo en un tmpfs de {lim.writable_mb} MB"
        )
    else:
        lines.append(
            f"{no} sin aislamiento del sistema: este equipo no permite «unshare» con espacios de "
            "nombres de usuario. Consecuencia: el código del alumnado PUEDE usar la red y leer o "
            "escribir archivos del instructor (notas, soluciones). Corrija en un equipo Linux "
            "que lo permita."
        )
    kind = cgroup_support()
    if kind:
        lines.append(
            f"{ok} límites por árbol de procesos del núcleo (cgroup {kind}): memoria "
            f"{lim.tree_memory_mb} MB en total, {lim.tree_tasks} procesos e hilos"
        )
    else:
        lines.append(
            f"{no} sin límite de memoria por núcleo (no se pueden crear cgroups aquí). "
            f"Consecuencia: cada proceso tiene {lim.memory_mb} MB, pero un cuaderno que "
            "arranca varios procesos puede sumar más y agotar la memoria del equipo; el número "
            f"de procesos solo lo vigila un contador ({lim.processes})."
        )
    return lines


# --------------------------------------------------------------------------- launcher

_PR_SET_NO_NEW_PRIVS = 38
_PR_CAPBSET_DROP = 24
_MS_RDONLY, _MS_NOSUID, _MS_NODEV, _MS_NOEXEC = 1, 2, 4, 8
_MS_REMOUNT, _MS_BIND, _MS_REC = 32, 4096, 16384
_MS_NOATIME, _MS_NODIRATIME, _MS_RELATIME = 1024, 2048, 1 << 21
_MNT_DETACH = 2
_LIBC = None


def _libc() -> ctypes.CDLL:
    global _LIBC
    if _LIBC is None:
        _LIBC = ctypes.CDLL(None, use_errno=True)
    return _LIBC


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str = "") -> None:
    enc = lambda v: None if v is None else os.fsencode(v)  # noqa: E731
    if _libc().mount(enc(source), enc(target), enc(fstype), flags, enc(data) if data else None):
        err = ctypes.get_errno()
        raise OSError(err, f"mount {source} -> {target}: {os.strerror(err)}")


def _locked_flags(path: str) -> int:
    """The flags a remount of ``path``'s mount must keep (user namespaces lock them)."""
    flags = os.statvfs(path).f_flag
    keep = 0
    for st, ms in (
        (os.ST_NOSUID, _MS_NOSUID),
        (os.ST_NODEV, _MS_NODEV),
        (os.ST_NOEXEC, _MS_NOEXEC),
        (os.ST_NOATIME, _MS_NOATIME),
        (os.ST_NODIRATIME, _MS_NODIRATIME),
        (getattr(os, "ST_RELATIME", 4096), _MS_RELATIME),
    ):
        if flags & st:
            keep |= ms
    return keep


def _mounts_under(target: str) -> list[str]:
    """Mount points at or under ``target`` (from /proc/self/mountinfo)."""
    found = []
    with open("/proc/self/mountinfo", encoding="utf-8") as fh:  # noqa: PTH123
        for line in fh:
            point = line.split()[4].encode().decode("unicode_escape")
            if point == target or point.startswith(target.rstrip("/") + "/"):
                found.append(point)
    return found


def _bind(source: str, target: str, *, writable: bool = False) -> None:
    """Bind ``source`` (with every mount below it) at ``target``; read-only unless asked.

    Each mount of the bound tree is remounted read-only: the read-only flag of a
    bind mount does not reach the mounts below it by itself.
    """
    _mount(source, target, None, _MS_BIND | _MS_REC)
    if writable:
        return
    for point in _mounts_under(target):
        _mount(None, point, None, _MS_REMOUNT | _MS_BIND | _MS_RDONLY | _locked_flags(point))


def _mkpoint(root: str, path: str, *, is_dir: bool) -> str:
    target = root + path
    if is_dir:
        os.makedirs(target, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if not os.path.exists(target):
            open(target, "w").close()  # noqa: PTH123, SIM115
    return target


#: System folders bound read-only into the new root (a symlink is recreated as one).
SYSTEM_PATHS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
#: Files and folders of /etc a Python kernel needs.
ETC_PATHS = (
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/alternatives",
    "/etc/passwd",
    "/etc/group",
    "/etc/nsswitch.conf",
    "/etc/localtime",
    "/etc/timezone",
    "/etc/hosts",
    "/etc/mime.types",
    "/etc/ssl",
    "/etc/fonts",
    "/etc/matplotlibrc",
)
DEVICES = ("null", "zero", "full", "random", "urandom")


def _build_root(config: dict, root: str) -> None:
    """Build the kernel's new root under ``root`` (see the module docstring)."""
    limits = Limits(**config["limits"])
    _mount("tmpfs", root, "tmpfs", _MS_NOSUID | _MS_NODEV, "size=1m,mode=0755")
    bound: list[str] = []

    def bind_ro(path: str) -> None:
        if not os.path.lexists(path) or any(path == b or path.startswith(b + "/") for b in bound):
            return
        if os.path.islink(path):
            target = root + path
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if not os.path.lexists(target):
                os.symlink(os.readlink(path), target)
            return
        _bind(path, _mkpoint(root, path, is_dir=os.path.isdir(path)))
        bound.append(path)

    for path in SYSTEM_PATHS:
        bind_ro(path)
    for path in ETC_PATHS:
        bind_ro(path)
    for path in sorted(config.get("runtime", []), key=len):
        bind_ro(path)
    # The writable area: one tmpfs, capped, holding HOME, TMPDIR and the work folder.
    work, home, tmp = config["work"], config["home"], config["tmp"]
    area = os.path.commonpath([work, home, tmp])
    area_target = _mkpoint(root, area, is_dir=True)
    _mount(
        "tmpfs",
        area_target,
        "tmpfs",
        _MS_NOSUID | _MS_NODEV,
        f"size={limits.writable_mb}m,mode=0700",
    )
    for path in (work, home, tmp, tmp + "/shm"):
        os.makedirs(root + path, exist_ok=True)
    # The data files nbgrader placed beside the notebook, and the kernel's
    # connection file (jupyter_client writes it into TMPDIR).
    for folder in (work, tmp):
        for name in os.listdir(folder):
            src = os.path.join(folder, name)
            if os.path.isfile(src) and not os.path.islink(src):
                shutil.copyfile(src, root + folder + "/" + name)
    for path in config.get("writable", []):
        _bind(path, _mkpoint(root, path, is_dir=True), writable=True)
    package = config.get("package") or ""
    if package:
        _bind(package, _mkpoint(root, package, is_dir=True))
    for source, target in config.get("readable", []):
        if os.path.isdir(source):
            _bind(source, _mkpoint(root, target, is_dir=True))
    # The installed package inside a bound prefix (a regular install) is covered by the copy.
    if package:
        import course

        original = str(Path(course.__file__).resolve().parent)
        if any(original.startswith(b + "/") for b in bound):
            _bind(package + "/course", original)
    # A private, minimal /dev; a new /proc (this PID namespace only); no /sys at all.
    dev = _mkpoint(root, "/dev", is_dir=True)
    _mount("tmpfs", dev, "tmpfs", _MS_NOSUID | _MS_NODEV | _MS_NOEXEC, "size=64k,mode=0755")
    for name in DEVICES:
        _mount(f"/dev/{name}", _mkpoint(root, f"/dev/{name}", is_dir=False), None, _MS_BIND)
    os.makedirs(dev + "/shm")
    _mount(root + tmp + "/shm", dev + "/shm", None, _MS_BIND)
    for name, target in (
        ("fd", "/proc/self/fd"),
        ("stdin", "/proc/self/fd/0"),
        ("stdout", "/proc/self/fd/1"),
        ("stderr", "/proc/self/fd/2"),
    ):
        os.symlink(target, f"{dev}/{name}")
    flags = _MS_REMOUNT | _MS_BIND | _MS_RDONLY | _MS_NOSUID | _MS_NODEV | _MS_NOEXEC
    _mount(None, dev, None, flags)
    proc = _mkpoint(root, "/proc", is_dir=True)
    _mount("proc", proc, "proc", _MS_NOSUID | _MS_NODEV | _MS_NOEXEC)
    # /tmp and /var/tmp are the kernel's TMPDIR too. The scratch folder may itself
    # live under /tmp: bind from a descriptor, which the new mounts cannot shadow.
    tmp_fd = os.open(root + tmp, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for alias in ("/tmp", "/var/tmp"):
            if area.startswith(alias + "/"):
                continue  # the scratch folder is there: /tmp stays a read-only path to it
            target = _mkpoint(root, alias, is_dir=True)
            _mount(f"/proc/self/fd/{tmp_fd}", target, None, _MS_BIND)
    finally:
        os.close(tmp_fd)


def _pivot(root: str) -> None:
    """Make ``root`` the filesystem root and detach the old one entirely."""
    old = root + "/.old-root"
    os.makedirs(old, exist_ok=True)
    number = {"x86_64": 155, "aarch64": 41}.get(os.uname().machine)
    if number is None:
        subprocess.run(["pivot_root", root, old], check=True, capture_output=True)
    elif _libc().syscall(number, os.fsencode(root), os.fsencode(old)):
        err = ctypes.get_errno()
        raise OSError(err, f"pivot_root: {os.strerror(err)}")
    os.chdir("/")
    if _libc().umount2(b"/.old-root", _MNT_DETACH):
        err = ctypes.get_errno()
        raise OSError(err, f"umount /.old-root: {os.strerror(err)}")
    os.rmdir("/.old-root")
    _mount(None, "/", None, _MS_REMOUNT | _MS_BIND | _MS_RDONLY | _MS_NOSUID | _MS_NODEV)


def _drop_capabilities() -> None:
    libc = _libc()
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


def _load_config(path: Path) -> dict:
    config = json.loads(path.read_text(encoding="utf-8"))
    known = {f.name for f in fields(Limits)}
    config["limits"] = {k: v for k, v in config.get("limits", {}).items() if k in known}
    return config


def main(argv: list[str] | None = None) -> int:
    """Entry point of the launcher (``python -m course.grading.sandbox``)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if "--" not in args:
        print("uso: python -m course.grading.sandbox --config ARCHIVO -- orden...", file=sys.stderr)
        return 2
    split = args.index("--")
    parser = argparse.ArgumentParser(prog="course.grading.sandbox")
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--inside", action="store_true")
    opts = parser.parse_args(args[:split])
    command = args[split + 1 :]
    config = _load_config(opts.config)
    limits = Limits(**config["limits"])
    isolate = bool(config.get("isolate"))
    if not opts.inside:
        # On the host: the kernel tree's cgroup first, then the namespaces.
        if config.get("cgroup"):
            groups = create_cgroup(config["cgroup"], limits)
            if groups:
                _join_cgroup(groups)
        if isolate:
            inner = [
                sys.executable,
                "-I",
                "-m",
                "course.grading.sandbox",
                "--config",
                str(opts.config),
            ]
            unshare = shutil.which("unshare") or "unshare"
            # The launcher inside is PID 1 there: /proc/1/environ must hold no secret either.
            argv = [unshare, *UNSHARE_ARGS, "--", *inner, "--inside", "--", *command]
            os.execve(unshare, argv, allowed_environment(dict(os.environ)))
    env = allowed_environment(dict(os.environ))
    if isolate:
        root = str(opts.config.parent / "root")
        os.makedirs(root, exist_ok=True)
        _build_root(config, root)
        _pivot(root)
        os.chdir(config["work"])
        _drop_capabilities()
    else:
        with contextlib.suppress(OSError):
            os.chdir(config["work"])
    pid = os.fork()
    if pid == 0:
        # The grading process' PID means nothing inside a PID namespace (ipykernel
        # would think its parent died); the namespace ends with the launcher anyway.
        if isolate:
            env.pop("JPY_PARENT_PID", None)
        _set_limits(limits)
        os.execvpe(command[0], command, env)
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
            if isolate and _count_processes() > limits.processes + 2:
                print(
                    f"[corrección] más de {limits.processes} procesos: núcleo detenido",
                    file=sys.stderr,
                )
                os.kill(pid, signal.SIGKILL)
            time.sleep(0.05)


if __name__ == "__main__":
    sys.exit(main())
