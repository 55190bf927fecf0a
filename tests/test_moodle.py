"""The Moodle round trip: ``course collect`` -> grade -> export to the worksheet -> feedback zip.

Zips and worksheets are built as Moodle writes them (folder names
``<full name>_<participant id>_assignsubmission_file_``, worksheet headers of the
English and Spanish language packs, dates as Moodle prints them), with every
anomaly an instructor meets and the attacks a hostile zip can carry.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import nbformat
import pytest
from test_grading_cli import ASSIGNMENT, make_course, run_course

from course.grading import moodle

ES_HEADER = [
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
EN_HEADER = [
    "Identifier",
    "Full name",
    "Email address",
    "Status",
    "Grade",
    "Maximum grade",
    "Grade can be changed",
    "Last modified (submission)",
    "Last modified (grade)",
    "Feedback comments",
]
FOLDER = "{name}_{pid}_assignsubmission_file_"


def write_worksheet(path: Path, people: list[tuple], *, english: bool = False) -> Path:
    """people: (pid, name, email, submitted text). Spanish: BOM, decimal comma."""
    header = EN_HEADER if english else ES_HEADER
    prefix = "Participant " if english else "Participante"
    status = "Submitted for grading" if english else "Enviado para calificar"
    rows = [
        [
            f"{prefix}{pid}",
            name,
            email,
            status if when else "No entregado",
            "",
            "10.00" if english else "10,00",
            "Yes" if english else "Sí",
            when or "-",
            "-",
            "",
        ]
        for pid, name, email, when in people
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode()
    path.write_bytes(data if english else b"\xef\xbb\xbf" + data)
    return path


def notebook_bytes(course: Path, body: str | None) -> bytes:
    """The release, with ``body`` in the solution cell (None: untouched)."""
    nb = nbformat.read(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    if body is not None:
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("solution"):
                cell.source = f"def doble(x):\n    {body}"
    return nbformat.writes(nb).encode()


def add(archive: zipfile.ZipFile, name: str, data: bytes, when=(2026, 3, 14, 10, 0, 0)) -> None:
    info = zipfile.ZipInfo(name, date_time=when)
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def inner_zip(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        add(archive, name, data)
    return buffer.getvalue()


#: (pid, full name, e-mail, submission time as the Spanish worksheet prints it)
CLASS = [
    ("1001", "Ana García López", "ana.garcia@uni.es", "sábado, 14 de marzo de 2026, 10:30"),
    ("1002", "José Martín Núñez", "jose.martin@uni.es", "viernes, 13 de marzo de 2026, 18:00"),
    ("1003", "María del Mar Ruiz", "mdmar@uni.es", "viernes, 13 de marzo de 2026, 19:00"),
    ("1004", "Pedro Sánchez", "pedro@uni.es", "viernes, 13 de marzo de 2026, 20:00"),
    ("1005", "Lucía Fernández", "lucia@uni.es", "viernes, 13 de marzo de 2026, 20:10"),
    ("1006", "Óscar Díaz", "oscar@uni.es", "viernes, 13 de marzo de 2026, 20:20"),
    ("1007", "Sofía Gómez", "sofia@uni.es", "viernes, 13 de marzo de 2026, 20:30"),
    ("1008", "Carmen Vidal", "carmen@uni.es", "viernes, 13 de marzo de 2026, 20:40"),
    ("1009", "Raúl Torres", "raul@uni.es", "viernes, 13 de marzo de 2026, 20:50"),
    ("1011", "Elena Castro", "elena@uni.es", ""),
    ("1012", "Tomás Ruiz", "tomas@uni.es", "viernes, 13 de marzo de 2026, 21:00"),
    ("1013", "Nuria Blanco", "nuria@uni.es", "viernes, 13 de marzo de 2026, 21:10"),
]


def foreign_notebook() -> bytes:
    """A notebook written from scratch: right answer, none of the release's cells."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("def doble(x):\n    return 2 * x")]
    return nbformat.writes(nb).encode()


