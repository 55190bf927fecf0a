"""Shared infrastructure of the data sets: where files are looked for, how they are fetched.

One job: everything the per-data-set modules have in common, as scikit-learn's
``sklearn/datasets/_base.py`` is for its loaders:

- the search path (:func:`search_dirs`): an explicit folder argument (then only
  that one), ``$COURSE_DATA_DIR``, the project's ``datasets/`` folders; the
  data-set modules add the user cache and the download after it;
- the Spanish listing of the folders searched, for error messages;
- :func:`write_atomically`: a temporary file beside the destination, validated,
  then renamed (a failed or invalid write leaves nothing behind);
- :func:`download`: one HTTP download through :func:`write_atomically`, with
  its size and SHA-256 checked while it streams;
- :class:`DatasetStatus`, what ``course doctor`` and ``course data`` print.

Why not ``pooch`` (considered for the download, checksum registry and cache):
it would replace only the streaming loop of :func:`download` (about 25 lines),
not the search path (pooch knows a single cache folder; the course searches
four places before it) nor the Spanish messages (its hash mismatch is an
English ``ValueError`` without the byte count, its network errors are
``requests`` exceptions, both to be translated here anyway). It moves a file
into place once its hash matches, with no hook to validate the content before
the rename, and it downloads through ``requests``, so the tests' network guard
(``urllib.request.urlopen`` patched to fail) would no longer see a download.
A new dependency for 25 lines and two lost guarantees: not adopted. The
standard library's ``urllib`` is enough for four fixed files.

Nothing here imports TensorFlow, pandas or scikit-learn.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from course.errors import DataError

#: Environment variable naming a folder with the course's data files.
DATA_DIR_ENV = "COURSE_DATA_DIR"

#: Closing sentence of the "how to fix it" part of the data errors.
README_HINT = "Más información en datasets/README.md del proyecto."

_DOWNLOAD_TIMEOUT = 60.0
_CHUNK = 1 << 20

#: A folder to search, with the Spanish description shown when nothing is found.
SearchDir = tuple[str, Path]


@dataclass(frozen=True)
class DatasetStatus:
    """Where a data set was found and whether it is valid (for the CLI).

    Attributes:
        key: identifier (``"xor"``, ``"iris"``, ``"shipping"``, ``"fashion_mnist"``).
        name: Spanish display name.
        description: one Spanish line saying what it is and where it comes from.
        found: true when the data set is available *and* passed validation.
        location: the file or folder used (``None`` when not found).
        detail: Spanish detail: what was validated, or why not and how to fix it.
        required: whether the course needs it (notebooks/assignments use it).
    """

    key: str
    name: str
    description: str
    found: bool
    location: str | None
    detail: str
    required: bool = True


# ---------------------------------------------------------------------------
# Search path
# ---------------------------------------------------------------------------


def same_dir(a: Path, b: Path) -> bool:
    """Whether two paths name the same folder (unresolvable paths never do)."""
    try:
        return a.resolve() == b.resolve()
    except OSError:  # pragma: no cover - unresolvable paths are simply different
        return False


def project_dataset_dirs() -> list[SearchDir]:
    """The project's ``datasets/`` folders: next to the package, then the CWD."""
    candidates: list[SearchDir] = []
    from course._paths import project_datasets

    project = project_datasets()
    if project is not None:
        candidates.append(("carpeta datasets/ del proyecto", project))
    try:
        cwd_datasets = Path.cwd() / "datasets"
    except OSError:  # the working directory was deleted
        return candidates
    if all(not same_dir(cwd_datasets, path) for _, path in candidates):
        candidates.append(("carpeta datasets/ del directorio actual", cwd_datasets))
    return candidates


def keras_home() -> Path:
    """Keras' home folder: ``$KERAS_HOME`` or ``~/.keras``."""
    value = os.environ.get("KERAS_HOME")
    return Path(value).expanduser() if value else Path.home() / ".keras"


