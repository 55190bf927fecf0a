"""The Fashion-MNIST data set (Zalando), with the ``keras.datasets.fashion_mnist`` contract.

One job: find the four official IDX gzip files (search path, then Keras' own
cache, then the official download), read and validate them with NumPy (no
TensorFlow import), and report their status.
"""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from course.datasets import _base
from course.datasets._base import (
    DATA_DIR_ENV,
    README_HINT,
    DatasetStatus,
    SearchDir,
    describe_searched,
    keras_home,
    same_dir,
    search_dirs,
)
from course.errors import DataError

#: English class names, as in the official release (label 0 to 9).
FASHION_CLASSES_EN: tuple[str, ...] = (
    "T-shirt/top",  # 0
    "Trouser",  # 1
    "Pullover",  # 2
    "Dress",  # 3
    "Coat",  # 4
    "Sandal",  # 5
    "Shirt",  # 6
    "Sneaker",  # 7
    "Bag",  # 8
    "Ankle boot",  # 9
)
#: Spanish class names used in the course (label 0 to 9).
FASHION_CLASSES_ES: tuple[str, ...] = (
    "Camiseta/top",
    "Pantalón",
    "Jersey",
    "Vestido",
    "Abrigo",
    "Sandalia",
    "Camisa",
    "Zapatilla",
    "Bolso",
    "Bota",
)
#: Base URL of Keras' mirror of the official files (the one ``keras.datasets`` uses).
FASHION_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
#: Where downloads are tried, in order: Keras' mirror, then Zalando's own bucket
#: (plain HTTP, which is acceptable because every download is checked by SHA-256).
FASHION_MIRRORS: tuple[str, ...] = (
    FASHION_URL,
    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
)
#: The four official file names, keyed by role.
FASHION_FILES: dict[str, str] = {
    "train_images": "train-images-idx3-ubyte.gz",
    "train_labels": "train-labels-idx1-ubyte.gz",
    "test_images": "t10k-images-idx3-ubyte.gz",
    "test_labels": "t10k-labels-idx1-ubyte.gz",
}
#: Size in bytes, SHA-256 and MD5 of the official gzip files. MD5s: the table of
#: github.com/zalandoresearch/fashion-mnist (README, "Get the Data"); sizes and
#: SHA-256: tensorflow/datasets ``url_checksums/fashion_mnist.txt``. Only a
#: *download* is checked against them: other faithful copies (e.g. an offline
#: mirror) may have different gzip bytes, so local files are validated by content.
FASHION_OFFICIAL_CHECKSUMS: dict[str, tuple[int, str, str]] = {
    "train-images-idx3-ubyte.gz": (
        26421880,
        "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
        "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
    ),
    "train-labels-idx1-ubyte.gz": (
        29515,
        "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
        "25c81989df183df01b3e8a0aad5dffbe",
    ),
    "t10k-images-idx3-ubyte.gz": (
        4422102,
        "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
        "bef4ecab320f06d8554ea6380940ec79",
    ),
    "t10k-labels-idx1-ubyte.gz": (
        5148,
        "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
        "bb300cfdad3c16e7a12a480ee83cd310",
    ),
}
_FASHION_COUNTS = {"train": 60_000, "test": 10_000}
_IDX_IMAGES_MAGIC = 0x00000803  # unsigned byte, 3 dimensions
_IDX_LABELS_MAGIC = 0x00000801  # unsigned byte, 1 dimension


def fashion_mnist_cache_dir() -> Path:
    """Keras' cache folder for Fashion-MNIST (``$KERAS_HOME`` or ``~/.keras``).

    ``keras.datasets.fashion_mnist.load_data()`` stores its download here, so
    both loaders share one copy.
    """
    return keras_home() / "datasets" / "fashion-mnist"