def build_download(course: Path, path: Path) -> Path:
    """The "Download all submissions" zip of CLASS, one anomaly per student."""
    right, blank = notebook_bytes(course, "return 2 * x"), notebook_bytes(course, None)
    f = {pid: FOLDER.format(name=name, pid=pid) for pid, name, _e, _w in CLASS}
    with zipfile.ZipFile(path, "w") as archive:
        add(archive, f"{f['1001']}/{ASSIGNMENT}.ipynb", right)
        add(archive, f"{f['1002']}/{ASSIGNMENT} (1).ipynb", right)
        add(archive, f"{f['1003']}/{ASSIGNMENT}.ipynb", blank, (2026, 3, 13, 19, 0, 0))
        add(archive, f"{f['1003']}/Copia de {ASSIGNMENT}.ipynb", right, (2026, 3, 13, 18, 0, 0))
        add(archive, f"{f['1004']}/entrega.zip", inner_zip(f"{ASSIGNMENT}.ipynb", right))
        add(archive, f"{f['1005']}/{ASSIGNMENT}.rar", b"Rar!\x1a\x07\x00" + b"\x00" * 40)
        add(archive, f"{f['1006']}/{ASSIGNMENT}.ipynb", b'{"cells": [')
        add(archive, f"{f['1007']}/{ASSIGNMENT}.ipynb", right)
        add(
            archive, "Sofía Gómez_1007_assignsubmission_onlinetext_/onlinetext.html", b"<p>hola</p>"
        )
        archive.writestr(zipfile.ZipInfo(f"{f['1008']}/"), b"")
        add(archive, f"{f['1009']}/{ASSIGNMENT}.ipynb", right + b" " * 300_000)
        add(archive, f"{FOLDER.format(name='Intruso Pérez', pid='1010')}/{ASSIGNMENT}.ipynb", right)
        add(archive, f"{f['1012']}/memoria.pdf", b"%PDF-1.4\n")
        add(archive, f"{f['1013']}/{ASSIGNMENT}.ipynb", foreign_notebook())
        add(archive, "__MACOSX/._basura", b"x")
    return path


def collect_args(zip_path: Path, sheet: Path) -> list[str]:
    return [
        "collect", "a90", str(zip_path), "--hoja", str(sheet),
        "--fecha-limite", "2026-03-13 23:59", "--penalizacion", "10",
        "--penalizacion-max", "30", "--tamano-max", "0.2",
    ]  # fmt: skip


# ---------------------------------------------------------------------------
# Pure parts
# ---------------------------------------------------------------------------


def test_worksheet_is_read_with_spanish_and_english_headers(tmp_path):
    people = [("1001", "Ana García López", "ana@uni.es", "domingo, 15 de marzo de 2026, 10:30")]
    es = moodle.read_worksheet(write_worksheet(tmp_path / "es.csv", people))
    en = moodle.read_worksheet(
        write_worksheet(
            tmp_path / "en.csv",
            [("1001", "Ana García López", "ana@uni.es", "Sunday, 15 March 2026, 10:30 AM")],
            english=True,
        )
    )
    for sheet in (es, en):
        ana = sheet.participants["1001"]
        assert (ana.fullname, ana.email) == ("Ana García López", "ana@uni.es")
        assert ana.submitted == dt.datetime(2026, 3, 15, 10, 30)
        assert {"id", "grade", "comments", "submitted", "max"} <= set(sheet.columns)
    assert es.bom and es.decimal == "," and not en.bom and en.decimal == "."


def test_grades_moodle_will_not_change_are_listed(tmp_path):
    people = [
        ("1001", "Ana García López", "ana@uni.es", "viernes, 13 de marzo de 2026, 18:00"),
        ("1002", "José Núñez", "jose@uni.es", "viernes, 13 de marzo de 2026, 18:05"),
    ]
    path = write_worksheet(tmp_path / "hoja.csv", people)
    text = path.read_bytes().decode("utf-8-sig").replace(",Sí,", ",No,", 1)
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert moodle.locked_grades(moodle.read_worksheet(path)) == ["Ana García López"]


def test_a_file_that_is_not_a_worksheet_is_a_clear_spanish_error(tmp_path):
    path = tmp_path / "notas.csv"
    path.write_text("username,email,a01\nana,ana@uni.es,7\n", encoding="utf-8")
    with pytest.raises(
        moodle.GradingError, match="(?s)falta la columna «Identificador».*Descargar hoja"
    ):
        moodle.read_worksheet(path)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("lunes, 16 de marzo de 2026, 09:05", dt.datetime(2026, 3, 16, 9, 5)),
        ("Monday, 16 March 2026, 9:05 PM", dt.datetime(2026, 3, 16, 21, 5)),
        ("16 de septiembre de 2026, 12:00", dt.datetime(2026, 9, 16, 12, 0)),
        ("2026-03-16 09:05", dt.datetime(2026, 3, 16, 9, 5)),
        ("-", None),
        ("", None),
    ],
)
def test_moodle_dates_in_both_languages(text, expected):
    assert moodle.parse_moodle_date(text) == expected


