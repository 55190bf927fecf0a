"""Moodle round trip: read a "Download all submissions" zip and the offline grading
worksheet, and write back the filled worksheet and the feedback-files zip.

Formats, as Moodle's own sources define them (moodle/moodle):

- ``mod/assign/feedback/file/importziplib.php``
  (``assignfeedback_file_zip_importer::is_valid_filename_for_import``): a path part
  is split on ``_`` into at most five pieces ``fullname_participantid_plugintype_
  pluginname_rest``; the second piece must be a participant id of the assignment.
  The "Download all submissions" zip uses the same names, one folder per
  participant and plugin, e.g. ``Ana García López_1234567_assignsubmission_file_/``
  (the full name has its ``_`` replaced by spaces; with blind marking it is
  ``Participant_1234567_...``). Before Moodle 3.1 the files were not in folders
  but prefixed: ``Ana García López_1234567_assignsubmission_file_cuaderno.ipynb``;
  both layouts are read. The feedback zip written here uses the download's own
  folder names, so the importer maps each file back to its participant.
- ``mod/assign/gradingtable.php`` (download mode) gives the worksheet's columns:
  ``get_string('recordid', 'assign')`` (*Identifier* / *Identificador*, value
  ``hiddenuser`` + participant id: ``Participant 1234567``, ``Participante1234567``),
  full name, the identity fields (e-mail), status, grade, maximum grade, grade can
  be changed, last modified (submission), last modified (grade) and one column per
  feedback plugin editor field (*Feedback comments* / *Comentarios de
  retroalimentación*). Grades are written with ``format_float``: the site
  language's decimal separator (``7,50`` in Spanish).
- ``mod/assign/feedback/offline/importgradeslib.php`` (the importer behind "Upload
  grading worksheet") finds the *Identifier*, *Grade* and *Last modified (grade)*
  columns by their header in the site language, strips the ``hiddenuser`` prefix
  to get the participant id, skips a row whose grade is empty, and imports each
  feedback column whose header matches a feedback plugin's field. So the
  worksheet goes back with its header, identifiers and modification times
  untouched, and only the grade and feedback-comment cells filled. The importer
  reads *Last modified (grade)* with PHP's ``strtotime``, which understands the
  English date (``Monday, 16 March 2026, 9:05 AM``) but not the Spanish one nor the
  ``-`` of a participant never graded (both read as time 0); a row whose grade
  record in Moodle is newer than that time is skipped, grade and comments, unless
  "Allow updating records that have been modified more recently in Moodle than in
  the spreadsheet" is ticked. Importing feedback files creates that grade record,
  so the worksheet goes up first and the feedback zip second; both exports say so.
  With blind marking the worksheet has no name column and the folders are named
  ``Participante_1234567_...``: both are read.
- ``mod/assign/classes/downloader.php`` (Moodle 4.1+) names the download folders
  without the trailing ``_`` (``..._assignsubmission_file/``); the importer above
  accepts both, and so does :func:`read_download`.

The downloaded zip is hostile input: its member names are used only to group and
to name files in messages, never as paths (no zip slip, absolute path or symlink
can reach the disk); sizes are capped per file, per participant and in total, and
a member whose bytes exceed its declared size is cut off (zip bombs). A nested
zip is opened one level deep with the same caps; RAR and 7z archives are
reported, not opened. Only the chosen notebook is written, under its release name.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import shutil
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course.grading.coursedir import GradingError

Echo = Callable[[str], None]

#: Folder of the course holding what ``course collect`` keeps per assignment.
MOODLE_DIRNAME = "moodle"
REGISTRY = "participantes.csv"
WORKSHEET_COPY = "hoja.csv"
POLICY = "plazo.json"
REGISTRY_FIELDS = [
    "estudiante",
    "participante",
    "nombre",
    "correo",
    "carpeta",
    "entregado",
    "retraso_dias",
    "penalizacion",
    "recogido",
    "motivo",
]

#: Limits applied to the downloaded zip (bytes).
NOTEBOOK_LIMIT_MB = 20.0
MAX_MEMBERS = 20000
MAX_TOTAL_BYTES = 4 * 1024**3
MAX_PARTICIPANT_BYTES = 200 * 1024**2
MAX_RATIO = 200  # uncompressed / compressed size beyond which a member is a bomb

_FOLDER = re.compile(
    r"^(?P<name>.*?)_(?P<pid>\d+)_(?P<plugin>assign(?:submission|feedback)_[A-Za-z0-9]+)_?(?P<rest>.*)$"
)
_UNREADABLE_ARCHIVES = (".rar", ".7z", ".tar", ".tgz", ".tar.gz", ".gz", ".bz2", ".xz")


# ---------------------------------------------------------------------------
# The grading worksheet
# ---------------------------------------------------------------------------

#: Worksheet column -> its header in English and Spanish Moodle (language packs
#: ``lang/en/assign.php``, ``lang/es/assign.php``, ``moodle.php``, ``grades.php`` and
#: ``assignfeedback_comments``), compared without case or accents.
HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("Identifier", "Identificador"),
    "fullname": ("Full name", "Nombre completo", "Nombre"),
    "email": (
        "Email address",
        "Email",
        "Dirección de correo",
        "Dirección de correo electrónico",
        "Dirección Email",
        "Correo electrónico",
        "Correo",
    ),
    "status": ("Status", "Estado"),
    "grade": ("Grade", "Calificación"),
    "max": ("Maximum grade", "Calificación máxima"),
    "submitted": (
        "Last modified (submission)",
        "Última modificación (entrega)",
        "Última modificación (envío)",
    ),
    "graded": ("Last modified (grade)", "Última modificación (calificación)"),
    "changeable": ("Grade can be changed", "La calificación puede ser cambiada"),
    "comments": (
        "Feedback comments",
        "Comentarios de retroalimentación",
        "Comentarios de retroalimentacion",
        "Comentarios",
    ),
}


def _plain(text: str) -> str:
    """Lower case, no accents, single spaces: for comparing headers and names."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


_HEADER_KEYS = {_plain(alias): key for key, aliases in HEADERS.items() for alias in aliases}


@dataclass
class Participant:
    """One row of the worksheet."""

    pid: str
    fullname: str
    email: str
    status: str
    submitted: dt.datetime | None
    row: int  # index in Worksheet.rows


@dataclass
class Worksheet:
    """A grading worksheet as read, to be written back with the same shape."""

    path: Path
    header: list[str]
    rows: list[list[str]]
    columns: dict[str, int]
    delimiter: str = ","
    bom: bool = False
    encoding: str = "utf-8"
    decimal: str = "."
    participants: dict[str, Participant] = field(default_factory=dict)