def search_dirs(subfolder: str, explicit: str | os.PathLike[str] | None) -> list[SearchDir]:
    """Folders to search, in order, each with a Spanish description.

    With ``explicit`` only that folder is searched (a typo is reported instead
    of silently reading another copy); otherwise ``$COURSE_DATA_DIR`` and the
    project's ``datasets/`` folders. Each base folder is tried as given and
    with ``subfolder`` appended.
    """

    def both(label: str, base: Path) -> list[SearchDir]:
        return [(label, base), (label, base / subfolder)]

    if explicit is not None:
        return both("carpeta indicada como argumento", Path(explicit).expanduser())
    dirs: list[SearchDir] = []
    env_value = os.environ.get(DATA_DIR_ENV)
    if env_value:
        dirs += both(f"${DATA_DIR_ENV}", Path(env_value).expanduser())
    for label, base in project_dataset_dirs():
        dirs += both(label, base)
    return dirs


def describe_searched(searched: Sequence[SearchDir], note_env: bool = True) -> str:
    """The numbered Spanish list of the folders searched (and a note if the variable is unset)."""
    lines = [f"  {i}. {path}  ({label})" for i, (label, path) in enumerate(searched, 1)]
    if note_env and not os.environ.get(DATA_DIR_ENV):
        lines.append(f"  (la variable de entorno {DATA_DIR_ENV} no está definida)")
    return "\n".join(lines)


def check_test_size(test_size: float, function: str) -> float:
    """``test_size`` as a float strictly between 0 and 1, else a Spanish :class:`DataError`."""
    try:
        value = float(test_size)
    except (TypeError, ValueError) as exc:
        raise DataError(
            f"{function}: test_size debe ser una fracción entre 0 y 1 y se recibió {test_size!r}."
        ) from exc
    if not 0.0 < value < 1.0:
        raise DataError(
            f"{function}: test_size debe ser una fracción entre 0 y 1 (por ejemplo 0.2) "
            f"y se recibió {test_size!r}."
        )
    return value


# ---------------------------------------------------------------------------
# Writing and fetching
# ---------------------------------------------------------------------------


def write_atomically(
    dest: Path,
    write: Callable[[IO[bytes]], Any],
    validate: Callable[[Path], Any],
    cannot_write: Callable[[str], str],
) -> Path:
    """Write ``dest`` through a temporary file in its folder, validated before the rename.

    ``write`` fills the open temporary file; ``validate`` reads the closed one
    and raises :class:`DataError` if it is wrong. Any failure (including an
    interruption) deletes the temporary file, so ``dest`` is either the old file
    or a complete, valid new one. ``cannot_write(reason)`` is the Spanish message
    when the folder cannot be created or written.
    """
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    except OSError as exc:
        raise DataError(cannot_write(str(exc.strerror or exc))) from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        validate(tmp)
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return dest


def download(
    base: str,
    name: str,
    dest: Path,
    *,
    size: int,
    sha256: str,
    validate: Callable[[Path], Any],
    cannot_write: Callable[[str], str],
) -> Path:
    """Download ``base + name`` into ``dest`` atomically, checking size, SHA-256 and content.

    Network failures and a mismatch with the published size or SHA-256 raise
    :class:`DataError` in Spanish; nothing is left behind.
    """
    import http.client
    import urllib.error
    import urllib.request

    url = base + name

    def stream(handle: IO[bytes]) -> None:
        print(f"Descargando {name} ({size / 1e6:.1f} MB) desde {base} en {dest.parent} ...")
        digest = hashlib.sha256()
        written = 0
        try:
            with urllib.request.urlopen(url, timeout=_DOWNLOAD_TIMEOUT) as response:
                while chunk := response.read(_CHUNK):
                    handle.write(chunk)
                    digest.update(chunk)
                    written += len(chunk)
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", None) or exc
            raise DataError(
                f"No se pudo descargar {url} ({type(exc).__name__}: {reason}). "
                "¿Hay conexión a internet?"
            ) from exc
        if written != size or digest.hexdigest() != sha256:
            raise DataError(
                f"La descarga de {url} no coincide con el archivo oficial ({written} bytes, "
                f"SHA-256 {digest.hexdigest()[:16]}...; se esperaban {size} bytes y SHA-256 "
                f"{sha256[:16]}...). Se ha descartado; vuelve a intentarlo más tarde."
            )

    return write_atomically(dest, stream, validate, cannot_write)