def test_renamed_copies_are_recognised():
    for name in ("a01_perceptron (1).ipynb", "Copia de a01_perceptron.ipynb",
                 "A01_Perceptron.ipynb", "a01_perceptron-checkpoint.ipynb"):  # fmt: skip
        assert moodle._normal_stem(name) == "a01_perceptron", name


def test_worksheet_comments_word_the_collection_for_the_student():
    reasons = {
        "no hay carpeta en el zip (estado en Moodle: No entregado)": (
            "no se recibió ninguna entrega de esta tarea"
        ),
        "entrega vacía: la carpeta no contiene ningún fichero": (
            "la entrega estaba vacía (no contenía ningún fichero)"
        ),
        "entregó un archivo comprimido RAR (a01.rar), que el curso no abre": (
            "entregaste un archivo RAR (a01.rar), que la corrección no puede abrir; sube el "
            "cuaderno .ipynb (o un .zip)"
        ),
        "no hay ningún cuaderno .ipynb (entregó memoria.pdf, datos.csv)": (
            "la entrega no contiene ningún cuaderno .ipynb (entregaste memoria.pdf, datos.csv)"
        ),
        "a01.ipynb ocupa 25,0 MB, más que el límite de 20,0 MB": (
            "a01.ipynb ocupa más de 20,0 MB, el tamaño máximo; borra las salidas (Editar > "
            "Borrar todas las salidas), guarda y vuelve a subirlo"
        ),
    }
    for incidence, wording in reasons.items():
        assert moodle.student_reason(incidence) == wording, incidence
    assert moodle.student_reason("algo nuevo; otra cosa") == "algo nuevo"


def test_student_ids_are_ascii_and_unique():
    people = {"1": ("Ana García", "ana.garcia@uni.es"), "2": ("Ana García", ""),
              "3": ("Ana Garcia", ""), "4": ("Íñigo Núñez", "")}  # fmt: skip
    ids = moodle._ids(people)
    assert ids["1"] == "ana.garcia" and ids["4"] == "inigo_nunez"
    assert ids["2"] == "ana_garcia_2" and ids["3"] == "ana_garcia_3"


def test_every_layout_of_the_download_is_grouped_by_participant(tmp_path):
    """Moodle 3.1-4.0 (``..._file_/``), 4.1+ (``..._file/``), before 3.1 (no folders,
    prefixed files) and blind marking (``Participante_...``) name the same participant."""
    path = tmp_path / "descarga.zip"
    with zipfile.ZipFile(path, "w") as archive:
        add(archive, "Ana García López_1001_assignsubmission_file_/a01.ipynb", b"{}")
        add(archive, "José Núñez_1002_assignsubmission_file/sub/a01 (1).ipynb", b"{}")
        add(archive, "Eva Ruiz_1003_assignsubmission_file_a01_perceptron.ipynb", b"{}")
        add(archive, "Participante_1004_assignsubmission_file/a01.ipynb", b"{}")
    folders, stray = moodle.read_download(path, limit=10**6)
    assert not stray
    assert {pid: (f.fullname, [m.name for m in f.files]) for pid, f in folders.items()} == {
        "1001": ("Ana García López", ["a01.ipynb"]),
        "1002": ("José Núñez", ["sub/a01 (1).ipynb"]),
        "1003": ("Eva Ruiz", ["a01_perceptron.ipynb"]),
        "1004": ("Participante", ["a01.ipynb"]),
    }
    assert folders["1002"].folders == ["José Núñez_1002_assignsubmission_file"]
    assert folders["1003"].folders == ["Eva Ruiz_1003_assignsubmission_file_"]