def read_worksheet(path: Path) -> Worksheet:
    """Read Moodle's offline grading worksheet (English or Spanish headers).

    Accepts the file as Moodle writes it (UTF-8, comma) and as a spreadsheet
    re-saves it (BOM, semicolon, Windows-1252). Raises :class:`GradingError` in
    Spanish when it is not a worksheet.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GradingError(
            f"No se puede leer la hoja de calificaciones {path}: {exc.strerror or exc}.\n"
            "Solución: compruebe la ruta del fichero descargado con «Descargar hoja de "
            "calificaciones»."
        ) from exc
    bom = data.startswith(b"\xef\xbb\xbf")
    encoding = "utf-8"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        encoding = "cp1252"
        text = data.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise GradingError(
            f"La hoja de calificaciones {path} está vacía.\nSolución: descárguela de nuevo "
            "en Moodle (Tarea > Ver todas las entregas > Acción sobre las calificaciones > "
            "Descargar hoja de calificaciones)."
        )
    header = rows[0]
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        key = _HEADER_KEYS.get(_plain(name))
        if key and key not in columns:
            columns[key] = index
    if "id" not in columns:
        raise GradingError(
            f"{path.name} no parece una hoja de calificaciones de Moodle: falta la columna "
            f"«{HEADERS['id'][1]}» («{HEADERS['id'][0]}»).\n"
            f"Columnas encontradas: {', '.join(header) or '(ninguna)'}.\n"
            "Solución: descárguela con «Descargar hoja de calificaciones» (requiere activar "
            "«Hoja de calificaciones fuera de línea» en los ajustes de la tarea)."
        )
    sheet = Worksheet(path, header, rows[1:], columns, delimiter, bom, encoding)
    sheet.decimal = _decimal_separator(sheet)
    for index, row in enumerate(sheet.rows):
        row.extend([""] * (len(header) - len(row)))
        pid = _participant_id(row[columns["id"]])
        if not pid:
            continue
        # With blind marking ("Envíos anónimos") the worksheet has no name column.
        fullname = row[columns["fullname"]].strip() if "fullname" in columns else ""
        sheet.participants[pid] = Participant(
            pid=pid,
            fullname=fullname or f"Participante {pid}",
            email=row[columns["email"]].strip() if "email" in columns else "",
            status=row[columns["status"]].strip() if "status" in columns else "",
            submitted=parse_moodle_date(row[columns["submitted"]])
            if "submitted" in columns
            else None,
            row=index,
        )
    return sheet


def locked_grades(sheet: Worksheet) -> list[str]:
    """Names of the participants whose grade Moodle will not change ("Grade can be
    changed": No, e.g. locked or overridden in the gradebook): the importer skips them."""
    column = sheet.columns.get("changeable")
    if column is None:
        return []
    return [
        p.fullname
        for p in sheet.participants.values()
        if _plain(sheet.rows[p.row][column]) in ("no", "false", "0")
    ]


def _participant_id(identifier: str) -> str:
    """``Participant 1234567`` / ``Participante1234567`` -> ``1234567``."""
    match = re.search(r"(\d+)\s*$", identifier.strip())
    return match.group(1) if match else ""


def _decimal_separator(sheet: Worksheet) -> str:
    for key in ("max", "grade"):
        if key in sheet.columns:
            for row in sheet.rows:
                value = row[sheet.columns[key]] if sheet.columns[key] < len(row) else ""
                if re.fullmatch(r"\d+,\d+", value.strip()):
                    return ","
                if re.fullmatch(r"\d+\.\d+", value.strip()):
                    return "."
    return "," if sheet.delimiter == ";" else "."


_MONTHS = {
    **{
        m: i + 1
        for i, m in enumerate(
            "enero febrero marzo abril mayo junio julio agosto septiembre octubre "
            "noviembre diciembre".split()
        )
    },
    "setiembre": 9,
    **{
        m: i + 1
        for i, m in enumerate(
            "january february march april may june july august september october "
            "november december".split()
        )
    },
}


def parse_moodle_date(text: str) -> dt.datetime | None:
    """A worksheet date (``lunes, 3 de marzo de 2025, 10:15``, ``Monday, 3 March 2025,
    10:15 AM``, ISO) as a naive local datetime; ``None`` when empty or a dash."""
    text = text.strip()
    if not text or text in ("-", "—"):
        return None
    try:
        return dt.datetime.fromisoformat(text.replace("/", "-"))
    except ValueError:
        pass
    plain = _plain(text)
    day = re.search(r"\b(\d{1,2})\b(?!:)", plain)
    year = re.search(r"\b(\d{4})\b", plain)
    month = next((n for name, n in _MONTHS.items() if re.search(rf"\b{name}\b", plain)), None)
    clock = re.search(r"\b(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?\s?m\.?)?", plain)
    if not (day and year and month):
        return None
    hour, minute, second = 0, 0, 0
    if clock:
        hour, minute = int(clock.group(1)), int(clock.group(2))
        second = int(clock.group(3) or 0)
        meridian = (clock.group(4) or "").replace(".", "").replace(" ", "")
        if meridian == "pm" and hour < 12:
            hour += 12
        elif meridian == "am" and hour == 12:
            hour = 0
    try:
        return dt.datetime(int(year.group(1)), month, int(day.group(1)), hour, minute, second)
    except ValueError:
        return None


def parse_deadline(text: str) -> dt.datetime:
    """``--fecha-limite``: ``2026-03-15 23:59`` (or ``2026-03-15``, end of that day)."""
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise GradingError(
            f"Fecha límite no válida: «{text}». Escríbala como AAAA-MM-DD HH:MM, por ejemplo "
            "«2026-03-15 23:59»."
        ) from exc
    if len(text.strip()) <= 10:
        value = value.replace(hour=23, minute=59, second=59)
    return value


# ---------------------------------------------------------------------------
# The submissions zip
# ---------------------------------------------------------------------------


@dataclass
class Member:
    """One file of a participant's submission, read into memory (never extracted)."""

    name: str  # path inside the participant's folder, for messages only
    data: bytes
    mtime: dt.datetime | None


@dataclass
class Folder:
    """Everything the zip holds for one participant."""

    pid: str
    fullname: str
    folders: list[str] = field(default_factory=list)  # Moodle folder names seen
    files: list[Member] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (incidence, action)


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return (info.external_attr >> 16) & 0o170000 == 0o120000


def _unsafe_name(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return (
        name.startswith(("/", "\\"))
        or bool(re.match(r"^[A-Za-z]:", name))
        or ".." in parts
        or "\x00" in name
    )


def _mb(size: int | float) -> str:
    return f"{size / 1024**2:.1f} MB".replace(".", ",")


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int
) -> tuple[bytes | None, str]:
    """The bytes of ``info`` or ``(None, reason)``; never reads more than ``limit``."""
    if info.file_size > limit:
        return None, f"ocupa {_mb(info.file_size)}, más que el límite de {_mb(limit)}"
    if info.compress_size and info.file_size > 1024**2:
        if info.file_size / info.compress_size > MAX_RATIO:
            return None, "está comprimido de forma anómala (posible bomba zip)"
    try:
        with archive.open(info) as fh:
            data = fh.read(limit + 1)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError) as exc:
        return None, f"no se puede descomprimir ({exc.__class__.__name__})"
    if len(data) > limit:
        return None, f"ocupa más que el límite de {_mb(limit)} al descomprimirlo"
    return data, ""


def _mtime(info: zipfile.ZipInfo) -> dt.datetime | None:
    try:
        return dt.datetime(*info.date_time)
    except ValueError:
        return None