def _fashion_fix() -> str:
    cache = fashion_mnist_cache_dir()
    return (
        "Cómo solucionarlo: conecta el equipo a internet y vuelve a ejecutar, o ejecuta "
        f"`course data --descargar fashion-mnist` (los archivos se descargan una sola vez en "
        f"{cache}), o copia los cuatro archivos "
        f"({', '.join(FASHION_FILES.values())}) en una carpeta y apunta a ella la variable de "
        f"entorno {DATA_DIR_ENV} (los archivos pueden estar en ella o en su subcarpeta "
        f"fashion-mnist/), o cópialos en {cache}. " + README_HINT
    )


def _decompress_gzip(path: Path) -> bytes:
    """Whole-file gzip decompression with Spanish errors (empty, not gzip, truncated)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(
            f"No se pudo leer el archivo {path} ({exc.strerror or exc}).\n{_fashion_fix()}"
        ) from exc
    if not raw:
        raise DataError(
            f"El archivo {path} está vacío (0 bytes): probablemente una descarga interrumpida. "
            f"Bórralo.\n{_fashion_fix()}"
        )
    if raw[:2] != b"\x1f\x8b":
        raise DataError(
            f"El archivo {path} no es un archivo gzip (.gz) válido: debe ser el archivo oficial "
            f"comprimido, sin descomprimir ni renombrar. Bórralo o sustitúyelo.\n{_fashion_fix()}"
        )
    try:
        decompressor = zlib.decompressobj(wbits=31)
        data = decompressor.decompress(raw)
        data += decompressor.flush()
        truncated = not decompressor.eof
        if not truncated and decompressor.unused_data:
            # A multi-member gzip file: let the gzip module handle the general case.
            data = gzip.decompress(raw)
    except (zlib.error, gzip.BadGzipFile, EOFError, OSError) as exc:
        raise DataError(
            f"El archivo {path} está dañado: no se puede descomprimir ({exc}). "
            f"Bórralo y vuelve a obtenerlo.\n{_fashion_fix()}"
        ) from exc
    if truncated:
        raise DataError(
            f"El archivo {path} está truncado (incompleto): el gzip termina antes de tiempo, "
            f"probablemente por una descarga interrumpida. Bórralo y vuelve a obtenerlo.\n"
            f"{_fashion_fix()}"
        )
    return data


def _parse_idx(data: bytes, path: Path, kind: str, split: str) -> np.ndarray:
    """Validate an IDX payload (magic number, dimensions, size, label range)."""
    expected_count = _FASHION_COUNTS[split]
    magic_expected = _IDX_IMAGES_MAGIC if kind == "images" else _IDX_LABELS_MAGIC
    header_len = 16 if kind == "images" else 8
    what = "imágenes" if kind == "images" else "etiquetas"
    fix = f"Bórralo y vuelve a obtener el archivo oficial.\n{_fashion_fix()}"
    if len(data) < header_len:
        raise DataError(
            f"El archivo {path} es demasiado corto para ser un archivo IDX de {what} "
            f"({len(data)} bytes descomprimidos, la cabecera ocupa {header_len}). {fix}"
        )
    header = np.frombuffer(data, dtype=">u4", count=header_len // 4)
    magic = int(header[0])
    if magic != magic_expected:
        raise DataError(
            f"El archivo {path} no es un archivo IDX de {what}: su número mágico es "
            f"0x{magic:08x} y se esperaba 0x{magic_expected:08x}"
            " (¿has intercambiado los archivos de imágenes y etiquetas?). " + fix
        )
    count = int(header[1])
    if count != expected_count:
        raise DataError(
            f"El archivo {path} declara {count} {what} y el conjunto de "
            f"{'entrenamiento' if split == 'train' else 'prueba'} de Fashion-MNIST tiene "
            f"{expected_count}. {fix}"
        )
    if kind == "images":
        rows, cols = int(header[2]), int(header[3])
        if (rows, cols) != (28, 28):
            raise DataError(
                f"El archivo {path} tiene imágenes de {rows}x{cols} píxeles y se esperaban "
                f"28x28. {fix}"
            )
        expected_bytes = header_len + count * 28 * 28
    else:
        expected_bytes = header_len + count
    if len(data) != expected_bytes:
        raise DataError(
            f"El archivo {path} tiene {len(data) - header_len} bytes de datos y se esperaban "
            f"{expected_bytes - header_len} ({count} {what}): está incompleto o tiene datos de "
            f"más. {fix}"
        )
    array = np.frombuffer(data, dtype=np.uint8, offset=header_len)
    if kind == "images":
        return array.reshape(count, 28, 28)
    top = int(array.max())
    if top > 9:
        raise DataError(
            f"El archivo {path} tiene etiquetas fuera del rango 0-9 (máximo {top}); las 10 "
            f"clases de Fashion-MNIST son 0-9. {fix}"
        )
    return array


def _read_fashion_file(path: Path, role: str) -> np.ndarray:
    split, kind = role.split("_")
    return _parse_idx(_decompress_gzip(path), path, kind, split)


def _read_fashion_dir(
    folder: Path,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    # Small label files first, so that a bad one is reported without decompressing 47 MB.
    order = ("train_labels", "test_labels", "train_images", "test_images")
    arrays = {role: _read_fashion_file(folder / FASHION_FILES[role], role) for role in order}
    return (arrays["train_images"], arrays["train_labels"]), (
        arrays["test_images"],
        arrays["test_labels"],
    )


def _fashion_search_dirs(data_dir: str | os.PathLike[str] | None) -> list[SearchDir]:
    dirs = search_dirs("fashion-mnist", data_dir)
    if data_dir is None:
        dirs.append(("caché de Keras", fashion_mnist_cache_dir()))
    return dirs


def locate(
    data_dir: str | os.PathLike[str] | None,
) -> tuple[Path | None, list[SearchDir]]:
    """The first searched folder holding all four files, and the list searched."""
    searched = _fashion_search_dirs(data_dir)
    for _, folder in searched:
        if all((folder / name).is_file() for name in FASHION_FILES.values()):
            return folder, searched
    return None, searched


def _partial_note(searched: Iterable[SearchDir]) -> str:
    notes = []
    for _, folder in searched:
        present = [name for name in FASHION_FILES.values() if (folder / name).is_file()]
        if present:
            missing = [n for n in FASHION_FILES.values() if n not in present]
            notes.append(
                f"  {folder} tiene {len(present)} de 4 archivos; faltan: {', '.join(missing)}"
            )
    return ("Carpetas incompletas:\n" + "\n".join(notes) + "\n") if notes else ""


def _download_file(name: str, dest: Path) -> Path:
    """Download one official file into ``dest``, trying each mirror in turn."""
    size, sha256, _md5 = FASHION_OFFICIAL_CHECKSUMS[name]
    role = next(r for r, n in FASHION_FILES.items() if n == name)

    def cannot_write(reason: str) -> str:
        return (
            f"No se puede escribir en la caché {dest.parent} ({reason}) para descargar {name}. "
            f"Comprueba los permisos, o define KERAS_HOME o {DATA_DIR_ENV}."
        )

    failures: list[str] = []
    for base in FASHION_MIRRORS:
        try:
            return _base.download(
                base,
                name,
                dest,
                size=size,
                sha256=sha256,
                validate=lambda tmp: _read_fashion_file(tmp, role),
                cannot_write=cannot_write,
            )
        except DataError as exc:
            failures.append(str(exc))
    raise DataError(" / ".join(failures))


def download_fashion_mnist(cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """Download the official Fashion-MNIST files that are missing or invalid.

    Files go to ``cache_dir`` (default: Keras' cache, :func:`fashion_mnist_cache_dir`),
    each through a temporary file in the same folder that is checked (size,
    SHA-256, IDX content) before it is renamed into place; a failed or corrupt
    download leaves nothing behind. Valid files already there are kept.

    Returns:
        The folder holding the four files.
    """
    folder = Path(cache_dir).expanduser() if cache_dir is not None else fashion_mnist_cache_dir()
    for role, name in FASHION_FILES.items():
        target = folder / name
        if target.is_file():
            try:
                _read_fashion_file(target, role)
                continue
            except DataError:
                pass  # replaced by a fresh download below
        _download_file(name, target)
    return folder


def load_fashion_mnist(
    data_dir: str | os.PathLike[str] | None = None, download: bool = True
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Fashion-MNIST with the ``keras.datasets.fashion_mnist.load_data()`` contract.

    Reads the four official IDX gzip files with NumPy (no TensorFlow import).
    Search order: ``data_dir`` (only there when given; files in it or in its
    ``fashion-mnist/`` subfolder), ``$COURSE_DATA_DIR``, the project's
    ``datasets/``, ``./datasets``, Keras' cache ``~/.keras/datasets/fashion-mnist/``
    and, when ``download`` is true and nothing was found, the official download
    into Keras' cache. Each file is validated (gzip integrity, IDX magic number,
    dimensions 28x28, 60,000/10,000 items, labels 0-9).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 arrays of shapes
        (60000, 28, 28), (60000,), (10000, 28, 28), (10000,); labels 0-9 named
        by :data:`FASHION_CLASSES_EN` / :data:`FASHION_CLASSES_ES`. As with
        Keras, the arrays are read-only views of the decompressed bytes
        (``x_train / 255.0`` works; call ``.copy()`` before editing in place).
    """
    folder, searched = locate(data_dir)
    if folder is not None:
        try:
            return _read_fashion_dir(folder)
        except DataError as exc:
            cache = fashion_mnist_cache_dir()
            if not (download and data_dir is None and same_dir(folder, cache)):
                raise
            # A damaged copy in the user cache (e.g. an interrupted download) is
            # replaced by a fresh download; anywhere else the user must fix it.
            try:
                download_fashion_mnist(cache)
            except DataError as again:
                raise DataError(
                    f"{exc}\nSe intentó sustituirlo por una descarga nueva, que también falló: "
                    f"{again}"
                ) from again
            return _read_fashion_dir(cache)
    listing = "Carpetas buscadas, en este orden:\n" + describe_searched(
        searched, note_env=data_dir is None
    )
    if data_dir is not None or not download:
        reason = (
            "en la carpeta indicada"
            if data_dir is not None
            else "localmente (descarga desactivada)"
        )
        raise DataError(
            f"No se encontraron los cuatro archivos de Fashion-MNIST {reason}.\n{listing}\n"
            f"{_partial_note(searched)}{_fashion_fix()}"
        )
    try:
        cache = download_fashion_mnist()
    except DataError as exc:
        raise DataError(
            "No se encontraron los archivos de Fashion-MNIST en el equipo y la descarga oficial "
            f"falló.\n{listing}\n{_partial_note(searched)}Descarga: {exc}\n{_fashion_fix()}"
        ) from exc
    return _read_fashion_dir(cache)


def status(data_dir: str | os.PathLike[str] | None = None) -> DatasetStatus:
    """Whether the four files are on the search path or in the cache, and valid (never downloads)."""
    description = "Fashion-MNIST (Zalando, licencia MIT): 70.000 imágenes 28x28 de ropa, 10 clases."
    folder, searched = locate(data_dir)
    if folder is None:
        detail = (
            "No se encontraron los cuatro archivos.\nCarpetas buscadas, en este orden:\n"
            + describe_searched(searched, note_env=data_dir is None)
            + "\n"
            + _partial_note(searched)
            + "Se descargarán automáticamente la primera vez que se carguen si hay internet.\n"
            + _fashion_fix()
        )
        return DatasetStatus("fashion_mnist", "Fashion-MNIST", description, False, None, detail)
    try:
        (x_train, _), (x_test, _) = _read_fashion_dir(folder)
    except DataError as exc:
        return DatasetStatus(
            "fashion_mnist", "Fashion-MNIST", description, False, str(folder), str(exc)
        )
    return DatasetStatus(
        "fashion_mnist",
        "Fashion-MNIST",
        description,
        True,
        str(folder),
        f"válido: {len(x_train)} imágenes de entrenamiento y {len(x_test)} de prueba",
    )