def test_a_blind_marking_worksheet_has_no_names_and_is_read(tmp_path):
    path = tmp_path / "anonima.csv"
    path.write_text(
        "Identificador,Estado,Calificación,Calificación máxima,"
        "Última modificación (entrega),Última modificación (calificación),"
        "Comentarios de retroalimentación\n"
        'Participante1004,Enviado para calificar,,"10,00",'
        '"viernes, 13 de marzo de 2026, 18:00",-,\n',
        encoding="utf-8",
    )
    sheet = moodle.read_worksheet(path)
    who = sheet.participants["1004"]
    assert (who.fullname, who.email) == ("Participante 1004", "")
    assert who.submitted == dt.datetime(2026, 3, 13, 18, 0) and sheet.decimal == ","


# ---------------------------------------------------------------------------
# collect on a released toy course
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    course = make_course(tmp_path_factory.mktemp("curso_moodle"))
    result = run_course("release", "a90", "--sin-comprobar", cwd=course)
    assert result.returncode == 0, result.stdout + result.stderr
    return course


def _tree(folder: Path) -> dict[str, tuple[bytes, float]]:
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.grading
def test_hostile_zip_writes_nothing_outside_and_reports_each_attack(released, tmp_path):
    course = released
    good = notebook_bytes(course, "return 2 * x")
    path = tmp_path / "ataque.zip"
    folder = FOLDER.format(name="Eva Mal", pid="2001")
    with zipfile.ZipFile(path, "w") as archive:
        add(archive, f"{folder}/../../../../evil.py", b"print('pwned')")
        add(archive, "/etc/evil_absolute.py", b"x")
        add(archive, f"{FOLDER.format(name='Abs', pid='2002')}//../escape.ipynb", good)
        link = zipfile.ZipInfo(f"{FOLDER.format(name='Enlace', pid='2003')}/{ASSIGNMENT}.ipynb")
        link.external_attr = 0o120777 << 16
        archive.writestr(link, "/etc/passwd")
        add(
            archive,
            f"{FOLDER.format(name='Bomba', pid='2004')}/{ASSIGNMENT}.ipynb",
            b"\0" * 30_000_000,
        )
        add(archive, f"{folder}/{ASSIGNMENT}.ipynb", good)
    before = set((tmp_path.parent).rglob("*"))
    result = moodle.collect(course, "a90", path, limit_mb=5, echo=lambda _l: None)
    after = set((tmp_path.parent).rglob("*"))
    new_outside = {
        p for p in after - before if course not in p.parents and tmp_path not in p.parents
    }
    assert not new_outside
    assert not list(course.rglob("evil*")) and not list(course.rglob("escape*"))
    table = result.table()
    assert "ruta peligrosa" in table and "enlace simbólico" in table
    assert "posible bomba zip" in table or "límite" in table
    assert "fichero fuera de las carpetas de Moodle" in table  # /etc/evil_absolute.py
    assert "eva_mal" in result.collected
    assert (
        course / "submitted" / "eva_mal" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    ).read_bytes() == good
    for sid in ("enlace", "bomba"):
        assert sid in result.missing and not (course / "submitted" / sid).exists()