def read_download(zip_path: Path, *, limit: int) -> tuple[dict[str, Folder], list[str]]:
    """Group the members of Moodle's "Download all submissions" zip by participant.

    Returns ``{participant id: Folder}`` and the Spanish notes about members that
    belong to nobody (ignored). ``limit``: bytes allowed per file.
    """
    try:
        archive = zipfile.ZipFile(zip_path)
    except FileNotFoundError as exc:
        raise GradingError(
            f"No existe el fichero {zip_path}.\nSolución: indique la ruta del zip descargado "
            "con «Descargar todas las entregas»."
        ) from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise GradingError(
            f"{zip_path.name} no es un zip válido ({exc}).\nSolución: descárguelo de nuevo en "
            "Moodle con «Descargar todas las entregas» y no lo abra ni lo vuelva a comprimir."
        ) from exc
    folders: dict[str, Folder] = {}
    stray: list[str] = []
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise GradingError(
                f"{zip_path.name} contiene {len(infos)} ficheros, más de los {MAX_MEMBERS} "
                "que se aceptan: no parece una descarga de Moodle."
            )
        if sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
            raise GradingError(
                f"{zip_path.name} ocuparía más de {_mb(MAX_TOTAL_BYTES)} descomprimido: no "
                "parece una descarga de Moodle (o es una bomba zip). No se ha extraído nada."
            )
        for info in infos:
            name = info.filename
            if info.is_dir():
                parsed = _FOLDER.match(name.replace("\\", "/").split("/")[0])
                if parsed:
                    _folder(folders, parsed).folders.append(parsed.group(0).rstrip("/"))
                continue
            parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]
            head = parts[0] if parts else ""
            parsed = _FOLDER.match(head)
            if not parsed or (len(parts) == 1 and not parsed.group("rest")):
                if not head.startswith(("__MACOSX", ".")):
                    stray.append(name)
                continue
            folder = _folder(folders, parsed)
            folder_name = head if len(parts) > 1 else head[: -len(parsed.group("rest"))]
            if folder_name not in folder.folders:
                folder.folders.append(folder_name)
            inner = "/".join(parts[1:]) if len(parts) > 1 else parsed.group("rest")
            if _unsafe_name(name):
                folder.problems.append(
                    (
                        f"el zip contiene una ruta peligrosa ({name})",
                        "se ignoró ese fichero; no se escribió nada fuera del curso",
                    )
                )
                continue
            if _is_symlink(info):
                folder.problems.append(
                    (f"{inner} es un enlace simbólico", "se ignoró (no se siguen enlaces)")
                )
                continue
            if _ignored(inner):
                continue
            if sum(len(m.data) for m in folder.files) + info.file_size > MAX_PARTICIPANT_BYTES:
                folder.problems.append(
                    (
                        f"la entrega ocupa más de {_mb(MAX_PARTICIPANT_BYTES)}",
                        f"se ignoró {inner} y lo que sigue",
                    )
                )
                continue
            data, why = _read_member(archive, info, limit)
            if data is None:
                folder.problems.append(
                    (
                        f"{inner} {why}",
                        "no se recogió: pida al estudiante que borre las salidas (Editar > "
                        "Borrar todas las salidas) y lo suba de nuevo, o suba el límite con "
                        "--tamano-max",
                    )
                )
                continue
            folder.files.append(Member(inner, data, _mtime(info)))
    return folders, stray


def _folder(folders: dict[str, Folder], parsed: re.Match[str]) -> Folder:
    pid = str(int(parsed.group("pid")))
    return folders.setdefault(pid, Folder(pid, parsed.group("name").strip()))


def _ignored(inner: str) -> bool:
    """Editor and system clutter: checkpoints, macOS resource forks, hidden files."""
    parts = inner.split("/")
    return any(p.startswith(".") or p == "__MACOSX" for p in parts) or parts[-1].startswith("~$")


def _nested(member: Member, limit: int) -> tuple[list[Member], list[tuple[str, str]]]:
    """The notebooks of a zip inside a submission (one level, same caps)."""
    found: list[Member] = []
    problems: list[tuple[str, str]] = []
    try:
        archive = zipfile.ZipFile(io.BytesIO(member.data))
    except zipfile.BadZipFile:
        return [], [(f"{member.name} no es un zip válido", "no se pudo abrir")]
    with archive:
        infos = archive.infolist()
        if len(infos) > 1000 or sum(i.file_size for i in infos) > MAX_PARTICIPANT_BYTES:
            return [], [(f"{member.name} es demasiado grande al descomprimirlo", "no se abrió")]
        for info in infos:
            inner = info.filename.replace("\\", "/")
            if info.is_dir() or _ignored(inner) or not inner.lower().endswith(".ipynb"):
                continue
            if _unsafe_name(info.filename) or _is_symlink(info):
                problems.append(
                    (f"{member.name} contiene una ruta peligrosa ({info.filename})", "se ignoró")
                )
                continue
            data, why = _read_member(archive, info, limit)
            if data is None:
                problems.append((f"{member.name}: {inner} {why}", "no se recogió"))
                continue
            found.append(Member(f"{member.name}/{inner}", data, _mtime(info)))
    return found, problems


# ---------------------------------------------------------------------------
# Choosing the notebook
# ---------------------------------------------------------------------------


def _normal_stem(filename: str) -> str:
    """``Copia de a01_perceptron (1).ipynb`` -> ``a01_perceptron``."""
    stem = filename.rsplit("/", 1)[-1]
    stem = re.sub(r"\.ipynb$", "", stem, flags=re.IGNORECASE)
    stem = _plain(stem)
    stem = re.sub(r"^(copia de|copy of)\s+", "", stem)
    stem = re.sub(r"(-checkpoint|[ _-]copia|[ _-]copy)$", "", stem)
    stem = re.sub(r"\s*\(\d+\)$", "", stem)
    stem = re.sub(r"[\s-]+", "_", stem.strip())
    return stem


@dataclass
class Candidate:
    member: Member
    nb: Any  # parsed JSON or None
    error: str
    worked: int = 0
    belongs: float = 0.0

    @property
    def basename(self) -> str:
        return self.member.name.rsplit("/", 1)[-1]


def _release_info(release_nb: Any) -> tuple[set[str], dict[str, str]]:
    """Grade ids of a release and the source of its answer cells."""
    ids: set[str] = set()
    answers: dict[str, str] = {}
    for cell in release_nb.get("cells", []) if isinstance(release_nb, dict) else []:
        nbg = cell.get("metadata", {}).get("nbgrader", {})
        gid = nbg.get("grade_id") if isinstance(nbg, dict) else None
        if isinstance(gid, str):
            ids.add(gid)
            if nbg.get("solution"):
                answers[gid] = _text(cell.get("source", ""))
    return ids, answers


def _text(source: Any) -> str:
    return "".join(source) if isinstance(source, list) else str(source or "")