@pytest.mark.grading
def test_every_anomaly_is_in_one_table_and_collect_is_idempotent(released, tmp_path):
    course = released
    zip_path = build_download(course, tmp_path / "entregas.zip")
    sheet = write_worksheet(tmp_path / "hoja.csv", CLASS)
    first = run_course(*collect_args(zip_path, sheet), cwd=course)
    assert first.returncode == 0, first.stdout + first.stderr
    out = first.stdout
    expected = {
        "ana.garcia": "1 día de retraso",
        "jose.martin": f"otro nombre ({ASSIGNMENT} (1).ipynb)",
        "mdmar": f"se tomó Copia de {ASSIGNMENT}.ipynb por tener más respuestas escritas",
        "pedro": "dentro de un zip",
        "lucia": "comprimido RAR",
        "oscar": "no es JSON válido",
        "sofia": "2 carpetas para la misma persona",
        "carmen": "entrega vacía",
        "raul": "límite",
        "intruso_perez": "no figura en la hoja",
        "elena": "no hay carpeta en el zip",
        "tomas": "no hay ningún cuaderno .ipynb (entregó memoria.pdf)",
        "nuria": "no tiene las celdas",
    }
    lines = out.splitlines()
    for student, words in expected.items():
        assert any(line.strip().startswith(student) and words in line for line in lines), (
            student, out)  # fmt: skip
    assert "penalización del 10 % al exportar" in out
    submitted = course / "submitted"
    for sid in ("ana.garcia", "jose.martin", "mdmar", "pedro", "oscar", "sofia", "intruso_perez"):
        assert (submitted / sid / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").is_file(), sid
    for sid in ("lucia", "carmen", "raul", "elena", "tomas"):
        assert not (submitted / sid).exists(), sid
    chosen = json.loads((submitted / "mdmar" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text())
    assert any("return 2 * x" in "".join(c["source"]) for c in chosen["cells"])
    stamp = (submitted / "ana.garcia" / ASSIGNMENT / "timestamp.txt").read_text()
    assert stamp.startswith("2026-03-14 10:30:00")
    from course.grading.nbgrader_api import gradebook

    with gradebook(course) as gb:
        ana = gb.find_student("ana.garcia")
        assert (ana.first_name, ana.email) == ("Ana García López", "ana.garcia@uni.es")
    before = _tree(course / "submitted"), _tree(course / "moodle")
    again = run_course(*collect_args(zip_path, sheet), cwd=course)
    assert again.returncode == 0 and again.stdout == out
    assert (_tree(course / "submitted"), _tree(course / "moodle")) == before


@pytest.mark.grading
def test_collect_errors_name_the_problem_and_the_fix(released, tmp_path):
    bad = tmp_path / "roto.zip"
    bad.write_bytes(b"esto no es un zip")
    result = run_course("collect", "a90", str(bad), cwd=released)
    assert result.returncode == 1 and "no es un zip válido" in result.stderr
    assert "Descargar todas las entregas" in result.stderr
    result = run_course("collect", "a90", str(bad), "--penalizacion", "10", cwd=released)
    assert "--fecha-limite" in result.stderr
    result = run_course("collect", "a90", str(bad), "--fecha-limite", "15/03/2026", cwd=released)
    assert "AAAA-MM-DD" in result.stderr


# ---------------------------------------------------------------------------
# End to end: collect -> grade -> export worksheet -> feedback zip
# ---------------------------------------------------------------------------


@pytest.mark.grading
@pytest.mark.slow
def test_moodle_round_trip_end_to_end(tmp_path):
    course = make_course(tmp_path / "curso")
    assert run_course("release", "a90", "--sin-comprobar", cwd=course).returncode == 0
    zip_path = build_download(course, tmp_path / "entregas.zip")
    sheet = write_worksheet(tmp_path / "hoja.csv", CLASS)
    collected = run_course(*collect_args(zip_path, sheet), cwd=course)
    assert collected.returncode == 0, collected.stdout + collected.stderr
    graded = run_course("grade", "a90", "--jobs", "2", "--tiempo-max", "60", cwd=course)
    assert graded.returncode == 0, graded.stdout + graded.stderr
    assert "Entregas fuera de plazo (2)" in graded.stdout
    assert "ana.garcia: 1 día de retraso, penalización del 10 %" in graded.stdout

    exported = run_course("export", "a90", "--format", "moodle-hoja", cwd=course)
    assert exported.returncode == 0, exported.stdout + exported.stderr
    assert "Subir hoja de calificaciones" in exported.stdout
    filled = course / "informes" / f"{ASSIGNMENT}_hoja_moodle.csv"
    data = filled.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # same encoding as the download
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ES_HEADER
    by_name = {r[1]: dict(zip(ES_HEADER, r, strict=True)) for r in rows[1:]}
    assert len(by_name) == len(CLASS)
    assert by_name["Ana García López"]["Calificación"] == "9,00"  # 10 - 10 % (1 day late)
    assert "1 día de retraso" in by_name["Ana García López"]["Comentarios de retroalimentación"]
    for name in ("José Martín Núñez", "María del Mar Ruiz", "Pedro Sánchez", "Sofía Gómez"):
        assert by_name[name]["Calificación"] == "10,00", name
    held = by_name["Nuria Blanco"]
    assert held["Calificación"] == "" and "revisión" in held["Comentarios de retroalimentación"]
    for name in ("Óscar Díaz", "Lucía Fernández", "Carmen Vidal", "Elena Castro", "Tomás Ruiz"):
        assert by_name[name]["Calificación"] == "", name
        assert by_name[name]["Comentarios de retroalimentación"], name
    assert "RAR" in by_name["Lucía Fernández"]["Comentarios de retroalimentación"]
    assert by_name["Elena Castro"]["Comentarios de retroalimentación"] == (
        "Sin nota en esta tarea: no se recibió ninguna entrega de esta tarea."
    )
    assert (
        "(10,00 menos un 10 % por entregar con 1 día de retraso)"
        in (by_name["Ana García López"]["Comentarios de retroalimentación"])
    )
    # Everything Moodle's importer compares stays as downloaded.
    original = list(csv.reader(io.StringIO(sheet.read_bytes().decode("utf-8-sig"))))
    for before, after in zip(original[1:], rows[1:], strict=True):
        assert before[:4] == after[:4] and before[5:9] == after[5:9]

    english = write_worksheet(tmp_path / "sheet.csv", CLASS, english=True)
    out = run_course(
        "export", "a90", "--format", "moodle-hoja", "--hoja", str(english),
        "--salida", str(tmp_path / "en.csv"), cwd=course,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    en_rows = {r["Full name"]: r for r in csv.DictReader((tmp_path / "en.csv").open())}
    assert en_rows["José Martín Núñez"]["Grade"] == "10.00"

    plain = run_course("export", "a90", "--sobre", "10", cwd=course)
    assert plain.returncode == 0
    notas = {r["estudiante"]: r for r in csv.DictReader((course / "informes" / "notas.csv").open())}
    assert notas["ana.garcia"][ASSIGNMENT] == "9.00" and notas["jose.martin"][ASSIGNMENT] == "10.00"

    fed = run_course("feedback", "a90", "--zip", cwd=course)
    assert fed.returncode == 0, fed.stdout + fed.stderr
    assert "Subir múltiples archivos de retroalimentación en un ZIP" in fed.stdout
    with zipfile.ZipFile(course / "informes" / f"{ASSIGNMENT}_retroalimentacion_moodle.zip") as z:
        names = z.namelist()
        pages = {n: z.read(n).decode() for n in names}
    folders = {n.split("/")[0] for n in names}
    # Moodle's importer splits each path part on "_" (at most 5 pieces) and takes the
    # second piece as the participant id; the folders are those of the download.
    for folder in folders:
        pieces = folder.split("_", 4)
        assert pieces[1].isdigit() and pieces[2:4] == ["assignsubmission", "file"], folder
    assert "Ana García López_1001_assignsubmission_file_" in folders
    assert "Nuria Blanco_1013_assignsubmission_file_" in folders  # held: the review notice
    assert not any(f.startswith(("Óscar", "Elena", "Lucía")) for f in folders)
    ana = next(p for n, p in pages.items() if n.startswith("Ana García"))
    assert "penalización del 10 %" in ana and "CLAVE_SECRETA" not in ana
    # Numbers the Spanish way, and the page's own total is said to be before the penalty.
    assert "Nota final: 1,80 de 2 puntos, la de la corrección (2 de 2)" in ana
    nuria = next(p for n, p in pages.items() if n.startswith("Nuria"))
    assert "revisión" in nuria and "doble(" not in nuria and "2 * x" not in nuria
    assert '<meta charset="utf-8">' in nuria  # Moodle serves it as a file: say the encoding
    assert all("BEGIN HIDDEN TESTS" not in p and "CLAVE_SECRETA" not in p for p in pages.values())


@pytest.mark.grading
def test_the_demo_class_comes_back_from_moodle_with_the_same_ids(released, tmp_path):
    """``course demo``'s simulated download: ids survive the round trip, late is marked."""
    right = nbformat.reads(notebook_bytes(released, "return 2 * x").decode(), as_version=4)
    students = {
        "ana": ("solución", {ASSIGNMENT: right}),
        "carla": ("solución, tarde", {ASSIGNMENT: right}),
        "diego": ("dañado", {ASSIGNMENT: '{"cells": ['}),
        "juan": ("un PDF", {}),
    }
    zip_path, sheet = moodle.simulated_download(
        released, ASSIGNMENT, students, tmp_path / "descargas", late=["carla"]
    )
    assert moodle.read_worksheet(sheet).header[2] == "Dirección de correo"
    assert moodle.read_worksheet(sheet).participants["4100"].fullname == "Ana García López"
    result = moodle.collect(
        released, ASSIGNMENT, zip_path, worksheet=sheet, deadline=moodle.DEMO_DEADLINE,
        penalty=10, echo=lambda _l: None,
    )  # fmt: skip
    assert sorted(result.collected) == ["ana", "carla", "diego"] and result.missing == ["juan"]
    assert result.late == {"carla": (1, 10.0)}