def _evaluate(member: Member, ids: set[str], answers: dict[str, str]) -> Candidate:
    try:
        nb = json.loads(member.data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return Candidate(member, None, "no es texto UTF-8")
    except json.JSONDecodeError as exc:
        return Candidate(member, None, f"no es JSON válido (línea {exc.lineno})")
    except RecursionError:
        return Candidate(member, None, "no es JSON válido (anidamiento excesivo)")
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return Candidate(member, None, "es JSON pero no un cuaderno (no tiene «cells»)")
    found: dict[str, str] = {}
    for cell in nb["cells"]:
        if not isinstance(cell, dict):
            continue
        meta = cell.get("metadata")
        nbg = meta.get("nbgrader") if isinstance(meta, dict) else None
        gid = nbg.get("grade_id") if isinstance(nbg, dict) else None
        if isinstance(gid, str) and gid not in found:
            found[gid] = _text(cell.get("source", ""))
    worked = sum(
        1 for gid, text in answers.items() if gid in found and found[gid].strip() != text.strip()
    )
    belongs = len(ids & set(found)) / len(ids) if ids else 0.0
    return Candidate(member, nb, "", worked, belongs)


@dataclass
class Choice:
    member: Member | None
    problems: list[tuple[str, str]] = field(default_factory=list)


def choose_notebook(folder: Folder, release_name: str, release_nb: Any, limit: int) -> Choice:
    """The notebook to grade from a participant's files, and what was unusual."""
    problems = list(folder.problems)
    ids, answers = _release_info(release_nb)
    members: list[Member] = []
    others: list[str] = []
    for member in folder.files:
        lower = member.name.lower()
        if lower.endswith(".ipynb"):
            members.append(member)
        elif lower.endswith(".zip"):
            inner, trouble = _nested(member, limit)
            problems += trouble
            if inner:
                problems.append(
                    (
                        f"el cuaderno venía dentro de un zip ({member.name})",
                        "se extrajo del zip",
                    )
                )
            elif not trouble:
                problems.append((f"{member.name} no contiene ningún cuaderno", "se ignoró"))
            members += inner
        elif lower.endswith(_UNREADABLE_ARCHIVES):
            kind = lower.rsplit(".", 1)[-1].upper()
            problems.append(
                (
                    f"entregó un archivo comprimido {kind} ({member.name}), que el curso no abre",
                    "no se recogió; pida al estudiante que suba el .ipynb (o un .zip) en Moodle",
                )
            )
        else:
            others.append(member.name)
    if not members:
        if not folder.files and not problems:
            problems.append(("entrega vacía: la carpeta no contiene ningún fichero", "sin entrega"))
        elif not any(p[1].startswith("no se recogió") for p in problems):
            listing = f" (entregó {', '.join(others)})" if others else ""
            problems.append((f"no hay ningún cuaderno .ipynb{listing}", "sin entrega"))
        return Choice(None, problems)
    candidates = [_evaluate(m, ids, answers) for m in members]
    exact = f"{release_name}.ipynb"

    def rank(c: Candidate) -> tuple[Any, ...]:
        return (
            c.nb is not None,
            c.belongs >= 0.5,
            c.worked,
            c.basename == exact,
            _normal_stem(c.basename) == _normal_stem(exact),
            c.member.mtime or dt.datetime.min,
        )

    best = max(candidates, key=rank)
    for c in candidates:
        if c.nb is None and c is not best:
            problems.append((f"{c.member.name} {c.error}", "se descartó"))
    if len(candidates) > 1:
        listing = ", ".join(c.member.name for c in candidates)
        valid = [c for c in candidates if c.nb is not None]
        if len(valid) > 1:
            reason = _why(best, [c for c in valid if c is not best], exact)
        else:
            reason = "por ser el único que se puede leer"
        problems.append(
            (
                f"{len(candidates)} cuadernos en la entrega ({listing})",
                f"se tomó {best.member.name} {reason}",
            )
        )
    if best.nb is None:
        problems.append(
            (
                f"{best.member.name} {best.error}",
                f"se copió tal cual como {exact}: la corrección lo marcará como no corregido",
            )
        )
    elif best.belongs < 0.5:
        problems.append(
            (
                f"{best.member.name} no tiene las celdas de {release_name} (¿cuaderno de otra "
                "tarea o creado de cero?)",
                f"se copió como {exact}; la corrección lo retendrá para revisión",
            )
        )
    elif best.basename != exact and len(candidates) == 1:
        problems.append(
            (f"cuaderno con otro nombre ({best.member.name})", f"se recogió como {exact}")
        )
    return Choice(best.member, problems)


def _why(best: Candidate, rest: list[Candidate], exact: str) -> str:
    if all(best.belongs >= 0.5 > c.belongs for c in rest):
        return "por ser el único con las celdas de la tarea"
    if all(best.worked > c.worked for c in rest):
        return f"por tener más respuestas escritas ({best.worked})"
    if best.basename == exact and all(c.basename != exact for c in rest):
        return "por tener el nombre de la tarea (mismas respuestas en todos)"
    return "por ser el más reciente (mismas respuestas en todos)"


# ---------------------------------------------------------------------------
# Student ids
# ---------------------------------------------------------------------------


def _slug(text: str) -> str:
    text = _plain(text)
    text = re.sub(r"[^a-z0-9.]+", "_", text).strip("._")
    return text[:60] or "estudiante"


def student_id(fullname: str, email: str) -> str:
    """The nbgrader id: the e-mail's user part when known (usually the JupyterHub and
    Moodle user name), else the full name, in lower-case ASCII (``garcia_lopez_ana``)."""
    if email and "@" in email:
        return _slug(email.split("@", 1)[0])
    return _slug(fullname)


# ---------------------------------------------------------------------------
# collect
# ---------------------------------------------------------------------------


@dataclass
class Row:
    """One line of the collection table."""

    student: str
    folder: str
    incidence: str
    action: str


@dataclass
class Collected:
    """What ``course collect`` did."""

    assignment: str
    collected: list[str] = field(default_factory=list)  # student ids written to submitted/
    missing: list[str] = field(default_factory=list)  # students without a collected notebook
    rows: list[Row] = field(default_factory=list)
    late: dict[str, tuple[int, float]] = field(default_factory=dict)  # student -> (days, %)

    def table(self) -> str:
        return format_rows(self.assignment, self.rows)


def format_rows(assignment: str, rows: list[Row]) -> str:
    """The Spanish table of everything unusual in a collection."""
    if not rows:
        return f"Todas las entregas de {assignment} se recogieron sin incidencias."
    widths = [
        max(len("Estudiante"), *(len(r.student) for r in rows)) + 2,
        min(48, max(len("Carpeta de Moodle"), *(len(r.folder) for r in rows))) + 2,
    ]
    lines = [
        f"Incidencias al recoger {assignment} ({len(rows)}):",
        f"  {'Estudiante':<{widths[0]}}{'Carpeta de Moodle':<{widths[1]}}Incidencia → qué se hizo",
    ]
    for r in rows:
        folder = r.folder if len(r.folder) <= 48 else r.folder[:47] + "…"
        lines.append(f"  {r.student:<{widths[0]}}{folder:<{widths[1]}}{r.incidence} → {r.action}")
    return "\n".join(lines)


def _release_notebook(course: Path, assignment: str) -> tuple[str, Any]:
    folder = course / "release" / assignment
    names = sorted(folder.glob("*.ipynb"))
    if not names:
        raise GradingError(
            f"La tarea {assignment} todavía no está publicada (no hay {folder}).\n"
            f"Solución: publíquela con «course release {assignment.split('_')[0]}» antes de "
            "recoger las entregas."
        )
    if len(names) > 1:
        raise GradingError(
            f"{assignment} tiene {len(names)} cuadernos y «course collect» solo sabe recoger "
            "tareas de un cuaderno: copie las entregas a submitted/<estudiante>/"
            f"{assignment}/ a mano."
        )
    return names[0].stem, json.loads(names[0].read_text(encoding="utf-8"))


def collect(
    course: Path,
    assignment: str,
    zip_path: Path,
    *,
    worksheet: Path | None = None,
    deadline: dt.datetime | None = None,
    penalty: float = 0.0,
    penalty_cap: float = 100.0,
    limit_mb: float = NOTEBOOK_LIMIT_MB,
    echo: Echo = print,
) -> Collected:
    """Read Moodle's download (and worksheet) into ``submitted/<student>/<assignment>/``.

    Each participant's notebook is written under its release name with a
    ``timestamp.txt`` (the worksheet's submission time, else the file's), the
    students are added to the gradebook with name and e-mail, and
    ``moodle/<assignment>/`` keeps the worksheet and who is who (participant id,
    folder name) for ``course export --format moodle-hoja`` and ``course feedback
    --zip``. Running it again with the same files writes the same things.
    """
    from course.grading.coursedir import resolve_assignment

    assignment = resolve_assignment(course, assignment)
    if penalty < 0 or not 0 <= penalty_cap <= 100:
        raise GradingError(
            "La penalización debe ser un porcentaje positivo y su máximo estar entre 0 y 100."
        )
    if penalty and deadline is None:
        raise GradingError(
            "--penalizacion necesita --fecha-limite: indique el plazo de entrega, por ejemplo "
            "«--fecha-limite '2026-03-15 23:59'»."
        )
    release_name, release_nb = _release_notebook(course, assignment)
    limit = int(limit_mb * 1024**2)
    sheet = read_worksheet(worksheet) if worksheet else None
    if deadline is not None and sheet is not None and "submitted" not in sheet.columns:
        raise GradingError(
            f"La hoja {worksheet} no tiene la columna «Última modificación (entrega)», "
            "necesaria para saber qué entregas llegaron tarde."
        )
    folders, stray = read_download(zip_path, limit=limit)
    result = Collected(assignment)
    people = _people(folders, sheet)
    registry: list[dict[str, str]] = []
    submitted_root = course / "submitted"
    ids = _ids(people)
    for pid, (fullname, email) in sorted(people.items(), key=lambda kv: _plain(kv[1][0])):
        student = ids[pid]
        folder = folders.get(pid)
        participant = sheet.participants.get(pid) if sheet else None
        folder_name = folder.folders[0] if folder and folder.folders else ""
        problems: list[tuple[str, str]] = []
        member: Member | None = None
        if folder is None:
            status = participant.status if participant else ""
            problems.append(
                (
                    "no hay carpeta en el zip"
                    + (f" (estado en Moodle: {status})" if status else ""),
                    "sin entrega",
                )
            )
        else:
            if len(folder.folders) > 1:
                problems.append(
                    (
                        f"{len(folder.folders)} carpetas para la misma persona "
                        f"({', '.join(folder.folders)})",
                        "se juntaron sus ficheros",
                    )
                )
            choice = choose_notebook(folder, release_name, release_nb, limit)
            problems += choice.problems
            member = choice.member
            if sheet is not None and participant is None:
                problems.append(
                    (
                        "no figura en la hoja de calificaciones",
                        "se recogió, pero su nota no irá en la hoja: súbala a mano en Moodle",
                    )
                )
        when = participant.submitted if participant else None
        source = "según la hoja"
        if when is None and member is not None:
            when, source = member.mtime, "fecha del fichero en el zip"
        days, percent = 0, 0.0
        if deadline is not None and member is not None and when is not None and when > deadline:
            days = math.ceil((when - deadline).total_seconds() / 86400)
            percent = min(penalty_cap, days * penalty)
            what = f"penalización del {percent:g} % al exportar" if percent else "sin penalización"
            problems.append(
                (
                    f"entregada con {days_text(days)} de retraso ({when:%d/%m/%Y %H:%M}, {source})",
                    what,
                )
            )
            result.late[student] = (days, percent)
        target = submitted_root / student / assignment
        if member is not None:
            _write_submission(target, release_name, member.data, when)
            result.collected.append(student)
        else:
            result.missing.append(student)
            if target.is_dir():
                shutil.rmtree(target)
        for incidence, action in problems:
            result.rows.append(Row(student, folder_name or "(ninguna)", incidence, action))
        registry.append(
            {
                "estudiante": student,
                "participante": pid,
                "nombre": fullname,
                "correo": email,
                "carpeta": folder_name or f"{fullname}_{pid}_assignsubmission_file_",
                "entregado": when.isoformat(sep=" ") if when else "",
                "retraso_dias": str(days) if days else "",
                "penalizacion": f"{percent:g}" if percent else "",
                "recogido": "sí" if member is not None else "no",
                "motivo": "; ".join(i for i, _a in problems) if member is None else "",
            }
        )
    for name in stray:
        result.rows.append(Row("—", name, "fichero fuera de las carpetas de Moodle", "se ignoró"))
    _save_registry(course, assignment, registry, sheet, deadline, penalty, penalty_cap)
    _add_students(course, registry)
    save_rows(course, assignment, result.rows)
    echo(
        f"✔ {len(result.collected)} entrega(s) de {assignment} recogidas en "
        f"{submitted_root}; {len(result.missing)} sin cuaderno que corregir."
    )
    echo(result.table())
    return result


def _people(folders: dict[str, Folder], sheet: Worksheet | None) -> dict[str, tuple[str, str]]:
    """participant id -> (full name, e-mail), from the zip and the worksheet."""
    people: dict[str, tuple[str, str]] = {}
    if sheet is not None:
        for pid, p in sheet.participants.items():
            people[pid] = (p.fullname, p.email)
    for pid, folder in folders.items():
        if pid not in people:
            people[pid] = (folder.fullname, "")
    return people


def _ids(people: dict[str, tuple[str, str]]) -> dict[str, str]:
    """participant id -> student id, unique (a clash gets the participant id appended)."""
    wanted = {pid: student_id(name, email) for pid, (name, email) in people.items()}
    counts: dict[str, int] = {}
    for sid in wanted.values():
        counts[sid] = counts.get(sid, 0) + 1
    return {pid: sid if counts[sid] == 1 else f"{sid}_{pid}" for pid, sid in wanted.items()}


def _write_submission(
    folder: Path, release_name: str, data: bytes, when: dt.datetime | None
) -> None:
    """Write the notebook and timestamp, leaving identical files untouched."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        if old.name not in (f"{release_name}.ipynb", "timestamp.txt"):
            if old.is_dir() and not old.is_symlink():
                shutil.rmtree(old)
            else:
                old.unlink()
    _write_if_changed(folder / f"{release_name}.ipynb", data)
    stamp = (when or dt.datetime(2000, 1, 1)).strftime("%Y-%m-%d %H:%M:%S.000000")
    _write_if_changed(folder / "timestamp.txt", stamp.encode())


def _write_if_changed(path: Path, data: bytes) -> None:
    if path.is_file() and not path.is_symlink() and path.read_bytes() == data:
        return
    if path.is_symlink():
        path.unlink()
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def moodle_dir(course: Path, assignment: str) -> Path:
    return course / MOODLE_DIRNAME / assignment


def _save_registry(
    course: Path,
    assignment: str,
    rows: list[dict[str, str]],
    sheet: Worksheet | None,
    deadline: dt.datetime | None,
    penalty: float,
    cap: float,
) -> None:
    folder = moodle_dir(course, assignment)
    folder.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=REGISTRY_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(sorted(rows, key=lambda r: r["estudiante"]))
    _write_if_changed(folder / REGISTRY, buffer.getvalue().encode("utf-8"))
    if sheet is not None:
        _write_if_changed(folder / WORKSHEET_COPY, sheet.path.read_bytes())
    policy = {
        "fecha_limite": deadline.isoformat(sep=" ") if deadline else "",
        "penalizacion_por_dia": penalty,
        "penalizacion_max": cap,
    }
    _write_if_changed(folder / POLICY, json.dumps(policy, indent=1).encode("utf-8"))


def _add_students(course: Path, registry: list[dict[str, str]]) -> None:
    """Add (or update) each student's name and e-mail in the gradebook."""
    from course.grading.nbgrader_api import gradebook

    with gradebook(course) as gb:
        for row in registry:
            gb.update_or_create_student(
                row["estudiante"],
                first_name=row["nombre"],
                last_name="",
                email=row["correo"] or None,
            )


def save_rows(course: Path, assignment: str, rows: list[Row]) -> Path:
    """``informes/<assignment>_recogida.csv``: the collection table, for the record."""
    path = course / "informes" / f"{assignment}_recogida.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["estudiante", "carpeta", "incidencia", "accion"])
    for r in rows:
        writer.writerow([r.student, r.folder, r.incidence, r.action])
    _write_if_changed(path, buffer.getvalue().encode("utf-8"))
    return path


# ---------------------------------------------------------------------------
# Reading back what collect recorded
# ---------------------------------------------------------------------------


def read_registry(course: Path, assignment: str) -> dict[str, dict[str, str]]:
    """student id -> registry row (empty when the assignment was not collected from Moodle)."""
    path = moodle_dir(course, assignment) / REGISTRY
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["estudiante"]: r for r in csv.DictReader(fh)}


def late_penalty(
    course: Path, assignment: str, student: str, registry: dict[str, dict[str, str]] | None = None
) -> tuple[int, float]:
    """(days late, penalty %) recorded for a student's submission by ``course collect``."""
    if registry is None:
        registry = read_registry(course, assignment)
    row = registry.get(student)
    if not row:
        return 0, 0.0
    try:
        days = int(row.get("retraso_dias") or 0)
        percent = float(row.get("penalizacion") or 0)
    except ValueError:
        return 0, 0.0
    return days, percent


def days_text(days: int) -> str:
    """``1 día``, ``3 días``."""
    return f"{days} día" if days == 1 else f"{days} días"


def late_lines(course: Path, assignment: str) -> list[str]:
    """Spanish lines listing late submissions and their penalty (for the report)."""
    registry = read_registry(course, assignment)
    late = [
        (s, *late_penalty(course, assignment, s, registry))
        for s in sorted(registry)
        if late_penalty(course, assignment, s, registry)[0]
    ]
    if not late:
        return []
    lines = [f"Entregas fuera de plazo ({len(late)}), según la hoja de Moodle:"]
    for student, days, percent in late:
        applied = f"penalización del {percent:g} % al exportar" if percent else "sin penalización"
        lines.append(f"  {student}: {days_text(days)} de retraso, {applied}")
    return lines


# ---------------------------------------------------------------------------
# Back to Moodle: the worksheet
# ---------------------------------------------------------------------------

UNDER_REVIEW = (
    "Entrega en revisión: la nota se publicará cuando el profesorado termine de revisarla."
)


#: Instructor-side incidences of ``course collect`` -> what the student reads in Moodle.
_STUDENT_REASONS: list[tuple[str, str]] = [
    (r"^no hay carpeta en el zip", "no se recibió ninguna entrega de esta tarea"),
    (r"^entrega vacía", "la entrega estaba vacía (no contenía ningún fichero)"),
    (
        r"^entregó un archivo comprimido (\w+) \(([^)]*)\)",
        r"entregaste un archivo \1 (\2), que la corrección no puede abrir; sube el cuaderno "
        ".ipynb (o un .zip)",
    ),
    (
        r"^no hay ningún cuaderno \.ipynb \(entregó ([^)]*)\)",
        r"la entrega no contiene ningún cuaderno .ipynb (entregaste \1)",
    ),
    (r"^no hay ningún cuaderno \.ipynb", "la entrega no contiene ningún cuaderno .ipynb"),
    (
        r"^(.+?) ocupa (?:más que el límite|[\d,]+ MB, más que el límite) de ([\d,]+ MB)",
        r"\1 ocupa más de \2, el tamaño máximo; borra las salidas (Editar > Borrar todas las "
        "salidas), guarda y vuelve a subirlo",
    ),
]


def student_reason(incidences: str) -> str:
    """The collection's reason for a missing notebook, worded for the student."""
    first = incidences.split("; ")[0].strip()
    for pattern, wording in _STUDENT_REASONS:
        if re.search(pattern, first):
            return re.sub(pattern + ".*$", wording, first)
    return first


def _format_number(value: float, decimal: str) -> str:
    return f"{value:.2f}".replace(".", decimal)


def _parse_number(text: str) -> float | None:
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        return None


def export_worksheet(
    course: Path,
    assignment: str,
    dest: Path,
    *,
    worksheet: Path | None = None,
    zero_missing: bool = False,
    echo: Echo = print,
) -> Path:
    """Fill the grade and feedback-comment columns of the worksheet collected for
    ``assignment`` (or ``worksheet``) and write it to ``dest``, ready for "Subir hoja
    de calificaciones". Everything else in the file stays as Moodle wrote it.

    The grade is scaled to the worksheet's *Maximum grade* (the assignment's points
    when that column is absent) and the late penalty recorded by ``course collect``
    is subtracted. Only a ``corregida`` submission gets a grade; a held one gets an
    empty grade and a comment saying it is under review.
    """
    from course.grading.coursedir import resolve_assignment
    from course.grading.nbgrader_api import gradebook
    from course.grading.states import read_states, review_rows, submission_state

    assignment = resolve_assignment(course, assignment)
    source = worksheet or moodle_dir(course, assignment) / WORKSHEET_COPY
    if not source.is_file():
        raise GradingError(
            f"No hay hoja de calificaciones de {assignment}: recoja las entregas con "
            f"«course collect {assignment.split('_')[0]} ENTREGAS.zip --hoja HOJA.csv» o "
            "indique la hoja con --hoja."
        )
    sheet = read_worksheet(source)
    if "grade" not in sheet.columns:
        raise GradingError(
            f"La hoja {source.name} no tiene la columna «Calificación» («Grade»): descárguela "
            "de nuevo con «Descargar hoja de calificaciones»."
        )
    registry = read_registry(course, assignment)
    by_pid = {row["participante"]: sid for sid, row in registry.items()}
    recorded, review = read_states(course), review_rows(course)
    comments = sheet.columns.get("comments")
    filled, held, blank, unknown = 0, [], [], []
    with gradebook(course) as gb:
        try:
            maximum = float(gb.find_assignment(assignment).max_score or 0.0)
        except Exception as exc:
            raise GradingError(
                f"La tarea {assignment} no está en el libro de notas: corrija primero con "
                f"«course grade {assignment.split('_')[0]}»."
            ) from exc
        for pid, participant in sheet.participants.items():
            row = sheet.rows[participant.row]
            sid = by_pid.get(pid)
            if sid is None:
                unknown.append(participant.fullname)
                continue
            try:
                score: float | None = float(gb.find_submission(assignment, sid).score or 0.0)
            except Exception:  # nbgrader.api.MissingEntry: nothing graded
                score = None
            state, reason = submission_state(
                course,
                assignment,
                sid,
                submitted=score is not None,
                recorded=recorded,
                review=review,
            )
            top = _parse_number(row[sheet.columns["max"]]) if "max" in sheet.columns else None
            top = top if top else maximum
            days, percent = late_penalty(course, assignment, sid, registry)
            grade, comment = "", ""
            if state == "corregida" and score is not None and maximum:
                raw = score / maximum * top
                value = raw * (1 - percent / 100)
                grade = _format_number(value, sheet.decimal)
                late = (
                    f" ({_format_number(raw, sheet.decimal)} menos un {percent:g} % por entregar "
                    f"con {days_text(days)} de retraso)"
                    if percent
                    else ""
                )
                comment = (
                    f"Nota: {grade} sobre {_format_number(top, sheet.decimal)}{late}. "
                    "La retroalimentación detallada está en el archivo adjunto."
                )
                filled += 1
            elif state == "retenida":
                comment = UNDER_REVIEW
                held.append(sid)
            else:
                collected_why = student_reason(registry.get(sid, {}).get("motivo", ""))
                if state == "no_corregida":
                    why = reason or collected_why or "motivo desconocido"
                    comment = f"No se pudo corregir tu entrega: {why.rstrip('.')}."
                else:
                    why = collected_why or "no se recibió ningún cuaderno"
                    comment = f"Sin nota en esta tarea: {why.rstrip('.')}."
                if zero_missing:
                    grade = _format_number(0.0, sheet.decimal)
                    filled += 1
                blank.append(sid)
            row[sheet.columns["grade"]] = grade
            if comments is not None:
                row[comments] = comment
    _write_worksheet(sheet, dest)
    echo(f"{filled} calificación(es) escritas en la hoja.")
    if held:
        echo(
            f"⚠ {len(held)} en blanco por estar retenidas para revisión (con el comentario de que "
            f"está en revisión): {', '.join(held)}"
        )
    if blank and not zero_missing:
        echo(
            f"⚠ {len(blank)} en blanco por no haberse podido corregir o no haber entrega: {', '.join(blank)}"
        )
    if unknown:
        echo(
            f"⚠ {len(unknown)} participante(s) de la hoja no se recogieron con «course collect» "
            f"y quedan sin tocar: {', '.join(unknown)}"
        )
    locked = locked_grades(sheet)
    if locked:
        echo(
            f"⚠ {len(locked)} con «La calificación puede ser cambiada: No» en la hoja (nota "
            "bloqueada o modificada en el libro de calificaciones): Moodle no cambiará su nota "
            f"al subir la hoja; desbloquéela antes si hace falta: {', '.join(locked)}"
        )
    if comments is None:
        echo(
            "⚠ La hoja no tiene la columna «Comentarios de retroalimentación»: active ese tipo "
            "de retroalimentación en los ajustes de la tarea para enviar también los comentarios."
        )
    echo(
        "ℹ Suba la hoja antes que el zip de retroalimentación. Si la tarea ya tenía notas o "
        "retroalimentación en Moodle, marque al subirla la casilla que permite actualizar los "
        "registros modificados más recientemente en Moodle que en la hoja de cálculo: sin ella, "
        "Moodle se salta esas filas (lo indica en la vista previa)."
    )
    return dest


def _write_worksheet(sheet: Worksheet, dest: Path) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sheet.delimiter, lineterminator="\n")
    writer.writerow(sheet.header)
    writer.writerows(sheet.rows)
    text = buffer.getvalue()
    dest.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode(sheet.encoding, errors="replace")
    dest.write_bytes((b"\xef\xbb\xbf" if sheet.bom else b"") + data)


# ---------------------------------------------------------------------------
# Back to Moodle: the feedback-files zip
# ---------------------------------------------------------------------------


def _banner(lines: Iterable[str]) -> str:
    import html

    items = "".join(f'<p style="margin:.3em 0">{html.escape(line)}</p>' for line in lines)
    # Same width and look as the feedback page's notices (feedback.css: main.fb, .fb-warning).
    return (
        '<div id="course-moodle-summary" style="box-sizing:border-box;max-width:56rem;'
        "margin:1rem auto;padding:.5rem 1rem;border-left:4px solid #b7791f;border-radius:4px;"
        'background:#fff8e6;font-family:system-ui,sans-serif;line-height:1.45">'
        f"{items}</div>"
    )


def _es_number(value: float, decimals: int | None = None) -> str:
    """``6,40`` (``decimals=2``) or ``8`` / ``7,5`` (shortest), with a decimal comma."""
    text = f"{value:.{decimals}f}" if decimals is not None else f"{value:g}"
    return text.replace(".", ",")


def _insert_banner(page: str, banner: str) -> str:
    """Put ``banner`` at the top of the feedback page's column (else after ``<body>``)."""
    main = re.search(r"<main[^>]*>", page) or re.search(r"<body[^>]*>", page)
    return page[: main.end()] + banner + page[main.end() :] if main else banner + page


def feedback_zip(course: Path, assignment: str, dest: Path, *, echo: Echo = print) -> Path:
    """Write the zip for "Subir múltiples archivos de retroalimentación en un ZIP".

    One folder per collected participant, named as in the download
    (``<full name>_<participant id>_assignsubmission_file_``), holding the student's
    HTML feedback (a late one opens with a box: the final grade after the late
    penalty, and how it was computed). A held submission gets
    only a page saying it is under review; a student without graded feedback gets
    nothing (listed).
    """
    from course.grading.coursedir import resolve_assignment
    from course.grading.feedback import check_feedback_page
    from course.grading.nbgrader_api import gradebook
    from course.grading.states import read_states, review_rows, submission_state

    assignment = resolve_assignment(course, assignment)
    registry = read_registry(course, assignment)
    if not registry:
        raise GradingError(
            f"Las entregas de {assignment} no se recogieron de Moodle, así que no se sabe a qué "
            "participante va cada informe.\nSolución: recójalas con «course collect "
            f"{assignment.split('_')[0]} ENTREGAS.zip --hoja HOJA.csv»."
        )
    recorded, review = read_states(course), review_rows(course)
    written, held, without = [], [], []
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".tmp")
    with gradebook(course) as gb:
        maximum = float(gb.find_assignment(assignment).max_score or 0.0)
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
            for sid, row in sorted(registry.items()):
                folder = row["carpeta"]
                if not _FOLDER.match(folder):
                    folder = f"{row['nombre'].replace('_', ' ')}_{row['participante']}_assignsubmission_file_"
                try:
                    score: float | None = float(gb.find_submission(assignment, sid).score or 0.0)
                except Exception:
                    score = None
                state, _reason = submission_state(
                    course,
                    assignment,
                    sid,
                    submitted=score is not None,
                    recorded=recorded,
                    review=review,
                )
                pages = sorted((course / "feedback" / sid / assignment).glob("*.html"))
                if state == "retenida":
                    page = (
                        '<!DOCTYPE html><html lang="es"><head><meta charset="utf-8">'
                        f"<title>Tarea {assignment}: entrega en revisión</title></head>"
                        f"<body>{_banner([f'Tarea {assignment}.', UNDER_REVIEW])}</body></html>"
                    )
                    archive.writestr(f"{folder}/{assignment}.html", page)
                    held.append(sid)
                    continue
                if state != "corregida" or not pages:
                    without.append(sid)
                    continue
                days, percent = late_penalty(course, assignment, sid, registry)
                summary: list[str] = []
                if days and percent:
                    final = (score or 0.0) * (1 - percent / 100)
                    summary.append(
                        f"Nota final: {_es_number(final, 2)} de {_es_number(maximum)} puntos, la "
                        f"de la corrección ({_es_number(score or 0.0)} de {_es_number(maximum)}) "
                        f"menos una penalización del {percent:g} % por entregar con "
                        f"{days_text(days)} de retraso."
                    )
                elif days:
                    summary.append(
                        f"Entregada con {days_text(days)} de retraso, sin penalización: la nota "
                        "es la de la corrección."
                    )
                for page_path in pages:
                    page = page_path.read_text(encoding="utf-8")
                    problem = check_feedback_page(page)
                    if problem:
                        raise GradingError(
                            f"El informe {page_path} no debe llegar al alumnado: {problem}"
                        )
                    if summary:
                        page = _insert_banner(page, _banner(summary))
                    archive.writestr(f"{folder}/{page_path.name}", page)
                written.append(sid)
    tmp.replace(dest)
    echo(f"✔ Retroalimentación para Moodle en {dest} ({len(written)} estudiante(s)).")
    echo(
        "  Súbalo en Moodle después de la hoja de calificaciones: Ver todas las entregas > "
        "Acción sobre las calificaciones > Subir múltiples archivos de retroalimentación en "
        "un ZIP."
    )
    if held:
        echo(
            f"⚠ {len(held)} retenida(s) para revisión: solo reciben el aviso de revisión: {', '.join(held)}"
        )
    if without:
        echo(f"⚠ {len(without)} sin informe (no corregidas o sin entrega): {', '.join(without)}")
    return dest


# ---------------------------------------------------------------------------
# The ``course collect`` command
# ---------------------------------------------------------------------------


def register_collect(sub: Any) -> None:
    """Add ``course collect`` to the ``course`` command's subparsers."""
    p = sub.add_parser(
        "collect",
        help="recoge las entregas descargadas de Moodle (zip y hoja de calificaciones)",
        description="Recoge las entregas descargadas de Moodle. Lee el zip de «Descargar todas "
        "las entregas» y, si se indica, la hoja de «Descargar hoja de calificaciones»; deja "
        "cada cuaderno en submitted/<estudiante>/<tarea>/ con su nombre de publicación, "
        "añade el alumnado (nombre y correo) al libro de notas y muestra en una tabla cada "
        "incidencia y qué se hizo con ella. Repetirla con los mismos ficheros no cambia nada.",
    )
    p.add_argument("tarea", help="la tarea: su número (a01) o su nombre completo (a01_perceptron)")
    p.add_argument("zip", metavar="ENTREGAS.zip", help="el zip descargado de Moodle")
    p.add_argument(
        "--hoja",
        metavar="HOJA.csv",
        default=None,
        help="la hoja de calificaciones de la tarea (da el correo, el estado y la hora de "
        "cada entrega; necesaria para «course export --format moodle-hoja»)",
    )
    p.add_argument(
        "--fecha-limite",
        metavar="FECHA",
        default=None,
        help="plazo de entrega (AAAA-MM-DD HH:MM); las entregas posteriores se marcan como "
        "fuera de plazo",
    )
    p.add_argument(
        "--penalizacion",
        type=float,
        default=0.0,
        metavar="N",
        help="porcentaje de la nota que se resta por cada día de retraso empezado (p. ej. 10); "
        "se aplica al exportar",
    )
    p.add_argument(
        "--penalizacion-max",
        type=float,
        default=100.0,
        metavar="N",
        help="porcentaje máximo de penalización por retraso (por defecto 100)",
    )
    p.add_argument(
        "--tamano-max",
        type=float,
        default=NOTEBOOK_LIMIT_MB,
        metavar="MB",
        help=f"tamaño máximo de cada fichero entregado, en MB (por defecto {NOTEBOOK_LIMIT_MB:g})",
    )
    p.add_argument(
        "--curso",
        metavar="CARPETA",
        default=".",
        help="carpeta del curso con nbgrader_config.py (por defecto, la actual)",
    )
    p.set_defaults(func=cmd_collect)


def cmd_collect(args: Any) -> int:
    import sys

    from course.errors import CourseError
    from course.grading.coursedir import resolve_course

    try:
        collect(
            resolve_course(args.curso),
            args.tarea,
            Path(args.zip),
            worksheet=Path(args.hoja) if args.hoja else None,
            deadline=parse_deadline(args.fecha_limite) if args.fecha_limite else None,
            penalty=args.penalizacion,
            penalty_cap=args.penalizacion_max,
            limit_mb=args.tamano_max,
        )
    except CourseError as exc:
        print(f"✘ {exc}", file=sys.stderr)
        return 1
    return 0


# ---------------------------------------------------------------------------
# ``course demo``: a simulated class handed in through Moodle
# ---------------------------------------------------------------------------

#: Full names of the demo's simulated students (accents and spaces, as in Moodle).
DEMO_NAMES = {
    "ana": "Ana García López",
    "bruno": "Bruno Martínez Ruiz",
    "carla": "Carla Núñez Peña",
    "diego": "Diego Sánchez Íñiguez",
    "elena": "Elena Ortega Gil",
    "fermin": "Fermín Castro Díaz",
    "gloria": "Gloria Muñoz Vidal",
}
DEMO_DEADLINE = dt.datetime(2026, 3, 13, 23, 59)
_ES_MONTHS = (
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
)
_ES_DAYS = "lunes martes miércoles jueves viernes sábado domingo"


def spanish_date(when: dt.datetime) -> str:
    """A date as Spanish Moodle prints it: ``viernes, 13 de marzo de 2026, 18:00``."""
    day = _ES_DAYS.split()[when.weekday()]
    month = _ES_MONTHS.split()[when.month - 1]
    return f"{day}, {when.day} de {month} de {when.year}, {when:%H:%M}"


def simulated_download(
    course: Path,
    assignment: str,
    students: dict[str, tuple[str, dict[str, object]]],
    folder: Path,
    *,
    late: Iterable[str] = (),
) -> tuple[Path, Path]:
    """Moodle's zip and Spanish worksheet for simulated students (id -> notebooks).

    Each student becomes a participant named after :data:`DEMO_NAMES` with the
    e-mail ``<id>@universidad.es`` (so ``course collect`` gives back the same id);
    the students in ``late`` hand in a day after :data:`DEMO_DEADLINE`.
    """
    import nbformat

    release_name, _nb = _release_notebook(course, assignment)
    folder.mkdir(parents=True, exist_ok=True)
    zip_path = folder / f"{assignment}-entregas.zip"
    sheet_path = folder / f"{assignment}-hoja.csv"
    late = set(late)
    header = [
        "Identificador",
        "Nombre completo",
        "Dirección de correo",
        "Estado",
        "Calificación",
        "Calificación máxima",
        "La calificación puede ser cambiada",
        "Última modificación (entrega)",
        "Última modificación (calificación)",
        "Comentarios de retroalimentación",
    ]
    rows = []
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, (sid, (_description, notebooks)) in enumerate(sorted(students.items())):
            pid = str(4100 + number)
            name = DEMO_NAMES.get(sid, sid.replace("_", " ").title())
            when = DEMO_DEADLINE + (
                dt.timedelta(hours=20) if sid in late else -dt.timedelta(hours=5 + number)
            )
            base = f"{name}_{pid}_assignsubmission_file_"
            for nb_name, nb in notebooks.items():
                text = nb if isinstance(nb, str) else nbformat.writes(nb)
                info = zipfile.ZipInfo(
                    f"{base}/{nb_name if nb_name != release_name else release_name}.ipynb",
                    when.timetuple()[:6],
                )
                archive.writestr(info, text)
            if not notebooks:
                archive.writestr(f"{base}/entrega.pdf", b"%PDF-1.4\n")
            rows.append(
                [
                    f"Participante{pid}",
                    name,
                    f"{sid}@universidad.es",
                    "Enviado para calificar",
                    "",
                    "10,00",
                    "Sí",
                    spanish_date(when),
                    "-",
                    "",
                ]  # fmt: skip
            )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    sheet_path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    return zip_path, sheet_path
